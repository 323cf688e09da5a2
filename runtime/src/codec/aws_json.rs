//! The awsJson1_0 and awsJson1_1 protocols: every request is a `POST /` naming the operation
//! in `X-Amz-Target`, with a JSON body (written and read with the codecs of [`super::json`],
//! as restJson1's are); an error response names its error in `X-Amzn-ErrorType` or the body's
//! `__type` (or `code`).

use bytes::Bytes;

use super::error_code::{header, sanitize_error_code};
use super::json::JsonReader;
use super::rpc::{post, ErrorResponse};
use crate::contract::error::BuildError;
use crate::contract::http::{HttpRequest, HttpResponse};

/// Which of the two protocols: they differ only in the `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwsJsonVersion {
    /// awsJson1_0: `application/x-amz-json-1.0`.
    V1_0,
    /// awsJson1_1: `application/x-amz-json-1.1`.
    V1_1,
}

impl AwsJsonVersion {
    /// The media type of request and response bodies.
    pub fn content_type(self) -> &'static str {
        match self {
            AwsJsonVersion::V1_0 => "application/x-amz-json-1.0",
            AwsJsonVersion::V1_1 => "application/x-amz-json-1.1",
        }
    }
}

/// The request of an operation: `POST /` with `X-Amz-Target: <target>` (`Service.Operation`)
/// and the JSON `body` (an object, `{}` for an operation without input); with
/// `query_compatible`, `x-amzn-query-mode: true` too.
pub fn request(
    version: AwsJsonVersion,
    target: &'static str,
    body: String,
    query_compatible: bool,
) -> Result<HttpRequest, BuildError> {
    post(
        "/",
        &[
            ("content-type", version.content_type()),
            ("x-amz-target", target),
        ],
        Bytes::from(body),
        query_compatible,
    )
}

/// The request of an operation with an input event stream: `POST /` with `X-Amz-Target`, its
/// body the stream's messages (sent once the request is signed), the first of them the
/// `initial-request` holding the input's other members.
pub fn event_stream_request(
    target: &'static str,
    query_compatible: bool,
) -> Result<HttpRequest, BuildError> {
    post(
        "/",
        &[
            ("content-type", "application/vnd.amazon.eventstream"),
            ("x-amz-target", target),
        ],
        Bytes::new(),
        query_compatible,
    )
}

/// The top-level members of an error body that say which error it is.
#[derive(Default)]
struct ErrorBody {
    type_name: Option<String>,
    code: Option<String>,
    message: Option<String>,
}

/// Reads the top level of a JSON object body for `__type`, `code` and the message, skipping
/// everything else (nested `__type` members included); `None` when the body is not a JSON
/// object.
fn error_body(body: &[u8]) -> Option<ErrorBody> {
    let reader = &mut JsonReader::new(body);
    let mut found = ErrorBody::default();
    if !reader.begin_object("(error body)").ok()? {
        return None;
    }
    while let Some(key) = reader.next_key().ok()? {
        let slot = match key.as_ref() {
            "__type" => &mut found.type_name,
            "code" => &mut found.code,
            "message" | "Message" | "errorMessage" => &mut found.message,
            _ => {
                reader.skip_value().ok()?;
                continue;
            }
        };
        match reader.read_string(key.as_ref()) {
            Ok(value) => *slot = value,
            // A member of another type is not what the protocol means by it.
            Err(_) => reader.skip_value().ok()?,
        }
    }
    reader.finish().ok()?;
    Some(found)
}

/// The error of an error response.
///
/// Its name is the `X-Amzn-ErrorType` header, else the body's `__type`, else its `code`,
/// sanitized as the protocol says (`aws.protocoltests.json10#FooError:http://...` ->
/// `FooError`); the message is the body's `message` (or `Message`, `errorMessage`). With
/// `query_compatible` (`@awsQueryCompatible`), the `x-amzn-query-error` header, when there,
/// gives the metadata's code and type. A body that is not a JSON object reads as `{}`.
pub fn error_response(response: &HttpResponse, query_compatible: bool) -> ErrorResponse<'_> {
    let (parsed, body): (ErrorBody, &[u8]) = match error_body(response.body()) {
        Some(parsed) => (parsed, response.body()),
        None => (ErrorBody::default(), b"{}"),
    };
    let name = header(response.headers(), "x-amzn-errortype")
        .or(parsed.type_name)
        .or(parsed.code)
        .map(|raw| sanitize_error_code(&raw).to_owned())
        .filter(|name| !name.is_empty());
    ErrorResponse::new(response, name, parsed.message, body, query_compatible)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(headers: &[(&str, &str)], body: &str) -> HttpResponse {
        let mut builder = http::Response::builder().status(400);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::from(body.to_owned())).unwrap()
    }

    #[test]
    fn event_stream_requests_are_an_empty_post_whose_body_is_the_stream() {
        let request = event_stream_request("Kinesis_20131202.SubscribeToShard", true).unwrap();
        assert_eq!(
            (request.method().as_str(), request.uri().path()),
            ("POST", "/")
        );
        let headers = request.headers();
        assert_eq!(
            headers["content-type"],
            "application/vnd.amazon.eventstream"
        );
        assert_eq!(headers["x-amz-target"], "Kinesis_20131202.SubscribeToShard");
        assert_eq!(headers["x-amzn-query-mode"], "true");
        // The body (the stream) is sent once the request is signed: no length here.
        assert!(request.body().is_empty());
        assert!(!headers.contains_key("content-length"));
    }

    #[test]
    fn requests_post_to_slash_with_the_target() {
        let request = request(
            AwsJsonVersion::V1_1,
            "JsonProtocol.EmptyOperation",
            "{}".to_owned(),
            false,
        )
        .unwrap();
        assert_eq!(request.method(), "POST");
        assert_eq!(request.uri(), "/");
        assert_eq!(
            request.headers()["content-type"],
            "application/x-amz-json-1.1"
        );
        assert_eq!(
            request.headers()["x-amz-target"],
            "JsonProtocol.EmptyOperation"
        );
        assert_eq!(request.headers()["content-length"], "2");
        assert_eq!(request.body().as_ref(), b"{}");
    }

    #[test]
    fn the_header_wins_then_type_then_code() {
        let r = response(
            &[("X-Amzn-ErrorType", "FooError:http://internal/")],
            r#"{"__type":"Other","message":"m"}"#,
        );
        let error = error_response(&r, false);
        assert_eq!(error.error_name(), Some("FooError"));
        assert_eq!(error.meta().code(), Some("FooError"));
        assert_eq!(error.meta().message(), Some("m"));

        let r = response(&[], r#"{"code":"Other","__type":"ns#FooError"}"#);
        assert_eq!(error_response(&r, false).error_name(), Some("FooError"));
        let r = response(&[], r#"{"code":"ns#FooError:http://x"}"#);
        assert_eq!(error_response(&r, false).error_name(), Some("FooError"));
    }

    #[test]
    fn nested_types_and_odd_members_are_skipped() {
        let r = response(
            &[],
            r#"{"ErrorDetails":[{"__type":"com.amazon.internal#ErrorDetails"}],"__type":"ns#FooError","Message":7,"errorMessage":"why"}"#,
        );
        let error = error_response(&r, false);
        assert_eq!(error.error_name(), Some("FooError"));
        assert_eq!(error.meta().message(), Some("why"));
        assert_eq!(error.body(), r.body().as_ref());
    }

    #[test]
    fn bodies_that_are_not_json_objects_read_as_empty() {
        for body in ["<html>oops</html>", "[1]", "null", "{\"__type\":"] {
            let r = response(&[], body);
            let error = error_response(&r, false);
            assert_eq!(error.error_name(), None, "{body}");
            assert_eq!(error.body(), b"{}", "{body}");
            assert_eq!(error.meta().status(), Some(400));
        }
        // An empty body is an empty object already.
        let r = response(&[("x-amzn-errortype", "FooError")], "");
        let error = error_response(&r, false);
        assert_eq!(error.error_name(), Some("FooError"));
        assert!(JsonReader::new(error.body()).begin_object("").unwrap());
    }
}
