#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Code churn, the tech-debt balance, and the analysis beside the scorecard (trends, the
//! stages before vs after the AI rollout, team figures, insights, the phase model), on
//! small hand-built organisations whose figures are worked out in the comments.
//!
//! The fixtures use the window [2026-05-04, 2026-06-01) of `support` (28 days, ISO weeks
//! 19–22 of 2026; baseline window [2026-04-06, 2026-05-04)); `day(d)` is `d` days after
//! 2026-05-04. A quarter is 365.25 / 4 = 91.3125 days, so a figure "per quarter" over the
//! window is the window's count × 91.3125 / 28.

mod support;
use support::*;

use plumb_metrics::{
    Analysis, ChurnFact, ChurnFile, CommitFact, Criterion, Dataset, Dimension, GateFact, Insight,
    InsightLevel, MAX_TREND_MONTHS, MetricsConfig, PeriodValue, PhaseInputs, Records, Scorecard,
    SnapshotFact, Status, Window, compute, compute_with_analysis,
};
use plumb_model::IdentityClass;
use plumb_model::records::{
    CheckConclusion, Cost, CostCategory, DeployStatus, FindingKind, Level, Month, Person,
    PullRequest, ReviewState, Severity, SkillAssessment, Team, WorkItem, WorkType,
};
use std::collections::BTreeMap;

const QUARTER_PER_WINDOW: f64 = 91.3125 / 28.0;

fn at(name: &str) -> String {
    format!("{name}@acme.test")
}

fn analyse(data: &Dataset, config: &MetricsConfig) -> (Scorecard, Analysis) {
    compute_with_analysis(data, config, &PhaseInputs::default())
}

fn insight<'a>(a: &'a Analysis, id: &str) -> Option<&'a Insight> {
    a.insights.iter().find(|i| i.id == id)
}

fn fired(a: &Analysis) -> Vec<&str> {
    a.insights.iter().map(|i| i.id.as_str()).collect()
}

#[track_caller]
fn period_value(values: &BTreeMap<String, PeriodValue>, id: &str) -> (f64, u64) {
    let v = values
        .get(id)
        .unwrap_or_else(|| panic!("no {id} in {values:?}"));
    (v.value, v.n)
}

#[track_caller]
fn criterion<'a>(a: &'a Analysis, phase: u8, text_start: &str) -> &'a Criterion {
    a.phase.phases[usize::from(phase)]
        .criteria
        .iter()
        .find(|c| c.text.starts_with(text_start))
        .unwrap_or_else(|| panic!("phase {phase} has no criterion {text_start:?}"))
}

fn team(name: &str, rollout: Option<i64>) -> Team {
    Team {
        team: name.into(),
        ai_rollout_date: rollout.map(date),
        profile: None,
        parent: None,
    }
}

/// A file of a churn fact: lines added, of them churned, markers added and removed.
fn cf(path: &str, added: u32, churned: u32, markers_added: u32, markers_removed: u32) -> ChurnFile {
    ChurnFile {
        path: path.into(),
        lines_added: added,
        lines_churned: churned,
        markers_added,
        markers_removed,
    }
}

fn churn_of(c: &CommitFact, horizon_complete: bool, files: Vec<ChurnFile>) -> ChurnFact {
    ChurnFact {
        repo: c.repo.to_string(),
        commit: c.id.to_string(),
        author_time: c.time.seconds,
        horizon_complete,
        files,
    }
}

/// Pushes pull request `n` of `acme/api` by `author`, ready for review when it is created
/// (`ready`), approved by `reviewer` at `approved`, merged at `merged`; with `start`, a
/// feature work item `W-n` created (so its work started) then is linked to it.
#[allow(clippy::too_many_arguments)]
fn flow_pr(
    records: &mut Records,
    n: u64,
    author: &str,
    start: Option<f64>,
    ready: f64,
    reviewer: &str,
    approved: Option<f64>,
    merged: Option<f64>,
) -> usize {
    let mut p = pr("acme/api", n, &at(author), ready);
    p.merged_at = merged.map(day);
    if let Some(s) = start {
        let key = format!("W-{n}");
        records.work_items.push(item(&key, WorkType::Feature, s));
        p.work_items = vec![key];
    }
    if let Some(a) = approved {
        records.reviews.push(review(
            "acme/api",
            n,
            &at(reviewer),
            ReviewState::Approved,
            a,
        ));
    }
    records.pull_requests.push(p);
    records.pull_requests.len() - 1
}

fn pull_request(records: &mut Records, n: u64) -> &mut PullRequest {
    records
        .pull_requests
        .iter_mut()
        .find(|p| p.number == n)
        .unwrap()
}

// ---------------------------------------------------------------------------------------
// Code churn and the tech-debt balance.
// ---------------------------------------------------------------------------------------

/// Commits of repository `api` and the survival of their added lines:
///
/// | commit | author | day | AI | file: added / churned, markers +added −removed | counted |
/// |---|---|---|---|---|---|
/// | a | ana | 1 | yes | src/a.rs 100/30 +2 −5; package-lock.json 1000/900 +10 | src/a.rs only (a lock file) |
/// | b | ben | 2 | no | src/b.rs 200/20 +1 | yes |
/// | bot | dependabot | 3 | no | src/c.rs 50/50 −7 | no: a bot |
/// | c | cy | 20 | no | src/d.rs 40/0 −1 | churn: no, its 21 days are not covered (not final); markers: yes |
/// | d | dan | −5 | no | src/e.rs 70/70 +4 | no: before the window |
///
/// Commit `a` is in the AI-assisted set (and carries an authored detection).
fn churn_data() -> Dataset {
    let a = commit_fact(&at("ana"), 1.0, &[FileSpec("src/a.rs", 100, 0)], true);
    let b = commit_fact(&at("ben"), 2.0, &[FileSpec("src/b.rs", 200, 0)], false);
    let mut bot = commit_fact(
        "dependabot[bot]@users.noreply.github.com",
        3.0,
        &[FileSpec("src/c.rs", 50, 0)],
        false,
    );
    bot.author_class = IdentityClass::Bot;
    let c = commit_fact(&at("cy"), 20.0, &[FileSpec("src/d.rs", 40, 0)], false);
    let d = commit_fact(&at("dan"), -5.0, &[FileSpec("src/e.rs", 70, 0)], false);
    let facts = vec![
        churn_of(
            &a,
            true,
            vec![
                cf("src/a.rs", 100, 30, 2, 5),
                cf("package-lock.json", 1000, 900, 10, 0),
            ],
        ),
        churn_of(&b, true, vec![cf("src/b.rs", 200, 20, 1, 0)]),
        churn_of(&bot, true, vec![cf("src/c.rs", 50, 50, 0, 7)]),
        churn_of(&c, false, vec![cf("src/d.rs", 40, 0, 0, 1)]),
        churn_of(&d, true, vec![cf("src/e.rs", 70, 70, 4, 0)]),
    ];
    let ai = a.id.clone();
    let mut data = dataset(Records::default(), vec![], vec![a, b, bot, c, d]);
    data.ai_assisted.insert(ai.to_string());
    data.churn = Some(facts);
    data
}

#[test]
fn code_churn_counts_final_commits_by_people_outside_lock_files() {
    // Counted: a (src/a.rs 100 added, 30 churned) and b (200, 20): 50 of 300 = 16.67 %,
    // n = 2 commits. The lock file, the bot, the unfinished c and the earlier d are out.
    // AI-assisted: 30 of 100 = 30 %; not: 20 of 200 = 10 %.
    let card = compute(&churn_data(), &loose());
    check_value(&card, "process.code_churn_pct", 50.0 / 3.0, 2);
    let m = metric(&card, "process.code_churn_pct");
    assert_eq!((m.numerator, m.denominator), (Some(50.0), Some(300.0)));
    check_entry(&card, "process.code_churn_pct", "AI-assisted", 30.0, 1);
    check_entry(&card, "process.code_churn_pct", "not AI-assisted", 10.0, 1);
    // ≤ 15 %: 15 / 16.67 = 0.9 attained, within the 20 % tolerance: near.
    assert_eq!(m.status, Status::Near);
    assert!(close(m.attainment.unwrap(), 0.9));
    assert!(has_note(
        &card,
        "process.code_churn_pct: 50 of 300 added lines deleted or rewritten within 21 days"
    ));
    assert!(has_note(
        &card,
        "process.code_churn_pct: 1 commit(s) less than 21 days older than the newest commit are left out: their churn is not final yet"
    ));
}

#[test]
fn code_churn_without_line_survival_is_insufficient_never_zero() {
    // Not read at all.
    let mut data = churn_data();
    data.churn = None;
    let card = compute(&data, &loose());
    let m = metric(&card, "process.code_churn_pct");
    assert_eq!((m.value, m.status), (None, Status::Insufficient));
    assert_eq!(
        m.reason.as_deref(),
        Some(
            "line survival was not read for this report (it is read from the repositories by `plumb report`)"
        )
    );
    assert!(m.missing_sources.is_empty());

    // Read, but every commit of the window is younger than the horizon: a and b made
    // incomplete too (c already is), the bot and d do not count.
    let mut data = churn_data();
    for f in data.churn.as_mut().unwrap() {
        f.horizon_complete = false;
    }
    let card = compute(&data, &loose());
    let m = metric(&card, "process.code_churn_pct");
    assert_eq!((m.value, m.status), (None, Status::Insufficient));
    assert_eq!(
        m.reason.as_deref(),
        Some(
            "the 3 commit(s) of window 2026-05-04 → 2026-06-01 are less than 21 days older than the newest commit: their churn is not final yet"
        )
    );

    // Read, and final, but nothing was added outside lock files: no lines, no figure.
    let mut data = churn_data();
    data.churn = Some(vec![churn_of(
        &data.commits[0],
        true,
        vec![cf("package-lock.json", 1000, 900, 0, 0)],
    )]);
    let card = compute(&data, &loose());
    let m = metric(&card, "process.code_churn_pct");
    assert_eq!(m.value, None);
    assert_eq!(
        m.reason.as_deref(),
        Some(
            "no lines added in window 2026-05-04 → 2026-06-01 outside generated, vendored and lock files"
        )
    );
}

/// Debt work items: D1 created 1, done 5; D2 created −10, done 3; D3 created 10; D4
/// created −20, done −15; D5 created 2, done 40; and a bug created 3, done 4.
fn debt_items() -> Vec<WorkItem> {
    let done = |mut i: WorkItem, d: f64| {
        i.done_at = Some(day(d));
        i
    };
    vec![
        done(item("D1", WorkType::Debt, 1.0), 5.0),
        done(item("D2", WorkType::Debt, -10.0), 3.0),
        item("D3", WorkType::Debt, 10.0),
        done(item("D4", WorkType::Debt, -20.0), -15.0),
        done(item("D5", WorkType::Debt, 2.0), 40.0),
        done(item("B1", WorkType::Bug, 3.0), 4.0),
    ]
}

#[test]
fn tech_debt_balance_from_debt_work_items_per_quarter() {
    // Created in the window: D1, D3, D5 = 3; resolved in it: D1, D2 = 2 (D5 after it, D4
    // before it, the bug is not debt). (2 − 3) × 91.3125 / 28 = −3.261 per quarter, n = 5.
    let mut data = churn_data();
    data.records.work_items = debt_items();
    data.sources = plumb_metrics::SourceInventory::of(&data.records, 1);
    let card = compute(&data, &loose());
    check_value(&card, "quality.tech_debt_balance", -QUARTER_PER_WINDOW, 5);
    check_entry(
        &card,
        "quality.tech_debt_balance",
        "debt items created",
        3.0,
        3,
    );
    check_entry(
        &card,
        "quality.tech_debt_balance",
        "debt items resolved",
        2.0,
        2,
    );
    // The markers are in the breakdown all the same: added a 2 (the lock file's 10 are
    // out) + b 1 = 3; removed a 5 + c 1 = 6 (the horizon does not matter for markers; the
    // bot's 7 and d's do not count).
    check_entry(&card, "quality.tech_debt_balance", "markers added", 3.0, 3);
    check_entry(
        &card,
        "quality.tech_debt_balance",
        "markers removed",
        6.0,
        6,
    );
    assert!(has_note(
        &card,
        "quality.tech_debt_balance: debt work items resolved − created per quarter (2 resolved, 3 created in the window)"
    ));
    // ≥ 0: missed (a negative balance attains nothing).
    assert_eq!(
        metric(&card, "quality.tech_debt_balance").status,
        Status::Missed
    );
}

#[test]
fn tech_debt_balance_falls_back_to_markers() {
    // No work items: markers removed − added = 6 − 3 = 3 × 91.3125 / 28 = 9.78 per
    // quarter, n = 9 markers. Met (≥ 0).
    let card = compute(&churn_data(), &loose());
    check_value(
        &card,
        "quality.tech_debt_balance",
        3.0 * QUARTER_PER_WINDOW,
        9,
    );
    check_entry(&card, "quality.tech_debt_balance", "markers added", 3.0, 3);
    check_entry(
        &card,
        "quality.tech_debt_balance",
        "markers removed",
        6.0,
        6,
    );
    assert_eq!(
        metric(&card, "quality.tech_debt_balance").status,
        Status::Met
    );
    assert!(has_note(
        &card,
        "quality.tech_debt_balance: no debt work items in the window: TODO/FIXME/HACK markers removed − added per quarter (6 removed, 3 added)"
    ));

    // Debt items exist but none was created or resolved in the window (D4 alone): the
    // markers again.
    let mut data = churn_data();
    data.records.work_items = vec![debt_items().swap_remove(3)];
    data.sources = plumb_metrics::SourceInventory::of(&data.records, 1);
    let card = compute(&data, &loose());
    check_value(
        &card,
        "quality.tech_debt_balance",
        3.0 * QUARTER_PER_WINDOW,
        9,
    );
    assert!(
        !metric(&card, "quality.tech_debt_balance")
            .breakdown
            .contains_key("debt items created")
    );

    // …and without line survival, nothing to say but why.
    data.churn = None;
    let card = compute(&data, &loose());
    assert_eq!(metric(&card, "quality.tech_debt_balance").value, None);
    assert_eq!(
        reason_of(&card, "quality.tech_debt_balance"),
        "no debt work items created or resolved in window 2026-05-04 → 2026-06-01"
    );
    let mut data = churn_data();
    data.churn = None;
    let card = compute(&data, &loose());
    assert_eq!(metric(&card, "quality.tech_debt_balance").value, None);
    assert_eq!(
        reason_of(&card, "quality.tech_debt_balance"),
        "no debt work items imported, and line survival (TODO/FIXME/HACK markers) was not read for this report"
    );
}

// ---------------------------------------------------------------------------------------
// Trends: weeks, months, quarters.
// ---------------------------------------------------------------------------------------

/// Ana's AI-assisted commit on 2026-02-15 (day −78, also the stored history's first
/// commit), Ben's commit on day 1 and Ana's AI-assisted commit on day 8.
fn trend_data() -> Dataset {
    let commits = vec![
        commit_fact(&at("ana"), -78.0, &[FileSpec("src/a.rs", 10, 0)], true),
        commit_fact(&at("ben"), 1.0, &[FileSpec("src/b.rs", 10, 0)], false),
        commit_fact(&at("ana"), 8.0, &[FileSpec("src/a.rs", 10, 0)], true),
    ];
    let graph = vec![
        node("api", 1, &[], &at("ana"), -78.0),
        node("api", 2, &[1], &at("ben"), 1.0),
        node("api", 3, &[2], &at("ana"), 8.0),
    ];
    dataset(Records::default(), graph, commits)
}

#[test]
fn weeks_are_the_iso_weeks_of_the_window() {
    let (_, a) = analyse(&trend_data(), &loose());
    let w = &a.trends.weeks;
    let labels: Vec<&str> = w.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["2026-W19", "2026-W20", "2026-W21", "2026-W22"]);
    for (i, p) in w.iter().enumerate() {
        assert!(!p.partial, "{}", p.label);
        let since = T0 + i as i64 * 7 * DAY;
        assert_eq!(
            p.window,
            Window {
                since,
                until: since + 7 * DAY
            }
        );
    }
    // AI-assisted commits: W19 ben's (not AI): a real 0 %, n = 1; W20 ana's: 100 %; W21
    // and W22 have no commit: absent, not 0.
    let id = "adoption.ai_assisted_commits_pct";
    assert_eq!(period_value(&w[0].values, id), (0.0, 1));
    assert_eq!(period_value(&w[1].values, id), (100.0, 1));
    assert!(!w[2].values.contains_key(id));
    assert!(!w[3].values.contains_key(id));
    // No pull requests: no cycle time in any week.
    assert!(w.iter().all(|p| p.values.keys().all(|k| k == id)), "{w:?}");
}

#[test]
fn a_window_not_starting_on_monday_has_partial_weeks() {
    // Wednesday 2026-05-06 → Wednesday 2026-06-03: W19 from Wednesday, W20–W22 whole, W23
    // Monday and Tuesday.
    let mut data = trend_data();
    data.window = Window {
        since: T0 + 2 * DAY,
        until: T0 + 30 * DAY,
    };
    let (_, a) = analyse(&data, &loose());
    let w = &a.trends.weeks;
    let got: Vec<(&str, bool, i64, i64)> = w
        .iter()
        .map(|p| {
            (
                p.label.as_str(),
                p.partial,
                (p.window.since - T0) / DAY,
                (p.window.until - T0) / DAY,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("2026-W19", true, 2, 7),
            ("2026-W20", false, 7, 14),
            ("2026-W21", false, 14, 21),
            ("2026-W22", false, 21, 28),
            ("2026-W23", true, 28, 30),
        ]
    );
    // Ben's day-1 commit is before the window: W19 holds nothing.
    assert!(w[0].values.is_empty());
}

#[test]
fn months_and_quarters_run_from_the_first_data_and_are_absent_without_data() {
    let (_, a) = analyse(&trend_data(), &loose());
    let feb15 = secs(-78.0);
    // Month starts in days from 2026-05-04: March 1 is 31 + 30 + 3 = 64 days before it,
    // April 1 is 33, May 1 is 3.
    let (mar1, apr1, may1) = (secs(-64.0), secs(-33.0), secs(-3.0));
    // The data start on 2026-02-15: February is cut, May ends with the window (not cut).
    let months: Vec<(&str, bool, Window)> = a
        .trends
        .months
        .iter()
        .map(|p| (p.label.as_str(), p.partial, p.window))
        .collect();
    let w = |s: i64, u: i64| Window { since: s, until: u };
    assert_eq!(
        months,
        [
            ("2026-02", true, w(feb15, mar1)),
            ("2026-03", false, w(mar1, apr1)),
            ("2026-04", false, w(apr1, may1)),
            ("2026-05", false, w(may1, UNTIL)),
        ]
    );
    let id = "adoption.ai_assisted_commits_pct";
    let m = &a.trends.months;
    // February: ana's AI commit, 100 %; March and April: no commit, absent; May: 1 of 2.
    assert_eq!(period_value(&m[0].values, id), (100.0, 1));
    assert!(m[1].values.is_empty() && m[2].values.is_empty());
    assert_eq!(period_value(&m[3].values, id), (50.0, 2));

    // Quarters: Q1 cut by the data's start, Q2 by the window's end (June is not in it).
    let q: Vec<(&str, bool, Window)> = a
        .trends
        .quarters
        .iter()
        .map(|q| (q.label.as_str(), q.partial, q.window))
        .collect();
    assert_eq!(
        q,
        [
            ("2026-Q1", true, w(feb15, apr1)),
            ("2026-Q2", true, w(apr1, UNTIL)),
        ]
    );
    // Each quarter's scores are the scorecard over it. The only scored metric is active
    // AI users (≥ 80 %): Q1 ana alone, 100 % → attained 1 → 100; Q2 ana of ana and ben,
    // 50 % → 50/80 = 0.625 → 62.5. Every dimension is listed, the others without score.
    let q1 = &a.trends.quarters[0];
    let q2 = &a.trends.quarters[1];
    assert_eq!(q1.dimensions.len(), 5);
    assert_eq!(q1.dimensions[&Dimension::Adoption], Some(100.0));
    assert_eq!(q2.dimensions[&Dimension::Adoption], Some(62.5));
    for d in [
        Dimension::Process,
        Dimension::Quality,
        Dimension::Outcomes,
        Dimension::Cost,
    ] {
        assert_eq!(q2.dimensions[&d], None, "{d:?}");
    }
    assert_eq!((q1.overall, q2.overall), (Some(100.0), Some(62.5)));
}

#[test]
fn months_go_back_at_most_the_limit() {
    // History from 2023-01-01: the months start 35 months before May 2026, on 2023-06-01,
    // a whole month since the data go further back.
    let mut data = trend_data();
    data.graph.push(node("api", 9, &[], &at("ana"), -(1219.0)));
    assert_eq!(
        jiff::Timestamp::from_second(secs(-1219.0))
            .unwrap()
            .to_string(),
        "2023-01-01T00:00:00Z"
    );
    let (_, a) = analyse(&data, &loose());
    let m = &a.trends.months;
    assert_eq!(m.len(), MAX_TREND_MONTHS as usize);
    assert_eq!((m[0].label.as_str(), m[0].partial), ("2023-06", false));
    assert_eq!(m.last().unwrap().label, "2026-05");
    assert_eq!(a.trends.quarters[0].label, "2023-Q2");
    assert!(a.trends.quarters[0].partial);
}

// ---------------------------------------------------------------------------------------
// Stages before vs after the rollout, and team figures.
// ---------------------------------------------------------------------------------------

/// Team `web` (ana, ben, carol) rolled AI out on 2026-05-01 (day −3); team `api` (bob) has
/// no rollout date; cy is not on the roster. Carol approves (bob requests changes on #5).
/// The creation of a pull request is its readiness.
///
/// | PR | author | work started | ready | approved | merged | placed | coding | review |
/// |---|---|---|---|---|---|---|---|---|
/// | 1 | ana | W-1 −40 | −36 | −35 | −34 | before | 4 | 1 |
/// | 2 | ben | W-2 −20 | −18 | −16 | −15 | before | 2 | 2 |
/// | 3 | ana | (created −6) | −6 | −5 | 2 | before (merged in the window) | — | 1 |
/// | 5 | ben | W-5 −4 | 0 | 3 | 4 | before (work started before; created after) | 4 | 3 |
/// | 4 | ana | W-4 1 | 2 | 4 | 5 | after | 1 | 2 |
/// | 10 | ben | W-10 −2 | 1 | 2 | 6 | after | 3 | 1 |
/// | 11 | ana | W-11 10 | 11 | 14 | 15 | after | 1 | 3 |
/// | 6 | ben | W-6 10 | 10.5 | 14.5 | 40 | neither: merged after the window | | |
/// | 7 | cy | | 6 | 7 | 8 | left out: no team | | |
/// | 8 | bob | | −12 | −11 | −10 | left out: no rollout date | | |
/// | 9 | ana | | 3 | | open | | | |
/// | 12 | renovate[bot] | | 8 | 8.5 | 9 | left out, and not counted: a bot | | |
///
/// #4 is labelled `ai-assisted`. Commits in the window: ana (AI-assisted) day 1, ben day 2,
/// cy day 3.
fn rollout_data() -> Dataset {
    let mut r = Records {
        people: vec![
            person(&at("ana"), "web"),
            person(&at("ben"), "web"),
            person(&at("carol"), "web"),
            person(&at("bob"), "api"),
        ],
        teams: vec![team("web", Some(-3))],
        ..Records::default()
    };
    let c = "carol";
    flow_pr(
        &mut r,
        1,
        "ana",
        Some(-40.0),
        -36.0,
        c,
        Some(-35.0),
        Some(-34.0),
    );
    flow_pr(
        &mut r,
        2,
        "ben",
        Some(-20.0),
        -18.0,
        c,
        Some(-16.0),
        Some(-15.0),
    );
    flow_pr(&mut r, 3, "ana", None, -6.0, c, Some(-5.0), Some(2.0));
    flow_pr(&mut r, 5, "ben", Some(-4.0), 0.0, c, Some(3.0), Some(4.0));
    flow_pr(&mut r, 4, "ana", Some(1.0), 2.0, c, Some(4.0), Some(5.0));
    flow_pr(&mut r, 10, "ben", Some(-2.0), 1.0, c, Some(2.0), Some(6.0));
    flow_pr(
        &mut r,
        11,
        "ana",
        Some(10.0),
        11.0,
        c,
        Some(14.0),
        Some(15.0),
    );
    flow_pr(
        &mut r,
        6,
        "ben",
        Some(10.0),
        10.5,
        c,
        Some(14.5),
        Some(40.0),
    );
    flow_pr(&mut r, 7, "cy", None, 6.0, c, Some(7.0), Some(8.0));
    flow_pr(&mut r, 8, "bob", None, -12.0, c, Some(-11.0), Some(-10.0));
    flow_pr(&mut r, 9, "ana", None, 3.0, c, None, None);
    flow_pr(
        &mut r,
        12,
        "renovate[bot]",
        None,
        8.0,
        c,
        Some(8.5),
        Some(9.0),
    );
    pull_request(&mut r, 4).labels = vec!["ai-assisted".into()];
    r.reviews.push(review(
        "acme/api",
        5,
        &at("bob"),
        ReviewState::ChangesRequested,
        1.0,
    ));
    let commits = vec![
        commit_fact(&at("ana"), 1.0, &[FileSpec("src/a.rs", 10, 0)], true),
        commit_fact(&at("ben"), 2.0, &[FileSpec("src/b.rs", 10, 0)], false),
        commit_fact(&at("cy"), 3.0, &[FileSpec("src/c.rs", 10, 0)], false),
    ];
    let ai = commits[0].id.clone();
    let mut data = dataset(r, vec![], commits);
    data.ai_assisted.insert(ai.to_string());
    data
}

#[test]
fn stages_before_and_after_the_rollout_are_placed_by_work_start() {
    let (_, a) = analyse(&rollout_data(), &loose());
    let s = &a.trends.stages;
    assert_eq!(
        s.basis,
        "before: pull requests of the whole history whose work started before their team's AI \
         rollout; after: pull requests merged in 2026-05-04 → 2026-06-01 whose work started on \
         or after it; 2 merged pull request(s) without a team rollout date are left out"
    );
    let row = |stage: &str| s.rows.iter().find(|r| r.stage == stage).unwrap();
    // Coding before [4, 2, 4] → median 4, n 3 (#3 has no work item); after [1, 3, 1] →
    // 1, n 3: (1 − 4) / 4 = −75 %.
    let coding = row("coding");
    let (b, af) = (coding.before.unwrap(), coding.after.unwrap());
    assert_eq!((b.value, b.n, af.value, af.n), (4.0, 3, 1.0, 3));
    assert!(close(coding.change_pct.unwrap(), -75.0));
    // Review before [1, 2, 1, 3], sorted [1, 1, 2, 3]: median 1.5, n 4; p75 at rank
    // 3 × 0.75 = 2.25 → 2 + 0.25 × (3 − 2) = 2.25; p90 at rank 2.7 → 2.7. After [2, 1, 3]
    // → 2, n 3: (2 − 1.5) / 1.5 = +33.3 %.
    let review_row = row("review");
    let (b, af) = (review_row.before.unwrap(), review_row.after.unwrap());
    assert_eq!((b.value, b.n, af.value, af.n), (1.5, 4, 2.0, 3));
    assert!(
        close(b.p75.unwrap(), 2.25) && close(b.p90.unwrap(), 2.7),
        "{b:?}"
    );
    assert!(close(review_row.change_pct.unwrap(), 100.0 / 3.0));
    // No checks, no deployments: testing and deploy have no figures, so no change.
    for stage in ["testing", "deploy"] {
        let r = row(stage);
        assert_eq!(
            (r.before, r.after, r.change_pct),
            (None, None, None),
            "{stage}"
        );
    }
    // The window vs its baseline shows nothing (coding 2 → 2), so the stage rule runs on
    // the rollout comparison: coding −75 %, review +33 %.
    let i = insight(&a, "faster_coding_slower_review").expect("fires on the rollout");
    assert_eq!(
        i.evidence[..2],
        [
            "coding stage 4.0 d → 1.0 d (-75%), pull requests after the teams' AI rollouts vs before",
            "review stage 1.5 d → 2.0 d (+33%)",
        ]
    );
}

#[test]
fn without_rollout_dates_nothing_is_placed() {
    let mut data = rollout_data();
    data.records.teams.clear();
    let (_, a) = analyse(&data, &loose());
    assert!(
        a.trends
            .stages
            .basis
            .starts_with("no merged pull request's author is in a team with an AI rollout date"),
        "{}",
        a.trends.stages.basis
    );
    assert!(
        a.trends
            .stages
            .rows
            .iter()
            .all(|r| r.before.is_none() && r.after.is_none())
    );
}

#[test]
fn team_figures_leave_out_small_teams() {
    // min_group_size 3: web (3 people) is shown, api (bob alone) is not.
    let config = MetricsConfig {
        min_group_size: 3,
        ..loose()
    };
    let (_, a) = analyse(&rollout_data(), &config);
    let names: Vec<&str> = a.trends.teams.iter().map(|t| t.team.as_str()).collect();
    assert_eq!(names, ["web"]);
    let web = &a.trends.teams[0];
    assert_eq!(web.people, 3);
    assert_eq!(web.ai_rollout_date.as_deref(), Some("2026-05-01"));
    let v = &web.values;
    // Merged in the window by web's people: #3, #4, #5, #10, #11 (cy's #7 is nobody's).
    // Coding [—, 1, 4, 3, 1] → [1, 1, 3, 4]: median 2, n 4. Review [1, 2, 3, 1, 3] →
    // [1, 1, 2, 3, 3]: median 2, n 5.
    assert_eq!(period_value(v, "process.stage.coding_days"), (2.0, 4));
    assert_eq!(period_value(v, "process.stage.review_days"), (2.0, 5));
    assert!(!v.contains_key("process.stage.testing_days"));
    // #4 is labelled AI-assisted: 1 of 5 = 20 %. Rework: #5 had changes requested, 1 of
    // the 5 reviewed = 20 %. Throughput 5 PRs / 3 people / 4 weeks.
    assert_eq!(period_value(v, "adoption.ai_assisted_prs_pct"), (20.0, 5));
    assert_eq!(period_value(v, "process.pr_rework_pct"), (20.0, 5));
    let (t, n) = period_value(v, "process.throughput");
    assert!(close(t, 5.0 / 12.0) && n == 5, "{t}");
    // Commits: ana's (AI) and ben's are web's, cy's is nobody's: 1 of 2.
    assert_eq!(
        period_value(v, "adoption.ai_assisted_commits_pct"),
        (50.0, 2)
    );

    // With min_group_size 4 no team is large enough.
    let config = MetricsConfig {
        min_group_size: 4,
        ..loose()
    };
    let (_, a) = analyse(&rollout_data(), &config);
    assert!(a.trends.teams.is_empty());
}

// ---------------------------------------------------------------------------------------
// Insights.
// ---------------------------------------------------------------------------------------

/// Baseline window: #1 (work −20, ready −18, approved −17, merged −16) and #2 (−10, −8,
/// −7, −6): coding 2 d, review 1 d. Window: #3 and #4 with coding `coding` d and review
/// `review` d, merged on days 5 and 10. No teams, so no rollout comparison.
fn stage_data(coding: f64, review: f64) -> Dataset {
    let mut r = Records::default();
    let c = "carol";
    flow_pr(
        &mut r,
        1,
        "ana",
        Some(-20.0),
        -18.0,
        c,
        Some(-17.0),
        Some(-16.0),
    );
    flow_pr(
        &mut r,
        2,
        "ben",
        Some(-10.0),
        -8.0,
        c,
        Some(-7.0),
        Some(-6.0),
    );
    for (n, start) in [(3, 1.0), (4, 6.0)] {
        let ready = start + coding;
        flow_pr(
            &mut r,
            n,
            "ana",
            Some(start),
            ready,
            c,
            Some(ready + review),
            Some(start + 4.0),
        );
    }
    dataset(r, vec![], vec![])
}

#[test]
fn faster_coding_slower_review_fires_on_the_window_vs_its_baseline() {
    // Coding 2 → 1.5 d (−25 %), review 1 → 1.5 d (+50 %).
    let (_, a) = analyse(&stage_data(1.5, 1.5), &loose());
    let i = insight(&a, "faster_coding_slower_review").expect("fires");
    assert_eq!(i.level, InsightLevel::Warning);
    assert_eq!(
        i.title,
        "Coding got faster but review got slower: the time saved waits downstream"
    );
    assert_eq!(
        i.evidence,
        [
            "coding stage 2.0 d → 1.5 d (-25%), the window vs its baseline window",
            "review stage 1.0 d → 1.5 d (+50%)",
        ]
    );
    // Coding only 8 % faster (2 → 1.84): below the 10 % threshold.
    let (_, a) = analyse(&stage_data(1.84, 1.5), &loose());
    assert!(
        insight(&a, "faster_coding_slower_review").is_none(),
        "{:?}",
        fired(&a)
    );
    // Review only 8 % slower (1 → 1.08).
    let (_, a) = analyse(&stage_data(1.5, 1.08), &loose());
    assert!(
        insight(&a, "faster_coding_slower_review").is_none(),
        "{:?}",
        fired(&a)
    );
}

#[test]
fn faster_coding_slower_review_fires_when_testing_took_no_time() {
    // As the firing case above, but each pull request's head commit passed its required
    // check before the approval: testing is 0 d in both windows (flow.rs: "a check that
    // passed before the approval counts as passing at the approval, so 0"). Coding −25 %
    // and review +50 % still hold, and testing did not grow; the rule should fire.
    let mut data = stage_data(1.5, 1.5);
    let mut checks = Vec::new();
    for p in &mut data.records.pull_requests {
        let head = sha(1000 + p.number as u32);
        let ready = (p.created_at.as_second() - T0) as f64 / DAY as f64;
        checks.push(check(
            "acme/api",
            &head,
            CheckConclusion::Success,
            ready,
            true,
        ));
        p.head_sha = Some(head);
    }
    data.records.checks = checks;
    data.sources = plumb_metrics::SourceInventory::of(&data.records, 1);
    let (card, a) = analyse(&data, &loose());
    check_value(&card, "process.stage.testing_days", 0.0, 2);
    assert!(
        insight(&a, "faster_coding_slower_review").is_some(),
        "{:?}",
        fired(&a)
    );
}

/// `base_total` commits by different people in the baseline window (the first `base_ai`
/// AI-assisted), `now_total` in the window (the first `now_ai` AI-assisted). The first
/// commit of each window adds 1,000 lines to src/x.rs, of which `base_churned` and
/// `now_churned` were churned.
fn adoption_data(
    (base_ai, base_total): (usize, usize),
    (now_ai, now_total): (usize, usize),
    (base_churned, now_churned): (u32, u32),
) -> Dataset {
    let mut commits = Vec::new();
    let mut facts = Vec::new();
    for (start, ai, total, churned) in [
        (-20.0, base_ai, base_total, base_churned),
        (1.0, now_ai, now_total, now_churned),
    ] {
        for i in 0..total {
            let c = commit_fact(
                &at(&format!("dev{i}")),
                start + i as f64 * 0.25,
                &[FileSpec("src/x.rs", 1, 0)],
                i < ai,
            );
            if i == 0 {
                facts.push(churn_of(
                    &c,
                    true,
                    vec![cf("src/x.rs", 1000, churned, 0, 0)],
                ));
            }
            commits.push(c);
        }
    }
    let mut data = dataset(Records::default(), vec![], commits);
    data.churn = Some(facts);
    data
}

#[test]
fn adoption_with_failures_fires_when_churn_rises_with_adoption() {
    // AI-assisted commits 1/4 = 25 % → 2/4 = 50 % (+25 pts); churn 10 % → 12.5 %
    // (+2.5 pts ≥ 2).
    let (_, a) = analyse(&adoption_data((1, 4), (2, 4), (100, 125)), &loose());
    let i = insight(&a, "adoption_with_failures").expect("fires");
    assert_eq!(
        i.title,
        "AI adoption rose together with code churn: speed may be paid for in rework"
    );
    assert_eq!(
        i.evidence,
        [
            "AI-assisted commits 25.0% → 50.0% (+25.0 pts)",
            "code churn 10.0% → 12.5% (+2.5 pts)",
        ]
    );
    // Churn 10 % → 11.9 %: +1.9 pts, below 2.
    let (_, a) = analyse(&adoption_data((1, 4), (2, 4), (100, 119)), &loose());
    assert!(insight(&a, "adoption_with_failures").is_none());
    // Adoption 0 % → 1/25 = 4 %: +4 pts, below 5.
    let (_, a) = analyse(&adoption_data((0, 4), (1, 25), (100, 125)), &loose());
    assert!(insight(&a, "adoption_with_failures").is_none());
    // 0 % → 1/20 = 5 %: +5 pts, at the threshold: fires.
    let (_, a) = analyse(&adoption_data((0, 4), (1, 20), (100, 125)), &loose());
    assert!(insight(&a, "adoption_with_failures").is_some());
}

#[test]
fn adoption_with_failures_fires_when_the_change_failure_rate_rises() {
    // No churn; production deployments: 4 successful in the baseline window (0 %
    // failed), 3 successful and 1 failed in the window (25 %, +25 pts).
    let mut data = adoption_data((1, 4), (2, 4), (0, 0));
    data.churn = None;
    use DeployStatus::*;
    data.records.deployments = [
        (-20.0, Success),
        (-15.0, Success),
        (-10.0, Success),
        (-5.0, Success),
        (2.0, Success),
        (4.0, Failure),
        (6.0, Success),
        (8.0, Success),
    ]
    .iter()
    .enumerate()
    .map(|(i, (d, s))| deployment(&format!("d{i}"), "api", "production", 1, *d, *s, None))
    .collect();
    data.sources = plumb_metrics::SourceInventory::of(&data.records, 1);
    let (card, a) = analyse(&data, &loose());
    check_value(&card, "dora.change_failure_rate_pct", 25.0, 4);
    let i = insight(&a, "adoption_with_failures").expect("fires");
    assert_eq!(
        i.title,
        "AI adoption rose together with change failure rate: speed may be paid for in rework"
    );
    assert_eq!(
        i.evidence[1],
        "change failure rate 0.0% → 25.0% (+25.0 pts)"
    );
}

/// j1, j2 junior and m1, m2 mid-level; each scored on 2025-05-09 and 2026-05-09 (day 5):
/// 50 → `juniors` and 50 → `mids`.
fn skills_data(juniors: [f64; 2], mids: [f64; 2]) -> Dataset {
    let mut people = Vec::new();
    let mut skills = Vec::new();
    let before: jiff::civil::Date = "2025-05-09".parse().unwrap();
    for (name, level, now) in [
        ("j1", Level::Junior, juniors[0]),
        ("j2", Level::Junior, juniors[1]),
        ("m1", Level::Mid, mids[0]),
        ("m2", Level::Mid, mids[1]),
    ] {
        let mut p: Person = person(&at(name), "web");
        p.level = Some(level);
        people.push(p);
        for (d, score) in [(before, 50.0), (date(5), now)] {
            skills.push(SkillAssessment {
                person: at(name),
                date: d,
                score,
            });
        }
    }
    let records = Records {
        people,
        skills,
        ..Records::default()
    };
    dataset(records, vec![], vec![])
}

#[test]
fn junior_growth_behind_fires_when_juniors_grow_less_than_mid_level() {
    // Juniors 50 → 55 (+10 %) and 56 (+12 %): 11 %; mids 60 (+20 %) and 58 (+16 %): 18 %.
    let (card, a) = analyse(&skills_data([55.0, 56.0], [60.0, 58.0]), &loose());
    check_entry(&card, "sustainability.skill_growth_pct", "junior", 11.0, 2);
    check_entry(&card, "sustainability.skill_growth_pct", "mid", 18.0, 2);
    let i = insight(&a, "junior_growth_behind").expect("fires");
    assert_eq!(
        i.evidence,
        ["skill growth per year: juniors 11.0% (n=2), mid-level 18.0% (n=2)"]
    );
    assert_eq!(i.metrics, ["sustainability.skill_growth_pct"]);
    // Juniors 60 and 58: 18 %, level with mid-level: does not fire.
    let (_, a) = analyse(&skills_data([60.0, 58.0], [60.0, 58.0]), &loose());
    assert!(insight(&a, "junior_growth_behind").is_none());
    // A band smaller than min_group_size is not shown, so the rule has nothing to compare.
    let config = MetricsConfig {
        min_group_size: 3,
        ..loose()
    };
    let (_, a) = analyse(&skills_data([55.0, 56.0], [60.0, 58.0]), &config);
    assert!(insight(&a, "junior_growth_behind").is_none());
}

/// Ana's open pull request #1 (day 1), reviewed in the window `counts[i]` times by r1…r5
/// (those in `seniors` senior, the others of no known seniority); r2 also reviewed it
/// three times before the window, which does not count.
fn review_data(counts: [usize; 5], seniors: &[&str]) -> Dataset {
    let names = ["r1", "r2", "r3", "r4", "r5"];
    let mut people = vec![person(&at("ana"), "web")];
    for n in names {
        let mut p = person(&at(n), "web");
        if seniors.contains(&n) {
            p.level = Some(Level::Senior);
        }
        people.push(p);
    }
    let mut reviews = Vec::new();
    let mut add = |who: &str, count: usize, from: f64| {
        for k in 0..count {
            reviews.push(review(
                "acme/api",
                1,
                &at(who),
                ReviewState::Commented,
                from + k as f64 * 0.5,
            ));
        }
    };
    for (i, n) in names.iter().enumerate() {
        add(n, counts[i], 2.0 + i as f64 * 3.0);
    }
    add("r2", 3, -5.0);
    let records = Records {
        people,
        pull_requests: vec![pr("acme/api", 1, &at("ana"), 1.0)],
        reviews,
        ..Records::default()
    };
    dataset(records, vec![], vec![])
}

#[test]
fn review_load_concentrated_fires_when_the_busiest_fifth_gives_forty_percent() {
    // 5 reviewers, the busiest fifth is 1: r1 gave 4 of 4 + 3 + 1 + 1 + 1 = 10 = 40 %,
    // twice a fair share: fires at the threshold.
    let config = MetricsConfig::default();
    let (_, a) = analyse(&review_data([4, 3, 1, 1, 1], &[]), &config);
    let i = insight(&a, "review_load_concentrated").expect("fires");
    assert_eq!(
        i.title,
        "Review load is concentrated: 1 of 5 reviewers gave 40% of the reviews"
    );
    assert_eq!(
        i.evidence[..2],
        [
            "4 of 10 reviews in the window by the busiest 1 of 5 reviewers (40%)",
            "0 of 10 reviews by 0 senior reviewer(s) (6+ years or senior/staff level)",
        ]
    );
    // One more review by r2: 4 of 11 = 36 %, below 40.
    let (_, a) = analyse(&review_data([4, 4, 1, 1, 1], &[]), &config);
    assert!(
        insight(&a, "review_load_concentrated").is_none(),
        "{:?}",
        fired(&a)
    );
    // Fewer reviewers than min_group_size (6): no rule, whatever the share.
    let config = MetricsConfig {
        min_group_size: 6,
        ..MetricsConfig::default()
    };
    let (_, a) = analyse(&review_data([10, 1, 1, 1, 1], &[]), &config);
    assert!(insight(&a, "review_load_concentrated").is_none());
}

#[test]
fn review_load_concentrated_fires_when_seniors_carry_it() {
    // r1 and r2 are senior: 40 % of the reviewers. They gave 3 + 3 of 9 = 66.7 % of the
    // reviews: ≥ 50 % and ≥ 1.5 × 40 % = 60 %. (The busiest fifth, r1, gave 3 of 9 =
    // 33 %: not concentrated on one person.)
    let config = MetricsConfig::default();
    let (_, a) = analyse(&review_data([3, 3, 1, 1, 1], &["r1", "r2"]), &config);
    let i = insight(&a, "review_load_concentrated").expect("fires");
    assert_eq!(
        i.title,
        "Review load sits with seniors: 67% of the reviews come from the 40% of reviewers who are senior"
    );
    assert_eq!(
        i.evidence[1],
        "6 of 9 reviews by 2 senior reviewer(s) (6+ years or senior/staff level)"
    );
    // 2 + 2 of 7 = 57 %: more than half, but under 1.5 × their 40 %; the busiest gave 2
    // of 7 = 29 %.
    let (_, a) = analyse(&review_data([2, 2, 1, 1, 1], &["r1", "r2"]), &config);
    assert!(
        insight(&a, "review_load_concentrated").is_none(),
        "{:?}",
        fired(&a)
    );
}

/// Commits in the window by ana, ben, cy and dan, the first `ai` of them AI-assisted;
/// feature F0 created −20, released −10 (10 d, the baseline window) and F1 created 1,
/// released `1 + cycle`; one pull request (so that cycle time has its source); production
/// deployments on days −15 and −12 (successful) and on 5 and 8, plus a failed one on 9
/// when `window_failure`.
fn cycle_data(ai: usize, cycle: f64, window_failure: bool) -> Dataset {
    let commits: Vec<CommitFact> = ["ana", "ben", "cy", "dan"]
        .iter()
        .enumerate()
        .map(|(i, n)| {
            commit_fact(
                &at(n),
                1.0 + i as f64,
                &[FileSpec("src/x.rs", 1, 0)],
                i < ai,
            )
        })
        .collect();
    let mut f0 = item("F0", WorkType::Feature, -20.0);
    f0.released_at = Some(day(-10.0));
    let mut f1 = item("F1", WorkType::Feature, 1.0);
    f1.released_at = Some(day(1.0 + cycle));
    use DeployStatus::*;
    let mut deploys = vec![
        (-15.0, Success),
        (-12.0, Success),
        (5.0, Success),
        (8.0, Success),
    ];
    if window_failure {
        deploys.push((9.0, Failure));
    }
    let records = Records {
        work_items: vec![f0, f1],
        pull_requests: vec![pr("acme/api", 1, &at("ana"), 1.0)],
        deployments: deploys
            .iter()
            .enumerate()
            .map(|(i, (d, s))| deployment(&format!("d{i}"), "api", "production", 1, *d, *s, None))
            .collect(),
        ..Records::default()
    };
    dataset(records, vec![], commits)
}

#[test]
fn adoption_without_process_change_fires_when_cycle_time_barely_moves() {
    // AI-assisted commits 2 of 4 = 50 % (≥ 40); cycle time 10 → 9.6 d = −4 %: improved
    // by less than 5 %.
    let (card, a) = analyse(&cycle_data(2, 9.6, false), &loose());
    check_value(&card, "process.cycle_time_days", 9.6, 1);
    let i = insight(&a, "adoption_without_process_change").expect("fires");
    assert_eq!(
        i.evidence,
        [
            "AI-assisted commits 50.0%",
            "active AI users 50.0%",
            "cycle time 9.6 d vs baseline 10.0 d (-4.0%)",
        ]
    );
    // Cycle time −10 %: the process changed.
    let (_, a) = analyse(&cycle_data(2, 9.0, false), &loose());
    assert!(insight(&a, "adoption_without_process_change").is_none());
    // AI-assisted commits 1 of 4 = 25 % and AI users 25 %: not widely used.
    let (_, a) = analyse(&cycle_data(1, 9.6, false), &loose());
    assert!(insight(&a, "adoption_without_process_change").is_none());
}

#[test]
fn cycle_time_improved_fires_without_more_failures() {
    // Cycle time 10 → 8 d (−20 %); change failure rate 0 % → 0 %.
    let (_, a) = analyse(&cycle_data(0, 8.0, false), &loose());
    let i = insight(&a, "cycle_time_improved").expect("fires");
    assert_eq!(i.level, InsightLevel::Positive);
    assert_eq!(
        i.evidence,
        [
            "cycle time 10.0 d → 8.0 d (-20%)",
            "change failure rate 0.0% → 0.0%"
        ]
    );
    // Positive insights come after the warnings.
    assert_eq!(a.insights.last().unwrap().id, "cycle_time_improved");
    // 10 → 8.6 d: −14 %, short of 15.
    let (_, a) = analyse(&cycle_data(0, 8.6, false), &loose());
    assert!(insight(&a, "cycle_time_improved").is_none());
    // −20 %, but a failed deployment in the window: 1 of 3 = 33 % vs 0 %.
    let (card, a) = analyse(&cycle_data(0, 8.0, true), &loose());
    check_value(&card, "dora.change_failure_rate_pct", 100.0 / 3.0, 3);
    assert!(insight(&a, "cycle_time_improved").is_none());
}

// ---------------------------------------------------------------------------------------
// The phase model.
// ---------------------------------------------------------------------------------------

#[test]
fn no_ai_at_all_is_no_phase() {
    let data = dataset(
        Records::default(),
        vec![],
        vec![commit_fact(
            &at("ana"),
            1.0,
            &[FileSpec("a.rs", 1, 0)],
            false,
        )],
    );
    let (_, a) = analyse(&data, &loose());
    assert_eq!(a.phase.phase, None);
    assert_eq!(a.phase.phases.len(), 6);
    let c = criterion(&a, 0, "AI usage or AI-assisted changes are present");
    assert!(!c.met);
    assert_eq!(
        c.evidence,
        "0 AI-assisted commit(s) in the history, 0 AI-usage record(s)"
    );
    assert_eq!(a.phase.next_steps.len(), 1);
    assert!(
        a.phase.next_steps[0].starts_with("phase 0 (tool adoption): roll out an AI coding tool"),
        "{:?}",
        a.phase.next_steps
    );
}

#[test]
fn ai_commits_alone_are_phase_zero() {
    let c = commit_fact(&at("ana"), 1.0, &[FileSpec("a.rs", 1, 0)], true);
    let mut data = dataset(Records::default(), vec![], vec![c.clone()]);
    data.ai_assisted.insert(c.id.to_string());
    let (_, a) = analyse(&data, &loose());
    assert_eq!(a.phase.phase, Some(0));
    assert!(a.phase.phases[0].met);
    assert!(!a.phase.phases[1].met);
    assert_eq!(
        criterion(&a, 1, "≥ 4 weeks").evidence,
        "no AI rollout date: set ai_rollout_date in [[teams]] or import teams"
    );
    // The next steps are phase 1's two unmet criteria.
    assert_eq!(a.phase.next_steps.len(), 2, "{:?}", a.phase.next_steps);
    assert!(
        a.phase
            .next_steps
            .iter()
            .all(|s| s.starts_with("phase 1 (baselines): "))
    );
}

/// Every dimension has a metric with data: adoption and quality from git (active AI users,
/// knowledge health), process from line survival (code churn), outcomes from a feature
/// released in the window, cost from May's AI tool cost. Team web (ana, ben) rolled out on
/// 2026-05-01 (day −3); the stored history starts on day `first`.
fn phase1_data(first: f64) -> Dataset {
    let a = commit_fact(&at("ana"), 1.0, &[FileSpec("src/a.rs", 10, 0)], true);
    let b = commit_fact(&at("ben"), 2.0, &[FileSpec("docs/b.md", 10, 0)], false);
    let mut feature = item("F1", WorkType::Feature, 0.0);
    feature.released_at = Some(day(5.0));
    let records = Records {
        people: vec![person(&at("ana"), "web"), person(&at("ben"), "web")],
        teams: vec![team("web", Some(-3))],
        work_items: vec![feature],
        costs: vec![Cost {
            month: Month {
                year: 2026,
                month: 5,
            },
            category: CostCategory::AiTool,
            item: "copilot".into(),
            amount: 100.0,
            currency: "EUR".into(),
            seats: None,
        }],
        ..Records::default()
    };
    let graph = vec![
        node("api", 1, &[], &at("ana"), first),
        node("api", 2, &[1], &at("ana"), 1.0),
        node("api", 3, &[2], &at("ben"), 2.0),
    ];
    let facts = vec![
        churn_of(&a, true, vec![cf("src/a.rs", 10, 1, 0, 0)]),
        churn_of(&b, true, vec![cf("docs/b.md", 10, 0, 0, 0)]),
    ];
    let ai = a.id.clone();
    let mut data = dataset(records, graph, vec![a, b]);
    data.ai_assisted.insert(ai.to_string());
    data.churn = Some(facts);
    data
}

#[test]
fn four_weeks_of_history_and_every_dimension_make_phase_one() {
    // History from 2026-03-25 (day −40): 37 days = 5.3 weeks before 2026-05-01.
    let (card, a) = analyse(&phase1_data(-40.0), &loose());
    for d in &card.dimensions {
        assert!(d.metrics_with_data > 0, "{:?} has no data", d.dimension);
    }
    let c = criterion(&a, 1, "≥ 4 weeks");
    assert!(c.met);
    assert_eq!(
        c.evidence,
        "data from 2026-03-25 and the first AI rollout on 2026-05-01: 5.3 weeks before"
    );
    assert!(criterion(&a, 1, "every dimension has ≥ 1 metric with data").met);
    assert_eq!(a.phase.phase, Some(1));
    // Next: phase 2, none of whose three criteria holds.
    assert_eq!(a.phase.next_steps.len(), 3, "{:?}", a.phase.next_steps);
    assert!(
        a.phase
            .next_steps
            .iter()
            .all(|s| s.starts_with("phase 2 (governance): "))
    );

    // History from 2026-04-04 (day −30): 27 days = 3.9 weeks, short of 4.
    let (_, a) = analyse(&phase1_data(-30.0), &loose());
    let c = criterion(&a, 1, "≥ 4 weeks");
    assert!(!c.met);
    assert_eq!(
        c.evidence,
        "data from 2026-04-04 and the first AI rollout on 2026-05-01: 3.9 weeks before"
    );
    assert_eq!(a.phase.phase, Some(0));
    // …unless a team has not rolled out yet: a cohort split.
    let mut data = phase1_data(-30.0);
    data.records.teams.push(team("mobile", None));
    let (_, a) = analyse(&data, &loose());
    let c = criterion(&a, 1, "≥ 4 weeks");
    assert!(c.met);
    assert!(
        c.evidence
            .ends_with("; some teams have not rolled out yet (a cohort split)"),
        "{}",
        c.evidence
    );
}

#[test]
fn a_dimension_without_data_fails_phase_one() {
    // Without the cost record the cost dimension has no data.
    let mut data = phase1_data(-40.0);
    data.records.costs.clear();
    data.sources = plumb_metrics::SourceInventory::of(&data.records, 1);
    let (_, a) = analyse(&data, &loose());
    let c = criterion(&a, 1, "every dimension");
    assert!(!c.met);
    assert_eq!(c.evidence, "no data: Cost efficiency");
}

/// The phase-1 organisation with five pull requests merged in the window (heads h1…h5),
/// one merged before it (h0), security and accessibility findings, `zones` risk zones and
/// gate decisions for the heads listed.
fn governance(zones: u64, gated: &[u32]) -> (Dataset, PhaseInputs) {
    let mut data = phase1_data(-40.0);
    for n in 0..6u32 {
        let merged = if n == 0 { -5.0 } else { f64::from(n) * 3.0 };
        let mut p = pr("acme/api", u64::from(n), &at("ana"), merged - 1.0);
        p.merged_at = Some(day(merged));
        p.head_sha = Some(sha(100 + n));
        data.records.pull_requests.push(p);
    }
    data.records.findings = vec![
        finding(FindingKind::Security, Severity::High, "src/a.rs", 1.0, 1.0),
        finding(FindingKind::Accessibility, Severity::High, "", 2.0, 2.0),
    ];
    data.sources = plumb_metrics::SourceInventory::of(&data.records, 1);
    let inputs = PhaseInputs {
        zones_configured: zones,
        gate_decisions: gated
            .iter()
            .map(|n| GateFact {
                repo: "api".into(),
                head: sha(100 + n),
                decided_at: secs(0.0),
            })
            .collect(),
        snapshots: Vec::new(),
    };
    (data, inputs)
}

#[test]
fn gate_coverage_of_eighty_percent_meets_phase_two() {
    // Gated: h0 (merged before the window, not counted), h1–h4: 4 of the 5 merged in the
    // last 30 days (the whole 28-day window) = 80 %: met.
    let (data, inputs) = governance(2, &[0, 1, 2, 3, 4]);
    let (_, a) = compute_with_analysis(&data, &loose(), &inputs);
    let gate = criterion(&a, 2, "gate decisions recorded");
    assert!(gate.met);
    assert_eq!(
        gate.evidence,
        "4 of 5 pull request(s) merged 2026-05-04 → 2026-06-01 have a gate decision (80%); 5 decision(s) recorded in all"
    );
    let zones = criterion(&a, 2, "risk zones configured");
    assert!(zones.met);
    assert_eq!(zones.evidence, "2 [[zones]] in plumb.toml");
    let findings = criterion(&a, 2, "security and accessibility findings are ingested");
    assert!(findings.met);
    assert_eq!(
        findings.evidence,
        "1 security finding(s), 1 accessibility finding(s)"
    );
    // Phases 0–2 hold; phase 3 is next (no stages, no cycle-time baseline).
    assert_eq!(a.phase.phase, Some(2));
    assert!(!a.phase.next_steps.is_empty());
    assert!(
        a.phase
            .next_steps
            .iter()
            .all(|s| s.starts_with("phase 3 (process optimisation): ")),
        "{:?}",
        a.phase.next_steps
    );

    // 3 of 5 = 60 %: not met, and without zones either; phase 1.
    let (data, inputs) = governance(0, &[1, 2, 3]);
    let (_, a) = compute_with_analysis(&data, &loose(), &inputs);
    let gate = criterion(&a, 2, "gate decisions recorded");
    assert!(!gate.met);
    assert!(
        gate.evidence.starts_with("3 of 5 pull request(s)"),
        "{}",
        gate.evidence
    );
    assert!(!criterion(&a, 2, "risk zones configured").met);
    assert_eq!(a.phase.phase, Some(1));
    assert_eq!(
        a.phase.next_steps,
        [
            "phase 2 (governance): declare risk zones ([[zones]] in plumb.toml) for the code where AI-assisted changes need more care",
            "phase 2 (governance): run `plumb gate` in CI on every pull request so that decisions are recorded",
        ]
    );
}

fn snapshot(quarter: &str, reviewed: bool, cycle_target: &str) -> SnapshotFact {
    SnapshotFact {
        quarter: quarter.into(),
        taken_at: 0,
        targets_reviewed: reviewed,
        targets: [(
            "process.cycle_time_days".to_string(),
            cycle_target.to_string(),
        )]
        .into_iter()
        .collect(),
    }
}

#[test]
fn phase_five_needs_two_quarters_with_targets_reviewed_between_them() {
    let c = commit_fact(&at("ana"), 1.0, &[FileSpec("a.rs", 1, 0)], true);
    let mut data = dataset(Records::default(), vec![], vec![c.clone()]);
    data.ai_assisted.insert(c.id.to_string());
    let run = |snapshots: Vec<SnapshotFact>| {
        let inputs = PhaseInputs {
            snapshots,
            ..PhaseInputs::default()
        };
        compute_with_analysis(&data, &loose(), &inputs).1
    };
    let text = "≥ 2 saved quarterly scorecard snapshots";

    // The targets changed between 2026-Q1 and 2026-Q2: reviewed.
    let a = run(vec![
        snapshot("2026-Q1", false, "−15%"),
        snapshot("2026-Q2", false, "−20%"),
    ]);
    let c = criterion(&a, 5, text);
    assert!(c.met);
    assert_eq!(
        c.evidence,
        "snapshots: 2026-Q1, 2026-Q2; targets reviewed between them: yes"
    );
    // Met out of order: phase 5 is shown ✓ but the organisation stays in phase 0.
    assert!(a.phase.phases[5].met);
    assert_eq!(a.phase.phase, Some(0));
    assert!(
        a.phase
            .next_steps
            .iter()
            .all(|s| s.starts_with("phase 1 (baselines): "))
    );

    // The same targets and no `--targets-reviewed`: not met.
    let a = run(vec![
        snapshot("2026-Q1", false, "−15%"),
        snapshot("2026-Q2", false, "−15%"),
    ]);
    let c = criterion(&a, 5, text);
    assert!(!c.met);
    assert_eq!(
        c.evidence,
        "snapshots: 2026-Q1, 2026-Q2; targets reviewed between them: no"
    );
    // The same targets, reviewed: met.
    let a = run(vec![
        snapshot("2026-Q1", false, "−15%"),
        snapshot("2026-Q2", true, "−15%"),
    ]);
    assert!(criterion(&a, 5, text).met);
    // Two snapshots of one quarter are not two quarters.
    let a = run(vec![
        snapshot("2026-Q2", false, "−15%"),
        snapshot("2026-Q2", false, "−20%"),
    ]);
    assert!(!criterion(&a, 5, text).met);
    // None saved.
    let a = run(vec![]);
    assert_eq!(
        criterion(&a, 5, text).evidence,
        "no snapshot saved (`plumb snapshot`)"
    );
}
