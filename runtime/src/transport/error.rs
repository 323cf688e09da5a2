//! The default client's own failures (timeouts, size limits, TLS setup) and how hyper's errors
//! are classified and described.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use crate::contract::http::{ConnectorError, ConnectorErrorKind};

/// A response body was larger than the configured limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyTooLarge {
    limit: usize,
}

impl BodyTooLarge {
    pub(super) fn new(limit: usize) -> Self {
        Self { limit }
    }

    /// The limit that was exceeded, in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }
}

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response body is larger than the limit of {} bytes (raise it with \
             `HttpClientSettings::max_body_size`)",
            self.limit
        )
    }
}

impl StdError for BodyTooLarge {}

/// The response bodies a client was buffering at once, for all its calls together, would have
/// grown past its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BufferLimitReached {
    limit: usize,
}

impl BufferLimitReached {
    pub(super) fn new(limit: usize) -> Self {
        Self { limit }
    }

    /// The limit, in bytes, of the response bodies buffered at once.
    pub fn limit(&self) -> usize {
        self.limit
    }
}

impl fmt::Display for BufferLimitReached {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response bodies the client is reading at once would exceed its limit of {} \
             bytes (raise it with `HttpClientSettings::max_buffered_body_bytes`)",
            self.limit
        )
    }
}

impl StdError for BufferLimitReached {}

/// Which of the default client's timers fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Timer {
    /// No data for the read timeout.
    Read(Duration),
    /// The whole response took longer than the response timeout.
    Response(Duration),
}

/// Where an exchange was when a timer fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Connect,
    Head,
    Body { received: u64 },
}

/// A connect, read or response timeout of the default client fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportTimeout {
    phase: Phase,
    timer: Timer,
}

impl TransportTimeout {
    pub(super) fn connect(after: Duration) -> Self {
        Self {
            phase: Phase::Connect,
            // The connect timeout bounds the whole connect, like a deadline.
            timer: Timer::Response(after),
        }
    }

    pub(super) fn head(timer: Timer) -> Self {
        Self {
            phase: Phase::Head,
            timer,
        }
    }

    pub(super) fn body(timer: Timer, received: u64) -> Self {
        Self {
            phase: Phase::Body { received },
            timer,
        }
    }

    /// The limit that was reached.
    pub fn after(&self) -> Duration {
        match self.timer {
            Timer::Read(after) | Timer::Response(after) => after,
        }
    }
}

impl fmt::Display for TransportTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let after = self.after();
        match (self.phase, self.timer) {
            (Phase::Connect, _) => {
                write!(
                    f,
                    "connecting took longer than the connect timeout ({after:?})"
                )
            }
            (Phase::Head, Timer::Read(_)) => {
                write!(f, "no response within the read timeout ({after:?})")
            }
            (Phase::Head, Timer::Response(_)) => {
                write!(f, "no response within the response timeout ({after:?})")
            }
            (Phase::Body { received }, Timer::Read(_)) => write!(
                f,
                "the response body stalled: no data within the read timeout ({after:?}) after \
                 {received} bytes"
            ),
            (Phase::Body { received }, Timer::Response(_)) => write!(
                f,
                "the response was not complete within the response timeout ({after:?}): \
                 {received} body bytes received"
            ),
        }
    }
}

impl StdError for TransportTimeout {}

/// No trusted root certificates are available to the default client.
#[derive(Debug)]
pub(super) struct TlsSetupError(pub(super) String);

impl fmt::Display for TlsSetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not set up TLS: {}", self.0)
    }
}

impl StdError for TlsSetupError {}

/// The next error in a source chain. `io::Error::source()` skips the error an `io::Error`
/// wraps (hyper-util and tokio-rustls wrap theirs that way), so step into it explicitly.
fn next_in_chain<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a (dyn StdError + 'static)> {
    match err
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
    {
        Some(inner) => Some(inner as &(dyn StdError + 'static)),
        None => err.source(),
    }
}

fn find_in_chain<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = next_in_chain(e);
    }
    None
}

fn chain_has<T: StdError + 'static>(err: &(dyn StdError + 'static)) -> bool {
    find_in_chain::<T>(err).is_some()
}

fn io_kind(err: &(dyn StdError + 'static)) -> Option<std::io::ErrorKind> {
    find_in_chain::<std::io::Error>(err).map(std::io::Error::kind)
}

/// A failure of the request before any response byte: connecting, the TLS handshake, writing
/// the request or waiting for the response head. `destination` is `host:port`.
pub(super) fn request_failure(
    err: hyper_util::client::legacy::Error,
    destination: &str,
) -> ConnectorError {
    if chain_has::<TransportTimeout>(&err) {
        return ConnectorError::timeout(err)
            .with_message(format!("could not connect to {destination}"));
    }
    if chain_has::<TlsSetupError>(&err) {
        return ConnectorError::user(err);
    }
    let tls = chain_has::<rustls::Error>(&err);
    let (kind, message) = if tls {
        // A failed handshake or certificate check fails the same way again.
        (
            ConnectorErrorKind::Other,
            format!("the TLS handshake with {destination} failed"),
        )
    } else if err.is_connect() {
        (
            ConnectorErrorKind::Io,
            format!("could not connect to {destination}"),
        )
    } else {
        let hyper = err.source().and_then(|s| s.downcast_ref::<hyper::Error>());
        let kind = match hyper {
            Some(h) if h.is_timeout() => ConnectorErrorKind::Timeout,
            Some(h) if h.is_user() => ConnectorErrorKind::User,
            _ => ConnectorErrorKind::Io,
        };
        (
            kind,
            format!("the connection to {destination} failed before a response arrived"),
        )
    };
    ConnectorError::new(kind, err).with_message(message)
}

/// A failure while reading the body of a response, after `received` body bytes (of `declared`,
/// when the response announced its length).
pub(super) fn body_failure(
    err: hyper::Error,
    received: u64,
    declared: Option<u64>,
) -> ConnectorError {
    let what = match io_kind(&err) {
        Some(std::io::ErrorKind::ConnectionReset) => "connection reset",
        Some(std::io::ErrorKind::ConnectionAborted) => "connection aborted",
        Some(std::io::ErrorKind::UnexpectedEof) => "connection closed",
        _ if err.is_incomplete_message() => "connection closed",
        _ => "read failed",
    };
    let kind = if err.is_timeout() {
        ConnectorErrorKind::Timeout
    } else {
        ConnectorErrorKind::Io
    };
    let amount = match declared {
        Some(total) => format!("{received} of {total} bytes"),
        None => format!("{received} bytes"),
    };
    ConnectorError::new(kind, err)
        .with_message(format!("the body broke off: {what} after {amount}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_say_where_and_which_limit() {
        let read = Timer::Read(Duration::from_secs(2));
        let whole = Timer::Response(Duration::from_secs(60));
        assert_eq!(
            TransportTimeout::head(read).to_string(),
            "no response within the read timeout (2s)"
        );
        assert_eq!(
            TransportTimeout::body(whole, 12).to_string(),
            "the response was not complete within the response timeout (60s): 12 body bytes \
             received"
        );
        assert_eq!(
            TransportTimeout::body(read, 3).to_string(),
            "the response body stalled: no data within the read timeout (2s) after 3 bytes"
        );
        assert_eq!(
            TransportTimeout::connect(Duration::from_millis(3100)).to_string(),
            "connecting took longer than the connect timeout (3.1s)"
        );
    }
}
