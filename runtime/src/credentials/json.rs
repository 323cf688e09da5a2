//! The JSON credentials documents returned by `credential_process`, ECS and IMDS.

use std::time::{Duration, SystemTime};

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::{Credentials, CredentialsError};
use crate::contract::text::{escape, Escaped};

/// Parses an RFC 3339 timestamp such as `2024-05-01T12:00:00Z` into a [`SystemTime`]. The text
/// came off the wire: errors quote it with control characters escaped.
pub(crate) fn parse_rfc3339(text: &str) -> Result<SystemTime, String> {
    let quoted = Escaped(text);
    let parsed = OffsetDateTime::parse(text.trim(), &Rfc3339)
        .map_err(|e| format!("`{quoted}` is not an RFC 3339 timestamp: {e}"))?;
    // Whole seconds and the nanosecond part separately: nanoseconds since 1970 overflow a u64
    // after 2554, and `9999-12-31T23:59:59Z` is a common "never expires".
    let seconds =
        u64::try_from(parsed.unix_timestamp()).map_err(|_| format!("`{quoted}` is before 1970"))?;
    SystemTime::UNIX_EPOCH
        .checked_add(Duration::new(seconds, parsed.nanosecond()))
        .ok_or_else(|| format!("`{quoted}` is too far in the future for this platform's clock"))
}

/// What a credentials document must contain, and how to name it in errors.
pub(crate) struct Document<'a> {
    /// Where the document came from, e.g. `credential_process \`my-cmd\``.
    pub(crate) origin: &'a str,
    /// The provider name stamped on the credentials.
    pub(crate) provider_name: &'static str,
    /// `credential_process` output must have `"Version": 1`.
    pub(crate) require_version: bool,
    /// Whether `SessionToken` (process) or `Token` (ECS, IMDS) names the session token.
    pub(crate) token_key: &'static str,
}

impl Document<'_> {
    /// Parses `body` into credentials. Error messages never include secret values.
    pub(crate) fn parse(&self, body: &[u8]) -> Result<Credentials, CredentialsError> {
        let origin = self.origin;
        let value: Value = serde_json::from_slice(body).map_err(|e| {
            CredentialsError::provider_error(format!(
                "{origin} returned a response that is not a JSON object"
            ))
            .with_source(e)
        })?;
        let Some(object) = value.as_object() else {
            return Err(CredentialsError::provider_error(format!(
                "{origin} returned JSON that is not an object"
            )));
        };
        if self.require_version {
            match object.get("Version").and_then(Value::as_u64) {
                Some(1) => {}
                Some(other) => {
                    return Err(CredentialsError::provider_error(format!(
                        "{origin} returned Version {other}; only Version 1 is supported"
                    )))
                }
                None => {
                    return Err(CredentialsError::provider_error(format!(
                        "{origin} returned no numeric `Version` (expected 1)"
                    )))
                }
            }
        }
        if let Some(code) = object.get("Code").and_then(Value::as_str) {
            if code != "Success" {
                let message = object
                    .get("Message")
                    .and_then(Value::as_str)
                    .unwrap_or("no message");
                return Err(CredentialsError::provider_error(format!(
                    "{origin} returned Code `{}`: {}",
                    escape(code),
                    escape(message)
                )));
            }
        }
        let field = |key: &str| -> Result<Option<String>, CredentialsError> {
            match object.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if s.is_empty() => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(CredentialsError::provider_error(format!(
                    "{origin} returned a `{key}` that is not a string"
                ))),
            }
        };
        let required = |key: &str| -> Result<String, CredentialsError> {
            field(key)?.ok_or_else(|| {
                CredentialsError::provider_error(format!("{origin} returned no `{key}`"))
            })
        };
        let access_key_id = required("AccessKeyId")?;
        let secret_access_key = required("SecretAccessKey")?;
        let session_token = field(self.token_key)?;
        let expiry = match field("Expiration")? {
            None => None,
            Some(text) => Some(parse_rfc3339(&text).map_err(|e| {
                CredentialsError::provider_error(format!(
                    "{origin} returned a bad `Expiration`: {e}"
                ))
            })?),
        };
        let credentials = Credentials::new(
            access_key_id,
            secret_access_key,
            session_token,
            expiry,
            self.provider_name,
        );
        // Process and container credentials may name the account the keys belong to.
        Ok(match field("AccountId")? {
            Some(account_id) => credentials.with_account_id(account_id),
            None => credentials,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_parsing() {
        assert_eq!(
            parse_rfc3339("2015-08-30T12:36:00Z").unwrap(),
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160)
        );
        assert_eq!(
            parse_rfc3339("2015-08-30T14:36:00+02:00").unwrap(),
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160)
        );
        assert!(parse_rfc3339("yesterday").is_err());
        assert!(parse_rfc3339("1960-01-01T00:00:00Z").is_err());
        // Past 2554 (nanoseconds since 1970 no longer fit a u64), up to the largest year.
        assert_eq!(
            parse_rfc3339("9999-12-31T23:59:59Z").unwrap(),
            SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_799)
        );
        assert_eq!(
            parse_rfc3339("2600-01-01T00:00:00.5Z").unwrap(),
            SystemTime::UNIX_EPOCH + Duration::new(19_880_899_200, 500_000_000)
        );
    }

    fn doc() -> Document<'static> {
        Document {
            origin: "test",
            provider_name: "Test",
            require_version: true,
            token_key: "SessionToken",
        }
    }

    #[test]
    fn parses_a_complete_document() {
        let c = doc()
            .parse(br#"{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"SECRET","SessionToken":"TOKEN","Expiration":"2015-08-30T12:36:00Z"}"#)
            .unwrap();
        assert_eq!(c.access_key_id(), "AKID");
        assert_eq!(c.secret_access_key(), "SECRET");
        assert_eq!(c.session_token(), Some("TOKEN"));
        assert_eq!(
            c.expiry(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160))
        );
        assert_eq!(c.provider_name(), "Test");
        assert_eq!(c.account_id(), None);
    }

    #[test]
    fn an_account_id_is_kept() {
        let c = doc()
            .parse(br#"{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"S","AccountId":"123456789012"}"#)
            .unwrap();
        assert_eq!(c.account_id(), Some("123456789012"));
        let err = doc()
            .parse(br#"{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"S","AccountId":12}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("`AccountId` that is not a string"), "{err}");
    }

    #[test]
    fn rejects_bad_documents_without_echoing_secrets() {
        let cases: [(&[u8], &str); 5] = [
            (b"not json", "not a JSON object"),
            (br#"{"Version":2,"AccessKeyId":"A","SecretAccessKey":"SECRET"}"#, "Version 2"),
            (br#"{"AccessKeyId":"A","SecretAccessKey":"SECRET"}"#, "no numeric `Version`"),
            (br#"{"Version":1,"SecretAccessKey":"SECRET"}"#, "no `AccessKeyId`"),
            (
                br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"SECRET","Expiration":"soon"}"#,
                "bad `Expiration`",
            ),
        ];
        for (body, expected) in cases {
            let err = doc().parse(body).unwrap_err().to_string();
            assert!(err.contains(expected), "{err} should contain {expected}");
            assert!(!err.contains("SECRET"), "{err}");
        }
    }
}
