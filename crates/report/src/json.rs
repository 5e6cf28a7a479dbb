//! The JSON report: a versioned, documented schema (`docs/report-schema.md`).
//!
//! The report's JSON types are owned here rather than derived from the metrics crate's
//! types, so that a change inside the engine cannot silently change the contract: every
//! field below is written down in the schema document, and the schema test reads the
//! output back into these types.

use crate::{RepoMeta, ReportMeta, SCHEMA_VERSION, format};
use plumb_metrics::{
    Activity, Analysis, BreakdownEntry, Dimension, Direction, Scorecard, Source, Status,
    TargetBasis, TargetOp, Unit,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The whole JSON report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonReport {
    pub schema_version: u32,
    /// `plumb X.Y.Z`.
    pub generated_by: String,
    pub window: JsonWindow,
    pub repos: Vec<RepoMeta>,
    pub overall: JsonOverall,
    pub assessment: String,
    pub dimensions: Vec<JsonDimension>,
    pub metrics: Vec<JsonMetric>,
    pub activity: Activity,
    pub notes: Vec<String>,
    /// Trends, insights and the phase assessment (`plumb_metrics::Analysis`); absent when
    /// the report was rendered without them. Added in schema 1 as an optional field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<Analysis>,
}

/// The window, `[since, until)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonWindow {
    /// RFC 3339, UTC, inclusive.
    pub since: String,
    /// RFC 3339, UTC, exclusive.
    pub until: String,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct JsonOverall {
    pub score: Option<f64>,
    pub dimensions_with_score: u64,
    pub dimensions: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonDimension {
    pub id: Dimension,
    pub name: String,
    pub score: Option<f64>,
    pub coverage: JsonCoverage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonCoverage {
    pub metrics: u64,
    pub with_data: u64,
    pub scored: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonMetric {
    pub id: String,
    pub dimension: Dimension,
    pub name: String,
    pub value: Option<f64>,
    pub unit: Unit,
    pub n: u64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub breakdown: BTreeMap<String, BreakdownEntry>,
    pub target: Option<JsonTarget>,
    pub attainment: Option<f64>,
    pub direction: Direction,
    pub status: Status,
    pub low_sample: bool,
    pub sources: Vec<Source>,
    pub missing_sources: Vec<Source>,
    pub reason: Option<String>,
    /// For a target relative to a baseline: the figure over the baseline period; added
    /// within schema version 1, so absent from older reports.
    #[serde(default)]
    pub baseline: Option<f64>,
    /// The change judged against the relative target, in the target's unit.
    #[serde(default)]
    pub change: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonTarget {
    pub op: TargetOp,
    pub value: f64,
    pub relative: bool,
    pub unit: Unit,
    pub basis: TargetBasis,
    /// How the report prints it: `≥ 80%`, `−15% vs baseline`.
    pub label: String,
}

impl JsonReport {
    pub fn new(card: &Scorecard, analysis: Option<&Analysis>, meta: &ReportMeta) -> Self {
        JsonReport {
            schema_version: SCHEMA_VERSION,
            generated_by: format!("plumb {}", meta.tool_version),
            window: JsonWindow {
                since: rfc3339(card.window.since),
                until: rfc3339(card.window.until),
                label: meta.window_label.clone(),
            },
            repos: meta.repos.clone(),
            overall: JsonOverall {
                score: card.overall.score,
                dimensions_with_score: card.overall.dimensions_with_score,
                dimensions: card.overall.dimensions,
            },
            assessment: card.assessment.clone(),
            dimensions: card
                .dimensions
                .iter()
                .map(|d| JsonDimension {
                    id: d.dimension,
                    name: d.dimension.name().to_string(),
                    score: d.score,
                    coverage: JsonCoverage {
                        metrics: d.metrics,
                        with_data: d.metrics_with_data,
                        scored: d.metrics_scored,
                    },
                })
                .collect(),
            metrics: card
                .metrics
                .iter()
                .map(|m| JsonMetric {
                    id: m.id.clone(),
                    dimension: m.dimension,
                    name: m.name.clone(),
                    value: m.value,
                    unit: m.unit,
                    n: m.n,
                    numerator: m.numerator,
                    denominator: m.denominator,
                    breakdown: m.breakdown.clone(),
                    target: m.target.map(|t| JsonTarget {
                        op: t.op,
                        value: t.value,
                        relative: t.relative,
                        unit: t.unit,
                        basis: t.basis,
                        label: format::target_label(&t, m.direction),
                    }),
                    attainment: m.attainment,
                    direction: m.direction,
                    status: m.status,
                    low_sample: m.low_sample,
                    sources: m.sources.clone(),
                    missing_sources: m.missing_sources.clone(),
                    reason: m.reason.clone(),
                    baseline: m.baseline,
                    change: m.change,
                })
                .collect(),
            activity: card.activity.clone(),
            notes: card.notes.clone(),
            analysis: analysis.cloned(),
        }
    }
}

/// Unix seconds as RFC 3339 UTC; a second outside the calendar's range (which no store
/// holds) is written as the bare number rather than failing the report.
fn rfc3339(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| seconds.to_string())
}

pub(crate) fn render(card: &Scorecard, analysis: Option<&Analysis>, meta: &ReportMeta) -> String {
    let report = JsonReport::new(card, analysis, meta);
    // Serialising plain structs to a string cannot fail; non-finite floats become null.
    match serde_json::to_string_pretty(&report) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        Err(e) => format!("{{\"error\": {:?}}}\n", e.to_string()),
    }
}
