//! Timestamps on the wire: lenient when reading, exact when writing.

use crate::primitives::DateTime;
use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};

/// Parses any timestamp format the protocol uses: ISO-8601 / RFC 3339 (fractional seconds
/// and offsets optional), HTTP date (`Tue, 29 Apr 2014 18:30:38 GMT`), or epoch seconds
/// (with an optional fraction). The result is in UTC.
pub fn parse_timestamp(s: &str) -> Result<DateTime, &'static str> {
    if s.is_empty() {
        return Err("an empty timestamp");
    }
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return parse_epoch(s);
    }
    if s.as_bytes().get(3) == Some(&b',') {
        return parse_http_date(s);
    }
    parse_iso8601(s)
}

fn parse_epoch(s: &str) -> Result<DateTime, &'static str> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let secs: i64 = int.parse().map_err(|_| "not a timestamp")?;
    let nanos = fraction_nanos(frac)?;
    let total = i128::from(secs) * 1_000_000_000 + if secs < 0 || int.starts_with('-') { -i128::from(nanos) } else { i128::from(nanos) };
    DateTime::from_unix_timestamp_nanos(total).map_err(|_| "a timestamp out of range")
}

fn fraction_nanos(frac: &str) -> Result<u32, &'static str> {
    if frac.is_empty() {
        return Ok(0);
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err("not a timestamp");
    }
    // All ASCII digits, so byte slicing is on character boundaries.
    let digits = &frac[..frac.len().min(9)];
    let scale = 10u32.pow(9 - digits.len() as u32);
    digits.parse::<u32>().map(|n| n * scale).map_err(|_| "not a timestamp")
}

fn num(s: &str, range: std::ops::Range<usize>) -> Result<u32, &'static str> {
    let part = s.get(range).ok_or("not a timestamp")?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err("not a timestamp");
    }
    part.parse().map_err(|_| "not a timestamp")
}

fn build(year: i32, month: u32, day: u32, h: u32, m: u32, sec: u32, nanos: u32) -> Result<PrimitiveDateTime, &'static str> {
    let month = Month::try_from(u8::try_from(month).map_err(|_| "an invalid month")?).map_err(|_| "an invalid month")?;
    let date = Date::from_calendar_date(year, month, u8::try_from(day).map_err(|_| "an invalid day")?)
        .map_err(|_| "an invalid date")?;
    // A leap second (60) is read as the last nanosecond-free second of the minute.
    let sec = sec.min(59);
    let time = Time::from_hms_nano(h as u8, m as u8, sec as u8, nanos).map_err(|_| "an invalid time")?;
    Ok(PrimitiveDateTime::new(date, time))
}

/// `2014-04-29T18:30:38Z`, `2014-04-29T18:30:38.123456Z`, `2019-12-16T22:48:18-01:00`,
/// `2014-04-29 18:30:38+00:00`.
fn parse_iso8601(s: &str) -> Result<DateTime, &'static str> {
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ') || b[13] != b':' || b[16] != b':' {
        return Err("not a timestamp");
    }
    let year = num(s, 0..4)? as i32;
    let (month, day, h, m, sec) = (num(s, 5..7)?, num(s, 8..10)?, num(s, 11..13)?, num(s, 14..16)?, num(s, 17..19)?);
    let mut rest = &s[19..];
    let mut nanos = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let end = frac.find(|c: char| !c.is_ascii_digit()).unwrap_or(frac.len());
        nanos = fraction_nanos(&frac[..end])?;
        rest = &frac[end..];
    }
    let offset = match rest {
        "" | "Z" | "z" => UtcOffset::UTC,
        _ => {
            let sign: i8 = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return Err("not a timestamp"),
            };
            let digits = rest[1..].replace(':', "");
            if digits.len() != 4 {
                return Err("not a timestamp");
            }
            let (oh, om) = (num(&digits, 0..2)? as i8, num(&digits, 2..4)? as i8);
            UtcOffset::from_hms(sign * oh, sign * om, 0).map_err(|_| "an invalid offset")?
        }
    };
    Ok(build(year, month, day, h, m, sec, nanos)?.assume_offset(offset).to_offset(UtcOffset::UTC))
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// `Tue, 29 Apr 2014 18:30:38 GMT` (fractional seconds tolerated).
fn parse_http_date(s: &str) -> Result<DateTime, &'static str> {
    let parts: Vec<&str> = s.split_ascii_whitespace().collect();
    let [_, day, month, year, clock, zone] = parts.as_slice() else { return Err("not a timestamp") };
    if *zone != "GMT" && *zone != "UTC" && *zone != "+0000" {
        return Err("not a timestamp");
    }
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month)).ok_or("not a timestamp")? as u32 + 1;
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
    if hms.len() != 8 {
        return Err("not a timestamp");
    }
    let dt = build(
        year.parse().map_err(|_| "not a timestamp")?,
        month,
        day.parse().map_err(|_| "not a timestamp")?,
        num(hms, 0..2)?,
        num(hms, 3..5)?,
        num(hms, 6..8)?,
        fraction_nanos(frac)?,
    )?;
    Ok(dt.assume_utc())
}

/// ISO-8601 in UTC as botocore writes it: `2015-01-25T08:00:00Z`, with `.ffffff`
/// (microseconds) only when the time has a fraction.
pub fn format_iso8601(t: &DateTime, out: &mut String) {
    use std::fmt::Write;
    let t = t.to_offset(UtcOffset::UTC);
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    let micros = t.nanosecond() / 1000;
    if micros > 0 {
        let _ = write!(out, ".{micros:06}");
    }
    out.push('Z');
}

/// Epoch seconds as botocore writes `unixTimestamp`: whole seconds (`1398796238`), or, when
/// the time has microseconds, the float `(seconds * 10**6 + micros) / 10**6` as Python prints
/// it (`1398796238.123456`, `-0.5`, `1e-06`). Finer than microseconds is dropped, as in
/// [`format_iso8601`].
pub fn format_epoch_seconds(t: &DateTime, out: &mut String) {
    use std::fmt::Write;
    let micros = t.unix_timestamp_nanos().div_euclid(1000);
    if micros % 1_000_000 == 0 {
        let _ = write!(out, "{}", micros / 1_000_000);
        return;
    }
    // The decimal is exact; parsing rounds it once to the nearest double, as Python's
    // integer division does.
    let sign = if micros < 0 { "-" } else { "" };
    let decimal = format!("{sign}{}.{:06}", micros.unsigned_abs() / 1_000_000, micros.unsigned_abs() % 1_000_000);
    crate::query::write_float(decimal.parse().unwrap_or(f64::NAN), out);
}

/// `Tue, 29 Apr 2014 18:30:38 GMT`.
pub fn format_http_date(t: &DateTime, out: &mut String) {
    use std::fmt::Write;
    let t = t.to_offset(UtcOffset::UTC);
    let day = DAYS[t.weekday().number_days_from_monday() as usize];
    let month = MONTHS[u8::from(t.month()) as usize - 1];
    let _ = write!(out, "{day}, {:02} {month} {:04} {:02}:{:02}:{:02} GMT", t.day(), t.year(), t.hour(), t.minute(), t.second());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn epoch(s: &str) -> i128 {
        parse_timestamp(s).unwrap().unix_timestamp_nanos()
    }

    #[test]
    fn parses_every_format() {
        assert_eq!(epoch("2014-04-29T18:30:38Z"), 1_398_796_238_000_000_000);
        assert_eq!(epoch("2014-04-29T18:30:38+00:00"), 1_398_796_238_000_000_000);
        assert_eq!(epoch("2019-12-16T22:48:18-01:00"), 1_576_540_098_000_000_000);
        assert_eq!(epoch("2019-12-17T00:48:18+01:00"), 1_576_540_098_000_000_000);
        assert_eq!(epoch("2000-01-02T20:34:56.123Z"), 946_845_296_123_000_000);
        assert_eq!(epoch("Tue, 29 Apr 2014 18:30:38 GMT"), 1_398_796_238_000_000_000);
        assert_eq!(epoch("1398796238"), 1_398_796_238_000_000_000);
        assert_eq!(epoch("1398796238.5"), 1_398_796_238_500_000_000);
        for bad in ["", "yesterday", "2014-13-29T18:30:38Z", "2014-04-29T18:30", "Tue, 29 Foo 2014 18:30:38 GMT", "1e99"] {
            assert!(parse_timestamp(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formats_like_botocore() {
        let t = parse_timestamp("2015-01-25T08:00:00Z").unwrap();
        let mut s = String::new();
        format_iso8601(&t, &mut s);
        assert_eq!(s, "2015-01-25T08:00:00Z");
        let t = parse_timestamp("2015-01-25T08:00:00.5Z").unwrap();
        s.clear();
        format_iso8601(&t, &mut s);
        assert_eq!(s, "2015-01-25T08:00:00.500000Z");
        s.clear();
        format_http_date(&parse_timestamp("1398796238").unwrap(), &mut s);
        assert_eq!(s, "Tue, 29 Apr 2014 18:30:38 GMT");
        for (t, epoch) in [
            ("2014-04-29T18:30:38Z", "1398796238"),
            ("2014-04-29T18:30:38.5Z", "1398796238.5"),
            ("2014-04-29T18:30:38.123456789Z", "1398796238.123456"),
            ("1969-12-31T23:59:59.5Z", "-0.5"),
            ("1969-12-31T23:59:58Z", "-2"),
            ("9999-12-31T23:59:59.999999Z", "253402300800.0"),
        ] {
            s.clear();
            format_epoch_seconds(&parse_timestamp(t).unwrap(), &mut s);
            assert_eq!(s, epoch, "{t}");
        }
    }
}
