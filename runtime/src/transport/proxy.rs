//! Which proxy, if any, a request goes through.
//!
//! Proxies come from [`ProxySettings`]; whatever they say, destinations on this machine
//! (loopback) or on the local link (169.254.0.0/16, fe80::/10) and the instance metadata and
//! container credential agents (`fd00:ec2::/32`) are always reached directly: a proxy cannot
//! reach them (its loopback is not ours), and the credential endpoints among them must never
//! see their secrets pass through a third party. Go's `http.ProxyFromEnvironment` makes the
//! same exception for loopback.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use hyper_util::client::proxy::matcher::{Intercept, Matcher};

/// Where the default client finds its HTTP proxy. `Debug` hides credentials in proxy URLs.
///
/// Loopback, link-local and EC2 metadata addresses are never proxied, whatever is configured.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProxySettings {
    /// Read `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (and their lowercase forms)
    /// when the client is first used. The default.
    #[default]
    FromEnv,
    /// Never use a proxy.
    Disabled,
    /// Use these proxies. `no_proxy` is a comma-separated list of hosts, domains or CIDR blocks
    /// that are reached directly, as in `NO_PROXY`.
    Custom {
        /// Proxy URL for `http://` destinations (e.g. `http://user:pass@proxy:3128`).
        http: Option<String>,
        /// Proxy URL for `https://` destinations (tunnelled with `CONNECT`).
        https: Option<String>,
        /// Destinations that bypass the proxy.
        no_proxy: Option<String>,
    },
}

impl fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxySettings::FromEnv => f.write_str("FromEnv"),
            ProxySettings::Disabled => f.write_str("Disabled"),
            ProxySettings::Custom {
                http,
                https,
                no_proxy,
            } => f
                .debug_struct("Custom")
                .field("http", &http.as_deref().map(redact_userinfo))
                .field("https", &https.as_deref().map(redact_userinfo))
                .field("no_proxy", no_proxy)
                .finish(),
        }
    }
}

/// `scheme://user:pass@host` becomes `scheme://***@host`.
fn redact_userinfo(url: &str) -> String {
    let rest_start = url.find("://").map_or(0, |i| i + 3);
    let (scheme, rest) = url.split_at(rest_start);
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}***{}", &rest[at..]),
        None => url.to_owned(),
    }
}

/// The proxy decision of one client: the matcher built from its settings.
#[derive(Clone, Default)]
pub(super) struct ProxyRoute {
    matcher: Option<Arc<Matcher>>,
}

impl ProxyRoute {
    pub(super) fn new(settings: &ProxySettings) -> Self {
        let matcher = match settings {
            ProxySettings::Disabled => None,
            ProxySettings::FromEnv => Some(Matcher::from_env()),
            ProxySettings::Custom {
                http,
                https,
                no_proxy,
            } => {
                let mut builder = Matcher::builder();
                if let Some(http) = http {
                    builder = builder.http(http.as_str());
                }
                if let Some(https) = https {
                    builder = builder.https(https.as_str());
                }
                if let Some(no) = no_proxy {
                    builder = builder.no(no.as_str());
                }
                Some(builder.build())
            }
        };
        Self {
            matcher: matcher.map(Arc::new),
        }
    }

    /// The proxy `destination` goes through, if any.
    pub(super) fn intercept(&self, destination: &http::Uri) -> Option<Intercept> {
        if always_direct(destination.host()?) {
            return None;
        }
        self.matcher.as_ref()?.intercept(destination)
    }
}

/// Whether `host` (a URI host, IPv6 in brackets) is always reached without a proxy: loopback,
/// link-local, or the EC2 metadata and container agents' IPv6 range `fd00:ec2::/32`.
pub(super) fn always_direct(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host.to_ascii_lowercase().ends_with(".localhost") {
        return true;
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback() || ip.is_link_local() || ip.is_unspecified(),
        Ok(IpAddr::V6(ip)) => {
            let segments = ip.segments();
            ip.is_loopback()
                || ip.is_unspecified()
                || (segments[0] & 0xffc0) == 0xfe80
                || (segments[0] == 0xfd00 && segments[1] == 0x0ec2)
                || ip
                    .to_ipv4_mapped()
                    .is_some_and(|v4| v4.is_loopback() || v4.is_link_local())
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_and_metadata_destinations_are_never_proxied() {
        for direct in [
            "127.0.0.1",
            "127.9.9.9",
            "localhost",
            "LOCALHOST",
            "app.localhost",
            "[::1]",
            "169.254.169.254",
            "169.254.170.2",
            "169.254.170.23",
            "[fd00:ec2::254]",
            "[fd00:ec2::23]",
            "[fe80::1]",
            "[::ffff:127.0.0.1]",
            "0.0.0.0",
        ] {
            assert!(always_direct(direct), "{direct}");
        }
        for proxied in [
            "example.com",
            "10.0.0.1",
            "192.168.1.1",
            "[2001:db8::1]",
            "[fd00:ec3::1]",
            "localhost.example.com",
            "127.0.0.1.nip.io",
        ] {
            assert!(!always_direct(proxied), "{proxied}");
        }
    }

    #[test]
    fn a_configured_proxy_is_skipped_for_local_destinations_only() {
        let route = ProxyRoute::new(&ProxySettings::Custom {
            http: Some("http://proxy.example:3128".into()),
            https: Some("http://proxy.example:3128".into()),
            no_proxy: None,
        });
        let remote: http::Uri = "http://service.example/x".parse().unwrap();
        assert!(route.intercept(&remote).is_some());
        for local in [
            "http://127.0.0.1:8080/creds",
            "http://169.254.169.254/latest/api/token",
            "http://[fd00:ec2::254]/latest/api/token",
            "http://169.254.170.2/v2/credentials",
        ] {
            let uri: http::Uri = local.parse().unwrap();
            assert!(route.intercept(&uri).is_none(), "{local}");
        }
    }

    #[test]
    fn proxy_credentials_are_redacted() {
        assert_eq!(
            redact_userinfo("http://u:p@proxy:1/x@y"),
            "http://***@proxy:1/x@y"
        );
        assert_eq!(redact_userinfo("http://proxy:1/x@y"), "http://proxy:1/x@y");
    }
}
