//! Every input of one service, loaded up front: `service-2.json` and the companion files
//! botocore keeps beside it. Read from a folder or given as text; after [`Sources`] is made,
//! nothing reads the disk again.

use super::{endpoints, examples, from_json, paginators, parse_service, waiters, ModelError, ServiceModel};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// The service model and its companions, parsed, each named as errors should show it.
#[derive(Debug, Clone)]
pub struct Sources {
    /// How the service file is named in errors and generated headers
    /// (`models/elasticache/service-2.json`).
    pub name: String,
    pub service: ServiceModel,
    pub paginators: Option<Companion<paginators::Paginators>>,
    pub waiters: Option<Companion<waiters::Waiters>>,
    pub endpoint_rules: Option<Companion<endpoints::RuleSet>>,
    pub examples: Option<Companion<examples::Examples>>,
}

/// A companion file, parsed, and how it is named in errors.
#[derive(Debug, Clone)]
pub struct Companion<T> {
    pub file: PathBuf,
    pub value: T,
}

pub const SERVICE: &str = "service-2.json";
pub const PAGINATORS: &str = "paginators-1.json";
pub const WAITERS: &str = "waiters-2.json";
pub const ENDPOINT_RULES: &str = "endpoint-rule-set-1.json";
pub const EXAMPLES: &str = "examples-1.json";

impl Sources {
    /// Reads `service_file` and the companions beside it. `name` is how the service file is
    /// shown (its companions are shown beside it).
    pub fn read(service_file: &Path, name: &str) -> Result<Sources, Vec<ModelError>> {
        let read = |file: &str| -> Result<Option<String>, String> {
            // The service file may have any name (`2016-05-26-b9d9232bb.json`); its
            // companions have botocore's names, beside it.
            let path = if file == SERVICE { service_file.to_owned() } else { service_file.with_file_name(file) };
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok(Some(text)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && file != SERVICE => Ok(None),
                Err(e) => Err(format!("cannot read: {e}")),
            }
        };
        Sources::parse(name, read)
    }

    /// Sources from text: the service model and the companions present (by file name,
    /// [`PAGINATORS`], …). `name` is how the service file is shown.
    pub fn from_texts(name: &str, service: &str, companions: &[(&str, &str)]) -> Result<Sources, Vec<ModelError>> {
        Sources::parse(name, |file| {
            if file == SERVICE {
                return Ok(Some(service.to_owned()));
            }
            Ok(companions.iter().find(|(f, _)| *f == file).map(|(_, text)| (*text).to_owned()))
        })
    }

    /// Parses every file `get` gives; every problem of every file is reported at once.
    fn parse(name: &str, get: impl Fn(&str) -> Result<Option<String>, String>) -> Result<Sources, Vec<ModelError>> {
        let shown = Path::new(name);
        let mut problems = Vec::new();
        let service = match get(SERVICE) {
            Ok(Some(text)) => parse_service(shown, &text).map_err(|e| problems.extend(e)).ok(),
            Ok(None) => None,
            Err(message) => {
                problems.push(ModelError { file: shown.to_owned(), path: String::new(), message });
                None
            }
        };
        let paginators = companion(shown, PAGINATORS, &get, &mut problems);
        let waiters = companion(shown, WAITERS, &get, &mut problems);
        let endpoint_rules = companion(shown, ENDPOINT_RULES, &get, &mut problems);
        let examples = companion(shown, EXAMPLES, &get, &mut problems);
        match service {
            Some(service) if problems.is_empty() => {
                Ok(Sources { name: name.to_owned(), service, paginators, waiters, endpoint_rules, examples })
            }
            _ => Err(problems),
        }
    }
}

fn companion<T: DeserializeOwned>(
    service: &Path,
    name: &str,
    get: &impl Fn(&str) -> Result<Option<String>, String>,
    problems: &mut Vec<ModelError>,
) -> Option<Companion<T>> {
    let file = service.with_file_name(name);
    match get(name) {
        Ok(Some(text)) => match from_json::<T>(&file, &text) {
            Ok(value) => Some(Companion { file, value }),
            Err(e) => {
                problems.push(e);
                None
            }
        },
        Ok(None) => None,
        Err(message) => {
            problems.push(ModelError { file, path: String::new(), message });
            None
        }
    }
}
