#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Line survival kept in the store: a report reads from git only the commits whose facts
//! do not hold for the ingested history (none when it has not moved), prints what a report
//! from scratch prints, and keeps the store's facts true when history moves on, brings
//! old-dated commits or is rewritten. Facts not final are stored as such and left out of
//! code churn as before.

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

/// Every stored fact is final exactly when the history (newest author time `newest`)
/// covers the commit's 21 days.
fn assert_finality(plumb: &Plumb, commits: &BTreeMap<String, i64>, newest: i64) {
    for (id, stored_final) in plumb.churn_final() {
        let t = commits[&id];
        assert_eq!(
            stored_final,
            t + HORIZON <= newest,
            "{id} (authored {t}, newest {newest}): final as stored"
        );
    }
}

#[test]
fn a_second_report_reads_nothing_from_git_and_prints_the_same() {
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
        commits.keys().cloned().collect::<Vec<_>>(),
        "every commit read is stored, final or not"
    );
    let stored_final = plumb.churn_final();
    assert_eq!(
        stored_final
            .iter()
            .filter(|(_, f)| **f)
            .map(|(id, _)| id.clone())
            .collect::<Vec<_>>(),
        finals,
        "exactly the final commits are stored as final"
    );
    assert_finality(&plumb, &commits, newest);
    assert_eq!(plumb.churn_tip(), Some(repo.head()));
    let churned: u32 = stored.values().flatten().map(|f| f.2).sum();
    assert!(churned > 0, "the history churns");
    assert!(churn_metric(&first.json)["numerator"].as_f64().unwrap() > 0.0);

    let second = report(&plumb, &[repo.path_str()]);
    assert_eq!(second.json, first.json, "the same report, byte for byte");
    assert_eq!(
        (second.from_store, second.from_git),
        (commits.len(), 0),
        "nothing is read from git again"
    );
    assert_eq!(plumb.churn_facts(), stored);
    assert_eq!(plumb.churn_final(), stored_final);

    // And what a store that never saw a report prints.
    let fresh = report(&Plumb::new(), &[repo.path_str()]);
    assert_eq!(fresh.json, first.json);
}

#[test]
fn facts_not_final_are_stored_as_such_and_left_out_of_code_churn() {
    let repo = GitRepo::new();
    let commits = history(&repo, 40);
    let newest = *commits.values().max().unwrap();
    // A window over the whole history: every commit counts.
    let (since, until) = (day_of(T0), day_of(newest + DAY));
    let window = [
        repo.path_str(),
        "--since",
        since.as_str(),
        "--until",
        until.as_str(),
    ];
    let open = commits.len() - finals(&commits, newest).len();
    let plumb = Plumb::new();
    // "process.code_churn_pct: N commit(s) less than 21 days older than the newest commit
    // are left out: their churn is not final yet"
    let pending = |run: &Run| -> usize {
        let v: serde_json::Value = serde_json::from_str(&run.json).unwrap();
        let suffix = " commit(s) less than 21 days older than the newest commit are left out: their churn is not final yet";
        v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|n| n.as_str()?.strip_prefix("process.code_churn_pct: "))
            .find_map(|n| n.strip_suffix(suffix))
            .unwrap_or_else(|| panic!("no note of commits left out in {}", v["notes"]))
            .parse()
            .unwrap()
    };
    let first = report(&plumb, &window);
    assert_eq!(first.from_git, commits.len());
    assert_eq!(pending(&first), open);
    for _ in 0..2 {
        // From the store, they are still not final, and still left out.
        let run = report(&plumb, &window);
        assert_eq!((run.from_store, run.from_git), (commits.len(), 0));
        assert_eq!(pending(&run), open);
        assert_eq!(run.json, first.json);
        assert_finality(&plumb, &commits, newest);
        assert_eq!(plumb.churn_final().values().filter(|f| !**f).count(), open);
    }
}

#[test]
fn new_commits_within_the_horizon_update_older_commits_that_become_final() {
    let repo = GitRepo::new();
    let commits = history(&repo, 30);
    let last = T0 + 29 * 3 * DAY;
    let plumb = Plumb::new();
    report(&plumb, &[repo.path_str()]);
    let before = plumb.churn_facts();
    let before_final = plumb.churn_final();
    let last_id = commits.iter().find(|(_, t)| **t == last).unwrap().0.clone();
    assert!(!before_final[&last_id], "the last commit is not final");

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
    assert!(plumb.churn_final()[&last_id], "final now");
    for (id, files) in &before {
        if before_final[id] {
            assert_eq!(&after[id], files, "{id}: a final fact does not change");
        }
    }
    let finals_before = before_final.values().filter(|f| **f).count();
    assert_eq!(run.from_store, finals_before);
    // The commits not final before, and the two new ones.
    assert_eq!(run.from_git, commits.len() - finals_before + 2);
    assert_eq!(plumb.churn_tip(), Some(repo.head()));
    let fresh = report(&plumb.copy_without_churn(), &[repo.path_str()]);
    assert_eq!(run.json, fresh.json);
    assert_eq!(run.json, report(&Plumb::new(), &[repo.path_str()]).json);
    // Next time nothing is read: the history has not moved.
    let again = report(&plumb, &[repo.path_str()]);
    assert_eq!(again.from_git, 0);
    assert_eq!(again.json, run.json);
}

#[test]
fn a_new_commit_recomputes_the_facts_not_final_it_changes() {
    let repo = GitRepo::new();
    let mut commits = history(&repo, 30);
    let last = T0 + 29 * 3 * DAY;
    let last_id = commits.iter().find(|(_, t)| **t == last).unwrap().0.clone();
    let plumb = Plumb::new();
    report(&plumb, &[repo.path_str()]);
    assert_eq!(
        plumb.churn_facts()[&last_id],
        vec![("a.txt".to_string(), 3, 0)]
    );
    assert!(!plumb.churn_final()[&last_id], "not final");

    // A day later one of its lines goes: still within its 21 days, still not final, but
    // its figure is not the stored one any more.
    let a = std::fs::read_to_string(repo.path().join("a.txt")).unwrap();
    let kept: Vec<&str> = a.lines().filter(|l| *l != "c29-1").collect();
    repo.write("a.txt", &(kept.join("\n") + "\n"));
    repo.commit_as("Ana", "ana@acme.com", &date(last + DAY), "delete one");
    commits.insert(repo.head(), last + DAY);

    let run = report(&plumb, &[repo.path_str()]);
    assert!(run.from_git > 0);
    assert_eq!(
        plumb.churn_facts()[&last_id],
        vec![("a.txt".to_string(), 3, 1)],
        "computed again at the new tip"
    );
    assert!(!plumb.churn_final()[&last_id], "not final");
    assert_finality(&plumb, &commits, last + DAY);
    assert_eq!(plumb.churn_tip(), Some(repo.head()));
    let fresh = plumb.copy_without_churn();
    assert_eq!(run.json, report(&fresh, &[repo.path_str()]).json);
    assert_eq!(plumb.churn_facts(), fresh.churn_facts());
    assert_eq!(plumb.churn_final(), fresh.churn_final());
}

/// A history growing step by step (commits within the horizon, a topic branch authored
/// earlier and merged late, a month's gap, nothing new): after each step the report and
/// the stored facts are those of the same store without any facts.
#[test]
fn a_growing_history_gives_what_a_store_without_facts_gives() {
    let repo = GitRepo::new();
    let mut commits = history(&repo, 24);
    let mut newest = *commits.values().max().unwrap();
    let plumb = Plumb::new();
    report(&plumb, &[repo.path_str()]);
    let mut lines: Vec<String> = std::fs::read_to_string(repo.path().join("a.txt"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    for step in 0..6 {
        match step {
            // Two days on: rewrite the two newest lines.
            0 | 1 => {
                newest += 2 * DAY;
                let n = lines.len();
                lines[n - 1] = format!("step {step} a");
                lines[n - 2] = format!("step {step} b");
                repo.write("a.txt", &(lines.join("\n") + "\n"));
                repo.commit_as("Ana", "ana@acme.com", &date(newest), "rewrite");
                commits.insert(repo.head(), newest);
            }
            // A topic branch from ten days ago, deleting the lines then newest and adding a
            // file, authored then and merged now (conflicts resolved to main's side).
            2 => {
                let before = format!("--before=@{}", newest - 10 * DAY);
                let base = repo.git(&["rev-list", "-1", &before, "main"]);
                repo.git(&["checkout", "-q", "-b", "late", base.trim()]);
                let old = std::fs::read_to_string(repo.path().join("a.txt")).unwrap();
                let old: Vec<&str> = old.lines().collect();
                let kept = &old[..old.len().saturating_sub(2)];
                repo.write("a.txt", &(kept.join("\n") + "\n"));
                repo.write("late.txt", "late one\nlate two\n");
                repo.commit_as("Bo", "bo@acme.com", &date(newest - 9 * DAY), "late");
                commits.insert(repo.head(), newest - 9 * DAY);
                repo.git(&["checkout", "-q", "main"]);
                newest += DAY;
                repo.git_env(
                    &[
                        "merge",
                        "-q",
                        "--no-ff",
                        "-X",
                        "ours",
                        "-m",
                        "merge late",
                        "late",
                    ],
                    &[
                        ("GIT_AUTHOR_DATE", &date(newest)),
                        ("GIT_COMMITTER_DATE", &date(newest)),
                    ],
                );
            }
            // A month later: the horizon of everything before is covered.
            3 => {
                newest += 30 * DAY;
                repo.write("b.txt", "a month later\n");
                repo.commit_as("Ana", "ana@acme.com", &date(newest), "later");
                commits.insert(repo.head(), newest);
            }
            // Nothing new.
            _ => {}
        }
        let run = report(&plumb, &[repo.path_str()]);
        if step >= 4 {
            assert_eq!(run.from_git, 0, "step {step}: the history has not moved");
        }
        let fresh = plumb.copy_without_churn();
        let from_scratch = report(&fresh, &[repo.path_str()]);
        assert_eq!(run.json, from_scratch.json, "step {step}");
        assert_finality(&plumb, &commits, newest);
        // The facts of the report's range are the same; the store may keep final facts
        // of older commits besides.
        let (facts, finals) = (plumb.churn_facts(), plumb.churn_final());
        for (id, files) in fresh.churn_facts() {
            assert_eq!(facts.get(&id), Some(&files), "step {step}: {id}");
            assert_eq!(
                finals.get(&id),
                fresh.churn_final().get(&id),
                "step {step}: {id}"
            );
        }
        for (id, f) in &finals {
            assert!(
                *f || fresh.churn_final().contains_key(id),
                "step {step}: {id}"
            );
        }
    }
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
fn a_repository_gone_is_left_out_unless_its_facts_all_hold() {
    let repo = GitRepo::new();
    history(&repo, 40);
    let plumb = Plumb::new();
    // A window whose commits and baseline are all final; the report ingests the whole
    // history but reads only that range.
    let (since, until) = (day_of(T0 + 45 * DAY), day_of(T0 + 80 * DAY));
    let window = ["--since", since.as_str(), "--until", until.as_str()];
    let with_repo = report(&plumb, &[&[repo.path_str()][..], &window].concat());
    assert!(with_repo.from_git > 0);

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
    // The latest window's commits were never read: the repository is needed and left out
    // whole.
    let run = report(&plumb, &[]);
    assert!(
        run.stderr
            .contains("line survival not read, code churn leaves this repository out"),
        "{}",
        run.stderr
    );
    assert_eq!(run.from_store, 0);
    assert!(churn_metric(&run.json)["value"].is_null());

    std::fs::rename(&gone, repo.path()).unwrap();
    let latest = report(&plumb, &[repo.path_str()]);
    assert!(churn_metric(&latest.json)["value"].is_number());
    // Gone again: the latest commits' facts, final or not, hold for the ingested head,
    // which has not moved.
    std::fs::rename(repo.path(), &gone).unwrap();
    let cached = report(&plumb, &[]);
    assert_eq!(cached.from_git, 0);
    assert!(!cached.stderr.contains("warning"), "{}", cached.stderr);
    assert_eq!(cached.json, latest.json);
    std::fs::rename(&gone, repo.path()).unwrap();
}
