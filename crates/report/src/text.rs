//! The terminal report: aligned plain text, optionally with coloured statuses.

use crate::format::{self, MissingGroup, Row};
use crate::{ReportMeta, sections, short_head};
use plumb_metrics::{Analysis, PhaseAssessment, Scorecard, Status};
use std::fmt::Write as _;

/// Lines of the "needed by" lists wrap before this many characters.
const WIDTH: usize = 96;

const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RED: &str = "\x1b[31m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

pub(crate) fn render(
    card: &Scorecard,
    analysis: Option<&Analysis>,
    meta: &ReportMeta,
    color: bool,
) -> String {
    let mut out = String::new();
    header(&mut out, meta);
    out.push('\n');
    board(&mut out, &format::rows(card, "  ↳ "), color);
    out.push('\n');
    scores(&mut out, card);
    if let Some(a) = analysis {
        analysis_sections(&mut out, a);
    }
    let missing = format::missing(card);
    if !missing.is_empty() {
        out.push('\n');
        missing_data(&mut out, &missing);
    }
    out.push('\n');
    activity(&mut out, card);
    if !card.notes.is_empty() {
        out.push_str("\nNotes\n");
        for n in &card.notes {
            let _ = writeln!(out, "  - {n}");
        }
    }
    out
}

fn analysis_sections(out: &mut String, a: &Analysis) {
    out.push_str("\nCycle-time stages before and after the AI rollout\n");
    wrap_list(out, "  ", std::slice::from_ref(&a.trends.stages.basis));
    let mut rows = vec![[
        "Stage".to_string(),
        "Before rollout".to_string(),
        "After rollout".to_string(),
        "Change".to_string(),
    ]];
    rows.extend(sections::stage_rows(a));
    let widths: Vec<usize> = (0..4)
        .map(|i| rows.iter().map(|r| width(&r[i])).max().unwrap_or(0))
        .collect();
    for r in &rows {
        let cells: Vec<String> = r.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
        let _ = writeln!(out, "  {}", cells.join("   ").trim_end());
    }
    let (header, rows) = sections::quarter_table(a);
    if !rows.is_empty() {
        out.push_str("\nDimension scores by quarter\n");
        let all: Vec<&Vec<String>> = std::iter::once(&header).chain(rows.iter()).collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|i| {
                all.iter()
                    .map(|r| r.get(i).map_or(0, |c| width(c)))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for r in all {
            let cells: Vec<String> = r.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
            let _ = writeln!(out, "  {}", cells.join("  ").trim_end());
        }
    }
    out.push_str("\nInsights\n");
    if a.insights.is_empty() {
        out.push_str("  No insight rule fired for this window.\n");
    }
    for i in &a.insights {
        let _ = writeln!(out, "  {} {}", sections::level(i.level), i.title);
        for e in &i.evidence {
            let _ = writeln!(out, "      - {e}");
        }
    }
    out.push('\n');
    phase(out, &a.phase);
}

/// The phase assessment: each phase, each criterion ✓/✗ with its evidence, the next steps.
pub(crate) fn phase(out: &mut String, p: &PhaseAssessment) {
    let _ = writeln!(out, "Phase: {}", sections::phase_now(p));
    for s in &p.phases {
        let _ = writeln!(out, "  {} {}", s.phase, s.name);
        for c in &s.criteria {
            let _ = writeln!(
                out,
                "    {} {} — {}",
                sections::mark(c.met),
                c.text,
                c.evidence
            );
        }
    }
    if !p.next_steps.is_empty() {
        out.push_str("  Next steps:\n");
        for step in &p.next_steps {
            let _ = writeln!(out, "    - {step}");
        }
    }
}

fn header(out: &mut String, meta: &ReportMeta) {
    let _ = writeln!(
        out,
        "plumb {} — AI productivity scorecard",
        meta.tool_version
    );
    let _ = writeln!(out, "Window: {}", meta.window_label);
    match meta.repos.as_slice() {
        [] => out.push_str("Repositories: none\n"),
        repos => {
            out.push_str("Repositories:\n");
            let name_w = repos.iter().map(|r| width(&r.name)).max().unwrap_or(0);
            for r in repos {
                let head = r.head.as_deref().map_or_else(
                    || "not ingested".to_string(),
                    |h| format!("HEAD {}", short_head(h)),
                );
                let line = format!(
                    "  {}  {}  {head}  {}",
                    pad(&r.name, name_w),
                    r.path,
                    format::plural(r.commits, "commit", "commits")
                );
                let _ = writeln!(out, "{}", line.trim_end());
            }
        }
    }
}

fn board(out: &mut String, rows: &[Row], color: bool) {
    let head = ["Dimension", "Metric", "Target", "Actual"];
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|r| {
            [
                r.dimension
                    .map(|d| d.name().to_string())
                    .unwrap_or_default(),
                r.metric.clone(),
                r.target.clone(),
                r.actual.clone(),
            ]
        })
        .collect();
    let mut widths = head.map(width);
    for c in &cells {
        for (w, cell) in widths.iter_mut().zip(c) {
            *w = (*w).max(width(cell));
        }
    }
    let mut line = String::new();
    for (h, w) in head.iter().zip(widths) {
        line.push_str(&pad(h, w));
        line.push_str("  ");
    }
    line.push_str("Status");
    let _ = writeln!(out, "{line}");
    let rule: Vec<String> = widths
        .iter()
        .chain(std::iter::once(&6))
        .map(|w| "─".repeat(*w))
        .collect();
    let _ = writeln!(out, "{}", rule.join("  "));
    for (row, c) in rows.iter().zip(&cells) {
        let mut line = String::new();
        for (cell, w) in c.iter().zip(widths) {
            line.push_str(&pad(cell, w));
            line.push_str("  ");
        }
        if let Some(s) = row.status {
            line.push_str(&status(s, color));
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

fn status(s: Status, color: bool) -> String {
    let symbol = format::status(s, "ctx");
    if !color {
        return symbol.to_string();
    }
    let code = match s {
        Status::Met => GREEN,
        Status::Near => YELLOW,
        Status::Missed => RED,
        Status::Insufficient | Status::Context => DIM,
    };
    format!("{code}{symbol}{RESET}")
}

fn scores(out: &mut String, card: &Scorecard) {
    out.push_str("Dimension scores\n");
    let name_w = card
        .dimensions
        .iter()
        .map(|d| width(d.dimension.name()))
        .max()
        .unwrap_or(0);
    for d in &card.dimensions {
        let coverage = format::coverage(d.metrics_with_data, d.metrics, d.metrics_scored);
        let line = match d.score {
            Some(s) => format!(
                "  {}  {:>3}  ({coverage})",
                pad(d.dimension.name(), name_w),
                format::score(s)
            ),
            None => format!(
                "  {}    —  no data ({coverage})",
                pad(d.dimension.name(), name_w)
            ),
        };
        let _ = writeln!(out, "{line}");
    }
    let o = &card.overall;
    out.push('\n');
    match o.score {
        Some(s) => {
            let _ = writeln!(
                out,
                "Overall: {} ({} of {} dimensions scored)",
                format::score(s),
                o.dimensions_with_score,
                o.dimensions
            );
        }
        None => {
            let _ = writeln!(out, "Overall: — (no dimension has a score)");
        }
    }
    let _ = writeln!(out, "Assessment: {}", card.assessment);
}

fn missing_data(out: &mut String, groups: &[MissingGroup]) {
    out.push_str("Missing data\n");
    for g in groups {
        let _ = writeln!(out, "  {}", g.reason);
        wrap_list(out, "    needed by: ", &g.metrics);
    }
}

/// Writes `items` comma-separated after `lead`, wrapping under it.
fn wrap_list(out: &mut String, lead: &str, items: &[String]) {
    let indent = " ".repeat(width(lead));
    let mut line = lead.to_string();
    let mut fresh = true;
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{item},")
        } else {
            item.clone()
        };
        if !fresh && width(&line) + 1 + width(&piece) > WIDTH {
            let _ = writeln!(out, "{line}");
            line = format!("{indent}{piece}");
        } else {
            if !fresh {
                line.push(' ');
            }
            line.push_str(&piece);
        }
        fresh = false;
    }
    let _ = writeln!(out, "{line}");
}

fn activity(out: &mut String, card: &Scorecard) {
    out.push_str("Activity\n");
    let rows = format::activity_rows(card);
    let w = rows.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
    for (k, v) in rows {
        let _ = writeln!(out, "  {}  {v}", pad(k, w));
    }
}

/// Display width by characters: every character the report prints is one column wide,
/// except the status emoji, which sit last on their line where no column follows.
fn width(s: &str) -> usize {
    s.chars().count()
}

fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    out
}
