//! Quarterly developer surveys and skill assessments.

use super::csv::Csv;
use crate::DemoError;
use crate::calendar::{DAY, at, date};
use crate::org::{Level, Person, Team};
use crate::rng::{Rng, fnv, mix};
use crate::story::*;
use std::collections::BTreeMap;
use std::path::Path;

pub const SURVEY: &[&str] = &["date", "respondent", "team", "question", "score"];
pub const SKILLS: &[&str] = &["person", "date", "score"];

/// Survey dates: the third Friday of the last month of each quarter.
const SURVEYS: [(i64, u32, u32); 5] = [
    (2025, 9, 19),
    (2025, 12, 12),
    (2026, 3, 20),
    (2026, 6, 19),
    (2026, 9, 18),
];

/// Assessment dates: quarter ends.
const ASSESSMENTS: [(i64, u32, u32); 5] = [
    (2025, 9, 30),
    (2025, 12, 31),
    (2026, 3, 31),
    (2026, 6, 30),
    (2026, 9, 30),
];

fn score(mean: f64, rng: &mut Rng) -> u8 {
    (mean + 0.8 * rng.normal()).round().clamp(1.0, 5.0) as u8
}

/// Mean score per (phase, question).
pub type Means = BTreeMap<(String, String), f64>;

/// Every assessment: (person, instant, score).
pub type Assessments = Vec<(usize, i64, f64)>;

pub fn survey(
    path: &Path,
    seed: u64,
    teams: &[Team],
    people: &[Person],
) -> Result<(usize, Means), DemoError> {
    let mut rng = Rng::new(seed, "survey");
    let mut csv = Csv::create(path, SURVEY)?;
    let mut sums: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    for (y, m, d) in SURVEYS {
        let t = at(y, m, d) + 12 * 3600;
        let mut rows: Vec<[String; 5]> = Vec::new();
        for person in people {
            if !person.employed(t) || !rng.chance(0.8) {
                continue;
            }
            let story = TeamStory::of(&teams[person.team]);
            let phase = story.phase(t);
            let anonymous = rng.chance(0.15);
            let respondent = if anonymous {
                String::new()
            } else {
                format!(
                    "r-{:010x}",
                    mix(fnv(person.email().as_bytes()) ^ seed) >> 24
                )
            };
            let learning = if person.level == Level::Junior && phase != Phase::Baseline {
                SURVEY_LEARNING_JUNIOR_AI
            } else {
                SURVEY_LEARNING[phase as usize]
            };
            let mut questions = vec![
                ("dev_satisfaction", SURVEY_DEV_SATISFACTION[phase as usize]),
                ("learning", learning),
                ("exploration_time", SURVEY_EXPLORATION[phase as usize]),
            ];
            if phase != Phase::Baseline {
                questions.insert(
                    0,
                    ("ai_satisfaction", SURVEY_AI_SATISFACTION[phase as usize]),
                );
            }
            for (q, mean) in questions {
                let s = score(mean, &mut rng);
                let e = sums
                    .entry((phase.as_str().to_string(), q.to_string()))
                    .or_default();
                e.0 += f64::from(s);
                e.1 += 1.0;
                rows.push([
                    date(t),
                    respondent.clone(),
                    teams[person.team].name.clone(),
                    q.to_string(),
                    s.to_string(),
                ]);
            }
        }
        // Exports list answers by team, then respondent.
        rows.sort_by(|a, b| (&a[2], &a[1], &a[3]).cmp(&(&b[2], &b[1], &b[3])));
        for r in rows {
            csv.row(&r);
        }
    }
    let means = sums
        .into_iter()
        .map(|(k, (s, n))| (k, (s / n * 100.0).round() / 100.0))
        .collect();
    Ok((csv.finish()?, means))
}

fn band(level: Level) -> usize {
    match level {
        Level::Junior => 0,
        Level::Mid => 1,
        Level::Senior | Level::Staff => 2,
    }
}

pub fn skills(
    path: &Path,
    seed: u64,
    teams: &[Team],
    people: &[Person],
) -> Result<(usize, Assessments), DemoError> {
    let mut csv = Csv::create(path, SKILLS)?;
    let mut out = Vec::new();
    for (p, person) in people.iter().enumerate() {
        let mut rng = Rng::new(seed, &format!("skills/{}", person.login));
        let story = TeamStory::of(&teams[person.team]);
        let b = band(person.level);
        let mut true_score = match person.level {
            Level::Junior => rng.uniform(38.0, 50.0),
            Level::Mid => rng.uniform(52.0, 64.0),
            Level::Senior => rng.uniform(66.0, 78.0),
            Level::Staff => rng.uniform(76.0, 84.0),
        };
        let mut last: Option<i64> = None;
        for (y, m, d) in ASSESSMENTS {
            let t = at(y, m, d) + 10 * 3600;
            if !person.employed(t) || t < person.start_date + 30 * DAY {
                continue;
            }
            if let Some(prev) = last {
                // Grow at the yearly rate of each part of the interval.
                let split = story.rollout.clamp(prev, t);
                let before = (split - prev) as f64 / (365.0 * DAY as f64);
                let after = (t - split) as f64 / (365.0 * DAY as f64);
                true_score *= (1.0 + SKILL_GROWTH_BEFORE[b]).powf(before)
                    * (1.0 + SKILL_GROWTH_AFTER[b]).powf(after);
            }
            last = Some(t);
            let observed = (true_score * (1.0 + 0.012 * rng.normal())).clamp(0.0, 100.0);
            let observed = (observed * 10.0).round() / 10.0;
            csv.row(&[
                person.email().to_string(),
                date(t),
                format!("{observed:.1}"),
            ]);
            out.push((p, t, observed));
        }
    }
    Ok((csv.finish()?, out))
}
