//! The CBOR codec (`codec::cbor`) from the outside: the examples of RFC 8949 Appendix A (written
//! out by hand from the RFC's table), round trips through our writer and reader, bodies that
//! minicbor's encoder writes with random definite / indefinite lengths and chunked strings,
//! malformed and hostile input, and error messages.

use std::borrow::Cow;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, RngSeed};
use smithy_rust_runtime::codec::cbor::{
    CborError, CborErrorKind, CborMapWriter, CborReader, CborType, CborWriter, EpochSeconds,
    MAX_DEPTH,
};

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// A decoded value, the way generated code sees a body: walked with the typed readers.
#[derive(Debug, Clone)]
enum Value {
    Int(i64),
    Double(f64),
    Text(String),
    Bytes(Vec<u8>),
    Bool(bool),
    Null,
    Timestamp(EpochSeconds),
    Array(Vec<Value>),
    Map(Vec<(String, Value)>),
    /// An item the walker has no reader for (a simple value, say), skipped.
    Skipped,
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            // Bit equality, so NaN equals NaN and 0.0 differs from -0.0.
            (Self::Double(a), Self::Double(b)) => a.to_bits() == b.to_bits(),
            (Self::Int(a), Self::Int(b)) => a == b,
            (Self::Text(a), Self::Text(b)) => a == b,
            (Self::Bytes(a), Self::Bytes(b)) => a == b,
            (Self::Bool(a), Self::Bool(b)) => a == b,
            (Self::Null, Self::Null) => true,
            (Self::Timestamp(a), Self::Timestamp(b)) => a == b,
            (Self::Array(a), Self::Array(b)) => a == b,
            (Self::Map(a), Self::Map(b)) => a == b,
            (Self::Skipped, Self::Skipped) => true,
            _ => false,
        }
    }
}

/// Walks one value with the typed readers, as a generated deserializer would.
fn read_value(reader: &mut CborReader<'_>, path: &str) -> Result<Value, CborError> {
    Ok(match reader.peek_type()? {
        CborType::Map => {
            let mut entries = Vec::new();
            reader.begin_map(path)?;
            while let Some(key) = reader.next_key()? {
                let key = key.into_owned();
                let value = read_value(reader, &format!("{path}.{key}"))?;
                entries.push((key, value));
            }
            Value::Map(entries)
        }
        CborType::Array => {
            let mut items = Vec::new();
            reader.begin_array(path)?;
            while reader.next_item()? {
                items.push(read_value(reader, &format!("{path}[{}]", items.len()))?);
            }
            Value::Array(items)
        }
        CborType::TextString => Value::Text(reader.read_string(path)?.unwrap_or_default()),
        CborType::ByteString => Value::Bytes(reader.read_blob(path)?.unwrap_or_default()),
        CborType::Bool => Value::Bool(reader.read_bool(path)?.unwrap_or_default()),
        CborType::Null | CborType::Undefined => {
            assert_eq!(reader.read_string(path)?, None);
            Value::Null
        }
        CborType::Float => Value::Double(reader.read_f64(path)?.unwrap_or_default()),
        CborType::UnsignedInteger | CborType::NegativeInteger => {
            Value::Int(reader.read_i64(path)?.unwrap_or_default())
        }
        CborType::Tag => match reader.read_timestamp(path)? {
            Some(t) => Value::Timestamp(t),
            None => Value::Null,
        },
        _ => {
            reader.skip_value()?;
            Value::Skipped
        }
    })
}

fn read_body(body: &[u8]) -> Result<Value, CborError> {
    let mut reader = CborReader::new(body);
    let value = read_value(&mut reader, "Body")?;
    reader.finish()?;
    Ok(value)
}

/// Skips the body's item and checks that it was the whole body.
fn skip_body(body: &[u8]) -> Result<(), CborError> {
    let mut reader = CborReader::new(body);
    reader.skip_value()?;
    reader.finish()
}

/// Writes `value` with our writer.
fn write_value(writer: CborWriter<'_>, value: &Value) {
    match value {
        Value::Int(n) => writer.integer(*n),
        Value::Double(f) => writer.double(*f),
        Value::Text(s) => writer.string(s),
        Value::Bytes(b) => writer.blob(b),
        Value::Bool(b) => writer.boolean(*b),
        Value::Null | Value::Skipped => writer.null(),
        Value::Timestamp(EpochSeconds::Fractional(f)) => writer.timestamp(*f),
        Value::Timestamp(EpochSeconds::Whole(s)) => writer.timestamp(*s as f64),
        Value::Array(items) => {
            let mut array = writer.start_array();
            for item in items {
                write_value(array.value(), item);
            }
            array.finish();
        }
        Value::Map(entries) => {
            let mut map = writer.start_map();
            for (key, value) in entries {
                write_value(map.key(key), value);
            }
            map.finish();
        }
    }
}

fn write_body(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write_value(CborWriter::new(&mut out), value);
    out
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn map(entries: &[(&str, Value)]) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// RFC 8949 Appendix A

/// Examples from the RFC's table that the typed readers read, and that our writer writes back
/// byte for byte (the writer's preferred serialization is the RFC's for these).
#[test]
fn rfc_8949_examples_read_and_write_exactly() {
    let ints: [(&str, i64); 14] = [
        ("00", 0),
        ("01", 1),
        ("0a", 10),
        ("17", 23),
        ("1818", 24),
        ("1819", 25),
        ("1864", 100),
        ("1903e8", 1000),
        ("1a000f4240", 1_000_000),
        ("1b000000e8d4a51000", 1_000_000_000_000),
        ("20", -1),
        ("29", -10),
        ("3863", -100),
        ("3903e7", -1000),
    ];
    let mut cases: Vec<(&str, Value)> = ints.iter().map(|(h, n)| (*h, Value::Int(*n))).collect();
    cases.extend([
        ("fb3ff199999999999a", Value::Double(1.1)),
        ("fb7e37e43c8800759c", Value::Double(1.0e300)),
        ("fbc010666666666666", Value::Double(-4.1)),
        ("fb7ff0000000000000", Value::Double(f64::INFINITY)),
        ("fb7ff8000000000000", Value::Double(f64::NAN)),
        ("fbfff0000000000000", Value::Double(f64::NEG_INFINITY)),
        ("f4", Value::Bool(false)),
        ("f5", Value::Bool(true)),
        ("f6", Value::Null),
        (
            "c1fb41d452d9ec200000",
            Value::Timestamp(EpochSeconds::Fractional(1_363_896_240.5)),
        ),
        ("40", Value::Bytes(vec![])),
        ("4401020304", Value::Bytes(vec![1, 2, 3, 4])),
        ("60", text("")),
        ("6161", text("a")),
        ("6449455446", text("IETF")),
        ("62225c", text("\"\\")),
        ("62c3bc", text("\u{fc}")),
        ("63e6b0b4", text("\u{6c34}")),
        ("64f0908591", text("\u{10151}")),
        ("80", Value::Array(vec![])),
        (
            "83010203",
            Value::Array(vec![Value::Int(1), Value::Int(2), Value::Int(3)]),
        ),
        (
            "8301820203820405",
            Value::Array(vec![
                Value::Int(1),
                Value::Array(vec![Value::Int(2), Value::Int(3)]),
                Value::Array(vec![Value::Int(4), Value::Int(5)]),
            ]),
        ),
        (
            "98190102030405060708090a0b0c0d0e0f101112131415161718181819",
            Value::Array((1..=25).map(Value::Int).collect()),
        ),
        ("a0", Value::Map(vec![])),
        (
            "a26161016162820203",
            map(&[
                ("a", Value::Int(1)),
                ("b", Value::Array(vec![Value::Int(2), Value::Int(3)])),
            ]),
        ),
        (
            "826161a161626163",
            Value::Array(vec![text("a"), map(&[("b", text("c"))])]),
        ),
        (
            "a56161614161626142616361436164614461656145",
            map(&[
                ("a", text("A")),
                ("b", text("B")),
                ("c", text("C")),
                ("d", text("D")),
                ("e", text("E")),
            ]),
        ),
    ]);
    for (wire, value) in cases {
        let bytes = hex(wire);
        assert_eq!(read_body(&bytes), Ok(value.clone()), "reading {wire}");
        assert_eq!(write_body(&value), bytes, "writing {value:?}");
        skip_body(&bytes).unwrap_or_else(|e| panic!("skipping {wire}: {e}"));
    }
}

#[test]
fn rfc_8949_half_and_single_floats_read_as_their_values() {
    let cases: [(&str, f64); 16] = [
        ("f90000", 0.0),
        ("f93c00", 1.0),
        ("f93e00", 1.5),
        ("f97bff", 65504.0),
        ("fa47c35000", 100_000.0),
        ("fa7f7fffff", 3.402_823_466_385_288_6e38),
        ("f90001", 5.960_464_477_539_063e-8),
        ("f90400", 0.000_061_035_156_25),
        ("f9c400", -4.0),
        ("f97c00", f64::INFINITY),
        ("f9fc00", f64::NEG_INFINITY),
        ("fa7f800000", f64::INFINITY),
        ("faff800000", f64::NEG_INFINITY),
        // Integers are accepted where a number is expected.
        ("1864", 100.0),
        ("3903e7", -1000.0),
        ("1bffffffffffffffff", 18_446_744_073_709_551_615.0),
    ];
    for (wire, value) in cases {
        let bytes = hex(wire);
        let mut reader = CborReader::new(&bytes);
        assert_eq!(reader.read_f64("F").expect(wire), Some(value), "{wire}");
        reader.finish().expect(wire);
        let mut reader = CborReader::new(&bytes);
        assert_eq!(
            reader.read_f32("F").expect(wire),
            Some(value as f32),
            "{wire}"
        );
    }
    let negative_zero = CborReader::new(&hex("f98000"))
        .read_f64("F")
        .expect("reads");
    assert!(negative_zero.is_some_and(|z| z == 0.0 && z.is_sign_negative()));
    for wire in ["f97e00", "fa7fc00000", "fb7ff8000000000000"] {
        let bytes = hex(wire);
        assert!(CborReader::new(&bytes)
            .read_f64("F")
            .expect(wire)
            .is_some_and(f64::is_nan));
        assert!(CborReader::new(&bytes)
            .read_f32("F")
            .expect(wire)
            .is_some_and(f32::is_nan));
    }
    // A double beyond the f32 range is not silently made infinite.
    let err = CborReader::new(&hex("fb7e37e43c8800759c"))
        .read_f32("Body.ratio")
        .expect_err("1e300");
    assert_eq!(err.kind(), CborErrorKind::OutOfRange);
    assert!(
        err.to_string()
            .starts_with("`Body.ratio`: 1000000000000000"),
        "{err}"
    );
}

#[test]
fn rfc_8949_big_numbers_read_as_decimal_text_and_write_back() {
    let cases = [
        ("1bffffffffffffffff", "18446744073709551615"),
        ("c249010000000000000000", "18446744073709551616"),
        ("3bffffffffffffffff", "-18446744073709551616"),
        ("c349010000000000000000", "-18446744073709551617"),
        ("00", "0"),
        ("20", "-1"),
    ];
    for (wire, decimal) in cases {
        let bytes = hex(wire);
        let mut reader = CborReader::new(&bytes);
        assert_eq!(
            reader.read_big_integer("N").expect(wire).as_deref(),
            Some(decimal)
        );
        reader.finish().expect(wire);
        let mut out = Vec::new();
        CborWriter::new(&mut out)
            .big_integer(decimal)
            .expect(decimal);
        assert_eq!(out, bytes, "writing {decimal}");
    }
    // Tag 4 (decimal fraction) from RFC 8949 3.4.4: 273.15 is [-2, 27315].
    let bytes = hex("c48221196ab3");
    assert_eq!(
        CborReader::new(&bytes)
            .read_big_decimal("D")
            .expect("reads")
            .as_deref(),
        Some("273.15")
    );
    let mut out = Vec::new();
    CborWriter::new(&mut out)
        .big_decimal("273.15")
        .expect("writes");
    assert_eq!(out, bytes);
    // A mantissa beyond 64 bits is a bignum inside the fraction; the text round trips.
    for decimal in [
        "-123456789012345678901234567890.5",
        "0.000001",
        "15e3",
        "-7",
    ] {
        let mut out = Vec::new();
        CborWriter::new(&mut out)
            .big_decimal(decimal)
            .expect(decimal);
        let read = CborReader::new(&out).read_big_decimal("D").expect(decimal);
        assert_eq!(read.as_deref(), Some(decimal));
    }
    // 18446744073709551616 as a timestamp or a long is out of range, not wrapped.
    let bignum = hex("c249010000000000000000");
    let err = CborReader::new(&bignum)
        .read_i64("N")
        .expect_err("a tag is not a long");
    assert_eq!(err.kind(), CborErrorKind::UnexpectedType);
    let err = CborReader::new(&hex("1bffffffffffffffff"))
        .read_i64("N")
        .expect_err("too big");
    assert_eq!(err.kind(), CborErrorKind::OutOfRange);
}

#[test]
fn rfc_8949_indefinite_length_items_read_like_definite_ones() {
    let cases = [
        ("5f42010243030405ff", Value::Bytes(vec![1, 2, 3, 4, 5])),
        ("7f657374726561646d696e67ff", text("streaming")),
        ("9fff", Value::Array(vec![])),
        (
            "9f018202039f0405ffff",
            Value::Array(vec![
                Value::Int(1),
                Value::Array(vec![Value::Int(2), Value::Int(3)]),
                Value::Array(vec![Value::Int(4), Value::Int(5)]),
            ]),
        ),
        (
            "9f01820203820405ff",
            Value::Array(vec![
                Value::Int(1),
                Value::Array(vec![Value::Int(2), Value::Int(3)]),
                Value::Array(vec![Value::Int(4), Value::Int(5)]),
            ]),
        ),
        (
            "83018202039f0405ff",
            Value::Array(vec![
                Value::Int(1),
                Value::Array(vec![Value::Int(2), Value::Int(3)]),
                Value::Array(vec![Value::Int(4), Value::Int(5)]),
            ]),
        ),
        (
            "83019f0203ff820405",
            Value::Array(vec![
                Value::Int(1),
                Value::Array(vec![Value::Int(2), Value::Int(3)]),
                Value::Array(vec![Value::Int(4), Value::Int(5)]),
            ]),
        ),
        (
            "9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff",
            Value::Array((1..=25).map(Value::Int).collect()),
        ),
        (
            "bf61610161629f0203ffff",
            map(&[
                ("a", Value::Int(1)),
                ("b", Value::Array(vec![Value::Int(2), Value::Int(3)])),
            ]),
        ),
        (
            "826161bf61626163ff",
            Value::Array(vec![text("a"), map(&[("b", text("c"))])]),
        ),
        (
            "bf6346756ef563416d7421ff",
            map(&[("Fun", Value::Bool(true)), ("Amt", Value::Int(-2))]),
        ),
    ];
    for (wire, value) in cases {
        let bytes = hex(wire);
        assert_eq!(read_body(&bytes), Ok(value), "reading {wire}");
        skip_body(&bytes).unwrap_or_else(|e| panic!("skipping {wire}: {e}"));
    }
    // A chunked text key borrows nothing but reads the same.
    let bytes = hex("bf7f61616162ff01ff");
    let mut reader = CborReader::new(&bytes);
    assert!(reader.begin_map("M").expect("map"));
    let key = reader.next_key().expect("key").expect("a key");
    assert!(matches!(key, Cow::Owned(ref k) if k == "ab"));
    assert_eq!(reader.read_i32("M.ab"), Ok(Some(1)));
    assert_eq!(reader.next_key(), Ok(None));
    reader.finish().expect("all read");
}

#[test]
fn rfc_8949_items_without_a_reader_are_skipped() {
    for wire in [
        "f7",                                                 // undefined
        "f0",                                                 // simple(16)
        "f8ff",                                               // simple(255)
        "c074323031332d30332d32315432303a30343a30305a",       // 0("2013-03-21T20:04:00Z")
        "d74401020304",                                       // 23(h'01020304')
        "d818456449455446",                                   // 24(h'6449455446')
        "d82076687474703a2f2f7777772e6578616d706c652e636f6d", // 32("http://www.example.com")
        "a201020304",                                         // {1: 2, 3: 4}
        "1bffffffffffffffff",
        "3bffffffffffffffff",
        "c249010000000000000000",
    ] {
        skip_body(&hex(wire)).unwrap_or_else(|e| panic!("skipping {wire}: {e}"));
    }
    // Unknown members of any shape are skipped between known ones.
    let bytes = hex("a3616101617ba20102030461629f01ff");
    let mut reader = CborReader::new(&bytes);
    reader.begin_map("M").expect("map");
    let mut seen = Vec::new();
    while let Some(key) = reader.next_key().expect("key") {
        match key.as_ref() {
            "a" | "b" => seen.push((key.into_owned(), read_value(&mut reader, "M").expect("v"))),
            _ => reader.skip_value().expect("skips"),
        }
    }
    reader.finish().expect("all read");
    assert_eq!(
        seen,
        [
            ("a".to_owned(), Value::Int(1)),
            ("b".to_owned(), Value::Array(vec![Value::Int(1)]))
        ]
    );
}

#[test]
fn timestamps_accept_integers_floats_and_untagged_numbers() {
    let cases = [
        ("c11a514b67b0", EpochSeconds::Whole(1_363_896_240)),
        (
            "c1fb41d452d9ec200000",
            EpochSeconds::Fractional(1_363_896_240.5),
        ),
        ("c1f93e00", EpochSeconds::Fractional(1.5)),
        ("c13a514b67af", EpochSeconds::Whole(-1_363_896_240)),
        ("1a514b67b0", EpochSeconds::Whole(1_363_896_240)),
        (
            "fb41d452d9ec200000",
            EpochSeconds::Fractional(1_363_896_240.5),
        ),
    ];
    for (wire, expected) in cases {
        assert_eq!(
            CborReader::new(&hex(wire)).read_timestamp("T"),
            Ok(Some(expected)),
            "{wire}"
        );
    }
    for wire in ["c060", "c1f97c00", "c16161", "c1fb7e37e43c8800759c"] {
        assert!(
            CborReader::new(&hex(wire)).read_timestamp("T").is_err(),
            "{wire}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Malformed and hostile input

#[test]
fn malformed_bodies_are_errors_with_the_offset() {
    let cases = [
        (
            "1c",
            0,
            "0x1c is not the initial byte of a well-formed data item",
        ),
        ("3f", 0, "0x3f is not the initial byte"),
        ("dfff", 0, "0xdf is not the initial byte"),
        ("fc", 0, "0xfc is not the initial byte"),
        ("8101ff", 2, "1 byte after the end of the body's data item"),
        ("ff", 0, "a break (0xff) outside"),
        ("81ff", 1, "a break (0xff) outside"),
        ("a1ff", 1, "a break (0xff) outside"),
        ("7f4101ff", 1, "a chunk of an indefinite-length text string"),
        (
            "7f7f6161ffff",
            1,
            "a chunk of an indefinite-length text string",
        ),
        ("5f6161ff", 1, "a chunk of an indefinite-length byte string"),
        ("62c328", 0, "invalid utf-8"),
        ("19", 0, "the input ends inside a data item"),
        ("6461", 0, "the input ends inside a data item"),
        ("82", 1, "the input ends where a data item should start"),
        ("9f01", 2, "the input ends where a data item should start"),
        ("f818", 0, "simple value 24 in the two-byte form"),
        ("0000", 1, "1 byte after the end of the body's data item"),
    ];
    for (wire, offset, message) in cases {
        let bytes = hex(wire);
        let mut reader = CborReader::new(&bytes);
        let err = reader
            .skip_value()
            .and_then(|()| reader.finish())
            .expect_err(wire);
        assert_eq!(err.kind(), CborErrorKind::Malformed, "{wire}: {err}");
        assert_eq!(err.offset(), Some(offset), "{wire}: {err}");
        assert!(err.to_string().contains(message), "{wire}: {err}");
        assert!(read_body(&bytes).is_err(), "{wire}");
    }
}

#[test]
fn a_body_nested_deeper_than_the_limit_is_refused() {
    let mut body = vec![0x81; MAX_DEPTH + 1];
    body.push(0x00);
    let err = read_body(&body).expect_err("too deep");
    assert_eq!(err.kind(), CborErrorKind::TooDeep);
    assert_eq!(err.offset(), Some(MAX_DEPTH));
    assert_eq!(
        skip_body(&body).expect_err("too deep to skip").kind(),
        CborErrorKind::TooDeep
    );
    // Exactly at the limit is fine.
    let mut body = vec![0x9f; MAX_DEPTH];
    body.push(0x00);
    body.extend(std::iter::repeat_n(0xff, MAX_DEPTH));
    assert!(read_body(&body).is_ok());
    assert!(skip_body(&body).is_ok());
}

#[test]
fn huge_claimed_lengths_with_no_data_are_errors() {
    for wire in [
        "5bffffffffffffffff",   // a byte string of 2^64 - 1 bytes
        "7bffffffffffffffff",   // a text string of 2^64 - 1 bytes
        "9bffffffffffffffff",   // an array of 2^64 - 1 items
        "bbffffffffffffffff",   // a map of 2^64 - 1 entries
        "9b7fffffffffffffff01", // one item of 2^63 - 1
        "5a7fffffff00",
    ] {
        let bytes = hex(wire);
        let err = read_body(&bytes).expect_err(wire);
        assert_eq!(err.kind(), CborErrorKind::Malformed, "{wire}: {err}");
        assert!(skip_body(&bytes).is_err(), "{wire}");
    }
}

#[test]
fn type_and_range_errors_name_the_member_path() {
    let body = hex("a1646e616d6563616263");
    let mut reader = CborReader::new(&body);
    reader.begin_map("Person").expect("map");
    reader.next_key().expect("key");
    let err = reader
        .read_i32("Person.name")
        .expect_err("text is not an integer");
    assert_eq!(
        err.to_string(),
        "`Person.name`: expected an integer, found a text string (at byte 6)"
    );
    assert_eq!(err.kind(), CborErrorKind::UnexpectedType);

    let err = CborReader::new(&hex("19012c"))
        .read_i8("Item.byte")
        .expect_err("300");
    assert_eq!(
        err.to_string(),
        "`Item.byte`: 300 does not fit in a byte (8-bit integer) (at byte 0)"
    );
    assert_eq!(
        CborReader::new(&hex("397fff")).read_i16("S").expect("fits"),
        Some(-32768)
    );
    assert!(CborReader::new(&hex("398000")).read_i16("S").is_err());
    assert_eq!(
        CborReader::new(&hex("1a7fffffff"))
            .read_i32("I")
            .expect("fits"),
        Some(i32::MAX)
    );
    assert!(CborReader::new(&hex("1a80000000")).read_i32("I").is_err());
    let err = CborReader::new(&hex("a0"))
        .begin_array("List")
        .expect_err("a map");
    assert_eq!(
        err.to_string(),
        "`List`: expected an array, found a map (at byte 0)"
    );
    let err = CborReader::new(&hex("c26161"))
        .read_big_integer("B")
        .expect_err("not bytes");
    assert!(
        err.to_string().contains("a byte string in a bignum tag"),
        "{err}"
    );
}

#[test]
fn nulls_and_undefined_read_as_absent_values() {
    for wire in ["f6", "f7"] {
        let bytes = hex(wire);
        assert_eq!(CborReader::new(&bytes).read_string("S"), Ok(None));
        assert_eq!(CborReader::new(&bytes).read_i64("L"), Ok(None));
        assert_eq!(CborReader::new(&bytes).read_f32("F"), Ok(None));
        assert_eq!(CborReader::new(&bytes).read_blob("B"), Ok(None));
        assert_eq!(CborReader::new(&bytes).read_timestamp("T"), Ok(None));
        assert_eq!(CborReader::new(&bytes).read_big_decimal("D"), Ok(None));
        assert_eq!(CborReader::new(&bytes).begin_map("M"), Ok(false));
        assert_eq!(CborReader::new(&bytes).begin_array("A"), Ok(false));
    }
    // A sparse list: [1, null, 3].
    let body = hex("8301f603");
    let mut reader = CborReader::new(&body);
    reader.begin_array("L").expect("array");
    let mut items = Vec::new();
    while reader.next_item().expect("item") {
        items.push(reader.read_i32("L[]").expect("int or null"));
    }
    reader.finish().expect("all read");
    assert_eq!(items, [Some(1), None, Some(3)]);
}

#[test]
fn an_empty_body_is_an_empty_map_and_a_self_describe_tag_is_skipped() {
    let mut reader = CborReader::new(&[]);
    assert_eq!(reader.begin_map("Output"), Ok(true));
    assert_eq!(reader.next_key(), Ok(None));
    reader.finish().expect("all read");
    assert_eq!(read_body(&hex("d9d9f7a0")), Ok(Value::Map(vec![])));
}

#[test]
fn misusing_the_reader_is_an_error_not_a_panic() {
    let mut reader = CborReader::new(&[0x80]);
    assert_eq!(
        reader.next_key().expect_err("nothing open").kind(),
        CborErrorKind::Misuse
    );
    reader.begin_array("A").expect("array");
    assert_eq!(
        reader.next_key().expect_err("in an array").kind(),
        CborErrorKind::Misuse
    );
    let mut reader = CborReader::new(&[0x81, 0x00]);
    reader.begin_array("A").expect("array");
    assert_eq!(
        reader.finish().expect_err("not read").kind(),
        CborErrorKind::Misuse
    );
}

/// A DynamoDB-like item: nested maps and lists of strings and numbers, 20 attributes.
fn dynamodb_item() -> Value {
    let attribute = |kind: &str, value: Value| map(&[(kind, value)]);
    let mut entries = vec![
        ("pk".to_owned(), attribute("S", text("USER#1234567890"))),
        ("sk".to_owned(), attribute("S", text("PROFILE#2024-01-01"))),
        ("age".to_owned(), attribute("N", text("42"))),
        ("active".to_owned(), attribute("BOOL", Value::Bool(true))),
        (
            "avatar".to_owned(),
            attribute("B", Value::Bytes(vec![0x89, b'P', b'N', b'G'])),
        ),
        (
            "tags".to_owned(),
            attribute(
                "SS",
                Value::Array(vec![text("admin"), text("beta"), text("ops")]),
            ),
        ),
        (
            "address".to_owned(),
            attribute(
                "M",
                map(&[
                    ("street", attribute("S", text("1 Main St"))),
                    ("zip", attribute("N", text("98101"))),
                ]),
            ),
        ),
        ("deleted".to_owned(), attribute("NULL", Value::Bool(true))),
    ];
    for i in entries.len()..20 {
        entries.push((
            format!("attr{i}"),
            attribute("N", text(&format!("{}", i * 1000 + 7))),
        ));
    }
    Value::Map(entries)
}

#[test]
fn a_dynamodb_like_item_round_trips_and_minicbor_reads_it_the_same() {
    let item = dynamodb_item();
    let body = write_body(&item);
    assert_eq!(read_body(&body), Ok(item.clone()));
    skip_body(&body).expect("skips");
    // An independent decoder agrees on the structure: a map of 20 entries.
    assert_eq!(
        minicbor::Decoder::new(&body).map().expect("a map"),
        Some(20)
    );
    let mut theirs = minicbor::Decoder::new(&body);
    theirs.skip().expect("skips");
    assert_eq!(theirs.position(), body.len());
}

#[test]
fn a_map_begun_with_more_than_23_entries_fixes_its_head_and_nested_offsets() {
    let mut out = Vec::new();
    {
        let mut outer = CborMapWriter::new(&mut out);
        let mut inner = outer.key("inner").start_map();
        for i in 0..300 {
            inner.key(&format!("k{i}")).integer(i);
        }
        inner.finish();
        outer.key("after").string("x");
        outer.finish();
    }
    let value = read_body(&out).expect("reads");
    let Value::Map(entries) = value else {
        panic!("a map")
    };
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1], ("after".to_owned(), text("x")));
    let Value::Map(inner) = &entries[0].1 else {
        panic!("a map")
    };
    assert_eq!(inner.len(), 300);
    assert_eq!(inner[299], ("k299".to_owned(), Value::Int(299)));
}

// ---------------------------------------------------------------------------------------------
// Properties

fn fixed(cases: u32) -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x0CB0_2017),
        ..ProptestConfig::with_cases(cases)
    }
}

fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(Value::Int),
        any::<f64>().prop_map(Value::Double),
        ".{0,12}".prop_map(Value::Text),
        vec(any::<u8>(), 0..12).prop_map(Value::Bytes),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
        (-1.0e12..1.0e12f64).prop_map(|f| Value::Timestamp(EpochSeconds::Fractional(f))),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..8).prop_map(Value::Array),
            vec((".{0,8}", inner), 0..8).prop_map(Value::Map),
        ]
    })
}

/// A small deterministic generator for the encoding choices below.
struct Choices(u64);

impl Choices {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn flip(&mut self) -> bool {
        self.next() & 1 == 1
    }
}

/// Writes `value` with minicbor's encoder, choosing definite or indefinite lengths, chunked or
/// whole strings, and the narrowest exact float width at random.
fn write_with_minicbor(e: &mut minicbor::Encoder<Vec<u8>>, value: &Value, choices: &mut Choices) {
    match value {
        Value::Int(n) => {
            e.i64(*n).expect("writes");
        }
        Value::Double(f) => {
            let single = *f as f32;
            if f64::from(single).to_bits() == f.to_bits() && choices.flip() {
                e.f32(single).expect("writes");
            } else {
                e.f64(*f).expect("writes");
            }
        }
        Value::Text(s) => {
            if choices.flip() {
                e.begin_str().expect("writes");
                let mut rest = s.as_str();
                while !rest.is_empty() {
                    let mut cut = (choices.next() as usize % rest.len()) + 1;
                    while !rest.is_char_boundary(cut) {
                        cut += 1;
                    }
                    e.str(&rest[..cut]).expect("writes");
                    rest = &rest[cut..];
                }
                e.end().expect("writes");
            } else {
                e.str(s).expect("writes");
            }
        }
        Value::Bytes(b) => {
            if choices.flip() {
                e.begin_bytes().expect("writes");
                for chunk in b.chunks(3) {
                    e.bytes(chunk).expect("writes");
                }
                e.end().expect("writes");
            } else {
                e.bytes(b).expect("writes");
            }
        }
        Value::Bool(b) => {
            e.bool(*b).expect("writes");
        }
        Value::Null | Value::Skipped => {
            if choices.flip() {
                e.null().expect("writes");
            } else {
                e.undefined().expect("writes");
            }
        }
        Value::Timestamp(EpochSeconds::Fractional(f)) => {
            e.tag(minicbor::data::Tag::new(1)).expect("writes");
            e.f64(*f).expect("writes");
        }
        Value::Timestamp(EpochSeconds::Whole(s)) => {
            e.tag(minicbor::data::Tag::new(1)).expect("writes");
            e.i64(*s).expect("writes");
        }
        Value::Array(items) => {
            let indefinite = choices.flip();
            if indefinite {
                e.begin_array().expect("writes");
            } else {
                e.array(items.len() as u64).expect("writes");
            }
            for item in items {
                write_with_minicbor(e, item, choices);
            }
            if indefinite {
                e.end().expect("writes");
            }
        }
        Value::Map(entries) => {
            let indefinite = choices.flip();
            if indefinite {
                e.begin_map().expect("writes");
            } else {
                e.map(entries.len() as u64).expect("writes");
            }
            for (key, value) in entries {
                write_with_minicbor(e, &Value::Text(key.clone()), choices);
                write_with_minicbor(e, value, choices);
            }
            if indefinite {
                e.end().expect("writes");
            }
        }
    }
}

proptest! {
    #![proptest_config(fixed(256))]

    #[test]
    fn values_round_trip_through_our_writer_and_reader(value in arb_value()) {
        let body = write_body(&value);
        prop_assert_eq!(read_body(&body), Ok(value));
        prop_assert!(skip_body(&body).is_ok());
        // An independent decoder finds exactly one well-formed item.
        let mut theirs = minicbor::Decoder::new(&body);
        prop_assert!(theirs.skip().is_ok());
        prop_assert_eq!(theirs.position(), body.len());
    }

    #[test]
    fn bodies_with_indefinite_lengths_and_chunks_read_the_same(value in arb_value(), seed in 1u64..) {
        let mut encoder = minicbor::Encoder::new(Vec::new());
        write_with_minicbor(&mut encoder, &value, &mut Choices(seed));
        let body = encoder.into_writer();
        prop_assert_eq!(read_body(&body), Ok(value));
        prop_assert!(skip_body(&body).is_ok());
    }

    #[test]
    fn every_truncation_of_a_body_is_an_error(value in arb_value(), cut in any::<prop::sample::Index>()) {
        let body = write_body(&value);
        let cut = cut.index(body.len());
        // An empty body reads as an empty map, so cut at least one byte in.
        prop_assume!(cut > 0);
        prop_assert!(read_body(&body[..cut]).is_err());
        prop_assert!(skip_body(&body[..cut]).is_err());
    }

    #[test]
    fn random_bytes_never_panic(bytes in vec(any::<u8>(), 0..64)) {
        let _ = read_body(&bytes);
        let _ = skip_body(&bytes);
        let mut reader = CborReader::new(&bytes);
        let _ = reader.read_big_decimal("D");
        let _ = CborReader::new(&bytes).read_big_integer("B");
        let _ = CborReader::new(&bytes).read_timestamp("T");
        let _ = CborReader::new(&bytes).read_f32("F");
    }

    #[test]
    fn corrupted_bodies_never_panic(value in arb_value(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut body = write_body(&value);
        let at = at.index(body.len());
        body[at] = byte;
        let _ = read_body(&body);
        let _ = skip_body(&body);
    }

    #[test]
    fn big_integers_round_trip_as_text(negative in any::<bool>(), digits in "[1-9][0-9]{0,80}") {
        let text = if negative { format!("-{digits}") } else { digits };
        let mut out = Vec::new();
        CborWriter::new(&mut out).big_integer(&text).expect("writes");
        prop_assert_eq!(CborReader::new(&out).read_big_integer("B"), Ok(Some(text)));
    }
}
