//! A botocore release, as `cargo xtask update-model` needs it: the version, and for each
//! service its model files (`botocore/data/<service>/<api-version>/`, gzipped ones
//! decompressed) and endpoint tests (`tests/functional/endpoint-rules/<service>/`, only in
//! the source distribution).
//!
//! From a version (`pip download` of the wheel and the source distribution into the
//! project's virtualenv cache, `.venv/downloads/`) or from local files: wheels, source
//! distributions and unpacked folders, which may be combined.

use crate::archive::{self, Entry};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The endpoint tests' file name; botocore keeps it with its functional tests.
pub const ENDPOINT_TESTS: &str = "endpoint-tests-1.json";

/// What a release has for one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFiles {
    /// The API version folder the files come from (the newest, as botocore loads).
    pub api_version: String,
    /// File name (`service-2.json`, ...) → bytes, decompressed.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// A botocore release, read for some services.
#[derive(Debug)]
pub struct Release {
    pub version: String,
    /// Where it was read from: file or folder names.
    pub origins: Vec<String>,
    /// Service name (botocore's data folder) → its files. Services the release does not
    /// have are absent.
    pub services: BTreeMap<String, ServiceFiles>,
    /// Whether any source carried the functional tests (a source distribution or checkout):
    /// without them, no service has endpoint tests.
    pub has_tests: bool,
}

/// Downloads botocore `version` (the newest release when `None`) with pip into the cache,
/// unless it is there already; returns the wheel and the source distribution.
pub fn fetch(root: &Path, version: Option<&str>) -> Result<Vec<PathBuf>, String> {
    let requirement = match version {
        Some(v) => format!("botocore=={v}"),
        None => "botocore".to_owned(),
    };
    let cache = root.join(".venv/downloads");
    let mut found = Vec::new();
    for (kind, format, suffix) in [("wheel", "--only-binary", ".whl"), ("source distribution", "--no-binary", ".tar.gz")] {
        let name = |v: &str| if suffix == ".whl" { format!("botocore-{v}-py3-none-any.whl") } else { format!("botocore-{v}.tar.gz") };
        if let Some(path) = version.map(|v| cache.join(name(v))).filter(|p| p.is_file()) {
            found.push(path);
            continue;
        }
        // A folder of its own, so that what pip saved is the one file in it.
        let incoming = cache.join(format!("incoming-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&incoming);
        std::fs::create_dir_all(&incoming).map_err(|e| format!("error: {}: {e}", incoming.display()))?;
        eprintln!("==> pip download {requirement} ({kind}) into {}", cache.display());
        let status = pip(root)
            .args(["download", "--quiet", "--disable-pip-version-check", "--no-deps", format, ":all:", "-d"])
            .arg(&incoming)
            .arg(&requirement)
            .status()
            .map_err(|e| format!("error: cannot run pip: {e}"))?;
        let saved: Vec<PathBuf> = std::fs::read_dir(&incoming)
            .map(|e| e.flatten().map(|e| e.path()).filter(|p| p.to_string_lossy().ends_with(suffix)).collect())
            .unwrap_or_default();
        let moved = match (status.success(), saved.as_slice()) {
            (true, [one]) => {
                let to = cache.join(one.file_name().unwrap_or_default());
                match std::fs::rename(one, &to) {
                    Ok(()) => Ok(to),
                    Err(e) => Err(format!("error: {}: {e}", to.display())),
                }
            }
            (true, _) => Err(format!("error: pip saved {} files for {requirement} ({kind}), expected one", saved.len())),
            (false, _) => Err(format!("error: pip could not download {requirement} ({kind}): {status}")),
        };
        let _ = std::fs::remove_dir_all(&incoming);
        found.push(moved?);
    }
    Ok(found)
}

/// The project's pip (`.venv/`, made by `cargo xtask test`), else the system Python's.
fn pip(root: &Path) -> Command {
    let venv_pip = root.join(".venv/bin/pip");
    if venv_pip.is_file() {
        Command::new(venv_pip)
    } else {
        let mut cmd = Command::new(std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()));
        cmd.args(["-m", "pip"]);
        cmd
    }
}

/// Reads `services` from the given wheels, source distributions and folders.
pub fn read(sources: &[PathBuf], services: &[String]) -> Result<Release, String> {
    let want = |path: &str| wanted(path, services);
    let mut entries: Vec<Entry> = Vec::new();
    let mut origins = Vec::new();
    let mut has_tests = false;
    let mut versions: Vec<(String, String)> = Vec::new();
    for source in sources {
        let shown = source.display().to_string();
        let name = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let found = if source.is_dir() {
            archive::folder_entries(source, &want)
        } else if name.ends_with(".whl") || name.ends_with(".zip") {
            std::fs::read(source).map_err(|e| format!("cannot read: {e}")).and_then(|b| archive::zip_entries(&b, &want))
        } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
            archive::tar_gz_entries(source, &want)
        } else {
            Err("not a wheel (.whl), a source distribution (.tar.gz) or a folder".to_owned())
        }
        .map_err(|e| format!("error: {shown}: {e}"))?;
        let version = version_of(&found).ok_or_else(|| {
            format!("error: {shown}: no botocore version found (*.dist-info/METADATA, PKG-INFO or botocore/__init__.py)")
        })?;
        // Source distributions and checkouts carry botocore's functional tests; wheels do not.
        let sdist = name.ends_with(".tar.gz") || name.ends_with(".tgz");
        has_tests |= sdist || source.join("tests/functional").is_dir();
        versions.push((shown.clone(), version));
        origins.push(name);
        entries.extend(found);
    }
    let Some((_, version)) = versions.first().cloned() else { return Err("error: no botocore source given".to_owned()) };
    if let Some((other, v)) = versions.iter().find(|(_, v)| *v != version) {
        return Err(format!("error: {other} is botocore {v}, {} is {version}: give one release", versions[0].0));
    }
    let mut services_found = BTreeMap::new();
    for service in services {
        if let Some(files) = service_files(&entries, service)? {
            services_found.insert(service.clone(), files);
        }
    }
    Ok(Release { version, origins, services: services_found, has_tests })
}

/// The names of the services in the given sources (botocore's data folders holding a
/// `service-2.json`), sorted.
pub fn service_names(sources: &[PathBuf]) -> Result<Vec<String>, String> {
    let want = |path: &str| {
        let Some(rest) = path.strip_prefix("botocore/data/") else { return "botocore/data/".starts_with(path) };
        // `<service>/`, `<service>/<version>/` and `<service>/<version>/service-2.json[.gz]`.
        let parts: Vec<&str> = rest.split('/').collect();
        match parts.as_slice() {
            [_] | [_, ""] | [_, _, ""] => true,
            [_, _, file] => *file == "service-2.json" || *file == "service-2.json.gz",
            _ => false,
        }
    };
    let mut names = std::collections::BTreeSet::new();
    for source in sources {
        let shown = source.display().to_string();
        let name = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let found = if source.is_dir() {
            archive::folder_entries(source, &want)
        } else if name.ends_with(".whl") || name.ends_with(".zip") {
            std::fs::read(source).map_err(|e| format!("cannot read: {e}")).and_then(|b| archive::zip_entries(&b, &want))
        } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
            archive::tar_gz_entries(source, &want)
        } else {
            Err("not a wheel (.whl), a source distribution (.tar.gz) or a folder".to_owned())
        }
        .map_err(|e| format!("error: {shown}: {e}"))?;
        for (path, _) in found {
            if let Some(service) = path.strip_prefix("botocore/data/").and_then(|r| r.split('/').next()) {
                names.insert(service.to_owned());
            }
        }
    }
    Ok(names.into_iter().collect())
}

/// The paths `read` keeps: what names the version, the services' data and endpoint tests,
/// and the folders on the way to them (a folder path ends with `/`; it is walked into only
/// if wanted).
fn wanted(path: &str, services: &[String]) -> bool {
    // A wheel's `botocore-<version>.dist-info/METADATA`, a source distribution's `PKG-INFO`,
    // a checkout's `botocore/__init__.py`.
    let dist_info = path.split_once('/').is_some_and(|(dir, rest)| dir.ends_with(".dist-info") && (rest.is_empty() || rest == "METADATA"));
    if dist_info || path == "PKG-INFO" || path == "botocore/__init__.py" {
        return true;
    }
    if "botocore/data/".starts_with(path) || "tests/functional/endpoint-rules/".starts_with(path) {
        return true;
    }
    services.iter().any(|s| {
        let tests = format!("tests/functional/endpoint-rules/{s}/");
        // `botocore/data/<service>/`, its API version folders and their files.
        let data = path.strip_prefix(&format!("botocore/data/{s}/")).is_some_and(|rest| rest.matches('/').count() <= 1);
        data || path == tests || path == format!("{tests}{ENDPOINT_TESTS}")
    })
}

/// The version named by a wheel's METADATA, a source distribution's PKG-INFO or botocore's
/// `__init__.py`.
fn version_of(entries: &[Entry]) -> Option<String> {
    entries.iter().find_map(|(path, bytes)| {
        let text = std::str::from_utf8(bytes).ok()?;
        if path.ends_with("METADATA") || path == "PKG-INFO" {
            text.lines().find_map(|l| l.strip_prefix("Version:")).map(|v| v.trim().to_owned())
        } else {
            let line = text.lines().find(|l| l.starts_with("__version__"))?;
            let value = line.split_once('=')?.1.trim();
            Some(value.trim_matches(|c| c == '\'' || c == '"').to_owned())
        }
    })
}

/// One service's files: the newest API version folder's `*.json` and `*.json.gz` (the latter
/// decompressed), and its endpoint tests. `None` when the release has no such service.
fn service_files(entries: &[Entry], service: &str) -> Result<Option<ServiceFiles>, String> {
    let data = format!("botocore/data/{service}/");
    let mut by_version: BTreeMap<&str, Vec<(&str, &[u8])>> = BTreeMap::new();
    for (path, bytes) in entries {
        let Some(rest) = path.strip_prefix(&data) else { continue };
        if let Some((api_version, file)) = rest.split_once('/') {
            by_version.entry(api_version).or_default().push((file, bytes));
        }
    }
    // API versions are dates: the newest sorts last.
    let Some((api_version, listed)) = by_version.into_iter().next_back() else { return Ok(None) };
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (file, bytes) in listed {
        let (name, content) = match file.strip_suffix(".gz") {
            Some(name) => (name, archive::gunzip(bytes, &format!("{data}{api_version}/{file}"))?),
            None => (file, bytes.to_vec()),
        };
        if !name.ends_with(".json") {
            continue;
        }
        // A wheel has `service-2.json.gz` where a source distribution has `service-2.json`.
        match files.get(name) {
            Some(seen) if *seen != content => {
                return Err(format!("error: {data}{api_version}/{name} differs between the given sources"));
            }
            _ => {
                files.insert(name.to_owned(), content);
            }
        }
    }
    let tests = format!("tests/functional/endpoint-rules/{service}/{ENDPOINT_TESTS}");
    if let Some((_, bytes)) = entries.iter().find(|(p, _)| *p == tests) {
        files.insert(ENDPOINT_TESTS.to_owned(), bytes.clone());
    }
    Ok(Some(ServiceFiles { api_version: api_version.to_owned(), files }))
}

/// Whether `name` is a file botocore provides for a service (as opposed to the project's own
/// `codegen.toml` and `SOURCE.md`): what an update replaces or removes in `models/<service>/`.
pub fn is_botocore_file(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".json") else { return false };
    // `service-2`, `paginators-1`, `endpoint-tests-1`, ...: a name and a format version.
    stem.rsplit_once('-').is_some_and(|(kind, n)| !kind.is_empty() && !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}
