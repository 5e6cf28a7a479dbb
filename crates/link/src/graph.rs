//! The stored commit graph of every repository, with lookups by (short) sha and
//! reachability walks that stay linear in the commits they visit.
//!
//! Histories have hundreds of thousands of commits and chains as long as the history, so
//! nothing here recurses: every walk keeps an explicit stack or queue. Commits are numbered
//! by [`CommitIx`] in (repository, id) order, which keeps each repository's commits in one
//! contiguous, sorted block: a short sha is found by binary search in its repository's
//! block, and a per-repository set of commits can be a bit set over that block.

use foldhash::{HashMap, HashMapExt, HashSet};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BinaryHeap;
use std::ops::Range;
use std::sync::Arc;

/// The shortest abbreviated sha [`CommitGraph::lookup`] accepts, as git's default.
pub const MIN_PREFIX: usize = 7;

/// One commit as the store keeps it, the input of [`CommitGraph::new`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CommitNode {
    /// The store's short name of the repository (its directory name), shared by its
    /// commits.
    pub repo: Arc<str>,
    /// Full hexadecimal object id.
    pub id: Arc<str>,
    /// Full ids of the parents, first parent first.
    pub parents: Vec<String>,
    pub author_email: Arc<str>,
    /// Author time, seconds since the Unix epoch.
    pub author_time: i64,
}

/// A commit's number in a [`CommitGraph`]. Numbers follow (repository, id) order, so
/// sorting by them sorts by id within a repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct CommitIx(usize);

impl CommitIx {
    pub fn index(self) -> usize {
        self.0
    }

    /// The commit numbered `i` (below [`CommitGraph::len`]).
    pub(crate) fn at(i: usize) -> CommitIx {
        CommitIx(i)
    }
}

/// What [`CommitGraph::lookup`] found for a sha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    Found(CommitIx),
    /// A prefix shared by two or more commits of the repository.
    Ambiguous,
    /// A well-formed sha (or prefix) that names no stored commit of the repository, or a
    /// repository the graph does not have.
    NotFound,
    /// Not hexadecimal, or shorter than [`MIN_PREFIX`].
    Invalid,
}

/// The commits of every stored repository and their parent links.
#[derive(Debug, Clone, Default)]
pub struct CommitGraph {
    /// Repository name and its block of commit numbers, sorted by name.
    repos: Vec<(String, Range<usize>)>,
    /// Commit `i`'s full id, lower case, and its author's email: one buffer each rather
    /// than a string per commit (a large history has hundreds of thousands).
    ids: Packed,
    emails: Packed,
    times: Vec<i64>,
    /// Commit `i`'s parents are `parent_list[parent_start[i]..parent_start[i + 1]]`.
    parent_start: Vec<usize>,
    parent_list: Vec<CommitIx>,
    /// 1 for a commit without (stored) parents, else one more than its highest parent:
    /// a commit can only be reached from commits of a higher generation, which is what
    /// lets [`CommitGraph::only`] stop early and exactly.
    generation: Vec<u32>,
    /// Per node of the input, in its order: its commit (a repeated node maps to the one
    /// kept).
    of_node: Vec<CommitIx>,
    notes: Vec<String>,
}

/// Strings stored one after the other in one buffer; string `i` ends at `ends[i]`, and
/// `heads[i]` is its [`head`], which orders sorted strings as they are (never
/// decreasing): a search compares whole strings only among equal heads.
#[derive(Debug, Clone, Default)]
struct Packed {
    text: String,
    ends: Vec<usize>,
    heads: Vec<u64>,
}

/// The first eight bytes of `s` as a big-endian number, zeros past its end: when
/// `a < b` as strings, `head(a) <= head(b)`.
fn head(s: &str) -> u64 {
    let mut bytes = [0u8; 8];
    for (b, s) in bytes.iter_mut().zip(s.bytes()) {
        *b = s;
    }
    u64::from_be_bytes(bytes)
}

impl Packed {
    fn with_capacity(strings: usize, bytes: usize) -> Packed {
        Packed {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(strings),
            heads: Vec::with_capacity(strings),
        }
    }

    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len());
        self.heads.push(head(s));
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Adds the strings of `next` after these.
    fn append(&mut self, next: Packed) {
        let offset = self.text.len();
        self.text.push_str(&next.text);
        self.ends.extend(next.ends.into_iter().map(|e| e + offset));
        self.heads.extend(next.heads);
    }

    /// String `i`; empty past the end.
    fn get(&self, i: usize) -> &str {
        let start = match i.checked_sub(1) {
            Some(j) => self.ends.get(j).copied(),
            None => Some(0),
        };
        // Every end is a char boundary: whole strings are pushed.
        start
            .zip(self.ends.get(i))
            .and_then(|(start, &end)| self.text.get(start..end))
            .unwrap_or_default()
    }

    /// The first index in `range` whose string is not less than `key`, assuming the
    /// strings of `range` are sorted.
    fn partition_point(&self, range: Range<usize>, key: &str) -> usize {
        let end = range.end.min(self.len());
        let heads = self.heads.get(range.start..end).unwrap_or_default();
        let h = head(key);
        // Strings of a smaller head are smaller than `key`, of a larger one larger.
        let mut lo = range.start + heads.partition_point(|&x| x < h);
        let mut hi = range.start + heads.partition_point(|&x| x <= h);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.get(mid) < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

/// A commit id as the graph compares ids: trimmed, in lower case (copied only when it is
/// not already).
pub fn lower_id(id: &str) -> Cow<'_, str> {
    let id = id.trim();
    if id.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(id.to_ascii_lowercase())
    } else {
        Cow::Borrowed(id)
    }
}

/// A run of repositories' blocks of a graph being built: their commits in order (from the
/// first block's start), with their parents found in their own block.
struct Blocks {
    ids: Packed,
    emails: Packed,
    times: Vec<i64>,
    /// Commit `i`'s parents start at `parent_start[i]` in `parent_list` (no end marker).
    parent_start: Vec<usize>,
    parent_list: Vec<CommitIx>,
    missing_parents: usize,
    with_missing: usize,
}

impl Blocks {
    /// Fills `blocks` (consecutive, as numbered in the graph) from the sorted `order` of
    /// `nodes`, whose lower-case ids are `keys`.
    /// The lists have room for the commits at `room` of `order` (a run that other runs are
    /// appended to has room for them too, and is not moved to grow).
    fn fill(
        nodes: &[CommitNode],
        keys: &[Cow<'_, str>],
        order: &[usize],
        blocks: &[(String, Range<usize>)],
        room: Range<usize>,
    ) -> Blocks {
        let start = blocks.first().map_or(0, |(_, r)| r.start);
        let end = blocks.last().map_or(0, |(_, r)| r.end);
        let commits = order.get(start..end).unwrap_or_default();
        let room = order.get(room).unwrap_or(commits);
        let (id_bytes, email_bytes) = room.iter().fold((0, 0), |(i, e), &k| {
            (i + keys[k].len(), e + nodes[k].author_email.len())
        });
        let mut out = Blocks {
            ids: Packed::with_capacity(room.len(), id_bytes),
            emails: Packed::with_capacity(room.len(), email_bytes),
            times: Vec::with_capacity(room.len()),
            parent_start: Vec::with_capacity(room.len()),
            parent_list: Vec::with_capacity(room.len()),
            missing_parents: 0,
            with_missing: 0,
        };
        for &k in commits {
            out.ids.push(&keys[k]);
            out.emails.push(&nodes[k].author_email);
            out.times.push(nodes[k].author_time);
        }
        for (_, block) in blocks {
            // The block as positions in this run.
            let local = block.start - start..block.end - start;
            for i in block.clone() {
                out.parent_start.push(out.parent_list.len());
                let mut missing_here = false;
                for p in &nodes[order[i]].parents {
                    let p = lower_id(p);
                    let j = out.ids.partition_point(local.clone(), &p);
                    if j < local.end && out.ids.get(j) == p {
                        out.parent_list.push(CommitIx(start + j));
                    } else {
                        out.missing_parents += 1;
                        missing_here = true;
                    }
                }
                out.with_missing += usize::from(missing_here);
            }
        }
        out
    }

    /// Adds the run of blocks that follows this one.
    fn append(&mut self, next: Blocks) {
        self.ids.append(next.ids);
        self.emails.append(next.emails);
        self.times.extend(next.times);
        let offset = self.parent_list.len();
        self.parent_start
            .extend(next.parent_start.into_iter().map(|p| p + offset));
        self.parent_list.extend(next.parent_list);
        self.missing_parents += next.missing_parents;
        self.with_missing += next.with_missing;
    }
}

impl CommitGraph {
    /// Builds the graph. Ids are compared in lower case; a repeated (repository, id) keeps
    /// its first node; parents missing from the input (a shallow or partial history) are
    /// left out, which makes their children roots. Each of these is counted in
    /// [`CommitGraph::notes`].
    pub fn new(nodes: Vec<CommitNode>) -> CommitGraph {
        CommitGraph::from_nodes(&nodes)
    }

    /// [`CommitGraph::new`] over borrowed nodes: copies only the ids and emails it keeps.
    pub fn from_nodes(nodes: &[CommitNode]) -> CommitGraph {
        // Ids are almost always stored trimmed and in lower case: those are not copied.
        let keys: Vec<Cow<'_, str>> = nodes.iter().map(|n| lower_id(&n.id)).collect();
        // Each node's repository as its rank among the distinct names. A history lists a
        // repository's commits together, so names are hashed once per run, not per node.
        let mut seen: HashMap<&str, u32> = HashMap::new();
        let mut last: Option<(&str, u32)> = None;
        let mut first_seen: Vec<u32> = Vec::with_capacity(nodes.len());
        for n in nodes {
            let name = &*n.repo;
            let r = match last {
                Some((l, r)) if l == name => r,
                _ => {
                    let next = u32::try_from(seen.len()).unwrap_or(u32::MAX);
                    let r = *seen.entry(name).or_insert(next);
                    last = Some((name, r));
                    r
                }
            };
            first_seen.push(r);
        }
        let mut names: Vec<(&str, u32)> = seen.into_iter().collect();
        names.sort_unstable();
        let mut rank_of = vec![0u32; names.len()];
        for (rank, (_, r)) in names.iter().enumerate() {
            if let Some(slot) = rank_of.get_mut(*r as usize) {
                *slot = u32::try_from(rank).unwrap_or(u32::MAX);
            }
        }
        // Sorted by (repository, id), equal ones in input order: by rank and the id's
        // first eight bytes, which decide almost every comparison, and only then by the
        // whole id and the node's place.
        let mut order: Vec<(u32, u64, usize)> = first_seen
            .iter()
            .zip(&keys)
            .enumerate()
            .map(|(i, (r, k))| (rank_of.get(*r as usize).copied().unwrap_or(0), head(k), i))
            .collect();
        drop(first_seen);
        order.sort_unstable_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| keys[a.2].cmp(&keys[b.2]))
                .then(a.2.cmp(&b.2))
        });
        let same = |a: &(u32, u64, usize), b: &(u32, u64, usize)| {
            a.0 == b.0 && a.1 == b.1 && keys[a.2] == keys[b.2]
        };
        // Each node's commit number: its place among the distinct (repo, id) in order.
        let mut of_node = vec![CommitIx(0); nodes.len()];
        let mut number = 0usize;
        for (i, k) in order.iter().enumerate() {
            if i > 0 && !same(&order[i - 1], k) {
                number += 1;
            }
            of_node[k.2] = CommitIx(number);
        }
        let before = order.len();
        order.dedup_by(|later, first| same(later, first));
        let duplicates = before - order.len();
        // Each repository's block: equal ranks are equal names.
        let mut blocks: Vec<(u32, usize, Range<usize>)> = Vec::new();
        for (i, &(rank, _, k)) in order.iter().enumerate() {
            match blocks.last_mut() {
                Some((r, _, range)) if *r == rank => range.end = i + 1,
                _ => blocks.push((rank, k, i..i + 1)),
            }
        }
        let repos: Vec<(String, Range<usize>)> = blocks
            .into_iter()
            .map(|(_, k, range)| (nodes[k].repo.to_string(), range))
            .collect();
        let order: Vec<usize> = order.into_iter().map(|(_, _, k)| k).collect();

        // The repositories' blocks are independent: they are filled in two runs of
        // blocks with about as many commits each, on two threads, and joined.
        let half = order.len() / 2;
        let split = repos.partition_point(|(_, r)| r.end <= half);
        let (first, second) = repos.split_at(split);
        let fill = |blocks: &[(String, Range<usize>)], room: Range<usize>| {
            Blocks::fill(nodes, &keys, &order, blocks, room)
        };
        let (mut built, rest) = if first.is_empty() || second.is_empty() {
            (fill(&repos, 0..order.len()), None)
        } else {
            std::thread::scope(|s| {
                let own = second.first().map_or(0, |(_, r)| r.start)..order.len();
                let later = s.spawn(|| fill(second, own));
                // Room for the later run too, which is appended to this one.
                let earlier = fill(first, 0..order.len());
                match later.join() {
                    Ok(later) => (earlier, Some(later)),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            })
        };
        if let Some(rest) = rest {
            built.append(rest);
        }
        let Blocks {
            ids,
            emails,
            times,
            mut parent_start,
            parent_list,
            missing_parents,
            with_missing,
        } = built;
        parent_start.push(parent_list.len());
        let mut graph = CommitGraph {
            repos,
            ids,
            emails,
            times,
            parent_start,
            parent_list,
            generation: Vec::new(),
            of_node,
            notes: Vec::new(),
        };

        let in_cycle = graph.compute_generations();

        if duplicates > 0 {
            graph.notes.push(format!(
                "{duplicates} repeated commits in the input: the first of each was kept"
            ));
        }
        if missing_parents > 0 {
            graph.notes.push(format!(
                "{missing_parents} parents of {with_missing} commits are not in the stored \
                 history (shallow or partial clone): those commits are treated as roots"
            ));
        }
        if in_cycle > 0 {
            graph.notes.push(format!(
                "{in_cycle} commits are in a parent cycle, which no git history has: \
                 walks through them may be incomplete"
            ));
        }
        graph
    }

    /// Kahn's algorithm from the roots; returns how many commits could not be ordered
    /// (they lie on or behind a cycle, which only hand-made input can have).
    fn compute_generations(&mut self) -> usize {
        let n = self.ids.len();
        let mut child_count = vec![0usize; n + 1];
        for p in &self.parent_list {
            child_count[p.0] += 1;
        }
        let mut child_start = Vec::with_capacity(n + 1);
        let mut acc = 0;
        for c in &child_count[..n] {
            child_start.push(acc);
            acc += c;
        }
        child_start.push(acc);
        let mut fill = child_start.clone();
        let mut children = vec![0usize; acc];
        let mut remaining = vec![0usize; n];
        for (i, rem) in remaining.iter_mut().enumerate() {
            for p in self.parents(CommitIx(i)) {
                children[fill[p.0]] = i;
                fill[p.0] += 1;
                *rem += 1;
            }
        }
        let mut generation = vec![0u32; n];
        let mut ready: Vec<usize> = (0..n).filter(|&i| remaining[i] == 0).collect();
        for &i in &ready {
            generation[i] = 1;
        }
        let mut ordered = 0;
        while let Some(i) = ready.pop() {
            ordered += 1;
            for &c in &children[child_start[i]..child_start[i + 1]] {
                generation[c] = generation[c].max(generation[i].saturating_add(1));
                remaining[c] -= 1;
                if remaining[c] == 0 {
                    ready.push(c);
                }
            }
        }
        self.generation = generation;
        n - ordered
    }

    /// The block of commit numbers of a repository; empty when the graph does not have it.
    pub fn repo_commits(&self, repo: &str) -> Range<usize> {
        self.repos
            .binary_search_by(|(name, _)| name.as_str().cmp(repo))
            .map_or(0..0, |k| self.repos[k].1.clone())
    }

    /// The stored repositories, sorted.
    pub fn repos(&self) -> impl Iterator<Item = &str> {
        self.repos.iter().map(|(name, _)| name.as_str())
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// The commit of the `i`-th node [`CommitGraph::from_nodes`] was given (a repeated
    /// node's is the one kept); `None` past the end.
    pub fn of_node(&self, i: usize) -> Option<CommitIx> {
        self.of_node.get(i).copied()
    }

    /// Every commit number, in order.
    pub fn commits(&self) -> impl Iterator<Item = CommitIx> + use<> {
        (0..self.len()).map(CommitIx)
    }

    pub fn is_empty(&self) -> bool {
        self.ids.len() == 0
    }

    /// The full id, lower case.
    pub fn id(&self, c: CommitIx) -> &str {
        self.ids.get(c.0)
    }

    /// The first eight bytes of the id as a number, which orders ids as they are (see
    /// [`Packed`]): sorting by it first leaves few whole ids to compare.
    pub(crate) fn id_head(&self, c: CommitIx) -> u64 {
        self.ids.heads.get(c.0).copied().unwrap_or(0)
    }

    pub fn repo(&self, c: CommitIx) -> &str {
        let k = self.repos.partition_point(|(_, r)| r.end <= c.0);
        self.repos.get(k).map_or("", |(name, _)| name.as_str())
    }

    /// The stored parents, first parent first.
    pub fn parents(&self, c: CommitIx) -> &[CommitIx] {
        &self.parent_list[self.parent_start[c.0]..self.parent_start[c.0 + 1]]
    }

    pub fn author_email(&self, c: CommitIx) -> &str {
        self.emails.get(c.0)
    }

    /// Seconds since the Unix epoch.
    pub fn author_time(&self, c: CommitIx) -> i64 {
        self.times[c.0]
    }

    /// What building the graph noticed (repeated commits, missing parents), with counts.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Finds a commit of `repo` by its full id or by a prefix of at least [`MIN_PREFIX`]
    /// hexadecimal digits that no other commit of the repository shares. Case-insensitive.
    pub fn lookup(&self, repo: &str, sha: &str) -> Lookup {
        let sha = lower_id(sha);
        let sha = sha.as_ref();
        if sha.len() < MIN_PREFIX || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Lookup::Invalid;
        }
        let block = self.repo_commits(repo);
        let i = self.ids.partition_point(block.clone(), sha);
        let at = |i: usize| (i < block.end).then(|| self.ids.get(i));
        match at(i) {
            Some(id) if id == sha => Lookup::Found(CommitIx(i)),
            Some(id) if id.starts_with(sha) => {
                if at(i + 1).is_some_and(|next| next.starts_with(sha)) {
                    Lookup::Ambiguous
                } else {
                    Lookup::Found(CommitIx(i))
                }
            }
            _ => Lookup::NotFound,
        }
    }

    /// [`CommitGraph::lookup`], when only a found commit matters.
    pub fn find(&self, repo: &str, sha: &str) -> Option<CommitIx> {
        match self.lookup(repo, sha) {
            Lookup::Found(c) => Some(c),
            _ => None,
        }
    }

    /// Every commit reachable from `starts`, the starts included (`git rev-list starts`),
    /// sorted. Linear in the commits returned.
    pub fn ancestors(&self, starts: &[CommitIx]) -> Vec<CommitIx> {
        self.ancestors_until(starts, |_| false).0
    }

    /// The commits reachable from `starts` without passing through a commit for which
    /// `stop` is true, sorted, and the stopping commits met on the way, sorted.
    ///
    /// When `stop` holds exactly for the ancestors of some commits `X` (an ancestor-closed
    /// set), the first list is `git rev-list starts --not X`, found in time linear in its
    /// own length. Deployments use that with the set of commits already shipped.
    pub fn ancestors_until(
        &self,
        starts: &[CommitIx],
        stop: impl FnMut(CommitIx) -> bool,
    ) -> (Vec<CommitIx>, Vec<CommitIx>) {
        self.walker().ancestors_until(starts, stop)
    }

    /// The commits reachable from `include` and not from `exclude`, sorted
    /// (`git rev-list include --not exclude`).
    ///
    /// Both sides are walked together, highest generation first, and the walk ends as soon
    /// as nothing still queued can be in the answer. A commit is only reachable from
    /// commits of a higher generation, so by the time it is taken from the queue every
    /// commit that could exclude it has been seen: the answer is exact, and the work is
    /// proportional to the commits between the two sides (plus, as in git, the excluded
    /// side's commits down to the oldest included one), not to the whole history.
    pub fn only(&self, include: &[CommitIx], exclude: &[CommitIx]) -> Vec<CommitIx> {
        self.walker().only(include, exclude)
    }

    /// A [`Walker`] over this graph, for many [`Walker::only`] walks in a row.
    pub fn walker(&self) -> Walker<'_> {
        Walker {
            graph: self,
            stamp: 0,
            stamps: Vec::new(),
            flags: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Whether `ancestor` is reachable from `descendant` (a commit is its own ancestor).
    /// Only commits of a higher generation than `ancestor` are walked.
    pub fn is_ancestor(&self, ancestor: CommitIx, descendant: CommitIx) -> bool {
        let floor = self.generation[ancestor.0];
        let mut seen: HashSet<CommitIx> = std::iter::once(descendant).collect();
        let mut stack = vec![descendant];
        while let Some(c) = stack.pop() {
            if c == ancestor {
                return true;
            }
            for &p in self.parents(c) {
                if self.generation[p.0] >= floor && seen.insert(p) {
                    stack.push(p);
                }
            }
        }
        false
    }
}

/// Walks of a [`CommitGraph`] that keep their memory from one to the next: a flag per
/// commit, valid when its stamp is the walk's (so a walk starts without clearing
/// anything), and the queue. Linking walks once per pull request and deployment.
pub struct Walker<'g> {
    graph: &'g CommitGraph,
    /// The current walk's stamp; a commit's flag holds when `stamps[c] == stamp`.
    stamp: u32,
    stamps: Vec<u32>,
    flags: Vec<u8>,
    heap: BinaryHeap<(u32, CommitIx)>,
}

impl Walker<'_> {
    const QUEUED: u8 = 1;
    const EXCLUDED: u8 = 2;
    const SEEN: u8 = 4;

    /// Starts a walk: every flag of the last one is void.
    fn begin(&mut self) {
        let n = self.graph.len();
        if self.stamps.len() != n {
            self.stamps = vec![0; n];
            self.flags = vec![0; n];
        }
        self.stamp = match self.stamp.checked_add(1) {
            Some(s) => s,
            None => {
                self.stamps.fill(0);
                1
            }
        };
        self.heap.clear();
    }

    /// Marks `c` seen in this walk; `false` when it already was (or is not a commit of
    /// the graph).
    fn see(&mut self, c: CommitIx) -> bool {
        if self.flag(c).is_some() {
            return false;
        }
        match (self.stamps.get_mut(c.0), self.flags.get_mut(c.0)) {
            (Some(stamp), Some(flag)) => {
                *stamp = self.stamp;
                *flag = Self::SEEN;
                true
            }
            _ => false,
        }
    }

    /// [`CommitGraph::ancestors_until`].
    pub fn ancestors_until(
        &mut self,
        starts: &[CommitIx],
        mut stop: impl FnMut(CommitIx) -> bool,
    ) -> (Vec<CommitIx>, Vec<CommitIx>) {
        self.begin();
        let mut visited = Vec::new();
        let mut stopped = Vec::new();
        let mut stack: Vec<CommitIx> = Vec::new();
        for &s in starts {
            if self.see(s) {
                stack.push(s);
            }
        }
        while let Some(c) = stack.pop() {
            if stop(c) {
                stopped.push(c);
                continue;
            }
            visited.push(c);
            for &p in self.graph.parents(c) {
                if self.see(p) {
                    stack.push(p);
                }
            }
        }
        visited.sort_unstable();
        stopped.sort_unstable();
        (visited, stopped)
    }

    /// [`CommitGraph::only`].
    pub fn only(&mut self, include: &[CommitIx], exclude: &[CommitIx]) -> Vec<CommitIx> {
        self.begin();
        let mut live = 0usize;
        for &c in exclude {
            self.add(c, true, &mut live);
        }
        for &c in include {
            self.add(c, false, &mut live);
        }
        let mut out = Vec::new();
        while live > 0 {
            let Some((_, c)) = self.heap.pop() else { break };
            let flag = match self.flag(c) {
                Some(f) => {
                    *f &= !Self::QUEUED;
                    *f
                }
                None => Self::EXCLUDED,
            };
            let excluded = flag & Self::EXCLUDED != 0;
            if !excluded {
                live -= 1;
                out.push(c);
            }
            for &p in self.graph.parents(c) {
                self.add(p, excluded, &mut live);
            }
        }
        out.sort_unstable();
        out
    }

    /// The flag of `c` in this walk, `None` when the walk has not met it (or `c` is not a
    /// commit of the graph).
    fn flag(&mut self, c: CommitIx) -> Option<&mut u8> {
        let stamp = *self.stamps.get(c.0)?;
        (stamp == self.stamp)
            .then(|| self.flags.get_mut(c.0))
            .flatten()
    }

    fn add(&mut self, c: CommitIx, excluded: bool, live: &mut usize) {
        match self.flag(c) {
            None => {
                let (Some(stamp), Some(flag), Some(&generation)) = (
                    self.stamps.get_mut(c.0),
                    self.flags.get_mut(c.0),
                    self.graph.generation.get(c.0),
                ) else {
                    return;
                };
                *stamp = self.stamp;
                *flag = Self::QUEUED | if excluded { Self::EXCLUDED } else { 0 };
                self.heap.push((generation, c));
                *live += usize::from(!excluded);
            }
            Some(f) => {
                if excluded && *f & Self::EXCLUDED == 0 {
                    *f |= Self::EXCLUDED;
                    if *f & Self::QUEUED != 0 {
                        *live -= 1;
                    }
                }
            }
        }
    }
}
