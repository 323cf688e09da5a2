//! Settings read from the environment and the shared config file by a builder made with
//! [`Builder::from_env`](super::Builder::from_env), with the precedence of the AWS SDKs and
//! Tools reference guide:
//!
//! - **Endpoint URL** (when none is set in code): `AWS_ENDPOINT_URL_<SERVICE>`, then
//!   `AWS_ENDPOINT_URL`, then the service's `endpoint_url` in the `services` section the
//!   selected profile names, then the profile's own `endpoint_url`. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`
//!   (or the profile's `ignore_configured_endpoint_urls`) set to `true` ignores all of them.
//!   `<SERVICE>` is the service's SDK id upper-cased with spaces and hyphens as underscores
//!   (`Chime SDK Identity`: `CHIME_SDK_IDENTITY`); the `services` section key is the same in
//!   lower case (`chime_sdk_identity`).
//! - **Retries** (when no retry configuration is set in code): `AWS_MAX_ATTEMPTS` or the
//!   profile's `max_attempts` (a whole number of at least 1), and `AWS_RETRY_MODE` or the
//!   profile's `retry_mode` (`standard` or `adaptive`); each is taken from the variable first,
//!   then from the profile.
//!
//! A value that cannot be understood is reported (with where it came from) when a request is
//! sent, like the other shared settings.

use super::SharedSettings;
use crate::env::endpoint_url::{endpoint_url_from_profiles, endpoint_url_from_variables};
use crate::retry::{RetryConfig, RetryMode};

impl SharedSettings<'_> {
    /// The configured endpoint URL for `service` (its SDK id), or the global one for `None`.
    pub(super) fn endpoint_url(&mut self, service: Option<&str>) -> Option<String> {
        let env = self.env?;
        if self.flag(
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            "ignore_configured_endpoint_urls",
        ) == Some(true)
        {
            return None;
        }
        endpoint_url_from_variables(env, service)
            .or_else(|| endpoint_url_from_profiles(self.profiles()?, service))
    }

    /// The retry configuration from `AWS_MAX_ATTEMPTS` / `max_attempts` and `AWS_RETRY_MODE` /
    /// `retry_mode`, when either is set.
    pub(super) fn retry_config(&mut self) -> Option<RetryConfig> {
        let attempts = self
            .raw("AWS_MAX_ATTEMPTS", "max_attempts")
            .and_then(|(value, source)| match value.parse::<u32>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    self.problems.push(format!(
                        "{source} is {value:?}; expected a whole number of attempts, at least 1"
                    ));
                    None
                }
            });
        let mode = self
            .raw("AWS_RETRY_MODE", "retry_mode")
            .and_then(|(value, source)| match value.parse::<RetryMode>() {
                Ok(mode) => Some(mode),
                Err(err) => {
                    self.problems.push(format!("{source}: {err}"));
                    None
                }
            });
        if attempts.is_none() && mode.is_none() {
            return None;
        }
        let mut config = RetryConfig::standard();
        if let Some(mode) = mode {
            config = config.with_retry_mode(mode);
        }
        if let Some(attempts) = attempts {
            config = config.with_max_attempts(attempts);
        }
        Some(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Builder;
    use crate::env::Env;

    const CHIME: &str = "Chime SDK Identity";

    fn endpoint(env: Env) -> Option<String> {
        Builder::new()
            .env(env)
            .build_for(CHIME)
            .endpoint_url()
            .map(str::to_owned)
    }

    const CONFIG: &str = "\
[default]
endpoint_url = http://profile-global
services = local
[profile other]
endpoint_url = http://other-global
[services local]
chime_sdk_identity =
  endpoint_url = http://profile-service
";

    fn env(vars: &[(&str, &str)]) -> Env {
        let mut all = vec![("HOME", "/h")];
        all.extend_from_slice(vars);
        Env::from_vars(all.iter().copied()).with_file("/h/.aws/config", CONFIG)
    }

    #[test]
    fn endpoint_precedence_follows_the_reference_guide() {
        let service_var = ("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY", "http://env-service");
        let global_var = ("AWS_ENDPOINT_URL", "http://env-global");
        assert_eq!(
            endpoint(env(&[service_var, global_var])).as_deref(),
            Some("http://env-service")
        );
        assert_eq!(
            endpoint(env(&[global_var])).as_deref(),
            Some("http://env-global")
        );
        assert_eq!(
            endpoint(env(&[])).as_deref(),
            Some("http://profile-service")
        );
        assert_eq!(
            endpoint(env(&[("AWS_PROFILE", "other")])).as_deref(),
            Some("http://other-global")
        );
        // Another service's variable is not this service's.
        assert_eq!(
            endpoint(env(&[
                ("AWS_ENDPOINT_URL_STS", "http://sts"),
                ("AWS_PROFILE", "other")
            ]))
            .as_deref(),
            Some("http://other-global")
        );
        // A service-agnostic build (a `SharedConfig`) sees the global settings only.
        let shared = Builder::new().env(env(&[])).build();
        assert_eq!(shared.endpoint_url(), Some("http://profile-global"));
    }

    #[test]
    fn code_wins_and_the_ignore_setting_ignores_the_rest() {
        let all = env(&[
            ("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY", "http://env-service"),
            ("AWS_ENDPOINT_URL", "http://env-global"),
        ]);
        let config = Builder::new()
            .env(all.clone())
            .endpoint_url("http://code")
            .build_for(CHIME);
        assert_eq!(config.endpoint_url(), Some("http://code"));
        let ignoring = Env::from_vars([
            ("HOME", "/h"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
            ("AWS_ENDPOINT_URL", "http://env-global"),
        ])
        .with_file("/h/.aws/config", CONFIG);
        assert_eq!(endpoint(ignoring), None);
        let text = format!(
            "{CONFIG}[profile quiet]\nignore_configured_endpoint_urls = true\nendpoint_url = http://x\n"
        );
        let quiet = Env::from_vars([("HOME", "/h"), ("AWS_PROFILE", "quiet")])
            .with_file("/h/.aws/config", text.clone());
        assert_eq!(endpoint(quiet), None);
        // The variable wins over the profile's setting.
        let loud = Env::from_vars([
            ("HOME", "/h"),
            ("AWS_PROFILE", "quiet"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"),
        ])
        .with_file("/h/.aws/config", text);
        assert_eq!(endpoint(loud).as_deref(), Some("http://x"));
        // Code still wins over an ignored configuration.
        let config = Builder::new()
            .env(Env::from_vars([(
                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                "true",
            )]))
            .endpoint_url("http://code")
            .build_for(CHIME);
        assert_eq!(config.endpoint_url(), Some("http://code"));
    }

    #[test]
    fn a_service_built_from_a_shared_config_gets_its_own_endpoint() {
        let shared = Builder::new()
            .env(env(&[(
                "AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY",
                "http://env-service",
            )]))
            .build_shared();
        assert_eq!(shared.endpoint_url(), Some("http://profile-global"));
        let chime = Builder::from_shared(&shared).build_for(CHIME);
        assert_eq!(chime.endpoint_url(), Some("http://env-service"));
        let sts = Builder::from_shared(&shared).build_for("STS");
        assert_eq!(sts.endpoint_url(), Some("http://profile-global"));
        // An endpoint set in code on the shared configuration wins for every service.
        let coded = Builder::new()
            .env(env(&[(
                "AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY",
                "http://env-service",
            )]))
            .endpoint_url("http://code")
            .build_shared();
        let chime = Builder::from_shared(&coded).build_for(CHIME);
        assert_eq!(chime.endpoint_url(), Some("http://code"));
    }

    #[test]
    fn retry_settings_come_from_variables_then_the_profile() {
        let config = Builder::new()
            .env(
                Env::from_vars([("HOME", "/h"), ("AWS_MAX_ATTEMPTS", "5")]).with_file(
                    "/h/.aws/config",
                    "[default]\nmax_attempts = 2\nretry_mode = adaptive\n",
                ),
            )
            .build();
        assert_eq!(config.retry_config().max_attempts(), 5);
        assert_eq!(config.retry_config().mode(), RetryMode::Adaptive);
        let config = Builder::new()
            .env(Env::from_vars([("AWS_RETRY_MODE", "standard")]))
            .build();
        assert_eq!(config.retry_config().mode(), RetryMode::Standard);
        assert_eq!(config.retry_config().max_attempts(), 3);
        // Code wins.
        let config = Builder::new()
            .env(Env::from_vars([("AWS_MAX_ATTEMPTS", "9")]))
            .retry_config(RetryConfig::disabled())
            .build();
        assert_eq!(config.retry_config().max_attempts(), 1);
    }

    #[test]
    fn bad_retry_settings_are_reported_with_their_source() {
        let config = Builder::new()
            .env(
                Env::from_vars([("HOME", "/h"), ("AWS_MAX_ATTEMPTS", "0")])
                    .with_file("/h/.aws/config", "[default]\nretry_mode = legacy\n"),
            )
            .build();
        let message = config.invalid_setting().expect("two problems").to_string();
        assert!(
            message.contains("environment variable AWS_MAX_ATTEMPTS is \"0\""),
            "{message}"
        );
        assert!(
            message.contains("`retry_mode` of profile `default`: \"legacy\" is not a retry mode"),
            "{message}"
        );
        assert_eq!(config.retry_config().max_attempts(), 3);
    }
}
