//! Pagination through the orchestrator: a hand-written paginated JSON operation answered by the
//! replay client, whose recorded requests show the next token (and the other input members) each
//! page was asked for. String tokens and map tokens (DynamoDB's `ExclusiveStartKey`), the end of
//! the stream (no token, an empty token, an error), repeated tokens, and the item streams.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;

use bytes::Bytes;
use futures_core::Stream;
use serde_json::{json, Value};
use smithy_rust_runtime::config::Builder;
use smithy_rust_runtime::contract::endpoint::{EndpointError, EndpointParams, ResolvedEndpoint};
use smithy_rust_runtime::contract::error::{
    BoxError, BuildError, CreateUnhandledError, DeserializeError, ErrorMetadata,
    ProvideErrorMetadata, SdkError,
};
use smithy_rust_runtime::contract::http::{HttpRequest, HttpResponse};
use smithy_rust_runtime::contract::operation::{
    Operation, ResponseFailure, SerializeContext, ServiceMeta,
};
use smithy_rust_runtime::credentials::Credentials;
use smithy_rust_runtime::env::region::Region;
use smithy_rust_runtime::orchestrator::blocking::{BlockingError, SendBlocking};
use smithy_rust_runtime::orchestrator::handle::Handle;
use smithy_rust_runtime::orchestrator::paginator::{
    ItemStream, PageStream, PageToken, Paginator, PaginatorItems, RepeatedTokenError,
};
use smithy_rust_runtime::retry::RetryConfig;
use smithy_rust_runtime::test_util::{CannedResponse, ReplayClient};

// ----------------------------------------------------------------------------------------
// The operation: `ListThings`, a JSON POST whose next token is a string or a map.
// ----------------------------------------------------------------------------------------

/// A next token as it is written in the request and read from the response.
trait WireToken: PageToken + fmt::Debug + PartialEq {
    fn to_json(&self) -> Value;
    fn from_json(value: &Value) -> Option<Self>;
}

impl WireToken for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }

    fn from_json(value: &Value) -> Option<Self> {
        value.as_str().map(str::to_owned)
    }
}

type Key = HashMap<String, String>;

impl WireToken for Key {
    fn to_json(&self) -> Value {
        json!(self)
    }

    fn from_json(value: &Value) -> Option<Self> {
        let object = value.as_object()?;
        object
            .iter()
            .map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
struct ListInput<K> {
    filter: Option<String>,
    max_results: Option<i32>,
    next_token: Option<K>,
}

#[derive(Debug, Clone, PartialEq)]
struct ListOutput<K> {
    things: Vec<String>,
    next_token: Option<K>,
}

#[derive(Debug)]
struct ListError(ErrorMetadata, BoxError);

impl fmt::Display for ListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.0, self.1)
    }
}

impl std::error::Error for ListError {}

impl ProvideErrorMetadata for ListError {
    fn meta(&self) -> &ErrorMetadata {
        &self.0
    }
}

impl CreateUnhandledError for ListError {
    fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self {
        ListError(meta.unwrap_or_default(), source)
    }
}

struct ListThings<K>(PhantomData<fn() -> K>);

impl<K: WireToken> Operation for ListThings<K> {
    type Input = ListInput<K>;
    type Output = ListOutput<K>;
    type Error = ListError;
    const NAME: &'static str = "ListThings";
    const IDEMPOTENT: bool = true;

    fn validate(input: &ListInput<K>) -> Result<(), BuildError> {
        match input.max_results {
            Some(n) if n < 1 => Err(BuildError::invalid_field(
                "ListInput.max_results",
                "must be at least 1",
            )),
            _ => Ok(()),
        }
    }

    fn serialize(input: &ListInput<K>, _ctx: &SerializeContext) -> Result<HttpRequest, BuildError> {
        let body = json!({
            "Filter": input.filter,
            "MaxResults": input.max_results,
            "NextToken": input.next_token.as_ref().map(WireToken::to_json),
        });
        http::Request::builder()
            .method("POST")
            .uri("/things")
            .header("content-type", "application/json")
            .body(Bytes::from(body.to_string()))
            .map_err(|e| BuildError::other(e.to_string()))
    }

    fn deserialize(response: &HttpResponse) -> Result<ListOutput<K>, ResponseFailure<ListError>> {
        if !response.status().is_success() {
            let code = response
                .headers()
                .get("x-amzn-errortype")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let meta = ErrorMetadata::new()
                .with_code(code)
                .with_status(Some(response.status().as_u16()));
            return Err(ResponseFailure::Service(ListError(
                meta,
                "unmodeled".into(),
            )));
        }
        let value: Value = serde_json::from_slice(response.body())
            .map_err(|e| DeserializeError::new(format!("invalid JSON body: {e}")))?;
        let things = value["Things"]
            .as_array()
            .ok_or_else(|| DeserializeError::new("`Things` is missing"))?
            .iter()
            .map(|t| t.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| DeserializeError::new("`Things` holds a non-string"))?;
        let next_token = match &value["NextToken"] {
            Value::Null => None,
            token => Some(
                K::from_json(token)
                    .ok_or_else(|| DeserializeError::new("`NextToken` has the wrong type"))?,
            ),
        };
        Ok(ListOutput { things, next_token })
    }
}

fn resolve(_params: &EndpointParams) -> Result<ResolvedEndpoint, EndpointError> {
    Ok(ResolvedEndpoint::new("https://things.example.com"))
}

static META: ServiceMeta = ServiceMeta {
    service_id: "Things",
    signing_name: "things",
    crate_name: "things-sdk",
    crate_version: "0.1.0",
    api_version: "2020-01-01",
    resolve_endpoint: resolve,
};

fn handle(replay: &ReplayClient) -> Handle {
    let config = Builder::new()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
        .retry_config(RetryConfig::disabled())
        .http_client(replay.clone())
        .build();
    Handle::new(config, &META)
}

/// A page the service answers with.
fn page(things: &[&str], next_token: Value) -> CannedResponse {
    CannedResponse::new(200)
        .header("content-type", "application/json")
        .body(json!({"Things": things, "NextToken": next_token}).to_string())
}

fn service_error(code: &str) -> CannedResponse {
    CannedResponse::new(400)
        .header("x-amzn-errortype", code)
        .body("{}")
}

/// The JSON body of every request the replay client received.
fn sent(replay: &ReplayClient) -> Vec<Value> {
    replay
        .requests()
        .iter()
        .map(|r| serde_json::from_slice(r.body()).expect("a JSON request body"))
        .collect()
}

fn input(next_token: Option<&str>) -> ListInput<String> {
    input_with(next_token.map(str::to_owned))
}

fn input_with<K>(next_token: Option<K>) -> ListInput<K> {
    ListInput {
        filter: Some("blue".into()),
        max_results: Some(2),
        next_token,
    }
}

fn set_token<K>(input: &mut ListInput<K>, token: Option<K>) {
    input.next_token = token;
}

fn get_token<K>(output: &ListOutput<K>) -> Option<&K> {
    output.next_token.as_ref()
}

/// The pages of `ListThings` from `input`, as a generated paginator builds them.
fn pages<K: WireToken>(
    replay: &ReplayClient,
    input: Result<ListInput<K>, BuildError>,
) -> PageStream<ListThings<K>, K> {
    let start = input.as_ref().ok().and_then(|i| i.next_token.clone());
    PageStream::new(handle(replay), input, None, set_token, get_token).starting_from(start)
}

fn things(output: ListOutput<String>) -> Vec<String> {
    output.things
}

fn things_of(pages: &[ListOutput<String>]) -> Vec<Vec<&str>> {
    pages
        .iter()
        .map(|p| p.things.iter().map(String::as_str).collect())
        .collect()
}

/// The message of a stream's error and whether it is the repeated-token error.
fn repeated_token(err: &SdkError<ListError>) -> Option<String> {
    match err {
        SdkError::ConstructionFailure(failure) => failure
            .source_error()
            .downcast_ref::<RepeatedTokenError>()
            .map(ToString::to_string),
        _ => None,
    }
}

/// The stream's results, at most `limit` of them: a stream that fails to end is cut off (and
/// the test fails on the count instead of running forever).
async fn at_most<K: WireToken>(
    mut stream: PageStream<ListThings<K>, K>,
    limit: usize,
) -> Vec<Result<ListOutput<K>, SdkError<ListError>>> {
    let mut results = Vec::new();
    while results.len() < limit {
        match stream.next().await {
            Some(result) => results.push(result),
            None => break,
        }
    }
    results
}

fn key(id: &str) -> Key {
    HashMap::from([("id".to_owned(), id.to_owned())])
}

// ----------------------------------------------------------------------------------------
// String tokens
// ----------------------------------------------------------------------------------------

#[tokio::test]
async fn pages_follow_the_next_token_and_keep_the_other_members() {
    let replay = ReplayClient::new([
        page(&["a", "b"], json!("t1")),
        page(&["c", "d"], json!("t2")),
        page(&["e"], Value::Null),
    ]);
    let mut stream = pages(&replay, Ok(input(None)));
    let mut got = Vec::new();
    while let Some(page) = stream.next().await {
        got.push(page.expect("a page"));
    }
    assert_eq!(things_of(&got), [vec!["a", "b"], vec!["c", "d"], vec!["e"]]);
    assert_eq!(
        sent(&replay),
        [
            json!({"Filter": "blue", "MaxResults": 2, "NextToken": null}),
            json!({"Filter": "blue", "MaxResults": 2, "NextToken": "t1"}),
            json!({"Filter": "blue", "MaxResults": 2, "NextToken": "t2"}),
        ]
    );
    // The stream stays ended and asks for nothing more.
    assert!(stream.next().await.is_none());
    assert!(stream.try_next().await.unwrap().is_none());
    assert_eq!(replay.requests().len(), 3);
}

#[tokio::test]
async fn the_first_request_sends_the_starting_token() {
    let replay = ReplayClient::new([page(&["x"], json!("t2")), page(&["y"], Value::Null)]);
    let got = pages(&replay, Ok(input(Some("t1"))))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(things_of(&got), [vec!["x"], vec!["y"]]);
    let tokens: Vec<Value> = sent(&replay)
        .iter()
        .map(|b| b["NextToken"].clone())
        .collect();
    assert_eq!(tokens, [json!("t1"), json!("t2")]);
}

#[tokio::test]
async fn an_empty_next_token_ends_the_stream() {
    let replay = ReplayClient::new([page(&["a"], json!("t1")), page(&["b"], json!(""))])
        .with_fallback(page(&["never"], Value::Null));
    let got = pages(&replay, Ok(input(None))).try_collect().await.unwrap();
    assert_eq!(things_of(&got), [vec!["a"], vec!["b"]]);
    assert_eq!(replay.requests().len(), 2);
}

#[tokio::test]
async fn a_repeated_token_ends_the_stream_with_an_error_instead_of_looping() {
    let replay = ReplayClient::new([
        page(&["a"], json!("t1")),
        page(&["b"], json!("t2")),
        page(&["c"], json!("t1")),
    ])
    .with_fallback(page(&["loop"], json!("t1")));
    let results = at_most(pages(&replay, Ok(input(None))), 6).await;
    assert_eq!(results.len(), 4, "{results:?}");
    let ok: Vec<_> = results[..3]
        .iter()
        .map(|r| r.as_ref().expect("a page").clone())
        .collect();
    assert_eq!(things_of(&ok), [vec!["a"], vec!["b"], vec!["c"]]);
    let err = results[3].as_ref().unwrap_err();
    assert_eq!(
        repeated_token(err).as_deref(),
        Some(
            "pagination of ListThings stopped after page 3: the service returned a next token \
             it had already returned"
        ),
        "{err:?}"
    );
    assert_eq!(replay.requests().len(), 3, "the repeated token is not sent");
}

#[tokio::test]
async fn a_service_repeating_the_starting_token_is_stopped_at_once() {
    let replay =
        ReplayClient::new([page(&["a"], json!("t0"))]).with_fallback(page(&["loop"], json!("t0")));
    let mut stream = pages(&replay, Ok(input(Some("t0"))));
    assert_eq!(stream.try_next().await.unwrap().unwrap().things, ["a"]);
    let err = stream.try_next().await.unwrap_err();
    assert!(
        repeated_token(&err).is_some_and(|m| m.contains("stopped after page 1")),
        "{err:?}"
    );
    assert!(
        stream.next().await.is_none(),
        "the stream ends after the error"
    );
    assert_eq!(replay.requests().len(), 1);
}

#[tokio::test]
async fn a_repeated_token_is_followed_when_duplicates_are_allowed() {
    // A log tail: the same token until new events arrive.
    let replay = ReplayClient::new([
        page(&["a"], json!("t1")),
        page(&[], json!("t1")),
        page(&["b"], json!("t1")),
        page(&["c"], Value::Null),
    ]);
    let got = pages(&replay, Ok(input(None)))
        .stop_on_duplicate_token(false)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(things_of(&got), [vec!["a"], vec![], vec!["b"], vec!["c"]]);
    let tokens: Vec<Value> = sent(&replay)
        .iter()
        .map(|b| b["NextToken"].clone())
        .collect();
    assert_eq!(tokens, [Value::Null, json!("t1"), json!("t1"), json!("t1")]);
}

#[tokio::test]
async fn an_error_mid_way_ends_the_stream_after_the_pages_before_it() {
    let replay = ReplayClient::new([page(&["a"], json!("t1")), service_error("AccessDenied")])
        .with_fallback(page(&["never"], Value::Null));
    let mut stream = pages(&replay, Ok(input(None)));
    assert_eq!(stream.next().await.unwrap().unwrap().things, ["a"]);
    let err = stream.next().await.unwrap().unwrap_err();
    assert_eq!(err.code(), Some("AccessDenied"));
    assert!(stream.next().await.is_none());
    assert_eq!(replay.requests().len(), 2);

    // try_collect gives the error, collect puts it last.
    let replay = ReplayClient::new([page(&["a"], json!("t1")), service_error("AccessDenied")]);
    let err = pages(&replay, Ok(input(None)))
        .try_collect()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("AccessDenied"));
    let replay = ReplayClient::new([page(&["a"], json!("t1")), service_error("AccessDenied")]);
    let results: Vec<Result<_, _>> = pages(&replay, Ok(input(None))).collect().await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert_eq!(
        results[1].as_ref().unwrap_err().code(),
        Some("AccessDenied")
    );
}

#[tokio::test]
async fn an_input_that_failed_to_build_is_the_only_item_and_nothing_is_sent() {
    let replay = ReplayClient::new([page(&["never"], Value::Null)]);
    let mut stream = pages::<String>(&replay, Err(BuildError::missing_field("filter", "")));
    let err = stream.next().await.unwrap().unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    assert!(err.to_string().contains("filter"), "{err}");
    assert!(stream.next().await.is_none());

    // An invalid input is refused by validation on the first call, which ends the stream.
    let mut stream = pages::<String>(
        &replay,
        Ok(ListInput {
            max_results: Some(0),
            ..input(None)
        }),
    );
    let err = stream.next().await.unwrap().unwrap_err();
    assert!(err.to_string().contains("max_results"), "{err}");
    assert!(stream.next().await.is_none());
    assert!(replay.requests().is_empty());
}

#[tokio::test]
async fn debug_shows_the_operation_the_pages_read_and_whether_the_stream_ended() {
    let replay = ReplayClient::new([page(&["a"], json!("t1")), page(&["b"], Value::Null)]);
    let mut stream = pages(&replay, Ok(input(None)));
    assert_eq!(
        format!("{stream:?}"),
        r#"PageStream { operation: "ListThings", pages: 0, done: false }"#
    );
    stream.next().await.unwrap().unwrap();
    assert_eq!(
        format!("{stream:?}"),
        r#"PageStream { operation: "ListThings", pages: 1, done: false }"#
    );
    stream.next().await.unwrap().unwrap();
    assert_eq!(
        format!("{stream:?}"),
        r#"PageStream { operation: "ListThings", pages: 2, done: true }"#
    );
    let items = PaginatorItems::new(pages(&replay, Ok(input(None))), things);
    assert_eq!(
        format!("{items:?}"),
        r#"PaginatorItems(ItemStream { pages: PageStream { operation: "ListThings", pages: 0, done: false } })"#
    );
}

#[tokio::test]
async fn page_streams_are_futures_streams() {
    let replay = ReplayClient::new([page(&["a"], json!("t1")), page(&["b"], Value::Null)]);
    let mut stream = pages(&replay, Ok(input(None)));
    let mut got = Vec::new();
    while let Some(page) = std::future::poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
        got.push(page.unwrap());
    }
    assert_eq!(things_of(&got), [vec!["a"], vec!["b"]]);
}

// ----------------------------------------------------------------------------------------
// Items
// ----------------------------------------------------------------------------------------

fn items(replay: &ReplayClient) -> ItemStream<ListThings<String>, String> {
    PaginatorItems::new(pages(replay, Ok(input(None))), things).send()
}

#[tokio::test]
async fn items_come_from_every_page_in_order_past_empty_pages() {
    let responses = || {
        [
            page(&["a", "b"], json!("t1")),
            page(&[], json!("t2")),
            page(&["c"], Value::Null),
        ]
    };
    let replay = ReplayClient::new(responses());
    let mut stream = items(&replay);
    let mut got = Vec::new();
    while let Some(item) = stream.next().await {
        got.push(item.unwrap());
    }
    assert_eq!(got, ["a", "b", "c"]);
    assert!(stream.try_next().await.unwrap().is_none());
    assert_eq!(replay.requests().len(), 3);

    let replay = ReplayClient::new(responses());
    assert_eq!(items(&replay).try_collect().await.unwrap(), ["a", "b", "c"]);

    let replay = ReplayClient::new(responses());
    let mut stream = items(&replay);
    let mut got = Vec::new();
    while let Some(item) = stream.try_next().await.unwrap() {
        got.push(item);
    }
    assert_eq!(got, ["a", "b", "c"]);

    let replay = ReplayClient::new(responses());
    let mut stream = items(&replay);
    let mut got = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
        got.push(item.unwrap());
    }
    assert_eq!(got, ["a", "b", "c"]);
}

#[tokio::test]
async fn an_error_mid_way_ends_the_items_after_those_before_it() {
    let responses = || {
        [
            page(&["a", "b"], json!("t1")),
            service_error("Throttled"),
            page(&["never"], Value::Null),
        ]
    };
    let replay = ReplayClient::new(responses());
    let results: Vec<Result<String, _>> = items(&replay).collect().await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(results[0].as_deref().unwrap(), "a");
    assert_eq!(results[1].as_deref().unwrap(), "b");
    assert_eq!(results[2].as_ref().unwrap_err().code(), Some("Throttled"));
    assert_eq!(replay.requests().len(), 2);

    let replay = ReplayClient::new(responses());
    let err = items(&replay).try_collect().await.unwrap_err();
    assert_eq!(err.code(), Some("Throttled"));
}

// ----------------------------------------------------------------------------------------
// Map tokens
// ----------------------------------------------------------------------------------------

#[tokio::test]
async fn map_tokens_are_followed_and_an_empty_map_ends_the_stream() {
    let replay = ReplayClient::new([
        page(&["a"], json!({"id": "1"})),
        page(&["b"], json!({"id": "2", "sort": "x"})),
        page(&["c"], json!({})),
    ])
    .with_fallback(page(&["never"], Value::Null));
    let got: Vec<ListOutput<Key>> = pages(&replay, Ok(input_with(None)))
        .try_collect()
        .await
        .unwrap();
    let got: Vec<&[String]> = got.iter().map(|p| p.things.as_slice()).collect();
    assert_eq!(got, [["a"], ["b"], ["c"]]);
    let tokens: Vec<Value> = sent(&replay)
        .iter()
        .map(|b| b["NextToken"].clone())
        .collect();
    assert_eq!(
        tokens,
        [
            Value::Null,
            json!({"id": "1"}),
            json!({"id": "2", "sort": "x"})
        ]
    );
}

#[tokio::test]
async fn a_repeated_map_token_is_an_error_whatever_the_order_of_its_keys() {
    let replay = ReplayClient::new([
        page(&["a"], json!({"id": "1", "sort": "x"})),
        page(&["b"], json!({"id": "2"})),
        page(&["c"], json!({"sort": "x", "id": "1"})),
    ])
    .with_fallback(page(&["loop"], json!({"id": "1", "sort": "x"})));
    let results = at_most(pages(&replay, Ok(input_with::<Key>(None))), 6).await;
    assert_eq!(results.len(), 4, "{results:?}");
    assert!(results[..3].iter().all(Result::is_ok));
    assert!(
        repeated_token(results[3].as_ref().unwrap_err())
            .is_some_and(|m| m.contains("stopped after page 3")),
        "{results:?}"
    );
    assert_eq!(replay.requests().len(), 3);

    // The starting key counts as seen.
    let replay = ReplayClient::new([page(&["a"], json!({"id": "0"}))])
        .with_fallback(page(&["loop"], json!({"id": "0"})));
    let results = at_most(pages(&replay, Ok(input_with(Some(key("0"))))), 6).await;
    assert_eq!(results.len(), 2, "{results:?}");
    assert!(repeated_token(results[1].as_ref().unwrap_err()).is_some());
    assert_eq!(replay.requests().len(), 1);
}

// ----------------------------------------------------------------------------------------
// Blocking iterators (feature `blocking`)
// ----------------------------------------------------------------------------------------

/// A paginator as a generated crate writes one (`client.list_things().into_paginator()`).
struct ThingsPaginator(ReplayClient);

impl Paginator for ThingsPaginator {
    type Operation = ListThings<String>;
    type Token = String;

    fn into_pages(self) -> PageStream<ListThings<String>, String> {
        pages(&self.0, Ok(input(None)))
    }
}

fn three_pages() -> ReplayClient {
    ReplayClient::new([
        page(&["a", "b"], json!("t1")),
        page(&[], json!("t2")),
        page(&["c"], Value::Null),
    ])
}

/// The construction failure of a blocking call that could not run.
fn blocking_error(err: &SdkError<ListError>) -> Option<&BlockingError> {
    match err {
        SdkError::ConstructionFailure(failure) => failure.source_error().downcast_ref(),
        _ => None,
    }
}

#[test]
fn blocking_pages_are_fetched_one_at_a_time_and_end_after_the_last() {
    let replay = three_pages();
    let mut pages = ThingsPaginator(replay.clone()).send_blocking();
    let debug = format!("{pages:?}");
    assert!(
        debug.starts_with(r#"Pages { stream: Some(PageStream { operation: "ListThings""#),
        "{debug}"
    );
    assert!(
        replay.requests().is_empty(),
        "nothing before the first page"
    );
    assert_eq!(pages.next().unwrap().unwrap().things, ["a", "b"]);
    assert_eq!(replay.requests().len(), 1, "one page, one request");
    let rest: Vec<_> = pages.by_ref().map(Result::unwrap).collect();
    assert_eq!(things_of(&rest), [vec![], vec!["c"]]);
    assert!(pages.next().is_none());
    assert_eq!(format!("{pages:?}"), "Pages { stream: None }");
    assert_eq!(replay.requests().len(), 3);
}

#[test]
fn blocking_items_come_from_every_page_and_end_after_an_error() {
    let replay = three_pages();
    let mut items =
        PaginatorItems::new(ThingsPaginator(replay).into_pages(), things).send_blocking();
    let debug = format!("{items:?}");
    assert!(
        debug.starts_with("Items { stream: Some(ItemStream { pages: PageStream {"),
        "{debug}"
    );
    let got: Vec<String> = items.by_ref().map(Result::unwrap).collect();
    assert_eq!(got, ["a", "b", "c"]);
    assert!(items.next().is_none());
    assert_eq!(format!("{items:?}"), "Items { stream: None }");

    let replay = ReplayClient::new([page(&["a"], json!("t1")), service_error("Throttled")])
        .with_fallback(page(&["never"], Value::Null));
    let results: Vec<_> = PaginatorItems::new(ThingsPaginator(replay.clone()).into_pages(), things)
        .send_blocking()
        .collect();
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0].as_deref().unwrap(), "a");
    assert_eq!(results[1].as_ref().unwrap_err().code(), Some("Throttled"));
    assert_eq!(replay.requests().len(), 2);

    let replay = ReplayClient::new([page(&["a"], json!("t1")), service_error("Throttled")])
        .with_fallback(page(&["never"], Value::Null));
    let results: Vec<_> = ThingsPaginator(replay.clone()).send_blocking().collect();
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap().things, ["a"]);
    assert_eq!(results[1].as_ref().unwrap_err().code(), Some("Throttled"));
    assert_eq!(replay.requests().len(), 2);
}

#[tokio::test]
async fn blocking_iterators_on_a_current_thread_runtime_give_an_error_and_end() {
    let replay = three_pages();
    let mut pages = ThingsPaginator(replay.clone()).send_blocking();
    let err = pages.next().unwrap().unwrap_err();
    assert!(
        blocking_error(&err).is_some_and(BlockingError::is_inside_current_thread_runtime),
        "{err:?}"
    );
    assert!(pages.next().is_none());

    let mut items =
        PaginatorItems::new(ThingsPaginator(replay.clone()).into_pages(), things).send_blocking();
    let err = items.next().unwrap().unwrap_err();
    assert!(
        blocking_error(&err).is_some_and(BlockingError::is_inside_current_thread_runtime),
        "{err:?}"
    );
    assert!(items.next().is_none());
    assert!(replay.requests().is_empty());
}
