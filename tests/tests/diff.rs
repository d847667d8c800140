//! `cargo xtask diff`: the change log, the compatibility section and the verdict.
//!
//! Golden files in `tests/data/diff/<old>__<new>.txt` hold the text report of a pair of
//! versions from `tests/data/history/`; they are reviewed by hand. `UPDATE_GOLDEN=1 cargo
//! test -p project-tests --test diff` rewrites them (review the `git diff` before committing).
//! The semver rules are checked one by one on a small hand-written model.

use codegen::diff::render::{self, Format};
use codegen::diff::{diff, plain_settings, Bump, Change, Impact, Report, Status};
use codegen::model::sources::{PAGINATORS, WAITERS};
use codegen::Sources;
use project_tests::{cargo, repo};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The ElastiCache update of 2016-05-26, the issue's example.
const EXAMPLE: (&str, &str) = ("2016-03-29-e55db9f23", "2016-05-26-b9d9232bb");

/// Pairs of consecutive versions with a golden file, and why each was chosen.
const GOLDEN: &[(&str, &str)] = &[
    EXAMPLE,
    // A new operation (ListAllowedNodeTypeModifications), new members through lists, a
    // required request member relaxed.
    ("2015-04-24-f1317df38", "2016-03-24-21f5a0ff6"),
    // A removed request member and a request member that became required: breaking.
    ("2016-03-24-21f5a0ff6", "2016-03-29-e55db9f23"),
    // An enum value added (SourceType, in request and response), new errors on operations,
    // new nested structures, a required request member relaxed.
    ("2016-05-26-b9d9232bb", "2016-10-12-90f7972b6"),
    // Two new operations, a deprecated member, new validation limits from a retargeted member.
    ("2018-06-19-f7b16ed0d", "2018-09-17-ee46e262d"),
    // Enum values added to a list of enums, in a request and in responses.
    ("2020-03-16-70dba3193", "2020-05-13-07b049a5a"),
    // Eight new operations, enum values added in two enums, many new members and types.
    ("2020-07-02-a47af279a", "2020-10-07-ba591a142"),
    // Only `serviceId` added to the metadata: no api method changes, still a minor release.
    ("2017-11-08-4935335a4", "2018-06-19-f7b16ed0d"),
    // Documentation only: a patch release.
    ("2016-12-08-e3b87c013", "2017-01-16-a9d22ce3d"),
];

fn history_dir() -> PathBuf {
    repo().join("tests/data/history")
}

/// A service model alone (history files have no companions).
fn load_file(path: &Path) -> Sources {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_model(path, &text, &[])
}

fn parse_model(path: &Path, text: &str, companions: &[(&str, &str)]) -> Sources {
    Sources::from_texts(&path.to_string_lossy(), text, companions)
        .unwrap_or_else(|problems| panic!("{}: {problems:?}", path.display()))
}

fn history(stem: &str) -> Sources {
    load_file(&history_dir().join(format!("{stem}.json")))
}

fn compare(old: &Sources, new: &Sources) -> Report {
    diff(old, new, &plain_settings()).unwrap_or_else(|problems| panic!("{problems:?}"))
}

fn history_report(old: &str, new: &str) -> Report {
    compare(&history(old), &history(new))
}

/// Compares `actual` with the golden file, or rewrites it with `UPDATE_GOLDEN=1`.
fn check_golden(name: &str, actual: &str) {
    let path = repo().join("tests/data/diff").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("golden folder")).expect("create tests/data/diff");
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{}: {e} (UPDATE_GOLDEN=1 creates it; review it before committing)", path.display())
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the report at line {}:\n  expected: {:?}\n  actual:   {:?}\n(UPDATE_GOLDEN=1 rewrites it; review the diff)",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>"),
        );
    }
}

#[test]
fn the_2016_05_26_update_gives_the_issue_example() {
    let report = history_report(EXAMPLE.0, EXAMPLE.1);
    let text = render::text(&report);
    let expected_log = "\
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
";
    assert!(text.starts_with(expected_log), "change log:\n{text}");
    let updated: Vec<&str> = report.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(updated, ["CopySnapshot", "DescribeCacheParameters", "DescribeEngineDefaultParameters"]);
    assert!(report.operations.iter().all(|o| o.status == Status::Updated));

    let compatibility = text.split_once("\nCompatibility").map(|(_, c)| c).expect("a compatibility section");
    let reset = compatibility
        .lines()
        .find(|l| l.contains("ResetCacheParameterGroup"))
        .expect("ResetCacheParameterGroup in the compatibility section");
    assert!(reset.contains("`ParameterNameValues` is no longer required"), "{reset}");
    assert!(
        !compatibility.lines().any(|l| l.ends_with("(updated)") || l.ends_with("(new)") || l.ends_with("(removed)")),
        "the compatibility section must not use the change log's form:\n{compatibility}"
    );
    // Counted as the crate shows documentation: an input's or output's member docs are the
    // operation's (`<Op>Input`/`<Op>Output`), a named type's are the type's.
    assert!(compatibility.contains("documentation changed for 26 operations, 15 shapes"), "{compatibility}");
    assert_eq!(report.verdict, Some(Impact::Additive));
    assert_eq!(report.bump, Bump::Minor);
    assert!(
        text.ends_with("Verdict: additive (0 breaking, 5 additive changes); suggested version bump: minor\n"),
        "{text}"
    );
    check_golden(&format!("{}__{}.txt", EXAMPLE.0, EXAMPLE.1), &text);
    // What CI puts in the job summary.
    check_golden(&format!("{}__{}.md", EXAMPLE.0, EXAMPLE.1), &render::markdown(&report));
}

#[test]
fn golden_pairs() {
    for (old, new) in GOLDEN {
        check_golden(&format!("{old}__{new}.txt"), &render::text(&history_report(old, new)));
    }
}

#[test]
fn every_consecutive_pair_diffs_deterministically() {
    let mut stems: Vec<String> = std::fs::read_dir(history_dir())
        .expect("tests/data/history")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter_map(|name| name.strip_suffix(".json").map(str::to_owned))
        .collect();
    stems.sort();
    assert_eq!(stems.len(), 33, "{stems:?}");
    let models: Vec<Sources> = stems.iter().map(|s| history(s)).collect();
    for (i, pair) in models.windows(2).enumerate() {
        let first = compare(&pair[0], &pair[1]);
        let again = compare(&pair[0], &pair[1]);
        assert_eq!(first, again, "{} -> {}", stems[i], stems[i + 1]);
        for format in [Format::Text, Format::Markdown, Format::Json] {
            assert_eq!(
                render::render(&first, format),
                render::render(&again, format),
                "{} -> {}",
                stems[i],
                stems[i + 1]
            );
        }
        // Nothing in the history is removed except the 2016-03-29 TargetBucket (put back
        // on 2016-05-26); the verdict must say so.
        let breaking = first.verdict == Some(Impact::Breaking);
        assert_eq!(breaking, stems[i + 1] == "2016-03-29-e55db9f23", "{} -> {}", stems[i], stems[i + 1]);
        let json: Value = serde_json::from_str(&render::json(&first)).expect("the JSON report parses");
        assert_eq!(json["service"], "Amazon ElastiCache");
    }
}

#[test]
fn diffing_two_full_models_reports_compatibility() {
    // The oldest history model against the current one: the largest comparison there is.
    // How fast it runs is measured by `bench/protocol/benches/diff.rs`, not here.
    let old = history("2015-04-24-f1317df38");
    let new = load_file(&repo().join("models/elasticache/service-2.json"));
    let report = compare(&old, &new);
    assert!(!report.compatibility.is_empty());
}

/// A small model that exercises each rule: a request with a nested structure and a list of
/// enums, a response, an error, and a recursive structure.
fn base_model() -> Value {
    json!({
        "version": "2.0",
        "metadata": {
            "apiVersion": "2020-01-01",
            "endpointPrefix": "things",
            "protocol": "query",
            "serviceFullName": "Thing Service",
            "serviceId": "Things",
            "signatureVersion": "v4",
            "xmlNamespace": "http://things.example/doc/2020-01-01/"
        },
        "documentation": "<p>Things.</p>",
        "operations": {
            "PutThing": {
                "name": "PutThing",
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "PutThingMessage"},
                "output": {"shape": "PutThingResult", "resultWrapper": "PutThingResult"},
                "errors": [{"shape": "ThingQuotaExceededFault"}],
                "documentation": "<p>Puts a thing.</p>"
            },
            "ListThings": {
                "name": "ListThings",
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "ListThingsMessage"},
                "output": {"shape": "ListThingsResult", "resultWrapper": "ListThingsResult"}
            }
        },
        "shapes": {
            "PutThingMessage": {
                "type": "structure",
                "required": ["Name"],
                "members": {
                    "Name": {"shape": "String", "documentation": "<p>The name.</p>"},
                    "Size": {"shape": "Integer"},
                    "Spec": {"shape": "ThingSpec"},
                    "Colors": {"shape": "ColorList"}
                }
            },
            "ThingSpec": {
                "type": "structure",
                "members": {"Weight": {"shape": "Integer"}, "Parent": {"shape": "Node"}}
            },
            "Node": {
                "type": "structure",
                "members": {"Label": {"shape": "String"}, "Child": {"shape": "Node"}}
            },
            "ColorList": {"type": "list", "member": {"shape": "Color"}},
            "Color": {"type": "string", "enum": ["red", "green"]},
            "PutThingResult": {
                "type": "structure",
                "members": {"Thing": {"shape": "Thing"}}
            },
            "Thing": {
                "type": "structure",
                "members": {"Name": {"shape": "String"}, "Created": {"shape": "TStamp"}, "Color": {"shape": "Color"}}
            },
            "ListThingsMessage": {
                "type": "structure",
                "members": {"Marker": {"shape": "String"}, "MaxRecords": {"shape": "Integer"}}
            },
            "ListThingsResult": {
                "type": "structure",
                "members": {"Marker": {"shape": "String"}, "Things": {"shape": "ThingList"}}
            },
            "ThingList": {"type": "list", "member": {"shape": "Thing"}},
            "ThingQuotaExceededFault": {
                "type": "structure",
                "members": {},
                "error": {"code": "ThingQuotaExceeded", "httpStatusCode": 400, "senderFault": true},
                "exception": true
            },
            "String": {"type": "string"},
            "Integer": {"type": "integer"},
            "TStamp": {"type": "timestamp"}
        }
    })
}

fn model(value: &Value) -> Sources {
    parse_model(Path::new("synthetic.json"), &value.to_string(), &[])
}

/// The report after `edit` is applied to the base model.
fn after(edit: impl FnOnce(&mut Value)) -> Report {
    let old = base_model();
    let mut new = old.clone();
    edit(&mut new);
    compare(&model(&old), &model(&new))
}

/// The one API change of a report (documentation aside), as `impact subject: message`.
fn only_change(report: &Report) -> String {
    let lines: Vec<String> = report.compatibility.iter().map(line).collect();
    assert_eq!(lines.len(), 1, "expected one change, got {lines:#?}");
    lines[0].clone()
}

fn line(c: &Change) -> String {
    format!("{} {}: {}", c.impact.as_str(), c.subject, c.message)
}

#[test]
fn semver_rules_for_members() {
    let r = after(|m| m["shapes"]["PutThingMessage"]["members"]["Note"] = json!({"shape": "String"}));
    assert_eq!(only_change(&r), "additive PutThing request: new member `Note`: `String`");
    assert_eq!(r.compatibility[0].rust.as_deref(), Some("PutThingInput::note"));
    assert_eq!(render::pformat(&r.operations[0].request.added), "{'Note': 'string'}");

    let r = after(|m| {
        m["shapes"]["PutThingMessage"]["members"]["Note"] = json!({"shape": "String"});
        m["shapes"]["PutThingMessage"]["required"] = json!(["Name", "Note"]);
    });
    assert_eq!(only_change(&r), "breaking PutThing request: new required member `Note`: `String`");

    // A structure reached from a request is validated too.
    let r = after(|m| {
        m["shapes"]["ThingSpec"]["members"]["Unit"] = json!({"shape": "String"});
        m["shapes"]["ThingSpec"]["required"] = json!(["Unit"]);
    });
    assert_eq!(only_change(&r), "breaking type ThingSpec: new required member `Unit`: `String`");
    assert_eq!(render::pformat(&r.operations[0].request.added), "{'Spec': {'Unit': 'string'}}");

    // Responses are not validated: a required member there is an ordinary new member.
    let r = after(|m| {
        m["shapes"]["Thing"]["members"]["Owner"] = json!({"shape": "String"});
        m["shapes"]["Thing"]["required"] = json!(["Owner"]);
    });
    assert_eq!(only_change(&r), "additive type Thing: new member `Owner`: `String`");
    let names: Vec<&str> = r.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["ListThings", "PutThing"], "both responses reach Thing");
    assert_eq!(render::pformat(&r.operations[0].response.added), "{'Things': {'Owner': 'string'}}");

    let r = after(|m| {
        if let Some(members) = m["shapes"]["PutThingMessage"]["members"].as_object_mut() {
            members.remove("Size");
        }
    });
    assert_eq!(only_change(&r), "breaking PutThing request: member `Size` removed");
    assert_eq!(render::pformat(&r.operations[0].request.removed), "{'Size': 'integer'}");
    assert_eq!(r.bump, Bump::Major);

    let r = after(|m| m["shapes"]["PutThingMessage"]["members"]["Size"] = json!({"shape": "TStamp"}));
    assert_eq!(only_change(&r), "breaking PutThing request: member `Size` changed type: `i32` -> `DateTime`");
    assert_eq!(render::pformat(&r.operations[0].request.changed), "{'Size': 'integer -> timestamp'}");

    // A model-only rename of a plain string shape changes nothing in Rust or on the wire.
    let r = after(|m| {
        m["shapes"]["Name"] = json!({"type": "string"});
        m["shapes"]["PutThingMessage"]["members"]["Name"]["shape"] = json!("Name");
    });
    assert!(r.compatibility.is_empty() && r.operations.is_empty(), "{r:#?}");

    let r = after(|m| m["shapes"]["PutThingMessage"]["required"] = json!(["Name", "Size"]));
    assert_eq!(only_change(&r), "breaking PutThing request: member `Size` is now required");
    let r = after(|m| m["shapes"]["PutThingMessage"]["required"] = json!([]));
    assert_eq!(only_change(&r), "additive PutThing request: member `Name` is no longer required");
    assert!(r.operations.is_empty(), "required-ness is not in the change log");
    let r = after(|m| m["shapes"]["Thing"]["required"] = json!(["Name"]));
    assert_eq!(r.verdict, Some(Impact::Documentation));
    assert!(only_change(&r).starts_with("documentation type Thing: member `Name` is now documented as required"));

    let r = after(|m| m["shapes"]["PutThingMessage"]["members"]["Size"]["deprecated"] = json!(true));
    assert_eq!(only_change(&r), "additive PutThing request: member `Size` deprecated");

    let r = after(|m| {
        m["shapes"]["Limited"] = json!({"type": "integer", "min": 1, "max": 10});
        m["shapes"]["PutThingMessage"]["members"]["Size"]["shape"] = json!("Limited");
    });
    assert_eq!(
        only_change(&r),
        "additive PutThing request: member `Size` validation limits changed: none -> value 1..=10"
    );
}

#[test]
fn semver_rules_for_enums_errors_operations_and_types() {
    let r = after(|m| m["shapes"]["Color"]["enum"] = json!(["red", "green", "blue"]));
    assert_eq!(only_change(&r), "additive type Color: new value `blue`");
    assert_eq!(r.compatibility[0].rust.as_deref(), Some("Color::Blue"));
    let put = r.operations.iter().find(|o| o.name == "PutThing").expect("PutThing updated");
    assert_eq!(render::pformat(&put.request.changed), "{'Colors': 'added: blue'}");
    assert_eq!(render::pformat(&put.response.changed), "{'Thing': {'Color': 'added: blue'}}");

    let r = after(|m| m["shapes"]["Color"]["enum"] = json!(["red"]));
    assert_eq!(only_change(&r), "breaking type Color: value `green` removed");

    // Reordering values is no change.
    let r = after(|m| m["shapes"]["Color"]["enum"] = json!(["green", "red"]));
    assert!(r.compatibility.is_empty() && r.operations.is_empty());

    let r = after(|m| m["operations"]["ListThings"]["errors"] = json!([{"shape": "ThingQuotaExceededFault"}]));
    assert_eq!(only_change(&r), "additive operation ListThings: new error `ThingQuotaExceededFault`");
    assert_eq!(r.compatibility[0].rust.as_deref(), Some("ListThingsError::ThingQuotaExceededFault"));
    assert!(r.operations.is_empty(), "errors are not in the change log");
    let r = after(|m| m["operations"]["PutThing"]["errors"] = json!([]));
    assert_eq!(only_change(&r), "breaking operation PutThing: error `ThingQuotaExceededFault` removed");

    let r = after(|m| m["operations"]["PutThing"]["deprecated"] = json!(true));
    assert_eq!(only_change(&r), "additive operation PutThing: deprecated");

    let r = after(|m| {
        if let Some(ops) = m["operations"].as_object_mut() {
            ops.remove("ListThings");
        }
    });
    assert_eq!(only_change(&r), "breaking operation ListThings: operation removed");
    assert_eq!(r.operations[0].status, Status::Removed);
    assert!(render::text(&r).contains("\nListThings (removed)\n"));

    let r = after(|m| {
        m["operations"]["DeleteThing"] = json!({"name": "DeleteThing", "input": {"shape": "DeleteThingMessage"}});
        m["shapes"]["DeleteThingMessage"] = json!({"type": "structure", "members": {"Name": {"shape": "String"}}});
    });
    assert_eq!(only_change(&r), "additive operation DeleteThing: new operation");
    assert!(render::text(&r).starts_with("Thing Service - 1 new api methods\n\nDeleteThing (new)\n"));

    // A new structure member: described as a tree, recursion cut where it repeats.
    let r = after(|m| m["shapes"]["PutThingMessage"]["members"]["Root"] = json!({"shape": "Node"}));
    assert_eq!(
        render::pformat(&r.operations[0].request.added),
        "{'Root': {'Child': 'Node (recursive)', 'Label': 'string'}}"
    );
    // A change below a recursive structure is found once, without looping.
    let r = after(|m| m["shapes"]["Node"]["members"]["Depth"] = json!({"shape": "Integer"}));
    assert_eq!(only_change(&r), "additive type Node: new member `Depth`: `i32`");
    assert_eq!(render::pformat(&r.operations[0].request.added), "{'Spec': {'Parent': {'Depth': 'integer'}}}");

    let r = after(|m| m["metadata"]["signingName"] = json!("thing"));
    // Without a `signingName`, the crate signs with the endpoint prefix.
    assert_eq!(only_change(&r), "additive service: metadata `signingName` changed: `things` -> `thing`");
}

#[test]
fn documentation_only_edits_are_counted_not_updates() {
    let r = after(|m| {
        m["operations"]["PutThing"]["documentation"] = json!("<p>Puts a thing, now better.</p>");
        m["shapes"]["PutThingMessage"]["members"]["Name"]["documentation"] = json!("<p>The thing's name.</p>");
        m["shapes"]["Thing"]["documentation"] = json!("<p>A thing.</p>");
    });
    assert!(r.operations.is_empty(), "{:#?}", r.operations);
    assert!(r.compatibility.is_empty(), "{:#?}", r.compatibility);
    // The input shape's member docs are the operation's (`PutThingInput`), not a type's.
    assert_eq!((r.documentation.operations, r.documentation.shapes), (1, 1));
    assert_eq!((r.verdict, r.bump), (Some(Impact::Documentation), Bump::Patch));
    let text = render::text(&r);
    assert!(text.starts_with("Thing Service - no api method changes\n"), "{text}");
    assert!(text.contains("  documentation  documentation changed for 1 operations, 1 shapes\n"), "{text}");
}

#[test]
fn paginators_and_waiters() {
    let pag_old = json!({"pagination": {
        "ListThings": {"input_token": "Marker", "output_token": "Marker", "limit_key": "MaxRecords", "result_key": "Things"},
        "PutThing": {"input_token": "Marker", "output_token": "Marker", "result_key": "Things"}
    }});
    let pag_new = json!({"pagination": {
        "ListThings": {"input_token": "Marker", "output_token": "NextMarker", "result_key": "Items"},
        "DescribeThings": {"input_token": "Marker", "output_token": "Marker", "result_key": "Things"}
    }});
    let wait_old = json!({"version": 2, "waiters": {
        "ThingReady": {"operation": "ListThings", "delay": 15, "maxAttempts": 40, "description": "Ready.", "acceptors": []},
        "ThingGone": {"operation": "ListThings", "delay": 15, "maxAttempts": 40, "acceptors": []}
    }});
    let wait_new = json!({"version": 2, "waiters": {
        "ThingReady": {"operation": "PutThing", "delay": 30, "maxAttempts": 40, "description": "Ready at last.",
                       "acceptors": [{"matcher": "error", "expected": "X", "state": "success"}]},
        "ThingStopped": {"operation": "ListThings", "delay": 15, "maxAttempts": 40, "acceptors": []}
    }});
    // The members and the operation the paginators name, on both sides (the diff builds
    // each side's crate, so its paginators must fit its model).
    let mut m = base_model();
    m["shapes"]["ListThingsResult"]["members"]["NextMarker"] = json!({"shape": "String"});
    m["shapes"]["ListThingsResult"]["members"]["Items"] = json!({"shape": "ThingList"});
    m["shapes"]["PutThingMessage"]["members"]["Marker"] = json!({"shape": "String"});
    m["shapes"]["PutThingResult"]["members"]["Marker"] = json!({"shape": "String"});
    m["shapes"]["PutThingResult"]["members"]["Things"] = json!({"shape": "ThingList"});
    m["operations"]["DescribeThings"] = json!({
        "name": "DescribeThings",
        "input": {"shape": "ListThingsMessage"},
        "output": {"shape": "ListThingsResult", "resultWrapper": "DescribeThingsResult"}
    });
    let text = m.to_string();
    let with = |pag: &Value, wait: &Value| {
        let (pag, wait) = (pag.to_string(), wait.to_string());
        parse_model(Path::new("synthetic.json"), &text, &[(PAGINATORS, &pag), (WAITERS, &wait)])
    };
    let r = compare(&with(&pag_old, &wait_old), &with(&pag_new, &wait_new));
    let lines: Vec<String> = r.compatibility.iter().map(line).collect();
    assert_eq!(
        lines,
        [
            "breaking paginator ListThings: `limit_key` changed: `MaxRecords` -> none",
            "breaking paginator ListThings: `result_key` changed: `Things` -> `Items`",
            "breaking paginator PutThing: paginator removed",
            "breaking waiter ThingGone: waiter removed",
            "breaking waiter ThingReady: `operation` changed: `ListThings` -> `PutThing`",
            "additive paginator DescribeThings: new paginator",
            "additive paginator ListThings: `output_token` changed: `Marker` -> `NextMarker`",
            "additive waiter ThingReady: `acceptors` changed",
            "additive waiter ThingReady: `delay` changed: `15` -> `30`",
            "additive waiter ThingStopped: new waiter",
            "documentation waiter ThingReady: `description` changed",
        ]
    );
    assert_eq!(r.compatibility[3].rust.as_deref(), Some("Waiters::wait_until_thing_gone"));
    // Only compared when both sides have the file.
    let one_sided = parse_model(Path::new("synthetic.json"), &text, &[(PAGINATORS, &pag_new.to_string())]);
    assert!(compare(&parse_model(Path::new("synthetic.json"), &text, &[]), &one_sided).compatibility.is_empty());
}

#[test]
fn version_bumps_follow_cargo() {
    assert_eq!(Bump::Major.apply("0.1.0").as_deref(), Some("0.2.0"));
    assert_eq!(Bump::Minor.apply("0.1.3").as_deref(), Some("0.1.4"));
    assert_eq!(Bump::Patch.apply("0.1.3").as_deref(), Some("0.1.4"));
    assert_eq!(Bump::Major.apply("1.4.2").as_deref(), Some("2.0.0"));
    assert_eq!(Bump::Minor.apply("1.4.2").as_deref(), Some("1.5.0"));
    assert_eq!(Bump::Patch.apply("1.4.2").as_deref(), Some("1.4.3"));
    assert_eq!(Bump::Major.apply("1.0.0-beta.1"), None);
    let text = render::text(&history_report("2016-03-24-21f5a0ff6", "2016-03-29-e55db9f23").with_version("0.1.0"));
    assert!(text.ends_with("suggested version bump: major (0.1.0 -> 0.2.0; before 1.0 Cargo reads the minor number as the major one)\n"), "{text}");
}

/// The `xtask` binary, built once into its own target folder (the outer `cargo test` holds
/// the workspace's).
fn xtask() -> PathBuf {
    let target = repo().join("target/test-targets/diff-cli");
    let out = cargo(&repo(), &target, &["build", "--quiet", "-p", "xtask"], &[]);
    assert!(out.status.success(), "building xtask failed:\n{}", project_tests::text(&out));
    target.join("debug").join(format!("xtask{}", std::env::consts::EXE_SUFFIX))
}

/// Runs `xtask diff args..` in the repository root.
fn run_diff(xtask: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(xtask)
        .current_dir(repo())
        .arg("diff")
        .args(args)
        // The binary finds the repository from where it was built, not from the test's.
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("run xtask");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn command_line() {
    let xtask = xtask();
    let h = |stem: &str| format!("tests/data/history/{stem}.json");

    // The same bytes as the library's report (`--format text` is the default).
    let (code, stdout, _) = run_diff(&xtask, &[&h(EXAMPLE.0), &h(EXAMPLE.1)]);
    assert_eq!(code, Some(0));
    assert_eq!(stdout, render::text(&history_report(EXAMPLE.0, EXAMPLE.1)));
    let (code, stdout, _) = run_diff(&xtask, &["--format", "json", &h(EXAMPLE.0), &h(EXAMPLE.1)]);
    assert_eq!(code, Some(0));
    assert_eq!(stdout, render::json(&history_report(EXAMPLE.0, EXAMPLE.1)));

    // --deny-breaking: the report, then a failure.
    let breaking = ["--deny-breaking", &h("2016-03-24-21f5a0ff6"), &h("2016-03-29-e55db9f23")];
    let (code, stdout, stderr) = run_diff(&xtask, &breaking);
    assert_ne!(code, Some(0));
    assert!(stdout.contains("Verdict: breaking"), "{stdout}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let (code, _, _) = run_diff(&xtask, &["--deny-breaking", &h(EXAMPLE.0), &h(EXAMPLE.1)]);
    assert_eq!(code, Some(0));

    // Git sides: the committed model against itself.
    let (code, stdout, stderr) =
        run_diff(&xtask, &["HEAD:models/elasticache/service-2.json", "HEAD:models/elasticache/service-2.json"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("Verdict: no changes"), "{stdout}");
    let (code, stdout, stderr) = run_diff(&xtask, &["--base", "HEAD", "--format", "markdown"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.starts_with(
            "## Model changes\n\n`HEAD:models/elasticache/service-2.json` → `models/elasticache/service-2.json`\n"
        ),
        "{stdout}"
    );

    // Bad input: one clear line naming what is wrong, and a failure.
    let bad: &[(&[&str], &str)] = &[
        (&["nonexistent.json", "other.json"], "nonexistent.json: cannot read"),
        (
            &["models/elasticache/paginators-1.json", "models/elasticache/service-2.json"],
            "paginators-1.json: not a valid service model",
        ),
        (&["README.md", "models/elasticache/service-2.json"], "README.md: not a valid service model: not valid JSON"),
        (&["--base", "no-such-revision"], "git revision `no-such-revision` does not exist"),
        (
            &["no-such-revision:models/elasticache/service-2.json", "models/elasticache/service-2.json"],
            "git revision `no-such-revision` does not exist",
        ),
        (
            &["HEAD:models/elasticache/nothing.json", "models/elasticache/service-2.json"],
            "HEAD:models/elasticache/nothing.json: no such file at revision `HEAD`",
        ),
        (&["--format", "yaml", "a.json", "b.json"], "unknown format `yaml`"),
        (&["only-one.json"], "takes OLD NEW"),
    ];
    for (args, message) in bad {
        let (code, stdout, stderr) = run_diff(&xtask, args);
        assert_ne!(code, Some(0), "{args:?} succeeded");
        assert!(stdout.is_empty(), "{args:?} printed {stdout}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: not one line:\n{stderr}");
        assert!(stderr.starts_with("error: ") && stderr.contains(message), "{args:?}: {stderr}");
    }
}

// ---------------------------------------------------------------------------------------------
// The diff reads the project's settings: what it reports is what the generated crates differ in.

/// A two-operation model; `new` adds the value `n/a` to `Status` and the operation
/// `DeleteThing`.
fn things_model(new: bool) -> Value {
    let mut model = json!({
        "version": "2.0",
        "metadata": {
            "apiVersion": "2024-01-01", "endpointPrefix": "things", "protocol": "query", "serviceFullName": "Thing Service",
            "serviceId": "Things", "signatureVersion": "v4", "xmlNamespace": "http://things.example.com/doc/2024-01-01/"
        },
        "operations": {
            "GetThing": {
                "name": "GetThing", "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "GetThingMessage"}, "output": {"shape": "GetThingResult", "resultWrapper": "GetThingResult"}
            }
        },
        "shapes": {
            "GetThingMessage": {"type": "structure", "members": {"Status": {"shape": "Status"}}},
            "GetThingResult": {"type": "structure", "members": {"Name": {"shape": "String"}}},
            "Status": {"type": "string", "enum": ["ok", "failed"]},
            "String": {"type": "string"}
        }
    });
    if new {
        model["shapes"]["Status"]["enum"] = json!(["ok", "failed", "n/a"]);
        model["operations"]["DeleteThing"] = json!({
            "name": "DeleteThing", "http": {"method": "POST", "requestUri": "/"}, "input": {"shape": "DeleteThingMessage"}
        });
        model["shapes"]["DeleteThingMessage"] = json!({"type": "structure", "required": ["Name"], "members": {"Name": {"shape": "String"}}});
    }
    model
}

/// The project's settings before and after the model update: `GetThing` only; with the new
/// model, `n/a` named `NotApplicable` (the old model has no such value to name).
const THINGS_CODEGEN_TOML: &str = "[crate]\nname = \"things\"\nversion = \"0.1.0\"\nout = \"things\"\n\n\
    [operations]\nallow = [\"GetThing\"]\n";
const THINGS_VARIANT_NAMES: &str = "\n[names.enum_variants.Status]\n\"n/a\" = \"NotApplicable\"\n";

/// The public items of a generated crate (structs, enums and their variants, fields, functions
/// and methods), from its sources, as `Type::item` (or `Type`).
fn public_items(files: &codegen::FileMap) -> std::collections::BTreeSet<String> {
    fn visit(items: &[syn::Item], out: &mut std::collections::BTreeSet<String>) {
        let public = |v: &syn::Visibility| matches!(v, syn::Visibility::Public(_));
        for item in items {
            match item {
                syn::Item::Struct(s) if public(&s.vis) => {
                    out.insert(s.ident.to_string());
                    for f in s.fields.iter().filter(|f| public(&f.vis)) {
                        out.insert(format!("{}::{}", s.ident, f.ident.as_ref().map(ToString::to_string).unwrap_or_default()));
                    }
                }
                syn::Item::Enum(e) if public(&e.vis) => {
                    out.insert(e.ident.to_string());
                    out.extend(e.variants.iter().map(|v| format!("{}::{}", e.ident, v.ident)));
                }
                syn::Item::Fn(f) if public(&f.vis) => {
                    out.insert(f.sig.ident.to_string());
                }
                syn::Item::Impl(i) => {
                    let syn::Type::Path(ty) = &*i.self_ty else { continue };
                    let Some(ty) = ty.path.segments.last() else { continue };
                    for m in &i.items {
                        if let syn::ImplItem::Fn(f) = m {
                            if public(&f.vis) || i.trait_.is_some() {
                                out.insert(format!("{}::{}", ty.ident, f.sig.ident));
                            }
                        }
                    }
                }
                syn::Item::Mod(m) if public(&m.vis) => {
                    if let Some((_, inner)) = &m.content {
                        visit(inner, out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = std::collections::BTreeSet::new();
    for (path, text) in files {
        if path.ends_with(".rs") {
            let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
            visit(&file.items, &mut out);
        }
    }
    out
}

/// `cargo xtask diff` of a model beside its `codegen.toml` builds both sides with the settings
/// `cargo xtask regenerate` uses: an allow-listed operation and a configured variant name
/// change what it reports, and what it reports is exactly what the two generated crates
/// differ in (their public items compared, and both crates compiled).
#[test]
fn the_diff_reports_what_the_generated_crates_differ_in() {
    let dir = project_tests::scratch("diff-settings");
    let (old_dir, new_dir) = (dir.join("old"), dir.join("new"));
    for (folder, new) in [(&old_dir, false), (&new_dir, true)] {
        std::fs::create_dir_all(folder).unwrap();
        std::fs::write(folder.join("service-2.json"), serde_json::to_string_pretty(&things_model(new)).unwrap()).unwrap();
        let names = if new { THINGS_VARIANT_NAMES } else { "" };
        std::fs::write(folder.join("codegen.toml"), format!("{THINGS_CODEGEN_TOML}{names}")).unwrap();
    }
    let (old_model, new_model) = (old_dir.join("service-2.json"), new_dir.join("service-2.json"));

    // What the command reports.
    let (code, stdout, stderr) =
        run_diff(&xtask(), &["--format", "json", &old_model.display().to_string(), &new_model.display().to_string()]);
    assert_eq!(code, Some(0), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let reported: std::collections::BTreeSet<String> =
        report["compatibility"].as_array().unwrap().iter().filter_map(|c| c["rust"].as_str().map(str::to_owned)).collect();
    assert_eq!(reported, ["Status::NotApplicable".to_owned()].into(), "{stdout}");
    // The change log stays the model's (it lists `DeleteThing (new)`); the compatibility
    // section is about the crate, which has no `DeleteThing`.
    let compatibility = report["compatibility"].to_string();
    assert!(!compatibility.contains("DeleteThing"), "an operation the allow-list leaves out is in the compatibility section:\n{stdout}");
    assert!(report["operations"].to_string().contains("DeleteThing"), "{stdout}");

    // What the generated crates differ in, each generated as `regenerate` does, with the
    // `codegen.toml` beside its model.
    let generate = |dir: &Path| {
        let project = codegen::Project::read(dir, ".").unwrap();
        codegen::generate(&Sources::read(&project.model, "service-2.json").unwrap(), &project.settings).unwrap().files
    };
    let (old_files, new_files) = (generate(&old_dir), generate(&new_dir));
    let (old_items, new_items) = (public_items(&old_files), public_items(&new_files));
    let added: std::collections::BTreeSet<String> = new_items.difference(&old_items).cloned().collect();
    let removed: Vec<&String> = old_items.difference(&new_items).collect();
    assert_eq!(added, reported, "the diff does not report what the crates differ in");
    assert!(removed.is_empty(), "{removed:?}");

    // Without the project's settings the report would be about another crate.
    let plain = diff(&Sources::read(&old_model, "old").unwrap(), &Sources::read(&new_model, "new").unwrap(), &plain_settings()).unwrap();
    let plain_items: Vec<&str> = plain.compatibility.iter().filter_map(|c| c.rust.as_deref()).collect();
    assert!(!plain_items.contains(&"Status::NotApplicable"), "{plain_items:?}");
    assert!(plain.compatibility.iter().any(|c| c.subject.contains("DeleteThing")), "{:?}", plain.compatibility);

    // Both crates compile (the same settings, built beside the project's runtime).
    let ws = dir.join("crates");
    for (name, dir) in [("old", &old_dir), ("new", &new_dir)] {
        let project = codegen::Project::read(dir, ".").unwrap();
        let settings = codegen::Settings {
            crate_name: format!("things-{name}"),
            sync: None,
            publish: false,
            runtime: codegen::RuntimeDep::Path(repo().join("runtime").display().to_string()),
            ..project.settings
        };
        let files = codegen::generate(&Sources::read(&project.model, "service-2.json").unwrap(), &settings).unwrap().files;
        codegen::write::write_files(&ws.join(name), &files).unwrap();
    }
    std::fs::write(ws.join("Cargo.toml"), "[workspace]\nresolver = \"2\"\nmembers = [\"old\", \"new\"]\n").unwrap();
    project_tests::lock_from_root(&ws);
    let out = cargo(&ws, &repo().join("target/test-targets/compile"), &["check", "--quiet", "--workspace"], &[("RUSTFLAGS", "-D warnings")]);
    assert!(out.status.success(), "{}", project_tests::text(&out));
}
