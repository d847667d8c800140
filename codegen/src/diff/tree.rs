//! The change log: member trees of each operation's request and response, compared.
//!
//! An operation's input (or output) structure is walked on both sides at once, member by
//! member, through lists and maps (which are not named in the trees) and into nested
//! structures. What is reported is the path from the top down to a member that was added
//! or removed, or to a leaf whose type or enum values changed. Only botocore types count:
//! documentation never makes an operation "updated".
//!
//! As in the AWS API change feeds: a new (or removed) member is shown with its whole type, a
//! list as a list (`{'Tags': [{'Key': 'string', 'Value': 'string'}]}`); an existing list whose
//! element changed is walked through, so the change shows under the list member's name
//! (`{'Parameters': {'ChangeType': 'immediate | requires-reboot'}}`).

use super::{OperationChange, SideChanges, Status};
use crate::model::{OperationRef, ServiceModel, Shape, ShapeType};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A member tree as the change log prints it: a leaf (a type, enum values, or what changed),
/// members by name, or a list of what its element is (only in the type of a new or removed
/// member: a list walked to a change further down is not shown, as in the AWS feeds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Node {
    Leaf(String),
    Tree(BTreeMap<String, Node>),
    /// `['string']`, `[{'Key': 'string', 'Value': 'string'}]`; JSON: a one-element array.
    List(Box<[Node; 1]>),
}

/// Every operation that is new, removed, or has a request or response tree that changed:
/// new first, then removed, then updated, each group by name.
pub fn change_log(old: &ServiceModel, new: &ServiceModel) -> Vec<OperationChange> {
    let walker = Walker { old, new };
    let names: BTreeSet<&String> = old.operations.keys().chain(new.operations.keys()).collect();
    let mut log = Vec::new();
    for name in names {
        let change = |status| OperationChange {
            name: name.clone(),
            status,
            request: SideChanges::default(),
            response: SideChanges::default(),
        };
        match (old.operations.get(name), new.operations.get(name)) {
            (None, Some(_)) => log.push(change(Status::New)),
            (Some(_), None) => log.push(change(Status::Removed)),
            (Some(a), Some(b)) => {
                let request = walker.io(a.input.as_ref(), b.input.as_ref());
                let response = walker.io(a.output.as_ref(), b.output.as_ref());
                if !request.is_empty() || !response.is_empty() {
                    log.push(OperationChange { name: name.clone(), status: Status::Updated, request, response });
                }
            }
            (None, None) => {}
        }
    }
    log.sort_by(|a, b| a.status.cmp(&b.status).then_with(|| a.name.cmp(&b.name)));
    log
}

/// What comparing two member targets found.
enum RefDiff {
    Same,
    /// The leaf itself changed; says how.
    Changed(String),
    /// Changes further down.
    Nested(SideChanges),
}

struct Walker<'a> {
    old: &'a ServiceModel,
    new: &'a ServiceModel,
}

impl<'a> Walker<'a> {
    /// An operation's input or output; a missing one has no members.
    fn io(&self, old: Option<&'a OperationRef>, new: Option<&'a OperationRef>) -> SideChanges {
        let old_shape = old.and_then(|r| Some((r.shape.as_str(), self.old.shapes.get(&r.shape)?)));
        let new_shape = new.and_then(|r| Some((r.shape.as_str(), self.new.shapes.get(&r.shape)?)));
        let mut path = Vec::new();
        if let (Some((a, _)), Some((b, _))) = (old_shape, new_shape) {
            path.push((a, b));
        }
        self.structures(old_shape.map(|s| s.1), new_shape.map(|s| s.1), &mut path)
    }

    /// Member by member. `path` holds the structure pairs being walked, so that recursive
    /// shapes stop where they repeat (their changes were reported at the first occurrence).
    fn structures(
        &self,
        old: Option<&'a Shape>,
        new: Option<&'a Shape>,
        path: &mut Vec<(&'a str, &'a str)>,
    ) -> SideChanges {
        let mut out = SideChanges::default();
        let old_members = old.map(|s| &s.members);
        let new_members = new.map(|s| &s.members);
        let names: BTreeSet<&'a String> = old_members
            .into_iter()
            .flat_map(|m| m.keys())
            .chain(new_members.into_iter().flat_map(|m| m.keys()))
            .collect();
        for name in names {
            let a = old_members.and_then(|m| m.get(name));
            let b = new_members.and_then(|m| m.get(name));
            match (a, b) {
                (None, Some(b)) => {
                    out.added.insert(name.clone(), describe(self.new, &b.shape, &mut Vec::new()));
                }
                (Some(a), None) => {
                    out.removed.insert(name.clone(), describe(self.old, &a.shape, &mut Vec::new()));
                }
                (Some(a), Some(b)) => match self.refs(&a.shape, &b.shape, path) {
                    RefDiff::Same => {}
                    RefDiff::Changed(how) => {
                        out.changed.insert(name.clone(), Node::Leaf(how));
                    }
                    RefDiff::Nested(below) => {
                        for (mine, theirs) in [
                            (&mut out.added, below.added),
                            (&mut out.removed, below.removed),
                            (&mut out.changed, below.changed),
                        ] {
                            if !theirs.is_empty() {
                                mine.insert(name.clone(), Node::Tree(theirs));
                            }
                        }
                    }
                },
                (None, None) => {}
            }
        }
        out
    }

    /// Two member targets: walked through lists and maps, into structures, compared as leaves
    /// otherwise.
    fn refs(&self, old: &'a str, new: &'a str, path: &mut Vec<(&'a str, &'a str)>) -> RefDiff {
        let (Some(a), Some(b)) = (self.old.shapes.get(old), self.new.shapes.get(new)) else {
            // Validated models resolve every reference; nothing to compare otherwise.
            return RefDiff::Same;
        };
        match (a.shape_type, b.shape_type) {
            (ShapeType::Structure, ShapeType::Structure) => {
                if path.contains(&(old, new)) {
                    return RefDiff::Same;
                }
                path.push((old, new));
                let below = self.structures(Some(a), Some(b), path);
                path.pop();
                if below.is_empty() {
                    RefDiff::Same
                } else {
                    RefDiff::Nested(below)
                }
            }
            (ShapeType::List, ShapeType::List) => match (&a.member, &b.member) {
                (Some(x), Some(y)) => self.refs(&x.shape, &y.shape, path),
                _ => RefDiff::Same,
            },
            (ShapeType::Map, ShapeType::Map) => {
                let key =
                    |s: &Shape, m: &ServiceModel| s.key.as_ref().map(|k| type_of(m, &k.shape)).unwrap_or_default();
                let (ka, kb) = (key(a, self.old), key(b, self.new));
                if ka != kb {
                    return RefDiff::Changed(format!("{} -> {}", type_of(self.old, old), type_of(self.new, new)));
                }
                match (&a.value, &b.value) {
                    (Some(x), Some(y)) => self.refs(&x.shape, &y.shape, path),
                    _ => RefDiff::Same,
                }
            }
            _ => match (&a.enum_values, &b.enum_values) {
                (Some(x), Some(y)) if a.shape_type == ShapeType::String && b.shape_type == ShapeType::String => {
                    enum_change(x, y).map_or(RefDiff::Same, RefDiff::Changed)
                }
                _ => {
                    let (ta, tb) = (type_of(self.old, old), type_of(self.new, new));
                    if ta == tb {
                        RefDiff::Same
                    } else {
                        RefDiff::Changed(format!("{ta} -> {tb}"))
                    }
                }
            },
        }
    }
}

/// `added: a | b; removed: c`, or `None` when only the order changed.
pub(crate) fn enum_change(old: &[String], new: &[String]) -> Option<String> {
    let added: Vec<&str> = new.iter().filter(|v| !old.contains(v)).map(String::as_str).collect();
    let removed: Vec<&str> = old.iter().filter(|v| !new.contains(v)).map(String::as_str).collect();
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("added: {}", added.join(" | ")));
    }
    if !removed.is_empty() {
        parts.push(format!("removed: {}", removed.join(" | ")));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// A member's type as a tree, for new and removed members: scalars by botocore type name,
/// enums by their values, structures by their members, lists as a list of their member's
/// tree (`['string']`), maps as `{key: value}`. `path` holds the structures being described,
/// to cut recursion.
pub fn describe(model: &ServiceModel, shape: &str, path: &mut Vec<String>) -> Node {
    let Some(s) = model.shapes.get(shape) else { return Node::Leaf(shape.to_owned()) };
    match s.shape_type {
        ShapeType::Structure => {
            if path.iter().any(|p| p == shape) {
                return Node::Leaf(format!("{shape} (recursive)"));
            }
            path.push(shape.to_owned());
            let members = s.members.iter().map(|(name, r)| (name.clone(), describe(model, &r.shape, path))).collect();
            path.pop();
            Node::Tree(members)
        }
        ShapeType::List => match &s.member {
            Some(m) => Node::List(Box::new([describe(model, &m.shape, path)])),
            None => Node::Leaf("list".to_owned()),
        },
        ShapeType::Map => {
            let key = s.key.as_ref().map(|k| type_of(model, &k.shape)).unwrap_or_else(|| "string".to_owned());
            let value = match &s.value {
                Some(v) => describe(model, &v.shape, path),
                None => Node::Leaf("string".to_owned()),
            };
            Node::Tree(BTreeMap::from([(key, value)]))
        }
        _ => Node::Leaf(type_of(model, shape)),
    }
}

/// A one-line type: the botocore type name, an enum's values joined by ` | `, `list of T`,
/// `map of K to V`, `structure Name`.
pub fn type_of(model: &ServiceModel, shape: &str) -> String {
    let Some(s) = model.shapes.get(shape) else { return shape.to_owned() };
    match s.shape_type {
        ShapeType::String if s.enum_values.is_some() => s.enum_values.as_deref().unwrap_or_default().join(" | "),
        ShapeType::Structure => format!("structure {shape}"),
        ShapeType::List => match &s.member {
            Some(m) => format!("list of {}", type_of(model, &m.shape)),
            None => "list".to_owned(),
        },
        ShapeType::Map => {
            let part = |r: &Option<crate::model::ShapeRef>| r.as_ref().map(|r| type_of(model, &r.shape));
            format!("map of {} to {}", part(&s.key).unwrap_or_default(), part(&s.value).unwrap_or_default())
        }
        other => other.as_str().to_owned(),
    }
}
