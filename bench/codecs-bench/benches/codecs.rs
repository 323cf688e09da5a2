//! The runtime's codecs next to the official ones, in the same process and run. See
//! README.md (section 5) for what each group measures.
//!
//! - `eventstream_decode`: 1000 events of 1 KiB (three string headers each) arriving in 4 KiB
//!   reads: our `MessageDecoder` vs `aws-smithy-eventstream`'s `MessageFrameDecoder` over a
//!   `SegmentedBuf` (how its receiver uses it). Throughput in bytes of the stream.
//! - `eventstream_encode`: the same 1000 events encoded back to back.
//! - `cbor_encode` / `cbor_decode`: a 20-attribute DynamoDB-like item, serialized from and
//!   deserialized into typed values the way generated code does: ours (`codec::cbor`), raw
//!   minicbor, and `aws-smithy-cbor`.

use std::time::Duration;

use codecs_bench::{
    event_stream_reads, item, our_decode, our_encode, our_event, ours, raw_minicbor, smithy,
    their_decode, their_encode, their_event, EVENTS, PAYLOAD_LEN,
};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

fn event_streams(c: &mut Criterion) {
    let reads = event_stream_reads();
    let stream_len: usize = reads.iter().map(|r| r.len()).sum();
    assert_eq!(our_decode(&reads).expect("ours"), EVENTS * PAYLOAD_LEN);
    assert_eq!(their_decode(&reads).expect("theirs"), EVENTS * PAYLOAD_LEN);

    let mut group = c.benchmark_group("eventstream_decode");
    group.throughput(Throughput::Bytes(stream_len as u64));
    group.bench_function("ours", |b| {
        b.iter(|| our_decode(black_box(&reads)).expect("ours"))
    });
    group.bench_function("theirs", |b| {
        b.iter(|| their_decode(black_box(&reads)).expect("theirs"))
    });
    group.finish();

    let ours_events: Vec<_> = (0..EVENTS).map(our_event).collect();
    let their_events: Vec<_> = (0..EVENTS).map(their_event).collect();
    let mut group = c.benchmark_group("eventstream_encode");
    group.throughput(Throughput::Bytes(stream_len as u64));
    group.bench_function("ours", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(stream_len);
            our_encode(black_box(&ours_events), &mut out).expect("ours");
            out
        })
    });
    group.bench_function("theirs", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(stream_len);
            their_encode(black_box(&their_events), &mut out).expect("theirs");
            out
        })
    });
    group.finish();
}

fn cbor(c: &mut Criterion) {
    let item = item();
    let body = ours::encode(&item);
    assert_eq!(ours::decode(&body).expect("ours"), item);

    let mut group = c.benchmark_group("cbor_encode");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("ours", |b| b.iter(|| ours::encode(black_box(&item))));
    group.bench_function("minicbor", |b| {
        b.iter(|| raw_minicbor::encode(black_box(&item)).expect("minicbor"))
    });
    group.bench_function("aws-smithy-cbor", |b| {
        b.iter(|| smithy::encode(black_box(&item)))
    });
    group.finish();

    let mut group = c.benchmark_group("cbor_decode");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("ours", |b| {
        b.iter(|| ours::decode(black_box(&body)).expect("ours"))
    });
    group.bench_function("minicbor", |b| {
        b.iter(|| raw_minicbor::decode(black_box(&body)).expect("minicbor"))
    });
    group.bench_function("aws-smithy-cbor", |b| {
        b.iter(|| smithy::decode(black_box(&body)).expect("smithy"))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // Short runs: the machine is shared.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = event_streams, cbor
}
criterion_main!(benches);
