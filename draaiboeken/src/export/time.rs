//! Moments as Amsterdam's local time, without a time-zone database.

use crate::i18n::LocalTime;

/// Days since 1970-01-01 as (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of the last Sunday of `month` in `year`.
fn last_sunday(year: i64, month: u32) -> i64 {
    // The first day of the next month, then back to a Sunday (1970-01-01 was a Thursday).
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let y = if nm <= 2 { ny - 1 } else { ny };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if nm > 2 { nm - 3 } else { nm + 9 } as i64;
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let first_next = era * 146_097 + doe - 719_468;
    let last = first_next - 1;
    last - (last + 4).rem_euclid(7)
}

/// A moment as Amsterdam's local time, `2026-11-24 10:45`: CET, or CEST from the last Sunday
/// of March to the last Sunday of October (01:00 UTC both times), as the EU rules say.
pub fn amsterdam_time(ms: i64) -> String {
    let t = amsterdam_local(ms);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute
    )
}

/// A moment as Amsterdam's wall clock shows it (see [`amsterdam_time`]), for
/// [`Lang::date_time`](crate::i18n::Lang::date_time).
pub fn amsterdam_local(ms: i64) -> LocalTime {
    const HOUR: i64 = 3_600_000;
    let (year, _, _) = civil_from_days(ms.div_euclid(24 * HOUR));
    let summer_start = last_sunday(year, 3) * 24 * HOUR + HOUR;
    let summer_end = last_sunday(year, 10) * 24 * HOUR + HOUR;
    let offset = if (summer_start..summer_end).contains(&ms) {
        2 * HOUR
    } else {
        HOUR
    };
    let local = ms + offset;
    let (year, month, day) = civil_from_days(local.div_euclid(24 * HOUR));
    let minutes = (local.rem_euclid(24 * HOUR) / 60_000) as u32;
    LocalTime {
        year,
        month,
        day,
        hour: minutes / 60,
        minute: minutes % 60,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amsterdam_time_follows_summer_time() {
        // 2026: summer time from 29 March to 25 October, switching at 01:00 UTC.
        let utc = |d: i64, h: i64, m: i64| ((d * 24 + h) * 60 + m) * 60_000;
        let mar29 = 20_541; // 2026-03-29, days since 1970-01-01
        assert_eq!(civil_from_days(mar29), (2026, 3, 29));
        assert_eq!(amsterdam_time(utc(mar29, 0, 59)), "2026-03-29 01:59");
        assert_eq!(amsterdam_time(utc(mar29, 1, 0)), "2026-03-29 03:00");
        let oct25 = mar29 + 210;
        assert_eq!(civil_from_days(oct25), (2026, 10, 25));
        assert_eq!(amsterdam_time(utc(oct25, 0, 59)), "2026-10-25 02:59");
        assert_eq!(amsterdam_time(utc(oct25, 1, 0)), "2026-10-25 02:00");
        assert_eq!(amsterdam_time(0), "1970-01-01 01:00");
        assert_eq!(amsterdam_time(1_800_000_000_000), "2027-01-15 09:00");
        assert_eq!(amsterdam_time(utc(oct25 + 30, 23, 30)), "2026-11-25 00:30");
    }
}
