//! Fixtures for the DynamoDB benches in `benches/dynamodb.rs`: one 20-attribute item of every
//! `AttributeValue` kind, written as the GetItem response bodies a service sends (DynamoDB JSON
//! for awsJson1_0, CBOR for rpcv2Cbor) independently of the clients under test (`serde_json`,
//! `base64` and `minicbor`), and conversions between the item and each client's
//! `AttributeValue`, so the benches and tests can check that every client reads the same item.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use bytes::Bytes;
use dynamodb::config::{BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

/// The region every bench client is configured with.
pub const REGION: &str = "us-east-1";
/// The access key id every bench client signs with.
pub const ACCESS_KEY: &str = "AKIDEXAMPLE";
/// The secret key every bench client signs with.
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// The fixed signing time (seconds since the epoch: 2024-01-01T00:00:00Z).
pub const SIGNING_TIME_SECS: u64 = 1_704_067_200;
/// The table every request names.
pub const TABLE: &str = "bench-orders";

/// A DynamoDB attribute value, independent of any client.
#[derive(Debug, Clone, PartialEq)]
pub enum Attr {
    /// `S`
    S(String),
    /// `N` (numbers travel as strings)
    N(String),
    /// `B`
    B(Vec<u8>),
    /// `BOOL`
    Bool(bool),
    /// `NULL`
    Null,
    /// `SS`
    Ss(Vec<String>),
    /// `NS`
    Ns(Vec<String>),
    /// `BS`
    Bs(Vec<Vec<u8>>),
    /// `L`
    L(Vec<Attr>),
    /// `M`
    M(Item),
    /// A value a client could not read (never in the fixtures; makes comparisons fail).
    Unknown,
}

/// An item: attribute names to values.
pub type Item = BTreeMap<String, Attr>;

fn s(value: &str) -> Attr {
    Attr::S(value.to_owned())
}

fn n(value: &str) -> Attr {
    Attr::N(value.to_owned())
}

fn map(pairs: Vec<(&str, Attr)>) -> Item {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn bytes(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| seed.wrapping_add((i as u8).wrapping_mul(37)))
        .collect()
}

/// The key of the item (`pk` and `sk`).
pub fn key() -> Item {
    map(vec![
        ("pk", s("customer#8841")),
        ("sk", s("order#2026-12-07T14:03:11Z#0042")),
    ])
}

/// The 20-attribute item (the key included): 6 strings (one with escapes and non-ASCII text),
/// 4 numbers, a 48-byte blob, 2 booleans, a null, a string set, a number set, a binary set, a
/// list of mixed values and 2 maps (with nested maps and lists).
pub fn item() -> Item {
    let mut item = key();
    item.extend(map(vec![
        ("customer_name", s("Ada Lovelace")),
        ("email", s("ada.lovelace@example.com")),
        ("status", s("SHIPPED")),
        (
            "gift_note",
            s("For \"Charles\": happy birthday! \u{e9}t\u{e9} \u{2603}\nSee you soon."),
        ),
        ("total", n("1234.56")),
        ("quantity", n("3")),
        ("weight_kg", n("0.0042")),
        ("created_epoch", n("1765116191")),
        ("signature", Attr::B(bytes(48, 7))),
        ("express", Attr::Bool(true)),
        ("returned", Attr::Bool(false)),
        ("coupon", Attr::Null),
        (
            "tags",
            Attr::Ss(
                ["gift", "fragile", "priority", "eu"]
                    .map(String::from)
                    .to_vec(),
            ),
        ),
        (
            "ratings",
            Attr::Ns(["5", "4.5", "-1", "1E+3"].map(String::from).to_vec()),
        ),
        (
            "thumbnails",
            Attr::Bs(vec![bytes(16, 1), bytes(16, 2), bytes(16, 3)]),
        ),
        (
            "history",
            Attr::L(vec![
                s("created"),
                s("paid"),
                n("2"),
                Attr::Bool(true),
                Attr::Null,
                Attr::L(vec![s("warehouse-7"), n("17")]),
                Attr::M(map(vec![("event", s("shipped")), ("at", n("1765119791"))])),
            ]),
        ),
        (
            "shipping_address",
            Attr::M(map(vec![
                ("street", s("12 Analytical Engine Road")),
                ("city", s("London")),
                ("postcode", s("SW1A 1AA")),
                ("country", s("GB")),
                (
                    "geo",
                    Attr::M(map(vec![("lat", n("51.5014")), ("lon", n("-0.1419"))])),
                ),
            ])),
        ),
        (
            "lines",
            Attr::M(map(vec![
                (
                    "sku-1001",
                    Attr::M(map(vec![
                        ("qty", n("1")),
                        ("price", n("999.00")),
                        ("options", Attr::L(vec![s("red"), s("xl")])),
                    ])),
                ),
                (
                    "sku-2002",
                    Attr::M(map(vec![
                        ("qty", n("2")),
                        ("price", n("117.78")),
                        ("options", Attr::L(vec![])),
                    ])),
                ),
            ])),
        ),
    ]));
    item
}

// ---------------------------------------------------------------------------------------------
// DynamoDB JSON (awsJson1_0)

/// `attr` in DynamoDB JSON (`{"S": "..."}`, blobs in base64).
pub fn attr_json(attr: &Attr) -> Value {
    let b64 = |b: &[u8]| Value::String(base64::engine::general_purpose::STANDARD.encode(b));
    match attr {
        Attr::S(v) => json!({ "S": v }),
        Attr::N(v) => json!({ "N": v }),
        Attr::B(v) => json!({ "B": b64(v) }),
        Attr::Bool(v) => json!({ "BOOL": v }),
        Attr::Null => json!({ "NULL": true }),
        Attr::Ss(v) => json!({ "SS": v }),
        Attr::Ns(v) => json!({ "NS": v }),
        Attr::Bs(v) => json!({ "BS": v.iter().map(|b| b64(b)).collect::<Vec<_>>() }),
        Attr::L(v) => json!({ "L": v.iter().map(attr_json).collect::<Vec<_>>() }),
        Attr::M(v) => json!({ "M": item_json(v) }),
        Attr::Unknown => json!({}),
    }
}

/// `item` in DynamoDB JSON.
pub fn item_json(item: &Item) -> Value {
    Value::Object(
        item.iter()
            .map(|(k, v)| (k.clone(), attr_json(v)))
            .collect::<Map<String, Value>>(),
    )
}

/// The body of a GetItem response (awsJson1_0) carrying `item`.
pub fn get_item_json(item: &Item) -> String {
    json!({ "Item": item_json(item) }).to_string()
}

// ---------------------------------------------------------------------------------------------
// CBOR (rpcv2Cbor)

type Encoder = minicbor::Encoder<Vec<u8>>;
type EncodeError = minicbor::encode::Error<Infallible>;

fn len(n: usize) -> u64 {
    // A `usize` always fits in a `u64` on the targets Rust supports.
    n as u64
}

fn attr_cbor(e: &mut Encoder, attr: &Attr) -> Result<(), EncodeError> {
    e.map(1)?;
    match attr {
        Attr::S(v) => e.str("S")?.str(v)?,
        Attr::N(v) => e.str("N")?.str(v)?,
        Attr::B(v) => e.str("B")?.bytes(v)?,
        Attr::Bool(v) => e.str("BOOL")?.bool(*v)?,
        Attr::Null => e.str("NULL")?.bool(true)?,
        Attr::Ss(v) | Attr::Ns(v) => {
            e.str(if matches!(attr, Attr::Ss(_)) {
                "SS"
            } else {
                "NS"
            })?;
            e.array(len(v.len()))?;
            for s in v {
                e.str(s)?;
            }
            e
        }
        Attr::Bs(v) => {
            e.str("BS")?.array(len(v.len()))?;
            for b in v {
                e.bytes(b)?;
            }
            e
        }
        Attr::L(v) => {
            e.str("L")?.array(len(v.len()))?;
            for a in v {
                attr_cbor(e, a)?;
            }
            e
        }
        Attr::M(v) => {
            e.str("M")?;
            return item_cbor(e, v);
        }
        Attr::Unknown => e.str("Unknown")?.null()?,
    };
    Ok(())
}

fn item_cbor(e: &mut Encoder, item: &Item) -> Result<(), EncodeError> {
    e.map(len(item.len()))?;
    for (k, v) in item {
        e.str(k)?;
        attr_cbor(e, v)?;
    }
    Ok(())
}

/// The body of a GetItem response (rpcv2Cbor) carrying `item`: a definite-length CBOR map
/// `{"Item": {name: {"S": text}, ...}}`, blobs as byte strings.
pub fn get_item_cbor(item: &Item) -> Result<Vec<u8>, EncodeError> {
    let mut e = Encoder::new(Vec::new());
    e.map(1)?.str("Item")?;
    item_cbor(&mut e, item)?;
    Ok(e.into_writer())
}

// ---------------------------------------------------------------------------------------------
// Each client's AttributeValue

/// Conversions between [`Attr`] and one client's `AttributeValue` (all three clients name the
/// union's variants alike).
macro_rules! client_conversions {
    ($(#[$doc:meta])* $module:ident, $krate:ident) => {
        $(#[$doc])*
        pub mod $module {
            use std::collections::HashMap;

            use $krate::primitives::Blob;
            use $krate::types::AttributeValue;

            use super::{Attr, Item};

            /// `attr` as the client's value.
            pub fn value(attr: &Attr) -> AttributeValue {
                match attr {
                    Attr::S(v) => AttributeValue::S(v.clone()),
                    Attr::N(v) => AttributeValue::N(v.clone()),
                    Attr::B(v) => AttributeValue::B(Blob::new(v.clone())),
                    Attr::Bool(v) => AttributeValue::Bool(*v),
                    Attr::Null => AttributeValue::Null(true),
                    Attr::Ss(v) => AttributeValue::Ss(v.clone()),
                    Attr::Ns(v) => AttributeValue::Ns(v.clone()),
                    Attr::Bs(v) => {
                        AttributeValue::Bs(v.iter().map(|b| Blob::new(b.clone())).collect())
                    }
                    Attr::L(v) => AttributeValue::L(v.iter().map(value).collect()),
                    Attr::M(v) => AttributeValue::M(item(v)),
                    // Not a value any client can send.
                    Attr::Unknown => AttributeValue::Null(false),
                }
            }

            /// `item` as the client's map.
            pub fn item(item: &Item) -> HashMap<String, AttributeValue> {
                item.iter().map(|(k, v)| (k.clone(), value(v))).collect()
            }

            /// The client's value as an [`Attr`].
            pub fn attr(value: &AttributeValue) -> Attr {
                match value {
                    AttributeValue::S(v) => Attr::S(v.clone()),
                    AttributeValue::N(v) => Attr::N(v.clone()),
                    AttributeValue::B(v) => Attr::B(v.as_ref().to_vec()),
                    AttributeValue::Bool(v) => Attr::Bool(*v),
                    AttributeValue::Null(true) => Attr::Null,
                    AttributeValue::Ss(v) => Attr::Ss(v.clone()),
                    AttributeValue::Ns(v) => Attr::Ns(v.clone()),
                    AttributeValue::Bs(v) => {
                        Attr::Bs(v.iter().map(|b| b.as_ref().to_vec()).collect())
                    }
                    AttributeValue::L(v) => Attr::L(v.iter().map(attr).collect()),
                    AttributeValue::M(v) => Attr::M(from_item(v)),
                    _ => Attr::Unknown,
                }
            }

            /// The client's map as an [`Item`].
            pub fn from_item(item: &HashMap<String, AttributeValue>) -> Item {
                item.iter().map(|(k, v)| (k.clone(), attr(v))).collect()
            }
        }
    };
}

client_conversions!(
    /// The generated client over awsJson1_0 (`bench/dynamodb/gen/dynamodb`).
    ours,
    dynamodb
);
client_conversions!(
    /// The generated client over rpcv2Cbor (`bench/dynamodb/gen/dynamodb-cbor`).
    ours_cbor,
    dynamodb_cbor
);
client_conversions!(
    /// The official `aws-sdk-dynamodb`.
    theirs,
    aws_sdk_dynamodb
);

// ---------------------------------------------------------------------------------------------
// Clients answering at once

/// The fixed signing time.
pub fn signing_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(SIGNING_TIME_SECS)
}

/// The headers of a successful awsJson1_0 response.
pub const JSON_HEADERS: &[(&str, &str)] = &[
    ("content-type", "application/x-amz-json-1.0"),
    ("x-amzn-requestid", "bench-request-id"),
];
/// The headers of a successful rpcv2Cbor response.
pub const CBOR_HEADERS: &[(&str, &str)] = &[
    ("content-type", "application/cbor"),
    ("smithy-protocol", "rpc-v2-cbor"),
    ("x-amzn-requestid", "bench-request-id"),
];

/// An `HttpClient` of the generated clients answering every request at once with one canned
/// `200` response, recording nothing (the counterpart of the official `infallible_client_fn`).
#[derive(Debug, Clone)]
pub struct StaticClient {
    body: Bytes,
    headers: &'static [(&'static str, &'static str)],
}

impl StaticClient {
    /// Answers with `body` and `headers`.
    pub fn new(body: impl Into<Bytes>, headers: &'static [(&'static str, &'static str)]) -> Self {
        Self {
            body: body.into(),
            headers,
        }
    }
}

impl HttpClient for StaticClient {
    fn call(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        let mut response = HttpResponse::new(self.body.clone());
        for (name, value) in self.headers {
            response
                .headers_mut()
                .insert(*name, http::HeaderValue::from_static(value));
        }
        Box::pin(async move { Ok(response) })
    }
}

/// A generated client (`dynamodb` or `dynamodb_cbor`): region `us-east-1`, static credentials,
/// the fixed signing time, retries off, answering from `http`.
macro_rules! our_client {
    ($(#[$doc:meta])* $name:ident, $krate:ident) => {
        $(#[$doc])*
        pub fn $name(http: StaticClient) -> $krate::Client {
            use $krate::config::{Credentials, Region, RetryConfig, StaticTimeSource};
            $krate::Client::from_conf(
                $krate::Config::builder()
                    .region(Region::new(REGION))
                    .credentials_provider(Credentials::new(
                        ACCESS_KEY, SECRET_KEY, None, None, "bench",
                    ))
                    .retry_config(RetryConfig::disabled())
                    .time_source(StaticTimeSource::new(signing_time()))
                    .http_client(http)
                    .build(),
            )
        }
    };
}

our_client!(
    /// The generated awsJson1_0 client.
    our_client,
    dynamodb
);
our_client!(
    /// The generated rpcv2Cbor client.
    our_cbor_client,
    dynamodb_cbor
);

/// The official client, configured as the generated ones, answering at once with `body`
/// (`infallible_client_fn`).
pub fn their_client(body: impl Into<Bytes>) -> aws_sdk_dynamodb::Client {
    use aws_sdk_dynamodb::config::retry::RetryConfig;
    use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
    use aws_smithy_types::body::SdkBody;
    let body: Bytes = body.into();
    let http = aws_smithy_http_client::test_util::infallible_client_fn(move |_request| {
        let mut response = http::Response::new(SdkBody::from(body.clone()));
        for (name, value) in JSON_HEADERS {
            response
                .headers_mut()
                .insert(*name, http::HeaderValue::from_static(value));
        }
        response
    });
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new(
            ACCESS_KEY, SECRET_KEY, None, None, "bench",
        ))
        .retry_config(RetryConfig::disabled())
        .time_source(aws_smithy_async::time::StaticTimeSource::new(signing_time()))
        .http_client(http)
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count_kinds(item: &Item, kinds: &mut BTreeMap<&'static str, usize>) {
        fn visit(attr: &Attr, kinds: &mut BTreeMap<&'static str, usize>) {
            let kind = match attr {
                Attr::S(_) => "S",
                Attr::N(_) => "N",
                Attr::B(_) => "B",
                Attr::Bool(_) => "BOOL",
                Attr::Null => "NULL",
                Attr::Ss(_) => "SS",
                Attr::Ns(_) => "NS",
                Attr::Bs(_) => "BS",
                Attr::L(v) => {
                    v.iter().for_each(|a| visit(a, kinds));
                    "L"
                }
                Attr::M(v) => {
                    count_kinds(v, kinds);
                    "M"
                }
                Attr::Unknown => "Unknown",
            };
            *kinds.entry(kind).or_default() += 1;
        }
        item.values().for_each(|a| visit(a, kinds));
    }

    #[test]
    fn the_item_has_20_attributes_of_every_kind() {
        let item = item();
        assert_eq!(item.len(), 20);
        let mut kinds = BTreeMap::new();
        count_kinds(&item, &mut kinds);
        for kind in ["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"] {
            assert!(kinds.contains_key(kind), "no {kind} in the item");
        }
        assert!(!kinds.contains_key("Unknown"));
    }

    #[test]
    fn json_body_is_dynamodb_json() {
        let body: Value = serde_json::from_str(&get_item_json(&item())).unwrap();
        assert_eq!(body["Item"]["pk"], json!({"S": "customer#8841"}));
        assert_eq!(body["Item"]["coupon"], json!({"NULL": true}));
        assert_eq!(body["Item"]["geo"], Value::Null);
        assert_eq!(
            body["Item"]["shipping_address"]["M"]["geo"]["M"]["lat"],
            json!({"N": "51.5014"})
        );
        let sig = body["Item"]["signature"]["B"].as_str().unwrap();
        assert_eq!(
            base64::engine::general_purpose::STANDARD
                .decode(sig)
                .unwrap(),
            bytes(48, 7)
        );
    }

    #[test]
    fn cbor_body_starts_with_the_item_map() {
        let body = get_item_cbor(&item()).unwrap();
        // map(1), text(4) "Item", map(20)
        assert_eq!(&body[..7], &[0xa1, 0x64, b'I', b't', b'e', b'm', 0xb4]);
        let mut d = minicbor::Decoder::new(&body);
        // The whole body is one well-formed data item.
        d.skip().unwrap();
        assert_eq!(d.position(), body.len());
    }

    #[test]
    fn conversions_round_trip() {
        let item = item();
        assert_eq!(ours::from_item(&ours::item(&item)), item);
        assert_eq!(ours_cbor::from_item(&ours_cbor::item(&item)), item);
        assert_eq!(theirs::from_item(&theirs::item(&item)), item);
    }
}
