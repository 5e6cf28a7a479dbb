//! Fixture helpers shared by the integration tests built on imported records (`org.rs`,
//! `analysis.rs`): record builders, commit facts, datasets over the fixture window and the
//! assertions on a scorecard's figures.
//!
//! Every fixture uses the window [2026-05-04, 2026-06-01): 28 days, four whole ISO weeks
//! (2026-05-04 is a Monday), entirely inside May. Its baseline window is
//! [2026-04-06, 2026-05-04). `day(d)` is the instant `d` days after the window starts
//! (negative days are before it).
//!
//! Each test binary uses only some of the helpers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use jiff::Timestamp;
use jiff::civil::Date;
use plumb_link::CommitNode;
use plumb_metrics::{
    CommitFact, Dataset, MetricResult, MetricsConfig, Records, Scorecard, SourceInventory, Window,
};
use plumb_model::records::{
    AiUsage, Capability, Check, CheckConclusion, Cost, CostCategory, DeployKind, DeployStatus,
    Deployment, Finding, FindingKind, Incident, KpiPoint, Month, Person, PullRequest, Review,
    ReviewState, Severity, SurveyResponse, UsageSubject, WorkItem, WorkType,
};
use plumb_model::{
    AiKind, Detection, EvidenceField, FileChange, GitTime, IdentityClass, LineStats,
};

pub const T0: i64 = 1_777_852_800; // 2026-05-04T00:00:00Z, a Monday
pub const DAY: i64 = 86_400;
pub const UNTIL: i64 = T0 + 28 * DAY;

pub fn secs(d: f64) -> i64 {
    T0 + (d * DAY as f64).round() as i64
}

pub fn day(d: f64) -> Timestamp {
    Timestamp::from_second(secs(d)).unwrap()
}

pub fn date(d: i64) -> Date {
    day(d as f64)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

pub fn sha(n: u32) -> String {
    format!("{n:040x}")
}

pub fn node(repo: &str, n: u32, parents: &[u32], email: &str, d: f64) -> CommitNode {
    CommitNode {
        repo: repo.into(),
        id: sha(n).into(),
        parents: parents.iter().map(|p| sha(*p)).collect(),
        author_email: email.into(),
        author_time: secs(d),
    }
}

pub fn deployment(
    id: &str,
    repo: &str,
    env: &str,
    commit: u32,
    d: f64,
    status: DeployStatus,
    kind: Option<DeployKind>,
) -> Deployment {
    Deployment {
        id: id.into(),
        repo: repo.into(),
        environment: env.into(),
        sha: sha(commit),
        started_at: None,
        finished_at: day(d),
        status,
        kind,
        service: None,
    }
}

pub fn incident(id: &str, opened: f64, resolved: Option<f64>) -> Incident {
    Incident {
        id: id.into(),
        service: None,
        repo: None,
        severity: None,
        opened_at: day(opened),
        resolved_at: resolved.map(day),
        caused_by_deployment: None,
        customer_impacting: None,
        ai_related: None,
    }
}

pub fn pr(repo: &str, number: u64, author: &str, created: f64) -> PullRequest {
    PullRequest {
        repo: repo.into(),
        number,
        author: author.into(),
        title: None,
        created_at: day(created),
        ready_at: None,
        merged_at: None,
        closed_at: None,
        base: None,
        head_branch: None,
        head_sha: None,
        merge_sha: None,
        labels: vec![],
        additions: None,
        deletions: None,
        work_items: vec![],
        body_markers: vec![],
    }
}

pub fn review(repo: &str, number: u64, reviewer: &str, state: ReviewState, d: f64) -> Review {
    Review {
        repo: repo.into(),
        number,
        reviewer: reviewer.into(),
        state,
        submitted_at: day(d),
    }
}

pub fn check(repo: &str, on: &str, conclusion: CheckConclusion, d: f64, required: bool) -> Check {
    Check {
        repo: repo.into(),
        sha: on.into(),
        name: "ci".into(),
        conclusion,
        started_at: None,
        completed_at: day(d),
        required: Some(required),
    }
}

pub fn item(key: &str, kind: WorkType, created: f64) -> WorkItem {
    WorkItem {
        key: key.into(),
        kind,
        title: None,
        team: None,
        created_at: day(created),
        started_at: None,
        done_at: None,
        released_at: None,
        customer_request: None,
        labels: vec![],
        linked_prs: vec![],
    }
}

pub fn person(email: &str, team: &str) -> Person {
    Person {
        name: email.into(),
        emails: vec![email.into()],
        logins: vec![],
        team: team.into(),
        level: None,
        career_start: None,
        start_date: None,
        end_date: None,
    }
}

pub fn kpi(name: &str, d: i64, value: f64) -> KpiPoint {
    KpiPoint {
        kpi: name.into(),
        date: date(d),
        value,
        unit: None,
        feature: None,
    }
}

pub fn finding(
    kind: FindingKind,
    severity: Severity,
    path: &str,
    first: f64,
    last: f64,
) -> Finding {
    Finding {
        kind,
        tool: "scanner".into(),
        rule: "r".into(),
        severity,
        path: Some(path.into()),
        line: None,
        url: None,
        message: None,
        first_seen: day(first),
        last_seen: day(last),
        fingerprint: format!("{path}-{first}-{last}-{severity:?}"),
    }
}

pub fn survey(question: &str, d: i64, score: u8) -> SurveyResponse {
    SurveyResponse {
        date: date(d),
        respondent: None,
        team: "web".into(),
        question: question.into(),
        score,
    }
}

pub fn cost(month: u8, category: CostCategory, amount: f64) -> Cost {
    Cost {
        month: Month {
            year: 2026,
            month: month as i8,
        },
        category,
        item: format!("{category}"),
        amount,
        currency: "EUR".into(),
        seats: None,
    }
}

pub fn usage(who: UsageSubject, d: i64, capability: Capability, active: u64) -> AiUsage {
    AiUsage {
        date: date(d),
        who,
        tool: "copilot".into(),
        capability,
        active: Some(active),
        suggestions: None,
        acceptances: None,
        lines_suggested: None,
        lines_accepted: None,
    }
}

pub struct FileSpec<'a>(pub &'a str, pub u32, pub u32);

pub fn commit_fact(author: &str, d: f64, files: &[FileSpec<'_>], ai: bool) -> CommitFact {
    CommitFact {
        repo: "api".into(),
        id: format!("{author}-{d}").into(),
        author_key: author.into(),
        author_class: IdentityClass::Person,
        time: GitTime {
            seconds: secs(d),
            offset_minutes: 0,
        },
        is_merge: false,
        files: files
            .iter()
            .map(|f| FileChange {
                path: f.0.into(),
                stats: LineStats::Text {
                    added: f.1,
                    deleted: f.2,
                },
            })
            .collect(),
        detections: if ai {
            vec![Detection {
                tool: "claude-code".into(),
                kind: AiKind::Authored,
                field: EvidenceField::Trailer,
                evidence: "Co-authored-by: Claude".into(),
            }]
        } else {
            vec![]
        },
    }
}

/// A dataset over the window with the inventory filled from the records.
pub fn dataset(records: Records, graph: Vec<CommitNode>, commits: Vec<CommitFact>) -> Dataset {
    let sources = SourceInventory::of(&records, 1);
    Dataset {
        window: Window {
            since: T0,
            until: UNTIL,
        },
        commits,
        sources,
        records,
        graph,
        ai_assisted: Default::default(),
        config_teams: Vec::new(),
        churn: None,
    }
}

pub fn loose() -> MetricsConfig {
    MetricsConfig {
        min_sample: 1,
        min_group_size: 1,
        ..MetricsConfig::default()
    }
}

pub fn metric<'a>(card: &'a Scorecard, id: &str) -> &'a MetricResult {
    card.metrics.iter().find(|m| m.id == id).unwrap()
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[track_caller]
pub fn check_value(card: &Scorecard, id: &str, expected: f64, n: u64) {
    let m = metric(card, id);
    let v = m
        .value
        .unwrap_or_else(|| panic!("{id} has no value: {:?}", m.reason));
    assert!(close(v, expected), "{id}: {v} ≠ {expected}");
    assert_eq!(m.n, n, "{id}: n");
}

#[track_caller]
pub fn check_entry(card: &Scorecard, id: &str, key: &str, expected: f64, n: u64) {
    let m = metric(card, id);
    let e = m
        .breakdown
        .get(key)
        .unwrap_or_else(|| panic!("{id} has no {key}: {:?}", m.breakdown));
    assert!(
        close(e.value, expected),
        "{id}/{key}: {} ≠ {expected}",
        e.value
    );
    assert_eq!(e.n, n, "{id}/{key}: n");
}

#[track_caller]
pub fn reason_of<'a>(card: &'a Scorecard, id: &str) -> &'a str {
    metric(card, id).reason.as_deref().unwrap_or("")
}

pub fn has_note(card: &Scorecard, start: &str) -> bool {
    card.notes.iter().any(|n| n.starts_with(start))
}
