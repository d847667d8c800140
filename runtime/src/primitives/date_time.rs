//! [`DateTime`]: the timestamp type of generated crates, with aws-smithy-types' API (seconds
//! and nanoseconds since the Unix epoch, its constructors, accessors, formats and `Display`),
//! so that programs written for aws-sdk-rust compile and print the same text.
//!
//! The type and its numbers are here; its text (`from_str`, `read`, `fmt`, `Display`: the
//! formats of aws-smithy-types, which trim trailing zeros) is in [`crate::time`], beside the
//! calendar and the wire formats botocore writes (microseconds, `.ffffff`) that it shares.
//! Nothing here panics: where aws-smithy-types panics (nanoseconds of a second or more),
//! the extra nanoseconds carry into the seconds.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NANOS_PER_SECOND: u32 = 1_000_000_000;

/// An instant: seconds since 1970-01-01T00:00:00Z and the nanoseconds after them (the
/// nanoseconds always move the time forward, also before 1970). Any `i64` of seconds is
/// a value; the formats say which values they can write.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    // The order of the fields is the order of the instants (derived `Ord`).
    seconds: i64,
    subsecond_nanos: u32,
}

/// The text formats of [`DateTime::fmt`] and [`DateTime::from_str`] (aws-smithy-types'
/// `Format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// RFC 3339 in UTC: `2019-12-16T23:48:18Z`, `2019-12-16T23:48:18.52Z` (fraction to the
    /// microsecond, trailing zeros trimmed); an offset is an error when parsing.
    DateTime,
    /// As [`Format::DateTime`], and offsets are accepted when parsing
    /// (`2019-12-16T23:48:18+01:00`).
    DateTimeWithOffset,
    /// `Mon, 16 Dec 2019 23:48:18 GMT`.
    HttpDate,
    /// `1576540098.52` (fraction to the nanosecond, trailing zeros trimmed).
    EpochSeconds,
}

impl DateTime {
    pub fn from_secs(epoch_seconds: i64) -> Self {
        DateTime { seconds: epoch_seconds, subsecond_nanos: 0 }
    }

    pub fn from_millis(epoch_millis: i64) -> Self {
        // rem_euclid(1000) is in 0..1000: as nanoseconds, below a second.
        let millis = u32::try_from(epoch_millis.rem_euclid(1000)).unwrap_or(0);
        DateTime { seconds: epoch_millis.div_euclid(1000), subsecond_nanos: millis.saturating_mul(1_000_000) }
    }

    /// Nanoseconds since the epoch; an error past the `i64` seconds.
    pub fn from_nanos(epoch_nanos: i128) -> Result<Self, ConversionError> {
        let seconds = i64::try_from(epoch_nanos.div_euclid(NANOS_PER_SECOND.into()))
            .map_err(|_| ConversionError("nanoseconds past the range of a DateTime"))?;
        let nanos = u32::try_from(epoch_nanos.rem_euclid(NANOS_PER_SECOND.into())).unwrap_or(0);
        Ok(DateTime { seconds, subsecond_nanos: nanos })
    }

    /// Nanoseconds since the epoch.
    // Cannot overflow: an i64 of seconds times 10⁹ is far inside an i128.
    #[allow(clippy::arithmetic_side_effects)]
    pub fn as_nanos(&self) -> i128 {
        i128::from(self.seconds) * i128::from(NANOS_PER_SECOND) + i128::from(self.subsecond_nanos)
    }

    /// `epoch_seconds` and a fraction of a second in [0, 1) (a fraction that rounds to a
    /// whole second carries into the seconds, as in aws-smithy-types).
    pub fn from_fractional_secs(epoch_seconds: i64, fraction: f64) -> Self {
        // `as` saturates: a fraction outside [0, 1) gives 0 or a second's worth, carried.
        let nanos = (fraction * 1_000_000_000_f64) as u32;
        Self::from_secs_and_nanos(epoch_seconds, nanos)
    }

    /// Seconds and nanoseconds after them; nanoseconds of a second or more carry into the
    /// seconds (aws-smithy-types panics).
    pub fn from_secs_and_nanos(seconds: i64, subsecond_nanos: u32) -> Self {
        let carry = i64::from(subsecond_nanos / NANOS_PER_SECOND);
        DateTime { seconds: seconds.saturating_add(carry), subsecond_nanos: subsecond_nanos % NANOS_PER_SECOND }
    }

    /// Seconds since the epoch as a float (precision lost past 2⁵³ ns).
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.subsecond_nanos) / 1_000_000_000_f64
    }

    pub fn from_secs_f64(epoch_seconds: f64) -> Self {
        let floor = epoch_seconds.floor();
        // `as` saturates (and NaN becomes 0).
        Self::from_fractional_secs(floor as i64, epoch_seconds - floor)
    }

    pub fn has_subsec_nanos(&self) -> bool {
        self.subsecond_nanos != 0
    }

    /// Whole seconds since the epoch (rounded down: `-0.5 s` is `-1` and 500,000,000 ns).
    pub fn secs(&self) -> i64 {
        self.seconds
    }

    pub fn set_seconds(&mut self, seconds: i64) -> &mut Self {
        self.seconds = seconds;
        self
    }

    pub fn subsec_nanos(&self) -> u32 {
        self.subsecond_nanos
    }

    /// Nanoseconds of a second or more carry into the seconds.
    pub fn set_subsec_nanos(&mut self, subsec_nanos: u32) -> &mut Self {
        *self = Self::from_secs_and_nanos(self.seconds, subsec_nanos);
        self
    }

    /// Milliseconds since the epoch, rounded down to the earlier millisecond (as
    /// aws-smithy-types does); an error past the `i64` range.
    pub fn to_millis(self) -> Result<i64, ConversionError> {
        let millis = self.as_nanos().div_euclid(1_000_000);
        i64::try_from(millis).map_err(|_| ConversionError("DateTime too large for i64 milliseconds"))
    }

}

impl From<SystemTime> for DateTime {
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => DateTime::from_secs_and_nanos(i64::try_from(after.as_secs()).unwrap_or(i64::MAX), after.subsec_nanos()),
            Err(before) => {
                let before = before.duration();
                let nanos = i128::try_from(before.as_nanos()).unwrap_or(i128::MAX);
                // A SystemTime's seconds fit an i64 on every platform Rust supports.
                DateTime::from_nanos(nanos.saturating_neg()).unwrap_or(DateTime::from_secs(i64::MIN))
            }
        }
    }
}

/// An error when the platform's `SystemTime` cannot hold the instant.
impl TryFrom<DateTime> for SystemTime {
    type Error = ConversionError;

    fn try_from(t: DateTime) -> Result<Self, ConversionError> {
        let nanos = t.as_nanos();
        let magnitude = nanos.unsigned_abs();
        let secs = u64::try_from(magnitude / 1_000_000_000).map_err(|_| ConversionError("DateTime out of SystemTime's range"))?;
        let duration = Duration::new(secs, u32::try_from(magnitude % 1_000_000_000).unwrap_or(0));
        let time = if nanos < 0 { UNIX_EPOCH.checked_sub(duration) } else { UNIX_EPOCH.checked_add(duration) };
        time.ok_or(ConversionError("DateTime out of SystemTime's range"))
    }
}

#[cfg(feature = "time")]
impl From<time::OffsetDateTime> for DateTime {
    fn from(t: time::OffsetDateTime) -> Self {
        DateTime::from_secs_and_nanos(t.unix_timestamp(), t.nanosecond())
    }
}

/// In UTC; an error outside `time`'s years (-9999 to 9999).
#[cfg(feature = "time")]
impl TryFrom<DateTime> for time::OffsetDateTime {
    type Error = ConversionError;

    fn try_from(t: DateTime) -> Result<Self, ConversionError> {
        time::OffsetDateTime::from_unix_timestamp_nanos(t.as_nanos()).map_err(|_| ConversionError("DateTime out of time's range (years -9999 to 9999)"))
    }
}

#[cfg(feature = "chrono")]
impl From<chrono::DateTime<chrono::Utc>> for DateTime {
    fn from(t: chrono::DateTime<chrono::Utc>) -> Self {
        DateTime::from_secs_and_nanos(t.timestamp(), t.timestamp_subsec_nanos())
    }
}

/// An error outside chrono's range (about ±262,000 years).
#[cfg(feature = "chrono")]
impl TryFrom<DateTime> for chrono::DateTime<chrono::Utc> {
    type Error = ConversionError;

    fn try_from(t: DateTime) -> Result<Self, ConversionError> {
        chrono::DateTime::from_timestamp(t.seconds, t.subsecond_nanos).ok_or(ConversionError("DateTime out of chrono's range"))
    }
}

/// A conversion to or from another type that cannot hold the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionError(&'static str);

impl fmt::Display for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for ConversionError {}

/// Text that is not a timestamp in the format asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeParseError {
    pub(crate) format: Format,
    pub(crate) why: &'static str,
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a {:?} timestamp: {}", self.format, self.why)
    }
}

impl std::error::Error for DateTimeParseError {}

/// An instant the format cannot write (RFC 3339 and HTTP dates: years 1 to 9999).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeFormatError {
    pub(crate) format: Format,
}

impl fmt::Display for DateTimeFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} writes years 1 to 9999 only", self.format)
    }
}

impl std::error::Error for DateTimeFormatError {}
