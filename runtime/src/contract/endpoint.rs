//! Types shared by the generated endpoint resolver and the runtime.

use std::collections::BTreeMap;
use std::fmt;

/// The values a call's endpoint is resolved from, gathered by the runtime: the built-ins it fills
/// from the configuration and the credentials, the configuration's client context parameters,
/// and the operation's own parameters (static, context and operation context parameters, set by
/// [`Operation::endpoint_params`](crate::contract::operation::Operation::endpoint_params)). A
/// generated crate turns them into its typed `endpoint::Params`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointParams {
    /// `AWS::Region`.
    pub region: Option<String>,
    /// `AWS::UseFIPS`.
    pub use_fips: bool,
    /// `AWS::UseDualStack`.
    pub use_dual_stack: bool,
    /// `SDK::Endpoint`: a URL that overrides resolution.
    pub endpoint: Option<String>,
    /// `AWS::Auth::AccountId`: the account id of the credentials the call is signed with.
    pub account_id: Option<String>,
    /// `AWS::Auth::AccountIdEndpointMode`: `preferred`, `disabled` or `required`.
    pub account_id_endpoint_mode: Option<String>,
    /// The service's other parameters, by their name in the rule set. The configuration's
    /// client context parameters are set first; the operation's parameters, set after, replace
    /// them (the rules engine's order of precedence).
    pub values: BTreeMap<String, EndpointValue>,
}

impl EndpointParams {
    /// Sets the parameter called `name` (its name in the rule set).
    pub fn set(&mut self, name: &str, value: EndpointValue) {
        self.values.insert(name.to_owned(), value);
    }

    /// The string parameter called `name`, when set.
    pub fn string(&self, name: &str) -> Option<&str> {
        match self.values.get(name) {
            Some(EndpointValue::String(s)) => Some(s),
            _ => None,
        }
    }

    /// The boolean parameter called `name`, when set.
    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.values.get(name) {
            Some(EndpointValue::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// The string-array parameter called `name`, when set.
    pub fn string_array(&self, name: &str) -> Option<&[String]> {
        match self.values.get(name) {
            Some(EndpointValue::StringArray(items)) => Some(items),
            _ => None,
        }
    }
}

/// The value of an endpoint rule-set parameter (the rules engine's three parameter types).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointValue {
    /// `boolean`.
    Bool(bool),
    /// `string`.
    String(String),
    /// `stringArray`.
    StringArray(Vec<String>),
}

impl EndpointValue {
    /// The string, for a `string` value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            EndpointValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The flag, for a `boolean` value.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            EndpointValue::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// The endpoint the rules chose.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedEndpoint {
    /// The URL requests are sent to (scheme, host, optional port and path prefix).
    pub url: String,
    /// Headers the rules ask to add to every request.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Properties such as `authSchemes`, as JSON values.
    pub properties: BTreeMap<String, serde_json::Value>,
}

impl ResolvedEndpoint {
    /// An endpoint with only a URL.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            headers: BTreeMap::new(),
            properties: BTreeMap::new(),
        }
    }
}

/// The rules could not give an endpoint; the message is the rule set's, unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError {
    message: String,
}

impl EndpointError {
    /// An error with the given message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The message, as the rule set wrote it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "endpoint resolution failed: {}", self.message)
    }
}

impl std::error::Error for EndpointError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_back_by_name_and_type() {
        let mut params = EndpointParams::default();
        params.set("Bucket", EndpointValue::String("b".into()));
        params.set("Flag", EndpointValue::Bool(true));
        params.set("Keys", EndpointValue::StringArray(vec!["k".into()]));
        assert_eq!(params.string("Bucket"), Some("b"));
        assert_eq!(params.bool("Flag"), Some(true));
        assert_eq!(params.string_array("Keys"), Some(&["k".to_owned()][..]));
        // Another type, or no value: unset.
        assert_eq!(params.string("Flag"), None);
        assert_eq!(params.bool("Bucket"), None);
        assert_eq!(params.string_array("Nope"), None);
        // A later value replaces an earlier one.
        params.set("Bucket", EndpointValue::String("c".into()));
        assert_eq!(params.values["Bucket"].as_str(), Some("c"));
        assert_eq!(params.values["Flag"].as_bool(), Some(true));
    }
}
