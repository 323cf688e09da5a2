//! Independent SigV4 verification of recorded requests with the `aws-sigv4` crate: the request
//! is signed again with the same credentials, region, service name and time (taken from
//! `x-amz-date`) over the headers the client says it signed, and the two `authorization` headers
//! must be equal.

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

/// Checks the SigV4 `authorization` header of `request`.
pub fn verify(request: &RecordedRequest, key: &SigningKey) -> Result<(), SignatureMismatch> {
    let fail = |m: String| Err(SignatureMismatch(m));
    let Some(authorization) = request.header("authorization") else {
        return fail("no authorization header".to_owned());
    };
    let Some(date) = request.header("x-amz-date") else {
        return fail("no x-amz-date header".to_owned());
    };
    let time = parse_amz_date(date)?;
    let Some(signed) = authorization
        .split(", ")
        .find_map(|part| part.strip_prefix("SignedHeaders="))
    else {
        return fail(format!("no SignedHeaders in {authorization:?}"));
    };
    let signed: Vec<&str> = signed.split(';').collect();
    for required in ["host", "x-amz-date"] {
        if !signed.contains(&required) {
            return fail(format!("{required} is not signed: {authorization:?}"));
        }
    }
    if request.header("content-type").is_some() && !signed.contains(&"content-type") {
        return fail(format!("content-type is not signed: {authorization:?}"));
    }
    let Some(host) = request.header("host") else {
        return fail("no host header".to_owned());
    };
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|(name, _)| {
            signed.contains(&name.as_str())
                && name != "x-amz-date"
                && name != "x-amz-security-token"
        })
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
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
    let signable = SignableRequest::new(
        &request.method,
        uri.as_str(),
        headers.into_iter(),
        SignableBody::Bytes(&request.body),
    )
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
