//! The story every backend must tell the same way.
//!
//! Each backend's tests call [`story`] with a fresh, empty store. It is library code (not
//! `#[cfg(test)]`) so that backends in other crates can run it; it only asserts.

// A test harness: failing loudly is its whole job.
#![allow(clippy::expect_used)]

use crate::{
    ChurnBasis, ChurnFileRow, ChurnRow, CommitSummary, GateDecisionRow, IngestedCommit,
    KeyedRecord, Reclassified, RecordChanges, RecordList, RepoId, RepoTotals, Snapshot,
    SnapshotSaved, Store, StoreError, StoredChurn,
};
use plumb_model::records::{DeployStatus, Deployment, Record, RecordKind, Team};
use plumb_model::{
    AiKind, Commit, CommitRecord, Detection, EvidenceField, FileChange, FileStats, GitTime,
    IdentityClass, LineStats, Signature, Trailer,
};

fn sig(name: &str, email: &str, seconds: i64) -> Signature {
    Signature {
        name: name.into(),
        email: email.into(),
        time: GitTime {
            seconds,
            offset_minutes: 120,
        },
    }
}

fn commit(
    id: char,
    parents: &[char],
    author: Signature,
    message: &str,
    stats: FileStats,
) -> CommitRecord {
    CommitRecord {
        commit: Commit {
            id: id.to_string().repeat(40),
            parents: parents.iter().map(|p| p.to_string().repeat(40)).collect(),
            committer: author.clone(),
            author,
            message: message.into(),
            trailers: vec![Trailer {
                key: "Co-authored-by".into(),
                value: "Claude <noreply@anthropic.com>".into(),
            }],
        },
        stats,
    }
}

fn claude() -> Detection {
    Detection {
        tool: "claude-code".into(),
        kind: AiKind::Authored,
        field: EvidenceField::Trailer,
        evidence: "Co-authored-by: Claude <noreply@anthropic.com>".into(),
    }
}

/// The commits of the story: a root by Ana with text, binary and unknown files (AI), a
/// change by Bo (with an uppercase email), a bot commit and a merge.
pub fn fixture() -> Vec<IngestedCommit> {
    // Files in path order, as the reader produces them and the store returns them.
    let files = |mut v: Vec<(&str, LineStats)>| {
        v.sort_by(|a, b| a.0.cmp(b.0));
        FileStats::Files {
            files: v
                .into_iter()
                .map(|(p, s)| FileChange {
                    path: p.into(),
                    stats: s,
                })
                .collect(),
        }
    };
    vec![
        IngestedCommit {
            record: commit(
                'a',
                &[],
                sig("Ana", "ana@acme.com", 1_000),
                "root\n\nCo-authored-by: Claude <noreply@anthropic.com>\n",
                files(vec![
                    (
                        "src/lib.rs",
                        LineStats::Text {
                            added: 10,
                            deleted: 0,
                        },
                    ),
                    ("logo.png", LineStats::Binary),
                    ("big.bin", LineStats::Unknown),
                    (
                        "d\\xffir/ü.txt",
                        LineStats::Text {
                            added: 1,
                            deleted: 0,
                        },
                    ),
                ]),
            ),
            author_class: IdentityClass::Person,
            committer_class: IdentityClass::Person,
            detections: vec![claude()],
        },
        IngestedCommit {
            record: commit(
                'b',
                &['a'],
                sig("Bo", "BO@acme.com", 2_000),
                "change",
                files(vec![(
                    "src/lib.rs",
                    LineStats::Text {
                        added: 3,
                        deleted: 2,
                    },
                )]),
            ),
            author_class: IdentityClass::Person,
            committer_class: IdentityClass::Person,
            detections: vec![],
        },
        IngestedCommit {
            record: commit(
                'c',
                &['b'],
                sig(
                    "dependabot[bot]",
                    "49699333+dependabot[bot]@users.noreply.github.com",
                    3_000,
                ),
                "bump",
                files(vec![(
                    "Cargo.lock",
                    LineStats::Text {
                        added: 5,
                        deleted: 5,
                    },
                )]),
            ),
            author_class: IdentityClass::Bot,
            committer_class: IdentityClass::Bot,
            detections: vec![],
        },
        IngestedCommit {
            record: commit(
                'd',
                &['c', 'b'],
                sig("Ana", "ana@acme.com", 4_000),
                "Merge",
                FileStats::Merge,
            ),
            author_class: IdentityClass::Person,
            committer_class: IdentityClass::Person,
            detections: vec![],
        },
    ]
}

/// Runs the story against an empty store.
pub fn story(store: &mut dyn Store) {
    let repo = store.ensure_repo("web", "/code/web").expect("register");
    let again = store
        .ensure_repo("web", "/code/web")
        .expect("register again");
    assert_eq!(repo.id, again.id, "a path is registered once");
    assert_eq!(repo.ingested_head, None);
    let other = store
        .ensure_repo("web", "/elsewhere/web")
        .expect("second repo");
    assert_ne!(
        repo.id, other.id,
        "repositories are keyed by path, not name"
    );
    assert_eq!(store.repos().expect("list").len(), 2);

    let commits = fixture();
    store
        .write_commits(repo.id, &commits[..2])
        .expect("first batch");
    store
        .write_commits(repo.id, &commits)
        .expect("overlapping batch");
    store
        .write_commits(repo.id, &commits)
        .expect("same batch again");
    assert_eq!(store.stored_commit_ids(repo.id).expect("ids").len(), 4);
    assert!(store.stored_commit_ids(other.id).expect("ids").is_empty());

    let expected = RepoTotals {
        commits: 4,
        merge_commits: 1,
        lines_added: 19,
        lines_deleted: 7,
        binary_file_changes: 1,
        unknown_file_changes: 1,
        unknown_trees: 0,
        ai_assisted_commits: 1,
        ai_by_tool: vec![("claude-code".into(), 1)],
        ai_review_suggestion_commits: 0,
        bot_commits: 1,
        people: 2,
    };
    assert_eq!(store.repo_totals(repo.id).expect("totals"), expected);
    assert_eq!(
        store.repo_totals(repo.id).expect("totals again"),
        expected,
        "totals read twice differ"
    );
    // A write after totals were read must show in the next read (backends may cache totals).
    let mut extra = fixture().remove(1);
    extra.record.commit.id = "e".repeat(40);
    extra.record.commit.author.time.seconds = 10_000;
    store
        .write_commits(repo.id, std::slice::from_ref(&extra))
        .expect("one more commit");
    let after = store.repo_totals(repo.id).expect("totals after a write");
    assert_eq!((after.commits, after.lines_added, after.people), (5, 22, 2));
    assert_eq!(store.repo_totals(other.id).expect("totals").commits, 0);

    // Reading back: every field of every commit in the window, files and detections.
    assert_eq!(
        store.newest_commit_time(&[repo.id]).expect("newest"),
        Some(10_000)
    );
    assert_eq!(store.newest_commit_time(&[other.id]).expect("newest"), None);
    // Over several repositories, the newest of any (one without commits adds nothing).
    assert_eq!(
        store
            .newest_commit_time(&[other.id, repo.id])
            .expect("newest"),
        Some(10_000)
    );
    let window = store
        .commits_between(&[repo.id], 1_000, 3_000)
        .expect("window");
    assert_eq!(window.len(), 2, "[since, until) is half-open");
    for stored in &window {
        let original = commits
            .iter()
            .find(|c| c.record.commit.id == stored.record.commit.id)
            .expect("a stored commit was written");
        assert_eq!(stored.repo, "web");
        assert_eq!(stored.record, original.record);
        assert_eq!(stored.author_class, original.author_class);
        assert_eq!(stored.detections, original.detections);
    }

    // Provenance replaced when the catalogue changes.
    let review = Detection {
        tool: "copilot-review".into(),
        kind: AiKind::ReviewSuggestion,
        field: EvidenceField::Trailer,
        evidence: "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>".into(),
    };
    store
        .replace_provenance(
            repo.id,
            &[
                Reclassified {
                    commit_id: "a".repeat(40),
                    author_class: IdentityClass::Person,
                    committer_class: IdentityClass::Person,
                    detections: vec![],
                },
                Reclassified {
                    commit_id: "b".repeat(40),
                    author_class: IdentityClass::Person,
                    committer_class: IdentityClass::Person,
                    detections: vec![review],
                },
            ],
            "f2",
        )
        .expect("replace provenance");
    let totals = store.repo_totals(repo.id).expect("totals");
    assert_eq!(totals.ai_assisted_commits, 0);
    assert!(totals.ai_by_tool.is_empty());
    assert_eq!(totals.ai_review_suggestion_commits, 1);
    assert_eq!(
        store
            .repo_by_path("/code/web")
            .expect("find")
            .and_then(|r| r.provenance_fingerprint),
        Some("f2".into())
    );
    assert_eq!(store.commits_of_repo(repo.id).expect("all").len(), 5);

    store
        .finish_ingest(repo.id, Some(&"d".repeat(40)), "f3")
        .expect("finish");
    let state = store
        .repo_by_path("/code/web")
        .expect("find")
        .expect("exists");
    assert_eq!(state.ingested_head, Some("d".repeat(40)));
    assert_eq!(state.provenance_fingerprint, Some("f3".into()));

    // Gate decisions are kept, lists and all, oldest first.
    assert!(store.gate_decisions().expect("gate decisions").is_empty());
    let decision = |verdict: &str, decided_at: i64| GateDecisionRow {
        repo: "/code/web".into(),
        base: "a".repeat(40),
        head: "d".repeat(40),
        verdict: verdict.into(),
        zones: vec!["red".into(), "green".into()],
        ai_tools: vec!["claude-code".into()],
        reasons: vec!["zone red: needs 2 approvals, has 0".into()],
        decided_at,
    };
    store
        .record_gate_decision(&decision("needs-approval", 200))
        .expect("record gate decision");
    store
        .record_gate_decision(&decision("pass", 100))
        .expect("record gate decision");
    assert_eq!(
        store.gate_decisions().expect("gate decisions"),
        vec![decision("pass", 100), decision("needs-approval", 200)]
    );

    records(store);
    snapshots(store);
    churn(store, repo.id, other.id);
    churn_not_final(store, repo.id, other.id);

    // The commit graph: every commit with its parents, author and provenance.
    let graph = store.commit_graph().expect("commit graph");
    assert_eq!(graph.len(), 5);
    let a = graph
        .iter()
        .find(|c| *c.id == "a".repeat(40))
        .expect("root in graph");
    assert_eq!(&*a.repo, "web");
    assert!(a.parents.is_empty());
    assert!(!a.is_ai_assisted, "its detection was replaced above");
    let merge = graph
        .iter()
        .find(|c| c.parents.len() == 2)
        .expect("merge in graph");
    assert_eq!(&*merge.repo, "web");

    commits_and_graph(store);
}

/// `commits_and_graph` gives what `commits_between` (summarised) and `commit_graph` give,
/// for any repositories and window, AI-assisted commits (by detection or by an agent
/// author) included.
fn commits_and_graph(store: &mut dyn Store) {
    let web = store
        .repo_by_path("/code/web")
        .expect("find")
        .expect("exists");
    let api = store.ensure_repo("api", "/code/api").expect("register api");
    let mut by_agent = fixture().remove(1);
    by_agent.record.commit.id = "f".repeat(40);
    by_agent.record.commit.author.time.seconds = 2_500;
    by_agent.author_class = IdentityClass::AiAgent {
        tool: "copilot-agent".into(),
    };
    let mut authored = fixture().remove(0);
    authored.record.commit.id = "9".repeat(40);
    authored.record.commit.parents = vec!["f".repeat(40)];
    authored.record.commit.author.time.seconds = 3_500;
    let review = Detection {
        kind: AiKind::ReviewSuggestion,
        ..claude()
    };
    // Another field and kind of the same tool: key order (tool, kind, field) and the
    // order commits are read in (tool, field, kind) differ.
    let by_author = Detection {
        kind: AiKind::ReviewSuggestion,
        field: EvidenceField::Author,
        ..claude()
    };
    authored.detections = vec![claude(), review, by_author];
    store
        .write_commits(api.id, &[by_agent, authored])
        .expect("write api commits");

    let graph = store.commit_graph().expect("commit graph");
    assert_eq!(graph.len(), 7);
    let ai: Vec<&str> = graph
        .iter()
        .filter(|c| c.is_ai_assisted)
        .map(|c| &*c.id)
        .collect();
    assert_eq!(ai, ["f".repeat(40), "9".repeat(40)]);
    for (repos, since, until) in [
        (vec![web.id], 1_000, 3_000),
        (vec![web.id, api.id], 0, i64::MAX),
        (vec![api.id], 3_000, 4_000),
        (vec![api.id, web.id], 2_000, 2_001),
        (vec![web.id], 5_000, 6_000),
        (vec![], 0, i64::MAX),
    ] {
        let both = store
            .commits_and_graph(&repos, since, until)
            .expect("commits and graph");
        let commits: Vec<CommitSummary> = store
            .commits_between(&repos, since, until)
            .expect("window")
            .into_iter()
            .map(CommitSummary::from)
            .collect();
        assert_eq!(
            both.commits().cloned().collect::<Vec<_>>(),
            commits,
            "{repos:?} [{since}, {until})"
        );
        assert_eq!(
            both.graph().cloned().collect::<Vec<_>>(),
            graph,
            "{repos:?} [{since}, {until})"
        );
    }
}

fn deployment(id: &str, status: DeployStatus) -> KeyedRecord {
    let record = Record::Deployments(Deployment {
        id: id.into(),
        repo: "acme/web".into(),
        environment: "production".into(),
        sha: "a".repeat(40),
        started_at: None,
        finished_at: jiff::Timestamp::from_second(1_700_000_000).expect("valid time"),
        status,
        kind: None,
        service: Some("web".into()),
    });
    KeyedRecord {
        key: record.key(),
        record,
    }
}

/// Records: inserted, unchanged on re-import, updated when values change, untouched by a
/// dry run, and refused whole when one does not match the kind.
fn records(store: &mut dyn Store) {
    assert!(store.record_counts().expect("counts").is_empty());
    let first = vec![
        deployment("d1", DeployStatus::Success),
        deployment("d2", DeployStatus::Failure),
    ];
    let changes = store
        .write_records(RecordKind::Deployments, &first, "deployments.csv", false)
        .expect("write records");
    assert_eq!(
        changes,
        RecordChanges {
            inserted: 2,
            ..RecordChanges::default()
        }
    );
    let again = store
        .write_records(RecordKind::Deployments, &first, "deployments.csv", false)
        .expect("write again");
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 2));

    let changed = vec![
        deployment("d2", DeployStatus::RolledBack),
        deployment("d3", DeployStatus::Success),
    ];
    let dry = store
        .write_records(RecordKind::Deployments, &changed, "deployments.csv", true)
        .expect("dry run");
    assert_eq!((dry.inserted, dry.updated, dry.unchanged), (1, 1, 0));
    assert_eq!(dry.updated_keys, vec!["d2".to_string()]);
    assert_eq!(
        store.records(RecordKind::Deployments).expect("read"),
        first,
        "a dry run writes nothing"
    );
    store
        .write_records(RecordKind::Deployments, &changed, "deployments.csv", false)
        .expect("update");
    let stored = store.records(RecordKind::Deployments).expect("read");
    assert_eq!(
        stored,
        vec![first[0].clone(), changed[0].clone(), changed[1].clone()],
        "records come back equal, in key order"
    );

    // A record of another kind refuses the whole write.
    let team = Record::Teams(Team {
        team: "web".into(),
        ai_rollout_date: None,
        profile: None,
        parent: None,
    });
    let mixed = vec![
        deployment("d4", DeployStatus::Success),
        KeyedRecord {
            key: team.key(),
            record: team,
        },
    ];
    assert!(
        store
            .write_records(RecordKind::Deployments, &mixed, "mixed.csv", false)
            .is_err()
    );
    assert_eq!(
        store.records(RecordKind::Deployments).expect("read").len(),
        3
    );
    assert_eq!(
        store.record_counts().expect("counts"),
        [(RecordKind::Deployments, 3)].into_iter().collect()
    );

    // The same records as the kind's own type, keys left out.
    let mut expected = RecordList::new(RecordKind::Deployments);
    for r in store.records(RecordKind::Deployments).expect("read") {
        expected.push(r.record).expect("a deployment");
    }
    assert_eq!(expected.len(), 3);
    assert_eq!(
        store.record_list(RecordKind::Deployments).expect("list"),
        expected
    );
    let teams = store.record_list(RecordKind::Teams).expect("no teams");
    assert_eq!((teams.kind(), teams.is_empty()), (RecordKind::Teams, true));
}

/// A snapshot of `quarter` as the story saves it: an unscored dimension, a target label
/// outside ASCII, and figures that only survive a lossless round trip.
pub fn snapshot_fixture(quarter: &str, overall: f64) -> Snapshot {
    Snapshot {
        quarter: quarter.into(),
        since: 1_782_864_000,
        until: 1_790_812_800,
        taken_at: 1_793_000_000,
        tool_version: "0.1.0".into(),
        targets_reviewed: false,
        targets: [
            ("dora.change_failure_rate_pct", "≤ 5%"),
            ("process.cycle_time_days", "−15% vs baseline"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        scores: [
            ("Adoption", Some(99.123_456_789_012_34)),
            ("Cost efficiency", None),
            ("overall", Some(overall)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
        report_json: "{\"schema_version\": 1, \"note\": \"opaque ✓\"}\n".into(),
    }
}

/// Snapshots: one per quarter, listed by quarter, never overwritten without `replace`.
fn snapshots(store: &mut dyn Store) {
    assert!(store.snapshots().expect("no snapshots").is_empty());
    let q3 = snapshot_fixture("2026-Q3", 87.0 + 1.0 / 3.0);
    let q2 = Snapshot {
        since: 1_775_001_600,
        until: 1_782_864_000,
        scores: Default::default(),
        targets: Default::default(),
        ..snapshot_fixture("2026-Q2", 80.0)
    };
    let q4_2025 = snapshot_fixture("2025-Q4", 70.0);
    for s in [&q3, &q2, &q4_2025] {
        assert_eq!(
            store.save_snapshot(s, false).expect("save snapshot"),
            SnapshotSaved::Inserted
        );
    }
    assert_eq!(
        store.snapshots().expect("list snapshots"),
        vec![q4_2025.clone(), q2.clone(), q3.clone()],
        "snapshots come back whole, ordered by quarter"
    );

    // A second snapshot of a quarter is refused without `replace`, naming the quarter and
    // the way out, and the stored one is left as it was.
    let reviewed = Snapshot {
        taken_at: q3.taken_at + 86_400,
        targets_reviewed: true,
        targets: [(
            "dora.change_failure_rate_pct".to_string(),
            "≤ 3%".to_string(),
        )]
        .into_iter()
        .collect(),
        report_json: "{}".into(),
        ..snapshot_fixture("2026-Q3", 90.0)
    };
    match store.save_snapshot(&reviewed, false) {
        Err(e @ StoreError::SnapshotExists { .. }) => {
            let message = e.to_string();
            assert!(
                message.contains("2026-Q3") && message.contains("--replace"),
                "{message}"
            );
        }
        other => panic!("a second 2026-Q3 snapshot was not refused: {other:?}"),
    }
    assert_eq!(
        store.snapshots().expect("list snapshots"),
        vec![q4_2025.clone(), q2.clone(), q3.clone()],
        "a refused snapshot changes nothing"
    );

    assert_eq!(
        store.save_snapshot(&reviewed, true).expect("replace"),
        SnapshotSaved::Replaced
    );
    assert_eq!(
        store.snapshots().expect("list snapshots"),
        vec![q4_2025, q2, reviewed],
        "replace swaps the whole snapshot, targets and scores included"
    );
}

fn churn_file(path: &str, added: u32, churned: u32, markers: (u32, u32)) -> ChurnFileRow {
    ChurnFileRow {
        path: path.into(),
        lines_added: added,
        lines_churned: churned,
        markers_added: markers.0,
        markers_removed: markers.1,
    }
}

/// Line survival facts of the story's repository: `a` (1 000) and `b` (2 000) by people,
/// `c` (3 000) by a bot, the merge `d` (4 000) and `e` (10 000).
fn churn(store: &mut dyn Store, repo: RepoId, other: RepoId) {
    let id = |c: char| c.to_string().repeat(40);
    let basis = |tip: char| ChurnBasis {
        tip: id(tip),
        horizon_secs: 21 * 86_400,
        version: 1,
    };
    let stored = |store: &dyn Store, since: i64, until: i64| -> Vec<(char, Vec<ChurnFileRow>)> {
        store
            .churn_facts(&[repo, other], since, until)
            .expect("read line survival")
            .into_iter()
            .map(|s: StoredChurn| {
                assert_eq!(s.repo, repo, "only the story's repository has facts");
                assert!(s.row.horizon_complete, "only final facts are saved here");
                let c = s.row.commit.chars().next().expect("an id");
                let time = [('a', 1_000), ('b', 2_000), ('c', 3_000), ('e', 10_000)];
                assert_eq!(
                    Some(s.author_time),
                    time.iter().find(|t| t.0 == c).map(|t| t.1)
                );
                (c, s.row.files)
            })
            .collect()
    };
    let missing = |store: &dyn Store| -> Vec<char> {
        store
            .churn_missing(&[repo, other], 0, 20_000)
            .expect("missing line survival")
            .into_iter()
            .map(|(r, c)| {
                assert_eq!(r, repo);
                c.chars().next().expect("an id")
            })
            .collect()
    };
    assert_eq!(store.churn_basis(repo).expect("basis"), None);
    assert!(stored(store, 0, 20_000).is_empty());
    assert_eq!(missing(store), vec!['a', 'b', 'c', 'e'], "merges need none");

    // `a` with two files, `b` with none (still computed), and a commit the repository does
    // not have, skipped.
    // In path order, as line survival gives them and the store returns them.
    let a_files = vec![
        churn_file("d\\xffir/ü.txt", 1, 0, (0, 0)),
        churn_file("src/lib.rs", 10, 4, (1, 0)),
    ];
    let facts = vec![
        ChurnRow {
            commit: id('a'),
            horizon_complete: true,
            files: a_files.clone(),
        },
        ChurnRow {
            commit: id('b'),
            horizon_complete: true,
            files: vec![],
        },
        ChurnRow {
            commit: id('f'),
            horizon_complete: true,
            files: vec![churn_file("x", 1, 1, (0, 0))],
        },
    ];
    assert_eq!(
        store
            .save_churn(repo, &basis('d'), None, &facts)
            .expect("save"),
        2
    );
    let expected = vec![('a', a_files.clone()), ('b', vec![])];
    assert_eq!(stored(store, 0, 20_000), expected);
    assert_eq!(store.churn_basis(repo).expect("basis"), Some(basis('d')));
    assert_eq!(store.churn_basis(other).expect("basis"), None);
    assert_eq!(missing(store), vec!['c', 'e']);
    assert_eq!(
        stored(store, 1_000, 2_000),
        vec![('a', a_files.clone())],
        "[since, until) is half-open"
    );
    assert!(
        store
            .churn_facts(&[other], 0, 20_000)
            .expect("read")
            .is_empty()
    );

    // Saving the same facts again changes nothing.
    assert_eq!(
        store
            .save_churn(repo, &basis('d'), None, &facts)
            .expect("save again"),
        2
    );
    assert_eq!(stored(store, 0, 20_000), expected);

    // New facts for a commit replace its old ones; the basis moves.
    let b_files = vec![churn_file("src/lib.rs", 3, 3, (0, 2))];
    let newer = ChurnRow {
        commit: id('b'),
        horizon_complete: true,
        files: b_files.clone(),
    };
    store
        .save_churn(repo, &basis('e'), None, std::slice::from_ref(&newer))
        .expect("replace b");
    let expected = vec![('a', a_files.clone()), ('b', b_files.clone())];
    assert_eq!(stored(store, 0, 20_000), expected);
    assert_eq!(store.churn_basis(repo).expect("basis"), Some(basis('e')));

    // A save that fails part way (a path twice) leaves the store as it was: neither the
    // stale facts it deletes first, nor the facts before the bad one, nor the basis.
    let bad = vec![
        ChurnRow {
            commit: id('c'),
            horizon_complete: true,
            files: vec![churn_file("Cargo.lock", 5, 0, (0, 0))],
        },
        ChurnRow {
            commit: id('e'),
            horizon_complete: true,
            files: vec![
                churn_file("src/lib.rs", 3, 0, (0, 0)),
                churn_file("src/lib.rs", 1, 0, (0, 0)),
            ],
        },
    ];
    let err = store
        .save_churn(repo, &basis('a'), Some(0), &bad)
        .expect_err("a path twice is refused");
    assert!(matches!(err, StoreError::Query { .. }), "{err}");
    assert_eq!(stored(store, 0, 20_000), expected);
    assert_eq!(store.churn_basis(repo).expect("basis"), Some(basis('e')));

    // Stale facts go: those authored at or after `stale_from`, in or out of any window.
    store
        .save_churn(repo, &basis('e'), Some(2_000), &[])
        .expect("drop stale");
    assert_eq!(stored(store, 0, 20_000), vec![('a', a_files)]);
    assert_eq!(missing(store), vec!['b', 'c', 'e']);
    store
        .save_churn(repo, &basis('e'), Some(i64::MIN), &[])
        .expect("drop all");
    assert!(stored(store, 0, 20_000).is_empty());
    assert_eq!(store.churn_basis(repo).expect("basis"), Some(basis('e')));
}

/// Facts that are not final: kept while the basis stays, gone when it changes (tip,
/// horizon or rules' version), final only when saved again as final. Starts where
/// [`churn`] ends: no facts, the basis at `e`.
fn churn_not_final(store: &mut dyn Store, repo: RepoId, other: RepoId) {
    let id = |c: char| c.to_string().repeat(40);
    let basis = |tip: char| ChurnBasis {
        tip: id(tip),
        horizon_secs: 21 * 86_400,
        version: 1,
    };
    let row = |c: char, horizon_complete: bool, added: u32| ChurnRow {
        commit: id(c),
        horizon_complete,
        files: vec![churn_file("src/lib.rs", added, 1, (0, 0))],
    };
    // (commit, final, lines added) of every stored fact.
    let stored = |store: &dyn Store| -> Vec<(char, bool, u32)> {
        store
            .churn_facts(&[repo, other], 0, 20_000)
            .expect("read line survival")
            .into_iter()
            .map(|s| {
                let c = s.row.commit.chars().next().expect("an id");
                let added = s.row.files.iter().map(|f| f.lines_added).sum();
                (c, s.row.horizon_complete, added)
            })
            .collect()
    };
    let missing = |store: &dyn Store| -> Vec<char> {
        store
            .churn_missing(&[repo, other], 0, 20_000)
            .expect("missing line survival")
            .into_iter()
            .map(|(_, c)| c.chars().next().expect("an id"))
            .collect()
    };
    assert!(stored(store).is_empty());
    assert_eq!(store.churn_basis(repo).expect("basis"), Some(basis('e')));

    // At `e`: `a` final, `c` and `e` not; a fact not final is a computed commit.
    let at_e = [row('a', true, 1), row('c', false, 3), row('e', false, 5)];
    assert_eq!(
        store
            .save_churn(repo, &basis('e'), None, &at_e)
            .expect("save"),
        3
    );
    let expected = vec![('a', true, 1), ('c', false, 3), ('e', false, 5)];
    assert_eq!(stored(store), expected, "read back final or not");
    assert_eq!(missing(store), vec!['b']);
    // The same basis again: every fact holds, final or not.
    store
        .save_churn(repo, &basis('e'), None, &[])
        .expect("same basis");
    assert_eq!(stored(store), expected);
    // At the same basis a fact not final may be replaced, and may become final: the
    // caller computed it again.
    store
        .save_churn(repo, &basis('e'), None, &[row('c', true, 4)])
        .expect("c final");
    assert_eq!(
        stored(store),
        vec![('a', true, 1), ('c', true, 4), ('e', false, 5)]
    );
    store
        .save_churn(repo, &basis('e'), None, &[row('c', false, 3)])
        .expect("c not final");
    assert_eq!(stored(store), expected);

    // A failed save with another basis leaves the facts not final as they were.
    let bad = ChurnRow {
        commit: id('b'),
        horizon_complete: false,
        files: vec![churn_file("x", 1, 0, (0, 0)), churn_file("x", 2, 0, (0, 0))],
    };
    store
        .save_churn(repo, &basis('d'), None, &[bad])
        .expect_err("a path twice is refused");
    assert_eq!(stored(store), expected);
    assert_eq!(store.churn_basis(repo).expect("basis"), Some(basis('e')));

    // Another tip: the facts not final go, even without `stale_from`; the final ones
    // stay; the facts saved with the new basis are kept, final or not.
    store
        .save_churn(repo, &basis('d'), None, &[row('b', false, 2)])
        .expect("move the tip");
    assert_eq!(stored(store), vec![('a', true, 1), ('b', false, 2)]);
    assert_eq!(missing(store), vec!['c', 'e']);
    assert_eq!(store.churn_basis(repo).expect("basis"), Some(basis('d')));
    // Not final is never turned final by a move: `b` goes, though the save names only `c`.
    store
        .save_churn(repo, &basis('e'), None, &[row('c', true, 3)])
        .expect("move back");
    assert_eq!(stored(store), vec![('a', true, 1), ('c', true, 3)]);

    // Another horizon or rules' version is another basis too.
    store
        .save_churn(repo, &basis('e'), None, &[row('e', false, 5)])
        .expect("e");
    let other_horizon = ChurnBasis {
        horizon_secs: 7 * 86_400,
        ..basis('e')
    };
    store
        .save_churn(repo, &other_horizon, None, &[])
        .expect("other horizon");
    assert_eq!(stored(store), vec![('a', true, 1), ('c', true, 3)]);
    store
        .save_churn(repo, &other_horizon, None, &[row('e', false, 5)])
        .expect("e");
    let other_version = ChurnBasis {
        version: 2,
        ..other_horizon
    };
    store
        .save_churn(repo, &other_version, None, &[])
        .expect("other version");
    assert_eq!(stored(store), vec![('a', true, 1), ('c', true, 3)]);

    // `stale_from` drops facts final or not, from that author time on.
    store
        .save_churn(repo, &other_version, None, &[row('e', false, 5)])
        .expect("e");
    store
        .save_churn(repo, &other_version, Some(2_500), &[])
        .expect("stale");
    assert_eq!(stored(store), vec![('a', true, 1)]);
    store
        .save_churn(repo, &other_version, Some(i64::MIN), &[])
        .expect("drop all");
    assert!(stored(store).is_empty());
}
