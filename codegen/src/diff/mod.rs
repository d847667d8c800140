//! Model diff: API changes between two versions of a model and their semver impact (work in progress).
