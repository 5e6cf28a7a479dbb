#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The CSV and HTML reports: snapshots on a hand-built scorecard and analysis, the CSV read
//! back, the HTML checked for self-containment and well-formed markup, and the HTML opened
//! in a real headless browser (screenshot and PDF).
//!
//! The analysis fixture states its own figures, so the expected CSV row counts are
//! worked out here:
//!
//! - 14 ISO weeks (2026-W18 and 2026-W31 partial): the AI-assisted share in all 14, cycle
//!   time in 13 (none in the first, two-day week) → 27 `week` rows;
//! - 12 months (2025-08 and 2026-07 partial): AI-assisted share 12, cycle time 11 (none in
//!   2026-02), deployment frequency, lead time and change failure rate 11 each (none in
//!   2025-08), time to restore 4 → 60 `month` rows;
//! - 5 quarters: adoption 5 scores, process 4, quality 3, outcomes 2, cost 0, overall 5 →
//!   19 `quarter` rows;
//! - 2 teams with 3 figures each; 4 stages before the rollout, 3 after (deploy has none).

mod common;

use common::{card, meta};
use plumb_metrics::{
    Analysis, Criterion, Dimension, Insight, InsightLevel, Period, PeriodValue, PhaseAssessment,
    PhaseStatus, QuarterScores, Scorecard, StageComparison, StageRow, Status, TeamFigures, Trends,
    Window, catalogue,
};
use plumb_report::{
    CSV_COLUMNS, render_csv, render_html, render_json, render_markdown, render_text,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Unix seconds of a UTC midnight.
fn day(date: &str) -> i64 {
    format!("{date}T00:00:00Z")
        .parse::<jiff::Timestamp>()
        .unwrap()
        .as_second()
}

fn window(since: &str, until: &str) -> Window {
    Window {
        since: day(since),
        until: day(until),
    }
}

fn pv(value: f64, n: u64) -> PeriodValue {
    PeriodValue {
        value,
        n,
        p75: None,
        p90: None,
    }
}

/// A duration's figure, with its quantiles.
fn dur(value: f64, n: u64, p75: f64, p90: f64) -> PeriodValue {
    PeriodValue {
        value,
        n,
        p75: Some(p75),
        p90: Some(p90),
    }
}

/// The board of `common::card()` with figures in the other dimensions, set by hand, so
/// every status shows: met against a baseline, near, missed, a low sample, and a value
/// that cannot be judged for want of a baseline.
fn rich_card() -> Scorecard {
    let mut card = card();
    fn set<'a>(
        card: &'a mut Scorecard,
        id: &str,
        value: f64,
        n: u64,
        status: Status,
        attainment: Option<f64>,
    ) -> &'a mut plumb_metrics::MetricResult {
        let m = card.metrics.iter_mut().find(|m| m.id == id).unwrap();
        m.value = Some(value);
        m.n = n;
        m.status = status;
        m.attainment = attainment;
        m.missing_sources.clear();
        m.reason = None;
        m
    }
    let m = set(
        &mut card,
        "process.cycle_time_days",
        2.75,
        40,
        Status::Met,
        Some(1.0),
    );
    m.baseline = Some(10.0);
    m.change = Some(-72.5);
    m.breakdown.insert(
        "p75".into(),
        plumb_metrics::BreakdownEntry { value: 4.0, n: 40 },
    );
    m.breakdown.insert(
        "p90".into(),
        plumb_metrics::BreakdownEntry { value: 6.5, n: 40 },
    );
    set(
        &mut card,
        "dora.deployment_frequency",
        5.5,
        22,
        Status::Near,
        Some(5.5 / 7.0),
    );
    set(
        &mut card,
        "dora.change_failure_rate_pct",
        12.0,
        25,
        Status::Missed,
        Some(5.0 / 12.0),
    );
    let m = set(
        &mut card,
        "process.pr_rework_pct",
        18.0,
        3,
        Status::Met,
        Some(1.0),
    );
    m.low_sample = true;
    let m = set(
        &mut card,
        "quality.security_findings",
        0.8,
        12,
        Status::Insufficient,
        None,
    );
    m.reason =
        Some("no data in the baseline window (no security findings before 2026-05-02)".into());
    let process = card
        .dimensions
        .iter_mut()
        .find(|d| d.dimension == Dimension::Process)
        .unwrap();
    process.score = Some(72.0);
    process.metrics_with_data = 4;
    process.metrics_scored = 2;
    card.overall.score = Some(86.0);
    card.overall.dimensions_with_score = 2;
    card.assessment = "Positive with quality concerns to address".into();
    card.notes.push(
        "teams: <Payments & Risk> has 4 people and is left out (privacy.min_group_size); \
         see https://example.invalid/privacy <script src=\"https://example.invalid/x.js\">"
            .into(),
    );
    card
}

const MONTHS: [&str; 13] = [
    "2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03",
    "2026-04", "2026-05", "2026-06", "2026-07", "2026-08",
];

fn analysis() -> Analysis {
    let adoption = [
        4.0, 7.0, 12.0, 18.0, 25.0, 31.0, 38.0, 44.0, 52.0, 58.0, 63.0, 66.7,
    ];
    let cycle = [
        Some(6.4),
        Some(6.1),
        Some(6.3),
        Some(5.8),
        Some(5.2),
        Some(5.0),
        None,
        Some(4.4),
        Some(4.0),
        Some(3.6),
        Some(3.1),
        Some(2.75),
    ];
    let frequency = [2.1, 2.4, 2.0, 2.8, 3.5, 3.9, 4.2, 4.8, 5.1, 5.6, 5.5];
    let lead = [
        62.0, 58.0, 64.0, 51.0, 47.0, 40.0, 36.0, 31.0, 28.0, 25.0, 26.5,
    ];
    let failures = [6.0, 5.5, 7.1, 6.4, 8.0, 8.8, 9.5, 10.2, 11.0, 11.8, 12.0];
    let restore = [(3, 5.5), (6, 3.0), (9, 2.2), (11, 1.5)];
    let months: Vec<Period> = (0..12)
        .map(|i| {
            let mut values = BTreeMap::new();
            values.insert(
                "adoption.ai_assisted_commits_pct".to_string(),
                pv(adoption[i], 100 + 10 * i as u64),
            );
            if let Some(c) = cycle[i] {
                values.insert(
                    "process.cycle_time_days".to_string(),
                    dur(c, 20 + i as u64, c * 1.5, c * 2.5),
                );
            }
            if i > 0 {
                values.insert(
                    "dora.deployment_frequency".to_string(),
                    pv(frequency[i - 1], 4 * (8 + i as u64)),
                );
                values.insert(
                    "dora.lead_time_for_changes_hours".to_string(),
                    dur(
                        lead[i - 1],
                        30 + i as u64,
                        lead[i - 1] * 2.0,
                        lead[i - 1] * 3.0,
                    ),
                );
                values.insert(
                    "dora.change_failure_rate_pct".to_string(),
                    pv(failures[i - 1], 4 * (8 + i as u64)),
                );
            }
            if let Some((_, r)) = restore.iter().find(|(m, _)| *m == i) {
                values.insert(
                    "dora.recovery_time_hours".to_string(),
                    dur(*r, 2, r * 1.2, r * 1.5),
                );
            }
            Period {
                label: MONTHS[i].to_string(),
                window: if i == 0 {
                    window("2025-08-12", "2025-09-01")
                } else if i == 11 {
                    window("2026-07-01", "2026-07-31")
                } else {
                    window(
                        &format!("{}-01", MONTHS[i]),
                        &format!("{}-01", MONTHS[i + 1]),
                    )
                },
                partial: i == 0 || i == 11,
                values,
            }
        })
        .collect();

    // 2026-W18 is Saturday 2 and Sunday 3 May; 2026-W19 starts on Monday 4 May.
    let weeks: Vec<Period> = (0..14)
        .map(|k| {
            let monday = day("2026-05-04") + (k as i64 - 1) * 7 * 86_400;
            let since = if k == 0 { day("2026-05-02") } else { monday };
            let until = (monday + 7 * 86_400).min(day("2026-07-31"));
            let mut values = BTreeMap::new();
            values.insert(
                "adoption.ai_assisted_commits_pct".to_string(),
                pv(55.0 + k as f64, 20 + k as u64),
            );
            if k > 0 {
                let c = 3.8 - 0.08 * k as f64;
                values.insert(
                    "process.cycle_time_days".to_string(),
                    dur(c, 5 + k as u64, c * 1.5, c * 2.5),
                );
            }
            Period {
                label: format!("2026-W{}", 18 + k),
                window: Window { since, until },
                partial: k == 0 || k == 13,
                values,
            }
        })
        .collect();

    let quarter =
        |label: &str, since: &str, until: &str, partial: bool, scores: [Option<f64>; 6]| {
            QuarterScores {
                label: label.into(),
                window: window(since, until),
                partial,
                dimensions: Dimension::ALL.iter().copied().zip(scores).collect(),
                overall: scores[5],
            }
        };
    let quarters = vec![
        quarter(
            "2025-Q3",
            "2025-08-12",
            "2025-10-01",
            true,
            [Some(40.0), None, None, None, None, Some(40.0)],
        ),
        quarter(
            "2025-Q4",
            "2025-10-01",
            "2026-01-01",
            false,
            [Some(55.0), Some(48.0), None, None, None, Some(51.5)],
        ),
        quarter(
            "2026-Q1",
            "2026-01-01",
            "2026-04-01",
            false,
            [Some(71.0), Some(56.0), Some(35.0), None, None, Some(54.0)],
        ),
        quarter(
            "2026-Q2",
            "2026-04-01",
            "2026-07-01",
            false,
            [
                Some(88.0),
                Some(64.0),
                Some(41.0),
                Some(50.0),
                None,
                Some(60.75),
            ],
        ),
        quarter(
            "2026-Q3",
            "2026-07-01",
            "2026-07-31",
            true,
            [
                Some(100.0),
                Some(72.0),
                Some(38.0),
                Some(58.0),
                None,
                Some(67.0),
            ],
        ),
    ];

    let stage =
        |stage: &str, before: Option<PeriodValue>, after: Option<PeriodValue>, change| StageRow {
            stage: stage.into(),
            before,
            after,
            change_pct: change,
        };
    let stages = StageComparison {
        basis: "312 merged pull requests placed by when their work started against their \
                team's AI rollout date; 14 without a team are left out"
            .into(),
        rows: vec![
            stage(
                "coding",
                Some(dur(3.0, 120, 4.5, 7.0)),
                Some(dur(1.6, 45, 2.4, 4.0)),
                Some(-46.666666666666664),
            ),
            stage(
                "review",
                Some(dur(1.2, 120, 2.0, 3.1)),
                Some(dur(2.1, 45, 3.3, 5.0)),
                Some(75.0),
            ),
            stage(
                "testing",
                Some(dur(0.8, 118, 1.1, 1.9)),
                Some(dur(0.9, 44, 1.2, 2.0)),
                Some(12.5),
            ),
            stage("deploy", Some(dur(0.5, 100, 0.9, 1.4)), None, None),
        ],
    };

    let team =
        |name: &str, people, rollout: Option<&str>, values: [(&str, PeriodValue); 3]| TeamFigures {
            team: name.into(),
            people,
            ai_rollout_date: rollout.map(String::from),
            values: values
                .into_iter()
                .map(|(id, v)| (id.to_string(), v))
                .collect(),
        };
    let teams = vec![
        team(
            "Payments <core>",
            6,
            Some("2026-02-01"),
            [
                ("adoption.ai_assisted_commits_pct", pv(58.2, 210)),
                ("process.cycle_time_days", dur(3.1, 38, 4.6, 7.2)),
                ("process.stage.review_days", dur(2.4, 38, 3.5, 5.5)),
            ],
        ),
        team(
            "Web & Mobile",
            8,
            None,
            [
                ("adoption.ai_assisted_commits_pct", pv(71.0, 300)),
                ("process.cycle_time_days", dur(2.5, 52, 3.9, 6.0)),
                ("dora.deployment_frequency", pv(4.5, 58)),
            ],
        ),
    ];

    let insight = |id: &str, level, title: &str, evidence: &[&str], metrics: &[&str]| Insight {
        id: id.into(),
        level,
        title: title.into(),
        evidence: evidence.iter().map(|e| e.to_string()).collect(),
        metrics: metrics.iter().map(|m| m.to_string()).collect(),
    };
    let insights = vec![
        insight(
            "faster_coding_slower_review",
            InsightLevel::Warning,
            "Coding got faster but review got slower: the gain stops at review",
            &[
                "coding stage −46.7% (3.0 d → 1.6 d, n=120 → 45)",
                "review stage +75.0% (1.2 d → 2.1 d, n=120 → 45)",
            ],
            &["process.stage.coding_days", "process.stage.review_days"],
        ),
        insight(
            "adoption_with_failures",
            InsightLevel::Warning,
            "Adoption rose while the change failure rate rose",
            &[
                "AI-assisted commits 4.0% → 66.7% (2025-08 → 2026-07)",
                "change failure rate 6.0% → 12.0% (2025-09 → 2026-07)",
            ],
            &[
                "adoption.ai_assisted_commits_pct",
                "dora.change_failure_rate_pct",
            ],
        ),
        insight(
            "review_load_concentrated",
            InsightLevel::Info,
            "Review load sits with few people: 3 of 14 reviewers did 61% of reviews (< 25% of reviewers)",
            &["top 3 reviewers: 183 of 300 reviews"],
            &["sustainability.collaboration"],
        ),
        insight(
            "cycle_time_falling",
            InsightLevel::Positive,
            "Cycle time fell for five months running",
            &["cycle time 5.0 d → 2.8 d (2026-01 → 2026-07)"],
            &["process.cycle_time_days"],
        ),
    ];

    let crit = |text: &str, met: bool, evidence: &str| Criterion {
        text: text.into(),
        met,
        evidence: evidence.into(),
    };
    let phase = PhaseAssessment {
        phase: Some(0),
        phases: vec![
            PhaseStatus {
                phase: 0,
                name: "tool adoption".into(),
                met: true,
                criteria: vec![crit(
                    "AI usage or AI-assisted changes are present",
                    true,
                    "8 AI-assisted commits in the window",
                )],
            },
            PhaseStatus {
                phase: 1,
                name: "baselines".into(),
                met: false,
                criteria: vec![
                    crit(
                        "≥ 4 weeks of data before the AI rollout date",
                        true,
                        "25 weeks before 2026-02-01 (Payments <core>)",
                    ),
                    crit(
                        "every dimension has ≥ 1 metric with data",
                        false,
                        "cost efficiency has no metric with data",
                    ),
                ],
            },
            PhaseStatus {
                phase: 2,
                name: "governance".into(),
                met: false,
                criteria: vec![
                    crit("risk zones configured", false, "no [[zones]] in plumb.toml"),
                    crit(
                        "gate decisions recorded for ≥ 80% of merged PRs in the last 30 days",
                        false,
                        "0 of 52 merged pull requests",
                    ),
                    crit(
                        "security and accessibility findings are ingested",
                        true,
                        "12 security findings, 3 accessibility scans",
                    ),
                ],
            },
        ],
        next_steps: vec![
            "Import costs (`plumb import costs FILE`) so cost efficiency has data".into(),
            "Configure risk zones in plumb.toml and run `plumb gate` in CI".into(),
        ],
    };

    Analysis {
        trends: Trends {
            weeks,
            months,
            quarters,
            stages,
            teams,
        },
        insights,
        phase,
    }
}

/// An analysis where every series is empty: months without a figure, no quarter, stages
/// without a side, no team, no insight, no phase.
fn empty_analysis() -> Analysis {
    let months = (0..3)
        .map(|i| Period {
            label: MONTHS[i].to_string(),
            window: window(
                &format!("{}-01", MONTHS[i]),
                &format!("{}-01", MONTHS[i + 1]),
            ),
            partial: false,
            values: BTreeMap::new(),
        })
        .collect();
    Analysis {
        trends: Trends {
            weeks: Vec::new(),
            months,
            quarters: Vec::new(),
            stages: StageComparison {
                basis: "no pull requests: import them with `plumb import pull-requests FILE`"
                    .into(),
                rows: ["coding", "review", "testing", "deploy"]
                    .iter()
                    .map(|s| StageRow {
                        stage: (*s).into(),
                        before: None,
                        after: None,
                        change_pct: None,
                    })
                    .collect(),
            },
            teams: Vec::new(),
        },
        insights: Vec::new(),
        phase: PhaseAssessment {
            phase: None,
            phases: Vec::new(),
            next_steps: Vec::new(),
        },
    }
}

// ---------------------------------------------------------------------------------------
// CSV

#[test]
fn csv_report() {
    insta::assert_snapshot!(render_csv(&rich_card(), Some(&analysis()), &meta()));
}

#[test]
fn csv_report_without_analysis() {
    insta::assert_snapshot!(render_csv(&card(), None, &meta()));
}

/// The CSV's records, read back with the csv crate, as header → value maps.
fn read_csv(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, CSV_COLUMNS);
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            assert_eq!(r.len(), CSV_COLUMNS.len());
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn kinds(rows: &[BTreeMap<String, String>]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in rows {
        *out.entry(r["period_kind"].clone()).or_default() += 1;
    }
    out
}

#[test]
fn csv_reads_back_with_a_row_per_metric_and_period() {
    let card = rich_card();
    let rows = read_csv(&render_csv(&card, Some(&analysis()), &meta()));
    let expected: BTreeMap<String, usize> = [
        ("window", catalogue().len() + 6),
        ("week", 27),
        ("month", 60),
        ("quarter", 19),
        ("team:Payments <core>", 3),
        ("team:Web & Mobile", 3),
        ("stage_before", 4),
        ("stage_after", 3),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), n))
    .collect();
    assert_eq!(kinds(&rows), expected);

    // Every catalogue metric has its window row; a metric without a value has an empty
    // value and n, and says why.
    for m in &card.metrics {
        let row = rows
            .iter()
            .find(|r| r["period_kind"] == "window" && r["metric_id"] == m.id)
            .unwrap_or_else(|| panic!("{} has no window row", m.id));
        assert_eq!(row["status"], m.status.as_str(), "{}", m.id);
        match m.value {
            None => {
                assert_eq!(row["value"], "", "{}", m.id);
                assert_eq!(row["n"], "", "{}", m.id);
                assert!(!row["reason"].is_empty(), "{} has no reason", m.id);
            }
            Some(v) => {
                let read: f64 = row["value"].parse().unwrap();
                assert!((read - v).abs() < 1e-6, "{}: {read} vs {v}", m.id);
            }
        }
    }
    // A value that cannot be judged for want of a baseline keeps its value, as on the
    // board, and says why it is not judged.
    let security = rows
        .iter()
        .find(|r| r["metric_id"] == "quality.security_findings")
        .unwrap();
    assert_eq!(security["status"], "insufficient");
    assert_eq!(security["value"], "0.8");
    assert!(security["reason"].starts_with("no data in the baseline window"));
    let rework = rows
        .iter()
        .find(|r| r["metric_id"] == "process.pr_rework_pct")
        .unwrap();
    assert_eq!(rework["reason"], "low sample");
    let cycle = rows
        .iter()
        .find(|r| r["period_kind"] == "window" && r["metric_id"] == "process.cycle_time_days")
        .unwrap();
    assert_eq!((cycle["p75"].as_str(), cycle["p90"].as_str()), ("4", "6.5"));
    assert_eq!(cycle["target"], "−15% vs baseline");

    for r in &rows {
        // Numbers are plain decimals; dates are YYYY-MM-DD.
        for col in ["value", "p75", "p90"] {
            let v = &r[col];
            assert!(
                v.is_empty() || v.parse::<f64>().is_ok(),
                "{col} {v:?} in {r:?}"
            );
            assert!(!v.contains(','), "{v}");
        }
        assert!(r["n"].is_empty() || r["n"].parse::<u64>().is_ok(), "{r:?}");
        for col in ["since", "until"] {
            let d = &r[col];
            assert!(
                d.is_empty()
                    || (d.len() == 10 && jiff::civil::Date::strptime("%Y-%m-%d", d).is_ok()),
                "{col} {d:?}"
            );
        }
        // Periods other than the window have a row only where there is a value.
        if r["period_kind"] != "window" {
            assert!(!r["value"].is_empty(), "{r:?}");
        }
    }
    let first_week = rows.iter().find(|r| r["period_kind"] == "week").unwrap();
    assert_eq!(
        (
            first_week["period"].as_str(),
            first_week["since"].as_str(),
            first_week["until"].as_str()
        ),
        ("2026-W18", "2026-05-02", "2026-05-04")
    );
    let scores: BTreeSet<&str> = rows
        .iter()
        .filter(|r| r["period_kind"] == "window" && r["metric_id"].starts_with("score."))
        .map(|r| r["metric_id"].as_str())
        .collect();
    assert_eq!(
        scores,
        BTreeSet::from([
            "score.adoption",
            "score.process",
            "score.quality",
            "score.outcomes",
            "score.cost",
            "score.overall"
        ])
    );
    let cost = rows
        .iter()
        .find(|r| r["period_kind"] == "window" && r["metric_id"] == "score.cost")
        .unwrap();
    assert_eq!(cost["value"], "");
    assert!(
        cost["reason"].contains("0 of 7 metrics with data"),
        "{cost:?}"
    );
}

#[test]
fn csv_without_analysis_has_only_the_window() {
    let rows = read_csv(&render_csv(&card(), None, &meta()));
    assert_eq!(
        kinds(&rows),
        BTreeMap::from([("window".to_string(), catalogue().len() + 6)])
    );
    let rows = read_csv(&render_csv(&card(), Some(&empty_analysis()), &meta()));
    assert_eq!(
        kinds(&rows),
        BTreeMap::from([("window".to_string(), catalogue().len() + 6)])
    );
}

// ---------------------------------------------------------------------------------------
// HTML

#[test]
fn html_report() {
    insta::assert_snapshot!(render_html(&rich_card(), Some(&analysis()), &meta()));
}

#[test]
fn html_report_without_analysis() {
    insta::assert_snapshot!(render_html(&card(), None, &meta()));
}

#[test]
fn html_report_with_every_series_empty() {
    let html = render_html(&card(), Some(&empty_analysis()), &meta());
    // Scores, stages, four DORA panels, adoption and cycle time: each says "no data" and
    // no chart is drawn, so nothing can read as a zero.
    assert_eq!(html.matches("<div class=\"nodata\"").count(), 8, "{html}");
    assert!(!html.contains("<svg"));
    insta::assert_snapshot!(html);
}

#[test]
fn html_charts_draw_what_the_analysis_has() {
    let html = render_html(&rich_card(), Some(&analysis()), &meta());
    // Every chart drawn: scores, stages, four DORA panels, adoption, cycle time.
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 8);
    assert_eq!(html.matches("<div class=\"nodata\"").count(), 0);
    // Partial periods are marked, with the legend saying so.
    assert!(html.contains("class=\"point partial\""));
    assert!(html.contains("partial period (hollow point, dashed line)"));
    // Cost efficiency has no quarter score: a legend entry, no line.
    assert!(html.contains("Cost efficiency — no data"));
    // The deploy stage has no "after": said, not drawn.
    assert!(html.contains("after rollout — no data"));
    assert!(html.contains("−46.7%"));
}

/// Every word of the Markdown board is in the HTML board: the same rows, numbers, targets
/// and statuses.
#[test]
fn html_board_says_what_the_markdown_board_says() {
    let card = rich_card();
    let html = render_html(&card, None, &meta());
    let md = render_markdown(&card, None, &meta());
    let board = md
        .lines()
        .skip_while(|l| !l.starts_with("| Dimension | Metric |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'));
    let mut rows = 0;
    for line in board {
        rows += 1;
        for cell in line.trim_matches('|').split(" | ") {
            let cell = cell.trim();
            let cell = cell.strip_prefix("↳ ").unwrap_or(cell);
            let escaped = cell
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(html.contains(&escaped), "{cell:?} is not in the HTML");
        }
    }
    assert!(rows >= catalogue().len());
    for (symbol, word) in [
        ("✅", "met"),
        ("⚠️", "near target"),
        ("❌", "missed"),
        ("—", "insufficient"),
    ] {
        assert!(
            html.contains(&format!(
                "<span aria-hidden=\"true\">{symbol}</span> {word}</td>"
            )),
            "{symbol} {word}"
        );
    }
    assert!(html.contains("18.0% (n=3, low sample)"));
}

/// The page loads nothing: no URL outside text, no script, no stylesheet link, no import,
/// no `url(…)`; and its markup is balanced, so escaping held.
#[test]
fn html_is_self_contained_and_well_formed() {
    for html in [
        render_html(&rich_card(), Some(&analysis()), &meta()),
        render_html(&card(), None, &meta()),
        render_html(&card(), Some(&empty_analysis()), &meta()),
    ] {
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"), "a script");
        assert!(!lower.contains("<link"), "a link");
        assert!(!lower.contains("@import"), "an @import");
        assert!(!lower.contains("url("), "a url()");
        assert!(!lower.contains("<img"), "an image");
        assert!(!lower.contains("<iframe"), "a frame");
        let tags = tags(&html);
        for t in &tags {
            let t = t.to_lowercase();
            assert!(
                !t.contains("http://") && !t.contains("https://"),
                "a URL in markup: {t}"
            );
            assert!(
                !t.contains(" src=") && !t.contains(" href="),
                "a reference: {t}"
            );
        }
        let style = html
            .split("<style>")
            .nth(1)
            .and_then(|s| s.split("</style>").next())
            .unwrap();
        assert!(!style.contains("http"), "a URL in the styles");
        check_balanced(&tags);
    }
    // Text from data is escaped, URLs in it stay text.
    let html = render_html(&rich_card(), Some(&analysis()), &meta());
    assert!(html.contains("&lt;Payments &amp; Risk&gt;"));
    assert!(html.contains("&lt;script src=&quot;https://example.invalid/x.js&quot;&gt;"));
    assert!(html.contains("Payments &lt;core&gt;"));
    assert!(html.contains("Web &amp; Mobile"));
    assert!(html.contains("@media print"));
}

/// The markup's tags, in order; the raw text of `<style>` is skipped.
fn tags(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let after = &rest[start..];
        let end = after.find('>').expect("an unclosed tag");
        let tag = &after[..=end];
        out.push(tag.to_string());
        rest = &after[end + 1..];
        if tag == "<style>" {
            let close = rest.find("</style>").expect("an unclosed style");
            rest = &rest[close..];
        }
    }
    out
}

/// Every element opened is closed, in order (void elements and `/>` excepted).
fn check_balanced(tags: &[String]) {
    const VOID: [&str; 3] = ["meta", "br", "!doctype"];
    let mut open: Vec<String> = Vec::new();
    for t in tags {
        let inner = t.trim_start_matches('<').trim_end_matches('>');
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect::<String>()
            .to_lowercase();
        if inner.starts_with('/') {
            let top = open.pop().unwrap_or_default();
            assert_eq!(top, name, "</{name}> closes <{top}>");
        } else if !inner.ends_with('/') && !VOID.contains(&name.as_str()) {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
}

// ---------------------------------------------------------------------------------------
// A real browser

/// Chromium from `PLUMB_CHROMIUM`, else the first of `chromium`, `chromium-browser`,
/// `google-chrome` on the PATH.
fn browser() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PLUMB_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Runs the browser headless on `page` with `args`, killing it after two minutes.
fn run_browser(bin: &Path, profile: &Path, args: &[String], page: &Path) {
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            if let Some(mut s) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut s, &mut err);
            }
            assert!(
                status.success(),
                "{} {args:?} failed: {status}\n{err}",
                bin.display()
            );
            return;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{} {args:?} did not finish in 120 s", bin.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn html_renders_in_a_headless_browser() {
    let Some(bin) = browser() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "no headless browser: install chromium (apt-get install chromium) or set PLUMB_CHROMIUM"
        );
        eprintln!(
            "skipped: no chromium, chromium-browser or google-chrome on PATH (set PLUMB_CHROMIUM)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, render_html(&rich_card(), Some(&analysis()), &meta())).unwrap();
    let png_path = dir.path().join("report.png");
    let pdf_path = dir.path().join("report.pdf");
    let profile = dir.path().join("profile");
    run_browser(
        &bin,
        &profile,
        &[
            format!("--screenshot={}", png_path.display()),
            "--window-size=1280,2400".to_string(),
        ],
        &page,
    );
    run_browser(
        &bin,
        &profile,
        &[
            format!("--print-to-pdf={}", pdf_path.display()),
            "--no-pdf-header-footer".to_string(),
        ],
        &page,
    );

    // The screenshot: the window's size, and a page, not a blank.
    let bytes = std::fs::read(&png_path).unwrap();
    assert!(bytes.len() > 50_000, "screenshot of {} bytes", bytes.len());
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1280, 2400));
    let channels = info.color_type.samples();
    assert!(channels >= 3, "{:?}", info.color_type);
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    let ink = pixels
        .iter()
        .filter(|p| p[..3].iter().any(|c| *c < 200))
        .count();
    let share = ink as f64 / pixels.len() as f64;
    assert!(
        share > 0.02,
        "only {:.2}% of the screenshot is ink",
        share * 100.0
    );
    assert!(
        share < 0.6,
        "{:.2}% of the screenshot is dark",
        share * 100.0
    );
    let colours: BTreeSet<[u8; 3]> = pixels.iter().map(|p| [p[0], p[1], p[2]]).collect();
    assert!(colours.len() > 50, "{} colours", colours.len());
    // The styles were applied: the score bars' Okabe–Ito blue (also the first series').
    assert!(
        pixels
            .iter()
            .any(|p| p[0] < 20 && (100..130).contains(&p[1]) && (160..195).contains(&p[2])),
        "no #0072B2 blue on the screenshot"
    );

    let pdf = std::fs::read(&pdf_path).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    assert!(pdf.len() > 20_000, "PDF of {} bytes", pdf.len());
    // Chromium writes its page objects uncompressed today; should it pack them into
    // object streams, they cannot be counted this way and only the checks above hold.
    let pages = pdf
        .windows(12)
        .filter(|w| w.starts_with(b"/Type /Page") && w[11] != b's')
        .count();
    assert!(pages == 0 || pages >= 3, "{pages} PDF pages");

    if let Some(out) = std::env::var_os("PLUMB_REPORT_OUT") {
        let out = PathBuf::from(out);
        std::fs::create_dir_all(&out).unwrap();
        for f in [&page, &png_path, &pdf_path] {
            std::fs::copy(f, out.join(f.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn markdown_with_the_analysis() {
    insta::assert_snapshot!(render_markdown(&rich_card(), Some(&analysis()), &meta()));
}

#[test]
fn text_with_the_analysis() {
    insta::assert_snapshot!(render_text(&rich_card(), Some(&analysis()), &meta(), false));
}

#[test]
fn json_carries_the_analysis_and_reads_back() {
    let a = analysis();
    let json = render_json(&rich_card(), Some(&a), &meta());
    let report: plumb_report::JsonReport = serde_json::from_str(&json).unwrap();
    // Floats may come back one ulp apart (serde_json's default parser); the structure
    // and the words must come back whole.
    let back = report.analysis.unwrap();
    assert_eq!(back.phase, a.phase);
    assert_eq!(back.insights, a.insights);
    assert_eq!(back.trends.stages.basis, a.trends.stages.basis);
    let labels = |t: &plumb_metrics::Trends| {
        t.weeks
            .iter()
            .chain(&t.months)
            .map(|p| {
                (
                    p.label.clone(),
                    p.values.keys().cloned().collect::<Vec<_>>(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(labels(&back.trends), labels(&a.trends));
    assert_eq!(back.trends.quarters.len(), a.trends.quarters.len());
    // Without one, the field is absent (the schema's other readers see no change).
    let bare = render_json(&rich_card(), None, &meta());
    assert!(!bare.contains("\"analysis\""));
}
