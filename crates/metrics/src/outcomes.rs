//! Business outcomes: features delivered, customer request lead time, KPIs, customer
//! satisfaction, customer defects per release and feature adoption.
//!
//! Definitions and decisions:
//!
//! - **Delivered** has the cycle time's meaning (`released_at`, else the production
//!   deployment of the linked pull requests, else `done_at`): see `flow`.
//! - **Features delivered**: feature work items delivered in the window. It is judged by
//!   its change against the equally long window before (+20%). With no work item created
//!   or delivered in a window at all, the window has no data (rather than 0 features).
//! - **Customer request to production**: work items flagged `customer_request`, created →
//!   delivered, for those delivered in the window; the median in days.
//! - **KPI movement**: per KPI (points without a `feature`), the latest value in the
//!   window against the latest before it, as a percent change, in the breakdown. The value
//!   is the median change over the KPIs that have both; plumb does not know which KPIs are
//!   better lower (churn, cost), so a note says that a fall counts as negative.
//! - **Customer satisfaction**: the latest `csat` KPI value in the window (`nps` when there
//!   is no CSAT), judged by its change in points against the latest value of the same KPI
//!   before the window (any time before, not only in the baseline window).
//! - **Customer defects per release**: `customer_impacting` incidents opened in the window
//!   per successful production deployment finished in it.
//! - **Feature adoption**: of the features delivered by the window's end that have an
//!   adoption KPI (a point naming the feature) dated in the window, the share whose latest
//!   value there reaches the threshold. No threshold is configurable yet, so it is 20% of
//!   users: 0.2 for a KPI whose unit is a ratio (`ratio`, `share`, `fraction`, or no unit
//!   and a value of at most 1) and 20 otherwise. A note states it.

use crate::Window;
use crate::adoption::Figure;
use crate::org::{Org, Via};
use crate::stats::{DAY, durations, entry, median, pct, share};
use foldhash::{HashMap, HashMapExt};
use jiff::civil::Date;
use plumb_model::records::{KpiPoint, WorkType};
use std::collections::BTreeMap;

/// Whether any work item was created or delivered in the window: without one, a count of
/// features would be a zero standing for missing data.
fn has_work(org: &Org<'_>, w: &Window) -> bool {
    org.items
        .iter()
        .any(|i| w.contains(i.created) || i.delivered_in(w))
}

pub(crate) fn features_count(org: &Org<'_>, w: &Window) -> Result<u64, String> {
    if !has_work(org, w) {
        return Err(format!(
            "no work items created or delivered in window {}",
            w.label()
        ));
    }
    Ok(org
        .items_delivered_in(w)
        .filter(|i| i.rec.kind == WorkType::Feature)
        .count() as u64)
}

pub(crate) fn features_delivered(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let n = features_count(org, w)?;
    let mut via: BTreeMap<Via, u64> = BTreeMap::new();
    for i in org
        .items_delivered_in(w)
        .filter(|i| i.rec.kind == WorkType::Feature)
    {
        if let Some((_, v)) = i.delivered {
            *via.entry(v).or_default() += 1;
        }
    }
    let done = via.get(&Via::Done).copied().unwrap_or(0);
    let mut notes = Vec::new();
    if done > 0 {
        notes.push(format!(
            "{done} of {n} feature(s) count as delivered by done_at: neither a release date nor a production deployment is known"
        ));
    }
    Ok(Figure {
        value: n as f64,
        n,
        numerator: None,
        denominator: None,
        breakdown: BTreeMap::new(),
        notes,
    })
}

pub(crate) fn request_to_production(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let values: Vec<f64> = org
        .items_delivered_in(w)
        .filter(|i| i.rec.customer_request == Some(true))
        .filter_map(|i| {
            i.delivered
                .map(|(t, _)| ((t - i.created) as f64 / DAY as f64).max(0.0))
        })
        .collect();
    durations(values, || {
        format!(
            "no customer-request work items delivered in window {}",
            w.label()
        )
    })
}

/// KPI points without a feature, by name (ignoring case), sorted by date.
fn kpis<'a>(org: &Org<'a>) -> BTreeMap<String, Vec<&'a KpiPoint>> {
    let mut by: BTreeMap<String, Vec<&KpiPoint>> = BTreeMap::new();
    for k in org.data.records.kpis.iter().filter(|k| k.feature.is_none()) {
        by.entry(k.kpi.trim().to_lowercase()).or_default().push(k);
    }
    for points in by.values_mut() {
        points.sort_by_key(|k| k.date);
    }
    by
}

fn latest_in<'k>(points: &[&'k KpiPoint], w: &Window) -> Option<&'k KpiPoint> {
    points
        .iter()
        .rev()
        .find(|k| w.contains_date(k.date))
        .copied()
}

fn latest_before<'k>(points: &[&'k KpiPoint], since: i64) -> Option<&'k KpiPoint> {
    points
        .iter()
        .rev()
        .find(|k| crate::stats::day_start(k.date) < since)
        .copied()
}

pub(crate) fn kpi_movement(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let mut changes = Vec::new();
    let mut breakdown = BTreeMap::new();
    for (name, points) in kpis(org) {
        let (Some(now), Some(before)) = (latest_in(&points, w), latest_before(&points, w.since))
        else {
            continue;
        };
        if before.value == 0.0 {
            continue;
        }
        let change = pct(now.value - before.value, before.value.abs());
        let in_window = points.iter().filter(|k| w.contains_date(k.date)).count() as u64;
        breakdown.insert(name, entry(change, in_window));
        changes.push(change);
    }
    let Some(value) = median(&changes) else {
        return Err(format!(
            "no KPI has a value in window {} and a non-zero one before it",
            w.label()
        ));
    };
    Ok(Figure {
        value,
        n: changes.len() as u64,
        numerator: None,
        denominator: None,
        breakdown,
        notes: vec![format!(
            "the value is the median change across {} KPI(s), latest value in the window vs the latest before it; the breakdown gives each KPI's change (%); a fall counts as negative even for a KPI where lower is better",
            changes.len()
        )],
    })
}

/// The satisfaction KPI the window reports: `csat` when it has a value in the window,
/// else `nps`.
fn satisfaction_kpi<'k>(
    by: &'k BTreeMap<String, Vec<&'k KpiPoint>>,
    w: &Window,
) -> Option<(&'static str, &'k [&'k KpiPoint])> {
    ["csat", "nps"].into_iter().find_map(|name| {
        let points = by.get(name)?;
        latest_in(points, w).map(|_| (name, points.as_slice()))
    })
}

pub(crate) fn customer_satisfaction(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let by = kpis(org);
    let Some((name, points)) = satisfaction_kpi(&by, w) else {
        return Err(format!(
            "no `csat` or `nps` KPI value in window {}",
            w.label()
        ));
    };
    let latest = latest_in(points, w).map_or(0.0, |k| k.value);
    let n = points.iter().filter(|k| w.contains_date(k.date)).count() as u64;
    let mut f = Figure {
        value: latest,
        n,
        numerator: None,
        denominator: None,
        breakdown: BTreeMap::new(),
        notes: vec![format!(
            "the latest `{name}` value in the window, compared in points with its latest value before the window"
        )],
    };
    for other in ["csat", "nps"] {
        if let Some(k) = by.get(other).and_then(|p| latest_in(p, w)) {
            let count = by
                .get(other)
                .map_or(0, |p| p.iter().filter(|k| w.contains_date(k.date)).count());
            f.breakdown
                .insert(other.to_string(), entry(k.value, count as u64));
        }
    }
    Ok(f)
}

/// The baseline of customer satisfaction: the same KPI's latest value before the window.
pub(crate) fn customer_satisfaction_before(org: &Org<'_>, w: &Window) -> Result<f64, String> {
    let by = kpis(org);
    let Some((name, points)) = satisfaction_kpi(&by, w) else {
        return Err(format!(
            "no `csat` or `nps` KPI value in window {}",
            w.label()
        ));
    };
    latest_before(points, w.since)
        .map(|k| k.value)
        .ok_or_else(|| format!("no `{name}` value before the window"))
}

pub(crate) fn customer_defects_per_release(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let releases = org.releases(w).count() as u64;
    if releases == 0 {
        return Err(org.no_releases(w, "successful production deployments"));
    }
    let defects = org
        .data
        .records
        .incidents
        .iter()
        .filter(|i| {
            i.customer_impacting == Some(true) && w.contains(crate::stats::secs(i.opened_at))
        })
        .count() as u64;
    Ok(Figure {
        value: defects as f64 / releases as f64,
        n: releases,
        numerator: Some(defects as f64),
        denominator: Some(releases as f64),
        breakdown: BTreeMap::new(),
        notes: Vec::new(),
    })
}

/// The default adoption threshold for a KPI point: 20% of users.
fn threshold(k: &KpiPoint) -> f64 {
    let unit = k.unit.as_deref().map(|u| u.trim().to_lowercase());
    match unit.as_deref() {
        Some("ratio" | "share" | "fraction") => 0.2,
        None if k.value <= 1.0 => 0.2,
        _ => 20.0,
    }
}

pub(crate) fn feature_adoption(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let mut adoption: HashMap<&str, (Date, &KpiPoint)> = HashMap::new();
    for k in &org.data.records.kpis {
        let Some(feature) = k.feature.as_deref().map(str::trim) else {
            continue;
        };
        if !w.contains_date(k.date) {
            continue;
        }
        let slot = adoption.entry(feature).or_insert((k.date, k));
        if k.date >= slot.0 {
            *slot = (k.date, k);
        }
    }
    // The delivered features (before the window's end) that have such a KPI: looked up
    // from the KPIs' features, a few, rather than from every feature.
    let by_key = org.features_by_key();
    let delivered_before = |i: &u32| {
        org.items
            .get(*i as usize)
            .is_some_and(|i| i.delivered.is_some_and(|(t, _)| t < w.until))
    };
    let measured: Vec<&KpiPoint> = adoption
        .iter()
        .flat_map(|(feature, (_, k))| {
            let items = by_key.get(feature).map_or(&[][..], Vec::as_slice);
            items
                .iter()
                .filter(|i| delivered_before(i))
                .map(move |_| *k)
        })
        .collect();
    let passing = measured.iter().filter(|k| k.value >= threshold(k)).count() as u64;
    let mut f = share(passing, measured.len() as u64, || {
        format!(
            "no delivered feature has an adoption KPI (a KPI point whose feature names it) dated in window {}",
            w.label()
        )
    })?;
    f.notes.push(
        "a feature is adopted when its latest adoption KPI value in the window reaches 20% of users (0.2 for ratios, 20 for percentages): no threshold is configurable yet".to_string(),
    );
    let unmeasured = org
        .items_delivered_in(w)
        .filter(|i| i.rec.kind == WorkType::Feature && !adoption.contains_key(i.rec.key.trim()))
        .count();
    if unmeasured > 0 {
        f.notes.push(format!(
            "{unmeasured} feature(s) delivered in the window have no adoption KPI yet"
        ));
    }
    Ok(f)
}
