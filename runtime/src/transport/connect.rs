//! Opening connections: directly or through the proxy [`ProxyRoute`] picks, the whole connect
//! bounded by the connect timeout.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::TokioIo;

use super::error::TransportTimeout;
use super::proxy::ProxyRoute;
use crate::contract::error::BoxError;
use crate::contract::http::BoxFuture;

/// Bounds a whole connect (TCP, proxy tunnel, TLS handshake) by the connect timeout.
#[derive(Clone)]
pub(super) struct TimedConnector<C> {
    pub(super) inner: C,
    pub(super) timeout: Option<Duration>,
}

impl<C> tower_service::Service<http::Uri> for TimedConnector<C>
where
    C: tower_service::Service<http::Uri>,
    C::Future: Send + 'static,
    C::Response: Send + 'static,
    C::Error: Into<BoxError>,
{
    type Response = C::Response;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<C::Response, BoxError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: http::Uri) -> Self::Future {
        let connect = self.inner.call(dst);
        let timeout = self.timeout;
        Box::pin(async move {
            match timeout {
                None => connect.await.map_err(Into::into),
                Some(after) => match tokio::time::timeout(after, connect).await {
                    Ok(result) => result.map_err(Into::into),
                    Err(_) => Err(BoxError::from(TransportTimeout::connect(after))),
                },
            }
        })
    }
}

/// Connects directly or through the proxy the route chooses.
#[derive(Clone)]
pub(super) struct ProxyConnector {
    pub(super) http: HttpConnector,
    pub(super) route: ProxyRoute,
}

impl tower_service::Service<http::Uri> for ProxyConnector {
    type Response = ConnStream;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<ConnStream, BoxError>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: http::Uri) -> Self::Future {
        let intercept = self.route.intercept(&dst);
        let mut http = self.http.clone();
        Box::pin(async move {
            match intercept {
                None => {
                    let io = http.call(dst).await.map_err(BoxError::from)?;
                    Ok(ConnStream { io, proxied: false })
                }
                Some(proxy) if dst.scheme_str() == Some("https") => {
                    let mut tunnel = hyper_util::client::legacy::connect::proxy::Tunnel::new(
                        proxy.uri().clone(),
                        http,
                    );
                    if let Some(auth) = proxy.basic_auth() {
                        tunnel = tunnel.with_auth(auth.clone());
                    }
                    std::future::poll_fn(|cx| tunnel.poll_ready(cx)).await?;
                    let io = tunnel.call(dst).await?;
                    Ok(ConnStream { io, proxied: false })
                }
                Some(proxy) => {
                    let io = http
                        .call(proxy.uri().clone())
                        .await
                        .map_err(BoxError::from)?;
                    Ok(ConnStream { io, proxied: true })
                }
            }
        })
    }
}

/// A TCP stream that remembers whether it leads to a proxy (so requests use absolute URIs).
pub(super) struct ConnStream {
    io: TokioIo<tokio::net::TcpStream>,
    proxied: bool,
}

impl Connection for ConnStream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.proxied)
    }
}

impl hyper::rt::Read for ConnStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for ConnStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }
}
