//! The linked organisation: every imported record joined once to people, repositories,
//! commits and each other through `plumb-link`, and reduced to the facts the metrics read
//! (when a pull request was ready, approved, tested and shipped; when a work item was
//! delivered; which deployments failed and when each was restored).
//!
//! # Why once, and why window-free
//!
//! Links do not depend on the window: a pull request shipped by a deployment is shipped
//! whatever period a report looks at. So the organisation is built once per [`compute`]
//! call, and every metric is a function of it and a [`Window`] — the report's window, the
//! baseline window before it, or a month of the ROI series — with nothing rebuilt. Every
//! per-record fact is precomputed here with indices (reviews by pull request, checks by
//! repository and sha), so no metric walks pull requests × checks.
//!
//! [`compute`]: crate::compute

use crate::adoption::{self, Figure, GitFigures};
use crate::flow::Stages;
use crate::paths::PathFilter;
use crate::quality::{is_ui, touches_docs};
use crate::stats::secs;
use crate::{Dataset, MetricsConfig, Window};
use foldhash::{HashMap, HashMapExt, HashSet};
use jiff::SignedDuration;
use plumb_link::{
    CommitGraph, CommitIx, Identities, LinkInput, Links, Reason, RepoNames, link, lower_id,
};
use plumb_model::records::{
    Check, CheckConclusion, DeployKind, DeployStatus, Deployment, Finding, FindingKind,
    PullRequest, Review, ReviewState, WorkItem,
};
use plumb_model::{IdentityClass, normalize_email};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// Label tokens that mark a pull request as AI-assisted. Labels are split into words at
/// every character that is not a letter or digit, so `ai-assisted` and `AI: Claude` match
/// and `maintainer` or `rain` do not.
const AI_LABEL_TOKENS: &[&str] = &[
    "ai", "genai", "copilot", "claude", "cursor", "aider", "codex", "chatgpt", "gpt", "openai",
    "llm", "devin", "windsurf", "codeium", "gemini", "tabnine",
];

/// How a pull request is known to be AI-assisted; several can hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PrAi {
    /// One of its linked commits is AI-assisted (a git signature or an AI agent author).
    pub commits: bool,
    /// A label carries an AI token.
    pub label: bool,
    /// Its body carries a marker (`Generated with Claude Code`).
    pub marker: bool,
}

impl PrAi {
    pub(crate) fn any(self) -> bool {
        self.commits || self.label || self.marker
    }
}

/// A pull request reduced to the instants the flow metrics need, in Unix seconds.
#[derive(Debug, Clone)]
pub(crate) struct Pr<'a> {
    pub rec: &'a PullRequest,
    /// The author's person key; `None` for bots.
    pub author: Option<String>,
    /// `author` as an index into [`Org::people`].
    pub person: Option<u32>,
    /// The author's team, from the roster.
    pub team: Option<String>,
    pub created: i64,
    /// Ready for review: `ready_at`, else `created_at`.
    pub ready: i64,
    pub merged: Option<i64>,
    pub ai: PrAi,
    /// Reviews by people other than the author, by time.
    pub reviews: Vec<&'a Review>,
    /// The last approval at or before the merge (for an open request, the last one).
    pub approval: Option<i64>,
    pub first_review: Option<i64>,
    pub changes_requested: bool,
    /// Distinct reviewers other than the author (bots excluded).
    pub reviewers: usize,
    /// Tests passing: the last successful required check on the head commit that completed
    /// by the merge, but not before the approval (a check that passed earlier counts as
    /// passing at the approval).
    pub tests_passing: Option<i64>,
    /// The first successful production deployment that shipped the merge commit (or, when
    /// the merge commit is not in the history, all of its commits).
    pub shipped: Option<i64>,
    /// Requirements start: the earliest `started_at` (else `created_at`) of its linked
    /// work items.
    pub work_start: Option<i64>,
    /// The earliest author time of its commits.
    pub first_commit: Option<i64>,
}

/// Which rule gave a work item's delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Via {
    /// `released_at`.
    Released,
    /// The first successful production deployment that shipped every merged linked pull
    /// request (the latest of them).
    Deployment,
    /// `done_at`, when neither a release nor a deployment is known.
    Done,
}

/// A work item with its delivery.
#[derive(Debug, Clone)]
pub(crate) struct Item<'a> {
    pub rec: &'a WorkItem,
    pub created: i64,
    pub delivered: Option<(i64, Via)>,
    /// The item's `team`, else the team of the author of a pull request linked to it.
    pub team: Option<String>,
}

impl Item<'_> {
    pub(crate) fn delivered_in(&self, w: &Window) -> bool {
        self.delivered.is_some_and(|(t, _)| w.contains(t))
    }
}

/// A deployment with what linking found about it.
#[derive(Debug, Clone)]
pub(crate) struct Deploy<'a> {
    pub rec: &'a Deployment,
    pub finished: i64,
    pub production: bool,
    pub successful: bool,
    /// Every reason it counts as failed; empty when it did not fail.
    pub failure: Vec<Reason>,
    /// For a failed deployment: when the next successful deployment of its repository and
    /// environment finished (service restored).
    pub restored: Option<i64>,
}

impl Deploy<'_> {
    pub(crate) fn failed(&self) -> bool {
        !self.failure.is_empty()
    }

    /// A hotfix or a rollback: unplanned work to fix a defect (DORA's rework).
    pub(crate) fn unplanned(&self) -> bool {
        matches!(
            self.rec.kind,
            Some(DeployKind::Hotfix | DeployKind::Rollback)
        )
    }
}

/// What the metrics read of one commit of [`Dataset::commits`] in every window, worked
/// out once per report rather than once per window.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CommitMemo {
    /// Lines added outside generated, vendored and lock files ([`PathFilter`]).
    pub added: u64,
    /// Lines deleted outside them.
    pub deleted: u64,
    /// [`Org::actor`] of the author key, as an index into [`Org::people`].
    pub actor: Option<u32>,
    /// The commit is AI-assisted (in [`Org::ai_commits`]).
    pub ai: bool,
    /// Author time, Unix seconds: a window's commits are found by reading these small
    /// memos rather than the large commits themselves.
    pub time: i64,
    /// The commit changes documentation (`quality::touches_docs`).
    pub docs: bool,
    /// The commit changes a UI file (`quality::is_ui`).
    pub ui: bool,
}

/// What the churn metrics read of one line-survival fact, worked out once.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ChurnMemo {
    /// The commit is a non-merge commit of the dataset whose author is not a bot.
    pub counted: bool,
    /// The commit is AI-assisted.
    pub ai: bool,
    /// Sums over the files outside generated, vendored and lock files.
    pub added: u64,
    pub churned: u64,
    pub markers_added: u64,
    pub markers_removed: u64,
}

/// Whether a reference (email or login) is a bot or an AI agent rather than a person:
/// it says `[bot]`, or the dataset's commits class its author as no person (`non_people`).
fn is_bot(non_people: &HashSet<String>, reference: &str) -> bool {
    let lower = reference.trim().to_lowercase();
    lower.contains("[bot]") || non_people.contains(&lower)
}

/// [`Org::actor`], given the identities and the non-people of the dataset's commits.
fn actor(ids: &Identities, non_people: &HashSet<String>, reference: &str) -> Option<String> {
    let r = reference.trim();
    if r.is_empty() || is_bot(non_people, r) {
        return None;
    }
    Some(
        ids.resolve(r)
            .map_or_else(|| normalize_email(r), |id| ids.key(id).to_string()),
    )
}

/// The memos that need only the dataset, the identities and which commits are
/// AI-assisted (not the links): filled while another thread links.
struct DataMemos {
    commit_memo: Vec<CommitMemo>,
    commit_by_time: Vec<(i64, u32)>,
    /// (author time, person) of every non-merge commit by a person, sorted
    /// ([`Org::authored`]).
    authored: Vec<(i64, u32)>,
    usage_actor: Vec<Option<u32>>,
    usage_user: Vec<Option<u32>>,
    people: Vec<String>,
    /// Each person key's index in `people`.
    person_index: HashMap<String, u32>,
    churn_memo: Vec<ChurnMemo>,
    usage_days: Vec<(i64, usize)>,
    findings: FindingsByKind,
}

impl DataMemos {
    /// Every author resolved once (as [`Org::actor`] resolves them): who each commit, node
    /// and usage row is, on this thread; the churn memo and the usage days on another.
    fn of<'a>(
        data: &'a Dataset,
        ids: &Identities,
        non_people: &HashSet<String>,
        ai_commits: &HashSet<Cow<'a, str>>,
        sums: LineSums,
    ) -> DataMemos {
        let LineSums {
            commits: commit_sums,
            churn: churn_sums,
        } = sums;
        std::thread::scope(|s| {
            let other = s.spawn(|| {
                let churn_memo = match &data.churn {
                    None => Vec::new(),
                    Some(facts) => {
                        let mut class: HashMap<&str, &IdentityClass> =
                            HashMap::with_capacity(data.commits.len());
                        class.extend(
                            data.commits
                                .iter()
                                .filter(|c| !c.is_merge)
                                .map(|c| (c.id.as_ref(), &c.author_class)),
                        );
                        facts
                            .iter()
                            .zip(churn_sums)
                            .map(|(f, [added, churned, markers_added, markers_removed])| {
                                ChurnMemo {
                                    counted: class
                                        .get(f.commit.as_str())
                                        .is_some_and(|c| !matches!(c, IdentityClass::Bot)),
                                    ai: ai_commits.contains(f.commit.as_str()),
                                    added,
                                    churned,
                                    markers_added,
                                    markers_removed,
                                }
                            })
                            .collect()
                    }
                };
                let mut usage_days: Vec<(i64, usize)> = data
                    .records
                    .ai_usage
                    .iter()
                    .enumerate()
                    .map(|(i, u)| (crate::stats::day_start(u.date), i))
                    .collect();
                usage_days.sort_unstable();
                (
                    churn_memo,
                    usage_days,
                    findings_by_kind(&data.records.findings),
                )
            });
            let mut actors: HashMap<&str, Option<u32>> = HashMap::new();
            let mut index: HashMap<String, u32> = HashMap::new();
            let mut people: Vec<String> = Vec::new();
            // The last reference and its actor: a person's usage rows of a day follow each
            // other.
            let mut last: Option<(&'a str, Option<u32>)> = None;
            let mut actor_of = |reference: &'a str| -> Option<u32> {
                if let Some((r, a)) = last
                    && r == reference
                {
                    return a;
                }
                let a = *actors.entry(reference).or_insert_with(|| {
                    let key = actor(ids, non_people, reference)?;
                    Some(*index.entry(key).or_insert_with_key(|k| {
                        people.push(k.clone());
                        u32::try_from(people.len() - 1).unwrap_or(u32::MAX)
                    }))
                });
                last = Some((reference, a));
                a
            };
            let commit_memo: Vec<CommitMemo> = data
                .commits
                .iter()
                .zip(commit_sums)
                .map(|(c, sums)| CommitMemo {
                    added: sums.added,
                    deleted: sums.deleted,
                    actor: actor_of(&c.author_key),
                    ai: ai_commits.contains(c.id.as_ref()),
                    time: c.time.seconds,
                    docs: sums.docs,
                    ui: sums.ui,
                })
                .collect();
            let commit_by_time = by_time(commit_memo.iter().map(|m| Some(m.time)));
            // Who authored what, by time: the dataset's commits, then the history's nodes.
            let mut authored: Vec<(i64, u32)> = data
                .commits
                .iter()
                .zip(&commit_memo)
                .filter(|(c, _)| !c.is_merge && c.author_class == IdentityClass::Person)
                .filter_map(|(c, m)| Some((c.time.seconds, m.actor?)))
                .collect();
            for n in &data.graph {
                // Every node's author is resolved, as before, so that `people` keeps its order.
                let a = actor_of(&n.author_email);
                if n.parents.len() <= 1
                    && let Some(a) = a
                {
                    authored.push((n.author_time, a));
                }
            }
            authored.sort_unstable();
            let rows = data.records.ai_usage.len();
            let (mut usage_actor, mut usage_user) =
                (Vec::with_capacity(rows), Vec::with_capacity(rows));
            for u in &data.records.ai_usage {
                let actor = match &u.who {
                    plumb_model::records::UsageSubject::Person(p) => actor_of(p),
                    _ => None,
                };
                usage_actor.push(actor);
                usage_user.push(actor.filter(|_| crate::usage::used(u)));
            }
            let (churn_memo, usage_days, findings) = match other.join() {
                Ok(done) => done,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            DataMemos {
                commit_memo,
                commit_by_time,
                authored,
                usage_actor,
                usage_user,
                people,
                person_index: index,
                churn_memo,
                usage_days,
                findings,
            }
        })
    }
}

/// Line counts outside generated, vendored and lock files ([`PathFilter`]), and whether a
/// commit touches documentation or UI files, each distinct path judged once.
struct LineSums {
    /// Per entry of `data.commits`.
    commits: Vec<CommitSums>,
    /// Per entry of `data.churn`: lines added, churned, markers added, markers removed.
    churn: Vec<[u64; 4]>,
}

/// A commit's lines added and deleted outside excluded files, and whether any of its files
/// is documentation ([`touches_docs`]) or UI ([`is_ui`]), excluded or not.
#[derive(Debug, Clone, Copy, Default)]
struct CommitSums {
    added: u64,
    deleted: u64,
    docs: bool,
    ui: bool,
}

/// What a path is: counted (not excluded), documentation, UI.
#[derive(Debug, Clone, Copy)]
struct PathKind {
    counts: bool,
    docs: bool,
    ui: bool,
}

impl LineSums {
    fn of<'d>(data: &'d Dataset, config: &MetricsConfig) -> LineSums {
        let filter = PathFilter::new(&config.excluded_paths);
        let mut judged: HashMap<&'d str, PathKind> = HashMap::new();
        let mut judge = |path: &'d str| -> PathKind {
            *judged.entry(path).or_insert_with(|| PathKind {
                counts: !filter.excludes(path),
                docs: touches_docs(path),
                ui: is_ui(path),
            })
        };
        let commits = data
            .commits
            .iter()
            .map(|c| {
                let mut sums = CommitSums::default();
                for f in &c.files {
                    let kind = judge(&f.path);
                    if kind.counts {
                        sums.added += f.stats.added();
                        sums.deleted += f.stats.deleted();
                    }
                    sums.docs |= kind.docs;
                    sums.ui |= kind.ui;
                }
                sums
            })
            .collect();
        let churn = data.churn.as_deref().unwrap_or_default().iter().map(|f| {
            f.files
                .iter()
                .filter(|x| judge(&x.path).counts)
                .fold([0; 4], |[a, c, ma, mr], x| {
                    [
                        a + u64::from(x.lines_added),
                        c + u64::from(x.lines_churned),
                        ma + u64::from(x.markers_added),
                        mr + u64::from(x.markers_removed),
                    ]
                })
        });
        LineSums {
            commits,
            churn: churn.collect(),
        }
    }
}

/// A person's skill assessments: (date, score), by date.
pub(crate) type Assessments = Vec<(jiff::civil::Date, f64)>;

/// The linked organisation; see the module documentation.
pub(crate) struct Org<'a> {
    pub data: &'a Dataset,
    pub config: &'a MetricsConfig,
    pub ids: Identities,
    pub links: Links,
    /// AI-assisted commit ids, lower case.
    pub ai_commits: HashSet<Cow<'a, str>>,
    /// Per commit of the graph the links were made with (by [`CommitIx::index`]): whether
    /// its id is in `ai_commits`.
    ai_graph: Vec<bool>,
    pub prs: Vec<Pr<'a>>,
    pub items: Vec<Item<'a>>,
    pub deploys: Vec<Deploy<'a>>,
    /// Author keys git classified as bots or AI agents: never people.
    non_people: HashSet<String>,
    /// What linking noticed (unlinked records, unknown repositories), for the notes.
    pub notes: Vec<String>,
    /// Per entry of `data.commits`, in the same order.
    pub commit_memo: Vec<CommitMemo>,
    /// (author time, entry of `data.commits`) of every commit, sorted: a window's commits
    /// are a range of it, found by two binary searches rather than a pass over all.
    commit_by_time: Vec<(i64, u32)>,
    /// (merged, entry of `prs`) of every merged pull request, sorted.
    pr_by_merge: Vec<(i64, u32)>,
    /// (created, entry of `prs`) of every pull request, sorted.
    pr_by_created: Vec<(i64, u32)>,
    /// (delivered, entry of `items`) of every delivered work item, sorted.
    item_by_delivery: Vec<(i64, u32)>,
    /// (created, entry of `items`) of every work item, sorted.
    item_by_created: Vec<(i64, u32)>,
    /// Per kind of finding: (first seen, last seen, row of `data.records.findings`) of
    /// each, sorted by first seen.
    findings: FindingsByKind,
    /// (submitted, author's team, reviewer's team) of every review in `prs`, by time;
    /// teams as indices, equal for the same team.
    pub review_teams: Vec<(i64, Option<u32>, Option<u32>)>,
    /// (author time, when it first reached production) of every
    /// non-merge node of `data.graph`, sorted by author time.
    pub graph_shipped: Vec<(i64, Option<i64>)>,
    /// Per row of `data.records.ai_usage`: [`Org::actor`] of its person, for rows about a
    /// person, as an index into `people`.
    pub usage_actor: Vec<Option<u32>>,
    /// Per row of `data.records.ai_usage`: its `usage_actor` when the row shows use
    /// (`usage::used`).
    usage_user: Vec<Option<u32>>,
    /// (day start, row) of every row of `data.records.ai_usage`, sorted by day.
    pub usage_days: Vec<(i64, usize)>,
    /// Per entry of `data.churn`, in the same order.
    pub churn_memo: Vec<ChurnMemo>,
    /// The person keys the memos point into.
    pub people: Vec<String>,
    /// (author time, person) of every non-merge commit by a person, from the dataset's
    /// commits and the stored history, sorted by time (a commit in both is there twice).
    pub authored: Vec<(i64, u32)>,
    /// Per team: when each of its feature work items was delivered, sorted.
    pub feature_deliveries: HashMap<String, Vec<i64>>,
    /// What several metrics of one window read, worked out once per window (a scorecard
    /// asks for its window's stages a dozen times: each stage, the bottleneck, the
    /// baselines, the ROI).
    windows: Mutex<HashMap<(i64, i64), Arc<WindowMemo>>>,
    /// The feature work items by trimmed key (entries of `items`), made when first asked
    /// for ([`Org::features_by_key`]).
    features_by_key: OnceLock<HashMap<&'a str, Vec<u32>>>,
    /// Each person's skill assessments, made when first asked for
    /// ([`Org::skills_by_person`]).
    skills_by_person: OnceLock<Vec<(String, Assessments)>>,
}

/// The commit graph of a dataset as a caller gives it: asked for, it waits until the graph
/// is indexed (the caller may index it on another thread meanwhile); `None` when it could
/// not be (the graph is then indexed here).
pub type GraphSource<'g> = &'g (dyn Fn() -> Option<&'g CommitGraph> + Sync);

/// What [`Org`] keeps of a window, each part worked out when first asked for.
#[derive(Default)]
pub(crate) struct WindowMemo {
    /// Positions in `data.commits` of the window's commits, in order.
    commits: OnceLock<Arc<[usize]>>,
    /// Positions in `prs` of the pull requests merged in the window, in order.
    prs_merged: OnceLock<Arc<[usize]>>,
    /// Positions in `items` of the work items delivered in the window, in order.
    items_delivered: OnceLock<Arc<[usize]>>,
    /// Positions in `items` of the work items created in the window, in order.
    items_created: OnceLock<Arc<[usize]>>,
    stages: OnceLock<Stages>,
    active: OnceLock<u64>,
    changed_lines: OnceLock<(u64, u64)>,
    git: OnceLock<GitFigures>,
    /// Each figure asked for, by metric id (the insights read again what the scorecard
    /// and its baselines computed).
    figures: Mutex<HashMap<String, Option<Result<Figure, String>>>>,
}

impl WindowMemo {
    /// [`adoption::analyse`] of the window.
    pub(crate) fn git(&self, org: &Org<'_>, w: &Window) -> &GitFigures {
        self.git.get_or_init(|| adoption::analyse(org, w))
    }

    /// The figure of a metric over the window: `compute`'s, the first time it is asked for.
    pub(crate) fn figure(
        &self,
        id: &str,
        compute: impl FnOnce() -> Option<Result<Figure, String>>,
    ) -> Option<Result<Figure, String>> {
        let lock = || self.figures.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(known) = lock().get(id) {
            return known.clone();
        }
        // Computed without the lock, so that other figures of the window go on meanwhile;
        // two jobs asking at once both compute the same value.
        let computed = compute();
        lock().insert(id.to_string(), computed.clone());
        computed
    }
}

impl<'a> Org<'a> {
    /// Links the dataset; `graph`, when given, is its commit graph already indexed
    /// (`CommitGraph::from_nodes(&data.graph)`), else it is indexed here.
    pub(crate) fn build(
        data: &'a Dataset,
        config: &'a MetricsConfig,
        graph: Option<GraphSource<'_>>,
    ) -> Org<'a> {
        let rec = &data.records;
        let ids = Identities::build(&rec.people, &rec.teams, &data.config_teams);
        // Hundreds of thousands of commits, a few hundred repositories.
        // A history lists a repository's commits together: a name is hashed once per run.
        let mut distinct: HashSet<&str> = HashSet::default();
        let mut last = None;
        for repo in (data.graph.iter().map(|n| n.repo.as_ref()))
            .chain(data.commits.iter().map(|c| c.repo.as_ref()))
        {
            if last != Some(repo) {
                distinct.insert(repo);
                last = Some(repo);
            }
        }
        let mut repo_names: Vec<String> = distinct.into_iter().map(str::to_string).collect();
        repo_names.sort_unstable();
        let repos = RepoNames::new(&repo_names);
        // The indexed graph: the caller's (which may still be indexing it: asking waits),
        // else indexed here, once, by whichever thread asks first.
        let built: OnceLock<CommitGraph> = OnceLock::new();
        let graph_of = || -> &CommitGraph {
            match graph.and_then(|g| g()) {
                Some(graph) => graph,
                None => built.get_or_init(|| CommitGraph::from_nodes(&data.graph)),
            }
        };
        let hours = i64::try_from(config.incident_link_window_days)
            .unwrap_or(i64::MAX / 24)
            .saturating_mul(24);
        // Repository names and actors repeat across hundreds of thousands of records:
        // each distinct reference is resolved once.
        // Each thread makes its own resolver, with its own memo.
        let canonical_fn = || Canonical::new(&repos);
        let canonical = canonical_fn();
        // A sha as the history names it (full, lower case) when the history has it.
        // Linking is long on a large history and needs nothing of what follows until the
        // pull requests: this thread judges the changed paths, fills the memos that need no
        // link and indexes the reviews and checks while another links (once the graph is
        // indexed: all but the checks and which commits are AI-assisted go on meanwhile).
        let (links, memos, non_people, ai_commits, ai_graph, reviews_of, checks_of) =
            std::thread::scope(|s| {
                let linking = s.spawn(|| {
                    let mut input = LinkInput::new(graph_of(), &repos);
                    input.work_items = &rec.work_items;
                    input.pull_requests = &rec.pull_requests;
                    input.deployments = &rec.deployments;
                    input.incidents = &rec.incidents;
                    input.incident_window = SignedDuration::from_hours(hours);
                    link(&input)
                });
                let sums = LineSums::of(data, config);
                let non_people: HashSet<String> = data
                    .commits
                    .iter()
                    .filter(|c| c.author_class != IdentityClass::Person)
                    .map(|c| normalize_email(&c.author_key))
                    .collect();
                let ai_commits: HashSet<Cow<'a, str>> =
                    data.ai_assisted.iter().map(|s| lower_id(s)).collect();
                // Reviews by (repository, number); checks by (repository, full sha).
                // Sized for a key per pull request (a review and a check name one), rather
                // than grown and rehashed.
                let prs = rec.pull_requests.len();
                let mut reviews_of: HashMap<(&str, u64), Vec<&'a Review>> =
                    HashMap::with_capacity(prs.min(rec.reviews.len()));
                group_into(
                    &mut reviews_of,
                    rec.reviews
                        .iter()
                        .map(|r| ((canonical.of(&r.repo), r.number), r)),
                );
                let memos = DataMemos::of(data, &ids, &non_people, &ai_commits, sums);
                let graph = graph_of();
                // Which commits are AI-assisted, per commit of the graph (the links name
                // commits by number).
                let ai_graph: Vec<bool> = graph
                    .commits()
                    .map(|c| ai_commits.contains(graph.id(c)))
                    .collect();
                let mut checks_of: HashMap<(&str, Cow<'_, str>), Vec<&'a Check>> =
                    HashMap::with_capacity(prs.min(rec.checks.len()));
                group_into(
                    &mut checks_of,
                    rec.checks.iter().map(|c| {
                        let repo = canonical.of(&c.repo);
                        ((repo, full_sha(graph, repo, &c.sha)), c)
                    }),
                );
                (
                    linking.join(),
                    memos,
                    non_people,
                    ai_commits,
                    ai_graph,
                    reviews_of,
                    checks_of,
                )
            });
        let mut links = match links {
            Ok(links) => links,
            Err(panic) => std::panic::resume_unwind(panic),
        };

        let graph = graph_of();
        let mut notes: Vec<String> = Vec::new();
        notes.extend(ids.notes().iter().cloned());
        notes.extend(graph.notes().iter().cloned());
        notes.extend(links.notes.iter().cloned());

        // Deployments, on this thread; when each commit of the graph and each node of the
        // stored history first reached production, on another.
        let first_production = std::mem::take(&mut links.first_production);
        let links_read = &links;
        let (deploys, (shipped, graph_shipped)) = std::thread::scope(|s| {
            let shipping = s.spawn(|| {
                let finished_of: HashMap<&str, i64> = rec
                    .deployments
                    .iter()
                    .map(|d| (d.id.trim(), secs(d.finished_at)))
                    .collect();
                // By commit number.
                let finished: Vec<Option<i64>> = links_read
                    .deployments
                    .iter()
                    .map(|d| finished_of.get(d.deployment.trim()).copied())
                    .collect();
                let shipped: Vec<Option<i64>> = first_production
                    .into_iter()
                    .map(|d| finished.get(d? as usize).copied().flatten())
                    .collect();
                // … and per node of the stored history, in its order.
                // (author time, when it first reached production) of every non-merge node
                // of the stored history, sorted.
                let mut graph_shipped: Vec<(i64, Option<i64>)> = (data.graph.iter().enumerate())
                    .filter(|(_, n)| n.parents.len() <= 1)
                    .map(|(i, n)| {
                        let at = graph.of_node(i).and_then(|c| shipped.get(c.index()));
                        (n.author_time, at.copied().flatten())
                    })
                    .collect();
                graph_shipped.sort_unstable();
                (shipped, graph_shipped)
            });
            let mut deploys: Vec<Deploy<'a>> = rec
                .deployments
                .iter()
                .map(|d| {
                    let l = links_read
                        .deployment(d.id.trim())
                        .or_else(|| links_read.deployment(&d.id));
                    Deploy {
                        rec: d,
                        finished: secs(d.finished_at),
                        production: l.is_some_and(|l| l.production),
                        successful: d.status == DeployStatus::Success,
                        failure: l.map(|l| l.failure.clone()).unwrap_or_default(),
                        restored: None,
                    }
                })
                .collect();
            restore_times(&mut deploys, &canonical);
            match shipping.join() {
                Ok(done) => (deploys, done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        });
        let shipped_at = |c: CommitIx| -> Option<i64> { shipped.get(c.index()).copied().flatten() };

        let actor_fn = || {
            let (ids, non_people) = (&ids, &non_people);
            let memo: RefCell<HashMap<&'a str, Option<Rc<str>>>> = RefCell::default();
            move |reference: &'a str| -> Option<Rc<str>> {
                if let Some(a) = memo.borrow().get(reference) {
                    return a.clone();
                }
                let a = actor(ids, non_people, reference).map(Rc::from);
                memo.borrow_mut().insert(reference, a.clone());
                a
            }
        };

        // Pull requests, first without their work items: in two halves, on two threads
        // (results in record order).
        let make_prs = |chunk: &'a [PullRequest], capacity: usize| -> Vec<Pr<'a>> {
            let canonical = canonical_fn();
            let actor = actor_fn();
            let mut prs: Vec<Pr<'a>> = Vec::with_capacity(capacity);
            for p in chunk {
                let repo = canonical.of(&p.repo);
                let merged = p.merged_at.map(secs);
                let author = actor(&p.author);
                let pc = links.pr_commits_at(p.repo.trim(), p.number);
                let ai = PrAi {
                    commits: pc.is_some_and(|c| {
                        (c.commits.iter().chain(&c.merge_commit))
                            .any(|x| ai_graph.get(x.index()).copied().unwrap_or(false))
                    }),
                    label: p.labels.iter().any(|l| ai_label(l)),
                    marker: p.body_markers.iter().any(|m| !m.trim().is_empty()),
                };

                let mut reviews: Vec<&'a Review> = reviews_of
                    .get(&(repo, p.number))
                    .map(|v| {
                        v.iter()
                            .copied()
                            .filter(|r| {
                                let who = actor(&r.reviewer);
                                who.is_some() && who != author
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                reviews.sort_by_key(|r| r.submitted_at);
                let before_merge = |t: i64| merged.is_none_or(|m| t <= m);
                let approval = reviews
                    .iter()
                    .filter(|r| r.state == ReviewState::Approved)
                    .map(|r| secs(r.submitted_at))
                    .filter(|t| before_merge(*t))
                    .max();
                let first_review = reviews.first().map(|r| secs(r.submitted_at));
                let changes_requested = reviews
                    .iter()
                    .any(|r| r.state == ReviewState::ChangesRequested);
                let reviewers = reviews
                    .iter()
                    .filter_map(|r| actor(&r.reviewer))
                    .collect::<BTreeSet<_>>()
                    .len();

                let head_checks: &[&Check] = p
                    .head_sha
                    .as_deref()
                    .and_then(|sha| checks_of.get(&(repo, full_sha(graph, repo, sha))))
                    .map_or(&[], Vec::as_slice);
                let required: Vec<&Check> = head_checks
                    .iter()
                    .copied()
                    .filter(|c| c.required == Some(true))
                    .collect();
                let relevant: &[&Check] = if required.is_empty() {
                    head_checks
                } else {
                    &required
                };
                let last_success = relevant
                    .iter()
                    .filter(|c| c.conclusion == CheckConclusion::Success)
                    .map(|c| secs(c.completed_at))
                    .filter(|t| before_merge(*t))
                    .max();
                let tests_passing = last_success.map(|t| approval.map_or(t, |a| a.max(t)));

                let shipped = pc.and_then(|c| {
                    if let Some(m) = c.merge_commit {
                        return shipped_at(m);
                    }
                    if c.commits.is_empty() {
                        return None;
                    }
                    c.commits
                        .iter()
                        .map(|&x| shipped_at(x))
                        .collect::<Option<Vec<i64>>>()?
                        .into_iter()
                        .max()
                });

                let team = author
                    .as_deref()
                    .and_then(|a| ids.resolve(a))
                    .and_then(|id| ids.team_of(id))
                    .map(str::to_string);
                prs.push(Pr {
                    rec: p,
                    team,
                    author: author.as_deref().map(str::to_string),
                    created: secs(p.created_at),
                    ready: secs(p.ready_at.unwrap_or(p.created_at)),
                    merged,
                    ai,
                    reviews,
                    approval,
                    first_review,
                    changes_requested,
                    reviewers,
                    tests_passing,
                    shipped: shipped.filter(|_| merged.is_some()),
                    work_start: None,
                    person: None,
                    first_commit: pc.and_then(|c| c.first_commit_at).map(secs),
                });
            }
            prs
        };
        // Each half with the room its list needs: the first's has room for all, so only
        // the second half is moved, into it.
        let all = rec.pull_requests.len();
        let halves: Vec<(&'a [PullRequest], usize)> = rec
            .pull_requests
            .chunks(all.div_ceil(2).max(1))
            .enumerate()
            .map(|(i, half)| (half, if i == 0 { all } else { half.len() }))
            .collect();
        let mut done = crate::par::map(&halves, |&(half, room)| make_prs(half, room)).into_iter();
        let mut prs: Vec<Pr<'a>> = done.next().unwrap_or_default();
        for rest in done {
            prs.extend(rest);
        }
        // Who reviewed whom, on another thread; the work items and their delivery, on this
        // one.
        let prs_read = &prs;
        // Each list sorted by time (`by_time`) on the thread that has what it needs.
        let ((review_teams, pr_by_merge, pr_by_created), (items, items_of_pr, item_start)) =
            std::thread::scope(|s| {
                let teams = s.spawn(|| {
                    let actor = actor_fn();
                    let prs = prs_read;
                    // Every review of a pull request with its author's and its reviewer's team (as
                    // indices into the teams met), by time: what the collaboration figure counts.
                    let mut team_index: HashMap<String, u32> = HashMap::new();
                    let mut team_ix = |t: Option<&str>| -> Option<u32> {
                        let t = t?;
                        if let Some(&i) = team_index.get(t) {
                            return Some(i);
                        }
                        let next = u32::try_from(team_index.len()).unwrap_or(u32::MAX);
                        team_index.insert(t.to_string(), next);
                        Some(next)
                    };
                    // Each reviewer reference's team, resolved once.
                    let mut reviewer_team: HashMap<&'a str, Option<u32>> = HashMap::new();
                    let mut review_teams: Vec<(i64, Option<u32>, Option<u32>)> =
                        Vec::with_capacity(prs.iter().map(|p| p.reviews.len()).sum());
                    for p in prs {
                        // The author's team, as `Pr::team` resolved it.
                        let a = team_ix(p.team.as_deref());
                        for r in &p.reviews {
                            let reviewer: &'a str = &r.reviewer;
                            let t = match reviewer_team.get(reviewer) {
                                Some(&t) => t,
                                None => {
                                    let team = actor(reviewer)
                                        .and_then(|k| ids.resolve(&k))
                                        .and_then(|id| ids.team_of(id));
                                    let t = team_ix(team);
                                    reviewer_team.insert(reviewer, t);
                                    t
                                }
                            };
                            review_teams.push((secs(r.submitted_at), a, t));
                        }
                    }
                    review_teams.sort_by_key(|r| r.0);
                    (
                        review_teams,
                        by_time(prs.iter().map(|p| p.merged)),
                        by_time(prs.iter().map(|p| Some(p.created))),
                    )
                });
                let prs = prs_read;
                // Work items and their delivery.
                let pr_index: HashMap<(&str, u64), usize> = prs
                    .iter()
                    .enumerate()
                    .map(|(i, p)| ((p.rec.repo.trim(), p.rec.number), i))
                    .collect();
                let mut prs_of_item: HashMap<&str, Vec<usize>> = HashMap::new();
                let mut items_of_pr: HashMap<usize, Vec<&str>> = HashMap::new();
                for l in &links.work_items {
                    if let Some(&i) = pr_index.get(&(l.pr.repo.as_str(), l.pr.number)) {
                        prs_of_item.entry(l.work_item.as_str()).or_default().push(i);
                        items_of_pr.entry(i).or_default().push(l.work_item.as_str());
                    }
                }
                let items: Vec<Item<'a>> = rec
                    .work_items
                    .iter()
                    .map(|w| {
                        let by_deploy = || -> Option<i64> {
                            let merged: Vec<&Pr<'_>> = prs_of_item
                                .get(w.key.trim())?
                                .iter()
                                .map(|&i| &prs[i])
                                .filter(|p| p.merged.is_some())
                                .collect();
                            if merged.is_empty() {
                                return None;
                            }
                            merged
                                .iter()
                                .map(|p| p.shipped)
                                .collect::<Option<Vec<i64>>>()?
                                .into_iter()
                                .max()
                        };
                        let delivered = if let Some(r) = w.released_at {
                            Some((secs(r), Via::Released))
                        } else if let Some(t) = by_deploy() {
                            Some((t, Via::Deployment))
                        } else {
                            w.done_at.map(|d| (secs(d), Via::Done))
                        };
                        let team = w.team.clone().or_else(|| {
                            prs_of_item.get(w.key.trim())?.iter().find_map(|&i| {
                                let author = prs[i].author.as_deref()?;
                                ids.team_of(ids.resolve(author)?).map(str::to_string)
                            })
                        });
                        Item {
                            rec: w,
                            created: secs(w.created_at),
                            delivered,
                            team,
                        }
                    })
                    .collect();
                let item_start: HashMap<&str, i64> = rec
                    .work_items
                    .iter()
                    .map(|w| (w.key.trim(), secs(w.started_at.unwrap_or(w.created_at))))
                    .collect();
                match teams.join() {
                    Ok(teams) => (teams, (items, items_of_pr, item_start)),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            });
        // Each author as a person index; authors with no commit or usage row are added.
        let mut memos = memos;
        for p in &mut prs {
            let Some(author) = p.author.as_deref() else {
                continue;
            };
            p.person = Some(match memos.person_index.get(author) {
                Some(&i) => i,
                None => {
                    memos.people.push(author.to_string());
                    let i = u32::try_from(memos.people.len() - 1).unwrap_or(u32::MAX);
                    memos.person_index.insert(author.to_string(), i);
                    i
                }
            });
        }
        for (i, keys) in items_of_pr {
            prs[i].work_start = keys.iter().filter_map(|k| item_start.get(k).copied()).min();
        }

        let mut org = Org {
            data,
            config,
            ids,
            links,
            ai_commits,
            ai_graph,
            prs,
            items,
            deploys,
            non_people,
            notes,
            commit_memo: Vec::new(),
            commit_by_time: Vec::new(),
            pr_by_merge: Vec::new(),
            pr_by_created: Vec::new(),
            item_by_delivery: Vec::new(),
            item_by_created: Vec::new(),
            findings: Vec::new(),
            review_teams,
            graph_shipped,
            usage_actor: Vec::new(),
            usage_user: Vec::new(),
            usage_days: Vec::new(),
            churn_memo: Vec::new(),
            people: Vec::new(),
            authored: Vec::new(),
            feature_deliveries: HashMap::new(),
            windows: Mutex::default(),
            features_by_key: OnceLock::new(),
            skills_by_person: OnceLock::new(),
        };
        org.pr_by_merge = pr_by_merge;
        org.pr_by_created = pr_by_created;
        org.item_by_delivery = by_time(org.items.iter().map(|i| Some(i.delivered?.0)));
        org.item_by_created = by_time(org.items.iter().map(|i| Some(i.created)));
        org.memoize(memos);
        org
    }

    /// Frees the organisation: what it owns outright (the links, identities and memos, millions of
    /// small allocations on a large history) on a thread of its own, so that the caller
    /// goes on (renders the report) meanwhile; what borrows the dataset here.
    pub(crate) fn dispose(self) {
        let owned = (
            self.ids,
            self.links,
            self.non_people,
            self.people,
            self.feature_deliveries,
            self.notes,
        );
        // The thread is detached; when none can be started, spawning drops `owned` here.
        drop(std::thread::Builder::new().spawn(move || drop(owned)));
    }

    /// Keeps the memos of the data and fills the teams' deliveries.
    fn memoize(&mut self, memos: DataMemos) {
        self.authored = memos.authored;
        self.churn_memo = memos.churn_memo;
        self.usage_days = memos.usage_days;
        self.findings = memos.findings;
        let mut feature_deliveries: HashMap<String, Vec<i64>> = HashMap::new();
        for i in &self.items {
            if let (Some((t, _)), Some(team), plumb_model::records::WorkType::Feature) =
                (i.delivered, &i.team, i.rec.kind)
            {
                feature_deliveries.entry(team.clone()).or_default().push(t);
            }
        }
        for v in feature_deliveries.values_mut() {
            v.sort_unstable();
        }
        self.feature_deliveries = feature_deliveries;
        self.commit_memo = memos.commit_memo;
        self.commit_by_time = memos.commit_by_time;
        self.usage_actor = memos.usage_actor;
        self.usage_user = memos.usage_user;
        self.people = memos.people;
    }

    /// The dataset's commits authored in the window, in dataset order, with their memos.
    /// (Read in dataset order, the large commits are read one after another: in time order,
    /// they would be read all over the place, which measured slower than sorting the
    /// window's positions; the sorted positions are kept per window.)
    pub(crate) fn commits_in(
        &self,
        w: &Window,
    ) -> impl Iterator<Item = (&'a crate::CommitFact, &CommitMemo)> + '_ {
        let commits: &'a [crate::CommitFact] = &self.data.commits;
        let positions = self.positions(w, |m| &m.commits, &self.commit_by_time);
        at(commits, Arc::clone(&positions)).zip(at(&self.commit_memo, positions))
    }

    /// The pull requests merged in the window, in record order (the positions kept per
    /// window).
    pub(crate) fn prs_merged_in(&self, w: &Window) -> impl Iterator<Item = &Pr<'a>> + '_ {
        at(
            &self.prs,
            self.positions(w, |m| &m.prs_merged, &self.pr_by_merge),
        )
    }

    /// The positions of a [`by_time`] list's entries in the window, in position order,
    /// kept in the window's memo (`slot`) the first time they are asked for.
    fn positions(
        &self,
        w: &Window,
        slot: impl Fn(&WindowMemo) -> &OnceLock<Arc<[usize]>>,
        by: &[(i64, u32)],
    ) -> Arc<[usize]> {
        let memo = self.window(w);
        Arc::clone(slot(&memo).get_or_init(|| in_order(by, w).into()))
    }

    /// How many pull requests were merged in the window.
    pub(crate) fn prs_merged_count(&self, w: &Window) -> u64 {
        in_window(&self.pr_by_merge, w).len() as u64
    }

    /// The work items delivered in the window, in record order.
    pub(crate) fn items_delivered_in(&self, w: &Window) -> impl Iterator<Item = &Item<'a>> + '_ {
        at(
            &self.items,
            self.positions(w, |m| &m.items_delivered, &self.item_by_delivery),
        )
    }

    /// How many work items were delivered in the window.
    pub(crate) fn items_delivered_count(&self, w: &Window) -> u64 {
        in_window(&self.item_by_delivery, w).len() as u64
    }

    /// The work items created in the window, in record order.
    pub(crate) fn items_created_in(&self, w: &Window) -> impl Iterator<Item = &Item<'a>> + '_ {
        at(
            &self.items,
            self.positions(w, |m| &m.items_created, &self.item_by_created),
        )
    }

    /// The findings of a kind first seen in the window, in record order.
    pub(crate) fn findings_new_in(
        &self,
        kind: FindingKind,
        w: &Window,
    ) -> impl Iterator<Item = &'a Finding> + '_ {
        let new = in_window_by(self.findings_of(kind), |f| f.0, w);
        let mut rows: Vec<u32> = new.iter().map(|f| f.2).collect();
        rows.sort_unstable();
        let findings: &'a [Finding] = &self.data.records.findings;
        rows.into_iter()
            .filter_map(move |i| findings.get(i as usize))
    }

    /// The findings of a kind open at some point in the window (first seen before its end,
    /// last seen at or after its start), in the order they were first seen.
    pub(crate) fn findings_open_in(
        &self,
        kind: FindingKind,
        w: &Window,
    ) -> impl Iterator<Item = &'a Finding> + '_ {
        let of_kind = self.findings_of(kind);
        let to = of_kind.partition_point(|f| f.0 < w.until);
        let findings: &'a [Finding] = &self.data.records.findings;
        let since = w.since;
        (of_kind.get(..to).unwrap_or_default().iter())
            .filter(move |f| f.1 >= since)
            .filter_map(move |f| findings.get(f.2 as usize))
    }

    /// Every finding of a kind, in the order they were first seen.
    pub(crate) fn findings_of_kind(
        &self,
        kind: FindingKind,
    ) -> impl Iterator<Item = &'a Finding> + '_ {
        let findings: &'a [Finding] = &self.data.records.findings;
        (self.findings_of(kind).iter()).filter_map(move |f| findings.get(f.2 as usize))
    }

    fn findings_of(&self, kind: FindingKind) -> &[(i64, i64, u32)] {
        (self.findings.iter())
            .find(|(k, _)| *k == kind)
            .map_or(&[][..], |(_, v)| v.as_slice())
    }

    /// The AI usage rows whose day starts in the window, with [`Org::usage_actor`].
    pub(crate) fn usage_in(
        &self,
        w: &Window,
    ) -> impl Iterator<Item = (&'a plumb_model::records::AiUsage, Option<u32>)> + '_ {
        let rows = &self.data.records.ai_usage;
        (in_window_by(&self.usage_days, |&(t, _)| t, w).iter())
            .filter_map(move |&(_, i)| Some((rows.get(i)?, self.usage_actor.get(i).copied()?)))
    }

    /// The people ([`Org::people`]) of the AI usage rows whose day starts in the window
    /// and that show use, once per row.
    pub(crate) fn usage_users_in(&self, w: &Window) -> impl Iterator<Item = u32> + '_ {
        (in_window_by(&self.usage_days, |&(t, _)| t, w).iter())
            .filter_map(|&(_, i)| self.usage_user.get(i).copied().flatten())
    }

    /// How many feature work items of `team` were delivered in the window.
    pub(crate) fn features_delivered(&self, team: &str, w: &Window) -> usize {
        (self.feature_deliveries.get(team)).map_or(0, |times| in_window_by(times, |&t| t, w).len())
    }

    /// The person key of a memo's actor index.
    pub(crate) fn person(&self, index: u32) -> &str {
        self.people.get(index as usize).map_or("", String::as_str)
    }

    /// Why there are no production deployments to count in a window: what was imported.
    pub(crate) fn no_releases(&self, w: &Window, what: &str) -> String {
        let all = self.deploys.len();
        let prod = self.deploys.iter().filter(|d| d.production).count();
        format!(
            "no {what} in window {} ({all} deployment(s) imported, {prod} of them to production; production environments are production, prod, prd and live)",
            w.label()
        )
    }

    /// The person a reference means: their roster key when the roster has them, else the
    /// reference normalised; `None` for bots and empty references.
    pub(crate) fn actor(&self, reference: &str) -> Option<String> {
        actor(&self.ids, &self.non_people, reference)
    }

    /// The team of a person key, from the roster.
    pub(crate) fn team_of(&self, key: &str) -> Option<&str> {
        self.ids.resolve(key).and_then(|id| self.ids.team_of(id))
    }

    /// The feature work items by trimmed key, as entries of [`Org::items`] in order.
    pub(crate) fn features_by_key(&self) -> &HashMap<&'a str, Vec<u32>> {
        self.features_by_key.get_or_init(|| {
            let mut by_key: HashMap<&'a str, Vec<u32>> = HashMap::new();
            for (i, item) in self.items.iter().enumerate() {
                if item.rec.kind == plumb_model::records::WorkType::Feature
                    && let Ok(i) = u32::try_from(i)
                {
                    by_key.entry(item.rec.key.trim()).or_default().push(i);
                }
            }
            by_key
        })
    }

    /// Each person's (by [`Org::actor`]) skill assessments as (date, score), by date (equal
    /// dates in record order), the people in key order.
    pub(crate) fn skills_by_person(&self) -> &[(String, Assessments)] {
        self.skills_by_person.get_or_init(|| {
            let mut by_person: BTreeMap<String, Assessments> = BTreeMap::new();
            for s in &self.data.records.skills {
                if let Some(k) = self.actor(&s.person) {
                    by_person.entry(k).or_default().push((s.date, s.score));
                }
            }
            by_person
                .into_iter()
                .map(|(person, mut points)| {
                    points.sort_by_key(|(d, _)| *d);
                    (person, points)
                })
                .collect()
        })
    }

    /// How many [`Org::active_people`] there are.
    pub(crate) fn active_count(&self, w: &Window) -> u64 {
        *self
            .window(w)
            .active
            .get_or_init(|| self.active_people(w).iter().filter(|a| **a).count() as u64)
    }

    /// The stages of the pull requests merged in the window ([`Stages::of`]), each list
    /// sorted, handed to `f`.
    pub(crate) fn with_stages<R>(&self, w: &Window, f: impl FnOnce(&Stages) -> R) -> R {
        f(self.window(w).stages.get_or_init(|| {
            let mut s = Stages::of(self, w);
            s.sort();
            s
        }))
    }

    /// Lines added and deleted by the window's non-merge commits (exclusions applied), and
    /// how many such commits there are.
    pub(crate) fn changed_lines(&self, w: &Window) -> (u64, u64) {
        *self.window(w).changed_lines.get_or_init(|| {
            let mut lines = 0;
            let mut commits = 0;
            for (c, m) in self.commits_in(w) {
                if !c.is_merge {
                    commits += 1;
                    lines += m.added + m.deleted;
                }
            }
            (lines, commits)
        })
    }

    /// The memo of a window, made when first asked for.
    pub(crate) fn window(&self, w: &Window) -> Arc<WindowMemo> {
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(windows.entry((w.since, w.until)).or_default())
    }

    /// Active developers, per person of [`Org::people`]: people with at least one non-merge
    /// commit (from the window's classified commits and from the stored history) or a pull
    /// request opened or merged in the window. Bots and AI agents are not people.
    pub(crate) fn active_people(&self, w: &Window) -> Vec<bool> {
        let authors = in_window(&self.authored, w).iter().map(|&(_, who)| who);
        let pr_authors = [&self.pr_by_created, &self.pr_by_merge]
            .into_iter()
            .flat_map(|by| in_window(by, w))
            .filter_map(|&(_, i)| self.prs.get(i as usize)?.person);
        self.person_flags(authors.chain(pr_authors))
    }

    /// Per person of [`Org::people`]: whether `who` names them.
    pub(crate) fn person_flags(&self, who: impl IntoIterator<Item = u32>) -> Vec<bool> {
        let mut flags = vec![false; self.people.len()];
        for i in who {
            if let Some(slot) = flags.get_mut(i as usize) {
                *slot = true;
            }
        }
        flags
    }

    /// Successful production deployments that finished in the window.
    pub(crate) fn releases(&self, w: &Window) -> impl Iterator<Item = &Deploy<'a>> {
        self.deploys
            .iter()
            .filter(move |d| d.production && d.successful && w.contains(d.finished))
    }

    /// Production deployments (any status) that finished in the window.
    pub(crate) fn production_deploys(&self, w: &Window) -> impl Iterator<Item = &Deploy<'a>> {
        self.deploys
            .iter()
            .filter(move |d| d.production && w.contains(d.finished))
    }

    /// Whether an incident is traced (by name or by the time window) to a deployment that
    /// shipped an AI-assisted commit.
    pub(crate) fn incident_from_ai_change(&self, incident: &str) -> bool {
        let Some(dep) = self.links.incident(incident).and_then(|l| l.deployment()) else {
            return false;
        };
        self.links
            .deployment(dep)
            .and_then(|d| d.commits.as_ref())
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| self.ai_graph.get(c.index()).copied().unwrap_or(false))
            })
    }
}

/// Per kind of finding: (first seen, last seen, row of the findings) of each finding of
/// the kind, sorted.
type FindingsByKind = Vec<(FindingKind, Vec<(i64, i64, u32)>)>;

/// Per kind: (first seen, last seen, row) of every finding of the kind, sorted.
fn findings_by_kind(findings: &[Finding]) -> FindingsByKind {
    let mut by: FindingsByKind = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        let Ok(row) = u32::try_from(i) else { break };
        let entry = (secs(f.first_seen), secs(f.last_seen), row);
        match by.iter_mut().find(|(k, _)| *k == f.kind) {
            Some((_, v)) => v.push(entry),
            None => by.push((f.kind, vec![entry])),
        }
    }
    for (_, v) in &mut by {
        v.sort_unstable();
    }
    by
}

/// Adds each value to its key's list in `map`, in order. Records come sorted by their
/// key, so the values of one key mostly follow each other: each such run is hashed once.
fn group_into<K: Eq + std::hash::Hash, V>(
    map: &mut HashMap<K, Vec<V>>,
    items: impl IntoIterator<Item = (K, V)>,
) {
    let flush = |map: &mut HashMap<K, Vec<V>>, key: K, values: Vec<V>| match map.entry(key) {
        std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().extend(values),
        std::collections::hash_map::Entry::Vacant(e) => {
            e.insert(values);
        }
    };
    let mut run: Option<(K, Vec<V>)> = None;
    for (k, v) in items {
        match &mut run {
            Some((key, values)) if *key == k => values.push(v),
            _ => {
                if let Some((key, values)) = run.replace((k, vec![v])) {
                    flush(map, key, values);
                }
            }
        }
    }
    if let Some((key, values)) = run {
        flush(map, key, values);
    }
}

/// A sha as the history names it (full, lower case) when the history has it.
fn full_sha<'s>(graph: &'s CommitGraph, repo: &str, sha: &'s str) -> Cow<'s, str> {
    // A full lower-case id names itself.
    if sha.len() == 40 && sha.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Cow::Borrowed(sha);
    }
    graph
        .find(repo, sha)
        .map_or_else(|| lower_id(sha), |c| Cow::Borrowed(graph.id(c)))
}

/// (time, position) of every entry with a time, sorted by time (then position).
fn by_time(times: impl Iterator<Item = Option<i64>>) -> Vec<(i64, u32)> {
    let mut by: Vec<(i64, u32)> = times
        .enumerate()
        .filter_map(|(i, t)| Some((t?, u32::try_from(i).ok()?)))
        .collect();
    by.sort_unstable();
    by
}

/// The entries of a [`by_time`] list whose time is in the window.
fn in_window<'b>(by: &'b [(i64, u32)], w: &Window) -> &'b [(i64, u32)] {
    in_window_by(by, |&(t, _)| t, w)
}

/// The entries of a list sorted by `time` whose time is in the window.
fn in_window_by<'b, T>(by: &'b [T], time: impl Fn(&T) -> i64, w: &Window) -> &'b [T] {
    let from = by.partition_point(|x| time(x) < w.since);
    let to = by.partition_point(|x| time(x) < w.until);
    by.get(from..to.max(from)).unwrap_or_default()
}

/// The positions of a [`by_time`] list's entries in the window, in position order.
fn in_order(by: &[(i64, u32)], w: &Window) -> Vec<usize> {
    let mut positions: Vec<usize> = in_window(by, w).iter().map(|&(_, i)| i as usize).collect();
    positions.sort_unstable();
    positions
}

/// The entries of `list` at `positions`, in their order.
fn at<T>(list: &[T], positions: Arc<[usize]>) -> impl Iterator<Item = &T> {
    (0..positions.len()).filter_map(move |k| list.get(*positions.get(k)?))
}

/// Whether a label marks AI assistance (see [`AI_LABEL_TOKENS`]).
pub(crate) fn ai_label(label: &str) -> bool {
    label
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|t| AI_LABEL_TOKENS.contains(&t))
}

/// Sets [`Deploy::restored`] of every failed deployment: the finish of the next successful
/// deployment of the same repository and environment (ignoring case).
fn restore_times<'r, 'a: 'r>(deploys: &mut [Deploy<'a>], canonical: &Canonical<'r, 'a>) {
    let mut groups: HashMap<(&str, String), Vec<usize>> = HashMap::new();
    for (i, d) in deploys.iter().enumerate() {
        groups
            .entry((
                canonical.of(&d.rec.repo),
                d.rec.environment.trim().to_lowercase(),
            ))
            .or_default()
            .push(i);
    }
    for members in groups.values_mut() {
        members.sort_by(|&a, &b| {
            (deploys[a].finished, &deploys[a].rec.id)
                .cmp(&(deploys[b].finished, &deploys[b].rec.id))
        });
        let mut next_good: Option<i64> = None;
        for &i in members.iter().rev() {
            if deploys[i].failed() {
                deploys[i].restored = next_good;
            }
            // A successful deployment that later proved faulty (an incident names it, a
            // hotfix follows it) still restored whatever had failed before it.
            if deploys[i].successful {
                next_good = Some(deploys[i].finished);
            }
        }
    }
}

/// The repository name a record's reference means (the stored name it resolves to, else
/// the reference trimmed), each distinct reference resolved once. Repository references
/// repeat across hundreds of thousands of records; a thread makes its own.
struct Canonical<'r, 'a> {
    repos: &'r RepoNames,
    memo: RefCell<HashMap<&'a str, &'r str>>,
    /// The last reference and what it resolved to: records come grouped by repository,
    /// so most references equal the one before.
    last: Cell<Option<(&'a str, &'r str)>>,
}

impl<'r, 'a: 'r> Canonical<'r, 'a> {
    fn new(repos: &'r RepoNames) -> Self {
        Canonical {
            repos,
            memo: RefCell::default(),
            last: Cell::new(None),
        }
    }

    fn of(&self, reference: &'a str) -> &'r str {
        if let Some((last, c)) = self.last.get()
            && last == reference
        {
            return c;
        }
        let known = self.memo.borrow().get(reference).copied();
        let c = known.unwrap_or_else(|| {
            let c = self
                .repos
                .resolve(reference)
                .unwrap_or_else(|| reference.trim());
            self.memo.borrow_mut().insert(reference, c);
            c
        });
        self.last.set(Some((reference, c)));
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ai_labels_match_whole_tokens() {
        for yes in [
            "ai-assisted",
            "AI",
            "copilot",
            "claude-code",
            "gen: AI",
            "ai_generated",
        ] {
            assert!(ai_label(yes), "{yes}");
        }
        for no in ["maintainer", "rain", "bug", "aids", ""] {
            assert!(!ai_label(no), "{no}");
        }
    }

    #[test]
    fn a_window_memo_computes_each_figure_once() {
        let memo = WindowMemo::default();
        let calls = std::cell::Cell::new(0);
        let compute = |value: f64| {
            calls.set(calls.get() + 1);
            Some(Ok(Figure {
                value,
                n: 1,
                numerator: None,
                denominator: None,
                breakdown: std::collections::BTreeMap::new(),
                notes: Vec::new(),
            }))
        };
        let first = memo.figure("a", || compute(1.0));
        // Asked again, the first value comes back and nothing is computed.
        let again = memo.figure("a", || compute(2.0));
        assert_eq!(calls.get(), 1);
        assert_eq!(again.map(|f| f.map(|f| f.value)), Some(Ok(1.0)));
        assert_eq!(first.map(|f| f.map(|f| f.value)), Some(Ok(1.0)));
        // Another metric is its own; "not computed" (`None`) is kept too.
        assert_eq!(memo.figure("b", || None), None);
        assert_eq!(memo.figure("b", || compute(3.0)), None);
        assert_eq!(calls.get(), 1);
    }

    #[test]
    fn a_window_by_time_is_what_a_pass_over_all_finds() {
        // Times with repeats, gaps, an entry without a time, and entries on the bounds.
        let times = [
            Some(50),
            None,
            Some(10),
            Some(30),
            Some(10),
            Some(40),
            Some(20),
            Some(30),
            Some(60),
        ];
        let by = by_time(times.iter().copied());
        assert_eq!(by.len(), 8, "entries without a time are left out");
        for since in 0..=70 {
            for until in since..=70 {
                let w = Window { since, until };
                let scanned: Vec<usize> = (times.iter().enumerate())
                    .filter(|(_, t)| t.is_some_and(|t| w.contains(t)))
                    .map(|(i, _)| i)
                    .collect();
                assert_eq!(in_order(&by, &w), scanned, "{since}..{until}");
                assert_eq!(in_window(&by, &w).len(), scanned.len(), "{since}..{until}");
            }
        }
        // An inverted window holds nothing.
        assert!(
            in_window(
                &by,
                &Window {
                    since: 40,
                    until: 20
                }
            )
            .is_empty()
        );
    }
}
