//! `cargo xtask update-model` in scratch copies of the project, offline: botocore releases
//! are faked from the history models (`tests/data/history/`), as a wheel (a zip with the
//! model gzipped, as botocore ships it), a source distribution (a gzipped tar) and a folder.
//!
//! - Two updates in a row, 2016-03-29 then 2016-05-26 (the project's first model update):
//!   `SOURCE.md`, `codegen.toml`'s version and the `CHANGELOG.md` entry exactly as expected
//!   (golden files in `tests/data/update-model/`; `UPDATE_GOLDEN=1` rewrites them, review the
//!   diff), the change log block the seed's three operations, and the crate exactly what
//!   the generator makes of the new model (`regenerate --check` would pass).
//! - A model that does not generate, and a release without the service, change nothing.
//! - `--dry-run` changes nothing.
//!
//! "Nothing changed" is checked on every file of `models/` and `generated/`: content and
//! modification time.

use flate2::write::{DeflateEncoder, GzEncoder};
use flate2::Compression;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// 2026-11-27 12:00 UTC: the date the entries carry (`SOURCE_DATE_EPOCH`).
const EPOCH: &str = "1795780800";
const OLD: &str = "2016-03-29-e55db9f23";
const NEW: &str = "2016-05-26-b9d9232bb";
const DATA: &str = "botocore/data/elasticache/2015-02-02";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

fn history(stem: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/data/history").join(format!("{stem}.json"))).unwrap()
}

/// A copy of what update-model reads and writes: `models/`, the generated crate, the
/// runtime's manifest (its version goes into the crate's). The history models predate the
/// enums `codegen.toml` names variants for, so those names go (kept with `keep_names`).
fn scratch(name: &str, keep_names: bool) -> PathBuf {
    let root = repo().join("target/test-update-model").join(name);
    let _ = std::fs::remove_dir_all(&root);
    copy_tree(&repo().join("models"), &root.join("models"));
    copy_tree(&repo().join("generated/elasticache"), &root.join("generated/elasticache"));
    copy_tree(&repo().join("generated/elasticache-json"), &root.join("generated/elasticache-json"));
    std::fs::create_dir_all(root.join("runtime")).unwrap();
    std::fs::copy(repo().join("runtime/Cargo.toml"), root.join("runtime/Cargo.toml")).unwrap();
    // The fixture: a crate at 0.1.0 with no change log yet, whatever the checked-in one is at.
    let path = root.join("models/elasticache/codegen.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text.lines().find(|l| l.starts_with("version = ")).expect("codegen.toml has a version").to_owned();
    std::fs::write(&path, text.replacen(&line, "version = \"0.1.0\"", 1)).unwrap();
    let _ = std::fs::remove_file(root.join("generated/elasticache/CHANGELOG.md"));
    if !keep_names {
        let path = root.join("models/elasticache/codegen.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let at = text.find("\n# Enum variant names").expect("codegen.toml names enum variants");
        std::fs::write(&path, &text[..at + 1]).unwrap();
    }
    root
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dest) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_tree(&src, &dest);
        } else {
            std::fs::copy(&src, &dest).unwrap();
        }
    }
}

/// Runs `xtask update-model args..` on the project at `root`; (success, stdout, stderr).
fn update_model(root: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("update-model")
        .args(args)
        // The xtask finds the project from its manifest's folder, as under `cargo xtask`.
        .env("CARGO_MANIFEST_DIR", root.join("xtask"))
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
    assert!(!stderr.contains("panicked"), "update-model panicked:\n{stderr}");
    (out.status.success(), stdout, stderr)
}

/// A botocore wheel: `files` (path, bytes) deflated in a zip, with the dist-info naming
/// `version`.
fn wheel(path: &Path, version: &str, files: &[(&str, Vec<u8>)]) {
    let metadata = format!("Metadata-Version: 2.1\nName: botocore\nVersion: {version}\n").into_bytes();
    let mut entries: Vec<(String, Vec<u8>)> = files.iter().map(|(p, b)| ((*p).to_owned(), b.clone())).collect();
    entries.push((format!("botocore-{version}.dist-info/METADATA"), metadata));
    let (mut zip, mut central) = (Vec::new(), Vec::new());
    for (name, bytes) in &entries {
        let mut crc = flate2::Crc::new();
        crc.update(bytes);
        let mut deflate = DeflateEncoder::new(Vec::new(), Compression::default());
        deflate.write_all(bytes).unwrap();
        let data = deflate.finish().unwrap();
        // Version, flags, method 8 (deflate), time, date, CRC-32, sizes, name length.
        let mut common = Vec::new();
        for v in [20u16, 0, 8, 0, 0] {
            common.extend(v.to_le_bytes());
        }
        for v in [crc.sum(), data.len() as u32, bytes.len() as u32] {
            common.extend(v.to_le_bytes());
        }
        common.extend((name.len() as u16).to_le_bytes());
        let offset = zip.len() as u32;
        zip.extend(0x0403_4b50u32.to_le_bytes());
        zip.extend(&common);
        zip.extend(0u16.to_le_bytes()); // extra field length
        zip.extend(name.as_bytes());
        zip.extend(&data);
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes()); // made by
        central.extend(&common);
        for v in [0u16, 0, 0, 0] {
            central.extend(v.to_le_bytes()); // extra, comment, disk, internal attributes
        }
        central.extend(0u32.to_le_bytes()); // external attributes
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let cd_offset = zip.len() as u32;
    zip.extend(&central);
    zip.extend(0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, entries.len() as u16, entries.len() as u16] {
        zip.extend(v.to_le_bytes());
    }
    zip.extend((central.len() as u32).to_le_bytes());
    zip.extend(cd_offset.to_le_bytes());
    zip.extend(0u16.to_le_bytes());
    std::fs::write(path, zip).unwrap();
}

/// A botocore source distribution: `files` in a gzipped tar under `botocore-<version>/`,
/// with its PKG-INFO.
fn sdist(path: &Path, version: &str, files: &[(&str, Vec<u8>)]) {
    let mut tar = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::default()));
    let pkg_info = format!("Metadata-Version: 2.1\nName: botocore\nVersion: {version}\n").into_bytes();
    for (name, bytes) in files.iter().map(|(p, b)| (*p, b)).chain([("PKG-INFO", &pkg_info)]) {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, format!("botocore-{version}/{name}"), bytes.as_slice()).unwrap();
    }
    let gz = tar.into_inner().unwrap();
    std::fs::write(path, gz.finish().unwrap()).unwrap();
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// Every file under `models/` and `generated/`: content and modification time.
fn tree_state(root: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, (Vec<u8>, SystemTime)>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let rel = format!("{rel}/{}", entry.file_name().to_string_lossy());
            if entry.path().is_dir() {
                walk(&entry.path(), &rel, out);
            } else {
                let modified = entry.metadata().unwrap().modified().unwrap();
                out.insert(rel, (std::fs::read(entry.path()).unwrap(), modified));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&root.join("models"), "models", &mut out);
    walk(&root.join("generated"), "generated", &mut out);
    out
}

/// What differs between two tree states, by path, for assertion messages.
fn changed(before: &BTreeMap<String, (Vec<u8>, SystemTime)>, after: &BTreeMap<String, (Vec<u8>, SystemTime)>) -> Vec<String> {
    before.keys().chain(after.keys()).filter(|k| before.get(*k) != after.get(*k)).cloned().collect()
}

fn version(root: &Path) -> String {
    codegen::Project::read(root, "models/elasticache").unwrap().settings.version
}

/// Compares `actual` with `tests/data/update-model/<name>`, or rewrites it with `UPDATE_GOLDEN=1`.
fn check_golden(name: &str, actual: &str) {
    let path = repo().join("tests/data/update-model").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it; review it)", path.display()));
    assert_eq!(actual, expected, "{} differs (UPDATE_GOLDEN=1 rewrites it; review the diff)", path.display());
}

/// The issue's example: two updates from history models, the second the 2016-05-26 one.
#[test]
fn two_updates_from_history_models() {
    let root = scratch("two-updates", false);
    let (wheel_path, sdist_path) = (root.join("botocore-2016.3.29-py3-none-any.whl"), root.join("botocore-2016.5.26.tar.gz"));
    wheel(&wheel_path, "2016.3.29", &[(&format!("{DATA}/service-2.json.gz"), gzip(&history(OLD)))]);
    sdist(&sdist_path, "2016.5.26", &[(&format!("{DATA}/service-2.json"), history(NEW))]);

    // First: from today's model back to 2016-03-29 (operations removed: breaking).
    let (ok, stdout, stderr) = update_model(&root, &["elasticache", "--from", wheel_path.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(stdout.starts_with("## 0.2.0 (2026-11-27)\n"), "{stdout}");
    assert!(stderr.contains("verdict: breaking") && stderr.contains("version 0.1.0 -> 0.2.0"), "{stderr}");
    // The wheel has no endpoint tests (they are in the source distribution): said, and gone.
    assert!(stderr.contains("the given sources have no endpoint tests"), "{stderr}");
    assert_eq!(version(&root), "0.2.0");
    let mut files: Vec<String> = std::fs::read_dir(root.join("models/elasticache"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["SOURCE.md", "codegen.toml", "service-2.json"], "the release's files, and the project's own");
    assert_eq!(std::fs::read(root.join("models/elasticache/service-2.json")).unwrap(), history(OLD), "unzipped, gunzipped, unmodified");

    // Second: the 2016-05-26 update, from a source distribution.
    // (named: the project also has `sts`, which this hand-made release does not hold)
    let (ok, stdout, stderr) = update_model(&root, &["elasticache", "--from", sdist_path.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(
        stderr.contains("operations: 0 new, 3 updated, 0 removed")
            && stderr.contains("verdict: additive (0 breaking, 5 additive changes); version 0.2.0 -> 0.2.1"),
        "{stderr}"
    );
    assert_eq!(version(&root), "0.2.1", "additive before 1.0: a patch bump, as Cargo reads 0.y.z");
    let codegen_toml = std::fs::read_to_string(root.join("models/elasticache/codegen.toml")).unwrap();
    assert_eq!(
        codegen_toml.replace("version = \"0.2.1\"", "version = \"0.1.0\""),
        std::fs::read_to_string(scratch("pristine", false).join("models/elasticache/codegen.toml")).unwrap(),
        "only the version line of codegen.toml changes"
    );
    check_golden("SOURCE.md", &std::fs::read_to_string(root.join("models/elasticache/SOURCE.md")).unwrap());

    let changelog = std::fs::read_to_string(root.join("generated/elasticache/CHANGELOG.md")).unwrap();
    let entries: Vec<&str> = changelog.match_indices("\n## ").map(|(at, _)| &changelog[at + 1..]).collect();
    assert_eq!(entries.len(), 2, "{changelog}");
    assert!(entries[0].starts_with("## 0.2.1 (2026-11-27)") && entries[1].starts_with("## 0.2.0 (2026-11-27)"));
    let top = &entries[0][..entries[0].len() - entries[1].len()];
    assert_eq!(stdout, top.trim_end().to_owned() + "\n", "the entry printed is the entry written");
    check_golden("CHANGELOG-entry-0.2.1.md", top);
    // The change log block: the seed's three operations, in the feeds' format.
    let block = top.split_once("```text\n").and_then(|(_, rest)| rest.split_once("```")).map(|(b, _)| b).unwrap();
    assert_eq!(
        block,
        "\
Amazon ElastiCache - 3 updated api methods

CopySnapshot (updated)
  Changes (request)
  {'TargetBucket': 'string'}

DescribeCacheParameters (updated)
  Changes (response)
  {'CacheNodeTypeSpecificParameters': {'ChangeType': 'immediate | requires-reboot'},
   'Parameters': {'ChangeType': 'immediate | requires-reboot'}}

DescribeEngineDefaultParameters (updated)
  Changes (response)
  {'EngineDefaults': {'CacheNodeTypeSpecificParameters': {'ChangeType': 'immediate | requires-reboot'},
                      'Parameters': {'ChangeType': 'immediate | requires-reboot'}}}
"
    );

    // The crate is what the generator makes of the new model (so `regenerate --check`
    // passes), and regenerating keeps the change log, which is not the generator's.
    let project = codegen::Project::read(&root, "models/elasticache").unwrap();
    let files = project.generate().unwrap().files;
    assert_eq!(codegen::write::check_files(&project.out, &files), []);
    assert!(files["Cargo.toml"].contains("version = \"0.2.1\""));
    let report = codegen::write::write_files(&project.out, &files).unwrap();
    assert!(report.written.is_empty() && report.removed.is_empty());
    assert_eq!(std::fs::read_to_string(project.out.join("CHANGELOG.md")).unwrap(), changelog);
    // Nothing left behind in the staging folder.
    assert_eq!(std::fs::read_dir(root.join("target/update-model")).unwrap().count(), 0);

    // The same release again: nothing to do, nothing written.
    let before = tree_state(&root);
    // (named: the project also has `sts`, which this hand-made release does not hold)
    let (ok, stdout, stderr) = update_model(&root, &["elasticache", "--from", sdist_path.to_str().unwrap()]);
    assert!(ok && stdout.is_empty(), "{stderr}");
    assert!(stderr.contains("up to date with botocore 2016.5.26"), "{stderr}");
    assert_eq!(changed(&before, &tree_state(&root)), Vec::<String>::new());
}

/// A release whose model the generator refuses leaves `models/` and `generated/` as they were.
#[test]
fn a_model_that_does_not_generate_changes_nothing() {
    let root = scratch("fails", true);
    let before = tree_state(&root);
    let mut broken: serde_json::Value = serde_json::from_slice(&history(NEW)).unwrap();
    broken["shapes"]["CopySnapshotMessage"]["members"]["TargetBucket"]["shape"] = "NoSuchShape".into();
    let cases: [(&str, Vec<u8>, &str); 3] = [
        // A dangling reference: the model does not load.
        ("dangling", broken.to_string().into_bytes(), "refers to shape `NoSuchShape`"),
        // A model that loads, but the project's codegen.toml names enum variants for enums it
        // does not have (2016 predates them): the crate cannot be generated.
        ("settings", history(NEW), "`SlaMet` is not an enum shape of the model"),
        ("not-json", b"{\"metadata\": ".to_vec(), "service-2.json"),
    ];
    for (name, model, problem) in cases {
        let path = root.join(format!("{name}.whl"));
        wheel(&path, "2016.5.26", &[(&format!("{DATA}/service-2.json.gz"), gzip(&model))]);
        let (ok, stdout, stderr) = update_model(&root, &["--from", path.to_str().unwrap()]);
        assert!(!ok, "{name}: succeeded:\n{stderr}");
        assert!(stdout.is_empty(), "{name}: {stdout}");
        assert!(stderr.contains("model does not generate; nothing was changed") && stderr.contains(problem), "{name}: {stderr}");
        assert_eq!(changed(&before, &tree_state(&root)), Vec::<String>::new(), "{name}");
        assert_eq!(std::fs::read_dir(root.join("target/update-model")).unwrap().count(), 0, "{name}: staging left behind");
    }
    // A release without the service, and an archive that is not one.
    let path = root.join("other.whl");
    wheel(&path, "2016.5.26", &[("botocore/data/sqs/2012-11-05/service-2.json", history(NEW))]);
    let (ok, _, stderr) = update_model(&root, &["--from", path.to_str().unwrap()]);
    assert!(!ok && stderr.contains("botocore 2016.5.26 has no service `elasticache`"), "{stderr}");
    let path = root.join("truncated.whl");
    std::fs::write(&path, b"PK\x03\x04 not a whole archive").unwrap();
    let (ok, _, stderr) = update_model(&root, &["--from", path.to_str().unwrap()]);
    assert!(!ok && stderr.contains("truncated.whl: not a zip archive"), "{stderr}");
    assert_eq!(changed(&before, &tree_state(&root)), Vec::<String>::new());
}

/// `--dry-run` prints the entry and the summary, and writes nothing.
#[test]
fn dry_run_writes_nothing() {
    let root = scratch("dry-run", false);
    // A release as a folder (an unpacked source distribution: data, tests, PKG-INFO).
    let release = root.join("botocore-2016.5.26");
    std::fs::create_dir_all(release.join(DATA)).unwrap();
    std::fs::write(release.join(DATA).join("service-2.json"), history(NEW)).unwrap();
    std::fs::create_dir_all(release.join("tests/functional/endpoint-rules/elasticache")).unwrap();
    let tests = std::fs::read(repo().join("models/elasticache/endpoint-tests-1.json")).unwrap();
    std::fs::write(release.join("tests/functional/endpoint-rules/elasticache/endpoint-tests-1.json"), &tests).unwrap();
    std::fs::write(release.join("PKG-INFO"), "Metadata-Version: 2.1\nName: botocore\nVersion: 2016.5.26\n").unwrap();
    let before = tree_state(&root);
    let (ok, stdout, stderr) = update_model(&root, &["elasticache", "--dry-run", "--from", release.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(stdout.starts_with("## 0.2.0 (2026-11-27)\n\nModel: botocore 2016.5.26, `botocore/data/elasticache/2015-02-02/`."), "{stdout}");
    assert!(stderr.contains("version 0.1.0 -> 0.2.0") && stderr.contains("dry run: nothing written"), "{stderr}");
    assert!(stderr.contains("endpoint-tests-1.json (unchanged)") || stderr.contains("1 unchanged"), "{stderr}");
    assert_eq!(changed(&before, &tree_state(&root)), Vec::<String>::new());
    assert_eq!(std::fs::read_dir(root.join("target/update-model")).unwrap().count(), 0);
}
