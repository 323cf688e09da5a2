//! Secrets never leave the crate: every operation and every error path runs under a capturing
//! tracing subscriber at TRACE level, and everything captured plus the `Debug`/`Display` of every
//! input, builder, output, error, config and client is searched for planted markers: the secret
//! access key, the session token, the request signature the server observed (the Authorization
//! value is computed from the secret), and values of `@sensitive` members in requests and
//! responses. Also: the endpoint rules refuse regions that would put user input into the host
//! name, and no request leaves when they do.

use std::error::Error as StdError;
use std::fmt::Debug;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use chimesdkidentity::config::{Credentials, Region, RetryConfig};
use chimesdkidentity::types::{
    AllowMessages, AppInstanceRetentionSettings, AppInstanceUserEndpointType,
    ChannelRetentionSettings, Configuration, EndpointAttributes, ExpirationCriterion,
    ExpirationSettings, InvokedBy, LexConfiguration, RespondsTo, StandardMessages, Tag,
    TargetedMessages,
};
use chimesdkidentity::Client;
use e2e_tests::faults::{Action, CaptureWriter, FaultServer};
use e2e_tests::server::{Reply, TestServer};
use serde_json::json;
use smithy_rust_runtime::contract::http::{BoxFuture, ConnectorError, HttpClient};
use smithy_rust_runtime::contract::http::{HttpRequest, HttpResponse};
use smithy_rust_runtime::transport::{DefaultHttpClient, HttpClientSettings, ProxySettings};
use tracing_subscriber::fmt::format::FmtSpan;

const ACCESS_KEY: &str = "AKIDPLAIN";
const SECRET_KEY: &str = "sEcReTkEyMaRkEr0xA1";
const SESSION_TOKEN: &str = "sEsSiOnToKeNmArKeR0xB2";
// Sensitive members sent in requests (alphanumeric so that they pass the model's patterns).
const IN_NAME: &str = "InNameMarkerC3";
const IN_META: &str = "InMetaMarkerD4";
const IN_NEXT: &str = "InNextTokenMarkerE5";
const IN_TAG_KEY: &str = "InTagKeyMarkerF6";
const IN_TAG_VALUE: &str = "InTagValueMarkerG7";
const IN_USER_ID: &str = "InUserIdMarkerH8";
const IN_DEVICE: &str = "InDeviceTokenMarkerI9";
const IN_VOIP: &str = "InVoipTokenMarkerJ0";
// Sensitive members in responses.
const OUT_NAME: &str = "OutNameMarkerK1";
const OUT_META: &str = "OutMetaMarkerL2";
const OUT_NEXT: &str = "OutNextTokenMarkerM3";
const OUT_TAG_KEY: &str = "OutTagKeyMarkerN4";
const OUT_TAG_VALUE: &str = "OutTagValueMarkerO5";
const OUT_DEVICE: &str = "OutDeviceTokenMarkerP6";
const OUT_VOIP: &str = "OutVoipTokenMarkerQ7";

const MARKERS: [&str; 17] = [
    SECRET_KEY,
    SESSION_TOKEN,
    IN_NAME,
    IN_META,
    IN_NEXT,
    IN_TAG_KEY,
    IN_TAG_VALUE,
    IN_USER_ID,
    IN_DEVICE,
    IN_VOIP,
    OUT_NAME,
    OUT_META,
    OUT_NEXT,
    OUT_TAG_KEY,
    OUT_TAG_VALUE,
    OUT_DEVICE,
    OUT_VOIP,
];

const ARN: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/a1";
const USER_ARN: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/a1/user/u1";
const BOT_ARN: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/a1/bot/b1";
const LEX_ARN: &str = "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/KLMNOPQRST";

/// A response body that answers every operation, with markers in every sensitive member.
fn universal_body(timestamp: serde_json::Value) -> serde_json::Value {
    let named = json!({
        "AppInstanceArn": ARN, "AppInstanceUserArn": USER_ARN, "AppInstanceBotArn": BOT_ARN,
        "Arn": USER_ARN, "Name": OUT_NAME, "Metadata": OUT_META,
        "CreatedTimestamp": timestamp, "LastUpdatedTimestamp": 1_700_000_000,
        "Admin": {"Arn": USER_ARN, "Name": OUT_NAME},
        "EndpointId": "e1", "ResourceArn": ARN, "Type": "GCM",
        "EndpointAttributes": {"DeviceToken": OUT_DEVICE, "VoipDeviceToken": OUT_VOIP},
        "EndpointState": {"Status": "ACTIVE"}, "AllowMessages": "ALL",
        "ExpirationSettings": {"ExpirationDays": 1, "ExpirationCriterion": "CREATED_TIMESTAMP"},
    });
    json!({
        "AppInstanceArn": ARN, "AppInstanceUserArn": USER_ARN, "AppInstanceBotArn": BOT_ARN,
        "EndpointId": "e1",
        "AppInstance": named, "AppInstanceAdmin": named, "AppInstanceBot": named,
        "AppInstanceUser": named, "AppInstanceUserEndpoint": named,
        "AppInstanceAdmins": [named], "AppInstanceBots": [named], "AppInstanceUsers": [named],
        "AppInstanceUserEndpoints": [named], "AppInstances": [named],
        "Tags": [{"Key": OUT_TAG_KEY, "Value": OUT_TAG_VALUE}],
        "NextToken": OUT_NEXT,
        "AppInstanceRetentionSettings": {"ChannelRetentionSettings": {"RetentionDays": 3}},
        "InitiateDeletionTimestamp": 1_700_000_000,
        "ExpirationSettings": {"ExpirationDays": 1, "ExpirationCriterion": "CREATED_TIMESTAMP"},
    })
}

/// How the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Mode {
    Success = 0,
    ModeledError = 1,
    UnhandledError = 2,
    Unparseable = 3,
    Throttled = 4,
}

const MODES: [Mode; 5] = [
    Mode::Success,
    Mode::ModeledError,
    Mode::UnhandledError,
    Mode::Unparseable,
    Mode::Throttled,
];

fn reply(mode: u8) -> Reply {
    match mode {
        0 => Reply::json(200, &universal_body(json!(1_700_000_000.5))),
        1 => Reply::json(
            400,
            &json!({"Code": "BadRequestException", "Message": "bad request"}),
        )
        .header("x-amzn-errortype", "BadRequestException")
        .header("x-amzn-requestid", "req-1"),
        // An error the model does not know, whose body echoes sensitive values.
        2 => Reply::json(
            418,
            &json!({"Code": "TeapotException", "Message": "short and stout", "Name": OUT_NAME, "NextToken": OUT_NEXT}),
        ),
        // A success whose body cannot be read (a timestamp of the wrong type) but carries
        // sensitive values next to it.
        3 => Reply::json(200, &universal_body(json!("not a timestamp"))),
        _ => Reply::json(
            429,
            &json!({"Code": "ThrottledClientException", "Message": "slow down"}),
        ),
    }
}

/// Everything the crate printed or formatted during the test.
#[derive(Default)]
struct Seen {
    text: String,
    renders: usize,
}

impl Seen {
    fn debug(&mut self, value: &dyn Debug) {
        self.text.push_str(&format!("{value:?}\n{value:#?}\n"));
        self.renders += 1;
    }

    fn result<T: Debug, E: StdError + 'static>(&mut self, result: &Result<T, E>) {
        match result {
            Ok(value) => self.debug(value),
            Err(err) => self.error(err),
        }
    }

    fn error(&mut self, err: &(dyn StdError + 'static)) {
        self.text.push_str(&format!("{err}\n{err:?}\n{err:#?}\n"));
        let mut source = err.source();
        while let Some(s) = source {
            self.text.push_str(&format!("{s}\n{s:?}\n"));
            source = s.source();
        }
        self.renders += 1;
    }
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().unwrap()
}

fn lex() -> Configuration {
    Configuration::builder()
        .lex(
            LexConfiguration::builder()
                .responds_to(RespondsTo::StandardMessages)
                .invoked_by(
                    InvokedBy::builder()
                        .standard_messages(StandardMessages::Auto)
                        .targeted_messages(TargetedMessages::All)
                        .build()
                        .unwrap(),
                )
                .lex_bot_alias_arn(LEX_ARN)
                .locale_id("en_US")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn attributes() -> EndpointAttributes {
    EndpointAttributes::builder()
        .device_token(IN_DEVICE)
        .voip_device_token(IN_VOIP)
        .build()
        .unwrap()
}

fn expiration() -> ExpirationSettings {
    ExpirationSettings::builder()
        .expiration_days(1)
        .expiration_criterion(ExpirationCriterion::CreatedTimestamp)
        .build()
        .unwrap()
}

/// Runs all 30 operations with markers in every sensitive input member; renders every fluent
/// builder before sending and every result after. Returns the number of calls.
async fn run_every_operation(client: &Client, seen: &mut Seen) -> usize {
    let mut calls = 0;
    macro_rules! call {
        ($builder:expr) => {{
            let builder = $builder;
            seen.debug(&builder);
            let result = builder.send().await;
            seen.result(&result);
            calls += 1;
        }};
    }
    call!(client
        .create_app_instance()
        .name(IN_NAME)
        .metadata(IN_META)
        .tags(tag(IN_TAG_KEY, IN_TAG_VALUE)));
    call!(client
        .create_app_instance_admin()
        .app_instance_admin_arn(USER_ARN)
        .app_instance_arn(ARN));
    call!(client
        .create_app_instance_bot()
        .app_instance_arn(ARN)
        .name(IN_NAME)
        .metadata(IN_META)
        .tags(tag(IN_TAG_KEY, IN_TAG_VALUE))
        .configuration(lex()));
    call!(client
        .create_app_instance_user()
        .app_instance_arn(ARN)
        .app_instance_user_id(IN_USER_ID)
        .name(IN_NAME)
        .metadata(IN_META)
        .tags(tag(IN_TAG_KEY, IN_TAG_VALUE))
        .expiration_settings(expiration()));
    call!(client.delete_app_instance().app_instance_arn(ARN));
    call!(client
        .delete_app_instance_admin()
        .app_instance_admin_arn(USER_ARN)
        .app_instance_arn(ARN));
    call!(client
        .delete_app_instance_bot()
        .app_instance_bot_arn(BOT_ARN));
    call!(client
        .delete_app_instance_user()
        .app_instance_user_arn(USER_ARN));
    call!(client
        .deregister_app_instance_user_endpoint()
        .app_instance_user_arn(USER_ARN)
        .endpoint_id("e1"));
    call!(client.describe_app_instance().app_instance_arn(ARN));
    call!(client
        .describe_app_instance_admin()
        .app_instance_admin_arn(USER_ARN)
        .app_instance_arn(ARN));
    call!(client
        .describe_app_instance_bot()
        .app_instance_bot_arn(BOT_ARN));
    call!(client
        .describe_app_instance_user()
        .app_instance_user_arn(USER_ARN));
    call!(client
        .describe_app_instance_user_endpoint()
        .app_instance_user_arn(USER_ARN)
        .endpoint_id("e1"));
    call!(client
        .get_app_instance_retention_settings()
        .app_instance_arn(ARN));
    call!(client
        .list_app_instance_admins()
        .app_instance_arn(ARN)
        .max_results(5)
        .next_token(IN_NEXT));
    call!(client
        .list_app_instance_bots()
        .app_instance_arn(ARN)
        .max_results(5)
        .next_token(IN_NEXT));
    call!(client
        .list_app_instance_user_endpoints()
        .app_instance_user_arn(USER_ARN)
        .max_results(5)
        .next_token(IN_NEXT));
    call!(client
        .list_app_instance_users()
        .app_instance_arn(ARN)
        .max_results(5)
        .next_token(IN_NEXT));
    call!(client
        .list_app_instances()
        .max_results(5)
        .next_token(IN_NEXT));
    call!(client.list_tags_for_resource().resource_arn(ARN));
    call!(client
        .put_app_instance_retention_settings()
        .app_instance_arn(ARN)
        .app_instance_retention_settings(
            AppInstanceRetentionSettings::builder()
                .channel_retention_settings(
                    ChannelRetentionSettings::builder()
                        .retention_days(3)
                        .build()
                )
                .build()
        ));
    call!(client
        .put_app_instance_user_expiration_settings()
        .app_instance_user_arn(USER_ARN)
        .expiration_settings(expiration()));
    call!(client
        .register_app_instance_user_endpoint()
        .app_instance_user_arn(USER_ARN)
        .name(IN_NAME)
        .r#type(AppInstanceUserEndpointType::Gcm)
        .resource_arn(ARN)
        .endpoint_attributes(attributes())
        .allow_messages(AllowMessages::All));
    call!(client
        .tag_resource()
        .resource_arn(ARN)
        .tags(tag(IN_TAG_KEY, IN_TAG_VALUE)));
    call!(client
        .untag_resource()
        .resource_arn(ARN)
        .tag_keys(IN_TAG_KEY));
    call!(client
        .update_app_instance()
        .app_instance_arn(ARN)
        .name(IN_NAME)
        .metadata(IN_META));
    call!(client
        .update_app_instance_bot()
        .app_instance_bot_arn(BOT_ARN)
        .name(IN_NAME)
        .metadata(IN_META)
        .configuration(lex()));
    call!(client
        .update_app_instance_user()
        .app_instance_user_arn(USER_ARN)
        .name(IN_NAME)
        .metadata(IN_META));
    call!(client
        .update_app_instance_user_endpoint()
        .app_instance_user_arn(USER_ARN)
        .endpoint_id("e1")
        .name(IN_NAME)
        .allow_messages(AllowMessages::None));
    calls
}

fn credentials() -> Credentials {
    Credentials::new(
        ACCESS_KEY,
        SECRET_KEY,
        Some(SESSION_TOKEN.to_owned()),
        None,
        "markers",
    )
}

fn config(url: &str) -> chimesdkidentity::config::Builder {
    chimesdkidentity::Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(credentials())
        .endpoint_url(url)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(2)
                .with_backoff_fn(|_| Duration::from_millis(1)),
        )
        .http_client(DefaultHttpClient::new(
            HttpClientSettings::new()
                .read_timeout(Some(Duration::from_millis(200)))
                .proxy(ProxySettings::Disabled),
        ))
}

/// The `Signature=` value of an Authorization header.
fn signature(authorization: &str) -> Option<String> {
    authorization
        .split("Signature=")
        .nth(1)
        .map(|s| s.trim().to_owned())
}

/// The process-wide capturing subscriber at TRACE (installed once, as the global default, so
/// that events from every thread and every test of this file are captured: a thread-local
/// default misses events whose callsites another thread registered first).
fn capture() -> &'static CaptureWriter {
    static CAPTURE: OnceLock<CaptureWriter> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = CaptureWriter::default();
        let writer = capture.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(FmtSpan::FULL)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other global subscriber");
        capture
    })
}

#[tokio::test]
async fn no_output_contains_a_secret() {
    let capture = capture();
    let mut seen = Seen::default();

    let mode = Arc::new(AtomicU8::new(0));
    let current = mode.clone();
    let server = TestServer::start(move |_| reply(current.load(Ordering::SeqCst))).await;
    let client = Client::from_conf(config(&server.url()).build());
    seen.debug(&client);
    seen.debug(client.config());
    seen.debug(&credentials());

    let mut calls = 0;
    for m in MODES {
        mode.store(m as u8, Ordering::SeqCst);
        calls += run_every_operation(&client, &mut seen).await;
    }
    // Transport failures: a connection refused (nothing listens) and a read timeout.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let refused = Client::from_conf(config(&closed).build());
    calls += run_every_operation(&refused, &mut seen).await;
    let slow = FaultServer::start(|_| {
        Action::Delay(Duration::from_secs(1), Box::new(Action::json(200, "{}")))
    })
    .await;
    let timing_out = Client::from_conf(config(&slow.url()).build());
    calls += run_every_operation(&timing_out, &mut seen).await;

    // Construction failures whose inputs carry markers: a constraint violated next to a
    // sensitive value, a pattern violated by a sensitive value, a missing required member.
    let long_meta = format!("{IN_META}{}", "m".repeat(2000));
    let results = [
        client
            .create_app_instance()
            .name(IN_NAME)
            .metadata(&long_meta)
            .send()
            .await
            .map(|o| format!("{o:?}")),
        client
            .create_app_instance()
            .metadata(IN_META)
            .send()
            .await
            .map(|o| format!("{o:?}")),
    ];
    let user = client
        .create_app_instance_user()
        .app_instance_arn(ARN)
        .app_instance_user_id(format!("{IN_USER_ID}!!/"))
        .name(IN_NAME)
        .send()
        .await;
    assert!(user.is_err(), "a pattern was violated");
    seen.result(&user);
    calls += 1;
    for result in &results {
        assert!(result.is_err(), "a constraint was violated: {result:?}");
        seen.result(result);
        calls += 1;
    }

    // The Authorization header the server saw: its signature must not appear either.
    let signatures: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|r| {
            r.header_values("authorization")
                .first()
                .and_then(|a| signature(a))
        })
        .collect();
    assert!(
        signatures.len() >= 150,
        "{} signed requests",
        signatures.len()
    );
    assert!(server
        .requests()
        .iter()
        .all(|r| r.header("x-amz-security-token") == Some(SESSION_TOKEN)));

    let traced = capture.text();
    assert!(
        traced.contains("TRACE") || traced.contains("DEBUG"),
        "the subscriber captured nothing"
    );
    for expected in [
        "call failed",
        "retrying",
        "no response",
        "service error",
        "unparseable response",
    ] {
        assert!(traced.contains(expected), "not traced: {expected}");
    }
    let everything = format!("{traced}\n{}", seen.text);
    let mut leaked: Vec<String> = MARKERS
        .iter()
        .filter(|m| everything.contains(*m))
        .map(|m| m.to_string())
        .collect();
    leaked.extend(
        signatures
            .iter()
            .filter(|s| everything.contains(s.as_str()))
            .map(|s| format!("signature {s}")),
    );
    let context = |marker: &str| {
        everything
            .find(marker)
            .map(|i| everything[i.saturating_sub(300)..(i + 100).min(everything.len())].to_owned())
    };
    assert!(
        leaked.is_empty(),
        "leaked: {leaked:?}\nfirst context: {:?}",
        leaked
            .first()
            .and_then(|m| context(m.trim_start_matches("signature ")))
    );

    println!();
    println!("secrets report");
    println!("| measure                               | value |");
    println!("|---------------------------------------|-------|");
    println!("| calls (30 operations x 7 paths + 3)   | {calls} |");
    println!(
        "| values rendered (Debug/Display)       | {} |",
        seen.renders
    );
    println!(
        "| bytes of TRACE output captured        | {} |",
        traced.len()
    );
    println!(
        "| signatures observed by the server     | {} |",
        signatures.len()
    );
    println!(
        "| markers planted                       | {} |",
        MARKERS.len()
    );
    println!(
        "| leaked markers                        | {} |",
        leaked.len()
    );
}

/// An HTTP client that counts requests and never sends them.
#[derive(Debug, Default, Clone)]
struct CountingHttp(Arc<AtomicUsize>, Arc<Mutex<Vec<String>>>);

impl HttpClient for CountingHttp {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        self.1.lock().unwrap().push(request.uri().to_string());
        Box::pin(async { Err(ConnectorError::user("the test client sends nothing")) })
    }
}

#[tokio::test]
async fn regions_that_would_inject_into_the_host_are_refused() {
    let _ = capture();
    let http = CountingHttp::default();
    let bad = [
        "us-east-1.evil.example/",
        "us-east-1@evil.example",
        "us-east-1.evil.example",
        "us-east-1/../x",
        "us-east-1:443",
        "us-east-1?x=1",
        "us-east-1#x",
        "us east 1",
        "us-east-1\r\nx-injected: 1",
        "",
        "-us-east-1",
        "ü-east-1",
    ];
    for region in bad {
        let client = Client::from_conf(
            chimesdkidentity::Config::builder()
                .region(Region::new(region.to_owned()))
                .credentials_provider(credentials())
                .http_client(http.clone())
                .build(),
        );
        let err = client
            .describe_app_instance()
            .app_instance_arn(ARN)
            .send()
            .await
            .expect_err("a bad region must be refused");
        assert!(
            matches!(
                err,
                chimesdkidentity::error::SdkError::ConstructionFailure(_)
            ),
            "{region:?}: {err:?}"
        );
        let mut text = err.to_string();
        let mut source = err.source();
        while let Some(s) = source {
            text.push_str(&format!(": {s}"));
            source = s.source();
        }
        assert!(
            text.contains("region"),
            "{region:?}: the error must say why: {text}"
        );
    }
    assert_eq!(
        http.0.load(Ordering::SeqCst),
        0,
        "requests left: {:?}",
        http.1.lock().unwrap()
    );

    // Endpoint overrides that would smuggle something into or around the host.
    let bad_endpoints = [
        "https://us-east-1@evil.example",
        "https://user:pass@evil.example",
        "https://evil.example/?x=1",
        "https://evil example",
        "ftp://evil.example",
        "evil.example",
        "https://",
        "https://evil.example\r\nx-injected: 1",
    ];
    for endpoint in bad_endpoints {
        let client = Client::from_conf(
            chimesdkidentity::Config::builder()
                .region(Region::new("us-east-1"))
                .endpoint_url(endpoint)
                .credentials_provider(credentials())
                .http_client(http.clone())
                .build(),
        );
        let err = client
            .describe_app_instance()
            .app_instance_arn(ARN)
            .send()
            .await
            .expect_err("a bad endpoint must be refused");
        assert!(
            matches!(
                err,
                chimesdkidentity::error::SdkError::ConstructionFailure(_)
            ),
            "{endpoint:?}: {err:?}"
        );
    }
    assert_eq!(
        http.0.load(Ordering::SeqCst),
        0,
        "requests left: {:?}",
        http.1.lock().unwrap()
    );

    // A valid region reaches the (counting) HTTP client with the expected host.
    let client = Client::from_conf(
        chimesdkidentity::Config::builder()
            .region(Region::new("eu-west-2"))
            .credentials_provider(credentials())
            .http_client(http.clone())
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    let _ = client
        .describe_app_instance()
        .app_instance_arn(ARN)
        .send()
        .await;
    assert_eq!(http.0.load(Ordering::SeqCst), 1);
    let uri = http.1.lock().unwrap()[0].clone();
    assert!(
        uri.starts_with("https://identity-chime.eu-west-2.amazonaws.com/"),
        "{uri}"
    );
}

// ---------------------------------------------------------------------------------------------
// credential_process command lines carry tokens: only the program's name is ever shown.
// ---------------------------------------------------------------------------------------------

/// Writes an executable shell script `name` with `body` into `dir`.
#[cfg(unix)]
fn script(dir: &std::path::Path, name: &str, body: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("a helper script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
        .expect("an executable script");
    path
}

#[cfg(unix)]
#[tokio::test]
async fn credential_process_errors_and_debug_name_the_program_only() {
    use smithy_rust_runtime::credentials::CredentialProcessProvider;

    const ARG_SECRET: &str = "ArgSecretMarkerR8";
    const ENV_SECRET: &str = "EnvSecretMarkerS9";
    let capture = capture();
    let dir = e2e_tests::child::TempDir::new("secrets-process");
    let fail = script(
        dir.path(),
        "fail-helper",
        "echo 'cannot log in' >&2\nexit 3",
    );
    let hang = script(dir.path(), "hang-helper", "sleep 30");
    let server = TestServer::start(|_| Reply::json(200, &json!({}))).await;
    let mut seen = Seen::default();
    let mut reports = Vec::new();
    for (command, expected) in [
        (
            format!(
                "MY_TOKEN={ENV_SECRET} {} --token {ARG_SECRET}",
                fail.display()
            ),
            "credential_process `fail-helper` failed (exit status: 3); stderr: cannot log in",
        ),
        (
            format!("{} --token={ARG_SECRET}", hang.display()),
            "credential_process `hang-helper` did not finish within 300ms and was stopped",
        ),
    ] {
        let provider =
            CredentialProcessProvider::new(command).with_timeout(Duration::from_millis(300));
        seen.debug(&provider);
        let client = Client::from_conf(
            chimesdkidentity::Config::builder()
                .region(Region::new("us-east-1"))
                .credentials_provider(provider)
                .endpoint_url(server.url())
                // A backstop: the helper's own limit is shorter.
                .timeout_config(
                    chimesdkidentity::config::TimeoutConfig::default()
                        .operation_timeout(Duration::from_secs(5)),
                )
                .build(),
        );
        seen.debug(&client);
        let result = client
            .describe_app_instance()
            .app_instance_arn(ARN)
            .send()
            .await;
        seen.result(&result);
        let report = anyhow::Error::new(result.expect_err("no credentials"));
        let text = format!("{report:#}");
        seen.text.push_str(&format!("{text}\n{report:?}\n"));
        reports.push((text, expected));
    }
    assert!(server.requests().is_empty());
    let everything = format!("{}\n{}", seen.text, capture.text());
    for secret in [ARG_SECRET, ENV_SECRET] {
        assert!(
            !everything.contains(secret),
            "{secret} was shown in {} renders",
            seen.renders
        );
    }
    for (text, expected) in reports {
        assert!(text.contains(expected), "{text}");
    }
}

#[cfg(unix)]
#[tokio::test]
async fn credential_process_expiration_in_year_9999_is_accepted() {
    use smithy_rust_runtime::credentials::CredentialProcessProvider;

    let server = TestServer::start(|_| Reply::json(200, &json!({}))).await;
    let document = json!({
        "Version": 1,
        "AccessKeyId": "AKIDPROCESS",
        "SecretAccessKey": "process-secret",
        "SessionToken": "process-token",
        "Expiration": "9999-12-31T23:59:59Z",
    });
    let client = Client::from_conf(
        chimesdkidentity::Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(CredentialProcessProvider::new(format!("echo '{document}'")))
            .endpoint_url(server.url())
            .build(),
    );
    for _ in 0..2 {
        client
            .describe_app_instance()
            .app_instance_arn(ARN)
            .send()
            .await
            .expect("credentials that never expire");
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let authorization = request.header("authorization").expect("signed");
        assert!(
            authorization.contains("Credential=AKIDPROCESS/"),
            "{authorization}"
        );
        assert_eq!(
            request.header("x-amz-security-token"),
            Some("process-token")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Credential endpoints are never reached through a proxy, whatever the proxy variables say.
// The client reads those variables from the process environment, so the calls run in a child
// process that has them; the servers (proxy, container endpoint, instance metadata) run here
// and record what reached them.
// ---------------------------------------------------------------------------------------------

const ECS_TOKEN: &str = "ECS-AUTH-TOKEN-MarkerT1";
const IMDS_TOKEN: &str = "ImdsSessionTokenMarkerU2";
/// A host only the proxy can reach.
const PROXIED_ENDPOINT: &str = "http://chime.proxied.test";

fn credentials_document(access_key: &str) -> serde_json::Value {
    json!({
        "Code": "Success",
        "AccessKeyId": access_key,
        "SecretAccessKey": "endpoint-secret",
        "Token": "endpoint-session-token",
        "Expiration": "2100-01-01T00:00:00Z",
    })
}

/// The child's part: a client configured from the environment calls the service through the
/// proxy.
fn call_the_service_from_the_environment() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let client = Client::from_conf(
            chimesdkidentity::config::Builder::from_env()
                .endpoint_url(PROXIED_ENDPOINT)
                .retry_config(RetryConfig::disabled())
                .build(),
        );
        client
            .describe_app_instance()
            .app_instance_arn(ARN)
            .send()
            .await
            .expect("credentials from the endpoint, the call through the proxy");
    });
}

#[test]
fn credential_requests_never_go_through_a_proxy() {
    const NAME: &str = "credential_requests_never_go_through_a_proxy";
    if e2e_tests::child::in_child(NAME) {
        call_the_service_from_the_environment();
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let (proxy, ecs, imds) = runtime.block_on(async {
        let proxy = TestServer::start(|_| {
            Reply::json(200, &json!({"AppInstance": {"AppInstanceArn": ARN}}))
        })
        .await;
        let ecs = TestServer::start(|request| {
            if request.path == "/creds" && request.header("authorization") == Some(ECS_TOKEN) {
                Reply::json(200, &credentials_document("AKIDFROMECS"))
            } else {
                Reply::new(403)
            }
        })
        .await;
        let imds = TestServer::start(|request| {
            let token_ok = request.header("x-aws-ec2-metadata-token") == Some(IMDS_TOKEN);
            match (request.method.as_str(), request.path.as_str()) {
                ("PUT", "/latest/api/token") => Reply::new(200).body(IMDS_TOKEN),
                ("GET", "/latest/meta-data/iam/security-credentials/") if token_ok => {
                    Reply::new(200).body("role-one")
                }
                ("GET", "/latest/meta-data/iam/security-credentials/role-one") if token_ok => {
                    Reply::json(200, &credentials_document("AKIDFROMIMDS"))
                }
                _ => Reply::new(401),
            }
        })
        .await;
        (proxy, ecs, imds)
    });
    let home = e2e_tests::child::TempDir::new("proxy-home");
    let home = home.path().display().to_string();
    let proxy_url = proxy.url();
    let common = [
        ("HTTP_PROXY", proxy_url.as_str()),
        ("HTTPS_PROXY", proxy_url.as_str()),
        ("ALL_PROXY", proxy_url.as_str()),
        ("http_proxy", proxy_url.as_str()),
        // A NO_PROXY that names neither endpoint.
        ("NO_PROXY", "example.org,.internal"),
        ("AWS_REGION", "us-east-1"),
        ("HOME", home.as_str()),
    ];

    // The container credentials endpoint (a loopback full URI with a token).
    let ecs_uri = format!("{}/creds", ecs.url());
    let mut env = common.to_vec();
    env.extend([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", ecs_uri.as_str()),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", ECS_TOKEN),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let with_ecs = e2e_tests::child::run_in_child(NAME, &env);

    // The instance metadata service (IMDSv2: a session token, then the role's credentials).
    let imds_url = imds.url();
    let mut env = common.to_vec();
    env.push(("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds_url.as_str()));
    let with_imds = e2e_tests::child::run_in_child(NAME, &env);

    let proxied = proxy.requests();
    let seen_by_proxy = format!("{proxied:?}");
    for secret in [ECS_TOKEN, IMDS_TOKEN, "endpoint-secret"] {
        assert!(!seen_by_proxy.contains(secret), "the proxy saw {secret}");
    }
    e2e_tests::child::passed(&with_ecs);
    e2e_tests::child::passed(&with_imds);
    // The credential endpoints were reached directly...
    let ecs_requests = ecs.requests();
    assert_eq!(ecs_requests.len(), 1, "{ecs_requests:?}");
    assert_eq!(imds.requests().len(), 3);
    // ...and the proxy saw the two service calls only, signed with those credentials.
    assert_eq!(proxied.len(), 2, "{proxied:?}");
    for (request, access_key) in proxied.iter().zip(["AKIDFROMECS", "AKIDFROMIMDS"]) {
        assert!(request.path.starts_with("/app-instances/"), "{request:?}");
        assert_eq!(request.header("host"), Some("chime.proxied.test"));
        let authorization = request.header("authorization").unwrap_or_default();
        assert!(
            authorization.contains(&format!("Credential={access_key}/")),
            "{authorization}"
        );
    }
}
