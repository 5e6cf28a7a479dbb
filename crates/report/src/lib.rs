//! Renders a [`Scorecard`] as terminal text, Markdown and versioned JSON.
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
//! The JSON is a contract: [`JsonReport`] is the schema, versioned by [`SCHEMA_VERSION`]
//! and documented field by field in `docs/report-schema.md`. A change that renames or
//! removes a field, or changes a field's meaning, bumps the version.

#![forbid(unsafe_code)]

mod format;
mod json;
mod markdown;
mod text;

pub use json::{
    JsonCoverage, JsonDimension, JsonMetric, JsonOverall, JsonReport, JsonTarget, JsonWindow,
};

use plumb_metrics::Scorecard;
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
pub fn render_text(card: &Scorecard, meta: &ReportMeta, color: bool) -> String {
    text::render(card, meta, color)
}

/// The Markdown report, with GitHub tables.
pub fn render_markdown(card: &Scorecard, meta: &ReportMeta) -> String {
    markdown::render(card, meta)
}

/// The JSON report ([`JsonReport`]), pretty-printed.
pub fn render_json(card: &Scorecard, meta: &ReportMeta) -> String {
    json::render(card, meta)
}

/// A commit id as people quote it.
fn short_head(head: &str) -> &str {
    head.get(..12).unwrap_or(head)
}
