//! Retries in the AWS SDKs' "standard" mode: exponential backoff with full jitter, a shared
//! retry quota (token bucket) so that a failing service is not hammered, and the standard
//! classification of throttling and transient errors. "Adaptive" mode adds a client-side rate
//! limiter (see [`rate_limit`](crate::rate_limit)).
//!
//! Only what is safe is sent again: a request that got no response byte (refused, reset, no
//! answer in time) is retried for every operation; once a response has begun, or after an
//! attempt timeout (when it may have), only an idempotent operation
//! ([`Operation::IDEMPOTENT`](crate::contract::operation::Operation::IDEMPOTENT)) is.

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How failed calls are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryMode {
    /// The AWS SDKs' standard mode: the standard retryable errors, exponential backoff with
    /// jitter and a retry quota.
    Standard,
    /// Standard mode plus a client-side rate limiter that slows every attempt down once the
    /// service throttles the client (see [`rate_limit`](crate::rate_limit)).
    Adaptive,
}

impl RetryMode {
    /// The mode's name as configuration files write it (`standard`, `adaptive`).
    pub fn as_str(&self) -> &'static str {
        match self {
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
        }
    }
}

impl fmt::Display for RetryMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A retry mode name that is not `standard` or `adaptive`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryModeParseError {
    given: String,
}

impl fmt::Display for RetryModeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a retry mode: expected `standard` or `adaptive`",
            self.given
        )
    }
}

impl std::error::Error for RetryModeParseError {}

impl FromStr for RetryMode {
    type Err = RetryModeParseError;

    /// Parses `standard` or `adaptive`, ignoring case and surrounding blanks. (`legacy`, which
    /// some SDKs accept, has no meaning here and is an error too.)
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("standard") {
            Ok(RetryMode::Standard)
        } else if trimmed.eq_ignore_ascii_case("adaptive") {
            Ok(RetryMode::Adaptive)
        } else {
            Err(RetryModeParseError {
                given: text.to_owned(),
            })
        }
    }
}

/// Computes the backoff before retry number `n` (1 for the first retry) instead of the default
/// exponential backoff with jitter.
pub type BackoffFn = Arc<dyn Fn(u32) -> Duration + Send + Sync>;

/// How calls are retried.
#[derive(Clone)]
pub struct RetryConfig {
    mode: RetryMode,
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    backoff_fn: Option<BackoffFn>,
    use_quota: bool,
}

impl fmt::Debug for RetryConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryConfig")
            .field("mode", &self.mode)
            .field("max_attempts", &self.max_attempts)
            .field("initial_backoff", &self.initial_backoff)
            .field("max_backoff", &self.max_backoff)
            .field("custom_backoff", &self.backoff_fn.is_some())
            .field("use_quota", &self.use_quota)
            .finish()
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryConfig {
    /// Standard mode: 3 attempts, backoff `random(0, min(1 s * 2^(n-1), 20 s))`, retry quota on.
    pub fn standard() -> Self {
        Self {
            mode: RetryMode::Standard,
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            backoff_fn: None,
            use_quota: true,
        }
    }

    /// Adaptive mode: standard mode plus a client-side rate limiter that, once the service
    /// throttles the client, makes attempts wait for tokens of a bucket whose fill rate follows
    /// the service's throttling (see [`rate_limit`](crate::rate_limit)).
    pub fn adaptive() -> Self {
        Self::standard().with_retry_mode(RetryMode::Adaptive)
    }

    /// A single attempt: nothing is retried.
    pub fn disabled() -> Self {
        Self::standard().with_max_attempts(1)
    }

    /// A builder whose unset settings keep the standard defaults.
    pub fn builder() -> RetryConfigBuilder {
        RetryConfigBuilder::default()
    }

    /// Sets the retry mode.
    pub fn with_retry_mode(mut self, mode: RetryMode) -> Self {
        self.mode = mode;
        self
    }

    /// Total attempts per call, the first included (values below 1 count as 1). Default: 3.
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Base of the exponential backoff. Default: 1 s.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Largest backoff between attempts. Default: 20 s.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Replaces the jittered exponential backoff by `backoff(n)` for retry `n` (1-based); the
    /// result is still capped by the max backoff.
    pub fn with_backoff_fn(
        mut self,
        backoff: impl Fn(u32) -> Duration + Send + Sync + 'static,
    ) -> Self {
        self.backoff_fn = Some(Arc::new(backoff));
        self
    }

    /// Whether retries draw from the client's retry quota (see [`RetryQuota`]). Default: on.
    pub fn with_retry_quota(mut self, enabled: bool) -> Self {
        self.use_quota = enabled;
        self
    }

    /// The retry mode.
    pub fn mode(&self) -> RetryMode {
        self.mode
    }

    /// Total attempts per call.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether a failed attempt can be retried at all (more than one attempt).
    pub fn has_retry(&self) -> bool {
        self.max_attempts > 1
    }

    /// Base of the exponential backoff.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// Largest backoff.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// Whether the retry quota is used.
    pub fn uses_quota(&self) -> bool {
        self.use_quota
    }

    /// The backoff before retry `retry` (1 for the first retry).
    pub fn backoff(&self, retry: u32) -> Duration {
        let cap = self.max_backoff;
        if let Some(f) = &self.backoff_fn {
            return f(retry).min(cap);
        }
        let exponent = retry.saturating_sub(1).min(30);
        let ceiling = self
            .initial_backoff
            .checked_mul(1u32 << exponent)
            .unwrap_or(cap)
            .min(cap);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// Builds a [`RetryConfig`]; what is left unset keeps the standard mode's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetryConfigBuilder {
    mode: Option<RetryMode>,
    max_attempts: Option<u32>,
    initial_backoff: Option<Duration>,
    max_backoff: Option<Duration>,
}

impl RetryConfigBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// The retry mode. Default: standard.
    pub fn mode(mut self, mode: RetryMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// Sets or clears the retry mode.
    pub fn set_mode(&mut self, mode: Option<RetryMode>) -> &mut Self {
        self.mode = mode;
        self
    }

    /// Total attempts per call, the first included. Default: 3.
    pub fn max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = Some(max_attempts);
        self
    }

    /// Sets or clears the number of attempts.
    pub fn set_max_attempts(&mut self, max_attempts: Option<u32>) -> &mut Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Base of the exponential backoff. Default: 1 s.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = Some(backoff);
        self
    }

    /// Sets or clears the initial backoff.
    pub fn set_initial_backoff(&mut self, backoff: Option<Duration>) -> &mut Self {
        self.initial_backoff = backoff;
        self
    }

    /// Largest backoff between attempts. Default: 20 s.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = Some(backoff);
        self
    }

    /// Sets or clears the largest backoff.
    pub fn set_max_backoff(&mut self, backoff: Option<Duration>) -> &mut Self {
        self.max_backoff = backoff;
        self
    }

    /// The settings of this builder, and those of `other` where this one has none.
    pub fn take_unset_from(self, other: Self) -> Self {
        Self {
            mode: self.mode.or(other.mode),
            max_attempts: self.max_attempts.or(other.max_attempts),
            initial_backoff: self.initial_backoff.or(other.initial_backoff),
            max_backoff: self.max_backoff.or(other.max_backoff),
        }
    }

    /// The configuration.
    pub fn build(self) -> RetryConfig {
        let standard = RetryConfig::standard();
        RetryConfig {
            mode: self.mode.unwrap_or(standard.mode),
            max_attempts: self.max_attempts.unwrap_or(standard.max_attempts).max(1),
            initial_backoff: self.initial_backoff.unwrap_or(standard.initial_backoff),
            max_backoff: self.max_backoff.unwrap_or(standard.max_backoff),
            ..standard
        }
    }
}

/// Why a failed attempt may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryKind {
    /// The service asked to slow down.
    Throttling,
    /// A transient server or connection failure.
    Transient,
    /// The attempt timed out.
    Timeout,
    /// The request was signed with a clock the service considers skewed.
    ClockSkew,
}

/// Error codes the AWS SDKs treat as throttling.
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "ThrottledClientException",
];

/// Error codes the AWS SDKs treat as transient.
pub const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "ServiceFailureException",
    "ServiceUnavailableException",
];

/// Error codes that mean the request time was too far from the service's clock.
pub const CLOCK_SKEW_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "RequestInTheFuture",
    "AuthFailure",
];

/// HTTP status codes retried as transient.
pub const TRANSIENT_STATUS: &[u16] = &[500, 502, 503, 504];

/// Classifies a service error response by its error code and HTTP status.
///
/// Clock-skew codes are reported as [`RetryKind::ClockSkew`] whatever the status; the caller
/// decides whether the skew is real (by comparing the response `Date` with the local clock).
/// Other 4xx responses (apart from 429) are never retried.
pub fn classify_response(status: u16, code: Option<&str>) -> Option<RetryKind> {
    if let Some(code) = code {
        // Error codes may arrive qualified (`aws.protocoltests#Code`) or with a suffix
        // (`Code:http://...`); compare the bare name.
        let bare = code.rsplit('#').next().unwrap_or(code);
        let bare = bare.split(':').next().unwrap_or(bare);
        if THROTTLING_CODES.contains(&bare) {
            return Some(RetryKind::Throttling);
        }
        if TRANSIENT_CODES.contains(&bare) {
            return Some(RetryKind::Transient);
        }
        if CLOCK_SKEW_CODES.contains(&bare) {
            return Some(RetryKind::ClockSkew);
        }
    }
    if status == 429 {
        return Some(RetryKind::Throttling);
    }
    if TRANSIENT_STATUS.contains(&status) {
        return Some(RetryKind::Transient);
    }
    None
}

const INITIAL_QUOTA: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;
const NO_RETRY_INCREMENT: u32 = 1;

/// The client-wide retry quota: a token bucket of 500 tokens; each retry takes 5 (10 after a
/// timeout), a successful retried call gives its cost back and a success on the first attempt
/// adds 1. When the bucket cannot pay for a retry the failure is returned at once, which stops
/// a retry storm against a failing service.
#[derive(Debug, Clone)]
pub struct RetryQuota {
    tokens: Arc<Mutex<u32>>,
    capacity: u32,
}

impl Default for RetryQuota {
    fn default() -> Self {
        Self::new(INITIAL_QUOTA)
    }
}

impl RetryQuota {
    /// A full bucket of `capacity` tokens.
    pub fn new(capacity: u32) -> Self {
        Self {
            tokens: Arc::new(Mutex::new(capacity)),
            capacity,
        }
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        *self.lock()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, u32> {
        // A poisoned lock only means another thread panicked while holding a plain integer.
        self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes the cost of a retry after `kind`; `None` when the bucket cannot pay.
    pub fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = match kind {
            RetryKind::Timeout => TIMEOUT_RETRY_COST,
            _ => RETRY_COST,
        };
        let mut tokens = self.lock();
        if *tokens < cost {
            return None;
        }
        *tokens -= cost;
        Some(cost)
    }

    /// Records a successful attempt; `spent` is what the call's last retry cost (0 if the call
    /// was not retried).
    pub fn release(&self, spent: u32) {
        let refund = if spent == 0 {
            NO_RETRY_INCREMENT
        } else {
            spent
        };
        let mut tokens = self.lock();
        *tokens = tokens.saturating_add(refund).min(self.capacity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_follows_the_standard_lists() {
        assert_eq!(
            classify_response(400, Some("ThrottlingException")),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(400, Some("SlowDown")),
            Some(RetryKind::Throttling)
        );
        assert_eq!(classify_response(429, None), Some(RetryKind::Throttling));
        assert_eq!(classify_response(503, None), Some(RetryKind::Transient));
        assert_eq!(
            classify_response(500, Some("ServiceFailureException")),
            Some(RetryKind::Transient)
        );
        assert_eq!(
            classify_response(403, Some("RequestTimeTooSkewed")),
            Some(RetryKind::ClockSkew)
        );
        assert_eq!(classify_response(400, Some("BadRequestException")), None);
        assert_eq!(classify_response(404, None), None);
        assert_eq!(classify_response(501, None), None);
        assert_eq!(
            classify_response(400, Some("aws.test#ThrottlingException")),
            Some(RetryKind::Throttling)
        );
    }

    #[test]
    fn backoff_is_jittered_and_capped() {
        let config = RetryConfig::standard()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(250));
        for retry in 1..10 {
            let b = config.backoff(retry);
            let ceiling = Duration::from_millis((100u64 << (retry - 1)).min(250));
            assert!(b <= ceiling, "retry {retry}: {b:?} > {ceiling:?}");
        }
        let fixed =
            RetryConfig::standard().with_backoff_fn(|n| Duration::from_secs(u64::from(n) * 100));
        assert_eq!(fixed.backoff(1), Duration::from_secs(20));
        assert_eq!(RetryConfig::disabled().max_attempts(), 1);
    }

    /// The default configuration's backoff, sampled with a seeded RNG: before retry `n` it is
    /// `random(0, min(1 s * 2^(n-1), 20 s))`, so every sample is within the ceiling, the samples
    /// spread over the whole range (close to 0 and close to the ceiling: not zero, not constant)
    /// and average half the ceiling, which doubles per retry up to the 20 s cap.
    #[test]
    fn default_backoff_is_full_jitter_under_a_doubling_capped_ceiling() {
        fastrand::seed(0x5EED_2018);
        let config = RetryConfig::default();
        let ceilings_ms = [1_000, 2_000, 4_000, 8_000, 16_000, 20_000, 20_000, 20_000];
        const SAMPLES: u32 = 2_000;
        let mut means = Vec::new();
        for (retry, ceiling_ms) in (1..).zip(ceilings_ms) {
            let ceiling = Duration::from_millis(ceiling_ms);
            let samples: Vec<Duration> = (0..SAMPLES).map(|_| config.backoff(retry)).collect();
            let (min, max) = (samples.iter().min().unwrap(), samples.iter().max().unwrap());
            let mean = samples.iter().sum::<Duration>() / SAMPLES;
            assert!(*max <= ceiling, "retry {retry}: {max:?} above {ceiling:?}");
            assert!(
                *max >= ceiling.mul_f64(0.95),
                "retry {retry}: max {max:?} of {ceiling:?}"
            );
            assert!(
                *min <= ceiling.mul_f64(0.05),
                "retry {retry}: min {min:?} of {ceiling:?}"
            );
            assert!(
                mean >= ceiling.mul_f64(0.45) && mean <= ceiling.mul_f64(0.55),
                "retry {retry}: mean {mean:?}, ceiling {ceiling:?}"
            );
            means.push(mean);
        }
        for pair in means[..5].windows(2) {
            let ratio = pair[1].as_secs_f64() / pair[0].as_secs_f64();
            assert!((1.8..=2.2).contains(&ratio), "means {means:?}");
        }
        // Far-out retries stay at the cap instead of overflowing.
        for retry in [31, 32, 1_000, u32::MAX] {
            assert!(config.backoff(retry) <= Duration::from_secs(20));
        }
        let far: Duration = (0..SAMPLES).map(|_| config.backoff(u32::MAX)).sum();
        assert!(far / SAMPLES >= Duration::from_secs(9), "{far:?}");
    }

    /// The documented standard-mode defaults, read back through the getters, and the
    /// settings a `Debug` print shows.
    #[test]
    fn standard_defaults_and_debug() {
        let standard = RetryConfig::default();
        assert_eq!(standard.max_attempts(), 3);
        assert_eq!(standard.initial_backoff(), Duration::from_secs(1));
        assert_eq!(standard.max_backoff(), Duration::from_secs(20));
        assert!(standard.uses_quota());
        assert!(!RetryConfig::standard().with_retry_quota(false).uses_quota());
        assert_eq!(
            RetryConfig::standard().with_max_attempts(0).max_attempts(),
            1
        );
        let debug = format!(
            "{:?}",
            RetryConfig::standard()
                .with_max_attempts(7)
                .with_backoff_fn(|_| Duration::ZERO)
        );
        for part in [
            "max_attempts: 7",
            "initial_backoff: 1s",
            "max_backoff: 20s",
            "custom_backoff: true",
            "use_quota: true",
        ] {
            assert!(debug.contains(part), "{part} in {debug}");
        }
    }

    /// A bucket holding exactly the cost of a retry can pay for it, down to zero.
    #[test]
    fn quota_pays_with_its_last_tokens() {
        let quota = RetryQuota::new(15);
        assert_eq!(quota.acquire(RetryKind::Timeout), Some(10));
        assert_eq!(quota.acquire(RetryKind::Transient), Some(5));
        assert_eq!(quota.available(), 0);
        assert_eq!(quota.acquire(RetryKind::ClockSkew), None);
        assert_eq!(quota.available(), 0);
    }

    #[test]
    fn retry_modes_parse_and_configure() {
        assert_eq!("standard".parse::<RetryMode>(), Ok(RetryMode::Standard));
        assert_eq!(" Adaptive ".parse::<RetryMode>(), Ok(RetryMode::Adaptive));
        let err = "legacy".parse::<RetryMode>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"legacy\" is not a retry mode: expected `standard` or `adaptive`"
        );
        assert_eq!(RetryConfig::standard().mode(), RetryMode::Standard);
        let adaptive = RetryConfig::adaptive().with_max_attempts(5);
        assert_eq!(
            (adaptive.mode(), adaptive.max_attempts()),
            (RetryMode::Adaptive, 5)
        );
        assert!(adaptive.has_retry() && !RetryConfig::disabled().has_retry());
        let built = RetryConfig::builder()
            .mode(RetryMode::Adaptive)
            .max_attempts(0)
            .build();
        assert_eq!(
            (built.mode(), built.max_attempts()),
            (RetryMode::Adaptive, 1)
        );
        assert_eq!(built.initial_backoff(), Duration::from_secs(1));
        let merged = RetryConfigBuilder::new()
            .max_attempts(7)
            .take_unset_from(
                RetryConfigBuilder::new()
                    .mode(RetryMode::Adaptive)
                    .max_attempts(2),
            )
            .build();
        assert_eq!(
            (merged.mode(), merged.max_attempts()),
            (RetryMode::Adaptive, 7)
        );
    }

    #[test]
    fn quota_drains_and_refills() {
        let quota = RetryQuota::new(12);
        assert_eq!(quota.acquire(RetryKind::Transient), Some(5));
        assert_eq!(quota.acquire(RetryKind::Timeout), None);
        assert_eq!(quota.acquire(RetryKind::Throttling), Some(5));
        assert_eq!(quota.available(), 2);
        assert_eq!(quota.acquire(RetryKind::Transient), None);
        quota.release(5);
        assert_eq!(quota.available(), 7);
        quota.release(0);
        assert_eq!(quota.available(), 8);
        quota.release(10);
        assert_eq!(quota.available(), 12);
    }
}
