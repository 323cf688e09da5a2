//! The Smithy RPC v2 CBOR protocol (`smithy.protocols#rpcv2Cbor`): every request is a
//! `POST /service/<service>/operation/<operation>` with `smithy-protocol: rpc-v2-cbor` and a
//! CBOR body (written and read with [`super::cbor`]); an error response names its error in
//! the body's `__type`.
//!
//! Also what generated (de)serializers need between the CBOR codec and the runtime's types:
//! timestamps and blobs, and CBOR errors as the runtime's errors.

use bytes::Bytes;

use super::cbor::{CborError, CborReader, CborType, CborWriter, EpochSeconds};
use super::error_code::sanitize_error_code;
use super::rpc::{post, ErrorResponse};
use crate::contract::error::{BuildError, DeserializeError};
use crate::contract::http::{HttpRequest, HttpResponse};
use crate::contract::operation::ResponseFailure;
use crate::primitives::{Blob, DateTime};

/// The media type of request and response bodies.
pub const CONTENT_TYPE: &str = "application/cbor";

/// The request of an operation: `POST` to `path` with `smithy-protocol: rpc-v2-cbor`,
/// `Accept: application/cbor` and, for an operation with input, the CBOR `body` with its
/// `Content-Type` (an operation without input sends no body and no `Content-Type`); with
/// `query_compatible`, `x-amzn-query-mode: true` too.
pub fn request(
    path: &'static str,
    body: Option<Vec<u8>>,
    query_compatible: bool,
) -> Result<HttpRequest, BuildError> {
    const PROTOCOL: (&str, &str) = ("smithy-protocol", "rpc-v2-cbor");
    const ACCEPT: (&str, &str) = ("accept", CONTENT_TYPE);
    match body {
        Some(body) => post(
            path,
            &[PROTOCOL, ACCEPT, ("content-type", CONTENT_TYPE)],
            Bytes::from(body),
            query_compatible,
        ),
        None => post(path, &[PROTOCOL, ACCEPT], Bytes::new(), query_compatible),
    }
}

/// The `__type` and message at the top level of a CBOR map body; `None` when the body is not
/// a well-formed CBOR map.
fn error_body(body: &[u8]) -> Option<(Option<String>, Option<String>)> {
    let reader = &mut CborReader::new(body);
    let (mut type_name, mut message) = (None, None);
    if !reader.begin_map("(error body)").ok()? {
        return None;
    }
    while let Some(key) = reader.next_key().ok()? {
        let slot = match key.as_ref() {
            "__type" => &mut type_name,
            "message" | "Message" => &mut message,
            _ => {
                reader.skip_value().ok()?;
                continue;
            }
        };
        if reader.peek_type().ok()? == CborType::TextString {
            *slot = reader.read_string(&key).ok()?;
        } else {
            // A member of another type is not what the protocol means by it.
            reader.skip_value().ok()?;
        }
    }
    reader.finish().ok()?;
    Some((type_name, message))
}

/// The error of an error response: its name is the body's `__type`, sanitized
/// (`aws.protocoltests.rpcv2cbor#CustomCodeError` -> `CustomCodeError`), its message the
/// body's `message` (or `Message`). With `query_compatible` (`@awsQueryCompatible`), the
/// `x-amzn-query-error` header, when there, gives the metadata's code and type. A body that is
/// not a CBOR map reads as an empty one.
pub fn error_response(response: &HttpResponse, query_compatible: bool) -> ErrorResponse<'_> {
    let ((type_name, message), body): ((Option<String>, Option<String>), &[u8]) =
        match error_body(response.body()) {
            Some(parsed) => (parsed, response.body()),
            None => ((None, None), &[]),
        };
    let name = type_name
        .map(|raw| sanitize_error_code(&raw).to_owned())
        .filter(|name| !name.is_empty());
    ErrorResponse::new(response, name, message, body, query_compatible)
}

/// Reads a `timestamp` (tag 1 around epoch seconds); `null` is `None`.
pub fn read_timestamp(
    reader: &mut CborReader<'_>,
    path: &str,
) -> Result<Option<DateTime>, CborError> {
    Ok(reader.read_timestamp(path)?.map(|seconds| match seconds {
        EpochSeconds::Whole(secs) => DateTime::from_secs(secs),
        // Finite and in range: the reader checks.
        EpochSeconds::Fractional(secs) => DateTime::from_secs_f64(secs),
    }))
}

/// Writes a `timestamp`: tag 1 around its epoch seconds as a double.
pub fn write_timestamp(writer: CborWriter<'_>, value: &DateTime) {
    writer.timestamp(value.as_secs_f64());
}

/// Reads a `blob` (a byte string); `null` is `None`.
pub fn read_blob(reader: &mut CborReader<'_>, path: &str) -> Result<Option<Blob>, CborError> {
    Ok(reader.read_blob(path)?.map(Blob::new))
}

impl From<CborError> for DeserializeError {
    fn from(err: CborError) -> Self {
        DeserializeError::new(err.to_string())
    }
}

impl<E> From<CborError> for ResponseFailure<E> {
    /// A response body that is not the CBOR the operation expects.
    fn from(err: CborError) -> Self {
        ResponseFailure::Unparseable(err.into())
    }
}

impl From<CborError> for BuildError {
    /// A value with no CBOR form (a big number that is not a number).
    fn from(err: CborError) -> Self {
        BuildError::other(err.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(headers: &[(&str, &str)], body: &[u8]) -> HttpResponse {
        let mut builder = http::Response::builder().status(400);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::from(body.to_vec())).unwrap()
    }

    #[test]
    fn requests_with_and_without_input() {
        let request = request("/service/S/operation/Op", Some(vec![0xa0]), false).unwrap();
        assert_eq!(request.method(), "POST");
        assert_eq!(request.uri(), "/service/S/operation/Op");
        let headers = request.headers();
        assert_eq!(headers["smithy-protocol"], "rpc-v2-cbor");
        assert_eq!(headers["accept"], "application/cbor");
        assert_eq!(headers["content-type"], "application/cbor");
        assert_eq!(headers["content-length"], "1");
        assert_eq!(request.body().as_ref(), &[0xa0]);

        let request = super::request("/service/S/operation/Op", None, true).unwrap();
        let headers = request.headers();
        assert!(headers.get("content-type").is_none());
        assert!(headers.get("content-length").is_none());
        assert_eq!(headers["x-amzn-query-mode"], "true");
        assert!(request.body().is_empty());
    }

    #[test]
    fn errors_are_named_by_type() {
        // {"__type": "ns#Oops", "message": "Hi", "Other": [1]}
        let body = [
            0xa3, 0x66, b'_', b'_', b't', b'y', b'p', b'e', 0x67, b'n', b's', b'#', b'O', b'o',
            b'p', b's', 0x67, b'm', b'e', b's', b's', b'a', b'g', b'e', 0x62, b'H', b'i', 0x65,
            b'O', b't', b'h', b'e', b'r', 0x81, 0x01,
        ];
        let r = response(&[("x-amzn-requestid", "rid")], &body);
        let error = error_response(&r, false);
        assert_eq!(error.error_name(), Some("Oops"));
        assert_eq!(error.meta().code(), Some("Oops"));
        assert_eq!(error.meta().message(), Some("Hi"));
        assert_eq!(error.meta().request_id(), Some("rid"));
        assert_eq!(error.body(), &body);
    }

    #[test]
    fn bodies_that_are_not_cbor_maps_read_as_empty() {
        for body in [
            &b"{\"__type\":\"Oops\"}"[..],
            &[0x81, 0x01],
            &[0xbf],
            &[0xa1, 0x01],
        ] {
            let r = response(&[], body);
            let error = error_response(&r, false);
            assert_eq!(error.error_name(), None, "{body:?}");
            assert!(error.body().is_empty());
        }
        // `__type` of another type is ignored.
        let r = response(&[], &[0xa1, 0x66, b'_', b'_', b't', b'y', b'p', b'e', 0x01]);
        assert_eq!(error_response(&r, false).error_name(), None);
    }

    #[test]
    fn timestamps_both_ways() {
        let mut out = Vec::new();
        write_timestamp(
            CborWriter::new(&mut out),
            &DateTime::from_secs(1_576_540_098),
        );
        let mut expected = vec![0xc1, 0xfb];
        expected.extend_from_slice(&1_576_540_098f64.to_be_bytes());
        assert_eq!(out, expected);
        let read = read_timestamp(&mut CborReader::new(&out), "t").unwrap();
        assert_eq!(read, Some(DateTime::from_secs(1_576_540_098)));
        // An integer in the tag, and a fraction.
        let read = read_timestamp(&mut CborReader::new(&[0xc1, 0x1a, 0, 0, 0, 1]), "t");
        assert_eq!(read.unwrap(), Some(DateTime::from_secs(1)));
        let mut half = vec![0xc1, 0xfb];
        half.extend_from_slice(&1.5f64.to_be_bytes());
        let read = read_timestamp(&mut CborReader::new(&half), "t").unwrap();
        assert_eq!(read, Some(DateTime::from_millis(1500)));
        assert_eq!(
            read_timestamp(&mut CborReader::new(&[0xf6]), "t").unwrap(),
            None
        );
    }

    #[test]
    fn cbor_errors_keep_their_message() {
        let err = CborReader::new(&[0x01]).read_string("A.b").unwrap_err();
        let message = err.to_string();
        assert_eq!(DeserializeError::from(err).message(), message);
        assert!(message.contains("`A.b`"), "{message}");
    }
}
