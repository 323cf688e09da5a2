//! The default client's exchanges for operations with event streams: the response is returned
//! as soon as its head has arrived and its body is read as it comes, one chunk at a time, each
//! wait bounded by the read timeout. The response timeout (a deadline for the whole response)
//! bounds only the wait for the head: an event stream lasts as long as the service sends
//! events.
//!
//! A request whose body is an input event stream goes over HTTP/2 (negotiated by ALPN over
//! TLS; with prior knowledge over plain `http://`, which only explicit endpoints use), on a
//! client of its own built on first use, so that the response's events arrive while the
//! request's are still being sent.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use http_body_util::Full;
use hyper::body::{Body, Incoming};
use tokio::time::{Instant, Sleep};

use hyper::body::Frame;
use hyper_util::client::legacy::Client as LegacyClient;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use super::body::{read_to_end, BodyLimit, Timers};
use super::error::{body_failure, request_failure, Timer, TransportTimeout};
use super::proxy::ProxyRoute;
use super::{destination, tls_builder, Connector, DefaultHttpClient};
use crate::contract::http::ConnectorError;
use crate::contract::stream::{BodyStream, RequestBody, StreamingRequest, StreamingResponse};

impl DefaultHttpClient {
    pub(super) async fn send_streaming(
        &self,
        request: StreamingRequest,
    ) -> Result<StreamingResponse, ConnectorError> {
        let (parts, body) = request.into_parts();
        let (response, timers) = match body {
            RequestBody::Bytes(bytes) => {
                self.exchange(http::Request::from_parts(parts, Full::new(bytes)))
                    .await?
            }
            RequestBody::Stream(events) => self.exchange_duplex(parts, events).await?,
        };
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

    /// Sends a request whose body is `events` over HTTP/2 and waits for the response's head.
    async fn exchange_duplex(
        &self,
        mut parts: http::request::Parts,
        events: BodyStream,
    ) -> Result<(http::Response<Incoming>, Timers), ConnectorError> {
        let duplex = self
            .duplex
            .get_or_try_init(|| async { self.build_duplex() })
            .await?;
        let destination = destination(&parts.uri);
        // The body's length is not known, and HTTP/2 frames it itself.
        parts.headers.remove(http::header::CONTENT_LENGTH);
        parts.headers.remove(http::header::TRANSFER_ENCODING);
        parts.version = http::Version::HTTP_2;
        let request = http::Request::from_parts(parts, EventsBody(events));
        let timers = Timers::start(self.settings.read_timeout, self.settings.response_timeout);
        match timers.run(duplex.client.request(request)).await {
            Ok(Ok(response)) => Ok((response, timers)),
            Ok(Err(err)) => Err(request_failure(err, &destination)),
            Err(timer) => Err(ConnectorError::timeout(TransportTimeout::head(timer))),
        }
    }

    fn build_duplex(&self) -> Result<Duplex, ConnectorError> {
        let route = ProxyRoute::new(&self.settings.proxy);
        let https = tls_builder()?
            .https_or_http()
            .enable_http2()
            .wrap_connector(self.proxy_connector(&route));
        let client = LegacyClient::builder(TokioExecutor::new())
            .http2_only(true)
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .build(self.timed(https));
        Ok(Duplex { client })
    }
}

/// The HTTP/2 client that sends input event streams.
pub(super) struct Duplex {
    client: LegacyClient<Connector, EventsBody>,
}

/// An input event stream as an HTTP request body.
struct EventsBody(BodyStream);

impl Body for EventsBody {
    type Data = Bytes;
    type Error = ConnectorError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, ConnectorError>>> {
        self.get_mut()
            .0
            .poll_chunk(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map(Frame::data)))
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
