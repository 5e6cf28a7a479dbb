//! Code churn and the tech-debt balance, from line survival in the git history.
//!
//! The CLI reads line survival from the repositories (`plumb_git::Repository::
//! line_survival`, see `docs/churn.md`; the figures that hold come from the store) and
//! hands it over as [`ChurnFact`]s; this module only counts.
//!
//! - **Code churn** (`process.code_churn_pct`): of the lines added by the window's
//!   non-merge commits by people and AI agents (outside generated, vendored and lock
//!   files), the share deleted or rewritten within 21 days of being written. A commit whose
//!   21 days are not yet covered by the history is left out (its figure is not final),
//!   with a note. The breakdown splits AI-assisted commits from the others.
//! - **Tech debt balance** (`quality.tech_debt_balance`): debt work items resolved −
//!   created, per quarter (scaled from the window's length), when work items are imported;
//!   else TODO/FIXME/HACK markers removed − added by the window's commits, per quarter. Both
//!   are positive when debt shrinks. The markers are always in the breakdown.

use crate::Window;
use crate::adoption::Figure;
use crate::org::{ChurnMemo, Org};
use crate::stats::{DAY, entry, pct, secs};
use plumb_model::records::WorkType;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The survival of one non-merge commit's added lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChurnFact {
    pub repo: String,
    pub commit: String,
    pub author_time: i64,
    /// The history reaches 21 days past the commit: its churn is final.
    pub horizon_complete: bool,
    pub files: Vec<ChurnFile>,
}

/// One file of a [`ChurnFact`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChurnFile {
    pub path: String,
    pub lines_added: u32,
    /// Of those, deleted or rewritten within 21 days.
    pub lines_churned: u32,
    /// Added lines with a TODO, FIXME or HACK marker.
    pub markers_added: u32,
    /// Removed lines with one.
    pub markers_removed: u32,
}

/// The days a line must survive not to count as churn.
pub const CHURN_HORIZON_DAYS: i64 = 21;

const QUARTER_DAYS: f64 = 365.25 / 4.0;

/// The counted commits of a window: non-merge, by people or AI agents.
fn counted<'o>(
    org: &'o Org<'_>,
    w: &'o Window,
) -> Result<Vec<(&'o ChurnFact, &'o ChurnMemo)>, String> {
    let Some(facts) = org.data.churn.as_ref() else {
        return Err(
            "line survival was not read for this report (it is read from the repositories by `plumb report`)"
                .to_string(),
        );
    };
    Ok(facts
        .iter()
        .zip(&org.churn_memo)
        .filter(|(f, m)| m.counted && w.contains(f.author_time))
        .collect())
}

pub(crate) fn code_churn(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let facts = counted(org, w)?;
    let (mut added, mut churned) = (0u64, 0u64);
    let (mut ai_added, mut ai_churned, mut ai_commits) = (0u64, 0u64, 0u64);
    let (mut other_added, mut other_churned, mut other_commits) = (0u64, 0u64, 0u64);
    let mut pending = 0u64;
    for (f, m) in &facts {
        if !f.horizon_complete {
            pending += 1;
            continue;
        }
        let (a, c) = (m.added, m.churned);
        added += a;
        churned += c;
        if m.ai {
            ai_added += a;
            ai_churned += c;
            ai_commits += 1;
        } else {
            other_added += a;
            other_churned += c;
            other_commits += 1;
        }
    }
    if added == 0 {
        return Err(if pending > 0 {
            format!(
                "the {pending} commit(s) of window {} are less than {CHURN_HORIZON_DAYS} days older than the newest commit: their churn is not final yet",
                w.label()
            )
        } else {
            format!(
                "no lines added in window {} outside generated, vendored and lock files",
                w.label()
            )
        });
    }
    let mut breakdown = BTreeMap::new();
    if ai_added > 0 {
        breakdown.insert(
            "AI-assisted".to_string(),
            entry(pct(ai_churned as f64, ai_added as f64), ai_commits),
        );
    }
    if other_added > 0 {
        breakdown.insert(
            "not AI-assisted".to_string(),
            entry(pct(other_churned as f64, other_added as f64), other_commits),
        );
    }
    let mut notes = vec![format!(
        "{churned} of {added} added lines deleted or rewritten within {CHURN_HORIZON_DAYS} days"
    )];
    if pending > 0 {
        notes.push(format!(
            "{pending} commit(s) less than {CHURN_HORIZON_DAYS} days older than the newest commit are left out: their churn is not final yet"
        ));
    }
    Ok(Figure {
        value: pct(churned as f64, added as f64),
        n: ai_commits + other_commits,
        numerator: Some(churned as f64),
        denominator: Some(added as f64),
        breakdown,
        notes,
    })
}

pub(crate) fn tech_debt_balance(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let per_quarter = QUARTER_DAYS * DAY as f64 / w.seconds().max(1) as f64;
    let markers = counted(org, w).ok().map(|facts| {
        facts.iter().fold((0u64, 0u64), |(a, r), (_, m)| {
            (a + m.markers_added, r + m.markers_removed)
        })
    });
    let mut breakdown = BTreeMap::new();
    let mut notes = Vec::new();
    if let Some((added, removed)) = markers {
        breakdown.insert("markers added".to_string(), entry(added as f64, added));
        breakdown.insert(
            "markers removed".to_string(),
            entry(removed as f64, removed),
        );
    }
    let debt = org
        .data
        .records
        .work_items
        .iter()
        .filter(|i| i.kind == WorkType::Debt);
    let (mut created, mut resolved) = (0u64, 0u64);
    let mut any_debt = false;
    for i in debt {
        any_debt = true;
        if w.contains(secs(i.created_at)) {
            created += 1;
        }
        if i.done_at.is_some_and(|t| w.contains(secs(t))) {
            resolved += 1;
        }
    }
    if any_debt && created + resolved > 0 {
        breakdown.insert(
            "debt items created".to_string(),
            entry(created as f64, created),
        );
        breakdown.insert(
            "debt items resolved".to_string(),
            entry(resolved as f64, resolved),
        );
        notes.push(format!(
            "debt work items resolved − created per quarter ({resolved} resolved, {created} created in the window)"
        ));
        return Ok(Figure {
            value: (resolved as f64 - created as f64) * per_quarter,
            n: created + resolved,
            numerator: None,
            denominator: None,
            breakdown,
            notes,
        });
    }
    match markers {
        Some((added, removed)) if added + removed > 0 => {
            notes.push(format!(
                "no debt work items in the window: TODO/FIXME/HACK markers removed − added per quarter ({removed} removed, {added} added)"
            ));
            Ok(Figure {
                value: (removed as f64 - added as f64) * per_quarter,
                n: added + removed,
                numerator: None,
                denominator: None,
                breakdown,
                notes,
            })
        }
        Some(_) => Err(format!(
            "no debt work items and no TODO/FIXME/HACK markers added or removed in window {}",
            w.label()
        )),
        None => Err(if any_debt {
            format!(
                "no debt work items created or resolved in window {}",
                w.label()
            )
        } else {
            "no debt work items imported, and line survival (TODO/FIXME/HACK markers) was not read for this report".to_string()
        }),
    }
}
