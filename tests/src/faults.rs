//! Fault injection and measurement helpers for the robustness tests.
//!
//! - [`FaultServer`]: a raw HTTP/1.1 server on `127.0.0.1` (keep-alive) whose handler can answer
//!   normally, reset the connection, send a truncated body, delay past the client's timeout or
//!   stream a chunked body of any size. The hyper-based [`crate::server::TestServer`] cannot
//!   misbehave like this, which is why this one speaks the protocol by hand.
//! - [`CaptureWriter`]: a `tracing-subscriber` writer that keeps everything written in memory.
//! - [`ManualClock`]: a time source the test moves forward.
//! - [`CountingCredentials`]: a credentials provider counting its calls, with a short expiry.
//! - [`vm_rss_kib`], [`vm_hwm_kib`]: the resident set size of this process, now and at its peak.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use chimesdkidentity::config::Credentials;
use smithy_rust_runtime::contract::time::TimeSource;
use smithy_rust_runtime::credentials::{CredentialsFuture, ProvideCredentials};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One request as read off the socket.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// The method.
    pub method: String,
    /// The request target (path and query, as sent).
    pub target: String,
    /// Headers in order, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
}

impl RawRequest {
    /// The first value of header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Action {
    /// A complete response with a `content-length`.
    Respond {
        /// Status code.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// Body.
        body: Bytes,
    },
    /// Close the connection at once with `SO_LINGER` 0 (a TCP reset), without answering.
    Reset,
    /// Send the head with `content-length: declared`, then only `body`, then close.
    Truncate {
        /// The length announced.
        declared: usize,
        /// The bytes actually sent.
        body: Bytes,
    },
    /// Wait, then do the inner action (the client usually gave up by then).
    Delay(Duration, Box<Action>),
    /// A 200 response with a chunked body of `total` bytes (`{"a":"xxxx...`), no length.
    Chunked {
        /// Bytes to stream.
        total: usize,
    },
    /// Send the head with `content-length: declared`, then only `body`, then reset the
    /// connection (`SO_LINGER` 0).
    ResetMidBody {
        /// The length announced.
        declared: usize,
        /// The bytes actually sent before the reset.
        body: Bytes,
    },
    /// A chunked JSON body (`{"a":"xxxx...`) of `total` bytes with status `status`, sent
    /// `chunk` bytes at a time with a pause of `every` between chunks; `total: usize::MAX`
    /// never ends.
    Paced {
        /// Status code.
        status: u16,
        /// Bytes to stream.
        total: usize,
        /// Bytes per chunk.
        chunk: usize,
        /// Pause between chunks.
        every: Duration,
    },
}

impl Action {
    /// A JSON response.
    pub fn json(status: u16, body: impl Into<Bytes>) -> Self {
        Action::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
        }
    }
}

type Decide = Arc<dyn Fn(&RawRequest) -> Action + Send + Sync>;

/// A misbehaving HTTP/1.1 server on a random port of 127.0.0.1; stops when dropped.
pub struct FaultServer {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for FaultServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaultServer")
            .field("addr", &self.addr)
            .finish()
    }
}

impl FaultServer {
    /// Starts the server; `decide` picks the action for every request.
    ///
    /// # Panics
    /// When no local port can be bound.
    pub async fn start(decide: impl Fn(&RawRequest) -> Action + Send + Sync + 'static) -> Self {
        let decide: Decide = Arc::new(decide);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let accepted = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(AtomicUsize::new(0));
        let (acc, req) = (accepted.clone(), requests.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                acc.fetch_add(1, Ordering::SeqCst);
                let decide = decide.clone();
                let req = req.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, decide, req).await;
                });
            }
        });
        Self {
            addr,
            accepted,
            requests,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Requests read so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> io::Result<Option<RawRequest>> {
    let head_end = loop {
        if let Some(end) = find_head_end(buf) {
            break end;
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let first = lines.next().unwrap_or_default();
    let mut parts = first.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let len = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = Bytes::copy_from_slice(&buf[head_end..head_end + len]);
    buf.drain(..head_end + len);
    Ok(Some(RawRequest {
        method,
        target,
        headers,
        body,
    }))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        403 => "Forbidden",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Returns `false` when the connection must be closed after the action.
fn perform<'a>(
    stream: &'a mut TcpStream,
    action: Action,
) -> Pin<Box<dyn Future<Output = io::Result<bool>> + Send + 'a>> {
    Box::pin(async move {
        match action {
            Action::Respond {
                status,
                headers,
                body,
            } => {
                let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
                for (n, v) in headers {
                    head.push_str(&format!("{n}: {v}\r\n"));
                }
                head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(&body).await?;
                Ok(true)
            }
            Action::Reset => {
                stream.set_zero_linger()?;
                Ok(false)
            }
            Action::Truncate { declared, body } => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\n\r\n"
                );
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(&body).await?;
                stream.flush().await?;
                Ok(false)
            }
            Action::Delay(after, inner) => {
                tokio::time::sleep(after).await;
                perform(stream, *inner).await
            }
            Action::ResetMidBody { declared, body } => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\n\r\n"
                );
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(&body).await?;
                stream.flush().await?;
                // Let the client read what was sent before the reset discards it.
                tokio::time::sleep(Duration::from_millis(50)).await;
                stream.set_zero_linger()?;
                Ok(false)
            }
            Action::Paced {
                status,
                total,
                chunk,
                every,
            } => {
                let head = format!(
                    "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
                    reason(status)
                );
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(b"6\r\n{\"a\":\"\r\n").await?;
                let data = vec![b'x'; chunk.max(1)];
                let mut sent = 0usize;
                while sent < total {
                    let n = data.len().min(total - sent);
                    stream.write_all(format!("{n:x}\r\n").as_bytes()).await?;
                    stream.write_all(&data[..n]).await?;
                    stream.write_all(b"\r\n").await?;
                    stream.flush().await?;
                    sent += n;
                    if !every.is_zero() {
                        tokio::time::sleep(every).await;
                    }
                }
                stream.write_all(b"2\r\n\"}\r\n0\r\n\r\n").await?;
                Ok(true)
            }
            Action::Chunked { total } => {
                stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
                    .await?;
                let chunk = vec![b'x'; 16 * 1024];
                let mut sent = 0;
                stream.write_all(b"6\r\n{\"a\":\"\r\n").await?;
                while sent < total {
                    let n = chunk.len().min(total - sent);
                    stream.write_all(format!("{n:x}\r\n").as_bytes()).await?;
                    stream.write_all(&chunk[..n]).await?;
                    stream.write_all(b"\r\n").await?;
                    sent += n;
                }
                stream.write_all(b"2\r\n\"}\r\n0\r\n\r\n").await?;
                Ok(true)
            }
        }
    })
}

async fn serve(
    mut stream: TcpStream,
    decide: Decide,
    requests: Arc<AtomicUsize>,
) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buf).await? {
        requests.fetch_add(1, Ordering::SeqCst);
        let action = decide(&request);
        if !perform(&mut stream, action).await? {
            return Ok(());
        }
    }
    Ok(())
}

/// A `tracing-subscriber` writer keeping everything in a shared buffer.
#[derive(Debug, Clone, Default)]
pub struct CaptureWriter {
    buffer: Arc<Mutex<Vec<u8>>>,
}

impl CaptureWriter {
    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buffer.lock().unwrap_or_else(PoisonError::into_inner))
            .into_owned()
    }
}

impl io::Write for CaptureWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buffer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A clock the test moves forward by hand; starts at the real current time.
#[derive(Debug, Clone)]
pub struct ManualClock {
    offset_millis: Arc<AtomicU64>,
    start: SystemTime,
}

impl Default for ManualClock {
    fn default() -> Self {
        Self {
            offset_millis: Arc::new(AtomicU64::new(0)),
            start: SystemTime::now(),
        }
    }
}

impl ManualClock {
    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let millis = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.offset_millis.fetch_add(millis, Ordering::SeqCst);
    }
}

impl TimeSource for ManualClock {
    fn now(&self) -> SystemTime {
        self.start + Duration::from_millis(self.offset_millis.load(Ordering::SeqCst))
    }
}

/// Hands out credentials that expire `lifetime` after the clock's current time, counting calls;
/// each load takes `latency` so concurrent callers really overlap.
#[derive(Debug, Clone)]
pub struct CountingCredentials {
    /// Loads so far.
    pub loads: Arc<AtomicUsize>,
    clock: ManualClock,
    lifetime: Duration,
    latency: Duration,
    secret: String,
    token: String,
}

impl CountingCredentials {
    /// A provider using `clock`, with the given secret key and session token.
    pub fn new(
        clock: ManualClock,
        lifetime: Duration,
        latency: Duration,
        secret: &str,
        token: &str,
    ) -> Self {
        Self {
            loads: Arc::new(AtomicUsize::new(0)),
            clock,
            lifetime,
            latency,
            secret: secret.to_owned(),
            token: token.to_owned(),
        }
    }
}

impl ProvideCredentials for CountingCredentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let n = self.loads.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(self.latency).await;
            Ok(Credentials::new(
                format!("AKIDCOUNT{n}"),
                self.secret.clone(),
                Some(self.token.clone()),
                Some(self.clock.now() + self.lifetime),
                "counting",
            ))
        })
    }
}

/// The resident set size of this process in KiB (`VmRSS` in `/proc/self/status`), or `None`
/// where `/proc` is not available.
pub fn vm_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The peak resident set size of this process so far in KiB (`VmHWM` in `/proc/self/status`),
/// or `None` where `/proc` is not available.
pub fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// A small deterministic pseudo-random generator (SplitMix64) so fault schedules are the same
/// on every run.
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    /// A generator with this seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next value.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}
