#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `plumb demo`: the generated organisation goes through ingest and import like a user's
//! data and fills every dimension of the scorecard.

use serde_json::Value;
use std::process::Command;

fn plumb(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_plumb"))
        .env_remove("PLUMB_DB")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_demo_fills_every_dimension_and_reports_again_from_its_store() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let dir_s = dir.to_str().unwrap();
    let out = plumb(&["demo", "--dir", dir_s, "--seed", "7", "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    for d in report["dimensions"].as_array().unwrap() {
        let with_data = d["coverage"]["with_data"].as_u64().unwrap();
        assert!(
            with_data > 0,
            "dimension {} has no metric with data: {d}",
            d["dimension"]
        );
    }
    assert!(dir.join("PLANTED.json").exists());

    // The store the demo filled answers `plumb report` the way the README says.
    let db = dir.join(".plumb").join("plumb.db");
    let config = dir.join("plumb.toml");
    let md = plumb(&[
        "--db",
        db.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "report",
        "--format",
        "md",
    ]);
    assert_eq!(
        md.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&md.stderr)
    );
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.contains("| Dimension | Metric | Target | Actual | Status |"),
        "{md}"
    );

    // Running the demo again replaces it and gives the same organisation.
    let again = plumb(&["demo", "--dir", dir_s, "--seed", "7", "--format", "json"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(
        serde_json::from_slice::<Value>(&again.stdout).unwrap()["metrics"],
        report["metrics"],
        "the same seed gives the same figures"
    );
}

#[test]
fn the_demo_refuses_a_folder_that_is_not_a_demo() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("precious.txt"), "keep me").unwrap();
    let out = plumb(&["demo", "--dir", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is not a plumb demo"), "{stderr}");
    assert!(tmp.path().join("precious.txt").exists());
}
