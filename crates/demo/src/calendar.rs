//! Civil time for the demo: instants are Unix seconds (`i64`), formatted by hand so that the
//! output depends on nothing but the numbers (no time-zone database, no wall clock).

pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 3_600;
pub const DAY: i64 = 86_400;
pub const WEEK: i64 = 7 * DAY;

/// 2025-08-01T00:00:00Z, the first instant of the demo's history.
pub const START: i64 = 1_754_006_400;
/// 2026-11-01T00:00:00Z: the history ends just before it (2026-10-31 is its last day).
pub const END: i64 = 1_793_491_200;
/// Months in the history, August 2025 to October 2026.
pub const MONTHS: usize = 15;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number, the inverse of [`days_from_civil`].
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Midnight UTC of a date.
pub fn at(y: i64, m: u32, d: u32) -> i64 {
    days_from_civil(y, m, d) * DAY
}

/// `YYYY-MM-DD` of an instant in UTC.
pub fn date(t: i64) -> String {
    let (y, m, d) = civil_from_days(t.div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM` of an instant in UTC.
pub fn month(t: i64) -> String {
    let (y, m, _) = civil_from_days(t.div_euclid(DAY));
    format!("{y:04}-{m:02}")
}

/// RFC 3339 with the given offset in minutes east of UTC (`Z` for zero).
pub fn rfc3339(t: i64, offset_min: i32) -> String {
    let local = t + i64::from(offset_min) * MINUTE;
    let (y, m, d) = civil_from_days(local.div_euclid(DAY));
    let s = local.rem_euclid(DAY);
    let (hh, mm, ss) = (s / HOUR, (s % HOUR) / MINUTE, s % MINUTE);
    if offset_min == 0 {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
    } else {
        let sign = if offset_min < 0 { '-' } else { '+' };
        let o = offset_min.abs();
        format!(
            "{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}{sign}{:02}:{:02}",
            o / 60,
            o % 60
        )
    }
}

/// RFC 3339 in UTC.
pub fn utc(t: i64) -> String {
    rfc3339(t, 0)
}

/// Day of the week of an instant at an offset: 0 Monday … 6 Sunday.
pub fn weekday(t: i64, offset_min: i32) -> i64 {
    // 1970-01-01 was a Thursday.
    ((t + i64::from(offset_min) * MINUTE).div_euclid(DAY) + 3).rem_euclid(7)
}

/// Seconds since local midnight at an offset.
pub fn time_of_day(t: i64, offset_min: i32) -> i64 {
    (t + i64::from(offset_min) * MINUTE).rem_euclid(DAY)
}

/// Local midnight (as an instant) of the day `t` falls on at an offset.
pub fn local_midnight(t: i64, offset_min: i32) -> i64 {
    let off = i64::from(offset_min) * MINUTE;
    (t + off).div_euclid(DAY) * DAY - off
}

/// Months since August 2025 (0 = 2025-08).
pub fn month_index(t: i64) -> usize {
    let (y, m, _) = civil_from_days(t.div_euclid(DAY));
    let i = (y - 2025) * 12 + i64::from(m) - 8;
    i.clamp(0, MONTHS as i64 - 1) as usize
}

/// The first instant of a month of the history (0 = 2025-08).
pub fn month_start(i: usize) -> i64 {
    let total = 2025 * 12 + 7 + i as i64;
    at(total / 12, (total % 12) as u32 + 1, 1)
}

/// Moves an instant that falls on a weekend to the next Monday, same time of day.
pub fn skip_weekend(t: i64, offset_min: i32) -> i64 {
    match weekday(t, offset_min) {
        5 => t + 2 * DAY,
        6 => t + DAY,
        _ => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_formats() {
        assert_eq!(START, at(2025, 8, 1));
        assert_eq!(END, at(2026, 11, 1));
        assert_eq!(utc(START), "2025-08-01T00:00:00Z");
        assert_eq!(rfc3339(START, 60), "2025-08-01T01:00:00+01:00");
        assert_eq!(rfc3339(START, -330), "2025-07-31T18:30:00-05:30");
        assert_eq!(date(END - 1), "2026-10-31");
        assert_eq!(month(END - 1), "2026-10");
        assert_eq!(weekday(START, 0), 4); // a Friday
        assert_eq!(month_index(END - 1), MONTHS - 1);
        assert_eq!(month_start(14), at(2026, 10, 1));
        for day in -1000..1000 {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
    }
}
