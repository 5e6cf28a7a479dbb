//! The planted story, as numbers. Every effect the generator plants is a constant here,
//! applied by phase of the team at the moment the affected stage starts, and copied into
//! `PLANTED.json` so that the metrics can be checked against it.
//!
//! Phases follow the seed discussion: a team works as before until its AI rollout, then
//! codes faster while review and testing queue up ("AI, no process change"), until it
//! adopts governance (AI review checklists, quality gates, test infrastructure), after
//! which review and testing run faster than before AI; two months after governance the
//! team is "mature" and delivers more.

use crate::calendar::DAY;
use crate::org::{Level, Team, TeamSpec};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    Baseline,
    Ai,
    Governed,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Baseline => "baseline",
            Phase::Ai => "ai_before_governance",
            Phase::Governed => "ai_after_governance",
        }
    }
}

/// Baseline medians of the stages, in days (the seed's "before AI" figures).
pub const CODING_DAYS: f64 = 5.2;
pub const REVIEW_DAYS: f64 = 2.8;
pub const TESTING_DAYS: f64 = 1.6;
/// Log-space spread of stage durations.
pub const STAGE_SIGMA: f64 = 0.45;

/// Stage multipliers by phase.
pub const CODING_MULT: [f64; 3] = [1.0, 0.60, 0.60];
pub const REVIEW_MULT: [f64; 3] = [1.0, 1.47, 0.85];
pub const TESTING_MULT: [f64; 3] = [1.0, 1.45, 0.85];

/// Work started per person-week, before level factors and the throughput multiplier.
pub const BASE_STARTS_PER_WEEK: f64 = 0.62;
/// Throughput multipliers: AI before governance, governed, mature (two months after governance).
pub const THROUGHPUT_AI: f64 = 1.10;
pub const THROUGHPUT_GOVERNED: f64 = 1.15;
pub const THROUGHPUT_MATURE: f64 = 1.28;
pub const MATURE_AFTER_GOVERNANCE_DAYS: i64 = 61;

/// Share of a team's non-merge commits carrying an AI signature: at rollout, and after
/// the ramp (for a person of propensity 1).
pub const AI_SHARE_START: f64 = 0.20;
pub const AI_SHARE_END: f64 = 0.70;
pub const AI_RAMP_MONTHS: f64 = 8.0;
/// Share of the commits of an AI-assisted PR that carry the signature.
pub const SIGNED_COMMIT_SHARE: f64 = 0.9;

/// Probability that a production deployment fails, by phase.
pub const DEPLOY_FAILURE: [f64; 3] = [0.08, 0.16, 0.06];
/// Probability that a PR gets a changes-requested review: baseline, AI phase for
/// AI-assisted PRs, AI phase for other PRs, governed.
pub const CHANGES_REQUESTED_BASELINE: f64 = 0.18;
pub const CHANGES_REQUESTED_AI_ASSISTED: f64 = 0.32;
pub const CHANGES_REQUESTED_AI_OTHER: f64 = 0.20;
pub const CHANGES_REQUESTED_GOVERNED: f64 = 0.15;
/// Probability that the first end-to-end run fails (flaky or real), by phase.
pub const E2E_FIRST_FAILURE: [f64; 3] = [0.15, 0.30, 0.10];
/// Share of added lines that are TODO/FIXME/HACK markers, by phase.
pub const MARKER_SHARE: [f64; 3] = [0.012, 0.025, 0.010];
/// Share of new work that is exploratory (spike, experiment), by phase.
pub const INNOVATION_SHARE: [f64; 3] = [0.07, 0.06, 0.12];
/// New scanner findings per repository-month, by phase: security, quality, design.
pub const NEW_SECURITY: [f64; 3] = [0.8, 1.8, 0.6];
pub const NEW_QUALITY: [f64; 3] = [3.0, 6.0, 2.5];
pub const NEW_DESIGN: [f64; 3] = [1.5, 3.5, 0.8];
/// Probability that an open finding is fixed in a month, by phase.
pub const FIX_RATE: [f64; 3] = [0.20, 0.15, 0.40];
/// Yearly skill growth by band (junior, mid, senior) before and after rollout.
pub const SKILL_GROWTH_BEFORE: [f64; 3] = [0.35, 0.22, 0.12];
pub const SKILL_GROWTH_AFTER: [f64; 3] = [0.18, 0.28, 0.08];
/// Mean survey scores (1–5) by phase; ai_satisfaction is asked only after rollout.
pub const SURVEY_DEV_SATISFACTION: [f64; 3] = [3.6, 3.3, 3.9];
pub const SURVEY_AI_SATISFACTION: [f64; 3] = [0.0, 3.4, 4.1];
pub const SURVEY_LEARNING: [f64; 3] = [3.5, 3.3, 3.7];
pub const SURVEY_LEARNING_JUNIOR_AI: f64 = 2.8;
pub const SURVEY_EXPLORATION: [f64; 3] = [2.9, 2.8, 3.5];
/// Accessibility violations per page scan, by phase of the page's team.
pub const A11Y_VIOLATIONS: [f64; 3] = [3.0, 5.0, 1.5];

/// The value model written to plumb.toml and used for the planted ROI.
pub const AVERAGE_FEATURE_VALUE: f64 = 4_800.0;
pub const LOADED_COST_PER_ENGINEER_DAY: f64 = 800.0;
pub const COST_PER_INCIDENT_HOUR: f64 = 2_000.0;
pub const EXPECTED_PAYBACK_MONTH: u32 = 9;

/// A team's story dates.
#[derive(Debug, Clone, Copy)]
pub struct TeamStory {
    pub rollout: i64,
    pub governance: i64,
}

impl TeamStory {
    pub fn of(spec: &TeamSpec) -> TeamStory {
        TeamStory {
            rollout: spec.rollout_at(),
            governance: spec.governance_at(),
        }
    }

    pub fn phase(&self, t: i64) -> Phase {
        if t < self.rollout {
            Phase::Baseline
        } else if t < self.governance {
            Phase::Ai
        } else {
            Phase::Governed
        }
    }

    pub fn mature(&self, t: i64) -> bool {
        t >= self.governance + MATURE_AFTER_GOVERNANCE_DAYS * DAY
    }

    pub fn throughput(&self, t: i64) -> f64 {
        match self.phase(t) {
            Phase::Baseline => 1.0,
            Phase::Ai => THROUGHPUT_AI,
            Phase::Governed if self.mature(t) => THROUGHPUT_MATURE,
            Phase::Governed => THROUGHPUT_GOVERNED,
        }
    }

    /// Months since rollout (fractional), or `None` before it.
    pub fn months_since_rollout(&self, t: i64) -> Option<f64> {
        (t >= self.rollout).then(|| (t - self.rollout) as f64 / (30.44 * DAY as f64))
    }

    /// Share of a person's commits that carry an AI signature at `t`.
    pub fn ai_share(&self, t: i64, propensity: f64) -> f64 {
        match self.months_since_rollout(t) {
            None => 0.0,
            Some(m) => {
                let ramp = (m / AI_RAMP_MONTHS).min(1.0);
                ((AI_SHARE_START + (AI_SHARE_END - AI_SHARE_START) * ramp) * propensity)
                    .clamp(0.0, 0.95)
            }
        }
    }
}

pub fn stories(teams: &[Team]) -> Vec<TeamStory> {
    teams.iter().map(|t| TeamStory::of(t)).collect()
}

/// How long a person of this level takes to code a change, relative to the median.
pub fn coding_level_factor(level: Level) -> f64 {
    match level {
        Level::Junior => 1.2,
        Level::Mid => 1.0,
        Level::Senior => 0.9,
        Level::Staff => 0.95,
    }
}

/// Relative rate at which a person of this level starts work.
pub fn start_rate_factor(level: Level) -> f64 {
    match level {
        Level::Junior => 0.85,
        Level::Mid => 1.05,
        Level::Senior => 1.0,
        Level::Staff => 0.7,
    }
}

/// How much review a person of this level is asked for (review load sits with seniors).
pub fn review_weight(level: Level) -> f64 {
    match level {
        Level::Junior => 0.35,
        Level::Mid => 1.2,
        Level::Senior => 3.5,
        Level::Staff => 4.0,
    }
}
