//! A call's operation with its types erased, for the orchestrator's body.
//!
//! The pipeline of a call (interceptors, endpoint, signing, attempts, retries, timeouts,
//! tracing) does not depend on the operation's types: it reaches the operation's input,
//! serializer and deserializer through [`ErasedCall`], so it is compiled once for all the
//! operations of a crate instead of once per operation. What stays generic is
//! [`TypedCall`] (a few calls into the operation) and [`typed_result`] (the downcasts of the
//! output and the error back to the operation's types).

use std::any::Any;
use std::error::Error as StdError;
use std::marker::PhantomData;

use crate::contract::auth::AuthScheme;
use crate::contract::endpoint::EndpointParams;
use crate::contract::error::{BuildError, CreateUnhandledError, ProvideErrorMetadata, SdkError};
use crate::contract::http::HttpRequest;
use crate::contract::http::HttpResponse;
use crate::contract::interceptor::CallInput;
use crate::contract::operation::{Operation, ResponseFailure, SerializeContext};

/// An operation's output, as the orchestrator's body carries it.
pub(super) type AnyOutput = Box<dyn Any + Send>;

/// An operation's error, as the orchestrator's body carries it: what retry classification and
/// tracing need (its code and message) and the way back to the operation's error type.
pub(super) type AnyError = Box<dyn OperationError>;

/// An operation's error type, erased.
pub(super) trait OperationError:
    StdError + ProvideErrorMetadata + Send + Sync + 'static
{
    /// The error, to downcast to the operation's error type.
    fn into_any(self: Box<Self>) -> Box<dyn Any + Send>;
}

impl<E: StdError + ProvideErrorMetadata + Send + Sync + 'static> OperationError for E {
    fn into_any(self: Box<Self>) -> Box<dyn Any + Send> {
        self
    }
}

/// One call: its operation's constants and functions, applied to its input.
pub(super) trait ErasedCall: Send + Sync {
    /// [`Operation::NAME`].
    fn name(&self) -> &'static str;
    /// [`Operation::AUTH`].
    fn auth(&self) -> &'static [AuthScheme];
    /// [`Operation::ENDPOINT_USES_ACCOUNT_ID`].
    fn endpoint_uses_account_id(&self) -> bool;
    /// [`Operation::IDEMPOTENT`].
    fn idempotent(&self) -> bool;
    /// The input, as interceptors see it.
    fn input(&self) -> &dyn CallInput;
    /// [`Operation::validate`] of the input.
    fn validate(&self) -> Result<(), BuildError>;
    /// [`Operation::serialize`] of the input.
    fn serialize(&self, ctx: &SerializeContext) -> Result<HttpRequest, BuildError>;
    /// [`Operation::host_prefix`] of the input.
    fn host_prefix(&self) -> Result<Option<String>, BuildError>;
    /// [`Operation::endpoint_url`] of the input.
    fn endpoint_url(&self) -> Result<Option<String>, BuildError>;
    /// [`Operation::endpoint_params`] of the input.
    fn endpoint_params(&self, params: &mut EndpointParams) -> Result<(), BuildError>;
    /// [`Operation::deserialize`].
    fn deserialize(&self, response: &HttpResponse) -> Result<AnyOutput, ResponseFailure<AnyError>>;
    /// Whether the output an interceptor answered the call with is of the operation's output
    /// type.
    fn is_output(&self, output: &dyn Any) -> bool;
    /// The service error an interceptor answered the call with, if it is of the operation's
    /// error type (else the answer back).
    fn answered_error(&self, error: Box<dyn Any + Send>) -> Result<AnyError, Box<dyn Any + Send>>;
}

/// A call of operation `O` with its input.
pub(super) struct TypedCall<O: Operation> {
    input: O::Input,
    operation: PhantomData<fn() -> O>,
}

impl<O: Operation> TypedCall<O> {
    pub(super) fn new(input: O::Input) -> Self {
        Self {
            input,
            operation: PhantomData,
        }
    }
}

/// The error of `O`'s deserializer (or of a streaming deserializer), erased.
pub(super) fn erase_failure<E: OperationError>(
    failure: ResponseFailure<E>,
) -> ResponseFailure<AnyError> {
    match failure {
        ResponseFailure::Service(err) => ResponseFailure::Service(Box::new(err)),
        ResponseFailure::Unparseable(err) => ResponseFailure::Unparseable(err),
    }
}

impl<O: Operation> ErasedCall for TypedCall<O> {
    fn name(&self) -> &'static str {
        O::NAME
    }

    fn auth(&self) -> &'static [AuthScheme] {
        O::AUTH
    }

    fn endpoint_uses_account_id(&self) -> bool {
        O::ENDPOINT_USES_ACCOUNT_ID
    }

    fn idempotent(&self) -> bool {
        O::IDEMPOTENT
    }

    fn input(&self) -> &dyn CallInput {
        &self.input
    }

    fn validate(&self) -> Result<(), BuildError> {
        O::validate(&self.input)
    }

    fn serialize(&self, ctx: &SerializeContext) -> Result<HttpRequest, BuildError> {
        O::serialize(&self.input, ctx)
    }

    fn host_prefix(&self) -> Result<Option<String>, BuildError> {
        O::host_prefix(&self.input)
    }

    fn endpoint_url(&self) -> Result<Option<String>, BuildError> {
        O::endpoint_url(&self.input)
    }

    fn endpoint_params(&self, params: &mut EndpointParams) -> Result<(), BuildError> {
        O::endpoint_params(&self.input, params)
    }

    fn deserialize(&self, response: &HttpResponse) -> Result<AnyOutput, ResponseFailure<AnyError>> {
        match O::deserialize(response) {
            Ok(output) => Ok(Box::new(output)),
            Err(failure) => Err(erase_failure(failure)),
        }
    }

    fn is_output(&self, output: &dyn Any) -> bool {
        output.is::<O::Output>()
    }

    fn answered_error(&self, error: Box<dyn Any + Send>) -> Result<AnyError, Box<dyn Any + Send>> {
        let error: AnyError = error.downcast::<O::Error>()?;
        Ok(error)
    }
}

/// The result of a call of `O` from the orchestrator's body, with the output and the service
/// error of `O`'s types. `wrong_output` is the error for an output of another type (which the
/// orchestrator's body does not let through: see `answered`).
pub(super) fn typed_result<O: Operation>(
    result: Result<AnyOutput, SdkError<AnyError>>,
    wrong_output: impl FnOnce() -> SdkError<AnyError>,
) -> Result<O::Output, SdkError<O::Error>> {
    let result = match result {
        Ok(output) => match output.downcast::<O::Output>() {
            Ok(output) => return Ok(*output),
            Err(_) => wrong_output(),
        },
        Err(err) => err,
    };
    Err(
        result.map_service_error(|err| match err.into_any().downcast::<O::Error>() {
            Ok(err) => *err,
            // Every service error of a call comes from `O`'s deserializer or was checked to be of
            // `O`'s error type (`answered_error`): this arm is not reached.
            Err(_) => O::Error::create_unhandled_error(
                format!(
                    "the service error of `{}` is not of its error type",
                    O::NAME
                )
                .into(),
                None,
            ),
        }),
    )
}
