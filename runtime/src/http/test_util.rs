//! An in-memory transport for tests (yours too): replays canned responses in order and
//! captures every request the client sent.
//!
//! ```
//! use aws_query_runtime::http::test_util::ReplayClient;
//! use aws_query_runtime::http::HttpResponse;
//!
//! let replay = ReplayClient::new([HttpResponse::new(200, "<CopySnapshotResponse/>")]);
//! // config builder: `.http_client(replay.clone())`; after the call:
//! assert!(replay.requests().is_empty());
//! ```

use super::{BoxFuture, ConnectorError, ConnectorErrorKind, HttpClient, HttpRequest, HttpResponse, SendOptions};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

/// A transport that answers from a queue. Clones share the queue and the captured requests.
#[derive(Clone, Debug, Default)]
pub struct ReplayClient {
    inner: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    events: VecDeque<Event>,
    requests: Vec<HttpRequest>,
}

#[derive(Debug)]
enum Event {
    Response(HttpResponse),
    Error(ConnectorErrorKind, String),
}

impl ReplayClient {
    /// A client that answers the first request with the first response, and so on.
    pub fn new(responses: impl IntoIterator<Item = HttpResponse>) -> Self {
        let client = ReplayClient::default();
        for r in responses {
            client.push(r);
        }
        client
    }

    /// Queues one more response.
    pub fn push(&self, response: HttpResponse) -> &Self {
        self.state().events.push_back(Event::Response(response));
        self
    }

    /// Queues a transport failure (a reset connection, a timeout) instead of a response.
    pub fn push_error(&self, kind: ConnectorErrorKind, message: impl Into<String>) -> &Self {
        self.state().events.push_back(Event::Error(kind, message.into()));
        self
    }

    /// Every request sent so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.state().requests.clone()
    }

    /// The last request sent.
    pub fn last_request(&self) -> Option<HttpRequest> {
        self.state().requests.last().cloned()
    }

    /// Canned answers not used yet.
    pub fn remaining(&self) -> usize {
        self.state().events.len()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic in another test thread must not hide this test's requests.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl HttpClient for ReplayClient {
    fn send<'a>(&'a self, request: HttpRequest, options: &'a SendOptions) -> BoxFuture<'a, Result<HttpResponse, ConnectorError>> {
        let mut state = self.state();
        state.requests.push(request);
        let result = match state.events.pop_front() {
            Some(Event::Response(r)) if r.body().len() > options.max_body_bytes => {
                Err(ConnectorError::body_too_large(options.max_body_bytes))
            }
            Some(Event::Response(r)) => Ok(r),
            Some(Event::Error(kind, message)) => Err(ConnectorError::new(kind, message)),
            None => Err(ConnectorError::other("ReplayClient: no canned response left for this request")),
        };
        Box::pin(std::future::ready(result))
    }
}
