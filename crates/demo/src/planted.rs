//! What the generator planted, as data: the designed effects (constants of the story),
//! the value model and the ROI curve it implies, and what the generated data actually
//! shows for the same quantities, computed directly from the plan (not through plumb),
//! so that a later test of plumb's metrics has both the intent and the realisation.

use crate::calendar::{DAY, MONTHS, START, date, month, month_index, month_start, rfc3339};
use crate::gitwrite::RepoOutput;
use crate::org::{Level, Person, Team};
use crate::outputs::Written;
use crate::plan::{Author, Env, Plan, PrKind, WorkType};
use crate::story::*;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct Planted {
    pub seed: u64,
    pub org: String,
    pub period: Period,
    pub teams: Vec<PlantedTeam>,
    pub effects: Effects,
    pub value_model: ValueModel,
    pub roi: Roi,
    pub observed: Observed,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize)]
pub struct Period {
    pub start: String,
    pub end: String,
    pub months: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlantedTeam {
    pub name: String,
    pub repo: String,
    pub service: String,
    pub key_prefix: String,
    pub people_at_start: usize,
    pub people_at_end: usize,
    pub ai_rollout_date: String,
    pub governance_date: String,
    /// Two months after governance: the throughput multiplier reaches its mature value.
    pub mature_date: String,
    /// Months of the history (1 = 2025-08) in which the rollout falls.
    pub rollout_month: usize,
    pub signature_tools: Vec<String>,
    pub seats: Vec<String>,
    pub utc_offset: String,
}

/// A value per phase of a team's AI journey.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseValues {
    pub baseline: f64,
    pub ai_before_governance: f64,
    pub ai_after_governance: f64,
}

impl PhaseValues {
    fn of(v: [f64; 3]) -> PhaseValues {
        PhaseValues {
            baseline: v[0],
            ai_before_governance: v[1],
            ai_after_governance: v[2],
        }
    }

    fn pct(v: [f64; 3]) -> PhaseValues {
        PhaseValues::of([v[0] * 100.0, v[1] * 100.0, v[2] * 100.0].map(round1))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BeforeAfter {
    pub before: f64,
    pub after: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Effects {
    pub coding_stage_change_pct: f64,
    pub review_stage_change_pct_before_governance: f64,
    pub review_stage_change_pct_after_governance: f64,
    pub testing_stage_change_pct_before_governance: f64,
    pub testing_stage_change_pct_after_governance: f64,
    pub deploy_stage_change_pct: f64,
    /// Baseline medians the stage durations are drawn around (before level and work-type
    /// factors): coding, review, testing.
    pub baseline_stage_median_days: BTreeMap<String, f64>,
    /// Probability that a regular production deployment fails (status failure, rolled
    /// back, or an incident follows).
    pub regular_deployment_failure_pct: PhaseValues,
    /// The change failure rate that implies over all production deployments: each failure
    /// brings 1.25 hotfix or rollback deployments on average, which count in the denominator.
    pub change_failure_rate_pct: PhaseValues,
    /// Work started per person relative to baseline; `mature` applies two months after
    /// governance.
    pub throughput_multiplier: BTreeMap<String, f64>,
    /// Features delivered per quarter once mature, relative to baseline.
    pub features_per_quarter_change_pct_mature: f64,
    pub ai_commit_share_pct_at_rollout: f64,
    pub ai_commit_share_pct_after_ramp: f64,
    pub ai_commit_share_ramp_months: f64,
    pub changes_requested_pct: BTreeMap<String, f64>,
    pub e2e_first_run_failure_pct: PhaseValues,
    /// Yearly growth of skill scores by band, before and after the team's rollout.
    pub skill_growth_yoy_pct: BTreeMap<String, BeforeAfter>,
    /// Mean score (1–5) by question and phase; ai_satisfaction is not asked at baseline.
    pub survey_mean_scores: BTreeMap<String, BTreeMap<String, f64>>,
    pub new_findings_per_repo_month: BTreeMap<String, PhaseValues>,
    pub finding_fix_rate_pct_per_month: PhaseValues,
    pub todo_marker_share_of_added_lines_pct: PhaseValues,
    pub innovation_share_of_new_work_pct: PhaseValues,
    pub a11y_violations_per_scan: PhaseValues,
    /// Deletions that start on a line under 21 days old pick lines written by AI before
    /// governance this many times as often as other young lines.
    pub young_ai_line_deletion_weight: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ValueModel {
    pub average_feature_value: f64,
    pub loaded_cost_per_engineer_day: f64,
    pub currency: String,
    pub cost_per_incident_hour: f64,
    /// How the planted ROI values: features delivered beyond each team's pre-rollout rate.
    pub value_basis: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Roi {
    /// The month (1 = the first rollout's month) from which cumulative value covers the
    /// cumulative investment for good, by design (expected feature counts) and in the
    /// generated data.
    pub expected_payback_month: Option<u32>,
    pub observed_payback_month: Option<u32>,
    pub designed_payback_month: u32,
    pub first_rollout_month: String,
    /// Investment categories: ai_tool, ci_cd, security_tooling, training, consulting.
    pub months: Vec<RoiMonth>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoiMonth {
    pub month: String,
    pub months_since_first_rollout: u32,
    pub investment: f64,
    pub expected_extra_features: f64,
    pub observed_extra_features: f64,
    pub cumulative_investment: f64,
    pub cumulative_expected_value: f64,
    pub cumulative_observed_value: f64,
    pub cumulative_roi_pct_expected: f64,
    pub cumulative_roi_pct_observed: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageStat {
    pub median_days: Option<f64>,
    pub n: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rate {
    pub pct: Option<f64>,
    pub n: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Observed {
    /// Stage medians by the phase of the team when the stage started.
    pub stage_median_days: BTreeMap<String, BTreeMap<String, StageStat>>,
    pub change_failure_rate_pct: BTreeMap<String, Rate>,
    pub features_released_per_quarter: BTreeMap<String, u32>,
    /// Share of human non-merge commits with an authored AI signature, by months since
    /// the team's rollout (1 = the first month), all teams together.
    pub ai_commit_share_pct_by_month_since_rollout: BTreeMap<u32, f64>,
    pub skill_growth_yoy_pct: BTreeMap<String, BeforeAfter>,
    pub survey_mean_scores: BTreeMap<String, f64>,
    /// New findings per repository-month by kind and phase.
    pub new_findings_per_repo_month: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub teams: usize,
    pub people: usize,
    pub repos: usize,
    pub commits: usize,
    pub commits_reachable_from_main: usize,
    pub commits_per_repo: BTreeMap<String, usize>,
    pub pull_requests: usize,
    pub merged_pull_requests: usize,
    pub ai_assisted_pull_requests: usize,
    pub reviews: usize,
    pub work_items: usize,
    pub deployments: usize,
    pub production_deployments: usize,
    pub incidents: usize,
    /// Incidents a deployment caused, and how many of those name it in
    /// `caused_by_deployment` (the rest are linked by the time window).
    pub incidents_caused_by_deployments: usize,
    pub incidents_naming_their_deployment: usize,
    pub rows_per_file: BTreeMap<String, usize>,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn median(mut v: Vec<f64>) -> StageStat {
    let n = v.len();
    if n == 0 {
        return StageStat {
            median_days: None,
            n,
        };
    }
    v.sort_by(f64::total_cmp);
    let m = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    StageStat {
        median_days: Some(round2(m)),
        n,
    }
}

fn change(mult: f64) -> f64 {
    round1((mult - 1.0) * 100.0)
}

/// Feature work items a team is expected to start per month at baseline, from the roster
/// employed at `t`.
fn expected_features_per_month(people: &[Person], team: usize, t: i64) -> f64 {
    let starts: f64 = people
        .iter()
        .filter(|p| p.team == team && p.employed(t))
        .map(|p| BASE_STARTS_PER_WEEK * start_rate_factor(p.level))
        .sum();
    starts * (365.25 / 12.0 / 7.0) * 0.46 * (1.0 - INNOVATION_SHARE[0])
}

/// Relative feature rate of a team at `t` (throughput and the share of exploratory work).
fn feature_multiplier(story: &TeamStory, t: i64) -> f64 {
    let phase = story.phase(t) as usize;
    story.throughput(t) * (1.0 - INNOVATION_SHARE[phase]) / (1.0 - INNOVATION_SHARE[0])
}

/// Median days from starting a feature to its tests passing, by phase.
fn feature_cycle_days(phase: usize) -> f64 {
    CODING_DAYS * 1.25 * CODING_MULT[phase]
        + REVIEW_DAYS * REVIEW_MULT[phase]
        + TESTING_DAYS * TESTING_MULT[phase]
}

pub fn compute(
    seed: u64,
    all: &[Team],
    people: &[Person],
    plan: &Plan,
    repos: &[RepoOutput],
    written: &Written,
) -> Planted {
    let stories = stories(all);
    let teams = all
        .iter()
        .enumerate()
        .map(|(t, spec)| {
            let story = stories[t];
            let count = |at: i64| {
                people
                    .iter()
                    .filter(|p| p.team == t && p.employed(at))
                    .count()
            };
            PlantedTeam {
                name: spec.name.clone(),
                repo: spec.full_repo(),
                service: spec.service(),
                key_prefix: spec.key.clone(),
                people_at_start: count(START),
                people_at_end: count(crate::calendar::END - DAY),
                ai_rollout_date: date(story.rollout),
                governance_date: date(story.governance),
                mature_date: date(story.governance + MATURE_AFTER_GOVERNANCE_DAYS * DAY),
                rollout_month: month_index(story.rollout) + 1,
                signature_tools: spec.tools.iter().map(|(t, _)| t.id().to_string()).collect(),
                seats: spec.seats.iter().map(|s| s.item().to_string()).collect(),
                utc_offset: rfc3339(0, spec.offset_min)[19..].to_string(),
            }
        })
        .collect();

    let mature_features =
        THROUGHPUT_MATURE * (1.0 - INNOVATION_SHARE[2]) / (1.0 - INNOVATION_SHARE[0]);
    let effects = Effects {
        coding_stage_change_pct: change(CODING_MULT[1]),
        review_stage_change_pct_before_governance: change(REVIEW_MULT[1]),
        review_stage_change_pct_after_governance: change(REVIEW_MULT[2]),
        testing_stage_change_pct_before_governance: change(TESTING_MULT[1]),
        testing_stage_change_pct_after_governance: change(TESTING_MULT[2]),
        deploy_stage_change_pct: 0.0,
        baseline_stage_median_days: [
            ("coding", CODING_DAYS),
            ("review", REVIEW_DAYS),
            ("testing", TESTING_DAYS),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
        regular_deployment_failure_pct: PhaseValues::pct(DEPLOY_FAILURE),
        change_failure_rate_pct: PhaseValues::pct(DEPLOY_FAILURE.map(|p| p / (1.0 + 1.25 * p))),
        throughput_multiplier: [
            ("baseline", 1.0),
            ("ai_before_governance", THROUGHPUT_AI),
            ("ai_after_governance", THROUGHPUT_GOVERNED),
            ("mature", THROUGHPUT_MATURE),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
        features_per_quarter_change_pct_mature: change(mature_features),
        ai_commit_share_pct_at_rollout: AI_SHARE_START * 100.0,
        ai_commit_share_pct_after_ramp: AI_SHARE_END * 100.0,
        ai_commit_share_ramp_months: AI_RAMP_MONTHS,
        changes_requested_pct: [
            ("baseline", CHANGES_REQUESTED_BASELINE),
            (
                "ai_assisted_before_governance",
                CHANGES_REQUESTED_AI_ASSISTED,
            ),
            ("other_before_governance", CHANGES_REQUESTED_AI_OTHER),
            ("after_governance", CHANGES_REQUESTED_GOVERNED),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), round1(v * 100.0)))
        .collect(),
        e2e_first_run_failure_pct: PhaseValues::pct(E2E_FIRST_FAILURE),
        skill_growth_yoy_pct: ["junior", "mid", "senior"]
            .into_iter()
            .enumerate()
            .map(|(i, b)| {
                (
                    b.to_string(),
                    BeforeAfter {
                        before: round1(SKILL_GROWTH_BEFORE[i] * 100.0),
                        after: round1(SKILL_GROWTH_AFTER[i] * 100.0),
                    },
                )
            })
            .collect(),
        survey_mean_scores: [
            ("ai_satisfaction", SURVEY_AI_SATISFACTION),
            ("dev_satisfaction", SURVEY_DEV_SATISFACTION),
            ("learning", SURVEY_LEARNING),
            ("exploration_time", SURVEY_EXPLORATION),
        ]
        .into_iter()
        .map(|(k, v)| {
            let by_phase = [Phase::Baseline, Phase::Ai, Phase::Governed]
                .into_iter()
                .filter(|p| v[*p as usize] > 0.0)
                .map(|p| (p.as_str().to_string(), v[p as usize]))
                .collect();
            (k.to_string(), by_phase)
        })
        .collect(),
        new_findings_per_repo_month: [
            ("security", NEW_SECURITY),
            ("quality", NEW_QUALITY),
            ("design", NEW_DESIGN),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), PhaseValues::of(v)))
        .collect(),
        finding_fix_rate_pct_per_month: PhaseValues::pct(FIX_RATE),
        todo_marker_share_of_added_lines_pct: PhaseValues::pct(MARKER_SHARE),
        innovation_share_of_new_work_pct: PhaseValues::pct(INNOVATION_SHARE),
        a11y_violations_per_scan: PhaseValues::of(A11Y_VIOLATIONS),
        young_ai_line_deletion_weight: 3.0,
    };

    let roi = roi(people, plan, written, &stories);
    let observed = observed(plan, written, people, &stories);

    let mut commits_per_repo = BTreeMap::new();
    let mut reachable = 0;
    for (t, r) in repos.iter().enumerate() {
        commits_per_repo.insert(all[t].full_repo(), r.commits);
        reachable += 1;
        for (i, pr) in plan.teams[t].prs.iter().enumerate() {
            if r.merge_commits[i].is_some() {
                reachable += 1 + if pr.squash {
                    0
                } else {
                    r.branch_commits[i].len()
                };
            }
        }
    }
    let all_prs = || plan.teams.iter().flat_map(|tp| tp.prs.iter());
    let counts = Counts {
        teams: all.len(),
        people: people.len(),
        repos: repos.len(),
        commits: repos.iter().map(|r| r.commits).sum(),
        commits_reachable_from_main: reachable,
        commits_per_repo,
        pull_requests: all_prs().count(),
        merged_pull_requests: all_prs().filter(|p| p.merged.is_some()).count(),
        ai_assisted_pull_requests: all_prs().filter(|p| p.tool.is_some()).count(),
        reviews: all_prs().map(|p| p.reviews.len()).sum(),
        work_items: plan.teams.iter().map(|tp| tp.items.len()).sum(),
        deployments: plan.teams.iter().map(|tp| tp.deployments.len()).sum(),
        production_deployments: plan
            .teams
            .iter()
            .flat_map(|tp| tp.deployments.iter())
            .filter(|d| d.env == Env::Production)
            .count(),
        incidents: plan.teams.iter().map(|tp| tp.incidents.len()).sum(),
        incidents_caused_by_deployments: plan
            .teams
            .iter()
            .flat_map(|tp| tp.incidents.iter())
            .filter(|i| i.cause.is_some())
            .count(),
        incidents_naming_their_deployment: plan
            .teams
            .iter()
            .flat_map(|tp| tp.incidents.iter())
            .filter(|i| i.caused_by.is_some())
            .count(),
        rows_per_file: written.rows.clone(),
    };

    Planted {
        seed,
        org: "Acme Demo".into(),
        period: Period {
            start: date(START),
            end: date(crate::calendar::END - DAY),
            months: MONTHS,
        },
        teams,
        effects,
        value_model: ValueModel {
            average_feature_value: AVERAGE_FEATURE_VALUE,
            loaded_cost_per_engineer_day: LOADED_COST_PER_ENGINEER_DAY,
            currency: "USD".into(),
            cost_per_incident_hour: COST_PER_INCIDENT_HOUR,
            value_basis: "(features released in the month - the team's mean monthly features \
                          released before its rollout, August 2025 excepted as a warm-up) x \
                          average_feature_value, summed over \
                          teams from their rollout month"
                .into(),
        },
        roi,
        observed,
        counts,
    }
}

fn roi(people: &[Person], plan: &Plan, written: &Written, stories: &[TeamStory]) -> Roi {
    let first_rollout = stories.iter().map(|s| s.rollout).min().unwrap_or(START);
    let first_month = month_index(first_rollout);
    // Features released per team per month, and each team's pre-rollout rate.
    let mut released = vec![[0u32; MONTHS]; stories.len()];
    for (t, tp) in plan.teams.iter().enumerate() {
        for item in &tp.items {
            if item.kind == WorkType::Feature
                && let Some(r) = item.released
                && r >= START
            {
                released[t][month_index(r)] += 1;
            }
        }
    }
    // The first month is a warm-up (work begun before the history is missing from it).
    let baseline: Vec<f64> = (0..stories.len())
        .map(|t| {
            let months = month_index(stories[t].rollout).max(2);
            f64::from(released[t][1..months].iter().sum::<u32>()) / (months - 1) as f64
        })
        .collect();
    let mut months = Vec::new();
    let (mut inv, mut exp_v, mut obs_v) = (0.0, 0.0, 0.0);
    let (mut expected_payback, mut observed_payback) = (None, None);
    #[allow(clippy::needless_range_loop)] // `m` is a month: it indexes rows, costs and dates
    for m in first_month..MONTHS {
        let mid = month_start(m) + 15 * DAY;
        let investment: f64 = written
            .costs
            .iter()
            .filter(|c| c.month == m && c.is_investment())
            .map(|c| c.amount)
            .sum();
        let (mut e, mut o) = (0.0, 0.0);
        for (t, story) in stories.iter().enumerate() {
            if month_index(story.rollout) > m {
                continue;
            }
            // Features are released about three weeks after work on them starts.
            let lagged = mid - 21 * DAY;
            let rate = expected_features_per_month(people, t, mid);
            e += rate * (feature_multiplier(story, lagged) - 1.0);
            // A shorter pipeline releases the work in flight sooner: a one-off bump when
            // the median feature cycle shortens (slightly at rollout, more at governance).
            let per_day = rate / (365.25 / 12.0);
            if month_index(story.rollout) == m {
                e += per_day * (feature_cycle_days(0) - feature_cycle_days(1));
            }
            if month_index(story.governance) == m {
                e += per_day * (feature_cycle_days(1) - feature_cycle_days(2));
            }
            o += f64::from(released[t][m]) - baseline[t];
        }
        inv += investment;
        exp_v += e * AVERAGE_FEATURE_VALUE;
        obs_v += o * AVERAGE_FEATURE_VALUE;
        let k = (m - first_month + 1) as u32;
        // Payback: the first month from which cumulative value stays at or above the
        // cumulative investment.
        if exp_v < inv {
            expected_payback = None;
        } else if expected_payback.is_none() {
            expected_payback = Some(k);
        }
        if obs_v < inv {
            observed_payback = None;
        } else if observed_payback.is_none() {
            observed_payback = Some(k);
        }
        let pct = |v: f64| {
            if inv > 0.0 {
                round1((v - inv) / inv * 100.0)
            } else {
                0.0
            }
        };
        months.push(RoiMonth {
            month: month(month_start(m)),
            months_since_first_rollout: k,
            investment: round2(investment),
            expected_extra_features: round2(e),
            observed_extra_features: round2(o),
            cumulative_investment: round2(inv),
            cumulative_expected_value: round2(exp_v),
            cumulative_observed_value: round2(obs_v),
            cumulative_roi_pct_expected: pct(exp_v),
            cumulative_roi_pct_observed: pct(obs_v),
        });
    }
    Roi {
        expected_payback_month: expected_payback,
        observed_payback_month: observed_payback,
        designed_payback_month: EXPECTED_PAYBACK_MONTH,
        first_rollout_month: month(first_rollout),
        months,
    }
}

fn observed(plan: &Plan, written: &Written, people: &[Person], stories: &[TeamStory]) -> Observed {
    let mut stages: BTreeMap<(&str, Phase), Vec<f64>> = BTreeMap::new();
    let mut cfr: BTreeMap<Phase, (usize, usize)> = BTreeMap::new();
    let mut quarters: BTreeMap<String, u32> = BTreeMap::new();
    let mut share: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    let days = |a: i64, b: i64| (b - a) as f64 / DAY as f64;
    for (t, tp) in plan.teams.iter().enumerate() {
        let story = &stories[t];
        for pr in &tp.prs {
            for c in &pr.commits {
                if let (Author::Person(_), Some(m)) = (c.author, story.months_since_rollout(c.time))
                {
                    let e = share.entry(m as u32 + 1).or_default();
                    e.0 += usize::from(c.ai);
                    e.1 += 1;
                }
            }
            if pr.kind != PrKind::Work || pr.work.is_none() {
                continue;
            }
            if pr.ready < crate::calendar::END && pr.started >= START {
                stages
                    .entry(("coding", story.phase(pr.started)))
                    .or_default()
                    .push(days(pr.started, pr.ready));
            }
            if let Some(a) = pr.approved {
                stages
                    .entry(("review", story.phase(pr.ready)))
                    .or_default()
                    .push(days(pr.ready, a));
                if let Some(p) = pr.tests_passed {
                    stages
                        .entry(("testing", story.phase(a)))
                        .or_default()
                        .push(days(a, p));
                    if let Some(r) = pr.released {
                        stages
                            .entry(("deploy", story.phase(p)))
                            .or_default()
                            .push(days(p, r));
                    }
                }
            }
        }
        for d in &tp.deployments {
            if d.env == Env::Production {
                let e = cfr.entry(story.phase(d.started)).or_default();
                e.0 += usize::from(d.failed);
                e.1 += 1;
            }
        }
        for item in &tp.items {
            if item.kind == WorkType::Feature
                && let Some(r) = item.released
                && r >= START
            {
                let (y, m, _) = crate::calendar::civil_from_days(r.div_euclid(DAY));
                *quarters
                    .entry(format!("{y}-Q{}", (m - 1) / 3 + 1))
                    .or_default() += 1;
            }
        }
    }
    let mut stage_median_days: BTreeMap<String, BTreeMap<String, StageStat>> = BTreeMap::new();
    for ((stage, phase), v) in stages {
        stage_median_days
            .entry(stage.to_string())
            .or_default()
            .insert(phase.as_str().to_string(), median(v));
    }
    let change_failure_rate_pct = cfr
        .into_iter()
        .map(|(phase, (failed, n))| {
            (
                phase.as_str().to_string(),
                Rate {
                    pct: (n > 0).then(|| round1(failed as f64 / n as f64 * 100.0)),
                    n,
                },
            )
        })
        .collect();
    let ai_commit_share_pct_by_month_since_rollout = share
        .into_iter()
        .filter(|(_, (_, n))| *n > 0)
        .map(|(m, (ai, n))| (m, round1(ai as f64 / n as f64 * 100.0)))
        .collect();

    // Skill growth: annualised growth between consecutive assessments wholly before or
    // wholly after the person's team rollout.
    let mut growth: BTreeMap<(&str, bool), Vec<f64>> = BTreeMap::new();
    let mut by_person: BTreeMap<usize, Vec<(i64, f64)>> = BTreeMap::new();
    for &(p, t, s) in &written.skills {
        by_person.entry(p).or_default().push((t, s));
    }
    for (p, points) in by_person {
        let rollout = stories[people[p].team].rollout;
        let band = match people[p].level {
            Level::Junior => "junior",
            Level::Mid => "mid",
            Level::Senior | Level::Staff => "senior",
        };
        for w in points.windows(2) {
            let ((t1, s1), (t2, s2)) = (w[0], w[1]);
            let after = if t2 <= rollout {
                false
            } else if t1 >= rollout {
                true
            } else {
                continue;
            };
            let years = (t2 - t1) as f64 / (365.0 * DAY as f64);
            growth
                .entry((band, after))
                .or_default()
                .push((s2 / s1).powf(1.0 / years) - 1.0);
        }
    }
    let mut skill_growth_yoy_pct = BTreeMap::new();
    for band in ["junior", "mid", "senior"] {
        let mean = |v: Option<&Vec<f64>>| {
            v.filter(|v| !v.is_empty()).map_or(0.0, |v| {
                round1(v.iter().sum::<f64>() / v.len() as f64 * 100.0)
            })
        };
        skill_growth_yoy_pct.insert(
            band.to_string(),
            BeforeAfter {
                before: mean(growth.get(&(band, false))),
                after: mean(growth.get(&(band, true))),
            },
        );
    }
    let survey_mean_scores = written
        .survey_means
        .iter()
        .map(|((phase, q), v)| (format!("{q}/{phase}"), *v))
        .collect();
    let new_findings_per_repo_month = written
        .findings_new
        .iter()
        .map(|((kind, phase), (new, n))| {
            (
                format!("{kind}/{phase}"),
                round2(f64::from(*new) / f64::from((*n).max(1))),
            )
        })
        .collect();
    Observed {
        stage_median_days,
        change_failure_rate_pct,
        features_released_per_quarter: quarters,
        ai_commit_share_pct_by_month_since_rollout,
        skill_growth_yoy_pct,
        survey_mean_scores,
        new_findings_per_repo_month,
    }
}
