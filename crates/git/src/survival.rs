//! Line survival: which lines a commit added were deleted again soon after, and the
//! TODO/FIXME/HACK markers each commit added and removed.
//!
//! `process.code_churn_pct` counts the lines added that were deleted or rewritten within a
//! horizon (21 days) of being written; `quality.tech_debt_balance` counts markers added
//! minus markers removed. Both come from one pass over the history of a time range, made at
//! report time. A commit's figures are final once the history covers its horizon
//! (`horizon_complete`); callers may keep those and ask only for the others with
//! [`Repository::line_survival_except`] (see "Reading less").
//!
//! # The pass
//!
//! The commits are those reachable from the tip whose author time is in
//! `[since, until + horizon]`, processed parents before children. Author times are not
//! ordered along the graph, so the walk that finds them reads every reachable commit once;
//! a commit outside the time range cuts the tracking of lines across it (its children
//! start from its files, every line "old").
//!
//! Each processed commit has a *state*: for every file holding lines added by a commit in
//! the output range, the origin of each of its lines (which commit added it, or "old").
//! Files absent from the state hold only old lines, so a file's state is created the first
//! time a diff touches it, from the diff's own old side (no separate blob read), and a file
//! whose lines are all old again is dropped from it. States are maps from an interned path
//! to an `Rc`'d vector of origins (with a bound on their newest author time): a child takes its first parent's map by move when it is
//! that parent's last child in the range and clones it (one pointer per file) otherwise,
//! and a commit's state is dropped once its last child has been processed.
//!
//! A non-merge commit is diffed against its parent with the Myers algorithm and git's
//! binary rule, exactly as [`crate::numstat`] counts `git log --numstat --no-renames` (the
//! hunks are placed with git's indent heuristic, which moves no count). A removed line
//! whose origin is a commit `A` counts as churned when the deleting commit's author time is
//! between `A`'s and `A`'s plus the horizon; churned lines are a set, so a line deleted on
//! two branches counts once. Added lines get the commit as their origin when the commit is
//! in `[since, until)`; commits after `until` are read only for the deletions they make.
//! A rename is a deletion and an addition, as with `--no-renames`. A file that becomes
//! binary has its lines deleted; a binary file has no lines; a file whose blob is missing
//! is skipped and its lines are forgotten (never counted).
//!
//! # Merges
//!
//! A merge is not in the output (git shows it no lines), but it carries lines across:
//!
//! - Its files that differ from the first parent are diffed against it: unchanged lines
//!   keep the first parent's origins. A line the merge added relative to the first parent
//!   takes its origin from the first other parent in which it is an unchanged line (a diff
//!   of that parent against the merge, only for those files; a file the merge did not
//!   change relative to that parent maps line for line). A line found in no parent is the
//!   merge's own (a conflict resolution) and is old.
//! - A file the merge has exactly as another parent had it (the common case: a topic's
//!   files) takes that parent's origins without a line diff. The diff against the first
//!   parent is made (on the applying thread) only when a line of the first parent that
//!   could still churn, and that no commit deleted, is missing from that parent: then the
//!   merge may have dropped it, and only the diff can tell. A line with the same content
//!   on both sides under two origins (a cherry-pick) thus keeps the other parent's origin
//!   here and the first parent's elsewhere; either is one line, counted once.
//! - A tracked line present in a parent and absent from the merge (by content, from the
//!   diffs' removed lines) is deleted by the merge, at its author time, unless some commit
//!   already deleted it. When the merge took the other branch's version without a
//!   conflict, the line was deleted by a commit on that branch, counted then with that
//!   commit's time, and is not counted again (even when the merge is authored before that
//!   commit). What remains is what the merge itself threw away: a conflict resolved by
//!   dropping one side's new lines (`-X theirs`, a hand resolution), or `-s ours`. The
//!   "already deleted" test is global, so a line deleted on an unrelated branch and
//!   dropped by a merge elsewhere counts only for the former; this is rare and errs
//!   towards less churn. For a file the merge kept exactly as the first parent had it,
//!   the other parent's lines are looked up by origin, and only those still within their
//!   horizon (older ones cannot count).
//!
//! # `horizon_complete`
//!
//! A commit's churn is final once history covers its horizon: the newest author time
//! reachable from the tip is at least its author time plus the horizon. Otherwise later
//! deletions may still count, and the figure is a lower bound.
//!
//! # Reading less
//!
//! A commit's figures depend on the range, through the commits the pass leaves out: lines
//! cannot be followed through a commit outside it, and a merge's handling of a file depends
//! on which of its parents' lines are tracked. [`Repository::line_survival_except`] wants the
//! figures a pass from `since` gives the commits it is asked for (`W`: those of
//! `[since, until)` the caller does not already hold) and starts at the latest time `s` that
//! keeps them:
//!
//! - every commit that descends from `W` is in the pass, whatever its author time (clock
//!   skew, or a rebase keeping author dates, puts children before their parents): `s` is at
//!   most the oldest of `W` and its descendants;
//! - a merge descending from `W` decides how to carry a file from the lines of its parents
//!   that can still churn, added up to a horizon before it: `s` is at most each such merge's
//!   author time minus the horizon, so those lines are tracked as they are from `since`;
//! - nothing that descends from a commit authored at `s` or later is left out either
//!   (repeated until it holds), so those lines reach the merges along the same paths.
//!
//! Commits of `[s, until)` the caller holds are still processed and tracked as before; only
//! their rows are left out. What is not covered is second-order: a merge that does not
//! descend from `W` handling a file differently because lines older than `s` are no longer
//! tracked, which could change whether a line tracked into a merge above is "already
//! deleted"; and the relative processing order of commits, which only the global
//! "already deleted" test can observe. Both need clock skew around a merge, and each can
//! move a figure by the lines involved; the tests compare the figures on generated
//! histories with skewed commits and merges resolved either way.
//!
//! # Costs
//!
//! Time: one decode of every reachable commit, then for each commit in the range a tree
//! diff and a line diff of every changed text file; for merges, one tree diff per parent
//! and line diffs only for the files that differ from every parent (and the rare fallback
//! above). Non-merge commits cost what `git log -p --no-renames` costs; merges add the
//! tree diffs (on git/git, whose 21,000 merges often span long-lived branches, they double
//! the CPU time). The diffs run on `threads` workers, fed in chunks in processing order;
//! applying them to the states is sequential and linear in the changed lines, except that
//! a merge's first-parent file is scanned once (no hashing unless a line could churn).
//!
//! Memory: two bits per line added in the output range (deleted, churned), the diffs of a
//! window of chunks in flight, and the live states: one per commit whose children are not
//! all processed (about one per open branch), each a pointer per file with tracked lines,
//! the vectors shared between states until a commit changes them (8 bytes per line).

use crate::numstat::{self, Content, FileDelta, Side, TreeDiffer};
use crate::paths::path_to_string;
use crate::{GitError, Repository, worker_count};
use gix::ObjectId;
use gix::bstr::{BString, ByteSlice};
use gix::prelude::Find;
use gix_imara_diff::{Algorithm, Diff, Hunk, InternedInput};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::rc::Rc;

/// The version of the rules above. Figures a caller keeps hold for the version they were
/// computed with: a change to this module that changes any figure must bump it.
pub const SURVIVAL_VERSION: u32 = 1;

/// A non-merge commit authored in the range: its added lines and how many of them were
/// deleted (or rewritten, which a diff shows as a deletion and an addition) by a later
/// commit authored within the horizon of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitSurvival {
    /// The commit id, in hex.
    pub id: String,
    /// The author time, in Unix seconds.
    pub author_time: i64,
    /// Its changed text files, sorted by path; empty when its tree could not be read.
    pub files: Vec<FileSurvival>,
    /// Whether the history read reaches `author_time + horizon` (the newest commit
    /// reachable from the tip is at least that late): otherwise the churn figure is not
    /// final yet.
    pub horizon_complete: bool,
}

/// One text file a commit changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSurvival {
    /// The path, as [`crate::path_to_string`] writes it.
    pub path: String,
    /// Lines added: git's numstat "added".
    pub lines_added: u32,
    /// Of those, lines deleted within the horizon.
    pub lines_churned: u32,
    /// Added lines containing `TODO`, `FIXME` or `HACK` as an uppercase whole word.
    pub markers_added: u32,
    /// Removed lines containing them.
    pub markers_removed: u32,
}

impl Repository {
    /// Line survival and markers for every non-merge commit reachable from the tip and
    /// authored in `[since, until)` (Unix seconds), in processing order (parents before
    /// children). Commits authored up to `until + horizon_secs` are read for the lines they
    /// delete. `threads` diff workers (0: one per core). See the module documentation for
    /// how merges count.
    pub fn line_survival(
        &self,
        since: i64,
        until: i64,
        horizon_secs: i64,
        threads: usize,
    ) -> Result<Vec<CommitSurvival>, GitError> {
        let horizon = horizon_secs.max(0);
        let survey = self.survey(since, until.saturating_add(horizon))?;
        self.pass(survey.nodes, survey.newest, since, until, horizon, threads)
    }

    /// The commits [`line_survival`](Self::line_survival) outputs for `[since, until)`,
    /// except those for which `known` (given the hex id) is true, each with the figures
    /// `line_survival(since, until, …)` gives it; in processing order.
    ///
    /// The pass starts at the latest time that leaves those figures unchanged (see "Reading
    /// less" in the module documentation) rather than at `since`, so that its cost follows
    /// the commits asked for: a caller that keeps final figures asks only for the others.
    /// With nothing to compute it returns at once after the walk.
    pub fn line_survival_except(
        &self,
        since: i64,
        until: i64,
        horizon_secs: i64,
        threads: usize,
        known: &dyn Fn(&str) -> bool,
    ) -> Result<Vec<CommitSurvival>, GitError> {
        let horizon = horizon_secs.max(0);
        let survey = self.survey(since, until.saturating_add(horizon))?;
        let Some(start) = exact_start(&survey.nodes, since, until, horizon, known) else {
            return Ok(Vec::new());
        };
        tracing::debug!(
            path = %self.path.display(),
            since,
            start,
            "line survival: the pass starts at the first commit that can change the figures asked for"
        );
        let nodes = survey
            .nodes
            .into_iter()
            .filter(|n| n.author >= start)
            .collect();
        let mut out = self.pass(nodes, survey.newest, start, until, horizon, threads)?;
        out.retain(|c| !known(&c.id));
        Ok(out)
    }

    /// The pass over `nodes` (the commits authored in `[since, until + horizon]`), with
    /// `newest` the newest author time reachable from the tip.
    fn pass(
        &self,
        nodes: Vec<Node>,
        newest: i64,
        since: i64,
        until: i64,
        horizon: i64,
        threads: usize,
    ) -> Result<Vec<CommitSurvival>, GitError> {
        if nodes.is_empty() {
            return Ok(Vec::new());
        }
        let graph = Graph::new(nodes, since, until);
        let mut applier = Applier::new(self, &graph, horizon);
        self.diff_in_order(&graph, worker_count(threads), &mut applier)?;
        Ok(applier.finish(newest))
    }

    /// Every commit reachable from the tip, decoded once: those authored in
    /// `[since, last]`, and the newest author time of all.
    fn survey(&self, since: i64, last: i64) -> Result<Survey, GitError> {
        let mut survey = Survey {
            nodes: Vec::new(),
            newest: i64::MIN,
        };
        let Some(tip) = self.tip else {
            return Ok(survey);
        };
        let repo = self.thread_repo();
        let hash = repo.object_hash();
        let mut seen = HashSet::from([tip]);
        let mut stack = vec![tip];
        let mut buf = Vec::new();
        while let Some(id) = stack.pop() {
            let data = repo
                .objects
                .try_find(&id, &mut buf)
                .map_err(|e| self.survival_error(id, e))?
                .ok_or_else(|| self.survival_error(id, "the commit object is missing"))?;
            if data.kind != gix::object::Kind::Commit {
                return Err(self.survival_error(id, format!("is a {}, not a commit", data.kind)));
            }
            let commit = gix::objs::CommitRef::from_bytes(data.data, hash)
                .map_err(|e| self.survival_error(id, format!("cannot decode: {e}")))?;
            let author =
                gix::actor::SignatureRef::from_bytes(commit.author.as_bytes()).map_err(|e| {
                    self.survival_error(id, format!("malformed author {:?}: {e}", commit.author))
                })?;
            // git is lenient with broken dates; so is the reader, and so is this.
            let author = author.time().map_or(author.seconds(), |t| t.seconds);
            survey.newest = survey.newest.max(author);
            // git treats a shallow boundary as a root commit, and so does plumb.
            let parents: Vec<ObjectId> = if self.shallow.contains(&id) {
                Vec::new()
            } else {
                commit.parents().collect()
            };
            for p in &parents {
                if seen.insert(*p) {
                    stack.push(*p);
                }
            }
            if (since..=last).contains(&author) {
                survey.nodes.push(Node {
                    id,
                    tree: commit.tree(),
                    parents,
                    author,
                });
            }
        }
        Ok(survey)
    }

    fn survival_error(&self, id: ObjectId, message: impl std::fmt::Display) -> GitError {
        GitError::Commit {
            path: self.path.clone(),
            commit: id.to_string(),
            message: message.to_string(),
        }
    }

    /// Diffs the commits on `threads` workers and applies the diffs in processing order.
    /// Chunks of neighbouring commits go to one worker (they share delta bases); at most a
    /// window of chunks is in flight, which bounds the memory diffs wait in.
    fn diff_in_order(
        &self,
        graph: &Graph,
        threads: usize,
        applier: &mut Applier<'_>,
    ) -> Result<(), GitError> {
        const CHUNK: usize = 32;
        let total = graph.order.len();
        let chunks = total.div_ceil(CHUNK);
        let window = threads * 4;
        let seqs = |c: usize| c * CHUNK..total.min((c + 1) * CHUNK);
        std::thread::scope(|scope| {
            let (job_tx, job_rx) = crossbeam_channel::unbounded::<usize>();
            let (done_tx, done_rx) =
                crossbeam_channel::unbounded::<(usize, Option<Vec<CommitDiff>>)>();
            for _ in 0..threads {
                let (job_rx, done_tx) = (job_rx.clone(), done_tx.clone());
                scope.spawn(move || {
                    let mut worker = DiffWorker::new(self);
                    for c in job_rx.iter() {
                        // A panicking worker must not leave the applier waiting for its
                        // chunk while the others wait for work: it reports `None`.
                        let diffs = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            seqs(c)
                                .map(|s| worker.diff(&graph.nodes[graph.order[s]]))
                                .collect()
                        }))
                        .ok();
                        let failed = diffs.is_none();
                        if done_tx.send((c, diffs)).is_err() || failed {
                            return;
                        }
                    }
                });
            }
            drop((job_rx, done_tx));
            let mut sent = 0;
            while sent < chunks.min(window) {
                // The workers hold the receiver until the scope ends.
                let _ = job_tx.send(sent);
                sent += 1;
            }
            let mut ready: HashMap<usize, Vec<CommitDiff>> = HashMap::new();
            for c in 0..chunks {
                let diffs = loop {
                    if let Some(diffs) = ready.remove(&c) {
                        break diffs;
                    }
                    match done_rx.recv() {
                        Ok((k, Some(diffs))) => {
                            ready.insert(k, diffs);
                        }
                        // Returning drops the job sender, which ends the other workers.
                        Ok((_, None)) | Err(_) => {
                            return Err(GitError::Walk {
                                path: self.path.clone(),
                                message: "a line-survival diff worker stopped".into(),
                            });
                        }
                    }
                };
                if sent < chunks {
                    let _ = job_tx.send(sent);
                    sent += 1;
                }
                for (s, diff) in seqs(c).zip(diffs) {
                    applier.apply(graph.order[s], diff);
                }
            }
            Ok(())
        })
    }
}

/// The latest start of a pass that gives the commits of `[since, until)` that `known` does
/// not hold the figures a pass from `since` gives them (see "Reading less" in the module
/// documentation), never before `since`; `None` when there are no such commits. `nodes`
/// are the commits authored in `[since, until + horizon]`.
fn exact_start(
    nodes: &[Node],
    since: i64,
    until: i64,
    horizon: i64,
    known: &dyn Fn(&str) -> bool,
) -> Option<i64> {
    let index: HashMap<ObjectId, usize> =
        nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        for p in &n.parents {
            if let Some(&j) = index.get(p)
                && !kids[j].contains(&i)
            {
                kids[j].push(i);
            }
        }
    }
    // Every commit reachable from `from` along child links, `from` included.
    let descendants = |from: &mut dyn Iterator<Item = usize>| -> Vec<bool> {
        let mut seen = vec![false; nodes.len()];
        let mut stack: Vec<usize> = from.collect();
        for &i in &stack {
            seen[i] = true;
        }
        while let Some(i) = stack.pop() {
            for &k in &kids[i] {
                if !seen[k] {
                    seen[k] = true;
                    stack.push(k);
                }
            }
        }
        seen
    };
    let wanted = nodes.iter().enumerate().filter(|(_, n)| {
        n.parents.len() <= 1 && (since..until).contains(&n.author) && !known(&n.id.to_string())
    });
    let mut wanted = wanted.map(|(i, _)| i).peekable();
    wanted.peek()?;
    // The commits asked for and everything after them: the lines they add travel through
    // these, so all must be in the pass, whatever their author times say.
    let after = descendants(&mut wanted);
    let mut start = i64::MAX;
    for (n, _) in nodes.iter().zip(&after).filter(|(_, a)| **a) {
        start = start.min(n.author);
        if n.parents.len() > 1 {
            // A merge compares the lines of its parents that can still churn, added as
            // early as a horizon before it: their commits must be in the pass too.
            start = start.min(n.author.saturating_sub(horizon));
        }
    }
    // And those commits' lines must reach the merges as they do from `since`: nothing
    // after a commit in the pass may be left out (clock skew puts children before their
    // parents).
    loop {
        let reached = descendants(
            &mut nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.author >= start)
                .map(|(i, _)| i),
        );
        let earliest = nodes
            .iter()
            .zip(&reached)
            .filter(|(_, r)| **r)
            .map(|(n, _)| n.author)
            .min()
            .unwrap_or(start);
        if earliest >= start {
            break;
        }
        start = earliest;
    }
    Some(start.max(since))
}

/// What the walk found.
struct Survey {
    /// The commits authored in the time range, in walk order.
    nodes: Vec<Node>,
    /// The newest author time of every reachable commit.
    newest: i64,
}

/// A commit the pass processes.
struct Node {
    id: ObjectId,
    tree: ObjectId,
    /// Its parents as stored (none for a shallow boundary): its trees are diffed against
    /// theirs, whether or not they are in the range.
    parents: Vec<ObjectId>,
    author: i64,
}

/// The commits of the range and the order they are processed in.
struct Graph {
    nodes: Vec<Node>,
    index: HashMap<ObjectId, usize>,
    /// Each commit's distinct parents in the range.
    in_parents: Vec<Vec<usize>>,
    /// Each commit's children in the range.
    children: Vec<u32>,
    /// Whether the commit is in the output: not a merge, authored in `[since, until)`.
    output: Vec<bool>,
    /// Node indexes, parents before children; among commits ready at the same time, the
    /// oldest author time first.
    order: Vec<usize>,
}

impl Graph {
    fn new(nodes: Vec<Node>, since: i64, until: i64) -> Self {
        let index: HashMap<ObjectId, usize> =
            nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
        let in_parents: Vec<Vec<usize>> = nodes
            .iter()
            .map(|n| {
                let mut parents = Vec::with_capacity(n.parents.len());
                for p in &n.parents {
                    if let Some(&j) = index.get(p)
                        && !parents.contains(&j)
                    {
                        parents.push(j);
                    }
                }
                parents
            })
            .collect();
        let mut kids: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
        for (i, parents) in in_parents.iter().enumerate() {
            for &p in parents {
                kids[p].push(i);
            }
        }
        let children = kids
            .iter()
            .map(|k| u32::try_from(k.len()).unwrap_or(u32::MAX))
            .collect();
        let mut waiting: Vec<usize> = in_parents.iter().map(Vec::len).collect();
        let mut ready: BinaryHeap<Reverse<(i64, usize)>> = waiting
            .iter()
            .enumerate()
            .filter(|(_, w)| **w == 0)
            .map(|(i, _)| Reverse((nodes[i].author, i)))
            .collect();
        let mut order = Vec::with_capacity(nodes.len());
        while let Some(Reverse((_, i))) = ready.pop() {
            order.push(i);
            for &c in &kids[i] {
                waiting[c] -= 1;
                if waiting[c] == 0 {
                    ready.push(Reverse((nodes[c].author, c)));
                }
            }
        }
        let output = nodes
            .iter()
            .map(|n| n.parents.len() <= 1 && n.author >= since && n.author < until)
            .collect();
        Graph {
            nodes,
            index,
            in_parents,
            children,
            output,
            order,
        }
    }
}

/// One commit's diffs, made on a worker.
struct CommitDiff {
    /// Against the first parent (the empty tree for a root), sorted by path; `None` when a
    /// tree is missing. For a merge, files may be [`Lines::SameAs`].
    files: Option<Vec<FileDiff>>,
    /// For a merge, against each other parent in order: every changed path, sorted, with
    /// line diffs for the paths also in `files`; `None` when that parent's tree is missing.
    others: Vec<Option<Vec<OtherDiff>>>,
}

struct FileDiff {
    path: BString,
    lines: Lines,
}

struct OtherDiff {
    path: BString,
    /// Only for the paths that also differ from the first parent.
    lines: Option<Lines>,
}

enum Lines {
    Text(TextDiff),
    /// In a merge: the file is exactly as the other parent at this index (of the parents
    /// after the first) has it; the line diff against the first parent is left to the
    /// applier, which rarely needs it.
    SameAs {
        parent: usize,
        old: Option<Side>,
        new: Option<Side>,
    },
    /// Either side is binary: no lines.
    Binary,
    /// A blob is missing: the file is skipped.
    Unknown,
}

struct TextDiff {
    /// Lines on the old side.
    before: u32,
    /// Lines on the new side.
    after: u32,
    /// Lines added (the sum of the hunks' new sides).
    added: u32,
    hunks: Vec<Hunk>,
    markers_added: u32,
    markers_removed: u32,
}

/// One diff thread's repository handle and buffers.
struct DiffWorker {
    repo: gix::Repository,
    trees: TreeDiffer,
    deltas: Vec<FileDelta>,
    old_blob: Vec<u8>,
    new_blob: Vec<u8>,
    commit_buf: Vec<u8>,
    diff: Diff,
}

impl DiffWorker {
    fn new(owner: &Repository) -> Self {
        DiffWorker {
            repo: owner.thread_repo(),
            trees: TreeDiffer::default(),
            deltas: Vec::new(),
            old_blob: Vec::new(),
            new_blob: Vec::new(),
            commit_buf: Vec::new(),
            diff: Diff::default(),
        }
    }

    fn diff(&mut self, node: &Node) -> CommitDiff {
        let first_tree = match node.parents.first() {
            None => Some(None),
            Some(p) => self.tree_of(*p).map(Some),
        };
        let Some(parent_tree) = first_tree else {
            return CommitDiff {
                files: None,
                others: Vec::new(),
            };
        };
        if node.parents.len() > 1 {
            return self.merge_diff(node, parent_tree);
        }
        let mut deltas = std::mem::take(&mut self.deltas);
        let files = self
            .trees
            .changes(&self.repo, parent_tree, node.tree, &mut deltas)
            .then(|| {
                let mut files: Vec<FileDiff> = deltas
                    .iter()
                    .map(|d| FileDiff {
                        path: d.path.clone(),
                        lines: self.lines(d.old, d.new),
                    })
                    .collect();
                files.sort_by(|a, b| a.path.cmp(&b.path));
                files
            });
        self.deltas = deltas;
        CommitDiff {
            files,
            others: Vec::new(),
        }
    }

    /// A merge's diffs: the tree diffs against every parent first, so that a file the
    /// merge has exactly as another parent had it is not line-diffed against the first
    /// parent (the applier decides whether that diff is needed).
    fn merge_diff(&mut self, node: &Node, parent_tree: Option<ObjectId>) -> CommitDiff {
        let mut deltas = std::mem::take(&mut self.deltas);
        if !self
            .trees
            .changes(&self.repo, parent_tree, node.tree, &mut deltas)
        {
            self.deltas = deltas;
            return CommitDiff {
                files: None,
                others: Vec::new(),
            };
        }
        deltas.sort_by(|a, b| a.path.cmp(&b.path));
        let mut other_deltas: Vec<Option<Vec<FileDelta>>> = Vec::new();
        for p in node.parents.iter().skip(1) {
            let changed = self.tree_of(*p).and_then(|tree| {
                let mut changed = Vec::new();
                self.trees
                    .changes(&self.repo, Some(tree), node.tree, &mut changed)
                    .then(|| {
                        changed.sort_by(|a, b| a.path.cmp(&b.path));
                        changed
                    })
            });
            other_deltas.push(changed);
        }
        let files: Vec<FileDiff> = deltas
            .iter()
            .map(|d| {
                let same_as = other_deltas.iter().position(|changed| {
                    changed.as_ref().is_some_and(|changed| {
                        changed.binary_search_by(|c| c.path.cmp(&d.path)).is_err()
                    })
                });
                let lines = match same_as {
                    Some(parent) => Lines::SameAs {
                        parent,
                        old: d.old,
                        new: d.new,
                    },
                    None => self.lines(d.old, d.new),
                };
                FileDiff {
                    path: d.path.clone(),
                    lines,
                }
            })
            .collect();
        self.deltas = deltas;
        let others = other_deltas
            .into_iter()
            .map(|changed| {
                changed.map(|changed| {
                    changed
                        .iter()
                        .map(|d| {
                            let shared = files.binary_search_by(|f| f.path.cmp(&d.path)).is_ok();
                            OtherDiff {
                                path: d.path.clone(),
                                lines: shared.then(|| self.lines(d.old, d.new)),
                            }
                        })
                        .collect()
                })
            })
            .collect();
        CommitDiff {
            files: Some(files),
            others,
        }
    }

    fn tree_of(&mut self, commit: ObjectId) -> Option<ObjectId> {
        let data = self
            .repo
            .objects
            .try_find(&commit, &mut self.commit_buf)
            .ok()??;
        gix::objs::CommitRefIter::from_bytes(data.data, self.repo.object_hash())
            .tree_id()
            .ok()
    }

    /// The line diff of one file, tokenised as [`numstat`] tokenises it.
    fn lines(&mut self, old: Option<Side>, new: Option<Side>) -> Lines {
        if let Content::Missing = numstat::load(&self.repo, old, &mut self.old_blob) {
            return Lines::Unknown;
        }
        if let Content::Missing = numstat::load(&self.repo, new, &mut self.new_blob) {
            return Lines::Unknown;
        }
        if numstat::is_binary(&self.old_blob) || numstat::is_binary(&self.new_blob) {
            return Lines::Binary;
        }
        if let (Some(o), Some(n)) = (old, new)
            && o.oid == n.oid
        {
            // A mode change alone: no line changes.
            let lines = numstat::count_lines(&self.new_blob);
            return Lines::Text(TextDiff {
                before: lines,
                after: lines,
                added: 0,
                hunks: Vec::new(),
                markers_added: 0,
                markers_removed: 0,
            });
        }
        let input = InternedInput::new(self.old_blob.as_slice(), self.new_blob.as_slice());
        self.diff.compute_with(
            Algorithm::Myers,
            &input.before,
            &input.after,
            input.interner.num_tokens(),
        );
        self.diff.postprocess_lines(&input);
        let marked = |tokens: &[gix_imara_diff::Token], range: &std::ops::Range<u32>| -> u32 {
            let (start, end) = (range.start as usize, range.end as usize);
            let count = tokens
                .get(start..end)
                .unwrap_or_default()
                .iter()
                .filter(|&&t| has_marker(input.interner[t]))
                .count();
            u32::try_from(count).unwrap_or(u32::MAX)
        };
        let mut text = TextDiff {
            before: u32::try_from(input.before.len()).unwrap_or(u32::MAX),
            after: u32::try_from(input.after.len()).unwrap_or(u32::MAX),
            added: 0,
            hunks: Vec::new(),
            markers_added: 0,
            markers_removed: 0,
        };
        for hunk in self.diff.hunks() {
            text.added += hunk.after.end - hunk.after.start;
            text.markers_removed += marked(&input.before, &hunk.before);
            text.markers_added += marked(&input.after, &hunk.after);
            text.hunks.push(hunk);
        }
        Lines::Text(text)
    }
}

/// The markers of technical debt, counted as uppercase whole words.
const MARKERS: [&[u8]; 3] = [b"TODO", b"FIXME", b"HACK"];

/// Whether a line holds a marker as a whole word: not `TODOS`, `HACKED`, `MY_TODO` or
/// `todo`. Word characters are ASCII letters, digits and `_`.
fn has_marker(line: &[u8]) -> bool {
    let is_word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    MARKERS.iter().any(|marker| {
        let mut from = 0;
        while let Some(found) = line.get(from..).and_then(|rest| rest.find(marker)) {
            let at = from + found;
            let end = at + marker.len();
            let before = at.checked_sub(1).and_then(|i| line.get(i));
            if !before.is_some_and(is_word) && !line.get(end).is_some_and(is_word) {
                return true;
            }
            from = at + 1;
        }
        false
    })
}

/// Where a line came from: a line added by a commit in the output range (a node index and
/// the line's number among all lines tracked), or [`OLD`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Origin {
    node: u32,
    line: u32,
}

/// A line written before the range, by a commit outside it, or by a merge: never counted.
const OLD: Origin = Origin {
    node: u32::MAX,
    line: u32::MAX,
};

impl Origin {
    fn tracked(self) -> bool {
        self.node != u32::MAX
    }
}

/// The origins of one file's lines, shared between states until a commit changes it.
struct FileLines {
    lines: Vec<Origin>,
    /// No tracked line is newer (by author time) than this: a bound that lets a merge
    /// skip files where no line can still churn.
    newest: i64,
}
/// A commit's files holding tracked lines, by interned path.
type State = HashMap<u32, Rc<FileLines>>;

/// Two bits per tracked line: deleted by some commit, and deleted within the horizon.
#[derive(Default)]
struct Marks {
    deleted: Vec<u64>,
    churned: Vec<u64>,
    next: u32,
}

impl Marks {
    /// Numbers for `n` new lines: the first, or `None` past four billion lines (those lines
    /// are then not tracked).
    fn allocate(&mut self, n: u32) -> Option<u32> {
        let start = self.next;
        let end = start.checked_add(n)?;
        self.next = end;
        let words = (end as usize).div_ceil(64);
        self.deleted.resize(words, 0);
        self.churned.resize(words, 0);
        Some(start)
    }

    fn is_deleted(&self, line: u32) -> bool {
        bit(&self.deleted, line)
    }

    fn delete(&mut self, line: u32, churned: bool) {
        set(&mut self.deleted, line);
        if churned {
            set(&mut self.churned, line);
        }
    }

    fn churned_in(&self, first: u32, len: u32) -> u32 {
        let count = (first..first.saturating_add(len))
            .filter(|&l| bit(&self.churned, l))
            .count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }
}

fn bit(bits: &[u64], i: u32) -> bool {
    bits.get(i as usize / 64)
        .is_some_and(|w| w & (1 << (i % 64)) != 0)
}

fn set(bits: &mut [u64], i: u32) {
    if let Some(w) = bits.get_mut(i as usize / 64) {
        *w |= 1 << (i % 64);
    }
}

/// A file of an output commit, waiting for the churn count at the end.
struct PendingFile {
    path: String,
    added: u32,
    /// The number of its first tracked line, when its lines are tracked.
    first: Option<u32>,
    markers_added: u32,
    markers_removed: u32,
}

/// Applies the diffs, in processing order, to the states.
struct Applier<'g> {
    repo: &'g Repository,
    /// Diffs the few merge files whose diff the workers left out, made when needed.
    worker: Option<DiffWorker>,
    graph: &'g Graph,
    horizon: i64,
    paths: HashMap<BString, u32>,
    /// The state of each processed commit with children still to process.
    states: Vec<Option<State>>,
    /// Children in the range not processed yet.
    remaining: Vec<u32>,
    marks: Marks,
    out: Vec<(usize, Vec<PendingFile>)>,
    removed: Vec<Origin>,
}

impl<'g> Applier<'g> {
    fn new(repo: &'g Repository, graph: &'g Graph, horizon: i64) -> Self {
        Applier {
            repo,
            worker: None,
            graph,
            horizon,
            paths: HashMap::new(),
            states: (0..graph.nodes.len()).map(|_| None).collect(),
            remaining: graph.children.clone(),
            marks: Marks::default(),
            out: Vec::new(),
            removed: Vec::new(),
        }
    }

    fn apply(&mut self, i: usize, diff: CommitDiff) {
        let graph = self.graph;
        let node = &graph.nodes[i];
        let mut state = match node.parents.first().and_then(|p| graph.index.get(p)) {
            Some(&p) => self.inherit(p),
            None => State::new(),
        };
        let files = match diff.files {
            // The changed files are unknown: start again with every line old.
            None => {
                state.clear();
                Vec::new()
            }
            Some(files) if node.parents.len() > 1 => {
                self.merge(i, &mut state, &files, &diff.others);
                Vec::new()
            }
            Some(files) => self.commit(i, &mut state, &files),
        };
        if graph.output[i] {
            self.out.push((i, files));
        }
        for &p in &graph.in_parents[i] {
            self.remaining[p] = self.remaining[p].saturating_sub(1);
            if self.remaining[p] == 0 {
                self.states[p] = None;
            }
        }
        if self.remaining[i] > 0 {
            self.states[i] = Some(state);
        }
    }

    /// A parent's state for a child: moved when the child is its last, else cloned.
    fn inherit(&mut self, parent: usize) -> State {
        if self.remaining[parent] <= 1 {
            self.states[parent].take().unwrap_or_default()
        } else {
            self.states[parent].clone().unwrap_or_default()
        }
    }

    fn intern(&mut self, path: &BString) -> u32 {
        if let Some(&id) = self.paths.get(path) {
            return id;
        }
        let id = u32::try_from(self.paths.len()).unwrap_or(u32::MAX);
        self.paths.insert(path.clone(), id);
        id
    }

    /// Records the deletion of a line by a commit authored at `time`.
    fn delete(&mut self, origin: Origin, time: i64) {
        if !origin.tracked() {
            return;
        }
        let Some(written) = self.graph.nodes.get(origin.node as usize) else {
            return;
        };
        let age = time.saturating_sub(written.author);
        self.marks
            .delete(origin.line, (0..=self.horizon).contains(&age));
    }

    /// A non-merge commit: its files' new origins, deletions and output rows.
    fn commit(&mut self, i: usize, state: &mut State, files: &[FileDiff]) -> Vec<PendingFile> {
        let node = &self.graph.nodes[i];
        let (time, output) = (node.author, self.graph.output[i]);
        let tracked_node = u32::try_from(i).ok().filter(|_| output);
        let mut out = Vec::new();
        for file in files {
            let path = self.intern(&file.path);
            match &file.lines {
                // `SameAs` is for merges only.
                Lines::Unknown | Lines::SameAs { .. } => {
                    state.remove(&path);
                }
                Lines::Binary => {
                    if let Some(old) = state.remove(&path) {
                        for &o in &old.lines {
                            self.delete(o, time);
                        }
                    }
                }
                Lines::Text(d) => {
                    let first = tracked_node.and_then(|_| self.marks.allocate(d.added));
                    let old = state.get(&path).cloned();
                    let mut removed = std::mem::take(&mut self.removed);
                    removed.clear();
                    let mut k = 0;
                    let new = rebuild(
                        consistent(old.as_deref(), d.before),
                        d,
                        &mut removed,
                        |_| {
                            let origin = match (tracked_node, first) {
                                (Some(node), Some(first)) => Origin {
                                    node,
                                    line: first + k,
                                },
                                _ => OLD,
                            };
                            k += 1;
                            origin
                        },
                    );
                    for &o in &removed {
                        self.delete(o, time);
                    }
                    self.removed = removed;
                    let mut newest = old.map_or(i64::MIN, |f| f.newest);
                    if first.is_some() && d.added > 0 {
                        newest = newest.max(time);
                    }
                    store(state, path, new, newest);
                    if output {
                        out.push(PendingFile {
                            path: path_to_string(file.path.as_ref()),
                            added: d.added,
                            first,
                            markers_added: d.markers_added,
                            markers_removed: d.markers_removed,
                        });
                    }
                }
            }
        }
        out
    }

    /// A merge: carries origins from every parent and deletes what it dropped (see the
    /// module documentation).
    ///
    /// Looking for dropped lines must not cost a pass over every file a merge touches (a
    /// merge of an old branch differs from it in most of the tree). Candidates come from
    /// the diffs' removed lines and are first filtered by the "already deleted" bit, which
    /// leaves almost none; only then is the merged file's set of origins built. Files the
    /// merge kept exactly as the first parent had them have no diff against the other
    /// parent, so their lines are scanned, but only when a line in them can still churn.
    fn merge(
        &mut self,
        i: usize,
        state: &mut State,
        files: &[FileDiff],
        others: &[Option<Vec<OtherDiff>>],
    ) {
        let graph = self.graph;
        let node = &graph.nodes[i];
        let (time, horizon) = (node.author, self.horizon);
        let oldest_churnable = time.saturating_sub(horizon);
        let can_churn = |o: &Origin| {
            graph
                .nodes
                .get(o.node as usize)
                .is_some_and(|n| (0..=horizon).contains(&time.saturating_sub(n.author)))
        };
        let other_parents: Vec<Option<usize>> = node
            .parents
            .iter()
            .skip(1)
            .map(|p| graph.index.get(p).copied())
            .collect();
        // Lines of a parent the merge may have dropped, by path: checked once the merged
        // files are known.
        let mut candidates: Vec<(u32, Origin)> = Vec::new();
        let mut unknown: HashSet<u32> = HashSet::new();
        for file in files {
            let path = self.intern(&file.path);
            let old = state.get(&path).cloned();
            let diffed;
            let lines = match &file.lines {
                Lines::SameAs {
                    parent,
                    old: old_side,
                    new: new_side,
                } => {
                    let parent = other_parents.get(*parent).copied().flatten();
                    // The first parent's lines matter only if one of them can still churn.
                    let first = old.as_deref().filter(|f| f.newest >= oldest_churnable);
                    if let Some(taken) = self.as_is(path, first, parent, &can_churn) {
                        match taken {
                            Some(file) => state.insert(path, file),
                            None => state.remove(&path),
                        };
                        continue;
                    }
                    let repo = self.repo;
                    diffed = self
                        .worker
                        .get_or_insert_with(|| DiffWorker::new(repo))
                        .lines(*old_side, *new_side);
                    &diffed
                }
                lines => lines,
            };
            let Lines::Text(d) = lines else {
                match lines {
                    Lines::Binary => {
                        if let Some(old) = &old {
                            candidates.extend(old.lines.iter().map(|&o| (path, o)));
                        }
                    }
                    _ => {
                        unknown.insert(path);
                    }
                }
                state.remove(&path);
                continue;
            };
            let mut sources: Vec<(Mapping, Rc<FileLines>, Option<&TextDiff>)> = Vec::new();
            for (diffs, parent) in others.iter().zip(&other_parents) {
                let (Some(diffs), Some(parent)) = (diffs, parent) else {
                    continue;
                };
                let Some(lines) = self.states[*parent]
                    .as_ref()
                    .and_then(|s| s.get(&path))
                    .cloned()
                else {
                    continue;
                };
                match diffs.binary_search_by(|o| o.path.cmp(&file.path)) {
                    // The merge has this parent's file as it is.
                    Err(_) if lines.lines.len() == d.after as usize => {
                        sources.push((Mapping::Identity, lines, None));
                    }
                    Ok(pos) => {
                        if let Some(Lines::Text(dk)) = &diffs[pos].lines
                            && lines.lines.len() == dk.before as usize
                        {
                            sources.push((Mapping::Hunks(after_to_before(dk)), lines, Some(dk)));
                        }
                    }
                    Err(_) => {}
                }
            }
            let mut removed = std::mem::take(&mut self.removed);
            removed.clear();
            let new = rebuild(consistent(old.as_deref(), d.before), d, &mut removed, |j| {
                sources
                    .iter()
                    .find_map(|(mapping, file, _)| {
                        file.lines
                            .get(mapping.before(j)?)
                            .copied()
                            .filter(|o| o.tracked())
                    })
                    .unwrap_or(OLD)
            });
            // The first parent's lines the diff removed, and each other parent's.
            candidates.extend(removed.iter().map(|&o| (path, o)));
            self.removed = removed;
            for (_, file, dk) in &sources {
                let Some(dk) = dk else { continue };
                for h in &dk.hunks {
                    let removed = file
                        .lines
                        .get(h.before.start as usize..h.before.end as usize)
                        .unwrap_or_default();
                    candidates.extend(removed.iter().map(|&o| (path, o)));
                }
            }
            let newest = sources
                .iter()
                .map(|(_, f, _)| f.newest)
                .fold(old.map_or(i64::MIN, |f| f.newest), i64::max);
            store(state, path, new, newest);
        }
        for (diffs, parent) in others.iter().zip(&other_parents) {
            let (Some(diffs), Some(parent)) = (diffs, parent) else {
                continue;
            };
            let Some(parent_state) = self.states[*parent].as_ref() else {
                continue;
            };
            for diff in diffs {
                if diff.lines.is_some() {
                    // Also changed relative to the first parent: done above.
                    continue;
                }
                if let Some(&path) = self.paths.get(&diff.path)
                    && let Some(file) = parent_state.get(&path)
                    && file.newest >= oldest_churnable
                {
                    candidates.extend(
                        file.lines
                            .iter()
                            .filter(|o| o.tracked() && can_churn(o))
                            .map(|&o| (path, o)),
                    );
                }
            }
        }
        candidates.retain(|(path, o)| {
            o.tracked() && !self.marks.is_deleted(o.line) && !unknown.contains(path)
        });
        if candidates.is_empty() {
            return;
        }
        let mut merged: HashMap<u32, HashSet<u32>> = HashMap::new();
        for (path, o) in candidates {
            let merged = merged.entry(path).or_insert_with(|| {
                state.get(&path).map_or_else(HashSet::new, |file| {
                    file.lines
                        .iter()
                        .filter(|o| o.tracked())
                        .map(|o| o.line)
                        .collect()
                })
            });
            if !merged.contains(&o.line) && !self.marks.is_deleted(o.line) {
                self.delete(o, time);
            }
        }
    }

    /// A merge file that is exactly another parent's: that parent's origins, without a
    /// diff against the first parent, unless a line of the first parent that could still
    /// churn, and that no commit deleted, is missing from it (the merge may have dropped
    /// it: only the diff can tell). `None` asks for the diff; `Some(None)`: no tracked
    /// lines.
    fn as_is(
        &self,
        path: u32,
        first: Option<&FileLines>,
        parent: Option<usize>,
        can_churn: &dyn Fn(&Origin) -> bool,
    ) -> Option<Option<Rc<FileLines>>> {
        let taken = parent
            .and_then(|p| self.states[p].as_ref())
            .and_then(|s| s.get(&path))
            .cloned();
        let mut lost: Vec<u32> = first
            .map(|f| {
                f.lines
                    .iter()
                    .filter(|o| o.tracked() && !self.marks.is_deleted(o.line) && can_churn(o))
                    .map(|o| o.line)
                    .collect()
            })
            .unwrap_or_default();
        if !lost.is_empty()
            && let Some(taken) = &taken
        {
            let kept: HashSet<u32> = taken
                .lines
                .iter()
                .filter(|o| o.tracked())
                .map(|o| o.line)
                .collect();
            lost.retain(|l| !kept.contains(l));
        }
        lost.is_empty().then_some(taken)
    }

    fn finish(self, newest: i64) -> Vec<CommitSurvival> {
        let Applier {
            graph,
            horizon,
            marks,
            out,
            ..
        } = self;
        out.into_iter()
            .map(|(i, files)| {
                let node = &graph.nodes[i];
                let mut files: Vec<FileSurvival> = files
                    .into_iter()
                    .map(|f| FileSurvival {
                        lines_churned: f.first.map_or(0, |first| marks.churned_in(first, f.added)),
                        path: f.path,
                        lines_added: f.added,
                        markers_added: f.markers_added,
                        markers_removed: f.markers_removed,
                    })
                    .collect();
                files.sort_by(|a, b| a.path.cmp(&b.path));
                CommitSurvival {
                    id: node.id.to_string(),
                    author_time: node.author,
                    files,
                    horizon_complete: newest >= node.author.saturating_add(horizon),
                }
            })
            .collect()
    }
}

/// How a merge's lines map to another parent's lines.
enum Mapping {
    /// The file is the same in both.
    Identity,
    /// For each line of the merge, the parent's line it is, or `u32::MAX` for none.
    Hunks(Vec<u32>),
}

impl Mapping {
    fn before(&self, after: u32) -> Option<usize> {
        match self {
            Mapping::Identity => Some(after as usize),
            Mapping::Hunks(map) => map
                .get(after as usize)
                .copied()
                .filter(|&b| b != u32::MAX)
                .map(|b| b as usize),
        }
    }
}

fn after_to_before(d: &TextDiff) -> Vec<u32> {
    let mut map = Vec::with_capacity(d.after as usize);
    let mut b = 0;
    for h in &d.hunks {
        map.extend(b..h.before.start);
        map.extend(std::iter::repeat_n(
            u32::MAX,
            (h.after.end - h.after.start) as usize,
        ));
        b = h.before.end;
    }
    map.extend(b..d.before);
    map
}

/// A state's origins for a file whose old side has `len` lines; `None` (every line old)
/// when it has none or, after a missing object upstream, a different number of lines.
fn consistent(old: Option<&FileLines>, len: u32) -> Option<&[Origin]> {
    let old = &old?.lines;
    if old.len() == len as usize {
        Some(old)
    } else {
        tracing::debug!(
            expected = len,
            found = old.len(),
            "line survival: a file's state has the wrong length; its lines are taken as old"
        );
        None
    }
}

/// The new side's origins: unchanged lines keep theirs, removed lines go to `removed`,
/// added line `j` (of the new side) gets `added(j)`.
fn rebuild(
    old: Option<&[Origin]>,
    d: &TextDiff,
    removed: &mut Vec<Origin>,
    mut added: impl FnMut(u32) -> Origin,
) -> Vec<Origin> {
    let at = |i: u32| old.and_then(|o| o.get(i as usize)).copied().unwrap_or(OLD);
    let mut out = Vec::with_capacity(d.after as usize);
    let mut b = 0;
    for h in &d.hunks {
        out.extend((b..h.before.start).map(at));
        removed.extend(h.before.clone().map(at));
        out.extend(h.after.clone().map(&mut added));
        b = h.before.end;
    }
    out.extend((b..d.before).map(at));
    out
}

/// Keeps a file's origins in the state only while it has tracked lines.
fn store(state: &mut State, path: u32, lines: Vec<Origin>, newest: i64) {
    if lines.iter().any(|o| o.tracked()) {
        state.insert(path, Rc::new(FileLines { lines, newest }));
    } else {
        state.remove(&path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_uppercase_whole_words() {
        for (line, expected) in [
            (&b"// TODO: later\n"[..], true),
            (b"FIXME(bob)", true),
            (b"HACK", true),
            (b"(TODO)", true),
            (b"x-HACK-y", true),
            (b"TODOS", false),
            (b"HACKED", false),
            (b"todo", false),
            (b"MY_TODO", false),
            (b"TODO_LIST", false),
            (b"2FIXME", false),
            (b"TODOS and then TODO", true),
            (b"", false),
        ] {
            assert_eq!(has_marker(line), expected, "{:?}", line.as_bstr());
        }
    }

    #[test]
    fn bits_set_and_count() {
        let mut marks = Marks::default();
        assert_eq!(marks.allocate(70), Some(0));
        assert_eq!(marks.allocate(10), Some(70));
        marks.delete(3, true);
        marks.delete(64, false);
        marks.delete(75, true);
        assert!(marks.is_deleted(64) && !marks.is_deleted(65));
        assert_eq!(marks.churned_in(0, 70), 1);
        assert_eq!(marks.churned_in(70, 10), 1);
    }
}
