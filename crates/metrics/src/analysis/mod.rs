//! Trends, insights and the phase assessment: what the report shows beside the scorecard.
//!
//! - **Trends** (`trends`): the [`SERIES_METRICS`] per ISO week of the report's window, per
//!   calendar month and per calendar quarter of all the data, each computed with the same
//!   function as the scorecard's figure (so a month's cycle time is the scorecard's cycle
//!   time over that month); the dimension and overall scores of each quarter (the whole
//!   scorecard over the quarter); the four stages before vs after each team's AI rollout;
//!   and the teams' figures over the window.
//! - **Insights** (`insights`): the patterns of PRODUCT.md §6, each rule stated with the
//!   figures that made it fire; a rule whose figures are missing does not fire.
//! - **Phase** (`phase`): the criteria of PRODUCT.md §7, each ✓/✗ with its evidence.

mod insights;
mod phase;
mod trends;
mod types;

pub(crate) use trends::card_and_trends;
pub use trends::{MAX_TREND_MONTHS, SERIES_METRICS};
pub use types::*;

use crate::Scorecard;
use crate::org::Org;

/// The analysis of the scorecard's window over a linked organisation.
/// The trends are computed apart ([`card_and_trends`]) so that they can run beside the scorecard.
pub(crate) fn analyse(
    org: &Org<'_>,
    card: &Scorecard,
    trends: Trends,
    inputs: &PhaseInputs,
) -> Analysis {
    // Independent of each other: the phase on another thread.
    let (insights, phase) = std::thread::scope(|s| {
        let trends = &trends;
        let phase = s.spawn(move || phase::assess(org, card, trends, inputs));
        let insights = insights::insights(org, card, trends);
        match phase.join() {
            Ok(phase) => (insights, phase),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    Analysis {
        trends,
        insights,
        phase,
    }
}
