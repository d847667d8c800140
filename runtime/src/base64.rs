//! Standard base64 (RFC 4648, padded), for blobs. Small enough not to need a crate.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The character for the six bits of `n` at `shift`.
fn sextet(n: u32, shift: u32) -> char {
    let index = n.checked_shr(shift).unwrap_or(0) & 63;
    // `index` < 64, so `get` always finds it.
    ALPHABET.get(index as usize).map_or('=', |&c| char::from(c))
}

pub fn encode(input: &[u8], out: &mut String) {
    for chunk in input.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = byte(0) << 16 | byte(1) << 8 | byte(2);
        // A chunk of k bytes gives k + 1 characters, then padding to four.
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            out.push(if i <= chunk.len() { sextet(n, shift) } else { '=' });
        }
    }
}

/// The value of one base64 character.
fn value(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c.wrapping_sub(b'A'),
        b'a'..=b'z' => c.wrapping_sub(b'a').wrapping_add(26),
        b'0'..=b'9' => c.wrapping_sub(b'0').wrapping_add(52),
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    })
}

/// Decodes padded or unpadded base64; ASCII whitespace is ignored (line breaks in long
/// values).
pub fn decode(input: &str) -> Result<Vec<u8>, &'static str> {
    const INVALID: &str = "not valid base64";
    let clean: Vec<u8> = input.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let data = clean.strip_suffix(b"==").or_else(|| clean.strip_suffix(b"=")).unwrap_or(&clean);
    let padding = clean.len().saturating_sub(data.len());
    // One character left over carries fewer than 8 bits; padding only completes a group.
    if data.len() % 4 == 1 || (padding > 0 && !clean.len().is_multiple_of(4)) {
        return Err(INVALID);
    }
    let mut out = Vec::with_capacity((data.len() / 4).saturating_mul(3).saturating_add(2));
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    for &c in data {
        acc = acc << 6 | u32::from(value(c).ok_or(INVALID)?);
        bits = bits.wrapping_add(6);
        if bits >= 8 {
            // 8 <= bits < 14 here, so the shifts are in range and the byte is the top 8 bits.
            bits = bits.wrapping_sub(8);
            out.push((acc >> bits) as u8);
            acc &= (1u32 << bits).wrapping_sub(1);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trips() {
        for (raw, enc) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("value", "dmFsdWU=")] {
            let mut s = String::new();
            super::encode(raw.as_bytes(), &mut s);
            assert_eq!(s, enc);
            assert_eq!(super::decode(enc).unwrap(), raw.as_bytes());
        }
        assert!(super::decode("a").is_err());
        assert!(super::decode("ab!d").is_err());
        assert!(super::decode("Zg=").is_err());
        assert!(super::decode("=").is_err());
        assert!(super::decode("Zm9v=").is_err());
        assert_eq!(super::decode("Zm9").unwrap(), b"fo");
        assert_eq!(super::decode("Zm9v\nYmFy").unwrap(), b"foobar");
    }
}
