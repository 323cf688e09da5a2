//! Settings the official SDKs read from the environment and the shared config file, through the
//! generated crate: the service's own endpoint URL (`AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY`, named
//! from the model's SDK id) over the global one, a `services` section of the config file,
//! `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`, and `AWS_MAX_ATTEMPTS` / `AWS_RETRY_MODE`. Each test
//! reads an in-memory environment (`config::Builder::env`), never the process's.

use chimesdkidentity::config::retry::RetryMode;
use chimesdkidentity::{Client, Config};
use e2e_tests::fake::FakeChime;
use e2e_tests::server::TestServer;
use e2e_tests::sigv4::SigningKey;
use e2e_tests::REGION;
use smithy_rust_runtime::env::Env;

/// A URL nothing listens on.
fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its address").port();
    format!("http://127.0.0.1:{port}")
}

fn base_vars(key: &SigningKey) -> Vec<(String, String)> {
    [
        ("HOME", "/home/dev"),
        ("AWS_REGION", REGION),
        ("AWS_ACCESS_KEY_ID", key.access_key.as_str()),
        ("AWS_SECRET_ACCESS_KEY", key.secret_key.as_str()),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

async fn served() -> (TestServer, SigningKey) {
    let key = SigningKey::test(REGION);
    let server = FakeChime::with_key(key.clone()).serve().await;
    (server, key)
}

async fn list_reaches(client: &Client, server: &TestServer) {
    server.clear();
    client
        .list_app_instances()
        .send()
        .await
        .unwrap_or_else(|err| panic!("{}", chimesdkidentity::error::DisplayErrorContext(&err)));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn the_service_variable_wins_over_the_global_one() {
    let (server, key) = served().await;
    let mut vars = base_vars(&key);
    vars.push(("AWS_ENDPOINT_URL".into(), refused_url()));
    vars.push(("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY".into(), server.url()));
    vars.push(("AWS_MAX_ATTEMPTS".into(), "1".into()));
    let config = Config::builder().env(Env::from_vars(vars)).build();
    assert_eq!(config.endpoint_url(), Some(server.url().as_str()));
    let client = Client::from_conf(config);
    list_reaches(&client, &server).await;
    let request = server.single_request();
    assert_eq!(request.header("amz-sdk-request"), Some("attempt=1; max=1"));
    e2e_tests::sigv4::verify(&request, &key).unwrap();
}

#[tokio::test]
async fn a_services_section_names_the_endpoint_and_code_still_wins() {
    let (server, key) = served().await;
    let config_file = format!(
        "[default]\nservices = local\nendpoint_url = {}\nretry_mode = adaptive\n\
         [services local]\nchime_sdk_identity =\n  endpoint_url = {}\n",
        refused_url(),
        server.url()
    );
    let env = Env::from_vars(base_vars(&key)).with_file("/home/dev/.aws/config", config_file);
    let config = Config::builder().env(env.clone()).build();
    assert_eq!(
        config.retry_config().map(|r| r.mode()),
        Some(RetryMode::Adaptive)
    );
    list_reaches(&Client::from_conf(config), &server).await;

    // An endpoint URL set in code wins over every configured one.
    let (other, _) = served().await;
    let config = Config::builder()
        .env(env.clone())
        .endpoint_url(other.url())
        .build();
    list_reaches(&Client::from_conf(config), &other).await;

    // A shared configuration loaded from the same environment gives this service its own URL.
    let shared = chimesdkidentity::config::SharedConfigBuilder::new()
        .env(env)
        .build_shared();
    list_reaches(&Client::new(&shared), &server).await;
}

#[tokio::test]
async fn ignoring_configured_endpoints_falls_back_to_the_endpoint_rules() {
    let key = SigningKey::test(REGION);
    let mut vars = base_vars(&key);
    vars.push(("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY".into(), refused_url()));
    vars.push(("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS".into(), "true".into()));
    let config = Config::builder().env(Env::from_vars(vars)).build();
    assert_eq!(config.endpoint_url(), None);
    let resolved =
        chimesdkidentity::endpoint::resolve_endpoint(&chimesdkidentity::endpoint::Params {
            region: Some(REGION.to_owned()),
            use_fips: false,
            use_dual_stack: false,
            endpoint: config.endpoint_url().map(str::to_owned),
        })
        .unwrap();
    assert_eq!(
        resolved.url,
        "https://identity-chime.us-east-1.amazonaws.com"
    );
}

#[tokio::test]
async fn a_setting_that_cannot_be_understood_fails_calls_naming_it() {
    let key = SigningKey::test(REGION);
    let mut vars = base_vars(&key);
    vars.push(("AWS_RETRY_MODE".into(), "legacy".into()));
    vars.push(("AWS_ENDPOINT_URL".into(), refused_url()));
    let client = Client::from_conf(Config::builder().env(Env::from_vars(vars)).build());
    let err = client.list_app_instances().send().await.unwrap_err();
    let text = chimesdkidentity::error::DisplayErrorContext(&err).to_string();
    assert!(
        text.contains("environment variable AWS_RETRY_MODE: \"legacy\" is not a retry mode"),
        "{text}"
    );
}
