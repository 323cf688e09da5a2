//! Binary bodies of `@streaming` blob members: [`ByteStream`] and [`AggregatedBytes`], shaped
//! like `aws_smithy_types::byte_stream` of the official AWS SDK for Rust.
//!
//! **The body is held in memory.** This client's transport sends and receives whole bodies
//! (requests are `http::Request<bytes::Bytes>`, responses are read completely before they are
//! parsed), so a [`ByteStream`] is a buffer with the official streaming API: code written
//! against `ByteStream::from_path(..)`, `.collect().await?.into_bytes()` or
//! `while let Some(chunk) = stream.try_next().await? { .. }` compiles and behaves the same, but an
//! upload is read into memory before it is sent and a download is received completely before
//! the output is returned. Response bodies are limited by the HTTP client's
//! [`max_body_size`](crate::transport::HttpClientSettings::max_body_size) (64 MiB by
//! default); a larger response fails the call with a
//! [`BodyTooLarge`](crate::transport::BodyTooLarge) error.

use std::error::Error as StdError;
use std::fmt;
use std::path::{Path, PathBuf};

use bytes::Bytes;

/// The body of a `@streaming` blob member (an upload or a download).
///
/// Held in memory (see the [module documentation](self)): cloning is cheap (the bytes are
/// shared), equality compares the bytes, and `Debug` prints the length only, never the contents.
///
/// ```no_run
/// # use smithy_rust_runtime::capability::byte_stream::ByteStream;
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// // From memory, from a file, or empty:
/// let body = ByteStream::from("hello");
/// let upload = ByteStream::from_path("upload.bin").await?;
/// let empty = ByteStream::default();
/// // Reading a download (an output's `ByteStream` member):
/// let bytes = body.collect().await?.into_bytes();
/// assert_eq!(&bytes[..], b"hello");
/// # let _ = (upload, empty);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ByteStream {
    inner: Bytes,
}

impl ByteStream {
    /// A stream of `bytes`.
    pub fn new(bytes: Bytes) -> Self {
        Self { inner: bytes }
    }

    /// A stream of static bytes (not copied).
    pub fn from_static(bytes: &'static [u8]) -> Self {
        Self::new(Bytes::from_static(bytes))
    }

    /// A stream of the contents of the file at `path`.
    ///
    /// The whole file is read into memory, on tokio's blocking thread pool when called inside
    /// a tokio runtime (the calling thread otherwise).
    ///
    /// # Errors
    ///
    /// A [`ByteStreamError`] naming the path when the file cannot be read.
    pub async fn from_path(path: impl AsRef<Path>) -> Result<Self, ByteStreamError> {
        let path = path.as_ref().to_path_buf();
        let contents = match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                let reading = path.clone();
                runtime
                    .spawn_blocking(move || std::fs::read(reading))
                    .await
                    .map_err(|err| ByteStreamError::task(&path, &err))?
            }
            Err(_) => std::fs::read(&path),
        };
        contents
            .map(|bytes| Self::new(Bytes::from(bytes)))
            .map_err(|err| ByteStreamError::read(path, err))
    }

    /// All the bytes of the stream.
    ///
    /// # Errors
    ///
    /// None with this in-memory stream; the `Result` keeps the official SDK's signature.
    pub async fn collect(self) -> Result<AggregatedBytes, ByteStreamError> {
        Ok(AggregatedBytes { inner: self.inner })
    }

    /// The next chunk of the stream: the whole remaining body, then `None`. An empty stream
    /// has no chunk.
    pub async fn next(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
        if self.inner.is_empty() {
            None
        } else {
            Some(Ok(std::mem::take(&mut self.inner)))
        }
    }

    /// The next chunk of the stream, as [`next`](Self::next) but with the `Option` inside.
    ///
    /// # Errors
    ///
    /// None with this in-memory stream; the `Result` keeps the official SDK's signature.
    pub async fn try_next(&mut self) -> Result<Option<Bytes>, ByteStreamError> {
        self.next().await.transpose()
    }

    /// The bytes not yet read: always available, the stream is held in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        Some(&self.inner)
    }

    /// The bounds on the remaining length, as `(lower, upper)`: both are the exact length.
    pub fn size_hint(&self) -> (u64, Option<u64>) {
        let len = self.inner.len() as u64;
        (len, Some(len))
    }

    /// The number of bytes not yet read.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether no bytes are left.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// Takes the bytes not yet read.
    pub fn into_inner(self) -> Bytes {
        self.inner
    }
}

impl fmt::Debug for ByteStream {
    /// Prints the length only: bodies may be large or secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ByteStream({} bytes)", self.inner.len())
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        Self::new(bytes)
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(Bytes::from(bytes))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        Self::from_static(bytes)
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        Self::new(Bytes::from(text))
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        Self::from_static(text.as_bytes())
    }
}

impl From<crate::primitives::Blob> for ByteStream {
    fn from(blob: crate::primitives::Blob) -> Self {
        Self::from(blob.into_inner())
    }
}

/// All the bytes of a [`ByteStream`], from [`ByteStream::collect`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct AggregatedBytes {
    inner: Bytes,
}

impl AggregatedBytes {
    /// The bytes (no copy).
    pub fn into_bytes(self) -> Bytes {
        self.inner
    }

    /// A copy of the bytes.
    pub fn to_vec(&self) -> Vec<u8> {
        self.inner.to_vec()
    }

    /// The number of bytes.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }
}

impl AsRef<[u8]> for AggregatedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.inner
    }
}

impl fmt::Debug for AggregatedBytes {
    /// Prints the length only, as [`ByteStream`] does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AggregatedBytes({} bytes)", self.inner.len())
    }
}

/// A [`ByteStream`] could not be made from a file.
#[derive(Debug)]
pub struct ByteStreamError {
    path: PathBuf,
    kind: ByteStreamErrorKind,
}

#[derive(Debug)]
enum ByteStreamErrorKind {
    /// Reading the file failed.
    Read(std::io::Error),
    /// The blocking task reading the file panicked or was cancelled.
    Task(String),
}

impl ByteStreamError {
    fn read(path: PathBuf, err: std::io::Error) -> Self {
        Self {
            path,
            kind: ByteStreamErrorKind::Read(err),
        }
    }

    fn task(path: &Path, err: &tokio::task::JoinError) -> Self {
        Self {
            path: path.to_path_buf(),
            kind: ByteStreamErrorKind::Task(err.to_string()),
        }
    }

    /// The file the error is about.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl fmt::Display for ByteStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match &self.kind {
            // The I/O error is returned by `source()`.
            ByteStreamErrorKind::Read(_) => write!(f, "cannot read the file `{path}`"),
            ByteStreamErrorKind::Task(err) => {
                write!(f, "reading the file `{path}` did not finish: {err}")
            }
        }
    }
}

impl StdError for ByteStreamError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.kind {
            ByteStreamErrorKind::Read(err) => Some(err),
            ByteStreamErrorKind::Task(_) => None,
        }
    }
}
