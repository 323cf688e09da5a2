//! The `user-agent` and `x-amz-user-agent` header values.

use std::fmt;

use crate::contract::operation::ServiceMeta;

/// An application name added to the user agent as `app/<name>`: at most 50 characters from
/// `A-Z a-z 0-9 ! # $ % & ' * + - . ^ _ \` | ~`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AppName(String);

/// An application name that cannot go in a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidAppName {
    name: String,
}

impl fmt::Display for InvalidAppName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid app name {:?}: use 1 to 50 characters from A-Z a-z 0-9 and !#$%&'*+-.^_`|~",
            self.name
        )
    }
}

impl std::error::Error for InvalidAppName {}

impl AppName {
    /// Checks `name` and wraps it.
    pub fn new(name: impl Into<String>) -> Result<Self, InvalidAppName> {
        let name = name.into();
        let valid = !name.is_empty()
            && name.len() <= 50
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c));
        if valid {
            Ok(Self(name))
        } else {
            Err(InvalidAppName { name })
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AppName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<AppName> for String {
    /// The name, as the config builders' `app_name(..)` takes it.
    fn from(name: AppName) -> Self {
        name.0
    }
}

fn token(raw: &str) -> String {
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The `user-agent` and `x-amz-user-agent` values for a service, e.g.
/// `aws-sdk-chimesdkidentity/0.1.0 os/linux lang/rust` and
/// `aws-sdk-chimesdkidentity/0.1.0 ua/2.1 api/chime-sdk-identity#0.1.0 os/linux lang/rust app/myapp`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAgent {
    short: String,
    full: String,
}

impl UserAgent {
    /// Builds the values from the generated crate's metadata and the optional app name.
    pub fn new(meta: &ServiceMeta, app_name: Option<&AppName>) -> Self {
        let crate_part = format!("{}/{}", token(meta.crate_name), token(meta.crate_version));
        let os = token(std::env::consts::OS);
        let short = format!("{crate_part} os/{os} lang/rust");
        let api = token(&meta.service_id.to_ascii_lowercase().replace(' ', "-"));
        let mut full = format!(
            "{crate_part} ua/2.1 api/{api}#{} os/{os} lang/rust",
            token(meta.crate_version)
        );
        if let Some(app) = app_name {
            full.push_str(" app/");
            full.push_str(app.as_str());
        }
        let short = match app_name {
            Some(app) => format!("{short} app/{}", app.as_str()),
            None => short,
        };
        Self { short, full }
    }

    /// The `user-agent` value.
    pub fn user_agent(&self) -> &str {
        &self.short
    }

    /// The `x-amz-user-agent` value.
    pub fn amz_user_agent(&self) -> &str {
        &self.full
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::endpoint::{EndpointError, EndpointParams, ResolvedEndpoint};

    fn resolve(_: &EndpointParams) -> Result<ResolvedEndpoint, EndpointError> {
        Err(EndpointError::new("unused"))
    }

    static META: ServiceMeta = ServiceMeta {
        service_id: "Chime SDK Identity",
        signing_name: "chime",
        crate_name: "aws-sdk-chimesdkidentity",
        crate_version: "0.1.0",
        api_version: "2021-04-20",
        resolve_endpoint: resolve,
    };

    #[test]
    fn values_name_the_crate_service_and_app() {
        let app = AppName::new("my-app_1").unwrap();
        let ua = UserAgent::new(&META, Some(&app));
        assert!(ua
            .user_agent()
            .starts_with("aws-sdk-chimesdkidentity/0.1.0 os/"));
        assert!(ua.user_agent().ends_with(" app/my-app_1"));
        assert!(ua
            .amz_user_agent()
            .contains(" api/chime-sdk-identity#0.1.0 "));
        assert!(ua.amz_user_agent().ends_with(" app/my-app_1"));
        assert!(http::HeaderValue::from_str(ua.amz_user_agent()).is_ok());
    }

    #[test]
    fn bad_app_names_are_rejected() {
        assert!(AppName::new("").is_err());
        assert!(AppName::new("has space").is_err());
        assert!(AppName::new("new\nline").is_err());
        assert!(AppName::new("x".repeat(51)).is_err());
        let err = AppName::new("a b").unwrap_err();
        assert!(err.to_string().contains("\"a b\""));
    }

    #[test]
    fn an_app_name_reads_back_as_given() {
        let app = AppName::new("tool~1.0").unwrap();
        assert_eq!(app.as_str(), "tool~1.0");
        assert_eq!(app.to_string(), "tool~1.0");
        assert_eq!(String::from(app), "tool~1.0");
        assert_eq!(
            AppName::new("x".repeat(51)).unwrap_err().to_string(),
            format!(
                "invalid app name \"{}\": use 1 to 50 characters from A-Z a-z 0-9 and \
                 !#$%&'*+-.^_`|~",
                "x".repeat(51)
            )
        );
    }

    #[test]
    fn whole_values_without_an_app_and_characters_outside_a_token_replaced() {
        static ODD: ServiceMeta = ServiceMeta {
            service_id: "Odd (Service)",
            crate_name: "odd sdk",
            crate_version: "1.0+build/2",
            ..META
        };
        let os = std::env::consts::OS;
        let ua = UserAgent::new(&ODD, None);
        assert_eq!(
            ua.user_agent(),
            format!("odd-sdk/1.0+build-2 os/{os} lang/rust")
        );
        assert_eq!(
            ua.amz_user_agent(),
            format!("odd-sdk/1.0+build-2 ua/2.1 api/odd--service-#1.0+build-2 os/{os} lang/rust")
        );
    }
}
