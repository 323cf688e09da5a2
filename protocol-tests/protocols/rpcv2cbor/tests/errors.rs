//! What the compliance cases cannot say about a CBOR client's errors: errors the model does
//! not describe, bodies that are not CBOR or not what the operation expects, and values with
//! no CBOR form. The bodies are hand-assembled (RFC 8949), as in the model's cases.

use protocol_tests_rpcv2cbor::operation::greet::{Greet, GreetError, GreetInput};
use protocol_tests_rpcv2cbor::operation::scalars::{Scalars, ScalarsInput};
use smithy_rust_runtime::contract::http::HttpResponse;
use smithy_rust_runtime::contract::operation::{Operation, ResponseFailure, SerializeContext};

fn response(status: u16, body: &[u8]) -> HttpResponse {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/cbor")
        .header("x-amzn-requestid", "req-1")
        .body(bytes::Bytes::copy_from_slice(body))
        .expect("a valid response")
}

fn unparseable(result: Result<impl std::fmt::Debug, ResponseFailure<GreetError>>) -> String {
    match result {
        Err(ResponseFailure::Unparseable(err)) => err.message().to_owned(),
        other => panic!("expected an unparseable response, got {other:?}"),
    }
}

#[test]
fn an_error_the_model_does_not_describe_is_unhandled_with_its_code() {
    // {"__type": "ns#Mystery", "message": "who knows"}
    let body = [
        &[0xa2, 0x66][..],
        b"__type",
        &[0x6a],
        b"ns#Mystery",
        &[0x67],
        b"message",
        &[0x69],
        b"who knows",
    ]
    .concat();
    match Greet::deserialize(&response(400, &body)) {
        Err(ResponseFailure::Service(GreetError::Unhandled(unhandled))) => {
            let meta = unhandled.meta();
            assert_eq!(meta.code(), Some("Mystery"));
            assert_eq!(meta.message(), Some("who knows"));
            assert_eq!(meta.request_id(), Some("req-1"));
            assert_eq!(meta.status(), Some(400));
            assert_eq!(unhandled.body(), Some(&body[..]));
        }
        other => panic!("expected an unhandled error, got {other:?}"),
    }
}

#[test]
fn an_error_body_that_is_not_cbor_gives_an_unhandled_error_without_code() {
    match Greet::deserialize(&response(503, b"<html>Service Unavailable</html>")) {
        Err(ResponseFailure::Service(GreetError::Unhandled(unhandled))) => {
            assert_eq!(unhandled.meta().code(), None);
            assert_eq!(unhandled.meta().status(), Some(503));
        }
        other => panic!("expected an unhandled error, got {other:?}"),
    }
}

#[test]
fn a_modeled_error_with_a_member_of_the_wrong_type_is_unhandled_naming_the_member() {
    // {"__type": "InvalidName", "field": 7}
    let body = [
        &[0xa2, 0x66][..],
        b"__type",
        &[0x6b],
        b"InvalidName",
        &[0x65],
        b"field",
        &[0x07],
    ]
    .concat();
    match Greet::deserialize(&response(400, &body)) {
        Err(ResponseFailure::Service(GreetError::Unhandled(unhandled))) => {
            assert_eq!(unhandled.meta().code(), Some("InvalidName"));
            let source = std::error::Error::source(&unhandled)
                .map(ToString::to_string)
                .unwrap_or_default();
            assert!(source.contains("`InvalidName.field`"), "{source}");
            assert!(source.contains("expected a text string"), "{source}");
        }
        other => panic!("expected an unhandled error, got {other:?}"),
    }
}

#[test]
fn truncated_and_mistyped_outputs_are_unparseable_with_offset_and_member() {
    // {"message": "Hel  (the text claims 9 bytes, 3 follow)
    let truncated = [&[0xa1, 0x67][..], b"message", &[0x69], b"Hel"].concat();
    let message = unparseable(Greet::deserialize(&response(200, &truncated)));
    assert!(message.contains("not valid CBOR"), "{message}");
    assert!(message.contains("at byte 9"), "{message}");

    // {"count": "one"}
    let mistyped = [&[0xa1, 0x65][..], b"count", &[0x63], b"one"].concat();
    let message = unparseable(Greet::deserialize(&response(200, &mistyped)));
    assert!(message.contains("`GreetOutput.count`"), "{message}");
    assert!(message.contains("expected an integer"), "{message}");

    // {} followed by a stray byte.
    let message = unparseable(Greet::deserialize(&response(200, &[0xa0, 0x00])));
    assert!(message.contains("1 byte after the end"), "{message}");

    // {"count": 2^32}: beyond an `Integer`.
    let too_big = [&[0xa1, 0x65][..], b"count", &[0x1b, 0, 0, 0, 1, 0, 0, 0, 0]].concat();
    let message = unparseable(Greet::deserialize(&response(200, &too_big)));
    assert!(message.contains("does not fit"), "{message}");
}

#[test]
fn a_big_number_that_is_not_a_number_is_a_build_error() {
    let input: ScalarsInput = ScalarsInput::builder().big("12x").build().expect("builds");
    let err = Scalars::serialize(&input, &SerializeContext::default())
        .expect_err("`12x` has no CBOR form");
    assert!(err.to_string().contains("`12x` is not an integer"), "{err}");
    let input = ScalarsInput::builder()
        .dec("1.2.3")
        .build()
        .expect("builds");
    let err = Scalars::serialize(&input, &SerializeContext::default())
        .expect_err("`1.2.3` has no CBOR form");
    assert!(err.to_string().contains("is not a decimal number"), "{err}");
}

#[test]
fn an_input_without_members_set_is_an_empty_map() {
    let input = GreetInput::builder().build().expect("builds");
    let request = Greet::serialize(&input, &SerializeContext::default()).expect("serializes");
    assert_eq!(request.body().as_ref(), &[0xa0]);
    assert_eq!(request.headers()["content-length"], "1");
}
