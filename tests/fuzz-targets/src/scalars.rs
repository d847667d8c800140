//! One target per scalar family the runtime reads from responses: timestamps, integers,
//! floats, booleans, base64 and enum strings. Each feeds the fuzzer's text to the reader
//! the generated deserializers call (inside an XML leaf, as on the wire) and checks what
//! must hold of a value it accepts: it round-trips through the writers of requests, and
//! only text of the family's syntax is accepted. A broken property panics, which the
//! fuzzer reports like a crash.

use aws_query_runtime::primitives::{DateTime, DateTimeFormat};
use aws_query_runtime::time::{format_epoch_seconds, format_http_date, format_iso8601, parse_timestamp};
use aws_query_runtime::xml::{XmlError, XmlReader};
use time::{Date, PrimitiveDateTime, Time, UtcOffset};

/// `<v>text</v>` with the text escaped as XML requires, read by `read` inside the leaf.
fn leaf<T>(text: &str, read: impl FnOnce(&mut XmlReader<'_>) -> Result<T, XmlError>) -> Result<T, XmlError> {
    let mut doc = String::with_capacity(text.len() + 8);
    doc.push_str("<v>");
    for c in text.chars() {
        match c {
            '<' => doc.push_str("&lt;"),
            '&' => doc.push_str("&amp;"),
            c => doc.push(c),
        }
    }
    doc.push_str("</v>");
    let mut r = XmlReader::new(doc.as_bytes());
    r.root()?;
    read(&mut r)
}

/// The value with its nanoseconds cut to `unit`.
fn truncated(t: DateTime, unit: u32) -> DateTime {
    DateTime::from_secs_and_nanos(t.secs(), t.subsec_nanos() / unit * unit)
}

/// Timestamps: the fuzzer's text through `parse_timestamp` (alone and in an XML leaf),
/// and every value accepted through the three writers and back; with the first byte
/// `0xff`, a value built from the bytes (any date `time` holds, any offset it allows)
/// through the writers, which must never panic; with `0xfe`, any `DateTime` (any `i64` of
/// seconds) through the writers and aws-smithy-types' formats, which must never panic.
pub fn timestamp(data: &[u8]) {
    match data.split_first() {
        Some((0xff, rest)) => return built_timestamp(rest),
        Some((0xfe, rest)) => return any_timestamp(rest),
        _ => {}
    }
    let text = String::from_utf8_lossy(data);
    let parsed = parse_timestamp(&text);
    let in_leaf = leaf(&text, |r| r.timestamp());
    if let Ok(t) = parsed {
        // Trimmed by the XML reader, not by `parse_timestamp`: equal when both accept.
        if let Ok(l) = in_leaf {
            assert_eq!(t, l, "{text:?}");
        }
        round_trips(t);
    }
}

fn built_timestamp(data: &[u8]) {
    let mut u = arbitrary::Unstructured::new(data);
    let (Ok(year), Ok(ordinal), Ok(secs), Ok(nanos), Ok(offset)) = (
        u.int_in_range(-9999..=9999),
        u.int_in_range(1..=366),
        u.int_in_range(0..=86_399u32),
        u.int_in_range(0..=999_999_999),
        u.int_in_range(-93_599..=93_599),
    ) else {
        return;
    };
    let Ok(date) = Date::from_ordinal_date(year, ordinal) else { return };
    let Ok(clock) = Time::from_hms_nano((secs / 3600) as u8, (secs / 60 % 60) as u8, (secs % 60) as u8, nanos) else { return };
    let Ok(offset) = UtcOffset::from_whole_seconds(offset) else { return };
    let t = DateTime::from(PrimitiveDateTime::new(date, clock).assume_offset(offset));
    let mut out = String::new();
    format_iso8601(&t, &mut out);
    // In UTC it may be year 10000 or -10000, which reads back as out of range.
    if let Ok(back) = parse_timestamp(&out) {
        assert_eq!(back, truncated(t, 1000), "{t} → {out}");
    }
    out.clear();
    format_http_date(&t, &mut out);
    out.clear();
    format_epoch_seconds(&t, &mut out);
}

fn any_timestamp(data: &[u8]) {
    let mut u = arbitrary::Unstructured::new(data);
    let (Ok(secs), Ok(nanos)) = (u.arbitrary::<i64>(), u.int_in_range(0..=999_999_999)) else { return };
    let t = DateTime::from_secs_and_nanos(secs, nanos);
    let mut out = String::new();
    format_iso8601(&t, &mut out);
    format_http_date(&t, &mut out);
    format_epoch_seconds(&t, &mut out);
    for format in [DateTimeFormat::DateTime, DateTimeFormat::HttpDate, DateTimeFormat::EpochSeconds] {
        // Epoch seconds write every value, and read it back exactly.
        match t.fmt(format) {
            Ok(text) if format == DateTimeFormat::EpochSeconds => {
                if let Ok(back) = DateTime::from_str(&text, format) {
                    assert_eq!(back, t, "{text}");
                }
            }
            Ok(_) => {}
            Err(e) => assert_ne!(format, DateTimeFormat::EpochSeconds, "{e}"),
        }
    }
    out.clear();
    let _ = std::fmt::Write::write_fmt(&mut out, format_args!("{t} {t:?}"));
}

/// A value read from a response goes back out the way requests write it and reads the same.
fn round_trips(t: DateTime) {
    let mut out = String::new();
    format_iso8601(&t, &mut out);
    assert_eq!(parse_timestamp(&out), Ok(truncated(t, 1000)), "ISO-8601 {out}");
    out.clear();
    format_http_date(&t, &mut out);
    assert_eq!(parse_timestamp(&out), Ok(truncated(t, 1_000_000_000)), "HTTP date {out}");
    out.clear();
    format_epoch_seconds(&t, &mut out);
    let back = parse_timestamp(&out).unwrap_or_else(|e| panic!("epoch seconds {out}: {e}"));
    // The float botocore writes is off by at most its rounding: half a unit in the last
    // place of the seconds, under a microsecond until year 2242.
    let error = (back.as_nanos() - truncated(t, 1000).as_nanos()).unsigned_abs();
    let ulp_ns = (t.secs().unsigned_abs() as f64 * f64::EPSILON * 1e9) as u128;
    assert!(error <= 1000 + ulp_ns, "epoch seconds {out} for {t}: {error} ns off");
}

/// Integers and longs: accepted exactly when the trimmed text is a decimal of the width.
pub fn integer(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let trimmed = text.trim();
    assert_eq!(leaf(&text, |r| r.i32()).ok(), trimmed.parse::<i32>().ok(), "{text:?}");
    assert_eq!(leaf(&text, |r| r.i64()).ok(), trimmed.parse::<i64>().ok(), "{text:?}");
}

/// Floats and doubles: `NaN`, `Infinity`, `-Infinity` and decimal numbers; never Rust's
/// own `inf`/`nan` spellings or hex. A value read is written back by the query writer as
/// text that reads as the same bits.
pub fn float(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let trimmed = text.trim();
    let decimal = !trimmed.bytes().any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E');
    let expected = match trimmed {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ if decimal => trimmed.parse::<f64>().ok(),
        _ => None,
    };
    let double = leaf(&text, |r| r.f64()).ok();
    assert_eq!(double.map(f64::to_bits), expected.map(f64::to_bits), "{text:?}");
    if let Some(v) = double {
        assert_eq!(written(|w| w.f64(v)).parse::<f64>().map(f64::to_bits), Ok(v.to_bits()), "{v:e}");
    }
    let single = leaf(&text, |r| r.f32()).ok();
    assert_eq!(single.map(f32::to_bits), expected.map(|v| (v as f32).to_bits()), "{text:?}");
    if let Some(v) = single {
        assert_eq!(written(|w| w.f32(v)).parse::<f32>().map(f32::to_bits), Ok(v.to_bits()), "{v:e}");
    }
}

/// What the query writer writes for one value (`Action=A&Version=V&X=<this>`), decoded.
fn written(write: impl FnOnce(&mut aws_query_runtime::query::QueryWriter)) -> String {
    let mut w = aws_query_runtime::query::QueryWriter::new("A", "V");
    let mark = w.enter("X");
    write(&mut w);
    w.leave(mark);
    let body = w.finish();
    let value = body.rsplit_once("X=").map_or("", |(_, v)| v);
    // Floats are written with `%2B` for an exponent's `+` and nothing else escaped.
    value.replace("%2B", "+")
}

/// Booleans: exactly `true` or `false` (trimmed), as botocore reads them.
pub fn boolean(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let expected = match text.trim() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    };
    assert_eq!(leaf(&text, |r| r.bool()).ok(), expected, "{text:?}");
}

/// Base64: decoded bytes encode to text that decodes to the same bytes; the raw bytes
/// encoded decode to themselves; the XML leaf agrees with the decoder.
pub fn base64(data: &[u8]) {
    use aws_query_runtime::base64::{decode, encode};
    let text = String::from_utf8_lossy(data);
    let decoded = decode(&text);
    if let Ok(bytes) = &decoded {
        let mut again = String::new();
        encode(bytes, &mut again);
        assert_eq!(decode(&again).as_ref(), Ok(bytes), "{text:?} → {again}");
    }
    assert_eq!(leaf(&text, |r| r.blob()).ok().map(|b| b.into_inner()), decode(text.trim()).ok(), "{text:?}");
    let mut encoded = String::new();
    encode(data, &mut encoded);
    assert_eq!(decode(&encoded).as_deref(), Ok(data), "{encoded}");
}

/// Enum strings: any text gives the variant whose wire value it is, or `Unknown`
/// carrying it; either way `as_str` gives the text back, and a typed response with the
/// value in an enum member parses.
pub fn enum_string(data: &[u8]) {
    use elasticache::types::{ChangeType, SourceType};
    let text = String::from_utf8_lossy(data);
    assert_eq!(ChangeType::from(text.as_ref()).as_str(), text);
    assert_eq!(SourceType::from(text.as_ref()).as_str(), text);
    // XML 1.0 cannot carry most control characters; the reader must still not panic.
    let escaped = text.replace('&', "&amp;").replace('<', "&lt;");
    let body = format!(
        "<DescribeEventsResponse><DescribeEventsResult><Events><Event><SourceType>{escaped}</SourceType>\
         </Event></Events></DescribeEventsResult></DescribeEventsResponse>"
    );
    let _ = elasticache_json::parse_response("DescribeEvents", 200, body.as_bytes());
}
