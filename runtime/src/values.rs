//! The values a client configuration is made of that the layers below the configuration need
//! too — the region, the app name, the behaviour version, timeouts —, so that credentials and
//! the transport take them without depending on [`crate::config`], which re-exports them at
//! aws-sdk-rust's paths (`config::Region`, ...).

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

/// An AWS region (`us-west-2`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Region(Cow<'static, str>);

impl Region {
    pub fn new(region: impl Into<Cow<'static, str>>) -> Self {
        Region(region.into())
    }

    pub const fn from_static(region: &'static str) -> Self {
        Region(Cow::Borrowed(region))
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The application's name, added to the user agent (`app/NAME`): letters, digits and
/// `!#$%&'*+-.^_`|~` only, as aws-types' type of the same name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AppName(Cow<'static, str>);

impl AppName {
    pub fn new(name: impl Into<Cow<'static, str>>) -> Result<Self, InvalidAppName> {
        let name = name.into();
        let valid = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if name.is_empty() || !name.chars().all(valid) {
            return Err(InvalidAppName);
        }
        Ok(AppName(name))
    }
}

impl AsRef<str> for AppName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AppName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An app name that is empty or has a character a user agent cannot carry.
#[derive(Debug)]
#[non_exhaustive]
pub struct InvalidAppName;

impl fmt::Display for InvalidAppName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an app name is not empty and has only letters, digits and any of !#$%&'*+-.^_`|~")
    }
}

impl std::error::Error for InvalidAppName {}

/// aws-sdk-rust's behaviour versions, accepted by
/// [`Builder::behavior_version`] so that programs written for aws-sdk-rust compile. They
/// change nothing: this crate behaves as aws-sdk-rust's latest version (standard retries
/// on, a 3.1 s connect timeout).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct BehaviorVersion(u8);

impl BehaviorVersion {
    /// The latest version (this crate's only behaviour).
    pub fn latest() -> Self {
        Self::v2026_01_12()
    }

    pub fn v2026_01_12() -> Self {
        BehaviorVersion(5)
    }

    pub fn v2025_08_07() -> Self {
        BehaviorVersion(4)
    }

    pub fn v2025_01_17() -> Self {
        BehaviorVersion(3)
    }

    pub fn v2024_03_28() -> Self {
        BehaviorVersion(2)
    }

    pub fn v2023_11_09() -> Self {
        BehaviorVersion(1)
    }

    pub fn is_at_least(&self, other: BehaviorVersion) -> bool {
        *self >= other
    }
}

/// Timeouts. Defaults: connect 3.1 s (as aws-sdk-rust), each attempt 60 s (botocore's read
/// timeout), no read timeout (as aws-sdk-rust), the whole call unlimited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeoutConfig {
    pub(crate) connect: Option<Duration>,
    pub(crate) read: Option<Duration>,
    pub(crate) attempt: Option<Duration>,
    pub(crate) operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        TimeoutConfig {
            connect: Some(Duration::from_millis(3100)),
            read: None,
            attempt: Some(Duration::from_secs(60)),
            operation: None,
        }
    }
}

impl TimeoutConfig {
    pub fn builder() -> TimeoutConfigBuilder {
        TimeoutConfigBuilder(TimeoutConfig::default())
    }

    /// No timeouts at all.
    pub fn disabled() -> Self {
        TimeoutConfig { connect: None, read: None, attempt: None, operation: None }
    }

    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect
    }

    /// The longest wait for the response once the request is sent (its first byte: the
    /// status line and headers), as aws-sdk-rust's read timeout; `None` when unset.
    pub fn read_timeout(&self) -> Option<Duration> {
        self.read
    }

    pub fn operation_attempt_timeout(&self) -> Option<Duration> {
        self.attempt
    }

    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation
    }
}

/// Builds a [`TimeoutConfig`], starting from the defaults.
#[derive(Clone, Debug)]
pub struct TimeoutConfigBuilder(TimeoutConfig);

impl TimeoutConfigBuilder {
    /// Time to establish a connection (TCP and TLS).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.0.connect = Some(d);
        self
    }

    /// The longest wait for the response once the request is sent: from the request written
    /// on a connection to the first byte of the response (its status line and headers). A
    /// server that takes the connection and never answers fails the attempt with a timeout
    /// error, retried as other timeouts are. Applied by the default transport (and any that
    /// reads [`SendOptions::read_timeout`](crate::http::SendOptions::read_timeout)).
    pub fn read_timeout(mut self, d: Duration) -> Self {
        self.0.read = Some(d);
        self
    }

    /// [`read_timeout`](Self::read_timeout), or none with `None`.
    pub fn set_read_timeout(&mut self, d: Option<Duration>) -> &mut Self {
        self.0.read = d;
        self
    }

    /// Time for one attempt: sending the request and reading the whole response.
    pub fn operation_attempt_timeout(mut self, d: Duration) -> Self {
        self.0.attempt = Some(d);
        self
    }

    /// Time for the whole call, retries and backoff included.
    pub fn operation_timeout(mut self, d: Duration) -> Self {
        self.0.operation = Some(d);
        self
    }

    pub fn build(self) -> TimeoutConfig {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_timeout_is_unset_by_default_and_settable() {
        assert_eq!(TimeoutConfig::default().read_timeout(), None);
        assert_eq!(TimeoutConfig::disabled().read_timeout(), None);
        let t = TimeoutConfig::builder().read_timeout(Duration::from_secs(2)).build();
        assert_eq!(t.read_timeout(), Some(Duration::from_secs(2)));
        // The other timeouts keep their defaults.
        assert_eq!(t.connect_timeout(), TimeoutConfig::default().connect_timeout());
        assert_eq!(t.operation_attempt_timeout(), Some(Duration::from_secs(60)));
        let mut b = TimeoutConfig::builder().read_timeout(Duration::from_secs(2));
        b.set_read_timeout(Some(Duration::from_millis(5)));
        assert_eq!(b.clone().build().read_timeout(), Some(Duration::from_millis(5)));
        b.set_read_timeout(None);
        assert_eq!(b.build().read_timeout(), None);
    }
}
