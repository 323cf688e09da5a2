//! Fakes of the services the credential providers call, on 127.0.0.1: AWS STS (awsQuery:
//! form-encoded POSTs, XML answers) and the IAM Identity Center portal (`GetRoleCredentials`).
//! Each records its requests and hands out numbered temporary credentials that expire a given
//! time after the test's clock, so that tests can check which credentials signed what, and
//! when they are refreshed.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use percent_encoding::percent_decode_str;
use serde_json::json;
use smithy_rust_runtime::contract::time::TimeSource;

use crate::faults::ManualClock;
use crate::server::{RecordedRequest, Reply, TestServer};
use crate::sigv4::{verify, SigningKey};

/// The temporary credentials number `n` a fake hands out (`prefix` tells the fakes apart).
pub fn issued(prefix: &str, n: usize, region: &str, service: &str) -> SigningKey {
    SigningKey {
        access_key: format!("ASIA{prefix}{n}"),
        secret_key: format!("{prefix}-secret-{n}"),
        session_token: Some(format!("{prefix}-token-{n}")),
        region: region.to_owned(),
        service: service.to_owned(),
    }
}

/// The fields of a form-encoded body.
pub fn form(body: &[u8]) -> BTreeMap<String, String> {
    let text = String::from_utf8_lossy(body);
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            let decode = |s: &str| {
                percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            Some((decode(k), decode(v)))
        })
        .collect()
}

fn rfc3339(time: SystemTime) -> String {
    let time: time::OffsetDateTime = time.into();
    time.format(&time::format_description::well_known::Rfc3339)
        .expect("a formattable time")
}

/// How a fake STS answers.
#[derive(Debug, Clone)]
pub enum StsAnswer {
    /// Credentials that expire `lifetime` after the clock's time.
    Credentials {
        /// How long they last.
        lifetime: Duration,
    },
    /// An `ErrorResponse` with this status, code and message.
    Error(u16, &'static str, &'static str),
}

/// A fake STS. `AssumeRole` requests must be signed (service `sts`) with one of the keys in
/// `trusted` (the source credentials, or credentials this fake issued); unsigned
/// `AssumeRoleWithWebIdentity` requests must carry a web identity token.
pub struct FakeSts {
    /// Every request received.
    pub server: TestServer,
    issued: Arc<AtomicUsize>,
}

impl FakeSts {
    /// Starts a fake STS that trusts `source` (and everything it issues), answering `answer`.
    pub async fn start(
        region: &str,
        source: Option<SigningKey>,
        clock: ManualClock,
        answer: StsAnswer,
    ) -> Self {
        let issued_count = Arc::new(AtomicUsize::new(0));
        let count = issued_count.clone();
        let trusted: Arc<Mutex<Vec<SigningKey>>> =
            Arc::new(Mutex::new(source.into_iter().collect()));
        let region = region.to_owned();
        let server = TestServer::start(move |request| {
            let fields = form(&request.body);
            let action = fields.get("Action").cloned().unwrap_or_default();
            let problem = match action.as_str() {
                "AssumeRole" => check_signed(request, &trusted, &region),
                "AssumeRoleWithWebIdentity" => check_web_identity(request, &fields),
                other => Some(format!("unknown action {other:?}")),
            };
            if let Some(problem) = problem {
                return error_reply(400, "InvalidRequest", &problem);
            }
            match &answer {
                StsAnswer::Error(status, code, message) => error_reply(*status, code, message),
                StsAnswer::Credentials { lifetime } => {
                    let n = count.fetch_add(1, Ordering::SeqCst) + 1;
                    let key = issued("STS", n, &region, "sts");
                    trusted
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(key.clone());
                    let expiration = rfc3339(clock.now() + *lifetime);
                    let body = format!(
                        "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
                         <{action}Result><Credentials>\
                         <AccessKeyId>{}</AccessKeyId><SecretAccessKey>{}</SecretAccessKey>\
                         <SessionToken>{}</SessionToken><Expiration>{expiration}</Expiration>\
                         </Credentials></{action}Result>\
                         <ResponseMetadata><RequestId>sts-req-{n}</RequestId></ResponseMetadata>\
                         </{action}Response>",
                        key.access_key,
                        key.secret_key,
                        key.session_token.as_deref().unwrap_or_default()
                    );
                    Reply::new(200)
                        .header("content-type", "text/xml")
                        .body(body)
                }
            }
        })
        .await;
        Self {
            server,
            issued: issued_count,
        }
    }

    /// How many sets of credentials were handed out.
    pub fn issued(&self) -> usize {
        self.issued.load(Ordering::SeqCst)
    }

    /// The form of every request, in order.
    pub fn forms(&self) -> Vec<BTreeMap<String, String>> {
        self.server
            .requests()
            .iter()
            .map(|r| form(&r.body))
            .collect()
    }
}

fn error_reply(status: u16, code: &str, message: &str) -> Reply {
    Reply::new(status)
        .header("content-type", "text/xml")
        .body(format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>\
         <Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
         <RequestId>sts-error-1</RequestId></ErrorResponse>"
        ))
}

/// `None` when the request is signed by one of `trusted` (tried in order), else why not.
fn check_signed(
    request: &RecordedRequest,
    trusted: &Mutex<Vec<SigningKey>>,
    region: &str,
) -> Option<String> {
    if request.header("content-type") != Some("application/x-www-form-urlencoded; charset=utf-8") {
        return Some("the body is not form-encoded".to_owned());
    }
    let Some(authorization) = request.header("authorization") else {
        return Some("AssumeRole is not signed".to_owned());
    };
    let keys = trusted
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let signed_by_trusted = keys.iter().any(|key| {
        authorization.contains(&format!("Credential={}/", key.access_key))
            && key.region == region
            && verify(request, key).is_ok()
    });
    (!signed_by_trusted)
        .then(|| format!("AssumeRole is not signed by trusted credentials: {authorization}"))
}

fn check_web_identity(
    request: &RecordedRequest,
    fields: &BTreeMap<String, String>,
) -> Option<String> {
    if request.header("authorization").is_some() {
        return Some("AssumeRoleWithWebIdentity must not be signed".to_owned());
    }
    let token = fields.get("WebIdentityToken").map_or("", String::as_str);
    if token.is_empty() {
        return Some("no WebIdentityToken".to_owned());
    }
    None
}

/// A fake IAM Identity Center portal: `GET /federation/credentials?account_id&role_name` with
/// `x-amz-sso_bearer_token: <token>` answers credentials that expire `lifetime` after the clock.
pub struct FakeSsoPortal {
    /// Every request received.
    pub server: TestServer,
}

impl FakeSsoPortal {
    /// Starts a portal that accepts `token`.
    pub async fn start(token: &str, clock: ManualClock, lifetime: Duration) -> Self {
        let token = token.to_owned();
        let count = Arc::new(AtomicUsize::new(0));
        let server = TestServer::start(move |request| {
            if request.method != "GET" || request.path != "/federation/credentials" {
                return Reply::json(404, &json!({"message": "no such route"}));
            }
            if request.header("x-amz-sso_bearer_token") != Some(token.as_str())
                || request.header("authorization").is_some()
            {
                return Reply::json(
                    401,
                    &json!({"message": "Session token not found or invalid"}),
                )
                .header("x-amzn-ErrorType", "UnauthorizedException");
            }
            let n = count.fetch_add(1, Ordering::SeqCst) + 1;
            let key = issued("SSO", n, "us-east-1", "chime");
            let expiration = clock.now() + lifetime;
            let millis = expiration
                .duration_since(SystemTime::UNIX_EPOCH)
                .expect("after 1970")
                .as_millis();
            Reply::json(
                200,
                &json!({"roleCredentials": {
                    "accessKeyId": key.access_key,
                    "secretAccessKey": key.secret_key,
                    "sessionToken": key.session_token,
                    "expiration": u64::try_from(millis).expect("a small time"),
                }}),
            )
        })
        .await;
        Self { server }
    }
}
