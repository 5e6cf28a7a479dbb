#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Line survival kept in the store: a report reads from git only the commits whose figures
//! are not final and stored yet, prints what a report from scratch prints, and keeps the
//! store's facts true when history moves on, brings old-dated commits or is rewritten.

mod support;

use std::collections::BTreeMap;
use support::{GitRepo, Plumb};

const DAY: i64 = 86_400;
const T0: i64 = 1_700_000_000;
const HORIZON: i64 = 21 * DAY;

fn date(t: i64) -> String {
    format!("{t} +0000")
}

fn day_of(t: i64) -> String {
    jiff::Timestamp::from_second(t)
        .unwrap()
        .strftime("%Y-%m-%d")
        .to_string()
}

/// One `plumb -v report`: its JSON and where its line survival came from.
struct Run {
    json: String,
    stderr: String,
    from_store: usize,
    from_git: usize,
}

fn report(plumb: &Plumb, args: &[&str]) -> Run {
    let mut all = vec!["-v", "report", "--format", "json"];
    all.extend_from_slice(args);
    let out = plumb.command(&all).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "plumb {all:?}\n{stderr}");
    // "report: line survival: N commits from the store, M read from git"
    let line = stderr
        .lines()
        .find_map(|l| {
            l.split_once("report: line survival: ")
                .map(|(_, rest)| rest)
        })
        .unwrap_or_else(|| panic!("no line survival log line in\n{stderr}"));
    let number = |s: &str| -> usize {
        s.trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let (store_part, git_part) = line.split_once(" commits from the store, ").unwrap();
    Run {
        json: String::from_utf8(out.stdout).unwrap(),
        from_store: number(store_part),
        from_git: number(git_part),
        stderr,
    }
}

/// The code churn metric of a JSON report.
fn churn_metric(json: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "process.code_churn_pct")
        .unwrap()
        .clone()
}

/// A history of `n` commits three days apart, each appending three lines to a.txt and
/// deleting the first line of the commit before last (churn: six days old), with a topic
/// branch merged every tenth commit. Returns the non-merge commits' author times by id.
fn history(repo: &GitRepo, n: i64) -> BTreeMap<String, i64> {
    let mut commits = BTreeMap::new();
    let mut lines: Vec<String> = Vec::new();
    for i in 0..n {
        let t = T0 + i * 3 * DAY;
        lines.extend((0..3).map(|k| format!("c{i}-{k}")));
        lines.retain(|l| *l != format!("c{}-0", i - 2));
        repo.write("a.txt", &(lines.join("\n") + "\n"));
        repo.commit_as("Ana", "ana@acme.com", &date(t), &format!("commit {i}"));
        commits.insert(repo.head(), t);
        if i % 10 == 5 {
            repo.git(&["checkout", "-q", "-b", &format!("topic{i}")]);
            repo.write(&format!("topic{i}.txt"), "one\ntwo\n");
            repo.commit_as("Bo", "bo@acme.com", &date(t + 3600), "topic");
            commits.insert(repo.head(), t + 3600);
            repo.git(&["checkout", "-q", "main"]);
            repo.merge(&format!("topic{i}"), "Bo", "bo@acme.com", &date(t + 7200));
        }
    }
    commits
}

/// The commits of `commits` whose 21 days the history (newest author time) covers.
fn finals(commits: &BTreeMap<String, i64>, newest: i64) -> Vec<String> {
    commits
        .iter()
        .filter(|(_, t)| **t + HORIZON <= newest)
        .map(|(id, _)| id.clone())
        .collect()
}

#[test]
fn a_second_report_reads_only_commits_not_final_from_git_and_prints_the_same() {
    let repo = GitRepo::new();
    let commits = history(&repo, 40);
    let newest = *commits.values().max().unwrap();
    let finals = finals(&commits, newest);
    assert!(finals.len() > 30 && finals.len() < commits.len());
    let plumb = Plumb::new();

    let first = report(&plumb, &[repo.path_str()]);
    assert_eq!((first.from_store, first.from_git), (0, commits.len()));
    let stored = plumb.churn_facts();
    assert_eq!(
        stored.keys().cloned().collect::<Vec<_>>(),
        finals,
        "exactly the final commits are stored"
    );
    assert_eq!(plumb.churn_tip(), Some(repo.head()));
    let churned: u32 = stored.values().flatten().map(|f| f.2).sum();
    assert!(churned > 0, "the history churns");
    assert!(churn_metric(&first.json)["numerator"].as_f64().unwrap() > 0.0);

    let second = report(&plumb, &[repo.path_str()]);
    assert_eq!(second.json, first.json, "the same report, byte for byte");
    assert_eq!(
        (second.from_store, second.from_git),
        (finals.len(), commits.len() - finals.len()),
        "no final commit is read from git again"
    );
    assert_eq!(plumb.churn_facts(), stored);

    // And what a store that never saw a report prints.
    let fresh = report(&Plumb::new(), &[repo.path_str()]);
    assert_eq!(fresh.json, first.json);
}

#[test]
fn new_commits_within_the_horizon_update_older_commits_that_become_final() {
    let repo = GitRepo::new();
    let commits = history(&repo, 30);
    let last = T0 + 29 * 3 * DAY;
    let plumb = Plumb::new();
    report(&plumb, &[repo.path_str()]);
    let before = plumb.churn_facts();
    let last_id = commits.iter().find(|(_, t)| **t == last).unwrap().0.clone();
    assert!(
        !before.contains_key(&last_id),
        "the last commit is not final"
    );

    // Two days later its two surviving lines go; 25 days later history covers its horizon.
    let a = std::fs::read_to_string(repo.path().join("a.txt")).unwrap();
    let kept: Vec<&str> = a
        .lines()
        .filter(|l| !matches!(*l, "c29-1" | "c29-2"))
        .collect();
    repo.write("a.txt", &(kept.join("\n") + "\n"));
    repo.commit_as("Ana", "ana@acme.com", &date(last + 2 * DAY), "delete");
    repo.write("b.txt", "later\n");
    repo.commit_as("Ana", "ana@acme.com", &date(last + 25 * DAY), "later");

    let run = report(&plumb, &[repo.path_str()]);
    let after = plumb.churn_facts();
    assert_eq!(
        after[&last_id],
        vec![("a.txt".to_string(), 3, 2)],
        "now final, with the deletions of the new commit"
    );
    for (id, files) in &before {
        assert_eq!(&after[id], files, "{id}: a final fact does not change");
    }
    assert_eq!(run.from_store, before.len());
    // The commits not final before, and the two new ones.
    assert_eq!(run.from_git, commits.len() - before.len() + 2);
    assert_eq!(plumb.churn_tip(), Some(repo.head()));
    let fresh = report(&Plumb::new(), &[repo.path_str()]);
    assert_eq!(run.json, fresh.json);
    // Next time only the newest commit is read (the one before it is final now).
    let again = report(&plumb, &[repo.path_str()]);
    assert_eq!(again.from_git, 1);
    assert_eq!(again.json, run.json);
}

#[test]
fn a_commit_arriving_with_an_old_author_date_makes_the_facts_it_can_change_stale() {
    let repo = GitRepo::new();
    let lines: Vec<String> = (0..10).map(|i| format!("line {i}")).collect();
    repo.write("a.txt", &(lines.join("\n") + "\n"));
    repo.commit_as("Ana", "ana@acme.com", &date(T0), "ten lines");
    let a = repo.head();
    repo.write("b.txt", "b\n");
    repo.commit_as("Ana", "ana@acme.com", &date(T0 + 30 * DAY), "b");
    let plumb = Plumb::new();
    report(&plumb, &[repo.path_str()]);
    assert_eq!(plumb.churn_facts()[&a], vec![("a.txt".to_string(), 10, 0)]);

    // A rebased commit keeps its author date: written 5 days after `a`, it deletes four of
    // its lines, and counts as churn.
    repo.write("a.txt", &(lines[4..].join("\n") + "\n"));
    repo.git(&["add", "-A"]);
    repo.git_env(
        &["commit", "-q", "-m", "rebased"],
        &[
            ("GIT_AUTHOR_DATE", &date(T0 + 5 * DAY)),
            ("GIT_COMMITTER_DATE", &date(T0 + 31 * DAY)),
        ],
    );
    let run = report(&plumb, &[repo.path_str()]);
    assert_eq!(plumb.churn_facts()[&a], vec![("a.txt".to_string(), 10, 4)]);
    assert_eq!(run.json, report(&Plumb::new(), &[repo.path_str()]).json);
}

#[test]
fn a_rewritten_history_drops_the_facts_of_the_old_one() {
    let repo = GitRepo::new();
    let commits = history(&repo, 20);
    let plumb = Plumb::new();
    report(&plumb, &[repo.path_str()]);
    let before = plumb.churn_facts();
    assert!(!before.is_empty());

    // Back ten commits, and a different history on top, newer than the dropped one.
    repo.git(&["reset", "-q", "--hard", "HEAD~10"]);
    let base = T0 + 60 * DAY;
    for i in 0..12 {
        repo.write("c.txt", &format!("rewritten {i}\n"));
        repo.commit_as("Ana", "ana@acme.com", &date(base + i * 3 * DAY), "new");
    }
    let run = report(&plumb, &[repo.path_str()]);
    let reachable: std::collections::HashSet<String> = repo
        .git(&["rev-list", "HEAD"])
        .lines()
        .map(str::to_string)
        .collect();
    let after = plumb.churn_facts();
    assert!(after.keys().all(|id| reachable.contains(id)));
    assert!(
        commits.keys().any(|id| !reachable.contains(id)),
        "the rewrite dropped commits"
    );
    assert_eq!(plumb.churn_tip(), Some(repo.head()));
    // The old history's commits stay in the store (ingest only adds), but code churn is
    // that of the history read, as a store from scratch has it.
    let fresh = report(&Plumb::new(), &[repo.path_str()]);
    assert_eq!(churn_metric(&run.json), churn_metric(&fresh.json));
    assert_eq!(after, fresh_facts(&repo));
}

/// The facts a store from scratch keeps for the repository.
fn fresh_facts(repo: &GitRepo) -> BTreeMap<String, Vec<(String, u32, u32)>> {
    let plumb = Plumb::new();
    report(&plumb, &[repo.path_str()]);
    plumb.churn_facts()
}

#[test]
fn a_repository_gone_is_left_out_unless_its_facts_are_all_stored() {
    let repo = GitRepo::new();
    history(&repo, 40);
    let plumb = Plumb::new();
    // A window whose commits and baseline are all final.
    let (since, until) = (day_of(T0 + 45 * DAY), day_of(T0 + 80 * DAY));
    let window = ["--since", since.as_str(), "--until", until.as_str()];
    let with_repo = report(&plumb, &[&[repo.path_str()][..], &window].concat());
    assert!(with_repo.from_git > 0);
    let latest = report(&plumb, &[repo.path_str()]);

    let moved = tempfile::tempdir().unwrap();
    let gone = moved.path().join("gone");
    std::fs::rename(repo.path(), &gone).unwrap();
    // Every fact stored: the repository is not opened at all.
    let cached = report(&plumb, &window);
    assert_eq!(
        (cached.from_store, cached.from_git),
        (with_repo.from_git, 0)
    );
    assert_eq!(
        churn_metric(&cached.json),
        churn_metric(&with_repo.json),
        "the same figure from the store"
    );
    assert!(!cached.stderr.contains("warning"), "{}", cached.stderr);
    // The latest commits are not final: the repository is needed and left out whole.
    let run = report(&plumb, &[]);
    assert!(
        run.stderr
            .contains("line survival not read, code churn leaves this repository out"),
        "{}",
        run.stderr
    );
    assert_eq!(run.from_store, 0);
    assert!(churn_metric(&latest.json)["value"].is_number());
    assert!(churn_metric(&run.json)["value"].is_null());
    std::fs::rename(&gone, repo.path()).unwrap();
}
