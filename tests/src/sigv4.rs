//! Independent SigV4 verification of recorded requests with the `aws-sigv4` crate: the request
//! is signed again with the same credentials, region, service name and time (taken from
//! `x-amz-date`) over every header it arrived with, and the two `authorization` headers must be
//! equal.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use crate::server::RecordedRequest;

/// What the verifier signs with.
#[derive(Debug, Clone)]
pub struct SigningKey {
    /// Access key id.
    pub access_key: String,
    /// Secret key.
    pub secret_key: String,
    /// Session token, if any.
    pub session_token: Option<String>,
    /// Region, e.g. `us-east-1`.
    pub region: String,
    /// Signing name, `chime` for Chime SDK Identity.
    pub service: String,
}

impl SigningKey {
    /// The credentials the tests use: `AKIDEXAMPLE` / `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY`,
    /// no session token, signing name `chime`.
    pub fn test(region: &str) -> Self {
        Self {
            access_key: "AKIDEXAMPLE".to_owned(),
            secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".to_owned(),
            session_token: None,
            region: region.to_owned(),
            service: "chime".to_owned(),
        }
    }

    /// The same key with temporary credentials: requests must carry and sign
    /// `x-amz-security-token: <token>`.
    pub fn with_session_token(mut self, token: &str) -> Self {
        self.session_token = Some(token.to_owned());
        self
    }
}

/// Why a request's signature was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureMismatch(pub String);

impl std::fmt::Display for SignatureMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SignatureMismatch {}

fn parse_amz_date(value: &str) -> Result<SystemTime, SignatureMismatch> {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let parsed = time::PrimitiveDateTime::parse(value, &format)
        .map_err(|err| SignatureMismatch(format!("bad x-amz-date {value:?}: {err}")))?;
    Ok(parsed.assume_utc().into())
}

/// Checks the SigV4 `authorization` header of `request` by signing the request again, as
/// received, with `aws-sigv4`.
///
/// Every header on the wire is handed to `aws-sigv4`, which decides on its own what to sign (all
/// of them but its fixed exclusions: `authorization`, `user-agent`, `x-amzn-trace-id`,
/// `transfer-encoding`); the client's `SignedHeaders` list is never consulted, so a header the
/// client left unsigned, or one added after signing, is a mismatch. `x-amz-date` and
/// `x-amz-security-token` are taken from the signing time and from `key` (as `aws-sigv4` does when
/// it signs), and the received `x-amz-security-token` must be exactly the key's session token:
/// present when the key has one, absent when it has none.
pub fn verify(request: &RecordedRequest, key: &SigningKey) -> Result<(), SignatureMismatch> {
    verify_with_body(request, key, SignableBody::Bytes(&request.body))
}

/// [`verify`] for a request whose body is an input event stream: the signed payload hash is
/// `STREAMING-AWS4-HMAC-SHA256-EVENTS` (each message is signed on its own; see
/// [`crate::duplex`]).
pub fn verify_event_stream_request(
    request: &RecordedRequest,
    key: &SigningKey,
) -> Result<(), SignatureMismatch> {
    let hash = "STREAMING-AWS4-HMAC-SHA256-EVENTS";
    if request.header("x-amz-content-sha256") != Some(hash) {
        return Err(SignatureMismatch(format!(
            "x-amz-content-sha256 is {:?}, expected {hash}",
            request.header("x-amz-content-sha256")
        )));
    }
    verify_with_body(request, key, SignableBody::Precomputed(hash.to_owned()))
}

fn verify_with_body(
    request: &RecordedRequest,
    key: &SigningKey,
    body: SignableBody<'_>,
) -> Result<(), SignatureMismatch> {
    let fail = |m: String| Err(SignatureMismatch(m));
    let Some(authorization) = request.header("authorization") else {
        return fail("no authorization header".to_owned());
    };
    let Some(date) = request.header("x-amz-date") else {
        return fail("no x-amz-date header".to_owned());
    };
    let time = parse_amz_date(date)?;
    check_session_token(request, key)?;
    let Some(host) = request.header("host") else {
        return fail("no host header".to_owned());
    };
    let headers = request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()));
    let uri = match &request.query {
        Some(query) => format!("http://{host}{}?{query}", request.path),
        None => format!("http://{host}{}", request.path),
    };
    let identity: Identity = Credentials::new(
        key.access_key.clone(),
        key.secret_key.clone(),
        key.session_token.clone(),
        None,
        "e2e-verifier",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(&key.region)
        .name(&key.service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|err| SignatureMismatch(format!("signing params: {err}")))?
        .into();
    let signable = SignableRequest::new(&request.method, uri.as_str(), headers, body)
        .map_err(|err| SignatureMismatch(format!("unsignable request: {err}")))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|err| SignatureMismatch(format!("signing failed: {err}")))?
        .into_parts();
    let expected = instructions
        .headers()
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| value.to_owned());
    match expected {
        Some(expected) if expected == authorization => Ok(()),
        Some(expected) => fail(format!(
            "signature mismatch:\n  client:   {authorization}\n  expected: {expected}\n  request: {request:?}"
        )),
        None => fail("aws-sigv4 produced no authorization header".to_owned()),
    }
}

/// The received `x-amz-security-token` must be the key's session token, sent once; with no
/// session token in the key, no token may be sent.
fn check_session_token(
    request: &RecordedRequest,
    key: &SigningKey,
) -> Result<(), SignatureMismatch> {
    let sent = request.header_values("x-amz-security-token");
    let problem = match (key.session_token.as_deref(), sent.as_slice()) {
        (None, []) => return Ok(()),
        (Some(expected), [got]) if got == &expected => return Ok(()),
        (None, [..]) => {
            "x-amz-security-token sent, but the credentials have no session token".to_owned()
        }
        (Some(_), []) => {
            "no x-amz-security-token header, but the credentials have a session token".to_owned()
        }
        (Some(_), [got]) => {
            format!("x-amz-security-token is {got:?}, not the credentials' session token")
        }
        (Some(_), many) => format!("x-amz-security-token sent {} times", many.len()),
    };
    Err(SignatureMismatch(problem))
}
