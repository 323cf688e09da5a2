//! How the selected profile gets its credentials: a chain of roles to assume (a profile with
//! `role_arn`, following `source_profile`) ending in a base: static keys, `credential_process`,
//! a web identity token, IAM Identity Center, or a named `credential_source`. The rules are the
//! AWS SDKs': after the first profile, a source profile's static keys win over its own
//! `role_arn`; a profile whose `source_profile` is itself uses its own keys as the base;
//! `source_profile` and `credential_source` exclude each other; loops are errors.

use super::sso::SsoSettings;
use super::{Credentials, CredentialsError};
use crate::env::profile::{Profile, ProfileSet};

/// Where the chain's first credentials come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Base {
    /// `aws_access_key_id` / `aws_secret_access_key` (/ `aws_session_token`, `aws_account_id`).
    Static(Credentials),
    /// `credential_process` of the named profile.
    Process { command: String, profile: String },
    /// `web_identity_token_file` + `role_arn` (+ `role_session_name`).
    WebIdentity {
        token_file: String,
        role_arn: String,
        session_name: Option<String>,
    },
    /// IAM Identity Center (`sso_*`, `sso_session`).
    Sso(SsoSettings),
    /// `credential_source`: `Environment`, `Ec2InstanceMetadata` or `EcsContainer`.
    Named(NamedSource),
}

/// A `credential_source` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NamedSource {
    /// The environment variables.
    Environment,
    /// The EC2 instance metadata service.
    Ec2InstanceMetadata,
    /// The ECS / EKS container credentials endpoint.
    EcsContainer,
}

/// A role a profile assumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Role {
    pub(super) role_arn: String,
    pub(super) session_name: Option<String>,
    pub(super) external_id: Option<String>,
    pub(super) duration_seconds: Option<u32>,
    pub(super) profile: String,
}

/// The base and the roles to assume from it, in the order they are assumed (the selected
/// profile's role last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Chain {
    pub(super) base: Base,
    pub(super) roles: Vec<Role>,
}

fn invalid(message: impl Into<String>) -> CredentialsError {
    CredentialsError::invalid_configuration(message)
}

/// Resolves the chain of the selected profile, which must exist.
pub(super) fn resolve(profiles: &ProfileSet) -> Result<Chain, CredentialsError> {
    let mut name = profiles.selected_name().to_owned();
    let mut visited: Vec<String> = Vec::new();
    let mut roles: Vec<Role> = Vec::new();
    let base = loop {
        let profile = profiles.get(&name).ok_or_else(|| {
            invalid(format!(
                "profile `{}` names source_profile `{name}`, which is not defined",
                visited.last().map_or("?", String::as_str)
            ))
        })?;
        if visited.contains(&name) {
            visited.push(name);
            return Err(invalid(format!(
                "the source_profile settings form a loop: {}",
                visited.join(" -> ")
            )));
        }
        visited.push(name.clone());
        if visited.len() > 1 {
            if let Some(credentials) = static_credentials(profile)? {
                break Base::Static(credentials);
            }
        }
        let Some(role) = role(profile)? else {
            break base(profiles, profile, visited.len() == 1)?;
        };
        roles.push(role);
        let source_profile = profile.get("source_profile").map(str::trim);
        let credential_source = profile.get("credential_source").map(str::trim);
        match (source_profile, credential_source) {
            (Some(_), Some(_)) => {
                return Err(invalid(format!(
                    "profile `{name}` has both source_profile and credential_source: keep one"
                )))
            }
            (None, None) => {
                return Err(invalid(format!(
                    "profile `{name}` has role_arn but neither source_profile nor \
                     credential_source to assume it with"
                )))
            }
            (Some(source), None) if source == name => break base(profiles, profile, false)?,
            (Some(source), None) => name = source.to_owned(),
            (None, Some(source)) => break Base::Named(named_source(&name, source)?),
        }
    };
    roles.reverse();
    Ok(Chain { base, roles })
}

/// The role a profile assumes: `role_arn`, unless it is a web identity profile (whose role is
/// its base).
fn role(profile: &Profile) -> Result<Option<Role>, CredentialsError> {
    if profile.get("web_identity_token_file").is_some() {
        return Ok(None);
    }
    let Some(role_arn) = non_empty(profile, "role_arn") else {
        return Ok(None);
    };
    let duration_seconds = match non_empty(profile, "duration_seconds") {
        None => None,
        Some(text) => Some(text.parse::<u32>().map_err(|_| {
            invalid(format!(
                "duration_seconds of profile `{}` is {text:?}; expected a whole number of seconds",
                profile.name()
            ))
        })?),
    };
    Ok(Some(Role {
        role_arn: role_arn.to_owned(),
        session_name: non_empty(profile, "role_session_name").map(str::to_owned),
        external_id: non_empty(profile, "external_id").map(str::to_owned),
        duration_seconds,
        profile: profile.name().to_owned(),
    }))
}

fn non_empty<'a>(profile: &'a Profile, key: &str) -> Option<&'a str> {
    profile.get(key).map(str::trim).filter(|v| !v.is_empty())
}

/// The base of a profile without a role to assume (or whose `source_profile` is itself).
fn base(profiles: &ProfileSet, profile: &Profile, first: bool) -> Result<Base, CredentialsError> {
    let name = profile.name();
    if let Some(source) = non_empty(profile, "credential_source") {
        return Ok(Base::Named(named_source(name, source)?));
    }
    match (
        non_empty(profile, "web_identity_token_file"),
        non_empty(profile, "role_arn"),
    ) {
        (Some(file), Some(role)) => {
            return Ok(Base::WebIdentity {
                token_file: file.to_owned(),
                role_arn: role.to_owned(),
                session_name: non_empty(profile, "role_session_name").map(str::to_owned),
            })
        }
        (Some(_), None) => {
            return Err(invalid(format!(
                "profile `{name}` has web_identity_token_file but no role_arn"
            )))
        }
        _ => {}
    }
    if let Some(settings) = sso(profiles, profile)? {
        return Ok(Base::Sso(settings));
    }
    if let Some(command) = non_empty(profile, "credential_process") {
        return Ok(Base::Process {
            command: command.to_owned(),
            profile: name.to_owned(),
        });
    }
    if let Some(credentials) = static_credentials(profile)? {
        return Ok(Base::Static(credentials));
    }
    let message = format!(
        "profile `{name}` has no credentials (aws_access_key_id and aws_secret_access_key, \
         credential_process, role_arn, web_identity_token_file or sso_* settings)"
    );
    if first {
        Err(CredentialsError::not_loaded(message))
    } else {
        Err(invalid(message))
    }
}

/// Static keys, when the profile has both (an error when it has one only).
fn static_credentials(profile: &Profile) -> Result<Option<Credentials>, CredentialsError> {
    let name = profile.name();
    match (
        non_empty(profile, "aws_access_key_id"),
        non_empty(profile, "aws_secret_access_key"),
    ) {
        (Some(access_key), Some(secret_key)) => {
            let credentials = Credentials::new(
                access_key,
                secret_key,
                non_empty(profile, "aws_session_token").map(str::to_owned),
                None,
                "Profile",
            );
            Ok(Some(match non_empty(profile, "aws_account_id") {
                Some(account_id) => credentials.with_account_id(account_id),
                None => credentials,
            }))
        }
        (Some(_), None) => Err(invalid(format!(
            "profile `{name}` has aws_access_key_id but no aws_secret_access_key"
        ))),
        (None, Some(_)) => Err(invalid(format!(
            "profile `{name}` has aws_secret_access_key but no aws_access_key_id"
        ))),
        (None, None) => Ok(None),
    }
}

fn named_source(profile: &str, source: &str) -> Result<NamedSource, CredentialsError> {
    match source {
        "Environment" => Ok(NamedSource::Environment),
        "Ec2InstanceMetadata" => Ok(NamedSource::Ec2InstanceMetadata),
        "EcsContainer" => Ok(NamedSource::EcsContainer),
        other => Err(invalid(format!(
            "credential_source of profile `{profile}` is {other:?}; expected `Environment`, \
             `Ec2InstanceMetadata` or `EcsContainer`"
        ))),
    }
}

/// The IAM Identity Center settings of a profile, when it has an account and a role to get
/// credentials for.
fn sso(profiles: &ProfileSet, profile: &Profile) -> Result<Option<SsoSettings>, CredentialsError> {
    let name = profile.name();
    let account_id = non_empty(profile, "sso_account_id");
    let role_name = non_empty(profile, "sso_role_name");
    let session_name = non_empty(profile, "sso_session");
    let mut region = non_empty(profile, "sso_region");
    let mut start_url = non_empty(profile, "sso_start_url");
    if account_id.is_none() && role_name.is_none() {
        if session_name.is_some() || start_url.is_some() {
            tracing::debug!(
                profile = name,
                "profile has IAM Identity Center settings but no sso_account_id/sso_role_name"
            );
        }
        return Ok(None);
    }
    let (Some(account_id), Some(role_name)) = (account_id, role_name) else {
        return Err(invalid(format!(
            "profile `{name}` needs both sso_account_id and sso_role_name"
        )));
    };
    if let Some(session) = session_name {
        let section = profiles.sso_session(session).ok_or_else(|| {
            invalid(format!(
                "profile `{name}` names sso_session `{session}`, but there is no \
                 [sso-session {session}] section"
            ))
        })?;
        for (key, value) in [("sso_region", region), ("sso_start_url", start_url)] {
            let in_session = non_empty(section, key);
            if value.is_some() && value != in_session {
                return Err(invalid(format!(
                    "profile `{name}` has a {key} that differs from the one of its sso_session \
                     `{session}`: set it in the [sso-session {session}] section only"
                )));
            }
        }
        region = non_empty(section, "sso_region");
        start_url = non_empty(section, "sso_start_url");
    }
    let missing = |key: &str| {
        invalid(format!(
            "profile `{name}` uses IAM Identity Center but has no {key}{}",
            session_name
                .map(|s| format!(" (in its [sso-session {s}] section)"))
                .unwrap_or_default()
        ))
    };
    Ok(Some(SsoSettings {
        session_name: session_name.map(str::to_owned),
        region: region.ok_or_else(|| missing("sso_region"))?.to_owned(),
        start_url: start_url
            .ok_or_else(|| missing("sso_start_url"))?
            .to_owned(),
        account_id: account_id.to_owned(),
        role_name: role_name.to_owned(),
        profile: name.to_owned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;

    fn chain(config: &str, selected: &str) -> Result<Chain, CredentialsError> {
        let env = Env::from_vars([("HOME", "/h"), ("AWS_PROFILE", selected)])
            .with_file("/h/.aws/config", config);
        resolve(&ProfileSet::load(&env).unwrap())
    }

    fn role_arns(chain: &Chain) -> Vec<&str> {
        chain.roles.iter().map(|r| r.role_arn.as_str()).collect()
    }

    #[test]
    fn roles_chain_through_source_profiles_to_static_keys() {
        let config = "\
[profile top]
role_arn = arn:aws:iam::1:role/top
source_profile = middle
role_session_name = sess
external_id = ext
duration_seconds = 900
[profile middle]
role_arn = arn:aws:iam::1:role/middle
source_profile = base
[profile base]
aws_access_key_id = AKID
aws_secret_access_key = SECRET
role_arn = arn:aws:iam::1:role/ignored-for-a-source
";
        let resolved = chain(config, "top").unwrap();
        assert!(matches!(&resolved.base, Base::Static(c) if c.access_key_id() == "AKID"));
        assert_eq!(
            role_arns(&resolved),
            ["arn:aws:iam::1:role/middle", "arn:aws:iam::1:role/top"]
        );
        let top = &resolved.roles[1];
        assert_eq!(top.session_name.as_deref(), Some("sess"));
        assert_eq!(top.external_id.as_deref(), Some("ext"));
        assert_eq!(top.duration_seconds, Some(900));
        // Selected directly, the same profile's role_arn wins over its keys, and needs a
        // source to be assumed with.
        let err = chain(config, "base").unwrap_err();
        assert!(
            err.to_string()
                .contains("neither source_profile nor credential_source"),
            "{err}"
        );
    }

    #[test]
    fn self_reference_credential_source_and_web_identity_bases() {
        let config = "\
[profile selfie]
role_arn = arn:aws:iam::1:role/r
source_profile = selfie
aws_access_key_id = A
aws_secret_access_key = S
[profile on-ec2]
role_arn = arn:aws:iam::1:role/r
credential_source = Ec2InstanceMetadata
[profile env-source]
role_arn = arn:aws:iam::1:role/r
credential_source = Environment
[profile web]
role_arn = arn:aws:iam::1:role/web
web_identity_token_file = /var/token
role_session_name = pod
[profile web-then-role]
role_arn = arn:aws:iam::1:role/outer
source_profile = web
";
        let selfie = chain(config, "selfie").unwrap();
        assert!(matches!(selfie.base, Base::Static(_)));
        assert_eq!(role_arns(&selfie), ["arn:aws:iam::1:role/r"]);
        assert_eq!(
            chain(config, "on-ec2").unwrap().base,
            Base::Named(NamedSource::Ec2InstanceMetadata)
        );
        assert_eq!(
            chain(config, "env-source").unwrap().base,
            Base::Named(NamedSource::Environment)
        );
        let web = chain(config, "web").unwrap();
        assert!(web.roles.is_empty());
        assert_eq!(
            web.base,
            Base::WebIdentity {
                token_file: "/var/token".into(),
                role_arn: "arn:aws:iam::1:role/web".into(),
                session_name: Some("pod".into()),
            }
        );
        let outer = chain(config, "web-then-role").unwrap();
        assert!(matches!(outer.base, Base::WebIdentity { .. }));
        assert_eq!(role_arns(&outer), ["arn:aws:iam::1:role/outer"]);
    }

    #[test]
    fn sso_sessions_and_legacy_sso_profiles() {
        let config = "\
[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
[sso-session corp]
sso_region = eu-west-1
sso_start_url = https://corp.awsapps.com/start
[profile legacy]
sso_start_url = https://old.awsapps.com/start
sso_region = us-east-2
sso_account_id = 444455556666
sso_role_name = Admin
[profile admin-from-sso]
role_arn = arn:aws:iam::1:role/admin
source_profile = dev
";
        let Base::Sso(dev) = chain(config, "dev").unwrap().base else {
            panic!("an SSO base");
        };
        assert_eq!(
            dev,
            SsoSettings {
                session_name: Some("corp".into()),
                region: "eu-west-1".into(),
                start_url: "https://corp.awsapps.com/start".into(),
                account_id: "111122223333".into(),
                role_name: "Developer".into(),
                profile: "dev".into(),
            }
        );
        let Base::Sso(legacy) = chain(config, "legacy").unwrap().base else {
            panic!("an SSO base");
        };
        assert_eq!(legacy.session_name, None);
        assert_eq!(legacy.region, "us-east-2");
        let chained = chain(config, "admin-from-sso").unwrap();
        assert!(matches!(chained.base, Base::Sso(_)));
        assert_eq!(role_arns(&chained), ["arn:aws:iam::1:role/admin"]);
    }

    #[test]
    fn configuration_mistakes_are_errors_that_say_what_to_fix() {
        let cases = [
            (
                "[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nrole_arn = r2\nsource_profile = a\n",
                "a",
                "loop: a -> b -> a",
            ),
            (
                "[profile a]\nrole_arn = r\nsource_profile = missing\n",
                "a",
                "names source_profile `missing`, which is not defined",
            ),
            (
                "[profile a]\nrole_arn = r\nsource_profile = b\ncredential_source = Environment\n[profile b]\naws_access_key_id = A\naws_secret_access_key = S\n",
                "a",
                "both source_profile and credential_source",
            ),
            ("[profile a]\nrole_arn = r\n", "a", "neither source_profile nor credential_source"),
            (
                "[profile a]\nrole_arn = r\ncredential_source = Laptop\n",
                "a",
                "credential_source of profile `a` is \"Laptop\"",
            ),
            (
                "[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nregion = x\n",
                "a",
                "profile `b` has no credentials",
            ),
            ("[profile a]\nweb_identity_token_file = /t\n", "a", "no role_arn"),
            (
                "[profile a]\nsso_session = s\nsso_account_id = 1\nsso_role_name = r\n",
                "a",
                "no [sso-session s] section",
            ),
            (
                "[profile a]\nsso_session = s\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = r\n[sso-session s]\nsso_region = eu-west-1\nsso_start_url = https://x\n",
                "a",
                "a sso_region that differs",
            ),
            (
                "[profile a]\nsso_start_url = https://x\nsso_account_id = 1\nsso_role_name = r\n",
                "a",
                "has no sso_region",
            ),
            ("[profile a]\nsso_account_id = 1\n", "a", "needs both sso_account_id and sso_role_name"),
            (
                "[profile a]\nrole_arn = r\nsource_profile = a\nduration_seconds = long\naws_access_key_id = A\naws_secret_access_key = S\n",
                "a",
                "duration_seconds of profile `a` is \"long\"",
            ),
        ];
        for (config, selected, expected) in cases {
            let err = chain(config, selected).unwrap_err();
            assert_eq!(
                err.kind(),
                super::super::CredentialsErrorKind::InvalidConfiguration,
                "{err}"
            );
            assert!(
                err.to_string().contains(expected),
                "{err} should contain {expected}"
            );
        }
        // A profile with nothing at all is "not loaded", so that a chain moves on.
        let err = chain("[profile a]\nregion = us-east-1\n", "a").unwrap_err();
        assert_eq!(err.kind(), super::super::CredentialsErrorKind::NotLoaded);
    }
}
