//! The phase model of PRODUCT.md §7: each phase's criteria, ✓/✗ with the evidence.
//!
//! Decisions the spec leaves open:
//!
//! - The organisation's phase is the highest phase whose criteria hold together with every
//!   phase below it (a phase reached out of order is shown ✓ but does not raise the phase).
//! - Phase 1's "≥ 4 weeks of data before the AI rollout date" uses the earliest team
//!   rollout date and the earliest data of any source; the "cohort split" alternative holds
//!   when at the window's end some teams have rolled out and others have not.
//! - Phase 2's gate coverage matches a merged pull request to a recorded gate decision by
//!   its head or merge commit; "the last 30 days" are the window's last 30 days.
//! - Phase 3's bottleneck is the stage with the largest share of the window's median cycle
//!   (`process.bottleneck`); its median and the cycle time are compared with the baseline
//!   window.
//! - Phase 4's "outcome metrics populated" counts quarters whose business-outcomes
//!   dimension has a score; survey quarters count any survey answer.
//! - Phase 5's "targets reviewed between them" holds when a later snapshot was saved with
//!   `--targets-reviewed` or its targets differ from the one before.

use super::trends::value_of;
use super::types::{Criterion, PhaseAssessment, PhaseInputs, PhaseStatus, Trends};
use crate::catalogue::Dimension;
use crate::org::Org;
use crate::stats::{DAY, date_of, day_start, pct};
use crate::{Scorecard, Source, Window};
use foldhash::HashSet;
use plumb_model::records::quarter_of;
use std::collections::BTreeSet;

const NAMES: [&str; 6] = [
    "tool adoption",
    "baselines",
    "governance",
    "process optimisation",
    "cultural shift",
    "iterate",
];

pub(crate) fn assess(
    org: &Org<'_>,
    card: &Scorecard,
    trends: &Trends,
    inputs: &PhaseInputs,
) -> PhaseAssessment {
    let phases: Vec<PhaseStatus> = [
        phase0(org),
        phase1(org, card),
        phase2(org, card, inputs),
        phase3(org, card),
        phase4(org, trends),
        phase5(inputs),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, criteria)| PhaseStatus {
        phase: i as u8,
        name: NAMES[i].to_string(),
        met: criteria.iter().all(|c| c.met),
        criteria,
    })
    .collect();
    let reached = phases.iter().take_while(|p| p.met).count();
    let phase = reached.checked_sub(1).map(|p| p as u8);
    let next_steps = phases
        .get(reached)
        .map(|p| {
            p.criteria
                .iter()
                .filter(|c| !c.met)
                .map(|c| step(p.phase, &c.text))
                .collect()
        })
        .unwrap_or_else(|| {
            vec![
                "keep iterating: save a snapshot every quarter (`plumb snapshot`) and review the targets against it"
                    .to_string(),
            ]
        });
    PhaseAssessment {
        phase,
        phases,
        next_steps,
    }
}

fn criterion(text: &str, met: bool, evidence: String) -> Criterion {
    Criterion {
        text: text.to_string(),
        met,
        evidence,
    }
}

fn phase0(org: &Org<'_>) -> Vec<Criterion> {
    let usage = org.data.records.ai_usage.len();
    let ai_commits = org.ai_commits.len();
    vec![criterion(
        "AI usage or AI-assisted changes are present",
        usage > 0 || ai_commits > 0,
        format!("{ai_commits} AI-assisted commit(s) in the history, {usage} AI-usage record(s)"),
    )]
}

fn earliest_data(org: &Org<'_>) -> Option<i64> {
    org.data
        .graph
        .iter()
        .map(|n| n.author_time)
        .chain(org.prs.iter().map(|p| p.created))
        .chain(org.items.iter().map(|i| i.created))
        .chain(org.deploys.iter().map(|d| d.finished))
        .min()
}

fn phase1(org: &Org<'_>, card: &Scorecard) -> Vec<Criterion> {
    let rollouts: Vec<_> = org
        .ids
        .teams()
        .iter()
        .filter_map(|t| t.ai_rollout_date)
        .collect();
    let earliest_rollout = rollouts.iter().min().copied();
    let end = date_of(card.window.until - 1);
    let baseline = match (earliest_rollout, earliest_data(org)) {
        (Some(r), Some(first)) => {
            let weeks = (day_start(r) - first) as f64 / (7 * DAY) as f64;
            let cohort = org
                .ids
                .teams()
                .iter()
                .any(|t| t.ai_rollout_date.is_none_or(|d| d > end))
                && rollouts.iter().any(|d| *d <= end);
            criterion(
                "≥ 4 weeks of data before the AI rollout date (or a cohort split)",
                weeks >= 4.0 || cohort,
                format!(
                    "data from {} and the first AI rollout on {r}: {:.1} weeks before{}",
                    date_of(first),
                    weeks.max(0.0),
                    if cohort {
                        "; some teams have not rolled out yet (a cohort split)"
                    } else {
                        ""
                    }
                ),
            )
        }
        (None, _) => criterion(
            "≥ 4 weeks of data before the AI rollout date (or a cohort split)",
            false,
            "no AI rollout date: set ai_rollout_date in [[teams]] or import teams".to_string(),
        ),
        (Some(r), None) => criterion(
            "≥ 4 weeks of data before the AI rollout date (or a cohort split)",
            false,
            format!("first AI rollout on {r}, but no dated data"),
        ),
    };
    let empty: Vec<&str> = card
        .dimensions
        .iter()
        .filter(|d| d.metrics_with_data == 0)
        .map(|d| d.dimension.name())
        .collect();
    let dims = criterion(
        "every dimension has ≥ 1 metric with data",
        empty.is_empty(),
        if empty.is_empty() {
            card.dimensions
                .iter()
                .map(|d| {
                    format!(
                        "{} {}/{}",
                        d.dimension.name(),
                        d.metrics_with_data,
                        d.metrics
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            format!("no data: {}", empty.join(", "))
        },
    );
    vec![baseline, dims]
}

fn phase2(org: &Org<'_>, card: &Scorecard, inputs: &PhaseInputs) -> Vec<Criterion> {
    let zones = criterion(
        "risk zones configured",
        inputs.zones_configured > 0,
        format!("{} [[zones]] in plumb.toml", inputs.zones_configured),
    );
    let last30 = Window {
        since: (card.window.until - 30 * DAY).max(card.window.since),
        until: card.window.until,
    };
    let gated: HashSet<&str> = inputs
        .gate_decisions
        .iter()
        .map(|g| g.head.as_str())
        .collect();
    let merged: Vec<_> = org.prs_merged_in(&last30).collect();
    let covered = merged
        .iter()
        .filter(|p| {
            [&p.rec.head_sha, &p.rec.merge_sha]
                .into_iter()
                .flatten()
                .any(|sha| gated.contains(sha.as_str()))
        })
        .count();
    let share = (!merged.is_empty()).then(|| pct(covered as f64, merged.len() as f64));
    let gate = criterion(
        "gate decisions recorded for ≥ 80% of merged PRs in the last 30 days",
        share.is_some_and(|s| s >= 80.0),
        match share {
            Some(s) => format!(
                "{covered} of {} pull request(s) merged {} have a gate decision ({s:.0}%); {} decision(s) recorded in all",
                merged.len(),
                last30.label(),
                inputs.gate_decisions.len()
            ),
            None => format!(
                "no pull request merged {}; {} gate decision(s) recorded",
                last30.label(),
                inputs.gate_decisions.len()
            ),
        },
    );
    let s = &org.data.sources;
    let findings = criterion(
        "security and accessibility findings are ingested",
        s.count(Source::SecurityFindings) > 0 && s.count(Source::A11yFindings) > 0,
        format!(
            "{} security finding(s), {} accessibility finding(s)",
            s.count(Source::SecurityFindings),
            s.count(Source::A11yFindings)
        ),
    );
    vec![zones, gate, findings]
}

fn phase3(org: &Org<'_>, card: &Scorecard) -> Vec<Criterion> {
    let bottleneck = card
        .metrics
        .iter()
        .find(|m| m.id == "process.bottleneck")
        .and_then(|m| {
            m.breakdown
                .iter()
                .max_by(|a, b| a.1.value.total_cmp(&b.1.value))
                .map(|(k, _)| k.clone())
        });
    let stage = match bottleneck {
        Some(stage) => {
            let id = format!("process.stage.{stage}_days");
            let now = value_of(org, &id, &card.window);
            let before = value_of(org, &id, &card.window.previous());
            match (now, before) {
                (Some(n), Some(b)) if b.value > 0.0 => {
                    let c = pct(n.value - b.value, b.value);
                    criterion(
                        "the bottleneck stage's median improved ≥ 10% vs baseline",
                        c <= -10.0,
                        format!(
                            "bottleneck: {stage}, {:.1} d vs baseline {:.1} d ({c:+.1}%)",
                            n.value, b.value
                        ),
                    )
                }
                _ => criterion(
                    "the bottleneck stage's median improved ≥ 10% vs baseline",
                    false,
                    format!("bottleneck: {stage}, but its baseline window has no data"),
                ),
            }
        }
        None => criterion(
            "the bottleneck stage's median improved ≥ 10% vs baseline",
            false,
            "no bottleneck: the four stages need merged pull requests with reviews, checks and deployments"
                .to_string(),
        ),
    };
    let cycle = card
        .metrics
        .iter()
        .find(|m| m.id == "process.cycle_time_days");
    let cycle = match cycle.and_then(|m| Some((m.value?, m.baseline?))) {
        Some((v, b)) => criterion(
            "end-to-end cycle time improved vs baseline",
            v < b,
            format!(
                "cycle time {v:.1} d vs baseline {b:.1} d ({:+.1}%)",
                pct(v - b, b)
            ),
        ),
        None => criterion(
            "end-to-end cycle time improved vs baseline",
            false,
            cycle
                .and_then(|m| m.reason.clone())
                .unwrap_or_else(|| "no cycle time".to_string()),
        ),
    };
    vec![stage, cycle]
}

fn phase4(org: &Org<'_>, trends: &Trends) -> Vec<Criterion> {
    let outcome_quarters: Vec<&str> = trends
        .quarters
        .iter()
        .filter(|q| {
            q.dimensions
                .get(&Dimension::Outcomes)
                .is_some_and(|s| s.is_some())
        })
        .map(|q| q.label.as_str())
        .collect();
    let outcomes = criterion(
        "outcome metrics populated for ≥ 2 quarters",
        outcome_quarters.len() >= 2,
        if outcome_quarters.is_empty() {
            "no quarter has a business-outcomes score".to_string()
        } else {
            format!(
                "business outcomes scored in {}",
                outcome_quarters.join(", ")
            )
        },
    );
    let survey_quarters: BTreeSet<String> = org
        .data
        .records
        .survey
        .iter()
        .map(|s| quarter_of(s.date))
        .collect();
    let surveys = criterion(
        "satisfaction surveys in ≥ 2 quarters",
        survey_quarters.len() >= 2,
        if survey_quarters.is_empty() {
            "no survey answers imported".to_string()
        } else {
            format!(
                "survey answers in {}",
                survey_quarters.into_iter().collect::<Vec<_>>().join(", ")
            )
        },
    );
    vec![outcomes, surveys]
}

fn phase5(inputs: &PhaseInputs) -> Vec<Criterion> {
    let snaps = &inputs.snapshots;
    let quarters: BTreeSet<&str> = snaps.iter().map(|s| s.quarter.as_str()).collect();
    let reviewed = snaps
        .windows(2)
        .any(|w| w[1].targets_reviewed || w[1].targets != w[0].targets);
    vec![criterion(
        "≥ 2 saved quarterly scorecard snapshots with targets reviewed between them",
        quarters.len() >= 2 && reviewed,
        if snaps.is_empty() {
            "no snapshot saved (`plumb snapshot`)".to_string()
        } else {
            format!(
                "snapshots: {}; targets reviewed between them: {}",
                quarters.into_iter().collect::<Vec<_>>().join(", "),
                if reviewed { "yes" } else { "no" }
            )
        },
    )]
}

/// What to do about an unmet criterion.
fn step(phase: u8, criterion: &str) -> String {
    let advice = match (phase, criterion) {
        (0, _) => {
            "roll out an AI coding tool to a pilot team and import its usage (`plumb import ai-usage`), or ingest repositories where AI-assisted commits are signed"
        }
        (1, c) if c.starts_with("≥ 4 weeks") => {
            "record each team's AI rollout date ([[teams]] ai_rollout_date) and ingest at least 4 weeks of history before it, or keep a team without AI as a comparison cohort"
        }
        (1, _) => "import the sources the empty dimensions need (see Missing data)",
        (2, "risk zones configured") => {
            "declare risk zones ([[zones]] in plumb.toml) for the code where AI-assisted changes need more care"
        }
        (2, c) if c.starts_with("gate") => {
            "run `plumb gate` in CI on every pull request so that decisions are recorded"
        }
        (2, _) => "import security (SARIF) and accessibility (axe) findings on a schedule",
        (3, c) if c.starts_with("the bottleneck") => {
            "work on the bottleneck stage (review capacity, test infrastructure, deployment automation) until its median falls by 10%"
        }
        (3, _) => {
            "end-to-end cycle time must fall vs the baseline: change the process around the code, not only the coding"
        }
        (4, c) if c.starts_with("outcome") => {
            "import business outcomes (KPIs, releases, customer satisfaction) for at least two quarters"
        }
        (4, _) => "run the developer-satisfaction survey every quarter and import it",
        _ => {
            "save a scorecard snapshot every quarter (`plumb snapshot`) and review the targets (`--targets-reviewed`)"
        }
    };
    format!(
        "phase {} ({}): {advice}",
        phase,
        NAMES[usize::from(phase).min(5)]
    )
}
