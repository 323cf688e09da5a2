//! Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` and
//! `AWS_ACCOUNT_ID`.

use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::env::Env;

/// Reads static credentials from the environment variables.
#[derive(Debug, Clone)]
pub struct EnvironmentVariableCredentialsProvider {
    env: Env,
}

impl EnvironmentVariableCredentialsProvider {
    /// Reads the variables of `env`.
    pub fn new(env: Env) -> Self {
        Self { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let access_key = self.env.get_non_empty("AWS_ACCESS_KEY_ID");
        let secret_key = self.env.get_non_empty("AWS_SECRET_ACCESS_KEY");
        match (access_key, secret_key) {
            (Some(access_key), Some(secret_key)) => {
                let credentials = Credentials::new(
                    access_key.trim(),
                    secret_key.trim(),
                    self.env
                        .get_non_empty("AWS_SESSION_TOKEN")
                        .map(|t| t.trim().to_owned()),
                    None,
                    "EnvironmentVariable",
                );
                Ok(match self.env.get_non_empty("AWS_ACCOUNT_ID") {
                    Some(account_id) => credentials.with_account_id(account_id.trim()),
                    None => credentials,
                })
            }
            (None, None) => Err(CredentialsError::not_loaded(
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
            )),
            (Some(_), None) => Err(CredentialsError::invalid_configuration(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both or neither",
            )),
            (None, Some(_)) => Err(CredentialsError::invalid_configuration(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both or neither",
            )),
        }
    }
}

impl ProvideCredentials for EnvironmentVariableCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(vars: &[(&str, &str)]) -> Credentials {
        EnvironmentVariableCredentialsProvider::new(Env::from_vars(vars.iter().copied()))
            .load()
            .unwrap()
    }

    #[test]
    fn the_account_id_comes_from_aws_account_id() {
        let keys = [
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "S"),
        ];
        assert_eq!(load(&keys).account_id(), None);
        let mut with_account = keys.to_vec();
        with_account.push(("AWS_ACCOUNT_ID", " 123456789012 "));
        assert_eq!(load(&with_account).account_id(), Some("123456789012"));
    }
}
