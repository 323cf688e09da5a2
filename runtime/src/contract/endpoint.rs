//! Types shared by the generated endpoint resolver and the runtime.

use std::collections::BTreeMap;
use std::fmt;

/// The endpoint rule set's parameters that the runtime fills from the config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointParams {
    /// `Region` (built-in `AWS::Region`).
    pub region: Option<String>,
    /// `UseFIPS` (built-in `AWS::UseFIPS`).
    pub use_fips: bool,
    /// `UseDualStack` (built-in `AWS::UseDualStack`).
    pub use_dual_stack: bool,
    /// `Endpoint` (built-in `SDK::Endpoint`): a URL that overrides resolution.
    pub endpoint: Option<String>,
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
