//! Customizing one call: `client.<operation>().<member>(..).customize()` gives a
//! [`CustomizableOperation`] that overrides configuration, adds interceptors or changes the
//! request for that call only, then `send()`s it.

use std::fmt;
use std::sync::Arc;

use crate::config::{Builder, ConfigOverride};
use crate::contract::error::{BoxError, SdkError};
use crate::contract::http::{BoxFuture, HttpRequest};
use crate::contract::interceptor::{CallInfo, Interceptor, SharedInterceptor};

/// A fluent builder that can be sent with a configuration override: every generated fluent
/// builder implements it.
pub trait CustomizableSend: Send + 'static {
    /// The operation's output.
    type Output;
    /// The operation's error.
    type Error;

    /// Sends the call, with `overrides` (if any) merged on top of the client's configuration.
    fn send_with_overrides(
        self,
        overrides: Option<ConfigOverride>,
    ) -> BoxFuture<'static, Result<Self::Output, SdkError<Self::Error>>>;
}

/// One call, customized before it is sent (see [`CustomizableSend`]).
pub struct CustomizableOperation<B> {
    call: B,
    config_override: Option<Builder>,
    interceptors: Vec<SharedInterceptor>,
}

impl<B: fmt::Debug> fmt::Debug for CustomizableOperation<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomizableOperation")
            .field("call", &self.call)
            .field("config_override", &self.config_override)
            .field("interceptors", &self.interceptors)
            .finish()
    }
}

impl<B: CustomizableSend> CustomizableOperation<B> {
    /// Customizes `call`.
    pub fn new(call: B) -> Self {
        Self {
            call,
            config_override: None,
            interceptors: Vec::new(),
        }
    }

    /// Settings that replace the client's for this call (interceptors set here are added to the
    /// client's): `config_override(Config::builder().retry_config(RetryConfig::disabled()))`.
    pub fn config_override(mut self, config_override: impl Into<Builder>) -> Self {
        self.config_override = Some(config_override.into());
        self
    }

    /// Adds an interceptor for this call, after the client's.
    pub fn interceptor(mut self, interceptor: impl Interceptor + 'static) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// Changes the request of every attempt before it is signed.
    pub fn mutate_request<F>(self, f: F) -> Self
    where
        F: Fn(&mut HttpRequest) + Send + Sync + 'static,
    {
        self.interceptor(MutateRequest(f))
    }

    /// Replaces the request of every attempt before it is signed; an error stops the call
    /// (as a construction failure carrying it).
    pub fn map_request<F, E>(self, f: F) -> Self
    where
        F: Fn(HttpRequest) -> Result<HttpRequest, E> + Send + Sync + 'static,
        E: std::error::Error + Send + Sync + 'static,
    {
        self.interceptor(MapRequest(f))
    }

    /// Sends the call.
    pub async fn send(self) -> Result<B::Output, SdkError<B::Error>> {
        let mut overrides = self.config_override.unwrap_or_default();
        for interceptor in self.interceptors {
            overrides = overrides.shared_interceptor(interceptor);
        }
        self.call.send_with_overrides(Some(overrides)).await
    }
}

struct MutateRequest<F>(F);

impl<F> fmt::Debug for MutateRequest<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MutateRequest")
    }
}

impl<F> Interceptor for MutateRequest<F>
where
    F: Fn(&mut HttpRequest) + Send + Sync,
{
    fn modify_before_signing(
        &self,
        _call: &CallInfo,
        request: &mut HttpRequest,
    ) -> Result<(), BoxError> {
        (self.0)(request);
        Ok(())
    }
}

struct MapRequest<F>(F);

impl<F> fmt::Debug for MapRequest<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MapRequest")
    }
}

impl<F, E> Interceptor for MapRequest<F>
where
    F: Fn(HttpRequest) -> Result<HttpRequest, E> + Send + Sync,
    E: std::error::Error + Send + Sync + 'static,
{
    fn modify_before_signing(
        &self,
        _call: &CallInfo,
        request: &mut HttpRequest,
    ) -> Result<(), BoxError> {
        let taken = std::mem::take(request);
        *request = (self.0)(taken)?;
        Ok(())
    }
}
