//! The plain types of an [`Analysis`]: trends, insights and the phase assessment.

use crate::Window;
use crate::catalogue::Dimension;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything the report shows beside the scorecard of one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub trends: Trends,
    pub insights: Vec<Insight>,
    pub phase: PhaseAssessment,
}

/// A metric's figure over one period: its value, sample and, for durations, the
/// 75th and 90th percentiles. A metric without data in a period is absent from the map.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PeriodValue {
    pub value: f64,
    pub n: u64,
    pub p75: Option<f64>,
    pub p90: Option<f64>,
}

/// One period of a series: an ISO week (`2026-W14`), a month (`2026-03`) or a quarter
/// (`2026-Q1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    pub label: String,
    pub window: Window,
    /// The period is cut by the start or end of the data (or of the report's window).
    pub partial: bool,
    /// Metric id → its figure in the period; ids without data are absent.
    pub values: BTreeMap<String, PeriodValue>,
}

/// The dimension scores of a quarter (the whole scorecard computed over that quarter).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuarterScores {
    pub label: String,
    pub window: Window,
    pub partial: bool,
    pub dimensions: BTreeMap<Dimension, Option<f64>>,
    pub overall: Option<f64>,
}

/// One stage of the pull-request cycle before and after the AI rollout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageRow {
    /// `coding`, `review`, `testing`, `deploy`.
    pub stage: String,
    pub before: Option<PeriodValue>,
    pub after: Option<PeriodValue>,
    /// Percent change of the median, after vs before.
    pub change_pct: Option<f64>,
}

/// The stage breakdown before vs after the rollout: each merged pull request is placed
/// by the date its work started (else it was created) against its author's team's AI
/// rollout date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageComparison {
    /// How pull requests were placed, or why they could not be.
    pub basis: String,
    pub rows: Vec<StageRow>,
}

/// Series over time for the report's trends and charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trends {
    /// The ISO weeks of the report's window, for the [`SERIES_METRICS`](crate::SERIES_METRICS).
    pub weeks: Vec<Period>,
    /// Calendar months over all the data, for the same metrics.
    pub months: Vec<Period>,
    /// Quarters over all the data, with the dimension and overall scores of each.
    pub quarters: Vec<QuarterScores>,
    pub stages: StageComparison,
    /// The teams' figures over the report's window, for the series metrics
    /// (teams smaller than `min_group_size` are left out).
    pub teams: Vec<TeamFigures>,
}

/// One team's figures over the report's window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamFigures {
    pub team: String,
    pub people: u64,
    pub ai_rollout_date: Option<String>,
    pub values: BTreeMap<String, PeriodValue>,
}

/// How much an insight matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InsightLevel {
    /// A pattern the seed warns about.
    Warning,
    /// Worth knowing, not alarming.
    Info,
    /// Something that works.
    Positive,
}

/// A rule that fired, stated with the figures that made it fire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Insight {
    /// A stable id: `faster_coding_slower_review`, `adoption_with_failures`,
    /// `junior_growth_behind`, `review_load_concentrated`, `adoption_without_process_change`.
    pub id: String,
    pub level: InsightLevel,
    /// One sentence.
    pub title: String,
    /// The figures behind it.
    pub evidence: Vec<String>,
    /// The metric ids it rests on.
    pub metrics: Vec<String>,
}

/// One criterion of a phase, met or not, with what showed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub text: String,
    pub met: bool,
    pub evidence: String,
}

/// One phase of the model (PRODUCT.md §7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseStatus {
    pub phase: u8,
    pub name: String,
    /// Every criterion holds.
    pub met: bool,
    pub criteria: Vec<Criterion>,
}

/// The organisation's phase: the highest phase whose criteria hold together with those of
/// every phase below it; `None` before phase 0 holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseAssessment {
    pub phase: Option<u8>,
    pub phases: Vec<PhaseStatus>,
    /// What to do to reach the following phase.
    pub next_steps: Vec<String>,
}

/// What the phase assessment needs beyond the dataset: governance and snapshots live in
/// the store and the configuration, not in the records.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PhaseInputs {
    /// `[[zones]]` configured in `plumb.toml`.
    pub zones_configured: u64,
    /// Every recorded gate decision.
    pub gate_decisions: Vec<GateFact>,
    /// Every saved quarterly snapshot, oldest first.
    pub snapshots: Vec<SnapshotFact>,
}

/// A recorded `plumb gate` decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateFact {
    pub repo: String,
    /// The head commit the gate judged.
    pub head: String,
    pub decided_at: i64,
}

/// A saved snapshot as the phase model sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotFact {
    /// `2026-Q3`.
    pub quarter: String,
    pub taken_at: i64,
    /// `plumb snapshot --targets-reviewed` was given.
    pub targets_reviewed: bool,
    /// Metric id → the target as shown.
    pub targets: BTreeMap<String, String>,
}
