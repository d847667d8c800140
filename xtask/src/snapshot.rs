//! The snapshot crate (`tests/snapshot/`): the generator's whole output for a tiny
//! hand-written model of naming and shape edge cases (`tests/data/snapshot/`), checked in so
//! that a change to the codegen shows up as a reviewable diff of real code, and compiled as a
//! workspace member so that the diff is known to build. `tests/tests/snapshot.rs` uses it.

use codegen::{FileMap, RuntimeDep, Settings, Sources};
use std::path::Path;

/// The model, relative to the repository root.
pub const MODEL: &str = "tests/data/snapshot/service-2.json";

/// Folder of the generated crate, relative to the repository root.
pub const OUT: &str = "tests/snapshot";

/// The crate's settings: operation features on, so that the snapshot shows what they gate.
fn settings() -> Settings {
    Settings {
        version: "0.0.0".to_owned(),
        description: Some("The generator's output for tests/data/snapshot/, checked in as a snapshot".to_owned()),
        standalone: false,
        publish: false,
        operation_features: true,
        ..Settings::new("snapshot-service", RuntimeDep::Path("../../runtime".to_owned()))
    }
}

fn sources(root: &Path) -> Result<Sources, String> {
    Sources::read(&root.join(MODEL), MODEL).map_err(|e| codegen::Error::Model(e).to_string())
}

/// Generates the crate's files.
pub fn generate(root: &Path) -> Result<FileMap, String> {
    let generated = codegen::generate(&sources(root)?, &settings()).map_err(|e| e.to_string())?;
    Ok(generated.files)
}

/// The crate's IR (`cargo xtask check-features` builds each of its operation features).
pub fn ir(root: &Path) -> Result<codegen::ir::Service, String> {
    codegen::ir::build(&sources(root)?, &settings()).map(|(svc, _)| svc).map_err(|e| codegen::Error::Model(e).to_string())
}
