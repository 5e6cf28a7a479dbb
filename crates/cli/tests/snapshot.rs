#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `plumb snapshot`: quarterly scorecards saved in the store, on the demo organisation.
//!
//! The demo (history 2025-08-01 to 2026-10-31) is generated once for the whole file; each
//! test works on its own copy of the demo's `plumb.toml` and store, and runs plumb from
//! that folder, so the configuration and the store are found the way a user's are.

mod support;

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

/// A folder holding a copy of the demo's configuration and store.
struct Org {
    dir: tempfile::TempDir,
}

impl Org {
    fn new() -> Self {
        let demo = support::demo_dir();
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(demo.join("plumb.toml"), dir.path().join("plumb.toml")).unwrap();
        std::fs::create_dir(dir.path().join(".plumb")).unwrap();
        // The demo's process has exited, so its store is checkpointed into the one file.
        std::fs::copy(
            demo.join(".plumb").join("plumb.db"),
            dir.path().join(".plumb").join("plumb.db"),
        )
        .unwrap();
        Org { dir }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join(".plumb").join("plumb.db")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_plumb"))
            .current_dir(self.dir.path())
            .env_remove("PLUMB_DB")
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .unwrap()
    }

    /// Runs plumb, expects exit 0, returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "plumb {args:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs plumb, expects exit 2, returns stderr.
    fn error(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(2),
            "plumb {args:?}\nstderr: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }

    fn list(&self) -> Value {
        serde_json::from_str(&self.ok(&["snapshot", "--list", "--format", "json"])).unwrap()
    }

    /// Every stored snapshot row, read behind plumb's back.
    fn rows(&self) -> Vec<(String, i64, bool, String)> {
        let conn = rusqlite::Connection::open_with_flags(
            self.db(),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT quarter, taken_at, targets_reviewed, report_json FROM snapshots ORDER BY quarter",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

#[test]
fn saves_the_latest_complete_quarter_and_lists_snapshots_with_target_changes() {
    let org = Org::new();
    assert_eq!(
        org.ok(&["snapshot", "--list"]),
        "no snapshots saved yet: take one with `plumb snapshot`\n"
    );

    let q2 = org.ok(&["snapshot", "--quarter", "2026Q2"]);
    assert!(q2.starts_with("saved snapshot 2026-Q2: overall "), "{q2}");
    assert!(
        q2.contains("(Adoption ") && q2.contains(", Cost efficiency "),
        "{q2}"
    );
    assert!(q2.ends_with("; targets reviewed: no\n"), "{q2}");
    assert_eq!(q2.lines().count(), 1, "{q2}");

    // The targets are reviewed: one is tightened before the next quarter's snapshot.
    let config = org.dir.path().join("plumb.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[scorecard.targets]\n\"dora.change_failure_rate_pct\" = 3\n");
    std::fs::write(&config, text).unwrap();
    // No --quarter: the demo's history ends on 2026-10-31, so the latest complete quarter
    // is 2026-Q3.
    let q3 = org.ok(&["snapshot", "--targets-reviewed"]);
    assert!(q3.starts_with("saved snapshot 2026-Q3: overall "), "{q3}");
    assert!(q3.ends_with("; targets reviewed: yes\n"), "{q3}");

    let list = org.ok(&["snapshot", "--list"]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 4, "{list}");
    assert_eq!(lines[0], "Snapshots (2)");
    for column in [
        "quarter",
        "taken at (UTC)",
        "overall",
        "adoption",
        "cost",
        "targets reviewed",
        "targets changed",
    ] {
        assert!(lines[1].contains(column), "{list}");
    }
    assert!(
        lines[2].starts_with("2026-Q2 ") && lines[2].contains(" no "),
        "{list}"
    );
    assert!(lines[2].ends_with('—'), "{list}");
    assert!(
        lines[3].starts_with("2026-Q3 ") && lines[3].contains(" yes "),
        "{list}"
    );
    assert!(lines[3].ends_with("1 since 2026-Q2"), "{list}");

    let json = org.list();
    let snapshots = json["snapshots"].as_array().unwrap();
    assert_eq!(snapshots.len(), 2);
    let (a, b) = (&snapshots[0], &snapshots[1]);
    assert_eq!(a["quarter"], "2026-Q2");
    assert_eq!(a["since"], "2026-04-01T00:00:00Z");
    assert_eq!(a["until"], "2026-07-01T00:00:00Z");
    assert_eq!(a["targets_reviewed"], false);
    assert_eq!(a["targets_changed"], Value::Null);
    assert_eq!(a["targets"]["dora.change_failure_rate_pct"], "≤ 5%");
    assert_eq!(b["quarter"], "2026-Q3");
    assert_eq!(b["targets_reviewed"], true);
    assert_eq!(b["targets_changed"], 1);
    assert_eq!(b["targets"]["dora.change_failure_rate_pct"], "≤ 3%");
    for s in snapshots {
        let scores = s["scores"].as_object().unwrap();
        assert_eq!(scores.len(), 6, "five dimensions and overall: {s}");
        assert!(scores["overall"].is_number(), "{s}");
        assert!(scores.contains_key("Process impact"), "{s}");
    }
}

#[test]
fn a_second_snapshot_of_a_quarter_needs_replace() {
    let org = Org::new();
    org.ok(&["snapshot", "--quarter", "2026-Q2"]);
    let before = org.rows();
    assert_eq!(before.len(), 1);

    let stderr = org.error(&["snapshot", "--quarter", "2026-Q2", "--targets-reviewed"]);
    assert!(
        stderr.contains("a snapshot of 2026-Q2 is already stored") && stderr.contains("--replace"),
        "{stderr}"
    );
    assert_eq!(org.rows(), before, "a refused snapshot changes nothing");

    let replaced = org.ok(&[
        "snapshot",
        "--quarter",
        "2026-Q2",
        "--targets-reviewed",
        "--replace",
    ]);
    assert!(
        replaced.starts_with("replaced snapshot 2026-Q2: overall "),
        "{replaced}"
    );
    assert!(
        replaced.ends_with("; targets reviewed: yes\n"),
        "{replaced}"
    );
    let after = org.rows();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].0, "2026-Q2");
    assert!(after[0].2, "the replacement is the one stored");
    assert!(after[0].1 >= before[0].1);
    assert_eq!(after[0].3, before[0].3, "same data, same report");
}

#[test]
fn json_output_keeps_the_report_plumb_report_prints() {
    let org = Org::new();
    // Before the snapshot exists: afterwards the report's phase 5 evidence counts it.
    let report_text = org.ok(&["report", "--quarter", "2026-Q2", "--format", "json"]);
    let out: Value =
        serde_json::from_str(&org.ok(&["snapshot", "--quarter", "2026-Q2", "--format", "json"]))
            .unwrap();
    assert_eq!(out["saved"], "inserted");
    let snapshot = &out["snapshot"];
    assert_eq!(snapshot["quarter"], "2026-Q2");
    assert_eq!(snapshot["targets_reviewed"], false);
    assert!(snapshot.get("targets_changed").is_none(), "{snapshot}");

    assert_eq!(
        org.rows()[0].3,
        report_text,
        "the snapshot keeps `plumb report --quarter`'s JSON report byte for byte"
    );
    let report: Value = serde_json::from_str(&report_text).unwrap();
    assert_eq!(out["report"], report, "and prints it");
    assert_eq!(snapshot["scores"]["overall"], report["overall"]["score"]);
    for d in report["dimensions"].as_array().unwrap() {
        let name = d["name"].as_str().unwrap();
        assert_eq!(snapshot["scores"][name], d["score"], "{name}");
    }
    let targeted: Vec<&Value> = report["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| !m["target"].is_null())
        .collect();
    assert_eq!(
        snapshot["targets"].as_object().unwrap().len(),
        targeted.len()
    );
    for m in targeted {
        let id = m["id"].as_str().unwrap();
        assert_eq!(snapshot["targets"][id], m["target"]["label"], "{id}");
    }

    let again: Value = serde_json::from_str(&org.ok(&[
        "snapshot",
        "--quarter",
        "2026Q2",
        "--replace",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(again["saved"], "replaced");
}

#[test]
fn bad_quarters_and_flags_are_errors_that_say_why() {
    let org = Org::new();
    let e = org.error(&["snapshot", "--quarter", "2026Q5"]);
    assert!(e.contains("--quarter \"2026Q5\" is not a quarter"), "{e}");
    let e = org.error(&["snapshot", "--quarter", "2024-Q1"]);
    assert!(
        e.contains("no commits in 2024-Q1") && e.contains("--quarter"),
        "{e}"
    );
    let e = org.error(&["snapshot", "--list", "--quarter", "2026-Q2"]);
    assert!(e.contains("--quarter"), "{e}");
    assert!(org.rows().is_empty(), "nothing was saved");

    // An incomplete quarter can be saved on purpose, with a warning.
    let out = org.run(&["snapshot", "--quarter", "2026-Q4"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: 2026-Q4 is not complete: the newest commit is from 2026-10-31"),
        "{stderr}"
    );

    // Listing never creates a store.
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_plumb"))
        .current_dir(empty.path())
        .env_remove("PLUMB_DB")
        .args(["snapshot", "--list", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["snapshots"], Value::Array(Vec::new()));
    assert!(!empty.path().join(".plumb").exists());

    // A store without repositories has nothing to snapshot.
    let out = Command::new(env!("CARGO_BIN_EXE_plumb"))
        .current_dir(empty.path())
        .env_remove("PLUMB_DB")
        .args(["snapshot"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the store has no repositories yet"),
        "{stderr}"
    );
}

#[test]
fn two_quarters_with_reviewed_targets_meet_phase_five_in_the_report() {
    let org = Org::new();
    let phase5 = |org: &Org| {
        let r: Value = serde_json::from_str(&org.ok(&["report", "--format", "json"])).unwrap();
        r["analysis"]["phase"]["phases"][5]["criteria"][0].clone()
    };
    let before = phase5(&org);
    assert_eq!(before["met"], false, "{before}");
    assert_eq!(before["evidence"], "no snapshot saved (`plumb snapshot`)");
    org.ok(&["snapshot", "--quarter", "2026-Q2"]);
    let one = phase5(&org);
    assert_eq!(one["met"], false, "{one}");
    org.ok(&["snapshot", "--quarter", "2026-Q3", "--targets-reviewed"]);
    let two = phase5(&org);
    assert_eq!(two["met"], true, "{two}");
    assert_eq!(
        two["evidence"],
        "snapshots: 2026-Q2, 2026-Q3; targets reviewed between them: yes"
    );
}
