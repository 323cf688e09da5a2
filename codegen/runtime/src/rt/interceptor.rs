//! Hooks that observe or change a call as it runs.
//!
//! Implement [`Interceptor`] (every method has a no-op default) and add it with
//! `config::Builder::interceptor`. A hook that returns an error stops the call with that error.
//!
//! ```ignore
//! #[derive(Debug)]
//! struct AddTraceHeader;
//!
//! impl Interceptor for AddTraceHeader {
//!     fn modify_before_signing(&self, _call: &CallInfo, request: &mut HttpRequest) -> Result<(), BoxError> {
//!         request.headers_mut().insert("x-trace-id", http::HeaderValue::from_static("abc"));
//!         Ok(())
//!     }
//! }
//! ```

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use crate::rt::error::BoxError;
use crate::rt::operation::{HttpRequest, HttpResponse};

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
