//! The five dimensions' metric catalogue, their computation, and the scorecard; pure.
//!
//! # Why this crate is pure
//!
//! [`compute`] is a function from plain data ([`Dataset`], [`MetricsConfig`]) to plain data
//! ([`Scorecard`]). It reads no files, no database, no environment and no clock: even "now"
//! is not read, the window comes in the input. That is what makes every figure
//! reproducible (the same store and configuration give the same report, byte for byte, on
//! a laptop and in CI), testable with hand-built fixtures whose expected figures can be
//! worked out on paper, and reusable by every front end — the terminal report, the JSON
//! API and the dashboard all show the same numbers because they call the same function.
//! The CLI builds the dataset from the store; this crate never knows a store exists.
//!
//! # Why missing data is a reason, not a zero
//!
//! Principle 2 of the product: no fake numbers. A change failure rate of 0 % claims that no
//! deployment failed; when no deployments were imported, that claim would be false, and a
//! scorecard averaging it in would look better for knowing less. So a metric without data
//! has `value: None`, status [`Status::Insufficient`], and a `reason` that says what is
//! missing and how to add it (`no deployments: import them with …`), or that this version
//! does not compute it yet (`not computed in this version: needs …`). Such metrics never
//! count toward a score. A value on too small a sample (`n < min_sample`) is still shown
//! with its `n`, flagged [`MetricResult::low_sample`], and left out of the scores too.
//!
//! # What this version computes
//!
//! Every catalogue metric ([`COMPUTED`]). Code churn and the TODO/FIXME/HACK markers need
//! line survival read from the repositories ([`Dataset::churn`], `churn`); without it they
//! are `insufficient` with that reason.
//!
//! - From git alone: the AI-assisted commit share, the AI code share, active AI users
//!   (with usage telemetry, see `usage`), knowledge health and the window's [`Activity`].
//! - From the imported records, joined once through `plumb-link` (`org`): the rest of
//!   adoption (`usage`), DORA (`dora`), cycle time and its stages (`flow`), quality and
//!   sustainability (`quality`), business outcomes (`outcomes`) and cost (`cost`). Each
//!   module's documentation gives the exact definitions and the decisions behind them.
//!
//! # Baselines
//!
//! A target relative to a baseline (`−15% vs baseline`, `+5 pts`, `↓`) is judged on the
//! change against the same figure over the equally long window immediately before the
//! report's (`[since − length, since)`); customer satisfaction compares with the latest
//! value before the window. The change is a percent change for `percent` targets and a
//! difference in the metric's unit otherwise; both the baseline and the change are in the
//! [`MetricResult`]. Without data in the baseline window the metric keeps its value and is
//! `insufficient` with the reason `no data in the baseline window (…)`. Figures built on
//! changed lines need the baseline window's commits too: [`Dataset::commits`] may carry
//! them.
//!
//! # Decisions the spec leaves open
//!
//! - A low-sample value keeps its computed status (so a reader sees where it points) but
//!   is not scored.
//! - Breakdowns by AI tool show only tools used by at least `min_group_size` people
//!   (tools used only by AI agents derive from no person and are shown); the rest are left
//!   out with a note. Every other breakdown derived from people (teams, seniority bands,
//!   capabilities) follows the same rule.
//! - Durations are interpolated medians (R's type 7); p75 and p90 are in the breakdown.
//! - A figure's caveats (which rule applied, what was left out) are in the scorecard's
//!   notes, prefixed by the metric's id; what linking could not link is there too,
//!   prefixed `linking:`.

#![forbid(unsafe_code)]

mod adoption;
mod analysis;
mod catalogue;
mod churn;
mod cost;
mod dora;
mod flow;
mod org;
mod outcomes;
mod par;
mod paths;
mod quality;
mod scorecard;
mod stats;
mod usage;

pub use analysis::{
    Analysis, Criterion, GateFact, Insight, InsightLevel, MAX_TREND_MONTHS, Period, PeriodValue,
    PhaseAssessment, PhaseInputs, PhaseStatus, QuarterScores, SERIES_METRICS, SnapshotFact,
    StageComparison, StageRow, TeamFigures, Trends,
};
pub use catalogue::{
    Dimension, Direction, MetricDef, Source, Target, TargetBasis, TargetOp, Unit, catalogue,
    metric_def,
};
pub use churn::{CHURN_HORIZON_DAYS, ChurnFact, ChurnFile};
pub use scorecard::{
    Activity, BreakdownEntry, DimensionScore, MetricResult, Overall, Scorecard, Status,
};

use adoption::Figure;
pub use org::GraphSource;
use org::Org;
use plumb_model::records::{
    AiUsage, Check, Cost, Deployment, Finding, Incident, KpiPoint, Person, PullRequest, Review,
    SkillAssessment, SurveyResponse, Team, WorkItem,
};
use plumb_model::{Detection, FileChange, GitTime, IdentityClass};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A half-open window `[since, until)` in Unix seconds, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Window {
    pub since: i64,
    pub until: i64,
}

/// One commit as the metrics see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitFact {
    /// The repository's name, shared by its commits.
    pub repo: Arc<str>,
    pub id: Arc<str>,
    /// The normalised author email after `.mailmap`: identifies a person.
    pub author_key: Arc<str>,
    pub author_class: IdentityClass,
    /// Author time.
    pub time: GitTime,
    pub is_merge: bool,
    /// Empty for merges.
    pub files: Vec<FileChange>,
    pub detections: Vec<Detection>,
}

/// How many records of each source the store holds (in total, not only in the window).
/// A zero means the source was never provided, and the metrics that need it say so.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInventory {
    pub git_repos: u64,
    pub pull_requests: u64,
    pub reviews: u64,
    pub checks: u64,
    pub deployments: u64,
    pub incidents: u64,
    pub work_items: u64,
    pub ai_usage: u64,
    pub surveys: u64,
    pub skills: u64,
    pub costs: u64,
    pub kpis: u64,
    pub findings_security: u64,
    pub findings_quality: u64,
    pub findings_design: u64,
    pub a11y: u64,
    pub people_roster: u64,
}

impl SourceInventory {
    /// The inventory of a set of records and `git_repos` ingested repositories.
    pub fn of(records: &Records, git_repos: u64) -> SourceInventory {
        let findings = |k: plumb_model::records::FindingKind| {
            records.findings.iter().filter(|f| f.kind == k).count() as u64
        };
        use plumb_model::records::FindingKind;
        SourceInventory {
            git_repos,
            pull_requests: records.pull_requests.len() as u64,
            reviews: records.reviews.len() as u64,
            checks: records.checks.len() as u64,
            deployments: records.deployments.len() as u64,
            incidents: records.incidents.len() as u64,
            work_items: records.work_items.len() as u64,
            ai_usage: records.ai_usage.len() as u64,
            surveys: records.survey.len() as u64,
            skills: records.skills.len() as u64,
            costs: records.costs.len() as u64,
            kpis: records.kpis.len() as u64,
            findings_security: findings(FindingKind::Security),
            findings_quality: findings(FindingKind::Quality),
            findings_design: findings(FindingKind::Design),
            a11y: findings(FindingKind::Accessibility),
            people_roster: records.people.len() as u64,
        }
    }

    /// The number of records held for `source`.
    pub fn count(&self, source: Source) -> u64 {
        match source {
            Source::Git => self.git_repos,
            Source::PullRequests => self.pull_requests,
            Source::Reviews => self.reviews,
            Source::Checks => self.checks,
            Source::Deployments => self.deployments,
            Source::Incidents => self.incidents,
            Source::WorkItems => self.work_items,
            Source::AiUsage => self.ai_usage,
            Source::Surveys => self.surveys,
            Source::Skills => self.skills,
            Source::Costs => self.costs,
            Source::Kpis => self.kpis,
            Source::SecurityFindings => self.findings_security,
            Source::QualityFindings => self.findings_quality,
            Source::DesignFindings => self.findings_design,
            Source::A11yFindings => self.a11y,
            Source::Roster => self.people_roster,
        }
    }
}

/// Every imported record, of all time (not only the window's): linking, baselines and
/// trends need the history around the window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Records {
    pub people: Vec<Person>,
    pub teams: Vec<Team>,
    pub work_items: Vec<WorkItem>,
    pub pull_requests: Vec<PullRequest>,
    pub reviews: Vec<Review>,
    pub checks: Vec<Check>,
    pub deployments: Vec<Deployment>,
    pub incidents: Vec<Incident>,
    pub ai_usage: Vec<AiUsage>,
    pub survey: Vec<SurveyResponse>,
    pub skills: Vec<SkillAssessment>,
    pub costs: Vec<Cost>,
    pub kpis: Vec<KpiPoint>,
    pub findings: Vec<Finding>,
}

/// Everything [`compute`] reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub window: Window,
    /// The commits whose author time is in the window, with their file statistics. It may
    /// also carry the commits of the baseline window (the equally long period before), which
    /// the line-based baselines (findings per 1,000 changed lines) need, or the whole
    /// history, which the trends need; the window's own figures ignore every commit outside
    /// the window.
    pub commits: Vec<CommitFact>,
    pub sources: SourceInventory,
    /// Imported records (empty when none were imported).
    #[serde(default)]
    pub records: Records,
    /// Every stored commit of every repository (all time), for linking pull requests and
    /// deployments to commits. Empty when no repository is ingested.
    #[serde(default)]
    pub graph: Vec<plumb_link::CommitNode>,
    /// Ids of the graph's AI-assisted commits (an authored detection or an AI agent
    /// author), for pull-request provenance.
    #[serde(default)]
    pub ai_assisted: std::collections::BTreeSet<String>,
    /// Teams as `[[teams]]` in `plumb.toml` lists them (members by email or login); the
    /// roster's `team` wins where both place a person.
    #[serde(default)]
    pub config_teams: Vec<plumb_link::TeamMembers>,
    /// Line survival of the commits (code churn, TODO/FIXME/HACK markers); `None` when it
    /// was not read, which the churn and tech-debt metrics say.
    #[serde(default)]
    pub churn: Option<Vec<ChurnFact>>,
}

/// The knobs of the computation (`[metrics]`, `[privacy]`, `[scorecard]` in `plumb.toml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricsConfig {
    /// Below this sample a value is shown flagged `low_sample` and not scored.
    pub min_sample: u64,
    /// The smallest group of people a breakdown may show.
    pub min_group_size: u64,
    /// How far short of a target (in percent of full attainment) still counts as near.
    pub tolerance_pct: f64,
    /// Dimension weights for the overall score; a missing dimension weighs 1.
    pub weights: BTreeMap<Dimension, f64>,
    /// Metric id → target value, replacing the catalogue's.
    pub target_overrides: BTreeMap<String, f64>,
    /// Extra excluded path patterns (`vendor/**`, `**/*.lock`, `*.svg`) on top of the
    /// built-in generated, vendored and lock files.
    pub excluded_paths: Vec<String>,
    /// How long before an incident a production deployment may have finished to be
    /// blamed for it, when the incident names no deployment.
    pub incident_link_window_days: u64,
    /// The value model for ROI (`[value_model]`); `None` when not configured.
    pub value_model: Option<ValueModel>,
}

/// `[value_model]`: the assumptions value and ROI are computed from, printed beside them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueModel {
    /// Currency units per delivered feature.
    pub average_feature_value: Option<f64>,
    /// Loaded cost of one engineer-day.
    pub loaded_cost_per_engineer_day: Option<f64>,
    pub currency: String,
    /// Cost of one hour of incident.
    pub cost_per_incident_hour: Option<f64>,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            min_sample: 5,
            min_group_size: 5,
            tolerance_pct: 20.0,
            weights: Dimension::ALL.iter().map(|d| (*d, 1.0)).collect(),
            target_overrides: BTreeMap::new(),
            excluded_paths: Vec::new(),
            incident_link_window_days: 7,
            value_model: None,
        }
    }
}

/// The ids this version computes from data (all of the catalogue's).
pub const COMPUTED: [&str; 45] = [
    "adoption.active_ai_users_pct",
    "adoption.ai_assisted_commits_pct",
    "adoption.ai_assisted_prs_pct",
    "adoption.ai_code_share_pct",
    "adoption.ai_satisfaction_pct",
    "adoption.capability_usage",
    "process.cycle_time_days",
    "process.stage.coding_days",
    "process.stage.review_days",
    "process.stage.testing_days",
    "process.stage.deploy_days",
    "process.bottleneck",
    "dora.deployment_frequency",
    "dora.lead_time_for_changes_hours",
    "dora.change_failure_rate_pct",
    "dora.recovery_time_hours",
    "dora.rework_rate_pct",
    "process.pr_rework_pct",
    "process.code_churn_pct",
    "process.throughput",
    "quality.defect_rate",
    "quality.security_findings",
    "quality.accessibility_failures",
    "quality.code_quality_trend",
    "quality.tech_debt_balance",
    "quality.design_system_compliance_pct",
    "sustainability.developer_satisfaction_pct",
    "sustainability.retention_pct",
    "sustainability.skill_growth_pct",
    "sustainability.knowledge_health",
    "sustainability.innovation_share_pct",
    "sustainability.collaboration",
    "outcomes.features_delivered",
    "outcomes.request_to_production_days",
    "outcomes.kpi_movement",
    "outcomes.customer_satisfaction",
    "outcomes.customer_defects_per_release",
    "outcomes.feature_adoption_pct",
    "cost.ai_tool_cost_per_engineer_month",
    "cost.total_investment",
    "cost.value_created",
    "cost.roi_pct",
    "cost.cost_per_feature",
    "cost.revenue_per_engineer",
    "cost.ai_incident_cost",
];

/// The ids computed from git signatures, whose AI figures are lower bounds.
const GIT_AI: [&str; 3] = [
    "adoption.active_ai_users_pct",
    "adoption.ai_assisted_commits_pct",
    "adoption.ai_code_share_pct",
];

/// A metric's figure over any window (the report's, the baseline's, a month of the ROI
/// series); `None` for the ids computed elsewhere or not at all.
/// One metric over one window (`None` when this version does not compute it); each
/// (metric, window) computed once per organisation.
pub(crate) fn figure(org: &Org<'_>, id: &str, w: &Window) -> Option<Result<Figure, String>> {
    org.window(w).figure(id, || compute_figure(org, id, w))
}

fn compute_figure(org: &Org<'_>, id: &str, w: &Window) -> Option<Result<Figure, String>> {
    use plumb_model::records::FindingKind;
    use quality::finding_rate;
    Some(match id {
        "adoption.ai_assisted_prs_pct" => usage::ai_assisted_prs(org, w),
        "adoption.ai_satisfaction_pct" => usage::survey(org, w, "ai_satisfaction"),
        "adoption.capability_usage" => usage::capability_usage(org, w),
        "process.cycle_time_days" => flow::cycle_time(org, w),
        "process.stage.coding_days" => flow::stage(org, w, "coding"),
        "process.stage.review_days" => flow::stage(org, w, "review"),
        "process.stage.testing_days" => flow::stage(org, w, "testing"),
        "process.stage.deploy_days" => flow::stage(org, w, "deploy"),
        "process.bottleneck" => flow::bottleneck(org, w),
        "dora.deployment_frequency" => dora::deployment_frequency(org, w),
        "dora.lead_time_for_changes_hours" => dora::lead_time(org, w),
        "dora.change_failure_rate_pct" => dora::change_failure_rate(org, w),
        "dora.recovery_time_hours" => dora::recovery_time(org, w),
        "dora.rework_rate_pct" => dora::rework_rate(org, w),
        "process.pr_rework_pct" => flow::pr_rework(org, w),
        "process.throughput" => flow::throughput(org, w),
        "process.code_churn_pct" => churn::code_churn(org, w),
        "quality.tech_debt_balance" => churn::tech_debt_balance(org, w),
        "quality.defect_rate" => quality::defect_rate(org, w),
        "quality.security_findings" => finding_rate(org, w, FindingKind::Security, true),
        "quality.code_quality_trend" => finding_rate(org, w, FindingKind::Quality, false),
        "quality.accessibility_failures" => quality::accessibility(org, w),
        "quality.design_system_compliance_pct" => quality::design_compliance(org, w),
        "sustainability.developer_satisfaction_pct" => usage::survey(org, w, "dev_satisfaction"),
        "sustainability.retention_pct" => quality::retention(org, w),
        "sustainability.skill_growth_pct" => quality::skill_growth(org, w),
        "sustainability.knowledge_health" => quality::knowledge_health(org, w),
        "sustainability.innovation_share_pct" => quality::innovation_share(org, w),
        "sustainability.collaboration" => quality::collaboration(org, w),
        "outcomes.features_delivered" => outcomes::features_delivered(org, w),
        "outcomes.request_to_production_days" => outcomes::request_to_production(org, w),
        "outcomes.kpi_movement" => outcomes::kpi_movement(org, w),
        "outcomes.customer_satisfaction" => outcomes::customer_satisfaction(org, w),
        "outcomes.customer_defects_per_release" => outcomes::customer_defects_per_release(org, w),
        "outcomes.feature_adoption_pct" => outcomes::feature_adoption(org, w),
        "cost.ai_tool_cost_per_engineer_month" => cost::ai_tool_cost_per_engineer_month(org, w),
        "cost.total_investment" => cost::total_investment(org, w),
        "cost.value_created" => cost::value_created(org, w),
        "cost.roi_pct" => cost::roi(org, w),
        "cost.cost_per_feature" => cost::cost_per_feature(org, w),
        "cost.revenue_per_engineer" => cost::revenue_per_engineer(org, w),
        "cost.ai_incident_cost" => cost::ai_incident_cost(org, w),
        _ => return None,
    })
}

/// The baseline of a metric with a relative target (see the crate documentation).
fn baseline(org: &Org<'_>, id: &str, w: &Window) -> Result<f64, String> {
    if id == "outcomes.customer_satisfaction" {
        return outcomes::customer_satisfaction_before(org, w)
            .map_err(|e| format!("no data in the baseline window ({e})"));
    }
    let previous = w.previous();
    match figure(org, id, &previous) {
        Some(Ok(f)) => Ok(f.value),
        Some(Err(e)) => Err(format!("no data in the baseline window ({e})")),
        None => Err("needs a baseline period: this version has no baseline for it".to_string()),
    }
}

/// Computes every catalogue metric, the dimension and overall scores and the assessment
/// for the dataset's window.
pub fn compute(data: &Dataset, config: &MetricsConfig) -> Scorecard {
    let org = Org::build(data, config, None);
    scorecard_in(&org, data.window)
}

/// The scorecard of the dataset's window and its [`Analysis`] (trends, insights, phase),
/// linking the records once for both.
pub fn compute_with_analysis(
    data: &Dataset,
    config: &MetricsConfig,
    inputs: &PhaseInputs,
) -> (Scorecard, Analysis) {
    compute_analysis(data, None, config, inputs, Teardown::Free)
}

/// [`compute_with_analysis`] over the dataset's commit graph already indexed: `graph` must
/// be `CommitGraph::from_nodes(&data.graph)`. Indexing a large history takes a while; a
/// caller that has the commits before the records indexes them while the records load.
pub fn compute_with_analysis_on(
    data: &Dataset,
    graph: &plumb_link::CommitGraph,
    config: &MetricsConfig,
    inputs: &PhaseInputs,
) -> (Scorecard, Analysis) {
    compute_analysis(data, Some(&|| Some(graph)), config, inputs, Teardown::Free)
}

/// [`compute_with_analysis_on`] over the dataset's commit graph as it is being indexed:
/// `graph` waits until the graph is indexed and gives it (which must be
/// `CommitGraph::from_nodes(&data.graph)`), or `None` when it could not be (it is then
/// indexed here). What needs no graph is computed meanwhile. `teardown` says what becomes
/// of what the computation built once the figures are out.
pub fn compute_with_analysis_indexing(
    data: &Dataset,
    graph: GraphSource<'_>,
    config: &MetricsConfig,
    inputs: &PhaseInputs,
    teardown: Teardown,
) -> (Scorecard, Analysis) {
    compute_analysis(data, Some(graph), config, inputs, teardown)
}

/// What becomes of what a computation built (the linked organisation: millions of small
/// allocations on a large history) once its figures are out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Teardown {
    /// Freed: what the organisation owns on a thread of its own, the rest here. For a
    /// process that goes on.
    Free,
    /// Left to the operating system, which takes a process's memory back at once when it
    /// exits: for a process that ends once the report is out (a command-line report), where
    /// freeing it piece by piece would only compete with rendering.
    Exit,
}

fn compute_analysis(
    data: &Dataset,
    graph: Option<GraphSource<'_>>,
    config: &MetricsConfig,
    inputs: &PhaseInputs,
    teardown: Teardown,
) -> (Scorecard, Analysis) {
    let org = Org::build(data, config, graph);
    // The trends do not need the window's scorecard: both are computed at once.
    let (card, trends) = analysis::card_and_trends(&org, data.window);
    let analysis = analysis::analyse(&org, &card, trends, inputs);
    match teardown {
        Teardown::Free => org.dispose(),
        Teardown::Exit => std::mem::forget(org),
    }
    (card, analysis)
}

/// The scorecard of any window over a linked organisation.
pub(crate) fn scorecard_in(org: &Org<'_>, window: Window) -> Scorecard {
    let data = org.data;
    let config = org.config;
    let mut notes = Vec::new();
    for id in config.target_overrides.keys() {
        if metric_def(id).is_none() {
            notes.push(format!(
                "unknown metric id in [scorecard.targets]: {id} (ignored)"
            ));
        }
    }

    let memo = org.window(&window);
    let git = memo.git(org, &window);
    notes.extend(git.notes.iter().cloned());
    notes.extend(org.notes.iter().map(|n| format!("linking: {n}")));
    let git_present = data.sources.git_repos > 0 || !data.commits.is_empty();
    let present = |s: &Source| match s {
        Source::Git => git_present,
        other => data.sources.count(*other) > 0,
    };

    let mut metrics = Vec::with_capacity(catalogue().len());
    for def in catalogue() {
        let missing: Vec<Source> = def.needs.iter().filter(|s| !present(s)).copied().collect();
        let figure: Result<Figure, String> = if !missing.is_empty() {
            Err(missing
                .iter()
                .map(|s| s.hint())
                .collect::<Vec<_>>()
                .join("; "))
        } else {
            match def.id {
                "adoption.ai_assisted_commits_pct" => git.ai_assisted_commits.clone(),
                "adoption.ai_code_share_pct" => git.ai_code_share.clone(),
                "adoption.active_ai_users_pct" => {
                    usage::active_ai_users(org, &window, &git.active_ai_users)
                }
                id => figure(org, id, &window).unwrap_or_else(|| {
                    Err(format!(
                        "not computed in this version: needs {}",
                        catalogue::not_computed_need(id)
                    ))
                }),
            }
        };
        let target = scorecard::resolve_target(def, config, &mut notes);
        let base = match (&figure, &target) {
            (Ok(_), Some(t)) if t.relative => Some(baseline(org, def.id, &window)),
            _ => None,
        };
        if let Ok(f) = &figure {
            notes.extend(f.notes.iter().map(|n| format!("{}: {n}", def.id)));
        }
        metrics.push(result(def, figure.as_ref(), target, missing, base, config));
    }

    if metrics
        .iter()
        .any(|m| m.value.is_some() && GIT_AI.contains(&m.id.as_str()))
    {
        notes.push(
            "AI figures from git are lower bounds: signatures can be switched off".to_string(),
        );
    }

    let dimensions = scorecard::dimension_scores(&metrics);
    let overall = scorecard::overall(&dimensions, &config.weights, &mut notes);
    let assessment = scorecard::assessment(&metrics, &dimensions, &overall);
    Scorecard {
        window,
        metrics,
        dimensions,
        overall,
        assessment,
        activity: git.activity.clone(),
        notes,
    }
}

fn result(
    def: &MetricDef,
    figure: Result<&Figure, &String>,
    target: Option<Target>,
    missing_sources: Vec<Source>,
    base: Option<Result<f64, String>>,
    config: &MetricsConfig,
) -> MetricResult {
    let (value, n, numerator, denominator, breakdown, mut reason) = match figure {
        Ok(f) => (
            Some(f.value),
            f.n,
            f.numerator,
            f.denominator,
            f.breakdown.clone(),
            None,
        ),
        Err(reason) => (None, 0, None, None, BTreeMap::new(), Some(reason.clone())),
    };
    let insufficient = |why: String| scorecard::Judgement {
        attainment: None,
        status: Status::Insufficient,
        reason: Some(why),
    };
    let (judged, baseline, change) = match (value, target.as_ref(), base) {
        (Some(v), Some(t), Some(base)) if t.relative => match base {
            Ok(b) => match scorecard::change(v, b, t) {
                Ok(c) => (
                    scorecard::judge_change(v, b, c, t, def.direction, config.tolerance_pct),
                    Some(b),
                    Some(c),
                ),
                Err(e) => (insufficient(e), Some(b), None),
            },
            Err(e) => (insufficient(e), None, None),
        },
        _ => (
            scorecard::judge(value, target.as_ref(), config.tolerance_pct),
            None,
            None,
        ),
    };
    if reason.is_none() {
        reason = judged.reason;
    }
    MetricResult {
        id: def.id.to_string(),
        dimension: def.dimension,
        name: def.name.to_string(),
        unit: def.unit,
        direction: def.direction,
        value,
        n,
        numerator,
        denominator,
        breakdown,
        target,
        attainment: judged.attainment,
        status: judged.status,
        low_sample: value.is_some() && n < config.min_sample,
        sources: def.needs.to_vec(),
        missing_sources,
        reason,
        baseline,
        change,
    }
}
