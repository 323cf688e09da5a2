//! Environment, profile-file and credential_process providers, and the provider chain.

use std::time::{Duration, SystemTime};

use smithy_rust_runtime::credentials::{
    CredentialProcessProvider, Credentials, CredentialsErrorKind, CredentialsProviderChain,
    EnvironmentVariableCredentialsProvider, ProfileFileCredentialsProvider, ProvideCredentials,
};
use smithy_rust_runtime::env::Env;

#[tokio::test]
async fn environment_provider_reads_keys_and_token() {
    let env = Env::from_vars([
        ("AWS_ACCESS_KEY_ID", "EAKID"),
        ("AWS_SECRET_ACCESS_KEY", "ESECRET"),
        ("AWS_SESSION_TOKEN", "ETOKEN"),
    ]);
    let creds = EnvironmentVariableCredentialsProvider::new(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "EAKID");
    assert_eq!(creds.secret_access_key(), "ESECRET");
    assert_eq!(creds.session_token(), Some("ETOKEN"));
    assert_eq!(creds.expiry(), None);
    assert_eq!(creds.provider_name(), "EnvironmentVariable");
}

#[tokio::test]
async fn environment_provider_not_loaded_or_half_configured() {
    let err = EnvironmentVariableCredentialsProvider::new(Env::from_vars::<&str, &str>([]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
    let err = EnvironmentVariableCredentialsProvider::new(Env::from_vars([(
        "AWS_ACCESS_KEY_ID",
        "EAKID",
    )]))
    .provide_credentials()
    .await
    .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        err.to_string().contains("AWS_SECRET_ACCESS_KEY is not"),
        "{err}"
    );
}

#[tokio::test]
async fn profile_provider_static_keys_from_selected_profile() {
    let env = Env::from_vars([("HOME", "/home/u"), ("AWS_PROFILE", "work")])
        .with_file(
            "/home/u/.aws/credentials",
            "[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = DEFAULTSECRET\n\
             [work]\naws_access_key_id = WORKKEY\naws_secret_access_key = WORKSECRET\naws_session_token = WORKTOKEN\n",
        );
    let creds = ProfileFileCredentialsProvider::new(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "WORKKEY");
    assert_eq!(creds.secret_access_key(), "WORKSECRET");
    assert_eq!(creds.session_token(), Some("WORKTOKEN"));
    assert_eq!(creds.provider_name(), "Profile");
    assert_eq!(creds.account_id(), None);
}

#[tokio::test]
async fn profile_provider_reads_the_account_id() {
    let env = Env::from_vars([("HOME", "/home/u")]).with_file(
        "/home/u/.aws/credentials",
        "[default]\naws_access_key_id = K\naws_secret_access_key = S\naws_account_id = 111122223333\n",
    );
    let creds = ProfileFileCredentialsProvider::new(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.account_id(), Some("111122223333"));
}

#[tokio::test]
async fn profile_provider_keys_in_config_file_and_overridden_paths() {
    let env = Env::from_vars([
        ("AWS_CONFIG_FILE", "/etc/aws-config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/etc/aws-creds"),
    ])
    .with_file(
        "/etc/aws-config",
        "[default]\nregion = eu-west-1\naws_access_key_id = CFGKEY\naws_secret_access_key = CFGSECRET\n",
    )
    .with_file("/etc/aws-creds", "[default]\naws_secret_access_key = CREDSSECRET\n");
    let creds = ProfileFileCredentialsProvider::new(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "CFGKEY");
    // The credentials file wins over the config file.
    assert_eq!(creds.secret_access_key(), "CREDSSECRET");
}

#[tokio::test]
async fn profile_provider_errors() {
    // No files at all: not loaded.
    let err = ProfileFileCredentialsProvider::new(Env::from_vars([("HOME", "/h")]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded, "{err}");

    // AWS_PROFILE names a profile that does not exist: a configuration error naming it.
    let env = Env::from_vars([("HOME", "/h"), ("AWS_PROFILE", "missing")])
        .with_file("/h/.aws/config", "[default]\nregion = us-east-1\n");
    let err = ProfileFileCredentialsProvider::new(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(err.to_string().contains("`missing`"), "{err}");
    assert!(err.to_string().contains("/h/.aws/config"), "{err}");

    // A profile with only a region: not loaded.
    let env = Env::from_vars([("HOME", "/h")])
        .with_file("/h/.aws/config", "[default]\nregion = us-east-1\n");
    let err = ProfileFileCredentialsProvider::new(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);

    // A role whose source profile is missing is a configuration error naming both.
    let env = Env::from_vars([("HOME", "/h")]).with_file(
        "/h/.aws/config",
        "[default]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\n",
    );
    let err = ProfileFileCredentialsProvider::new(env.clone())
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        err.to_string()
            .contains("profile `default` names source_profile `base`, which is not defined"),
        "{err}"
    );

    // A role that can be resolved needs STS: without an HTTP client, the error says so.
    let env = env.with_file(
        "/h/.aws/credentials",
        "[base]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n",
    );
    let err = ProfileFileCredentialsProvider::new(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(err.to_string().contains("without an HTTP client"), "{err}");
    assert!(!err.to_string().contains("SECRET"), "{err}");

    // A broken file: the error names file and line, and never the secret.
    let env = Env::from_vars([("HOME", "/h")]).with_file(
        "/h/.aws/credentials",
        "[default]\naws_secret_access_key = VERYSECRET\nthis line is broken\n",
    );
    let err = ProfileFileCredentialsProvider::new(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    let text = report(&err);
    assert!(text.contains("/h/.aws/credentials line 3"), "{text}");
    assert!(!text.contains("VERYSECRET"), "{text}");
    assert!(std::error::Error::source(&err).is_some());
}

#[cfg(unix)]
#[tokio::test]
async fn credential_process_from_profile() {
    let command = r#"echo '{"Version": 1, "AccessKeyId": "PAKID", "SecretAccessKey": "PSECRET", "SessionToken": "PTOKEN", "Expiration": "2030-01-01T00:00:00Z"}'"#;
    let env = Env::from_vars([("HOME", "/h"), ("AWS_PROFILE", "proc")]).with_file(
        "/h/.aws/config",
        format!("[profile proc]\ncredential_process = {command}\n"),
    );
    let creds = ProfileFileCredentialsProvider::new(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "PAKID");
    assert_eq!(creds.secret_access_key(), "PSECRET");
    assert_eq!(creds.session_token(), Some("PTOKEN"));
    // 2030-01-01T00:00:00Z
    assert_eq!(
        creds.expiry(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_893_456_000))
    );
    assert_eq!(creds.provider_name(), "CredentialProcess");
}

#[cfg(unix)]
#[tokio::test]
async fn credential_process_failures_are_explained() {
    let err = CredentialProcessProvider::new("echo oops >&2; exit 3")
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
    let text = err.to_string();
    assert!(text.contains("exit status: 3"), "{text}");
    assert!(text.contains("stderr: oops"), "{text}");

    let err = CredentialProcessProvider::new("echo not-json")
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not a JSON object"), "{err}");

    // The secret is assembled by the shell so that the command line itself does not hold it.
    let err = CredentialProcessProvider::new(
        r#"S=HID; echo "{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"${S}DEN\"}""#,
    )
    .provide_credentials()
    .await
    .unwrap_err();
    assert!(err.to_string().contains("Version 2"), "{err}");
    assert!(!err.to_string().contains("HIDDEN"), "{err}");

    // Through the profile provider, the error says which profile.
    let env = Env::from_vars([("HOME", "/h")])
        .with_file("/h/.aws/config", "[default]\ncredential_process = exit 1\n");
    let err = ProfileFileCredentialsProvider::new(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("credential_process of profile `default` failed"),
        "{err}"
    );
}

#[derive(Debug)]
struct NotHere(&'static str);

impl ProvideCredentials for NotHere {
    fn provide_credentials(&self) -> smithy_rust_runtime::credentials::CredentialsFuture<'_> {
        Box::pin(std::future::ready(Err(
            smithy_rust_runtime::credentials::CredentialsError::not_loaded(self.0),
        )))
    }
}

#[tokio::test]
async fn chain_skips_unconfigured_providers_and_lists_them_when_all_fail() {
    let creds = Credentials::from_keys("CHAINKEY", "CHAINSECRET", None);
    let chain = CredentialsProviderChain::first_try("first", NotHere("nothing in first"))
        .or_else("second", creds.clone());
    assert_eq!(chain.provide_credentials().await.unwrap(), creds);

    let chain = CredentialsProviderChain::first_try("first", NotHere("nothing in first"))
        .or_else("second", NotHere("nothing in second"));
    let err = chain.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NoCredentials);
    let text = err.to_string();
    assert!(
        text.starts_with(
            "no credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, configure a \
             profile in ~/.aws/credentials, or pass credentials_provider(...) to the config builder"
        ),
        "{text}"
    );
    assert!(
        text.contains("first: nothing in first; second: nothing in second"),
        "{text}"
    );
}

#[tokio::test]
async fn chain_stops_at_a_misconfigured_provider() {
    let env = Env::from_vars([("AWS_ACCESS_KEY_ID", "ONLYKEY")]);
    let chain = CredentialsProviderChain::first_try("skipped", NotHere("not here"))
        .or_else(
            "environment",
            EnvironmentVariableCredentialsProvider::new(env),
        )
        .or_else("never", Credentials::from_keys("NEVER", "NEVER", None));
    let err = chain.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    let text = report(&err);
    assert!(
        text.contains("the environment credentials provider failed"),
        "{text}"
    );
    assert!(text.contains("after trying: skipped: not here"), "{text}");
    assert!(text.contains("AWS_SECRET_ACCESS_KEY is not"), "{text}");
}

#[test]
fn providers_debug_output_has_no_secrets() {
    let env = Env::from_vars([
        ("AWS_ACCESS_KEY_ID", "EAKID"),
        ("AWS_SECRET_ACCESS_KEY", "ESECRET"),
        ("AWS_SESSION_TOKEN", "ETOKEN"),
    ]);
    let debug = format!(
        "{:?} {:?}",
        EnvironmentVariableCredentialsProvider::new(env.clone()),
        ProfileFileCredentialsProvider::new(env)
    );
    assert!(
        !debug.contains("ESECRET") && !debug.contains("ETOKEN"),
        "{debug}"
    );
}

/// An error and its causes on one line, `: `-separated, as `anyhow`'s `{:#}` prints them.
fn report(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
