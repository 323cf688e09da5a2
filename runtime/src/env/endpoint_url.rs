//! Endpoint URLs configured outside the code, with the precedence of the AWS SDKs and Tools
//! reference guide: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, then the service's
//! `endpoint_url` in the `services` section the selected profile names, then the profile's own
//! `endpoint_url`. (`AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is checked by the callers, which
//! report a value they cannot understand in their own way.)
//!
//! `<SERVICE>` is the service's SDK id upper-cased with spaces and hyphens as underscores
//! (`Chime SDK Identity`: `CHIME_SDK_IDENTITY`; `STS`; `SSO`); the `services` section key is
//! the same in lower case (`chime_sdk_identity`, `sts`, `sso`).

use crate::env::profile::ProfileSet;
use crate::env::Env;

/// The environment variable of a service's endpoint URL: `AWS_ENDPOINT_URL_` and the service's
/// SDK id upper-cased, spaces and hyphens replaced by underscores.
pub fn endpoint_url_variable(service_id: &str) -> String {
    format!(
        "AWS_ENDPOINT_URL_{}",
        service_key(service_id).to_ascii_uppercase()
    )
}

/// The key of a service in a `services` section of the shared config file: its SDK id in lower
/// case, spaces and hyphens replaced by underscores.
pub fn services_section_key(service_id: &str) -> String {
    service_key(service_id).to_ascii_lowercase()
}

fn service_key(service_id: &str) -> String {
    service_id
        .trim()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// The endpoint URL configured for `service` (its SDK id), or the global one for `None`:
/// the environment variables, then the selected profile of `profiles` (the shared config files
/// `env` points at, read by the caller only when the variables give nothing: see
/// [`endpoint_url_from_variables`] and [`endpoint_url_from_profiles`]).
pub fn configured_endpoint_url(
    env: &Env,
    profiles: Option<&ProfileSet>,
    service: Option<&str>,
) -> Option<String> {
    endpoint_url_from_variables(env, service)
        .or_else(|| endpoint_url_from_profiles(profiles?, service))
}

/// `AWS_ENDPOINT_URL_<SERVICE>` (when `service` is given), else `AWS_ENDPOINT_URL`.
pub fn endpoint_url_from_variables(env: &Env, service: Option<&str>) -> Option<String> {
    service
        .and_then(|service| env.get_non_empty(&endpoint_url_variable(service)))
        .or_else(|| env.get_non_empty("AWS_ENDPOINT_URL"))
        .map(|url| url.trim().to_owned())
}

/// The service's `endpoint_url` in the `services` section the selected profile names (when
/// `service` is given), else the profile's own `endpoint_url`.
pub fn endpoint_url_from_profiles(profiles: &ProfileSet, service: Option<&str>) -> Option<String> {
    let profile = profiles.selected()?;
    if let Some(service) = service {
        let url = profile
            .get("services")
            .map(str::trim)
            .and_then(|name| profiles.services(name))
            .and_then(|section| section.get_sub(&services_section_key(service), "endpoint_url"))
            .filter(|url| !url.is_empty());
        if let Some(url) = url {
            return Some(url.to_owned());
        }
    }
    profile
        .get("endpoint_url")
        .map(str::trim)
        .filter(|url| !url.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_sdk_id() {
        assert_eq!(
            endpoint_url_variable("Chime SDK Identity"),
            "AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY"
        );
        assert_eq!(
            services_section_key("Chime SDK Identity"),
            "chime_sdk_identity"
        );
        assert_eq!(endpoint_url_variable("STS"), "AWS_ENDPOINT_URL_STS");
        assert_eq!(services_section_key("SSO"), "sso");
        assert_eq!(
            endpoint_url_variable("Route 53-Domains"),
            "AWS_ENDPOINT_URL_ROUTE_53_DOMAINS"
        );
    }
}
