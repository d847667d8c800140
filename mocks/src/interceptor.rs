//! The interceptor that answers a client's calls from rules, and the transport behind it.

use crate::rule::{Rule, RuleMode};
use aws_query_runtime::http::{BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse, SendOptions};
use aws_query_runtime::intercept::{Intercept, InterceptedCall, Response};
use std::any::Any;
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// Answers calls from its rules (see [`RuleMode`]); set on a configuration with
/// `Config::builder().interceptor(..)`, which [`mock_client!`](crate::mock_client!) does.
#[derive(Clone)]
pub struct MockResponseInterceptor {
    rules: Arc<Mutex<VecDeque<Rule>>>,
    rule_mode: RuleMode,
    must_match: bool,
}

impl fmt::Debug for MockResponseInterceptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} rules", self.rules.lock().unwrap_or_else(PoisonError::into_inner).len())
    }
}

impl Default for MockResponseInterceptor {
    fn default() -> Self {
        Self::new()
    }
}

impl MockResponseInterceptor {
    /// No rules, [`RuleMode::MatchAny`], every call must be answered.
    pub fn new() -> Self {
        MockResponseInterceptor { rules: Default::default(), rule_mode: RuleMode::MatchAny, must_match: true }
    }

    /// Adds a rule after the others.
    pub fn with_rule(self, rule: &Rule) -> Self {
        self.rules.lock().unwrap_or_else(PoisonError::into_inner).push_back(rule.clone());
        self
    }

    pub fn rule_mode(mut self, rule_mode: RuleMode) -> Self {
        self.rule_mode = rule_mode;
        self
    }

    /// Lets calls that no rule answers go to the configured HTTP client instead of panicking.
    pub fn allow_passthrough(mut self) -> Self {
        self.must_match = false;
        self
    }

    /// The rule that answers a call with `input`, and its first response.
    fn select(&self, operation: &str, input: &(dyn Any + Send + Sync)) -> Option<(Rule, Response)> {
        let mut rules = self.rules.lock().unwrap_or_else(PoisonError::into_inner);
        match self.rule_mode {
            RuleMode::Sequential => loop {
                let rule = rules.front()?.clone();
                // A used simple rule is done in this mode, as an exhausted one.
                if rule.is_exhausted() || (rule.is_simple() && rule.num_calls() > 0) {
                    rules.pop_front();
                    continue;
                }
                assert!(rule.matches(input), "in-order matching was enforced (RuleMode::Sequential) but the next rule does not match this {operation} call");
                match rule.next_response(input) {
                    Some(response) => return Some((rule, response)),
                    None => {
                        rules.pop_front();
                    }
                }
            },
            RuleMode::MatchAny => rules
                .iter()
                .filter(|r| !r.is_exhausted() && r.matches(input))
                .find_map(|r| r.next_response(input).map(|response| (r.clone(), response))),
        }
    }
}

impl Intercept for MockResponseInterceptor {
    fn intercept(&self, operation: &'static str, input: &(dyn Any + Send + Sync)) -> Option<Box<dyn InterceptedCall>> {
        match self.select(operation, input) {
            Some((rule, first)) => {
                let input = rule.keep_input(input);
                Some(Box::new(MockedCall { rule, input, first: Some(first) }))
            }
            None if self.must_match => {
                panic!("no rule answers this {operation} call (every rule is exhausted or none matches); add one, or allow_passthrough()")
            }
            None => None,
        }
    }
}

/// One answered call: the first response, then the rule's next ones for retries.
struct MockedCall {
    rule: Rule,
    input: Option<Box<dyn Any + Send + Sync>>,
    first: Option<Response>,
}

impl InterceptedCall for MockedCall {
    fn next_response(&mut self) -> Option<Response> {
        if let Some(first) = self.first.take() {
            return Some(first);
        }
        let input = self.input.as_deref()?;
        self.rule.next_response(input)
    }
}

/// The transport of a mocked client: every call is meant to be answered by the rules, so a
/// request that reaches it fails with a message saying so.
#[derive(Debug, Clone, Default)]
pub struct MockHttpClient;

/// The transport for [`mock_client!`](crate::mock_client!)'s clients.
pub fn create_mock_http_client() -> MockHttpClient {
    MockHttpClient
}

impl HttpClient for MockHttpClient {
    fn send<'a>(&'a self, request: HttpRequest, _options: &'a SendOptions) -> BoxFuture<'a, Result<HttpResponse, ConnectorError>> {
        let message = format!("a mocked client sent a request that no rule answered: {} {}", request.method(), request.uri());
        Box::pin(async move { Err(ConnectorError::other(message)) })
    }
}
