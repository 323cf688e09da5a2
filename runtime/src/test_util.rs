//! Test doubles (feature `test-util`): an HTTP client that records requests and replays canned
//! responses, and typed per-operation stubs that answer calls without any HTTP at all.
//!
//! Replaying canned responses through the whole pipeline (signing, retries, deserialization):
//!
//! ```
//! use smithy_rust_runtime::config::Config;
//! use smithy_rust_runtime::credentials::Credentials;
//! use smithy_rust_runtime::env::region::Region;
//! use smithy_rust_runtime::test_util::{CannedResponse, ReplayClient};
//!
//! let replay = ReplayClient::new(vec![
//!     CannedResponse::new(503),
//!     CannedResponse::new(200)
//!         .header("content-type", "application/json")
//!         .body(r#"{"AppInstanceArn":"arn"}"#),
//! ]);
//! let config = Config::builder()
//!     .region(Region::new("us-east-1"))
//!     .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
//!     .http_client(replay.clone())
//!     .build();
//! // ... make calls with a client of `config`, then look at what was sent:
//! assert_eq!(replay.requests().len(), 0);
//! assert_eq!(replay.remaining(), 2);
//! ```
//!
//! Typed stubs, checked in order, each `then_*` answering one matching call, are used with a
//! generated crate's operations (see its `test_util` module):
//! `stubs.on::<CreateAppInstance>().matching(|input| ..).then_output(..).then_error(..)`, then
//! `Config::builder().stubs(stubs.clone())`.

use std::any::{Any, TypeId};
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;

use crate::contract::error::{BoxError, ProvideErrorMetadata};
use crate::contract::http::{BoxFuture, ConnectorError, ConnectorErrorKind, HttpClient};
use crate::contract::http::{HttpRequest, HttpResponse};
use crate::contract::interceptor::{CallAnswer, CallInfo, CallInput, Interceptor};
use crate::contract::operation::Operation;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// A response a [`ReplayClient`] answers with.
#[derive(Debug, Clone)]
pub struct CannedResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl CannedResponse {
    /// A response with this status, no headers and an empty body.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    fn to_response(&self) -> Result<HttpResponse, BoxError> {
        let mut builder = http::Response::builder().status(self.status);
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        Ok(builder.body(self.body.clone())?)
    }
}

/// A [`ReplayClient`] ran out of canned responses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayExhausted {
    request_number: usize,
    method: String,
    uri: String,
}

impl fmt::Display for ReplayExhausted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ReplayClient has no canned response left for request #{} ({} {})",
            self.request_number, self.method, self.uri
        )
    }
}

impl std::error::Error for ReplayExhausted {}

#[derive(Debug, Default)]
struct ReplayState {
    responses: VecDeque<CannedResponse>,
    fallback: Option<CannedResponse>,
    requests: Vec<HttpRequest>,
}

/// An [`HttpClient`] that records every request and answers each with the next canned
/// response (then with the fallback, if set). When nothing is left it fails the request with
/// a [`ReplayExhausted`] error (a non-retryable dispatch failure). Clones share their state.
#[derive(Debug, Clone, Default)]
pub struct ReplayClient {
    state: Arc<Mutex<ReplayState>>,
}

/// A [`ReplayClient`] used only to capture requests; give it a fallback response with
/// [`ReplayClient::with_fallback`].
pub type CaptureClient = ReplayClient;

impl ReplayClient {
    /// A client answering with `responses` in order.
    pub fn new(responses: impl IntoIterator<Item = CannedResponse>) -> Self {
        Self {
            state: Arc::new(Mutex::new(ReplayState {
                responses: responses.into_iter().collect(),
                fallback: None,
                requests: Vec::new(),
            })),
        }
    }

    /// Answers with `response` once the canned responses are used up.
    pub fn with_fallback(self, response: CannedResponse) -> Self {
        lock(&self.state).fallback = Some(response);
        self
    }

    /// Copies of the requests received so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        lock(&self.state)
            .requests
            .iter()
            .map(|r| {
                let mut copy = http::Request::new(r.body().clone());
                *copy.method_mut() = r.method().clone();
                *copy.uri_mut() = r.uri().clone();
                *copy.headers_mut() = r.headers().clone();
                copy
            })
            .collect()
    }

    /// How many canned responses are left.
    pub fn remaining(&self) -> usize {
        lock(&self.state).responses.len()
    }
}

impl HttpClient for ReplayClient {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        let result = {
            let mut state = lock(&self.state);
            let number = state.requests.len() + 1;
            let method = request.method().to_string();
            let uri = request.uri().to_string();
            state.requests.push(request);
            match state
                .responses
                .pop_front()
                .or_else(|| state.fallback.clone())
            {
                Some(canned) => canned
                    .to_response()
                    .map_err(|e| ConnectorError::new(ConnectorErrorKind::User, e)),
                None => Err(ConnectorError::new(
                    ConnectorErrorKind::Other,
                    ReplayExhausted {
                        request_number: number,
                        method,
                        uri,
                    },
                )),
            }
        };
        Box::pin(std::future::ready(result))
    }
}

/// A call that no stub answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoMatchingStub {
    operation: &'static str,
    input: String,
}

impl fmt::Display for NoMatchingStub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no stub left for operation `{}` matching input {}",
            self.operation, self.input
        )
    }
}

impl std::error::Error for NoMatchingStub {}

type Matcher = Box<dyn Fn(&dyn Any) -> bool + Send + Sync>;
type Answer = Box<dyn FnOnce(&dyn Any) -> CallAnswer + Send + Sync>;

struct Rule {
    /// The operation's input type: inputs of other operations never match.
    input_type: TypeId,
    operation: &'static str,
    matcher: Option<Matcher>,
    answers: VecDeque<Answer>,
}

#[derive(Default)]
struct StubState {
    rules: Vec<Rule>,
    calls: Vec<&'static str>,
}

/// Typed answers for operations, used instead of HTTP: an [`Interceptor`] that answers the calls
/// it has a rule for (add it with `config::Builder::stubs` or `config::Builder::interceptor`).
/// Rules are checked in the order they were added; the first rule for the operation whose
/// matcher accepts the input and that has answers left gives the next answer. A call no rule
/// answers fails with a [`NoMatchingStub`] construction failure. Clones share their state.
#[derive(Clone, Default)]
pub struct Stubs {
    state: Arc<Mutex<StubState>>,
}

impl fmt::Debug for Stubs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("Stubs")
            .field(
                "rules",
                &state.rules.iter().map(|r| r.operation).collect::<Vec<_>>(),
            )
            .field("calls", &state.calls)
            .finish()
    }
}

impl Stubs {
    /// No stubs yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a rule for operation `O` (matching every input until [`StubRule::matching`]).
    pub fn on<O: Operation>(&self) -> StubRule<O> {
        let index = {
            let mut state = lock(&self.state);
            state.rules.push(Rule {
                input_type: TypeId::of::<O::Input>(),
                operation: O::NAME,
                matcher: None,
                answers: VecDeque::new(),
            });
            state.rules.len() - 1
        };
        StubRule {
            stubs: self.clone(),
            index,
            _op: std::marker::PhantomData,
        }
    }

    /// The names of the operations called so far, in order.
    pub fn calls(&self) -> Vec<&'static str> {
        lock(&self.state).calls.clone()
    }

    fn with_rule(&self, index: usize, f: impl FnOnce(&mut Rule)) {
        if let Some(rule) = lock(&self.state).rules.get_mut(index) {
            f(rule);
        }
    }
}

impl Interceptor for Stubs {
    fn answer_call(&self, call: &CallInfo, input: &dyn CallInput) -> Option<CallAnswer> {
        let answer = {
            let mut state = lock(&self.state);
            state.calls.push(call.operation);
            let input_type = input.as_any().type_id();
            state
                .rules
                .iter_mut()
                .filter(|rule| rule.input_type == input_type && rule.operation == call.operation)
                .find(|rule| {
                    !rule.answers.is_empty()
                        && match &rule.matcher {
                            Some(matcher) => matcher(input.as_any()),
                            None => true,
                        }
                })
                .and_then(|rule| rule.answers.pop_front())
        };
        Some(match answer {
            Some(answer) => answer(input.as_any()),
            None => CallAnswer::Failure(Box::new(NoMatchingStub {
                operation: call.operation,
                input: format!("{input:?}"),
            })),
        })
    }
}

/// A rule being set up by [`Stubs::on`]; its settings take effect immediately.
pub struct StubRule<O: Operation> {
    stubs: Stubs,
    index: usize,
    _op: std::marker::PhantomData<fn() -> O>,
}

impl<O: Operation> fmt::Debug for StubRule<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StubRule")
            .field("operation", &O::NAME)
            .field("index", &self.index)
            .finish()
    }
}

impl<O: Operation> StubRule<O> {
    /// Only inputs accepted by `matcher` use this rule.
    pub fn matching(self, matcher: impl Fn(&O::Input) -> bool + Send + Sync + 'static) -> Self {
        let erased: Matcher =
            Box::new(move |input: &dyn Any| input.downcast_ref::<O::Input>().is_some_and(&matcher));
        self.stubs
            .with_rule(self.index, |rule| rule.matcher = Some(erased));
        self
    }

    /// The next matching call returns `output`.
    pub fn then_output(self, output: O::Output) -> Self {
        self.then(move |_| Ok(output))
    }

    /// The next matching call fails with the service error `error`.
    pub fn then_error(self, error: O::Error) -> Self {
        self.then(move |_| Err(error))
    }

    /// The next matching call is answered by `answer`, which sees the input.
    pub fn then(
        self,
        answer: impl FnOnce(&O::Input) -> Result<O::Output, O::Error> + Send + Sync + 'static,
    ) -> Self {
        let erased: Answer = Box::new(move |input: &dyn Any| {
            let Some(input) = input.downcast_ref::<O::Input>() else {
                return CallAnswer::Failure(Box::new(NoMatchingStub {
                    operation: O::NAME,
                    input: "<an input of another type>".to_owned(),
                }));
            };
            match answer(input) {
                Ok(output) => CallAnswer::Output(Box::new(output)),
                Err(error) => {
                    let status = error
                        .meta()
                        .status()
                        .and_then(|s| http::StatusCode::from_u16(s).ok())
                        .unwrap_or(http::StatusCode::BAD_REQUEST);
                    let mut raw = http::Response::new(Bytes::new());
                    *raw.status_mut() = status;
                    CallAnswer::ServiceError(Box::new(error), raw)
                }
            }
        });
        self.stubs
            .with_rule(self.index, |rule| rule.answers.push_back(erased));
        self
    }
}
