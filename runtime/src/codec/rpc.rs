//! What the RPC protocols (awsJson1_0, awsJson1_1, rpcv2Cbor) share: a `POST` request with
//! fixed headers, the error response as they read it, and the `@awsQueryCompatible` rules.

use bytes::Bytes;

use crate::contract::error::{BuildError, ErrorMetadata};
use crate::contract::http::{HttpRequest, HttpResponse};

use super::error_code::{header, query_error, QUERY_MODE_HEADER};

/// A `POST` to `path` with `headers` and `body` (and its `Content-Length` when it is not
/// empty); with `query_compatible`, the `x-amzn-query-mode: true` header too.
pub(crate) fn post(
    path: &'static str,
    headers: &[(&'static str, &'static str)],
    body: Bytes,
    query_compatible: bool,
) -> Result<HttpRequest, BuildError> {
    let mut request = http::Request::builder().method("POST").uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if query_compatible {
        request = request.header(QUERY_MODE_HEADER, "true");
    }
    if !body.is_empty() {
        request = request.header(http::header::CONTENT_LENGTH, body.len());
    }
    request
        .body(body)
        .map_err(|err| BuildError::other(format!("invalid request: {err}")))
}

/// An error response as an RPC protocol reads it: the metadata users see, the name of the
/// modeled error it says it is, and the body to read that error's members from.
#[derive(Debug, Clone)]
pub struct ErrorResponse<'a> {
    meta: ErrorMetadata,
    error_name: Option<String>,
    body: &'a [u8],
}

impl<'a> ErrorResponse<'a> {
    /// An error response of `response`: `error_name` as found in it (sanitized), `message`,
    /// and the `body` the error's members are read from. The metadata gets the request id and
    /// status from the response; its code is `error_name`, unless `query_compatible` and the
    /// `x-amzn-query-error` header gives the query protocol's code (and type).
    pub(crate) fn new(
        response: &HttpResponse,
        error_name: Option<String>,
        message: Option<String>,
        body: &'a [u8],
        query_compatible: bool,
    ) -> Self {
        let headers = response.headers();
        let (code, error_type) = match query_compatible.then(|| query_error(headers)).flatten() {
            Some((code, error_type)) => (Some(code), Some(error_type)),
            None => (error_name.clone(), None),
        };
        let meta = ErrorMetadata::new()
            .with_code(code)
            .with_message(message)
            .with_request_id(header(headers, "x-amzn-requestid"))
            .with_status(Some(response.status().as_u16()))
            .with_error_type(error_type);
        Self {
            meta,
            error_name,
            body,
        }
    }

    /// The metadata (code, message, request id, status; the query error type).
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// The name of the modeled error the response says it is (the shape name, without
    /// namespace), which selects the error to read.
    pub fn error_name(&self) -> Option<&str> {
        self.error_name.as_deref()
    }

    /// The body to read the error's members from (an empty document when the response's body
    /// is not one of the protocol's).
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// The metadata, the error's name and the body, by value.
    pub fn into_parts(self) -> (ErrorMetadata, Option<String>, &'a [u8]) {
        (self.meta, self.error_name, self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(headers: &[(&str, &str)]) -> HttpResponse {
        let mut builder = http::Response::builder().status(400);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::new()).unwrap()
    }

    #[test]
    fn query_compatible_services_report_the_query_code() {
        let r = response(&[
            ("x-amzn-query-error", "Customized;Sender"),
            ("x-amzn-requestid", "rid"),
        ]);
        let error = ErrorResponse::new(&r, Some("CustomCodeError".into()), None, b"{}", true);
        assert_eq!(error.error_name(), Some("CustomCodeError"));
        assert_eq!(error.meta().code(), Some("Customized"));
        assert_eq!(error.meta().error_type(), Some("Sender"));
        assert_eq!(error.meta().request_id(), Some("rid"));
        assert_eq!(error.meta().status(), Some(400));
        // Without the trait the header means nothing.
        let error = ErrorResponse::new(&r, Some("CustomCodeError".into()), None, b"{}", false);
        assert_eq!(error.meta().code(), Some("CustomCodeError"));
        assert_eq!(error.meta().error_type(), None);
        // Without the header the shape name is the code.
        let r = response(&[]);
        let error = ErrorResponse::new(&r, Some("NoCustomCodeError".into()), None, b"", true);
        assert_eq!(error.meta().code(), Some("NoCustomCodeError"));
        assert_eq!(error.meta().error_type(), None);
    }

    #[test]
    fn posts_carry_their_headers_and_length() {
        let request = post(
            "/",
            &[("content-type", "application/x-amz-json-1.0")],
            Bytes::from_static(b"{}"),
            true,
        )
        .unwrap();
        assert_eq!(request.method(), "POST");
        assert_eq!(request.uri(), "/");
        assert_eq!(request.headers()["content-length"], "2");
        assert_eq!(request.headers()["x-amzn-query-mode"], "true");
        let request = post("/x", &[], Bytes::new(), false).unwrap();
        assert!(request.headers().get("content-length").is_none());
        assert!(request.headers().get("x-amzn-query-mode").is_none());
    }
}
