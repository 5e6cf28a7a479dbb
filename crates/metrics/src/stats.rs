//! Small statistics and calendar helpers every metric module shares: interpolated
//! quantiles, shares, and the conversions between Unix seconds, civil dates, ISO weeks and
//! calendar months.
//!
//! The calendar arithmetic is written out (Howard Hinnant's `days_from_civil`) rather than
//! taken from a time-zone library because everything here is UTC and infallible: a date
//! becomes the second its day starts, and an instant becomes the UTC day it falls on.

use crate::adoption::Figure;
use crate::{BreakdownEntry, Window};
use jiff::Timestamp;
use jiff::civil::Date;
use plumb_model::records::Month;
use std::collections::BTreeMap;

pub(crate) const DAY: i64 = 86_400;
pub(crate) const HOUR: f64 = 3_600.0;
pub(crate) const WEEK: i64 = 7 * DAY;

impl Window {
    /// Whether `t` (Unix seconds) falls in `[since, until)`.
    pub(crate) fn contains(&self, t: i64) -> bool {
        self.since <= t && t < self.until
    }

    /// Whether the UTC day `d` starts in the window.
    pub(crate) fn contains_date(&self, d: Date) -> bool {
        self.contains(day_start(d))
    }

    /// The length in seconds (0 for an empty or inverted window).
    pub(crate) fn seconds(&self) -> i64 {
        (self.until - self.since).max(0)
    }

    pub(crate) fn days(&self) -> f64 {
        self.seconds() as f64 / DAY as f64
    }

    /// The equally long window immediately before this one: the baseline period.
    pub(crate) fn previous(&self) -> Window {
        Window {
            since: self.since - self.seconds(),
            until: self.since,
        }
    }

    /// `2026-05-02 → 2026-07-31` (the end exclusive, as every window is).
    pub(crate) fn label(&self) -> String {
        format!(
            "{} → {}",
            date_of(self.since),
            date_of(self.until.max(self.since))
        )
    }
}

/// Seconds of a timestamp.
pub(crate) fn secs(t: Timestamp) -> i64 {
    t.as_second()
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The second the UTC day `d` starts.
pub(crate) fn day_start(d: Date) -> i64 {
    days_from_civil(
        i64::from(d.year()),
        i64::from(d.month()),
        i64::from(d.day()),
    ) * DAY
}

/// The UTC day an instant falls on.
pub(crate) fn date_of(t: i64) -> Date {
    let (y, m, d) = civil_from_days(t.div_euclid(DAY));
    let y = i16::try_from(y).unwrap_or(if y < 0 { i16::MIN } else { i16::MAX });
    // Month and day are in range by construction; the fallback is unreachable.
    Date::new(y, m as i8, d as i8).unwrap_or(Date::MIN)
}

/// The date `months` calendar months before `d`, the day clamped to the month's length
/// (2026-03-31 minus one month is 2026-02-28).
pub(crate) fn months_before(d: Date, months: i32) -> Date {
    let total = i32::from(d.year()) * 12 + i32::from(d.month()) - 1 - months;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let Ok(y) = i16::try_from(y) else {
        return Date::MIN;
    };
    let first = Date::new(y, m as i8, 1).unwrap_or(Date::MIN);
    let day = d.day().min(first.days_in_month());
    Date::new(y, m as i8, day).unwrap_or(first)
}

/// The ISO week (Monday-based) an instant falls in, numbered from the week of
/// 1970-01-05, the first Monday after the epoch.
pub(crate) fn iso_week(t: i64) -> i64 {
    (t - 4 * DAY).div_euclid(WEEK)
}

/// `[start, end)` of a calendar month in Unix seconds.
pub(crate) fn month_span(m: Month) -> (i64, i64) {
    let start = day_start(m.first_day());
    let next = if m.month == 12 {
        Month {
            year: m.year.saturating_add(1),
            month: 1,
        }
    } else {
        Month {
            year: m.year,
            month: m.month + 1,
        }
    };
    (start, day_start(next.first_day()))
}

/// The month an instant falls in.
pub(crate) fn month_of(t: i64) -> Month {
    let d = date_of(t);
    Month {
        year: d.year(),
        month: d.month(),
    }
}

/// The share of the month `m` that lies in `w`, 0–1.
pub(crate) fn month_overlap(m: Month, w: &Window) -> f64 {
    let (start, end) = month_span(m);
    let overlap = (end.min(w.until) - start.max(w.since)).max(0);
    if end > start {
        overlap as f64 / (end - start) as f64
    } else {
        0.0
    }
}

/// `100 × part / whole`; 0 for an empty whole (callers check the whole first).
pub(crate) fn pct(part: f64, whole: f64) -> f64 {
    if whole == 0.0 {
        0.0
    } else {
        100.0 * part / whole
    }
}

/// The `q` quantile (0–1) of sorted values by linear interpolation between closest ranks
/// (the "type 7" rule of R and NumPy); `None` for no values.
pub(crate) fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let pos = q.clamp(0.0, 1.0) * last as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let (a, b) = (sorted[lo], sorted[hi.min(last)]);
    Some(a + (b - a) * (pos - lo as f64))
}

/// Sorts values (NaN-free by construction) for [`quantile`].
pub(crate) fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values
}

pub(crate) fn median(values: &[f64]) -> Option<f64> {
    quantile(&sorted(values.to_vec()), 0.5)
}

/// A duration figure: the interpolated median of `values`, with p75 and p90 in the
/// breakdown as the spec asks; `Err(empty)` for no values.
pub(crate) fn durations(
    values: Vec<f64>,
    empty: impl FnOnce() -> String,
) -> Result<Figure, String> {
    let s = sorted(values);
    let Some(median) = quantile(&s, 0.5) else {
        return Err(empty());
    };
    let n = s.len() as u64;
    let mut breakdown = BTreeMap::new();
    for (key, q) in [("p75", 0.75), ("p90", 0.9)] {
        if let Some(v) = quantile(&s, q) {
            breakdown.insert(key.to_string(), BreakdownEntry { value: v, n });
        }
    }
    Ok(Figure {
        value: median,
        n,
        numerator: None,
        denominator: None,
        breakdown,
        notes: Vec::new(),
    })
}

/// A share figure: `100 × part / whole`, `Err(empty)` when the whole is 0.
pub(crate) fn share(
    part: u64,
    whole: u64,
    empty: impl FnOnce() -> String,
) -> Result<Figure, String> {
    if whole == 0 {
        return Err(empty());
    }
    Ok(Figure {
        value: pct(part as f64, whole as f64),
        n: whole,
        numerator: Some(part as f64),
        denominator: Some(whole as f64),
        breakdown: BTreeMap::new(),
        notes: Vec::new(),
    })
}

pub(crate) fn entry(value: f64, n: u64) -> BreakdownEntry {
    BreakdownEntry { value, n }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days_round_trip() {
        for t in [0, 1_777_680_000, -86_400, 951_782_400 /* 2000-02-29 */] {
            assert_eq!(day_start(date_of(t)), t - t.rem_euclid(DAY));
        }
        assert_eq!(date_of(1_777_680_000).to_string(), "2026-05-02");
        assert_eq!(
            day_start(Date::new(2026, 5, 2).unwrap_or(Date::MIN)),
            1_777_680_000
        );
    }

    #[test]
    fn months_before_clamps_the_day() {
        let d = |y, m, d| Date::new(y, m, d).unwrap_or(Date::MIN);
        assert_eq!(months_before(d(2026, 3, 31), 1), d(2026, 2, 28));
        assert_eq!(months_before(d(2026, 3, 31), 15), d(2024, 12, 31));
        assert_eq!(months_before(d(2026, 1, 15), 12), d(2025, 1, 15));
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2026-05-04 is a Monday; 2026-05-03 a Sunday.
        let monday = 1_777_680_000 + 2 * DAY;
        assert_eq!(iso_week(monday), iso_week(monday + 6 * DAY + 86_399));
        assert_eq!(iso_week(monday - 1) + 1, iso_week(monday));
    }

    #[test]
    fn quantiles_interpolate() {
        let s = sorted(vec![4.0, 1.0, 3.0, 2.0]);
        assert_eq!(quantile(&s, 0.5), Some(2.5));
        assert_eq!(quantile(&s, 0.75), Some(3.25));
        assert_eq!(quantile(&[7.0], 0.9), Some(7.0));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn month_overlap_is_a_fraction() {
        let may = Month {
            year: 2026,
            month: 5,
        };
        let (start, end) = month_span(may);
        assert_eq!(end - start, 31 * DAY);
        let w = Window {
            since: start + DAY,
            until: end + 10 * DAY,
        };
        assert!((month_overlap(may, &w) - 30.0 / 31.0).abs() < 1e-12);
        assert_eq!(month_of(start + 5), may);
    }
}
