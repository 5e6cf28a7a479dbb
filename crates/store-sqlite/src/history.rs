//! [`Store::commits_and_graph`](plumb_store::Store::commits_and_graph): a window's commits
//! and the whole commit graph from one pass over each table, in primary-key order (so no
//! sort and no query per commit), reading only the columns a report needs.

use crate::codec::{class_from_str, stats_of_kind};
use crate::query_err;
use plumb_model::{AiKind, Detection, EvidenceField, FileChange, FileStats, GitTime, LineStats};
use plumb_store::{CommitSummary, CommitsAndGraph, GraphCommit, RepoId, StoreError};
use rusqlite::{Connection, Row};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The text of column `i` of `row`, borrowed.
fn text<'r>(row: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    Ok(row.get_ref(i)?.as_str()?)
}

/// Row ids of commits per share of the history at least: fewer, and reading it apart costs
/// more than it saves.
pub(crate) const MIN_SHARE: i64 = 20_000;

/// Commits of `repos` whose author time is in `[since, until)` in store order, each with its
/// files in path order and its detections (as `commits_between` gives them, summarised),
/// and every stored commit of every repository as a graph node, ordered by repository and
/// then store order (as `commit_graph` gives them).
///
/// The commits' row ids are split into contiguous shares (`shares` when given, else up to
/// four per core, each of at least [`MIN_SHARE`] row ids), read by one worker per core:
/// this thread on `conn`, the others each on a connection of its own to the file at `path`,
/// each taking the next share when done with one. Each share's commits are a run of the
/// result, and so are its graph nodes when the shares list the repositories in order (else
/// the nodes are joined in that order). Every share is bounded by the highest row id when
/// the read began, so commits written meanwhile are in none of them (a commit's files and
/// detections are written with it, in one transaction).
pub(crate) fn read(
    conn: &Connection,
    path: &Path,
    shares: Option<usize>,
    repos: &[RepoId],
    since: i64,
    until: i64,
) -> Result<CommitsAndGraph, StoreError> {
    let err = query_err("commits and commit graph");
    // One name per repository, shared by its commits and nodes.
    let names: HashMap<i64, Arc<str>> = {
        let mut stmt = conn
            .prepare_cached("SELECT id, name FROM repos")
            .map_err(&err)?;
        stmt.query_map([], |r| Ok((r.get(0)?, Arc::from(text(r, 1)?))))
            .and_then(|rows| rows.collect::<Result<_, _>>())
            .map_err(&err)?
    };
    let wanted: HashSet<i64> = repos.iter().map(|r| r.0).collect();
    let (low, high): (Option<i64>, Option<i64>) = conn
        .query_row("SELECT MIN(id), MAX(id) FROM commits", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(&err)?;
    let (low, high) = (low.unwrap_or(0), high.unwrap_or(-1));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let span = high - low + 1;
    let shares = match shares {
        Some(n) => i64::try_from(n).unwrap_or(1).max(1),
        None => (span / MIN_SHARE).clamp(1, i64::try_from(cores * 4).unwrap_or(4)),
    };
    let bounds: Vec<(i64, i64)> = (0..shares)
        .map(|i| (low + span * i / shares, low + span * (i + 1) / shares - 1))
        .collect();
    // Workers take the next share as they finish one, so that one slow share (more
    // files, a core busy with something else) does not hold the others up.
    let workers = bounds.len().min(cores.max(2));
    let next = AtomicUsize::new(0);
    let work = |conn: &Connection| -> Vec<(usize, Share)> {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(&(first, last)) = bounds.get(i) else {
                break done;
            };
            done.push((
                i,
                read_share(conn, &names, &wanted, since, until, first, last),
            ));
        }
    };
    let (work, err) = (&work, &err);
    let mut parts: Vec<(usize, Share)> = Vec::with_capacity(bounds.len());
    std::thread::scope(|scope| {
        let others: Vec<_> = (1..workers)
            .map(|_| {
                scope.spawn(move || {
                    let conn = crate::connect(path).map_err(err)?;
                    Ok::<_, StoreError>(work(&conn))
                })
            })
            .collect();
        parts.extend(work(conn));
        for handle in others {
            match handle.join() {
                Ok(Ok(done)) => parts.extend(done),
                // A worker that could not open its connection took no share: this thread
                // took every share the others left, so nothing is missing.
                Ok(Err(_)) => {}
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    parts.sort_unstable_by_key(|(i, _)| *i);
    let mut shares = Vec::with_capacity(parts.len());
    for (_, share) in parts {
        shares.push(share?);
    }
    // The shares' commits are the runs. So are their nodes when the shares list the
    // repositories in order already (as they do unless a repository was ingested again
    // after another); else every node is moved once, into one run in that order.
    let mut commit_runs = Vec::with_capacity(shares.len());
    let mut node_runs = Vec::with_capacity(shares.len());
    let mut repos_of_runs = Vec::with_capacity(shares.len());
    for (c, n, r) in shares {
        commit_runs.push(c);
        node_runs.push(n);
        repos_of_runs.push(r);
    }
    let in_order = repos_of_runs.iter().flatten().is_sorted();
    let graph_runs = if in_order {
        node_runs
    } else {
        // By repository, then store order (the shares are in store order, and so is each).
        let mut order: Vec<(i64, usize, usize)> = repos_of_runs
            .iter()
            .enumerate()
            .flat_map(|(k, r)| r.iter().enumerate().map(move |(i, &repo)| (repo, k, i)))
            .collect();
        order.sort_unstable();
        let mut graph = Vec::with_capacity(order.len());
        for (_, k, i) in order {
            if let Some(node) = node_runs.get_mut(k).and_then(|n| n.get_mut(i)) {
                graph.push(std::mem::take(node));
            }
        }
        vec![graph]
    };
    Ok(CommitsAndGraph {
        commit_runs,
        graph_runs,
    })
}

/// A share's commits of the window and its graph nodes with their repositories' ids, each
/// in row-id order.
type Share = Result<(Vec<CommitSummary>, Vec<GraphCommit>, Vec<i64>), StoreError>;

/// The commits whose row ids are in `[first, last]`, as [`read`] gives them, with their
/// graph nodes not yet ordered by repository.
fn read_share(
    conn: &Connection,
    names: &HashMap<i64, Arc<str>>,
    wanted: &HashSet<i64>,
    since: i64,
    until: i64,
    first: i64,
    last: i64,
) -> Share {
    let err = query_err("commits and commit graph");
    // Room for every row id of the share at once: growing lists of a hundred thousand
    // entries copies them again and again.
    let room = usize::try_from(last - first + 1).unwrap_or(0);
    // The window's commits and their row ids, in row-id order.
    let mut commits: Vec<CommitSummary> = Vec::with_capacity(room);
    let mut commit_rows: Vec<i64> = Vec::with_capacity(room);
    // The graph's nodes, their repositories' ids and their row ids, in row-id order.
    let mut nodes: Vec<GraphCommit> = Vec::with_capacity(room);
    let mut node_repos: Vec<i64> = Vec::with_capacity(room);
    let mut node_rows: Vec<i64> = Vec::with_capacity(room);

    let mut stmt = conn
        .prepare_cached(
            "SELECT id, repo_id, oid, parents, author_key, author_time, author_class,
                    author_offset, stats_kind
             FROM commits WHERE id >= ?1 AND id <= ?2 ORDER BY id",
        )
        .map_err(&err)?;
    let mut rows = stmt.query([first, last]).map_err(&err)?;
    while let Some(row) = rows.next().map_err(&err)? {
        let rowid: i64 = row.get(0).map_err(&err)?;
        let repo_id: i64 = row.get(1).map_err(&err)?;
        // The id and the author's key, once each for the commit and its node.
        let id: Arc<str> = Arc::from(text(row, 2).map_err(&err)?);
        let author_key: Arc<str> = Arc::from(text(row, 4).map_err(&err)?);
        let parents: Vec<String> = text(row, 3)
            .map_err(&err)?
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let author_time: i64 = row.get(5).map_err(&err)?;
        let class = text(row, 6).map_err(&err)?;
        let name = names.get(&repo_id);
        if wanted.contains(&repo_id) && since <= author_time && author_time < until {
            let stats = stats_of_kind(text(row, 8).map_err(&err)?)?;
            commits.push(CommitSummary {
                repo: name.cloned().unwrap_or_else(|| Arc::from("")),
                id: Arc::clone(&id),
                is_merge: parents.len() > 1,
                author_key: Arc::clone(&author_key),
                author_time: GitTime {
                    seconds: author_time,
                    offset_minutes: row.get(7).map_err(&err)?,
                },
                author_class: class_from_str(class)?,
                stats,
                detections: Vec::new(),
            });
            commit_rows.push(rowid);
        }
        // The graph joins the repositories: a commit without one is no node.
        if let Some(name) = name {
            node_repos.push(repo_id);
            nodes.push(GraphCommit {
                repo: Arc::clone(name),
                id,
                parents,
                author_key,
                author_time,
                // As SQL's `author_class LIKE 'agent:%'`, which ignores ASCII case; an
                // authored detection sets it below.
                is_ai_assisted: class
                    .get(..6)
                    .is_some_and(|p| p.eq_ignore_ascii_case("agent:")),
            });
            node_rows.push(rowid);
        }
    }
    drop(rows);

    // Files: the rows from the window's first commit to its last, in primary-key order
    // (commit, path); those of other commits are skipped.
    if let (Some(&first), Some(&last)) = (commit_rows.first(), commit_rows.last()) {
        let mut stmt = conn
            .prepare_cached(
                "SELECT commit_id, path, kind, added, deleted FROM file_changes
                 WHERE commit_id >= ?1 AND commit_id <= ?2 ORDER BY commit_id, path",
            )
            .map_err(&err)?;
        let mut rows = stmt.query([first, last]).map_err(&err)?;
        let mut at = 0;
        while let Some(row) = rows.next().map_err(&err)? {
            let commit_id: i64 = row.get(0).map_err(&err)?;
            while commit_rows.get(at).is_some_and(|&r| r < commit_id) {
                at += 1;
            }
            if commit_rows.get(at) != Some(&commit_id) {
                continue;
            }
            let Some(FileStats::Files { files }) = commits.get_mut(at).map(|c| &mut c.stats) else {
                continue;
            };
            let stats = match text(row, 2).map_err(&err)? {
                "text" => LineStats::Text {
                    added: row.get(3).map_err(&err)?,
                    deleted: row.get(4).map_err(&err)?,
                },
                "binary" => LineStats::Binary,
                _ => LineStats::Unknown,
            };
            files.push(FileChange {
                path: row.get(1).map_err(&err)?,
                stats,
            });
        }
    }

    // Detections: every row, since an authored detection makes any commit of the graph
    // AI-assisted; in primary-key order (no sort), then put in the order `commits_between`
    // gives them within each commit (by tool, field, kind, evidence).
    let mut stmt = conn
        .prepare_cached(
            "SELECT commit_id, tool, kind, field, evidence FROM detections
             WHERE commit_id >= ?1 AND commit_id <= ?2
             ORDER BY commit_id, tool, kind, field, evidence",
        )
        .map_err(&err)?;
    let mut rows = stmt.query([first, last]).map_err(&err)?;
    let (mut at, mut node_at) = (0, 0);
    while let Some(row) = rows.next().map_err(&err)? {
        let commit_id: i64 = row.get(0).map_err(&err)?;
        let kind = text(row, 2).map_err(&err)?;
        if kind == "authored" {
            while node_rows.get(node_at).is_some_and(|&r| r < commit_id) {
                node_at += 1;
            }
            if node_rows.get(node_at) == Some(&commit_id)
                && let Some(node) = nodes.get_mut(node_at)
            {
                node.is_ai_assisted = true;
            }
        }
        while commit_rows.get(at).is_some_and(|&r| r < commit_id) {
            at += 1;
        }
        if commit_rows.get(at) != Some(&commit_id) {
            continue;
        }
        let field = text(row, 3).map_err(&err)?;
        let (Some(kind), Some(field)) = (AiKind::parse(kind), EvidenceField::parse(field)) else {
            return Err(StoreError::Corrupt {
                context: "detections".into(),
                message: format!("unknown kind {kind:?} or field {field:?}"),
            });
        };
        if let Some(c) = commits.get_mut(at) {
            c.detections.push(Detection {
                tool: row.get(1).map_err(&err)?,
                kind,
                field,
                evidence: row.get(4).map_err(&err)?,
            });
        }
    }

    for c in &mut commits {
        if c.detections.len() > 1 {
            c.detections.sort_by(|a, b| {
                (&a.tool, a.field.as_str(), a.kind.as_str(), &a.evidence).cmp(&(
                    &b.tool,
                    b.field.as_str(),
                    b.kind.as_str(),
                    &b.evidence,
                ))
            });
        }
    }

    Ok((commits, nodes, node_repos))
}
