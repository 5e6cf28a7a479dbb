#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `plumb init`: the commented plumb.toml it writes is a configuration plumb reads.

mod support;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use support::GitRepo;

fn plumb(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plumb"))
        .current_dir(dir)
        .env_remove("PLUMB_DB")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = plumb(dir, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "plumb {args:?}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn error(dir: &Path, args: &[&str]) -> String {
    let out = plumb(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "plumb {args:?}\nstderr: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn init_writes_a_configuration_plumb_reads() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(ok(tmp.path(), &["init"]), "wrote plumb.toml\n");
    let text = std::fs::read_to_string(tmp.path().join("plumb.toml")).unwrap();
    assert!(
        text.starts_with("# plumb.toml, written by `plumb init`"),
        "{text}"
    );
    for key in [
        "[org]",
        "quarter_start_month",
        "[database]",
        "min_group_size = 5",
        "min_sample = 5",
        "incident_link_window_days = 7",
        "[[ai.signatures]]",
        "[[repos]]",
        "[[teams]]",
        "[cohorts]",
        "[scorecard.weights]",
        "tolerance_pct = 20",
        "\"dora.change_failure_rate_pct\" = 5",
        "[value_model]",
        "# [[zones]]",
        "[groups]",
    ] {
        assert!(text.contains(key), "{key} missing from\n{text}");
    }
    // plumb reads it (zones: the built-in ones, since every [[zones]] is commented).
    let zones = ok(tmp.path(), &["zones"]);
    assert!(
        zones.contains("red") && !zones.contains("restricted"),
        "{zones}"
    );
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("plumb.toml");
    std::fs::write(&path, "[org]\nname = \"Mine\"\nbroken = \n").unwrap();
    let e = error(tmp.path(), &["init"]);
    assert!(
        e.contains("plumb.toml: the file already exists; pass --force to overwrite it"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "[org]\nname = \"Mine\"\nbroken = \n",
        "the existing file is left alone"
    );
    // --force replaces it, even though the old one does not parse.
    assert_eq!(
        ok(tmp.path(), &["init", "--profile", "consumer", "--force"]),
        "wrote plumb.toml (profile consumer)\n"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("--profile consumer"), "{text}");
    ok(tmp.path(), &["zones"]);

    // --config names another file to write.
    let other = tmp.path().join("conf").join("team.toml");
    std::fs::create_dir_all(other.parent().unwrap()).unwrap();
    ok(tmp.path(), &["--config", other.to_str().unwrap(), "init"]);
    assert!(other.exists());
}

#[test]
fn a_typo_in_a_written_file_names_the_key_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    ok(tmp.path(), &["init", "--profile", "fintech"]);
    let path = tmp.path().join("plumb.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text
        .lines()
        .position(|l| l == "min_sample = 5")
        .expect("min_sample is written active")
        + 1;
    std::fs::write(&path, text.replacen("min_sample = 5", "min_sampel = 5", 1)).unwrap();
    let e = error(tmp.path(), &["zones"]);
    assert!(
        e.contains("min_sampel") && e.contains(&format!("line {line}")),
        "line {line}: {e}"
    );
}

#[test]
fn every_profile_is_read_and_changes_the_scorecard_as_it_says() {
    let repo = GitRepo::new();
    repo.write("src/lib.rs", "fn a() {}\n");
    repo.commit_as("Ana", "ana@acme.com", "2026-03-02T10:00:00Z", "add lib");
    for profile in ["saas", "fintech", "healthcare", "consumer"] {
        let tmp = tempfile::tempdir().unwrap();
        ok(tmp.path(), &["init", "--profile", profile]);
        let zones = ok(tmp.path(), &["zones"]);
        let report: Value = serde_json::from_str(&ok(
            tmp.path(),
            &["report", repo.path_str(), "--format", "json"],
        ))
        .unwrap();
        let label = |id: &str| {
            report["metrics"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["id"] == id)
                .map(|m| m["target"]["label"].as_str().unwrap_or("").to_string())
                .unwrap()
        };
        match profile {
            "fintech" | "healthcare" => {
                assert!(zones.contains("restricted"), "{profile}: {zones}");
                assert_eq!(label("dora.change_failure_rate_pct"), "≤ 3%", "{profile}");
                assert_eq!(
                    label("quality.security_findings"),
                    "−20% vs baseline",
                    "{profile}"
                );
            }
            "consumer" => {
                assert!(zones.contains("**/privacy/**"), "{zones}");
                assert_eq!(label("outcomes.features_delivered"), "+25% vs baseline");
                assert_eq!(label("dora.change_failure_rate_pct"), "≤ 5%");
            }
            _ => {
                assert!(zones.contains("**/tenancy/**"), "{zones}");
                assert_eq!(label("dora.change_failure_rate_pct"), "≤ 5%");
                assert_eq!(label("dora.recovery_time_hours"), "elite (≤ 1 h)");
            }
        }
    }
}
