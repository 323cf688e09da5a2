//! CBOR bodies compared as data items, decoded by an implementation independent of the
//! runtime's (`ciborium`): map entries in any order, integers and floats by value (a float's
//! width is not compared: half, single and double precision holding the same number are the
//! same), definite and indefinite lengths alike, tags kept.

use ciborium::value::Value;

/// Decodes a whole CBOR body into one data item.
fn decode(bytes: &[u8], what: &str) -> Value {
    ciborium::de::from_reader(bytes)
        .unwrap_or_else(|err| panic!("the {what} body is not CBOR ({err}): {bytes:02x?}"))
}

/// The item with every map's entries sorted (by their keys' diagnostic text), so that key
/// order does not matter.
fn normalize(value: Value) -> Value {
    match value {
        Value::Map(entries) => {
            let mut entries: Vec<(Value, Value)> = entries
                .into_iter()
                .map(|(k, v)| (normalize(k), normalize(v)))
                .collect();
            entries.sort_by_key(|(k, _)| format!("{k:?}"));
            Value::Map(entries)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(normalize).collect()),
        Value::Tag(tag, inner) => Value::Tag(tag, Box::new(normalize(*inner))),
        other => other,
    }
}

/// Equality of normalized items, with NaN equal to NaN.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| same(ka, kb) && same(va, vb))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Tag(ta, a), Value::Tag(tb, b)) => ta == tb && same(a, b),
        _ => a == b,
    }
}

/// Fails when the two bodies do not hold the same data item.
pub fn assert_same_cbor(actual: &[u8], expected: &[u8]) {
    let got = normalize(decode(actual, "request"));
    let want = normalize(decode(expected, "case's"));
    assert!(
        same(&got, &want),
        "CBOR body differs:\n  actual:   {got:?}\n  expected: {want:?}\n  actual bytes: {actual:02x?}"
    );
}
