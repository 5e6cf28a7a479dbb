//! The analysis sections (stages before/after the rollout, quarters, insights, phase) as
//! words, shared by the terminal and Markdown reports so both say the same.

use crate::format;
use plumb_metrics::{Analysis, Dimension, InsightLevel, PeriodValue, PhaseAssessment, Unit};

/// "Phase 1 — baselines", or that phase 0 is not reached.
pub(crate) fn phase_now(p: &PhaseAssessment) -> String {
    match p.phase {
        Some(n) => match p.phases.iter().find(|s| s.phase == n) {
            Some(s) => format!("Phase {n} — {}", s.name),
            None => format!("Phase {n}"),
        },
        None => "none yet (phase 0 is not reached)".to_string(),
    }
}

pub(crate) fn level(l: InsightLevel) -> &'static str {
    match l {
        InsightLevel::Warning => "⚠️ warning",
        InsightLevel::Info => "ℹ️ info",
        InsightLevel::Positive => "✅ positive",
    }
}

pub(crate) fn mark(met: bool) -> &'static str {
    if met { "✓" } else { "✗" }
}

/// A duration with its sample and percentiles: `2.8 d (n=640; p75 3.8 d, p90 4.9 d)`.
fn days(v: Option<PeriodValue>) -> String {
    match v {
        None => "no data".to_string(),
        Some(v) => {
            let mut s = format!(
                "{} (n={}",
                format::number(v.value, Unit::Days),
                format::count(v.n)
            );
            if let (Some(p75), Some(p90)) = (v.p75, v.p90) {
                s.push_str(&format!(
                    "; p75 {}, p90 {}",
                    format::number(p75, Unit::Days),
                    format::number(p90, Unit::Days)
                ));
            }
            s.push(')');
            s
        }
    }
}

/// Stage | Before | After | Change, one row per stage.
pub(crate) fn stage_rows(a: &Analysis) -> Vec<[String; 4]> {
    a.trends
        .stages
        .rows
        .iter()
        .map(|r| {
            [
                r.stage.clone(),
                days(r.before),
                days(r.after),
                r.change_pct.map_or_else(
                    || "—".to_string(),
                    |c| format!("{c:+.0}%").replacen('-', "−", 1),
                ),
            ]
        })
        .collect()
}

/// The header and rows of the dimension scores per quarter.
pub(crate) fn quarter_table(a: &Analysis) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["Quarter".to_string()];
    header.extend(Dimension::ALL.iter().map(|d| d.name().to_string()));
    header.push("Overall".to_string());
    let score = |s: Option<f64>| s.map_or_else(|| "—".to_string(), format::score);
    let rows = a
        .trends
        .quarters
        .iter()
        .map(|q| {
            let mut row = vec![if q.partial {
                format!("{} (partial)", q.label)
            } else {
                q.label.clone()
            }];
            row.extend(
                Dimension::ALL
                    .iter()
                    .map(|d| score(q.dimensions.get(d).copied().flatten())),
            );
            row.push(score(q.overall));
            row
        })
        .collect();
    (header, rows)
}
