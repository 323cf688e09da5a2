//! The default [`HttpClient`]: hyper 1 + hyper-util's pooled legacy client + rustls (ring), with
//! connect and read timeouts, a body size limit and proxies from the environment.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::legacy::Client as LegacyClient;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};

use crate::contract::error::BoxError;
use crate::contract::http::{
    BoxFuture, ConnectorError, ConnectorErrorKind, HttpClient, HttpRequest, HttpResponse,
};

/// The default time allowed to establish a connection (TCP, proxy tunnel and TLS handshake).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);
/// The default time allowed without receiving any data while waiting for or reading a response.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);
/// The default largest response body the default client buffers (64 MiB).
pub const DEFAULT_MAX_BODY_SIZE: usize = 64 * 1024 * 1024;

/// Where the default client finds its HTTP proxy. `Debug` hides credentials in proxy URLs.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProxySettings {
    /// Read `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (and their lowercase forms)
    /// when the client is first used. The default.
    #[default]
    FromEnv,
    /// Never use a proxy.
    Disabled,
    /// Use these proxies. `no_proxy` is a comma-separated list of hosts, domains or CIDR blocks
    /// that are reached directly, as in `NO_PROXY`.
    Custom {
        /// Proxy URL for `http://` destinations (e.g. `http://user:pass@proxy:3128`).
        http: Option<String>,
        /// Proxy URL for `https://` destinations (tunnelled with `CONNECT`).
        https: Option<String>,
        /// Destinations that bypass the proxy.
        no_proxy: Option<String>,
    },
}

impl fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxySettings::FromEnv => f.write_str("FromEnv"),
            ProxySettings::Disabled => f.write_str("Disabled"),
            ProxySettings::Custom {
                http,
                https,
                no_proxy,
            } => f
                .debug_struct("Custom")
                .field("http", &http.as_deref().map(redact_userinfo))
                .field("https", &https.as_deref().map(redact_userinfo))
                .field("no_proxy", no_proxy)
                .finish(),
        }
    }
}

/// `scheme://user:pass@host` becomes `scheme://***@host`.
fn redact_userinfo(url: &str) -> String {
    let rest_start = url.find("://").map_or(0, |i| i + 3);
    let (scheme, rest) = url.split_at(rest_start);
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}***{}", &rest[at..]),
        None => url.to_owned(),
    }
}

/// Settings of the [`DefaultHttpClient`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpClientSettings {
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    max_body_size: usize,
    proxy: ProxySettings,
}

impl Default for HttpClientSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            read_timeout: Some(DEFAULT_READ_TIMEOUT),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            proxy: ProxySettings::FromEnv,
        }
    }
}

impl HttpClientSettings {
    /// The defaults: 3.1 s connect timeout, 60 s read timeout, 64 MiB body limit, proxy from
    /// the environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Time allowed to connect (TCP, proxy `CONNECT` and TLS). `None` waits forever.
    /// Default: 3.1 s.
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed without receiving data, both while waiting for the response head and
    /// between chunks of the body. `None` waits forever. Default: 60 s.
    pub fn read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// The largest response body accepted, in bytes; a larger body fails the request with a
    /// [`BodyTooLarge`] error. Default: 64 MiB.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Where to find the HTTP proxy. Default: [`ProxySettings::FromEnv`].
    pub fn proxy(mut self, proxy: ProxySettings) -> Self {
        self.proxy = proxy;
        self
    }

    /// The connect timeout.
    pub fn get_connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }

    /// The read timeout.
    pub fn get_read_timeout(&self) -> Option<Duration> {
        self.read_timeout
    }

    /// The body size limit.
    pub fn get_max_body_size(&self) -> usize {
        self.max_body_size
    }
}

/// A response body was larger than the configured limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyTooLarge {
    limit: usize,
}

impl BodyTooLarge {
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

/// A connect or read timeout of the default client fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportTimeout {
    what: &'static str,
    after: Duration,
}

impl fmt::Display for TransportTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} did not complete within {:?}", self.what, self.after)
    }
}

impl StdError for TransportTimeout {}

/// No trusted root certificates are available to the default client.
#[derive(Debug)]
struct TlsSetupError(String);

impl fmt::Display for TlsSetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not set up TLS: {}", self.0)
    }
}

impl StdError for TlsSetupError {}

type Connector = TimedConnector<hyper_rustls::HttpsConnector<ProxyConnector>>;

struct Inner {
    client: LegacyClient<Connector, Full<Bytes>>,
    matcher: Option<Arc<Matcher>>,
}

/// The default [`HttpClient`]: HTTP/1.1 over hyper with connection pooling, TLS by rustls with
/// the ring provider (certificates always verified; Mozilla roots, or the platform's roots with
/// the `native-roots` feature), connect and read timeouts, a body size limit and proxies from
/// the environment. Plain `http://` URLs are accepted (the config only produces them for
/// explicit endpoint overrides).
///
/// Nothing is set up until the first request, so a client that is never used costs nothing.
pub struct DefaultHttpClient {
    settings: HttpClientSettings,
    inner: tokio::sync::OnceCell<Inner>,
}

impl fmt::Debug for DefaultHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultHttpClient")
            .field("settings", &self.settings)
            .field("initialized", &self.inner.initialized())
            .finish()
    }
}

impl Default for DefaultHttpClient {
    fn default() -> Self {
        Self::new(HttpClientSettings::default())
    }
}

impl DefaultHttpClient {
    /// A client with the given settings (see [`HttpClientSettings`] for the defaults).
    pub fn new(settings: HttpClientSettings) -> Self {
        Self {
            settings,
            inner: tokio::sync::OnceCell::new(),
        }
    }

    /// The settings this client uses.
    pub fn settings(&self) -> &HttpClientSettings {
        &self.settings
    }

    fn build(&self) -> Result<Inner, ConnectorError> {
        let matcher = match &self.settings.proxy {
            ProxySettings::Disabled => None,
            ProxySettings::FromEnv => Some(Arc::new(Matcher::from_env())),
            ProxySettings::Custom {
                http,
                https,
                no_proxy,
            } => {
                let mut builder = Matcher::builder();
                if let Some(http) = http {
                    builder = builder.http(http.as_str());
                }
                if let Some(https) = https {
                    builder = builder.https(https.as_str());
                }
                if let Some(no) = no_proxy {
                    builder = builder.no(no.as_str());
                }
                Some(Arc::new(builder.build()))
            }
        };
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        let proxy_connector = ProxyConnector {
            http,
            matcher: matcher.clone(),
        };
        let tls = tls_builder()?;
        let https = tls
            .https_or_http()
            .enable_http1()
            .wrap_connector(proxy_connector);
        let connector = TimedConnector {
            inner: https,
            timeout: self.settings.connect_timeout,
        };
        let client = LegacyClient::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .build(connector);
        Ok(Inner { client, matcher })
    }

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, ConnectorError> {
        let inner = self
            .inner
            .get_or_try_init(|| async { self.build() })
            .await?;
        let (mut parts, body) = request.into_parts();
        if parts.uri.scheme_str() == Some("http") {
            // Plain-HTTP requests through a proxy carry the proxy's credentials themselves.
            if let Some(auth) = inner
                .matcher
                .as_ref()
                .and_then(|m| m.intercept(&parts.uri))
                .and_then(|i| i.basic_auth().cloned())
            {
                parts
                    .headers
                    .insert(http::header::PROXY_AUTHORIZATION, auth);
            }
        }
        let request = http::Request::from_parts(parts, Full::new(body));
        let read_timeout = self.settings.read_timeout;
        let response = with_timeout(read_timeout, "waiting for the response", async {
            inner.client.request(request).await.map_err(classify_legacy)
        })
        .await??;
        let (parts, mut body) = response.into_parts();
        let limit = self.settings.max_body_size;
        if let Some(len) = parts
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
        {
            if len > limit as u64 {
                return Err(ConnectorError::new(
                    ConnectorErrorKind::Other,
                    BodyTooLarge { limit },
                ));
            }
        }
        let mut buf = BytesMut::new();
        loop {
            let frame =
                with_timeout(read_timeout, "reading the response body", body.frame()).await?;
            match frame {
                None => break,
                Some(Err(err)) => return Err(classify_hyper(err)),
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        if buf.len().saturating_add(data.len()) > limit {
                            return Err(ConnectorError::new(
                                ConnectorErrorKind::Other,
                                BodyTooLarge { limit },
                            ));
                        }
                        buf.extend_from_slice(&data);
                    }
                }
            }
        }
        Ok(http::Response::from_parts(parts, buf.freeze()))
    }
}

impl HttpClient for DefaultHttpClient {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        Box::pin(self.send(request))
    }
}

async fn with_timeout<F: Future>(
    limit: Option<Duration>,
    what: &'static str,
    fut: F,
) -> Result<F::Output, ConnectorError> {
    match limit {
        None => Ok(fut.await),
        Some(after) => tokio::time::timeout(after, fut)
            .await
            .map_err(|_| ConnectorError::timeout(TransportTimeout { what, after })),
    }
}

#[cfg(feature = "native-roots")]
fn tls_builder() -> Result<
    hyper_rustls::HttpsConnectorBuilder<hyper_rustls::builderstates::WantsSchemes>,
    ConnectorError,
> {
    hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(rustls::crypto::ring::default_provider())
        .map_err(|e| {
            ConnectorError::user(TlsSetupError(format!(
                "no usable certificates in the platform's certificate store: {e}"
            )))
        })
}

#[cfg(all(feature = "webpki-roots", not(feature = "native-roots")))]
fn tls_builder() -> Result<
    hyper_rustls::HttpsConnectorBuilder<hyper_rustls::builderstates::WantsSchemes>,
    ConnectorError,
> {
    hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
        .map_err(|e| ConnectorError::user(TlsSetupError(e.to_string())))
}

#[cfg(not(any(feature = "webpki-roots", feature = "native-roots")))]
fn tls_builder() -> Result<
    hyper_rustls::HttpsConnectorBuilder<hyper_rustls::builderstates::WantsSchemes>,
    ConnectorError,
> {
    Err(ConnectorError::user(TlsSetupError(
        "no root certificates: enable the `webpki-roots` or `native-roots` feature".into(),
    )))
}

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

fn chain_has<T: StdError + 'static>(err: &(dyn StdError + 'static)) -> bool {
    let mut current = Some(err);
    while let Some(e) = current {
        if e.is::<T>() {
            return true;
        }
        current = next_in_chain(e);
    }
    false
}

/// Whether a rustls error (handshake, certificate) is behind `err`.
fn is_tls_failure(err: &(dyn StdError + 'static)) -> bool {
    chain_has::<rustls::Error>(err)
}

fn classify_hyper(err: hyper::Error) -> ConnectorError {
    let kind = if err.is_timeout() {
        ConnectorErrorKind::Timeout
    } else if err.is_incomplete_message()
        || err.is_closed()
        || err.is_canceled()
        || chain_has::<std::io::Error>(&err)
    {
        ConnectorErrorKind::Io
    } else {
        ConnectorErrorKind::Other
    };
    ConnectorError::new(kind, describe(Box::new(err)))
}

/// A transport failure described by its whole cause chain (hyper-util's own message, e.g.
/// `client error (Connect)`, says little without it).
#[derive(Debug)]
struct TransportError {
    message: String,
    source: BoxError,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(self.source.as_ref())
    }
}

fn describe(err: BoxError) -> TransportError {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&(dyn StdError + 'static)> = Some(err.as_ref());
    while let Some(e) = current {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = next_in_chain(e);
    }
    TransportError {
        message: parts.join(": "),
        source: err,
    }
}

fn classify_legacy(err: hyper_util::client::legacy::Error) -> ConnectorError {
    let kind = legacy_kind(&err);
    ConnectorError::new(kind, describe(Box::new(err)))
}

fn legacy_kind(err: &hyper_util::client::legacy::Error) -> ConnectorErrorKind {
    if chain_has::<TransportTimeout>(err) {
        return ConnectorErrorKind::Timeout;
    }
    if chain_has::<TlsSetupError>(err) {
        return ConnectorErrorKind::User;
    }
    if is_tls_failure(err) {
        // A failed handshake or certificate check will fail the same way again.
        return ConnectorErrorKind::Other;
    }
    if err.is_connect() || chain_has::<std::io::Error>(err) {
        return ConnectorErrorKind::Io;
    }
    err.source()
        .and_then(|s| s.downcast_ref::<hyper::Error>())
        .map(|h| {
            if h.is_timeout() {
                ConnectorErrorKind::Timeout
            } else if h.is_incomplete_message() || h.is_closed() || h.is_canceled() {
                ConnectorErrorKind::Io
            } else if h.is_user() {
                ConnectorErrorKind::User
            } else {
                ConnectorErrorKind::Other
            }
        })
        .unwrap_or(ConnectorErrorKind::Other)
}

/// Bounds a whole connect (TCP, proxy tunnel, TLS handshake) by the connect timeout.
#[derive(Clone)]
struct TimedConnector<C> {
    inner: C,
    timeout: Option<Duration>,
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
                    Err(_) => Err(BoxError::from(TransportTimeout {
                        what: "connecting",
                        after,
                    })),
                },
            }
        })
    }
}

/// Connects directly or through the proxy the matcher chooses.
#[derive(Clone)]
struct ProxyConnector {
    http: HttpConnector,
    matcher: Option<Arc<Matcher>>,
}

impl tower_service::Service<http::Uri> for ProxyConnector {
    type Response = ConnStream;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<ConnStream, BoxError>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: http::Uri) -> Self::Future {
        let intercept = self.matcher.as_ref().and_then(|m| m.intercept(&dst));
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
struct ConnStream {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_credentials_are_not_debug_printed() {
        let settings = HttpClientSettings::new().proxy(ProxySettings::Custom {
            http: Some("http://user:secret@proxy:3128".into()),
            https: Some("http://proxy:3129/path@x".into()),
            no_proxy: None,
        });
        let text = format!("{:?}", DefaultHttpClient::new(settings));
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("http://***@proxy:3128"), "{text}");
        assert!(text.contains("http://proxy:3129/path@x"), "{text}");
        assert!(text.contains("initialized: false"), "{text}");
    }
}
