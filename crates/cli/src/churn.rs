//! Line survival for `plumb report` and `plumb snapshot`: facts from the store, the other
//! commits from git, and what was read written back (a write-through cache;
//! `docs/churn.md`, "Stored facts").
//!
//! A repository's stored facts hold for the history they were computed on, recorded as its
//! basis (tip, horizon, version of the line-survival rules). A fact is final once the
//! history covered its horizon; a fact that is not final may still change with any new
//! commit, so it holds for its basis tip only. Ingest only ever adds commits, so the basis
//! is checked against the repository's ingested head with the stored commit graph:
//!
//! - same tip, horizon and version: every stored fact holds, final or not;
//! - the old tip is an ancestor of the new one: the new commits can only change the facts
//!   of commits authored no more than a horizon before the oldest of them (a rebased
//!   branch keeps its author dates): those are stale, and so is every fact not final; the
//!   other final facts hold;
//! - anything else (history rewritten, another horizon or version): none holds.
//!
//! Stale facts are deleted and the basis moved in the same transaction that saves the new
//! ones, so that every stored fact of a repository always holds for its basis (the store
//! itself drops the facts not final when the basis changes).

use plumb_link::CommitNode;
use plumb_metrics::{ChurnFact, ChurnFile};
use plumb_store::{ChurnBasis, ChurnFileRow, ChurnRow, RepoId, RepoState, Store, StoredChurn};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The line survival of a report's commits, and where it came from.
pub struct ChurnRead {
    /// The facts of every commit in the range, in no particular order; `None` when no
    /// repository could be read.
    pub facts: Option<Vec<ChurnFact>>,
    /// Commits whose facts came from the store.
    pub from_store: usize,
    /// Commits read from git (final or not).
    pub from_git: usize,
    /// Commits whose facts were saved in the store.
    pub saved: u64,
}

/// Line survival (code churn, TODO/FIXME/HACK markers) of the commits of `repos` authored in
/// `[since, until)`, as `plumb_git::Repository::line_survival` gives it over that range:
/// the facts that hold from the store, the others read from the repositories (at their
/// ingested heads) and saved, final or not. `graph` gives the stored commit graph, for
/// checking a moved head; it is asked for only then (a report reads the graph on another
/// thread meanwhile), and `None` from it (the graph could not be read) is an error.
///
/// A repository is opened only when it has commits without a fact that holds; one that
/// cannot be read then is left out whole with a warning (a part of its commits would bias
/// the figures), and one whose facts all hold is used even if it is gone. A fact that
/// cannot be saved is a warning: the next report reads it again.
pub fn read_churn<'g>(
    store: &mut dyn Store,
    repos: &[RepoState],
    graph: &dyn Fn() -> Option<&'g [CommitNode]>,
    branch: Option<&str>,
    threads: usize,
    since: i64,
    until: i64,
) -> anyhow::Result<ChurnRead> {
    let horizon = plumb_metrics::CHURN_HORIZON_DAYS * 86_400;
    let ids: Vec<RepoId> = repos.iter().map(|r| r.id).collect();
    let mut stored: HashMap<RepoId, Vec<StoredChurn>> = HashMap::new();
    for s in store.churn_facts(&ids, since, until)? {
        stored.entry(s.repo).or_default().push(s);
    }
    let mut missing: HashMap<RepoId, usize> = HashMap::new();
    for (repo, _) in store.churn_missing(&ids, since, until)? {
        *missing.entry(repo).or_default() += 1;
    }
    // Built the first time a head has moved.
    let mut ancestry: Option<Ancestry<'g>> = None;
    let no_ancestry = Ancestry {
        nodes: HashMap::new(),
    };
    let mut read = ChurnRead {
        facts: None,
        from_store: 0,
        from_git: 0,
        saved: 0,
    };
    // Room for every stored fact (those read from git are few once facts are stored).
    let mut facts = Vec::with_capacity(stored.values().map(Vec::len).sum());
    // Whether some repository was not left out.
    let mut read_any = false;
    for r in repos {
        let basis = r.ingested_head.as_ref().map(|tip| ChurnBasis {
            tip: tip.clone(),
            horizon_secs: horizon,
            version: plumb_git::SURVIVAL_VERSION,
        });
        let old = store.churn_basis(r.id)?;
        let moved = matches!((&basis, &old), (Some(new), Some(old)) if new.tip != old.tip);
        if moved && ancestry.is_none() {
            let nodes = graph().ok_or_else(|| {
                anyhow::anyhow!("line survival: the stored commit graph could not be read")
            })?;
            ancestry = Some(Ancestry::new(nodes));
        }
        let holds_before = match (&basis, &old) {
            // The ancestry is asked for only when the tips differ, and then it is built.
            (Some(new), Some(old)) => {
                holds_before(old, new, || ancestry.as_ref().unwrap_or(&no_ancestry))
            }
            _ => i64::MIN,
        };
        // A fact not final holds for the very history it was computed on only.
        let same_basis = basis.is_some() && basis == old;
        let (valid, stale): (Vec<StoredChurn>, Vec<StoredChurn>) = stored
            .remove(&r.id)
            .unwrap_or_default()
            .into_iter()
            .partition(|s| {
                if s.row.horizon_complete {
                    s.author_time < holds_before
                } else {
                    same_basis
                }
            });
        let mut computed = Vec::new();
        let mut computed_facts = Vec::new();
        if missing.get(&r.id).copied().unwrap_or(0) + stale.len() > 0 {
            let known: HashSet<&str> = valid.iter().map(|s| s.row.commit.as_str()).collect();
            let revision = r.ingested_head.as_deref().or(branch);
            let survival =
                plumb_git::Repository::open(Path::new(&r.path), revision).and_then(|repo| {
                    repo.line_survival_except(since, until, horizon, threads, &|id| {
                        known.contains(id)
                    })
                });
            match survival {
                Ok(commits) => {
                    read.from_git += commits.len();
                    for c in commits {
                        let fact = ChurnFact {
                            repo: r.name.clone(),
                            commit: c.id,
                            author_time: c.author_time,
                            horizon_complete: c.horizon_complete,
                            files: c
                                .files
                                .into_iter()
                                .map(|f| ChurnFile {
                                    path: f.path,
                                    lines_added: f.lines_added,
                                    lines_churned: f.lines_churned,
                                    markers_added: f.markers_added,
                                    markers_removed: f.markers_removed,
                                })
                                .collect(),
                        };
                        computed.push(row_of(&fact));
                        computed_facts.push(fact);
                    }
                }
                Err(e) => {
                    eprintln!(
                        "warning: {}: line survival not read, code churn leaves this repository out: {e}",
                        r.path
                    );
                    continue;
                }
            }
        }
        read_any = true;
        read.from_store += valid.len();
        // The stored facts first, then those just read from git.
        facts.extend(valid.into_iter().map(|s| fact_of(&r.name, s)));
        facts.extend(computed_facts);
        // Without an ingested head there is no history to pin the facts to: nothing is kept.
        let Some(basis) = basis else { continue };
        if same_basis && computed.is_empty() {
            continue;
        }
        // The final facts that do not hold; the store drops those not final itself when
        // the basis changes.
        let stale_from = (!same_basis).then_some(holds_before);
        match store.save_churn(r.id, &basis, stale_from, &computed) {
            Ok(saved) => read.saved += saved,
            Err(e) => eprintln!(
                "warning: {}: line survival not saved in the store (the next report reads it again): {e}",
                r.path
            ),
        }
    }
    read.facts = read_any.then_some(facts);
    Ok(read)
}

/// The author times before which `old`'s stored facts still hold for `new`'s history:
/// `i64::MAX` for all, `i64::MIN` for none (see the module documentation).
fn holds_before<'a, 'g: 'a>(
    old: &ChurnBasis,
    new: &ChurnBasis,
    ancestry: impl FnOnce() -> &'a Ancestry<'g>,
) -> i64 {
    if old.horizon_secs != new.horizon_secs || old.version != new.version {
        return i64::MIN;
    }
    if old.tip == new.tip {
        return i64::MAX;
    }
    match ancestry().oldest_new(&old.tip, &new.tip) {
        Some(oldest) => oldest.saturating_sub(new.horizon_secs),
        None => i64::MIN,
    }
}

fn fact_of(repo: &str, s: StoredChurn) -> ChurnFact {
    ChurnFact {
        repo: repo.to_string(),
        commit: s.row.commit,
        author_time: s.author_time,
        horizon_complete: s.row.horizon_complete,
        files: s
            .row
            .files
            .into_iter()
            .map(|f| ChurnFile {
                path: f.path,
                lines_added: f.lines_added,
                lines_churned: f.lines_churned,
                markers_added: f.markers_added,
                markers_removed: f.markers_removed,
            })
            .collect(),
    }
}

fn row_of(fact: &ChurnFact) -> ChurnRow {
    ChurnRow {
        commit: fact.commit.clone(),
        horizon_complete: fact.horizon_complete,
        files: fact
            .files
            .iter()
            .map(|f| ChurnFileRow {
                path: f.path.clone(),
                lines_added: f.lines_added,
                lines_churned: f.lines_churned,
                markers_added: f.markers_added,
                markers_removed: f.markers_removed,
            })
            .collect(),
    }
}

/// The stored commit graph by commit id. The same id in two repositories is the same
/// commit (same parents, same author time), so one map serves them all.
struct Ancestry<'g> {
    nodes: HashMap<&'g str, &'g CommitNode>,
}

impl<'g> Ancestry<'g> {
    fn new(graph: &'g [CommitNode]) -> Self {
        Ancestry {
            nodes: graph.iter().map(|c| (c.id.as_ref(), c)).collect(),
        }
    }

    /// `from` and every stored commit it reaches.
    fn ancestors(&self, from: &str) -> HashSet<&'g str> {
        let mut seen = HashSet::new();
        let mut stack = Vec::new();
        if let Some((&id, _)) = self.nodes.get_key_value(from) {
            seen.insert(id);
            stack.push(id);
        }
        while let Some(id) = stack.pop() {
            let Some(node) = self.nodes.get(id) else {
                continue;
            };
            for p in &node.parents {
                // A parent not stored (a shallow boundary) ends the walk there.
                if let Some((&pid, _)) = self.nodes.get_key_value(p.as_str())
                    && seen.insert(pid)
                {
                    stack.push(pid);
                }
            }
        }
        seen
    }

    /// The oldest author time among the commits `new` reaches and `old` does not, when
    /// `old` is an ancestor of `new` (else `None`: the history was rewritten, or a tip is
    /// not stored).
    fn oldest_new(&self, old: &str, new: &str) -> Option<i64> {
        let reached = self.ancestors(new);
        if !reached.contains(old) {
            return None;
        }
        let before = self.ancestors(self.nodes.get_key_value(old)?.0);
        reached
            .iter()
            .filter(|id| !before.contains(*id))
            .filter_map(|id| self.nodes.get(id).map(|n| n.author_time))
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, parents: &[&str], time: i64) -> CommitNode {
        CommitNode {
            repo: "web".into(),
            id: id.into(),
            parents: parents.iter().map(|p| p.to_string()).collect(),
            author_email: "ana@acme.com".into(),
            author_time: time,
        }
    }

    fn basis(tip: &str) -> ChurnBasis {
        ChurnBasis {
            tip: tip.into(),
            horizon_secs: 100,
            version: plumb_git::SURVIVAL_VERSION,
        }
    }

    #[test]
    fn a_moved_head_keeps_the_facts_its_new_commits_cannot_change() {
        // a ← b ← c ← m, with x (a branch from a, authored early) merged by m.
        let graph = vec![
            node("a", &[], 1_000),
            node("b", &["a"], 2_000),
            node("c", &["b"], 3_000),
            node("x", &["a"], 1_500),
            node("m", &["c", "x"], 5_000),
            node("r", &["a"], 4_000),
        ];
        let ancestry = Ancestry::new(&graph);
        // Same basis: everything holds.
        assert_eq!(
            holds_before(&basis("c"), &basis("c"), || &ancestry),
            i64::MAX
        );
        // c → m adds m and x, authored at 1 500: facts from 1 400 on are stale.
        assert_eq!(holds_before(&basis("c"), &basis("m"), || &ancestry), 1_400);
        // b → c: only c is new.
        assert_eq!(holds_before(&basis("b"), &basis("c"), || &ancestry), 2_900);
        // c → r: c is not an ancestor of r (a rewrite), nothing holds.
        assert_eq!(
            holds_before(&basis("c"), &basis("r"), || &ancestry),
            i64::MIN
        );
        // m → c: moved back: nothing holds.
        assert_eq!(
            holds_before(&basis("m"), &basis("c"), || &ancestry),
            i64::MIN
        );
        // A tip the store does not have.
        assert_eq!(
            holds_before(&basis("zz"), &basis("c"), || &ancestry),
            i64::MIN
        );
        // Another horizon or version of the rules: nothing holds.
        let other_horizon = ChurnBasis {
            horizon_secs: 50,
            ..basis("c")
        };
        assert_eq!(
            holds_before(&other_horizon, &basis("c"), || &ancestry),
            i64::MIN
        );
        let other_version = ChurnBasis {
            version: plumb_git::SURVIVAL_VERSION + 1,
            ..basis("c")
        };
        assert_eq!(
            holds_before(&other_version, &basis("c"), || &ancestry),
            i64::MIN
        );
    }
}
