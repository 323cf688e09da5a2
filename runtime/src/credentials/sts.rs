//! The two AWS STS calls the credential providers make, written by hand (awsQuery: a
//! form-encoded POST, an XML response): `AssumeRole`, signed with the source credentials, and
//! `AssumeRoleWithWebIdentity`, unsigned (the web identity token is the proof).
//!
//! The endpoint is the one configured for STS outside the code (`AWS_ENDPOINT_URL_STS`,
//! `AWS_ENDPOINT_URL`, the `sts` key of a `services` section, a profile's `endpoint_url`, unless
//! `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is `true`), else the regional endpoint
//! `https://sts.<region>.<dns suffix>` of the client's region (`us-east-1` without one).

use std::fmt;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{Method, Request};
use quick_xml::events::Event;
use quick_xml::Reader;

use super::fetch::{body_excerpt, fetch};
use super::json::parse_rfc3339;
use super::{Credentials, CredentialsError, ProviderConfig};
use crate::codec::http_binding::encode_query;
use crate::contract::text::Escaped;
use crate::contract::time::TimeSource;
use crate::sigv4::{sign_request, SigningParams, SigningSettings};

/// The STS API version the calls use.
const VERSION: &str = "2011-06-15";
/// How long an STS call may take, response included.
const TIMEOUT: Duration = Duration::from_secs(10);

/// What to ask STS for.
pub(super) enum StsCall<'a> {
    /// `AssumeRole`, signed with `source`.
    AssumeRole {
        source: &'a Credentials,
        role: &'a RoleRequest,
    },
    /// `AssumeRoleWithWebIdentity` with the token read from its file.
    AssumeRoleWithWebIdentity {
        role: &'a RoleRequest,
        token: &'a str,
    },
}

/// The role to assume and how.
#[derive(Clone, PartialEq, Eq)]
pub struct RoleRequest {
    /// The role's ARN.
    pub role_arn: String,
    /// The session name (`RoleSessionName`).
    pub session_name: String,
    /// The external id the role's trust policy asks for (`AssumeRole` only).
    pub external_id: Option<String>,
    /// The session's lifetime in seconds (`DurationSeconds`), when not the service's default.
    pub duration_seconds: Option<u32>,
}

impl fmt::Debug for RoleRequest {
    /// The external id is a shared secret between the role's owner and its users: redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RoleRequest")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field(
                "external_id",
                &self.external_id.as_ref().map(|_| "** redacted **"),
            )
            .field("duration_seconds", &self.duration_seconds)
            .finish()
    }
}

impl RoleRequest {
    /// A request for `role_arn` with the session name `session_name`, or a generated one
    /// (`smithy-rust-<milliseconds since the epoch>`) when it is `None`.
    pub fn new(role_arn: impl Into<String>, session_name: Option<String>, now: SystemTime) -> Self {
        let session_name = session_name.unwrap_or_else(|| {
            let millis = now
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default();
            format!("smithy-rust-{millis}")
        });
        Self {
            role_arn: role_arn.into(),
            session_name,
            external_id: None,
            duration_seconds: None,
        }
    }
}

impl StsCall<'_> {
    fn action(&self) -> &'static str {
        match self {
            StsCall::AssumeRole { .. } => "AssumeRole",
            StsCall::AssumeRoleWithWebIdentity { .. } => "AssumeRoleWithWebIdentity",
        }
    }

    fn form(&self) -> String {
        let mut fields: Vec<(&str, String)> = vec![
            ("Action", self.action().to_owned()),
            ("Version", VERSION.to_owned()),
        ];
        let role = match self {
            StsCall::AssumeRole { role, .. } | StsCall::AssumeRoleWithWebIdentity { role, .. } => {
                role
            }
        };
        fields.push(("RoleArn", role.role_arn.clone()));
        fields.push(("RoleSessionName", role.session_name.clone()));
        if let Some(seconds) = role.duration_seconds {
            fields.push(("DurationSeconds", seconds.to_string()));
        }
        match self {
            StsCall::AssumeRole { .. } => {
                if let Some(id) = &role.external_id {
                    fields.push(("ExternalId", id.clone()));
                }
            }
            StsCall::AssumeRoleWithWebIdentity { token, .. } => {
                fields.push(("WebIdentityToken", (*token).to_owned()));
            }
        }
        fields
            .iter()
            .map(|(k, v)| format!("{k}={}", encode_query(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Makes `call` and returns the temporary credentials, stamped `provider_name`. Errors name
/// the action, the role and the endpoint, and never contain a secret.
pub(super) async fn call(
    config: &ProviderConfig,
    call: StsCall<'_>,
    provider_name: &'static str,
) -> Result<Credentials, CredentialsError> {
    let http = config.http_client("STS")?;
    let region = config.region_name();
    let endpoint = config
        .endpoint_url("STS", &format!("sts.{region}.{}", dns_suffix(&region)))
        .await?;
    let action = call.action();
    let role_arn = match &call {
        StsCall::AssumeRole { role, .. } | StsCall::AssumeRoleWithWebIdentity { role, .. } => {
            role.role_arn.clone()
        }
    };
    let origin = format!("STS {action} of role {role_arn} at {endpoint}");
    let uri = format!("{}/", endpoint.trim_end_matches('/'));
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(&uri)
        .header(
            CONTENT_TYPE,
            "application/x-www-form-urlencoded; charset=utf-8",
        )
        .body(Bytes::from(call.form()))
        .map_err(|e| {
            CredentialsError::invalid_configuration(format!(
                "the STS endpoint {endpoint:?} is not a valid URL"
            ))
            .with_source(e)
        })?;
    let length = request.body().len();
    request
        .headers_mut()
        .insert(http::header::CONTENT_LENGTH, length.into());
    if let StsCall::AssumeRole { source, .. } = &call {
        let params = SigningParams {
            credentials: source,
            region: &region,
            service: "sts",
            time: config.time.now(),
            settings: SigningSettings::default(),
        };
        sign_request(&mut request, &params).map_err(|e| {
            CredentialsError::provider_error(format!("could not sign {origin}")).with_source(e)
        })?;
    }
    let response = fetch(http.as_ref(), request, TIMEOUT).await.map_err(|e| {
        CredentialsError::provider_error(format!("could not reach {origin}")).with_source(e)
    })?;
    let body = std::str::from_utf8(response.body()).map_err(|e| {
        CredentialsError::provider_error(format!("{origin} answered with a body that is not UTF-8"))
            .with_source(e)
    })?;
    if !response.status().is_success() {
        let detail = match parse_error(body) {
            Some(error) => error.to_string(),
            None => body_excerpt(&response),
        };
        return Err(CredentialsError::provider_error(format!(
            "{origin} failed with HTTP {}: {detail}",
            response.status().as_u16()
        )));
    }
    parse_credentials(body, action, provider_name)
        .map_err(|e| CredentialsError::provider_error(format!("{origin}: {e}")))
}

/// The DNS suffix of the partition `region` is in: `amazonaws.com.cn` for China, the suffixes
/// of the isolated and sovereign partitions for theirs, `amazonaws.com` otherwise (including
/// GovCloud). A region of an unlisted partition needs `AWS_ENDPOINT_URL_STS`.
pub(super) fn dns_suffix(region: &str) -> &'static str {
    const SUFFIXES: &[(&str, &str)] = &[
        ("cn-", "amazonaws.com.cn"),
        ("us-isob-", "sc2s.sgov.gov"),
        ("us-isof-", "csp.hci.ic.gov"),
        ("us-iso-", "c2s.ic.gov"),
        ("eu-isoe-", "cloud.adc-e.uk"),
        ("eusc-", "amazonaws.eu"),
    ];
    SUFFIXES
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or("amazonaws.com", |(_, suffix)| suffix)
}

/// The text of the leaf elements of an XML document, by path (`A/B/C`, local names).
fn leaves(xml: &str) -> Result<Vec<(String, String)>, String> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(element)) => {
                path.push(element.local_name().as_ref().to_owned());
                text.clear();
            }
            Ok(Event::End(_)) => {
                let value = text.trim();
                if !value.is_empty() {
                    out.push((path.join("/"), value.to_owned()));
                }
                text.clear();
                path.pop();
            }
            Ok(Event::Empty(element)) => {
                let name = element.local_name().as_ref().to_owned();
                let mut full = path.clone();
                full.push(name);
                out.push((full.join("/"), String::new()));
            }
            Ok(Event::Text(content)) => text.push_str(&content.xml10_content()),
            Ok(Event::CData(content)) => text.push_str(&content.xml10_content()),
            Ok(Event::GeneralRef(reference)) => {
                let name = reference.xml10_content();
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&name)
                        .ok_or_else(|| format!("unknown entity `&{};`", Escaped(&name)))?
                        .to_owned(),
                    Err(e) => {
                        return Err(format!(
                            "bad character reference `&{};`: {e}",
                            Escaped(&name)
                        ))
                    }
                };
                text.push_str(&resolved);
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(format!(
                    "the response is not well-formed XML (at byte {}): {}",
                    reader.error_position(),
                    Escaped(&e.to_string())
                ))
            }
        }
    }
    if !path.is_empty() {
        return Err(format!(
            "the XML document ends inside <{}>",
            Escaped(&path.join("/"))
        ));
    }
    Ok(out)
}

/// The credentials in a successful `<Action>Response`.
fn parse_credentials(
    xml: &str,
    action: &str,
    provider_name: &'static str,
) -> Result<Credentials, String> {
    let leaves = leaves(xml)?;
    let prefix = format!("{action}Response/{action}Result/Credentials/");
    let field = |name: &str| -> Result<String, String> {
        let path = format!("{prefix}{name}");
        leaves
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("the response has no <{name}> in <{action}Result><Credentials>"))
    };
    let access_key_id = field("AccessKeyId")?;
    let secret_access_key = field("SecretAccessKey")?;
    let session_token = field("SessionToken")?;
    let expiration = field("Expiration")?;
    let expiry = parse_rfc3339(&expiration).map_err(|e| format!("bad <Expiration>: {e}"))?;
    let credentials = Credentials::new(
        access_key_id,
        secret_access_key,
        Some(session_token),
        Some(expiry),
        provider_name,
    );
    // The account of the assumed role: the fifth field of `arn:aws:sts::<account>:assumed-role/..`.
    let arn_path = format!("{action}Response/{action}Result/AssumedRoleUser/Arn");
    let account_id = leaves
        .iter()
        .find(|(p, _)| *p == arn_path)
        .and_then(|(_, arn)| arn.trim().split(':').nth(4))
        .filter(|account| !account.is_empty());
    Ok(match account_id {
        Some(account_id) => credentials.with_account_id(account_id),
        None => credentials,
    })
}

/// The code, message and request id of an STS error response.
#[derive(Debug, PartialEq, Eq)]
struct StsError {
    code: String,
    message: Option<String>,
    request_id: Option<String>,
}

impl fmt::Display for StsError {
    /// The values came off the wire: control characters in them are shown escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Escaped(&self.code))?;
        if let Some(message) = &self.message {
            write!(f, ": {}", Escaped(message))?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id: {})", Escaped(id))?;
        }
        Ok(())
    }
}

/// `<ErrorResponse><Error><Code>..</Code><Message>..</Message></Error><RequestId>..` or `None`
/// when the body is not that.
fn parse_error(xml: &str) -> Option<StsError> {
    let leaves = leaves(xml).ok()?;
    let get = |path: &str| {
        leaves
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, v)| v.trim().to_owned())
    };
    Some(StsError {
        code: get("ErrorResponse/Error/Code")?,
        message: get("ErrorResponse/Error/Message"),
        request_id: get("ErrorResponse/RequestId"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <SourceIdentity>Alice</SourceIdentity>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/TestAR</Arn>
      <AssumedRoleId>ARO123EXAMPLE123:TestAR</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>AQoDYXdzEPT//////////wEXAMPLE&amp;more&#x3D;</SessionToken>
      <Expiration>2019-11-09T13:34:41Z</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>"#;

    #[test]
    fn reads_the_credentials_of_a_response() {
        let c = parse_credentials(OK, "AssumeRole", "AssumeRole").unwrap();
        assert_eq!(c.access_key_id(), "ASIAIOSFODNN7EXAMPLE");
        assert_eq!(
            c.secret_access_key(),
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
        );
        assert_eq!(
            c.session_token(),
            Some("AQoDYXdzEPT//////////wEXAMPLE&more=")
        );
        assert_eq!(
            c.expiry(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_573_306_481))
        );
        assert_eq!(c.provider_name(), "AssumeRole");
        assert_eq!(c.account_id(), Some("123456789012"));
        let without_user = OK.replace(
            "<Arn>arn:aws:sts::123456789012:assumed-role/demo/TestAR</Arn>",
            "",
        );
        let c = parse_credentials(&without_user, "AssumeRole", "AssumeRole").unwrap();
        assert_eq!(c.account_id(), None);
        let web = OK
            .replace("AssumeRoleResponse", "AssumeRoleWithWebIdentityResponse")
            .replace("AssumeRoleResult", "AssumeRoleWithWebIdentityResult");
        let c = parse_credentials(&web, "AssumeRoleWithWebIdentity", "WebIdentityToken").unwrap();
        assert_eq!(c.access_key_id(), "ASIAIOSFODNN7EXAMPLE");
        assert_eq!(c.account_id(), Some("123456789012"));
    }

    #[test]
    fn rejects_malformed_or_incomplete_responses_without_echoing_secrets() {
        let cases = [
            (OK.replace("</Credentials>", ""), "not well-formed"),
            (
                OK.replace(
                    "<SessionToken>AQoDYXdzEPT//////////wEXAMPLE&amp;more&#x3D;</SessionToken>",
                    "",
                ),
                "no <SessionToken>",
            ),
            (
                OK.replace("2019-11-09T13:34:41Z", "soon"),
                "bad <Expiration>",
            ),
            (
                OK.replace("&amp;more", "&nbsp;more"),
                "unknown entity `&nbsp;`",
            ),
            (
                OK.replace("AssumeRoleResult", "OtherResult"),
                "no <AccessKeyId>",
            ),
            (OK[..200].to_owned(), "ends inside"),
            ("not xml at all".to_owned(), "no <AccessKeyId>"),
        ];
        for (body, expected) in cases {
            let err = parse_credentials(&body, "AssumeRole", "AssumeRole").unwrap_err();
            assert!(err.contains(expected), "{err} should contain {expected}");
            assert!(!err.contains("EXAMPLEKEY"), "{err}");
        }
    }

    #[test]
    fn reads_error_responses() {
        let xml = r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>AccessDenied</Code>
    <Message>User: arn:aws:iam::123456789012:user/x is not authorized to perform: sts:AssumeRole</Message>
  </Error>
  <RequestId>4b1c4e1b-0000-1111-2222-333344445555</RequestId>
</ErrorResponse>"#;
        let error = parse_error(xml).unwrap();
        assert_eq!(error.code, "AccessDenied");
        assert_eq!(
            error.to_string(),
            "AccessDenied: User: arn:aws:iam::123456789012:user/x is not authorized to perform: \
             sts:AssumeRole (request id: 4b1c4e1b-0000-1111-2222-333344445555)"
        );
        assert_eq!(parse_error("<html>oops</html>"), None);
        assert_eq!(parse_error("not xml"), None);
    }

    #[test]
    fn forms_are_encoded_and_hold_what_the_call_needs() {
        let mut role = RoleRequest::new(
            "arn:aws:iam::123456789012:role/demo",
            Some("my session".into()),
            SystemTime::UNIX_EPOCH,
        );
        role.external_id = Some("ext+id=1".into());
        role.duration_seconds = Some(900);
        let source = Credentials::from_keys("AKID", "SECRET", None);
        let form = StsCall::AssumeRole {
            source: &source,
            role: &role,
        }
        .form();
        assert_eq!(
            form,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo\
             &RoleSessionName=my%20session&DurationSeconds=900&ExternalId=ext%2Bid%3D1"
        );
        let form = StsCall::AssumeRoleWithWebIdentity {
            role: &role,
            token: "eyJ.a+b",
        }
        .form();
        assert!(form.starts_with("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&"));
        assert!(form.ends_with("&WebIdentityToken=eyJ.a%2Bb"), "{form}");
        assert!(!form.contains("ExternalId"));
        let generated = RoleRequest::new(
            "arn",
            None,
            SystemTime::UNIX_EPOCH + Duration::from_millis(1234),
        );
        assert_eq!(generated.session_name, "smithy-rust-1234");
        assert!(!format!("{role:?}").contains("ext+id"));
    }

    #[test]
    fn dns_suffixes_follow_the_partitions() {
        assert_eq!(dns_suffix("us-east-1"), "amazonaws.com");
        assert_eq!(dns_suffix("us-gov-west-1"), "amazonaws.com");
        assert_eq!(dns_suffix("cn-north-1"), "amazonaws.com.cn");
        assert_eq!(dns_suffix("us-iso-east-1"), "c2s.ic.gov");
        assert_eq!(dns_suffix("us-isob-east-1"), "sc2s.sgov.gov");
        assert_eq!(dns_suffix("us-isof-south-1"), "csp.hci.ic.gov");
        assert_eq!(dns_suffix("eu-isoe-west-1"), "cloud.adc-e.uk");
        assert_eq!(dns_suffix("eusc-de-east-1"), "amazonaws.eu");
    }
}
