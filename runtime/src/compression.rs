//! Request compression (`requestcompression` in a model): gzip with feature `gzip`.

/// The gzip of `data`; `None` when the crate was built without feature `gzip` (the request
/// is then sent uncompressed, which every service accepts).
#[cfg(feature = "gzip")]
pub fn gzip(data: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(data.len() / 4), flate2::Compression::default());
    encoder.write_all(data).ok()?;
    encoder.finish().ok()
}

#[cfg(not(feature = "gzip"))]
pub fn gzip(_data: &[u8]) -> Option<Vec<u8>> {
    None
}

#[cfg(all(test, feature = "gzip"))]
mod tests {
    #[test]
    fn round_trips() {
        use std::io::Read;
        let data = "Action=Put&data=".to_owned() + &"x".repeat(20_000);
        let gz = super::gzip(data.as_bytes()).unwrap();
        assert!(gz.len() < data.len() / 10);
        let mut out = String::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut out).unwrap();
        assert_eq!(out, data);
    }
}
