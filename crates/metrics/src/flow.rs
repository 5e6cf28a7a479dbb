//! How work flows: cycle time, the four stages of a pull request's cycle, the bottleneck,
//! pull-request rework and throughput.
//!
//! Definitions:
//!
//! - **Delivery of a work item** (shared with the outcomes): `released_at`; else the
//!   first successful production deployment that shipped every merged pull request linked
//!   to it (the latest of those); else `done_at`, counted in a note because "done" is not
//!   known to be "in production".
//! - **Cycle time**: work items delivered in the window, created → delivered, median in
//!   days, with the median per work type in the breakdown. When no work item is imported,
//!   pull requests stand in (as the spec says): first commit (else creation) → the first
//!   successful production deployment of the merge commit, for pull requests shipped in
//!   the window; or, when no production deployment is imported, → merge, for pull
//!   requests merged in the window. A note says which.
//! - **Stages**, over pull requests merged in the window: coding = requirements (the
//!   earliest linked work item's `started_at`, else its `created_at`) → ready for review
//!   (`ready_at`, else `created_at`); review = ready → the last approval at or before the
//!   merge; testing = that approval → tests passing (the last successful required check
//!   on the head commit completed by the merge; a check that passed before the approval
//!   counts as passing at the approval, so 0); deploy = tests passing → the first
//!   successful production deployment containing the merge commit. A pull request lacking
//!   an end of a stage is left out of that stage (a note counts them); a negative span
//!   (clock skew, back-dated records) counts as 0. Checks marked `required` are the
//!   required ones; when none on the head commit is marked, every check counts.
//! - **Bottleneck**: each stage's median as a share of the sum of the four medians; the
//!   value is the largest share, the breakdown every share. Notes name the stage, the
//!   median wait for a first review (where work queues), and the stage whose median grew
//!   most against the baseline window.
//! - **PR rework**: merged pull requests with at least one `changes_requested` review over
//!   merged pull requests with at least one review, split AI-assisted vs not. The spec's
//!   second signal (commits after the first review adding more than 20% of the final
//!   lines) needs per-commit line counts of pull requests, which the dataset does not
//!   carry; it is not counted.
//! - **Throughput**: pull requests merged in the window per active developer per week
//!   (weeks = window days / 7); delivered work items per developer-week in the breakdown.

use crate::Window;
use crate::adoption::Figure;
use crate::org::{Org, Pr, Via};
use crate::stats::{DAY, durations, entry, median, pct, share};
use plumb_model::records::WorkType;
use std::collections::BTreeMap;

fn days(from: i64, to: i64) -> f64 {
    (to - from) as f64 / DAY as f64
}

pub(crate) fn cycle_time(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    if org.items.is_empty() {
        return pr_cycle_time(org, w);
    }
    let mut all = Vec::new();
    let mut by_type: BTreeMap<WorkType, Vec<f64>> = BTreeMap::new();
    let mut via: BTreeMap<Via, u64> = BTreeMap::new();
    for i in org.items_delivered_in(w) {
        let Some((t, how)) = i.delivered else {
            continue;
        };
        let d = days(i.created, t).max(0.0);
        all.push(d);
        by_type.entry(i.rec.kind).or_default().push(d);
        *via.entry(how).or_default() += 1;
    }
    let mut f = durations(all, || {
        format!(
            "no work items delivered in window {} (released, shipped to production through a linked pull request, or done)",
            w.label()
        )
    })?;
    for (kind, values) in &by_type {
        if let Some(m) = median(values) {
            f.breakdown
                .insert(kind.as_str().to_string(), entry(m, values.len() as u64));
        }
    }
    let count = |v: Via| via.get(&v).copied().unwrap_or(0);
    f.notes.push(format!(
        "work items created → delivered: {} by released_at, {} by the production deployment of their pull requests, {} by done_at (not known to be in production)",
        count(Via::Released),
        count(Via::Deployment),
        count(Via::Done)
    ));
    Ok(f)
}

/// Cycle time without work items: pull requests from their first commit.
fn pr_cycle_time(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let to_production = org.deploys.iter().any(|d| d.production);
    let mut values = Vec::new();
    for p in &org.prs {
        let start = p.first_commit.unwrap_or(p.created);
        let end = if to_production { p.shipped } else { p.merged };
        if let Some(end) = end.filter(|t| w.contains(*t)) {
            values.push(days(start, end).max(0.0));
        }
    }
    let label = if to_production {
        "pull request first commit → production"
    } else {
        "pull request first commit → merge"
    };
    let mut f = durations(values, || {
        if to_production {
            format!(
                "no work items are imported and no pull request reached production in window {}",
                w.label()
            )
        } else {
            format!(
                "no work items are imported and no pull request was merged in window {}",
                w.label()
            )
        }
    })?;
    f.notes.push(format!(
        "no work items are imported: cycle time is {label}{}",
        if to_production {
            ""
        } else {
            " (no production deployments are imported)"
        }
    ));
    Ok(f)
}

/// The four stage spans of the pull requests merged in a window.
#[derive(Debug, Default)]
pub(crate) struct Stages {
    pub coding: Vec<f64>,
    pub review: Vec<f64>,
    pub testing: Vec<f64>,
    pub deploy: Vec<f64>,
    pub merged: u64,
    /// Time from ready to the first review, for the bottleneck's queue note.
    pub wait_for_review: Vec<f64>,
}

pub(crate) const STAGE_NAMES: [&str; 4] = ["coding", "review", "testing", "deploy"];

impl Stages {
    pub(crate) fn of(org: &Org<'_>, w: &Window) -> Stages {
        Stages::of_where(org, w, |_| true)
    }

    /// The stages of the pull requests merged in `w` that `keep` keeps.
    pub(crate) fn of_where(
        org: &Org<'_>,
        w: &Window,
        mut keep: impl FnMut(&Pr<'_>) -> bool,
    ) -> Stages {
        Stages::of_prs(org.prs_merged_in(w).filter(|p| keep(p)))
    }

    /// The stages of these (merged) pull requests.
    pub(crate) fn of_prs<'p, 'a: 'p>(prs: impl Iterator<Item = &'p Pr<'a>>) -> Stages {
        let mut s = Stages::default();
        let span = |a: i64, b: i64| days(a, b).max(0.0);
        for p in prs {
            s.merged += 1;
            if let Some(start) = p.work_start {
                s.coding.push(span(start, p.ready));
            }
            if let Some(a) = p.approval {
                s.review.push(span(p.ready, a));
                if let Some(t) = p.tests_passing {
                    s.testing.push(span(a, t));
                }
            }
            if let (Some(t), Some(prod)) = (p.tests_passing, p.shipped) {
                s.deploy.push(span(t, prod));
            }
            if let Some(r) = p.first_review {
                s.wait_for_review.push(span(p.ready, r));
            }
        }
        s
    }

    /// Sorts each list (for [`sorted`] and the medians, which then find them in order).
    pub(crate) fn sort(&mut self) {
        for v in [
            &mut self.coding,
            &mut self.review,
            &mut self.testing,
            &mut self.deploy,
            &mut self.wait_for_review,
        ] {
            v.sort_by(f64::total_cmp);
        }
    }

    pub(crate) fn get(&self, stage: &str) -> &[f64] {
        match stage {
            "coding" => &self.coding,
            "review" => &self.review,
            "testing" => &self.testing,
            _ => &self.deploy,
        }
    }

    fn medians(&self) -> Vec<(&'static str, Option<f64>, u64)> {
        STAGE_NAMES
            .iter()
            .map(|s| (*s, median(self.get(s)), self.get(s).len() as u64))
            .collect()
    }
}

/// Why a pull request has no span for a stage, in words.
fn stage_needs(stage: &str) -> &'static str {
    match stage {
        "coding" => "a linked work item (the start of requirements)",
        "review" => "an approval before the merge",
        "testing" => "an approval and a successful check on the head commit",
        _ => {
            "a successful check on the head commit and a production deployment of the merge commit"
        }
    }
}

pub(crate) fn stage(org: &Org<'_>, w: &Window, stage: &str) -> Result<Figure, String> {
    let (values, merged) = org.with_stages(w, |s| (s.get(stage).to_vec(), s.merged));
    let have = values.len() as u64;
    let mut f = durations(values, || {
        if merged == 0 {
            format!("no pull requests merged in window {}", w.label())
        } else {
            format!(
                "none of the {} pull request(s) merged in window {} has {}",
                merged,
                w.label(),
                stage_needs(stage)
            )
        }
    })?;
    if have < merged {
        f.notes.push(format!(
            "{} of {} merged pull request(s) lack {} and are left out",
            merged - have,
            merged,
            stage_needs(stage)
        ));
    }
    Ok(f)
}

pub(crate) fn bottleneck(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let (medians, merged, wait) = org.with_stages(w, |s| {
        let wait = median(&s.wait_for_review).map(|m| (m, s.wait_for_review.len()));
        (s.medians(), s.merged, wait)
    });
    let missing: Vec<&str> = medians
        .iter()
        .filter(|(_, m, _)| m.is_none())
        .map(|(name, _, _)| *name)
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "needs all four stage medians; no pull request merged in window {} has a {} stage",
            w.label(),
            missing.join(", ")
        ));
    }
    let total: f64 = medians.iter().filter_map(|(_, m, _)| *m).sum();
    if total <= 0.0 {
        return Err("every stage median is 0 days: there is no bottleneck to name".to_string());
    }
    let mut f = Figure {
        value: 0.0,
        n: merged,
        numerator: None,
        denominator: Some(total),
        breakdown: BTreeMap::new(),
        notes: Vec::new(),
    };
    let mut worst = ("", -1.0);
    for (name, m, n) in &medians {
        let share_ = pct(m.unwrap_or(0.0), total);
        f.breakdown.insert((*name).to_string(), entry(share_, *n));
        if share_ > worst.1 {
            worst = (name, share_);
        }
    }
    f.value = worst.1;
    f.numerator = medians
        .iter()
        .find(|(name, _, _)| *name == worst.0)
        .and_then(|(_, m, _)| *m);
    f.notes.push(format!(
        "the bottleneck is the {} stage: {:.1}% of the summed stage medians ({:.1} d)",
        worst.0, worst.1, total
    ));
    if let Some((wait, waited)) = wait {
        f.notes.push(format!(
            "work queues before review: median wait for a first review {wait:.1} d ({waited} pull requests)"
        ));
    }
    let base: Vec<Option<f64>> = org.with_stages(&w.previous(), |b| {
        medians
            .iter()
            .map(|(name, _, _)| median(b.get(name)))
            .collect()
    });
    let grew = medians
        .iter()
        .zip(base)
        .filter_map(|((name, m, _), before)| {
            let now = (*m)?;
            let before = before?;
            (before > 0.0).then(|| (*name, pct(now - before, before)))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1));
    match grew {
        Some((name, g)) if g > 0.0 => f.notes.push(format!(
            "the {name} stage's median grew most against the baseline window: {g:+.1}%"
        )),
        Some(_) => f
            .notes
            .push("no stage's median grew against the baseline window".to_string()),
        None => {}
    }
    Ok(f)
}

pub(crate) fn pr_rework(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let reviewed: Vec<&Pr<'_>> = org
        .prs_merged_in(w)
        .filter(|p| !p.reviews.is_empty())
        .collect();
    let count = |ps: &[&Pr<'_>]| ps.iter().filter(|p| p.changes_requested).count() as u64;
    let mut f = share(count(&reviewed), reviewed.len() as u64, || {
        format!(
            "no pull requests merged in window {} have a review",
            w.label()
        )
    })?;
    let (ai, human): (Vec<&Pr<'_>>, Vec<&Pr<'_>>) = reviewed.iter().partition(|p| p.ai.any());
    for (key, group) in [("AI-assisted", &ai), ("not AI-assisted", &human)] {
        if !group.is_empty() {
            f.breakdown.insert(
                key.to_string(),
                entry(
                    pct(count(group) as f64, group.len() as f64),
                    group.len() as u64,
                ),
            );
        }
    }
    f.notes.push(
        "rework = at least one changes-requested review; commits added after the first review are not counted (no per-commit pull-request lines in the data)".to_string(),
    );
    Ok(f)
}

pub(crate) fn throughput(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let merged = org.prs_merged_count(w);
    if merged == 0 {
        return Err(format!("no pull requests merged in window {}", w.label()));
    }
    let devs = org.active_count(w);
    let weeks = w.days() / 7.0;
    if devs == 0 || weeks <= 0.0 {
        return Err("no active developers in window".to_string());
    }
    let dev_weeks = devs as f64 * weeks;
    let mut f = Figure {
        value: merged as f64 / dev_weeks,
        n: merged,
        numerator: Some(merged as f64),
        denominator: Some(dev_weeks),
        breakdown: BTreeMap::new(),
        notes: Vec::new(),
    };
    if !org.items.is_empty() {
        let items = org.items_delivered_count(w);
        f.breakdown.insert(
            "work items delivered".to_string(),
            entry(items as f64 / dev_weeks, items),
        );
    }
    f.notes.push(format!(
        "merged pull requests per developer-week: {devs} active developer(s) over {weeks:.1} week(s)"
    ));
    Ok(f)
}
