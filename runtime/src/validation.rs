//! Input validation before anything is sent: required members, and the model's `min`/`max`
//! limits on lengths (strings in characters, lists, blobs in bytes) and on numbers.
//!
//! Generated validators walk an input with a [`Validator`], which keeps the current member
//! path (`NodeGroupConfiguration[2].Slots`) and collects every problem, so one error reports
//! them all — botocore reports all too, but checks only `min`.

use std::fmt::Write as _;
use std::fmt;

/// Every problem found in one input.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    operation: &'static str,
    problems: Vec<Problem>,
}

/// One problem, at a member path.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Member path from the input, model names: `Tags[0].Key`.
    pub path: String,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A required member is not set.
    Missing,
    /// A string, list or blob is shorter than the model's `min`.
    TooShort { len: usize, min: usize },
    /// A string, list or blob is longer than the model's `max`.
    TooLong { len: usize, max: usize },
    /// A number is below the model's `min`.
    TooSmall { value: f64, min: f64 },
    /// A number is above the model's `max`.
    TooLarge { value: f64, max: f64 },
}

impl ValidationError {
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = &self.path;
        match &self.kind {
            ProblemKind::Missing => write!(f, "`{path}` is required but not set"),
            ProblemKind::TooShort { len, min } => write!(f, "`{path}` has length {len}, below the minimum of {min}"),
            ProblemKind::TooLong { len, max } => write!(f, "`{path}` has length {len}, above the maximum of {max}"),
            ProblemKind::TooSmall { value, min } => write!(f, "`{path}` is {value}, below the minimum of {min}"),
            ProblemKind::TooLarge { value, max } => write!(f, "`{path}` is {value}, above the maximum of {max}"),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(f, "invalid {} input ({n} problem{}): ", self.operation, if n == 1 { "" } else { "s" })?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Collects problems while generated code walks an input.
#[derive(Debug, Default)]
pub struct Validator {
    path: String,
    problems: Vec<Problem>,
}

/// Where [`Validator::enter`] found the path, to return to it.
#[derive(Debug, Clone, Copy)]
pub struct Mark(usize);

impl Validator {
    pub fn new() -> Self {
        Validator::default()
    }

    /// Descends into member `name` (`""` stays where it is: the value itself).
    pub fn enter(&mut self, name: &str) -> Mark {
        let mark = Mark(self.path.len());
        if name.is_empty() {
            return mark;
        }
        if !self.path.is_empty() {
            self.path.push('.');
        }
        self.path.push_str(name);
        mark
    }

    /// Descends into item `i` of a list.
    pub fn enter_index(&mut self, i: usize) -> Mark {
        let mark = Mark(self.path.len());
        let _ = write!(self.path, "[{i}]");
        mark
    }

    /// Descends into the value of map key `key`.
    pub fn enter_key(&mut self, key: &str) -> Mark {
        let mark = Mark(self.path.len());
        let _ = write!(self.path, "[{key:?}]");
        mark
    }

    pub fn leave(&mut self, mark: Mark) {
        self.path.truncate(mark.0);
    }

    fn report(&mut self, name: &str, kind: ProblemKind) {
        let mark = self.enter(name);
        self.problems.push(Problem { path: self.path.clone(), kind });
        self.leave(mark);
    }

    /// A required member `name` is not set.
    pub fn missing(&mut self, name: &str) {
        self.report(name, ProblemKind::Missing);
    }

    /// Checks a length (characters of a string, items of a list, bytes of a blob).
    pub fn length(&mut self, name: &str, len: usize, min: Option<usize>, max: Option<usize>) {
        if let Some(min) = min.filter(|m| len < *m) {
            self.report(name, ProblemKind::TooShort { len, min });
        }
        if let Some(max) = max.filter(|m| len > *m) {
            self.report(name, ProblemKind::TooLong { len, max });
        }
    }

    /// Checks a number.
    pub fn range(&mut self, name: &str, value: f64, min: Option<f64>, max: Option<f64>) {
        if let Some(min) = min.filter(|m| value < *m) {
            self.report(name, ProblemKind::TooSmall { value, min });
        }
        if let Some(max) = max.filter(|m| value > *m) {
            self.report(name, ProblemKind::TooLarge { value, max });
        }
    }

    /// The problems found, as an error of `operation`.
    pub fn finish(self, operation: &'static str) -> Result<(), ValidationError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { operation, problems: self.problems })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_problem_with_paths() {
        let mut v = Validator::new();
        v.missing("SourceSnapshotName");
        let m = v.enter("Tags");
        let i = v.enter_index(1);
        v.length("Key", 0, Some(1), Some(128));
        v.leave(i);
        v.leave(m);
        v.range("MaxRecords", 500.0, Some(20.0), Some(100.0));
        let e = v.finish("CopySnapshot").unwrap_err();
        assert_eq!(e.problems().len(), 3);
        assert_eq!(
            e.to_string(),
            "invalid CopySnapshot input (3 problems): `SourceSnapshotName` is required but not set; \
             `Tags[1].Key` has length 0, below the minimum of 1; `MaxRecords` is 500, above the maximum of 100"
        );
        assert!(Validator::new().finish("X").is_ok());
    }
}
