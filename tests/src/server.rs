//! A test HTTP/1.1 server on `127.0.0.1:<random port>` that records every request (method, raw
//! path, raw query, headers, body) and answers it from a handler.

use std::convert::Infallible;
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// One request as the server saw it on the wire.
#[derive(Clone)]
pub struct RecordedRequest {
    /// The method, e.g. `POST`.
    pub method: String,
    /// The path exactly as sent (still percent-encoded).
    pub path: String,
    /// The query string exactly as sent (without `?`), if there was a `?`.
    pub query: Option<String>,
    /// Every header in the order received (names lower-cased by the HTTP parser).
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Bytes,
}

impl RecordedRequest {
    /// The values of header `name` (case-insensitive), in order.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The single value of header `name`, or `None` when it is absent.
    ///
    /// # Panics
    /// When the header appears more than once (tests want to know).
    pub fn header(&self, name: &str) -> Option<&str> {
        let values = self.header_values(name);
        assert!(
            values.len() <= 1,
            "header {name} sent {} times",
            values.len()
        );
        values.first().copied()
    }

    /// The body parsed as JSON, `None` when it is empty.
    ///
    /// # Panics
    /// When the body is not empty and not JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        if self.body.is_empty() {
            return None;
        }
        Some(serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!(
                "request body is not JSON ({err}): {}",
                String::from_utf8_lossy(&self.body)
            )
        }))
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

/// A response a handler gives.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
}

impl Reply {
    /// A reply with this status, no headers, no body.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// A reply with a JSON body and `content-type: application/json`.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self::new(status)
            .header("content-type", "application/json")
            .body(body.to_string())
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }
}

/// What answers the requests.
pub type Handler = Arc<dyn Fn(&RecordedRequest) -> Reply + Send + Sync>;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// A running test server; stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<RecordedRequest>>>,
    connections: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl fmt::Debug for TestServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestServer")
            .field("addr", &self.addr)
            .finish()
    }
}

impl TestServer {
    /// Starts a server on a random port of 127.0.0.1 answering with `handler`.
    ///
    /// # Panics
    /// When no local port can be bound.
    pub async fn start(
        handler: impl Fn(&RecordedRequest) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let handler: Handler = Arc::new(handler);
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = requests.clone();
        let connections = Arc::new(AtomicUsize::new(0));
        let accepted = connections.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                accepted.fetch_add(1, Ordering::SeqCst);
                let handler = handler.clone();
                let recorded = recorded.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                        let handler = handler.clone();
                        let recorded = recorded.clone();
                        async move {
                            let (parts, body) = req.into_parts();
                            let body = match body.collect().await {
                                Ok(collected) => collected.to_bytes(),
                                Err(_) => Bytes::new(),
                            };
                            let request = RecordedRequest {
                                method: parts.method.to_string(),
                                path: parts.uri.path().to_owned(),
                                query: parts.uri.query().map(str::to_owned),
                                headers: parts
                                    .headers
                                    .iter()
                                    .map(|(n, v)| {
                                        (
                                            n.as_str().to_owned(),
                                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                                        )
                                    })
                                    .collect(),
                                body,
                            };
                            lock(&recorded).push(request.clone());
                            let reply = handler(&request);
                            let mut builder = hyper::Response::builder().status(reply.status);
                            for (name, value) in &reply.headers {
                                builder = builder.header(name.as_str(), value.as_str());
                            }
                            let response =
                                builder.body(Full::new(reply.body)).unwrap_or_else(|_| {
                                    let mut r = hyper::Response::new(Full::new(
                                        Bytes::from_static(b"bad reply from test handler"),
                                    ));
                                    *r.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
                                    r
                                });
                            Ok::<_, Infallible>(response)
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self {
            addr,
            requests,
            connections,
            task,
        }
    }

    /// How many TCP connections the server has accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).clone()
    }

    /// The only request received so far.
    ///
    /// # Panics
    /// When there was not exactly one request.
    pub fn single_request(&self) -> RecordedRequest {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "expected one request, got {requests:#?}");
        requests.into_iter().next().expect("one request")
    }

    /// Forgets the requests recorded so far.
    pub fn clear(&self) {
        lock(&self.requests).clear();
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
