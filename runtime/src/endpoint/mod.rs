//! The standard library of the Smithy rules engine, used by the generated endpoint resolver.
//!
//! `isSet`, `not`, `booleanEquals` and `stringEquals` compile to plain Rust in the generated code;
//! the functions that need real work live here: [`substring`], [`uri_encode`], [`parse_url`],
//! [`is_valid_host_label`], and the AWS functions in [`aws`] (`aws.partition`, `aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`).

pub mod aws;
pub mod region_regex;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// `substring(input, start, stop, reverse)`: the characters `start..stop` of `input`, counted from
/// the end when `reverse` is true.
///
/// Returns `None` when `start >= stop`, when `stop` is past the end, or when `input` is not all
/// ASCII (the rules engine defines the function on ASCII only).
pub fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<&str> {
    if start >= stop || stop > input.len() || !input.is_ascii() {
        return None;
    }
    if reverse {
        input.get(input.len() - stop..input.len() - start)
    } else {
        input.get(start..stop)
    }
}

/// Everything but the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) is percent-encoded.
const URI_ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `uriEncode(value)`: percent-encodes every byte that is not an RFC 3986 unreserved character.
pub fn uri_encode(value: &str) -> String {
    utf8_percent_encode(value, URI_ENCODE_SET).to_string()
}

/// The result of [`parse_url`] (`parseURL`), with the attribute names of the rules engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url<'a> {
    /// `scheme`: `http` or `https`.
    pub scheme: &'a str,
    /// `authority`: host and optional `:port`.
    pub authority: &'a str,
    /// `path`: the path as written (may be empty).
    pub path: &'a str,
    /// `normalizedPath`: the path with a leading and a trailing `/`.
    pub normalized_path: String,
    /// `isIp`: whether the host is an IPv4 address or a bracketed IPv6 address.
    pub is_ip: bool,
}

/// `parseURL(url)`: splits an `http`/`https` URL into its parts.
///
/// Returns `None` for other schemes, for URLs with a query string, a fragment or user
/// information, and for an empty host.
pub fn parse_url(url: &str) -> Option<Url<'_>> {
    let (scheme, rest) = url.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    if rest.contains(['?', '#']) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, ""),
    };
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let host = if authority.starts_with('[') {
        // `[v6]` or `[v6]:port`
        let end = authority.find(']')?;
        &authority[..=end]
    } else {
        authority
            .rsplit_once(':')
            .map_or(authority, |(host, _port)| host)
    };
    if host.is_empty() {
        return None;
    }
    let is_ip = is_ipv4(host) || is_bracketed_ipv6(host);
    let mut normalized_path = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized_path.push('/');
    }
    normalized_path.push_str(path);
    if !normalized_path.ends_with('/') {
        normalized_path.push('/');
    }
    Some(Url {
        scheme,
        authority,
        path,
        normalized_path,
        is_ip,
    })
}

fn is_ipv4(host: &str) -> bool {
    host.parse::<std::net::Ipv4Addr>().is_ok()
}

fn is_bracketed_ipv6(host: &str) -> bool {
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .is_some_and(|h| h.parse::<std::net::Ipv6Addr>().is_ok())
}

/// `isValidHostLabel(value, allowSubDomains)`: whether `value` is one DNS label (1 to 63 ASCII
/// letters, digits or hyphens, not starting with a hyphen), or with `allow_subdomains` a
/// dot-separated sequence of such labels.
pub fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        value.split('.').all(is_single_host_label)
    } else {
        is_single_host_label(value)
    }
}

fn is_single_host_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && !label.starts_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_forward_and_reverse() {
        assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
        assert_eq!(substring("abcdefg", 1, 3, true), Some("ef"));
        assert_eq!(substring("abcdefg", 0, 7, false), Some("abcdefg"));
        assert_eq!(substring("abcdefg", 0, 8, false), None);
        assert_eq!(substring("abcdefg", 3, 3, false), None);
        assert_eq!(substring("abcdefg", 4, 2, false), None);
        assert_eq!(substring("ab\u{e9}def", 0, 2, false), None);
    }

    #[test]
    fn uri_encode_keeps_only_unreserved() {
        assert_eq!(uri_encode("a-b.c_d~e"), "a-b.c_d~e");
        assert_eq!(uri_encode("a b/c?d=e&f"), "a%20b%2Fc%3Fd%3De%26f");
        assert_eq!(uri_encode("\u{e9}"), "%C3%A9");
        assert_eq!(uri_encode(""), "");
    }

    #[test]
    fn parse_url_parts() {
        let url = parse_url("https://example.com").unwrap();
        assert_eq!(
            (
                url.scheme,
                url.authority,
                url.path,
                url.normalized_path.as_str(),
                url.is_ip
            ),
            ("https", "example.com", "", "/", false)
        );
        let url = parse_url("http://example.com:8443/a/b").unwrap();
        assert_eq!(
            (
                url.scheme,
                url.authority,
                url.path,
                url.normalized_path.as_str(),
                url.is_ip
            ),
            ("http", "example.com:8443", "/a/b", "/a/b/", false)
        );
        let url = parse_url("https://127.0.0.1:80/").unwrap();
        assert!(url.is_ip);
        assert_eq!(url.normalized_path, "/");
        let url = parse_url("https://[::1]:443/x/").unwrap();
        assert!(url.is_ip);
        assert_eq!(
            (url.authority, url.normalized_path.as_str()),
            ("[::1]:443", "/x/")
        );
        assert!(!parse_url("https://999.1.1.1").unwrap().is_ip);
    }

    #[test]
    fn parse_url_rejects() {
        for bad in [
            "example.com",
            "ftp://example.com",
            "https://example.com?x=1",
            "https://example.com/#f",
            "https://user@example.com",
            "https://",
            "https://:80",
        ] {
            assert_eq!(parse_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label("a", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("-abc", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label("a.", true));
        for bad in [
            "us-east-1.evil.example/",
            "us-east-1@evil.example",
            "a_b",
            "a b",
            "a/b",
        ] {
            assert!(!is_valid_host_label(bad, false), "{bad}");
            assert!(!is_valid_host_label(bad, true), "{bad}");
        }
    }
}
