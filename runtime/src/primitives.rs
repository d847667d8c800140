//! Primitive types used by generated types.

use std::fmt;

mod date_time;

pub use date_time::{ConversionError, DateTime, DateTimeFormatError, DateTimeParseError, Format as DateTimeFormat};

/// Binary data (`blob` shapes), sent base64-encoded.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Blob(Vec<u8>);

impl Blob {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob(bytes.into())
    }

    pub fn as_slice(&self) -> &[u8] {
        &self.0
    }

    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }

    /// The data as [`bytes::Bytes`] (no copy: the vector becomes its buffer).
    pub fn into_bytes(self) -> bytes::Bytes {
        bytes::Bytes::from(self.0)
    }

    /// From anything that converts into [`bytes::Bytes`] (aws-smithy-types' constructor).
    pub fn from_maybe_shared(bytes: impl Into<bytes::Bytes>) -> Self {
        Blob(Vec::from(bytes.into()))
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Blob(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob(bytes.to_vec())
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

/// An enum value that the model a crate was generated from does not know.
///
/// Made through the enum's `From<&str>` (`ChangeType::from("new-value")`), which gives the
/// known variant for a known value, so two equal wire values always compare equal.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownVariantValue(Box<str>);

impl UnknownVariantValue {
    /// Used by generated `From<&str>` impls; prefer those, which map known values to their
    /// variants.
    #[doc(hidden)]
    pub fn new(value: &str) -> Self {
        UnknownVariantValue(value.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownVariantValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Blob;

    #[test]
    fn blob_to_and_from_bytes() {
        let blob = Blob::from_maybe_shared(bytes::Bytes::from_static(b"abc"));
        assert_eq!(blob.as_slice(), b"abc");
        assert_eq!(blob.clone().into_bytes(), bytes::Bytes::from_static(b"abc"));
        assert_eq!(Blob::from_maybe_shared(vec![1u8, 2]).into_inner(), vec![1, 2]);
    }
}
