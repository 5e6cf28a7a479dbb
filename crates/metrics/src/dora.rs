//! The DORA metrics over deployments, incidents and the commit history.
//!
//! Definitions (production = the environments `plumb-link` treats as production:
//! `production`, `prod`, `prd`, `live`, ignoring case):
//!
//! - **Deployment frequency**: successful production deployments per ISO week — the median
//!   over every ISO week that overlaps the window, weeks without a deployment included
//!   (the edge weeks are partial; the median keeps them from weighing much). n = the
//!   deployments. The DORA tier is given in a note.
//! - **Lead time for changes**: for each non-merge commit authored in the window that has
//!   reached production, author time → the finish of the first successful production
//!   deployment that shipped it; the median in hours. n = those commits; commits not
//!   shipped yet are counted in a note.
//! - **Change failure rate**: production deployments finished in the window that failed —
//!   status failure or rolled back, named by an incident's `caused_by_deployment`, or
//!   followed by a hotfix or rollback (the link crate's reasons) — over all production
//!   deployments finished in the window. An incident linked only by time is not a failure
//!   reason (the spec's rule names the incident's own link).
//! - **Time to restore**: incidents opened in the window, opened → resolved; and failed
//!   production deployments finished in the window that no incident names, finished → the
//!   next successful deployment of the same repository and environment. (A deployment an
//!   incident names is restored when the incident is resolved, so it is counted once,
//!   through the incident.) Unresolved incidents and unrestored deployments are left out
//!   and counted in a note. The median in hours.
//! - **Rework rate**: production deployments of kind hotfix or rollback over all production
//!   deployments finished in the window.
//!
//! **Tiers.** Each of the four keys is placed in the performance clusters of the 2023
//! Accelerate State of DevOps report (the last report with four clusters over these four
//! measures), in a note: deployment frequency elite ≥ 7 per week (on demand, daily or
//! more), high ≥ 1 per week, medium ≥ 1 per month, else low; lead time elite < 1 day, high
//! < 1 week, medium < 1 month, else low; change failure rate elite ≤ 5%, high ≤ 10%,
//! medium ≤ 15%, else low; recovery elite < 1 hour, high < 1 day, medium < 1 week, else low.
//! Every median is the interpolated median (type 7), on the window's values.

use crate::Window;
use crate::adoption::Figure;
use crate::org::Org;
use crate::stats::{HOUR, durations, entry, iso_week, median, pct, secs, share};
use plumb_link::Reason;

pub(crate) fn deployment_frequency(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let releases: Vec<i64> = org.releases(w).map(|d| d.finished).collect();
    if releases.is_empty() || w.seconds() == 0 {
        return Err(org.no_releases(w, "successful production deployments"));
    }
    let first = iso_week(w.since);
    let last = iso_week(w.until - 1);
    let weeks = usize::try_from(last - first + 1).unwrap_or(1).max(1);
    let mut per_week = vec![0.0; weeks];
    for t in &releases {
        if let Ok(i) = usize::try_from(iso_week(*t) - first)
            && let Some(slot) = per_week.get_mut(i)
        {
            *slot += 1.0;
        }
    }
    let value = median(&per_week).unwrap_or(0.0);
    let n = releases.len() as u64;
    let mean = n as f64 / weeks as f64;
    let tier = tier("dora.deployment_frequency", value).unwrap_or("low");
    let mut f = Figure {
        value,
        n,
        numerator: Some(n as f64),
        denominator: Some(weeks as f64),
        breakdown: Default::default(),
        notes: vec![format!(
            "DORA tier (2023 clusters): {tier}; the median is over {weeks} ISO week(s) overlapping the window, weeks without a deployment included"
        )],
    };
    f.breakdown
        .insert("mean per week".to_string(), entry(mean, n));
    Ok(f)
}

pub(crate) fn lead_time(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let mut hours = Vec::new();
    let mut authored = 0u64;
    let mut skewed = 0u64;
    let nodes = &org.graph_shipped;
    let from = nodes.partition_point(|n| n.0 < w.since);
    let to = nodes.partition_point(|n| n.0 < w.until);
    for &(at, shipped) in nodes.get(from..to).unwrap_or_default() {
        authored += 1;
        if let Some(done) = shipped {
            if done < at {
                skewed += 1;
            } else {
                hours.push((done - at) as f64 / HOUR);
            }
        }
    }
    let shipped = hours.len() as u64;
    let mut f = durations(hours, || {
        if authored == 0 {
            format!(
                "no commits authored in window {} are in the stored history",
                w.label()
            )
        } else {
            format!(
                "none of the {authored} commit(s) authored in window {} has reached production (no successful production deployment shipped them)",
                w.label()
            )
        }
    })?;
    let waiting = authored - shipped - skewed;
    if waiting > 0 {
        f.notes.push(format!(
            "{waiting} of {authored} commit(s) authored in the window have not reached production and are left out"
        ));
    }
    if skewed > 0 {
        f.notes.push(format!(
            "{skewed} commit(s) authored after the deployment that shipped them (clock skew) are left out"
        ));
    }
    f.notes
        .push(tier_note("dora.lead_time_for_changes_hours", f.value));
    Ok(f)
}

pub(crate) fn change_failure_rate(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let prod: Vec<_> = org.production_deploys(w).collect();
    let failed = prod.iter().filter(|d| d.failed()).count() as u64;
    let total = prod.len() as u64;
    let mut f = share(failed, total, || {
        org.no_releases(w, "production deployments")
    })?;
    let with = |pred: &dyn Fn(&Reason) -> bool| {
        prod.iter().filter(|d| d.failure.iter().any(pred)).count() as u64
    };
    for (key, n) in [
        (
            "failed or rolled back",
            with(&|r| matches!(r, Reason::Status { .. })),
        ),
        (
            "caused an incident",
            with(&|r| matches!(r, Reason::Incident { .. })),
        ),
        (
            "followed by a hotfix or rollback",
            with(&|r| matches!(r, Reason::FollowedBy { .. })),
        ),
    ] {
        f.breakdown
            .insert(key.to_string(), entry(pct(n as f64, total as f64), n));
    }
    f.notes
        .push(tier_note("dora.change_failure_rate_pct", f.value));
    Ok(f)
}

pub(crate) fn recovery_time(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let mut incident_hours = Vec::new();
    let mut unresolved = 0u64;
    for i in &org.data.records.incidents {
        let opened = secs(i.opened_at);
        if !w.contains(opened) {
            continue;
        }
        match i.resolved_at.map(secs) {
            Some(r) if r >= opened => incident_hours.push((r - opened) as f64 / HOUR),
            _ => unresolved += 1,
        }
    }
    let mut deploy_hours = Vec::new();
    let mut unrestored = 0u64;
    for d in org.production_deploys(w).filter(|d| d.failed()) {
        if d.failure
            .iter()
            .any(|r| matches!(r, Reason::Incident { .. }))
        {
            continue;
        }
        match d.restored {
            Some(r) => deploy_hours.push((r - d.finished) as f64 / HOUR),
            None => unrestored += 1,
        }
    }
    let mut all = incident_hours.clone();
    all.extend(&deploy_hours);
    let mut f = durations(all, || {
        let mut why = format!(
            "no resolved incident opened and no restored production deployment failure in window {}",
            w.label()
        );
        if unresolved + unrestored > 0 {
            why.push_str(&format!(
                " ({unresolved} unresolved incident(s), {unrestored} failed deployment(s) not yet followed by a good one)"
            ));
        }
        why
    })?;
    for (key, values) in [
        ("incidents", &incident_hours),
        ("failed deployments", &deploy_hours),
    ] {
        if let Some(m) = median(values) {
            f.breakdown
                .insert(key.to_string(), entry(m, values.len() as u64));
        }
    }
    if unresolved > 0 {
        f.notes.push(format!(
            "{unresolved} incident(s) opened in the window are unresolved (or resolved before they opened) and are left out"
        ));
    }
    if unrestored > 0 {
        f.notes.push(format!(
            "{unrestored} failed production deployment(s) have no later successful deployment yet and are left out"
        ));
    }
    f.notes.push(tier_note("dora.recovery_time_hours", f.value));
    Ok(f)
}

pub(crate) fn rework_rate(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let prod: Vec<_> = org.production_deploys(w).collect();
    let unplanned = prod.iter().filter(|d| d.unplanned()).count() as u64;
    share(unplanned, prod.len() as u64, || {
        org.no_releases(w, "production deployments")
    })
}

/// The 2023 DORA cluster a value falls in (see the module documentation); `None` for ids
/// without tiers.
pub(crate) fn tier(id: &str, v: f64) -> Option<&'static str> {
    let (elite, high, medium, lower_better) = match id {
        "dora.deployment_frequency" => (7.0, 1.0, 12.0 / 52.0, false),
        "dora.lead_time_for_changes_hours" => (24.0, 24.0 * 7.0, 24.0 * 30.0, true),
        "dora.change_failure_rate_pct" => (5.0, 10.0, 15.0, true),
        "dora.recovery_time_hours" => (1.0, 24.0, 24.0 * 7.0, true),
        _ => return None,
    };
    let strict = id != "dora.change_failure_rate_pct";
    let meets = |t: f64| {
        if !lower_better {
            v >= t
        } else if strict {
            v < t
        } else {
            v <= t
        }
    };
    Some(if meets(elite) {
        "elite"
    } else if meets(high) {
        "high"
    } else if meets(medium) {
        "medium"
    } else {
        "low"
    })
}

fn tier_note(id: &str, v: f64) -> String {
    format!(
        "DORA tier (2023 clusters): {}",
        tier(id, v).unwrap_or("none")
    )
}

#[cfg(test)]
mod tests {
    use super::tier;

    #[test]
    fn tiers_follow_the_2023_clusters_at_their_boundaries() {
        let df = "dora.deployment_frequency";
        assert_eq!(tier(df, 7.0), Some("elite"));
        assert_eq!(tier(df, 6.9), Some("high"));
        assert_eq!(tier(df, 1.0), Some("high"));
        assert_eq!(tier(df, 0.5), Some("medium"));
        assert_eq!(tier(df, 0.2), Some("low"));
        let lt = "dora.lead_time_for_changes_hours";
        assert_eq!(tier(lt, 23.9), Some("elite"));
        assert_eq!(tier(lt, 24.0), Some("high"));
        assert_eq!(tier(lt, 168.0), Some("medium"));
        assert_eq!(tier(lt, 720.0), Some("low"));
        let cfr = "dora.change_failure_rate_pct";
        assert_eq!(tier(cfr, 5.0), Some("elite"));
        assert_eq!(tier(cfr, 10.0), Some("high"));
        assert_eq!(tier(cfr, 15.0), Some("medium"));
        assert_eq!(tier(cfr, 15.1), Some("low"));
        let rt = "dora.recovery_time_hours";
        assert_eq!(tier(rt, 0.5), Some("elite"));
        assert_eq!(tier(rt, 1.0), Some("high"));
        assert_eq!(tier(rt, 30.0), Some("medium"));
        assert_eq!(tier(rt, 200.0), Some("low"));
        assert_eq!(tier("dora.rework_rate_pct", 1.0), None);
    }
}
