//! Timeouts of a call and its attempts ([`TimeoutConfig`], and [`timeout`] that races a future
//! against an [`AsyncSleep`]).

use std::fmt;
use std::future::Future;
use std::task::Poll;
use std::time::Duration;

use crate::contract::time::AsyncSleep;
use crate::transport::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT};

/// Timeouts applied to calls.
///
/// `connect`, `read` and `response` configure the default HTTP client (a client you bring
/// yourself keeps its own settings); `operation_attempt` bounds each attempt and `operation`
/// the whole call, retries and backoff included. A timeout gives `SdkError::TimeoutError`, or
/// `SdkError::ResponseError` when it fires while a response body is arriving.
///
/// # The defaults, and how they compare with the AWS SDKs
///
/// | timeout | default here | AWS SDK for Rust | AWS SDK for Java 2.x | AWS SDK for Go v2 |
/// |---|---|---|---|---|
/// | connect | 3.1 s | 3.1 s | 2 s (Apache client) | 30 s (dialer) |
/// | read (no data) | 60 s | none | 30 s (socket) | none |
/// | response (whole response of an attempt) | 60 s | none | none | none (`http.Client.Timeout` unset) |
/// | attempt / operation | none / none | none / none | none / none | none (context) |
///
/// The response timeout is this client's own bound: with only an idle read timeout, a server
/// that sends one byte every few seconds keeps a call (and its connection) busy forever. With
/// the defaults, one attempt ends within 3.1 s + 60 s whatever the server does; an idempotent
/// operation is retried up to 3 attempts. Responses that legitimately take longer (large
/// bodies over slow links) need a larger [`response_timeout`](Self::response_timeout) (or
/// `set_response_timeout(None)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    read: Option<Duration>,
    response: Option<Duration>,
    operation_attempt: Option<Duration>,
    operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        Self {
            connect: Some(DEFAULT_CONNECT_TIMEOUT),
            read: Some(DEFAULT_READ_TIMEOUT),
            response: Some(DEFAULT_RESPONSE_TIMEOUT),
            operation_attempt: None,
            operation: None,
        }
    }
}

impl TimeoutConfig {
    /// The defaults: connect 3.1 s, read 60 s, response 60 s, no attempt or operation timeout.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder: what it leaves unset keeps the default (connect 3.1 s, read 60 s, response
    /// 60 s, no attempt or operation timeout); `disable_*` turns a timeout off.
    pub fn builder() -> TimeoutConfigBuilder {
        TimeoutConfigBuilder::new()
    }

    /// A builder holding these timeouts.
    pub fn to_builder(&self) -> TimeoutConfigBuilder {
        TimeoutConfigBuilder {
            connect: Some(self.connect),
            read: Some(self.read),
            response: Some(self.response),
            operation_attempt: Some(self.operation_attempt),
            operation: Some(self.operation),
        }
    }

    /// Whether any timeout is set.
    pub fn has_timeouts(&self) -> bool {
        self.connect.is_some()
            || self.read.is_some()
            || self.response.is_some()
            || self.operation_attempt.is_some()
            || self.operation.is_some()
    }

    /// No timeouts at all.
    pub fn disabled() -> Self {
        Self {
            connect: None,
            read: None,
            response: None,
            operation_attempt: None,
            operation: None,
        }
    }

    /// Time allowed to establish a connection. Default: 3.1 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect = Some(timeout);
        self
    }

    /// Time allowed without receiving response data (restarted by every chunk). Default: 60 s.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read = Some(timeout);
        self
    }

    /// Time allowed for the whole response of one attempt, from sending the request to the
    /// last byte of the body, however steadily it arrives. Default: 60 s.
    pub fn response_timeout(mut self, timeout: Duration) -> Self {
        self.response = Some(timeout);
        self
    }

    /// Time allowed for one attempt (send, receive, parse). Default: none.
    pub fn operation_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.operation_attempt = Some(timeout);
        self
    }

    /// Time allowed for the whole call, including retries and backoff. Default: none.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation = Some(timeout);
        self
    }

    /// Sets or clears the connect timeout.
    pub fn set_connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect = timeout;
        self
    }

    /// Sets or clears the read timeout.
    pub fn set_read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.read = timeout;
        self
    }

    /// Sets or clears the response timeout.
    pub fn set_response_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.response = timeout;
        self
    }

    /// Sets or clears the attempt timeout.
    pub fn set_operation_attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.operation_attempt = timeout;
        self
    }

    /// Sets or clears the operation timeout.
    pub fn set_operation_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.operation = timeout;
        self
    }

    /// The connect timeout.
    pub fn connect(&self) -> Option<Duration> {
        self.connect
    }

    /// The read timeout.
    pub fn read(&self) -> Option<Duration> {
        self.read
    }

    /// The response timeout.
    pub fn response(&self) -> Option<Duration> {
        self.response
    }

    /// The attempt timeout.
    pub fn operation_attempt(&self) -> Option<Duration> {
        self.operation_attempt
    }

    /// The operation timeout.
    pub fn operation(&self) -> Option<Duration> {
        self.operation
    }
}

/// Builds a [`TimeoutConfig`]. A timeout left unset keeps its default; one disabled with
/// `disable_*` (or set to `None` with `set_*`) is off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeoutConfigBuilder {
    // `None`: unset (the default applies); `Some(None)`: disabled.
    connect: Option<Option<Duration>>,
    read: Option<Option<Duration>>,
    response: Option<Option<Duration>>,
    operation_attempt: Option<Option<Duration>>,
    operation: Option<Option<Duration>>,
}

impl TimeoutConfigBuilder {
    /// A builder with every timeout at its default.
    pub fn new() -> Self {
        Self::default()
    }

    /// Time allowed to establish a connection. Default: 3.1 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect = Some(Some(timeout));
        self
    }

    /// Sets (`Some`) or turns off (`None`) the connect timeout.
    pub fn set_connect_timeout(&mut self, timeout: Option<Duration>) -> &mut Self {
        self.connect = Some(timeout);
        self
    }

    /// No connect timeout.
    pub fn disable_connect_timeout(mut self) -> Self {
        self.connect = Some(None);
        self
    }

    /// Time allowed without receiving response data. Default: 60 s.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read = Some(Some(timeout));
        self
    }

    /// Sets (`Some`) or turns off (`None`) the read timeout.
    pub fn set_read_timeout(&mut self, timeout: Option<Duration>) -> &mut Self {
        self.read = Some(timeout);
        self
    }

    /// No read timeout.
    pub fn disable_read_timeout(mut self) -> Self {
        self.read = Some(None);
        self
    }

    /// Time allowed for the whole response of one attempt, from sending the request to the
    /// last byte of the body, however steadily it arrives. Default: 60 s (the AWS SDKs have no
    /// such bound; see [`TimeoutConfig`]). Raise it for large responses over slow links.
    pub fn response_timeout(mut self, timeout: Duration) -> Self {
        self.response = Some(Some(timeout));
        self
    }

    /// Sets (`Some`) or turns off (`None`) the response timeout.
    pub fn set_response_timeout(&mut self, timeout: Option<Duration>) -> &mut Self {
        self.response = Some(timeout);
        self
    }

    /// No response timeout: a response may take any time, as long as data keeps arriving
    /// within the read timeout.
    pub fn disable_response_timeout(mut self) -> Self {
        self.response = Some(None);
        self
    }

    /// Time allowed for one attempt (send, receive, parse). Default: none.
    pub fn operation_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.operation_attempt = Some(Some(timeout));
        self
    }

    /// Sets (`Some`) or turns off (`None`) the attempt timeout.
    pub fn set_operation_attempt_timeout(&mut self, timeout: Option<Duration>) -> &mut Self {
        self.operation_attempt = Some(timeout);
        self
    }

    /// No attempt timeout.
    pub fn disable_operation_attempt_timeout(mut self) -> Self {
        self.operation_attempt = Some(None);
        self
    }

    /// Time allowed for the whole call, including retries and backoff. Default: none.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation = Some(Some(timeout));
        self
    }

    /// Sets (`Some`) or turns off (`None`) the operation timeout.
    pub fn set_operation_timeout(&mut self, timeout: Option<Duration>) -> &mut Self {
        self.operation = Some(timeout);
        self
    }

    /// No operation timeout.
    pub fn disable_operation_timeout(mut self) -> Self {
        self.operation = Some(None);
        self
    }

    /// The settings of this builder, and those of `other` where this one has none.
    pub fn take_unset_from(self, other: Self) -> Self {
        Self {
            connect: self.connect.or(other.connect),
            read: self.read.or(other.read),
            response: self.response.or(other.response),
            operation_attempt: self.operation_attempt.or(other.operation_attempt),
            operation: self.operation.or(other.operation),
        }
    }

    /// The timeouts.
    pub fn build(self) -> TimeoutConfig {
        let defaults = TimeoutConfig::default();
        TimeoutConfig {
            connect: self.connect.unwrap_or(defaults.connect),
            read: self.read.unwrap_or(defaults.read),
            response: self.response.unwrap_or(defaults.response),
            operation_attempt: self.operation_attempt.unwrap_or(defaults.operation_attempt),
            operation: self.operation.unwrap_or(defaults.operation),
        }
    }
}

impl From<TimeoutConfig> for TimeoutConfigBuilder {
    fn from(config: TimeoutConfig) -> Self {
        config.to_builder()
    }
}

/// Which timeout of a call fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutElapsed {
    kind: &'static str,
    after: Duration,
}

impl TimeoutElapsed {
    /// A timeout named `kind` (e.g. `operation attempt`) fired after `after`.
    pub fn new(kind: &'static str, after: Duration) -> Self {
        Self { kind, after }
    }

    /// Which timeout fired (`operation` or `operation attempt`).
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// The configured limit.
    pub fn after(&self) -> Duration {
        self.after
    }
}

impl fmt::Display for TimeoutElapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the {} timeout of {:?} elapsed", self.kind, self.after)
    }
}

impl std::error::Error for TimeoutElapsed {}

/// Runs `fut`, giving up with [`TimeoutElapsed`] once `limit` has passed (`None`: no limit).
pub async fn timeout<F: Future>(
    sleep: &dyn AsyncSleep,
    kind: &'static str,
    limit: Option<Duration>,
    fut: F,
) -> Result<F::Output, TimeoutElapsed> {
    let Some(after) = limit else {
        return Ok(fut.await);
    };
    let mut fut = std::pin::pin!(fut);
    let mut timer = sleep.sleep(after);
    std::future::poll_fn(|cx| {
        if let Poll::Ready(value) = fut.as_mut().poll(cx) {
            return Poll::Ready(Ok(value));
        }
        if timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(TimeoutElapsed::new(kind, after)));
        }
        Poll::Pending
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::time::TokioSleep;

    /// The documented defaults, `disabled`, and every setter read back through its getter
    /// (each timeout is set on its own, so one setter writing another's field shows).
    #[test]
    fn defaults_and_setters() {
        let default = TimeoutConfig::new();
        assert_eq!(default.connect(), Some(Duration::from_millis(3100)));
        assert_eq!(default.read(), Some(Duration::from_secs(60)));
        assert_eq!(default.response(), Some(Duration::from_secs(60)));
        assert_eq!(default.operation_attempt(), None);
        assert_eq!(default.operation(), None);
        let none = TimeoutConfig::disabled();
        let all = [
            none.connect(),
            none.read(),
            none.response(),
            none.operation_attempt(),
            none.operation(),
        ];
        assert_eq!(all, [None; 5]);

        let d = |n| Duration::from_secs(n);
        let getters = |c: TimeoutConfig| {
            [
                c.connect(),
                c.read(),
                c.response(),
                c.operation_attempt(),
                c.operation(),
            ]
        };
        let set = [
            none.connect_timeout(d(1)),
            none.read_timeout(d(2)),
            none.response_timeout(d(3)),
            none.operation_attempt_timeout(d(4)),
            none.operation_timeout(d(5)),
        ];
        let set_option = [
            none.set_connect_timeout(Some(d(1))),
            none.set_read_timeout(Some(d(2))),
            none.set_response_timeout(Some(d(3))),
            none.set_operation_attempt_timeout(Some(d(4))),
            none.set_operation_timeout(Some(d(5))),
        ];
        for (i, (one, other)) in set.into_iter().zip(set_option).enumerate() {
            let mut expected = [None; 5];
            expected[i] = Some(d(i as u64 + 1));
            assert_eq!(getters(one), expected, "setter {i}");
            assert_eq!(getters(other), expected, "set_ setter {i}");
        }
        let cleared = default
            .set_connect_timeout(None)
            .set_read_timeout(None)
            .set_response_timeout(None)
            .set_operation_attempt_timeout(None)
            .set_operation_timeout(None);
        assert_eq!(cleared, none);
    }

    #[test]
    fn elapsed_says_which_timeout_and_its_limit() {
        let elapsed = TimeoutElapsed::new("operation attempt", Duration::from_millis(1500));
        assert_eq!(elapsed.kind(), "operation attempt");
        assert_eq!(elapsed.after(), Duration::from_millis(1500));
        assert_eq!(
            elapsed.to_string(),
            "the operation attempt timeout of 1.5s elapsed"
        );
    }

    #[test]
    fn the_builder_keeps_defaults_for_what_it_leaves_unset() {
        let built = TimeoutConfig::builder()
            .operation_timeout(Duration::from_secs(30))
            .build();
        assert_eq!(built.connect(), Some(DEFAULT_CONNECT_TIMEOUT));
        assert_eq!(built.read(), Some(DEFAULT_READ_TIMEOUT));
        assert_eq!(built.response(), Some(DEFAULT_RESPONSE_TIMEOUT));
        assert_eq!(built.operation(), Some(Duration::from_secs(30)));
        assert_eq!(built.operation_attempt(), None);
        let off = TimeoutConfig::builder()
            .disable_connect_timeout()
            .disable_read_timeout()
            .build();
        assert!(off.has_timeouts(), "the response timeout is still on");
        let off = off.to_builder().disable_response_timeout().build();
        assert!(!off.has_timeouts());
        assert_eq!(off, TimeoutConfig::disabled());
        let mut builder = built.to_builder();
        builder.set_read_timeout(Some(Duration::from_secs(2)));
        builder.set_response_timeout(Some(Duration::from_secs(600)));
        let merged = TimeoutConfigBuilder::new().take_unset_from(builder).build();
        assert_eq!(merged.read(), Some(Duration::from_secs(2)));
        assert_eq!(merged.response(), Some(Duration::from_secs(600)));
        assert_eq!(merged.operation(), Some(Duration::from_secs(30)));
    }

    #[test]
    fn timeout_fires_and_passes() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(timeout_fires_and_passes_async());
    }

    async fn timeout_fires_and_passes_async() {
        let slow = timeout(
            &TokioSleep,
            "operation",
            Some(Duration::from_millis(10)),
            async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                1
            },
        )
        .await;
        let err = slow.unwrap_err();
        assert_eq!(err.kind(), "operation");
        assert!(err.to_string().contains("operation timeout"));
        let fast = timeout(
            &TokioSleep,
            "operation",
            Some(Duration::from_secs(5)),
            async { 2 },
        )
        .await;
        assert_eq!(fast.unwrap(), 2);
        let unlimited = timeout(&TokioSleep, "operation", None, async { 3 }).await;
        assert_eq!(unlimited.unwrap(), 3);
    }
}
