#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `compute` on hand-built datasets whose figures are worked out in the comments.

use plumb_metrics::{
    CommitFact, Dataset, Dimension, MetricResult, MetricsConfig, Scorecard, SourceInventory,
    Status, TargetBasis, Window, catalogue, compute,
};
use plumb_model::{
    AiKind, Detection, EvidenceField, FileChange, GitTime, IdentityClass, LineStats,
};

const SINCE: i64 = 1_777_680_000; // 2026-05-02T00:00:00Z
const UNTIL: i64 = SINCE + 90 * 86_400;

/// A commit builder: `person("ana")`, `agent("copilot-swe-agent")`, `bot("dependabot")`.
struct C(CommitFact);

fn commit(key: &str, class: IdentityClass) -> C {
    C(CommitFact {
        repo: "web".into(),
        id: format!("{key}-{}", rand_id()).into(),
        author_key: format!("{key}@acme.test").into(),
        author_class: class,
        time: GitTime {
            seconds: SINCE + 3_600,
            offset_minutes: 0,
        },
        is_merge: false,
        files: vec![],
        detections: vec![],
    })
}

fn rand_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn person(key: &str) -> C {
    commit(key, IdentityClass::Person)
}

fn agent(tool: &str) -> C {
    commit(tool, IdentityClass::AiAgent { tool: tool.into() })
}

fn bot(key: &str) -> C {
    commit(key, IdentityClass::Bot)
}

impl C {
    fn tool(mut self, tool: &str) -> Self {
        self.0.detections.push(Detection {
            tool: tool.into(),
            kind: AiKind::Authored,
            field: EvidenceField::Trailer,
            evidence: format!("Co-authored-by: {tool}"),
        });
        self
    }

    fn review_suggestion(mut self, tool: &str) -> Self {
        self.0.detections.push(Detection {
            tool: tool.into(),
            kind: AiKind::ReviewSuggestion,
            field: EvidenceField::Trailer,
            evidence: format!("Co-authored-by: {tool}"),
        });
        self
    }

    fn file(mut self, path: &str, added: u32, deleted: u32) -> Self {
        self.0.files.push(FileChange {
            path: path.into(),
            stats: LineStats::Text { added, deleted },
        });
        self
    }

    fn binary(mut self, path: &str) -> Self {
        self.0.files.push(FileChange {
            path: path.into(),
            stats: LineStats::Binary,
        });
        self
    }

    fn merge(mut self) -> Self {
        self.0.is_merge = true;
        self
    }

    fn at(mut self, seconds: i64) -> Self {
        self.0.time.seconds = seconds;
        self
    }
}

fn dataset(commits: Vec<C>) -> Dataset {
    Dataset {
        window: Window {
            since: SINCE,
            until: UNTIL,
        },
        commits: commits.into_iter().map(|c| c.0).collect(),
        sources: SourceInventory {
            git_repos: 1,
            ..SourceInventory::default()
        },
        records: Default::default(),
        graph: Vec::new(),
        ai_assisted: Default::default(),
        config_teams: Vec::new(),
        churn: None,
    }
}

fn loose() -> MetricsConfig {
    MetricsConfig {
        min_sample: 1,
        min_group_size: 1,
        ..MetricsConfig::default()
    }
}

fn metric<'a>(card: &'a Scorecard, id: &str) -> &'a MetricResult {
    card.metrics
        .iter()
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("no metric {id}"))
}

fn value(card: &Scorecard, id: &str) -> (Option<f64>, u64, Option<f64>, Option<f64>) {
    let m = metric(card, id);
    (m.value, m.n, m.numerator, m.denominator)
}

fn breakdown(card: &Scorecard, id: &str) -> Vec<(String, f64, u64)> {
    metric(card, id)
        .breakdown
        .iter()
        .map(|(k, e)| (k.clone(), e.value, e.n))
        .collect()
}

const COMMITS: &str = "adoption.ai_assisted_commits_pct";
const SHARE: &str = "adoption.ai_code_share_pct";
const USERS: &str = "adoption.active_ai_users_pct";

#[test]
fn bots_are_excluded_from_both_sides() {
    // 2 person commits, 1 AI-assisted; 3 bot commits (one even carrying an AI signature).
    let card = compute(
        &dataset(vec![
            person("ana").tool("claude-code").file("a.rs", 10, 0),
            person("bo").file("b.rs", 30, 2),
            bot("dependabot").file("Cargo.toml", 1, 1),
            bot("renovate").file("package.json", 2, 2),
            bot("release")
                .tool("claude-code")
                .file("CHANGELOG.md", 5, 0),
        ]),
        &loose(),
    );
    assert_eq!(value(&card, COMMITS), (Some(50.0), 2, Some(1.0), Some(2.0)));
    assert_eq!(value(&card, SHARE), (Some(25.0), 2, Some(10.0), Some(40.0)));
    assert_eq!(value(&card, USERS), (Some(50.0), 2, Some(1.0), Some(2.0)));
    assert_eq!(card.activity.commits, 2);
    assert_eq!(card.activity.bot_commits, 3);
    assert_eq!(card.activity.active_developers, 2);
    assert_eq!(
        (card.activity.lines_added, card.activity.lines_deleted),
        (40, 2)
    );
}

#[test]
fn agent_commits_are_ai_assisted_but_the_agent_is_not_a_developer() {
    // ana (no AI), bo (AI), and two commits by the copilot agent itself.
    let card = compute(
        &dataset(vec![
            person("ana").file("a.rs", 10, 0),
            person("bo").tool("claude-code").file("b.rs", 10, 0),
            agent("copilot").file("c.rs", 20, 0),
            agent("copilot").file("d.rs", 20, 0),
        ]),
        &loose(),
    );
    // 3 AI-assisted of 4 commits; 50 of 60 lines.
    assert_eq!(value(&card, COMMITS), (Some(75.0), 4, Some(3.0), Some(4.0)));
    let (share, n, num, den) = value(&card, SHARE);
    assert_eq!((n, num, den), (4, Some(50.0), Some(60.0)));
    assert!((share.unwrap() - 250.0 / 3.0).abs() < 1e-9);
    // Developers: ana and bo only; the agent is not one.
    assert_eq!(value(&card, USERS), (Some(50.0), 2, Some(1.0), Some(2.0)));
    assert_eq!(card.activity.active_developers, 2);
    assert_eq!(card.activity.ai_by_tool.get("copilot"), Some(&2));
    assert_eq!(
        breakdown(&card, COMMITS),
        vec![
            ("claude-code".to_string(), 25.0, 1),
            ("copilot".to_string(), 50.0, 2)
        ]
    );
    // The agent-only tool has no users among developers.
    assert_eq!(
        breakdown(&card, USERS),
        vec![("claude-code".to_string(), 50.0, 1)]
    );
}

#[test]
fn a_commit_with_two_tools_counts_once_in_total_and_once_per_tool() {
    let card = compute(
        &dataset(vec![
            person("ana")
                .tool("claude-code")
                .tool("cursor")
                .file("a.rs", 30, 0),
            person("bo").tool("cursor").file("b.rs", 10, 0),
            person("cy").file("c.rs", 60, 0),
            // The same tool twice on one commit is still one commit for that tool.
            person("cy").tool("aider").tool("aider").file("d.rs", 0, 4),
        ]),
        &loose(),
    );
    assert_eq!(value(&card, COMMITS), (Some(75.0), 4, Some(3.0), Some(4.0)));
    assert_eq!(
        breakdown(&card, COMMITS),
        vec![
            ("aider".to_string(), 25.0, 1),
            ("claude-code".to_string(), 25.0, 1),
            ("cursor".to_string(), 50.0, 2)
        ]
    );
    // 40 of 100 lines; the aider commit adds none, so it is not in n.
    assert_eq!(
        value(&card, SHARE),
        (Some(40.0), 3, Some(40.0), Some(100.0))
    );
    assert_eq!(
        breakdown(&card, SHARE),
        vec![
            ("aider".to_string(), 0.0, 0),
            ("claude-code".to_string(), 30.0, 1),
            ("cursor".to_string(), 40.0, 2)
        ]
    );
    assert_eq!(card.activity.ai_assisted_commits, 3);
    assert_eq!(card.activity.ai_by_tool.get("cursor"), Some(&2));
    assert_eq!(card.activity.ai_by_tool.get("claude-code"), Some(&1));
}

#[test]
fn lock_vendored_generated_and_configured_files_are_left_out_of_code_share() {
    let config = MetricsConfig {
        excluded_paths: vec!["fixtures/**".into(), "*.svg".into()],
        ..loose()
    };
    let card = compute(
        &dataset(vec![
            person("ana")
                .tool("claude-code")
                .file("src/a.rs", 10, 0)
                .file("Cargo.lock", 900, 300)
                .file("web/package-lock.json", 5_000, 0)
                .file("vendor/x/y.go", 700, 0)
                .file("src/generated/api.rs", 400, 0)
                .file("fixtures/big.json", 100, 0)
                .file("assets/logo.svg", 50, 0)
                .binary("assets/logo.png"),
            person("bo").file("src/b.rs", 30, 5).file("go.sum", 80, 0),
        ]),
        &config,
    );
    assert_eq!(value(&card, SHARE), (Some(25.0), 2, Some(10.0), Some(40.0)));
    assert_eq!(
        (card.activity.lines_added, card.activity.lines_deleted),
        (40, 5)
    );
}

#[test]
fn merges_and_review_suggestions_are_activity_only() {
    let card = compute(
        &dataset(vec![
            person("ana").file("a.rs", 10, 0),
            person("bo")
                .review_suggestion("coderabbit")
                .file("b.rs", 10, 0),
            person("ana").merge(),
            bot("release").merge(),
        ]),
        &loose(),
    );
    assert_eq!(value(&card, COMMITS), (Some(0.0), 2, Some(0.0), Some(2.0)));
    assert_eq!(value(&card, USERS), (Some(0.0), 2, Some(0.0), Some(2.0)));
    assert_eq!(card.activity.merge_commits, 2);
    assert_eq!(card.activity.review_suggestion_commits, 1);
    assert_eq!(card.activity.ai_assisted_commits, 0);
}

#[test]
fn an_empty_window_has_no_adoption_figures_not_zeros() {
    let card = compute(&dataset(vec![]), &MetricsConfig::default());
    for id in [COMMITS, SHARE, USERS] {
        let m = metric(&card, id);
        assert_eq!(m.value, None, "{id}");
        assert_eq!(m.n, 0, "{id}");
        assert_eq!(m.status, Status::Insufficient, "{id}");
        assert_eq!(m.reason.as_deref(), Some("no commits in window"), "{id}");
        assert!(!m.low_sample, "{id}");
    }
    assert!(card.dimensions.iter().all(|d| d.score.is_none()));
    assert_eq!(card.overall.score, None);
    assert_eq!(card.activity.commits, 0);
    assert!(
        card.assessment.starts_with(
            "Not enough data for an overall assessment: no dimension has a score yet (add "
        ),
        "{}",
        card.assessment
    );
}

#[test]
fn only_bot_commits_is_not_zero_either() {
    let card = compute(
        &dataset(vec![bot("dependabot").file("Cargo.toml", 1, 1)]),
        &loose(),
    );
    let m = metric(&card, COMMITS);
    assert_eq!(m.value, None);
    assert!(
        m.reason
            .as_deref()
            .unwrap()
            .starts_with("no commits by people or AI agents"),
        "{:?}",
        m.reason
    );
}

#[test]
fn commits_outside_the_window_are_ignored() {
    let card = compute(
        &dataset(vec![
            person("ana").file("a.rs", 1, 0),
            person("bo").tool("aider").file("b.rs", 1, 0).at(UNTIL),
            // Before the baseline window (the 90 days before the window) too.
            person("cy")
                .tool("aider")
                .file("c.rs", 1, 0)
                .at(SINCE - 90 * 86_400 - 1),
            // In the baseline window: there for baselines (the dataset may carry the
            // whole history, for trends).
            person("dee").tool("aider").file("d.rs", 1, 0).at(SINCE - 1),
        ]),
        &loose(),
    );
    assert_eq!(value(&card, COMMITS), (Some(0.0), 1, Some(0.0), Some(1.0)));
}

#[test]
fn a_sample_below_the_minimum_is_shown_flagged_and_not_scored() {
    // 4 developers, 3 of them AI users: 75 %, near the 80 % target, below min_sample 5.
    let card = compute(
        &dataset(vec![
            person("a").tool("claude-code").file("a.rs", 1, 0),
            person("b").tool("claude-code").file("b.rs", 1, 0),
            person("c").tool("claude-code").file("c.rs", 1, 0),
            person("d").file("d.rs", 1, 0),
        ]),
        &MetricsConfig::default(),
    );
    let m = metric(&card, USERS);
    assert_eq!((m.value, m.n, m.low_sample), (Some(75.0), 4, true));
    assert_eq!(m.status, Status::Near);
    assert_eq!(m.reason, None);
    let adoption = card.dimensions[0];
    assert_eq!(adoption.dimension, Dimension::Adoption);
    assert_eq!(
        (
            adoption.score,
            adoption.metrics_with_data,
            adoption.metrics_scored
        ),
        (None, 3, 0)
    );
}

fn five_developers_four_with_ai() -> Dataset {
    dataset(vec![
        person("a").tool("claude-code").file("a.rs", 1, 0),
        person("b").tool("claude-code").file("b.rs", 1, 0),
        person("c").tool("claude-code").file("c.rs", 1, 0),
        person("d").tool("claude-code").file("d.rs", 1, 0),
        person("e").file("e.rs", 1, 0),
    ])
}

#[test]
fn a_scored_metric_makes_the_dimension_score() {
    // 4 of 5 = 80 %: the default target (≥ 80 %) holds.
    let card = compute(&five_developers_four_with_ai(), &MetricsConfig::default());
    let m = metric(&card, USERS);
    assert_eq!(
        (m.value, m.low_sample, m.status),
        (Some(80.0), false, Status::Met)
    );
    assert_eq!(m.attainment, Some(1.0));
    let adoption = card.dimensions[0];
    assert_eq!(
        (
            adoption.score,
            adoption.metrics,
            adoption.metrics_with_data,
            adoption.metrics_scored
        ),
        (Some(100.0), 6, 3, 1)
    );
    assert_eq!(card.overall.score, Some(100.0));
    assert_eq!(card.overall.dimensions_with_score, 1);
    assert!(
        card.assessment.starts_with(
            "Not enough data for an overall assessment: only adoption has a score (add "
        ),
        "{}",
        card.assessment
    );
}

#[test]
fn a_target_override_from_the_config_is_used() {
    let mut config = MetricsConfig::default();
    config
        .target_overrides
        .insert("adoption.active_ai_users_pct".into(), 100.0);
    config.target_overrides.insert("no.such_metric".into(), 1.0);
    let card = compute(&five_developers_four_with_ai(), &config);
    let m = metric(&card, USERS);
    let t = m.target.unwrap();
    assert_eq!((t.value, t.basis), (100.0, TargetBasis::Config));
    // 80/100 = 0.8 = 1 − 20 %: near.
    assert_eq!((m.attainment, m.status), (Some(0.8), Status::Near));
    assert_eq!(card.dimensions[0].score, Some(80.0));
    assert!(card.notes.iter().any(|n| n.contains("no.such_metric")));

    config
        .target_overrides
        .insert("adoption.active_ai_users_pct".into(), 101.0);
    let card = compute(&five_developers_four_with_ai(), &config);
    assert_eq!(metric(&card, USERS).status, Status::Missed);
}

#[test]
fn tools_used_by_fewer_people_than_the_group_minimum_are_suppressed() {
    // claude-code: 5 people; aider: 1 person; copilot: the agent alone.
    let mut commits: Vec<C> = ["a", "b", "c", "d", "e"]
        .iter()
        .map(|p| person(p).tool("claude-code").file("x.rs", 1, 0))
        .collect();
    commits.push(person("a").tool("aider").file("y.rs", 1, 0));
    commits.push(agent("copilot").file("z.rs", 1, 0));
    let card = compute(&dataset(commits), &MetricsConfig::default());
    let tools: Vec<String> = metric(&card, COMMITS).breakdown.keys().cloned().collect();
    assert_eq!(tools, ["claude-code", "copilot"]);
    assert_eq!(
        card.activity.ai_by_tool.keys().cloned().collect::<Vec<_>>(),
        ["claude-code", "copilot"]
    );
    // The total still counts every AI-assisted commit.
    assert_eq!(card.activity.ai_assisted_commits, 7);
    assert!(
        card.notes
            .iter()
            .any(|n| n.contains("leave out 1 tool(s) used by fewer than 5 people")),
        "{:?}",
        card.notes
    );
}

#[test]
fn missing_sources_are_named_with_how_to_add_them() {
    let card = compute(&five_developers_four_with_ai(), &MetricsConfig::default());
    let cfr = metric(&card, "dora.change_failure_rate_pct");
    assert_eq!(cfr.value, None);
    assert_eq!(
        cfr.reason.as_deref(),
        Some("no deployments: import them with `plumb import deployments FILE`")
    );
    let review = metric(&card, "process.stage.review_days");
    assert_eq!(
        review.reason.as_deref(),
        Some(
            "no pull requests: import them with `plumb import pull-requests FILE`; no reviews: import them with `plumb import reviews FILE`"
        )
    );
    // Git is present, but the dataset carries no line survival (the CLI reads it from the
    // repositories): churn and the markers say so; without debt work items the balance
    // has nothing else.
    let churn = metric(&card, "process.code_churn_pct");
    assert_eq!(
        churn.reason.as_deref(),
        Some(
            "line survival was not read for this report (it is read from the repositories by `plumb report`)"
        )
    );
    assert!(churn.missing_sources.is_empty());
    let debt = metric(&card, "quality.tech_debt_balance");
    assert!(
        debt.reason
            .as_deref()
            .unwrap()
            .starts_with("no debt work items imported, and line survival"),
        "{:?}",
        debt.reason
    );
    // Knowledge health needs git alone: no commit of the five touches docs.
    assert_eq!(
        value(&card, "sustainability.knowledge_health"),
        (Some(0.0), 5, Some(0.0), Some(5.0))
    );
    assert_eq!(
        metric(&card, "sustainability.collaboration").missing_sources,
        [
            plumb_metrics::Source::PullRequests,
            plumb_metrics::Source::Reviews,
            plumb_metrics::Source::Roster
        ]
    );
}

#[test]
fn sources_present_without_records_in_the_window_say_what_is_missing() {
    // The inventory says deployments and telemetry exist, but none is in the window.
    let mut data = five_developers_four_with_ai();
    data.sources.deployments = 12;
    data.sources.ai_usage = 30;
    let card = compute(&data, &MetricsConfig::default());
    let cfr = metric(&card, "dora.change_failure_rate_pct");
    assert_eq!(cfr.value, None);
    assert!(
        cfr.reason
            .as_deref()
            .unwrap()
            .starts_with("no production deployments in window 2026-05-02 → 2026-07-31"),
        "{:?}",
        cfr.reason
    );
    let cap = metric(&card, "adoption.capability_usage");
    assert_eq!(cap.value, None);
    assert_eq!(
        cap.reason.as_deref(),
        Some("no AI usage telemetry in window")
    );
    // Without per-person telemetry the git rule counts AI users, and a note says so.
    assert!(
        card.notes
            .iter()
            .any(|n| n
                .starts_with("adoption.active_ai_users_pct: AI users counted from git signatures")),
        "{:?}",
        card.notes
    );
}

#[test]
fn without_git_every_git_metric_names_the_ingest_command() {
    let mut data = dataset(vec![]);
    data.sources.git_repos = 0;
    let card = compute(&data, &MetricsConfig::default());
    for id in [COMMITS, SHARE, USERS, "process.code_churn_pct"] {
        assert_eq!(
            metric(&card, id).reason.as_deref(),
            Some("no git history: run `plumb ingest REPO`"),
            "{id}"
        );
    }
    assert!(card.notes.is_empty(), "{:?}", card.notes);
}

#[test]
fn every_metric_is_reported_and_a_missing_value_always_has_a_reason() {
    let card = compute(&five_developers_four_with_ai(), &MetricsConfig::default());
    let ids: Vec<&str> = card.metrics.iter().map(|m| m.id.as_str()).collect();
    let expected: Vec<&str> = catalogue().iter().map(|d| d.id).collect();
    assert_eq!(ids, expected);
    for m in &card.metrics {
        assert_eq!(m.value.is_none(), m.reason.is_some(), "{}", m.id);
        assert_eq!(
            m.value.is_none(),
            m.status == Status::Insufficient,
            "{}",
            m.id
        );
        assert_eq!(m.sources, metric_def_needs(&m.id), "{}", m.id);
    }
    assert!(card.notes.iter().any(|n| n.contains("lower bounds")));
}

fn metric_def_needs(id: &str) -> Vec<plumb_metrics::Source> {
    plumb_metrics::metric_def(id).unwrap().needs.to_vec()
}

#[test]
fn the_scorecard_round_trips_through_json() {
    let card = compute(&five_developers_four_with_ai(), &MetricsConfig::default());
    let json = serde_json::to_string(&card).unwrap();
    let back: Scorecard = serde_json::from_str(&json).unwrap();
    assert_eq!(back, card);
}
