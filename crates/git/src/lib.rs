//! Reads a repository's history the way `git log --numstat --no-renames` sees it.
//!
//! Every commit reachable from HEAD (or a chosen branch) becomes a [`CommitRecord`]: its
//! author and committer after `.mailmap` resolution, its parents, message and trailers, and
//! for each non-merge commit the per-file added and deleted lines against its parent (a root
//! commit against the empty tree). Merges carry no file statistics, as git shows them.
//!
//! The counts are meant to equal git's, not to approximate them: blobs are compared line by
//! line with the Myers algorithm (git's default, through imara-diff, which follows git's
//! xdiff heuristics), files with a NUL byte in their first 8000 bytes are binary (git's
//! rule), submodules are compared as git's `Subproject commit <id>` text, and mode-only
//! changes between equivalent legacy modes produce no row.
//!
//! Reading is the expensive part of ingestion, so it runs on every core: commits are handed
//! out in chunks of neighbouring history (neighbours share delta bases in the pack cache)
//! and each worker has its own object caches and diff buffers. Results come back to the
//! calling thread, in no particular order, through the caller's sink.
//!
//! [`Repository::line_survival`] is a second, report-time pass over a time range: which
//! added lines were deleted again within a horizon (code churn) and which TODO/FIXME/HACK
//! markers came and went, following lines through the commit graph (see `survival.rs`);
//! [`Repository::line_survival_except`] gives the same figures for only the commits a
//! caller does not already hold, reading as little of the range as that allows.
//!
//! This crate knows nothing of the store, of AI provenance or of metrics.

#![forbid(unsafe_code)]

mod numstat;
mod paths;
mod survival;
mod trailers;

use gix::ObjectId;
use gix::bstr::{BStr, ByteSlice};
use plumb_model::{Commit, CommitRecord, GitTime, Signature};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

pub use paths::path_to_string;
pub use survival::{CommitSurvival, FileSurvival, SURVIVAL_VERSION};
pub use trailers::parse_trailers;

/// Why the history could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{path}: not a git repository: {message}")]
    Open { path: PathBuf, message: String },
    #[error("{path}: revision {rev:?} not found: {message}")]
    Revision {
        path: PathBuf,
        rev: String,
        message: String,
    },
    #[error("{path}: cannot walk the history: {message}")]
    Walk { path: PathBuf, message: String },
    #[error("{path}: commit {commit}: {message}")]
    Commit {
        path: PathBuf,
        commit: String,
        message: String,
    },
    #[error("{path}: cannot read .mailmap: {message}")]
    Mailmap { path: PathBuf, message: String },
    /// The sink refused a record; the reader stopped.
    #[error("{0}")]
    Sink(Box<dyn std::error::Error + Send + Sync>),
}

/// An open repository and the tip whose history will be read.
pub struct Repository {
    repo: gix::ThreadSafeRepository,
    path: PathBuf,
    tip: Option<ObjectId>,
    shallow: Arc<HashSet<ObjectId>>,
    mailmap: Arc<gix::mailmap::Snapshot>,
}

/// What [`Repository::read`] tallied while reading, for summaries and progress.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadSummary {
    pub commits: u64,
    pub merge_commits: u64,
    pub unknown_file_changes: u64,
    pub unknown_trees: u64,
}

impl Repository {
    /// Opens the repository at or above `path` (bare or not) and resolves `branch`, or HEAD
    /// when `None`. An empty repository (no commit on HEAD) opens with no tip.
    pub fn open(path: &Path, branch: Option<&str>) -> Result<Self, GitError> {
        let repo = gix::discover(path).map_err(|e| GitError::Open {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let root = repo
            .workdir()
            .unwrap_or_else(|| repo.git_dir())
            .to_path_buf();
        let tip = match branch {
            Some(rev) => Some(
                repo.rev_parse_single(rev)
                    .map_err(|e| GitError::Revision {
                        path: root.clone(),
                        rev: rev.to_string(),
                        message: e.to_string(),
                    })?
                    .object()
                    .and_then(|o| Ok(o.peel_to_commit()?.id))
                    .map_err(|e| GitError::Revision {
                        path: root.clone(),
                        rev: rev.to_string(),
                        message: e.to_string(),
                    })?,
            ),
            None => match repo.head_id() {
                Ok(id) => Some(id.detach()),
                Err(_) if head_is_unborn(&repo) => None,
                Err(e) => {
                    return Err(GitError::Revision {
                        path: root,
                        rev: "HEAD".into(),
                        message: e.to_string(),
                    });
                }
            },
        };
        let shallow = repo
            .shallow_commits()
            .map_err(|e| GitError::Walk {
                path: root.clone(),
                message: e.to_string(),
            })?
            .map(|commits| commits.iter().copied().collect())
            .unwrap_or_default();
        let mailmap = repo.open_mailmap();
        Ok(Repository {
            repo: repo.into_sync(),
            path: root,
            tip,
            shallow: Arc::new(shallow),
            mailmap: Arc::new(mailmap),
        })
    }

    /// The working directory, or the git directory of a bare repository.
    pub fn root(&self) -> &Path {
        &self.path
    }

    /// The commit whose history is read, or `None` for an empty repository.
    pub fn tip(&self) -> Option<String> {
        self.tip.map(|id| id.to_string())
    }

    /// Every commit reachable from the tip and not from `hidden`, newest first by commit
    /// time, leaving out those `known` says are already stored.
    pub fn commits_to_read(
        &self,
        hidden: &[String],
        known: &dyn Fn(&str) -> bool,
    ) -> Result<Vec<String>, GitError> {
        let mut out = Vec::new();
        self.walk(hidden, known, &AtomicBool::new(false), &mut |id| {
            out.push(id.to_string());
            true
        })?;
        Ok(out)
    }

    /// Walks the history newest first, calling `found` for each commit not hidden and not
    /// known, until `found` returns false or `stop` is set.
    fn walk(
        &self,
        hidden: &[String],
        known: &dyn Fn(&str) -> bool,
        stop: &AtomicBool,
        found: &mut dyn FnMut(ObjectId) -> bool,
    ) -> Result<(), GitError> {
        let Some(tip) = self.tip else {
            return Ok(());
        };
        let repo = self.repo.to_thread_local();
        let hidden: Vec<ObjectId> = hidden
            .iter()
            .filter_map(|h| ObjectId::from_hex(h.as_bytes()).ok())
            // A hidden tip that no longer exists (history rewritten, objects pruned) would
            // abort the walk; without it the walk is merely longer.
            .filter(|id| repo.has_object(id))
            .collect();
        let walk = repo
            .rev_walk([tip])
            .with_hidden(hidden)
            .sorting(gix::revision::walk::Sorting::ByCommitTime(
                gix::traverse::commit::simple::CommitTimeOrder::NewestFirst,
            ))
            .all()
            .map_err(|e| self.walk_error(e))?;
        let mut hex = String::with_capacity(64);
        for info in walk {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let info = info.map_err(|e| self.walk_error(e))?;
            hex.clear();
            hex.push_str(&info.id.to_string());
            if !known(&hex) && !found(info.id) {
                break;
            }
        }
        Ok(())
    }

    fn walk_error(&self, e: impl std::fmt::Display) -> GitError {
        GitError::Walk {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }

    /// Reads the given commits on `threads` workers (0: one per core) and hands each record to `sink` on the
    /// calling thread, in no particular order. Stops at the first error, including one the
    /// sink returns.
    pub fn read<E>(
        &self,
        ids: &[String],
        threads: usize,
        sink: impl FnMut(CommitRecord) -> Result<(), E>,
    ) -> Result<ReadSummary, GitError>
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let ids: Vec<ObjectId> = ids
            .iter()
            .map(|h| {
                ObjectId::from_hex(h.as_bytes()).map_err(|e| GitError::Commit {
                    path: self.path.clone(),
                    commit: h.clone(),
                    message: format!("not an object id: {e}"),
                })
            })
            .collect::<Result<_, _>>()?;
        let threads = worker_count(threads);
        // Sixteen runs per worker balance the load; see `RUN` for why runs are long.
        let run = (ids.len() / (threads * 16)).clamp(32, RUN);
        let feed = |send: &mut dyn FnMut(Vec<ObjectId>) -> bool, _: &AtomicBool| {
            for chunk in ids.chunks(run) {
                if !send(chunk.to_vec()) {
                    break;
                }
            }
            Ok(())
        };
        self.run(threads, feed, &|r| r, &mut |_| {}, sink)
    }

    /// Walks the history not yet stored and reads it at the same time: the walk feeds runs
    /// of commits to the workers as it finds them, so reading starts at once instead of
    /// after the walk. `map` runs on the workers (e.g. provenance matching), `found` is
    /// told how many commits the walk has found so far, and `sink` gets each mapped record
    /// on the calling thread.
    pub fn read_new<T, E>(
        &self,
        hidden: &[String],
        known: &(dyn Fn(&str) -> bool + Sync),
        threads: usize,
        map: &(dyn Fn(CommitRecord) -> T + Sync),
        found: &mut dyn FnMut(u64),
        sink: impl FnMut(T) -> Result<(), E>,
    ) -> Result<ReadSummary, GitError>
    where
        T: Send,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let feed = |send: &mut dyn FnMut(Vec<ObjectId>) -> bool, stop: &AtomicBool| {
            let mut run = Vec::with_capacity(RUN);
            let mut alive = true;
            self.walk(hidden, known, stop, &mut |id| {
                run.push(id);
                if run.len() == RUN {
                    alive = send(std::mem::replace(&mut run, Vec::with_capacity(RUN)));
                }
                alive
            })?;
            if alive && !run.is_empty() {
                send(run);
            }
            Ok(())
        };
        self.run(worker_count(threads), feed, map, found, sink)
    }

    /// The reading machinery: `feed` (on its own thread) sends runs of commit ids to
    /// `threads` workers, which read and `map` them; the calling thread hands results to
    /// `sink`. The first error stops the feed, the workers and the sink.
    fn run<T, E>(
        &self,
        threads: usize,
        feed: impl FnOnce(&mut dyn FnMut(Vec<ObjectId>) -> bool, &AtomicBool) -> Result<(), GitError>
        + Send,
        map: &(dyn Fn(CommitRecord) -> T + Sync),
        found: &mut dyn FnMut(u64),
        mut sink: impl FnMut(T) -> Result<(), E>,
    ) -> Result<ReadSummary, GitError>
    where
        T: Send,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        enum Msg<T> {
            Found(u64),
            Record(Result<T, GitError>),
        }
        let stop = AtomicBool::new(false);
        let counts = Counts::default();
        let mut first_error = None;
        std::thread::scope(|scope| {
            let (work_tx, work_rx) = crossbeam_channel::unbounded::<Vec<ObjectId>>();
            let (tx, rx) = crossbeam_channel::bounded::<Msg<T>>(4096);
            {
                let (tx, stop) = (tx.clone(), &stop);
                scope.spawn(move || {
                    let mut total = 0u64;
                    let mut send = |run: Vec<ObjectId>| {
                        total += run.len() as u64;
                        work_tx.send(run).is_ok() && tx.send(Msg::Found(total)).is_ok()
                    };
                    if let Err(e) = feed(&mut send, stop) {
                        stop.store(true, Ordering::Relaxed);
                        let _ = tx.send(Msg::Record(Err(e)));
                    }
                });
            }
            for _ in 0..threads {
                let (tx, work_rx, stop, counts) = (tx.clone(), work_rx.clone(), &stop, &counts);
                scope.spawn(move || {
                    let mut worker = Worker::new(self);
                    for run in work_rx.iter() {
                        for id in run {
                            if stop.load(Ordering::Relaxed) {
                                return;
                            }
                            let result = worker.record(id).map(|record| {
                                counts.add(&record);
                                map(record)
                            });
                            let failed = result.is_err();
                            if tx.send(Msg::Record(result)).is_err() || failed {
                                stop.store(true, Ordering::Relaxed);
                                return;
                            }
                        }
                    }
                });
            }
            drop((tx, work_rx));
            for msg in rx.iter() {
                match msg {
                    _ if first_error.is_some() => {}
                    Msg::Found(total) => found(total),
                    Msg::Record(Ok(item)) => {
                        if let Err(e) = sink(item) {
                            first_error = Some(GitError::Sink(e.into()));
                            stop.store(true, Ordering::Relaxed);
                        }
                    }
                    Msg::Record(Err(e)) => {
                        first_error = Some(e);
                        stop.store(true, Ordering::Relaxed);
                    }
                }
            }
        });
        match first_error {
            Some(e) => Err(e),
            None => Ok(counts.summary()),
        }
    }

    /// Reads every commit reachable from the tip: a convenience for tests and small tools.
    pub fn read_all(&self, threads: usize) -> Result<Vec<CommitRecord>, GitError> {
        let ids = self.commits_to_read(&[], &|_| false)?;
        let mut out = Vec::with_capacity(ids.len());
        self.read(&ids, threads, |r| {
            out.push(r);
            Ok::<(), std::convert::Infallible>(())
        })?;
        Ok(out)
    }
}

/// Reading threads: `0` means one per core.
fn worker_count(threads: usize) -> usize {
    match threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .clamp(1, 64)
}

/// Whether a commit's `encoding` header names Latin-1, the one legacy encoding common
/// enough in old histories to decode as git log does.
fn declares_latin1(encoding: Option<&BStr>) -> bool {
    encoding.is_some_and(|e| {
        let e = e.to_str_lossy().to_ascii_lowercase();
        matches!(
            e.as_str(),
            "iso-8859-1" | "iso8859-1" | "latin1" | "latin-1" | "l1"
        )
    })
}

/// Text from git bytes: UTF-8 as is; bytes that are not UTF-8 decoded as Latin-1 when the
/// commit says so (as git log re-encodes them), else replaced by U+FFFD.
fn text(bytes: &BStr, latin1: bool) -> String {
    match bytes.to_str() {
        Ok(s) => s.to_string(),
        Err(_) if latin1 => bytes.iter().map(|&b| char::from(b)).collect(),
        Err(_) => bytes.to_str_lossy().into_owned(),
    }
}

fn head_is_unborn(repo: &gix::Repository) -> bool {
    matches!(repo.head().map(|h| h.is_unborn()), Ok(true))
}

/// Commits a worker reads in a row. Neighbouring commits share trees and blob delta
/// bases, and each worker has its own delta-base cache, so long runs of history keep that
/// cache warm (measured on git/git: 42 s of CPU with runs of 32, 36 s with runs of 2,500).
const RUN: usize = 2048;

/// Counters the workers keep while reading.
#[derive(Default)]
struct Counts {
    commits: AtomicU64,
    merges: AtomicU64,
    unknown_files: AtomicU64,
    unknown_trees: AtomicU64,
}

impl Counts {
    fn add(&self, record: &CommitRecord) {
        self.commits.fetch_add(1, Ordering::Relaxed);
        match &record.stats {
            plumb_model::FileStats::Merge => self.merges.fetch_add(1, Ordering::Relaxed),
            plumb_model::FileStats::TreeUnknown => {
                self.unknown_trees.fetch_add(1, Ordering::Relaxed)
            }
            plumb_model::FileStats::Files { files } => self.unknown_files.fetch_add(
                files
                    .iter()
                    .filter(|f| f.stats == plumb_model::LineStats::Unknown)
                    .count() as u64,
                Ordering::Relaxed,
            ),
        };
    }

    fn summary(&self) -> ReadSummary {
        ReadSummary {
            commits: self.commits.load(Ordering::Relaxed),
            merge_commits: self.merges.load(Ordering::Relaxed),
            unknown_file_changes: self.unknown_files.load(Ordering::Relaxed),
            unknown_trees: self.unknown_trees.load(Ordering::Relaxed),
        }
    }
}

/// Delta-base cache per reading thread.
const PACK_CACHE_BYTES: usize = 96 * 1024 * 1024;

impl Repository {
    /// A repository handle for one reading thread, with its own delta-base cache.
    fn thread_repo(&self) -> gix::Repository {
        let mut repo = self.repo.to_thread_local();
        // A decoded-object cache was measured on git/git: no CPU saved, 150 MiB more
        // memory. The delta-base cache below is what matters.
        repo.object_cache_size(0);
        // gix's default delta-base cache has 64 slots; git keeps 96 MiB of bases
        // (`core.deltaBaseCacheLimit`). Without a comparable cache, long delta chains are
        // inflated again and again and decompression dominates the run.
        repo.objects.set_pack_cache(|| {
            Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
                PACK_CACHE_BYTES,
            ))
        });
        repo
    }
}

/// One reading thread's repository handle, caches and buffers.
struct Worker<'a> {
    owner: &'a Repository,
    repo: gix::Repository,
    commit_buf: Vec<u8>,
    differ: numstat::Differ,
}

impl<'a> Worker<'a> {
    fn new(owner: &'a Repository) -> Self {
        Worker {
            owner,
            repo: owner.thread_repo(),
            commit_buf: Vec::new(),
            differ: numstat::Differ::default(),
        }
    }

    fn commit_error(&self, id: ObjectId, message: impl std::fmt::Display) -> GitError {
        GitError::Commit {
            path: self.owner.path.clone(),
            commit: id.to_string(),
            message: message.to_string(),
        }
    }

    fn record(&mut self, id: ObjectId) -> Result<CommitRecord, GitError> {
        let mut buf = std::mem::take(&mut self.commit_buf);
        let decoded = self.decode(id, &mut buf);
        self.commit_buf = buf;
        let (commit, tree) = decoded?;
        let parents: Vec<ObjectId> = commit
            .parents
            .iter()
            .filter_map(|p| ObjectId::from_hex(p.as_bytes()).ok())
            .collect();
        let stats = match parents.as_slice() {
            [] => self.differ.file_stats(&self.repo, None, tree),
            [parent] => match self.parent_tree(*parent) {
                Some(parent_tree) => self.differ.file_stats(&self.repo, Some(parent_tree), tree),
                None => plumb_model::FileStats::TreeUnknown,
            },
            _ => plumb_model::FileStats::Merge,
        };
        Ok(CommitRecord { commit, stats })
    }

    /// The commit's metadata and its tree id.
    fn decode(&self, id: ObjectId, buf: &mut Vec<u8>) -> Result<(Commit, ObjectId), GitError> {
        use gix::prelude::Find;
        let data = self
            .repo
            .objects
            .try_find(&id, buf)
            .map_err(|e| self.commit_error(id, e))?
            .ok_or_else(|| self.commit_error(id, "the commit object is missing"))?;
        if data.kind != gix::object::Kind::Commit {
            return Err(self.commit_error(id, format!("is a {}, not a commit", data.kind)));
        }
        let commit = gix::objs::CommitRef::from_bytes(data.data, self.repo.object_hash())
            .map_err(|e| self.commit_error(id, format!("cannot decode: {e}")))?;
        let parents: Vec<String> = if self.owner.shallow.contains(&id) {
            // git treats a shallow boundary as a root commit, and so does plumb.
            Vec::new()
        } else {
            commit.parents().map(|p| p.to_string()).collect()
        };
        let latin1 = declares_latin1(commit.encoding);
        let message = text(commit.message, latin1);
        let model = Commit {
            id: id.to_string(),
            parents,
            author: self.signature(commit.author, id, latin1)?,
            committer: self.signature(commit.committer, id, latin1)?,
            trailers: parse_trailers(&message),
            message,
        };
        Ok((model, commit.tree()))
    }

    fn parent_tree(&mut self, parent: ObjectId) -> Option<ObjectId> {
        use gix::prelude::Find;
        let data = self
            .repo
            .objects
            .try_find(&parent, &mut self.commit_buf)
            .ok()??;
        gix::objs::CommitRefIter::from_bytes(data.data, self.repo.object_hash())
            .tree_id()
            .ok()
    }

    fn signature(&self, raw: &BStr, id: ObjectId, latin1: bool) -> Result<Signature, GitError> {
        let sig = gix::actor::SignatureRef::from_bytes(raw.as_bytes())
            .map_err(|e| self.commit_error(id, format!("malformed signature {raw:?}: {e}")))?;
        let resolved = self.owner.mailmap.resolve(sig.trim());
        // git is lenient with broken dates (it shows the epoch); so is plumb.
        let time = sig.time().unwrap_or(gix::date::Time {
            seconds: sig.seconds(),
            offset: 0,
        });
        Ok(Signature {
            name: text(resolved.name.as_ref(), latin1).trim().to_string(),
            email: text(resolved.email.as_ref(), latin1).trim().to_string(),
            time: GitTime {
                seconds: time.seconds,
                offset_minutes: time.offset / 60,
            },
        })
    }
}
