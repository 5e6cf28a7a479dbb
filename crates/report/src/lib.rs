//! Renders a [`Scorecard`] as terminal text, Markdown, versioned JSON, CSV and a
//! self-contained HTML page with inline SVG charts.
//!
//! This crate owns the output formats (STYLE.md: each format has one owner). It computes
//! nothing: every figure comes from `plumb-metrics`, and every format shows the same
//! board — Dimension | Metric | Target | Actual | Status — with the same words, because the
//! rows, numbers and "missing data" groups are built once in `format` and only laid out
//! differently per format.
//!
//! What every format keeps from the product's principles:
//!
//! - a metric without data reads `insufficient data`, and the reason is printed once in
//!   the "Missing data" section, grouped by cause (one missing source usually blocks
//!   several metrics, and saying so once is what tells a reader what to import first);
//! - every value carries its sample (`n=…`), and a value below the minimum sample says
//!   `low sample`;
//! - dimension scores carry their coverage, so a score resting on one metric of six is
//!   visibly that.
//!
//! CSV and HTML also render an [`Analysis`] (trends, insights, the phase assessment) when
//! one is given: the CSV as one row per metric and period, the HTML as charts and sections
//! after the board (`docs/html-report.md`). The HTML loads nothing — no script, stylesheet,
//! font or image — so it opens the same offline and years later.
//!
//! The JSON is a contract: [`JsonReport`] is the schema, versioned by [`SCHEMA_VERSION`]
//! and documented field by field in `docs/report-schema.md`. A change that renames or
//! removes a field, or changes a field's meaning, bumps the version.

#![forbid(unsafe_code)]

mod csv;
mod format;
mod html;
mod json;
mod markdown;
mod sections;
mod svg;
mod text;

pub use json::{
    JsonCoverage, JsonDimension, JsonMetric, JsonOverall, JsonReport, JsonTarget, JsonWindow,
};

use plumb_metrics::{Analysis, PhaseAssessment, Scorecard};
use serde::{Deserialize, Serialize};

/// The version of the JSON report's schema (`docs/report-schema.md`).
pub const SCHEMA_VERSION: u32 = 1;

/// What the report says about itself beside the scorecard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportMeta {
    /// The plumb version that produced the report.
    pub tool_version: String,
    /// How the window reads, e.g. "2026-05-02 → 2026-07-31 (90 days ending at the newest
    /// data)".
    pub window_label: String,
    pub repos: Vec<RepoMeta>,
}

/// One repository the report covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoMeta {
    pub name: String,
    pub path: String,
    /// The commit whose history is stored; `None` before a first complete ingest.
    pub head: Option<String>,
    /// Commits stored for the repository (all time, not only the window).
    pub commits: u64,
}

/// The terminal report. `color` adds ANSI colours to the statuses only (the caller decides,
/// e.g. from `NO_COLOR` and whether stdout is a terminal).
/// Given an analysis, the stages before/after the rollout, the quarters, the insights and
/// the phase follow the scores.
pub fn render_text(
    card: &Scorecard,
    analysis: Option<&Analysis>,
    meta: &ReportMeta,
    color: bool,
) -> String {
    text::render(card, analysis, meta, color)
}

/// The Markdown report, with GitHub tables: the board, the dimension scores, then (given
/// an analysis) the stages before/after the rollout, the quarters, the insights and the
/// phase.
pub fn render_markdown(card: &Scorecard, analysis: Option<&Analysis>, meta: &ReportMeta) -> String {
    markdown::render(card, analysis, meta)
}

/// The JSON report ([`JsonReport`]), pretty-printed; the analysis, when given, in its
/// `analysis` field.
pub fn render_json(card: &Scorecard, analysis: Option<&Analysis>, meta: &ReportMeta) -> String {
    json::render(card, analysis, meta)
}

/// The CSV report: one row per metric and period (`docs/html-report.md` lists the
/// columns). Without an analysis, only the window's metrics and scores.
pub fn render_csv(card: &Scorecard, analysis: Option<&Analysis>, meta: &ReportMeta) -> String {
    csv::render(card, analysis, meta)
}

/// The HTML report: one self-contained page (inline CSS and SVG, nothing loaded) with the
/// board and, given an analysis, its charts, insights, phase assessment and team figures.
pub fn render_html(card: &Scorecard, analysis: Option<&Analysis>, meta: &ReportMeta) -> String {
    html::render(card, analysis, meta)
}

/// The phase assessment alone, as the terminal shows it (`plumb phase`).
pub fn render_phase_text(phase: &PhaseAssessment) -> String {
    let mut out = String::new();
    text::phase(&mut out, phase);
    out
}

/// The phase assessment alone, in Markdown (`plumb phase --format md`).
pub fn render_phase_markdown(phase: &PhaseAssessment) -> String {
    let mut out = String::from("# Phase assessment\n\n");
    markdown::phase(&mut out, phase);
    out
}

/// The CSV report's header, in order.
pub const CSV_COLUMNS: [&str; 15] = csv::COLUMNS;

/// A commit id as people quote it.
fn short_head(head: &str) -> &str {
    head.get(..12).unwrap_or(head)
}
