//! The default [`HttpClient`]: hyper 1 + hyper-util's pooled legacy client + rustls (ring),
//! with connect, read and response timeouts, body size limits and proxies from the
//! environment.
//!
//! - `connect`: opening connections, directly or through a proxy;
//! - `proxy`: which proxy a destination uses ([`ProxySettings`]; local and metadata addresses
//!   never use one);
//! - `body`: reading a response to its end within the timers and limits;
//! - `error`: the client's own failures and how hyper's are described;
//! - `stream`: responses of event stream operations, read as they come (feature
//!   `event-stream`).

mod body;
mod connect;
mod error;
mod proxy;
#[cfg(feature = "event-stream")]
mod stream;

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client as LegacyClient;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::contract::http::{BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse};
use body::{read_to_end, BodyLimit, BufferBudget, Timers};
use connect::{ProxyConnector, TimedConnector};
use error::{request_failure, TlsSetupError};
use proxy::ProxyRoute;

pub use error::{BodyTooLarge, BufferLimitReached, TransportTimeout};
pub use proxy::ProxySettings;

/// The default time allowed to establish a connection (TCP, proxy tunnel and TLS handshake).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);
/// The default time allowed without receiving any data while waiting for or reading a response.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);
/// The default time allowed for a whole response, from sending the request to the last byte of
/// the body: a server that trickles its body cannot hold a call forever.
pub const DEFAULT_RESPONSE_TIMEOUT: Duration = Duration::from_secs(60);
/// The default largest (successful) response body the default client buffers (64 MiB).
pub const DEFAULT_MAX_BODY_SIZE: usize = 64 * 1024 * 1024;
/// The default largest error response body kept (64 KiB); the rest is not read. An error
/// response only needs its code, message and request id, which AWS services send in well under
/// 1 KiB, so this leaves ample room while a hostile endless error body costs 64 KiB per call.
pub const DEFAULT_MAX_ERROR_BODY_SIZE: usize = 64 * 1024;

/// Settings of the [`DefaultHttpClient`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpClientSettings {
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    response_timeout: Option<Duration>,
    max_body_size: usize,
    max_error_body_size: usize,
    max_buffered_body_bytes: Option<usize>,
    proxy: ProxySettings,
}

impl Default for HttpClientSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            read_timeout: Some(DEFAULT_READ_TIMEOUT),
            response_timeout: Some(DEFAULT_RESPONSE_TIMEOUT),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            max_error_body_size: DEFAULT_MAX_ERROR_BODY_SIZE,
            max_buffered_body_bytes: None,
            proxy: ProxySettings::FromEnv,
        }
    }
}

impl HttpClientSettings {
    /// The defaults: 3.1 s connect timeout, 60 s read timeout, 60 s response timeout, 64 MiB
    /// body limit (64 KiB for error responses), proxy from the environment.
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

    /// Time allowed for the whole response of one attempt, from sending the request to the
    /// last byte of its body, however steadily the data arrives. `None` waits as long as data
    /// keeps coming (see [`read_timeout`](Self::read_timeout)). Default: 60 s. Raise it for
    /// large responses over slow links.
    pub fn response_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.response_timeout = timeout;
        self
    }

    /// The largest successful response body accepted, in bytes; a larger body fails the
    /// request with a [`BodyTooLarge`] error. Default: 64 MiB.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// The most bytes kept of an error response's body (status not 2xx); the rest is not read
    /// and the connection is closed. The error code usually comes from a header and the
    /// message from the start of the body, so a cut body still gives a typed error.
    /// Default: 64 KiB.
    pub fn max_error_body_size(mut self, bytes: usize) -> Self {
        self.max_error_body_size = bytes;
        self
    }

    /// The most response-body bytes the client buffers at once, for all its calls in flight
    /// together; a response that would go past it fails with a [`BufferLimitReached`] error.
    /// Default: twice [`max_body_size`](Self::max_body_size) (128 MiB), so that one largest
    /// response always fits while many concurrent endless bodies cannot multiply the memory
    /// used by the number of calls.
    pub fn max_buffered_body_bytes(mut self, bytes: usize) -> Self {
        self.max_buffered_body_bytes = Some(bytes);
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

    /// The response timeout.
    pub fn get_response_timeout(&self) -> Option<Duration> {
        self.response_timeout
    }

    /// The body size limit.
    pub fn get_max_body_size(&self) -> usize {
        self.max_body_size
    }

    /// The error body size limit.
    pub fn get_max_error_body_size(&self) -> usize {
        self.max_error_body_size
    }

    /// The limit of body bytes buffered at once by all calls together.
    pub fn get_max_buffered_body_bytes(&self) -> usize {
        self.max_buffered_body_bytes
            .unwrap_or_else(|| self.max_body_size.saturating_mul(2))
    }
}

type Connector = TimedConnector<hyper_rustls::HttpsConnector<ProxyConnector>>;

struct Inner {
    client: LegacyClient<Connector, Full<Bytes>>,
    route: ProxyRoute,
}

/// The default [`HttpClient`]: HTTP/1.1 over hyper with connection pooling, TLS by rustls with
/// the ring provider (certificates always verified; Mozilla roots, or the platform's roots with
/// the `native-roots` feature), connect, read and response timeouts, body size limits and
/// proxies from the environment. Plain `http://` URLs are accepted (the config only produces
/// them for explicit endpoint overrides).
///
/// Nothing is set up until the first request, so a client that is never used costs nothing.
pub struct DefaultHttpClient {
    settings: HttpClientSettings,
    inner: tokio::sync::OnceCell<Inner>,
    budget: BufferBudget,
    #[cfg(feature = "event-stream")]
    duplex: tokio::sync::OnceCell<stream::Duplex>,
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
            budget: BufferBudget::default(),
            #[cfg(feature = "event-stream")]
            duplex: tokio::sync::OnceCell::new(),
        }
    }

    /// The settings this client uses.
    pub fn settings(&self) -> &HttpClientSettings {
        &self.settings
    }

    fn build(&self) -> Result<Inner, ConnectorError> {
        let route = ProxyRoute::new(&self.settings.proxy);
        let https = tls_builder()?
            .https_or_http()
            .enable_http1()
            .wrap_connector(self.proxy_connector(&route));
        let connector = self.timed(https);
        let client = LegacyClient::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .build(connector);
        Ok(Inner { client, route })
    }

    /// Sends `request` and waits for the response's head, within the read and response timers
    /// it returns (still running for the body).
    async fn exchange(
        &self,
        request: http::Request<Full<Bytes>>,
    ) -> Result<(http::Response<hyper::body::Incoming>, Timers), ConnectorError> {
        let inner = self
            .inner
            .get_or_try_init(|| async { self.build() })
            .await?;
        let (mut parts, body) = request.into_parts();
        let destination = destination(&parts.uri);
        if parts.uri.scheme_str() == Some("http") {
            // Plain-HTTP requests through a proxy carry the proxy's credentials themselves.
            if let Some(auth) = inner
                .route
                .intercept(&parts.uri)
                .and_then(|i| i.basic_auth().cloned())
            {
                parts
                    .headers
                    .insert(http::header::PROXY_AUTHORIZATION, auth);
            }
        }
        let request = http::Request::from_parts(parts, body);
        let timers = Timers::start(self.settings.read_timeout, self.settings.response_timeout);
        match timers.run(inner.client.request(request)).await {
            Ok(Ok(response)) => Ok((response, timers)),
            Ok(Err(err)) => Err(request_failure(err, &destination)),
            Err(timer) => Err(ConnectorError::timeout(TransportTimeout::head(timer))),
        }
    }

    /// Opens TCP connections, directly or through the proxy `route` names.
    fn proxy_connector(&self, route: &ProxyRoute) -> ProxyConnector {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        ProxyConnector {
            http,
            route: route.clone(),
        }
    }

    /// `https` within the connect timeout.
    fn timed(&self, https: hyper_rustls::HttpsConnector<ProxyConnector>) -> Connector {
        TimedConnector {
            inner: https,
            timeout: self.settings.connect_timeout,
        }
    }

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, ConnectorError> {
        let (parts, body) = request.into_parts();
        let (response, timers) = self
            .exchange(http::Request::from_parts(parts, Full::new(body)))
            .await?;
        let limit = if response.status().is_success() {
            BodyLimit::Fail(self.settings.max_body_size)
        } else {
            BodyLimit::Truncate(self.settings.max_error_body_size)
        };
        read_to_end(
            response,
            &timers,
            limit,
            &self.budget,
            self.settings.get_max_buffered_body_bytes(),
        )
        .await
    }
}

impl HttpClient for DefaultHttpClient {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        Box::pin(self.send(request))
    }

    #[cfg(feature = "event-stream")]
    fn call_streaming(
        &self,
        request: crate::contract::stream::StreamingRequest,
    ) -> BoxFuture<'_, Result<crate::contract::stream::StreamingResponse, ConnectorError>> {
        Box::pin(self.send_streaming(request))
    }
}

/// `host:port` of a request URI, for messages.
fn destination(uri: &http::Uri) -> String {
    let host = uri.host().unwrap_or("the server");
    let port = uri.port_u16().unwrap_or(match uri.scheme_str() {
        Some("http") => 80,
        _ => 443,
    });
    format!("{host}:{port}")
}

/// The TLS cryptography: rustls' provider backed by *ring*.
///
/// rustls 0.23.48 deprecates this provider because *ring* has no post-quantum key exchange,
/// steering users to aws-lc-rs. The runtime keeps *ring*: aws-lc-rs builds a C library with
/// cmake, which would multiply the clean build time of every client, and AWS service endpoints
/// do not require post-quantum key exchange. The key exchange groups offered (X25519, P-256,
/// P-384) are the provider's defaults, as before the deprecation.
#[cfg(any(feature = "webpki-roots", feature = "native-roots"))]
#[expect(
    deprecated,
    reason = "ring is kept on purpose: no C toolchain or cmake needed (see above)"
)]
fn crypto_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

#[cfg(feature = "native-roots")]
fn tls_builder() -> Result<
    hyper_rustls::HttpsConnectorBuilder<hyper_rustls::builderstates::WantsSchemes>,
    ConnectorError,
> {
    hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(crypto_provider())
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
        .with_provider_and_webpki_roots(crypto_provider())
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
