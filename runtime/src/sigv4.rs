//! AWS Signature Version 4 request signing (`Authorization` header, `AWS4-HMAC-SHA256`).
//!
//! [`sign_request`] adds `host` (when absent), `x-amz-date`, `x-amz-security-token` (for
//! temporary credentials), optionally `x-amz-content-sha256`, and `authorization` to a request
//! whose URI is absolute. [`signing_parts`] returns the intermediate values (canonical request,
//! string to sign, signature) for tests and debugging. [`event_signature`] signs one message
//! of an input event stream (`AWS4-HMAC-SHA256-PAYLOAD`), chained to the signature before it.

use std::error::Error as StdError;
use std::fmt;
use std::time::SystemTime;

use http::header::{HeaderName, HeaderValue, AUTHORIZATION, HOST};
use percent_encoding::{percent_decode, utf8_percent_encode};
use ring::{digest, hmac};

use crate::contract::identity::Credentials;

/// The signing algorithm name.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The header carrying the signing time.
pub const X_AMZ_DATE: &str = "x-amz-date";
/// The header carrying the session token of temporary credentials.
pub const X_AMZ_SECURITY_TOKEN: &str = "x-amz-security-token";
/// The header carrying the payload hash (S3-style services).
pub const X_AMZ_CONTENT_SHA256: &str = "x-amz-content-sha256";
/// The payload hash of a request whose body is an input event stream: its messages are signed
/// one by one ([`event_signature`]), so the request signs this constant instead of a hash.
pub const STREAMING_EVENTS_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";
/// The algorithm name of event stream message signatures.
pub const EVENT_ALGORITHM: &str = "AWS4-HMAC-SHA256-PAYLOAD";

/// Headers never signed: changed by proxies or the transport, or the signature itself.
const UNSIGNED_HEADERS: &[&str] = &[
    "authorization",
    "connection",
    "expect",
    "keep-alive",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

/// RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) are the only ones left as is.
use crate::codec::http_binding::STRICT;

/// How the canonical request is formed.
#[derive(Debug, Clone, Copy)]
pub struct SigningSettings {
    /// Remove `.` and `..` segments and collapse repeated `/` in the canonical URI (all services
    /// but S3).
    pub normalize_uri_path: bool,
    /// URI-encode the (already percent-encoded) path once more in the canonical URI (all
    /// services but S3): `%3A` on the wire becomes `%253A`.
    pub double_uri_encode: bool,
    /// Add and sign an `x-amz-content-sha256` header holding the payload hash.
    pub payload_checksum_header: bool,
    /// The body is an input event stream: the payload hash is
    /// [`STREAMING_EVENTS_PAYLOAD`] (sent and signed as `x-amz-content-sha256`), not the hash
    /// of the (empty) body.
    pub streaming_events: bool,
}

impl Default for SigningSettings {
    fn default() -> Self {
        Self {
            normalize_uri_path: true,
            double_uri_encode: true,
            payload_checksum_header: false,
            streaming_events: false,
        }
    }
}

/// Everything needed to sign one request.
#[derive(Debug)]
pub struct SigningParams<'a> {
    /// The credentials to sign with.
    pub credentials: &'a Credentials,
    /// The signing region, e.g. `us-east-1`.
    pub region: &'a str,
    /// The signing name of the service, e.g. `chime`.
    pub service: &'a str,
    /// The signing time (normally now).
    pub time: SystemTime,
    /// How the canonical request is formed.
    pub settings: SigningSettings,
}

/// The intermediate and final values of a signature.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningParts {
    /// The canonical request (may contain the session token; never log it).
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The hex signature.
    pub signature: String,
    /// The value of the `Authorization` header.
    pub authorization: String,
    /// The `;`-separated names of the signed headers.
    pub signed_headers: String,
    /// The signing time as `YYYYMMDDTHHMMSSZ` (the `x-amz-date` value).
    pub amz_date: String,
    /// The hex SHA-256 of the body.
    pub payload_hash: String,
    /// The `host` value signed (and added to the request when it has none).
    host: String,
}

impl fmt::Debug for SigningParts {
    /// Leaves out the canonical request, which can contain the session token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningParts")
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &self.signature)
            .field("signed_headers", &self.signed_headers)
            .field("amz_date", &self.amz_date)
            .field("payload_hash", &self.payload_hash)
            .finish_non_exhaustive()
    }
}

/// A request could not be signed.
#[derive(Debug)]
pub struct SigningError {
    message: String,
}

impl SigningError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not sign the request: {}", self.message)
    }
}

impl StdError for SigningError {}

/// Signs `request` in place (see the module documentation for the headers added) and returns
/// the hex signature (the seed of an input event stream's chained message signatures).
pub fn sign_request(
    request: &mut http::Request<bytes::Bytes>,
    params: &SigningParams<'_>,
) -> Result<String, SigningError> {
    let parts = signing_parts(request, params)?;
    let headers = request.headers_mut();
    if !headers.contains_key(HOST) {
        headers.insert(HOST, header_value(&parts.host, "host")?);
    }
    headers.insert(
        HeaderName::from_static(X_AMZ_DATE),
        header_value(&parts.amz_date, X_AMZ_DATE)?,
    );
    if let Some(token) = params.credentials.session_token() {
        let mut value = header_value(token, X_AMZ_SECURITY_TOKEN)?;
        value.set_sensitive(true);
        headers.insert(HeaderName::from_static(X_AMZ_SECURITY_TOKEN), value);
    }
    if params.settings.payload_checksum_header || params.settings.streaming_events {
        headers.insert(
            HeaderName::from_static(X_AMZ_CONTENT_SHA256),
            header_value(&parts.payload_hash, X_AMZ_CONTENT_SHA256)?,
        );
    }
    let mut authorization = header_value(&parts.authorization, "authorization")?;
    authorization.set_sensitive(true);
    headers.insert(AUTHORIZATION, authorization);
    Ok(parts.signature)
}

fn header_value(value: &str, name: &str) -> Result<HeaderValue, SigningError> {
    HeaderValue::from_str(value)
        .map_err(|_| SigningError::new(format!("the `{name}` value is not a valid header value")))
}

/// Computes the canonical request, string to sign, signature and `Authorization` value for
/// `request` as [`sign_request`] would sign it, without changing the request.
pub fn signing_parts(
    request: &http::Request<bytes::Bytes>,
    params: &SigningParams<'_>,
) -> Result<SigningParts, SigningError> {
    check_scope_part(params.region, "region")?;
    check_scope_part(params.service, "service")?;
    let uri = request.uri();
    let host = match request.headers().get(HOST) {
        Some(value) => value
            .to_str()
            .map_err(|_| SigningError::new("the host header is not visible ASCII"))?
            .to_owned(),
        None => host_from_uri(uri)?,
    };
    let (amz_date, date) = format_time(params.time)?;
    let payload_hash = if params.settings.streaming_events {
        STREAMING_EVENTS_PAYLOAD.to_owned()
    } else {
        hex(digest::digest(&digest::SHA256, request.body()).as_ref())
    };
    let content_sha256_header =
        params.settings.payload_checksum_header || params.settings.streaming_events;

    // Canonical headers: name -> values in request order.
    let mut headers: Vec<(String, Vec<String>)> = Vec::new();
    let mut push = |name: &str, value: String| match headers.iter_mut().find(|(n, _)| n == name) {
        Some((_, values)) => values.push(value),
        None => headers.push((name.to_owned(), vec![value])),
    };
    let token = params.credentials.session_token();
    for (name, value) in request.headers() {
        let name = name.as_str();
        let replaced = name == HOST.as_str()
            || name == X_AMZ_DATE
            || (name == X_AMZ_SECURITY_TOKEN && token.is_some())
            || (name == X_AMZ_CONTENT_SHA256 && content_sha256_header);
        if replaced || UNSIGNED_HEADERS.contains(&name) {
            continue;
        }
        let text = std::str::from_utf8(value.as_bytes())
            .map_err(|_| SigningError::new(format!("the value of header `{name}` is not UTF-8")))?;
        push(name, canonical_header_value(text));
    }
    push(HOST.as_str(), canonical_header_value(&host));
    push(X_AMZ_DATE, amz_date.clone());
    if let Some(token) = token {
        push(X_AMZ_SECURITY_TOKEN, canonical_header_value(token));
    }
    if content_sha256_header {
        push(X_AMZ_CONTENT_SHA256, payload_hash.clone());
    }
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    let signed_headers = headers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");

    let mut canonical_request = String::new();
    canonical_request.push_str(request.method().as_str());
    canonical_request.push('\n');
    canonical_request.push_str(&canonical_uri(uri.path(), &params.settings));
    canonical_request.push('\n');
    canonical_request.push_str(&canonical_query(uri.query().unwrap_or("")));
    canonical_request.push('\n');
    for (name, values) in &headers {
        canonical_request.push_str(name);
        canonical_request.push(':');
        canonical_request.push_str(&values.join(","));
        canonical_request.push('\n');
    }
    canonical_request.push('\n');
    canonical_request.push_str(&signed_headers);
    canonical_request.push('\n');
    canonical_request.push_str(&payload_hash);

    let scope = format!("{date}/{}/{}/aws4_request", params.region, params.service);
    let string_to_sign = format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        hex(digest::digest(&digest::SHA256, canonical_request.as_bytes()).as_ref())
    );
    let signing_key = signing_key(
        params.credentials.secret_access_key(),
        &date,
        params.region,
        params.service,
    );
    let signature = hex(hmac::sign(&signing_key, string_to_sign.as_bytes()).as_ref());
    let authorization = format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        params.credentials.access_key_id()
    );
    Ok(SigningParts {
        canonical_request,
        string_to_sign,
        signature,
        authorization,
        signed_headers,
        amz_date,
        payload_hash,
        host,
    })
}

/// The signature of one message of an input event stream (the raw 32 bytes, sent in its
/// `:chunk-signature` header): HMAC-SHA256 with the request's signing key of
///
/// ```text
/// AWS4-HMAC-SHA256-PAYLOAD
/// <signing time as YYYYMMDDTHHMMSSZ>
/// <date>/<region>/<service>/aws4_request
/// <the previous message's hex signature, or the request's for the first message>
/// <hex SHA-256 of the frame's encoded headers (its `:date` header)>
/// <hex SHA-256 of the frame's payload (the encoded event; empty for the end of the stream)>
/// ```
///
/// `params.time` must be the time the frame's `:date` header carries.
pub fn event_signature(
    params: &SigningParams<'_>,
    prior_signature: &str,
    encoded_headers: &[u8],
    payload: &[u8],
) -> Result<Vec<u8>, SigningError> {
    check_scope_part(params.region, "region")?;
    check_scope_part(params.service, "service")?;
    let (amz_date, date) = format_time(params.time)?;
    let scope = format!("{date}/{}/{}/aws4_request", params.region, params.service);
    let string_to_sign = format!(
        "{EVENT_ALGORITHM}\n{amz_date}\n{scope}\n{prior_signature}\n{}\n{}",
        hex(digest::digest(&digest::SHA256, encoded_headers).as_ref()),
        hex(digest::digest(&digest::SHA256, payload).as_ref()),
    );
    let signing_key = signing_key(
        params.credentials.secret_access_key(),
        &date,
        params.region,
        params.service,
    );
    Ok(hmac::sign(&signing_key, string_to_sign.as_bytes())
        .as_ref()
        .to_vec())
}

fn check_scope_part(value: &str, what: &str) -> Result<(), SigningError> {
    if value.is_empty() || value.contains(['/', ' ', '\n', '\r']) {
        return Err(SigningError::new(format!(
            "the signing {what} `{value}` must be non-empty and contain no `/` or whitespace"
        )));
    }
    Ok(())
}

/// `host[:port]` from an absolute URI, leaving out the scheme's default port.
fn host_from_uri(uri: &http::Uri) -> Result<String, SigningError> {
    let host = uri.host().filter(|h| !h.is_empty()).ok_or_else(|| {
        SigningError::new(format!(
            "the request URI `{uri}` is not absolute (no host); resolve the endpoint first"
        ))
    })?;
    let default_port = match uri.scheme_str() {
        Some("https") => Some(443),
        Some("http") => Some(80),
        _ => None,
    };
    Ok(match uri.port_u16() {
        Some(port) if Some(port) != default_port => format!("{host}:{port}"),
        _ => host.to_owned(),
    })
}

/// `YYYYMMDDTHHMMSSZ` and `YYYYMMDD` in UTC.
fn format_time(time: SystemTime) -> Result<(String, String), SigningError> {
    let since = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_err(|_| SigningError::new("the signing time is before 1970"))?;
    let seconds = i64::try_from(since.as_secs())
        .map_err(|_| SigningError::new("the signing time is out of range"))?;
    let t = time::OffsetDateTime::from_unix_timestamp(seconds)
        .map_err(|_| SigningError::new("the signing time is out of range"))?;
    let date = format!("{:04}{:02}{:02}", t.year(), u8::from(t.month()), t.day());
    let amz_date = format!("{date}T{:02}{:02}{:02}Z", t.hour(), t.minute(), t.second());
    Ok((amz_date, date))
}

/// Trims a header value and collapses inner runs of spaces and tabs into one space.
fn canonical_header_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value
        .split([' ', '\t', '\r', '\n'])
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The canonical URI: normalized if asked, then encoded once more if asked.
fn canonical_uri(path: &str, settings: &SigningSettings) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let normalized;
    let path = if settings.normalize_uri_path {
        normalized = normalize_path(path);
        normalized.as_str()
    } else {
        path
    };
    if settings.double_uri_encode {
        path.split('/')
            .map(|segment| utf8_percent_encode(segment, STRICT).to_string())
            .collect::<Vec<_>>()
            .join("/")
    } else {
        path.to_owned()
    }
}

/// Removes `.` and `..` segments and empty segments (`//`), keeping a trailing `/`.
pub(crate) fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let mut trailing_slash = false;
    for segment in path.split('/') {
        trailing_slash = false;
        match segment {
            "" => trailing_slash = true,
            "." => trailing_slash = true,
            ".." => {
                segments.pop();
                trailing_slash = true;
            }
            s => segments.push(s),
        }
    }
    let mut out = String::with_capacity(path.len());
    for segment in &segments {
        out.push('/');
        out.push_str(segment);
    }
    if segments.is_empty() || trailing_slash {
        out.push('/');
    }
    out
}

/// The canonical query: every parameter decoded, then strictly encoded, sorted by key then value.
fn canonical_query(query: &str) -> String {
    let decode = |s: &str| -> Vec<u8> {
        let plus_as_space = s.replace('+', " ");
        percent_decode(plus_as_space.as_bytes()).collect()
    };
    let mut params: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (encode_bytes(&decode(key)), encode_bytes(&decode(value)))
        })
        .collect();
    params.sort();
    params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode_bytes(bytes: &[u8]) -> String {
    percent_encoding::percent_encode(bytes, STRICT).to_string()
}

/// The signing key of a scope, derived once per thread and scope: a client signs every call of a
/// day with the same secret, date, region and service, and the derivation (five HMAC keys, four
/// HMACs) was the larger part of signing a small request. The thread keeps the last scope's key
/// (a derived key, not the secret) and a SHA-256 of the secret to tell secrets apart.
fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> hmac::Key {
    struct Cached {
        secret_digest: digest::Digest,
        date: String,
        region: String,
        service: String,
        key: hmac::Key,
    }
    thread_local! {
        static LAST: std::cell::RefCell<Option<Cached>> = const { std::cell::RefCell::new(None) };
    }
    let secret_digest = digest::digest(&digest::SHA256, secret.as_bytes());
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some(cached) = last.as_ref() {
            if cached.secret_digest.as_ref() == secret_digest.as_ref()
                && cached.date == date
                && cached.region == region
                && cached.service == service
            {
                return cached.key.clone();
            }
        }
        let key = derive_signing_key(secret, date, region, service);
        *last = Some(Cached {
            secret_digest,
            date: date.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
            key: key.clone(),
        });
        key
    })
}

/// `kSigning` of the SigV4 specification: `AWS4<secret>` HMAC-chained over the scope.
fn derive_signing_key(secret: &str, date: &str, region: &str, service: &str) -> hmac::Key {
    let mut key = hmac::Key::new(hmac::HMAC_SHA256, format!("AWS4{secret}").as_bytes());
    for part in [date, region, service, "aws4_request"] {
        let tag = hmac::sign(&key, part.as_bytes());
        key = hmac::Key::new(hmac::HMAC_SHA256, tag.as_ref());
    }
    key
}

/// Lowercase hexadecimal, as SigV4 (and Glacier's checksum headers) write digests.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    // 2024-01-02T03:04:05Z
    fn time() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_645)
    }

    fn credentials(token: Option<&str>) -> Credentials {
        Credentials::new("AKID", "SECRETKEY", token.map(str::to_owned), None, "test")
    }

    fn params<'a>(credentials: &'a Credentials, settings: SigningSettings) -> SigningParams<'a> {
        SigningParams {
            credentials,
            region: "us-east-1",
            service: "chime",
            time: time(),
            settings,
        }
    }

    fn chime_request() -> http::Request<bytes::Bytes> {
        http::Request::builder()
            .method("POST")
            .uri("https://identity-chime.us-east-1.amazonaws.com/app-instances/arn%3Aaws%3Achime%3Aus-east-1%3A123456789012%3Aapp-instance%2Fabc")
            .header("content-type", "application/json")
            .header("user-agent", "my-app/1.0")
            .header("x-amzn-trace-id", "Root=1-abc")
            .body(bytes::Bytes::from_static(br#"{"Name":"my-instance"}"#))
            .unwrap()
    }

    #[test]
    fn chime_request_double_encodes_the_arn_label_and_signs_the_session_token() {
        let creds = credentials(Some("SESSIONTOKEN"));
        let params = params(&creds, SigningSettings::default());
        let mut request = chime_request();
        let parts = signing_parts(&request, &params).unwrap();
        // Expected values computed by hand from the SigV4 specification (and checked with an
        // independent implementation: Python hashlib/hmac).
        let expected_canonical = "POST\n\
            /app-instances/arn%253Aaws%253Achime%253Aus-east-1%253A123456789012%253Aapp-instance%252Fabc\n\
            \n\
            content-type:application/json\n\
            host:identity-chime.us-east-1.amazonaws.com\n\
            x-amz-date:20240102T030405Z\n\
            x-amz-security-token:SESSIONTOKEN\n\
            \n\
            content-type;host;x-amz-date;x-amz-security-token\n\
            ec5de746f325cb615a0227f31572855308f88ddf4b17750f42b31f2d7c9b4246";
        assert_eq!(parts.canonical_request, expected_canonical);
        assert_eq!(
            parts.signature,
            "ad2f21a46804700210b97656b170df95d96b8d8b70b254ec57c18ad04383eaf3"
        );
        assert_eq!(
            parts.authorization,
            "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/chime/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, \
             Signature=ad2f21a46804700210b97656b170df95d96b8d8b70b254ec57c18ad04383eaf3"
        );

        sign_request(&mut request, &params).unwrap();
        let headers = request.headers();
        assert_eq!(headers["host"], "identity-chime.us-east-1.amazonaws.com");
        assert_eq!(headers["x-amz-date"], "20240102T030405Z");
        assert_eq!(headers["x-amz-security-token"], "SESSIONTOKEN");
        assert!(headers["x-amz-security-token"].is_sensitive());
        assert!(headers["authorization"].is_sensitive());
        assert_eq!(headers["authorization"], parts.authorization.as_str());
        assert!(!headers.contains_key(X_AMZ_CONTENT_SHA256));
        // The path sent on the wire is unchanged (encoded once).
        assert!(request.uri().path().contains("arn%3Aaws"));
    }

    #[test]
    fn single_encoding_mode_keeps_the_wire_path() {
        let creds = credentials(None);
        let settings = SigningSettings {
            double_uri_encode: false,
            ..SigningSettings::default()
        };
        let parts = signing_parts(&chime_request(), &params(&creds, settings)).unwrap();
        assert_eq!(
            parts.canonical_request.lines().nth(1),
            Some(
                "/app-instances/arn%3Aaws%3Achime%3Aus-east-1%3A123456789012%3Aapp-instance%2Fabc"
            )
        );
        assert_eq!(parts.signed_headers, "content-type;host;x-amz-date");
    }

    #[test]
    fn payload_checksum_header_is_added_and_signed() {
        let creds = credentials(None);
        let settings = SigningSettings {
            payload_checksum_header: true,
            ..SigningSettings::default()
        };
        let mut request = chime_request();
        sign_request(&mut request, &params(&creds, settings)).unwrap();
        assert_eq!(
            request.headers()[X_AMZ_CONTENT_SHA256],
            "ec5de746f325cb615a0227f31572855308f88ddf4b17750f42b31f2d7c9b4246"
        );
        let auth = request.headers()["authorization"].to_str().unwrap();
        assert!(
            auth.contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,"),
            "{auth}"
        );
    }

    #[test]
    fn existing_signing_headers_are_replaced_not_duplicated() {
        let creds = credentials(Some("NEW"));
        let mut request = chime_request();
        request
            .headers_mut()
            .insert("x-amz-date", HeaderValue::from_static("19990101T000000Z"));
        request
            .headers_mut()
            .insert("x-amz-security-token", HeaderValue::from_static("OLD"));
        request
            .headers_mut()
            .insert("authorization", HeaderValue::from_static("stale"));
        let params = params(&creds, SigningSettings::default());
        let parts = signing_parts(&request, &params).unwrap();
        assert!(parts
            .canonical_request
            .contains("x-amz-date:20240102T030405Z\nx-amz-security-token:NEW\n"));
        assert!(!parts.canonical_request.contains("OLD"));
        sign_request(&mut request, &params).unwrap();
        assert_eq!(request.headers().get_all("x-amz-date").iter().count(), 1);
        assert_eq!(request.headers()["x-amz-security-token"], "NEW");
        assert_eq!(request.headers().get_all("authorization").iter().count(), 1);
    }

    #[test]
    fn host_comes_from_the_uri_with_non_default_ports_only() {
        let creds = credentials(None);
        let params = params(&creds, SigningSettings::default());
        for (uri, host) in [
            ("https://example.com:443/", "example.com"),
            ("https://example.com:8443/", "example.com:8443"),
            ("http://127.0.0.1:8080/x", "127.0.0.1:8080"),
            ("http://example.com:80/", "example.com"),
        ] {
            let mut request = http::Request::builder()
                .uri(uri)
                .body(bytes::Bytes::new())
                .unwrap();
            sign_request(&mut request, &params).unwrap();
            assert_eq!(request.headers()["host"], host, "{uri}");
        }
    }

    #[test]
    fn relative_uri_and_bad_scope_are_errors() {
        let creds = credentials(None);
        let request = http::Request::builder()
            .uri("/no-host")
            .body(bytes::Bytes::new())
            .unwrap();
        let err = signing_parts(&request, &params(&creds, SigningSettings::default()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("not absolute"), "{err}");
        let bad = SigningParams {
            region: "",
            ..params(&creds, SigningSettings::default())
        };
        let err = signing_parts(&chime_request(), &bad)
            .unwrap_err()
            .to_string();
        assert!(err.contains("region"), "{err}");
    }

    #[test]
    fn path_normalization() {
        for (input, expected) in [
            ("/", "/"),
            ("//", "/"),
            ("/a/./b", "/a/b"),
            ("/a/b/..", "/a/"),
            ("/a/../../b", "/b"),
            ("//a//b//", "/a/b/"),
            ("/a/.", "/a/"),
            ("/a%2F..", "/a%2F.."),
        ] {
            assert_eq!(normalize_path(input), expected, "{input}");
        }
    }

    #[test]
    fn query_canonicalization() {
        for (input, expected) in [
            ("", ""),
            ("b=2&a=1", "a=1&b=2"),
            ("a=2&a=1&a=10", "a=1&a=10&a=2"),
            ("flag&x=", "flag=&x="),
            ("operation=tag-resource", "operation=tag-resource"),
            ("k=a%20b&k2=a+b", "k=a%20b&k2=a%20b"),
            ("p=%2F%3a%7E", "p=%2F%3A~"),
            ("&&a=1&", "a=1"),
        ] {
            assert_eq!(canonical_query(input), expected, "{input}");
        }
    }

    #[test]
    fn header_values_are_trimmed_and_collapsed() {
        assert_eq!(canonical_header_value("  a   b\t\tc  "), "a b c");
        assert_eq!(canonical_header_value(""), "");
    }

    #[test]
    fn the_cached_signing_key_follows_every_part_of_the_scope_and_the_secret() {
        // A sequence that changes one part of the scope at a time (so that each comparison of
        // the cache is the only one that can tell two neighbours apart), then returns to the
        // first scope: each key must sign like a freshly derived one (the cache may only answer
        // for an equal scope).
        let scopes = [
            ("secret-a", "20150830", "us-east-1", "iam"),
            ("secret-a", "20150830", "us-east-1", "iam"),
            ("secret-b", "20150830", "us-east-1", "iam"),
            // The next day (a client running past midnight): only the date changes.
            ("secret-b", "20150831", "us-east-1", "iam"),
            ("secret-b", "20150831", "us-west-2", "iam"),
            ("secret-b", "20150831", "us-west-2", "chime"),
            ("secret-a", "20150830", "us-east-1", "iam"),
        ];
        let tag = |key: &hmac::Key| hmac::sign(key, b"string to sign").as_ref().to_vec();
        let mut seen = Vec::new();
        for (secret, date, region, service) in scopes {
            let cached = tag(&signing_key(secret, date, region, service));
            let fresh = tag(&derive_signing_key(secret, date, region, service));
            assert_eq!(cached, fresh, "{secret} {date} {region} {service}");
            seen.push(cached);
        }
        // Different scopes give different keys (so the comparison above can tell them apart).
        for pair in seen[1..6].windows(2) {
            assert_ne!(pair[0], pair[1]);
        }
    }

    #[test]
    fn debug_output_has_no_secrets() {
        let creds = credentials(Some("SESSIONTOKEN"));
        let params = params(&creds, SigningSettings::default());
        let parts = signing_parts(&chime_request(), &params).unwrap();
        for debug in [format!("{parts:?}"), format!("{params:?}")] {
            assert!(!debug.contains("SESSIONTOKEN"), "{debug}");
            assert!(!debug.contains("SECRETKEY"), "{debug}");
        }
        // What is safe to show for debugging a signature mismatch is shown.
        let debug = format!("{parts:?}");
        for shown in [
            &parts.signature,
            &parts.signed_headers,
            &parts.amz_date,
            &parts.payload_hash,
        ] {
            assert!(debug.contains(shown.as_str()), "{shown} in {debug}");
        }
        assert!(
            debug.contains("AWS4-HMAC-SHA256\\n20240102T030405Z\\n"),
            "{debug}"
        );
    }
}
