//! Malformed models: generation fails with the file, the exact JSON path and what is wrong,
//! reports every problem of a run (not just the first), and never panics or hangs.
//!
//! Each case takes a tiny valid model folder ([`Folder::valid`]: `service-2.json` and its
//! companion files), breaks it one way, and lists every problem it must produce. The same
//! errors through `cargo xtask regenerate --model` are checked in `xtask/tests/bad_models.rs`.

use codegen::model::{load_service, parse_service, ModelError};
use codegen::{Error, RuntimeDep, Settings, Sources};
use project_tests::scratch;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// A model folder: the service model and its companion files, as text.
struct Folder {
    files: Vec<(&'static str, String)>,
}

impl Folder {
    /// A small model every case breaks one way; it generates without a problem.
    fn valid() -> Folder {
        let mut f = Folder { files: Vec::new() };
        f.set_json("service-2.json", service());
        f.set_json("paginators-1.json", paginators());
        f.set_json("waiters-2.json", waiters());
        f.set_json("endpoint-rule-set-1.json", endpoint_rules());
        f.set_json("examples-1.json", examples());
        f
    }

    fn set(&mut self, name: &'static str, text: String) {
        self.files.retain(|(n, _)| *n != name);
        self.files.push((name, text));
    }

    fn set_json(&mut self, name: &'static str, value: Value) {
        self.set(name, serde_json::to_string_pretty(&value).expect("JSON value prints"));
    }

    /// Edits the JSON of file `name`.
    fn edit(&mut self, name: &'static str, change: impl FnOnce(&mut Value)) {
        let text = &self.files.iter().find(|(n, _)| *n == name).expect("file of the folder").1;
        let mut value: Value = serde_json::from_str(text).expect("the valid folder is JSON");
        change(&mut value);
        self.set_json(name, value);
    }

    fn service(&mut self, change: impl FnOnce(&mut Value)) {
        self.edit("service-2.json", change);
    }

    /// Writes the folder under `target/` and generates; the folder's path is returned too.
    fn generate(&self, name: &str) -> (PathBuf, Result<codegen::Generated, Error>) {
        let dir = scratch(&format!("model-errors/{name}"));
        for (file, text) in &self.files {
            std::fs::write(dir.join(file), text).expect("write model file");
        }
        let model = dir.join("service-2.json");
        let settings = Settings::new("tiny", RuntimeDep::Path("../runtime".to_owned()));
        let result = Sources::read(&model, &model.to_string_lossy())
            .map_err(Error::Model)
            .and_then(|sources| codegen::generate(&sources, &settings));
        (dir, result)
    }
}

fn service() -> Value {
    json!({
        "version": "2.0",
        "metadata": {
            "apiVersion": "2020-01-01", "endpointPrefix": "tiny", "protocol": "query", "serviceId": "Tiny",
            "signatureVersion": "v4", "xmlNamespace": "http://tiny.example.com/doc/2020-01-01/"
        },
        "operations": {
            "ListThings": {
                "name": "ListThings", "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "ListThingsMessage"},
                "output": {"shape": "ListThingsResult", "resultWrapper": "ListThingsResult"},
                "errors": [{"shape": "ThingNotFoundFault"}]
            }
        },
        "shapes": {
            "ListThingsMessage": {"type": "structure", "required": ["Name"], "members": {
                "Name": {"shape": "String"}, "Marker": {"shape": "String"}, "MaxRecords": {"shape": "Integer"}}},
            "ListThingsResult": {"type": "structure", "members": {
                "Marker": {"shape": "String"}, "Things": {"shape": "ThingList"}}},
            "ThingList": {"type": "list", "member": {"shape": "Thing", "locationName": "Thing"}},
            "Thing": {"type": "structure", "members": {
                "Name": {"shape": "String"}, "Status": {"shape": "Status"}, "Tags": {"shape": "TagMap"}}},
            "Status": {"type": "string", "enum": ["ready", "in-use"]},
            "TagMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}},
            "ThingNotFoundFault": {"type": "structure", "members": {"message": {"shape": "String"}},
                "error": {"code": "ThingNotFound", "httpStatusCode": 404, "senderFault": true}, "exception": true},
            "String": {"type": "string"},
            "Integer": {"type": "integer"}
        }
    })
}

fn paginators() -> Value {
    json!({"pagination": {"ListThings": {
        "input_token": "Marker", "output_token": "Marker", "limit_key": "MaxRecords", "result_key": "Things"}}})
}

fn waiters() -> Value {
    json!({"version": 2, "waiters": {"ThingReady": {
        "operation": "ListThings", "delay": 5, "maxAttempts": 10,
        "acceptors": [
            {"matcher": "pathAll", "state": "success", "argument": "Things[].Status", "expected": "ready"},
            {"matcher": "error", "state": "failure", "expected": "ThingNotFound"}
        ]}}})
}

fn endpoint_rules() -> Value {
    json!({
        "version": "1.0",
        "parameters": {"Region": {"builtIn": "AWS::Region", "required": false, "type": "string"}},
        "rules": [
            {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
             "endpoint": {"url": "https://tiny.{Region}.amazonaws.com"}},
            {"type": "error", "conditions": [], "error": "Invalid Configuration: Missing Region"}
        ]
    })
}

fn examples() -> Value {
    json!({"examples": {"ListThings": [{"title": "List", "input": {"Name": "a"}, "output": {}}]}})
}

/// One way to break the model, and every problem it must produce.
struct Case {
    name: &'static str,
    breakage: fn(&mut Folder),
    /// `(file, JSON path, part of the message)`, in any order; nothing else may be reported.
    problems: &'static [(&'static str, &'static str, &'static str)],
}

const SERVICE: &str = "service-2.json";
const PAGINATORS: &str = "paginators-1.json";
const WAITERS: &str = "waiters-2.json";
const RULES: &str = "endpoint-rule-set-1.json";

fn service_cases() -> Vec<Case> {
    vec![
        Case {
            name: "invalid JSON: a trailing comma",
            breakage: |f| f.set(SERVICE, "{\n  \"metadata\": {\"protocol\": \"query\"},\n  \"shapes\": {\"A\": {\"type\": \"string\",}}\n}".into()),
            problems: &[(SERVICE, "", "not valid JSON: trailing comma at line 3 column 37")],
        },
        Case {
            name: "invalid JSON: cut short",
            breakage: |f| f.set(SERVICE, "{\n  \"metadata\": {\"protocol\": \"query\"},\n  \"shapes\": {\"A\": {\"type\": \"str".into()),
            problems: &[(SERVICE, "", "not valid JSON: EOF while parsing a string at line 3 column 31")],
        },
        Case {
            name: "`required` is a string, not a list",
            breakage: |f| f.service(|m| m["shapes"]["ListThingsMessage"]["required"] = json!("x")),
            problems: &[(SERVICE, "shapes.ListThingsMessage.required", "invalid type: string \"x\", expected a sequence")],
        },
        Case {
            name: "a shape reference is a number",
            breakage: |f| f.service(|m| m["shapes"]["Thing"]["members"]["Name"]["shape"] = json!(42)),
            problems: &[(SERVICE, "shapes.Thing.members.Name.shape", "invalid type: integer `42`, expected a string")],
        },
        Case {
            name: "metadata without a protocol",
            breakage: |f| f.service(|m| remove(&mut m["metadata"], "protocol")),
            problems: &[(SERVICE, "metadata", "missing field `protocol`")],
        },
        Case {
            name: "no metadata",
            breakage: |f| f.service(|m| remove(m, "metadata")),
            problems: &[(SERVICE, "", "missing field `metadata`")],
        },
        Case {
            // Used to say "data did not match any variant of untagged enum XmlNamespace".
            name: "member xmlNamespace is a number",
            breakage: |f| f.service(|m| m["shapes"]["Thing"]["members"]["Name"]["xmlNamespace"] = json!(5)),
            problems: &[(SERVICE, "shapes.Thing.members.Name.xmlNamespace", "expected a namespace URI or an object with `uri` and `prefix`")],
        },
        Case {
            name: "unknown shape type",
            breakage: |f| f.service(|m| m["shapes"]["Thing"]["type"] = json!("structur")),
            problems: &[(SERVICE, "shapes.Thing.type", "unknown variant `structur`, expected one of `structure`, `list`")],
        },
        Case {
            name: "operation input names no shape",
            breakage: |f| f.service(|m| m["operations"]["ListThings"]["input"]["shape"] = json!("ListThingsRequest")),
            problems: &[(SERVICE, "operations.ListThings.input.shape", "refers to shape `ListThingsRequest`, which the model does not define")],
        },
        Case {
            name: "member names no shape",
            breakage: |f| f.service(|m| m["shapes"]["Thing"]["members"]["Status"]["shape"] = json!("ThingStatus")),
            problems: &[(SERVICE, "shapes.Thing.members.Status.shape", "refers to shape `ThingStatus`, which the model does not define")],
        },
        Case {
            name: "error names no shape",
            breakage: |f| f.service(|m| m["operations"]["ListThings"]["errors"][0]["shape"] = json!("NotFound")),
            problems: &[(SERVICE, "operations.ListThings.errors[0].shape", "refers to shape `NotFound`, which the model does not define")],
        },
        Case {
            name: "list member names no shape",
            breakage: |f| f.service(|m| m["shapes"]["ThingList"]["member"]["shape"] = json!("Thang")),
            problems: &[(SERVICE, "shapes.ThingList.member.shape", "refers to shape `Thang`, which the model does not define")],
        },
        Case {
            name: "list without member",
            breakage: |f| f.service(|m| remove(&mut m["shapes"]["ThingList"], "member")),
            problems: &[(SERVICE, "shapes.ThingList", "a list shape needs a `member`")],
        },
        Case {
            name: "map without key",
            breakage: |f| f.service(|m| remove(&mut m["shapes"]["TagMap"], "key")),
            problems: &[(SERVICE, "shapes.TagMap", "a map shape needs a `key`")],
        },
        Case {
            name: "map keyed by integers",
            breakage: |f| f.service(|m| m["shapes"]["TagMap"]["key"]["shape"] = json!("Integer")),
            problems: &[(SERVICE, "shapes.TagMap.key.shape", "map keys must be strings, not integer")],
        },
        Case {
            name: "operation input is not a structure",
            breakage: |f| f.service(|m| m["operations"]["ListThings"]["input"]["shape"] = json!("String")),
            problems: &[(SERVICE, "operations.ListThings.input.shape", "`String` must be a structure, but it is a string")],
        },
        Case {
            name: "operation output is a list",
            breakage: |f| f.service(|m| m["operations"]["ListThings"]["output"]["shape"] = json!("ThingList")),
            problems: &[(SERVICE, "operations.ListThings.output.shape", "`ThingList` must be a structure, but it is a list")],
        },
        Case {
            name: "required member that does not exist",
            breakage: |f| f.service(|m| m["shapes"]["ListThingsMessage"]["required"] = json!(["Name", "Nmae"])),
            problems: &[(SERVICE, "shapes.ListThingsMessage.required[1]", "`Nmae` is required but is not a member")],
        },
        Case {
            name: "operation keyed and named differently",
            breakage: |f| f.service(|m| m["operations"]["ListThings"]["name"] = json!("ListThing")),
            problems: &[(SERVICE, "operations.ListThings.name", "operation is keyed `ListThings` but named `ListThing`")],
        },
        Case {
            name: "protocol json",
            breakage: |f| f.service(|m| m["metadata"]["protocol"] = json!("json")),
            problems: &[(SERVICE, "metadata.protocol", "protocol `json` is not supported: this generator implements `query` and `ec2`")],
        },
        Case {
            name: "enum on a boolean",
            breakage: |f| {
                f.service(|m| {
                    m["shapes"]["Flag"] = json!({"type": "boolean", "enum": ["true"]});
                    m["shapes"]["Thing"]["members"]["Flag"] = json!({"shape": "Flag"});
                })
            },
            problems: &[(SERVICE, "shapes.Flag.enum", "only string and integer shapes can have `enum`")],
        },
        Case {
            name: "unknown timestamp format",
            breakage: |f| {
                f.service(|m| {
                    m["shapes"]["Stamp"] = json!({"type": "timestamp", "timestampFormat": "iso8601z"});
                    m["shapes"]["Thing"]["members"]["Created"] = json!({"shape": "Stamp"});
                })
            },
            problems: &[(SERVICE, "shapes.Stamp.timestampFormat", "unknown timestamp format `iso8601z`")],
        },
        Case {
            // Used to hang: the IR followed the list into itself forever.
            name: "list that holds itself",
            breakage: |f| {
                f.service(|m| {
                    m["shapes"]["Nested"] = json!({"type": "list", "member": {"shape": "Nested"}});
                    m["shapes"]["Thing"]["members"]["Nested"] = json!({"shape": "Nested"});
                })
            },
            problems: &[(SERVICE, "shapes.Nested", "`Nested` holds itself through lists and maps alone (Nested → Nested)")],
        },
        Case {
            name: "map and list that hold each other",
            breakage: |f| {
                f.service(|m| {
                    m["shapes"]["Outer"] = json!({"type": "map", "key": {"shape": "String"}, "value": {"shape": "Inner"}});
                    m["shapes"]["Inner"] = json!({"type": "list", "member": {"shape": "Outer"}});
                    m["shapes"]["Thing"]["members"]["Outer"] = json!({"shape": "Outer"});
                })
            },
            problems: &[
                (SERVICE, "shapes.Inner", "(Inner → Outer → Inner): a recursive shape needs a structure in its cycle"),
                (SERVICE, "shapes.Outer", "(Outer → Inner → Outer): a recursive shape needs a structure in its cycle"),
            ],
        },
        Case {
            // Used to panic in the emitter (`"1thing" is not a valid Ident`).
            name: "shape name starting with a digit",
            breakage: |f| {
                f.service(|m| {
                    let thing = take(&mut m["shapes"], "Thing");
                    m["shapes"]["1Thing"] = thing;
                    m["shapes"]["ThingList"]["member"]["shape"] = json!("1Thing");
                })
            },
            problems: &[(SERVICE, "shapes.1Thing", "shape name `1Thing` makes no Rust type name (`1Thing`)")],
        },
        Case {
            // Used to panic in the emitter too.
            name: "operation name starting with a digit",
            breakage: |f| {
                f.service(|m| {
                    let op = take(&mut m["operations"], "ListThings");
                    m["operations"]["2ListThings"] = op;
                    m["operations"]["2ListThings"]["name"] = json!("2ListThings");
                })
            },
            problems: &[(SERVICE, "operations.2ListThings", "operation name `2ListThings` makes no Rust type name")],
        },
        Case {
            name: "error that is not an exception",
            breakage: |f| f.service(|m| m["operations"]["ListThings"]["errors"][0]["shape"] = json!("Thing")),
            problems: &[(SERVICE, "operations.ListThings.errors[0].shape", "`Thing` is not an exception shape")],
        },
    ]
}

fn companion_cases() -> Vec<Case> {
    vec![
        Case {
            // Used to be ignored: the paginator was silently left out.
            name: "paginator of an unknown operation",
            breakage: |f| f.set_json(PAGINATORS, json!({"pagination": {"ListThangs": paginators()["pagination"]["ListThings"]}})),
            problems: &[(PAGINATORS, "pagination.ListThangs", "`ListThangs` is not an operation of the model")],
        },
        Case {
            name: "paginator result key that is not a member",
            breakage: |f| f.edit(PAGINATORS, |p| p["pagination"]["ListThings"]["result_key"] = json!("Thingz")),
            problems: &[(PAGINATORS, "pagination.ListThings.result_key", "`Thingz` is not a member of `ListThingsOutput`")],
        },
        Case {
            name: "paginator result key through an index",
            breakage: |f| f.edit(PAGINATORS, |p| p["pagination"]["ListThings"]["result_key"] = json!("Things[0]")),
            problems: &[(PAGINATORS, "pagination.ListThings.result_key", "`Things[0]`: an index is supported in `output_token` only")],
        },
        Case {
            name: "paginator token through a list",
            breakage: |f| f.edit(PAGINATORS, |p| p["pagination"]["ListThings"]["output_token"] = json!("Things.Name")),
            problems: &[(PAGINATORS, "pagination.ListThings.output_token", "`Things.Name`: `Things` is not a structure")],
        },
        Case {
            // Used to say "data did not match any variant of untagged enum OneOrMany".
            name: "paginator token that is a number",
            breakage: |f| f.edit(PAGINATORS, |p| p["pagination"]["ListThings"]["input_token"] = json!(5)),
            problems: &[(PAGINATORS, "pagination.ListThings.input_token", "expected a member path or a list of member paths")],
        },
        Case {
            // Used to give the path where the parser stopped (`pagination.?`).
            name: "paginators that are not JSON",
            breakage: |f| f.set(PAGINATORS, "{\"pagination\": {,}}".into()),
            problems: &[(PAGINATORS, "", "not valid JSON: key must be a string at line 1 column 17")],
        },
        Case {
            // The path used to stop at the acceptor (`acceptors[0]`).
            name: "waiter argument that does not parse",
            breakage: |f| f.edit(WAITERS, |w| w["waiters"]["ThingReady"]["acceptors"][0]["argument"] = json!("Things[].Status ==")),
            problems: &[(WAITERS, "waiters.ThingReady.acceptors[0].argument", "argument `Things[].Status ==` at character 18")],
        },
        Case {
            name: "waiter argument with a slice",
            breakage: |f| f.edit(WAITERS, |w| w["waiters"]["ThingReady"]["acceptors"][0]["argument"] = json!("Things[0:2].Status")),
            problems: &[(WAITERS, "waiters.ThingReady.acceptors[0].argument", "a slice `[…:…]` is not supported")],
        },
        Case {
            name: "waiter value projection over a structure",
            breakage: |f| f.edit(WAITERS, |w| w["waiters"]["ThingReady"]["acceptors"][0]["argument"] = json!("Things[0].*")),
            problems: &[(WAITERS, "waiters.ThingReady.acceptors[0].argument", "a value projection `*` applies to a map")],
        },
        Case {
            name: "waiter argument naming no member",
            breakage: |f| f.edit(WAITERS, |w| w["waiters"]["ThingReady"]["acceptors"][0]["argument"] = json!("Things[].Statuz")),
            problems: &[(WAITERS, "waiters.ThingReady.acceptors[0].argument", "argument `Things[].Statuz`: `Statuz` is not a member of `Thing`")],
        },
        Case {
            // Used to be ignored: the waiter was silently left out.
            name: "waiter of an unknown operation",
            breakage: |f| f.edit(WAITERS, |w| w["waiters"]["ThingReady"]["operation"] = json!("ListThangs")),
            problems: &[(WAITERS, "waiters.ThingReady.operation", "`ListThangs` is not an operation of the model")],
        },
        Case {
            name: "waiter with an unknown matcher",
            breakage: |f| f.edit(WAITERS, |w| w["waiters"]["ThingReady"]["acceptors"][1]["matcher"] = json!("errors")),
            problems: &[(WAITERS, "waiters.ThingReady.acceptors[1].matcher", "unknown matcher `errors`")],
        },
        Case {
            name: "waiter without delay",
            breakage: |f| f.edit(WAITERS, |w| remove(&mut w["waiters"]["ThingReady"], "delay")),
            problems: &[(WAITERS, "waiters.ThingReady", "missing field `delay`")],
        },
        Case {
            name: "waiters of another version",
            breakage: |f| f.edit(WAITERS, |w| w["version"] = json!(3)),
            problems: &[(WAITERS, "version", "waiters version 3 is not supported (only 2)")],
        },
        Case {
            name: "endpoint rule with an unknown function",
            breakage: |f| f.edit(RULES, |r| r["rules"][0]["conditions"][0]["fn"] = json!("isSett")),
            problems: &[(RULES, "rules[0].conditions[0].fn", "the rules engine does not implement function `isSett`")],
        },
        Case {
            name: "endpoint rule of an unknown type",
            breakage: |f| f.edit(RULES, |r| r["rules"][1]["type"] = json!("fallback")),
            problems: &[(RULES, "rules[1].type", "unknown variant `fallback`, expected one of `endpoint`, `error`, `tree`")],
        },
    ]
}

/// Takes `key` out of the object `v`.
fn take(v: &mut Value, key: &str) -> Value {
    v.as_object_mut().and_then(|o| o.shift_remove(key)).expect("the key is there to take")
}

fn remove(v: &mut Value, key: &str) {
    take(v, key);
}

/// Problems of a generation result, or a note that there were none.
fn model_problems(result: Result<codegen::Generated, Error>) -> Result<Vec<ModelError>, String> {
    match result {
        Err(Error::Model(problems)) => Ok(problems),
        Err(other) => Err(format!("not a model error: {other}")),
        Ok(_) => Err("generated without a problem".to_owned()),
    }
}

/// What is wrong with the problems `case` produced, if anything.
fn check(case: &Case) -> Option<String> {
    let mut folder = Folder::valid();
    (case.breakage)(&mut folder);
    let (dir, result) = folder.generate(&case.name.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    let found = match model_problems(result) {
        Ok(found) => found,
        Err(e) => return Some(e),
    };
    let matches = |(file, path, message): &(&str, &str, &str), p: &ModelError| {
        p.file == dir.join(file) && p.path == *path && p.message.contains(message)
    };
    let missing: Vec<_> = case.problems.iter().filter(|e| !found.iter().any(|p| matches(e, p))).collect();
    if missing.is_empty() && found.len() == case.problems.len() {
        return None;
    }
    let found: Vec<String> = found.iter().map(|p| format!("    {p}")).collect();
    Some(format!("expected {:?}\n  found:\n{}", case.problems, found.join("\n")))
}

fn run(cases: Vec<Case>) {
    let failures: Vec<String> = cases.iter().filter_map(|c| check(c).map(|why| format!("{}: {why}", c.name))).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn the_valid_folder_generates() {
    let (_, result) = Folder::valid().generate("valid");
    let generated = result.unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    for file in ["src/operation/list_things/paginator.rs", "src/waiters.rs", "src/endpoint.rs"] {
        assert!(generated.files.contains_key(file), "{file} is generated");
    }
}

#[test]
fn service_model_problems() {
    run(service_cases());
}

#[test]
fn companion_file_problems() {
    run(companion_cases());
}

#[test]
fn every_problem_of_a_model_is_reported() {
    let mut folder = Folder::valid();
    folder.service(|m| {
        m["metadata"]["protocol"] = json!("json");
        m["shapes"]["Thing"]["members"]["Status"]["shape"] = json!("ThingStatus");
        remove(&mut m["shapes"]["TagMap"], "value");
        m["shapes"]["ListThingsMessage"]["required"] = json!(["Nmae"]);
    });
    let (dir, result) = folder.generate("several-service");
    let found = model_problems(result).expect("the model is refused");
    let paths: Vec<(&Path, &str)> = found.iter().map(|p| (p.file.as_path(), p.path.as_str())).collect();
    let service = dir.join(SERVICE);
    let expected = [
        "metadata.protocol",
        "shapes.ListThingsMessage.required[0]",
        "shapes.TagMap",
        "shapes.Thing.members.Status.shape",
    ];
    assert_eq!(paths, expected.map(|p| (service.as_path(), p)), "{found:#?}");
}

#[test]
fn every_problem_of_the_companion_files_is_reported() {
    // Each file is checked even when one before it failed.
    let mut folder = Folder::valid();
    folder.edit(RULES, |r| r["rules"][0]["conditions"][0]["fn"] = json!("isSett"));
    folder.edit(PAGINATORS, |p| p["pagination"]["ListThings"]["result_key"] = json!("Thingz"));
    folder.edit(PAGINATORS, |p| p["pagination"]["ListThings"]["limit_key"] = json!("Marker"));
    folder.edit(WAITERS, |w| w["waiters"]["ThingReady"]["operation"] = json!("ListThangs"));
    let (dir, result) = folder.generate("several-companions");
    let found = model_problems(result).expect("the model is refused");
    let paths: Vec<(PathBuf, &str)> = found.iter().map(|p| (p.file.clone(), p.path.as_str())).collect();
    let expected = [
        (RULES, "rules[0].conditions[0].fn"),
        (PAGINATORS, "pagination.ListThings.limit_key"),
        (PAGINATORS, "pagination.ListThings.result_key"),
        (WAITERS, "waiters.ThingReady.operation"),
    ];
    assert_eq!(paths, expected.map(|(f, p)| (dir.join(f), p)), "{found:#?}");
}

#[test]
fn unknown_keys_are_tolerated() {
    // botocore adds keys over time; a model with keys this generator does not know still
    // generates, at every level.
    let mut folder = Folder::valid();
    folder.service(|m| {
        m["newTopLevel"] = json!({"a": 1});
        m["metadata"]["newMetadata"] = json!([1, 2]);
        m["operations"]["ListThings"]["newOperationKey"] = json!({"x": true});
        m["operations"]["ListThings"]["input"]["newRefKey"] = json!("x");
        m["shapes"]["Thing"]["newShapeKey"] = json!(null);
        m["shapes"]["Thing"]["members"]["Name"]["newMemberKey"] = json!(3);
        m["shapes"]["ThingNotFoundFault"]["error"]["newErrorKey"] = json!("x");
    });
    folder.edit(PAGINATORS, |p| p["pagination"]["ListThings"]["newPaginatorKey"] = json!(1));
    folder.edit(WAITERS, |w| w["waiters"]["ThingReady"]["acceptors"][0]["newAcceptorKey"] = json!(1));
    folder.edit(RULES, |r| r["parameters"]["Region"]["newParameterKey"] = json!(1));
    folder.edit("examples-1.json", |e| e["examples"]["ListThings"][0]["comments"] = json!({"input": {}}));
    let (_, result) = folder.generate("unknown-keys");
    if let Err(e) = result {
        panic!("unknown keys refused:\n{e}");
    }
}

#[test]
fn name_clashes_get_a_suffix_and_a_warning() {
    // Two model names that make one Rust name: the first (in key or member order) keeps it,
    // the next gets the smallest free numeric suffix, and a warning names both. The crate
    // still compiles (the snapshot crate, tests/snapshot/, compiles every such case).
    let mut folder = Folder::valid();
    folder.service(|m| {
        m["shapes"]["thing"] = m["shapes"]["Thing"].clone();
        m["shapes"]["Thing"]["members"]["Other"] = json!({"shape": "thing"});
        m["shapes"]["ListThingsMessage"]["members"]["name"] = json!({"shape": "String"});
        m["operations"]["listThings"] = m["operations"]["ListThings"].clone();
        m["operations"]["listThings"]["name"] = json!("listThings");
        m["shapes"]["Status"]["enum"] = json!(["ready", "in-use", "in_use"]);
    });
    let (dir, result) = folder.generate("clashes");
    let generated = result.unwrap_or_else(|e| panic!("{e}"));
    let service = dir.join(SERVICE);
    let warnings: Vec<(String, String)> = generated
        .warnings
        .iter()
        .map(|w| {
            assert_eq!(w.file, service);
            (w.path.clone(), w.message.clone())
        })
        .collect();
    let taken = |what: &str, old: &str, new: &str| {
        format!("{what} `{old}` is taken by another name of the model; this one is generated as `{new}`")
    };
    assert_eq!(
        warnings,
        [
            ("shapes.thing".to_owned(), taken("type name", "Thing", "Thing2")),
            ("operations.listThings".to_owned(), taken("operation module and method", "list_things", "list_things_2")),
            ("shapes.Status.enum[2]".to_owned(), taken("variant", "InUse", "InUse2")),
            ("shapes.ListThingsMessage.members.name".to_owned(), taken("member", "name", "name_2")),
            ("shapes.ListThingsMessage.members.name".to_owned(), taken("member", "name", "name_2")),
        ]
    );
    let file = |path: &str| generated.files.get(path).unwrap_or_else(|| panic!("{path} not generated"));
    assert!(file("src/types/thing2.rs").contains("pub struct Thing2 {"));
    assert!(file("src/types/status.rs").contains("InUse2,"));
    assert!(file("src/operation/list_things_2.rs").contains("pub use input::ListThingsInput;"));
    assert!(file("src/operation/list_things/input.rs").contains("pub name_2: Option<String>,"));
}

#[test]
fn examples_that_do_not_fit_are_warnings() {
    // Examples are documentation: one that does not fit is left out with a warning.
    let mut folder = Folder::valid();
    folder.set_json("examples-1.json", json!({"examples": {
        "ListThangs": [{"input": {}}],
        "ListThings": [{"input": {"Nmae": "a"}}]
    }}));
    let (dir, result) = folder.generate("examples");
    let generated = result.unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join("examples-1.json").display().to_string();
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            format!("{file}: at examples.ListThangs: `ListThangs` is not an operation of the model; its examples are left out"),
            format!("{file}: at examples.ListThings[0].input.Nmae: `ListThingsInput` has no member `Nmae`; the example is left out"),
        ]
    );
}

#[test]
fn the_loader_names_file_path_and_problem() {
    let file = Path::new("models/tiny/service-2.json");
    let mut model = service();
    model["shapes"]["Thing"]["members"]["Status"]["shape"] = json!("ThingStatus");
    let problems = parse_service(file, &model.to_string()).expect_err("dangling reference");
    assert_eq!(
        problems,
        [ModelError {
            file: file.to_owned(),
            path: "shapes.Thing.members.Status.shape".to_owned(),
            message: "refers to shape `ThingStatus`, which the model does not define".to_owned(),
        }]
    );
    assert_eq!(
        problems[0].to_string(),
        "models/tiny/service-2.json: at shapes.Thing.members.Status.shape: refers to shape `ThingStatus`, which the model does not define"
    );
    // A problem of the document as a whole has no path.
    let problems = parse_service(file, "42").expect_err("not an object");
    assert_eq!(problems[0].to_string(), "models/tiny/service-2.json: invalid type: integer `42`, expected struct ServiceModel at line 1 column 2");

    let missing = scratch("model-errors/missing").join("service-2.json");
    let problems = load_service(&missing).expect_err("no such file");
    assert_eq!(problems[0].file, missing);
    assert!(problems[0].message.starts_with("cannot read: "), "{}", problems[0]);
}

#[test]
fn generation_errors_print_one_line_per_problem() {
    let mut folder = Folder::valid();
    folder.service(|m| {
        m["shapes"]["Thing"]["members"]["Status"]["shape"] = json!("A");
        m["shapes"]["Thing"]["members"]["Name"]["shape"] = json!("B");
    });
    let (dir, result) = folder.generate("display");
    let service = dir.join(SERVICE).display().to_string();
    let printed = result.err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        printed,
        format!(
            "error: {service}: at shapes.Thing.members.Name.shape: refers to shape `B`, which the model does not define\n\
             error: {service}: at shapes.Thing.members.Status.shape: refers to shape `A`, which the model does not define"
        )
    );
}

/// A `models/tiny/` folder with `codegen.toml` under a scratch repository root.
fn configured_root(name: &str, codegen_toml: &str) -> PathBuf {
    let root = scratch(&format!("model-errors/{name}"));
    let dir = root.join("models/tiny");
    std::fs::create_dir_all(&dir).expect("create model folder");
    std::fs::write(dir.join("service-2.json"), service().to_string()).expect("write model");
    std::fs::write(dir.join("codegen.toml"), codegen_toml).expect("write codegen.toml");
    root
}

#[test]
fn allow_list_naming_an_unknown_operation_points_at_codegen_toml() {
    // The allow-list is in codegen.toml, not in the model: the problem names that file.
    let toml = "[crate]\nname = \"tiny\"\nversion = \"0.1.0\"\nout = \"generated/tiny\"\n\n[operations]\nallow = [\"ListThings\", \"ListThangs\"]\n";
    let root = configured_root("allow-list", toml);
    let project = codegen::Project::read(&root, "models/tiny").unwrap_or_else(|e| panic!("{e}"));
    let problems = model_problems(project.generate()).expect("the allow-list is refused");
    assert_eq!(
        problems,
        [ModelError {
            file: PathBuf::from("models/tiny/codegen.toml"),
            path: "operations.allow[1]".to_owned(),
            message: "`ListThangs` is not an operation of the model".to_owned(),
        }]
    );
}

#[test]
fn codegen_toml_with_an_unknown_key_is_refused() {
    let toml = "[crate]\nname = \"tiny\"\nversion = \"0.1.0\"\nout = \"generated/tiny\"\nedition = \"2021\"\n";
    let root = configured_root("config-key", toml);
    let e = codegen::Project::read(&root, "models/tiny").err().unwrap_or_default();
    let file = root.join("models/tiny/codegen.toml").display().to_string();
    assert!(e.starts_with(&format!("{file}: ")), "{e}");
    assert!(e.contains("unknown field `edition`"), "{e}");
}
