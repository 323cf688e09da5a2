//! A capturing HTTP client for the tests.

use std::sync::{Arc, Mutex};

use smithy_rust_runtime::contract::http::{BoxFuture, ConnectorError, HttpClient};
use smithy_rust_runtime::contract::http::{HttpRequest, HttpResponse};

/// An HTTP client that keeps the requests it is given and answers each with an empty 200.
#[derive(Debug, Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<HttpRequest>>>);

impl Capture {
    /// The requests received so far (taken: the next call starts empty).
    pub fn take(&self) -> Vec<HttpRequest> {
        std::mem::take(&mut *self.0.lock().expect("not poisoned"))
    }
}

impl HttpClient for Capture {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        self.0.lock().expect("not poisoned").push(request);
        Box::pin(async {
            Ok(http::Response::builder()
                .status(200)
                .body(bytes::Bytes::from_static(b"{}"))
                .expect("a valid response"))
        })
    }
}
