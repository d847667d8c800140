//! Endpoint rules engine: evaluates a service's endpoint rule set (work in progress).
