//! Reading a response to its end: the read and response timers, the body size limits and the
//! client-wide budget of buffered body bytes.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use tokio::time::Instant;

use super::error::{body_failure, BodyTooLarge, BufferLimitReached, Timer, TransportTimeout};
use crate::contract::http::{ConnectorError, ConnectorErrorKind, HttpResponse};

/// The read timeout (restarted by every wait) and the response deadline (fixed when the request
/// is sent) of one exchange.
#[derive(Debug, Clone, Copy)]
pub(super) struct Timers {
    read: Option<Duration>,
    deadline: Option<(Instant, Duration)>,
}

impl Timers {
    /// Timers starting now.
    pub(super) fn start(read: Option<Duration>, response: Option<Duration>) -> Self {
        let now = Instant::now();
        Self {
            read,
            deadline: response.and_then(|after| Some((now.checked_add(after)?, after))),
        }
    }

    /// Runs `fut` until it completes or the earlier timer fires.
    pub(super) async fn run<F: Future>(&self, fut: F) -> Result<F::Output, Timer> {
        let read = self
            .read
            .and_then(|after| Some((Instant::now().checked_add(after)?, Timer::Read(after))));
        let deadline = self
            .deadline
            .map(|(at, after)| (at, Timer::Response(after)));
        let first = match (read, deadline) {
            (Some(r), Some(d)) => Some(if d.0 <= r.0 { d } else { r }),
            (r, d) => r.or(d),
        };
        match first {
            None => Ok(fut.await),
            Some((at, timer)) => tokio::time::timeout_at(at, fut).await.map_err(|_| timer),
        }
    }
}

/// How much body one response may have.
#[derive(Debug, Clone, Copy)]
pub(super) enum BodyLimit {
    /// A larger body fails the exchange with [`BodyTooLarge`].
    Fail(usize),
    /// A larger body is cut: only the first bytes are kept and the rest is not read (error
    /// responses: their code, message and an excerpt is all a caller needs).
    Truncate(usize),
}

/// The body bytes a client buffers at once, for all its exchanges together.
#[derive(Debug, Default)]
pub(super) struct BufferBudget {
    in_use: AtomicUsize,
}

/// The part of a [`BufferBudget`] one exchange holds; given back when dropped.
struct Reservation<'a> {
    budget: &'a BufferBudget,
    limit: usize,
    held: usize,
}

impl Reservation<'_> {
    /// Takes `bytes` more, unless that would go past the limit.
    fn grow(&mut self, bytes: usize) -> bool {
        let limit = self.limit;
        let taken =
            self.budget
                .in_use
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |in_use| {
                    in_use.checked_add(bytes).filter(|total| *total <= limit)
                });
        if taken.is_ok() {
            self.held += bytes;
        }
        taken.is_ok()
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        self.budget.in_use.fetch_sub(self.held, Ordering::AcqRel);
    }
}

/// The status line and headers of a response, with an empty body.
fn head_of(parts: &http::response::Parts) -> HttpResponse {
    let mut head = http::Response::new(Bytes::new());
    *head.status_mut() = parts.status;
    *head.version_mut() = parts.version;
    *head.headers_mut() = parts.headers.clone();
    head
}

/// Reads `response`'s whole body within `timers` and `limit`, holding at most `shared_limit`
/// bytes of `budget` (shared with the client's other exchanges) while it does.
pub(super) async fn read_to_end(
    response: http::Response<hyper::body::Incoming>,
    timers: &Timers,
    limit: BodyLimit,
    budget: &BufferBudget,
    shared_limit: usize,
) -> Result<HttpResponse, ConnectorError> {
    let (parts, mut body) = response.into_parts();
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let broke_off = |err: ConnectorError, received: usize| {
        err.with_response_started(head_of(&parts), received as u64)
    };
    if let (BodyLimit::Fail(max), Some(len)) = (limit, declared) {
        if len > max as u64 {
            return Err(broke_off(
                ConnectorError::new(ConnectorErrorKind::Other, BodyTooLarge::new(max)),
                0,
            ));
        }
    }
    let mut reservation = Reservation {
        budget,
        limit: shared_limit,
        held: 0,
    };
    let mut frames: Vec<Bytes> = Vec::new();
    let mut received = 0usize;
    loop {
        let frame = match timers.run(body.frame()).await {
            Err(timer) => {
                let timeout = TransportTimeout::body(timer, received as u64);
                return Err(broke_off(ConnectorError::timeout(timeout), received));
            }
            Ok(None) => break,
            Ok(Some(Err(err))) => {
                return Err(broke_off(
                    body_failure(err, received as u64, declared),
                    received,
                ))
            }
            Ok(Some(Ok(frame))) => frame,
        };
        let Ok(mut data) = frame.into_data() else {
            // Trailers carry nothing a caller of this client reads.
            continue;
        };
        let mut full = false;
        match limit {
            BodyLimit::Fail(max) if received.saturating_add(data.len()) > max => {
                let err = ConnectorError::new(ConnectorErrorKind::Other, BodyTooLarge::new(max));
                return Err(broke_off(err, received));
            }
            BodyLimit::Truncate(max) if received.saturating_add(data.len()) >= max => {
                // Copied, so that the rest of the frame's buffer is not kept alive.
                data = Bytes::copy_from_slice(&data[..max - received]);
                full = true;
            }
            _ => {}
        }
        if !reservation.grow(data.len()) {
            let err = ConnectorError::new(
                ConnectorErrorKind::Other,
                BufferLimitReached::new(shared_limit),
            );
            return Err(broke_off(err, received));
        }
        received += data.len();
        frames.push(data);
        if full {
            if received > 0 {
                tracing::debug!(
                    status = parts.status.as_u16(),
                    kept = received,
                    "error response body cut at its limit; the rest is not read"
                );
            }
            break;
        }
    }
    Ok(http::Response::from_parts(parts, concat(frames, received)))
}

/// The frames as one buffer (copied once, to its exact size, when there are several).
fn concat(mut frames: Vec<Bytes>, total: usize) -> Bytes {
    if frames.len() == 1 {
        return frames.pop().unwrap_or_default();
    }
    let mut out = BytesMut::with_capacity(total);
    for frame in &frames {
        out.extend_from_slice(frame);
    }
    out.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_shared_and_given_back() {
        let budget = BufferBudget::default();
        let mut first = Reservation {
            budget: &budget,
            limit: 10,
            held: 0,
        };
        assert!(first.grow(6));
        let mut second = Reservation {
            budget: &budget,
            limit: 10,
            held: 0,
        };
        assert!(!second.grow(5));
        assert!(second.grow(4));
        drop(first);
        assert_eq!(budget.in_use.load(Ordering::Acquire), 4);
        assert!(second.grow(6));
        drop(second);
        assert_eq!(budget.in_use.load(Ordering::Acquire), 0);
    }

    #[test]
    fn frames_are_joined_in_order() {
        let frames = vec![Bytes::from_static(b"ab"), Bytes::from_static(b"cde")];
        assert_eq!(concat(frames, 5), Bytes::from_static(b"abcde"));
        assert_eq!(concat(vec![], 0), Bytes::new());
    }
}
