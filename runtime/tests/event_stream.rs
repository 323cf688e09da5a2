//! The event stream codec (`codec::event_stream`) from the outside: a message assembled byte by
//! byte from the format's description, round trips through reads split anywhere, corruption and
//! truncation, random input, signed frames, and interoperation both ways with the official
//! implementation (`aws-smithy-eventstream`).

use std::time::{Duration, UNIX_EPOCH};

use bytes::{Buf, Bytes};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, RngSeed};
use smithy_rust_runtime::codec::event_stream::{
    ErrorKind, EventStreamError, Header, HeaderProblem, HeaderStr, HeaderValue, Message,
    MessageDecoder, MAX_MESSAGE_LEN,
};
use uuid::Uuid;

/// CRC-32 (IEEE 802.3, reflected, as gzip uses), bit by bit: an implementation independent of
/// the `crc32fast` crate the codec uses.
fn reference_crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xedb8_8320 & mask);
        }
    }
    !crc
}

#[test]
fn the_reference_crc_gives_the_standard_check_value() {
    // The check value of CRC-32/ISO-HDLC (the gzip CRC) for the ASCII digits 1 to 9.
    assert_eq!(reference_crc32(b"123456789"), 0xcbf4_3926);
}

/// A whole message laid out from the format's description: prelude (total length, headers
/// length, prelude CRC), headers, payload, message CRC.
fn assemble(headers: &[u8], payload: &[u8]) -> Vec<u8> {
    let total = (12 + headers.len() + payload.len() + 4) as u32;
    let mut out = total.to_be_bytes().to_vec();
    out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
    let prelude_crc = reference_crc32(&out);
    out.extend_from_slice(&prelude_crc.to_be_bytes());
    out.extend_from_slice(headers);
    out.extend_from_slice(payload);
    let message_crc = reference_crc32(&out);
    out.extend_from_slice(&message_crc.to_be_bytes());
    out
}

/// One header of each of the ten value types, written out byte by byte: name length, name,
/// type byte, value (big-endian; 2-byte length before byte arrays and strings).
fn every_type_headers() -> Vec<u8> {
    let mut h = Vec::new();
    h.extend_from_slice(b"\x04true\x00");
    h.extend_from_slice(b"\x05false\x01");
    h.extend_from_slice(b"\x04byte\x02\xcf"); // -49
    h.extend_from_slice(b"\x05short\x03\x80\x00"); // -32768
    h.extend_from_slice(b"\x03int\x04\x00\x01\xe2\x40"); // 123456
    h.extend_from_slice(b"\x04long\x05\xff\xff\xff\xff\xff\xff\xff\xfe"); // -2
    h.extend_from_slice(b"\x05bytes\x06\x00\x03\x01\x02\x03");
    h.extend_from_slice(b"\x06string\x07\x00\x06h\xc3\xa9llo"); // "héllo"
    h.extend_from_slice(b"\x09timestamp\x08\x00\x00\x01\x8b\xcf\xe5\x68\x7b"); // 1700000000123
    h.extend_from_slice(b"\x04uuid\x09");
    h.extend_from_slice(&[
        0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40,
        0x00,
    ]);
    h
}

fn every_type_message() -> Message {
    Message::new(Bytes::from_static(b"{\"hello\":1}"))
        .with_header("true", HeaderValue::Bool(true))
        .with_header("false", HeaderValue::Bool(false))
        .with_header("byte", HeaderValue::Byte(-49))
        .with_header("short", HeaderValue::Int16(-32768))
        .with_header("int", HeaderValue::Int32(123_456))
        .with_header("long", HeaderValue::Int64(-2))
        .with_header(
            "bytes",
            HeaderValue::ByteArray(Bytes::from_static(&[1, 2, 3])),
        )
        .with_header("string", HeaderValue::string("héllo"))
        .with_header("timestamp", HeaderValue::Timestamp(1_700_000_000_123))
        .with_header(
            "uuid",
            HeaderValue::Uuid(Uuid::from_u128(0x123e4567_e89b_12d3_a456_426614174000)),
        )
}

fn decode_one(bytes: &[u8]) -> Result<Message, EventStreamError> {
    let mut decoder = MessageDecoder::new();
    let mut input = Bytes::copy_from_slice(bytes);
    let message = decoder.decode(&mut input)?;
    assert!(!input.has_remaining(), "one message, nothing after it");
    decoder.finish()?;
    Ok(message.expect("a whole message was given"))
}

#[test]
fn a_message_with_every_header_type_matches_the_hand_assembled_bytes() {
    let wire = assemble(&every_type_headers(), b"{\"hello\":1}");
    let message = every_type_message();
    assert_eq!(message.encode().expect("encodes").as_ref(), wire.as_slice());
    assert_eq!(message.encoded_len(), Ok(wire.len()));
    let decoded = decode_one(&wire).expect("decodes");
    assert_eq!(decoded, message);
    assert_eq!(
        decoded.header("string").and_then(HeaderValue::as_str),
        Some("héllo")
    );
    assert_eq!(
        decoded
            .header("timestamp")
            .and_then(HeaderValue::as_timestamp),
        Some(UNIX_EPOCH + Duration::from_millis(1_700_000_000_123))
    );
    assert_eq!(
        decoded.header("short").and_then(HeaderValue::as_i64),
        Some(-32768)
    );
    assert_eq!(decoded.header("missing"), None);
}

#[test]
fn the_empty_message_and_a_headers_only_message_decode() {
    assert_eq!(decode_one(&assemble(&[], &[])), Ok(Message::default()));
    let headers = b"\x0d:message-type\x07\x00\x05event";
    let decoded = decode_one(&assemble(headers, &[])).expect("decodes");
    assert_eq!(
        decoded
            .header(":message-type")
            .and_then(HeaderValue::as_str),
        Some("event")
    );
    assert!(decoded.payload().is_empty());
}

#[test]
fn a_corrupt_prelude_or_message_crc_is_reported_with_both_values() {
    let mut wire = assemble(&every_type_headers(), b"payload");
    let last = wire.len() - 1;
    wire[last] ^= 0x01;
    let err = decode_one(&wire).expect_err("bad message CRC");
    assert!(
        matches!(err.kind(), ErrorKind::MessageChecksum { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("the message CRC32 is 0x"), "{err}");

    let mut wire = assemble(&[], b"payload");
    wire[9] ^= 0x80;
    let err = decode_one(&wire).expect_err("bad prelude CRC");
    assert!(
        matches!(err.kind(), ErrorKind::PreludeChecksum { .. }),
        "{err}"
    );
    assert_eq!(err.offset(), Some(0));
}

#[test]
fn errors_carry_the_offset_of_the_bad_message_in_the_stream() {
    let good = assemble(&[], b"first");
    let mut stream = good.clone();
    let mut bad = assemble(&[], b"second");
    bad[20] ^= 0xff;
    stream.extend_from_slice(&bad);
    let mut decoder = MessageDecoder::new();
    let mut input = Bytes::from(stream);
    assert!(decoder.decode(&mut input).expect("first is fine").is_some());
    let err = decoder.decode(&mut input).expect_err("second is corrupt");
    assert_eq!(err.offset(), Some(good.len() as u64));
    assert!(
        err.to_string().starts_with(&format!(
            "invalid event stream message at byte {} of the stream",
            good.len()
        )),
        "{err}"
    );
}

#[test]
fn a_stream_that_ends_inside_a_message_is_truncated() {
    let wire = assemble(&every_type_headers(), b"payload");
    for cut in [1, 11, 12, 13, wire.len() - 1] {
        let mut decoder = MessageDecoder::new();
        let mut input = Bytes::copy_from_slice(&wire[..cut]);
        assert_eq!(decoder.decode(&mut input), Ok(None));
        assert_eq!(decoder.buffered_len(), cut);
        let err = decoder.finish().expect_err("truncated");
        let expected = (cut >= 12).then_some(wire.len() as u32);
        assert_eq!(
            err.kind(),
            &ErrorKind::Truncated {
                received: cut,
                expected
            }
        );
    }
}

#[test]
fn a_length_over_the_limit_is_refused_from_the_prelude_alone() {
    // A prelude with a correct CRC that claims one byte more than the limit: refused before
    // any payload is read (and so before anything of that size could be buffered).
    let total = MAX_MESSAGE_LEN as u32 + 1;
    let mut prelude = total.to_be_bytes().to_vec();
    prelude.extend_from_slice(&0u32.to_be_bytes());
    let crc = reference_crc32(&prelude);
    prelude.extend_from_slice(&crc.to_be_bytes());
    let mut decoder = MessageDecoder::new();
    let err = decoder
        .decode(&mut Bytes::from(prelude))
        .expect_err("too long");
    assert_eq!(
        err.kind(),
        &ErrorKind::MessageTooLong {
            len: u64::from(total)
        }
    );
    assert_eq!(decoder.buffered_len(), 0);
}

#[test]
fn a_signed_frame_wraps_the_encoded_event_with_date_and_signature() {
    let event = Message::new("audio")
        .with_header(":event-type", HeaderValue::string("AudioEvent"))
        .encode()
        .expect("encodes");
    let date = UNIX_EPOCH + Duration::from_millis(1_369_353_600_000);
    let signature = Bytes::from(vec![0xab; 32]);
    let frame = Message::signed(event.clone(), date, signature.clone());
    let wire = frame.encode().expect("encodes");
    // The headers as the format lays them out: `:date` (type 8) then `:chunk-signature`
    // (type 6, 32 bytes).
    let mut headers = b"\x05:date\x08".to_vec();
    headers.extend_from_slice(&1_369_353_600_000i64.to_be_bytes());
    headers.extend_from_slice(b"\x10:chunk-signature\x06\x00\x20");
    headers.extend_from_slice(&[0xab; 32]);
    assert_eq!(wire.as_ref(), assemble(&headers, &event).as_slice());

    let outer = decode_one(&wire).expect("decodes");
    assert_eq!(
        outer.header(":date").and_then(HeaderValue::as_timestamp),
        Some(date)
    );
    assert_eq!(
        outer
            .header(":chunk-signature")
            .and_then(HeaderValue::as_bytes),
        Some(&signature)
    );
    let inner = decode_one(outer.payload()).expect("inner decodes");
    assert_eq!(
        inner.header(":event-type").and_then(HeaderValue::as_str),
        Some("AudioEvent")
    );
    assert_eq!(inner.payload().as_ref(), b"audio");

    // The end of a signed stream: the same frame around an empty payload.
    let end = Message::signed(Bytes::new(), date, signature)
        .encode()
        .expect("encodes");
    assert!(decode_one(&end).expect("decodes").payload().is_empty());
}

#[test]
fn encoded_headers_are_what_a_signer_hashes() {
    let mut out = Vec::new();
    let headers = [Header::new(":date", HeaderValue::Timestamp(1))];
    smithy_rust_runtime::codec::event_stream::write_headers(&headers, &mut out).expect("encodes");
    assert_eq!(out, b"\x05:date\x08\x00\x00\x00\x00\x00\x00\x00\x01");
    let bad = [Header::new(
        HeaderStr::from("x".repeat(300)),
        HeaderValue::Bool(true),
    )];
    let err = smithy_rust_runtime::codec::event_stream::write_headers(&bad, &mut out)
        .expect_err("too long");
    assert_eq!(
        err.kind(),
        &ErrorKind::InvalidHeader {
            name: Some("x".repeat(300)),
            reason: HeaderProblem::NameTooLong(300)
        }
    );
    assert_eq!(out.len(), 15, "nothing appended on error");
}

// ---------------------------------------------------------------------------------------------
// Properties

/// A fixed number of cases, a fixed seed and no failure files: every run tries the same inputs
/// and writes nothing into the source tree.
fn fixed(cases: u32) -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x0E5E_2016),
        ..ProptestConfig::with_cases(cases)
    }
}

fn arb_value() -> impl Strategy<Value = HeaderValue> {
    prop_oneof![
        any::<bool>().prop_map(HeaderValue::Bool),
        any::<i8>().prop_map(HeaderValue::Byte),
        any::<i16>().prop_map(HeaderValue::Int16),
        any::<i32>().prop_map(HeaderValue::Int32),
        any::<i64>().prop_map(HeaderValue::Int64),
        vec(any::<u8>(), 0..48).prop_map(|v| HeaderValue::ByteArray(Bytes::from(v))),
        ".{0,16}".prop_map(HeaderValue::string),
        any::<i64>().prop_map(HeaderValue::Timestamp),
        any::<u128>().prop_map(|u| HeaderValue::Uuid(Uuid::from_u128(u))),
    ]
}

fn arb_message() -> impl Strategy<Value = Message> {
    (
        vec((".{1,12}", arb_value()), 0..6),
        vec(any::<u8>(), 0..200),
    )
        .prop_map(|(headers, payload)| {
            let headers = headers
                .into_iter()
                .map(|(name, value)| Header::new(name, value))
                .collect();
            Message::from_parts(headers, Bytes::from(payload))
        })
}

/// Feeds `wire` to a decoder in reads of the given sizes (cycled), the way a network stream
/// delivers it, and collects the messages.
fn decode_in_reads(wire: &[u8], reads: &[usize]) -> Result<Vec<Message>, EventStreamError> {
    let mut decoder = MessageDecoder::new();
    let mut messages = Vec::new();
    let mut rest = wire;
    let mut sizes = reads.iter().cycle();
    while !rest.is_empty() {
        let n = (*sizes.next().unwrap_or(&1)).clamp(1, rest.len());
        let mut read = Bytes::copy_from_slice(&rest[..n]);
        rest = &rest[n..];
        while let Some(message) = decoder.decode(&mut read)? {
            messages.push(message);
        }
        assert!(
            !read.has_remaining(),
            "a read is used up before more is asked for"
        );
        assert!(decoder.buffered_len() < MAX_MESSAGE_LEN);
    }
    decoder.finish()?;
    Ok(messages)
}

fn encode_all(messages: &[Message]) -> Vec<u8> {
    let mut wire = Vec::new();
    for message in messages {
        message.encode_into(&mut wire).expect("encodes");
    }
    wire
}

/// Our message as the official implementation's.
fn to_official(message: &Message) -> aws_smithy_types::event_stream::Message {
    use aws_smithy_types::event_stream::{Header as TheirHeader, HeaderValue as V};
    let headers = message
        .headers()
        .iter()
        .map(|h| {
            let value = match h.value() {
                HeaderValue::Bool(b) => V::Bool(*b),
                HeaderValue::Byte(n) => V::Byte(*n),
                HeaderValue::Int16(n) => V::Int16(*n),
                HeaderValue::Int32(n) => V::Int32(*n),
                HeaderValue::Int64(n) => V::Int64(*n),
                HeaderValue::ByteArray(b) => V::ByteArray(b.clone()),
                HeaderValue::String(s) => V::String(s.as_str().to_owned().into()),
                HeaderValue::Timestamp(ms) => {
                    V::Timestamp(aws_smithy_types::DateTime::from_millis(*ms))
                }
                HeaderValue::Uuid(u) => V::Uuid(u.as_u128()),
            };
            TheirHeader::new(h.name().as_str().to_owned(), value)
        })
        .collect();
    aws_smithy_types::event_stream::Message::new_from_parts(headers, message.payload().clone())
}

proptest! {
    #![proptest_config(fixed(256))]

    #[test]
    fn messages_round_trip_through_reads_split_anywhere(
        messages in vec(arb_message(), 1..5),
        reads in vec(1usize..80, 1..12),
    ) {
        let wire = encode_all(&messages);
        prop_assert_eq!(decode_in_reads(&wire, &reads), Ok(messages.clone()));
        // The whole stream in one read decodes without copying payloads out of it.
        prop_assert_eq!(decode_in_reads(&wire, &[wire.len()]), Ok(messages));
    }

    #[test]
    fn any_single_corrupted_byte_is_an_error(
        messages in vec(arb_message(), 1..4),
        position in any::<prop::sample::Index>(),
        flip in 1u8..=255,
        reads in vec(1usize..80, 1..8),
    ) {
        let mut wire = encode_all(&messages);
        let at = position.index(wire.len());
        wire[at] ^= flip;
        // CRC32 detects every error burst of up to 32 bits, so a changed byte never passes.
        let result = decode_in_reads(&wire, &reads);
        prop_assert!(result.is_err(), "corrupted byte {} was not detected", at);
    }

    #[test]
    fn a_stream_cut_short_is_an_error(
        messages in vec(arb_message(), 1..4),
        cut in any::<prop::sample::Index>(),
        reads in vec(1usize..80, 1..8),
    ) {
        let wire = encode_all(&messages);
        let cut = cut.index(wire.len());
        // Cutting at a message boundary leaves a valid (shorter) stream.
        let boundaries: Vec<usize> = messages
            .iter()
            .scan(0, |end, m| { *end += m.encoded_len().expect("fits"); Some(*end) })
            .collect();
        let result = decode_in_reads(&wire[..cut], &reads);
        if cut == 0 || boundaries.contains(&cut) {
            prop_assert!(result.is_ok());
        } else {
            let err = result.expect_err("cut inside a message");
            prop_assert!(matches!(err.kind(), ErrorKind::Truncated { .. }), "{}", err);
        }
    }

    #[test]
    fn random_bytes_never_panic(bytes in vec(any::<u8>(), 0..400), reads in vec(1usize..64, 1..8)) {
        // Random bytes almost never carry a valid prelude CRC; either way: an error or
        // messages, never a panic.
        let _ = decode_in_reads(&bytes, &reads);
    }

    #[test]
    fn random_headers_inside_valid_crcs_never_panic(
        headers in vec(any::<u8>(), 0..120),
        payload in vec(any::<u8>(), 0..16),
        reads in vec(1usize..64, 1..8),
    ) {
        // Valid prelude and message CRCs around random header bytes, so the header parser
        // itself sees hostile input.
        let wire = assemble(&headers, &payload);
        if let Ok(messages) = decode_in_reads(&wire, &reads) {
            // Whatever decodes must encode back to the same bytes.
            prop_assert_eq!(encode_all(&messages), wire);
        }
    }

    #[test]
    fn the_official_decoder_reads_what_we_write(message in arb_message()) {
        let wire = message.encode().expect("encodes");
        let theirs = aws_smithy_eventstream::frame::read_message_from(wire.clone())
            .expect("the official decoder reads it");
        prop_assert_eq!(theirs, to_official(&message));
    }

    #[test]
    fn we_read_what_the_official_encoder_writes(message in arb_message()) {
        let mut wire = Vec::new();
        aws_smithy_eventstream::frame::write_message_to(&to_official(&message), &mut wire)
            .expect("the official encoder writes it");
        prop_assert_eq!(decode_one(&wire), Ok(message));
    }
}
