//! Temporary credentials end to end: calls made with a session token reach the fake service with
//! `x-amz-security-token` sent and signed, and the fake (which signs every received header again
//! with `aws-sigv4`, see `e2e_tests::sigv4::verify`) rejects a missing, wrong or unsigned token,
//! and any header added after signing.

use chimesdkidentity::config::{Credentials, Interceptor};
use chimesdkidentity::error::ProvideErrorMetadata;
use chimesdkidentity::types::Tag;
use chimesdkidentity::Client;
use e2e_tests::fake::FakeChime;
use e2e_tests::server::TestServer;
use e2e_tests::sigv4::{verify, SigningKey};
use e2e_tests::{config_builder, REGION};
use smithy_rust_runtime::contract::error::BoxError;
use smithy_rust_runtime::contract::http::HttpRequest;
use smithy_rust_runtime::contract::interceptor::CallInfo;

/// A session token with the characters real ones carry (`/`, `+`, `=`).
const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLE/session+token//with=padding==";

fn session_key() -> SigningKey {
    SigningKey::test(REGION).with_session_token(TOKEN)
}

/// A client of `server` with the test key's access key and secret, and `token` as session token.
fn client(server: &TestServer, token: Option<&str>) -> Client {
    client_with(server, token, None)
}

fn client_with(server: &TestServer, token: Option<&str>, interceptor: Option<AddHeader>) -> Client {
    let key = SigningKey::test(REGION);
    let mut config = config_builder(&server.url()).credentials_provider(Credentials::new(
        key.access_key,
        key.secret_key,
        token.map(str::to_owned),
        None,
        "session-test",
    ));
    if let Some(interceptor) = interceptor {
        config = config.interceptor(interceptor);
    }
    Client::from_conf(config.build())
}

fn signed_headers(authorization: &str) -> Vec<&str> {
    authorization
        .split(", ")
        .find_map(|part| part.strip_prefix("SignedHeaders="))
        .map(|list| list.split(';').collect())
        .unwrap_or_default()
}

/// Adds a header at the chosen hook: before signing (so it is signed) or after (so it is not).
#[derive(Debug, Clone, Copy)]
struct AddHeader {
    name: &'static str,
    value: &'static str,
    after_signing: bool,
}

impl AddHeader {
    fn add(&self, request: &mut HttpRequest) {
        request
            .headers_mut()
            .insert(self.name, http::HeaderValue::from_static(self.value));
    }
}

impl Interceptor for AddHeader {
    fn modify_before_signing(
        &self,
        _: &CallInfo,
        request: &mut HttpRequest,
    ) -> Result<(), BoxError> {
        if !self.after_signing {
            self.add(request);
        }
        Ok(())
    }

    fn modify_before_transmit(
        &self,
        _: &CallInfo,
        request: &mut HttpRequest,
    ) -> Result<(), BoxError> {
        if self.after_signing {
            self.add(request);
        }
        Ok(())
    }
}

#[tokio::test]
async fn calls_with_a_session_token_are_sent_signed_and_verified() {
    let fake = FakeChime::with_key(session_key());
    let server = fake.serve().await;
    let client = client(&server, Some(TOKEN));

    let app = client
        .create_app_instance()
        .name("with a session token")
        .send()
        .await
        .expect("POST with a JSON body")
        .app_instance_arn()
        .expect("ARN")
        .to_owned();
    client
        .describe_app_instance()
        .app_instance_arn(&app)
        .send()
        .await
        .expect("GET with an ARN label");
    let listed = client
        .list_app_instances()
        .max_results(5)
        .send()
        .await
        .expect("GET with a query");
    assert_eq!(listed.app_instances().len(), 1);
    client
        .tag_resource()
        .resource_arn(&app)
        .tags(Tag::builder().key("k").value("v").build().unwrap())
        .send()
        .await
        .expect("POST with a query operation");
    client
        .delete_app_instance()
        .app_instance_arn(&app)
        .send()
        .await
        .expect("DELETE");

    let requests = server.requests();
    assert_eq!(requests.len(), 5);
    for request in &requests {
        assert_eq!(
            request.header("x-amz-security-token"),
            Some(TOKEN),
            "{request:?}"
        );
        let authorization = request.header("authorization").expect("authorization");
        assert!(
            signed_headers(authorization).contains(&"x-amz-security-token"),
            "the session token is not signed: {authorization}"
        );
        verify(request, &session_key()).unwrap_or_else(|err| panic!("{err}"));
        // The verifier really depends on the token: without it, the same request fails.
        let err = verify(request, &SigningKey::test(REGION)).unwrap_err();
        assert!(err.0.contains("no session token"), "{err}");
    }
}

/// Asserts that `err` is the fake's 403 for a bad signature, with `why` in its message.
fn assert_rejected<E: ProvideErrorMetadata>(err: &E, status: Option<u16>, why: &str) {
    assert_eq!(err.code(), Some("InvalidSignatureException"));
    assert_eq!(status, Some(403));
    let message = err.message().unwrap_or_default();
    assert!(message.contains(why), "expected {why:?} in {message:?}");
}

#[tokio::test]
async fn a_missing_session_token_is_rejected() {
    let fake = FakeChime::with_key(session_key());
    let server = fake.serve().await;
    let err = client(&server, None)
        .list_app_instances()
        .send()
        .await
        .unwrap_err();
    let status = err.raw_response().map(|r| r.status().as_u16());
    assert_rejected(&err, status, "no x-amz-security-token header");
    assert_eq!(server.single_request().header("x-amz-security-token"), None);
}

#[tokio::test]
async fn a_wrong_session_token_is_rejected() {
    let fake = FakeChime::with_key(session_key());
    let server = fake.serve().await;
    let err = client(&server, Some("some-other-token"))
        .list_app_instances()
        .send()
        .await
        .unwrap_err();
    let status = err.raw_response().map(|r| r.status().as_u16());
    assert_rejected(&err, status, "not the credentials' session token");
}

#[tokio::test]
async fn a_session_token_where_none_is_expected_is_rejected() {
    let fake = FakeChime::new(REGION);
    let server = fake.serve().await;
    let err = client(&server, Some(TOKEN))
        .list_app_instances()
        .send()
        .await
        .unwrap_err();
    let status = err.raw_response().map(|r| r.status().as_u16());
    assert_rejected(&err, status, "the credentials have no session token");
}

/// The right token, sent but left out of the signature (added after signing), fails: the
/// verifier signs it because the credentials have one, whatever the client's `SignedHeaders`.
#[tokio::test]
async fn an_unsigned_session_token_is_rejected() {
    let fake = FakeChime::with_key(session_key());
    let server = fake.serve().await;
    let unsigned = AddHeader {
        name: "x-amz-security-token",
        value: TOKEN,
        after_signing: true,
    };
    let err = client_with(&server, None, Some(unsigned))
        .list_app_instances()
        .send()
        .await
        .unwrap_err();
    let status = err.raw_response().map(|r| r.status().as_u16());
    assert_rejected(&err, status, "signature mismatch");
    let request = server.single_request();
    assert_eq!(request.header("x-amz-security-token"), Some(TOKEN));
    let authorization = request.header("authorization").expect("authorization");
    assert!(!signed_headers(authorization).contains(&"x-amz-security-token"));
}

/// Any header added after signing is caught, not only the ones the client listed as signed;
/// the same header added before signing is signed and accepted.
#[tokio::test]
async fn a_header_added_after_signing_is_rejected() {
    let fake = FakeChime::with_key(session_key());
    let server = fake.serve().await;
    let mut extra = AddHeader {
        name: "x-amz-meta-extra",
        value: "added",
        after_signing: true,
    };
    let err = client_with(&server, Some(TOKEN), Some(extra))
        .list_app_instances()
        .send()
        .await
        .unwrap_err();
    let status = err.raw_response().map(|r| r.status().as_u16());
    assert_rejected(&err, status, "signature mismatch");

    extra.after_signing = false;
    client_with(&server, Some(TOKEN), Some(extra))
        .list_app_instances()
        .send()
        .await
        .expect("a header added before signing is signed");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.header("x-amz-meta-extra"), Some("added"));
    }
    let signed = requests[1].header("authorization").expect("authorization");
    assert!(
        signed_headers(signed).contains(&"x-amz-meta-extra"),
        "{signed}"
    );
}
