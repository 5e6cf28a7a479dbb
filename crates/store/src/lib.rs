//! The storage contract every plumb backend implements.
//!
//! Ingestion, reports, the gate and the server talk to a [`Store`], never to SQL: the
//! embedded SQLite backend and the shared PostgreSQL one must behave the same, and one
//! conformance story runs against each. The trait speaks in the model's types plus a few
//! row types of its own defined here. It has no knowledge of git, of the CLI or of how a
//! backend lays out its tables.
//!
//! Invariants every backend keeps:
//! - a batch of commits is written in one transaction: after a crash a commit is either
//!   stored whole (metadata, files, detections) or not at all;
//! - writing a commit that is already stored changes nothing;
//! - a repository's `ingested_head` only moves once every commit up to it is stored;
//! - a quarter has at most one snapshot, and a saved snapshot is only ever replaced when
//!   the caller asks for it;
//! - a repository's line survival facts are saved in one transaction with the basis they
//!   hold for (history tip, horizon, rules' version): after a crash the facts and the
//!   basis are both the old ones or both the new ones. Facts go with their commit. A fact
//!   that is not final holds only for the tip it was computed at: it never outlives a
//!   change of basis, and it only becomes final by being saved again as final.

#![forbid(unsafe_code)]

pub mod conformance;

use plumb_model::records::{self, Record, RecordKind};
use plumb_model::{CommitRecord, Detection, FileStats, GitTime, IdentityClass};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{location}: cannot open the store: {message}")]
    Open { location: String, message: String },
    #[error(
        "{location}: the store's schema is version {found}, newer than this plumb knows ({known}); upgrade plumb"
    )]
    TooNew {
        location: String,
        found: i64,
        known: i64,
    },
    #[error("{location}: migration {version} failed: {message}")]
    Migration {
        location: String,
        version: i64,
        message: String,
    },
    #[error("store query failed ({context}): {message}")]
    Query { context: String, message: String },
    #[error("stored data is inconsistent ({context}): {message}")]
    Corrupt { context: String, message: String },
    #[error(
        "a snapshot of {quarter} is already stored (taken {}); pass --replace to replace it",
        utc(*taken_at)
    )]
    SnapshotExists {
        quarter: String,
        /// When the stored snapshot was taken, Unix seconds.
        taken_at: i64,
    },
}

/// Unix seconds as an RFC 3339 UTC time for messages (the bare number if out of range).
fn utc(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| seconds.to_string())
}

/// The store's id of a repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RepoId(pub i64);

/// What the store knows about a repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoState {
    pub id: RepoId,
    pub name: String,
    /// Canonical path of the repository root: the key a repository is known by.
    pub path: String,
    /// The tip whose whole history is stored, once an ingest has completed.
    pub ingested_head: Option<String>,
    /// The provenance catalogue fingerprint the stored detections were computed with.
    pub provenance_fingerprint: Option<String>,
}

/// A commit ready to be stored: what git gave, plus provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestedCommit {
    pub record: CommitRecord,
    pub author_class: IdentityClass,
    pub committer_class: IdentityClass,
    pub detections: Vec<Detection>,
}

/// New provenance for a stored commit, when the catalogue changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reclassified {
    pub commit_id: String,
    pub author_class: IdentityClass,
    pub committer_class: IdentityClass,
    pub detections: Vec<Detection>,
}

/// Whole-history totals of one repository, as `plumb ingest` reports them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepoTotals {
    pub commits: u64,
    pub merge_commits: u64,
    pub lines_added: u64,
    pub lines_deleted: u64,
    pub binary_file_changes: u64,
    pub unknown_file_changes: u64,
    /// Commits whose tree could not be read (no file list at all).
    pub unknown_trees: u64,
    /// Commits with at least one `authored` detection or an AI agent author, counted once.
    pub ai_assisted_commits: u64,
    /// Commits per tool (authored kind); a commit with two tools counts under each.
    pub ai_by_tool: Vec<(String, u64)>,
    pub ai_review_suggestion_commits: u64,
    pub bot_commits: u64,
    /// Distinct people (not bots, not agents) among authors.
    pub people: u64,
}

/// A stored commit as the metrics read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCommit {
    pub repo: String,
    pub record: CommitRecord,
    pub author_class: IdentityClass,
    pub detections: Vec<Detection>,
}

/// A decision of `plumb gate`, kept as evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateDecisionRow {
    /// Canonical path of the repository root.
    pub repo: String,
    pub base: String,
    pub head: String,
    /// `pass`, `needs-approval` or `fail`.
    pub verdict: String,
    /// The zones the change touched.
    pub zones: Vec<String>,
    /// The AI tools of the change's AI-authored commits.
    pub ai_tools: Vec<String>,
    pub reasons: Vec<String>,
    /// Unix seconds.
    pub decided_at: i64,
}

/// A record with its natural key (see `plumb_model::records::Record::key`).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyedRecord {
    pub key: String,
    pub record: Record,
}

/// Declares [`RecordList`], one variant per record kind.
macro_rules! record_list {
    ($($variant:ident($ty:ident)),+ $(,)?) => {
        /// Every stored record of one kind, in key order, as the kind's own type
        /// ([`Store::record_list`]).
        #[derive(Debug, Clone, PartialEq)]
        pub enum RecordList {
            $($variant(Vec<records::$ty>)),+
        }

        impl RecordList {
            /// No records of `kind`.
            pub fn new(kind: RecordKind) -> Self {
                match kind {
                    $(RecordKind::$variant => RecordList::$variant(Vec::new())),+
                }
            }

            pub fn kind(&self) -> RecordKind {
                match self {
                    $(RecordList::$variant(_) => RecordKind::$variant),+
                }
            }

            pub fn len(&self) -> usize {
                match self {
                    $(RecordList::$variant(v) => v.len()),+
                }
            }

            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }

            /// Appends a record of the list's kind; a record of another kind is refused with
            /// its kind.
            pub fn push(&mut self, record: Record) -> Result<(), RecordKind> {
                match (self, record) {
                    $((RecordList::$variant(v), Record::$variant(r)) => {
                        v.push(r);
                        Ok(())
                    })+
                    (_, other) => Err(other.kind()),
                }
            }
        }
    };
}

record_list!(
    People(Person),
    Teams(Team),
    WorkItems(WorkItem),
    PullRequests(PullRequest),
    Reviews(Review),
    Checks(Check),
    Deployments(Deployment),
    Incidents(Incident),
    AiUsage(AiUsage),
    Survey(SurveyResponse),
    Skills(SkillAssessment),
    Costs(Cost),
    Kpis(KpiPoint),
    Findings(Finding),
);

/// What writing a set of records changed — or, in a dry run, would change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordChanges {
    /// Keys not stored before.
    pub inserted: u64,
    /// Keys stored with different values.
    pub updated: u64,
    /// Keys stored with the same values: nothing to do.
    pub unchanged: u64,
    /// The updated keys, in the order given.
    pub updated_keys: Vec<String>,
}

/// One stored commit as the commit graph sees it (for linking deployments and pull
/// requests to commits).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GraphCommit {
    /// The repository's name (shared by its commits).
    pub repo: Arc<str>,
    /// Shared with the [`CommitSummary`] of the same commit, when there is one.
    pub id: Arc<str>,
    pub parents: Vec<String>,
    /// The author email after `.mailmap`, normalised (shared like `id`).
    pub author_key: Arc<str>,
    /// Author time, Unix seconds.
    pub author_time: i64,
    pub is_ai_assisted: bool,
}

/// A stored commit as a report reads it: a [`StoredCommit`] without what no metric reads
/// (the message, the trailers, the author's name, the committer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitSummary {
    /// The repository's name (shared by its commits).
    pub repo: Arc<str>,
    pub id: Arc<str>,
    /// More than one parent.
    pub is_merge: bool,
    /// The author email after `.mailmap`, normalised (`plumb_model::normalize_email`), as
    /// stored with the commit: identifies a person.
    pub author_key: Arc<str>,
    pub author_time: GitTime,
    pub author_class: IdentityClass,
    /// The files in path order, as in [`CommitRecord::stats`].
    pub stats: FileStats,
    pub detections: Vec<Detection>,
}

impl From<StoredCommit> for CommitSummary {
    fn from(c: StoredCommit) -> Self {
        let commit = c.record.commit;
        CommitSummary {
            repo: c.repo.into(),
            id: commit.id.into(),
            is_merge: commit.parents.len() > 1,
            author_key: plumb_model::normalize_email(&commit.author.email).into(),
            author_time: commit.author.time,
            author_class: c.author_class,
            stats: c.record.stats,
            detections: c.detections,
        }
    }
}

/// What [`Store::commits_and_graph`] reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitsAndGraph {
    /// As [`Store::commits_between`] gives them, summarised, in consecutive runs: a
    /// backend that reads its history in shares gives a run per share, so that nothing is
    /// moved to join them ([`CommitsAndGraph::commits`] walks them in order).
    pub commit_runs: Vec<Vec<CommitSummary>>,
    /// As [`Store::commit_graph`] gives it, in consecutive runs likewise
    /// ([`CommitsAndGraph::graph`] walks them in order).
    pub graph_runs: Vec<Vec<GraphCommit>>,
}

impl CommitsAndGraph {
    /// The window's commits, in order.
    pub fn commits(&self) -> impl Iterator<Item = &CommitSummary> {
        self.commit_runs.iter().flatten()
    }

    /// How many commits the window has.
    pub fn commit_count(&self) -> usize {
        self.commit_runs.iter().map(Vec::len).sum()
    }

    /// The graph's nodes, in order.
    pub fn graph(&self) -> impl Iterator<Item = &GraphCommit> {
        self.graph_runs.iter().flatten()
    }

    /// How many nodes the graph has.
    pub fn graph_len(&self) -> usize {
        self.graph_runs.iter().map(Vec::len).sum()
    }
}

/// A saved quarterly scorecard (`plumb snapshot`): what the organisation scored and
/// against which targets, kept so that phase 5 ("≥ 2 saved quarterly scorecard snapshots
/// with targets reviewed between them") can be judged from evidence, and so that a later
/// version of plumb (with other metrics or targets) cannot change what was reported then.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The calendar quarter, `YYYY-Qn` (e.g. `2026-Q3`); one snapshot per quarter.
    pub quarter: String,
    /// The window `[since, until)`, Unix seconds (UTC).
    pub since: i64,
    pub until: i64,
    /// When the snapshot was taken, Unix seconds.
    pub taken_at: i64,
    /// The plumb version that computed it.
    pub tool_version: String,
    /// Whether the targets were reviewed before this snapshot was taken.
    pub targets_reviewed: bool,
    /// Metric id → the target in force, as the report displays it (e.g. `≤ 5%`).
    pub targets: BTreeMap<String, String>,
    /// Dimension name → score (0–100), plus `overall`; `None` where there was no score.
    pub scores: BTreeMap<String, Option<f64>>,
    /// The full JSON report; opaque to the store.
    pub report_json: String,
}

/// What [`Store::save_snapshot`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotSaved {
    /// No snapshot of the quarter was stored before.
    Inserted,
    /// The quarter's earlier snapshot was replaced.
    Replaced,
}

/// One text file of a commit's line survival (see `docs/churn.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChurnFileRow {
    pub path: String,
    pub lines_added: u32,
    /// Of those, lines deleted within the horizon.
    pub lines_churned: u32,
    pub markers_added: u32,
    pub markers_removed: u32,
}

/// The line survival of one commit, computed at its repository's basis tip. A commit with
/// no text files has no file rows and is still a computed commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChurnRow {
    /// The commit id, as stored with the commit.
    pub commit: String,
    /// Whether the figures are final: the history at the tip covered the horizon. A fact
    /// that is not final holds for that tip only (see [`Store::save_churn`]).
    pub horizon_complete: bool,
    /// Its text files, in path order.
    pub files: Vec<ChurnFileRow>,
}

/// A stored [`ChurnRow`] with its repository and its commit's author time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChurn {
    pub repo: RepoId,
    /// Unix seconds, as stored with the commit.
    pub author_time: i64,
    pub row: ChurnRow,
}

/// What a repository's stored line survival facts hold for: the tip of the history they
/// were computed on (and checked against since), the horizon and the version of the
/// line-survival rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChurnBasis {
    pub tip: String,
    pub horizon_secs: i64,
    pub version: u32,
}

/// The store. Implemented once per backend; see the crate docs for the invariants.
pub trait Store {
    /// A human-readable location (file path or URL without password) for messages.
    fn location(&self) -> String;

    /// The repository stored under this canonical path, if any.
    fn repo_by_path(&self, path: &str) -> Result<Option<RepoState>, StoreError>;

    /// Every repository in the store.
    fn repos(&self) -> Result<Vec<RepoState>, StoreError>;

    /// Registers a repository (or returns the existing one) under its canonical path.
    fn ensure_repo(&mut self, name: &str, path: &str) -> Result<RepoState, StoreError>;

    /// Ids of every commit stored for the repository.
    fn stored_commit_ids(&self, repo: RepoId) -> Result<HashSet<String>, StoreError>;

    /// Stores a batch of commits in one transaction; commits already stored are left as
    /// they are.
    fn write_commits(&mut self, repo: RepoId, batch: &[IngestedCommit]) -> Result<(), StoreError>;

    /// Records that every commit reachable from `head` is stored, with the provenance
    /// fingerprint used.
    fn finish_ingest(
        &mut self,
        repo: RepoId,
        head: Option<&str>,
        fingerprint: &str,
    ) -> Result<(), StoreError>;

    /// Every stored commit of the repository with its metadata (file lists are not
    /// loaded), for recomputing provenance.
    fn commits_of_repo(&self, repo: RepoId) -> Result<Vec<CommitRecord>, StoreError>;

    /// Replaces the provenance of stored commits in one transaction and records the
    /// fingerprint it was computed with.
    fn replace_provenance(
        &mut self,
        repo: RepoId,
        changes: &[Reclassified],
        fingerprint: &str,
    ) -> Result<(), StoreError>;

    /// Whole-history totals of the repository.
    fn repo_totals(&self, repo: RepoId) -> Result<RepoTotals, StoreError>;

    /// The newest author time (Unix seconds) among the given repositories' commits.
    fn newest_commit_time(&self, repos: &[RepoId]) -> Result<Option<i64>, StoreError>;

    /// Commits of the given repositories whose author time is in `[since, until)`, each
    /// with its files in path order and its detections.
    fn commits_between(
        &self,
        repos: &[RepoId],
        since: i64,
        until: i64,
    ) -> Result<Vec<StoredCommit>, StoreError>;

    /// Records a gate decision.
    fn record_gate_decision(&mut self, d: &GateDecisionRow) -> Result<(), StoreError>;

    /// Every recorded gate decision, oldest first.
    fn gate_decisions(&self) -> Result<Vec<GateDecisionRow>, StoreError>;

    /// Writes records of one kind in one transaction: a key not stored is inserted, a key
    /// stored with other values is updated, the rest is left alone. With `dry_run`, nothing
    /// is written but the changes are counted the same way. Every record must be of `kind`.
    /// `source` names where the records came from (a file), for the store's history.
    fn write_records(
        &mut self,
        kind: RecordKind,
        records: &[KeyedRecord],
        source: &str,
        dry_run: bool,
    ) -> Result<RecordChanges, StoreError>;

    /// Every stored record of a kind, in key order.
    fn records(&self, kind: RecordKind) -> Result<Vec<KeyedRecord>, StoreError>;

    /// The records [`Store::records`] gives, without their keys, as the kind's own type: what
    /// a report reads. A record of another kind stored under `kind` is an error.
    fn record_list(&self, kind: RecordKind) -> Result<RecordList, StoreError> {
        let mut list = RecordList::new(kind);
        for r in self.records(kind)? {
            list.push(r.record).map_err(|other| StoreError::Corrupt {
                context: format!("{kind} record {:?}", r.key),
                message: format!("the payload holds a {other} record"),
            })?;
        }
        Ok(list)
    }

    /// How many records of each kind are stored (kinds with none are absent).
    fn record_counts(&self) -> Result<BTreeMap<RecordKind, u64>, StoreError>;

    /// Every stored commit of every repository as a graph node.
    fn commit_graph(&self) -> Result<Vec<GraphCommit>, StoreError>;

    /// [`Store::commits_between`] (summarised: see [`CommitSummary`]) and
    /// [`Store::commit_graph`] at once, as a report reads them. A backend can give both
    /// from one pass over the stored commits, since the window's commits are graph nodes
    /// too, and skip the columns no metric reads.
    fn commits_and_graph(
        &self,
        repos: &[RepoId],
        since: i64,
        until: i64,
    ) -> Result<CommitsAndGraph, StoreError> {
        Ok(CommitsAndGraph {
            commit_runs: vec![
                self.commits_between(repos, since, until)?
                    .into_iter()
                    .map(CommitSummary::from)
                    .collect(),
            ],
            graph_runs: vec![self.commit_graph()?],
        })
    }

    /// Saves a quarter's snapshot in one transaction. When the quarter already has one,
    /// it is replaced if `replace` is set, and otherwise left exactly as it was and
    /// [`StoreError::SnapshotExists`] is returned.
    fn save_snapshot(
        &mut self,
        snapshot: &Snapshot,
        replace: bool,
    ) -> Result<SnapshotSaved, StoreError>;

    /// Every saved snapshot, ordered by quarter.
    fn snapshots(&self) -> Result<Vec<Snapshot>, StoreError>;

    /// What the repository's stored line survival facts hold for; `None` before the first
    /// [`save_churn`](Store::save_churn).
    fn churn_basis(&self, repo: RepoId) -> Result<Option<ChurnBasis>, StoreError>;

    /// The stored line survival facts (final or not) of the given repositories' commits
    /// authored in `[since, until)`, in commit order.
    fn churn_facts(
        &self,
        repos: &[RepoId],
        since: i64,
        until: i64,
    ) -> Result<Vec<StoredChurn>, StoreError>;

    /// The non-merge commits of the given repositories authored in `[since, until)` with no
    /// line survival facts stored: `(repository, commit id)`, in commit order.
    fn churn_missing(
        &self,
        repos: &[RepoId],
        since: i64,
        until: i64,
    ) -> Result<Vec<(RepoId, String)>, StoreError>;

    /// In one transaction: when `basis` is not the stored basis, deletes the repository's
    /// facts that are not final (they hold only for the tip they were computed at); deletes
    /// its facts of commits authored at or after `stale_from` (`None` keeps the final
    /// ones); stores `facts` (a commit's earlier fact is replaced, final or not; a commit
    /// not stored for the repository is skipped) and records `basis`. Saving the same facts
    /// twice changes nothing. Returns how many commits were saved.
    fn save_churn(
        &mut self,
        repo: RepoId,
        basis: &ChurnBasis,
        stale_from: Option<i64>,
        facts: &[ChurnRow],
    ) -> Result<u64, StoreError>;
}
