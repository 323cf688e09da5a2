//! One configuration for many clients (`config::SharedConfig`): clients built from it fetch
//! credentials once, from a fake container-credentials server on 127.0.0.1, and send their
//! requests through one connection pool.

use chimesdkidentity::config::{self, Region, SharedConfig};
use chimesdkidentity::{Client, Config};
use e2e_tests::server::{Reply, TestServer};
use smithy_rust_runtime::env::Env;

const CREDENTIALS: &str = r#"{"AccessKeyId":"SHAREDKEY","SecretAccessKey":"SHAREDSECRET","Token":"SHAREDTOKEN","Expiration":"2100-01-01T00:00:00Z"}"#;

async fn servers() -> (TestServer, TestServer) {
    let credentials = TestServer::start(|_| {
        Reply::new(200)
            .header("content-type", "application/json")
            .body(CREDENTIALS)
    })
    .await;
    let service = TestServer::start(|_| {
        Reply::json(
            200,
            &serde_json::json!({ "AppInstanceArn": "arn:aws:chime:x" }),
        )
    })
    .await;
    (credentials, service)
}

fn shared(credentials: &TestServer, service: &TestServer) -> SharedConfig {
    // Only the container-credentials variable: the default chain finds no environment keys and
    // no profile files, and loads from the fake server.
    let env = Env::from_vars([(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        format!("{}/creds", credentials.url()),
    )]);
    SharedConfig::builder()
        .env(env)
        .region(Region::new("us-east-1"))
        .endpoint_url(service.url())
        .build_shared()
}

#[tokio::test]
async fn three_clients_fetch_credentials_once_and_share_one_connection() {
    let (credentials, service) = servers().await;
    let shared = shared(&credentials, &service);
    let clients = [
        Client::new(&shared),
        Client::from_conf(config::Builder::from(&shared).app_name("second").build()),
        Client::from_conf(Config::from(&shared)),
    ];
    for (i, client) in clients.iter().enumerate() {
        let out = client
            .create_app_instance()
            .name(format!("instance-{i}"))
            .client_request_token("token")
            .send()
            .await
            .unwrap();
        assert_eq!(out.app_instance_arn(), Some("arn:aws:chime:x"));
    }
    assert_eq!(
        credentials.requests().len(),
        1,
        "the credentials are fetched once for the three clients"
    );
    let requests = service.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        let authorization = request.header("authorization").unwrap();
        assert!(
            authorization.contains("Credential=SHAREDKEY/"),
            "{authorization}"
        );
        assert_eq!(request.header("x-amz-security-token"), Some("SHAREDTOKEN"));
    }
    assert!(requests[1]
        .header("user-agent")
        .is_some_and(|ua| ua.contains("app/second")));
    assert_eq!(
        service.connections(),
        1,
        "sequential calls of the three clients reuse one pooled connection"
    );
}

#[tokio::test]
async fn per_service_overrides_leave_the_shared_configuration_alone() {
    let (credentials, service) = servers().await;
    let shared = shared(&credentials, &service);
    let other = TestServer::start(|_| {
        Reply::json(
            200,
            &serde_json::json!({ "AppInstanceArn": "arn:aws:chime:other" }),
        )
    })
    .await;
    let overridden = Client::from_conf(
        config::Builder::from(&shared)
            .endpoint_url(other.url())
            .build(),
    );
    let plain = Client::new(&shared);
    let out = overridden
        .create_app_instance()
        .name("a")
        .client_request_token("token")
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_instance_arn(), Some("arn:aws:chime:other"));
    assert_eq!(plain.config().endpoint_url(), Some(service.url().as_str()));
    assert_eq!(shared.endpoint_url(), Some(service.url().as_str()));
    assert_eq!(other.requests().len(), 1);
    assert!(service.requests().is_empty());
    // The override still uses the shared credentials cache.
    let _ = plain
        .create_app_instance()
        .name("b")
        .client_request_token("token")
        .send()
        .await
        .unwrap();
    assert_eq!(credentials.requests().len(), 1);
}
