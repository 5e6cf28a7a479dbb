//! The scorecard of `PRODUCT.md` §6: targets, attainment, status, dimension and overall
//! scores, and the assessment sentence.

use crate::catalogue::{
    Dimension, Direction, MetricDef, Source, Target, TargetBasis, TargetOp, Unit,
};
use crate::{MetricsConfig, Window};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a metric stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The target holds.
    Met,
    /// Short of the target by no more than the tolerance.
    Near,
    /// Short of the target by more than the tolerance.
    Missed,
    /// No value, or a value that cannot be judged (a target relative to a baseline that
    /// does not exist); `reason` says which.
    Insufficient,
    /// A value shown for context: the metric has no target.
    Context,
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Near => "near",
            Status::Missed => "missed",
            Status::Insufficient => "insufficient",
            Status::Context => "context",
        }
    }
}

/// One group of a breakdown (an AI tool, a work type): its value in the metric's unit and
/// its sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BreakdownEntry {
    pub value: f64,
    pub n: u64,
}

/// One metric of the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricResult {
    pub id: String,
    pub dimension: Dimension,
    pub name: String,
    pub unit: Unit,
    pub direction: Direction,
    /// `None` when there is no data; never 0 for "no data".
    pub value: Option<f64>,
    /// The sample size (commits, developers…); 0 without a value.
    pub n: u64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub breakdown: BTreeMap<String, BreakdownEntry>,
    /// The effective target: the catalogue's, or the configuration's override.
    pub target: Option<Target>,
    /// 0..=1, for a value judged against an absolute target.
    pub attainment: Option<f64>,
    pub status: Status,
    /// `n` is below `min_sample`: the value is shown, the status is computed, but the
    /// metric does not count toward the dimension score.
    pub low_sample: bool,
    /// The sources the metric is computed from.
    pub sources: Vec<Source>,
    /// The sources it needs that hold no data; empty when they are all present.
    pub missing_sources: Vec<Source>,
    /// Why there is no value (or why the value cannot be judged); `None` otherwise.
    pub reason: Option<String>,
    /// For a target relative to a baseline: the same figure over the equally long window
    /// just before this one (for customer satisfaction, the latest value before it).
    #[serde(default)]
    pub baseline: Option<f64>,
    /// The change judged against a relative target, in the target's unit: a percent
    /// change for `percent` targets, else the difference in the metric's unit (points for
    /// `points`).
    #[serde(default)]
    pub change: Option<f64>,
}

impl MetricResult {
    /// Whether the metric counts toward its dimension's score.
    pub fn is_scored(&self) -> bool {
        self.attainment.is_some() && !self.low_sample
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DimensionScore {
    pub dimension: Dimension,
    /// Mean attainment × 100 of the scored metrics; `None` when none is scored.
    pub score: Option<f64>,
    /// Metrics in the catalogue for this dimension.
    pub metrics: u64,
    /// Of those, metrics with a value.
    pub metrics_with_data: u64,
    /// Of those, metrics that count toward the score.
    pub metrics_scored: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Overall {
    /// The weighted mean of the dimension scores that exist; `None` when none does.
    pub score: Option<f64>,
    pub dimensions_with_score: u64,
    pub dimensions: u64,
}

/// What happened in the window: context, never a goal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    /// Non-merge commits by people and AI agents.
    pub commits: u64,
    /// Merge commits by anyone.
    pub merge_commits: u64,
    /// Non-merge commits by non-AI bots, which no metric counts.
    pub bot_commits: u64,
    /// Distinct people with at least one non-merge commit.
    pub active_developers: u64,
    /// Lines added and deleted by the counted commits, outside generated, vendored and lock
    /// files (binary files have no lines).
    pub lines_added: u64,
    pub lines_deleted: u64,
    pub ai_assisted_commits: u64,
    /// AI-assisted commits per tool; a commit with two tools counts under both. Tools used
    /// by fewer than `min_group_size` people are left out (see the notes).
    pub ai_by_tool: BTreeMap<String, u64>,
    /// Counted commits with an accepted AI review suggestion.
    pub review_suggestion_commits: u64,
    /// Repositories with at least one commit in the window.
    pub repos: u64,
}

/// The whole result for one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub window: Window,
    /// Every catalogue metric, in catalogue order.
    pub metrics: Vec<MetricResult>,
    /// One per dimension, in board order.
    pub dimensions: Vec<DimensionScore>,
    pub overall: Overall,
    pub assessment: String,
    pub activity: Activity,
    pub notes: Vec<String>,
}

/// The target in force for `def`: the catalogue's, unless `[scorecard.targets]` overrides
/// it. An override keeps the target's comparison and relativity and replaces its value;
/// a metric with no default target (the spec's "configured") gets an absolute one in its
/// better direction. A "↓"/"↑" target overridden with a number becomes a change of that
/// many percent vs the baseline. Context metrics are never targeted (principle 1).
pub(crate) fn resolve_target(
    def: &MetricDef,
    config: &MetricsConfig,
    notes: &mut Vec<String>,
) -> Option<Target> {
    let Some(&value) = config.target_overrides.get(def.id) else {
        return def.target;
    };
    if !value.is_finite() {
        notes.push(format!(
            "target for {} ignored: {value} is not a number",
            def.id
        ));
        return def.target;
    }
    let op = match def.direction {
        Direction::HigherIsBetter => TargetOp::AtLeast,
        Direction::LowerIsBetter => TargetOp::AtMost,
        Direction::Context => {
            notes.push(format!(
                "target for {} ignored: it is a context metric and is never targeted",
                def.id
            ));
            return def.target;
        }
    };
    Some(match def.target {
        Some(t) if t.op == TargetOp::Change => Target {
            op,
            value,
            relative: true,
            unit: Unit::Percent,
            basis: TargetBasis::Config,
        },
        Some(t) => Target {
            value,
            basis: TargetBasis::Config,
            ..t
        },
        None => Target {
            op,
            value,
            relative: false,
            unit: def.unit,
            basis: TargetBasis::Config,
        },
    })
}

/// A value judged: its attainment, status and, when it cannot be judged, why.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Judgement {
    pub attainment: Option<f64>,
    pub status: Status,
    pub reason: Option<String>,
}

/// Judges a value against a target (§6). `tolerance_pct` is how far short of full
/// attainment still counts as near: attainment ≥ 1 − tolerance/100 (boundary included).
pub(crate) fn judge(value: Option<f64>, target: Option<&Target>, tolerance_pct: f64) -> Judgement {
    let insufficient = |reason: Option<String>| Judgement {
        attainment: None,
        status: Status::Insufficient,
        reason,
    };
    let Some(actual) = value else {
        return insufficient(None);
    };
    let Some(target) = target else {
        return Judgement {
            attainment: None,
            status: Status::Context,
            reason: None,
        };
    };
    let (Some(holds), Some(attainment)) = (target.holds(actual), target.attainment(actual)) else {
        return insufficient(Some(
            "needs a baseline period: the target is a change vs the baseline".to_string(),
        ));
    };
    // Ratios like 64/80 and 1 − 0.2 differ in the last bit; the boundary belongs to "near".
    const EPSILON: f64 = 1e-9;
    let status = if holds {
        Status::Met
    } else if attainment + EPSILON >= 1.0 - tolerance_pct / 100.0 {
        Status::Near
    } else {
        Status::Missed
    };
    Judgement {
        attainment: Some(attainment),
        status,
        reason: None,
    }
}

/// The change of `value` against `baseline` in the unit of a relative target: a percent
/// change for a `percent` target (undefined for a baseline of 0), else the difference.
pub(crate) fn change(value: f64, baseline: f64, target: &Target) -> Result<f64, String> {
    if target.unit == Unit::Percent {
        if baseline == 0.0 {
            return Err(
                "the baseline is 0, so a percent change against it is undefined".to_string(),
            );
        }
        Ok(100.0 * (value - baseline) / baseline.abs())
    } else {
        Ok(value - baseline)
    }
}

/// Judges a value against a target relative to a baseline (§6: "a target relative to
/// baseline compares the change").
///
/// - `≥ t` / `≤ t` compare the change with `t`; attainment is change/t (or t/change for
///   `≤` a positive `t`), capped at 1, floored at 0, as for absolute targets.
/// - `change` (the spec's `↓`/`↑`) holds when the value moved in the metric's better
///   direction; a lower-is-better value that stays at 0 holds too (it cannot improve).
///   Otherwise attainment is baseline/value (lower is better) or value/baseline (higher),
///   so no change reads as fully attained but not met: near.
pub(crate) fn judge_change(
    value: f64,
    baseline: f64,
    change: f64,
    target: &Target,
    direction: Direction,
    tolerance_pct: f64,
) -> Judgement {
    let t = target.value;
    let (holds, attainment) = match target.op {
        TargetOp::AtLeast => {
            let holds = change >= t;
            let a = if holds {
                1.0
            } else if t > 0.0 {
                change / t
            } else {
                0.0
            };
            (holds, a)
        }
        TargetOp::AtMost => {
            let holds = change <= t;
            let a = if holds {
                1.0
            } else if t < 0.0 {
                change / t
            } else if t > 0.0 && change > 0.0 {
                t / change
            } else {
                0.0
            };
            (holds, a)
        }
        TargetOp::Change => match direction {
            Direction::LowerIsBetter => {
                let holds = change < 0.0 || (value == 0.0 && baseline == 0.0);
                let a = if holds {
                    1.0
                } else if value > 0.0 {
                    baseline / value
                } else {
                    0.0
                };
                (holds, a)
            }
            Direction::HigherIsBetter => {
                let holds = change > 0.0;
                let a = if holds {
                    1.0
                } else if baseline > 0.0 {
                    value / baseline
                } else {
                    0.0
                };
                (holds, a)
            }
            Direction::Context => {
                return Judgement {
                    attainment: None,
                    status: Status::Context,
                    reason: None,
                };
            }
        },
    };
    let attainment = if attainment.is_finite() {
        attainment.clamp(0.0, 1.0)
    } else {
        0.0
    };
    const EPSILON: f64 = 1e-9;
    let status = if holds {
        Status::Met
    } else if attainment + EPSILON >= 1.0 - tolerance_pct / 100.0 {
        Status::Near
    } else {
        Status::Missed
    };
    Judgement {
        attainment: Some(attainment),
        status,
        reason: None,
    }
}

/// Dimension scores: the mean attainment × 100 of each dimension's scored metrics, every
/// metric weighing the same within its dimension.
pub(crate) fn dimension_scores(metrics: &[MetricResult]) -> Vec<DimensionScore> {
    Dimension::ALL
        .iter()
        .map(|&dimension| {
            let of_dim: Vec<&MetricResult> = metrics
                .iter()
                .filter(|m| m.dimension == dimension)
                .collect();
            let scored: Vec<f64> = of_dim
                .iter()
                .filter(|m| m.is_scored())
                .filter_map(|m| m.attainment)
                .collect();
            let score = (!scored.is_empty())
                .then(|| 100.0 * scored.iter().sum::<f64>() / scored.len() as f64);
            DimensionScore {
                dimension,
                score,
                metrics: of_dim.len() as u64,
                metrics_with_data: of_dim.iter().filter(|m| m.value.is_some()).count() as u64,
                metrics_scored: scored.len() as u64,
            }
        })
        .collect()
}

/// The overall score: the mean of the dimension scores that exist, weighted by the
/// configuration. A dimension missing from the weights weighs 1; a weight that is negative
/// or not a number is treated as 0 (with a note), and when the weights of the scored
/// dimensions sum to 0 there is no overall score.
pub(crate) fn overall(
    dimensions: &[DimensionScore],
    weights: &BTreeMap<Dimension, f64>,
    notes: &mut Vec<String>,
) -> Overall {
    let mut sum = 0.0;
    let mut total = 0.0;
    let mut with_score = 0u64;
    for d in dimensions {
        let raw = weights.get(&d.dimension).copied().unwrap_or(1.0);
        let w = if raw.is_finite() && raw >= 0.0 {
            raw
        } else {
            notes.push(format!(
                "weight {raw} for {} is not a non-negative number: treated as 0",
                d.dimension.as_str()
            ));
            0.0
        };
        if let Some(s) = d.score {
            with_score += 1;
            sum += w * s;
            total += w;
        }
    }
    Overall {
        score: (total > 0.0).then(|| sum / total),
        dimensions_with_score: with_score,
        dimensions: dimensions.len() as u64,
    }
}

/// Below this many scored dimensions the overall score says too little for a verdict.
const MIN_DIMENSIONS_FOR_ASSESSMENT: u64 = 3;
/// Overall at or above: positive. Between: mixed. Below `NEGATIVE_BELOW`: negative.
const POSITIVE_FROM: f64 = 80.0;
const NEGATIVE_BELOW: f64 = 50.0;
/// How many sources the "add …" advice names at most.
const MAX_ADVICE: usize = 4;

/// The assessment sentence, in the seed's words where the data allows a verdict.
///
/// The rule:
/// - fewer than 3 scored dimensions: no verdict; say which dimensions have a score and
///   which missing sources would unblock the most targeted metrics;
/// - overall ≥ 80: "Positive" when no scored metric is short of its target, else
///   "Positive with D concerns to address", D being the dimensions with a near or missed
///   scored metric;
/// - 50 ≤ overall < 80: "Mixed: A on track; B behind target", by dimension score ≥ 80;
/// - overall < 50: "Negative: B far below target", B the dimensions scoring below 50;
/// - a verdict on fewer than all five dimensions says how many it rests on.
pub(crate) fn assessment(
    metrics: &[MetricResult],
    dimensions: &[DimensionScore],
    overall: &Overall,
) -> String {
    let scored_dims: Vec<&DimensionScore> =
        dimensions.iter().filter(|d| d.score.is_some()).collect();
    let Some(score) = overall
        .score
        .filter(|_| overall.dimensions_with_score >= MIN_DIMENSIONS_FOR_ASSESSMENT)
    else {
        let have = if scored_dims.is_empty() {
            "no dimension has a score yet".to_string()
        } else {
            let names: Vec<&str> = scored_dims.iter().map(|d| d.dimension.as_str()).collect();
            let verb = if names.len() == 1 { "has" } else { "have" };
            format!("only {} {verb} a score", join_and(&names))
        };
        let advice = advice(metrics, dimensions);
        let tail = if advice.is_empty() {
            " (the metrics that would score the others are not computed in this version)"
                .to_string()
        } else {
            format!(" (add {})", advice.join(", "))
        };
        return format!("Not enough data for an overall assessment: {have}{tail}");
    };
    let coverage = if overall.dimensions_with_score < overall.dimensions {
        format!(
            " ({} of {} dimensions scored)",
            overall.dimensions_with_score, overall.dimensions
        )
    } else {
        String::new()
    };
    let names = |pred: &dyn Fn(&DimensionScore) -> bool| -> Vec<&'static str> {
        scored_dims
            .iter()
            .filter(|d| pred(d))
            .map(|d| d.dimension.as_str())
            .collect()
    };
    if score >= POSITIVE_FROM {
        let concerns = names(&|d| {
            metrics.iter().any(|m| {
                m.dimension == d.dimension
                    && m.is_scored()
                    && matches!(m.status, Status::Near | Status::Missed)
            })
        });
        if concerns.is_empty() {
            format!("Positive: every scored metric meets its target{coverage}")
        } else {
            format!(
                "Positive with {} concerns to address{coverage}",
                join_and(&concerns)
            )
        }
    } else if score >= NEGATIVE_BELOW {
        let on_track = names(&|d| d.score.is_some_and(|s| s >= POSITIVE_FROM));
        let behind = names(&|d| d.score.is_some_and(|s| s < POSITIVE_FROM));
        if on_track.is_empty() {
            format!(
                "Mixed: {} behind target, none on track{coverage}",
                join_and(&behind)
            )
        } else {
            format!(
                "Mixed: {} on track; {} behind target{coverage}",
                join_and(&on_track),
                join_and(&behind)
            )
        }
    } else {
        let far = names(&|d| d.score.is_some_and(|s| s < NEGATIVE_BELOW));
        format!("Negative: {} far below target{coverage}", join_and(&far))
    }
}

/// The missing sources that would unblock the most targeted metrics in dimensions without
/// a score, most useful first (ties in source order).
fn advice(metrics: &[MetricResult], dimensions: &[DimensionScore]) -> Vec<&'static str> {
    let unscored: Vec<Dimension> = dimensions
        .iter()
        .filter(|d| d.score.is_none())
        .map(|d| d.dimension)
        .collect();
    let mut counts: BTreeMap<Source, usize> = BTreeMap::new();
    for m in metrics
        .iter()
        .filter(|m| m.target.is_some() && unscored.contains(&m.dimension))
    {
        for s in &m.missing_sources {
            *counts.entry(*s).or_default() += 1;
        }
    }
    let mut ranked: Vec<(Source, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(MAX_ADVICE)
        .map(|(s, _)| s.noun())
        .collect()
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::metric_def;

    fn abs(op: TargetOp, value: f64) -> Target {
        Target {
            op,
            value,
            relative: false,
            unit: Unit::Percent,
            basis: TargetBasis::Catalogue,
        }
    }

    fn check(op: TargetOp, target: f64, actual: f64, attainment: f64, status: Status) {
        let j = judge(Some(actual), Some(&abs(op, target)), 20.0);
        assert_eq!(j.status, status, "{op:?} {target} vs {actual}");
        let a = j.attainment.unwrap_or(f64::NAN);
        assert!(
            (a - attainment).abs() < 1e-12,
            "{op:?} {target} vs {actual}: attainment {a}, expected {attainment}"
        );
        assert_eq!(j.reason, None);
    }

    #[test]
    fn higher_is_better_attainment_and_status() {
        check(TargetOp::AtLeast, 80.0, 87.0, 1.0, Status::Met);
        check(TargetOp::AtLeast, 80.0, 80.0, 1.0, Status::Met);
        check(TargetOp::AtLeast, 80.0, 72.0, 0.9, Status::Near);
        // 64/80 = 0.8 = 1 − 20%: the boundary is near.
        check(TargetOp::AtLeast, 80.0, 64.0, 0.8, Status::Near);
        check(TargetOp::AtLeast, 80.0, 63.9, 63.9 / 80.0, Status::Missed);
        check(TargetOp::AtLeast, 80.0, 0.0, 0.0, Status::Missed);
        check(TargetOp::AtLeast, 80.0, -5.0, 0.0, Status::Missed);
    }

    #[test]
    fn lower_is_better_attainment_and_status() {
        check(TargetOp::AtMost, 5.0, 3.0, 1.0, Status::Met);
        check(TargetOp::AtMost, 5.0, 0.0, 1.0, Status::Met);
        check(TargetOp::AtMost, 5.0, 5.0, 1.0, Status::Met);
        // 5/6.25 = 0.8: the boundary is near.
        check(TargetOp::AtMost, 5.0, 6.25, 0.8, Status::Near);
        check(TargetOp::AtMost, 5.0, 7.0, 5.0 / 7.0, Status::Missed);
    }

    #[test]
    fn zero_targets_cannot_be_divided_by() {
        check(TargetOp::AtLeast, 0.0, 3.0, 1.0, Status::Met);
        check(TargetOp::AtLeast, 0.0, -3.0, 0.0, Status::Missed);
        check(TargetOp::AtMost, 0.0, 2.0, 0.0, Status::Missed);
    }

    #[test]
    fn tolerance_is_configurable() {
        let t = abs(TargetOp::AtLeast, 80.0);
        assert_eq!(judge(Some(72.0), Some(&t), 5.0).status, Status::Missed);
        assert_eq!(judge(Some(76.0), Some(&t), 5.0).status, Status::Near);
        assert_eq!(judge(Some(79.9), Some(&t), 0.0).status, Status::Missed);
    }

    #[test]
    fn no_value_no_target_and_relative_targets() {
        let j = judge(None, Some(&abs(TargetOp::AtLeast, 80.0)), 20.0);
        assert_eq!((j.status, j.attainment), (Status::Insufficient, None));
        let j = judge(Some(12.0), None, 20.0);
        assert_eq!((j.status, j.attainment), (Status::Context, None));
        let relative = Target {
            relative: true,
            ..abs(TargetOp::AtMost, -15.0)
        };
        let j = judge(Some(3.5), Some(&relative), 20.0);
        assert_eq!((j.status, j.attainment), (Status::Insufficient, None));
        assert!(
            j.reason
                .unwrap_or_default()
                .starts_with("needs a baseline period")
        );
    }

    #[test]
    fn relative_targets_judge_the_change() {
        let rel = |op, value, unit| Target {
            op,
            value,
            relative: true,
            unit,
            basis: TargetBasis::Catalogue,
        };
        let j = |v: f64, b: f64, t: &Target, d: Direction| {
            let c = change(v, b, t).unwrap_or(f64::NAN);
            let j = judge_change(v, b, c, t, d, 20.0);
            (c, j.status, j.attainment)
        };
        use Direction::*;
        // −15 % vs baseline: 10 → 8 is −20 %, met; 10 → 9 is −10 %, 10/15 attained:
        // missed; 10 → 11 is worse: 0.
        let cycle = rel(TargetOp::AtMost, -15.0, Unit::Percent);
        assert_eq!(
            j(8.0, 10.0, &cycle, LowerIsBetter),
            (-20.0, Status::Met, Some(1.0))
        );
        let (c, s, a) = j(9.0, 10.0, &cycle, LowerIsBetter);
        assert!((c + 10.0).abs() < 1e-9);
        assert_eq!(s, Status::Missed);
        assert!((a.unwrap_or(0.0) - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(j(11.0, 10.0, &cycle, LowerIsBetter).2, Some(0.0));
        // +20 %: 10 → 11 is +10 %, half attained.
        let features = rel(TargetOp::AtLeast, 20.0, Unit::Percent);
        assert_eq!(j(11.0, 10.0, &features, HigherIsBetter).1, Status::Missed);
        // +5 points: 70 → 74 is +4, 0.8 attained: near.
        let csat = rel(TargetOp::AtLeast, 5.0, Unit::Points);
        assert_eq!(
            j(74.0, 70.0, &csat, HigherIsBetter),
            (4.0, Status::Near, Some(0.8))
        );
        // ↓: any fall is met; no change is near; staying at 0 is met.
        let down = rel(TargetOp::Change, 0.0, Unit::PerScan);
        assert_eq!(j(1.0, 2.0, &down, LowerIsBetter).1, Status::Met);
        assert_eq!(j(2.0, 2.0, &down, LowerIsBetter).1, Status::Near);
        assert_eq!(j(0.0, 0.0, &down, LowerIsBetter).1, Status::Met);
        assert_eq!(
            j(4.0, 2.0, &down, LowerIsBetter),
            (2.0, Status::Missed, Some(0.5))
        );
        // ↑: a fall attains value/baseline.
        let up = rel(TargetOp::Change, 0.0, Unit::Currency);
        assert_eq!(j(50.0, 100.0, &up, HigherIsBetter).2, Some(0.5));
        // A percent change against 0 is undefined.
        assert!(change(3.0, 0.0, &cycle).is_err());
    }

    fn metric(id: &str, attainment: Option<f64>, status: Status, low_sample: bool) -> MetricResult {
        let def = metric_def(id).unwrap_or_else(|| panic!("no metric {id}"));
        MetricResult {
            id: id.to_string(),
            dimension: def.dimension,
            name: def.name.to_string(),
            unit: def.unit,
            direction: def.direction,
            value: Some(1.0),
            n: 10,
            numerator: None,
            denominator: None,
            breakdown: BTreeMap::new(),
            target: def.target,
            attainment,
            status,
            low_sample,
            sources: def.needs.to_vec(),
            missing_sources: Vec::new(),
            reason: None,
            baseline: None,
            change: None,
        }
    }

    fn score_of(dims: &[DimensionScore], d: Dimension) -> Option<f64> {
        dims.iter().find(|x| x.dimension == d).and_then(|x| x.score)
    }

    #[test]
    fn dimension_score_is_the_mean_of_scored_metrics() {
        let metrics = vec![
            metric(
                "dora.change_failure_rate_pct",
                Some(1.0),
                Status::Met,
                false,
            ),
            metric("process.pr_rework_pct", Some(0.5), Status::Missed, false),
            // Low sample: shown, not scored.
            metric("process.code_churn_pct", Some(0.0), Status::Missed, true),
            // Context: has data, not scored.
            metric("process.throughput", None, Status::Context, false),
        ];
        let dims = dimension_scores(&metrics);
        let process = dims
            .iter()
            .find(|d| d.dimension == Dimension::Process)
            .copied()
            .unwrap_or_else(|| panic!("no process"));
        assert_eq!(process.score, Some(75.0));
        assert_eq!(process.metrics, 4);
        assert_eq!(process.metrics_with_data, 4);
        assert_eq!(process.metrics_scored, 2);
        assert_eq!(score_of(&dims, Dimension::Adoption), None);
    }

    fn dims(scores: [Option<f64>; 5]) -> Vec<DimensionScore> {
        Dimension::ALL
            .iter()
            .zip(scores)
            .map(|(&dimension, score)| DimensionScore {
                dimension,
                score,
                metrics: 1,
                metrics_with_data: u64::from(score.is_some()),
                metrics_scored: u64::from(score.is_some()),
            })
            .collect()
    }

    #[test]
    fn overall_is_the_weighted_mean_of_existing_dimension_scores() {
        let d = dims([Some(90.0), Some(60.0), None, Some(30.0), None]);
        let mut notes = Vec::new();
        let equal = overall(&d, &BTreeMap::new(), &mut notes);
        assert_eq!(equal.score, Some(60.0));
        assert_eq!((equal.dimensions_with_score, equal.dimensions), (3, 5));

        let weights = BTreeMap::from([
            (Dimension::Adoption, 2.0),
            (Dimension::Process, 1.0),
            (Dimension::Quality, 10.0), // no score: its weight does not matter
            (Dimension::Outcomes, 1.0),
        ]);
        let weighted = overall(&d, &weights, &mut notes);
        // (2×90 + 60 + 30) / 4
        assert_eq!(weighted.score, Some(67.5));
        assert!(notes.is_empty());

        let zero = BTreeMap::from([
            (Dimension::Adoption, 0.0),
            (Dimension::Process, 0.0),
            (Dimension::Outcomes, f64::NAN),
        ]);
        let none = overall(&d, &zero, &mut notes);
        assert_eq!(none.score, None);
        assert_eq!(notes.len(), 1, "{notes:?}");

        let empty = overall(&dims([None; 5]), &BTreeMap::new(), &mut notes);
        assert_eq!((empty.score, empty.dimensions_with_score), (None, 0));
    }

    fn assess(scores: [Option<f64>; 5], metrics: &[MetricResult]) -> String {
        let d = dims(scores);
        let o = overall(&d, &BTreeMap::new(), &mut Vec::new());
        assessment(metrics, &d, &o)
    }

    #[test]
    fn assessment_follows_the_rule() {
        let all_met = [Some(95.0), Some(90.0), Some(85.0), Some(100.0), Some(90.0)];
        assert_eq!(
            assess(all_met, &[]),
            "Positive: every scored metric meets its target"
        );
        let quality_near = vec![metric(
            "quality.defect_rate",
            Some(0.71),
            Status::Near,
            false,
        )];
        assert_eq!(
            assess(all_met, &quality_near),
            "Positive with quality concerns to address"
        );
        assert_eq!(
            assess([Some(95.0), Some(60.0), Some(70.0), None, Some(90.0)], &[]),
            "Mixed: adoption and cost on track; process and quality behind target (4 of 5 dimensions scored)"
        );
        assert_eq!(
            assess([Some(30.0), Some(40.0), Some(60.0), None, None], &[]),
            "Negative: adoption and process far below target (3 of 5 dimensions scored)"
        );
    }

    #[test]
    fn assessment_without_enough_dimensions_names_what_to_add() {
        let mut blocked = metric(
            "dora.change_failure_rate_pct",
            None,
            Status::Insufficient,
            false,
        );
        blocked.value = None;
        blocked.missing_sources = vec![Source::Deployments];
        let mut blocked2 = metric("quality.defect_rate", None, Status::Insufficient, false);
        blocked2.value = None;
        blocked2.missing_sources = vec![Source::WorkItems, Source::PullRequests];
        let mut blocked3 = metric(
            "dora.deployment_frequency",
            None,
            Status::Insufficient,
            false,
        );
        blocked3.value = None;
        blocked3.missing_sources = vec![Source::Deployments];
        let s = assess(
            [Some(85.0), None, None, None, None],
            &[blocked, blocked2, blocked3],
        );
        assert_eq!(
            s,
            "Not enough data for an overall assessment: only adoption has a score (add deployments, pull requests, work items)"
        );
        assert_eq!(
            assess([None; 5], &[]),
            "Not enough data for an overall assessment: no dimension has a score yet (the metrics that would score the others are not computed in this version)"
        );
        assert!(
            assess([Some(1.0), None, Some(2.0), None, None], &[])
                .contains("only adoption and quality have a score")
        );
    }

    fn config_with(id: &str, value: f64) -> MetricsConfig {
        let mut c = MetricsConfig::default();
        c.target_overrides.insert(id.to_string(), value);
        c
    }

    #[test]
    fn target_overrides() {
        let mut notes = Vec::new();
        let def = |id| metric_def(id).unwrap_or_else(|| panic!("no metric {id}"));

        let t = resolve_target(
            def("adoption.active_ai_users_pct"),
            &config_with("adoption.active_ai_users_pct", 50.0),
            &mut notes,
        );
        assert_eq!(
            t,
            Some(Target {
                op: TargetOp::AtLeast,
                value: 50.0,
                relative: false,
                unit: Unit::Percent,
                basis: TargetBasis::Config
            })
        );

        // "configured" metrics get an absolute target in their better direction.
        let t = resolve_target(
            def("outcomes.feature_adoption_pct"),
            &config_with("outcomes.feature_adoption_pct", 40.0),
            &mut notes,
        );
        assert_eq!(
            t.map(|t| (t.op, t.value, t.relative)),
            Some((TargetOp::AtLeast, 40.0, false))
        );

        // "↓" with a number: a relative change of that many percent.
        let t = resolve_target(
            def("quality.security_findings"),
            &config_with("quality.security_findings", -10.0),
            &mut notes,
        );
        assert_eq!(
            t.map(|t| (t.op, t.value, t.relative, t.unit)),
            Some((TargetOp::AtMost, -10.0, true, Unit::Percent))
        );
        assert!(notes.is_empty());

        // Context metrics are never targeted.
        let t = resolve_target(
            def("adoption.ai_assisted_commits_pct"),
            &config_with("adoption.ai_assisted_commits_pct", 50.0),
            &mut notes,
        );
        assert_eq!(t, None);
        assert_eq!(notes.len(), 1);
    }
}
