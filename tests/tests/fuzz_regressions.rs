//! Every input the fuzzers kept (`fuzz/corpus/<target>/`) and every crash, hang or leak
//! they found (`fuzz/artifacts/<target>/`) replayed through the same target bodies, so a
//! finding stays fixed after the fuzzer is gone. A panic fails the test and names the file.

use project_tests::repo;
use std::path::{Path, PathBuf};

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

#[test]
fn corpora_and_findings_replay_without_panics() {
    let fuzz = repo().join("fuzz");
    let mut summary = Vec::new();
    for (name, target) in fuzz_targets::TARGETS {
        let corpus = inputs(&fuzz.join("corpus").join(name));
        let findings = inputs(&fuzz.join("artifacts").join(name));
        assert!(!corpus.is_empty(), "fuzz/corpus/{name}/ is empty: the fuzzer's corpus belongs in the repository");
        for file in corpus.iter().chain(&findings) {
            let data = std::fs::read(file).expect("read a corpus file");
            let shown = file.strip_prefix(&fuzz).unwrap_or(file).display().to_string();
            if std::panic::catch_unwind(|| target(&data)).is_err() {
                panic!("fuzz target {name} panics on {shown}");
            }
        }
        summary.push(format!("{name}: {} corpus, {} findings", corpus.len(), findings.len()));
    }
    project_tests::summary(&format!("fuzz regressions: {}", summary.join("; ")));
}
