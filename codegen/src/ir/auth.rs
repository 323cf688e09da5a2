//! Effective authentication schemes of a service and its operations
//! (<https://smithy.io/2.0/spec/authentication-traits.html>).
//!
//! An operation's schemes are its `@auth` list if it has one (an empty list means anonymous),
//! else the service's `@auth` list, else every auth trait applied to the service in shape id
//! order; a service without any is anonymous. `@optionalAuth` adds anonymous as the last
//! option. Schemes the client does not implement (`httpDigestAuth`, `sigv4a`, custom ones) are
//! left out, and are an error only when nothing else is left.

use serde_json::Value;

use super::{ApiKeyLocationIr, AuthSchemeIr};
use crate::error::{CodegenError, Result};
use crate::model::{Model, Shape};

const SIGV4: &str = "aws.auth#sigv4";
const BEARER: &str = "smithy.api#httpBearerAuth";
const API_KEY: &str = "smithy.api#httpApiKeyAuth";
const BASIC: &str = "smithy.api#httpBasicAuth";
const NO_AUTH: &str = "smithy.api#noAuth";

/// Auth traits recognized even when the model does not contain their definitions.
const KNOWN_AUTH_TRAITS: &[&str] = &[
    SIGV4,
    "aws.auth#sigv4a",
    BASIC,
    "smithy.api#httpDigestAuth",
    BEARER,
    API_KEY,
];

/// The shape ids of the auth traits applied to `service`, in shape id order: the known ones and
/// any trait whose definition has `@authDefinition`.
fn applied_auth_traits(model: &Model, service: &Shape) -> Vec<String> {
    service
        .traits
        .iter()
        .map(|(id, _)| id)
        .filter(|id| {
            KNOWN_AUTH_TRAITS.contains(&id.as_str())
                || model
                    .shape(id)
                    .is_some_and(|def| def.traits.has("smithy.api#authDefinition"))
        })
        .cloned()
        .collect()
}

/// The shape ids listed by an `@auth` trait value; relative names are resolved against the
/// service's auth traits, then the prelude.
fn auth_list(value: &Value, owner: &Shape, applied: &[String]) -> Result<Vec<String>> {
    let items = value.as_array().ok_or_else(|| {
        CodegenError::model(&owner.file, &owner.id, "@auth must be a list of shape ids")
    })?;
    items
        .iter()
        .map(|item| {
            let id = item.as_str().ok_or_else(|| {
                CodegenError::model(&owner.file, &owner.id, "@auth must be a list of shape ids")
            })?;
            if id.contains('#') {
                return Ok(id.to_owned());
            }
            Ok(applied
                .iter()
                .find(|full| full.rsplit('#').next() == Some(id))
                .cloned()
                .unwrap_or_else(|| format!("smithy.api#{id}")))
        })
        .collect()
}

/// The service's schemes (by shape id) before any operation's `@auth` or `@optionalAuth`.
fn service_scheme_ids(model: &Model, service: &Shape) -> Result<Vec<String>> {
    let applied = applied_auth_traits(model, service);
    match service.traits.get("smithy.api#auth") {
        Some(value) => auth_list(value, service, &applied),
        None => Ok(applied),
    }
}

/// The service's effective schemes, for its documentation (unsupported ones left out).
pub(super) fn service_schemes(model: &Model, service: &Shape) -> Result<Vec<AuthSchemeIr>> {
    let ids = service_scheme_ids(model, service)?;
    let (mut schemes, _) = convert(&ids, service)?;
    if schemes.is_empty() {
        schemes.push(AuthSchemeIr::Anonymous);
    }
    Ok(schemes)
}

/// The effective schemes of operation `op` of `service`, in order of preference.
pub(super) fn operation_schemes(
    model: &Model,
    service: &Shape,
    op: &Shape,
) -> Result<Vec<AuthSchemeIr>> {
    let applied = applied_auth_traits(model, service);
    let ids = match op.traits.get("smithy.api#auth") {
        Some(value) => auth_list(value, op, &applied)?,
        None => service_scheme_ids(model, service)?,
    };
    let explicit_anonymous = ids.is_empty();
    let (mut schemes, unsupported) = convert(&ids, service)?;
    if schemes.is_empty() && !explicit_anonymous {
        if let Some(first) = unsupported.first() {
            return Err(CodegenError::Unsupported {
                shape: op.id.clone(),
                feature: unsupported_name(first).to_owned(),
            });
        }
    }
    if (explicit_anonymous || op.traits.has("smithy.api#optionalAuth"))
        && !schemes.contains(&AuthSchemeIr::Anonymous)
    {
        schemes.push(AuthSchemeIr::Anonymous);
    }
    Ok(schemes)
}

/// `httpDigestAuth` for prelude traits, the full shape id for others.
fn unsupported_name(id: &str) -> &str {
    id.strip_prefix("smithy.api#").unwrap_or(id)
}

/// The supported schemes among `ids` (in order) and the ids of the unsupported ones.
fn convert(ids: &[String], service: &Shape) -> Result<(Vec<AuthSchemeIr>, Vec<String>)> {
    let mut schemes = Vec::with_capacity(ids.len());
    let mut unsupported = Vec::new();
    for id in ids {
        let scheme = match id.as_str() {
            SIGV4 => AuthSchemeIr::SigV4,
            BEARER => AuthSchemeIr::Bearer,
            BASIC => AuthSchemeIr::Basic,
            NO_AUTH => AuthSchemeIr::Anonymous,
            API_KEY => api_key(service)?,
            _ => {
                unsupported.push(id.clone());
                continue;
            }
        };
        if !schemes.contains(&scheme) {
            schemes.push(scheme);
        }
    }
    Ok((schemes, unsupported))
}

/// The service's `@httpApiKeyAuth(name: ..., in: ..., scheme: ...)`.
fn api_key(service: &Shape) -> Result<AuthSchemeIr> {
    let fail = |what: &str| {
        CodegenError::model(
            &service.file,
            &service.id,
            format!("@httpApiKeyAuth: {what}"),
        )
    };
    let value = service
        .traits
        .get(API_KEY)
        .ok_or_else(|| fail("an operation lists it in @auth but the service does not apply it"))?;
    let name = value
        .get("name")
        .and_then(Value::as_str)
        .filter(|name| !name.is_empty())
        .ok_or_else(|| fail("`name` must be a non-empty string"))?;
    let location = match value.get("in").and_then(Value::as_str) {
        Some("header") => ApiKeyLocationIr::Header,
        Some("query") => ApiKeyLocationIr::Query,
        _ => return Err(fail("`in` must be \"header\" or \"query\"")),
    };
    if location == ApiKeyLocationIr::Header && !is_token(name) {
        return Err(fail(&format!("`name` {name:?} is not a valid header name")));
    }
    let scheme = match value.get("scheme") {
        None | Some(Value::Null) => None,
        Some(Value::String(scheme)) if !scheme.is_empty() => Some(scheme.clone()),
        Some(_) => return Err(fail("`scheme` must be a non-empty string")),
    };
    Ok(AuthSchemeIr::ApiKey {
        name: name.to_owned(),
        location,
        scheme,
    })
}

/// An RFC 9110 token (what a header name must be).
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}
