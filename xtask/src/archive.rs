//! Reading the files of a botocore distribution: a wheel (a zip archive), a source
//! distribution (a gzipped tar archive) or an unpacked folder, each as a list of
//! `(path, bytes)` relative to the distribution's root, for the paths a filter wants.
//!
//! The zip reader is this module's own (a wheel is a plain zip: stored or deflated entries,
//! a central directory, no zip64, no encryption); the tar reader is the `tar` crate. Archives
//! come from outside the project, so every offset and length is checked, and every entry's
//! CRC-32: a damaged or hostile archive is an error naming the archive, never a panic.

use flate2::read::{DeflateDecoder, GzDecoder};
use std::io::Read;
use std::path::Path;

/// Largest file taken from an archive (botocore's biggest model, EC2's, is about 6 MB).
const MAX_FILE: u64 = 256 << 20;

/// A file of the distribution: its path (`/`-separated, from the distribution's root) and bytes.
pub type Entry = (String, Vec<u8>);

/// The files of the zip archive `bytes` whose path `want` accepts.
pub fn zip_entries(bytes: &[u8], want: &dyn Fn(&str) -> bool) -> Result<Vec<Entry>, String> {
    let eocd = end_of_central_directory(bytes)?;
    let count = u16_at(bytes, eocd + 10)?;
    let cd_offset = u32_at(bytes, eocd + 16)?;
    if count == u16::MAX || cd_offset == u32::MAX {
        return Err("zip64 archives are not supported".to_owned());
    }
    let mut at = cd_offset as usize;
    let mut out = Vec::new();
    for _ in 0..count {
        if u32_at(bytes, at)? != 0x0201_4b50 {
            return Err(format!("bad central directory entry at byte {at}"));
        }
        let flags = u16_at(bytes, at + 8)?;
        let method = u16_at(bytes, at + 10)?;
        let crc = u32_at(bytes, at + 16)?;
        let compressed = u32_at(bytes, at + 20)? as usize;
        let size = u32_at(bytes, at + 24)?;
        let name_len = u16_at(bytes, at + 28)? as usize;
        let extra_len = u16_at(bytes, at + 30)? as usize;
        let comment_len = u16_at(bytes, at + 32)? as usize;
        let local = u32_at(bytes, at + 42)? as usize;
        let name = slice(bytes, at + 46, name_len)?;
        let name = std::str::from_utf8(name).map_err(|_| format!("entry at byte {at}: name is not UTF-8"))?.to_owned();
        at += 46 + name_len + extra_len + comment_len;
        if name.ends_with('/') || !want(&name) {
            continue;
        }
        if flags & 1 != 0 {
            return Err(format!("{name}: encrypted entries are not supported"));
        }
        if u64::from(size) > MAX_FILE {
            return Err(format!("{name}: {size} bytes, more than a model file can be"));
        }
        // The local header repeats the name and has an extra field of its own length.
        if u32_at(bytes, local)? != 0x0403_4b50 {
            return Err(format!("{name}: bad local header at byte {local}"));
        }
        let data_at = local + 30 + u16_at(bytes, local + 26)? as usize + u16_at(bytes, local + 28)? as usize;
        let data = slice(bytes, data_at, compressed)?;
        let content = match method {
            0 => data.to_vec(),
            8 => inflate(DeflateDecoder::new(data), &name)?,
            other => return Err(format!("{name}: compression method {other} is not supported (only stored and deflate)")),
        };
        if content.len() as u64 != u64::from(size) {
            return Err(format!("{name}: {} bytes, the directory says {size}", content.len()));
        }
        let mut check = flate2::Crc::new();
        check.update(&content);
        if check.sum() != crc {
            return Err(format!("{name}: CRC-32 mismatch (a damaged archive)"));
        }
        out.push((name, content));
    }
    Ok(out)
}

/// The files of the gzipped tar archive at `path` whose path, without the archive's top
/// folder (`botocore-1.44.8/`), `want` accepts.
pub fn tar_gz_entries(path: &Path, want: &dyn Fn(&str) -> bool) -> Result<Vec<Entry>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut archive = tar::Archive::new(GzDecoder::new(std::io::BufReader::new(file)));
    let mut out = Vec::new();
    for entry in archive.entries().map_err(|e| e.to_string())? {
        let mut entry = entry.map_err(|e| e.to_string())?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let full = entry.path().map_err(|e| e.to_string())?.to_string_lossy().replace('\\', "/");
        let Some((_, rel)) = full.split_once('/') else { continue };
        if !want(rel) {
            continue;
        }
        let rel = rel.to_owned();
        if entry.size() > MAX_FILE {
            return Err(format!("{rel}: {} bytes, more than a model file can be", entry.size()));
        }
        let mut content = Vec::new();
        entry.read_to_end(&mut content).map_err(|e| format!("{rel}: {e}"))?;
        out.push((rel, content));
    }
    Ok(out)
}

/// The files under folder `root` whose path relative to it `want` accepts.
pub fn folder_entries(root: &Path, want: &dyn Fn(&str) -> bool) -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    walk(root, "", want, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, rel: &str, want: &dyn Fn(&str) -> bool, out: &mut Vec<Entry>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let child = if rel.is_empty() { name } else { format!("{rel}/{name}") };
        let kind = entry.file_type().map_err(|e| format!("{}: {e}", path.display()))?;
        if kind.is_dir() {
            // Only folders on the way to something wanted: a source checkout is large.
            if want(&format!("{child}/")) {
                walk(&path, &child, want, out)?;
            }
        } else if kind.is_file() && want(&child) {
            out.push((child, std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?));
        }
    }
    Ok(())
}

/// A gzip file's content (botocore ships its larger models gzipped).
pub fn gunzip(bytes: &[u8], name: &str) -> Result<Vec<u8>, String> {
    inflate(GzDecoder::new(bytes), name)
}

fn inflate(mut reader: impl Read, name: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    reader.by_ref().take(MAX_FILE + 1).read_to_end(&mut out).map_err(|e| format!("{name}: cannot decompress: {e}"))?;
    if out.len() as u64 > MAX_FILE {
        return Err(format!("{name}: decompresses to more than a model file can be"));
    }
    Ok(out)
}

/// The offset of the end-of-central-directory record: the last one, within the 64 KiB
/// comment that may follow it.
fn end_of_central_directory(bytes: &[u8]) -> Result<usize, String> {
    let lowest = bytes.len().saturating_sub(22 + usize::from(u16::MAX));
    (lowest..=bytes.len().saturating_sub(22))
        .rev()
        .find(|&at| bytes.get(at..at + 4) == Some(&[0x50, 0x4b, 0x05, 0x06]))
        .ok_or_else(|| "not a zip archive (no end of central directory)".to_owned())
}

fn slice(bytes: &[u8], at: usize, len: usize) -> Result<&[u8], String> {
    at.checked_add(len).and_then(|end| bytes.get(at..end)).ok_or_else(|| format!("truncated archive (byte {at})"))
}

fn u16_at(bytes: &[u8], at: usize) -> Result<u16, String> {
    let b = slice(bytes, at, 2)?;
    Ok(u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> Result<u32, String> {
    let b = slice(bytes, at, 4)?;
    Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}
