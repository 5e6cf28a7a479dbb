//! Series over time, the stages before vs after the rollout, and the teams' figures.
//!
//! Decisions:
//!
//! - Weeks are ISO weeks (Monday 00:00 UTC) of the report's window; months and quarters are
//!   calendar months and quarters (UTC) from the earliest data (commits, pull requests,
//!   work items, deployments) to the end of the window, at most the last
//!   [`MAX_TREND_MONTHS`] months. A period cut by the start of the data or the end of the window
//!   is `partial`.
//! - A period's figure is the scorecard's own figure over the period: the same function,
//!   another window. A metric without data in a period is absent, never 0.
//! - The stage comparison places each merged pull request by when its work started (the
//!   linked work item's start, else the pull request's creation) against its author's
//!   team's AI rollout date: "before" is every such pull request of the history started
//!   before the rollout; "after" is those merged in the report's window and started on or
//!   after it. Pull requests whose author has no team or whose team has no rollout date
//!   are left out and counted in the basis; bots' pull requests are left out.
//! - Team figures are computed from what can be attributed to a team's people: their
//!   pull requests (stages, rework, AI-assisted share, merged count) and their commits (AI-
//!   assisted share). Teams with fewer people than `min_group_size` are left out (privacy).

use super::types::{
    Period, PeriodValue, QuarterScores, StageComparison, StageRow, TeamFigures, Trends,
};
use crate::adoption::Figure;
use crate::flow::{STAGE_NAMES, Stages};
use crate::org::{Org, Pr};
use crate::stats::{DAY, date_of, day_start, pct, quantile, sorted};
use crate::{Scorecard, Window, figure, scorecard_in};
use foldhash::{HashMap, HashMapExt};
use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use std::collections::BTreeMap;

/// The metrics the trends follow per week, month and team.
pub const SERIES_METRICS: [&str; 15] = [
    "adoption.ai_assisted_commits_pct",
    "adoption.ai_assisted_prs_pct",
    "process.cycle_time_days",
    "process.stage.coding_days",
    "process.stage.review_days",
    "process.stage.testing_days",
    "process.stage.deploy_days",
    "process.pr_rework_pct",
    "process.code_churn_pct",
    "process.throughput",
    "dora.deployment_frequency",
    "dora.lead_time_for_changes_hours",
    "dora.change_failure_rate_pct",
    "dora.recovery_time_hours",
    "quality.defect_rate",
];

/// The longest monthly history shown.
pub const MAX_TREND_MONTHS: i32 = 36;

/// The window's scorecard and its trends, every part on the cores as they free up: the
/// scorecard, the stage comparison and the team figures first, then the quarters' whole
/// scorecards, as they take longest, then the weeks' and months' figures. One pool for
/// all, so that no core idles while another finishes a part of its own.
pub(crate) fn card_and_trends(org: &Org<'_>, window: Window) -> (Scorecard, Trends) {
    let start = data_start(org, window);
    let weeks = weeks(window);
    let months = months(start, window.until);
    let quarters = quarters(start, window.until);
    enum Job<'j> {
        Card,
        Stages,
        Teams,
        Quarter(&'j (String, Window, bool)),
        Period(&'j (String, Window, bool)),
    }
    enum Done {
        Card(Box<Scorecard>),
        Stages(StageComparison),
        Teams(Vec<TeamFigures>),
        Quarter(QuarterScores),
        Period(Period),
    }
    let jobs: Vec<Job<'_>> = [Job::Card, Job::Stages, Job::Teams]
        .into_iter()
        .chain(quarters.iter().map(Job::Quarter))
        .chain(weeks.iter().chain(&months).map(Job::Period))
        .collect();
    let done = crate::par::map(&jobs, |job| match job {
        Job::Card => Done::Card(Box::new(scorecard_in(org, window))),
        Job::Stages => Done::Stages(stages(org, window)),
        Job::Teams => Done::Teams(teams(org, window)),
        Job::Quarter((label, w, partial)) => {
            let card = scorecard_in(org, *w);
            Done::Quarter(QuarterScores {
                label: label.clone(),
                window: *w,
                partial: *partial,
                dimensions: card
                    .dimensions
                    .iter()
                    .map(|d| (d.dimension, d.score))
                    .collect(),
                overall: card.overall.score,
            })
        }
        Job::Period((label, w, partial)) => Done::Period(period(org, label.clone(), *w, *partial)),
    });
    let mut card = None;
    let mut stages_done = None;
    let mut teams_done = Vec::new();
    let mut quarter_scores = Vec::with_capacity(quarters.len());
    let mut periods = Vec::with_capacity(weeks.len() + months.len());
    // In the jobs' order.
    for d in done {
        match d {
            Done::Card(c) => card = Some(*c),
            Done::Stages(s) => stages_done = Some(s),
            Done::Teams(t) => teams_done = t,
            Done::Quarter(q) => quarter_scores.push(q),
            Done::Period(p) => periods.push(p),
        }
    }
    // `par::map` gives every job's result, so the fallbacks below never run: they keep
    // this total without a panic.
    let months = periods.split_off(weeks.len().min(periods.len()));
    let trends = Trends {
        weeks: periods,
        months,
        quarters: quarter_scores,
        stages: stages_done.unwrap_or_else(|| stages(org, window)),
        teams: teams_done,
    };
    (card.unwrap_or_else(|| scorecard_in(org, window)), trends)
}

/// One metric over one window, as a period value; `None` without data.
pub(crate) fn value_of(org: &Org<'_>, id: &str, w: &Window) -> Option<PeriodValue> {
    let f = if id == "adoption.ai_assisted_commits_pct" {
        org.window(w).git(org, w).ai_assisted_commits.clone()
    } else {
        figure(org, id, w)?
    };
    f.ok().map(|f| to_value(&f))
}

fn to_value(f: &Figure) -> PeriodValue {
    PeriodValue {
        value: f.value,
        n: f.n,
        p75: f.breakdown.get("p75").map(|e| e.value),
        p90: f.breakdown.get("p90").map(|e| e.value),
    }
}

fn period(org: &Org<'_>, label: String, w: Window, partial: bool) -> Period {
    let values = SERIES_METRICS
        .iter()
        .filter_map(|id| value_of(org, id, &w).map(|v| (id.to_string(), v)))
        .collect();
    Period {
        label,
        window: w,
        partial,
        values,
    }
}

/// The earliest instant any source has data for, but not before [`MAX_TREND_MONTHS`] months
/// before the window's end, nor after the window's start.
fn data_start(org: &Org<'_>, window: Window) -> i64 {
    let earliest = org
        .data
        .graph
        .iter()
        .map(|n| n.author_time)
        .chain(org.prs.iter().map(|p| p.created))
        .chain(org.items.iter().map(|i| i.created))
        .chain(org.deploys.iter().map(|d| d.finished))
        .min()
        .unwrap_or(window.since);
    let floor = date_of(window.until - 1)
        .first_of_month()
        .checked_sub((MAX_TREND_MONTHS - 1).months())
        .map(day_start)
        .unwrap_or(window.since);
    earliest.max(floor).min(window.since)
}

/// The ISO weeks of a window, clipped to it.
fn weeks(window: Window) -> Vec<(String, Window, bool)> {
    let mut out = Vec::new();
    if window.until <= window.since {
        return out;
    }
    let first = date_of(window.since);
    let mut monday = first
        .checked_sub(i64::from(first.weekday().to_monday_zero_offset()).days())
        .unwrap_or(first);
    while day_start(monday) < window.until {
        let Ok(next) = monday.checked_add(7.days()) else {
            break;
        };
        let (s, e) = (day_start(monday), day_start(next));
        let w = Window {
            since: s.max(window.since),
            until: e.min(window.until),
        };
        let iso = monday.iso_week_date();
        out.push((
            format!("{}-W{:02}", iso.year(), iso.week()),
            w,
            w.since != s || w.until != e,
        ));
        monday = next;
    }
    debug_assert!(monday.weekday() == Weekday::Monday || out.is_empty());
    out
}

/// Calendar periods of `months` months (1 for months, 3 for quarters) from `start` to
/// `until`, clipped.
fn calendar(start: i64, until: i64, months: i8) -> Vec<(Date, Window, bool)> {
    let mut out = Vec::new();
    if until <= start {
        return out;
    }
    let d = date_of(start);
    let month0 = (d.month() - 1) / months * months + 1;
    let Ok(mut first) = Date::new(d.year(), month0, 1) else {
        return out;
    };
    while day_start(first) < until {
        let Ok(next) = first.checked_add(i32::from(months).months()) else {
            break;
        };
        let (s, e) = (day_start(first), day_start(next));
        let w = Window {
            since: s.max(start),
            until: e.min(until),
        };
        out.push((first, w, w.since != s || w.until != e));
        first = next;
    }
    out
}

fn months(start: i64, until: i64) -> Vec<(String, Window, bool)> {
    calendar(start, until, 1)
        .into_iter()
        .map(|(d, w, p)| (format!("{}-{:02}", d.year(), d.month()), w, p))
        .collect()
}

fn quarters(start: i64, until: i64) -> Vec<(String, Window, bool)> {
    calendar(start, until, 3)
        .into_iter()
        .map(|(d, w, p)| (format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1), w, p))
        .collect()
}

/// The rollout instant of a pull request's author's team.
fn rollout_of(org: &Org<'_>, p: &Pr<'_>) -> Option<i64> {
    let author = p.author.as_deref()?;
    let team = org.team_of(author)?;
    org.ids.rollout_date(team).map(day_start)
}

fn stages(org: &Org<'_>, window: Window) -> StageComparison {
    let all = Window {
        since: i64::MIN / 2,
        until: i64::MAX / 2,
    };
    let mut unplaced = 0u64;
    let mut placed = 0u64;
    let before = Stages::of_where(org, &all, |p| {
        let Some(r) = rollout_of(org, p) else {
            // Bots' pull requests belong to no team and are not counted.
            if p.author.is_some() {
                unplaced += 1;
            }
            return false;
        };
        placed += 1;
        p.work_start.unwrap_or(p.created) < r
    });
    let after = Stages::of_where(org, &window, |p| {
        rollout_of(org, p).is_some_and(|r| p.work_start.unwrap_or(p.created) >= r)
    });
    let basis = if placed == 0 {
        "no merged pull request's author is in a team with an AI rollout date: set \
         ai_rollout_date in [[teams]] (plumb.toml) or import teams"
            .to_string()
    } else {
        let mut b = format!(
            "before: pull requests of the whole history whose work started before their \
             team's AI rollout; after: pull requests merged in {} whose work started on or \
             after it",
            window.label()
        );
        if unplaced > 0 {
            b.push_str(&format!(
                "; {unplaced} merged pull request(s) without a team rollout date are left out"
            ));
        }
        b
    };
    let rows = STAGE_NAMES
        .iter()
        .map(|stage| {
            let b = durations_value(before.get(stage));
            let a = durations_value(after.get(stage));
            let change_pct = match (b, a) {
                (Some(b), Some(a)) if b.value > 0.0 => Some(pct(a.value - b.value, b.value)),
                _ => None,
            };
            StageRow {
                stage: stage.to_string(),
                before: b,
                after: a,
                change_pct,
            }
        })
        .collect();
    StageComparison { basis, rows }
}

/// Median, p75 and p90 of durations in days; `None` for none.
fn durations_value(values: &[f64]) -> Option<PeriodValue> {
    let s = sorted(values.to_vec());
    Some(PeriodValue {
        value: quantile(&s, 0.5)?,
        n: s.len() as u64,
        p75: quantile(&s, 0.75),
        p90: quantile(&s, 0.9),
    })
}

fn teams(org: &Org<'_>, window: Window) -> Vec<TeamFigures> {
    let mut out = Vec::new();
    let commits = team_commits(org, window);
    // The window's merged pull requests by their author's team, in record order.
    let mut merged_by_team: HashMap<&str, Vec<&Pr<'_>>> = HashMap::new();
    for p in org.prs_merged_in(&window) {
        if let Some(team) = p.team.as_deref() {
            merged_by_team.entry(team).or_default().push(p);
        }
    }
    for team in org.ids.teams() {
        let people = team.members.len() as u64;
        if people < org.config.min_group_size {
            continue;
        }
        let merged: &[&Pr<'_>] = merged_by_team
            .get(team.name.as_str())
            .map_or(&[], Vec::as_slice);
        let mut values = BTreeMap::new();
        let s = Stages::of_prs(merged.iter().copied());
        for stage in STAGE_NAMES {
            if let Some(v) = durations_value(s.get(stage)) {
                values.insert(format!("process.stage.{stage}_days"), v);
            }
        }
        if !merged.is_empty() {
            let n = merged.len() as u64;
            let ai = merged.iter().filter(|p| p.ai.any()).count();
            values.insert(
                "adoption.ai_assisted_prs_pct".to_string(),
                PeriodValue {
                    value: pct(ai as f64, n as f64),
                    n,
                    p75: None,
                    p90: None,
                },
            );
            let reviewed: Vec<_> = merged.iter().filter(|p| !p.reviews.is_empty()).collect();
            if !reviewed.is_empty() {
                let rework = reviewed.iter().filter(|p| p.changes_requested).count();
                values.insert(
                    "process.pr_rework_pct".to_string(),
                    PeriodValue {
                        value: pct(rework as f64, reviewed.len() as f64),
                        n: reviewed.len() as u64,
                        p75: None,
                        p90: None,
                    },
                );
            }
            let weeks = window.seconds() as f64 / (7 * DAY) as f64;
            if weeks > 0.0 && people > 0 {
                values.insert(
                    "process.throughput".to_string(),
                    PeriodValue {
                        value: n as f64 / people as f64 / weeks,
                        n,
                        p75: None,
                        p90: None,
                    },
                );
            }
        }
        if let Some(&(n, ai)) = commits.get(team.name.as_str()) {
            values.insert(
                "adoption.ai_assisted_commits_pct".to_string(),
                PeriodValue {
                    value: pct(ai as f64, n as f64),
                    n,
                    p75: None,
                    p90: None,
                },
            );
        }
        out.push(TeamFigures {
            team: team.name.clone(),
            people,
            ai_rollout_date: team.ai_rollout_date.map(|d| d.to_string()),
            values,
        });
    }
    out
}

/// Per team: its people's non-merge commits in the window, and how many of them are
/// AI-assisted.
fn team_commits<'o>(org: &'o Org<'_>, window: Window) -> HashMap<&'o str, (u64, u64)> {
    // The team of each person the commits name, resolved once.
    let mut team_of: HashMap<u32, Option<&'o str>> = HashMap::new();
    let mut out: HashMap<&'o str, (u64, u64)> = HashMap::new();
    for (c, m) in org.commits_in(&window) {
        if c.is_merge {
            continue;
        }
        let Some(person) = m.actor else {
            continue;
        };
        let team = *team_of
            .entry(person)
            .or_insert_with(|| org.team_of(org.person(person)));
        if let Some(team) = team {
            let e = out.entry(team).or_default();
            e.0 += 1;
            e.1 += u64::from(m.ai);
        }
    }
    out
}
