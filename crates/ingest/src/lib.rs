//! Ingestion pipelines: sources in, validated rows into a [`Store`].
//!
//! The git pipeline reads the commits a store does not have yet, attaches AI provenance
//! and identity classes, and writes them in batches, each one transaction. Only when every
//! commit is stored does the repository's `ingested_head` move, so a run killed at any
//! point leaves a store the next run completes without duplicating anything. Re-ingesting
//! an unchanged repository costs a HEAD lookup and one row read.
//!
//! This crate owns the order of the work; it does not render anything (progress goes
//! through the [`Progress`] trait) and it knows no SQL.

#![forbid(unsafe_code)]

pub mod import;

use plumb_git::{GitError, Repository};
use plumb_model::{AiKind, CommitRecord, Detection, EvidenceField, IdentityClass};
use plumb_provenance::Catalogue;
use plumb_store::{IngestedCommit, Reclassified, RepoState, RepoTotals, Store, StoreError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Why an ingest stopped.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Git(#[from] GitError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: {message}")]
    Path { path: PathBuf, message: String },
}

/// Where long work reports how far it got. Implementations draw bars or log; the default
/// methods do nothing.
pub trait Progress {
    fn begin(&self, _label: &str, _total: u64) {}
    /// The total grew: work is discovered while it is done.
    fn found(&self, _total: u64) {}
    fn advance(&self, _n: u64) {}
    fn end(&self) {}
}

/// A [`Progress`] that shows nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;
impl Progress for NoProgress {}

/// What to ingest from git.
#[derive(Debug, Clone)]
pub struct GitSource<'a> {
    pub path: &'a Path,
    /// A branch or revision to read instead of HEAD.
    pub branch: Option<&'a str>,
    /// Reading threads; 0 means one per core.
    pub threads: usize,
}

/// What one repository's ingest did.
#[derive(Debug, Clone)]
pub struct GitOutcome {
    pub repo: RepoState,
    pub head: Option<String>,
    pub new_commits: u64,
    /// Stored commits whose provenance was recomputed because the catalogue changed.
    pub reclassified: u64,
    pub totals: RepoTotals,
}

/// Commits written per transaction, and the longest a batch waits before it is written.
const BATCH: usize = 1000;
const BATCH_AGE: Duration = Duration::from_secs(2);

/// Ingests the history of one git repository into `store`.
pub fn ingest_git(
    store: &mut dyn Store,
    catalogue: &Catalogue,
    source: &GitSource<'_>,
    progress: &dyn Progress,
) -> Result<GitOutcome, IngestError> {
    let repo = Repository::open(source.path, source.branch)?;
    let root = std::fs::canonicalize(repo.root()).map_err(|e| IngestError::Path {
        path: repo.root().to_path_buf(),
        message: format!("cannot resolve the path: {e}"),
    })?;
    let key = root.to_string_lossy().into_owned();
    let state = store.ensure_repo(&repo_name(&root), &key)?;
    let head = repo.tip();
    let fingerprint = catalogue.fingerprint();

    let mut reclassified = 0;
    if state.provenance_fingerprint.as_deref() != Some(fingerprint.as_str())
        && state.provenance_fingerprint.is_some()
    {
        reclassified = reclassify(store, catalogue, &state, &fingerprint)?;
    }
    if state.ingested_head.is_some() && state.ingested_head == head {
        if reclassified == 0 && state.provenance_fingerprint.as_deref() != Some(&fingerprint) {
            store.finish_ingest(state.id, head.as_deref(), &fingerprint)?;
        }
        return Ok(GitOutcome {
            totals: store.repo_totals(state.id)?,
            repo: state,
            head,
            new_commits: 0,
            reclassified,
        });
    }

    let known = store.stored_commit_ids(state.id)?;
    let hidden: Vec<String> = state.ingested_head.iter().cloned().collect();
    progress.begin(&state.name, 0);

    let mut batch: Vec<IngestedCommit> = Vec::with_capacity(BATCH);
    let mut last_write = Instant::now();
    let repo_id = state.id;
    // Provenance matching runs on the reading threads; only writing is left to this one.
    let summary = repo.read_new(
        &hidden,
        &|id| known.contains(id),
        source.threads,
        &|record| with_provenance(catalogue, record),
        &mut |total| progress.found(total),
        |commit| -> Result<(), StoreError> {
            batch.push(commit);
            if batch.len() >= BATCH || last_write.elapsed() >= BATCH_AGE {
                store.write_commits(repo_id, &batch)?;
                progress.advance(batch.len() as u64);
                batch.clear();
                last_write = Instant::now();
            }
            Ok(())
        },
    )?;
    drop(known);
    if !batch.is_empty() {
        store.write_commits(repo_id, &batch)?;
        progress.advance(batch.len() as u64);
    }
    store.finish_ingest(repo_id, head.as_deref(), &fingerprint)?;
    progress.end();
    Ok(GitOutcome {
        totals: store.repo_totals(repo_id)?,
        repo: state,
        head,
        new_commits: summary.commits,
        reclassified,
    })
}

/// A repository's display name: its folder, without a bare repository's `.git`.
fn repo_name(root: &Path) -> String {
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| root.to_string_lossy().into_owned());
    match name.strip_suffix(".git") {
        Some(stem) if !stem.is_empty() => stem.to_string(),
        _ => name,
    }
}

/// Attaches identity classes and AI detections to a commit read from git.
pub fn with_provenance(catalogue: &Catalogue, record: CommitRecord) -> IngestedCommit {
    let (author_class, committer_class, detections) = provenance(catalogue, &record);
    IngestedCommit {
        record,
        author_class,
        committer_class,
        detections,
    }
}

fn provenance(
    catalogue: &Catalogue,
    record: &CommitRecord,
) -> (IdentityClass, IdentityClass, Vec<Detection>) {
    let c = &record.commit;
    let author_class = catalogue.classify_identity(&c.author.name, &c.author.email);
    let committer_class = catalogue.classify_identity(&c.committer.name, &c.committer.email);
    let mut detections = catalogue.detect_commit(c);
    // An agent author is AI-authored by definition; make sure the evidence says so even
    // when no commit signature row names that identity.
    if let IdentityClass::AiAgent { tool } = &author_class
        && !detections
            .iter()
            .any(|d| d.kind == AiKind::Authored && &d.tool == tool)
    {
        detections.push(Detection {
            tool: tool.clone(),
            kind: AiKind::Authored,
            field: EvidenceField::Author,
            evidence: format!("{} <{}>", c.author.name, c.author.email),
        });
    }
    (author_class, committer_class, detections)
}

fn reclassify(
    store: &mut dyn Store,
    catalogue: &Catalogue,
    state: &RepoState,
    fingerprint: &str,
) -> Result<u64, IngestError> {
    let commits = store.commits_of_repo(state.id)?;
    let changes: Vec<Reclassified> = commits
        .iter()
        .map(|record| {
            let (author_class, committer_class, detections) = provenance(catalogue, record);
            Reclassified {
                commit_id: record.commit.id.clone(),
                author_class,
                committer_class,
                detections,
            }
        })
        .collect();
    store.replace_provenance(state.id, &changes, fingerprint)?;
    Ok(changes.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_repositories_are_named_without_dot_git() {
        assert_eq!(repo_name(Path::new("/srv/git/web.git")), "web");
        assert_eq!(repo_name(Path::new("/home/a/code/web")), "web");
        assert_eq!(repo_name(Path::new("/srv/.git")), ".git");
    }
}
