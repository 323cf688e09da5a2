//! Authentication schemes as the model names them: which ones an operation accepts
//! ([`Operation::AUTH`](crate::contract::operation::Operation::AUTH)).

/// An authentication scheme an operation accepts, from the model's auth traits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthScheme {
    /// AWS Signature Version 4 (`aws.auth#sigv4`): needs a credentials provider and a region.
    SigV4,
    /// `Authorization: Bearer <token>` (`smithy.api#httpBearerAuth`): needs a bearer token.
    Bearer,
    /// An API key in a header or query parameter (`smithy.api#httpApiKeyAuth`): needs an API
    /// key.
    ApiKey {
        /// The header or query parameter name.
        name: &'static str,
        /// Where the key goes.
        location: ApiKeyLocation,
        /// For a header: the scheme written before the key (`<scheme> <key>`), if any.
        scheme: Option<&'static str>,
    },
    /// `Authorization: Basic base64(username:password)` (`smithy.api#httpBasicAuth`): needs a
    /// username and password.
    Basic,
    /// No authentication: always possible.
    Anonymous,
}

impl AuthScheme {
    /// The Smithy shape id of the scheme, e.g. `smithy.api#httpBearerAuth`
    /// (`smithy.api#noAuth` for [`AuthScheme::Anonymous`]).
    pub fn shape_id(&self) -> &'static str {
        match self {
            AuthScheme::SigV4 => "aws.auth#sigv4",
            AuthScheme::Bearer => "smithy.api#httpBearerAuth",
            AuthScheme::ApiKey { .. } => "smithy.api#httpApiKeyAuth",
            AuthScheme::Basic => "smithy.api#httpBasicAuth",
            AuthScheme::Anonymous => "smithy.api#noAuth",
        }
    }
}

/// Where an API key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// In a request header.
    Header,
    /// In a query string parameter.
    Query,
}
