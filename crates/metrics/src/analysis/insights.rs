//! The patterns the seed warns about (PRODUCT.md §6 "Insights"), as rules over figures.
//!
//! Each rule compares the report's window with its baseline window (the equally long
//! period before) unless it says otherwise, fires only when every figure it needs exists,
//! and states those figures. Thresholds (a rule is a judgement; these are ours):
//!
//! - `faster_coding_slower_review`: the coding stage's median fell by ≥ 10% while review
//!   or testing grew by ≥ 10%; the evidence adds whether cycle time improved at all. When
//!   the window shows nothing, the same test runs on the stages before vs after the teams'
//!   rollouts.
//! - `adoption_with_failures`: the AI-assisted commit share rose by ≥ 5 points while the
//!   change failure rate rose by ≥ 1 point or code churn by ≥ 2 points.
//! - `junior_growth_behind`: juniors' skill growth is below mid-level's (PRODUCT.md: "junior
//!   skill growth falling behind mid-level").
//! - `review_load_concentrated`: the busiest fifth of reviewers (at least one person) gave
//!   ≥ 40% of the window's reviews (twice their fair share), or seniors gave ≥ 50% of the
//!   reviews and ≥ 1.5 times their share of the reviewers. Never names anyone; needs at
//!   least `min_group_size` reviewers.
//! - `adoption_without_process_change`: AI-assisted commits ≥ 40% or active AI users ≥ 60%,
//!   but cycle time improved by less than 5% vs the baseline.
//! - `cycle_time_improved` (positive): cycle time fell by ≥ 15% while the change failure
//!   rate did not rise by more than 1 point.

use super::trends::value_of;
use super::types::{Insight, InsightLevel, Trends};
use crate::Scorecard;
use crate::org::Org;
use crate::stats::{date_of, pct};
use std::collections::BTreeMap;

const STAGE_FALL: f64 = -10.0;
const STAGE_GROWTH: f64 = 10.0;
/// Twice the fair share of the busiest fifth of reviewers.
const TOP_FIFTH_SHARE: f64 = 40.0;
/// Seniors giving this many times their share of the reviewers.
const SENIOR_OVERLOAD: f64 = 1.5;

pub(crate) fn insights(org: &Org<'_>, card: &Scorecard, trends: &Trends) -> Vec<Insight> {
    let now = |id: &str| value_of(org, id, &card.window).map(|v| v.value);
    let before = |id: &str| value_of(org, id, &card.window.previous()).map(|v| v.value);
    let mut out = Vec::new();
    out.extend(stages_rule(&now, &before, trends));
    out.extend(adoption_with_failures(&now, &before));
    out.extend(junior_growth(card));
    out.extend(review_load(org, card));
    out.extend(adoption_without_process_change(card));
    out.extend(cycle_time_improved(&now, &before));
    out.sort_by_key(|i| i.level);
    out
}

fn change_pct(now: f64, before: f64) -> Option<f64> {
    (before > 0.0).then(|| pct(now - before, before))
}

fn stages_rule(
    now: &dyn Fn(&str) -> Option<f64>,
    before: &dyn Fn(&str) -> Option<f64>,
    trends: &Trends,
) -> Option<Insight> {
    let ids = [
        ("coding", "process.stage.coding_days"),
        ("review", "process.stage.review_days"),
        ("testing", "process.stage.testing_days"),
    ];
    let mut pairs: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for (stage, id) in ids {
        if let (Some(n), Some(b)) = (now(id), before(id)) {
            pairs.insert(stage, (b, n));
        }
    }
    let mut basis = "the window vs its baseline window";
    if !fires(&pairs) {
        pairs.clear();
        for row in &trends.stages.rows {
            if let (Some(b), Some(a)) = (row.before, row.after) {
                let stage = match row.stage.as_str() {
                    "coding" => "coding",
                    "review" => "review",
                    "testing" => "testing",
                    _ => continue,
                };
                pairs.insert(stage, (b.value, a.value));
            }
        }
        basis = "pull requests after the teams' AI rollouts vs before";
        if !fires(&pairs) {
            return None;
        }
    }
    let (cb, cn) = pairs.get("coding").copied()?;
    let mut evidence = vec![format!(
        "coding stage {cb:.1} d → {cn:.1} d ({:+.0}%), {basis}",
        change_pct(cn, cb)?
    )];
    let mut slower = Vec::new();
    for stage in ["review", "testing"] {
        if let Some(&(b, n)) = pairs.get(stage) {
            // A stage that took no time in either window (checks passing before the
            // approval) has no percent change: say so and go on.
            let Some(c) = change_pct(n, b) else {
                evidence.push(format!("{stage} stage {b:.1} d → {n:.1} d"));
                continue;
            };
            evidence.push(format!("{stage} stage {b:.1} d → {n:.1} d ({c:+.0}%)"));
            if c >= STAGE_GROWTH {
                slower.push(stage);
            }
        }
    }
    if let (Some(n), Some(b)) = (
        now("process.cycle_time_days"),
        before("process.cycle_time_days"),
    ) && let Some(c) = change_pct(n, b)
    {
        evidence.push(format!(
            "end-to-end cycle time {b:.1} d → {n:.1} d ({c:+.0}%) over the window vs its baseline"
        ));
    }
    Some(Insight {
        id: "faster_coding_slower_review".to_string(),
        level: InsightLevel::Warning,
        title: format!(
            "Coding got faster but {} got slower: the time saved waits downstream",
            slower.join(" and ")
        ),
        evidence,
        metrics: vec![
            "process.stage.coding_days".to_string(),
            "process.stage.review_days".to_string(),
            "process.stage.testing_days".to_string(),
            "process.cycle_time_days".to_string(),
        ],
    })
}

fn fires(pairs: &BTreeMap<&str, (f64, f64)>) -> bool {
    let c = |s: &str| pairs.get(s).and_then(|&(b, n)| change_pct(n, b));
    c("coding").is_some_and(|c| c <= STAGE_FALL)
        && (c("review").is_some_and(|c| c >= STAGE_GROWTH)
            || c("testing").is_some_and(|c| c >= STAGE_GROWTH))
}

fn adoption_with_failures(
    now: &dyn Fn(&str) -> Option<f64>,
    before: &dyn Fn(&str) -> Option<f64>,
) -> Option<Insight> {
    let ai = "adoption.ai_assisted_commits_pct";
    let (an, ab) = (now(ai)?, before(ai)?);
    if an - ab < 5.0 {
        return None;
    }
    let mut evidence = vec![format!(
        "AI-assisted commits {ab:.1}% → {an:.1}% ({:+.1} pts)",
        an - ab
    )];
    let mut worse = Vec::new();
    for (id, name, threshold) in [
        ("dora.change_failure_rate_pct", "change failure rate", 1.0),
        ("process.code_churn_pct", "code churn", 2.0),
    ] {
        if let (Some(n), Some(b)) = (now(id), before(id))
            && n - b >= threshold
        {
            evidence.push(format!("{name} {b:.1}% → {n:.1}% ({:+.1} pts)", n - b));
            worse.push(name);
        }
    }
    if worse.is_empty() {
        return None;
    }
    Some(Insight {
        id: "adoption_with_failures".to_string(),
        level: InsightLevel::Warning,
        title: format!(
            "AI adoption rose together with {}: speed may be paid for in rework",
            worse.join(" and ")
        ),
        evidence,
        metrics: vec![
            ai.to_string(),
            "dora.change_failure_rate_pct".to_string(),
            "process.code_churn_pct".to_string(),
        ],
    })
}

fn junior_growth(card: &Scorecard) -> Option<Insight> {
    let m = card
        .metrics
        .iter()
        .find(|m| m.id == "sustainability.skill_growth_pct")?;
    let junior = m.breakdown.get("junior")?;
    let mid = m.breakdown.get("mid")?;
    if junior.value >= mid.value {
        return None;
    }
    let mut evidence = vec![format!(
        "skill growth per year: juniors {:.1}% (n={}), mid-level {:.1}% (n={})",
        junior.value, junior.n, mid.value, mid.n
    )];
    if let Some(senior) = m.breakdown.get("senior") {
        evidence.push(format!("seniors {:.1}% (n={})", senior.value, senior.n));
    }
    Some(Insight {
        id: "junior_growth_behind".to_string(),
        level: InsightLevel::Warning,
        title: "Junior developers' skills are growing more slowly than mid-level developers'"
            .to_string(),
        evidence,
        metrics: vec![m.id.clone()],
    })
}

fn review_load(org: &Org<'_>, card: &Scorecard) -> Option<Insight> {
    let mut per: BTreeMap<String, u64> = BTreeMap::new();
    for p in &org.prs {
        for r in &p.reviews {
            if card.window.contains(crate::stats::secs(r.submitted_at))
                && let Some(who) = org.actor(&r.reviewer)
            {
                *per.entry(who).or_default() += 1;
            }
        }
    }
    let reviewers = per.len();
    if (reviewers as u64) < org.config.min_group_size {
        return None;
    }
    let total: u64 = per.values().sum();
    let mut counts: Vec<(&String, &u64)> = per.iter().collect();
    counts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let top = reviewers.div_ceil(5).max(1);
    let top_reviews: u64 = counts.iter().take(top).map(|(_, c)| **c).sum();
    let top_share = pct(top_reviews as f64, total as f64);
    // Seniors' share of the reviews against their share of the reviewers.
    let on = date_of(card.window.until - 1);
    let (mut senior_people, mut senior_reviews) = (0u64, 0u64);
    for (who, n) in &counts {
        let senior = org
            .ids
            .resolve(who)
            .and_then(|id| org.ids.seniority(id, on))
            .is_some_and(|b| b == plumb_link::Band::Senior);
        if senior {
            senior_people += 1;
            senior_reviews += **n;
        }
    }
    let senior_people_share = pct(senior_people as f64, reviewers as f64);
    let senior_share = pct(senior_reviews as f64, total as f64);
    let concentrated = top_share >= TOP_FIFTH_SHARE;
    let on_seniors = senior_people > 0
        && senior_share >= 50.0
        && senior_share >= SENIOR_OVERLOAD * senior_people_share;
    if !concentrated && !on_seniors {
        return None;
    }
    Some(Insight {
        id: "review_load_concentrated".to_string(),
        level: InsightLevel::Warning,
        title: if on_seniors {
            format!(
                "Review load sits with seniors: {senior_share:.0}% of the reviews come from the {senior_people_share:.0}% of reviewers who are senior"
            )
        } else {
            format!(
                "Review load is concentrated: {top} of {reviewers} reviewers gave {top_share:.0}% of the reviews"
            )
        },
        evidence: vec![
            format!("{top_reviews} of {total} reviews in the window by the busiest {top} of {reviewers} reviewers ({top_share:.0}%)"),
            format!("{senior_reviews} of {total} reviews by {senior_people} senior reviewer(s) (6+ years or senior/staff level)"),
            "more AI-written code means more to review: spread reviews before they become the bottleneck".to_string(),
        ],
        metrics: vec![
            "sustainability.collaboration".to_string(),
            "process.stage.review_days".to_string(),
        ],
    })
}

fn adoption_without_process_change(card: &Scorecard) -> Option<Insight> {
    let get = |id: &str| card.metrics.iter().find(|m| m.id == id);
    let commits = get("adoption.ai_assisted_commits_pct").and_then(|m| m.value);
    let users = get("adoption.active_ai_users_pct").and_then(|m| m.value);
    let high = commits.is_some_and(|v| v >= 40.0) || users.is_some_and(|v| v >= 60.0);
    if !high {
        return None;
    }
    let cycle = get("process.cycle_time_days")?;
    let (value, base) = (cycle.value?, cycle.baseline?);
    let change = change_pct(value, base)?;
    if change <= -5.0 {
        return None;
    }
    let mut evidence = Vec::new();
    if let Some(c) = commits {
        evidence.push(format!("AI-assisted commits {c:.1}%"));
    }
    if let Some(u) = users {
        evidence.push(format!("active AI users {u:.1}%"));
    }
    evidence.push(format!(
        "cycle time {value:.1} d vs baseline {base:.1} d ({change:+.1}%)"
    ));
    Some(Insight {
        id: "adoption_without_process_change".to_string(),
        level: InsightLevel::Warning,
        title: "AI is widely used but work does not reach production faster: the process around the code has not changed".to_string(),
        evidence,
        metrics: vec![
            "adoption.ai_assisted_commits_pct".to_string(),
            "adoption.active_ai_users_pct".to_string(),
            "process.cycle_time_days".to_string(),
        ],
    })
}

fn cycle_time_improved(
    now: &dyn Fn(&str) -> Option<f64>,
    before: &dyn Fn(&str) -> Option<f64>,
) -> Option<Insight> {
    let id = "process.cycle_time_days";
    let (n, b) = (now(id)?, before(id)?);
    let c = change_pct(n, b)?;
    if c > -15.0 {
        return None;
    }
    let cfr = "dora.change_failure_rate_pct";
    let (fn_, fb) = (now(cfr)?, before(cfr)?);
    if fn_ - fb > 1.0 {
        return None;
    }
    Some(Insight {
        id: "cycle_time_improved".to_string(),
        level: InsightLevel::Positive,
        title: "Work reaches production faster without more failures".to_string(),
        evidence: vec![
            format!("cycle time {b:.1} d → {n:.1} d ({c:+.0}%)"),
            format!("change failure rate {fb:.1}% → {fn_:.1}%"),
        ],
        metrics: vec![id.to_string(), cfr.to_string()],
    })
}
