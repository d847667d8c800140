//! The snapshot crate (`tests/snapshot/`): the generator's whole output for a tiny
//! hand-written model of naming and shape edge cases (`tests/data/snapshot/`), checked in so
//! that a change to the codegen shows up as a reviewable diff of real code, and compiled as a
//! workspace member so that the diff is known to build. `tests/tests/snapshot.rs` uses it.

use codegen::{FileMap, Layout, RuntimeDep, ServiceConfig};
use std::path::Path;

/// The model, relative to the repository root.
pub const MODEL: &str = "tests/data/snapshot/service-2.json";

/// Folder of the generated crate, relative to the repository root.
pub const OUT: &str = "tests/snapshot";

/// Generates the crate's files.
pub fn generate(root: &Path) -> Result<FileMap, String> {
    let config = ServiceConfig {
        model: root.join(MODEL),
        crate_name: "snapshot-service".to_owned(),
        version: "0.0.0".to_owned(),
        description: Some("The generator's output for tests/data/snapshot/, checked in as a snapshot".to_owned()),
        allow: Vec::new(),
        runtime: RuntimeDep::Path("../../runtime".to_owned()),
    };
    let layout = Layout { runtime_dep: "{ path = \"../../runtime\" }".to_owned(), credentials_dep: None, sync: None, standalone: false };
    let generated = codegen::generate(&config, &layout, MODEL).map_err(|e| e.to_string())?;
    Ok(generated.files)
}
