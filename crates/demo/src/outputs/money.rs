//! Monthly costs and business KPIs.
//!
//! Costs follow the seed's split: AI seats are cheap, the process work that makes them
//! pay is not (CI capacity, test infrastructure, code scanning, training, consulting),
//! and it is concentrated around the rollouts and the governance work. The organisation's
//! pre-AI CI bill is `infrastructure`, so that `ci_cd` is only the AI-era scaling.

use super::csv::Csv;
use crate::DemoError;
use crate::calendar::{DAY, MONTHS, WEEK, at, date, month, month_index, month_start};
use crate::org::{Person, Seat, TEAMS, Team};
use crate::plan::{Plan, WorkType};
use crate::rng::Rng;
use crate::story::{Phase, TeamStory};
use std::path::Path;

pub const COSTS: &[&str] = &["month", "category", "item", "amount", "currency", "seats"];
pub const KPIS: &[&str] = &["kpi", "date", "value", "unit", "feature"];

#[derive(Debug, Clone)]
pub struct CostRow {
    pub month: usize,
    pub category: &'static str,
    pub item: String,
    pub amount: f64,
    pub seats: Option<u64>,
}

impl CostRow {
    /// Counted as AI investment (tools and the process work around them).
    pub fn is_investment(&self) -> bool {
        self.category != "infrastructure"
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Copies of the organisation in `teams`, as a factor for organisation-wide amounts.
fn copies(teams: &[Team]) -> f64 {
    (teams.len() / TEAMS.len()).max(1) as f64
}

/// Monthly costs. Seats, CI capacity and training follow the teams and people; the
/// organisation-wide lines (hosting, the pre-AI CI bill, test infrastructure, scanning,
/// the aider API, consulting) are multiplied by the number of copies of the organisation,
/// so that every copy carries its share and the ROI story is the same at any scale.
pub fn costs(seed: u64, teams: &[Team], people: &[Person]) -> Vec<CostRow> {
    let mut rng = Rng::new(seed, "costs");
    let mut rows = Vec::new();
    let copies = copies(teams);
    let first_governance = teams.iter().map(|s| s.governance_at()).min().unwrap_or(0);
    for m in 0..MONTHS {
        let start = month_start(m);
        let mid = start + 14 * DAY;
        let mut push = |category: &'static str, item: String, amount: f64, seats: Option<u64>| {
            rows.push(CostRow {
                month: m,
                category,
                item,
                amount: round2(amount),
                seats,
            });
        };
        // Seats: everyone employed mid-month in a team whose rollout has happened by then.
        for seat in Seat::ALL {
            let n = people
                .iter()
                .filter(|p| {
                    let spec = &teams[p.team];
                    spec.seats.contains(&seat) && spec.rollout_at() <= mid && p.employed(mid)
                })
                .count() as u64;
            if n > 0 {
                push(
                    "ai_tool",
                    seat.item().to_string(),
                    n as f64 * seat.price(),
                    Some(n),
                );
            }
        }
        if TEAMS[4].rollout_at() <= mid {
            push(
                "ai_tool",
                "Anthropic API (aider)".into(),
                rng.uniform(170.0, 260.0) * copies,
                None,
            );
        }
        push(
            "infrastructure",
            "Cloud hosting".into(),
            (42_000.0 * 1.01f64.powi(m as i32) + rng.uniform(-900.0, 900.0)) * copies,
            None,
        );
        push(
            "infrastructure",
            "CI runners (pre-AI baseline)".into(),
            (5_800.0 + rng.uniform(-250.0, 250.0)) * copies,
            None,
        );
        let rolled = teams.iter().filter(|s| s.rollout_at() <= mid).count();
        if rolled > 0 {
            push(
                "ci_cd",
                "CI capacity for AI-era throughput".into(),
                700.0 * rolled as f64 + rng.uniform(-80.0, 80.0) * copies,
                None,
            );
        }
        if first_governance < month_start(m + 1) {
            push(
                "ci_cd",
                "Parallel end-to-end test infrastructure".into(),
                3_500.0 * copies,
                None,
            );
        }
        if at(2026, 2, 1) <= start {
            push(
                "security_tooling",
                "Code scanning (GitHub Advanced Security)".into(),
                2_900.0 * copies,
                None,
            );
        }
        for spec in teams {
            if month_index(spec.rollout_at()) == m {
                push(
                    "training",
                    format!("AI pairing workshop ({})", spec.name),
                    4_500.0,
                    None,
                );
            }
            if month_index(spec.governance_at()) == m {
                push(
                    "training",
                    format!("Reviewing AI-written code ({})", spec.name),
                    2_500.0,
                    None,
                );
            }
        }
        let consulting = match month(start).as_str() {
            "2025-11" | "2025-12" | "2026-01" => Some(("AI enablement programme", 12_000.0)),
            "2026-02" | "2026-03" => Some(("Governance and review process design", 15_000.0)),
            "2026-04" | "2026-05" | "2026-06" => Some(("Delivery process coaching", 6_000.0)),
            _ => None,
        };
        if let Some((item, amount)) = consulting {
            push("consulting", item.into(), amount * copies, None);
        }
    }
    rows
}

pub fn write_costs(path: &Path, rows: &[CostRow]) -> Result<usize, DemoError> {
    let mut csv = Csv::create(path, COSTS)?;
    for r in rows {
        csv.row(&[
            month(month_start(r.month)),
            r.category.to_string(),
            r.item.clone(),
            format!("{:.2}", r.amount),
            "USD".to_string(),
            r.seats.map(|s| s.to_string()).unwrap_or_default(),
        ]);
    }
    csv.finish()
}

/// Features released per month, org-wide.
pub fn features_by_month(plan: &Plan) -> [u32; MONTHS] {
    let mut out = [0; MONTHS];
    for tp in &plan.teams {
        for item in &tp.items {
            if item.kind == WorkType::Feature
                && let Some(r) = item.released
                && r >= crate::calendar::START
            {
                out[month_index(r)] += 1;
            }
        }
    }
    out
}

/// Monthly business KPIs and feature adoption. Revenue is the organisation's, so it grows
/// with the number of copies; the rates (CSAT, NPS, activation) are per copy.
pub fn kpis(path: &Path, seed: u64, teams: &[Team], plan: &Plan) -> Result<usize, DemoError> {
    let mut rng = Rng::new(seed, "kpis");
    let mut csv = Csv::create(path, KPIS)?;
    let copies = copies(teams);
    let features = features_by_month(plan);
    let baseline = f64::from(features[0] + features[1] + features[2]) / 3.0;
    let stories: Vec<TeamStory> = teams.iter().map(|t| TeamStory::of(t)).collect();
    let mut cumulative_extra = 0.0;
    let mut rows: Vec<[String; 5]> = Vec::new();
    for (m, &released) in features.iter().enumerate() {
        let end = month_start(m + 1) - DAY;
        cumulative_extra += f64::from(released) - baseline;
        let extra_per_copy = cumulative_extra / copies;
        let share = |phase: Phase| {
            stories.iter().filter(|s| s.phase(end) == phase).count() as f64 / stories.len() as f64
        };
        let (ai, governed) = (share(Phase::Ai), share(Phase::Governed));
        let revenue = (2_400_000.0 * 1.008f64.powi(m as i32) + 2_500.0 * extra_per_copy.max(0.0))
            * copies
            + rng.uniform(-15_000.0, 15_000.0);
        let csat = 78.0 - 2.5 * ai + 3.5 * governed + rng.uniform(-0.8, 0.8);
        let nps = 31.0 - 4.0 * ai + 6.0 * governed + rng.uniform(-1.5, 1.5);
        let activation = 41.0 + 0.02 * extra_per_copy.max(0.0) + rng.uniform(-0.6, 0.6);
        let d = date(end);
        for (kpi, value, unit) in [
            ("revenue", format!("{revenue:.0}"), "USD"),
            ("csat", format!("{csat:.1}"), "%"),
            ("nps", format!("{nps:.0}"), "points"),
            ("activation_rate", format!("{activation:.1}"), "%"),
        ] {
            rows.push([
                kpi.to_string(),
                d.clone(),
                value,
                unit.to_string(),
                String::new(),
            ]);
        }
    }
    // Adoption of one delivered feature in eight, weekly for six weeks after release.
    for tp in &plan.teams {
        let mut released: Vec<(i64, &str)> = tp
            .items
            .iter()
            .filter(|i| i.kind == WorkType::Feature)
            .filter_map(|i| i.released.map(|r| (r, i.key.as_str())))
            .collect();
        released.sort_unstable();
        for (k, (r, key)) in released.into_iter().enumerate() {
            if k % 8 != 3 {
                continue;
            }
            let plateau = rng.uniform(5.0, 45.0);
            for w in 1..=6 {
                let t = r + w * WEEK;
                if t >= crate::calendar::END {
                    break;
                }
                let v = plateau * (1.0 - (-(w as f64) / 2.0).exp()) + rng.uniform(-0.5, 0.5);
                rows.push([
                    format!("adoption:{key}"),
                    date(t),
                    format!("{:.1}", v.max(0.0)),
                    "%".to_string(),
                    key.to_string(),
                ]);
            }
        }
    }
    for r in rows {
        csv.row(&r);
    }
    csv.finish()
}
