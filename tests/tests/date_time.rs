//! `primitives::DateTime` against aws-smithy-types: every case of its format test suite
//! (tests/data/date-time/, copied from the aws-smithy-types package) for `fmt` and
//! `from_str` in the three formats, `Display` on the values of its own tests, its
//! millisecond cases, and the conversions (SystemTime, time, chrono). Every expected value is
//! aws-smithy-types' (its suite, its tests' literals) or another library's, never this
//! project's code.

use aws_query_runtime::primitives::{DateTime, DateTimeFormat};
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn suite() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/date-time/date_time_format_test_suite.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn instant(case: &Value) -> DateTime {
    let secs: i64 = case["canonical_seconds"].as_str().unwrap().parse().unwrap();
    let nanos = u32::try_from(case["canonical_nanos"].as_u64().unwrap()).unwrap();
    DateTime::from_secs_and_nanos(secs, nanos)
}

const FORMATS: [(&str, DateTimeFormat); 3] =
    [("date_time", DateTimeFormat::DateTime), ("http_date", DateTimeFormat::HttpDate), ("epoch_seconds", DateTimeFormat::EpochSeconds)];

#[test]
fn formats_as_aws_smithy_types_does() {
    let suite = suite();
    let mut checked = 0;
    for (name, format) in FORMATS {
        let cases = suite[format!("format_{name}")].as_array().unwrap();
        assert!(cases.len() > 100, "{name}: {} cases", cases.len());
        for case in cases {
            let t = instant(case);
            match case["smithy_format_value"].as_str() {
                Some(expected) => assert_eq!(t.fmt(format).as_deref(), Ok(expected), "{name} {case}"),
                None => assert!(t.fmt(format).is_err(), "{name}: {case} should not be written, got {:?}", t.fmt(format)),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 366);
}

#[test]
fn parses_as_aws_smithy_types_does() {
    let suite = suite();
    let mut checked = 0;
    for (name, format) in FORMATS {
        for case in suite[format!("parse_{name}")].as_array().unwrap() {
            let text = case["smithy_format_value"].as_str().unwrap();
            assert_eq!(DateTime::from_str(text, format), Ok(instant(case)), "{name} {text}");
            checked += 1;
        }
    }
    assert_eq!(checked, 294);
    // Offsets only where the format allows them.
    let with_offset = "2019-12-16T23:48:18+01:00";
    assert!(DateTime::from_str(with_offset, DateTimeFormat::DateTime).is_err());
    assert_eq!(DateTime::from_str(with_offset, DateTimeFormat::DateTimeWithOffset), Ok(DateTime::from_secs(1_576_536_498)));
    assert!(DateTime::from_str("yesterday", DateTimeFormat::HttpDate).is_err());
}

/// `Display` is RFC 3339, or epoch seconds for instants RFC 3339 cannot write.
#[test]
fn displays_as_aws_smithy_types_does() {
    // aws-smithy-types' test_display_date_time and test_debug_date_time.
    for (t, expected) in [
        (DateTime::from_secs(1_576_540_098), "2019-12-16T23:48:18Z"),
        (DateTime::from_fractional_secs(1_576_540_098, 0.52), "2019-12-16T23:48:18.52Z"),
        (DateTime::from_secs(1_699_942_527), "2023-11-14T06:15:27Z"),
        (DateTime::from_secs(16_995_123), "1970-07-16T16:52:03Z"),
    ] {
        assert_eq!(t.to_string(), expected);
        assert_eq!(format!("{t:?}"), expected);
    }
    let suite = suite();
    let epoch: std::collections::HashMap<DateTime, &str> = suite["format_epoch_seconds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (instant(c), c["smithy_format_value"].as_str().unwrap()))
        .collect();
    let mut fallbacks = 0;
    for case in suite["format_date_time"].as_array().unwrap() {
        let t = instant(case);
        let expected = match case["smithy_format_value"].as_str() {
            Some(rfc3339) => rfc3339,
            None if epoch.contains_key(&t) => {
                fallbacks += 1;
                epoch[&t]
            }
            // An instant the epoch-seconds section does not list: its epoch-seconds text,
            // the format checked case by case in `formats_as_aws_smithy_types_does`.
            None => {
                assert_eq!(t.to_string(), t.fmt(DateTimeFormat::EpochSeconds).unwrap());
                continue;
            }
        };
        assert_eq!(t.to_string(), expected);
    }
    assert_eq!(fallbacks, 3, "instants RFC 3339 cannot write that the epoch-seconds section lists");
}

#[test]
fn seconds_millis_and_fractions() {
    // aws-smithy-types' EPOCH_MILLIS_TEST_CASES (values from the JVM's java.time).
    for (millis, secs, nanos) in [(1_627_680_004_123_i64, 1_627_680_004_i64, 123_000_000_u32), (-1_627_680_004_123, -1_627_680_005, 877_000_000)] {
        let t = DateTime::from_millis(millis);
        assert_eq!((t.secs(), t.subsec_nanos()), (secs, nanos));
        assert_eq!(t.to_millis().unwrap(), millis);
    }
    assert!(DateTime::from_secs(i64::MAX).to_millis().is_err());
    assert_eq!(DateTime::from_fractional_secs(1, 0.5), DateTime::from_secs_and_nanos(1, 500_000_000));
    assert_eq!(DateTime::from_secs_f64(1.5), DateTime::from_secs_and_nanos(1, 500_000_000));
    assert_eq!(DateTime::from_secs_f64(-1.5), DateTime::from_secs_and_nanos(-2, 500_000_000));
    assert_eq!(DateTime::from_secs_and_nanos(1, 500_000_000).as_secs_f64(), 1.5);
    assert_eq!(DateTime::from_secs_and_nanos(-2, 500_000_000).as_nanos(), -1_500_000_000);
    assert_eq!(DateTime::from_nanos(-1_500_000_000).unwrap(), DateTime::from_secs_and_nanos(-2, 500_000_000));
    assert!(DateTime::from_nanos(i128::MAX).is_err());
    assert!(!DateTime::from_secs(5).has_subsec_nanos() && DateTime::from_secs_and_nanos(5, 1).has_subsec_nanos());
    // Where aws-smithy-types panics, whole seconds of nanoseconds carry (documented).
    assert_eq!(DateTime::from_secs_and_nanos(1, 2_500_000_000), DateTime::from_secs_and_nanos(3, 500_000_000));
    // Ordered as instants, nanoseconds after negative seconds included.
    let mut sorted = vec![DateTime::from_secs(1), DateTime::from_secs_and_nanos(-1, 999_999_999), DateTime::from_secs(-1), DateTime::from_secs(0)];
    sorted.sort();
    assert_eq!(sorted, [DateTime::from_secs(-1), DateTime::from_secs_and_nanos(-1, 999_999_999), DateTime::from_secs(0), DateTime::from_secs(1)]);
}

#[test]
fn converts_to_and_from_system_time_time_and_chrono() {
    // aws-smithy-types' own doc example: the millennium.
    let millennium = DateTime::from_secs(946_713_600);
    assert_eq!(SystemTime::try_from(millennium).unwrap(), UNIX_EPOCH + Duration::from_secs(946_713_600));
    let before = UNIX_EPOCH - Duration::from_millis(1_500);
    assert_eq!(DateTime::from(before), DateTime::from_secs_and_nanos(-2, 500_000_000));
    assert_eq!(SystemTime::try_from(DateTime::from_secs_and_nanos(-2, 500_000_000)).unwrap(), before);
    // Linux's SystemTime holds every DateTime (i64 seconds), even the first.
    assert!(SystemTime::try_from(DateTime::from_secs_and_nanos(i64::MIN, 1)).is_ok());

    let date = time::Date::from_calendar_date(2019, time::Month::December, 16).unwrap();
    let t = date.with_hms_nano(23, 48, 18, 520_000_000).unwrap().assume_utc();
    let ours = DateTime::from(t);
    assert_eq!(ours, DateTime::from_fractional_secs(1_576_540_098, 0.52));
    assert_eq!(time::OffsetDateTime::try_from(ours).unwrap(), t);
    assert!(time::OffsetDateTime::try_from(DateTime::from_secs(i64::MAX)).is_err());

    let c = chrono::DateTime::from_timestamp(1_576_540_098, 520_000_000).unwrap();
    assert_eq!(DateTime::from(c), ours);
    assert_eq!(chrono::DateTime::<chrono::Utc>::try_from(ours).unwrap(), c);
    assert!(chrono::DateTime::<chrono::Utc>::try_from(DateTime::from_secs(i64::MAX)).is_err());
}

/// `DateTime::read`: aws-smithy-types' own cases (its `test_read_*` tests), with the instants
/// checked too, and text that is not followed by the delimiter refused.
#[test]
fn reads_one_of_several_as_aws_smithy_types_does() {
    let http = "Mon, 16 Dec 2019 23:48:18 GMT";
    assert_eq!(DateTime::read(http, DateTimeFormat::HttpDate, ','), Ok((DateTime::from_secs(1_576_540_098), "")));
    let two = "Mon, 16 Dec 2019 23:48:18 GMT,Tue, 17 Dec 2019 23:48:18 GMT";
    let (first, next) = DateTime::read(two, DateTimeFormat::HttpDate, ',').unwrap();
    assert_eq!((first, next), (DateTime::from_secs(1_576_540_098), "Tue, 17 Dec 2019 23:48:18 GMT"));
    assert_eq!(DateTime::read(next, DateTimeFormat::HttpDate, ','), Ok((DateTime::from_secs(1_576_626_498), "")));
    let float = "1576540098.52";
    assert_eq!(DateTime::read(float, DateTimeFormat::EpochSeconds, ','), Ok((DateTime::from_secs_and_nanos(1_576_540_098, 520_000_000), "")));
    let floats = "1576540098.52,1576540098.53";
    assert_eq!(DateTime::read(floats, DateTimeFormat::EpochSeconds, ',').map(|(_, next)| next), Ok("1576540098.53"));
    let iso = "2019-12-16T23:48:18Z;2019-12-17T23:48:18Z";
    assert_eq!(DateTime::read(iso, DateTimeFormat::DateTime, ';'), Ok((DateTime::from_secs(1_576_540_098), "2019-12-17T23:48:18Z")));
    assert!(DateTime::read("Mon, 16 Dec 2019 23:48:18 GMTx", DateTimeFormat::HttpDate, ',').is_err());
    assert!(DateTime::read("1576540098.52;1", DateTimeFormat::EpochSeconds, ',').is_err());
}
