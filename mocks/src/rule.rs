//! Rules: which calls of one operation they answer, and with what, one response per attempt.

use aws_query_runtime::client::FluentBuilder;
use aws_query_runtime::http::HttpResponse;
use aws_query_runtime::intercept::Response;
use aws_query_runtime::operation::Operation;
use std::any::Any;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// What a rule answers with.
#[derive(Debug)]
pub enum MockResponse<O, E> {
    /// A modeled output: the call's result.
    Output(O),
    /// A modeled error: the call fails with it as its service error.
    Error(E),
    /// A response as the transport would return it: parsed, classified, maybe retried.
    Http(HttpResponse),
}

type Input = dyn Any + Send + Sync;
type MatchFn = Arc<dyn Fn(&Input) -> bool + Send + Sync>;
type ServeFn = Arc<dyn Fn(usize, &Input) -> Option<Response> + Send + Sync>;
type CloneFn = Arc<dyn Fn(&Input) -> Option<Box<Input>> + Send + Sync>;
/// Carries a rule's input, output and error types without owning values of them.
type Types<I, O, E> = std::marker::PhantomData<fn() -> (I, O, E)>;

/// How the interceptor picks among its rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleMode {
    /// Rules are used in the order they were added, each until it is exhausted (a simple rule
    /// — `then_output` and the like — answers once); a call the current rule does not match
    /// panics.
    Sequential,
    /// The first rule that matches the call and has a response left answers it.
    MatchAny,
}

/// A rule: made by [`mock!`](crate::mock!), given to [`mock_client!`](crate::mock_client!).
/// Clones share their call count.
#[derive(Clone)]
pub struct Rule {
    matcher: MatchFn,
    serve: ServeFn,
    clone_input: CloneFn,
    calls: Arc<AtomicUsize>,
    max_responses: usize,
    simple: bool,
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule").field("calls", &self.num_calls()).field("max_responses", &self.max_responses).finish()
    }
}

impl Rule {
    /// How many responses the rule gave (attempts it answered).
    pub fn num_calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// Whether it gave every response it has.
    pub fn is_exhausted(&self) -> bool {
        self.num_calls() >= self.max_responses
    }

    pub(crate) fn is_simple(&self) -> bool {
        self.simple
    }

    pub(crate) fn matches(&self, input: &Input) -> bool {
        (self.matcher)(input)
    }

    /// The next response, counted; `None` when the rule has none left.
    pub(crate) fn next_response(&self, input: &Input) -> Option<Response> {
        let index = self.calls.fetch_add(1, Ordering::SeqCst);
        if index >= self.max_responses {
            return None;
        }
        (self.serve)(index, input)
    }

    /// A copy of the call's input, for the responses of later attempts.
    pub(crate) fn keep_input(&self, input: &Input) -> Option<Box<Input>> {
        (self.clone_input)(input)
    }
}

/// Starts a rule for the operation with input `I`, output `O` and error `E`.
pub struct RuleBuilder<I, O, E> {
    matcher: MatchFn,
    _types: Types<I, O, E>,
}

impl<I, O, E> RuleBuilder<I, O, E>
where
    I: Clone + Send + Sync + 'static,
    O: Send + 'static,
    E: Send + 'static,
{
    /// The rule builder for the operation a client method sends (`Client::describe_snapshots`);
    /// what [`mock!`](crate::mock!) expands to. The method is never called.
    pub fn new_from_mock<C, B, Op>(_operation: impl Fn(&C) -> B) -> Self
    where
        B: FluentBuilder<Operation = Op>,
        Op: Operation<Input = I, Output = O, Error = E>,
    {
        RuleBuilder { matcher: Arc::new(|i: &Input| i.is::<I>()), _types: std::marker::PhantomData }
    }

    /// Answers only the calls whose input `filter` accepts.
    pub fn match_requests<F>(mut self, filter: F) -> Self
    where
        F: Fn(&I) -> bool + Send + Sync + 'static,
    {
        self.matcher = Arc::new(move |i: &Input| i.downcast_ref::<I>().is_some_and(&filter));
        self
    }

    /// A sequence of responses, one per attempt, finished with `build()`.
    pub fn sequence(self) -> ResponseSequenceBuilder<I, O, E> {
        ResponseSequenceBuilder { generators: Vec::new(), matcher: self.matcher, simple: false, _types: std::marker::PhantomData }
    }

    /// A rule that answers with an output.
    pub fn then_output<F>(self, output: F) -> Rule
    where
        F: Fn() -> O + Send + Sync + 'static,
    {
        self.sequence().output(output).build_simple()
    }

    /// A rule that answers with a modeled error.
    pub fn then_error<F>(self, error: F) -> Rule
    where
        F: Fn() -> E + Send + Sync + 'static,
    {
        self.sequence().error(error).build_simple()
    }

    /// A rule that answers with an HTTP response.
    pub fn then_http_response<F>(self, response: F) -> Rule
    where
        F: Fn() -> HttpResponse + Send + Sync + 'static,
    {
        self.sequence().http_response(response).build_simple()
    }

    /// A rule that answers with an output made from the input.
    pub fn then_compute_output<F>(self, compute: F) -> Rule
    where
        F: Fn(&I) -> O + Send + Sync + 'static,
    {
        self.sequence().push(move |i| MockResponse::Output(compute(i))).build_simple()
    }

    /// A rule that answers with any response made from the input.
    pub fn then_compute_response<F>(self, compute: F) -> Rule
    where
        F: Fn(&I) -> MockResponse<O, E> + Send + Sync + 'static,
    {
        self.sequence().push(compute).build_simple()
    }
}

type Generator<I, O, E> = Arc<dyn Fn(&I) -> MockResponse<O, E> + Send + Sync>;

/// The responses of a rule, in order; each can repeat (`times`, `repeatedly`).
pub struct ResponseSequenceBuilder<I, O, E> {
    generators: Vec<(Generator<I, O, E>, usize)>,
    matcher: MatchFn,
    simple: bool,
    _types: Types<I, O, E>,
}

/// A sequence ended by `repeatedly()`: only `build()` is left.
pub struct FinalizedResponseSequenceBuilder<I, O, E> {
    inner: ResponseSequenceBuilder<I, O, E>,
}

impl<I, O, E> ResponseSequenceBuilder<I, O, E>
where
    I: Clone + Send + Sync + 'static,
    O: Send + 'static,
    E: Send + 'static,
{
    fn push(mut self, generator: impl Fn(&I) -> MockResponse<O, E> + Send + Sync + 'static) -> Self {
        self.generators.push((Arc::new(generator), 1));
        self
    }

    /// Then an output.
    pub fn output<F>(self, output: F) -> Self
    where
        F: Fn() -> O + Send + Sync + 'static,
    {
        self.push(move |_| MockResponse::Output(output()))
    }

    /// Then a modeled error.
    pub fn error<F>(self, error: F) -> Self
    where
        F: Fn() -> E + Send + Sync + 'static,
    {
        self.push(move |_| MockResponse::Error(error()))
    }

    /// Then an HTTP response with `status` and `body` (empty when `None`).
    pub fn http_status(self, status: u16, body: Option<String>) -> Self {
        let body = body.unwrap_or_default();
        self.push(move |_| MockResponse::Http(HttpResponse::new(status, body.clone())))
    }

    /// Then an HTTP response.
    pub fn http_response<F>(self, response: F) -> Self
    where
        F: Fn() -> HttpResponse + Send + Sync + 'static,
    {
        self.push(move |_| MockResponse::Http(response()))
    }

    /// The last response added answers `count` attempts in a row.
    ///
    /// # Panics
    /// With `count` 0 or before any response (as aws-smithy-mocks).
    pub fn times(mut self, count: usize) -> Self {
        assert!(count > 0, "repeat count must be greater than zero");
        let last = self.generators.last_mut().expect("times(n) called before adding a response to the sequence");
        last.1 = count;
        self
    }

    /// The last response added answers every attempt from then on: the rule is never
    /// exhausted.
    ///
    /// # Panics
    /// Before any response (as aws-smithy-mocks).
    pub fn repeatedly(self) -> FinalizedResponseSequenceBuilder<I, O, E> {
        FinalizedResponseSequenceBuilder { inner: self.times(usize::MAX) }
    }

    fn build_simple(mut self) -> Rule {
        self.simple = true;
        self.repeatedly().build()
    }

    /// The rule.
    pub fn build(self) -> Rule {
        let total = self.generators.iter().fold(0usize, |sum, (_, n)| sum.saturating_add(*n));
        let generators = self.generators;
        let serve: ServeFn = Arc::new(move |index: usize, input: &Input| {
            let input = input.downcast_ref::<I>()?;
            let mut at = index;
            for (generator, repeat) in &generators {
                if at < *repeat {
                    return Some(erase(generator(input)));
                }
                at -= repeat;
            }
            None
        });
        let clone_input: CloneFn = Arc::new(|i: &Input| i.downcast_ref::<I>().map(|i| Box::new(i.clone()) as Box<Input>));
        Rule { matcher: self.matcher, serve, clone_input, calls: Arc::new(AtomicUsize::new(0)), max_responses: total, simple: self.simple }
    }
}

impl<I, O, E> FinalizedResponseSequenceBuilder<I, O, E>
where
    I: Clone + Send + Sync + 'static,
    O: Send + 'static,
    E: Send + 'static,
{
    /// The rule.
    pub fn build(self) -> Rule {
        self.inner.build()
    }
}

/// The typed response as the runtime carries it.
fn erase<O: Send + 'static, E: Send + 'static>(response: MockResponse<O, E>) -> Response {
    match response {
        MockResponse::Output(o) => Response::Output(Box::new(o)),
        MockResponse::Error(e) => Response::Error(Box::new(e)),
        MockResponse::Http(h) => Response::Http(h),
    }
}
