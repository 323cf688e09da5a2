//! End to end: the Amazon DynamoDB client generated from the current AWS model (awsJson1_0,
//! `tests/dynamodb`) against a fake DynamoDB on 127.0.0.1 that keeps one table in memory and
//! answers `PutItem`, `GetItem` and `Query` from it as the service documents them.
//!
//! Checked: the awsJson1_0 request (`POST /`, `X-Amz-Target`, `application/x-amz-json-1.0`, a
//! SigV4 signature for `dynamodb` verified with `aws-sigv4`), attribute values of every kind
//! written and read back through the `AttributeValue` union, `Query` pagination following a
//! map next token (`LastEvaluatedKey` -> `ExclusiveStartKey`), async and blocking
//! (`send_blocking()`, feature `blocking`), a repeated token stopping the paginator, and modeled
//! errors from `__type`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use dynamodb::error::ProvideErrorMetadata;
use dynamodb::operation::get_item::GetItemError;
use dynamodb::primitives::Blob;
use dynamodb::types::AttributeValue;
use e2e_tests::server::{RecordedRequest, Reply, TestServer};
use e2e_tests::sigv4::{self, SigningKey};
use serde_json::{json, Value};

const TABLE: &str = "Music";

fn signing_key() -> SigningKey {
    SigningKey {
        service: "dynamodb".to_owned(),
        ..SigningKey::test(e2e_tests::REGION)
    }
}

fn client(url: &str) -> dynamodb::Client {
    let settings = e2e_tests::test_settings(url, &signing_key());
    dynamodb::Client::from_conf(dynamodb::config::Builder::from(settings).build())
}

/// Items by (Artist, SongTitle), kept as the JSON the client sent.
type Table = BTreeMap<(String, String), serde_json::Map<String, Value>>;

/// The fake's behaviour beyond the table: a `Query` that always answers with the same
/// `LastEvaluatedKey` (a misbehaving service).
#[derive(Default)]
struct Fake {
    table: Table,
    repeat_last_key: bool,
}

fn key_string(item: &serde_json::Map<String, Value>, name: &str) -> Option<String> {
    item.get(name)?.get("S")?.as_str().map(str::to_owned)
}

fn error(code: &str, message: &str) -> Reply {
    Reply::json(
        400,
        &json!({"__type": format!("com.amazonaws.dynamodb.v20120810#{code}"), "message": message}),
    )
    .header("content-type", "application/x-amz-json-1.0")
}

fn ok(body: &Value) -> Reply {
    Reply::new(200)
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amzn-requestid", "rid-1")
        .body(body.to_string())
}

/// Answers one request as DynamoDB would (the parts the tests use).
fn answer(fake: &Mutex<Fake>, request: &RecordedRequest) -> Reply {
    let mut fake = fake.lock().unwrap_or_else(|p| p.into_inner());
    let Some(body) = request.json() else {
        return error("SerializationException", "no body");
    };
    if body["TableName"] != TABLE {
        return error(
            "ResourceNotFoundException",
            "Requested resource not found: Table not found",
        );
    }
    let target = request.header("x-amz-target").unwrap_or_default();
    match target {
        "DynamoDB_20120810.PutItem" => {
            let Some(item) = body["Item"].as_object().cloned() else {
                return error("ValidationException", "Item missing");
            };
            let (Some(artist), Some(song)) =
                (key_string(&item, "Artist"), key_string(&item, "SongTitle"))
            else {
                return error("ValidationException", "key attributes missing");
            };
            fake.table.insert((artist, song), item);
            ok(&json!({}))
        }
        "DynamoDB_20120810.GetItem" => {
            let key = body["Key"].as_object().cloned().unwrap_or_default();
            let (Some(artist), Some(song)) =
                (key_string(&key, "Artist"), key_string(&key, "SongTitle"))
            else {
                return error("ValidationException", "key attributes missing");
            };
            match fake.table.get(&(artist, song)) {
                Some(item) => ok(&json!({"Item": item})),
                None => ok(&json!({})),
            }
        }
        "DynamoDB_20120810.Query" => {
            if body["KeyConditionExpression"] != "Artist = :artist" {
                return error("ValidationException", "unsupported key condition");
            }
            let Some(artist) = body["ExpressionAttributeValues"][":artist"]["S"].as_str() else {
                return error("ValidationException", ":artist missing");
            };
            let limit = body["Limit"].as_u64().unwrap_or(u64::MAX) as usize;
            let after = body
                .get("ExclusiveStartKey")
                .and_then(Value::as_object)
                .and_then(|k| key_string(k, "SongTitle"));
            let matching: Vec<&serde_json::Map<String, Value>> = fake
                .table
                .iter()
                .filter(|((a, s), _)| {
                    a == artist && after.as_ref().filter(|after| s <= *after).is_none()
                })
                .map(|(_, item)| item)
                .collect();
            let page: Vec<&serde_json::Map<String, Value>> =
                matching.iter().take(limit).copied().collect();
            let mut answer =
                json!({"Items": page, "Count": page.len(), "ScannedCount": page.len()});
            let more = matching.len() > page.len();
            if let (true, Some(last)) = (more || fake.repeat_last_key, page.last()) {
                answer["LastEvaluatedKey"] =
                    json!({"Artist": last["Artist"], "SongTitle": last["SongTitle"]});
            }
            if fake.repeat_last_key {
                answer["LastEvaluatedKey"] =
                    json!({"Artist": {"S": artist}, "SongTitle": {"S": "always the same"}});
            }
            ok(&answer)
        }
        other => error(
            "UnknownOperationException",
            &format!("unknown target {other}"),
        ),
    }
}

async fn start(fake: Arc<Mutex<Fake>>) -> TestServer {
    TestServer::start(move |request| answer(&fake, request)).await
}

/// What every request must carry.
fn assert_aws_json(request: &RecordedRequest, operation: &str) {
    assert_eq!(request.method, "POST", "{request:?}");
    assert_eq!(request.path, "/", "{request:?}");
    assert_eq!(request.query, None, "{request:?}");
    assert_eq!(
        request.header("x-amz-target"),
        Some(format!("DynamoDB_20120810.{operation}").as_str())
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-amz-json-1.0")
    );
    sigv4::verify(request, &signing_key()).unwrap_or_else(|err| panic!("{err}"));
    let authorization = request.header("authorization").unwrap_or_default();
    assert!(
        authorization.contains("/us-east-1/dynamodb/aws4_request, "),
        "{authorization}"
    );
}

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_owned())
}

fn n(value: &str) -> AttributeValue {
    AttributeValue::N(value.to_owned())
}

/// An item with every kind of attribute value, nested ones included: 20 attributes.
fn song(artist: &str, title: &str) -> HashMap<String, AttributeValue> {
    let mut item = HashMap::new();
    item.insert("Artist".to_owned(), s(artist));
    item.insert("SongTitle".to_owned(), s(title));
    item.insert("AlbumTitle".to_owned(), s("Somewhat Famous"));
    item.insert("Year".to_owned(), n("2015"));
    item.insert("Price".to_owned(), n("-1.25e3"));
    item.insert("Awards".to_owned(), n("0"));
    item.insert("Explicit".to_owned(), AttributeValue::Bool(false));
    item.insert("Released".to_owned(), AttributeValue::Bool(true));
    item.insert("Producer".to_owned(), AttributeValue::Null(true));
    item.insert(
        "Cover".to_owned(),
        AttributeValue::B(Blob::new(vec![0u8, 1, 2, 0xfe, 0xff])),
    );
    item.insert(
        "Genres".to_owned(),
        AttributeValue::Ss(vec!["Country".to_owned(), "Rock".to_owned()]),
    );
    item.insert(
        "Ratings".to_owned(),
        AttributeValue::Ns(vec!["5".to_owned(), "4.5".to_owned()]),
    );
    item.insert(
        "Samples".to_owned(),
        AttributeValue::Bs(vec![Blob::new(b"a".to_vec()), Blob::new(Vec::new())]),
    );
    item.insert(
        "Tracks".to_owned(),
        AttributeValue::L(vec![s("intro"), n("3"), AttributeValue::Bool(true)]),
    );
    item.insert(
        "Label".to_owned(),
        AttributeValue::M(HashMap::from([
            ("Name".to_owned(), s("Label \"One\" \u{e9}\u{1f3b5}")),
            (
                "Address".to_owned(),
                AttributeValue::M(HashMap::from([("City".to_owned(), s("Seattle"))])),
            ),
        ])),
    );
    item.insert("EmptyList".to_owned(), AttributeValue::L(Vec::new()));
    item.insert("EmptyMap".to_owned(), AttributeValue::M(HashMap::new()));
    item.insert("Lyrics".to_owned(), s("line 1\nline 2\ttab"));
    item.insert("Length".to_owned(), n("215.5"));
    item.insert("Plays".to_owned(), n("12345678901234567890"));
    item
}

#[tokio::test]
async fn put_item_then_get_item_round_trips_every_kind_of_attribute_value() {
    let fake = Arc::new(Mutex::new(Fake::default()));
    let server = start(fake.clone()).await;
    let client = client(&server.url());
    let item = song("No One You Know", "Call Me Today");
    assert_eq!(item.len(), 20);

    client
        .put_item()
        .table_name(TABLE)
        .set_item(Some(item.clone()))
        .send()
        .await
        .expect("PutItem");
    let put = server.single_request();
    assert_aws_json(&put, "PutItem");
    // The wire form of each kind of value, as the DynamoDB API reference gives it.
    let sent = put.json().expect("a JSON body");
    assert_eq!(sent["TableName"], TABLE);
    let wire = &sent["Item"];
    assert_eq!(wire["Artist"], json!({"S": "No One You Know"}));
    assert_eq!(wire["Year"], json!({"N": "2015"}));
    assert_eq!(wire["Explicit"], json!({"BOOL": false}));
    assert_eq!(wire["Producer"], json!({"NULL": true}));
    assert_eq!(wire["Cover"], json!({"B": "AAEC/v8="}));
    assert_eq!(wire["Genres"], json!({"SS": ["Country", "Rock"]}));
    assert_eq!(wire["Ratings"], json!({"NS": ["5", "4.5"]}));
    assert_eq!(wire["Samples"], json!({"BS": ["YQ==", ""]}));
    assert_eq!(
        wire["Tracks"],
        json!({"L": [{"S": "intro"}, {"N": "3"}, {"BOOL": true}]})
    );
    assert_eq!(
        wire["Label"]["M"]["Address"],
        json!({"M": {"City": {"S": "Seattle"}}})
    );
    assert_eq!(wire["EmptyList"], json!({"L": []}));
    assert_eq!(wire["EmptyMap"], json!({"M": {}}));
    assert_eq!(wire.as_object().map(|o| o.len()), Some(20));
    server.clear();

    let got = client
        .get_item()
        .table_name(TABLE)
        .key("Artist", s("No One You Know"))
        .key("SongTitle", s("Call Me Today"))
        .consistent_read(true)
        .send()
        .await
        .expect("GetItem");
    let get = server.single_request();
    assert_aws_json(&get, "GetItem");
    assert_eq!(
        get.json(),
        Some(json!({
            "TableName": TABLE,
            "Key": {"Artist": {"S": "No One You Know"}, "SongTitle": {"S": "Call Me Today"}},
            "ConsistentRead": true
        }))
    );
    assert_eq!(
        got.item(),
        Some(&item),
        "the item read back is the item written"
    );

    // An absent item is no item, not an error.
    let missing = client
        .get_item()
        .table_name(TABLE)
        .key("Artist", s("Nobody"))
        .key("SongTitle", s("Nothing"))
        .send()
        .await
        .expect("GetItem of a missing item");
    assert_eq!(missing.item(), None);
}

#[tokio::test]
async fn query_pages_follow_the_last_evaluated_key() {
    let fake = Arc::new(Mutex::new(Fake::default()));
    let server = start(fake.clone()).await;
    let client = client(&server.url());
    let titles = ["A", "B", "C", "D", "E"];
    for title in titles {
        client
            .put_item()
            .table_name(TABLE)
            .set_item(Some(song("Acme Band", title)))
            .send()
            .await
            .expect("PutItem");
    }
    client
        .put_item()
        .table_name(TABLE)
        .set_item(Some(song("Other Band", "Z")))
        .send()
        .await
        .expect("PutItem");
    server.clear();

    let query = || {
        client
            .query()
            .table_name(TABLE)
            .key_condition_expression("Artist = :artist")
            .expression_attribute_values(":artist", s("Acme Band"))
    };
    let pages: Vec<_> = query()
        .into_paginator()
        .page_size(2)
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("every page");
    let counts: Vec<i32> = pages.iter().map(|p| p.count()).collect();
    assert_eq!(counts, [2, 2, 1]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_aws_json(request, "Query");
    }
    // Each request after the first sends the previous page's LastEvaluatedKey, as it was.
    let bodies: Vec<Value> = requests.iter().filter_map(RecordedRequest::json).collect();
    assert_eq!(bodies[0].get("ExclusiveStartKey"), None);
    assert_eq!(bodies[0]["Limit"], 2);
    assert_eq!(
        bodies[1]["ExclusiveStartKey"],
        json!({"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "B"}})
    );
    assert_eq!(
        bodies[2]["ExclusiveStartKey"],
        json!({"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "D"}})
    );
    assert_eq!(
        pages[0].last_evaluated_key(),
        Some(&HashMap::from([
            ("Artist".to_owned(), s("Acme Band")),
            ("SongTitle".to_owned(), s("B")),
        ]))
    );
    assert_eq!(pages[2].last_evaluated_key(), None);
    server.clear();

    // The item stream: every item of every page, in order.
    let items: Vec<HashMap<String, AttributeValue>> = query()
        .into_paginator()
        .page_size(2)
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("every item");
    let read: Vec<&AttributeValue> = items.iter().filter_map(|i| i.get("SongTitle")).collect();
    assert_eq!(read, titles.map(s).iter().collect::<Vec<_>>());
    assert_eq!(items[4], song("Acme Band", "E"));
    assert_eq!(server.requests().len(), 3);

    // Starting from a key the caller gives: only the items after it.
    let rest: Vec<_> = query()
        .exclusive_start_key("Artist", s("Acme Band"))
        .exclusive_start_key("SongTitle", s("C"))
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("the items after C");
    assert_eq!(rest.len(), 2);
}

/// Blocking calls (feature `blocking`) from a thread without an async runtime: the blocking
/// paginator follows map tokens like the stream it wraps.
#[test]
fn blocking_query_pages_and_items_follow_the_last_evaluated_key() {
    use dynamodb::blocking::SendBlocking;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("the server's runtime");
    let fake = Arc::new(Mutex::new(Fake::default()));
    let server = runtime.block_on(start(fake));
    let client = client(&server.url());
    for title in ["A", "B", "C"] {
        client
            .put_item()
            .table_name(TABLE)
            .set_item(Some(song("Acme Band", title)))
            .send_blocking()
            .expect("PutItem");
    }
    server.clear();

    let query = || {
        client
            .query()
            .table_name(TABLE)
            .key_condition_expression("Artist = :artist")
            .expression_attribute_values(":artist", s("Acme Band"))
    };
    let counts: Vec<i32> = query()
        .into_paginator()
        .page_size(2)
        .send_blocking()
        .map(|page| page.expect("every page").count())
        .collect();
    assert_eq!(counts, [2, 1]);
    let bodies: Vec<Value> = server
        .requests()
        .iter()
        .filter_map(RecordedRequest::json)
        .collect();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0].get("ExclusiveStartKey"), None);
    assert_eq!(
        bodies[1]["ExclusiveStartKey"],
        json!({"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "B"}})
    );

    let items = query()
        .into_paginator()
        .page_size(2)
        .items()
        .send_blocking()
        .collect::<Result<Vec<_>, _>>()
        .expect("every item");
    assert_eq!(items, ["A", "B", "C"].map(|title| song("Acme Band", title)));
}

#[tokio::test]
async fn a_repeated_last_evaluated_key_stops_the_paginator() {
    let fake = Arc::new(Mutex::new(Fake {
        repeat_last_key: true,
        ..Fake::default()
    }));
    let server = start(fake.clone()).await;
    let client = client(&server.url());
    client
        .put_item()
        .table_name(TABLE)
        .set_item(Some(song("Acme Band", "A")))
        .send()
        .await
        .expect("PutItem");
    server.clear();
    let mut pages = client
        .query()
        .table_name(TABLE)
        .key_condition_expression("Artist = :artist")
        .expression_attribute_values(":artist", s("Acme Band"))
        .into_paginator()
        .send();
    assert!(pages.next().await.expect("page 1").is_ok());
    assert!(pages.next().await.expect("page 2").is_ok());
    let err = pages
        .next()
        .await
        .expect("an error instead of a third request")
        .expect_err("the same key twice");
    assert!(
        format!("{err:#}").contains("returned a next token it had already returned")
            || std::error::Error::source(&err)
                .is_some_and(|s| s.to_string().contains("already returned")),
        "{err:?}"
    );
    assert!(pages.next().await.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn modeled_errors_come_from_the_type_field() {
    let fake = Arc::new(Mutex::new(Fake::default()));
    let server = start(fake).await;
    let client = client(&server.url());
    let err = client
        .get_item()
        .table_name("NoSuchTable")
        .key("Artist", s("a"))
        .key("SongTitle", s("b"))
        .send()
        .await
        .expect_err("no such table");
    let service = err.as_service_error().expect("a service error");
    let GetItemError::ResourceNotFoundException(not_found) = service else {
        panic!("{service:?}");
    };
    assert_eq!(
        not_found.message(),
        Some("Requested resource not found: Table not found")
    );
    assert_eq!(service.code(), Some("ResourceNotFoundException"));
}

/// A wrong-typed value deep in an awsJson1_0 response is an error naming its member path from
/// the output, through map keys (quoted when they are not plain names), union members and
/// list items.
#[tokio::test]
async fn a_wrong_typed_attribute_value_is_reported_with_its_member_path() {
    let server = TestServer::start(|request| {
        let key = request.json().unwrap_or_default()["Key"]["Artist"]["S"].clone();
        let item = if key == "count" {
            json!({ "Artist": { "S": "a" }, "Play count": { "N": 12 } })
        } else {
            json!({ "Artist": { "S": "a" }, "Tags": { "L": [{ "S": "x" }, { "BOOL": "yes" }] } })
        };
        ok(&json!({ "Item": item }))
    })
    .await;
    let client = client(&server.url());
    for (artist, expected) in [
        (
            "count",
            r#"`Item["Play count"].N`: expected a string, found a number"#,
        ),
        (
            "tags",
            "`Item.Tags.L[1].BOOL`: expected a boolean, found a string",
        ),
    ] {
        let err = client
            .get_item()
            .table_name(TABLE)
            .key("Artist", s(artist))
            .key("SongTitle", s("b"))
            .send()
            .await
            .expect_err("a wrong-typed attribute value");
        let report = format!("{:#}", anyhow::Error::new(err));
        assert!(report.contains(expected), "{report}");
    }
}
