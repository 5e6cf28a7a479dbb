//! Cost efficiency: AI tool cost per engineer-month, total investment, value created,
//! ROI, cost per feature, revenue per engineer and the cost of AI-linked incidents.
//!
//! Definitions and decisions:
//!
//! - **Months and proration.** Costs are monthly; a month partly in the window counts with
//!   the share of its days in the window (amount and month alike), so a window of whole
//!   months takes whole months and a 90-day window takes fractions of its edge months.
//!   "Months" is the (fractional) number of window months that have at least one cost line
//!   of the categories summed: a month without any line is missing data, not a month that
//!   cost nothing, and a note gives the coverage.
//! - **Currency.** Amounts are summed in one currency, the one most cost lines use; lines
//!   in other currencies are left out with a note (no exchange rates are known).
//! - **Engineers** are the window's active developers (a non-merge commit or a pull
//!   request by a person).
//! - **Investment** = AI tool + CI/CD + security tooling + training + consulting costs;
//!   `cost.total_investment` annualises it (× 12 / months). Cost per feature divides all
//!   costs (every category) in the window by the features delivered in it.
//! - **Value created** (needs `[value_model]`): (features delivered in the window − the
//!   features delivered in the equally long window before) × `average_feature_value`, plus
//!   engineering days saved × `loaded_cost_per_engineer_day`, days saved being (the
//!   baseline window's median coding stage − the window's) × pull requests merged in the
//!   window. Either part needs its assumption set and its baseline; the notes print the
//!   arithmetic. It can be negative.
//! - **ROI** = (value created − investment) / investment for the window (investment not
//!   annualised, so both cover the same period). The breakdown gives the cumulative ROI at
//!   the end of each month since the earliest team AI rollout date (up to the window's
//!   end): the payback curve. Its value counts, per team that has rolled out, the features
//!   delivered (placed by the item's team, else its pull request author's) beyond the
//!   team's own pace in the 91 days before its rollout (a cohort
//!   comparison: teams that have not rolled out add nothing), × `average_feature_value`;
//!   engineering time is left out of the curve because month-by-month stage medians are
//!   too noisy to value. A note names the payback month (month 1 is the first rollout's
//!   month), the first whose cumulative ROI is at least 0.
//! - **Revenue per engineer**: the `revenue` KPI's values dated in the window, summed, per
//!   active developer.
//! - **AI incident cost**: incidents opened in the window that are `ai_related` or traced
//!   (by name or by time) to a deployment that shipped an AI-assisted commit, × their
//!   hours open × `cost_per_incident_hour`; unresolved ones are left out with a note.

use crate::adoption::Figure;
use crate::org::Org;
use crate::outcomes::features_count;
use crate::stats::{HOUR, entry, median, month_of, month_overlap, month_span, secs};
use crate::{BreakdownEntry, Window};
use plumb_model::records::{CostCategory, Month};
use std::collections::{BTreeMap, BTreeSet};

/// The categories `cost.total_investment` and ROI count.
const INVESTED: [CostCategory; 5] = [
    CostCategory::AiTool,
    CostCategory::CiCd,
    CostCategory::SecurityTooling,
    CostCategory::Training,
    CostCategory::Consulting,
];

/// Costs of some categories, prorated to a window.
#[derive(Debug, Default)]
struct Spend {
    amount: f64,
    /// Window months (fractional) that have a cost line of the categories.
    months: f64,
    lines: u64,
    by_category: BTreeMap<CostCategory, f64>,
}

fn currency(org: &Org<'_>) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &org.data.records.costs {
        *counts.entry(c.currency.trim()).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(c, _)| c.to_string())
}

fn spend(org: &Org<'_>, w: &Window, categories: &[CostCategory]) -> Spend {
    let cur = currency(org);
    let mut s = Spend::default();
    let mut months: BTreeSet<Month> = BTreeSet::new();
    for c in &org.data.records.costs {
        if !categories.contains(&c.category) || Some(c.currency.trim()) != cur.as_deref() {
            continue;
        }
        let frac = month_overlap(c.month, w);
        if frac <= 0.0 {
            continue;
        }
        s.amount += c.amount * frac;
        *s.by_category.entry(c.category).or_default() += c.amount * frac;
        s.lines += 1;
        months.insert(c.month);
    }
    s.months = months.iter().map(|m| month_overlap(*m, w)).sum();
    s
}

/// The window's length in (fractional) calendar months.
fn window_months(w: &Window) -> f64 {
    let mut m = month_of(w.since);
    let mut total = 0.0;
    // Bounded: a window spans at most a few hundred months.
    for _ in 0..1200 {
        let (start, end) = month_span(m);
        if start >= w.until {
            break;
        }
        total += month_overlap(m, w);
        m = month_of(end);
    }
    total
}

fn coverage_notes(org: &Org<'_>, w: &Window, s: &Spend, what: &str) -> Vec<String> {
    let mut notes = Vec::new();
    let all = window_months(w);
    if s.months + 1e-9 < all {
        notes.push(format!(
            "{what} cover {:.1} of the window's {:.1} months; months without a cost line are left out",
            s.months, all
        ));
    }
    if let Some(cur) = currency(org) {
        let other = org
            .data
            .records
            .costs
            .iter()
            .filter(|c| c.currency.trim() != cur)
            .count();
        if other > 0 {
            notes.push(format!(
                "{other} cost line(s) not in {cur} are left out (no exchange rates are known)"
            ));
        }
        if let Some(vm) = &org.config.value_model
            && !vm.currency.trim().eq_ignore_ascii_case(&cur)
        {
            notes.push(format!(
                "costs are in {cur} but [value_model] is in {}: value and cost are compared as written",
                vm.currency.trim()
            ));
        }
    }
    notes
}

fn no_costs(w: &Window, what: &str) -> String {
    format!("no {what} for months overlapping window {}", w.label())
}

pub(crate) fn ai_tool_cost_per_engineer_month(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let s = spend(org, w, &[CostCategory::AiTool]);
    if s.months <= 0.0 {
        return Err(no_costs(w, "ai_tool costs"));
    }
    let engineers = org.active_count(w);
    if engineers == 0 {
        return Err(format!("no active developers in window {}", w.label()));
    }
    let per = engineers as f64 * s.months;
    Ok(Figure {
        value: s.amount / per,
        n: engineers,
        numerator: Some(s.amount),
        denominator: Some(per),
        breakdown: BTreeMap::new(),
        notes: coverage_notes(org, w, &s, "AI tool costs"),
    })
}

fn investment(org: &Org<'_>, w: &Window) -> Spend {
    spend(org, w, &INVESTED)
}

pub(crate) fn total_investment(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let s = investment(org, w);
    if s.months <= 0.0 {
        return Err(no_costs(
            w,
            "AI tool, CI/CD, security tooling, training or consulting costs",
        ));
    }
    let annual = |x: f64| x * 12.0 / s.months;
    let breakdown = s
        .by_category
        .iter()
        .map(|(c, a)| (c.as_str().to_string(), entry(annual(*a), s.lines)))
        .collect();
    let mut notes = coverage_notes(org, w, &s, "investment costs");
    notes.push(format!(
        "{:.0} spent in the window over {:.1} month(s), annualised × 12 / months",
        s.amount, s.months
    ));
    Ok(Figure {
        value: annual(s.amount),
        n: s.lines,
        numerator: Some(s.amount),
        denominator: Some(s.months),
        breakdown,
        notes,
    })
}

pub(crate) fn value_created(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    value_against(org, w, &w.previous())
}

/// Value created in `w` against the baseline window `base_w`, whose feature count is
/// scaled to `w`'s length (the cumulative ROI compares each month with the quarter before
/// the rollout).
fn value_against(org: &Org<'_>, w: &Window, base_w: &Window) -> Result<Figure, String> {
    let Some(vm) = &org.config.value_model else {
        return Err(
            "needs [value_model] in plumb.toml (average_feature_value and/or loaded_cost_per_engineer_day)".to_string(),
        );
    };
    let scale = if base_w.seconds() > 0 {
        w.seconds() as f64 / base_w.seconds() as f64
    } else {
        1.0
    };
    let base_w = *base_w;
    let mut parts: BTreeMap<String, BreakdownEntry> = BTreeMap::new();
    let mut missing = Vec::new();
    let mut notes = Vec::new();
    let mut n = 0;
    match vm.average_feature_value {
        Some(avg) => match (features_count(org, w), features_count(org, &base_w)) {
            (Ok(now), Ok(before)) => {
                let expected = before as f64 * scale;
                let v = (now as f64 - expected) * avg;
                parts.insert("features".to_string(), entry(v, now));
                n = n.max(now);
                notes.push(format!(
                    "features: ({now} delivered − {expected:.1} at the rate of the baseline window {}) × {avg} {} average feature value = {v:.0}",
                    base_w.label(),
                    vm.currency
                ));
            }
            (Err(e), _) => missing.push(format!("features: {e}")),
            (_, Err(e)) => missing.push(format!("features: no data in the baseline window ({e})")),
        },
        None => missing.push("average_feature_value is not set in [value_model]".to_string()),
    }
    match vm.loaded_cost_per_engineer_day {
        Some(day_cost) => {
            let (now, merged) = org.with_stages(w, |s| (median(&s.coding), s.merged));
            let before = org.with_stages(&base_w, |s| median(&s.coding));
            match (now, before) {
                (Some(a), Some(b)) => {
                    let saved = (b - a) * merged as f64;
                    let v = saved * day_cost;
                    parts.insert("engineering time".to_string(), entry(v, merged));
                    n = n.max(merged);
                    notes.push(format!(
                        "engineering time: ({b:.2} d baseline − {a:.2} d median coding stage) × {} merged pull requests = {saved:.1} days × {day_cost} {} per engineer-day = {v:.0}",
                        merged, vm.currency
                    ));
                }
                _ => missing.push(format!(
                    "engineering time: needs a coding-stage median in the window and in the baseline window {}",
                    base_w.label()
                )),
            }
        }
        None => {
            missing.push("loaded_cost_per_engineer_day is not set in [value_model]".to_string())
        }
    }
    if parts.is_empty() {
        return Err(missing.join("; "));
    }
    for m in missing {
        notes.push(format!("left out of value created: {m}"));
    }
    Ok(Figure {
        value: parts.values().map(|e| e.value).sum(),
        n,
        numerator: None,
        denominator: None,
        breakdown: parts,
        notes,
    })
}

/// The value the payback curve gives a month: for each team whose AI rollout began by the
/// month's end, its features delivered in the month beyond its pace in the
/// [`PRE_ROLLOUT_DAYS`] before its rollout (scaled to the month), × the average feature
/// value. Work items are placed by their `team`, else by the team of the author of a pull
/// request linked to them; items placed in no team are not counted.
fn cohort_value(org: &Org<'_>, mw: &Window) -> Result<f64, String> {
    let avg = org
        .config
        .value_model
        .as_ref()
        .and_then(|vm| vm.average_feature_value)
        .ok_or_else(|| "average_feature_value is not set in [value_model]".to_string())?;
    let mut extra = 0.0;
    let mut counted = false;
    for team in org.ids.teams() {
        let Some(r) = team.ai_rollout_date else {
            continue;
        };
        let start = crate::stats::day_start(r);
        if start >= mw.until {
            continue;
        }
        let before = Window {
            since: start - PRE_ROLLOUT_DAYS * crate::stats::DAY,
            until: start,
        };
        // The part of the month after the rollout.
        let after = Window {
            since: mw.since.max(start),
            until: mw.until,
        };
        let features = |w: &Window| org.features_delivered(&team.name, w) as f64;
        let pace = features(&before) / before.seconds() as f64;
        extra += features(&after) - pace * after.seconds() as f64;
        counted = true;
    }
    if !counted {
        return Err("no team with an AI rollout date has work items".to_string());
    }
    Ok(extra * avg)
}

/// The pre-rollout period the cumulative ROI values each month against.
const PRE_ROLLOUT_DAYS: i64 = 91;

/// Months of the cumulative ROI series at most (ten years).
const MAX_ROI_MONTHS: usize = 120;

pub(crate) fn roi(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let value = value_created(org, w)?;
    let inv = investment(org, w);
    if inv.months <= 0.0 || inv.amount <= 0.0 {
        return Err(no_costs(
            w,
            "AI tool, CI/CD, security tooling, training or consulting costs",
        ));
    }
    let mut f = Figure {
        value: 100.0 * (value.value - inv.amount) / inv.amount,
        n: value.n,
        numerator: Some(value.value - inv.amount),
        denominator: Some(inv.amount),
        breakdown: BTreeMap::new(),
        notes: vec![format!(
            "ROI = (value created {:.0} − investment {:.0}) / investment, both for the window",
            value.value, inv.amount
        )],
    };
    f.notes
        .extend(coverage_notes(org, w, &inv, "investment costs"));
    let rollout = org
        .data
        .records
        .teams
        .iter()
        .filter_map(|t| t.ai_rollout_date)
        .min();
    let Some(rollout) = rollout else {
        f.notes.push(
            "no team has an AI rollout date: the cumulative ROI by month is not shown".to_string(),
        );
        return Ok(f);
    };
    let mut month = Month {
        year: rollout.year(),
        month: rollout.month(),
    };
    let mut payback_k = None;
    let (mut cum_value, mut cum_cost) = (0.0, 0.0);
    let mut payback: Option<Month> = None;
    for k in 1..=MAX_ROI_MONTHS {
        let (start, end) = month_span(month);
        if start >= w.until {
            break;
        }
        let mw = Window {
            since: start,
            until: end.min(w.until),
        };
        match cohort_value(org, &mw) {
            Ok(v) => cum_value += v,
            Err(e) => {
                f.notes.push(format!(
                    "cumulative ROI stops before {month}: its value cannot be computed ({e})"
                ));
                break;
            }
        }
        cum_cost += investment(org, &mw).amount;
        if cum_cost > 0.0 {
            f.breakdown.insert(
                format!("cumulative {month}"),
                entry(100.0 * (cum_value - cum_cost) / cum_cost, k as u64),
            );
            if payback.is_none() && cum_value >= cum_cost {
                payback = Some(month);
                payback_k = Some(k);
            }
        }
        month = month_of(end);
    }
    let latest = f.breakdown.values().next_back().map(|e| e.value);
    let k = payback_k.unwrap_or(0);
    f.notes.push(match (payback, latest) {
        (Some(m), Some(now)) if now < 0.0 => format!(
            "payback month since the AI rollout ({rollout}): month {k} ({m}), but the cumulative ROI has fallen back to {now:.1}%"
        ),
        (Some(m), _) => format!(
            "payback month since the AI rollout ({rollout}): month {k} ({m})"
        ),
        (None, None) => format!("no investment recorded since the AI rollout ({rollout})"),
        (None, Some(_)) => format!("no payback yet since the AI rollout ({rollout})"),
    });
    Ok(f)
}

pub(crate) fn cost_per_feature(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let all = spend(
        org,
        w,
        &[
            CostCategory::AiTool,
            CostCategory::CiCd,
            CostCategory::SecurityTooling,
            CostCategory::Training,
            CostCategory::Consulting,
            CostCategory::Infrastructure,
            CostCategory::Other,
        ],
    );
    if all.months <= 0.0 {
        return Err(no_costs(w, "costs"));
    }
    let features = features_count(org, w)?;
    if features == 0 {
        return Err(format!("no features delivered in window {}", w.label()));
    }
    Ok(Figure {
        value: all.amount / features as f64,
        n: features,
        numerator: Some(all.amount),
        denominator: Some(features as f64),
        breakdown: BTreeMap::new(),
        notes: coverage_notes(org, w, &all, "costs"),
    })
}

pub(crate) fn revenue_per_engineer(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let points: Vec<f64> = org
        .data
        .records
        .kpis
        .iter()
        .filter(|k| k.feature.is_none() && k.kpi.trim().eq_ignore_ascii_case("revenue"))
        .filter(|k| w.contains_date(k.date))
        .map(|k| k.value)
        .collect();
    if points.is_empty() {
        return Err(format!("no `revenue` KPI values in window {}", w.label()));
    }
    let engineers = org.active_count(w);
    if engineers == 0 {
        return Err(format!("no active developers in window {}", w.label()));
    }
    let revenue: f64 = points.iter().sum();
    Ok(Figure {
        value: revenue / engineers as f64,
        n: engineers,
        numerator: Some(revenue),
        denominator: Some(engineers as f64),
        breakdown: BTreeMap::new(),
        notes: vec![format!(
            "{} `revenue` value(s) in the window, summed, per active developer",
            points.len()
        )],
    })
}

pub(crate) fn ai_incident_cost(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let Some(rate) = org
        .config
        .value_model
        .as_ref()
        .and_then(|v| v.cost_per_incident_hour)
    else {
        return Err("needs cost_per_incident_hour in [value_model] in plumb.toml".to_string());
    };
    let opened: Vec<_> = org
        .data
        .records
        .incidents
        .iter()
        .filter(|i| w.contains(secs(i.opened_at)))
        .collect();
    if opened.is_empty() {
        return Err(format!("no incidents opened in window {}", w.label()));
    }
    let ai: Vec<_> = opened
        .iter()
        .filter(|i| i.ai_related == Some(true) || org.incident_from_ai_change(&i.id))
        .collect();
    let mut hours = 0.0;
    let mut counted = 0u64;
    let mut unresolved = 0u64;
    for i in &ai {
        match i.resolved_at.map(secs) {
            Some(r) if r >= secs(i.opened_at) => {
                hours += (r - secs(i.opened_at)) as f64 / HOUR;
                counted += 1;
            }
            _ => unresolved += 1,
        }
    }
    let mut notes = vec![format!(
        "{} of {} incident(s) opened in the window are linked to AI-assisted changes (ai_related, or traced to a deployment that shipped an AI-assisted commit): {hours:.1} hours × {rate} per hour",
        ai.len(),
        opened.len()
    )];
    if unresolved > 0 {
        notes.push(format!(
            "{unresolved} unresolved AI-linked incident(s) are left out"
        ));
    }
    Ok(Figure {
        value: hours * rate,
        n: counted,
        numerator: Some(hours),
        denominator: None,
        breakdown: BTreeMap::new(),
        notes,
    })
}
