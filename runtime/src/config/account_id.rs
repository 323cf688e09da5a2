//! The account id endpoint mode: whether services with account-based endpoints put the
//! credentials' account id in the endpoint (the `AWS::Auth::AccountIdEndpointMode` built-in).

use std::fmt;
use std::str::FromStr;

/// Whether a service with account-based endpoints routes with the account id of the credentials
/// (`account_id_endpoint_mode` in the shared config, `AWS_ACCOUNT_ID_ENDPOINT_MODE`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum AccountIdEndpointMode {
    /// The endpoint includes the account id when the credentials have one (the default).
    #[default]
    Preferred,
    /// The endpoint never includes the account id.
    Disabled,
    /// The endpoint must include the account id: a call whose credentials have none fails.
    Required,
}

impl AccountIdEndpointMode {
    /// The value the endpoint rules see: `preferred`, `disabled` or `required`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountIdEndpointMode::Preferred => "preferred",
            AccountIdEndpointMode::Disabled => "disabled",
            AccountIdEndpointMode::Required => "required",
        }
    }
}

impl fmt::Display for AccountIdEndpointMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value that is not `preferred`, `disabled` or `required`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidAccountIdEndpointMode(String);

impl fmt::Display for InvalidAccountIdEndpointMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an account id endpoint mode (expected `preferred`, `disabled` or \
             `required`)",
            self.0
        )
    }
}

impl std::error::Error for InvalidAccountIdEndpointMode {}

impl FromStr for AccountIdEndpointMode {
    type Err = InvalidAccountIdEndpointMode;

    /// Parses `preferred`, `disabled` or `required` (ASCII case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "preferred" => Ok(AccountIdEndpointMode::Preferred),
            "disabled" => Ok(AccountIdEndpointMode::Disabled),
            "required" => Ok(AccountIdEndpointMode::Required),
            _ => Err(InvalidAccountIdEndpointMode(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_modes_and_names_bad_values() {
        for mode in [
            AccountIdEndpointMode::Preferred,
            AccountIdEndpointMode::Disabled,
            AccountIdEndpointMode::Required,
        ] {
            assert_eq!(mode.as_str().parse::<AccountIdEndpointMode>(), Ok(mode));
            assert_eq!(mode.to_string(), mode.as_str());
        }
        assert_eq!("REQUIRED".parse(), Ok(AccountIdEndpointMode::Required));
        assert_eq!(AccountIdEndpointMode::default().as_str(), "preferred");
        let err = "sometimes".parse::<AccountIdEndpointMode>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"sometimes\" is not an account id endpoint mode (expected `preferred`, `disabled` \
             or `required`)"
        );
    }
}
