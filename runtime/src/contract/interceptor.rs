//! Hooks that observe or change a call as it runs.
//!
//! Implement [`Interceptor`] (every method has a no-op default) and add it with
//! `config::Builder::interceptor`. A hook that returns an error stops the call with that error;
//! [`Interceptor::answer_call`] can answer a call without sending it (the test doubles' typed
//! stubs do).
//!
//! ```
//! use smithy_rust_runtime::contract::error::BoxError;
//! use smithy_rust_runtime::contract::http::HttpRequest;
//! use smithy_rust_runtime::contract::interceptor::{CallInfo, Interceptor};
//!
//! #[derive(Debug)]
//! struct AddTraceHeader;
//!
//! impl Interceptor for AddTraceHeader {
//!     fn modify_before_signing(
//!         &self,
//!         _call: &CallInfo,
//!         request: &mut HttpRequest,
//!     ) -> Result<(), BoxError> {
//!         request
//!             .headers_mut()
//!             .insert("x-trace-id", http::HeaderValue::from_static("abc"));
//!         Ok(())
//!     }
//! }
//!
//! let config = smithy_rust_runtime::config::Config::builder()
//!     .interceptor(AddTraceHeader)
//!     .build();
//! assert_eq!(config.interceptors().len(), 1);
//! ```

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use crate::contract::error::BoxError;
use crate::contract::http::{HttpRequest, HttpResponse};

/// An operation's input as hooks see it: downcast it to the operation's input type with
/// [`as_any`](CallInput::as_any); its `Debug` output redacts `@sensitive` members.
pub trait CallInput: Any + fmt::Debug + Send + Sync {
    /// The input, to downcast.
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any + fmt::Debug + Send + Sync> CallInput for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// What [`Interceptor::answer_call`] answers a call with instead of sending it.
pub enum CallAnswer {
    /// The call succeeds with this output, which must be the operation's output type.
    Output(Box<dyn Any + Send>),
    /// The call fails with this service error (the operation's error type) and the raw response
    /// it stands for.
    ServiceError(Box<dyn Any + Send>, HttpResponse),
    /// The call fails before anything is sent (an `SdkError::ConstructionFailure`).
    Failure(BoxError),
}

impl fmt::Debug for CallAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallAnswer::Output(_) => f.write_str("Output(..)"),
            CallAnswer::ServiceError(_, raw) => {
                write!(f, "ServiceError(.., status {})", raw.status().as_u16())
            }
            CallAnswer::Failure(err) => f.debug_tuple("Failure").field(err).finish(),
        }
    }
}

/// What a hook knows about the call it runs in.
#[derive(Debug, Clone)]
pub struct CallInfo {
    /// The service's SDK id.
    pub service_id: &'static str,
    /// The operation's name as written in the model.
    pub operation: &'static str,
    /// The call's invocation id (`amz-sdk-invocation-id`), the same on every attempt.
    pub invocation_id: String,
    /// The current attempt, starting at 1 (0 before the first attempt).
    pub attempt: u32,
    /// The most attempts this call may make.
    pub max_attempts: u32,
}

/// How a call ended, as seen by [`Interceptor::read_after_execution`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallOutcome {
    /// Whether the call gave an output.
    pub success: bool,
    /// The HTTP status of the last response, if one arrived.
    pub status: Option<u16>,
    /// The error's text when the call failed.
    pub error: Option<String>,
    /// How many attempts were made.
    pub attempts: u32,
}

/// Observes or changes a call. All methods default to doing nothing.
pub trait Interceptor: fmt::Debug + Send + Sync {
    /// Called once per call with the operation input (downcast it to the operation's input
    /// type), before validation and serialization.
    fn read_before_execution(&self, call: &CallInfo, input: &dyn Any) -> Result<(), BoxError> {
        let _ = (call, input);
        Ok(())
    }

    /// Called once per call after validation, before anything is serialized or sent: an
    /// interceptor that returns `Some` answers the call itself (no request is sent, no later
    /// interceptor is asked). An answer of the wrong type fails the call with a construction
    /// failure. The default answers nothing.
    fn answer_call(&self, call: &CallInfo, input: &dyn CallInput) -> Option<CallAnswer> {
        let _ = (call, input);
        None
    }

    /// Called on every attempt before the request is signed: changes here are signed.
    fn modify_before_signing(
        &self,
        call: &CallInfo,
        request: &mut HttpRequest,
    ) -> Result<(), BoxError> {
        let _ = (call, request);
        Ok(())
    }

    /// Called on every attempt after signing, just before the request is sent. Changes to
    /// signed headers here break the signature.
    fn modify_before_transmit(
        &self,
        call: &CallInfo,
        request: &mut HttpRequest,
    ) -> Result<(), BoxError> {
        let _ = (call, request);
        Ok(())
    }

    /// Called on every attempt that received a response, before it is deserialized.
    fn read_before_deserialization(
        &self,
        call: &CallInfo,
        response: &HttpResponse,
    ) -> Result<(), BoxError> {
        let _ = (call, response);
        Ok(())
    }

    /// Called once when the call ends, successfully or not. Errors returned here are logged,
    /// not returned.
    fn read_after_execution(&self, call: &CallInfo, outcome: &CallOutcome) {
        let _ = (call, outcome);
    }
}

/// A shareable interceptor.
pub type SharedInterceptor = Arc<dyn Interceptor>;
