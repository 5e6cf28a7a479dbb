//! The metric catalogue of `PRODUCT.md` §5 as data: one [`MetricDef`] per id.
//!
//! The catalogue is a table rather than code so that every consumer (the scorecard, the
//! report's "missing data" section, the JSON schema test) sees the same list, and so that a
//! metric that is not computed yet still appears — with the reason — instead of silently
//! disappearing from the board.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The five dimensions of the framework, in the order the board shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Adoption,
    Process,
    Quality,
    Outcomes,
    Cost,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Adoption,
        Dimension::Process,
        Dimension::Quality,
        Dimension::Outcomes,
        Dimension::Cost,
    ];

    /// The stable id, as serialised and as written in `[scorecard.weights]`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Dimension::Adoption => "adoption",
            Dimension::Process => "process",
            Dimension::Quality => "quality",
            Dimension::Outcomes => "outcomes",
            Dimension::Cost => "cost",
        }
    }

    /// The heading a reader sees.
    pub fn name(&self) -> &'static str {
        match self {
            Dimension::Adoption => "Adoption",
            Dimension::Process => "Process impact",
            Dimension::Quality => "Quality & sustainability",
            Dimension::Outcomes => "Business outcomes",
            Dimension::Cost => "Cost efficiency",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a metric's value counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// 0–100.
    Percent,
    Days,
    Hours,
    /// Events per week.
    PerWeek,
    Count,
    /// A plain ratio (1.0 = equal).
    Ratio,
    /// An amount in the configured currency.
    Currency,
    /// Points of a score (CSAT, NPS).
    Points,
    /// Events per 100 merged pull requests.
    #[serde(rename = "per_100_prs")]
    Per100Prs,
    /// Events per 1,000 changed lines.
    #[serde(rename = "per_1000_lines")]
    Per1000Lines,
    /// Events per scan.
    PerScan,
    /// Events per production release.
    PerRelease,
    /// Items per developer-week.
    PerDeveloperWeek,
}

impl Unit {
    pub fn as_str(&self) -> &'static str {
        match self {
            Unit::Percent => "percent",
            Unit::Days => "days",
            Unit::Hours => "hours",
            Unit::PerWeek => "per_week",
            Unit::Count => "count",
            Unit::Ratio => "ratio",
            Unit::Currency => "currency",
            Unit::Points => "points",
            Unit::Per100Prs => "per_100_prs",
            Unit::Per1000Lines => "per_1000_lines",
            Unit::PerScan => "per_scan",
            Unit::PerRelease => "per_release",
            Unit::PerDeveloperWeek => "per_developer_week",
        }
    }
}

/// Which way is better. `Context` metrics are shown but never targeted (principle 1:
/// activity is context, never a goal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
    Context,
}

/// How a target compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TargetOp {
    /// The value (or its change) should be at least the target.
    #[serde(rename = ">=")]
    AtLeast,
    /// The value (or its change) should be at most the target.
    #[serde(rename = "<=")]
    AtMost,
    /// The value should move in the metric's better direction compared with the baseline,
    /// by any amount (the spec's `↓` and `↑`); `value` is 0.
    #[serde(rename = "change")]
    Change,
}

/// Where a target comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetBasis {
    /// The catalogue's default.
    Catalogue,
    /// The DORA "elite" performance level, written as a threshold.
    DoraElite,
    /// `[scorecard.targets]` in the configuration.
    Config,
}

/// A metric's target.
///
/// An absolute target compares the window's value with `value` (in `unit`, the metric's
/// own unit). A relative target (`relative`) compares the *change* against a baseline
/// period: `value` is then a change in percent (`unit` = percent, e.g. −15 for
/// "−15% vs baseline") or in the metric's points (`unit` = points, e.g. +5 pts).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub op: TargetOp,
    pub value: f64,
    pub relative: bool,
    pub unit: Unit,
    pub basis: TargetBasis,
}

impl Target {
    const fn at_least(value: f64, unit: Unit) -> Self {
        Target {
            op: TargetOp::AtLeast,
            value,
            relative: false,
            unit,
            basis: TargetBasis::Catalogue,
        }
    }

    const fn at_most(value: f64, unit: Unit) -> Self {
        Target {
            op: TargetOp::AtMost,
            value,
            relative: false,
            unit,
            basis: TargetBasis::Catalogue,
        }
    }

    const fn elite(op: TargetOp, value: f64, unit: Unit) -> Self {
        Target {
            op,
            value,
            relative: false,
            unit,
            basis: TargetBasis::DoraElite,
        }
    }

    const fn change_by(op: TargetOp, value: f64, unit: Unit) -> Self {
        Target {
            op,
            value,
            relative: true,
            unit,
            basis: TargetBasis::Catalogue,
        }
    }

    /// "↓" / "↑": any move in the better direction vs the baseline.
    const fn improves(unit: Unit) -> Self {
        Target {
            op: TargetOp::Change,
            value: 0.0,
            relative: true,
            unit,
            basis: TargetBasis::Catalogue,
        }
    }

    /// Whether `actual` satisfies an absolute target. Relative targets need a baseline and
    /// are never judged from one window: `None`.
    pub fn holds(&self, actual: f64) -> Option<bool> {
        if self.relative {
            return None;
        }
        match self.op {
            TargetOp::AtLeast => Some(actual >= self.value),
            TargetOp::AtMost => Some(actual <= self.value),
            TargetOp::Change => None,
        }
    }

    /// The scorecard's attainment (§6) in 0..=1: actual/target for "at least", target/actual
    /// for "at most", capped at 1 and floored at 0. `None` for relative targets.
    ///
    /// Two edge cases the spec leaves open: an "at most" target is fully attained by an
    /// actual of 0 (nothing to divide, nothing wrong), and a target of 0 or below cannot be
    /// divided by, so it is attained wholly when it holds and not at all when it does not.
    pub fn attainment(&self, actual: f64) -> Option<f64> {
        let holds = self.holds(actual)?;
        if holds {
            return Some(1.0);
        }
        let a = match self.op {
            TargetOp::AtLeast if self.value > 0.0 => actual / self.value,
            TargetOp::AtMost if actual > 0.0 && self.value > 0.0 => self.value / actual,
            _ => 0.0,
        };
        Some(a.clamp(0.0, 1.0))
    }
}

/// A source of data. Each names how to provide it, so that a metric without data can say
/// exactly what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Git,
    PullRequests,
    Reviews,
    Checks,
    Deployments,
    Incidents,
    WorkItems,
    AiUsage,
    Surveys,
    Skills,
    Costs,
    Kpis,
    SecurityFindings,
    QualityFindings,
    DesignFindings,
    A11yFindings,
    Roster,
}

impl Source {
    pub const ALL: [Source; 17] = [
        Source::Git,
        Source::PullRequests,
        Source::Reviews,
        Source::Checks,
        Source::Deployments,
        Source::Incidents,
        Source::WorkItems,
        Source::AiUsage,
        Source::Surveys,
        Source::Skills,
        Source::Costs,
        Source::Kpis,
        Source::SecurityFindings,
        Source::QualityFindings,
        Source::DesignFindings,
        Source::A11yFindings,
        Source::Roster,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Source::Git => "git",
            Source::PullRequests => "pull_requests",
            Source::Reviews => "reviews",
            Source::Checks => "checks",
            Source::Deployments => "deployments",
            Source::Incidents => "incidents",
            Source::WorkItems => "work_items",
            Source::AiUsage => "ai_usage",
            Source::Surveys => "surveys",
            Source::Skills => "skills",
            Source::Costs => "costs",
            Source::Kpis => "kpis",
            Source::SecurityFindings => "security_findings",
            Source::QualityFindings => "quality_findings",
            Source::DesignFindings => "design_findings",
            Source::A11yFindings => "a11y_findings",
            Source::Roster => "roster",
        }
    }

    /// What the data is called in a sentence ("add deployments, work items").
    pub fn noun(&self) -> &'static str {
        match self {
            Source::Git => "git history",
            Source::PullRequests => "pull requests",
            Source::Reviews => "reviews",
            Source::Checks => "checks",
            Source::Deployments => "deployments",
            Source::Incidents => "incidents",
            Source::WorkItems => "work items",
            Source::AiUsage => "AI usage telemetry",
            Source::Surveys => "surveys",
            Source::Skills => "skill assessments",
            Source::Costs => "costs",
            Source::Kpis => "KPIs",
            Source::SecurityFindings => "security findings",
            Source::QualityFindings => "quality findings",
            Source::DesignFindings => "design-system findings",
            Source::A11yFindings => "accessibility scans",
            Source::Roster => "a people roster",
        }
    }

    /// The sentence a metric without this source carries: what is missing and how to add it.
    pub fn hint(&self) -> &'static str {
        match self {
            Source::Git => "no git history: run `plumb ingest REPO`",
            Source::PullRequests => {
                "no pull requests: import them with `plumb import pull-requests FILE`"
            }
            Source::Reviews => "no reviews: import them with `plumb import reviews FILE`",
            Source::Checks => "no checks: import them with `plumb import checks FILE`",
            Source::Deployments => {
                "no deployments: import them with `plumb import deployments FILE`"
            }
            Source::Incidents => "no incidents: import them with `plumb import incidents FILE`",
            Source::WorkItems => "no work items: import them with `plumb import work-items FILE`",
            Source::AiUsage => {
                "no AI usage telemetry: import it with `plumb import ai-usage FILE` or `plumb import copilot-metrics FILE`"
            }
            Source::Surveys => "no survey answers: import them with `plumb import survey FILE`",
            Source::Skills => "no skill assessments: import them with `plumb import skills FILE`",
            Source::Costs => "no costs: import them with `plumb import costs FILE`",
            Source::Kpis => "no KPIs: import them with `plumb import kpis FILE`",
            Source::SecurityFindings => {
                "no security findings: import SARIF with `plumb import findings FILE.sarif --kind security`"
            }
            Source::QualityFindings => {
                "no quality findings: import SARIF with `plumb import findings FILE.sarif --kind quality`"
            }
            Source::DesignFindings => {
                "no design-system findings: import SARIF with `plumb import findings FILE.sarif --kind design`"
            }
            Source::A11yFindings => {
                "no accessibility scans: import axe-core results with `plumb import a11y FILE.json`"
            }
            Source::Roster => "no people roster: import it with `plumb import people FILE`",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricDef {
    /// The stable id, e.g. `adoption.active_ai_users_pct`.
    pub id: &'static str,
    pub dimension: Dimension,
    /// A short human name for tables.
    pub name: &'static str,
    pub unit: Unit,
    pub direction: Direction,
    /// The default target; `None` for the spec's "context", "report" and "configured"
    /// (configured targets exist only once `[scorecard.targets]` sets one).
    pub target: Option<Target>,
    /// Every source the metric's basic form needs; with any of them absent it is
    /// `insufficient data` naming the absent ones.
    pub needs: &'static [Source],
    /// The spec's "configured": there is no sensible default, the organisation sets the
    /// target in `[scorecard.targets]` (per KPI, per feature); until then `target` is
    /// `None` but the metric is not mere context.
    pub target_configured: bool,
}

/// The catalogue, in the board's order.
pub fn catalogue() -> &'static [MetricDef] {
    &CATALOGUE
}

/// Looks a metric up by id.
pub fn metric_def(id: &str) -> Option<&'static MetricDef> {
    CATALOGUE.iter().find(|d| d.id == id)
}

use Dimension as D;
use Direction::{Context as Ctx, HigherIsBetter as Up, LowerIsBetter as Down};
use Source as S;

const fn def(
    id: &'static str,
    dimension: Dimension,
    name: &'static str,
    unit: Unit,
    direction: Direction,
    target: Option<Target>,
    needs: &'static [Source],
) -> MetricDef {
    MetricDef {
        id,
        dimension,
        name,
        unit,
        direction,
        target,
        needs,
        target_configured: false,
    }
}

impl MetricDef {
    const fn configured(mut self) -> Self {
        self.target_configured = true;
        self
    }
}

// DORA's elite level (State of DevOps 2023/2024) as thresholds: deploying on demand is
// read as at least daily (7 a week), lead time under a day, restoring within an hour.
const ELITE_DEPLOYS_PER_WEEK: f64 = 7.0;
const ELITE_LEAD_TIME_HOURS: f64 = 24.0;
const ELITE_RECOVERY_HOURS: f64 = 1.0;

static CATALOGUE: [MetricDef; 45] = [
    // Dimension 1 — Adoption.
    def(
        "adoption.active_ai_users_pct",
        D::Adoption,
        "Active AI users",
        Unit::Percent,
        Up,
        Some(Target::at_least(80.0, Unit::Percent)),
        &[S::Git],
    ),
    def(
        "adoption.ai_assisted_commits_pct",
        D::Adoption,
        "AI-assisted commits",
        Unit::Percent,
        Ctx,
        None,
        &[S::Git],
    ),
    def(
        "adoption.ai_assisted_prs_pct",
        D::Adoption,
        "AI-assisted PRs",
        Unit::Percent,
        Ctx,
        None,
        &[S::PullRequests],
    ),
    def(
        "adoption.ai_code_share_pct",
        D::Adoption,
        "AI code share",
        Unit::Percent,
        Ctx,
        None,
        &[S::Git],
    ),
    def(
        "adoption.ai_satisfaction_pct",
        D::Adoption,
        "AI tool satisfaction",
        Unit::Percent,
        Up,
        Some(Target::at_least(70.0, Unit::Percent)),
        &[S::Surveys],
    ),
    def(
        "adoption.capability_usage",
        D::Adoption,
        "AI capability usage",
        Unit::Count,
        Ctx,
        None,
        &[S::AiUsage],
    ),
    // Dimension 2 — Process impact.
    def(
        "process.cycle_time_days",
        D::Process,
        "Cycle time",
        Unit::Days,
        Down,
        Some(Target::change_by(TargetOp::AtMost, -15.0, Unit::Percent)),
        &[S::PullRequests],
    ),
    def(
        "process.stage.coding_days",
        D::Process,
        "Coding stage",
        Unit::Days,
        Down,
        None,
        &[S::WorkItems, S::PullRequests],
    ),
    def(
        "process.stage.review_days",
        D::Process,
        "Review stage",
        Unit::Days,
        Down,
        None,
        &[S::PullRequests, S::Reviews],
    ),
    def(
        "process.stage.testing_days",
        D::Process,
        "Testing stage",
        Unit::Days,
        Down,
        None,
        &[S::PullRequests, S::Reviews, S::Checks],
    ),
    def(
        "process.stage.deploy_days",
        D::Process,
        "Deploy stage",
        Unit::Days,
        Down,
        None,
        &[S::PullRequests, S::Checks, S::Deployments],
    ),
    def(
        "process.bottleneck",
        D::Process,
        "Bottleneck stage share",
        Unit::Percent,
        Ctx,
        None,
        &[
            S::WorkItems,
            S::PullRequests,
            S::Reviews,
            S::Checks,
            S::Deployments,
        ],
    ),
    def(
        "dora.deployment_frequency",
        D::Process,
        "Deployment frequency",
        Unit::PerWeek,
        Up,
        Some(Target::elite(
            TargetOp::AtLeast,
            ELITE_DEPLOYS_PER_WEEK,
            Unit::PerWeek,
        )),
        &[S::Deployments],
    ),
    def(
        "dora.lead_time_for_changes_hours",
        D::Process,
        "Lead time for changes",
        Unit::Hours,
        Down,
        Some(Target::elite(
            TargetOp::AtMost,
            ELITE_LEAD_TIME_HOURS,
            Unit::Hours,
        )),
        &[S::Git, S::Deployments],
    ),
    def(
        "dora.change_failure_rate_pct",
        D::Process,
        "Change failure rate",
        Unit::Percent,
        Down,
        Some(Target::at_most(5.0, Unit::Percent)),
        &[S::Deployments],
    ),
    def(
        "dora.recovery_time_hours",
        D::Process,
        "Time to restore",
        Unit::Hours,
        Down,
        Some(Target::elite(
            TargetOp::AtMost,
            ELITE_RECOVERY_HOURS,
            Unit::Hours,
        )),
        &[S::Deployments],
    ),
    def(
        "dora.rework_rate_pct",
        D::Process,
        "Deployment rework rate",
        Unit::Percent,
        Down,
        None,
        &[S::Deployments],
    ),
    def(
        "process.pr_rework_pct",
        D::Process,
        "PR rework",
        Unit::Percent,
        Down,
        Some(Target::at_most(20.0, Unit::Percent)),
        &[S::PullRequests, S::Reviews],
    ),
    def(
        "process.code_churn_pct",
        D::Process,
        "Code churn (21 days)",
        Unit::Percent,
        Down,
        Some(Target::at_most(15.0, Unit::Percent)),
        &[S::Git],
    ),
    def(
        "process.throughput",
        D::Process,
        "Throughput",
        Unit::PerDeveloperWeek,
        Ctx,
        None,
        &[S::PullRequests],
    ),
    // Dimension 3 — Quality & sustainability.
    def(
        "quality.defect_rate",
        D::Quality,
        "Defect rate",
        Unit::Per100Prs,
        Down,
        Some(Target::at_most(5.0, Unit::Per100Prs)),
        // Bug work items, or incidents when no work item is imported: the computation
        // says which is missing when neither is.
        &[S::PullRequests],
    ),
    def(
        "quality.security_findings",
        D::Quality,
        "Security findings",
        Unit::Per1000Lines,
        Down,
        Some(Target::improves(Unit::Per1000Lines)),
        &[S::SecurityFindings, S::Git],
    ),
    def(
        "quality.accessibility_failures",
        D::Quality,
        "Accessibility failures",
        Unit::PerScan,
        Down,
        Some(Target::improves(Unit::PerScan)),
        &[S::A11yFindings],
    ),
    def(
        "quality.code_quality_trend",
        D::Quality,
        "Code quality findings",
        Unit::Per1000Lines,
        Down,
        Some(Target::improves(Unit::Per1000Lines)),
        &[S::QualityFindings, S::Git],
    ),
    def(
        "quality.tech_debt_balance",
        D::Quality,
        "Tech debt balance",
        Unit::Count,
        Up,
        Some(Target::at_least(0.0, Unit::Count)),
        &[S::Git],
    ),
    def(
        "quality.design_system_compliance_pct",
        D::Quality,
        "Design system compliance",
        Unit::Percent,
        Up,
        Some(Target::at_least(90.0, Unit::Percent)),
        &[S::DesignFindings, S::Git],
    ),
    def(
        "sustainability.developer_satisfaction_pct",
        D::Quality,
        "Developer satisfaction",
        Unit::Percent,
        Up,
        Some(Target::at_least(75.0, Unit::Percent)),
        &[S::Surveys],
    ),
    def(
        "sustainability.retention_pct",
        D::Quality,
        "Retention",
        Unit::Percent,
        Up,
        Some(Target::at_least(90.0, Unit::Percent)),
        &[S::Roster],
    ),
    def(
        "sustainability.skill_growth_pct",
        D::Quality,
        "Skill growth",
        Unit::Percent,
        Up,
        Some(Target::at_least(15.0, Unit::Percent)),
        &[S::Skills, S::Roster],
    ),
    def(
        "sustainability.knowledge_health",
        D::Quality,
        "Knowledge health",
        Unit::Percent,
        Ctx,
        None,
        &[S::Git],
    ),
    def(
        "sustainability.innovation_share_pct",
        D::Quality,
        "Innovation share",
        Unit::Percent,
        Up,
        Some(Target::at_least(10.0, Unit::Percent)),
        &[S::WorkItems],
    ),
    def(
        "sustainability.collaboration",
        D::Quality,
        "Collaboration",
        Unit::Percent,
        Ctx,
        None,
        &[S::PullRequests, S::Reviews, S::Roster],
    ),
    // Dimension 4 — Business outcomes.
    def(
        "outcomes.features_delivered",
        D::Outcomes,
        "Features delivered",
        Unit::Count,
        Up,
        Some(Target::change_by(TargetOp::AtLeast, 20.0, Unit::Percent)),
        &[S::WorkItems],
    ),
    def(
        "outcomes.request_to_production_days",
        D::Outcomes,
        "Customer request to production",
        Unit::Days,
        Down,
        Some(Target::improves(Unit::Days)),
        &[S::WorkItems],
    ),
    def(
        "outcomes.kpi_movement",
        D::Outcomes,
        "KPI movement",
        Unit::Percent,
        Up,
        None,
        &[S::Kpis],
    )
    .configured(),
    def(
        "outcomes.customer_satisfaction",
        D::Outcomes,
        "Customer satisfaction",
        Unit::Points,
        Up,
        Some(Target::change_by(TargetOp::AtLeast, 5.0, Unit::Points)),
        &[S::Kpis],
    ),
    def(
        "outcomes.customer_defects_per_release",
        D::Outcomes,
        "Customer defects per release",
        Unit::PerRelease,
        Down,
        Some(Target::improves(Unit::PerRelease)),
        &[S::Incidents, S::Deployments],
    ),
    def(
        "outcomes.feature_adoption_pct",
        D::Outcomes,
        "Feature adoption",
        Unit::Percent,
        Up,
        None,
        &[S::WorkItems, S::Kpis],
    )
    .configured(),
    // Dimension 5 — Cost efficiency.
    def(
        "cost.ai_tool_cost_per_engineer_month",
        D::Cost,
        "AI tool cost per engineer-month",
        Unit::Currency,
        Ctx,
        None,
        &[S::Costs, S::Git],
    ),
    def(
        "cost.total_investment",
        D::Cost,
        "Total investment (annualised)",
        Unit::Currency,
        Ctx,
        None,
        &[S::Costs],
    ),
    def(
        "cost.value_created",
        D::Cost,
        "Value created",
        Unit::Currency,
        Ctx,
        None,
        &[S::WorkItems],
    ),
    def(
        "cost.roi_pct",
        D::Cost,
        "ROI",
        Unit::Percent,
        Up,
        Some(Target::at_least(25.0, Unit::Percent)),
        &[S::Costs, S::WorkItems],
    ),
    def(
        "cost.cost_per_feature",
        D::Cost,
        "Cost per feature",
        Unit::Currency,
        Down,
        Some(Target::improves(Unit::Currency)),
        &[S::Costs, S::WorkItems],
    ),
    def(
        "cost.revenue_per_engineer",
        D::Cost,
        "Revenue per engineer",
        Unit::Currency,
        Up,
        Some(Target::improves(Unit::Currency)),
        &[S::Kpis, S::Git],
    ),
    def(
        "cost.ai_incident_cost",
        D::Cost,
        "AI incident cost",
        Unit::Currency,
        Down,
        None,
        &[S::Incidents],
    ),
];

/// What a metric whose sources are all present still needs before this version can compute
/// it. Kept beside the catalogue so that adding a computation means deleting a line here
/// (and adding the id to [`crate::COMPUTED`]).
pub(crate) fn not_computed_need(id: &str) -> &'static str {
    let _ = id;
    "a computation that does not exist yet"
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_are_unique_and_prefixed_by_their_dimension() {
        let mut seen = BTreeSet::new();
        for d in catalogue() {
            assert!(seen.insert(d.id), "duplicate id {}", d.id);
            let prefix = d.id.split('.').next().unwrap_or("");
            let ok = match d.dimension {
                Dimension::Adoption => prefix == "adoption",
                Dimension::Process => prefix == "process" || prefix == "dora",
                Dimension::Quality => prefix == "quality" || prefix == "sustainability",
                Dimension::Outcomes => prefix == "outcomes",
                Dimension::Cost => prefix == "cost",
            };
            assert!(ok, "{} is filed under {:?}", d.id, d.dimension);
            assert!(!d.needs.is_empty(), "{} needs no source", d.id);
        }
    }

    #[test]
    fn context_metrics_have_no_target() {
        for d in catalogue() {
            if d.direction == Direction::Context {
                assert!(d.target.is_none(), "{} is context but targeted", d.id);
            }
        }
    }

    #[test]
    fn every_id_has_a_planned_computation() {
        for d in catalogue()
            .iter()
            .filter(|d| !crate::COMPUTED.contains(&d.id))
        {
            assert_ne!(
                not_computed_need(d.id),
                "a computation that does not exist yet",
                "{}",
                d.id
            );
        }
    }

    #[test]
    fn computed_ids_are_catalogue_ids_and_the_rest_say_what_they_need() {
        for id in crate::COMPUTED {
            assert!(metric_def(id).is_some(), "{id} is not in the catalogue");
        }
        let rest: Vec<&str> = catalogue()
            .iter()
            .map(|d| d.id)
            .filter(|id| !crate::COMPUTED.contains(id))
            .collect();
        assert!(rest.is_empty(), "not computed: {rest:?}");
    }

    #[test]
    fn unit_names_are_their_serialised_names() {
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StrDeserializer};
        for d in catalogue() {
            let de: StrDeserializer<'_, Error> = d.unit.as_str().into_deserializer();
            assert_eq!(Unit::deserialize(de), Ok(d.unit), "{}", d.unit.as_str());
        }
    }

    #[test]
    fn dimension_names_round_trip() {
        for d in Dimension::ALL {
            assert_eq!(Dimension::parse(d.as_str()), Some(d));
        }
    }
}
