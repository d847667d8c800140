//! The module layers of the runtime, the codegen and xtask (`xtask/src/layers.rs`, where the
//! lists are): no module imports one of a higher layer, and no modules import each other,
//! directly or through others. `cargo xtask layers` prints the same check.

use project_tests::repo;
use xtask::layers::{self, Layers};

fn check(crate_layers: &Layers) {
    match layers::check(&repo(), crate_layers) {
        Ok(graph) => {
            // Every module of the crate was read and placed (an empty graph would pass anything).
            assert!(graph.len() > 5, "{}: only {} modules read", crate_layers.dir, graph.len());
            let placed: Vec<&str> = crate_layers.layers.iter().flat_map(|(_, ms)| ms.iter().copied()).collect();
            for module in graph.keys() {
                assert!(placed.contains(&module.as_str()), "{}: {module} is in no layer", crate_layers.dir);
            }
        }
        Err(problems) => {
            let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
            panic!("{}: the layers are broken:\n{}", crate_layers.dir, list.join("\n"));
        }
    }
}

#[test]
fn the_runtime_imports_only_downwards() {
    check(&layers::RUNTIME);
}

#[test]
fn the_codegen_imports_only_downwards() {
    check(&layers::CODEGEN);
}

#[test]
fn xtask_imports_only_downwards() {
    check(&layers::XTASK);
}

/// The check reads the real sources: the runtime's client imports its configuration, and the
/// configuration does not import the client.
#[test]
fn the_graph_is_the_code() {
    let graph = layers::read_graph(&repo().join("runtime/src")).unwrap();
    assert!(graph["client"].contains_key("config"), "{:?}", graph["client"]);
    assert!(!graph["config"].contains_key("client"), "{:?}", graph["config"]);
    // An import from a higher layer, added to a copy of the graph, is found.
    let mut reversed = graph.clone();
    reversed.get_mut("time").unwrap().insert("client".to_owned(), "runtime/src/time.rs".to_owned());
    let problems = layers::problems(&reversed, &layers::RUNTIME);
    assert!(problems.iter().any(|p| p.to_string().contains("`time` (primitives) imports `client`")), "{problems:?}");
}
