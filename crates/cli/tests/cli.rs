#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The command-line contract, driven through the real binary on real repositories.

mod support;

use serde_json::Value;
use std::process::Stdio;
use support::{GitRepo, Plumb};

/// A small repository with people, an AI co-authored commit, an agent-authored commit, a
/// bot and a merge.
fn mixed_repo() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("src/lib.rs", "fn a() {}\n");
    repo.commit_as(
        "Ana",
        "ana@acme.com",
        "2026-03-02T10:00:00+01:00",
        "add lib",
    );
    repo.write("src/lib.rs", "fn a() {}\nfn b() {}\n");
    repo.write("Cargo.lock", "lock\nlock\n");
    repo.commit_as(
        "Bo",
        "bo@acme.com",
        "2026-03-03T10:00:00-05:00",
        "add b\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n",
    );
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("docs/guide.md", "# guide\n");
    repo.commit_as(
        "Copilot",
        "198982749+Copilot@users.noreply.github.com",
        "2026-03-04T10:00:00Z",
        "write the guide",
    );
    repo.git(&["checkout", "-q", "main"]);
    repo.write("deps.txt", "x 1.0\n");
    repo.commit_as(
        "dependabot[bot]",
        "49699333+dependabot[bot]@users.noreply.github.com",
        "2026-03-05T10:00:00Z",
        "bump x",
    );
    repo.merge("side", "Cy", "cy@acme.com", "2026-03-06T10:00:00Z");
    repo
}

#[test]
fn ingest_json_totals_equal_git() {
    let repo = mixed_repo();
    let plumb = Plumb::new();
    let out = plumb.ok(&["ingest", repo.path_str(), "--format", "json"]);
    let json: Value = serde_json::from_str(&out).unwrap();
    let row = &json[0];
    let (added, deleted) = repo.numstat_totals();
    assert_eq!(row["commits"], repo.rev_list_count());
    assert_eq!(row["commits"], 5);
    assert_eq!(row["merge_commits"], 1);
    assert_eq!(row["new_commits"], 5);
    assert_eq!(row["lines_added"], added);
    assert_eq!(row["lines_deleted"], deleted);
    assert_eq!(row["ai_assisted_commits"], 2);
    assert_eq!(row["ai_by_tool"]["claude-code"], 1);
    assert_eq!(row["ai_by_tool"]["copilot-agent"], 1);
    assert_eq!(row["bot_commits"], 1);
    // Ana, Bo, Cy: the agent and the bot are not people.
    assert_eq!(row["people"], 3);
    assert_eq!(row["head"], repo.head());
    assert_eq!(row["binary_file_changes"], 0);
    assert_eq!(row["unknown_file_changes"], 0);
}

#[test]
fn reingest_changes_nothing_and_new_commits_are_read_incrementally() {
    let repo = mixed_repo();
    let plumb = Plumb::new();
    let first: Value =
        serde_json::from_str(&plumb.ok(&["ingest", repo.path_str(), "--format", "json"])).unwrap();
    let dump = plumb.dump();
    let again: Value =
        serde_json::from_str(&plumb.ok(&["ingest", repo.path_str(), "--format", "json"])).unwrap();
    assert_eq!(again[0]["new_commits"], 0);
    assert_eq!(first[0]["lines_added"], again[0]["lines_added"]);
    support::assert_same_rows(&dump, &plumb.dump());

    repo.write("src/new.rs", "a\nb\nc\n");
    repo.commit_as("Ana", "ana@acme.com", "2026-03-07T10:00:00Z", "more");
    repo.write("src/new.rs", "a\nc\n");
    repo.commit_as("Ana", "ana@acme.com", "2026-03-08T10:00:00Z", "less");
    let third: Value =
        serde_json::from_str(&plumb.ok(&["ingest", repo.path_str(), "--format", "json"])).unwrap();
    assert_eq!(third[0]["new_commits"], 2);
    assert_eq!(third[0]["commits"], 7);
    let (added, deleted) = repo.numstat_totals();
    assert_eq!(third[0]["lines_added"], added);
    assert_eq!(third[0]["lines_deleted"], deleted);
}

#[test]
fn a_killed_ingest_is_completed_by_the_next_run_without_duplicates() {
    let repo = GitRepo::new();
    support::fast_import_history(&repo, 6_000);
    let plumb = Plumb::new();
    let mut child = plumb
        .command(&["ingest", repo.path_str(), "--threads", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill as soon as the first batches are committed, well before the end.
    let started = std::time::Instant::now();
    loop {
        let stored = plumb.count_commits();
        if stored >= 1000 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "ingest finished before it could be killed"
        );
        assert!(started.elapsed().as_secs() < 120, "ingest made no progress");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let partial = plumb.count_commits();
    assert!(
        partial < 6_000,
        "the killed run had already stored everything ({partial})"
    );
    assert_eq!(
        plumb.ingested_head(),
        None,
        "a killed run must not mark the repository complete"
    );

    plumb.ok(&["ingest", repo.path_str()]);
    let clean = Plumb::new();
    clean.ok(&["ingest", repo.path_str()]);
    assert_eq!(plumb.count_commits(), 6_000);
    support::assert_same_rows(&plumb.dump(), &clean.dump());
}

#[test]
fn report_prints_adoption_from_git_and_names_missing_sources() {
    let repo = mixed_repo();
    let plumb = Plumb::new();
    let md = plumb.ok(&["report", repo.path_str(), "--format", "md"]);
    assert!(
        md.contains("| Dimension | Metric | Target | Actual | Status |"),
        "{md}"
    );
    assert!(md.contains("plumb import deployments"), "{md}");
    let json: Value = serde_json::from_str(&plumb.ok(&["report", "--format", "json"])).unwrap();
    assert_eq!(json["schema_version"], 1);
    let metric = |id: &str| {
        json["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing"))
            .clone()
    };
    // Non-merge commits by people or agents: Ana, Bo (Claude), Copilot agent; the bot is out.
    let commits = metric("adoption.ai_assisted_commits_pct");
    assert_eq!(commits["numerator"], 2.0);
    assert_eq!(commits["denominator"], 3.0);
    assert!(commits["low_sample"].as_bool().unwrap());
    // Active developers: Ana and Bo (Cy only merged); Bo used AI.
    let users = metric("adoption.active_ai_users_pct");
    assert_eq!(users["numerator"], 1.0);
    assert_eq!(users["denominator"], 2.0);
    let lead = metric("dora.lead_time_for_changes_hours");
    assert!(lead["value"].is_null());
    assert!(
        lead["reason"].as_str().unwrap().contains("deployments"),
        "{lead}"
    );
}

#[test]
fn report_window_flags_select_commits() {
    let repo = mixed_repo();
    let plumb = Plumb::new();
    plumb.ok(&["ingest", repo.path_str()]);
    let json: Value = serde_json::from_str(&plumb.ok(&[
        "report",
        "--since",
        "2026-03-04",
        "--until",
        "2026-03-05",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(json["activity"]["commits"], 1, "{}", json["activity"]);
    let json: Value =
        serde_json::from_str(&plumb.ok(&["report", "--quarter", "2026Q2", "--format", "json"]))
            .unwrap();
    assert_eq!(json["activity"]["commits"], 0);
    let users = json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "adoption.active_ai_users_pct")
        .unwrap()
        .clone();
    assert!(
        users["value"].is_null(),
        "an empty window is not 0%: {users}"
    );
    assert!(users["reason"].is_string());
}

#[test]
fn errors_name_the_thing_and_exit_2() {
    let plumb = Plumb::new();
    let dir = tempfile::tempdir().unwrap();
    let err = plumb.fails(&["ingest", dir.path().to_str().unwrap()], 2);
    assert!(
        err.contains(dir.path().to_str().unwrap()) && err.contains("not a git repository"),
        "{err}"
    );

    let repo = mixed_repo();
    let err = plumb.fails(
        &["ingest", repo.path_str(), "--branch", "no-such-branch"],
        2,
    );
    assert!(err.contains("no-such-branch"), "{err}");

    let err = plumb.fails(&["report", "--quarter", "2026Q9"], 2);
    assert!(err.contains("2026Q9"), "{err}");

    let config = dir.path().join("plumb.toml");
    std::fs::write(&config, "[privacy]\nmin_group_size = 5\nmin_grup = 3\n").unwrap();
    let err = plumb.fails(
        &[
            "--config",
            config.to_str().unwrap(),
            "report",
            repo.path_str(),
        ],
        2,
    );
    assert!(
        err.contains("min_grup") && err.contains("line 3") && err.contains("plumb.toml"),
        "{err}"
    );

    let err = plumb.fails(&["report"], 2);
    assert!(err.contains("no repositories"), "{err}");
}

#[test]
fn an_empty_repository_ingests_with_no_commits() {
    let repo = GitRepo::new();
    let plumb = Plumb::new();
    let json: Value =
        serde_json::from_str(&plumb.ok(&["ingest", repo.path_str(), "--format", "json"])).unwrap();
    assert_eq!(json[0]["commits"], 0);
    assert!(json[0]["head"].is_null());
}

#[test]
fn config_signatures_extend_the_catalogue_and_stored_commits_are_reclassified() {
    let repo = GitRepo::new();
    repo.write("a.txt", "a\n");
    repo.commit_as(
        "Ana",
        "ana@acme.com",
        "2026-03-02T10:00:00Z",
        "a\n\nAssisted-by: acme-agent v2\n",
    );
    let plumb = Plumb::new();
    let before: Value =
        serde_json::from_str(&plumb.ok(&["ingest", repo.path_str(), "--format", "json"])).unwrap();
    assert_eq!(
        before[0]["ai_by_tool"]["acme-agent"], 1,
        "generic disclosure trailer: {before}"
    );
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("plumb.toml");
    std::fs::write(&config, "[ai]\ndisable = [\"other\"]\n").unwrap();
    let after: Value = serde_json::from_str(&plumb.ok(&[
        "--config",
        config.to_str().unwrap(),
        "ingest",
        repo.path_str(),
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(after[0]["ai_assisted_commits"], 0, "{after}");
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let repo = mixed_repo();
    let plumb = Plumb::new();
    plumb.ok(&["ingest", repo.path_str()]);
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = plumb
        .command(&["report", "--format", "json"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert_eq!(status.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
