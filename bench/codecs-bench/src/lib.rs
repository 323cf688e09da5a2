//! Fixtures and the code compared by `benches/codecs.rs`:
//!
//! - an event stream of 1 KiB events, decoded by our `codec::event_stream::MessageDecoder` and by
//!   the official `aws-smithy-eventstream` `MessageFrameDecoder`, both fed the same 4 KiB reads;
//! - a DynamoDB-like item (20 attributes: nested maps and lists, strings, numbers, a blob),
//!   serialized and deserialized the way generated code would, with our `codec::cbor` writer and
//!   reader, with raw minicbor, and with the official `aws-smithy-cbor`.
//!
//! Every implementation is checked against the others by the tests at the bottom.

use std::collections::HashMap;
use std::error::Error;

use bytes::{Buf, Bytes};

/// Errors of the functions under comparison (boxed only when something fails).
pub type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

// ---------------------------------------------------------------------------------------------
// Event streams

/// Events in the benchmark stream.
pub const EVENTS: usize = 1000;
/// Payload bytes per event.
pub const PAYLOAD_LEN: usize = 1024;
/// Bytes per network read the decoders are fed.
pub const READ_LEN: usize = 4096;

/// The payload of event `i`: JSON-like text, 1 KiB.
fn payload(i: usize) -> Bytes {
    let mut text =
        format!("{{\"contentBlockDelta\":{{\"contentBlockIndex\":{i},\"delta\":{{\"text\":\"");
    while text.len() < PAYLOAD_LEN - 4 {
        text.push_str("lorem ipsum dolor sit amet ");
    }
    text.truncate(PAYLOAD_LEN - 4);
    text.push_str("\"}}}");
    Bytes::from(text)
}

/// Event `i` as our message: a ConverseStream-like chunk with the three usual headers.
pub fn our_event(i: usize) -> smithy_rust_runtime::codec::event_stream::Message {
    use smithy_rust_runtime::codec::event_stream::{HeaderStr, HeaderValue, Message};
    Message::new(payload(i))
        .with_header(
            HeaderStr::from_static(":event-type"),
            HeaderValue::String(HeaderStr::from_static("contentBlockDelta")),
        )
        .with_header(
            HeaderStr::from_static(":content-type"),
            HeaderValue::String(HeaderStr::from_static("application/json")),
        )
        .with_header(
            HeaderStr::from_static(":message-type"),
            HeaderValue::String(HeaderStr::from_static("event")),
        )
}

/// Event `i` as the official implementation's message.
pub fn their_event(i: usize) -> aws_smithy_types::event_stream::Message {
    use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
    Message::new(payload(i))
        .add_header(Header::new(
            ":event-type",
            HeaderValue::String("contentBlockDelta".into()),
        ))
        .add_header(Header::new(
            ":content-type",
            HeaderValue::String("application/json".into()),
        ))
        .add_header(Header::new(
            ":message-type",
            HeaderValue::String("event".into()),
        ))
}

/// The benchmark stream ([`EVENTS`] events) as it arrives: [`READ_LEN`]-byte reads.
pub fn event_stream_reads() -> Vec<Bytes> {
    let mut wire = Vec::new();
    for i in 0..EVENTS {
        our_event(i).encode_into(&mut wire).expect("encodes");
    }
    let wire = Bytes::from(wire);
    (0..wire.len())
        .step_by(READ_LEN)
        .map(|start| wire.slice(start..(start + READ_LEN).min(wire.len())))
        .collect()
}

/// Decodes the stream with our decoder; returns the payload bytes seen.
pub fn our_decode(reads: &[Bytes]) -> Result<usize> {
    let mut decoder = smithy_rust_runtime::codec::event_stream::MessageDecoder::new();
    let mut payload_bytes = 0;
    for read in reads {
        let mut read = read.clone();
        while let Some(message) = decoder.decode(&mut read)? {
            payload_bytes += message.payload().len();
        }
    }
    decoder.finish()?;
    Ok(payload_bytes)
}

/// Decodes the stream with the official decoder, the way its event receiver does (reads
/// appended to a segmented buffer, frames taken from it); returns the payload bytes seen.
pub fn their_decode(reads: &[Bytes]) -> Result<usize> {
    use aws_smithy_eventstream::frame::{DecodedFrame, MessageFrameDecoder};
    let mut decoder = MessageFrameDecoder::new();
    let mut buffer = bytes_utils::SegmentedBuf::new();
    let mut payload_bytes = 0;
    for read in reads {
        buffer.push(read.clone());
        while let DecodedFrame::Complete(message) = decoder.decode_frame(&mut buffer)? {
            payload_bytes += message.payload().len();
        }
    }
    if buffer.has_remaining() {
        return Err("the stream ended inside a message".into());
    }
    Ok(payload_bytes)
}

/// Encodes `events` back to back with our encoder.
pub fn our_encode(
    events: &[smithy_rust_runtime::codec::event_stream::Message],
    out: &mut Vec<u8>,
) -> Result<()> {
    for event in events {
        event.encode_into(out)?;
    }
    Ok(())
}

/// Encodes `events` back to back with the official encoder.
pub fn their_encode(
    events: &[aws_smithy_types::event_stream::Message],
    out: &mut Vec<u8>,
) -> Result<()> {
    for event in events {
        aws_smithy_eventstream::frame::write_message_to(event, out)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// CBOR

/// A DynamoDB attribute value (a union: one member set), as generated code models it.
#[derive(Debug, Clone, PartialEq)]
pub enum AttributeValue {
    S(String),
    N(String),
    B(Vec<u8>),
    Bool(bool),
    Null(bool),
    M(HashMap<String, AttributeValue>),
    L(Vec<AttributeValue>),
    Ss(Vec<String>),
    Ns(Vec<String>),
}

/// A DynamoDB item.
pub type Item = HashMap<String, AttributeValue>;

/// A 20-attribute item: strings and numbers, a blob, booleans, string and number sets, a list
/// of mixed values and a nested map with a list inside.
pub fn item() -> Item {
    use AttributeValue::*;
    let s = |v: &str| S(v.to_owned());
    let n = |v: &str| N(v.to_owned());
    let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let mut address = HashMap::new();
    address.insert("street".to_owned(), s("1600 Pennsylvania Avenue NW"));
    address.insert("city".to_owned(), s("Washington"));
    address.insert("zip".to_owned(), n("20500"));
    address.insert("geo".to_owned(), L(vec![n("38.8977"), n("-77.0365")]));
    let pairs: Vec<(&str, AttributeValue)> = vec![
        ("pk", s("CUSTOMER#8f14e45f-ceea-467f-a0e6-5b3d2c1a9e77")),
        ("sk", s("ORDER#2024-05-17T12:34:56.789Z#000123")),
        ("status", s("SHIPPED")),
        ("email", s("jane.doe@example.com")),
        ("name", s("Jane Q. Doe")),
        ("total", n("1234.56")),
        ("quantity", n("3")),
        ("discount", n("0.15")),
        ("createdAt", n("1715949296")),
        ("updatedAt", n("1715952896")),
        ("version", n("17")),
        ("gift", Bool(false)),
        ("priority", Bool(true)),
        ("coupon", Null(true)),
        ("thumbnail", B((0..48u8).collect())),
        (
            "tags",
            Ss(strings(&["electronics", "prime", "gift-wrap", "fragile"])),
        ),
        ("ratings", Ns(strings(&["5", "4", "4.5"]))),
        (
            "items",
            L(vec![
                s("B00X4WHP5E"),
                n("2"),
                M(HashMap::from([
                    ("sku".to_owned(), s("B07FZ8S74R")),
                    ("qty".to_owned(), n("1")),
                ])),
                Bool(true),
            ]),
        ),
        ("address", M(address)),
        (
            "notes",
            s("Leave at the front desk; call on arrival. Signature required."),
        ),
    ];
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// Ours: `codec::cbor`'s writer and reader, driven as generated code would drive them.
pub mod ours {
    use std::collections::HashMap;

    use smithy_rust_runtime::codec::cbor::{CborMapWriter, CborReader, CborWriter};

    use super::{AttributeValue, Item, Result};

    fn ser_value(writer: CborWriter<'_>, value: &AttributeValue) {
        let mut union = writer.start_map();
        match value {
            AttributeValue::S(s) => union.key("S").string(s),
            AttributeValue::N(n) => union.key("N").string(n),
            AttributeValue::B(b) => union.key("B").blob(b),
            AttributeValue::Bool(b) => union.key("BOOL").boolean(*b),
            AttributeValue::Null(b) => union.key("NULL").boolean(*b),
            AttributeValue::M(map) => {
                let mut inner = union.key("M").start_map();
                for (key, value) in map {
                    ser_value(inner.key(key), value);
                }
                inner.finish();
            }
            AttributeValue::L(list) => {
                let mut array = union.key("L").start_array();
                for value in list {
                    ser_value(array.value(), value);
                }
                array.finish();
            }
            AttributeValue::Ss(list) | AttributeValue::Ns(list) => {
                let name = if matches!(value, AttributeValue::Ss(_)) {
                    "SS"
                } else {
                    "NS"
                };
                let mut array = union.key(name).start_array();
                for s in list {
                    array.value().string(s);
                }
                array.finish();
            }
        }
        union.finish();
    }

    /// The item as a CBOR map.
    pub fn encode(item: &Item) -> Vec<u8> {
        let mut out = Vec::new();
        let mut map = CborMapWriter::new(&mut out);
        for (key, value) in item {
            ser_value(map.key(key), value);
        }
        map.finish();
        out
    }

    fn de_strings(reader: &mut CborReader<'_>, path: &str) -> Result<Vec<String>> {
        let mut list = Vec::new();
        if reader.begin_array(path)? {
            while reader.next_item()? {
                list.push(reader.read_string(path)?.unwrap_or_default());
            }
        }
        Ok(list)
    }

    fn de_map(reader: &mut CborReader<'_>, path: &str) -> Result<HashMap<String, AttributeValue>> {
        let mut map = HashMap::new();
        if reader.begin_map(path)? {
            while let Some(key) = reader.next_key()? {
                let key = key.into_owned();
                let value = de_value(reader, path)?;
                map.insert(key, value);
            }
        }
        Ok(map)
    }

    fn de_value(reader: &mut CborReader<'_>, path: &str) -> Result<AttributeValue> {
        let mut value = None;
        if reader.begin_map(path)? {
            while let Some(key) = reader.next_key()? {
                value = Some(match key.as_ref() {
                    "S" => AttributeValue::S(reader.read_string(path)?.unwrap_or_default()),
                    "N" => AttributeValue::N(reader.read_string(path)?.unwrap_or_default()),
                    "B" => AttributeValue::B(reader.read_blob(path)?.unwrap_or_default()),
                    "BOOL" => AttributeValue::Bool(reader.read_bool(path)?.unwrap_or_default()),
                    "NULL" => AttributeValue::Null(reader.read_bool(path)?.unwrap_or_default()),
                    "M" => AttributeValue::M(de_map(reader, path)?),
                    "L" => {
                        let mut list = Vec::new();
                        if reader.begin_array(path)? {
                            while reader.next_item()? {
                                list.push(de_value(reader, path)?);
                            }
                        }
                        AttributeValue::L(list)
                    }
                    "SS" => AttributeValue::Ss(de_strings(reader, path)?),
                    "NS" => AttributeValue::Ns(de_strings(reader, path)?),
                    _ => {
                        reader.skip_value()?;
                        continue;
                    }
                });
            }
        }
        value.ok_or_else(|| "an attribute value with no member".into())
    }

    /// The item from a CBOR map.
    pub fn decode(body: &[u8]) -> Result<Item> {
        let mut reader = CborReader::new(body);
        let item = de_map(&mut reader, "Item")?;
        reader.finish()?;
        Ok(item)
    }
}

/// Raw minicbor: its `Encoder` and `Decoder` with definite lengths only and no checks beyond
/// its own (the crate's raw speed).
pub mod raw_minicbor {
    use std::collections::HashMap;

    use minicbor::{Decoder, Encoder};

    use super::{AttributeValue, Item, Result};

    type Enc = Encoder<Vec<u8>>;

    fn ser_value(e: &mut Enc, value: &AttributeValue) -> Result<()> {
        e.map(1)?;
        match value {
            AttributeValue::S(s) => {
                e.str("S")?.str(s)?;
            }
            AttributeValue::N(n) => {
                e.str("N")?.str(n)?;
            }
            AttributeValue::B(b) => {
                e.str("B")?.bytes(b)?;
            }
            AttributeValue::Bool(b) => {
                e.str("BOOL")?.bool(*b)?;
            }
            AttributeValue::Null(b) => {
                e.str("NULL")?.bool(*b)?;
            }
            AttributeValue::M(map) => {
                e.str("M")?.map(map.len() as u64)?;
                for (key, value) in map {
                    e.str(key)?;
                    ser_value(e, value)?;
                }
            }
            AttributeValue::L(list) => {
                e.str("L")?.array(list.len() as u64)?;
                for value in list {
                    ser_value(e, value)?;
                }
            }
            AttributeValue::Ss(list) | AttributeValue::Ns(list) => {
                let name = if matches!(value, AttributeValue::Ss(_)) {
                    "SS"
                } else {
                    "NS"
                };
                e.str(name)?.array(list.len() as u64)?;
                for s in list {
                    e.str(s)?;
                }
            }
        }
        Ok(())
    }

    /// The item as a CBOR map.
    pub fn encode(item: &Item) -> Result<Vec<u8>> {
        let mut e = Encoder::new(Vec::new());
        e.map(item.len() as u64)?;
        for (key, value) in item {
            e.str(key)?;
            ser_value(&mut e, value)?;
        }
        Ok(e.into_writer())
    }

    fn definite(len: Option<u64>) -> Result<u64> {
        len.ok_or_else(|| "indefinite lengths are not handled by this baseline".into())
    }

    fn de_strings(d: &mut Decoder<'_>) -> Result<Vec<String>> {
        let len = definite(d.array()?)?;
        let mut list = Vec::new();
        for _ in 0..len {
            list.push(d.str()?.to_owned());
        }
        Ok(list)
    }

    fn de_map(d: &mut Decoder<'_>) -> Result<HashMap<String, AttributeValue>> {
        let len = definite(d.map()?)?;
        let mut map = HashMap::new();
        for _ in 0..len {
            let key = d.str()?.to_owned();
            map.insert(key, de_value(d)?);
        }
        Ok(map)
    }

    fn de_value(d: &mut Decoder<'_>) -> Result<AttributeValue> {
        let len = definite(d.map()?)?;
        let mut value = None;
        for _ in 0..len {
            value = Some(match d.str()? {
                "S" => AttributeValue::S(d.str()?.to_owned()),
                "N" => AttributeValue::N(d.str()?.to_owned()),
                "B" => AttributeValue::B(d.bytes()?.to_vec()),
                "BOOL" => AttributeValue::Bool(d.bool()?),
                "NULL" => AttributeValue::Null(d.bool()?),
                "M" => AttributeValue::M(de_map(d)?),
                "L" => {
                    let len = definite(d.array()?)?;
                    let mut list = Vec::new();
                    for _ in 0..len {
                        list.push(de_value(d)?);
                    }
                    AttributeValue::L(list)
                }
                "SS" => AttributeValue::Ss(de_strings(d)?),
                "NS" => AttributeValue::Ns(de_strings(d)?),
                _ => {
                    d.skip()?;
                    continue;
                }
            });
        }
        value.ok_or_else(|| "an attribute value with no member".into())
    }

    /// The item from a CBOR map.
    pub fn decode(body: &[u8]) -> Result<Item> {
        de_map(&mut Decoder::new(body))
    }
}

/// The official `aws-smithy-cbor` encoder and decoder, driven as smithy-rs generated code
/// drives them (definite lengths for maps, lists and unions, whose sizes are known).
pub mod smithy {
    use std::collections::HashMap;

    use aws_smithy_cbor::{Decoder, Encoder};

    use super::{AttributeValue, Item, Result};

    fn ser_value(e: &mut Encoder, value: &AttributeValue) {
        e.map(1);
        match value {
            AttributeValue::S(s) => {
                e.str("S").str(s);
            }
            AttributeValue::N(n) => {
                e.str("N").str(n);
            }
            AttributeValue::B(b) => {
                e.str("B").blob_bytes(b);
            }
            AttributeValue::Bool(b) => {
                e.str("BOOL").boolean(*b);
            }
            AttributeValue::Null(b) => {
                e.str("NULL").boolean(*b);
            }
            AttributeValue::M(map) => {
                e.str("M").map(map.len());
                for (key, value) in map {
                    e.str(key);
                    ser_value(e, value);
                }
            }
            AttributeValue::L(list) => {
                e.str("L").array(list.len());
                for value in list {
                    ser_value(e, value);
                }
            }
            AttributeValue::Ss(list) | AttributeValue::Ns(list) => {
                let name = if matches!(value, AttributeValue::Ss(_)) {
                    "SS"
                } else {
                    "NS"
                };
                e.str(name).array(list.len());
                for s in list {
                    e.str(s);
                }
            }
        }
    }

    /// The item as a CBOR map.
    pub fn encode(item: &Item) -> Vec<u8> {
        let mut e = Encoder::new(Vec::new());
        e.map(item.len());
        for (key, value) in item {
            e.str(key);
            ser_value(&mut e, value);
        }
        e.into_writer()
    }

    fn definite(len: Option<u64>) -> Result<u64> {
        len.ok_or_else(|| "indefinite lengths are not handled by this baseline".into())
    }

    fn de_strings(d: &mut Decoder<'_>) -> Result<Vec<String>> {
        let len = definite(d.list()?)?;
        let mut list = Vec::new();
        for _ in 0..len {
            list.push(d.string()?);
        }
        Ok(list)
    }

    fn de_map(d: &mut Decoder<'_>) -> Result<HashMap<String, AttributeValue>> {
        let len = definite(d.map()?)?;
        let mut map = HashMap::new();
        for _ in 0..len {
            let key = d.string()?;
            map.insert(key, de_value(d)?);
        }
        Ok(map)
    }

    fn de_value(d: &mut Decoder<'_>) -> Result<AttributeValue> {
        let len = definite(d.map()?)?;
        let mut value = None;
        for _ in 0..len {
            value = Some(match d.str()?.as_ref() {
                "S" => AttributeValue::S(d.string()?),
                "N" => AttributeValue::N(d.string()?),
                "B" => AttributeValue::B(d.blob()?.into_inner()),
                "BOOL" => AttributeValue::Bool(d.boolean()?),
                "NULL" => AttributeValue::Null(d.boolean()?),
                "M" => AttributeValue::M(de_map(d)?),
                "L" => {
                    let len = definite(d.list()?)?;
                    let mut list = Vec::new();
                    for _ in 0..len {
                        list.push(de_value(d)?);
                    }
                    AttributeValue::L(list)
                }
                "SS" => AttributeValue::Ss(de_strings(d)?),
                "NS" => AttributeValue::Ns(de_strings(d)?),
                _ => {
                    d.skip()?;
                    continue;
                }
            });
        }
        value.ok_or_else(|| "an attribute value with no member".into())
    }

    /// The item from a CBOR map.
    pub fn decode(body: &[u8]) -> Result<Item> {
        de_map(&mut Decoder::new(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_event_stream_decoders_see_every_payload_byte() {
        let reads = event_stream_reads();
        assert!(reads.len() > 250, "{} reads", reads.len());
        assert_eq!(our_decode(&reads).expect("ours"), EVENTS * PAYLOAD_LEN);
        assert_eq!(their_decode(&reads).expect("theirs"), EVENTS * PAYLOAD_LEN);
    }

    #[test]
    fn both_event_stream_encoders_write_the_same_bytes() {
        let ours: Vec<_> = (0..10).map(our_event).collect();
        let theirs: Vec<_> = (0..10).map(their_event).collect();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        our_encode(&ours, &mut a).expect("ours");
        their_encode(&theirs, &mut b).expect("theirs");
        assert_eq!(a, b);
    }

    #[test]
    fn every_cbor_implementation_reads_what_every_one_writes() {
        let item = item();
        assert_eq!(item.len(), 20);
        let bodies = [
            ours::encode(&item),
            raw_minicbor::encode(&item).expect("minicbor"),
            smithy::encode(&item),
        ];
        for body in &bodies {
            assert_eq!(ours::decode(body).expect("ours"), item);
            assert_eq!(raw_minicbor::decode(body).expect("minicbor"), item);
            assert_eq!(smithy::decode(body).expect("smithy"), item);
        }
        // Same preferred serialization and the same (HashMap) order: the same bytes.
        assert_eq!(bodies[0], bodies[1]);
        assert_eq!(bodies[0], bodies[2]);
    }
}
