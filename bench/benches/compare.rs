//! Per-call CPU of the generated client ("ours") next to the official `aws-sdk-chimesdkidentity`
//! ("theirs"), on the same inputs, in the same process. See README.md for what each group
//! measures exactly.
//!
//! Groups:
//! - `sign`: SigV4-signing one identical serialized CreateAppInstance request: our
//!   `smithy_rust_runtime::sigv4::sign_request` vs `aws_sigv4::http_request::sign` (+ applying the instructions).
//! - `create_serialize_sign`: ours only (theirs has no public serializer): build the input,
//!   `Operation::serialize`, join the endpoint, `sign_request`.
//! - `create_send`: the whole `send()` of CreateAppInstance against an HTTP client that answers
//!   at once with a canned 200 (ours: a static `HttpClient`; theirs: `infallible_client_fn`).
//! - `list_parse`: ours only: `Operation::deserialize` of a 50-item ListAppInstances response.
//! - `list_send`: the whole `send()` of ListAppInstances against the same kind of static client
//!   answering with the 50-item response.
//! - `http_create`: a full CreateAppInstance call over HTTP/1.1 to a tiny server on 127.0.0.1.
//! - `sign_cpu`, `create_send_cpu`, `list_send_cpu`: `sign`, `create_send` and `list_send`
//!   measured in CPU time of the benchmarking thread (`thread_cpu::ThreadCpuTime`) instead of wall
//!   time; every part of a call runs on that thread (a current-thread runtime), which the `_send`
//!   groups check before measuring.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use chime_bench::{
    create_app_instance_body, list_app_instances_body, TinyServer, ACCESS_KEY,
    APP_INSTANCE_METADATA, APP_INSTANCE_NAME, CLIENT_REQUEST_TOKEN, REGION, SECRET_KEY,
    SIGNING_TIME_SECS,
};
use criterion::measurement::Measurement;
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use thread_cpu::ThreadCpuTime;

use chimesdkidentity::config::{BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse};
use smithy_rust_runtime::contract::operation::{
    Operation, RandomIdempotencyTokens, SerializeContext,
};

/// The endpoint the generated resolver gives for us-east-1 (used for the pure signing benches).
const ENDPOINT: &str = "https://identity-chime.us-east-1.amazonaws.com";

fn signing_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(SIGNING_TIME_SECS)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Ours

/// An `HttpClient` answering every request at once with one canned response, recording nothing
/// (the counterpart of the official `infallible_client_fn`).
#[derive(Debug, Clone)]
struct StaticClient {
    body: Bytes,
}

impl HttpClient for StaticClient {
    fn call(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        let response = http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(self.body.clone())
            .unwrap();
        Box::pin(async move { Ok(response) })
    }
}

fn our_config() -> chimesdkidentity::config::Builder {
    use chimesdkidentity::config::{Credentials, Region, RetryConfig};
    chimesdkidentity::Config::builder()
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new(
            ACCESS_KEY, SECRET_KEY, None, None, "bench",
        ))
        .retry_config(RetryConfig::disabled())
        .time_source(chimesdkidentity::config::StaticTimeSource::new(
            signing_time(),
        ))
}

fn our_static_client(body: String) -> chimesdkidentity::Client {
    chimesdkidentity::Client::from_conf(
        our_config()
            .http_client(StaticClient {
                body: Bytes::from(body),
            })
            .build(),
    )
}

fn our_create_input() -> chimesdkidentity::operation::create_app_instance::CreateAppInstanceInput {
    chimesdkidentity::operation::create_app_instance::CreateAppInstanceInput::builder()
        .name(APP_INSTANCE_NAME)
        .metadata(APP_INSTANCE_METADATA)
        .client_request_token(CLIENT_REQUEST_TOKEN)
        .build()
        .unwrap()
}

/// What the runtime gives serializers (the input carries its own `ClientRequestToken`, so no
/// token is drawn).
fn serialize_context() -> SerializeContext {
    SerializeContext::new(Arc::new(RandomIdempotencyTokens))
}

/// Our serialized CreateAppInstance request with the endpoint joined, ready to sign.
fn our_serialized(ctx: &SerializeContext) -> HttpRequest {
    use chimesdkidentity::operation::create_app_instance::CreateAppInstance;
    let input = our_create_input();
    let mut request = CreateAppInstance::serialize(&input, ctx).unwrap();
    let uri = format!("{ENDPOINT}{}", request.uri());
    *request.uri_mut() = uri.parse().unwrap();
    request
}

fn our_sign(request: &mut HttpRequest, credentials: &chimesdkidentity::config::Credentials) {
    use smithy_rust_runtime::sigv4::{sign_request, SigningParams, SigningSettings};
    let params = SigningParams {
        credentials,
        region: REGION,
        service: "chime",
        time: signing_time(),
        settings: SigningSettings::default(),
    };
    sign_request(request, &params).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Theirs

fn their_config() -> aws_sdk_chimesdkidentity::config::Builder {
    use aws_sdk_chimesdkidentity::config::retry::RetryConfig;
    use aws_sdk_chimesdkidentity::config::{BehaviorVersion, Credentials, Region};
    aws_sdk_chimesdkidentity::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new(
            ACCESS_KEY, SECRET_KEY, None, None, "bench",
        ))
        .retry_config(RetryConfig::disabled())
        .time_source(aws_smithy_async::time::StaticTimeSource::new(signing_time()))
}

fn their_static_client(body: String) -> aws_sdk_chimesdkidentity::Client {
    use aws_smithy_types::body::SdkBody;
    let body = Bytes::from(body);
    let http = aws_smithy_http_client::test_util::infallible_client_fn(move |_request| {
        http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(SdkBody::from(body.clone()))
            .unwrap()
    });
    aws_sdk_chimesdkidentity::Client::from_conf(their_config().http_client(http).build())
}

/// Signs `request` with aws-sigv4 (the signer the official SDK uses) and applies the result.
fn their_sign(
    request: &mut http::Request<Bytes>,
    identity: &aws_smithy_runtime_api::client::identity::Identity,
) {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    use aws_sigv4::sign::v4;
    let params = v4::SigningParams::builder()
        .identity(identity)
        .region(REGION)
        .name("chime")
        .time(signing_time())
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let uri = request.uri().to_string();
    let signable = SignableRequest::new(
        request.method().as_str(),
        uri.as_str(),
        request
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str(), value.to_str().unwrap())),
        SignableBody::Bytes(request.body()),
    )
    .unwrap();
    let (instructions, _signature) = sign(signable, &params).unwrap().into_parts();
    instructions.apply_to_request_http1x(request);
}

// ---------------------------------------------------------------------------------------------
// Benches

fn sign(c: &mut Criterion) {
    sign_in(c, "sign");
}

fn sign_cpu(c: &mut Criterion<ThreadCpuTime>) {
    sign_in(c, "sign_cpu");
}

fn sign_in<M: Measurement>(c: &mut Criterion<M>, group_name: &str) {
    let ctx = serialize_context();
    let unsigned = our_serialized(&ctx);
    let copy = |r: &HttpRequest| {
        let mut out = http::Request::new(r.body().clone());
        *out.method_mut() = r.method().clone();
        *out.uri_mut() = r.uri().clone();
        *out.headers_mut() = r.headers().clone();
        out
    };
    let credentials =
        chimesdkidentity::config::Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "bench");
    let identity: aws_smithy_runtime_api::client::identity::Identity =
        aws_credential_types::Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "bench").into();

    // Both signers must agree on the same input, or the comparison is meaningless.
    let mut a = copy(&unsigned);
    our_sign(&mut a, &credentials);
    let mut b = copy(&unsigned);
    their_sign(&mut b, &identity);
    assert_eq!(
        a.headers().get("authorization"),
        b.headers().get("authorization"),
        "the two signers disagree"
    );

    let mut group = c.benchmark_group(group_name);
    group.bench_function("ours", |bench| {
        bench.iter_batched(
            || copy(&unsigned),
            |mut request| {
                our_sign(&mut request, &credentials);
                request
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("theirs_aws_sigv4", |bench| {
        bench.iter_batched(
            || copy(&unsigned),
            |mut request| {
                their_sign(&mut request, &identity);
                request
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn create_serialize_sign(c: &mut Criterion) {
    let ctx = serialize_context();
    let credentials =
        chimesdkidentity::config::Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "bench");
    let mut group = c.benchmark_group("create_serialize_sign");
    group.bench_function("ours", |bench| {
        bench.iter(|| {
            let mut request = our_serialized(&ctx);
            our_sign(&mut request, &credentials);
            black_box(request)
        })
    });
    group.finish();
}

fn create_send(c: &mut Criterion) {
    create_send_in(c, "create_send");
}

fn create_send_cpu(c: &mut Criterion<ThreadCpuTime>) {
    create_send_in(c, "create_send_cpu");
}

fn create_send_in<M: Measurement>(c: &mut Criterion<M>, group_name: &str) {
    let rt = runtime();
    let ours = our_static_client(create_app_instance_body());
    let theirs = their_static_client(create_app_instance_body());
    let arn = chime_bench::app_instance_arn(0);
    // Sanity: both clients parse the canned answer.
    rt.block_on(async {
        let a = ours
            .create_app_instance()
            .name(APP_INSTANCE_NAME)
            .send()
            .await
            .unwrap();
        assert_eq!(a.app_instance_arn(), Some(arn.as_str()));
        let b = theirs
            .create_app_instance()
            .name(APP_INSTANCE_NAME)
            .send()
            .await
            .unwrap();
        assert_eq!(b.app_instance_arn(), Some(arn.as_str()));
    });

    if group_name.ends_with("_cpu") {
        thread_cpu::assert_runs_on_this_thread("CreateAppInstance, ours", || {
            rt.block_on(
                ours.create_app_instance()
                    .name(APP_INSTANCE_NAME)
                    .metadata(APP_INSTANCE_METADATA)
                    .client_request_token(CLIENT_REQUEST_TOKEN)
                    .send(),
            )
            .unwrap();
        });
        thread_cpu::assert_runs_on_this_thread("CreateAppInstance, theirs", || {
            rt.block_on(
                theirs
                    .create_app_instance()
                    .name(APP_INSTANCE_NAME)
                    .metadata(APP_INSTANCE_METADATA)
                    .client_request_token(CLIENT_REQUEST_TOKEN)
                    .send(),
            )
            .unwrap();
        });
    }

    let mut group = c.benchmark_group(group_name);
    group.bench_function("ours", |bench| {
        bench.iter(|| {
            rt.block_on(async {
                ours.create_app_instance()
                    .name(APP_INSTANCE_NAME)
                    .metadata(APP_INSTANCE_METADATA)
                    .client_request_token(CLIENT_REQUEST_TOKEN)
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
                    .create_app_instance()
                    .name(APP_INSTANCE_NAME)
                    .metadata(APP_INSTANCE_METADATA)
                    .client_request_token(CLIENT_REQUEST_TOKEN)
                    .send()
                    .await
                    .unwrap()
            })
        })
    });
    group.finish();
}

fn list_parse(c: &mut Criterion) {
    use chimesdkidentity::operation::list_app_instances::ListAppInstances;
    let response: HttpResponse = http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(Bytes::from(list_app_instances_body(50)))
        .unwrap();
    let parsed = ListAppInstances::deserialize(&response).unwrap();
    assert_eq!(parsed.app_instances().len(), 50);
    let mut group = c.benchmark_group("list_parse");
    group.bench_function("ours", |bench| {
        bench.iter(|| ListAppInstances::deserialize(black_box(&response)).unwrap())
    });
    group.finish();
}

fn list_send(c: &mut Criterion) {
    list_send_in(c, "list_send");
}

fn list_send_cpu(c: &mut Criterion<ThreadCpuTime>) {
    list_send_in(c, "list_send_cpu");
}

fn list_send_in<M: Measurement>(c: &mut Criterion<M>, group_name: &str) {
    let rt = runtime();
    let ours = our_static_client(list_app_instances_body(50));
    let theirs = their_static_client(list_app_instances_body(50));
    rt.block_on(async {
        let a = ours.list_app_instances().send().await.unwrap();
        assert_eq!(a.app_instances().len(), 50);
        let b = theirs.list_app_instances().send().await.unwrap();
        assert_eq!(b.app_instances().len(), 50);
        assert_eq!(a.app_instances()[49].name(), b.app_instances()[49].name());
    });
    if group_name.ends_with("_cpu") {
        thread_cpu::assert_runs_on_this_thread("ListAppInstances, ours", || {
            rt.block_on(ours.list_app_instances().send()).unwrap();
        });
        thread_cpu::assert_runs_on_this_thread("ListAppInstances, theirs", || {
            rt.block_on(theirs.list_app_instances().send()).unwrap();
        });
    }
    let mut group = c.benchmark_group(group_name);
    group.bench_function("ours", |bench| {
        bench.iter(|| rt.block_on(async { ours.list_app_instances().send().await.unwrap() }))
    });
    group.bench_function("theirs", |bench| {
        bench.iter(|| rt.block_on(async { theirs.list_app_instances().send().await.unwrap() }))
    });
    group.finish();
}

fn http_create(c: &mut Criterion) {
    let rt = runtime();
    let server = TinyServer::start(create_app_instance_body()).unwrap();
    let ours = chimesdkidentity::Client::from_conf(our_config().endpoint_url(server.url()).build());
    let theirs = aws_sdk_chimesdkidentity::Client::from_conf(
        their_config().endpoint_url(server.url()).build(),
    );
    let arn = chime_bench::app_instance_arn(0);
    rt.block_on(async {
        let a = ours
            .create_app_instance()
            .name(APP_INSTANCE_NAME)
            .send()
            .await
            .unwrap();
        assert_eq!(a.app_instance_arn(), Some(arn.as_str()));
        let b = theirs
            .create_app_instance()
            .name(APP_INSTANCE_NAME)
            .send()
            .await
            .unwrap();
        assert_eq!(b.app_instance_arn(), Some(arn.as_str()));
    });
    let mut group = c.benchmark_group("http_create");
    group.bench_function("ours", |bench| {
        bench.iter(|| {
            rt.block_on(async {
                ours.create_app_instance()
                    .name(APP_INSTANCE_NAME)
                    .metadata(APP_INSTANCE_METADATA)
                    .client_request_token(CLIENT_REQUEST_TOKEN)
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
                    .create_app_instance()
                    .name(APP_INSTANCE_NAME)
                    .metadata(APP_INSTANCE_METADATA)
                    .client_request_token(CLIENT_REQUEST_TOKEN)
                    .send()
                    .await
                    .unwrap()
            })
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
    targets = sign, create_serialize_sign, create_send, list_parse, list_send, http_create
}
criterion_group! {
    name = cpu_benches;
    config = config().with_measurement(ThreadCpuTime);
    targets = sign_cpu, create_send_cpu, list_send_cpu
}
criterion_main!(benches, cpu_benches);
