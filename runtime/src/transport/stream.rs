//! The default client's exchanges for operations with event streams: the response is returned
//! as soon as its head has arrived and its body is read as it comes, one chunk at a time, each
//! wait bounded by the read timeout. The response timeout (a deadline for the whole response)
//! bounds only the wait for the head: an event stream lasts as long as the service sends
//! events.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use http_body_util::Full;
use hyper::body::{Body, Incoming};
use tokio::time::{Instant, Sleep};

use super::body::{read_to_end, BodyLimit};
use super::error::{body_failure, Timer, TransportTimeout};
use super::DefaultHttpClient;
use crate::contract::http::ConnectorError;
use crate::contract::stream::{
    BodyStream, RequestBody, StreamingNotSupported, StreamingRequest, StreamingResponse,
};

impl DefaultHttpClient {
    pub(super) async fn send_streaming(
        &self,
        request: StreamingRequest,
    ) -> Result<StreamingResponse, ConnectorError> {
        let (parts, body) = request.into_parts();
        let body = match body {
            RequestBody::Bytes(bytes) => bytes,
            RequestBody::Stream(_) => return Err(ConnectorError::user(StreamingNotSupported)),
        };
        let (response, timers) = self
            .exchange(http::Request::from_parts(parts, Full::new(body)))
            .await?;
        if !response.status().is_success() {
            // An error response is an ordinary (small) body: read whole, within the limits of
            // every error response.
            let limit = BodyLimit::Truncate(self.settings.max_error_body_size);
            let max_buffered = self.settings.get_max_buffered_body_bytes();
            let response =
                read_to_end(response, &timers, limit, &self.budget, max_buffered).await?;
            let (parts, body) = response.into_parts();
            return Ok(http::Response::from_parts(
                parts,
                BodyStream::from_bytes(body),
            ));
        }
        let (parts, body) = response.into_parts();
        let body = IncomingChunks {
            body,
            read_timeout: self.settings.read_timeout,
            timer: None,
            received: 0,
            ended: false,
        };
        Ok(http::Response::from_parts(parts, BodyStream::new(body)))
    }
}

/// A response body as a stream of its data chunks; a wait longer than the read timeout ends it
/// with a timeout error.
struct IncomingChunks {
    body: Incoming,
    read_timeout: Option<Duration>,
    /// Armed while waiting for data; disarmed by every chunk.
    timer: Option<Pin<Box<Sleep>>>,
    received: u64,
    ended: bool,
}

impl Stream for IncomingChunks {
    type Item = Result<Bytes, ConnectorError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.ended {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.body).poll_frame(cx) {
                Poll::Ready(None) => {
                    this.ended = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(err))) => {
                    this.ended = true;
                    return Poll::Ready(Some(Err(body_failure(err, this.received, None))));
                }
                Poll::Ready(Some(Ok(frame))) => {
                    this.timer = None;
                    // Trailers carry nothing an event stream reads.
                    if let Ok(data) = frame.into_data() {
                        if !data.is_empty() {
                            this.received += data.len() as u64;
                            return Poll::Ready(Some(Ok(data)));
                        }
                    }
                }
                Poll::Pending => {
                    let Some(after) = this.read_timeout else {
                        return Poll::Pending;
                    };
                    if this.timer.is_none() {
                        // A timeout too long to represent waits forever.
                        let Some(at) = Instant::now().checked_add(after) else {
                            return Poll::Pending;
                        };
                        this.timer = Some(Box::pin(tokio::time::sleep_until(at)));
                    }
                    let Some(timer) = this.timer.as_mut() else {
                        return Poll::Pending;
                    };
                    if timer.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    this.ended = true;
                    let timeout = TransportTimeout::body(Timer::Read(after), this.received);
                    return Poll::Ready(Some(Err(ConnectorError::timeout(timeout))));
                }
            }
        }
    }
}
