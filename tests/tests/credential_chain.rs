//! The built-in default credential chain's providers that call AWS services, end to end against
//! fakes of STS and the IAM Identity Center portal on 127.0.0.1 (reached through the documented
//! `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL_SSO` settings): web identity tokens from the
//! environment (EKS IRSA) and from a profile, roles assumed from a source profile (also
//! chained), and IAM Identity Center profiles with an `sso_session` or the legacy settings.
//!
//! Each test checks what the fakes received (AssumeRole signed with the source credentials,
//! AssumeRoleWithWebIdentity unsigned with the token, GetRoleCredentials with the cached token),
//! that the Chime call is signed with the credentials the fake issued, that they are refreshed
//! (and only then) when the clock nears their expiry, and that no secret reaches `Debug` output
//! or error messages. The environment and files are in memory (`config::Builder::env`).

use std::time::Duration;

use chimesdkidentity::config::RetryConfig;
use chimesdkidentity::error::DisplayErrorContext;
use chimesdkidentity::{Client, Config};
use e2e_tests::faults::ManualClock;
use e2e_tests::identity::{issued, FakeSsoPortal, FakeSts, StsAnswer};
use e2e_tests::server::{Reply, TestServer};
use e2e_tests::sigv4::{verify, SigningKey};
use e2e_tests::REGION;
use serde_json::json;
use smithy_rust_runtime::contract::time::TimeSource;
use smithy_rust_runtime::env::Env;

const ROLE: &str = "arn:aws:iam::123456789012:role/app";
const HOUR: Duration = Duration::from_secs(3600);

async fn chime() -> TestServer {
    TestServer::start(|_| Reply::json(200, &json!({"AppInstances": []}))).await
}

fn client(env: Env, clock: &ManualClock, chime: &TestServer) -> Client {
    Client::from_conf(
        Config::builder()
            .env(env)
            .time_source(clock.clone())
            .endpoint_url(chime.url())
            .retry_config(RetryConfig::disabled())
            .build(),
    )
}

/// Calls Chime and returns the key that signed the call (one of `candidates`).
async fn call_signed_by(client: &Client, chime: &TestServer, candidates: &[SigningKey]) -> usize {
    chime.clear();
    client
        .list_app_instances()
        .send()
        .await
        .unwrap_or_else(|err| panic!("{}", DisplayErrorContext(&err)));
    let request = chime.single_request();
    candidates
        .iter()
        .position(|key| verify(&request, key).is_ok())
        .unwrap_or_else(|| panic!("signed by none of the expected keys: {request:?}"))
}

fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn sts_keys(n: usize) -> Vec<SigningKey> {
    (1..=n).map(|i| issued("STS", i, REGION, "chime")).collect()
}

#[tokio::test]
async fn web_identity_from_the_environment_is_unsigned_and_refreshed_before_expiry() {
    let clock = ManualClock::default();
    let sts = FakeSts::start(
        REGION,
        None,
        clock.clone(),
        StsAnswer::Credentials { lifetime: HOUR },
    )
    .await;
    let chime = chime().await;
    let env = Env::from_vars(vars(&[
        ("HOME", "/home/pod"),
        ("AWS_REGION", REGION),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks/token"),
        ("AWS_ROLE_ARN", ROLE),
        ("AWS_ROLE_SESSION_NAME", "pod-1"),
        ("AWS_ENDPOINT_URL_STS", sts.server.url().as_str()),
    ]))
    .with_file("/var/run/secrets/eks/token", "eyJhbGciOi.token-one\n");
    let client = client(env, &clock, &chime);
    let keys = sts_keys(2);

    assert_eq!(call_signed_by(&client, &chime, &keys).await, 0);
    assert_eq!(call_signed_by(&client, &chime, &keys).await, 0);
    assert_eq!(sts.issued(), 1, "the credentials are cached");
    let request = sts.server.single_request();
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/")
    );
    assert_eq!(request.header("authorization"), None);
    let form = &sts.forms()[0];
    assert_eq!(form["Action"], "AssumeRoleWithWebIdentity");
    assert_eq!(form["Version"], "2011-06-15");
    assert_eq!(form["RoleArn"], ROLE);
    assert_eq!(form["RoleSessionName"], "pod-1");
    assert_eq!(form["WebIdentityToken"], "eyJhbGciOi.token-one");

    // 54 minutes later the credentials are within 5 minutes of expiry: new ones are fetched.
    clock.advance(Duration::from_secs(54 * 60));
    assert_eq!(call_signed_by(&client, &chime, &keys).await, 0);
    assert_eq!(sts.issued(), 1, "not yet due");
    clock.advance(Duration::from_secs(2 * 60));
    assert_eq!(call_signed_by(&client, &chime, &keys).await, 1);
    assert_eq!(sts.issued(), 2);

    let debug = format!("{:?}", client.config());
    for secret in ["token-one", "STS-secret", "STS-token"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
}

#[tokio::test]
async fn a_role_is_assumed_with_the_source_profile_and_chained_roles_sign_in_turn() {
    let clock = ManualClock::default();
    let source = SigningKey {
        access_key: "AKIDSOURCE".to_owned(),
        secret_key: "source-secret".to_owned(),
        session_token: None,
        region: REGION.to_owned(),
        service: "sts".to_owned(),
    };
    let sts = FakeSts::start(
        REGION,
        Some(source.clone()),
        clock.clone(),
        StsAnswer::Credentials { lifetime: HOUR },
    )
    .await;
    let chime = chime().await;
    let config = "\
[profile app]
role_arn = arn:aws:iam::123456789012:role/app
source_profile = base
role_session_name = deploy
external_id = ext-123
duration_seconds = 1800
[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = app
";
    let credentials =
        "[base]\naws_access_key_id = AKIDSOURCE\naws_secret_access_key = source-secret\n";
    let env = |profile: &str| {
        Env::from_vars(vars(&[
            ("HOME", "/home/dev"),
            ("AWS_REGION", REGION),
            ("AWS_PROFILE", profile),
            ("AWS_ENDPOINT_URL_STS", sts.server.url().as_str()),
        ]))
        .with_file("/home/dev/.aws/config", config)
        .with_file("/home/dev/.aws/credentials", credentials)
    };

    // One hop: AssumeRole signed with the source profile's keys.
    let app = client(env("app"), &clock, &chime);
    assert_eq!(call_signed_by(&app, &chime, &sts_keys(1)).await, 0);
    let first = sts.server.single_request();
    verify(&first, &source).expect("AssumeRole is signed with the source credentials");
    assert!(first
        .header("authorization")
        .is_some_and(|a| a.contains("/us-east-1/sts/aws4_request")));
    let form = &sts.forms()[0];
    assert_eq!(form["Action"], "AssumeRole");
    assert_eq!(form["RoleArn"], ROLE);
    assert_eq!(form["RoleSessionName"], "deploy");
    assert_eq!(form["ExternalId"], "ext-123");
    assert_eq!(form["DurationSeconds"], "1800");

    // Two hops: the app role with the source keys, then the admin role with the app role's
    // credentials (the fake accepts only signatures by credentials it trusts).
    sts.server.clear();
    let admin = client(env("admin"), &clock, &chime);
    assert_eq!(call_signed_by(&admin, &chime, &sts_keys(3)).await, 2);
    let requests = sts.server.requests();
    assert_eq!(requests.len(), 2);
    verify(&requests[0], &source).unwrap();
    let app_credentials = SigningKey {
        service: "sts".to_owned(),
        ..issued("STS", 2, REGION, "sts")
    };
    verify(&requests[1], &app_credentials).expect("the second hop is signed by the first's");
    let forms = sts.forms();
    assert_eq!(forms[0]["RoleArn"], ROLE);
    assert_eq!(forms[1]["RoleArn"], "arn:aws:iam::123456789012:role/admin");
    assert!(forms[1]["RoleSessionName"].starts_with("smithy-rust-"));
    assert!(!forms[1].contains_key("ExternalId"));
}

#[tokio::test]
async fn sts_failures_name_the_role_and_the_code_but_no_secret() {
    let clock = ManualClock::default();
    let sts = FakeSts::start(
        REGION,
        None,
        clock.clone(),
        StsAnswer::Error(
            403,
            "AccessDenied",
            "Not authorized to perform sts:AssumeRoleWithWebIdentity",
        ),
    )
    .await;
    let chime = chime().await;
    let env = Env::from_vars(vars(&[
        ("AWS_REGION", REGION),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", "/token"),
        ("AWS_ROLE_ARN", ROLE),
        ("AWS_ENDPOINT_URL_STS", sts.server.url().as_str()),
    ]))
    .with_file("/token", "very-secret-web-identity-token");
    let err = client(env, &clock, &chime)
        .list_app_instances()
        .send()
        .await
        .unwrap_err();
    let text = DisplayErrorContext(&err).to_string();
    assert!(text.contains("failed to load credentials"), "{text}");
    assert!(text.contains(ROLE), "{text}");
    assert!(
        text.contains("HTTP 403: AccessDenied: Not authorized"),
        "{text}"
    );
    assert!(text.contains("(request id: sts-error-1)"), "{text}");
    assert!(!text.contains("very-secret"), "{text}");
    assert!(!format!("{err:?}").contains("very-secret"));
    assert!(chime.requests().is_empty(), "nothing was sent to Chime");
}

fn sso_config() -> &'static str {
    "\
[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
region = us-east-1
[sso-session corp]
sso_region = us-east-1
sso_start_url = https://corp.awsapps.com/start
[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 444455556666
sso_role_name = Admin
region = us-east-1
[profile admin]
role_arn = arn:aws:iam::123456789012:role/app
source_profile = dev
region = us-east-1
"
}

/// The token cache entry of `aws sso login`, expiring `valid_for` after the clock's time.
fn cached_token(clock: &ManualClock, token: &str, valid_for: Duration) -> String {
    let expires: time::OffsetDateTime = (clock.now() + valid_for).into();
    let expires = expires
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    json!({"accessToken": token, "expiresAt": expires, "region": "us-east-1"}).to_string()
}

fn sso_env(profile: &str, portal: &str, sts: Option<&str>, files: &[(&str, String)]) -> Env {
    let mut pairs = vec![
        ("HOME", "/home/dev"),
        ("AWS_PROFILE", profile),
        ("AWS_ENDPOINT_URL_SSO", portal),
    ];
    if let Some(sts) = sts {
        pairs.push(("AWS_ENDPOINT_URL_STS", sts));
    }
    let mut env = Env::from_vars(vars(&pairs)).with_file("/home/dev/.aws/config", sso_config());
    for (path, text) in files {
        env = env.with_file(*path, text.clone());
    }
    env
}

/// `printf %s corp | sha1sum` and `printf %s https://legacy.awsapps.com/start | sha1sum`.
const CORP_CACHE: &str = "/home/dev/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json";
const LEGACY_CACHE: &str = "/home/dev/.aws/sso/cache/79e435d7a515078e81c9dffc35f38d5687ebd3a7.json";

#[tokio::test]
async fn an_sso_session_profile_uses_the_cached_token_and_refreshes_the_role_credentials() {
    let clock = ManualClock::default();
    let portal = FakeSsoPortal::start("cached-access-token", clock.clone(), HOUR).await;
    let chime = chime().await;
    let files = [(
        CORP_CACHE,
        cached_token(&clock, "cached-access-token", 8 * HOUR),
    )];
    let client = client(
        sso_env("dev", &portal.server.url(), None, &files),
        &clock,
        &chime,
    );
    let keys: Vec<SigningKey> = (1..=2).map(|i| issued("SSO", i, REGION, "chime")).collect();
    assert_eq!(call_signed_by(&client, &chime, &keys).await, 0);
    let request = portal.server.single_request();
    assert_eq!(
        request.query.as_deref(),
        Some("account_id=111122223333&role_name=Developer")
    );
    assert_eq!(
        request.header("x-amz-sso_bearer_token"),
        Some("cached-access-token")
    );
    assert_eq!(request.header("authorization"), None);

    clock.advance(Duration::from_secs(56 * 60));
    assert_eq!(call_signed_by(&client, &chime, &keys).await, 1);
    assert_eq!(portal.server.requests().len(), 2);
    assert!(!format!("{:?}", client.config()).contains("cached-access-token"));
}

#[tokio::test]
async fn legacy_sso_profiles_and_roles_assumed_from_sso() {
    let clock = ManualClock::default();
    let portal = FakeSsoPortal::start("legacy-token", clock.clone(), HOUR).await;
    let chime = chime().await;
    let files = [(LEGACY_CACHE, cached_token(&clock, "legacy-token", HOUR))];
    let legacy = client(
        sso_env("legacy", &portal.server.url(), None, &files),
        &clock,
        &chime,
    );
    let keys = [issued("SSO", 1, REGION, "chime")];
    assert_eq!(call_signed_by(&legacy, &chime, &keys).await, 0);
    assert_eq!(
        portal.server.single_request().query.as_deref(),
        Some("account_id=444455556666&role_name=Admin")
    );

    // A role assumed with the SSO credentials: AssumeRole is signed with them.
    let portal = FakeSsoPortal::start("cached-access-token", clock.clone(), HOUR).await;
    let sso_key = SigningKey {
        service: "sts".to_owned(),
        ..issued("SSO", 1, REGION, "sts")
    };
    let sts = FakeSts::start(
        REGION,
        Some(sso_key),
        clock.clone(),
        StsAnswer::Credentials { lifetime: HOUR },
    )
    .await;
    let files = [(
        CORP_CACHE,
        cached_token(&clock, "cached-access-token", HOUR),
    )];
    let admin = client(
        sso_env(
            "admin",
            &portal.server.url(),
            Some(&sts.server.url()),
            &files,
        ),
        &clock,
        &chime,
    );
    assert_eq!(call_signed_by(&admin, &chime, &sts_keys(1)).await, 0);
    assert_eq!(sts.forms()[0]["Action"], "AssumeRole");
}

#[tokio::test]
async fn an_expired_or_missing_sso_login_says_to_sign_in_and_sends_nothing() {
    let clock = ManualClock::default();
    let portal = FakeSsoPortal::start("old-token", clock.clone(), HOUR).await;
    let chime = chime().await;
    let expired = [(
        CORP_CACHE,
        cached_token(&clock, "old-token", Duration::ZERO),
    )];
    for files in [&expired[..], &[]] {
        let err = client(
            sso_env("dev", &portal.server.url(), None, files),
            &clock,
            &chime,
        )
        .list_app_instances()
        .send()
        .await
        .unwrap_err();
        let text = DisplayErrorContext(&err).to_string();
        assert!(text.contains("aws sso login --profile dev"), "{text}");
        assert!(!text.contains("old-token"), "{text}");
    }
    assert!(portal.server.requests().is_empty());
    assert!(chime.requests().is_empty());
}

#[tokio::test]
async fn static_credentials_cost_no_call_to_sts() {
    let clock = ManualClock::default();
    let sts = FakeSts::start(
        REGION,
        None,
        clock.clone(),
        StsAnswer::Credentials { lifetime: HOUR },
    )
    .await;
    let chime = chime().await;
    let key = SigningKey::test(REGION);
    let env = Env::from_vars(vars(&[
        ("AWS_REGION", REGION),
        ("AWS_ACCESS_KEY_ID", key.access_key.as_str()),
        ("AWS_SECRET_ACCESS_KEY", key.secret_key.as_str()),
        // A web identity token is configured too, but the environment's keys come first.
        ("AWS_WEB_IDENTITY_TOKEN_FILE", "/token"),
        ("AWS_ROLE_ARN", ROLE),
        ("AWS_ENDPOINT_URL_STS", sts.server.url().as_str()),
    ]))
    .with_file("/token", "unused");
    let client = client(env, &clock, &chime);
    assert_eq!(call_signed_by(&client, &chime, &[key]).await, 0);
    assert!(sts.server.requests().is_empty());
}

#[tokio::test]
async fn web_identity_from_a_profile() {
    let clock = ManualClock::default();
    let sts = FakeSts::start(
        REGION,
        None,
        clock.clone(),
        StsAnswer::Credentials { lifetime: HOUR },
    )
    .await;
    let chime = chime().await;
    let config = format!(
        "[default]\nregion = {REGION}\nrole_arn = {ROLE}\nweb_identity_token_file = ~/token\n\
         [services local]\nsts =\n  endpoint_url = {}\n",
        sts.server.url()
    );
    let config = config.replace("[default]\n", "[default]\nservices = local\n");
    let env = Env::from_vars(vars(&[("HOME", "/home/ci")]))
        .with_file("/home/ci/.aws/config", config)
        .with_file("/home/ci/token", "ci-token");
    let client = client(env, &clock, &chime);
    assert_eq!(call_signed_by(&client, &chime, &sts_keys(1)).await, 0);
    let form = &sts.forms()[0];
    assert_eq!(form["Action"], "AssumeRoleWithWebIdentity");
    assert_eq!(form["WebIdentityToken"], "ci-token");
    assert!(form["RoleSessionName"].starts_with("smithy-rust-"));
}
