#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Snapshots of every format on a scorecard computed from a small hand-built dataset, and
//! the JSON schema contract.
//!
//! The fixture's figures, worked out by hand: people a–g (7) commit; a–e use claude-code,
//! f uses aider (1 person: left out of breakdowns), g uses no AI; the copilot agent
//! commits twice; a bot commits once and a merge is made. So 12 counted commits, 8
//! AI-assisted (66.7 %), 6 of 7 developers AI users (85.7 %, target ≥ 80 % met), and 300
//! of 400 counted lines AI-assisted (75.0 %; the lock file's 5,000 lines are excluded).

use plumb_metrics::{MetricsConfig, catalogue, compute};
use plumb_report::{
    JsonReport, RepoMeta, ReportMeta, SCHEMA_VERSION, render_json, render_markdown, render_text,
};

mod common;

use common::{card, fixture, meta};

#[test]
fn fixture_figures_are_the_hand_computed_ones() {
    let card = card();
    let value = |id: &str| card.metrics.iter().find(|m| m.id == id).unwrap().value;
    assert_eq!(value("adoption.ai_assisted_commits_pct"), Some(200.0 / 3.0));
    assert_eq!(value("adoption.ai_code_share_pct"), Some(75.0));
    assert_eq!(value("adoption.active_ai_users_pct"), Some(600.0 / 7.0));
    assert_eq!(card.activity.commits, 12);
}

#[test]
fn text_report() {
    insta::assert_snapshot!(render_text(&card(), None, &meta(), false));
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!(render_markdown(&card(), None, &meta()));
}

#[test]
fn json_report() {
    insta::assert_snapshot!(render_json(&card(), None, &meta()));
}

#[test]
fn text_report_of_an_empty_window() {
    let mut data = fixture();
    data.commits.clear();
    let meta = ReportMeta {
        repos: vec![RepoMeta {
            head: None,
            commits: 0,
            ..meta().repos[0].clone()
        }],
        ..meta()
    };
    insta::assert_snapshot!(render_text(
        &compute(&data, &MetricsConfig::default()),
        None,
        &meta,
        false
    ));
}

#[test]
fn text_report_flags_low_samples_and_shows_near_and_missed() {
    let row_of = |people: &[&str]| {
        let mut data = fixture();
        data.commits.retain(|c| {
            people
                .iter()
                .any(|p| c.author_key == format!("{p}@acme.test").into())
        });
        let text = render_text(
            &compute(&data, &MetricsConfig::default()),
            None,
            &meta(),
            false,
        );
        text.lines()
            .find(|l| l.contains("Active AI users"))
            .unwrap()
            .to_string()
    };
    // a and f use AI, g does not: 2 of 3 = 66.7 %, 0.83 of the 80 % target: near.
    let row = row_of(&["a", "f", "g"]);
    assert!(row.contains("66.7% (n=3, low sample)"), "{row}");
    assert!(row.ends_with("⚠️"), "{row}");
    // f uses AI, g does not: 50 %, 0.625 of the target: missed.
    let row = row_of(&["f", "g"]);
    assert!(row.contains("50.0% (n=2, low sample)"), "{row}");
    assert!(row.ends_with("❌"), "{row}");
}

#[test]
fn colour_touches_statuses_only() {
    let card = card();
    let plain = render_text(&card, None, &meta(), false);
    let coloured = render_text(&card, None, &meta(), true);
    assert!(!plain.contains('\x1b'));
    assert!(coloured.contains("\x1b[32m✅\x1b[0m"));
    assert!(coloured.contains("\x1b[2mctx\x1b[0m"));
    assert!(coloured.contains("\x1b[2m—\x1b[0m"));
    let stripped = coloured
        .replace("\x1b[32m", "")
        .replace("\x1b[33m", "")
        .replace("\x1b[31m", "")
        .replace("\x1b[2m", "")
        .replace("\x1b[0m", "");
    assert_eq!(stripped, plain);
}

#[test]
fn json_follows_schema_version_1() {
    let card = card();
    let json = render_json(&card, None, &meta());
    let report: JsonReport = serde_json::from_str(&json).unwrap();
    assert_eq!(report.schema_version, 1);
    assert_eq!(SCHEMA_VERSION, 1);
    assert_eq!(report, JsonReport::new(&card, None, &meta()));
    let ids: Vec<&str> = report.metrics.iter().map(|m| m.id.as_str()).collect();
    for def in catalogue() {
        assert!(ids.contains(&def.id), "{} missing from the JSON", def.id);
    }
    assert_eq!(ids.len(), catalogue().len());
    assert_eq!(report.window.since, "2026-05-02T00:00:00Z");
    assert_eq!(report.window.until, "2026-07-31T00:00:00Z");
    assert_eq!(report.dimensions.len(), 5);
    for m in &report.metrics {
        // In schema version 1, a value is missing exactly when a reason is given.
        assert_eq!(m.value.is_none(), m.reason.is_some(), "{}", m.id);
    }
}

#[test]
fn json_field_names_are_the_documented_ones() {
    let value: serde_json::Value =
        serde_json::from_str(&render_json(&card(), None, &meta())).unwrap();
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(
        keys(&value),
        [
            "activity",
            "assessment",
            "dimensions",
            "generated_by",
            "metrics",
            "notes",
            "overall",
            "repos",
            "schema_version",
            "window"
        ]
    );
    let users = &value["metrics"][0];
    assert_eq!(users["id"], "adoption.active_ai_users_pct");
    assert_eq!(users["status"], "met");
    assert_eq!(users["unit"], "percent");
    assert_eq!(users["direction"], "higher_is_better");
    assert_eq!(users["target"]["op"], ">=");
    assert_eq!(users["target"]["relative"], false);
    assert_eq!(users["sources"][0], "git");
    let cycle = value["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "process.cycle_time_days")
        .unwrap();
    assert!(cycle["value"].is_null());
    assert_eq!(cycle["status"], "insufficient");
    assert_eq!(cycle["target"]["op"], "<=");
    assert_eq!(cycle["target"]["value"], -15.0);
    assert_eq!(cycle["target"]["relative"], true);
    assert_eq!(cycle["target"]["label"], "−15% vs baseline");
    assert_eq!(cycle["missing_sources"][0], "pull_requests");
    let documented = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/report-schema.md"),
    )
    .unwrap();
    let mut all = std::collections::BTreeSet::new();
    collect_keys(&value, &mut all);
    for key in &all {
        assert!(
            documented.contains(&format!("`{key}`")),
            "field {key} is not documented"
        );
    }
    for def in catalogue() {
        assert!(
            documented.contains(&format!("| `{}` |", def.id)),
            "{} is not documented",
            def.id
        );
    }
    for m in value["metrics"].as_array().unwrap() {
        let unit = m["unit"].as_str().unwrap();
        assert!(
            documented.contains(&format!("| `{unit}`"))
                || documented.contains(&format!("`{unit}`,")),
            "unit {unit}"
        );
        for s in m["sources"].as_array().unwrap() {
            assert!(
                documented.contains(&format!("`{}`", s.as_str().unwrap())),
                "source {s}"
            );
        }
    }
}

/// Every object key in the report, except the data-valued keys of maps (breakdown groups,
/// tool ids).
fn collect_keys(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                out.insert(k.clone());
                if k == "breakdown" || k == "ai_by_tool" {
                    for entry in child.as_object().unwrap().values() {
                        collect_keys(entry, out);
                    }
                } else {
                    collect_keys(child, out);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_keys(i, out)),
        _ => {}
    }
}
