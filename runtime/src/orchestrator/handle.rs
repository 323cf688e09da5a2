//! Runs operations: the orchestrator behind every generated client.
//!
//! [`Handle::call`] validates and serializes the input once, resolves the endpoint, then makes
//! up to `max_attempts` attempts (sign, send, deserialize, classify), with standard-mode retries,
//! clock-skew correction, timeouts, interceptors and tracing spans.

use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::header::{HeaderName, HeaderValue, CONTENT_LENGTH, USER_AGENT};
use tracing::Instrument;

use crate::config::{Config, ConfigError, ConfigOverride};
use crate::contract::auth::AuthScheme;
use crate::contract::endpoint::{EndpointParams, ResolvedEndpoint};
use crate::contract::error::{
    request_id_header, BoxError, ProvideErrorMetadata, RetryExhaustion, SdkError,
};
use crate::contract::http::{ConnectorError, ConnectorErrorKind};
use crate::contract::http::{HttpRequest, HttpResponse};
use crate::contract::identity::Credentials;
use crate::contract::interceptor::{CallAnswer, CallInfo, CallOutcome};
use crate::contract::operation::{
    Operation, RequestCompression, ResponseFailure, SerializeContext, ServiceMeta,
};
use crate::contract::text::Escaped;
use crate::contract::time::TimeSource;
use crate::credentials::{ProvideCredentials, SharedCredentialsProvider};
use crate::endpoint::is_valid_host_label;
use crate::orchestrator::auth::{apply_auth, select_auth_scheme, SelectedAuth};
use crate::orchestrator::user_agent::{AppName, UserAgent};
use crate::rate_limit::ClientRateLimiter;
use crate::retry::{classify_response, RetryKind, RetryMode, RetryQuota};
use crate::sigv4::{normalize_path, sign_request, SigningParams, SigningSettings};
use crate::timeout::timeout;

mod erased;
#[cfg(feature = "event-stream")]
mod stream;

use erased::{typed_result, AnyError, AnyOutput, ErasedCall, TypedCall};

const INVOCATION_ID: &str = "amz-sdk-invocation-id";
const SDK_REQUEST: &str = "amz-sdk-request";
const AMZ_USER_AGENT: &str = "x-amz-user-agent";
/// A response `Date` this far from the local clock (with a clock-skew error) is a real skew.
const SKEW_THRESHOLD: Duration = Duration::from_secs(4 * 60);
/// The largest clock skew that is corrected. Real skews are minutes (drift) to hours (a wrong
/// time zone or daylight-saving setting); a `Date` further off comes from a broken or hostile
/// server and would make every later request unsignable or rejected, so it is ignored. (A
/// local clock off by more than this fails TLS certificate checks anyway.)
const MAX_SKEW: Duration = Duration::from_secs(24 * 60 * 60);

/// An interceptor hook failed, which stops the call.
#[derive(Debug)]
pub struct InterceptorError {
    hook: &'static str,
    source: BoxError,
}

impl InterceptorError {
    /// The hook that failed, e.g. `modify_before_signing`.
    pub fn hook(&self) -> &'static str {
        self.hook
    }
}

impl fmt::Display for InterceptorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "interceptor hook `{}` failed: {}",
            self.hook, self.source
        )
    }
}

impl std::error::Error for InterceptorError {
    /// `Display` already shows the hook's error, so this continues with that error's cause.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.source()
    }
}

/// Why a call could not be prepared for sending.
#[derive(Debug)]
struct PrepareError(String, Option<BoxError>);

impl fmt::Display for PrepareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.1 {
            Some(source) => write!(f, "{}: {}", self.0, source),
            None => f.write_str(&self.0),
        }
    }
}

impl std::error::Error for PrepareError {
    /// `Display` already shows the inner error, so this continues with that error's cause.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.1.as_ref()?.source()
    }
}

/// The account id of the credentials a call is signed with, when SigV4 is the first of the
/// operation's schemes (`auth`) the configuration satisfies (loading the credentials, which the
/// cache keeps for signing).
async fn account_id_of(
    auth: &'static [AuthScheme],
    config: &Config,
) -> Result<Option<String>, SdkError<AnyError>> {
    let Ok(SelectedAuth::SigV4(provider)) = select_auth_scheme(auth, config) else {
        // Another scheme (no account id), or none: `prepare` reports what is missing.
        return Ok(None);
    };
    let credentials = provider.provide_credentials().await.map_err(|err| {
        SdkError::construction_failure(PrepareError(
            "failed to load credentials".into(),
            Some(Box::new(err)),
        ))
    })?;
    Ok(credentials.account_id().map(str::to_owned))
}

fn prepare_error(message: impl Into<String>) -> PrepareError {
    PrepareError(message.into(), None)
}

struct Shared {
    quota: RetryQuota,
    /// The client-side rate limiter of adaptive retry mode (idle in standard mode).
    rate_limiter: ClientRateLimiter,
    /// Service clock minus local clock, in milliseconds, learned from clock-skew errors.
    skew_millis: AtomicI64,
}

/// Runs operations against one service with one configuration. Cheap to clone; clones share
/// the retry quota and the learned clock skew.
#[derive(Clone)]
pub struct Handle {
    config: Config,
    meta: &'static ServiceMeta,
    shared: Arc<Shared>,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("service", &self.meta.service_id)
            .field("config", &self.config)
            .field("retry_quota", &self.shared.quota.available())
            .finish()
    }
}

enum Attempt {
    Done(AnyOutput),
    Failed(SdkError<AnyError>, Option<RetryKind>),
}

/// How an attempt's request is sent and its response read.
enum Exchange {
    /// Whole bodies both ways: every operation without an event stream.
    Buffered,
    #[cfg(feature = "event-stream")]
    Streaming(stream::Streaming),
}

impl Exchange {
    /// Whether the request body is an input event stream, whose messages are signed one by one
    /// (and whose length is not known).
    fn sends_event_stream(&self) -> bool {
        match self {
            Exchange::Buffered => false,
            #[cfg(feature = "event-stream")]
            Exchange::Streaming(streaming) => streaming.sends_event_stream(),
        }
    }
}

/// What a request's SigV4 signature was made with (the hex signature, the credentials, the
/// clock skew applied): the seed and the keys of an input event stream's message signatures.
type Signed = (String, Credentials, i64);

impl Handle {
    /// A handle for the service described by `meta`.
    pub fn new(config: Config, meta: &'static ServiceMeta) -> Self {
        let now = seconds(config.time_source().now());
        Self {
            config,
            meta,
            shared: Arc::new(Shared {
                quota: RetryQuota::default(),
                rate_limiter: ClientRateLimiter::new(now),
                skew_millis: AtomicI64::new(0),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The service metadata.
    pub fn meta(&self) -> &'static ServiceMeta {
        self.meta
    }

    /// Tokens left in the retry quota shared by this handle and its clones.
    pub fn retry_quota_available(&self) -> u32 {
        self.shared.quota.available()
    }

    /// Runs operation `O` with `input`; `overrides` are merged on top of the configuration for
    /// this call only.
    pub async fn call<O: Operation>(
        &self,
        input: O::Input,
        overrides: Option<ConfigOverride>,
    ) -> Result<O::Output, SdkError<O::Error>> {
        let call = TypedCall::<O>::new(input);
        let result = self.execute(&call, overrides, &Exchange::Buffered).await;
        typed_result::<O>(result, || wrong_answer(O::NAME, "output"))
    }

    /// The whole call, the same code for every operation (see [`erased`]).
    async fn execute(
        &self,
        call: &dyn ErasedCall,
        overrides: Option<ConfigOverride>,
        exchange: &Exchange,
    ) -> Result<AnyOutput, SdkError<AnyError>> {
        let config = match overrides {
            Some(overrides) => Cow::Owned(self.config.with_override(overrides)),
            None => Cow::Borrowed(&self.config),
        };
        let config: &Config = &config;
        let invocation_id = crate::contract::operation::random_uuid();
        let span = tracing::debug_span!(
            "operation",
            service = self.meta.service_id,
            operation = call.name(),
            invocation_id = %invocation_id,
        );
        let attempts = AtomicU32::new(0);
        let last_status = AtomicU32::new(0);
        let info = CallInfo {
            service_id: self.meta.service_id,
            operation: call.name(),
            invocation_id,
            attempt: 0,
            max_attempts: config.retry_config().max_attempts(),
        };
        let result = match timeout(
            config.sleep_impl().as_ref(),
            "operation",
            config.timeout_config().operation(),
            self.run(config, call, exchange, &info, &attempts, &last_status),
        )
        .instrument(span.clone())
        .await
        {
            Ok(result) => result,
            Err(elapsed) => Err(SdkError::timeout_error(elapsed)),
        };

        let status = last_status.load(Ordering::Relaxed);
        let outcome = CallOutcome {
            success: result.is_ok(),
            status: u16::try_from(status).ok().filter(|s| *s != 0),
            error: result.as_ref().err().map(|e| e.to_string()),
            attempts: attempts.load(Ordering::Relaxed),
        };
        let _enter = span.enter();
        match &result {
            Ok(_) => tracing::debug!(attempts = outcome.attempts, "call succeeded"),
            Err(err) => tracing::debug!(attempts = outcome.attempts, error = %err, "call failed"),
        }
        let final_info = CallInfo {
            attempt: outcome.attempts,
            ..info
        };
        for interceptor in config.interceptors() {
            interceptor.read_after_execution(&final_info, &outcome);
        }
        result
    }

    async fn run(
        &self,
        config: &Config,
        call: &dyn ErasedCall,
        exchange: &Exchange,
        info: &CallInfo,
        attempts: &AtomicU32,
        last_status: &AtomicU32,
    ) -> Result<AnyOutput, SdkError<AnyError>> {
        for interceptor in config.interceptors() {
            interceptor
                .read_before_execution(info, call.input().as_any())
                .map_err(|source| {
                    SdkError::construction_failure(InterceptorError {
                        hook: "read_before_execution",
                        source,
                    })
                })?;
        }
        if config.request_validation() {
            call.validate().map_err(SdkError::construction_failure)?;
        }
        for interceptor in config.interceptors() {
            if let Some(answer) = interceptor.answer_call(info, call.input()) {
                attempts.store(1, Ordering::Relaxed);
                return answered(call, answer);
            }
        }

        // Account-based endpoints need the account id of the credentials the call is signed
        // with before the endpoint is resolved (the cached credentials are then reused to sign).
        let account_id = if call.endpoint_uses_account_id() {
            account_id_of(call.auth(), config).await?
        } else {
            None
        };
        let prepared = self
            .prepare(config, call, &info.invocation_id, account_id)
            .map_err(SdkError::construction_failure)?;

        let retry = config.retry_config();
        let max_attempts = retry.max_attempts();
        let adaptive = retry.mode() == RetryMode::Adaptive;
        let mut retry_cost = 0;
        let mut skew_corrected = false;
        let mut attempt = 1;
        loop {
            attempts.store(attempt, Ordering::Relaxed);
            if adaptive {
                let wait = self
                    .shared
                    .rate_limiter
                    .acquire(seconds(config.time_source().now()));
                if !wait.is_zero() {
                    tracing::debug!(?wait, "adaptive retry mode: waiting for the rate limiter");
                    config.sleep_impl().sleep(wait).await;
                }
            }
            let attempt_info = CallInfo {
                attempt,
                ..info.clone()
            };
            let span = tracing::debug_span!(
                "attempt",
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            let outcome = timeout(
                config.sleep_impl().as_ref(),
                "operation attempt",
                config.timeout_config().operation_attempt(),
                self.attempt(
                    config,
                    call,
                    &prepared,
                    exchange,
                    &attempt_info,
                    last_status,
                ),
            )
            .instrument(span.clone())
            .await
            .unwrap_or_else(|elapsed| {
                // The request may have reached the service, and its response may have begun:
                // only an idempotent operation is sent again (and never the events of an input
                // event stream, which went with this attempt).
                let again = call.idempotent() && !exchange.sends_event_stream();
                let kind = again.then_some(RetryKind::Timeout);
                Attempt::Failed(SdkError::timeout_error(elapsed), kind)
            });
            let _enter = span.enter();
            if adaptive {
                let throttled = matches!(outcome, Attempt::Failed(_, Some(RetryKind::Throttling)));
                self.shared
                    .rate_limiter
                    .record(seconds(config.time_source().now()), throttled);
            }
            let (err, kind) = match outcome {
                Attempt::Done(output) => {
                    if retry.uses_quota() {
                        self.shared.quota.release(retry_cost);
                    }
                    return Ok(output);
                }
                Attempt::Failed(err, None) => return Err(err),
                Attempt::Failed(err, Some(kind)) => (err, kind),
            };
            if kind == RetryKind::ClockSkew {
                if skew_corrected {
                    return Err(err);
                }
                skew_corrected = true;
            }
            if attempt >= max_attempts {
                tracing::debug!(attempt, ?kind, "not retrying: all attempts used");
                return Err(err.with_retry_exhaustion(RetryExhaustion::attempts_exhausted(attempt)));
            }
            if retry.uses_quota() {
                match self.shared.quota.acquire(kind) {
                    Some(cost) => retry_cost = cost,
                    None => {
                        tracing::debug!(attempt, ?kind, "not retrying: retry quota exhausted");
                        return Err(
                            err.with_retry_exhaustion(RetryExhaustion::quota_exhausted(attempt))
                        );
                    }
                }
            }
            let backoff = if kind == RetryKind::ClockSkew {
                Duration::ZERO
            } else {
                retry.backoff(attempt)
            };
            tracing::debug!(attempt, ?kind, ?backoff, error = %err, "retrying");
            drop(_enter);
            if !backoff.is_zero() {
                config.sleep_impl().sleep(backoff).await;
            }
            attempt += 1;
        }
    }

    /// Serializes the input, chooses the authentication scheme and builds the request every
    /// attempt starts from.
    fn prepare(
        &self,
        config: &Config,
        call: &dyn ErasedCall,
        invocation_id: &str,
        account_id: Option<String>,
    ) -> Result<Prepared, BoxError> {
        let region_name: Option<&str> = config.region().map(|region| region.as_ref());
        if let Some(region_name) = region_name {
            if !is_valid_host_label(region_name, false) {
                return Err(ConfigError::new(format!(
                    "invalid region {region_name:?}: a region must be a valid host label (1 to \
                     63 letters, digits or hyphens, not starting with a hyphen)"
                ))
                .into());
            }
        }
        let auth = select_auth_scheme(call.auth(), config)?;
        let app_name = config.app_name().map(AppName::new).transpose()?;

        if let Some(err) = config.invalid_setting() {
            return Err(err.into());
        }
        let compression = config.request_compression();
        if compression.min_size_bytes > RequestCompression::MAX_MIN_SIZE_BYTES {
            return Err(ConfigError::new(format!(
                "request_min_compression_size_bytes is {}, more than the largest allowed value \
                 ({})",
                compression.min_size_bytes,
                RequestCompression::MAX_MIN_SIZE_BYTES
            ))
            .into());
        }
        let ctx = SerializeContext::new(config.idempotency_token_provider().clone())
            .with_request_compression(compression);
        let mut request = call.serialize(&ctx)?;
        let host_prefix = if config.disable_host_prefix_injection() {
            None
        } else {
            call.host_prefix()?
        };

        // An endpoint the input names wins over the configured one.
        let endpoint_url = match call.endpoint_url()? {
            Some(url) => Some(url),
            None => config.endpoint_url().map(str::to_owned),
        };
        let mut params = EndpointParams {
            region: region_name.map(str::to_owned),
            use_fips: config.use_fips(),
            use_dual_stack: config.use_dual_stack(),
            endpoint: endpoint_url.clone(),
            account_id,
            account_id_endpoint_mode: Some(config.account_id_endpoint_mode().as_str().to_owned()),
            values: config.client_context_params().clone(),
        };
        call.endpoint_params(&mut params)?;
        let endpoint = (self.meta.resolve_endpoint)(&params)?;
        let uri = join_endpoint(
            &endpoint,
            request.uri(),
            endpoint_url.is_some(),
            host_prefix.as_deref(),
        )?;
        *request.uri_mut() = uri;

        let headers = request.headers_mut();
        for (name, values) in &endpoint.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                prepare_error(format!(
                    "the endpoint rules returned an invalid header name {name:?}"
                ))
            })?;
            for value in values {
                let value = HeaderValue::from_str(value).map_err(|_| {
                    prepare_error(format!(
                        "the endpoint rules returned an invalid value for header `{name}`"
                    ))
                })?;
                headers.append(name.clone(), value);
            }
        }
        let ua = UserAgent::new(self.meta, app_name.as_ref());
        headers.insert(USER_AGENT, header(ua.user_agent())?);
        headers.insert(
            HeaderName::from_static(AMZ_USER_AGENT),
            header(ua.amz_user_agent())?,
        );
        headers.insert(
            HeaderName::from_static(INVOCATION_ID),
            header(invocation_id)?,
        );
        let body_len = request.body().len();
        let method_has_body = matches!(
            *request.method(),
            http::Method::POST | http::Method::PUT | http::Method::PATCH
        );
        if body_len > 0 || method_has_body {
            request
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from(body_len));
        }
        let auth = match (auth, region_name) {
            (SelectedAuth::SigV4(credentials), Some(region_name)) => {
                let target = signing_target(&endpoint, self.meta.signing_name, region_name);
                check_signable_path(request.uri().path(), &target.settings)?;
                Authenticator::SigV4 {
                    credentials,
                    target,
                }
            }
            (SelectedAuth::SigV4(_), None) => return Err(ConfigError::missing_region().into()),
            (other, _) => Authenticator::Other(other),
        };
        Ok(Prepared { request, auth })
    }

    async fn attempt(
        &self,
        config: &Config,
        call: &dyn ErasedCall,
        prepared: &Prepared,
        exchange: &Exchange,
        info: &CallInfo,
        last_status: &AtomicU32,
    ) -> Attempt {
        let Prepared {
            request: base,
            auth,
        } = prepared;
        let mut request = clone_request(base);
        let sdk_request = format!("attempt={}; max={}", info.attempt, info.max_attempts);
        match HeaderValue::from_str(&sdk_request) {
            Ok(value) => {
                request
                    .headers_mut()
                    .insert(HeaderName::from_static(SDK_REQUEST), value);
            }
            Err(_) => {
                return Attempt::Failed(
                    SdkError::construction_failure(prepare_error("invalid amz-sdk-request")),
                    None,
                )
            }
        }
        for interceptor in config.interceptors() {
            if let Err(source) = interceptor.modify_before_signing(info, &mut request) {
                return Attempt::Failed(
                    SdkError::construction_failure(InterceptorError {
                        hook: "modify_before_signing",
                        source,
                    }),
                    None,
                );
            }
        }
        let streaming_events = exchange.sends_event_stream();
        if streaming_events {
            // Sent as it is produced: its length is not known.
            request.headers_mut().remove(CONTENT_LENGTH);
        }
        let now = config.time_source().now();
        let authenticated = match auth {
            Authenticator::SigV4 {
                credentials,
                target,
            } => self
                .sign(&mut request, credentials, target, now, streaming_events)
                .await
                .map(Some),
            Authenticator::Other(selected) => apply_auth(selected, &mut request)
                .await
                .map(|()| None)
                .map_err(SdkError::construction_failure),
        };
        let signed = match authenticated {
            Ok(signed) => signed,
            Err(err) => return Attempt::Failed(err, None),
        };
        for interceptor in config.interceptors() {
            if let Err(source) = interceptor.modify_before_transmit(info, &mut request) {
                return Attempt::Failed(
                    SdkError::construction_failure(InterceptorError {
                        hook: "modify_before_transmit",
                        source,
                    }),
                    None,
                );
            }
        }
        let response = match exchange {
            Exchange::Buffered => {
                // The signature's keys serve only input event streams.
                drop(signed);
                config.http_client().call(request).await
            }
            #[cfg(feature = "event-stream")]
            Exchange::Streaming(streaming) => {
                let signing =
                    signed.and_then(|signed| stream::message_signing(config, auth, signed));
                let at = stream::AttemptAt {
                    config,
                    call,
                    info,
                    now,
                    last_status,
                };
                return streaming.attempt(self, request, signing, at).await;
            }
        };
        let response = match response {
            Ok(response) => response,
            Err(err) => return transport_failure(err, call.idempotent(), last_status),
        };
        self.read_response(config, call, info, response, now, last_status)
    }

    /// Reads a whole response: the output, or the failure and how to retry it.
    fn read_response(
        &self,
        config: &Config,
        call: &dyn ErasedCall,
        info: &CallInfo,
        response: HttpResponse,
        now: SystemTime,
        last_status: &AtomicU32,
    ) -> Attempt {
        let status = response.status().as_u16();
        last_status.store(u32::from(status), Ordering::Relaxed);
        let span = tracing::Span::current();
        span.record("status", status);
        if let Some(id) = request_id_header(response.headers()) {
            span.record("request_id", tracing::field::display(Escaped(id)));
        }
        for interceptor in config.interceptors() {
            if let Err(source) = interceptor.read_before_deserialization(info, &response) {
                return Attempt::Failed(
                    SdkError::response_error(
                        InterceptorError {
                            hook: "read_before_deserialization",
                            source,
                        },
                        response,
                    ),
                    None,
                );
            }
        }
        match call.deserialize(&response) {
            Ok(output) => Attempt::Done(output),
            Err(ResponseFailure::Service(err)) => {
                let code = ProvideErrorMetadata::code(&*err).map(str::to_owned);
                let mut kind = classify_response(status, code.as_deref());
                if kind == Some(RetryKind::ClockSkew) {
                    kind = self.learn_skew(&response, now);
                }
                tracing::debug!(
                    status,
                    code = %Escaped(code.as_deref().unwrap_or("")),
                    "service error"
                );
                Attempt::Failed(SdkError::service_error(err, response), kind)
            }
            Err(ResponseFailure::Unparseable(err)) => {
                tracing::debug!(status, error = %err, "unparseable response");
                let kind = classify_response(status, None);
                Attempt::Failed(SdkError::response_error(err, response), kind)
            }
        }
    }

    /// Signs `request` with SigV4 at `now` corrected by the learned clock skew; with
    /// `streaming_events`, its body is an input event stream whose messages are signed one by
    /// one, chained to the request's signature.
    async fn sign<E>(
        &self,
        request: &mut HttpRequest,
        credentials: &SharedCredentialsProvider,
        target: &SigningTarget,
        now: SystemTime,
        streaming_events: bool,
    ) -> Result<Signed, SdkError<E>> {
        let creds = credentials.provide_credentials().await.map_err(|err| {
            SdkError::construction_failure(PrepareError(
                "failed to load credentials".into(),
                Some(Box::new(err)),
            ))
        })?;
        let skew_millis = self.shared.skew_millis.load(Ordering::Relaxed);
        let params = SigningParams {
            credentials: &creds,
            region: &target.region,
            service: &target.name,
            time: apply_skew(now, skew_millis),
            settings: SigningSettings {
                streaming_events,
                ..target.settings
            },
        };
        let signature = sign_request(request, &params).map_err(|err| {
            SdkError::construction_failure(PrepareError(
                "failed to sign the request".into(),
                Some(Box::new(err)),
            ))
        })?;
        Ok((signature, creds, skew_millis))
    }

    /// Updates the clock skew from the response `Date`; `Some(ClockSkew)` when the skew is
    /// real and a corrected retry makes sense.
    fn learn_skew(&self, response: &HttpResponse, local: SystemTime) -> Option<RetryKind> {
        let server = response
            .headers()
            .get(http::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_http_date)?;
        let offset_millis = match server.duration_since(local) {
            Ok(ahead) => i64::try_from(ahead.as_millis()).unwrap_or(i64::MAX),
            Err(behind) => -i64::try_from(behind.duration().as_millis()).unwrap_or(i64::MAX),
        };
        if offset_millis.unsigned_abs() < SKEW_THRESHOLD.as_millis() as u64 {
            return None;
        }
        if offset_millis.unsigned_abs() > MAX_SKEW.as_millis() as u64 {
            tracing::debug!(
                offset_millis,
                "ignoring the response's Date: more than 24 hours from the local clock is not \
                 a plausible clock skew"
            );
            return None;
        }
        tracing::debug!(
            offset_millis,
            "clock skew detected; correcting the signing time"
        );
        self.shared
            .skew_millis
            .store(offset_millis, Ordering::Relaxed);
        Some(RetryKind::ClockSkew)
    }
}

/// Refuses a path that SigV4's path normalisation (used by every service but S3-like ones)
/// would sign as a different path than the one sent: `.` or `..` segments (from a greedy label)
/// or empty segments. The service would verify the signature against, and may route to,
/// another resource than the request names.
fn check_signable_path(path: &str, settings: &SigningSettings) -> Result<(), PrepareError> {
    if !settings.normalize_uri_path || path.is_empty() || normalize_path(path) == path {
        return Ok(());
    }
    Err(prepare_error(format!(
        "the request path `{}` has `.`, `..` or empty segments, which the service's signing \
         rules would change into another path: a label value must not contain them",
        Escaped(path)
    )))
}

/// The result of a call an interceptor answered.
fn answered(call: &dyn ErasedCall, answer: CallAnswer) -> Result<AnyOutput, SdkError<AnyError>> {
    match answer {
        CallAnswer::Output(output) if call.is_output(&*output) => Ok(output),
        CallAnswer::Output(_) => Err(wrong_answer(call.name(), "output")),
        CallAnswer::ServiceError(error, raw) => match call.answered_error(error) {
            Ok(error) => Err(SdkError::service_error(error, raw)),
            Err(_) => Err(wrong_answer(call.name(), "error")),
        },
        CallAnswer::Failure(source) => Err(SdkError::construction_failure(source)),
    }
}

/// The failure of a call an interceptor answered with an output or error (`what`) of another
/// type than `operation`'s.
fn wrong_answer<E>(operation: &str, what: &str) -> SdkError<E> {
    SdkError::construction_failure(InterceptorError {
        hook: "answer_call",
        source: format!("the answer's {what} is not of the type `{operation}` returns").into(),
    })
}

fn header(value: &str) -> Result<HeaderValue, PrepareError> {
    HeaderValue::from_str(value)
        .map_err(|_| prepare_error(format!("{value:?} is not a valid header value")))
}

/// `time` as seconds since the Unix epoch (0 before it), for the rate limiter.
fn seconds(time: SystemTime) -> f64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// `now` corrected by the learned skew, unless the correction would give a time that cannot be
/// signed (before 1970, or not representable).
fn apply_skew(now: SystemTime, skew_millis: i64) -> SystemTime {
    let magnitude = Duration::from_millis(skew_millis.unsigned_abs());
    let adjusted = if skew_millis >= 0 {
        now.checked_add(magnitude)
    } else {
        now.checked_sub(magnitude)
    };
    adjusted
        .filter(|time| *time >= SystemTime::UNIX_EPOCH)
        .unwrap_or(now)
}

/// The failed attempt for an exchange that failed in the HTTP client: a response that had
/// begun is a response error (sent again only for an idempotent operation); a request that got
/// no response byte is retried for every operation when the failure is transient.
fn transport_failure(
    mut err: ConnectorError,
    idempotent: bool,
    last_status: &AtomicU32,
) -> Attempt {
    let transient = match err.kind() {
        ConnectorErrorKind::Timeout => Some(RetryKind::Timeout),
        ConnectorErrorKind::Io => Some(RetryKind::Transient),
        _ => None,
    };
    if err.response_started() {
        let kind = transient.filter(|_| idempotent);
        tracing::debug!(error = %err, idempotent, "the response broke off");
        let head = err.take_partial_response().unwrap_or_default();
        last_status.store(u32::from(head.status().as_u16()), Ordering::Relaxed);
        return Attempt::Failed(SdkError::response_error(err, head), kind);
    }
    tracing::debug!(error = %err, "no response");
    match transient {
        Some(RetryKind::Timeout) => Attempt::Failed(SdkError::timeout_error(err), transient),
        _ => Attempt::Failed(SdkError::dispatch_failure(err), transient),
    }
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub(crate) fn parse_http_date(value: &str) -> Option<SystemTime> {
    let parsed =
        time::OffsetDateTime::parse(value.trim(), &time::format_description::well_known::Rfc2822)
            .ok()?;
    Some(parsed.into())
}

/// What every attempt of a call starts from.
struct Prepared {
    /// The serialized request with its endpoint and the headers every attempt sends.
    request: HttpRequest,
    auth: Authenticator,
}

/// How every attempt of a call is authenticated.
#[derive(Debug)]
enum Authenticator {
    /// Signed with SigV4 (again for every attempt).
    SigV4 {
        credentials: SharedCredentialsProvider,
        target: SigningTarget,
    },
    /// Any other scheme (bearer, API key, basic, anonymous).
    Other(SelectedAuth),
}

/// Signing name, region and settings for the request.
#[derive(Debug, Clone)]
struct SigningTarget {
    name: String,
    region: String,
    settings: SigningSettings,
}

fn signing_target(endpoint: &ResolvedEndpoint, name: &str, region: &str) -> SigningTarget {
    let mut target = SigningTarget {
        name: name.to_owned(),
        region: region.to_owned(),
        settings: SigningSettings::default(),
    };
    let scheme = endpoint
        .properties
        .get("authSchemes")
        .and_then(|v| v.as_array())
        .and_then(|schemes| {
            schemes
                .iter()
                .find(|s| s.get("name").and_then(|n| n.as_str()) == Some("sigv4"))
        });
    if let Some(scheme) = scheme {
        if let Some(n) = scheme.get("signingName").and_then(|v| v.as_str()) {
            target.name = n.to_owned();
        }
        if let Some(r) = scheme.get("signingRegion").and_then(|v| v.as_str()) {
            target.region = r.to_owned();
        }
        if let Some(true) = scheme
            .get("disableDoubleEncoding")
            .and_then(|v| v.as_bool())
        {
            target.settings.double_uri_encode = false;
        }
        if let Some(true) = scheme.get("disableNormalizePath").and_then(|v| v.as_bool()) {
            target.settings.normalize_uri_path = false;
        }
    }
    target
}

/// Joins the endpoint URL (scheme, authority, optional path prefix) with the request's path
/// and query, putting `host_prefix` (from the operation's `@endpoint` trait) before the host.
fn join_endpoint(
    endpoint: &ResolvedEndpoint,
    request_uri: &http::Uri,
    explicit_override: bool,
    host_prefix: Option<&str>,
) -> Result<http::Uri, PrepareError> {
    let base: http::Uri = endpoint.url.parse().map_err(|e: http::uri::InvalidUri| {
        PrepareError(
            format!("the endpoint URL {:?} is not a valid URL", endpoint.url),
            Some(Box::new(e)),
        )
    })?;
    match base.scheme_str() {
        Some("https") => {}
        Some("http") if explicit_override => {}
        Some("http") => {
            return Err(prepare_error(format!(
                "the resolved endpoint {:?} uses plain http://, which is only allowed for an \
                 explicit `endpoint_url`",
                endpoint.url
            )))
        }
        _ => {
            return Err(prepare_error(format!(
                "the endpoint URL {:?} must start with https:// (or http:// for an explicit \
                 `endpoint_url`)",
                endpoint.url
            )))
        }
    }
    let Some(authority) = base.authority() else {
        return Err(prepare_error(format!(
            "the endpoint URL {:?} has no host",
            endpoint.url
        )));
    };
    if authority.as_str().contains('@') {
        // `https://us-east-1@evil.example` reaches `evil.example`: whatever stands before `@`
        // only looks like part of the host name. Endpoints never carry user information.
        return Err(prepare_error(format!(
            "the endpoint URL {:?} must not contain user information (`user@`)",
            endpoint.url
        )));
    }
    if base.query().is_some() {
        return Err(prepare_error(format!(
            "the endpoint URL {:?} must not have a query string",
            endpoint.url
        )));
    }
    let prefix = base.path().trim_end_matches('/');
    let path = request_uri.path();
    let mut joined = String::with_capacity(prefix.len() + path.len() + 16);
    joined.push_str(prefix);
    if !path.starts_with('/') {
        joined.push('/');
    }
    joined.push_str(path);
    if let Some(query) = request_uri.query() {
        joined.push('?');
        joined.push_str(query);
    }
    let scheme = base.scheme_str().unwrap_or("https");
    let authority = match host_prefix {
        Some(prefix) => format!("{prefix}{}", authority.as_str()),
        None => authority.as_str().to_owned(),
    };
    http::Uri::builder()
        .scheme(scheme)
        .authority(authority.as_str())
        .path_and_query(joined.as_str())
        .build()
        .map_err(|e| {
            PrepareError(
                format!("could not join {:?} with the request path", endpoint.url),
                Some(Box::new(e)),
            )
        })
}

fn clone_request(base: &HttpRequest) -> HttpRequest {
    let mut request = http::Request::new(base.body().clone());
    *request.method_mut() = base.method().clone();
    *request.uri_mut() = base.uri().clone();
    *request.version_mut() = base.version();
    *request.headers_mut() = base.headers().clone();
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_prefix_path_and_query() {
        let endpoint = ResolvedEndpoint::new("https://example.com/prefix/");
        let uri: http::Uri = "/app-instances?max-results=2".parse().unwrap();
        let joined = join_endpoint(&endpoint, &uri, false, None).unwrap();
        assert_eq!(
            joined.to_string(),
            "https://example.com/prefix/app-instances?max-results=2"
        );
        let plain = ResolvedEndpoint::new("http://localhost:8080");
        let err = join_endpoint(&plain, &uri, false, None).unwrap_err();
        assert!(err.to_string().contains("plain http://"), "{err}");
        let ok = join_endpoint(&plain, &uri, true, None).unwrap();
        assert_eq!(
            ok.to_string(),
            "http://localhost:8080/app-instances?max-results=2"
        );
        let bad = ResolvedEndpoint::new("ftp://x");
        assert!(join_endpoint(&bad, &uri, true, None).is_err());
        let userinfo = ResolvedEndpoint::new("https://us-east-1@evil.example");
        let err = join_endpoint(&userinfo, &uri, true, None).unwrap_err();
        assert!(err.to_string().contains("user information"), "{err}");
    }

    #[test]
    fn host_prefix_goes_before_the_host_and_keeps_port_and_path() {
        let uri: http::Uri = "/op?x=1".parse().unwrap();
        let endpoint = ResolvedEndpoint::new("https://example.com:8443/base");
        let joined = join_endpoint(&endpoint, &uri, false, Some("foo.bar.")).unwrap();
        assert_eq!(
            joined.to_string(),
            "https://foo.bar.example.com:8443/base/op?x=1"
        );
        assert_eq!(joined.host(), Some("foo.bar.example.com"));
    }

    #[test]
    fn parses_http_dates_and_applies_skew() {
        let t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(
            t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs(),
            784111777
        );
        assert!(parse_http_date("yesterday").is_none());
        let base = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
        assert_eq!(
            apply_skew(base, -2000),
            SystemTime::UNIX_EPOCH + Duration::from_secs(998)
        );
        assert_eq!(
            apply_skew(base, 3000),
            SystemTime::UNIX_EPOCH + Duration::from_secs(1003)
        );
    }

    #[test]
    fn paths_the_signer_would_normalise_are_refused() {
        let normalising = SigningSettings::default();
        for path in ["/keys/a/../b", "/keys/./a", "/keys//a", "/keys/.."] {
            let err = check_signable_path(path, &normalising).unwrap_err();
            assert!(err.to_string().contains("another path"), "{path}: {err}");
        }
        for path in ["/keys/a..b/...", "/keys/.hidden", "/", "/keys/a/"] {
            assert!(check_signable_path(path, &normalising).is_ok(), "{path}");
        }
        // Services that sign the path as sent (S3-like) may carry dot segments in greedy labels.
        let as_sent = SigningSettings {
            normalize_uri_path: false,
            ..SigningSettings::default()
        };
        assert!(check_signable_path("/keys/a/../b", &as_sent).is_ok());
    }

    #[test]
    fn auth_schemes_override_signing_name_and_region() {
        let mut endpoint = ResolvedEndpoint::new("https://example.com");
        endpoint.properties.insert(
            "authSchemes".into(),
            serde_json::json!([{"name": "sigv4", "signingName": "other", "signingRegion": "eu-west-1", "disableDoubleEncoding": true}]),
        );
        let target = signing_target(&endpoint, "chime", "us-east-1");
        assert_eq!(target.name, "other");
        assert_eq!(target.region, "eu-west-1");
        assert!(!target.settings.double_uri_encode);
        let plain = signing_target(&ResolvedEndpoint::new("https://x"), "chime", "us-east-1");
        assert_eq!(
            (plain.name.as_str(), plain.region.as_str()),
            ("chime", "us-east-1")
        );
    }
}
