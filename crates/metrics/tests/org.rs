#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The metrics computed from imported records, on small hand-built organisations whose
//! figures are worked out in the comments.
//!
//! Every fixture uses the window [2026-05-04, 2026-06-01): 28 days, four whole ISO weeks
//! (2026-05-04 is a Monday), entirely inside May. Its baseline window is
//! [2026-04-06, 2026-05-04). `day(d)` is the instant `d` days after the window starts
//! (negative days are before it).

use jiff::civil::Date;
use plumb_link::CommitNode;
use plumb_metrics::{
    CommitFact, MetricsConfig, Records, Scorecard, Status, ValueModel, Window, compute,
};
use plumb_model::records::{
    Capability, CheckConclusion, CostCategory, DeployKind, DeployStatus, FindingKind, Level,
    Person, ReviewState, Severity, SkillAssessment, Team, UsageSubject, WorkType,
};

mod support;
use support::*;

// ---------------------------------------------------------------------------------------
// DORA
// ---------------------------------------------------------------------------------------

/// Repository `web`, a straight line c1 ← c2 ← c3 ← c4 ← c5, authored on days 0, 1, 2, 8
/// and 15, and these deployments (production unless said otherwise):
///
/// | id | commit | finished | status | kind | ships | failed because |
/// |---|---|---|---|---|---|---|
/// | d1 | c2 | 1.5 | success | | c1, c2 | |
/// | d2 | c3 | 3 | failure | | (c3) | status |
/// | d3 | c3 | 3.25 | success | | c3 | |
/// | s1 | c4 | 8.5 | success (staging) | | | |
/// | d4 | c4 | 9 | success | | c4 | hotfix d5 follows; incident i1 names it |
/// | d5 | c5 | 16 | success | hotfix | c5 | |
///
/// Incidents: i0 opened 0.5, resolved 4 h later, in repository `web` before any
/// deployment; i1 opened 10, resolved 2 h later, names d4; i2 opened 20, unresolved;
/// i3 opened −5 (before the window), resolved.
fn dora_records() -> (Records, Vec<CommitNode>) {
    let graph = vec![
        node("web", 1, &[], "ana@acme.test", 0.0),
        node("web", 2, &[1], "ana@acme.test", 1.0),
        node("web", 3, &[2], "ben@acme.test", 2.0),
        node("web", 4, &[3], "ben@acme.test", 8.0),
        node("web", 5, &[4], "ana@acme.test", 15.0),
    ];
    use DeployStatus::*;
    let deployments = vec![
        deployment("d1", "web", "production", 2, 1.5, Success, None),
        deployment("d2", "web", "production", 3, 3.0, Failure, None),
        deployment("d3", "web", "production", 3, 3.25, Success, None),
        deployment("s1", "web", "staging", 4, 8.5, Success, None),
        deployment("d4", "web", "production", 4, 9.0, Success, None),
        deployment(
            "d5",
            "web",
            "production",
            5,
            16.0,
            Success,
            Some(DeployKind::Hotfix),
        ),
    ];
    let mut i0 = incident("i0", 0.5, Some(0.5 + 4.0 / 24.0));
    i0.repo = Some("web".into());
    let mut i1 = incident("i1", 10.0, Some(10.0 + 2.0 / 24.0));
    i1.caused_by_deployment = Some("d4".into());
    let i2 = incident("i2", 20.0, None);
    let i3 = incident("i3", -5.0, Some(-4.0));
    let records = Records {
        deployments,
        incidents: vec![i0, i1, i2, i3],
        ..Records::default()
    };
    (records, graph)
}

fn dora_card(config: &MetricsConfig) -> Scorecard {
    let (records, graph) = dora_records();
    compute(&dataset(records, graph, vec![]), config)
}

#[test]
fn deployment_frequency_is_the_median_week_with_empty_weeks() {
    // Successful production deployments per ISO week: d1, d3 (week 1), d4 (week 2), d5
    // (week 3), none in week 4: [2, 1, 1, 0], median (1 + 1) / 2 = 1. The staging
    // deployment and the failed d2 do not count. n = 4 deployments.
    let card = dora_card(&loose());
    check_value(&card, "dora.deployment_frequency", 1.0, 4);
    check_entry(&card, "dora.deployment_frequency", "mean per week", 1.0, 4);
    let m = metric(&card, "dora.deployment_frequency");
    // Elite is ≥ 7 a week: 1/7 attained, missed.
    assert_eq!(m.status, Status::Missed);
    assert!(close(m.attainment.unwrap(), 1.0 / 7.0));
    assert!(has_note(
        &card,
        "dora.deployment_frequency: DORA tier (2023 clusters): high"
    ));
}

#[test]
fn lead_time_runs_from_authoring_to_the_first_successful_production_deployment() {
    // c1: day 0 → d1 at 1.5 = 36 h; c2: day 1 → 1.5 = 12 h; c3: day 2 → d3 at 3.25 = 30 h
    // (the failed d2 does not end it); c4: day 8 → d4 at 9 = 24 h (not the staging s1 at
    // 8.5); c5: day 15 → 16 = 24 h. Sorted [12, 24, 24, 30, 36]: median 24, p75 30,
    // p90 = 30 + 0.6 × 6 = 33.6.
    let card = dora_card(&loose());
    check_value(&card, "dora.lead_time_for_changes_hours", 24.0, 5);
    check_entry(&card, "dora.lead_time_for_changes_hours", "p75", 30.0, 5);
    check_entry(&card, "dora.lead_time_for_changes_hours", "p90", 33.6, 5);
    // Elite is ≤ 24 h: met at the boundary.
    assert_eq!(
        metric(&card, "dora.lead_time_for_changes_hours").status,
        Status::Met
    );
}

#[test]
fn change_failure_rate_counts_every_failure_reason_once() {
    // Production deployments in the window: d1–d5 = 5. Failed: d2 (status) and d4 (an
    // incident names it and a hotfix follows it) = 2: 40 %.
    let card = dora_card(&loose());
    check_value(&card, "dora.change_failure_rate_pct", 40.0, 5);
    check_entry(
        &card,
        "dora.change_failure_rate_pct",
        "failed or rolled back",
        20.0,
        1,
    );
    check_entry(
        &card,
        "dora.change_failure_rate_pct",
        "caused an incident",
        20.0,
        1,
    );
    check_entry(
        &card,
        "dora.change_failure_rate_pct",
        "followed by a hotfix or rollback",
        20.0,
        1,
    );
    let m = metric(&card, "dora.change_failure_rate_pct");
    // ≤ 5 %: 5/40 = 0.125 attained.
    assert_eq!((m.status, m.attainment), (Status::Missed, Some(0.125)));
}

#[test]
fn recovery_time_takes_incidents_and_unnamed_failed_deployments() {
    // Incidents opened in the window: i0 4 h (it came before any deployment: still a
    // failure to restore), i1 2 h; i2 is unresolved and left out; i3 opened before the
    // window. Failed deployments no incident names: d2, restored by d3 6 h later (d4 is
    // counted through i1). Values [2, 4, 6]: median 4, n = 3.
    let card = dora_card(&MetricsConfig::default());
    check_value(&card, "dora.recovery_time_hours", 4.0, 3);
    check_entry(&card, "dora.recovery_time_hours", "incidents", 3.0, 2);
    check_entry(
        &card,
        "dora.recovery_time_hours",
        "failed deployments",
        6.0,
        1,
    );
    let m = metric(&card, "dora.recovery_time_hours");
    // n = 3 < min_sample 5: shown, flagged and not scored; ≤ 1 h elite: 1/4 missed.
    assert!(m.low_sample);
    assert_eq!(m.status, Status::Missed);
    assert!(!m.is_scored());
    assert!(has_note(
        &card,
        "dora.recovery_time_hours: 1 incident(s) opened in the window are unresolved"
    ));
    // The incident before any deployment is noted by linking, not dropped.
    assert!(
        card.notes
            .iter()
            .any(|n| n.starts_with("linking:") && n.contains("1 came before any successful")),
        "{:?}",
        card.notes
    );
}

#[test]
fn rework_rate_is_the_share_of_hotfix_and_rollback_deployments() {
    // d5 is a hotfix: 1 of 5 production deployments.
    let card = dora_card(&loose());
    check_value(&card, "dora.rework_rate_pct", 20.0, 5);
    assert_eq!(
        metric(&card, "dora.rework_rate_pct").status,
        Status::Context
    );
}

#[test]
fn no_deployments_in_the_window_is_insufficient_not_zero() {
    // Move the window a year ahead: every deployment is before it.
    let (records, graph) = dora_records();
    let mut data = dataset(records, graph, vec![]);
    data.window = Window {
        since: T0 + 365 * DAY,
        until: UNTIL + 365 * DAY,
    };
    let card = compute(&data, &loose());
    for id in [
        "dora.deployment_frequency",
        "dora.change_failure_rate_pct",
        "dora.rework_rate_pct",
        "dora.lead_time_for_changes_hours",
        "dora.recovery_time_hours",
    ] {
        let m = metric(&card, id);
        assert_eq!(m.value, None, "{id}");
        assert_eq!(m.status, Status::Insufficient, "{id}");
        assert!(m.reason.is_some(), "{id}");
    }
    assert!(
        reason_of(&card, "dora.change_failure_rate_pct").starts_with(
            "no production deployments in window 2027-05-04 → 2027-06-01 (6 deployment(s) imported, 5 of them to production"
        ),
        "{}",
        reason_of(&card, "dora.change_failure_rate_pct")
    );

    // With no deployment imported at all, the missing source is named.
    let mut data = dataset(Records::default(), vec![], vec![]);
    data.sources.deployments = 0;
    let card = compute(&data, &loose());
    assert_eq!(
        reason_of(&card, "dora.deployment_frequency"),
        "no deployments: import them with `plumb import deployments FILE`"
    );
}

// ---------------------------------------------------------------------------------------
// Flow, adoption of pull requests, outcomes and cost: one organisation.
// ---------------------------------------------------------------------------------------

/// Repository `api`: b0 (day −10, ana) on main; PR #1's branch commit f1 (day 1, ana) and
/// its merge m1 (day 3, parents b0 and f1); PR #2's squash commit s2 (day 5, ben, on m1).
///
/// | PR | author | created | ready | reviews | head check | merged | work item |
/// |---|---|---|---|---|---|---|---|
/// | #0 | ana | −17 | −16 | | | −5 | WEB-0 |
/// | #1 | ana | 0.75 | 1.5 | bob changes requested 2.0, carol approved 2.5 | f1 ci ✓ 2.25 | 3 (m1) | WEB-1 |
/// | #2 | ben | 4 | — | bob approved 4.5 | h2 ci ✓ 4.75 (and ✗ 4.6) | 5 (s2) | WEB-2 (title) |
/// | #3 | cy | 6 | — | bob approved 6.5 | | not merged | |
///
/// PR #2 is labelled `ai-assisted`; #3 has a body marker (but is not merged).
///
/// Deployments of `api`: p1 production m1 at 3.5; st2 staging s2 at 5.25; p2 production s2
/// at 6.
///
/// Work items: WEB-0 feature, customer request, created −20, released −10 (baseline);
/// WEB-1 feature created 0, started 0.5; WEB-2 bug, customer request, created 2, released
/// 7; WEB-3 chore created 8, done 10; WEB-4 spike created 9; WEB-5 feature created 11,
/// released 12.
///
/// Roster: ana, ben and carol in team web, bob in team api; cy is not on it.
fn org_records() -> (Records, Vec<CommitNode>) {
    let graph = vec![
        node("api", 10, &[], "ana@acme.test", -10.0),
        node("api", 11, &[10], "ana@acme.test", 1.0),
        node("api", 12, &[10, 11], "ana@acme.test", 3.0),
        node("api", 13, &[12], "ben@acme.test", 5.0),
    ];
    let mut pr0 = pr("acme/api", 0, "ana@acme.test", -17.0);
    pr0.ready_at = Some(day(-16.0));
    pr0.merged_at = Some(day(-5.0));
    pr0.work_items = vec!["WEB-0".into()];
    let mut pr1 = pr("acme/api", 1, "ana@acme.test", 0.75);
    pr1.ready_at = Some(day(1.5));
    pr1.merged_at = Some(day(3.0));
    pr1.head_sha = Some(sha(11));
    pr1.merge_sha = Some(sha(12));
    pr1.work_items = vec!["WEB-1".into()];
    let mut pr2 = pr("acme/api", 2, "ben@acme.test", 4.0);
    pr2.title = Some("WEB-2 fix the thing".into());
    pr2.merged_at = Some(day(5.0));
    pr2.head_sha = Some(sha(99));
    pr2.merge_sha = Some(sha(13));
    pr2.labels = vec!["ai-assisted".into()];
    let mut pr3 = pr("acme/api", 3, "cy@acme.test", 6.0);
    pr3.body_markers = vec!["Generated with Claude Code".into()];

    use ReviewState::*;
    let reviews = vec![
        review("acme/api", 1, "bob@acme.test", ChangesRequested, 2.0),
        review("acme/api", 1, "carol@acme.test", Approved, 2.5),
        review("acme/api", 2, "bob@acme.test", Approved, 4.5),
        review("acme/api", 3, "bob@acme.test", Approved, 6.5),
    ];
    let checks = vec![
        check("acme/api", &sha(11), CheckConclusion::Success, 2.25, true),
        check("acme/api", &sha(99), CheckConclusion::Failure, 4.6, true),
        check("acme/api", &sha(99), CheckConclusion::Success, 4.75, true),
    ];
    use DeployStatus::Success;
    let deployments = vec![
        deployment("p1", "acme/api", "production", 12, 3.5, Success, None),
        deployment("st2", "acme/api", "staging", 13, 5.25, Success, None),
        deployment("p2", "acme/api", "production", 13, 6.0, Success, None),
    ];
    let mut web0 = item("WEB-0", WorkType::Feature, -20.0);
    web0.released_at = Some(day(-10.0));
    web0.customer_request = Some(true);
    let mut web1 = item("WEB-1", WorkType::Feature, 0.0);
    web1.started_at = Some(day(0.5));
    let mut web2 = item("WEB-2", WorkType::Bug, 2.0);
    web2.released_at = Some(day(7.0));
    web2.customer_request = Some(true);
    let mut web3 = item("WEB-3", WorkType::Chore, 8.0);
    web3.done_at = Some(day(10.0));
    let web4 = item("WEB-4", WorkType::Spike, 9.0);
    let mut web5 = item("WEB-5", WorkType::Feature, 11.0);
    web5.released_at = Some(day(12.0));

    let people = vec![
        person("ana@acme.test", "web"),
        person("ben@acme.test", "web"),
        person("carol@acme.test", "web"),
        person("bob@acme.test", "api"),
    ];
    let records = Records {
        people,
        teams: vec![Team {
            team: "web".into(),
            ai_rollout_date: Some(date(-3)), // 2026-05-01
            profile: None,
            parent: None,
        }],
        work_items: vec![web0, web1, web2, web3, web4, web5],
        pull_requests: vec![pr0, pr1, pr2, pr3],
        reviews,
        checks,
        deployments,
        ..Records::default()
    };
    (records, graph)
}

fn org_card(config: &MetricsConfig) -> Scorecard {
    let (records, graph) = org_records();
    compute(&dataset(records, graph, vec![]), config)
}

#[test]
fn a_graph_indexed_by_the_caller_gives_the_same_report() {
    // The report indexes the commit graph while the records load and hands it over; the
    // result must be the one the metrics get indexing it themselves.
    for (records, graph) in [org_records(), dora_records()] {
        let data = dataset(records, graph, vec![]);
        let indexed = plumb_link::CommitGraph::from_nodes(&data.graph);
        assert!(!indexed.is_empty());
        let inputs = plumb_metrics::PhaseInputs::default();
        let own = plumb_metrics::compute_with_analysis(&data, &loose(), &inputs);
        let given = plumb_metrics::compute_with_analysis_on(&data, &indexed, &loose(), &inputs);
        let own = serde_json::to_string(&own).unwrap();
        assert_eq!(own, serde_json::to_string(&given).unwrap());
        // Indexed on another thread while the metrics start: they wait for it.
        let pending: std::sync::OnceLock<Option<plumb_link::CommitGraph>> =
            std::sync::OnceLock::new();
        let waited = std::thread::scope(|s| {
            s.spawn(|| {
                std::thread::sleep(std::time::Duration::from_millis(50));
                let _ = pending.set(Some(plumb_link::CommitGraph::from_nodes(&data.graph)));
            });
            let graph = || pending.wait().as_ref();
            plumb_metrics::compute_with_analysis_indexing(
                &data,
                &graph,
                &loose(),
                &inputs,
                plumb_metrics::Teardown::Free,
            )
        });
        assert_eq!(own, serde_json::to_string(&waited).unwrap());
        // An indexing that failed gives `None`: the metrics index the graph themselves (here
        // leaving what they built to the process's exit, which changes no figure).
        let failed = || None;
        let fallback = plumb_metrics::compute_with_analysis_indexing(
            &data,
            &failed,
            &loose(),
            &inputs,
            plumb_metrics::Teardown::Exit,
        );
        assert_eq!(own, serde_json::to_string(&fallback).unwrap());
    }
}

#[test]
fn stages_split_each_merged_pull_request_and_only_production_ships() {
    // PR #1: coding WEB-1 started 0.5 → ready 1.5 = 1 d; review 1.5 → approved 2.5 = 1 d;
    // testing: the check passed at 2.25, before the approval, so 0 d; deploy 2.5 → p1 at
    // 3.5 = 1 d.
    // PR #2: coding WEB-2 (no start: created 2) → ready (= created) 4 = 2 d; review 4 →
    // 4.5 = 0.5 d; testing 4.5 → 4.75 (the last successful required check) = 0.25 d;
    // deploy 4.75 → p2 at 6 = 1.25 d (the staging st2 at 5.25 does not count).
    // PR #3 is not merged and PR #0 merged before the window: neither counts.
    let card = org_card(&loose());
    check_value(&card, "process.stage.coding_days", 1.5, 2);
    check_value(&card, "process.stage.review_days", 0.75, 2);
    check_value(&card, "process.stage.testing_days", 0.125, 2);
    check_value(&card, "process.stage.deploy_days", 1.125, 2);
    // Medians sum to 3.5 d; coding is 1.5/3.5 = 42.857 % of it, the largest share.
    check_value(&card, "process.bottleneck", 150.0 / 3.5, 2);
    check_entry(&card, "process.bottleneck", "review", 75.0 / 3.5, 2);
    check_entry(&card, "process.bottleneck", "testing", 12.5 / 3.5, 2);
    check_entry(&card, "process.bottleneck", "deploy", 112.5 / 3.5, 2);
    assert!(has_note(
        &card,
        "process.bottleneck: the bottleneck is the coding stage"
    ));
    // Waiting for a first review: #1 1.5 → 2.0 = 0.5 d, #2 4 → 4.5 = 0.5 d.
    assert!(has_note(
        &card,
        "process.bottleneck: work queues before review: median wait for a first review 0.5 d"
    ));
}

#[test]
fn cycle_time_runs_from_creation_to_delivery_and_is_judged_against_the_baseline() {
    // Delivered in the window: WEB-1 by the production deployment of PR #1 (p1 at 3.5):
    // 3.5 d; WEB-2 released 7: 5 d; WEB-3 done 10: 2 d; WEB-5 released 12: 1 d.
    // Sorted [1, 2, 3.5, 5]: median 2.75. Features: [3.5, 1] → 2.25.
    // Baseline window: WEB-0, −20 → −10 = 10 d. Change (2.75 − 10) / 10 = −72.5 %, within
    // the −15 % target: met.
    let card = org_card(&loose());
    check_value(&card, "process.cycle_time_days", 2.75, 4);
    check_entry(&card, "process.cycle_time_days", "feature", 2.25, 2);
    check_entry(&card, "process.cycle_time_days", "bug", 5.0, 1);
    check_entry(&card, "process.cycle_time_days", "chore", 2.0, 1);
    let m = metric(&card, "process.cycle_time_days");
    assert_eq!(m.baseline, Some(10.0));
    assert!(close(m.change.unwrap(), -72.5));
    assert_eq!((m.status, m.attainment), (Status::Met, Some(1.0)));
    assert_eq!(m.reason, None);
    assert!(has_note(
        &card,
        "process.cycle_time_days: work items created → delivered: 2 by released_at, 1 by the production deployment of their pull requests, 1 by done_at"
    ));
}

#[test]
fn cycle_time_without_work_items_falls_back_to_pull_requests() {
    // No work items: PR #1 first commit f1 (day 1) → p1 at 3.5 = 2.5 d; PR #2's only
    // commit s2 (day 5) → p2 at 6 = 1 d. Median 1.75.
    let (mut records, graph) = org_records();
    records.work_items.clear();
    let card = compute(&dataset(records.clone(), graph.clone(), vec![]), &loose());
    check_value(&card, "process.cycle_time_days", 1.75, 2);
    assert!(has_note(
        &card,
        "process.cycle_time_days: no work items are imported: cycle time is pull request first commit → production"
    ));
    // Without deployments either: first commit → merge: 1 → 3 = 2 d, 5 → 5 = 0 d: 1 d.
    records.deployments.clear();
    let card = compute(&dataset(records, graph, vec![]), &loose());
    check_value(&card, "process.cycle_time_days", 1.0, 2);
    assert!(has_note(
        &card,
        "process.cycle_time_days: no work items are imported: cycle time is pull request first commit → merge (no production deployments are imported)"
    ));
}

#[test]
fn pull_request_adoption_rework_and_throughput() {
    // Merged in the window: #1 and #2. #2 carries the label `ai-assisted`: 50 %.
    let card = org_card(&loose());
    check_value(&card, "adoption.ai_assisted_prs_pct", 50.0, 2);
    check_entry(&card, "adoption.ai_assisted_prs_pct", "AI label", 50.0, 1);
    check_entry(
        &card,
        "adoption.ai_assisted_prs_pct",
        "AI-assisted commits",
        0.0,
        0,
    );
    // Rework: #1 had changes requested, #2 not: 1 of 2. AI-assisted #2: 0 %; #1: 100 %.
    check_value(&card, "process.pr_rework_pct", 50.0, 2);
    check_entry(&card, "process.pr_rework_pct", "AI-assisted", 0.0, 1);
    check_entry(&card, "process.pr_rework_pct", "not AI-assisted", 100.0, 1);
    // Active developers: ana and ben commit (f1, s2; the merge m1 does not count), cy
    // opened #3: 3 developers over 4 weeks. 2 merged / 12 developer-weeks; 4 delivered
    // work items / 12.
    check_value(&card, "process.throughput", 2.0 / 12.0, 2);
    check_entry(
        &card,
        "process.throughput",
        "work items delivered",
        4.0 / 12.0,
        4,
    );

    // An AI-assisted commit makes its pull request AI-assisted: f1 of PR #1.
    let (records, graph) = org_records();
    let mut data = dataset(records, graph, vec![]);
    data.ai_assisted.insert(sha(11));
    let card = compute(&data, &loose());
    check_value(&card, "adoption.ai_assisted_prs_pct", 100.0, 2);
    check_entry(
        &card,
        "adoption.ai_assisted_prs_pct",
        "AI-assisted commits",
        50.0,
        1,
    );
}

#[test]
fn defects_innovation_knowledge_and_collaboration() {
    let card = org_card(&loose());
    // Bugs created in the window: WEB-2 (a customer request) per 2 merged PRs: 50.
    check_value(&card, "quality.defect_rate", 50.0, 2);
    check_entry(&card, "quality.defect_rate", "customer-found", 50.0, 1);
    check_entry(&card, "quality.defect_rate", "internally found", 0.0, 0);
    // Created in the window: WEB-1…WEB-5, one spike: 20 %.
    check_value(&card, "sustainability.innovation_share_pct", 20.0, 5);
    // Reviews in the window by someone else than the author: on #1 bob (api, across) and
    // carol (web, same team as ana); on #2 bob (across); on #3 bob, but cy is not on the
    // roster (left out). 2 of 3 across teams.
    check_value(&card, "sustainability.collaboration", 200.0 / 3.0, 3);
    assert!(has_note(
        &card,
        "sustainability.collaboration: 1 review(s) with a reviewer or author not on the roster"
    ));
    // Knowledge health needs the window's commits (none given here).
    assert!(
        reason_of(&card, "sustainability.knowledge_health").starts_with("no commits"),
        "{}",
        reason_of(&card, "sustainability.knowledge_health")
    );
}

#[test]
fn defect_rate_uses_incidents_when_there_are_no_work_items() {
    // No work items: incidents opened in the window per 100 merged PRs. Two incidents,
    // one customer-impacting, per 2 PRs: 100; customer-found 50.
    let (mut records, graph) = org_records();
    records.work_items.clear();
    let mut x1 = incident("x1", 7.0, Some(8.0));
    x1.customer_impacting = Some(true);
    records.incidents = vec![x1, incident("x2", 9.0, Some(9.5))];
    let card = compute(&dataset(records, graph, vec![]), &loose());
    check_value(&card, "quality.defect_rate", 100.0, 2);
    check_entry(&card, "quality.defect_rate", "customer-found", 50.0, 1);
    assert!(has_note(
        &card,
        "quality.defect_rate: defects = incidents opened (no work items are imported)"
    ));
}

#[test]
fn features_and_customer_requests_are_judged_against_the_baseline_window() {
    let card = org_card(&loose());
    // Features delivered: WEB-1 and WEB-5 in the window, WEB-0 in the baseline window:
    // 2 vs 1 = +100 % ≥ +20 %: met.
    check_value(&card, "outcomes.features_delivered", 2.0, 2);
    let m = metric(&card, "outcomes.features_delivered");
    assert_eq!((m.baseline, m.change), (Some(1.0), Some(100.0)));
    assert_eq!(m.status, Status::Met);
    // Customer requests: WEB-2, 2 → 7 = 5 d; baseline WEB-0 10 d; "↓": −5 d, met.
    check_value(&card, "outcomes.request_to_production_days", 5.0, 1);
    let m = metric(&card, "outcomes.request_to_production_days");
    assert_eq!((m.baseline, m.change), (Some(10.0), Some(-5.0)));
    assert_eq!(m.status, Status::Met);
}

#[test]
fn customer_defects_per_release_and_a_baseline_without_data() {
    // Customer-impacting incidents opened in the window: x1; releases: p1 and p2: 0.5.
    // The baseline window has no release: the value stands but cannot be judged.
    let (mut records, graph) = org_records();
    let mut x1 = incident("x1", 7.0, Some(7.125));
    x1.customer_impacting = Some(true);
    records.incidents = vec![x1];
    let card = compute(&dataset(records, graph, vec![]), &loose());
    check_value(&card, "outcomes.customer_defects_per_release", 0.5, 2);
    let m = metric(&card, "outcomes.customer_defects_per_release");
    assert_eq!(m.status, Status::Insufficient);
    assert_eq!(m.baseline, None);
    assert!(
        m.reason
            .as_deref()
            .unwrap()
            .starts_with("no data in the baseline window (no successful production deployments in window 2026-04-06 → 2026-05-04"),
        "{:?}",
        m.reason
    );
}

/// The scorecard of the organisation's records and graph with one commit more: ben's,
/// AI-assisted, on day 5.
fn card_with_bens_ai_commit(records: Records, graph: Vec<CommitNode>) -> Scorecard {
    let commits = vec![commit_fact(
        "ben@acme.test",
        5.0,
        &[FileSpec("a.rs", 1, 0)],
        true,
    )];
    compute(&dataset(records, graph, commits), &loose())
}

#[test]
fn capability_users_without_per_person_telemetry_are_the_highest_daily_sum() {
    // Only team and organisation rows, while the history has people (ben's commit): the
    // value is the highest daily sum of their active users, day 4's 5 + 2 = 7, not a count
    // of people (there is no per-person row to count).
    let (mut records, graph) = org_records();
    records.ai_usage = vec![
        usage(UsageSubject::Team("web".into()), 4, Capability::Chat, 5),
        usage(UsageSubject::Org, 4, Capability::Completion, 2),
        usage(UsageSubject::Team("web".into()), 5, Capability::Chat, 3),
    ];
    let card = card_with_bens_ai_commit(records, graph);
    check_value(&card, "adoption.capability_usage", 7.0, 7);
    assert!(has_note(
        &card,
        "adoption.capability_usage: the value is the highest daily sum of active users"
    ));
}

#[test]
fn ai_users_come_from_telemetry_or_git() {
    // Active developers: ana, ben (commits), cy (PR #3): 3. Telemetry: ana used
    // completion; cy's row shows no use; bob used chat but is not an active developer.
    // Git: ben made an AI-assisted commit. AI users: ana and ben, 2 of 3.
    let (mut records, graph) = org_records();
    let mut ana = usage(
        UsageSubject::Person("ana@acme.test".into()),
        2,
        Capability::Completion,
        1,
    );
    ana.suggestions = Some(100);
    ana.acceptances = Some(30);
    records.ai_usage = vec![
        ana,
        usage(
            UsageSubject::Person("bob@acme.test".into()),
            3,
            Capability::Chat,
            1,
        ),
        usage(
            UsageSubject::Person("cy@acme.test".into()),
            3,
            Capability::Agent,
            0,
        ),
        usage(UsageSubject::Team("web".into()), 4, Capability::Chat, 5),
    ];
    let card = card_with_bens_ai_commit(records, graph);
    check_value(&card, "adoption.active_ai_users_pct", 200.0 / 3.0, 3);
    check_entry(
        &card,
        "adoption.active_ai_users_pct",
        "usage telemetry",
        100.0 / 3.0,
        1,
    );
    check_entry(
        &card,
        "adoption.active_ai_users_pct",
        "git signatures",
        100.0 / 3.0,
        1,
    );
    assert!(has_note(
        &card,
        "adoption.active_ai_users_pct: AI users counted from AI usage telemetry"
    ));
    // Capabilities: completion ana (acceptance 30 of 100); chat bob (person rows exist for
    // chat, so the team row does not count users); agent: nobody used it, and a group
    // below min_group_size (1) is left out. Distinct people: ana and bob.
    check_value(&card, "adoption.capability_usage", 2.0, 2);
    check_entry(
        &card,
        "adoption.capability_usage",
        "completion users",
        1.0,
        1,
    );
    check_entry(
        &card,
        "adoption.capability_usage",
        "completion acceptance %",
        30.0,
        100,
    );
    check_entry(&card, "adoption.capability_usage", "chat users", 1.0, 1);
    assert!(
        !metric(&card, "adoption.capability_usage")
            .breakdown
            .contains_key("agent users")
    );
}

#[test]
fn kpis_satisfaction_revenue_and_feature_adoption() {
    let (mut records, graph) = org_records();
    let mut adopted = kpi("adoption:web-1", 20, 35.0);
    adopted.unit = Some("percent".into());
    adopted.feature = Some("WEB-1".into());
    let mut not_adopted = kpi("adoption:web-5", 20, 0.1);
    not_adopted.feature = Some("WEB-5".into());
    records.kpis = vec![
        kpi("csat", -40, 70.0),
        kpi("csat", -10, 72.0),
        kpi("csat", 5, 75.0),
        kpi("csat", 20, 78.0),
        kpi("revenue", -10, 1800.0),
        kpi("revenue", 3, 1000.0),
        kpi("revenue", 17, 1200.0),
        kpi("activation", -5, 0.5),
        kpi("activation", 10, 0.55),
        adopted,
        not_adopted,
    ];
    let card = compute(&dataset(records, graph, vec![]), &loose());
    // CSAT: latest in the window 78, latest before it 72: +6 points ≥ +5: met.
    check_value(&card, "outcomes.customer_satisfaction", 78.0, 2);
    let m = metric(&card, "outcomes.customer_satisfaction");
    assert_eq!((m.baseline, m.change), (Some(72.0), Some(6.0)));
    assert_eq!(m.status, Status::Met);
    // KPI movement: csat 72 → 78 = +8.33 %, revenue 1800 → 1200 = −33.3 %, activation
    // 0.5 → 0.55 = +10 %: median +8.33 %.
    check_value(&card, "outcomes.kpi_movement", 100.0 / 12.0, 3);
    check_entry(&card, "outcomes.kpi_movement", "revenue", -100.0 / 3.0, 2);
    check_entry(&card, "outcomes.kpi_movement", "activation", 10.0, 1);
    // Feature adoption: WEB-1 at 35 % passes 20; WEB-5 at 0.1 (a ratio) misses 0.2: 50 %.
    check_value(&card, "outcomes.feature_adoption_pct", 50.0, 2);
    // Revenue per engineer: 1000 + 1200 over 3 active developers. Baseline window: 1800
    // over 1 (ana's b0 at −10; PR #0 by ana): 1800. "↑" missed: 733.3/1800 attained.
    check_value(&card, "cost.revenue_per_engineer", 2200.0 / 3.0, 3);
    let m = metric(&card, "cost.revenue_per_engineer");
    assert_eq!(m.baseline, Some(1800.0));
    assert_eq!(m.status, Status::Missed);
    assert!(close(m.attainment.unwrap(), 2200.0 / 3.0 / 1800.0));
}

fn with_costs(records: &mut Records) {
    use CostCategory::*;
    records.costs = vec![
        cost(5, AiTool, 3100.0),
        cost(5, CiCd, 620.0),
        cost(5, Training, 310.0),
        cost(5, Infrastructure, 1000.0),
    ];
}

fn value_model() -> ValueModel {
    ValueModel {
        average_feature_value: Some(10_000.0),
        loaded_cost_per_engineer_day: Some(800.0),
        currency: "EUR".into(),
        cost_per_incident_hour: Some(500.0),
    }
}

#[test]
fn costs_are_prorated_to_the_window() {
    // The window is 28 of May's 31 days: 28/31 of each May cost and 28/31 of a month.
    // AI tools: 3100 × 28/31 / (3 engineers × 28/31 months) = 3100/3 per engineer-month.
    let (mut records, graph) = org_records();
    with_costs(&mut records);
    let card = compute(&dataset(records, graph, vec![]), &loose());
    check_value(
        &card,
        "cost.ai_tool_cost_per_engineer_month",
        3100.0 / 3.0,
        3,
    );
    // Investment (AI tools, CI/CD, training; not infrastructure): 4030 a month,
    // annualised 48,360.
    check_value(&card, "cost.total_investment", 4030.0 * 12.0, 3);
    check_entry(&card, "cost.total_investment", "ci_cd", 620.0 * 12.0, 3);
    // Cost per feature: every cost, 5030 × 28/31, over 2 features. Baseline window
    // (April 6 – May 4): no April costs, May × 3/31, over WEB-0: 5030 × 3/31. "↓" missed,
    // attained (3/31) / (28/31 / 2) = 3/14.
    check_value(
        &card,
        "cost.cost_per_feature",
        5030.0 * 28.0 / 31.0 / 2.0,
        2,
    );
    let m = metric(&card, "cost.cost_per_feature");
    assert!(close(m.baseline.unwrap(), 5030.0 * 3.0 / 31.0));
    assert_eq!(m.status, Status::Missed);
    assert!(close(m.attainment.unwrap(), 3.0 / 14.0));
    // Without a value model, value and ROI say what is needed.
    assert!(
        reason_of(&card, "cost.value_created").starts_with("needs [value_model] in plumb.toml")
    );
    assert!(reason_of(&card, "cost.roi_pct").starts_with("needs [value_model] in plumb.toml"));
}

#[test]
fn value_created_and_roi_follow_the_value_model() {
    // Features: (2 in the window − 1 in the baseline window) × 10,000 = 10,000.
    // Engineering time: baseline coding stage PR #0 (WEB-0 created −20 → ready −16) 4 d,
    // window median 1.5 d: (4 − 1.5) × 2 merged PRs = 5 days × 800 = 4,000. Total 14,000.
    // ROI: investment in the window 4030 × 28/31; (14,000 − it) / it.
    let (mut records, graph) = org_records();
    with_costs(&mut records);
    let config = MetricsConfig {
        value_model: Some(value_model()),
        ..loose()
    };
    let card = compute(&dataset(records, graph, vec![]), &config);
    check_value(&card, "cost.value_created", 14_000.0, 2);
    check_entry(&card, "cost.value_created", "features", 10_000.0, 2);
    check_entry(&card, "cost.value_created", "engineering time", 4_000.0, 2);
    let invested = 4030.0 * 28.0 / 31.0;
    check_value(
        &card,
        "cost.roi_pct",
        100.0 * (14_000.0 - invested) / invested,
        2,
    );
    // Cumulative since the rollout (2026-05-01): May alone. The payback curve values the
    // features of the teams that rolled out against each team's pace in the 91 days
    // before its rollout: team web delivered WEB-0 (released Apr 24; placed through PR #0
    // by ana, of web) in [Jan 30, May 1), so its pace is 1/91 per day; in May it delivered
    // WEB-1 (PR #1 by ana, shipped May 7). WEB-5 has no team and no pull request, so no
    // team is credited with it. Value (1 − 31/91) × 10,000; May's investment 4030.
    let value = (1.0 - 31.0 / 91.0) * 10_000.0;
    check_entry(
        &card,
        "cost.roi_pct",
        "cumulative 2026-05",
        100.0 * (value - 4030.0) / 4030.0,
        1,
    );
    assert!(has_note(
        &card,
        "cost.roi_pct: payback month since the AI rollout (2026-05-01): month 1 (2026-05)"
    ));
    assert_eq!(metric(&card, "cost.roi_pct").status, Status::Met);
}

#[test]
fn incident_cost_counts_incidents_linked_to_ai_changes() {
    // x1 ai_related, 3 h; x2 names no deployment but falls 2 days after p2, which shipped
    // the AI-assisted s2: 1 h; x3 ai_related but unresolved (left out); x4 unrelated.
    // 4 h × 500 = 2,000, n = 2.
    let (mut records, graph) = org_records();
    let mut x1 = incident("x1", 7.0, Some(7.125));
    x1.ai_related = Some(true);
    let mut x2 = incident("x2", 8.0, Some(8.0 + 1.0 / 24.0));
    x2.repo = Some("api".into());
    let mut x3 = incident("x3", 9.0, None);
    x3.ai_related = Some(true);
    let x4 = incident("x4", 9.0, Some(10.0));
    records.incidents = vec![x1, x2, x3, x4];
    let mut data = dataset(records, graph, vec![]);
    data.ai_assisted.insert(sha(13));
    let config = MetricsConfig {
        value_model: Some(value_model()),
        ..loose()
    };
    let card = compute(&data, &config);
    check_value(&card, "cost.ai_incident_cost", 2_000.0, 2);
    assert!(has_note(
        &card,
        "cost.ai_incident_cost: 1 unresolved AI-linked incident(s) are left out"
    ));
}

// ---------------------------------------------------------------------------------------
// Quality, surveys, people.
// ---------------------------------------------------------------------------------------

/// Commits (repository `api`): in the window ana (AI-assisted) changes src/ui/Button.tsx
/// +30 −10 and src/lib.rs +50 −10; ben web/styles/app.css +10 and docs/guide.md +5; cy
/// Cargo.lock +500 −500 (excluded) and api/handler.go +100 −85; a merge. Changed lines:
/// 40 + 60 + 10 + 5 + 185 = 300 in 3 non-merge commits. In the baseline window dan adds
/// src/old.rs +100: 100 lines.
fn quality_commits() -> Vec<CommitFact> {
    let mut merge = commit_fact("ana@acme.test", 12.0, &[], false);
    merge.is_merge = true;
    vec![
        commit_fact(
            "ana@acme.test",
            1.0,
            &[
                FileSpec("src/ui/Button.tsx", 30, 10),
                FileSpec("src/lib.rs", 50, 10),
            ],
            true,
        ),
        commit_fact(
            "ben@acme.test",
            2.0,
            &[
                FileSpec("web/styles/app.css", 10, 0),
                FileSpec("docs/guide.md", 5, 0),
            ],
            false,
        ),
        commit_fact(
            "cy@acme.test",
            3.0,
            &[
                FileSpec("Cargo.lock", 500, 500),
                FileSpec("api/handler.go", 100, 85),
            ],
            false,
        ),
        merge,
        commit_fact(
            "dan@acme.test",
            -10.0,
            &[FileSpec("src/old.rs", 100, 0)],
            false,
        ),
    ]
}

fn quality_records() -> Records {
    use FindingKind::*;
    use Severity::*;
    let mut home = finding(Accessibility, High, "", 1.0, 8.0);
    home.path = None;
    home.url = Some("/home".into());
    let mut minor = finding(Accessibility, Low, "", 1.0, 1.0);
    minor.path = None;
    minor.url = Some("/home".into());
    let mut cart = finding(Accessibility, Critical, "", 8.0, 15.0);
    cart.path = None;
    cart.url = Some("/cart".into());
    Records {
        findings: vec![
            finding(Security, High, "src/lib.rs", 3.0, 20.0),
            finding(Security, Critical, "/repo/api/handler.go", 10.0, 10.0),
            finding(Security, Medium, "src/lib.rs", 5.0, 5.0),
            finding(Security, High, "src/old.rs", -5.0, -5.0),
            finding(Quality, Medium, "src/lib.rs", 2.0, 2.0),
            finding(Quality, Low, "api/handler.go", 20.0, 21.0),
            finding(Design, Medium, "./src/ui/Button.tsx", -3.0, 5.0),
            finding(Design, Medium, "src/ui/Other.tsx", 1.0, 5.0),
            home,
            minor,
            cart,
        ],
        survey: vec![
            survey("dev_satisfaction", 1, 5),
            survey("dev_satisfaction", 2, 4),
            survey("dev_satisfaction", 3, 3),
            survey("dev_satisfaction", 4, 2),
            survey("dev_satisfaction", 5, 4),
            survey("dev_satisfaction", -3, 1),
            survey("ai_satisfaction", 1, 5),
            survey("ai_satisfaction", 2, 5),
            survey("ai_satisfaction", 3, 4),
            survey("ai_satisfaction", 4, 3),
        ],
        ..Records::default()
    }
}

/// A finding's path meets an AI-assisted commit's file when they are equal or one ends
/// with `/` and the other (scanners write absolute paths), never by file name alone.
#[test]
fn security_findings_meet_ai_changed_files_by_path_or_path_suffix() {
    let mut commits = quality_commits();
    // cy's commit (api/handler.go) AI-assisted too: the absolute /repo/api/handler.go
    // finding is then in a file an AI-assisted commit changed.
    commits[2] = commit_fact(
        "cy@acme.test",
        3.0,
        &[
            FileSpec("Cargo.lock", 500, 500),
            FileSpec("api/handler.go", 100, 85),
        ],
        true,
    );
    let card = compute(&dataset(quality_records(), vec![], commits), &loose());
    assert!(has_note(
        &card,
        "quality.security_findings: 2 of 2 new finding(s) (100%) are in files an AI-assisted commit changed"
    ));
    // A file of the same name elsewhere (x/lib.rs) is not src/lib.rs.
    let mut commits = quality_commits();
    commits[0] = commit_fact("ana@acme.test", 1.0, &[FileSpec("x/lib.rs", 50, 10)], true);
    let card = compute(&dataset(quality_records(), vec![], commits), &loose());
    assert!(has_note(
        &card,
        "quality.security_findings: 0 of 2 new finding(s) (0%) are in files an AI-assisted commit changed"
    ));
}

#[test]
fn findings_per_thousand_changed_lines_with_baselines() {
    let card = compute(
        &dataset(quality_records(), vec![], quality_commits()),
        &loose(),
    );
    // Security: high/critical first seen in the window: src/lib.rs (3) and handler.go
    // (10); the medium does not count: 2 per 300 lines = 6.67 per 1,000, n = 3 commits.
    // Baseline: 1 (src/old.rs at −5) per 100 lines = 10. "↓": −3.33, met.
    check_value(&card, "quality.security_findings", 2000.0 / 300.0, 3);
    let m = metric(&card, "quality.security_findings");
    assert_eq!(m.baseline, Some(10.0));
    assert!(close(m.change.unwrap(), 2000.0 / 300.0 - 10.0));
    assert_eq!(m.status, Status::Met);
    // One of the two is in a file the AI-assisted commit changed (src/lib.rs).
    assert!(has_note(
        &card,
        "quality.security_findings: 1 of 2 new finding(s) (50%) are in files an AI-assisted commit changed"
    ));
    // Quality: 2 per 300 lines; baseline 0 per 100: worse, attained 0/6.67 = 0: missed.
    check_value(&card, "quality.code_quality_trend", 2000.0 / 300.0, 3);
    let m = metric(&card, "quality.code_quality_trend");
    assert_eq!((m.baseline, m.status), (Some(0.0), Status::Missed));
    assert_eq!(m.attainment, Some(0.0));
}

#[test]
fn accessibility_design_knowledge_and_surveys() {
    let card = compute(
        &dataset(quality_records(), vec![], quality_commits()),
        &loose(),
    );
    // Scans: (/home, day 1), (/home, day 8), (/cart, day 8), (/cart, day 15) = 4.
    // Serious or critical first seen in the window: /home high, /cart critical = 2: 0.5.
    // The baseline window has no scan: shown, not judged.
    check_value(&card, "quality.accessibility_failures", 0.5, 4);
    let m = metric(&card, "quality.accessibility_failures");
    assert_eq!(m.status, Status::Insufficient);
    assert!(
        m.reason
            .as_deref()
            .unwrap()
            .starts_with("no data in the baseline window (no accessibility scans"),
        "{:?}",
        m.reason
    );
    // UI files changed: src/ui/Button.tsx (flagged by a design finding written
    // ./src/ui/Button.tsx) and web/styles/app.css: 1 of 2 compliant.
    check_value(&card, "quality.design_system_compliance_pct", 50.0, 2);
    // Knowledge: ben's commit touches docs/: 1 of 3 non-merge commits in the window.
    check_value(&card, "sustainability.knowledge_health", 100.0 / 3.0, 3);
    // Surveys in the window: dev 5, 4, 3, 2, 4 → 3 of 5 = 60 %; AI 5, 5, 4, 3 → 75 %.
    check_value(&card, "sustainability.developer_satisfaction_pct", 60.0, 5);
    check_value(&card, "adoption.ai_satisfaction_pct", 75.0, 4);
    assert_eq!(
        metric(&card, "adoption.ai_satisfaction_pct").status,
        Status::Met
    );
    // 60/75 = 0.8 of the target: near (the boundary belongs to near).
    assert_eq!(
        metric(&card, "sustainability.developer_satisfaction_pct").status,
        Status::Near
    );
}

fn roster() -> Vec<Person> {
    let mut people: Vec<Person> = ["a", "b", "c", "d", "e", "f", "g"]
        .iter()
        .map(|p| {
            let mut x = person(&format!("{p}@acme.test"), "web");
            x.start_date = Some("2020-01-01".parse().unwrap());
            x
        })
        .collect();
    // f leaves on day 10; g joins on day 3 (not employed on the first day).
    people[5].end_date = Some(date(10));
    people[6].start_date = Some(date(3));
    for p in &mut people[..2] {
        p.level = Some(Level::Junior);
    }
    for p in &mut people[2..4] {
        p.level = Some(Level::Senior);
    }
    people
}

#[test]
fn retention_is_annualised_and_needs_enough_people() {
    // Employed on the first day: a–f (6); on the last: 5. (5/6)^(365/28) × 100 ≈ 9.3 %.
    let records = Records {
        people: roster(),
        ..Records::default()
    };
    let data = dataset(records, vec![], vec![]);
    let card = compute(&data, &loose());
    let expected = 100.0 * (5.0f64 / 6.0).powf(365.0 / 28.0);
    check_value(&card, "sustainability.retention_pct", expected, 6);
    check_entry(
        &card,
        "sustainability.retention_pct",
        "team web",
        expected,
        6,
    );
    // Fewer people than the group minimum: suppressed, with the reason.
    let config = MetricsConfig {
        min_group_size: 7,
        ..loose()
    };
    let card = compute(&data, &config);
    assert_eq!(metric(&card, "sustainability.retention_pct").value, None);
    assert!(reason_of(&card, "sustainability.retention_pct").starts_with(
        "suppressed: 6 people employed on the window's first day, fewer than privacy.min_group_size (7)"
    ));
}

#[test]
fn skill_growth_by_band_flags_divergence() {
    // a (junior) 50 a year before → 60: +20 %; b (junior) 50 ten months before → 56:
    // +12 %; c (senior) 80 → 80: 0 %; d (senior) 80 → 88: +10 %; e has no earlier score;
    // f's earlier score is 20 months before (outside 9–15 months). Mean (20 + 12 + 0 +
    // 10) / 4 = 10.5. Juniors 16, seniors 5: 11 points apart, flagged.
    let skill = |p: &str, d: Date, score: f64| SkillAssessment {
        person: format!("{p}@acme.test"),
        date: d,
        score,
    };
    let now = date(5);
    let skills = vec![
        skill("a", now, 60.0),
        skill("a", "2025-05-09".parse().unwrap(), 50.0),
        skill("a", "2025-01-09".parse().unwrap(), 10.0), // 16 months before: ignored
        skill("b", now, 56.0),
        skill("b", "2025-07-09".parse().unwrap(), 50.0),
        skill("c", now, 80.0),
        skill("c", "2025-05-20".parse().unwrap(), 80.0),
        skill("d", now, 88.0),
        skill("d", "2025-04-20".parse().unwrap(), 80.0),
        skill("e", now, 70.0),
        skill("f", now, 70.0),
        skill("f", "2024-09-09".parse().unwrap(), 35.0),
    ];
    let records = Records {
        people: roster(),
        skills,
        ..Records::default()
    };
    let config = MetricsConfig {
        min_group_size: 2,
        ..loose()
    };
    let card = compute(&dataset(records, vec![], vec![]), &config);
    check_value(&card, "sustainability.skill_growth_pct", 10.5, 4);
    check_entry(&card, "sustainability.skill_growth_pct", "junior", 16.0, 2);
    check_entry(&card, "sustainability.skill_growth_pct", "senior", 5.0, 2);
    assert!(has_note(
        &card,
        "sustainability.skill_growth_pct: divergence between seniority bands: junior grew 16.0% and senior 5.0%"
    ));
    // 10.5 of 15: 0.7, missed.
    assert_eq!(
        metric(&card, "sustainability.skill_growth_pct").status,
        Status::Missed
    );
}

#[test]
fn an_empty_window_gives_reasons_not_zeros() {
    // Every record of the organisation, and a window a year later where nothing happened.
    let (mut records, graph) = org_records();
    with_costs(&mut records);
    records.findings = quality_records().findings;
    records.survey = quality_records().survey;
    let mut data = dataset(records, graph, quality_commits());
    data.window = Window {
        since: T0 + 365 * DAY,
        until: UNTIL + 365 * DAY,
    };
    let config = MetricsConfig {
        value_model: Some(value_model()),
        ..loose()
    };
    let card = compute(&data, &config);
    for m in &card.metrics {
        assert_eq!(m.value, None, "{} has a value in an empty window", m.id);
        assert!(m.reason.is_some(), "{}", m.id);
        assert_eq!(m.status, Status::Insufficient, "{}", m.id);
    }
    assert_eq!(card.overall.score, None);
}

#[test]
fn the_demo_shape_scores_every_dimension() {
    // All fixtures together give every dimension at least one metric with data.
    let (mut records, graph) = org_records();
    with_costs(&mut records);
    let q = quality_records();
    records.findings = q.findings;
    records.survey = q.survey;
    records.kpis = vec![kpi("csat", -10, 72.0), kpi("csat", 20, 78.0)];
    let config = MetricsConfig {
        value_model: Some(value_model()),
        ..loose()
    };
    let card = compute(&dataset(records, graph, quality_commits()), &config);
    for d in &card.dimensions {
        assert!(d.metrics_with_data > 0, "{:?} has no data", d.dimension);
    }
    // Five scored dimensions make a verdict.
    assert_eq!(card.overall.dimensions_with_score, 5);
    assert!(
        !card.assessment.starts_with("Not enough data"),
        "{}",
        card.assessment
    );
}

#[test]
fn a_person_with_two_emails_is_one_active_developer() {
    // Ana commits from her work address and her forge no-reply address; the roster lists
    // both. Bo is not on the roster: his email is his identity.
    let mut ana = person("ana@acme.test", "payments");
    ana.emails.push("ana@users.noreply.github.com".into());
    let records = Records {
        people: vec![ana],
        ..Records::default()
    };
    let commits = vec![
        commit_fact("ana@acme.test", 1.0, &[], true),
        commit_fact("ana@users.noreply.github.com", 2.0, &[], false),
        commit_fact("bo@acme.test", 3.0, &[], false),
    ];
    let card = compute(&dataset(records, vec![], commits), &loose());
    assert_eq!(card.activity.active_developers, 2);
    // Ana used AI, Bo did not: 1 of 2.
    check_value(&card, "adoption.active_ai_users_pct", 50.0, 2);
}
