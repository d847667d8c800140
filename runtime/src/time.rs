//! Timestamps on the wire: lenient when reading, exact when writing.
//!
//! Nothing here panics, whatever the text or the value: a timestamp outside years -9999 to
//! 9999 in UTC (the `time` crate's range, which this module used before it had its own
//! calendar), also one pushed past them by its offset, is an error when read; any
//! [`DateTime`] a caller builds (any `i64` of seconds) is written.
//!
//! The calendar is computed here (proleptic Gregorian, Howard Hinnant's algorithms) rather
//! than with a date crate: it is a few lines, and every user of the generated crates would
//! otherwise compile one. The tests check it day by day against the `time` crate.

use crate::primitives::{DateTime, DateTimeFormat as Format, DateTimeFormatError, DateTimeParseError};
use std::fmt;

const NOT_A_TIMESTAMP: &str = "not a timestamp";
const OUT_OF_RANGE: &str = "a timestamp out of range (years -9999 to 9999)";

/// Parses any timestamp format the protocol uses: ISO-8601 / RFC 3339 (fractional seconds
/// of any length and offsets optional, a leap second read as :59), HTTP date
/// (`Tue, 29 Apr 2014 18:30:38 GMT`), or epoch seconds (with an optional fraction). The
/// result is in UTC. The error says why the text is not a timestamp.
pub fn parse_timestamp(s: &str) -> Result<DateTime, &'static str> {
    if s.is_empty() {
        return Err("an empty timestamp");
    }
    if s.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E')) {
        return parse_epoch(s);
    }
    if s.as_bytes().get(3) == Some(&b',') {
        return parse_http_date(s);
    }
    parse_iso8601(s)
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// `1398796238`, `-0.5`, `.5`, `1398796238.123456789123` (digits past nanoseconds dropped),
/// and the exponent forms Python prints for floats near zero or far out (`1e-06`,
/// `1.5e+09`): botocore writes them, so they are read exactly (as decimals, no float).
pub(crate) fn parse_epoch(s: &str) -> Result<DateTime, &'static str> {
    let (negative, unsigned) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (number, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((n, e)) => (n, parse_exponent(e)?),
        None => (unsigned, 0),
    };
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return Err(NOT_A_TIMESTAMP);
    }
    let (int, frac) = shift_point(int, frac, exponent)?;
    // All digits: a parse failure can only be a number too large.
    let secs: i128 = if int.is_empty() { 0 } else { int.parse::<i64>().map_err(|_| OUT_OF_RANGE)?.into() };
    let nanos = i128::from(fraction_nanos(&frac)?);
    let magnitude = secs.checked_mul(1_000_000_000).and_then(|n| n.checked_add(nanos)).ok_or(OUT_OF_RANGE)?;
    let total = if negative { magnitude.checked_neg().ok_or(OUT_OF_RANGE)? } else { magnitude };
    in_range(total)
}

/// The first instant of year -9999 and the last of year 9999, in nanoseconds since the epoch.
const MIN_NANOS: i128 = days_from_civil(-9999, 1, 1) as i128 * NANOS_PER_DAY;
const MAX_NANOS: i128 = days_from_civil(10_000, 1, 1) as i128 * NANOS_PER_DAY - 1;
const NANOS_PER_DAY: i128 = 86_400 * 1_000_000_000;

/// Nanoseconds since the epoch as a [`DateTime`], when within years -9999 to 9999 in UTC.
fn in_range(nanos: i128) -> Result<DateTime, &'static str> {
    if !(MIN_NANOS..=MAX_NANOS).contains(&nanos) {
        return Err(OUT_OF_RANGE);
    }
    DateTime::from_nanos(nanos).map_err(|_| OUT_OF_RANGE)
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`); `month` is 1 to 12, `day` 1 to 31.
// Years come from an i32 and months and days are small, so no step can overflow an i64;
// every divisor is a non-zero constant.
#[allow(clippy::arithmetic_side_effects)]
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The number of days of a month (1 to 12) of a year.
fn days_in_month(year: i64, month: u32) -> u32 {
    let leap = year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The `[+-]digits` after an `e`.
fn parse_exponent(e: &str) -> Result<i32, &'static str> {
    let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
    if digits.is_empty() || !all_digits(digits) {
        return Err(NOT_A_TIMESTAMP);
    }
    // A longer exponent than i32 holds moves the point out of any range anyway.
    let magnitude = digits.parse::<i32>().unwrap_or(i32::MAX);
    Ok(if e.starts_with('-') { magnitude.saturating_neg() } else { magnitude })
}

/// `int.frac` with the decimal point moved `exponent` places right (left when negative),
/// as digit strings again. Seconds past 19 digits are out of range; digits more than 20
/// places right of the point are below a nanosecond.
fn shift_point(int: &str, frac: &str, exponent: i32) -> Result<(String, String), &'static str> {
    let int = int.trim_start_matches('0');
    let digits = format!("{int}{frac}");
    if exponent == 0 || digits.bytes().all(|b| b == b'0') {
        return Ok((int.to_owned(), frac.to_owned()));
    }
    let point = i64::try_from(int.len()).unwrap_or(i64::MAX).saturating_add(i64::from(exponent));
    if point > 19 {
        return Err(OUT_OF_RANGE);
    }
    if point < -20 {
        return Ok((String::new(), String::new()));
    }
    match usize::try_from(point) {
        // Padded with zeros to the point when the digits end before it.
        Ok(at) => {
            let padded = format!("{digits:0<at$}");
            let (i, f) = padded.split_at_checked(at).unwrap_or((&padded, ""));
            Ok((i.to_owned(), f.to_owned()))
        }
        Err(_) => Ok((String::new(), format!("{}{digits}", "0".repeat(usize::try_from(point.unsigned_abs()).unwrap_or(0))))),
    }
}

/// The nanoseconds of a fraction's digits (any number of them; past the ninth, dropped).
fn fraction_nanos(frac: &str) -> Result<u32, &'static str> {
    if !all_digits(frac) {
        return Err(NOT_A_TIMESTAMP);
    }
    let mut nanos: u32 = 0;
    let mut digits = frac.bytes();
    for _ in 0..9 {
        let digit = digits.next().map_or(0, |b| u32::from(b.saturating_sub(b'0')));
        // At most 999_999_999: nine decimal digits fit a u32.
        nanos = nanos.saturating_mul(10).saturating_add(digit);
    }
    Ok(nanos)
}

/// Digits `range` of `s` as a number.
fn num(s: &str, range: std::ops::Range<usize>) -> Result<u32, &'static str> {
    let part = s.get(range).ok_or(NOT_A_TIMESTAMP)?;
    if part.is_empty() || !all_digits(part) {
        return Err(NOT_A_TIMESTAMP);
    }
    part.parse().map_err(|_| NOT_A_TIMESTAMP)
}

/// A date and time of day as nanoseconds since the epoch, read as if in UTC (the caller
/// applies the offset), after checking each field.
fn build(year: i32, month: u32, day: u32, h: u32, m: u32, sec: u32, nanos: u32) -> Result<i128, &'static str> {
    if !(1..=12).contains(&month) {
        return Err("an invalid month");
    }
    if !(-9999..=9999).contains(&year) {
        return Err(OUT_OF_RANGE);
    }
    let year = i64::from(year);
    if day == 0 || day > days_in_month(year, month) {
        return Err("an invalid date");
    }
    // A leap second (60) is read as the last second of its minute: Unix time has none.
    if h > 23 || m > 59 || sec > 60 || nanos > 999_999_999 {
        return Err("an invalid time");
    }
    let days = i128::from(days_from_civil(year, i64::from(month), i64::from(day)));
    let (h, m, sec) = (i128::from(h), i128::from(m), i128::from(sec.min(59)));
    // At most ±3.7e6 days: far inside an i128 of nanoseconds.
    #[allow(clippy::arithmetic_side_effects)]
    let nanos = (days * 86_400 + h * 3600 + m * 60 + sec) * 1_000_000_000 + i128::from(nanos);
    Ok(nanos)
}

/// `2014-04-29T18:30:38Z`, `2014-04-29T18:30:38.123456Z`, `2019-12-16T22:48:18-01:00`,
/// `2014-04-29 18:30:38+0000`, `-0044-03-15T12:00:00Z`, `10000-01-01T00:00:00Z` (read, and
/// refused as out of range).
pub(crate) fn parse_iso8601(s: &str) -> Result<DateTime, &'static str> {
    let (negative, unsigned) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..).unwrap_or_default()),
        Some(b'+') => (false, s.get(1..).unwrap_or_default()),
        _ => (false, s),
    };
    let year_len = unsigned.find(|c: char| !c.is_ascii_digit()).unwrap_or(unsigned.len());
    if year_len < 4 {
        return Err(NOT_A_TIMESTAMP);
    }
    let (year, rest) = unsigned.split_at(year_len);
    // All digits: a parse failure can only be a number too large.
    let year = year.parse::<i32>().map_err(|_| OUT_OF_RANGE)?;
    let year = if negative { year.checked_neg().ok_or(OUT_OF_RANGE)? } else { year };
    // `-MM-DDTHH:MM:SS` after the year.
    let b = rest.as_bytes();
    let at = |i: usize| b.get(i).copied();
    if at(0) != Some(b'-') || at(3) != Some(b'-') || !matches!(at(6), Some(b'T' | b't' | b' ')) || at(9) != Some(b':') || at(12) != Some(b':') {
        return Err(NOT_A_TIMESTAMP);
    }
    let (month, day, h, m, sec) = (num(rest, 1..3)?, num(rest, 4..6)?, num(rest, 7..9)?, num(rest, 10..12)?, num(rest, 13..15)?);
    let mut tail = rest.get(15..).unwrap_or_default();
    let mut nanos = 0;
    if let Some(frac) = tail.strip_prefix('.') {
        let (digits, after) = frac.split_at(frac.find(|c: char| !c.is_ascii_digit()).unwrap_or(frac.len()));
        if digits.is_empty() {
            return Err(NOT_A_TIMESTAMP);
        }
        nanos = fraction_nanos(digits)?;
        tail = after;
    }
    let offset = parse_offset(tail)?;
    let local = build(year, month, day, h, m, sec, nanos)?;
    // Both within years ±9999 and a day: no overflow.
    #[allow(clippy::arithmetic_side_effects)]
    let utc = local - i128::from(offset) * 1_000_000_000;
    in_range(utc)
}

/// `""`, `Z`, `+01:00`, `-0130`, as seconds east of UTC (hours up to 25, as `time` allows).
fn parse_offset(s: &str) -> Result<i32, &'static str> {
    let sign: i32 = match s.as_bytes().first() {
        None | Some(b'Z' | b'z') if s.len() <= 1 => return Ok(0),
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Err(NOT_A_TIMESTAMP),
    };
    let digits = s.get(1..).unwrap_or_default().replacen(':', "", 1);
    if digits.len() != 4 {
        return Err(NOT_A_TIMESTAMP);
    }
    let (hours, minutes) = (num(&digits, 0..2)?, num(&digits, 2..4)?);
    if hours > 25 || minutes > 59 {
        return Err("an invalid offset");
    }
    // At most 25 * 3600 + 59 * 60: far inside an i32.
    #[allow(clippy::arithmetic_side_effects)]
    let seconds = sign * i32::try_from(hours * 3600 + minutes * 60).map_err(|_| "an invalid offset")?;
    Ok(seconds)
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// `Tue, 29 Apr 2014 18:30:38 GMT` (fractional seconds tolerated).
pub(crate) fn parse_http_date(s: &str) -> Result<DateTime, &'static str> {
    let parts: Vec<&str> = s.split_ascii_whitespace().collect();
    let [_, day, month, year, clock, zone] = parts.as_slice() else { return Err(NOT_A_TIMESTAMP) };
    if *zone != "GMT" && *zone != "UTC" && *zone != "+0000" {
        return Err(NOT_A_TIMESTAMP);
    }
    let month = MONTHS.iter().zip(1..).find(|(m, _)| m.eq_ignore_ascii_case(month)).map(|(_, n)| n).ok_or(NOT_A_TIMESTAMP)?;
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
    if hms.len() != 8 || hms.as_bytes().get(2) != Some(&b':') || hms.as_bytes().get(5) != Some(&b':') {
        return Err(NOT_A_TIMESTAMP);
    }
    // A negative year is what `format_http_date` writes for years before 1 BC.
    if !all_digits(year.strip_prefix('-').unwrap_or(year)) || !all_digits(day) {
        return Err(NOT_A_TIMESTAMP);
    }
    let nanos = build(
        year.parse().map_err(|_| OUT_OF_RANGE)?,
        month,
        day.parse().map_err(|_| NOT_A_TIMESTAMP)?,
        num(hms, 0..2)?,
        num(hms, 3..5)?,
        num(hms, 6..8)?,
        fraction_nanos(frac)?,
    )?;
    in_range(nanos)
}

/// The calendar fields of an instant in UTC, for every [`DateTime`] (years far past
/// ±9999 included), computed here from the Unix time.
pub(crate) struct Utc {
    pub(crate) year: i64,
    pub(crate) month: u8,
    pub(crate) day: u8,
    pub(crate) hour: u8,
    pub(crate) minute: u8,
    pub(crate) second: u8,
    pub(crate) nanosecond: u32,
    /// 0 is Monday.
    pub(crate) weekday: usize,
}

impl Utc {
    pub(crate) fn of(t: &DateTime) -> Utc {
        utc(t)
    }
}

// A DateTime is within ±2⁶³ s, ±9.3e27 ns (i128 holds ±1.7e38), so days stay within
// ±1.1e14, years within ±2.9e11 (an i64), and no operation below can overflow; every
// divisor is a non-zero constant.
#[allow(clippy::arithmetic_side_effects)]
fn utc(t: &DateTime) -> Utc {
    let nanos = t.as_nanos();
    let secs = nanos.div_euclid(1_000_000_000);
    let nanosecond = nanos.rem_euclid(1_000_000_000) as u32;
    let days = secs.div_euclid(86_400);
    let of_day = secs.rem_euclid(86_400);
    // Howard Hinnant's `civil_from_days` (proleptic Gregorian calendar, 1970-01-01 is day 0).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i128::from(month <= 2)) as i64;
    Utc {
        year,
        month,
        day,
        hour: (of_day / 3600) as u8,
        minute: (of_day / 60 % 60) as u8,
        second: (of_day % 60) as u8,
        nanosecond,
        // 1970-01-01 was a Thursday.
        weekday: (days + 3).rem_euclid(7) as usize,
    }
}

/// A year as ISO-8601 writes it: four digits at least, a sign when negative.
fn write_year(year: i64, out: &mut String) {
    use std::fmt::Write;
    let _ = if year < 0 { write!(out, "-{:04}", year.unsigned_abs()) } else { write!(out, "{year:04}") };
}

/// ISO-8601 in UTC as botocore writes it: `2015-01-25T08:00:00Z`, with `.ffffff`
/// (microseconds) only when the time has a fraction.
pub fn format_iso8601(t: &DateTime, out: &mut String) {
    use std::fmt::Write;
    let u = utc(t);
    write_year(u.year, out);
    let _ = write!(out, "-{:02}-{:02}T{:02}:{:02}:{:02}", u.month, u.day, u.hour, u.minute, u.second);
    let micros = u.nanosecond / 1000;
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
    let micros = t.as_nanos().div_euclid(1000);
    let (whole, fraction) = (micros.unsigned_abs() / 1_000_000, micros.unsigned_abs() % 1_000_000);
    if fraction == 0 {
        let _ = write!(out, "{}{whole}", if micros < 0 { "-" } else { "" });
        return;
    }
    // The decimal is exact; parsing rounds it once to the nearest double, as Python's
    // integer division does.
    let sign = if micros < 0 { "-" } else { "" };
    let decimal = format!("{sign}{whole}.{fraction:06}");
    crate::number::write_float(decimal.parse().unwrap_or(f64::NAN), out);
}

/// `Tue, 29 Apr 2014 18:30:38 GMT`.
pub fn format_http_date(t: &DateTime, out: &mut String) {
    use std::fmt::Write;
    let u = utc(t);
    let day = DAYS.get(u.weekday).copied().unwrap_or_default();
    let month = MONTHS.get(usize::from(u.month).saturating_sub(1)).copied().unwrap_or_default();
    let _ = write!(out, "{day}, {:02} {month} ", u.day);
    write_year(u.year, out);
    let _ = write!(out, " {:02}:{:02}:{:02} GMT", u.hour, u.minute, u.second);
}

// ---------------------------------------------------------------------------------------------
// DateTime's text, aws-smithy-types' API: here rather than beside the type, so that the type
// (primitives) needs nothing of this module, which needs the type.

impl DateTime {
    /// Reads `s` in `format` (see [`Format`] for each format's text). Years must be in
    /// -9999 to 9999.
    #[allow(clippy::should_implement_trait)] // aws-smithy-types' name and signature: (text, format).
    pub fn from_str(s: &str, format: Format) -> Result<Self, DateTimeParseError> {
        let parsed = match format {
            Format::DateTime if !s.ends_with('Z') => Err("an RFC 3339 timestamp in UTC (ending in `Z`)"),
            Format::DateTime | Format::DateTimeWithOffset => crate::time::parse_iso8601(s),
            Format::HttpDate => crate::time::parse_http_date(s),
            Format::EpochSeconds => crate::time::parse_epoch(s),
        };
        parsed.map_err(|why| DateTimeParseError { format, why })
    }

    /// Reads one timestamp in `format` at the start of `s`, which ends there or at `delim`,
    /// and gives what follows the delimiter (aws-smithy-types' `read`, for several timestamps
    /// in one header). The timestamp is the shortest text before a `delim` that is one (an
    /// HTTP date contains commas), or else all of `s`.
    pub fn read(s: &str, format: Format, delim: char) -> Result<(Self, &str), DateTimeParseError> {
        // No timestamp of any format is longer than this: stop looking for its end there.
        const LONGEST: usize = 64;
        for (at, _) in s.match_indices(delim).take_while(|(at, _)| *at <= LONGEST) {
            let (Some(head), Some(rest)) = (s.get(..at), s.get(at..).and_then(|r| r.strip_prefix(delim))) else {
                continue;
            };
            if let Ok(t) = Self::from_str(head, format) {
                return Ok((t, rest));
            }
        }
        Self::from_str(s, format).map(|t| (t, ""))
    }

    /// This instant as text in `format`; an error when the format cannot write it (RFC 3339
    /// and HTTP dates: years 1 to 9999).
    pub fn fmt(&self, format: Format) -> Result<String, DateTimeFormatError> {
        let utc = crate::time::Utc::of(self);
        match format {
            Format::EpochSeconds => Ok(epoch_seconds(self)),
            _ if !(1..=9999).contains(&utc.year) => Err(DateTimeFormatError { format }),
            Format::DateTime | Format::DateTimeWithOffset => Ok(rfc3339(&utc)),
            Format::HttpDate => {
                let mut out = String::with_capacity(29);
                crate::time::format_http_date(self, &mut out);
                Ok(out)
            }
        }
    }
}

/// `2019-12-16T23:48:18.52Z`: microseconds, trailing zeros trimmed.
fn rfc3339(u: &crate::time::Utc) -> String {
    let mut out = format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", u.year, u.month, u.day, u.hour, u.minute, u.second);
    let micros = u.nanosecond / 1000;
    if micros > 0 {
        let digits = format!("{micros:06}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

/// `1576540098.52`, `-1.5`: nanoseconds, trailing zeros trimmed.
fn epoch_seconds(t: &DateTime) -> String {
    if t.subsec_nanos() == 0 {
        return t.secs().to_string();
    }
    let nanos = t.as_nanos();
    let (whole, fraction) = (nanos.unsigned_abs() / 1_000_000_000, nanos.unsigned_abs() % 1_000_000_000);
    let sign = if nanos < 0 { "-" } else { "" };
    let fraction = format!("{fraction:09}");
    format!("{sign}{whole}.{}", fraction.trim_end_matches('0'))
}

/// RFC 3339 ([`Format::DateTime`]), or epoch seconds for a year RFC 3339 cannot write, as
/// aws-smithy-types prints it.
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match DateTime::fmt(self, Format::DateTime) {
            Ok(text) => f.write_str(&text),
            Err(_) => f.write_str(&epoch_seconds(self)),
        }
    }
}

/// As `Display` (aws-smithy-types' `Debug`).
impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    fn epoch(s: &str) -> i128 {
        parse_timestamp(s).unwrap().as_nanos()
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
        for bad in ["", "yesterday", "2014-13-29T18:30:38Z", "2014-04-29T18:30", "Tue, 29 Foo 2014 18:30:38 GMT", "1e99", "1e", "e5", "1e+", "--1", "1-2"] {
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

    #[test]
    fn hostile_timestamps_are_errors_or_values() {
        // Past the year range only once the offset is applied: an error, not a panic.
        assert_eq!(parse_timestamp("9999-12-31T23:30:00-01:00"), Err(OUT_OF_RANGE));
        assert_eq!(parse_timestamp("-9999-01-01T00:30:00+01:00"), Err(OUT_OF_RANGE));
        assert_eq!(epoch("9999-12-31T23:30:00+01:00"), 253_402_295_400_000_000_000);
        assert_eq!(parse_timestamp("10000-01-01T00:00:00Z"), Err(OUT_OF_RANGE));
        assert_eq!(parse_timestamp("99999999999-01-01T00:00:00Z"), Err(OUT_OF_RANGE));
        assert_eq!(epoch("-0044-03-15T12:00:00Z"), -63_549_316_800_000_000_000);
        assert_eq!(epoch("0000-01-01T00:00:00Z"), -62_167_219_200_000_000_000);
        // Fractions of any length: nanoseconds kept, the rest dropped.
        assert_eq!(epoch("2000-01-02T20:34:56.123456789123456789Z"), 946_845_296_123_456_789);
        assert_eq!(epoch("1398796238.000000001999"), 1_398_796_238_000_000_001);
        assert_eq!(epoch(".5"), 500_000_000);
        assert_eq!(epoch("-0.5"), -500_000_000);
        // Exponents, as Python prints floats near zero and far out.
        assert_eq!(epoch("1e-06"), 1_000);
        assert_eq!(epoch("-5e-05"), -50_000);
        assert_eq!(epoch("9.9e-05"), 99_000);
        assert_eq!(epoch("1.5e+09"), 1_500_000_000_000_000_000);
        assert_eq!(epoch("1398796238.5E0"), 1_398_796_238_500_000_000);
        assert_eq!(epoch("0e99999999999"), 0);
        assert_eq!(epoch("1e-99999999999"), 0);
        assert_eq!(epoch("12345e-3"), 12_345_000_000);
        assert_eq!(parse_timestamp("1e20"), Err(OUT_OF_RANGE));
        assert_eq!(parse_timestamp("1e99999999999"), Err(OUT_OF_RANGE));
        assert_eq!(epoch("Mon, 15 Mar -0044 12:00:00 GMT"), epoch("-0044-03-15T12:00:00Z"));
        assert_eq!(parse_timestamp("99999999999999999999"), Err(OUT_OF_RANGE));
        assert_eq!(parse_timestamp("253402300800"), Err(OUT_OF_RANGE));
        // A leap second is the last second of its minute.
        assert_eq!(epoch("2016-12-31T23:59:60Z"), epoch("2016-12-31T23:59:59Z"));
        assert_eq!(epoch("Sat, 31 Dec 2016 23:59:60 GMT"), epoch("2016-12-31T23:59:59Z"));
        for bad in [
            ".",
            "-",
            "-.",
            "2014-04-29",
            "1.2.3",
            "2014-04-29T18:30:38.Z",
            "2014-04-29T18:30:38+26:00",
            "2014-04-29T18:30:38+1:00",
            "2014-04-29T24:00:00Z",
            "2014-02-30T00:00:00Z",
            "Tue, 29 Apr 99999999999 18:30:38 GMT",
            "Tue, 29 Apr 2014 18:30 GMT",
            "Tue, +9 Apr 2014 18:30:38 GMT",
            "2014-04-29T18:30:38Zjunk",
            "\u{e9}\u{e9}\u{e9}\u{e9}-01-01T00:00:00Z",
            "2014-\u{e9}",
        ] {
            assert!(parse_timestamp(bad).is_err(), "{bad}");
        }
    }

    /// `time`'s value of one of ours, and back: the tests' independent calendar.
    fn to_time(t: DateTime) -> time::OffsetDateTime {
        time::OffsetDateTime::from_unix_timestamp_nanos(t.as_nanos()).unwrap()
    }

    fn from_time(t: time::OffsetDateTime) -> DateTime {
        DateTime::from_nanos(t.unix_timestamp_nanos()).unwrap()
    }

    #[test]
    fn values_past_year_9999_in_utc_are_written() {
        let in_offset = |t: &str, hours: i8| {
            let utc = to_time(parse_timestamp(t).unwrap());
            from_time(utc.replace_offset(time::UtcOffset::from_hms(hours, 0, 0).unwrap()))
        };
        let far = in_offset("9999-12-31T23:30:00Z", -1);
        let mut s = String::new();
        format_iso8601(&far, &mut s);
        assert_eq!(s, "10000-01-01T00:30:00Z");
        s.clear();
        format_http_date(&far, &mut s);
        assert_eq!(s, "Sat, 01 Jan 10000 00:30:00 GMT");
        s.clear();
        format_epoch_seconds(&far, &mut s);
        assert_eq!(s, "253402302600");
        let early = in_offset("-9999-01-01T00:30:00Z", 1);
        s.clear();
        format_iso8601(&early, &mut s);
        assert_eq!(s, "-10000-12-31T23:30:00Z");
        s.clear();
        format_iso8601(&parse_timestamp("-0044-03-15T12:00:00.000001Z").unwrap(), &mut s);
        assert_eq!(s, "-0044-03-15T12:00:00.000001Z");
        // Every day of a 400-year cycle and more agrees with `time`'s own calendar.
        let mut day = time::Date::from_calendar_date(1600, time::Month::January, 1).unwrap();
        while day.year() < 2401 {
            let t = day.with_hms(13, 14, 15).unwrap().assume_utc();
            let u = utc(&from_time(t));
            let fields = (u.year, u.month, u.day, u.hour, u.minute, u.second, u.weekday);
            let weekday = usize::from(t.weekday().number_days_from_monday());
            assert_eq!(fields, (i64::from(t.year()), u8::from(t.month()), t.day(), 13, 14, 15, weekday), "{t}");
            day = day.next_day().unwrap();
        }
    }

    /// Reading: which dates exist and which instant each one is, against `time`, for every
    /// day number 1 to 31 of every month of years -9999 to -9599, 1600 to 2400 and 9600 to
    /// 9999 (each kind of leap year, both ends of the range).
    #[test]
    fn dates_read_as_time_reads_them() {
        let years = (-9999..=-9599i32).chain(1600..=2400).chain(9600..=9999);
        let mut checked = 0;
        for year in years {
            for month in 1..=12u8 {
                for day in 1..=31u8 {
                    let text = format!("{}{:04}-{month:02}-{day:02}T01:02:03.5+01:30", if year < 0 { "-" } else { "" }, year.unsigned_abs());
                    let ours = parse_iso8601(&text);
                    let theirs = time::Month::try_from(month)
                        .and_then(|m| time::Date::from_calendar_date(year, m, day))
                        .ok()
                        .map(|d| d.with_hms_milli(1, 2, 3, 500).unwrap().assume_offset(time::UtcOffset::from_hms(1, 30, 0).unwrap()))
                        .and_then(|t| t.checked_to_offset(time::UtcOffset::UTC));
                    match (ours, theirs) {
                        (Ok(ours), Some(theirs)) => assert_eq!(ours.as_nanos(), theirs.unix_timestamp_nanos(), "{text}"),
                        // Only the first day of the range, pushed before it by the offset.
                        (Err(OUT_OF_RANGE), None) => assert!((year, month, day) == (-9999, 1, 1), "{text}"),
                        (Err("an invalid date"), None) => assert!(day > 28, "{text}"),
                        (ours, theirs) => panic!("{text}: ours {ours:?}, time's {theirs:?}"),
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, (401 + 801 + 400) * 12 * 31);
        // The ends of the range, as `time` has them.
        assert_eq!(MIN_NANOS, time::PrimitiveDateTime::MIN.assume_utc().unix_timestamp_nanos());
        assert_eq!(MAX_NANOS, time::PrimitiveDateTime::MAX.assume_utc().unix_timestamp_nanos());
        assert_eq!(parse_timestamp("2014-04-29T18:30:61Z"), Err("an invalid time"));
        assert_eq!(parse_timestamp("2014-04-29T18:60:00Z"), Err("an invalid time"));
        assert_eq!(parse_timestamp("2014-00-29T18:00:00Z"), Err("an invalid month"));
        assert_eq!(parse_timestamp("2014-04-00T18:00:00Z"), Err("an invalid date"));
        assert_eq!(parse_timestamp("2014-04-29T18:00:00+25:59").map(|t| t.as_nanos()), Ok(epoch("2014-04-28T16:01:00Z")));
        assert_eq!(parse_timestamp("2014-04-29T18:00:00+26:00"), Err("an invalid offset"));
        assert_eq!(parse_timestamp("2014-04-29T18:00:00+01:60"), Err("an invalid offset"));
    }
}
