//! Calls of operations with event streams ([`Handle::call_streaming`]): the same pipeline as
//! every call (validation, serialization, endpoint, signing, interceptors, timeouts), with a
//! streaming exchange at its end.
//!
//! - An output event stream: the call returns as soon as a successful response's head has
//!   arrived, with the output holding the receiver of the body's events. From then on nothing
//!   is retried (events already delivered cannot be taken back); an error response before that
//!   point is read whole and retried like any other.
//! - Under the RPC protocols, the stream's first message, `initial-response`, holds the
//!   output's other members: it is read (bounded by the same timeouts) before the call
//!   returns; a stream that starts with anything else has none.
//! - An input event stream: the request's body is the caller's events, framed and (with SigV4)
//!   each signed, chained to the request's signature. The events can be sent once, so such a
//!   call is never retried.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use bytes::Bytes;

use super::erased::{erase_failure, typed_result, AnyError, AnyOutput, ErasedCall, TypedCall};
use super::{
    prepare_error, transport_failure, wrong_answer, Attempt, Authenticator, Exchange, Handle,
    InterceptorError, Signed,
};
use crate::capability::event_stream::{read_initial_response, InitialResponseError};
use crate::codec::event_stream::Message;
use crate::config::{Config, ConfigOverride};
use crate::contract::error::{request_id_header, SdkError};
use crate::contract::http::{ConnectorErrorKind, HttpRequest, HttpResponse};
use crate::contract::interceptor::CallInfo;
use crate::contract::operation::{ResponseFailure, StreamingOperation};
use crate::contract::stream::{
    EventStreamBody, MessageSigning, RequestBody, StreamingResponse, ERROR_BODY_LIMIT,
};
use crate::contract::text::Escaped;

/// Where an attempt stands: its configuration, what interceptors are told, when it was signed,
/// and where the last response status is kept.
pub(super) struct AttemptAt<'a> {
    pub(super) config: &'a Config,
    pub(super) call: &'a dyn ErasedCall,
    pub(super) info: &'a CallInfo,
    pub(super) now: SystemTime,
    pub(super) last_status: &'a AtomicU32,
}

/// The streaming exchange of one call.
pub(super) struct Streaming {
    /// The input's events, until an attempt sends them.
    events: Mutex<Option<EventStreamBody>>,
    sends_events: bool,
    /// Whether the stream starts with an `initial-response` message holding the output's
    /// other members.
    initial_response: bool,
    deserialize: DeserializeStreaming,
}

/// [`StreamingOperation::deserialize_streaming`] of the call's operation, erased.
type DeserializeStreaming =
    fn(StreamingResponse, Option<&Message>) -> Result<AnyOutput, ResponseFailure<AnyError>>;

/// [`StreamingOperation::deserialize_streaming`] of `O`, erased.
fn deserialize_streaming<O: StreamingOperation>(
    response: StreamingResponse,
    initial: Option<&Message>,
) -> Result<AnyOutput, ResponseFailure<AnyError>> {
    match O::deserialize_streaming(response, initial) {
        Ok(output) => Ok(Box::new(output)),
        Err(failure) => Err(erase_failure(failure)),
    }
}

impl Handle {
    /// Runs operation `O`, which has an event stream, with `input`; `overrides` are merged on
    /// top of the configuration for this call only.
    ///
    /// Returns once the response's head has arrived (and, under the RPC protocols, the
    /// stream's `initial-response` message): the output holds the receiver of an output event
    /// stream, whose events are read as they come. The operation and attempt timeouts bound
    /// the wait for that head and message; each wait for the stream's data is bounded by the
    /// HTTP client's read timeout.
    pub async fn call_streaming<O: StreamingOperation>(
        &self,
        input: O::Input,
        overrides: Option<ConfigOverride>,
    ) -> Result<O::Output, SdkError<O::Error>> {
        let events = O::input_stream(&input).map_err(SdkError::construction_failure)?;
        let exchange = Exchange::Streaming(Streaming {
            sends_events: events.is_some(),
            events: Mutex::new(events),
            initial_response: O::INITIAL_RESPONSE,
            deserialize: deserialize_streaming::<O>,
        });
        let call = TypedCall::<O>::new(input);
        let result = self.execute(&call, overrides, &exchange).await;
        typed_result::<O>(result, || wrong_answer(O::NAME, "output"))
    }
}

impl Streaming {
    /// Whether the request body is the input's event stream.
    pub(super) fn sends_event_stream(&self) -> bool {
        self.sends_events
    }

    /// Sends the signed `request` (with the input's events as its body, when it has an input
    /// event stream) and reads the response.
    pub(super) async fn attempt(
        &self,
        handle: &Handle,
        request: HttpRequest,
        signing: Option<MessageSigning>,
        at: AttemptAt<'_>,
    ) -> Attempt {
        match self.exchange(handle, request, signing, at).await {
            // The events went with this attempt: another one would have none to send.
            Attempt::Failed(err, Some(_)) if self.sends_events => Attempt::Failed(err, None),
            attempt => attempt,
        }
    }

    async fn exchange(
        &self,
        handle: &Handle,
        request: HttpRequest,
        signing: Option<MessageSigning>,
        at: AttemptAt<'_>,
    ) -> Attempt {
        let AttemptAt {
            config,
            call,
            info,
            now,
            last_status,
        } = at;
        let (parts, bytes) = request.into_parts();
        let body = if self.sends_events {
            let events = self
                .events
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            let Some(events) = events else {
                let err = prepare_error(
                    "the input event stream went with an earlier attempt of this call; events \
                     cannot be sent twice",
                );
                return Attempt::Failed(SdkError::construction_failure(err), None);
            };
            RequestBody::Stream(events.into_body(signing))
        } else {
            RequestBody::Bytes(bytes)
        };
        let request = http::Request::from_parts(parts, body);
        let response = match config.http_client().call_streaming(request).await {
            Ok(response) => response,
            Err(err) => return transport_failure(err, call.idempotent(), last_status),
        };
        if !response.status().is_success() {
            // An error response: read whole (at most the error body limit) and handled like
            // the error response of any call.
            let (parts, body) = response.into_parts();
            let head = http::Response::from_parts(parts.clone(), Bytes::new());
            return match body.collect_truncated(ERROR_BODY_LIMIT).await {
                Ok(body) => {
                    let response = http::Response::from_parts(parts, body);
                    handle.read_response(config, call, info, response, now, last_status)
                }
                Err(err) => {
                    let err = err.with_response_started(head, 0);
                    transport_failure(err, call.idempotent(), last_status)
                }
            };
        }
        let head = head_of(&response);
        let status = head.status().as_u16();
        last_status.store(u32::from(status), Ordering::Relaxed);
        let span = tracing::Span::current();
        span.record("status", status);
        if let Some(id) = request_id_header(head.headers()) {
            span.record("request_id", tracing::field::display(Escaped(id)));
        }
        for interceptor in config.interceptors() {
            if let Err(source) = interceptor.read_before_deserialization(info, &head) {
                let hook = "read_before_deserialization";
                let err = InterceptorError { hook, source };
                return Attempt::Failed(SdkError::response_error(err, head), None);
            }
        }
        let (response, initial) = if self.initial_response {
            let (parts, body) = response.into_parts();
            match read_initial_response(body).await {
                Ok((initial, body)) => (http::Response::from_parts(parts, body), initial),
                Err(InitialResponseError::Body(err))
                    if err.kind() == ConnectorErrorKind::Timeout =>
                {
                    return Attempt::Failed(SdkError::timeout_error(err), None);
                }
                Err(InitialResponseError::Body(err)) => {
                    return Attempt::Failed(SdkError::response_error(err, head), None);
                }
                Err(InitialResponseError::Message(err)) => {
                    tracing::debug!(status, error = %err, "unreadable initial response");
                    return Attempt::Failed(SdkError::response_error(err, head), None);
                }
            }
        } else {
            (response, None)
        };
        match (self.deserialize)(response, initial.as_ref()) {
            Ok(output) => Attempt::Done(output),
            Err(ResponseFailure::Service(err)) => {
                Attempt::Failed(SdkError::service_error(err, head), None)
            }
            Err(ResponseFailure::Unparseable(err)) => {
                tracing::debug!(status, error = %err, "unparseable response");
                Attempt::Failed(SdkError::response_error(err, head), None)
            }
        }
    }
}

/// The status line and headers of a streaming response, with an empty body: what interceptors
/// and errors see of a response whose body is an event stream.
fn head_of(response: &StreamingResponse) -> HttpResponse {
    let mut head = http::Response::new(Bytes::new());
    *head.status_mut() = response.status();
    *head.version_mut() = response.version();
    *head.headers_mut() = response.headers().clone();
    head
}

/// What the messages of an input event stream are signed with, for a request signed with
/// SigV4.
pub(super) fn message_signing(
    config: &Config,
    auth: &Authenticator,
    (seed_signature, credentials, skew_millis): Signed,
) -> Option<MessageSigning> {
    let Authenticator::SigV4 { target, .. } = auth else {
        return None;
    };
    Some(MessageSigning {
        credentials,
        region: target.region.clone(),
        service: target.name.clone(),
        seed_signature,
        clock: MessageSigning::skewed_clock(Arc::new(config.time_source().clone()), skew_millis),
    })
}
