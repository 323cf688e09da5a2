//! Per-call CPU of a DynamoDB GetItem and PutItem of a 20-attribute item: the generated client
//! (awsJson1_0, "ours") next to the official `aws-sdk-dynamodb` ("theirs"), and the same
//! generated client over rpcv2Cbor ("ours_cbor"), on the same inputs, in the same process.
//! See README.md, section 7, for what each group measures exactly.
//!
//! Groups:
//! - `get_send`: the whole `send()` of GetItem (serialize, endpoint, sign, parse the item)
//!   against an HTTP client answering at once with the canned item (ours: a static
//!   `HttpClient`; theirs: `infallible_client_fn`).
//! - `put_send`: the whole `send()` of PutItem of the item (the input built in the call, as a
//!   user does), answered at once with an empty body.
//! - `get_send_cpu`, `put_send_cpu`: the same calls measured in CPU time of the benchmarking
//!   thread (`thread_cpu::ThreadCpuTime`) instead of wall time; every part of a call runs on that
//!   thread (a current-thread runtime), which the group checks before measuring.
//! - `get_parse`: ours and ours_cbor only (theirs' deserializer is private): `Operation::deserialize`
//!   of the GetItem response.
//! - `put_serialize`: ours and ours_cbor only: `Operation::serialize` of the PutItem input.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use criterion::measurement::Measurement;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use dynamodb_bench::{
    get_item_cbor, get_item_json, item, key, our_cbor_client, our_client, their_client,
    StaticClient, CBOR_HEADERS, JSON_HEADERS, TABLE,
};
use smithy_rust_runtime::contract::operation::{
    Operation, RandomIdempotencyTokens, SerializeContext,
};
use thread_cpu::ThreadCpuTime;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn json_body() -> Bytes {
    Bytes::from(get_item_json(&item()))
}

fn cbor_body() -> Bytes {
    Bytes::from(get_item_cbor(&item()).unwrap())
}

fn response(body: Bytes, headers: &[(&'static str, &'static str)]) -> http::Response<Bytes> {
    let mut response = http::Response::new(body);
    for (name, value) in headers {
        response
            .headers_mut()
            .insert(*name, http::HeaderValue::from_static(value));
    }
    response
}

fn get_send(c: &mut Criterion) {
    get_send_in(c, "get_send");
}

fn get_send_cpu(c: &mut Criterion<ThreadCpuTime>) {
    get_send_in(c, "get_send_cpu");
}

fn get_send_in<M: Measurement>(c: &mut Criterion<M>, group_name: &str) {
    let rt = runtime();
    let ours = our_client(StaticClient::new(json_body(), JSON_HEADERS));
    let ours_cbor = our_cbor_client(StaticClient::new(cbor_body(), CBOR_HEADERS));
    let theirs = their_client(json_body());
    let (key, expected) = (key(), item());
    eprintln!(
        "GetItem response body: {} bytes of JSON, {} bytes of CBOR",
        json_body().len(),
        cbor_body().len()
    );
    // Every client reads the whole item back, or the comparison is meaningless.
    rt.block_on(async {
        let a = ours
            .get_item()
            .table_name(TABLE)
            .set_key(Some(dynamodb_bench::ours::item(&key)))
            .send()
            .await
            .unwrap();
        assert_eq!(dynamodb_bench::ours::from_item(a.item().unwrap()), expected);
        let b = ours_cbor
            .get_item()
            .table_name(TABLE)
            .set_key(Some(dynamodb_bench::ours_cbor::item(&key)))
            .send()
            .await
            .unwrap();
        assert_eq!(
            dynamodb_bench::ours_cbor::from_item(b.item().unwrap()),
            expected
        );
        let c = theirs
            .get_item()
            .table_name(TABLE)
            .set_key(Some(dynamodb_bench::theirs::item(&key)))
            .send()
            .await
            .unwrap();
        assert_eq!(
            dynamodb_bench::theirs::from_item(c.item().unwrap()),
            expected
        );
    });

    if group_name.ends_with("_cpu") {
        thread_cpu::assert_runs_on_this_thread("GetItem, ours", || {
            rt.block_on(
                ours.get_item()
                    .table_name(TABLE)
                    .set_key(Some(dynamodb_bench::ours::item(&key)))
                    .send(),
            )
            .unwrap();
        });
        thread_cpu::assert_runs_on_this_thread("GetItem, theirs", || {
            rt.block_on(
                theirs
                    .get_item()
                    .table_name(TABLE)
                    .set_key(Some(dynamodb_bench::theirs::item(&key)))
                    .send(),
            )
            .unwrap();
        });
    }

    let mut group = c.benchmark_group(group_name);
    group.bench_function("ours", |bench| {
        bench.iter(|| {
            rt.block_on(async {
                ours.get_item()
                    .table_name(TABLE)
                    .set_key(Some(dynamodb_bench::ours::item(&key)))
                    .send()
                    .await
                    .unwrap()
            })
        })
    });
    group.bench_function("theirs", |bench| {
        bench.iter(|| {
            rt.block_on(async {
                theirs
                    .get_item()
                    .table_name(TABLE)
                    .set_key(Some(dynamodb_bench::theirs::item(&key)))
                    .send()
                    .await
                    .unwrap()
            })
        })
    });
    group.bench_function("ours_cbor", |bench| {
        bench.iter(|| {
            rt.block_on(async {
                ours_cbor
                    .get_item()
                    .table_name(TABLE)
                    .set_key(Some(dynamodb_bench::ours_cbor::item(&key)))
                    .send()
                    .await
                    .unwrap()
            })
        })
    });
    group.finish();
}

fn put_send(c: &mut Criterion) {
    put_send_in(c, "put_send");
}

fn put_send_cpu(c: &mut Criterion<ThreadCpuTime>) {
    put_send_in(c, "put_send_cpu");
}

fn put_send_in<M: Measurement>(c: &mut Criterion<M>, group_name: &str) {
    let rt = runtime();
    let ours = our_client(StaticClient::new("{}", JSON_HEADERS));
    // An empty CBOR map.
    let ours_cbor = our_cbor_client(StaticClient::new(vec![0xa0], CBOR_HEADERS));
    let theirs = their_client("{}");
    let item = item();
    // The inputs as each client's users hold them; each call clones one into the request.
    let (our_item, our_cbor_item, their_item) = (
        dynamodb_bench::ours::item(&item),
        dynamodb_bench::ours_cbor::item(&item),
        dynamodb_bench::theirs::item(&item),
    );
    rt.block_on(async {
        ours.put_item()
            .table_name(TABLE)
            .set_item(Some(our_item.clone()))
            .send()
            .await
            .unwrap();
        ours_cbor
            .put_item()
            .table_name(TABLE)
            .set_item(Some(our_cbor_item.clone()))
            .send()
            .await
            .unwrap();
        theirs
            .put_item()
            .table_name(TABLE)
            .set_item(Some(their_item.clone()))
            .send()
            .await
            .unwrap();
    });

    if group_name.ends_with("_cpu") {
        thread_cpu::assert_runs_on_this_thread("PutItem, ours", || {
            rt.block_on(
                ours.put_item()
                    .table_name(TABLE)
                    .set_item(Some(our_item.clone()))
                    .send(),
            )
            .unwrap();
        });
        thread_cpu::assert_runs_on_this_thread("PutItem, theirs", || {
            rt.block_on(
                theirs
                    .put_item()
                    .table_name(TABLE)
                    .set_item(Some(their_item.clone()))
                    .send(),
            )
            .unwrap();
        });
    }

    let mut group = c.benchmark_group(group_name);
    group.bench_function("ours", |bench| {
        bench.iter(|| {
            rt.block_on(async {
                ours.put_item()
                    .table_name(TABLE)
                    .set_item(Some(our_item.clone()))
                    .send()
                    .await
                    .unwrap()
            })
        })
    });
    group.bench_function("theirs", |bench| {
        bench.iter(|| {
            rt.block_on(async {
                theirs
                    .put_item()
                    .table_name(TABLE)
                    .set_item(Some(their_item.clone()))
                    .send()
                    .await
                    .unwrap()
            })
        })
    });
    group.bench_function("ours_cbor", |bench| {
        bench.iter(|| {
            rt.block_on(async {
                ours_cbor
                    .put_item()
                    .table_name(TABLE)
                    .set_item(Some(our_cbor_item.clone()))
                    .send()
                    .await
                    .unwrap()
            })
        })
    });
    group.finish();
}

fn get_parse(c: &mut Criterion) {
    let json = response(json_body(), JSON_HEADERS);
    let cbor = response(cbor_body(), CBOR_HEADERS);
    let expected = item();
    let a = dynamodb::operation::get_item::GetItem::deserialize(&json).unwrap();
    assert_eq!(dynamodb_bench::ours::from_item(a.item().unwrap()), expected);
    let b = dynamodb_cbor::operation::get_item::GetItem::deserialize(&cbor).unwrap();
    assert_eq!(
        dynamodb_bench::ours_cbor::from_item(b.item().unwrap()),
        expected
    );

    let mut group = c.benchmark_group("get_parse");
    group.bench_function("ours", |bench| {
        bench
            .iter(|| dynamodb::operation::get_item::GetItem::deserialize(black_box(&json)).unwrap())
    });
    group.bench_function("ours_cbor", |bench| {
        bench.iter(|| {
            dynamodb_cbor::operation::get_item::GetItem::deserialize(black_box(&cbor)).unwrap()
        })
    });
    group.finish();
}

fn put_serialize(c: &mut Criterion) {
    let ctx = SerializeContext::new(Arc::new(RandomIdempotencyTokens));
    let item = item();
    let json_input = dynamodb::operation::put_item::PutItemInput::builder()
        .table_name(TABLE)
        .set_item(Some(dynamodb_bench::ours::item(&item)))
        .build()
        .unwrap();
    let cbor_input = dynamodb_cbor::operation::put_item::PutItemInput::builder()
        .table_name(TABLE)
        .set_item(Some(dynamodb_bench::ours_cbor::item(&item)))
        .build()
        .unwrap();
    let json = dynamodb::operation::put_item::PutItem::serialize(&json_input, &ctx).unwrap();
    let cbor = dynamodb_cbor::operation::put_item::PutItem::serialize(&cbor_input, &ctx).unwrap();
    eprintln!(
        "PutItem request body: {} bytes of JSON, {} bytes of CBOR",
        json.body().len(),
        cbor.body().len()
    );

    let mut group = c.benchmark_group("put_serialize");
    group.bench_function("ours", |bench| {
        bench.iter(|| {
            dynamodb::operation::put_item::PutItem::serialize(black_box(&json_input), &ctx).unwrap()
        })
    });
    group.bench_function("ours_cbor", |bench| {
        bench.iter(|| {
            dynamodb_cbor::operation::put_item::PutItem::serialize(black_box(&cbor_input), &ctx)
                .unwrap()
        })
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = get_send, put_send, get_parse, put_serialize
}
criterion_group! {
    name = cpu_benches;
    config = config().with_measurement(ThreadCpuTime);
    targets = get_send_cpu, put_send_cpu
}
criterion_main!(benches, cpu_benches);
