//! Hostile and malformed responses: every generated response deserializer (all 30 operations,
//! through `Operation::deserialize`) and the error parser get arbitrary bytes, arbitrary JSON,
//! JSON with every model member set to a value of the wrong type, 10,000-level nesting, huge
//! numbers, invalid UTF-8, duplicate keys, random status codes and random headers. Each must give
//! a value or a typed error (whose `Display`/`Debug` also work), never a panic (panics are caught
//! and counted for the report, which requires none) or a stack overflow. Where the input is
//! wrong for the model, a value is not enough: every output member of every operation, given
//! each JSON type it does not accept (read from the model), must give an error saying where.
//! Serializers are checked by a round trip through an independent JSON parser (serde_json);
//! response lists keep `[]` apart from absent; the default HTTP client's body limit is checked
//! over a real 127.0.0.1 server. Case counts are fixed (`ProptestConfig::with_cases`) so CI
//! time is bounded.
//!
//! Also, end to end over 127.0.0.1: URI labels `.` and `..` are refused before anything is sent
//! (other dots are routed as named); control characters a server puts in error codes, messages
//! and request ids are escaped in every rendering and in the logs; a response `Date` of 1900
//! is not taken as clock skew (the next call is still sent) while a plausible skew is still
//! corrected; and a FIFO as the shared config file blocks neither `Config::build` nor a call.

use std::collections::BTreeSet;
use std::error::Error as StdError;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use chimesdkidentity::error::ProvideErrorMetadata;
use chimesdkidentity::error::SdkError;
use chimesdkidentity::operation::*;
use chimesdkidentity::types::{
    AllowMessages, AppInstanceRetentionSettings, AppInstanceUserEndpointType,
    ChannelRetentionSettings, EndpointAttributes, Tag,
};
use e2e_tests::fake::FakeChime;
use e2e_tests::faults::{Action, FaultServer};
use e2e_tests::server::{Reply, TestServer};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use serde_json::{json, Value};
use smithy_rust_runtime::contract::http::{ConnectorError, HttpResponse};
use smithy_rust_runtime::contract::operation::{
    IdempotencyTokenProvider, Operation, ResponseFailure, SerializeContext,
};
use smithy_rust_runtime::transport::{BodyTooLarge, DefaultHttpClient, HttpClientSettings};

/// Inputs fed to the deserializers (each input goes to all 30 operations).
static INPUTS: AtomicU64 = AtomicU64::new(0);
/// Outcomes that were a value.
static VALUES: AtomicU64 = AtomicU64::new(0);
/// Outcomes that were a typed error.
static ERRORS: AtomicU64 = AtomicU64::new(0);

/// Deserializer calls that panicked (caught, counted and reported; the report requires 0).
static PANICS: AtomicU64 = AtomicU64::new(0);

/// Runs one operation's deserializer and renders the outcome (Debug of the value, Display,
/// Debug and the source chain of the error), which must not panic either. A panic is caught
/// and counted (the default hook still prints it) so the report shows the measured number.
fn run_one<O: Operation>(response: &HttpResponse) {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        render_outcome::<O>(response)
    }));
    if outcome.is_err() {
        PANICS.fetch_add(1, Ordering::Relaxed);
    }
}

fn render_outcome<O: Operation>(response: &HttpResponse) {
    match O::deserialize(response) {
        Ok(output) => {
            let _ = format!("{output:?}");
            VALUES.fetch_add(1, Ordering::Relaxed);
        }
        Err(ResponseFailure::Service(err)) => {
            let _ = format!("{err} {err:?}");
            let meta = chimesdkidentity::error::ProvideErrorMetadata::meta(&err);
            let _ = (meta.code(), meta.message(), meta.request_id());
            let mut source = err.source();
            while let Some(s) = source {
                let _ = s.to_string();
                source = s.source();
            }
            ERRORS.fetch_add(1, Ordering::Relaxed);
        }
        Err(ResponseFailure::Unparseable(err)) => {
            assert!(!err.to_string().is_empty(), "an error must say something");
            let _ = format!("{err:?}");
            ERRORS.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// What a response deserializer made of a body: `Err` with the message when it was refused as
/// unparseable, `Ok` describing what it gave otherwise (a value or a service error).
fn parse_as<O: Operation>(response: &HttpResponse) -> Result<String, String> {
    match O::deserialize(response) {
        Ok(output) => Ok(format!("a value: {output:?}")),
        Err(ResponseFailure::Unparseable(err)) => Err(err.to_string()),
        Err(ResponseFailure::Service(err)) => Ok(format!("a service error: {err}")),
    }
}

/// One operation of the client, by its model name, with its deserializer reached two ways.
struct OperationEntry {
    name: &'static str,
    run: fn(&HttpResponse),
    parse: fn(&HttpResponse) -> Result<String, String>,
}

macro_rules! operation_table {
    ($($module:ident :: $op:ident),* $(,)?) => {
        vec![$(OperationEntry {
            name: stringify!($op),
            run: run_one::<$module::$op>,
            parse: parse_as::<$module::$op>,
        }),*]
    };
}

/// Every operation of the client (all 30; `every_model_operation_is_in_the_table` checks the
/// list against the model).
fn operations() -> Vec<OperationEntry> {
    operation_table!(
        create_app_instance::CreateAppInstance,
        create_app_instance_admin::CreateAppInstanceAdmin,
        create_app_instance_bot::CreateAppInstanceBot,
        create_app_instance_user::CreateAppInstanceUser,
        delete_app_instance::DeleteAppInstance,
        delete_app_instance_admin::DeleteAppInstanceAdmin,
        delete_app_instance_bot::DeleteAppInstanceBot,
        delete_app_instance_user::DeleteAppInstanceUser,
        deregister_app_instance_user_endpoint::DeregisterAppInstanceUserEndpoint,
        describe_app_instance::DescribeAppInstance,
        describe_app_instance_admin::DescribeAppInstanceAdmin,
        describe_app_instance_bot::DescribeAppInstanceBot,
        describe_app_instance_user::DescribeAppInstanceUser,
        describe_app_instance_user_endpoint::DescribeAppInstanceUserEndpoint,
        get_app_instance_retention_settings::GetAppInstanceRetentionSettings,
        list_app_instance_admins::ListAppInstanceAdmins,
        list_app_instance_bots::ListAppInstanceBots,
        list_app_instance_user_endpoints::ListAppInstanceUserEndpoints,
        list_app_instance_users::ListAppInstanceUsers,
        list_app_instances::ListAppInstances,
        list_tags_for_resource::ListTagsForResource,
        put_app_instance_retention_settings::PutAppInstanceRetentionSettings,
        put_app_instance_user_expiration_settings::PutAppInstanceUserExpirationSettings,
        register_app_instance_user_endpoint::RegisterAppInstanceUserEndpoint,
        tag_resource::TagResource,
        untag_resource::UntagResource,
        update_app_instance::UpdateAppInstance,
        update_app_instance_bot::UpdateAppInstanceBot,
        update_app_instance_user::UpdateAppInstanceUser,
        update_app_instance_user_endpoint::UpdateAppInstanceUserEndpoint,
    )
}

/// Feeds `response` to every operation's deserializer; returns how many there are.
fn deserialize_everywhere(response: &HttpResponse) -> usize {
    INPUTS.fetch_add(1, Ordering::Relaxed);
    let operations = operations();
    for operation in &operations {
        (operation.run)(response);
    }
    operations.len()
}

fn response(status: u16, headers: &[(String, Vec<u8>)], body: impl Into<Bytes>) -> HttpResponse {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        if let Ok(value) = http::HeaderValue::from_bytes(value) {
            builder = builder.header(name.as_str(), value);
        }
    }
    builder.body(body.into()).expect("a valid test response")
}

/// Every member name in the Chime model, read from the model itself (so that hostile JSON hits
/// the real members, not only unknown keys).
fn member_names() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/models/chime-sdk-identity-2021-04-20.json"
    );
    let text = std::fs::read_to_string(path).expect("the Chime model");
    let model: Value = serde_json::from_str(&text).expect("model JSON");
    let mut names = BTreeSet::new();
    for shape in model["shapes"].as_object().expect("shapes").values() {
        if let Some(members) = shape.get("members").and_then(Value::as_object) {
            names.extend(members.keys().cloned());
        }
    }
    // The error parser's own keys.
    names.extend(["Code", "code", "__type", "Message", "message"].map(String::from));
    names.into_iter().collect()
}

/// Arbitrary JSON values (bounded size), with object keys drawn from `keys`.
fn arb_json(keys: Vec<String>) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::from),
        Just(Value::from("2024-02-29T23:59:60Z")),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        let keys = keys.clone();
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(keys), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

fn arb_headers() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let name = prop::sample::select(vec![
        "x-amzn-errortype",
        "x-amzn-requestid",
        "x-amz-request-id",
        "content-type",
        "date",
        "content-length",
        "x-other",
    ]);
    prop::collection::vec(
        (
            name.prop_map(str::to_owned),
            prop::collection::vec(any::<u8>(), 0..24),
        ),
        0..5,
    )
}

fn arb_status() -> impl Strategy<Value = u16> {
    prop_oneof![
        100u16..=599,
        Just(200u16),
        Just(400u16),
        Just(404u16),
        Just(503u16)
    ]
}

const CASES: u32 = 256;

/// A fixed number of cases, a fixed seed and no failure files: every run tries the same inputs
/// and writes nothing into the source tree.
fn fixed(cases: u32) -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x0C41_2021_0420),
        ..ProptestConfig::with_cases(cases)
    }
}

#[test]
fn hostile_input_report() {
    let keys = member_names();
    let started = std::time::Instant::now();

    // 1. Arbitrary bytes, status codes and headers.
    TestRunner::new(fixed(CASES))
        .run(
            &(
                arb_status(),
                arb_headers(),
                prop::collection::vec(any::<u8>(), 0..256),
            ),
            |(status, headers, body)| {
                deserialize_everywhere(&response(status, &headers, body));
                Ok(())
            },
        )
        .expect("arbitrary bytes");

    // 2. Arbitrary JSON with real member names at every level, random status and headers.
    TestRunner::new(fixed(CASES))
        .run(
            &(arb_status(), arb_headers(), arb_json(keys.clone())),
            |(status, headers, value)| {
                deserialize_everywhere(&response(status, &headers, value.to_string()));
                Ok(())
            },
        )
        .expect("arbitrary JSON");

    // 3. Every member at once, each with a value of one type (so every member sees every
    //    wrong type), at the top level and one level down, for success and error statuses.
    let wrong_values = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1.5),
        json!("text"),
        json!([1, "a", null]),
        json!({"Nested": {"x": 1}}),
        json!(18446744073709551616u128.to_string()),
    ];
    for value in &wrong_values {
        let flat: serde_json::Map<String, Value> =
            keys.iter().map(|k| (k.clone(), value.clone())).collect();
        let nested: serde_json::Map<String, Value> = keys
            .iter()
            .map(|k| (k.clone(), Value::Object(flat.clone())))
            .collect();
        let listed: serde_json::Map<String, Value> = keys
            .iter()
            .map(|k| {
                (
                    k.clone(),
                    json!([Value::Object(flat.clone()), value.clone()]),
                )
            })
            .collect();
        // Nested documents are big (members squared); three value types there are enough
        // to keep this part of the run short in debug builds.
        let deep_statuses: &[u16] = if value.is_boolean() || value.is_string() || value.is_object()
        {
            &[200]
        } else {
            &[]
        };
        let bodies = [
            (flat, &[200u16, 400][..]),
            (nested, deep_statuses),
            (listed, deep_statuses),
        ];
        for (body, statuses) in bodies {
            for &status in statuses {
                let headers = vec![("x-amzn-errortype".to_owned(), b"NotFoundException".to_vec())];
                deserialize_everywhere(&response(
                    status,
                    &headers,
                    Value::Object(body.clone()).to_string(),
                ));
            }
        }
    }

    // 4. Huge and odd numbers in every numeric and timestamp member.
    let numbers = [
        "1e999999",
        "-1e999999",
        "18446744073709551616",
        "-9223372036854775809",
        "9223372036854775807",
        "1e308",
        "-0",
        "0.0000000000000000000000000000001",
        "123456789012345678901234567890123456789012345678901234567890",
        "2147483648",
        "-2147483649",
        "4.9e-324",
        "1e-400",
    ];
    for number in numbers {
        let object: Vec<String> = keys.iter().map(|k| format!("\"{k}\":{number}")).collect();
        let body = format!("{{{}}}", object.join(","));
        let nested: Vec<String> = keys.iter().map(|k| format!("\"{k}\":{body}")).collect();
        deserialize_everywhere(&response(200, &[], body.clone()));
        deserialize_everywhere(&response(400, &[], body.clone()));
        if ["1e999999", "18446744073709551616", "-0"].contains(&number) {
            deserialize_everywhere(&response(200, &[], format!("{{{}}}", nested.join(","))));
        }
    }

    // 5. Invalid UTF-8 inside strings, keys and headers; lone surrogate escapes.
    let invalid: Vec<Vec<u8>> = vec![
        b"{\"AppInstanceArn\":\"\xff\xfe\"}".to_vec(),
        b"{\"\xc3\x28\":1}".to_vec(),
        b"{\"Code\":\"\xed\xa0\x80\",\"Message\":\"\xf8\x88\x80\x80\x80\"}".to_vec(),
        b"{\"AppInstanceArn\":\"\\ud800\"}".to_vec(),
        b"{\"Code\":\"\\udc00x\"}".to_vec(),
        b"\xef\xbb\xbf{\"AppInstanceArn\":\"a\"}".to_vec(),
        vec![0xff; 64],
    ];
    for body in invalid {
        for status in [200, 400, 503] {
            let headers = vec![
                ("x-amzn-errortype".to_owned(), b"\xff\xfeBad:\x80".to_vec()),
                ("x-amzn-requestid".to_owned(), b"\xc3\x28".to_vec()),
            ];
            deserialize_everywhere(&response(status, &headers, body.clone()));
        }
    }

    // 6. Duplicate keys (with conflicting types) at every member.
    for key in &keys {
        let body = format!("{{\"{key}\":\"a\",\"{key}\":1,\"{key}\":{{\"{key}\":[]}}}}");
        deserialize_everywhere(&response(200, &[], body.clone()));
        deserialize_everywhere(&response(400, &[], body));
    }

    // 7. 10,000 levels of nesting, bare and under real member names, success and error.
    let depth = 10_000;
    let deep_arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let deep_objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let mut deep_members = Vec::new();
    for key in [
        "AppInstance",
        "AppInstanceUsers",
        "Tags",
        "Code",
        "EndpointAttributes",
    ] {
        deep_members.push(format!(
            "{}1{}",
            format!("{{\"{key}\":").repeat(depth),
            "}".repeat(depth)
        ));
        deep_members.push(format!("{{\"{key}\":{deep_arrays}}}"));
    }
    let unclosed = "[".repeat(depth * 10);
    let mut deep_count = 0;
    let panics_before_deep = PANICS.load(Ordering::Relaxed);
    for body in [deep_arrays.clone(), deep_objects, unclosed]
        .into_iter()
        .chain(deep_members)
    {
        for status in [200, 400] {
            deserialize_everywhere(&response(status, &[], body.clone()));
            deep_count += 1;
        }
        // And each deep document is refused with an error by a success-path parser.
        let out = describe_app_instance::DescribeAppInstance::deserialize(&response(
            200,
            &[],
            body.clone(),
        ));
        assert!(
            matches!(out, Err(ResponseFailure::Unparseable(_))),
            "a 10,000-level document must be an error"
        );
    }

    let elapsed = started.elapsed();
    let inputs = INPUTS.load(Ordering::Relaxed);
    let values = VALUES.load(Ordering::Relaxed);
    let errors = ERRORS.load(Ordering::Relaxed);
    let panics = PANICS.load(Ordering::Relaxed);
    let deep_panics = panics - panics_before_deep;
    assert_eq!(
        values + errors + panics,
        inputs * 30,
        "every deserializer call gave an outcome"
    );
    assert!(
        values > 0 && errors > 0,
        "both outcomes must occur: {values} / {errors}"
    );
    println!();
    println!("hostile_input report ({elapsed:.1?})");
    println!(
        "| target                                  | inputs | values | typed errors | panics |"
    );
    println!(
        "|-----------------------------------------|--------|--------|--------------|--------|"
    );
    println!("| 30 deserializers + error parser         | {inputs:>6} | {values:>6} | {errors:>12} | {panics:>6} |");
    println!("|   of which 10,000-level documents       | {deep_count:>6} |        |              | {deep_panics:>6} |");
    assert_eq!(
        panics, 0,
        "deserializer calls panicked (see the panic messages above)"
    );
}

// ---------------------------------------------------------------------------------------------
// Wrong-typed members: an error that names the member, not a value.
// ---------------------------------------------------------------------------------------------

fn chime_model() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/models/chime-sdk-identity-2021-04-20.json"
    );
    let text = std::fs::read_to_string(path).expect("the Chime model");
    serde_json::from_str(&text).expect("model JSON")
}

/// The JSON a member of a shape accepts on the wire (restJson1); `null` always means absent.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Number,
    Boolean,
    /// Epoch seconds (a number); a string only when it is a valid timestamp.
    Timestamp,
    /// Base64 text: any string of the alphabet decodes, so only non-strings are wrong.
    Blob,
    List,
    Object,
}

fn kind_of(model: &Value, target: &str) -> Kind {
    let shape_type = match target.strip_prefix("smithy.api#") {
        Some(prelude) => prelude.trim_start_matches("Primitive").to_ascii_lowercase(),
        None => model["shapes"][target]["type"]
            .as_str()
            .unwrap_or_else(|| panic!("no shape {target} in the model"))
            .to_owned(),
    };
    match shape_type.as_str() {
        "string" | "enum" => Kind::Text,
        "byte" | "short" | "integer" | "intenum" | "long" | "float" | "double" | "biginteger"
        | "bigdecimal" => Kind::Number,
        "boolean" => Kind::Boolean,
        "timestamp" => Kind::Timestamp,
        "blob" => Kind::Blob,
        "list" | "set" => Kind::List,
        "structure" | "union" | "map" => Kind::Object,
        other => panic!("shape type {other} of {target} is not handled by this test"),
    }
}

/// Values of the wrong JSON type for `kind`.
fn wrong_values(kind: Kind) -> Vec<Value> {
    let all = [
        json!(true),
        json!(7),
        json!(2.5),
        json!("not-a-valid-value"),
        json!([]),
        json!({}),
    ];
    all.into_iter()
        .filter(|v| match kind {
            Kind::Text => !v.is_string(),
            Kind::Number => !v.is_number(),
            Kind::Boolean => !v.is_boolean(),
            Kind::Timestamp => !v.is_number(),
            Kind::Blob => !v.is_string(),
            Kind::List => !v.is_array(),
            Kind::Object => !v.is_object(),
        })
        .collect()
}

/// Where a wrong value was put: the member, and the short name of the shape the value should
/// have had (the member's target, or the list element's or map value's).
#[derive(Debug, Clone)]
struct Place {
    member: String,
    shape: String,
}

fn short_name(shape_id: &str) -> String {
    shape_id.rsplit('#').next().unwrap_or(shape_id).to_owned()
}

/// Bodies with one wrong-typed value somewhere under a member of structure `shape`: at the
/// member itself, in a list element or map value, and (recursively, `depth` levels) inside
/// nested structures. Each comes with the place of the wrong value.
fn wrong_bodies(model: &Value, shape: &str, depth: u32) -> Vec<(Place, Value)> {
    let mut out = Vec::new();
    let members = model["shapes"][shape]["members"].as_object();
    for (name, member) in members.into_iter().flatten() {
        let target = member["target"].as_str().expect("member target");
        let kind = kind_of(model, target);
        let place = |shape: &str| Place {
            member: name.clone(),
            shape: short_name(shape),
        };
        for wrong in wrong_values(kind) {
            out.push((place(target), json!({ name.as_str(): wrong })));
        }
        if depth == 0 {
            continue;
        }
        let definition = &model["shapes"][target];
        match definition["type"].as_str() {
            Some("structure") => {
                for (inner, body) in wrong_bodies(model, target, depth - 1) {
                    out.push((inner, json!({ name.as_str(): body })));
                }
            }
            Some("list") => {
                let element = definition["member"]["target"]
                    .as_str()
                    .expect("list member");
                for wrong in wrong_values(kind_of(model, element)) {
                    out.push((place(element), json!({ name.as_str(): [wrong] })));
                }
                if model["shapes"][element]["type"] == "structure" {
                    for (inner, body) in wrong_bodies(model, element, depth - 1) {
                        out.push((inner, json!({ name.as_str(): [body] })));
                    }
                }
            }
            Some("map") => {
                let value = definition["value"]["target"].as_str().expect("map value");
                for wrong in wrong_values(kind_of(model, value)) {
                    out.push((place(value), json!({ name.as_str(): { "key": wrong } })));
                }
            }
            _ => {}
        }
    }
    out
}

/// Every member of every operation's output, read from the model, given a value of each wrong
/// JSON type (at the top, in list elements, map values and nested structures): the
/// deserializer must refuse the response with an error, not return a value with the member
/// dropped or coerced, and the error must say where: the member's name, or (for a structure
/// value, a list element or a map value, whose reader names its shape) the expected shape.
#[test]
fn wrong_typed_members_are_errors_saying_where() {
    let model = chime_model();
    let shapes = model["shapes"].as_object().expect("shapes");
    let operations = operations();
    let (mut checked, mut operations_checked, mut with_members) = (0, 0, 0);
    let mut failures = Vec::new();
    for (id, shape) in shapes {
        if shape["type"] != "operation" {
            continue;
        }
        let name = id.rsplit('#').next().expect("operation name");
        let operation = operations
            .iter()
            .find(|o| o.name == name)
            .unwrap_or_else(|| panic!("operation {name} of the model is not in the table"));
        let Some(output) = shape["output"]["target"].as_str() else {
            continue;
        };
        if model["shapes"][output]["members"]
            .as_object()
            .is_some_and(|m| !m.is_empty())
        {
            with_members += 1;
        }
        let bodies = wrong_bodies(&model, output, 3);
        if !bodies.is_empty() {
            operations_checked += 1;
        }
        for (place, body) in bodies {
            checked += 1;
            match (operation.parse)(&response(200, &[], body.to_string())) {
                Err(message)
                    if message.contains(&format!("{}`", place.member))
                        || message.contains(&format!("`{}`", place.shape)) => {}
                other => failures.push(format!("{name} {body}: {other:?}")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} wrong-typed bodies were not refused saying where:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every operation whose output has members was checked (every member has wrong values).
    assert_eq!(operations_checked, with_members, "{checked} bodies");
    assert!(with_members > 0);
}

/// The operation table holds exactly the model's operations.
#[test]
fn every_model_operation_is_in_the_table() {
    let model = chime_model();
    let from_model: BTreeSet<&str> = model["shapes"]
        .as_object()
        .expect("shapes")
        .iter()
        .filter(|(_, shape)| shape["type"] == "operation")
        .map(|(id, _)| id.rsplit('#').next().expect("name"))
        .collect();
    let table: BTreeSet<&str> = operations().iter().map(|o| o.name).collect();
    assert_eq!(table, from_model);
}

// ---------------------------------------------------------------------------------------------
// Round trips: serialize arbitrary valid inputs, parse with serde_json, compare.
// ---------------------------------------------------------------------------------------------

/// Strings with every kind of Unicode: controls, quotes and backslashes, BMP, U+2028/9, BOM,
/// non-BMP (astral) characters.
fn arb_text() -> impl Strategy<Value = String> {
    arb_chars(0)
}

/// Like [`arb_text`] but never empty (URI labels must not be empty).
fn arb_label() -> impl Strategy<Value = String> {
    arb_chars(1)
}

fn arb_chars(min: usize) -> impl Strategy<Value = String> {
    let ranges: Vec<std::ops::RangeInclusive<char>> = vec![
        '\u{0}'..='\u{1f}',
        ' '..='~',
        '\u{7f}'..='\u{9f}',
        '\u{a0}'..='\u{d7ff}',
        '\u{e000}'..='\u{fffd}',
        '\u{2028}'..='\u{2029}',
        '\u{feff}'..='\u{feff}',
        '\u{10000}'..='\u{10ffff}',
        '"'..='"',
        '\\'..='\\',
    ];
    prop::collection::vec(proptest::char::ranges(ranges.into()), min..24)
        .prop_map(|chars| chars.into_iter().collect())
}

#[derive(Debug)]
struct FixedToken;
impl IdempotencyTokenProvider for FixedToken {
    fn make_token(&self) -> String {
        "token-from-provider".into()
    }
}

fn ctx() -> SerializeContext {
    SerializeContext::new(Arc::new(FixedToken))
}

fn body_of(request: &http::Request<Bytes>) -> Value {
    serde_json::from_slice(request.body()).expect("the serializer wrote valid JSON")
}

fn tags_json(tags: &[(String, String)]) -> Value {
    Value::Array(
        tags.iter()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect(),
    )
}

fn tags(pairs: &[(String, String)]) -> Vec<Tag> {
    pairs
        .iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build().expect("tag"))
        .collect()
}

proptest! {
    #![proptest_config(fixed(96))]

    #[test]
    fn create_app_instance_round_trips(
        name in arb_text(), metadata in proptest::option::of(arb_text()),
        token in proptest::option::of(arb_text()),
        pairs in prop::collection::vec((arb_text(), arb_text()), 0..4),
    ) {
        let input = create_app_instance::CreateAppInstanceInput::builder()
            .name(&name)
            .set_metadata(metadata.clone())
            .set_client_request_token(token.clone())
            .set_tags(if pairs.is_empty() { None } else { Some(tags(&pairs)) })
            .build()
            .expect("input");
        let request = create_app_instance::CreateAppInstance::serialize(&input, &ctx()).expect("serialize");
        let mut expected = json!({
            "Name": name,
            "ClientRequestToken": token.unwrap_or_else(|| "token-from-provider".into()),
        });
        if let Some(m) = metadata { expected["Metadata"] = json!(m); }
        if !pairs.is_empty() { expected["Tags"] = tags_json(&pairs); }
        prop_assert_eq!(body_of(&request), expected);
        prop_assert_eq!(request.method().as_str(), "POST");
        prop_assert_eq!(request.uri().path(), "/app-instances");
    }

    #[test]
    fn create_app_instance_user_round_trips(
        arn in arb_text(), user_id in arb_text(), name in arb_text(),
        metadata in proptest::option::of(arb_text()),
        days in proptest::option::of(prop_oneof![Just(i32::MIN), Just(i32::MAX), Just(0), Just(1), any::<i32>()]),
    ) {
        let mut builder = create_app_instance_user::CreateAppInstanceUserInput::builder()
            .app_instance_arn(&arn)
            .app_instance_user_id(&user_id)
            .name(&name)
            .set_metadata(metadata.clone());
        if let Some(days) = days {
            builder = builder.expiration_settings(
                chimesdkidentity::types::ExpirationSettings::builder()
                    .expiration_days(days)
                    .expiration_criterion(chimesdkidentity::types::ExpirationCriterion::CreatedTimestamp)
                    .build()
                    .expect("expiration settings"),
            );
        }
        let input = builder.build().expect("input");
        let request = create_app_instance_user::CreateAppInstanceUser::serialize(&input, &ctx()).expect("serialize");
        let mut expected = json!({
            "AppInstanceArn": arn, "AppInstanceUserId": user_id, "Name": name,
            "ClientRequestToken": "token-from-provider",
        });
        if let Some(m) = metadata { expected["Metadata"] = json!(m); }
        if let Some(days) = days {
            expected["ExpirationSettings"] = json!({"ExpirationDays": days, "ExpirationCriterion": "CREATED_TIMESTAMP"});
        }
        prop_assert_eq!(body_of(&request), expected);
    }

    #[test]
    fn update_app_instance_round_trips(arn in arb_label(), name in arb_text(), metadata in arb_text()) {
        let input = update_app_instance::UpdateAppInstanceInput::builder()
            .app_instance_arn(&arn).name(&name).metadata(&metadata).build().expect("input");
        let request = update_app_instance::UpdateAppInstance::serialize(&input, &ctx()).expect("serialize");
        prop_assert_eq!(body_of(&request), json!({"Name": name, "Metadata": metadata}));
        // The label is one percent-encoded path segment that decodes back to the ARN.
        let path = request.uri().path().to_owned();
        let segment = path.strip_prefix("/app-instances/").expect("path prefix");
        prop_assert!(!segment.contains('/'), "label escaped: {}", path);
        let decoded = percent_encoding::percent_decode_str(segment).decode_utf8().expect("utf-8");
        prop_assert_eq!(decoded.as_ref(), arn.as_str());
    }

    #[test]
    fn tag_resource_round_trips(arn in arb_text(), pairs in prop::collection::vec((arb_text(), arb_text()), 1..6)) {
        let input = tag_resource::TagResourceInput::builder()
            .resource_arn(&arn).set_tags(Some(tags(&pairs))).build().expect("input");
        let request = tag_resource::TagResource::serialize(&input, &ctx()).expect("serialize");
        prop_assert_eq!(body_of(&request), json!({"ResourceARN": arn, "Tags": tags_json(&pairs)}));
    }

    #[test]
    fn put_retention_settings_round_trips(
        arn in arb_label(),
        days in prop_oneof![Just(i32::MIN), Just(i32::MAX), Just(0), Just(-1), Just(1), Just(5475), any::<i32>()],
    ) {
        let input = put_app_instance_retention_settings::PutAppInstanceRetentionSettingsInput::builder()
            .app_instance_arn(&arn)
            .app_instance_retention_settings(
                AppInstanceRetentionSettings::builder()
                    .channel_retention_settings(ChannelRetentionSettings::builder().retention_days(days).build())
                    .build(),
            )
            .build()
            .expect("input");
        let request = put_app_instance_retention_settings::PutAppInstanceRetentionSettings::serialize(&input, &ctx()).expect("serialize");
        prop_assert_eq!(
            body_of(&request),
            json!({"AppInstanceRetentionSettings": {"ChannelRetentionSettings": {"RetentionDays": days}}})
        );
    }

    #[test]
    fn register_endpoint_round_trips(
        user_arn in arb_label(), name in proptest::option::of(arb_text()), resource in arb_text(),
        device in arb_text(), voip in proptest::option::of(arb_text()), token in arb_text(),
        gcm in any::<bool>(), allow in proptest::option::of(any::<bool>()),
    ) {
        let endpoint_type = if gcm { AppInstanceUserEndpointType::Gcm } else { AppInstanceUserEndpointType::Apns };
        let mut attributes = EndpointAttributes::builder().device_token(&device);
        if let Some(v) = &voip { attributes = attributes.voip_device_token(v); }
        let input = register_app_instance_user_endpoint::RegisterAppInstanceUserEndpointInput::builder()
            .app_instance_user_arn(&user_arn)
            .set_name(name.clone())
            .r#type(endpoint_type.clone())
            .resource_arn(&resource)
            .endpoint_attributes(attributes.build().expect("attributes"))
            .client_request_token(&token)
            .set_allow_messages(allow.map(|a| if a { AllowMessages::All } else { AllowMessages::None }))
            .build()
            .expect("input");
        let request = register_app_instance_user_endpoint::RegisterAppInstanceUserEndpoint::serialize(&input, &ctx()).expect("serialize");
        let mut attrs = json!({"DeviceToken": device});
        if let Some(v) = voip { attrs["VoipDeviceToken"] = json!(v); }
        let mut expected = json!({
            "Type": if gcm { "GCM" } else { "APNS" },
            "ResourceArn": resource,
            "EndpointAttributes": attrs,
            "ClientRequestToken": token,
        });
        if let Some(n) = name { expected["Name"] = json!(n); }
        if let Some(a) = allow { expected["AllowMessages"] = json!(if a { "ALL" } else { "NONE" }); }
        prop_assert_eq!(body_of(&request), expected);
    }

    /// List members of responses, absent, empty or not, come back as sent: `[]` is
    /// `Some(vec![])`, an absent member or `null` is `None` (the lists of this model's inputs
    /// all have `@length(min: 1)`, so an empty list is only ever received).
    #[test]
    fn response_lists_keep_empty_apart_from_absent(
        tag_list in proptest::option::of(prop::collection::vec((arb_text(), arb_text()), 0..4)),
        summaries in proptest::option::of(prop::collection::vec(
            (arb_text(), proptest::option::of(arb_text())), 0..3)),
        explicit_null in any::<bool>(),
    ) {
        let absent = if explicit_null { json!({"Tags": null}) } else { json!({}) };
        let body = match &tag_list {
            Some(pairs) => json!({"Tags": tags_json(pairs)}),
            None => absent,
        };
        let out = list_tags_for_resource::ListTagsForResource::deserialize(
            &response(200, &[], body.to_string()),
        ).expect("valid response");
        prop_assert_eq!(out.tags, tag_list.as_deref().map(tags));

        let mut body = json!({"NextToken": "n"});
        if let Some(items) = &summaries {
            body["AppInstances"] = Value::Array(items.iter().map(|(arn, metadata)| {
                let mut item = json!({"AppInstanceArn": arn});
                if let Some(m) = metadata { item["Metadata"] = json!(m); }
                item
            }).collect());
        }
        let out = list_app_instances::ListAppInstances::deserialize(
            &response(200, &[], body.to_string()),
        ).expect("valid response");
        type Summary = (Option<String>, Option<String>, Option<String>);
        let got: Option<Vec<Summary>> = out
            .app_instances
            .map(|list| list.into_iter().map(|s| (s.app_instance_arn, s.name, s.metadata)).collect());
        let expected: Option<Vec<Summary>> = summaries
            .map(|list| list.into_iter().map(|(arn, metadata)| (Some(arn), None, metadata)).collect());
        prop_assert_eq!(got, expected);
    }

    /// Timestamps at the edges, read back from responses: epoch seconds with fractions,
    /// negative, and near the limits of the calendar.
    #[test]
    fn timestamps_round_trip(
        secs in prop_oneof![Just(0i64), Just(-1), Just(-62_135_596_800), Just(253_402_300_799), -62_135_596_800i64..253_402_300_799],
        millis in 0u32..1000,
    ) {
        let text = format!("{secs}.{millis:03}");
        let body = format!("{{\"AppInstance\":{{\"CreatedTimestamp\":{text},\"LastUpdatedTimestamp\":{secs}}}}}");
        let out = describe_app_instance::DescribeAppInstance::deserialize(&response(200, &[], body)).expect("valid response");
        let instance = out.app_instance().expect("app instance");
        let created = instance.created_timestamp().expect("created");
        let expected = text.parse::<f64>().expect("f64");
        prop_assert!((created.as_secs_f64() - expected).abs() < 0.002, "{} vs {}", created.as_secs_f64(), expected);
        prop_assert_eq!(instance.last_updated_timestamp().expect("updated").secs(), secs);
    }
}

// ---------------------------------------------------------------------------------------------
// The body limit of the default HTTP client, over real local servers.
// ---------------------------------------------------------------------------------------------

fn chain_text(err: &(dyn StdError + 'static)) -> String {
    let mut parts = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        parts.push(e.to_string());
        current = e.source();
    }
    parts.join(": ")
}

/// The limit of the [`BodyTooLarge`] error behind a response error (the HTTP client's error
/// is the response error's cause, and the size error the HTTP client's).
fn has_body_too_large<E>(err: &SdkError<E>) -> Option<usize> {
    let SdkError::ResponseError(response) = err else {
        return None;
    };
    response
        .source_error()
        .downcast_ref::<ConnectorError>()?
        .source_error()
        .downcast_ref::<BodyTooLarge>()
        .map(BodyTooLarge::limit)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_over_the_limit_are_refused() {
    assert_eq!(
        HttpClientSettings::default().get_max_body_size(),
        64 * 1024 * 1024,
        "the documented default limit"
    );
    let limit = 4096;
    let settings = HttpClientSettings::new()
        .max_body_size(limit)
        .proxy(smithy_rust_runtime::transport::ProxySettings::Disabled);

    // A body exactly at the limit (valid JSON) is accepted.
    let at_limit = {
        let prefix = "{\"AppInstance\":{\"Metadata\":\"";
        let suffix = "\"}}";
        format!(
            "{prefix}{}{suffix}",
            "m".repeat(limit - prefix.len() - suffix.len())
        )
    };
    assert_eq!(at_limit.len(), limit);
    let exact = at_limit.clone();
    let over = format!("{at_limit} ");
    let server = TestServer::start(move |request| {
        let body = if request.path.ends_with("aaa-over") {
            over.clone()
        } else {
            exact.clone()
        };
        Reply::new(200)
            .header("content-type", "application/json")
            .body(body)
    })
    .await;
    let client = chimesdkidentity::Client::from_conf(
        e2e_tests::config_builder(&server.url())
            .http_client(DefaultHttpClient::new(settings.clone()))
            .build(),
    );
    let ok = client
        .describe_app_instance()
        .app_instance_arn("aaa-exact")
        .send()
        .await;
    assert_eq!(
        ok.expect("a body at the limit")
            .app_instance()
            .and_then(|a| a.metadata())
            .map(str::len),
        Some(limit - 31)
    );
    // One byte over, announced by content-length: refused before reading.
    let err = client
        .describe_app_instance()
        .app_instance_arn("aaa-over")
        .send()
        .await
        .expect_err("a body over the limit");
    assert_eq!(has_body_too_large(&err), Some(limit), "{err:?}");
    let text = chain_text(&err);
    assert!(
        text.contains("larger than the limit of 4096 bytes"),
        "{text}"
    );

    // A chunked body without a length, 8 MiB long: refused once the limit is passed, and the
    // client does not buffer it all (the call ends long before 8 MiB would be read).
    let fault = FaultServer::start(|_| Action::Chunked {
        total: 8 * 1024 * 1024,
    })
    .await;
    let client = chimesdkidentity::Client::from_conf(
        e2e_tests::config_builder(&fault.url())
            .http_client(DefaultHttpClient::new(settings))
            .build(),
    );
    let err = client
        .describe_app_instance()
        .app_instance_arn("chunked")
        .send()
        .await
        .expect_err("a chunked body over the limit");
    assert_eq!(has_body_too_large(&err), Some(limit), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// URI labels `.` and `..`: a label value never changes the request's path.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn dot_segment_labels_are_refused_and_other_dots_are_routed_as_named() {
    let fake = FakeChime::new(e2e_tests::REGION);
    let server = fake.serve().await;
    let client = e2e_tests::client(&server.url());
    let app = client
        .create_app_instance()
        .name("dots")
        .send()
        .await
        .expect("an app instance")
        .app_instance_arn()
        .expect("its ARN")
        .to_owned();
    let user = client
        .create_app_instance_user()
        .app_instance_arn(&app)
        .app_instance_user_id("dotty")
        .name("Dotty")
        .send()
        .await
        .expect("a user")
        .app_instance_user_arn()
        .expect("its ARN")
        .to_owned();
    let sent_before = server.requests().len();

    // `.` and `..` would make the path name the user (or its parent): refused, nothing sent.
    for id in [".", ".."] {
        let err = client
            .deregister_app_instance_user_endpoint()
            .app_instance_user_arn(&user)
            .endpoint_id(id)
            .send()
            .await
            .expect_err("a dot segment label");
        assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "failed to construct the request: \
                 `DeregisterAppInstanceUserEndpointInput.endpoint_id` is invalid: a URI label \
                 cannot be `{id}`: it would change the request path to another resource"
            )
        );
        let err = client
            .describe_app_instance_user_endpoint()
            .app_instance_user_arn(&user)
            .endpoint_id(id)
            .send()
            .await
            .expect_err("a dot segment label");
        assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    }
    assert_eq!(server.requests().len(), sent_before, "nothing was sent");

    // Dots that are not a whole segment are ordinary characters: the path sent, the path the
    // fake verified the signature of, and the endpoint it looked up all carry the id as given.
    for id in ["...", ".hidden", "a..b", "x."] {
        let err = client
            .describe_app_instance_user_endpoint()
            .app_instance_user_arn(&user)
            .endpoint_id(id)
            .send()
            .await
            .expect_err("no such endpoint");
        let service = err.as_service_error().expect("a service error");
        assert_eq!(service.meta().code(), Some("NotFoundException"), "{err:?}");
        assert_eq!(
            service.meta().message(),
            Some(format!("endpoint {id} of {user} not found").as_str())
        );
        let sent = server.requests();
        let last = sent.last().expect("the request");
        assert!(last.path.ends_with(&format!("/endpoints/{id}")), "{last:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Log injection: control characters from the server are escaped in Display and in logs.
// ---------------------------------------------------------------------------------------------

/// The process-wide capturing subscriber at TRACE (global, so that events from every thread
/// are captured).
fn capture() -> &'static e2e_tests::faults::CaptureWriter {
    static CAPTURE: std::sync::OnceLock<e2e_tests::faults::CaptureWriter> =
        std::sync::OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = e2e_tests::faults::CaptureWriter::default();
        let writer = capture.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other global subscriber");
        capture
    })
}

/// The first character of `text` that would let it forge a log line or rewrite a terminal.
fn first_control(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|(_, c)| {
        c.is_control() && *c != '\n' || matches!(*c, '\u{2028}' | '\u{2029}' | '\u{202e}')
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_characters_from_the_server_are_escaped_in_errors_and_logs() {
    let capture = capture();
    let body = json!({
        "code": "BadRequestException",
        "message": "no\r\nINFO forged log line\u{1b}[2J\u{1b}[31m\u{0}\u{7}\u{202e}txt",
    })
    .to_string();
    let unknown = json!({
        "__type": "Evil\r\nINFO forged\u{1b}]0;title\u{7}",
        "Message": "second\nline",
    })
    .to_string();
    let server = FaultServer::start(move |request| {
        let body = if request.target.contains("known") {
            body.clone()
        } else {
            unknown.clone()
        };
        Action::Respond {
            status: 400,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("x-amzn-requestid".into(), "rid\tinjected".into()),
            ],
            body: Bytes::from(body),
        }
    })
    .await;
    let client = e2e_tests::client(&server.url());
    let mut rendered = Vec::new();
    for arn in ["arn:known", "arn:other"] {
        let err = client
            .describe_app_instance()
            .app_instance_arn(arn)
            .send()
            .await
            .expect_err("a 400");
        // The raw values stay available as sent.
        assert!(err.message().is_some_and(|m| m.contains('\n')), "{err:?}");
        rendered.push(err.to_string());
        rendered.push(format!("{err:?}"));
        let service = err.into_service_error();
        rendered.push(service.to_string());
        let report = anyhow::Error::new(service);
        rendered.push(format!("{report:#}"));
        rendered.push(format!("{report:?}"));
    }
    assert_eq!(
        rendered[0],
        "BadRequestException: no\\r\\nINFO forged log line\\u{1b}[2J\\u{1b}[31m\\u{0}\\u{7}\
         \\u{202e}txt (request id: rid\\tinjected)"
    );
    assert_eq!(
        rendered[5],
        "unhandled error Evil\\r\\nINFO forged\\u{1b}]0;title\\u{7}: second\\nline (request id: \
         rid\\tinjected)"
    );
    for text in &rendered {
        assert_eq!(first_control(text), None, "{text}");
        assert!(!text.contains("\nINFO forged"), "{text}");
    }
    let logs = capture.text();
    assert!(
        logs.contains("BadRequestException"),
        "the calls were logged"
    );
    assert_eq!(first_control(&logs), None, "{logs}");
    assert!(
        !logs.lines().any(|line| line.starts_with("INFO forged")),
        "{logs}"
    );
}

// ---------------------------------------------------------------------------------------------
// Clock skew: one response with an absurd Date cannot stop the client from signing.
// ---------------------------------------------------------------------------------------------

/// The `x-amz-date` of a request as a time.
fn amz_date(request: &e2e_tests::faults::RawRequest) -> std::time::SystemTime {
    let value = request.header("x-amz-date").expect("x-amz-date");
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::PrimitiveDateTime::parse(value, &format)
        .expect("an x-amz-date")
        .assume_utc()
        .into()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_implausible_server_date_is_not_taken_as_clock_skew() {
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    let calls = Arc::new(AtomicUsize::new(0));
    let count = calls.clone();
    let server = FaultServer::start(move |_| {
        if count.fetch_add(1, Ordering::SeqCst) == 0 {
            Action::Respond {
                status: 403,
                headers: vec![
                    ("content-type".into(), "application/json".into()),
                    (
                        "x-amzn-errortype".into(),
                        "InvalidSignatureException".into(),
                    ),
                    ("date".into(), "Mon, 01 Jan 1900 00:00:00 GMT".into()),
                ],
                body: Bytes::from_static(br#"{"message":"Signature expired"}"#),
            }
        } else {
            Action::json(200, r#"{"AppInstance":{}}"#)
        }
    })
    .await;
    let client = chimesdkidentity::Client::from_conf(
        e2e_tests::config_builder(&server.url())
            .retry_config(
                chimesdkidentity::config::RetryConfig::standard()
                    .with_backoff_fn(|_| Duration::from_millis(1)),
            )
            .build(),
    );
    let err = client
        .describe_app_instance()
        .app_instance_arn("arn:first")
        .send()
        .await
        .expect_err("the 403 is returned, not retried with a 1900 clock");
    assert_eq!(err.code(), Some("InvalidSignatureException"));
    assert_eq!(server.requests(), 1);
    let out = client
        .describe_app_instance()
        .app_instance_arn("arn:second")
        .send()
        .await;
    assert_eq!(server.requests(), 2, "the next call is sent: {out:?}");
    out.expect("the next call succeeds");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plausible_clock_skew_is_still_corrected() {
    use std::sync::Mutex;
    use std::time::{Duration, SystemTime};

    let ahead = SystemTime::now() + Duration::from_secs(2 * 3600);
    let date = time::OffsetDateTime::from(ahead)
        .format(&time::format_description::well_known::Rfc2822)
        .expect("a date")
        .replace("+0000", "GMT");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let server = FaultServer::start(move |request| {
        let mut seen = record.lock().expect("not poisoned");
        seen.push(amz_date(request));
        if seen.len() == 1 {
            Action::Respond {
                status: 403,
                headers: vec![
                    ("x-amzn-errortype".into(), "RequestTimeTooSkewed".into()),
                    ("date".into(), date.clone()),
                ],
                body: Bytes::from_static(b"{}"),
            }
        } else {
            Action::json(200, r#"{"AppInstance":{}}"#)
        }
    })
    .await;
    let client = chimesdkidentity::Client::from_conf(
        e2e_tests::config_builder(&server.url())
            .retry_config(chimesdkidentity::config::RetryConfig::standard())
            .build(),
    );
    client
        .describe_app_instance()
        .app_instance_arn("arn:skewed")
        .send()
        .await
        .expect("corrected and retried");
    let seen = seen.lock().expect("not poisoned").clone();
    assert_eq!(seen.len(), 2);
    let corrected = seen[1]
        .duration_since(seen[0])
        .expect("the retry is signed later");
    assert!(
        corrected > Duration::from_secs(7100) && corrected < Duration::from_secs(7300),
        "{corrected:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// A hostile environment: a FIFO (with no writer) as the shared config file.
// ---------------------------------------------------------------------------------------------

/// Gives a reader stuck opening the FIFO a writer when dropped (bounded by `timeout 2`), so that
/// no thread of the test stays blocked whatever happened.
#[cfg(unix)]
struct ReleaseFifo(std::path::PathBuf);

#[cfg(unix)]
impl Drop for ReleaseFifo {
    fn drop(&mut self) {
        let _ = std::process::Command::new("timeout")
            .arg("0.5")
            .arg("sh")
            .arg("-c")
            .arg("printf '' > \"$0\"")
            .arg(&self.0)
            .status();
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fifo_as_the_shared_config_file_blocks_neither_the_config_nor_the_call() {
    use std::time::Duration;

    let dir = e2e_tests::child::TempDir::new("fifo-config");
    let fifo = dir.path().join("config");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let _release = ReleaseFifo(fifo.clone());
    let server = TestServer::start(|_| Reply::json(200, &json!({}))).await;
    let fifo_path = fifo.display().to_string();
    let env = smithy_rust_runtime::env::Env::from_vars([
        ("HOME", dir.path().display().to_string()),
        ("AWS_CONFIG_FILE", fifo_path.clone()),
        ("AWS_SHARED_CREDENTIALS_FILE", fifo_path.clone()),
        ("AWS_REGION", "us-east-1".to_owned()),
    ])
    .with_real_fs();

    // Building the configuration reads the config file (for `use_fips_endpoint`, ...).
    let (sender, receiver) = std::sync::mpsc::channel();
    let url = server.url();
    std::thread::spawn(move || {
        let config = chimesdkidentity::config::Builder::new()
            .env(env)
            .endpoint_url(url)
            .build();
        let _ = sender.send(config);
    });
    let config = receiver
        .recv_timeout(Duration::from_secs(10))
        .expect("Config::build returns although the config file is a FIFO");

    // The credentials chain reads the profile files: the call fails at once, naming the file.
    let client = chimesdkidentity::Client::from_conf(config);
    let call = client
        .describe_app_instance()
        .app_instance_arn("arn:fifo")
        .send();
    let err = tokio::time::timeout(Duration::from_secs(10), call)
        .await
        .expect("the call ends although the config file is a FIFO")
        .expect_err("no credentials");
    let report = format!("{:#}", anyhow::Error::new(err));
    assert!(report.contains(&fifo_path), "{report}");
    assert!(report.contains("not a regular file"), "{report}");
    assert!(server.requests().is_empty());
}
