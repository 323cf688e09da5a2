//! Runs the AWS SigV4 signing test suite (`shared/testdata/sigv4`, header signing) and the two
//! smithy-rs double-encoding cases (`shared/testdata/sigv4-extra`) against `sigv4`.
//!
//! Every case folder is one result. The test fails listing every failing case. Cases that need an
//! adaptation or are unsupported are listed below with the reason, and the test checks that the
//! lists match reality (an adapted case must really need the adaptation; an unsupported case must
//! still fail), so nothing is skipped silently.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use serde_json::Value;
use smithy_rust_runtime::credentials::Credentials;
use smithy_rust_runtime::sigv4::{sign_request, signing_parts, SigningParams, SigningSettings};

/// Cases whose request line holds characters an `http::Uri` cannot carry (a raw space, raw
/// UTF-8). The suite's canonical URI is the URI-encoding of the path exactly as written in
/// request.txt. To build an `http::Request` the test must percent-encode those characters for
/// the wire, which is the encoding the suite expects in the canonical URI; encoding that wire
/// path once more (our default for non-S3 services) would double it (`%20` -> `%2520`). So these
/// cases are signed with `double_uri_encode: false` (the canonical URI is the wire path as is),
/// and the test also checks that the default mode shows the doubled form.
const ADAPTED: &[(&str, &str)] = &[
    (
        "get-space-normalized",
        "raw space in the path cannot be put in an http::Uri; signed with the wire-encoded path and single encoding",
    ),
    (
        "get-space-unnormalized",
        "raw space in the path cannot be put in an http::Uri; signed with the wire-encoded path and single encoding",
    ),
    (
        "get-utf8",
        "raw UTF-8 in the path cannot be put in an http::Uri; signed with the wire-encoded path and single encoding",
    ),
];

/// Cases we cannot support, with the reason. The test asserts each of them still fails.
const UNSUPPORTED: &[(&str, &str)] = &[];

const SECRET_EXAMPLE_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn data_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/testdata")
        .join(name)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A request as written in request.txt / header-signed-request.txt.
struct RawRequest {
    method: String,
    target: String,
    /// Header lines in order, obs-folded continuation lines joined with a space.
    headers: Vec<(String, String)>,
    body: String,
}

fn parse_raw_request(text: &str) -> RawRequest {
    let (head, body) = match text.split_once("\n\n") {
        Some((head, body)) => (head, body.to_owned()),
        None => (text.trim_end_matches('\n'), String::new()),
    };
    let mut lines = head.lines();
    let request_line = lines.next().expect("request line");
    let (method, rest) = request_line.split_once(' ').expect("method");
    // The HTTP version is optional (double-url-encode/header-signed-request.txt has none).
    let target = match rest.rsplit_once(' ') {
        Some((target, version)) if version.starts_with("HTTP/") => target,
        _ => rest,
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().expect("continuation after a header");
            last.1.push(' ');
            last.1.push_str(line.trim());
            continue;
        }
        let (name, value) = line.split_once(':').expect("header line");
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    RawRequest {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body,
    }
}

/// Percent-encodes the bytes an `http::Uri` cannot hold (space, controls, non-ASCII).
fn wire_target(target: &str) -> String {
    let mut out = String::new();
    for b in target.bytes() {
        if b <= b' ' || b >= 0x7f {
            write!(out, "%{b:02X}").unwrap();
        } else {
            out.push(char::from(b));
        }
    }
    out
}

fn build_request(raw: &RawRequest) -> http::Request<Bytes> {
    let host = raw
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.clone())
        .expect("Host header");
    let uri = format!("https://{host}{}", wire_target(&raw.target));
    let mut builder = http::Request::builder()
        .method(raw.method.as_str())
        .uri(uri);
    for (name, value) in &raw.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder
        .body(Bytes::from(raw.body.clone()))
        .expect("valid request")
}

fn parse_time(text: &str) -> SystemTime {
    let t = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .expect("timestamp");
    SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(t.unix_timestamp()).unwrap())
}

/// The headers of a request, lower-cased names, sorted, for comparing signed requests.
fn header_multiset(headers: impl IntoIterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = headers
        .into_iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v))
        .collect();
    all.sort();
    all
}

fn authorization_of(raw: &RawRequest) -> String {
    raw.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.clone())
        .expect("Authorization header in signed request")
}

fn compare(failures: &mut Vec<String>, what: &str, actual: &str, expected: &str) {
    if actual != expected {
        failures.push(format!(
            "{what} differs\n--- expected\n{expected}\n--- actual\n{actual}"
        ));
    }
}

/// Signs one suite case; returns the list of mismatches (empty: pass).
fn run_suite_case(dir: &Path, adapted: bool) -> Vec<String> {
    let context: Value = serde_json::from_str(&read(&dir.join("context.json"))).unwrap();
    let creds = &context["credentials"];
    let omit_token = context["omit_session_token"].as_bool().unwrap_or(false);
    let token = creds["token"].as_str().map(str::to_owned);
    // `omit_session_token`: the token header is added to the request but not signed, which is
    // signing without a token and adding the header afterwards.
    let credentials = Credentials::new(
        creds["access_key_id"].as_str().unwrap(),
        creds["secret_access_key"].as_str().unwrap(),
        if omit_token { None } else { token.clone() },
        None,
        "test",
    );
    let settings = SigningSettings {
        normalize_uri_path: context["normalize"].as_bool().unwrap(),
        double_uri_encode: !adapted,
        payload_checksum_header: context["sign_body"].as_bool().unwrap(),
        streaming_events: false,
    };
    let params = SigningParams {
        credentials: &credentials,
        region: context["region"].as_str().unwrap(),
        service: context["service"].as_str().unwrap(),
        time: parse_time(context["timestamp"].as_str().unwrap()),
        settings,
    };
    let raw = parse_raw_request(&read(&dir.join("request.txt")));
    let mut request = build_request(&raw);
    let mut failures = Vec::new();
    let parts = match signing_parts(&request, &params) {
        Ok(parts) => parts,
        Err(e) => return vec![format!("signing failed: {e}")],
    };
    let expected_creq = read(&dir.join("header-canonical-request.txt"));
    compare(
        &mut failures,
        "canonical request",
        &parts.canonical_request,
        &expected_creq,
    );
    compare(
        &mut failures,
        "string to sign",
        &parts.string_to_sign,
        &read(&dir.join("header-string-to-sign.txt")),
    );
    compare(
        &mut failures,
        "signature",
        &parts.signature,
        read(&dir.join("header-signature.txt")).trim(),
    );
    let signed = parse_raw_request(&read(&dir.join("header-signed-request.txt")));
    compare(
        &mut failures,
        "authorization",
        &parts.authorization,
        &authorization_of(&signed),
    );

    // The request sign_request produces carries exactly the headers of the signed request.
    if let Err(e) = sign_request(&mut request, &params) {
        failures.push(format!("sign_request failed: {e}"));
        return failures;
    }
    if omit_token {
        if let Some(token) = &token {
            request
                .headers_mut()
                .insert("x-amz-security-token", token.parse().unwrap());
        }
    }
    let actual_headers = header_multiset(request.headers().iter().map(|(n, v)| {
        (
            n.as_str().to_owned(),
            String::from_utf8(v.as_bytes().to_vec()).unwrap(),
        )
    }));
    let expected_headers = header_multiset(signed.headers.clone());
    if actual_headers != expected_headers {
        failures.push(format!(
            "signed request headers differ\n--- expected\n{expected_headers:?}\n--- actual\n{actual_headers:?}"
        ));
    }

    if adapted {
        // Why the adaptation is needed: in the default (double-encoding) mode, the wire-encoded
        // path is encoded once more, so every `%` of the expected canonical URI becomes `%25`.
        let default_params = SigningParams {
            settings: SigningSettings {
                double_uri_encode: true,
                ..settings
            },
            ..params
        };
        let fresh = build_request(&raw);
        let doubled = signing_parts(&fresh, &default_params).unwrap();
        let expected_uri = expected_creq.lines().nth(1).unwrap();
        assert!(
            expected_uri.contains('%'),
            "{}: adapted case without encoding",
            dir.display()
        );
        compare(
            &mut failures,
            "canonical URI in double-encoding mode",
            doubled.canonical_request.lines().nth(1).unwrap(),
            &expected_uri.replace('%', "%25"),
        );
    }
    failures
}

fn case_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn name_of(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn sigv4_test_suite_header_signing() {
    let dirs = case_dirs(&data_dir("sigv4"));
    assert_eq!(dirs.len(), 38, "the suite has 38 cases");
    let mut results: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut problems: Vec<String> = Vec::new();
    for dir in &dirs {
        let name = name_of(dir);
        let raw = parse_raw_request(&read(&dir.join("request.txt")));
        // Only the path matters: the query is decoded before it is canonicalized.
        let path = raw.target.split('?').next().unwrap_or_default();
        let needs_adaptation = wire_target(path) != path;
        let listed_adapted = ADAPTED.iter().any(|(n, _)| *n == name);
        if needs_adaptation != listed_adapted {
            problems.push(format!(
                "{name}: ADAPTED list is stale (needs adaptation: {needs_adaptation}, listed: {listed_adapted})"
            ));
        }
        results.insert(name, run_suite_case(dir, needs_adaptation));
    }
    for (name, _) in ADAPTED.iter().chain(UNSUPPORTED) {
        assert!(
            results.contains_key(*name),
            "listed case {name} does not exist"
        );
    }
    let mut passed = 0;
    let mut unsupported_still_failing = 0;
    for (name, failures) in &results {
        let unsupported = UNSUPPORTED.iter().any(|(n, _)| n == name);
        match (failures.is_empty(), unsupported) {
            (true, false) => passed += 1,
            (false, true) => unsupported_still_failing += 1,
            (true, true) => problems.push(format!(
                "{name}: listed as unsupported but passes; remove it from UNSUPPORTED"
            )),
            (false, false) => problems.push(format!("{name}:\n{}", failures.join("\n"))),
        }
    }
    println!(
        "sigv4 suite (header signing): {passed}/{} passed ({} of them with the single-encoding adaptation), {unsupported_still_failing} unsupported",
        results.len(),
        ADAPTED.len()
    );
    assert!(
        problems.is_empty(),
        "{} problem(s):\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

#[test]
fn sigv4_extra_double_url_encode() {
    let dir = data_dir("sigv4-extra").join("double-url-encode");
    let credentials = Credentials::new("AKIDEXAMPLE", SECRET_EXAMPLE_KEY, None, None, "test");
    let params = SigningParams {
        credentials: &credentials,
        region: "us-east-2",
        service: "lambda",
        time: parse_time("2021-05-11T15:40:45Z"),
        settings: SigningSettings::default(),
    };
    let raw = parse_raw_request(&read(&dir.join("request.txt")));
    let request = build_request(&raw);
    let parts = signing_parts(&request, &params).unwrap();
    // These two files end with a newline that is not part of the value.
    assert_eq!(
        parts.canonical_request,
        read(&dir.join("header-canonical-request.txt")).trim_end_matches('\n')
    );
    assert_eq!(
        parts.string_to_sign,
        read(&dir.join("header-string-to-sign.txt")).trim_end_matches('\n')
    );
    let signed = parse_raw_request(&read(&dir.join("header-signed-request.txt")));
    assert_eq!(parts.authorization, authorization_of(&signed));
}

#[test]
fn sigv4_extra_double_encode_path() {
    // Its files disagree on time and key (see sigv4-extra/README.md); signing at the canonical
    // request's time replaces the request's x-amz-date, so the whole canonical request compares.
    let dir = data_dir("sigv4-extra").join("double-encode-path");
    let credentials = Credentials::new("ANOTREAL", SECRET_EXAMPLE_KEY, None, None, "test");
    let params = SigningParams {
        credentials: &credentials,
        region: "us-east-1",
        service: "service",
        time: parse_time("2021-05-11T15:40:45Z"),
        settings: SigningSettings::default(),
    };
    let raw = parse_raw_request(&read(&dir.join("request.txt")));
    let request = build_request(&raw);
    let parts = signing_parts(&request, &params).unwrap();
    let expected = read(&dir.join("header-canonical-request.txt"));
    assert_eq!(
        parts.canonical_request.lines().nth(1),
        Some("/test/%40connections/JBDvjfGEIAMCERw%253D")
    );
    assert_eq!(parts.canonical_request, expected);
}
