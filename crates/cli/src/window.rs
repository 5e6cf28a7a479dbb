//! The reporting window from `--since`, `--until` and `--quarter`.

use anyhow::{Context, bail};
use jiff::civil::Date;
use jiff::{Timestamp, tz::TimeZone};

/// Days in the default window, which ends at the newest ingested data.
pub const DEFAULT_DAYS: i64 = 90;
const DAY: i64 = 86_400;

/// A half-open `[since, until)` window in Unix seconds (UTC) with its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub since: i64,
    pub until: i64,
    pub label: String,
}

fn parse_date(flag: &str, value: &str) -> anyhow::Result<i64> {
    let date: Date = value
        .parse()
        .with_context(|| format!("--{flag} {value:?} is not a date (expected YYYY-MM-DD)"))?;
    midnight(date)
}

fn midnight(date: Date) -> anyhow::Result<i64> {
    Ok(date
        .to_zoned_datetime(TimeZone::UTC)?
        .timestamp()
        .as_second())
}

fn day_of(seconds: i64) -> String {
    Timestamp::from_second(seconds)
        .map(|t| t.to_zoned_datetime(TimeZone::UTC).date().to_string())
        .unwrap_or_else(|_| seconds.to_string())
}

/// Parses `2026Q3` or `2026-Q3` into the quarter's first day and the next quarter's.
fn parse_quarter(value: &str) -> anyhow::Result<(Date, Date)> {
    let bad =
        || anyhow::anyhow!("--quarter {value:?} is not a quarter (expected YYYYQn, e.g. 2026Q3)");
    let upper = value.to_ascii_uppercase();
    let (year, q) = upper.split_once('Q').ok_or_else(bad)?;
    let year: i16 = year.trim_end_matches('-').parse().map_err(|_| bad())?;
    let q: i8 = q.parse().map_err(|_| bad())?;
    if !(1..=4).contains(&q) {
        return Err(bad());
    }
    let start = Date::new(year, (q - 1) * 3 + 1, 1).map_err(|_| bad())?;
    let end = start
        .checked_add(jiff::Span::new().months(3))
        .map_err(|_| bad())?;
    Ok((start, end))
}

/// Checks the flags' syntax before any work is done.
pub fn validate(
    since: Option<&str>,
    until: Option<&str>,
    quarter: Option<&str>,
) -> anyhow::Result<()> {
    if let Some(q) = quarter {
        parse_quarter(q)?;
    }
    let since = since.map(|s| parse_date("since", s)).transpose()?;
    let until = until.map(|u| parse_date("until", u)).transpose()?;
    if let (Some(s), Some(u)) = (since, until)
        && s > u
    {
        bail!(
            "the window is empty: --since {} is after --until {}",
            day_of(s),
            day_of(u)
        );
    }
    Ok(())
}

/// Resolves the window. `newest` is the newest author time in the store, used when the
/// window's end is not given.
pub fn resolve(
    since: Option<&str>,
    until: Option<&str>,
    quarter: Option<&str>,
    newest: Option<i64>,
) -> anyhow::Result<Window> {
    if let Some(q) = quarter {
        let (start, end) = parse_quarter(q)?;
        return Ok(Window {
            since: midnight(start)?,
            until: midnight(end)?,
            label: format!(
                "{} ({start} → {})",
                q.to_ascii_uppercase().replace('-', ""),
                end.yesterday()?
            ),
        });
    }
    let until_given = until
        .map(|u| parse_date("until", u))
        .transpose()?
        .map(|t| t + DAY);
    let since_given = since.map(|s| parse_date("since", s)).transpose()?;
    let (until, until_note) = match (until_given, newest) {
        (Some(u), _) => (u, None),
        (None, Some(n)) => (n + 1, Some("ending at the newest data")),
        (None, None) => match since_given {
            Some(s) => (s + DEFAULT_DAYS * DAY, None),
            None => bail!(
                "no data to report on: ingest a repository first (`plumb report PATH-TO-REPO`)"
            ),
        },
    };
    let since = since_given.unwrap_or(until - DEFAULT_DAYS * DAY);
    if since >= until {
        bail!(
            "the window is empty: --since {} is not before --until {}",
            day_of(since),
            day_of(until - 1)
        );
    }
    let days = (until - since + DAY - 1) / DAY;
    let note = match (since_given, until_note) {
        (None, Some(n)) => format!(" ({days} days {n})"),
        _ => format!(" ({days} days)"),
    };
    Ok(Window {
        since,
        until,
        label: format!("{} → {}{note}", day_of(since), day_of(until - 1)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(date: &str) -> i64 {
        parse_date("x", date).unwrap()
    }

    #[test]
    fn quarters() {
        let w = resolve(None, None, Some("2026Q3"), None).unwrap();
        assert_eq!((w.since, w.until), (ts("2026-07-01"), ts("2026-10-01")));
        assert_eq!(w.label, "2026Q3 (2026-07-01 → 2026-09-30)");
        let w = resolve(None, None, Some("2025-q4"), None).unwrap();
        assert_eq!((w.since, w.until), (ts("2025-10-01"), ts("2026-01-01")));
        for bad in ["2026Q5", "2026", "Q3", "26Q0x"] {
            assert!(resolve(None, None, Some(bad), None).is_err(), "{bad}");
        }
    }

    #[test]
    fn default_is_ninety_days_ending_at_the_newest_data() {
        let newest = ts("2026-08-20") + 3600;
        let w = resolve(None, None, None, Some(newest)).unwrap();
        assert_eq!(w.until, newest + 1);
        assert_eq!(w.until - w.since, 90 * DAY);
        assert!(
            w.label.ends_with("(90 days ending at the newest data)"),
            "{}",
            w.label
        );
    }

    #[test]
    fn since_and_until_are_inclusive_days() {
        let w = resolve(Some("2026-01-01"), Some("2026-01-31"), None, None).unwrap();
        assert_eq!((w.since, w.until), (ts("2026-01-01"), ts("2026-02-01")));
        assert_eq!(w.label, "2026-01-01 → 2026-01-31 (31 days)");
        assert!(resolve(Some("2026-02-01"), Some("2026-01-01"), None, None).is_err());
        let e = resolve(Some("2026-13-01"), None, None, Some(0)).unwrap_err();
        assert!(format!("{e:#}").contains("--since \"2026-13-01\""), "{e:#}");
        assert!(resolve(None, None, None, None).is_err());
    }
}
