//! The "Authentication" part of a generated crate's docs, and the example configuration for
//! the service's preferred authentication scheme.

use crate::ir::names::unraw;
use crate::ir::{ApiKeyLocationIr, AuthSchemeIr, ServiceIr};

/// The `config` imports (e.g. `{Credentials, Region}`) and builder lines of the example
/// configuration for the service's preferred authentication scheme.
pub(super) fn config_example(ir: &ServiceIr) -> (Option<&'static str>, String) {
    let mut lines = String::new();
    if ir.endpoint_rules.is_none() {
        lines.push_str("    .endpoint_url(\"https://service.example.com\")\n");
    }
    let first = ir
        .auth
        .iter()
        .find(|s| **s != AuthSchemeIr::Anonymous)
        .unwrap_or(&AuthSchemeIr::Anonymous);
    let uses = match first {
        AuthSchemeIr::SigV4 => {
            lines.push_str(
                "    .region(Region::new(\"us-east-1\"))\n    .credentials_provider(Credentials::new(\"AKID\", \"SECRET\", None, None, \"example\"))\n",
            );
            Some("{Credentials, Region}")
        }
        AuthSchemeIr::Bearer => {
            lines.push_str("    .bearer_token(Token::new(\"my-token\", None))\n");
            Some("Token")
        }
        AuthSchemeIr::ApiKey { .. } => {
            lines.push_str("    .api_key(\"my-api-key\")\n");
            None
        }
        AuthSchemeIr::Basic => {
            lines.push_str("    .basic_auth(\"user\", \"password\")\n");
            None
        }
        AuthSchemeIr::Anonymous => None,
    };
    (uses, lines)
}

/// A scheme for humans: its name, trait and what to configure.
fn describe_scheme(scheme: &AuthSchemeIr, signing_name: Option<&str>) -> String {
    match scheme {
        AuthSchemeIr::SigV4 => {
            let name = signing_name
                .map(|n| format!(", signing name `{n}`"))
                .unwrap_or_default();
            format!(
                "SigV4 (`aws.auth#sigv4`{name}): set `credentials_provider(..)` and `region(..)`; \
                 every attempt is signed."
            )
        }
        AuthSchemeIr::Bearer => {
            "Bearer token (`smithy.api#httpBearerAuth`): set `bearer_token(..)` (a \
                                 `config::Token` or any `config::ProvideToken`), sent as \
                                 `Authorization: Bearer <token>`."
                .to_owned()
        }
        AuthSchemeIr::ApiKey {
            name,
            location,
            scheme,
        } => {
            let place = match (location, scheme) {
                (ApiKeyLocationIr::Header, Some(scheme)) => {
                    format!("in the `{name}` header as `{scheme} <key>`")
                }
                (ApiKeyLocationIr::Header, None) => format!("in the `{name}` header"),
                (ApiKeyLocationIr::Query, _) => format!("as the `{name}` query parameter"),
            };
            format!("API key (`smithy.api#httpApiKeyAuth`): set `api_key(..)`, sent {place}.")
        }
        AuthSchemeIr::Basic => {
            "HTTP basic (`smithy.api#httpBasicAuth`): set `basic_auth(username, \
                                password)`, sent as `Authorization: Basic <base64 of \
                                username:password>`."
                .to_owned()
        }
        AuthSchemeIr::Anonymous => {
            "Anonymous: nothing to configure, no credentials are sent.".to_owned()
        }
    }
}

fn short_name(scheme: &AuthSchemeIr) -> &'static str {
    match scheme {
        AuthSchemeIr::SigV4 => "SigV4",
        AuthSchemeIr::Bearer => "bearer token",
        AuthSchemeIr::ApiKey { .. } => "API key",
        AuthSchemeIr::Basic => "HTTP basic",
        AuthSchemeIr::Anonymous => "anonymous",
    }
}

/// The "Authentication" section of the README and the `config` module docs (Markdown).
pub(super) fn auth_docs(ir: &ServiceIr) -> String {
    let mut doc = String::from(
        "## Authentication\n\nEach call uses the first of its operation's authentication schemes that the \
         configuration can satisfy; when none can be, `send()` fails before sending anything, naming what to \
         configure. The service's schemes, in order of preference:\n\n",
    );
    for scheme in &ir.auth {
        doc.push_str("- ");
        doc.push_str(&describe_scheme(scheme, ir.signing_name.as_deref()));
        doc.push('\n');
    }
    let others: Vec<String> = ir
        .operations
        .iter()
        .filter(|op| op.auth != ir.auth)
        .map(|op| {
            let names: Vec<&str> = op.auth.iter().map(short_name).collect();
            format!("- `{}()`: {}\n", unraw(&op.module), names.join(", "))
        })
        .collect();
    if !others.is_empty() {
        doc.push_str("\nOperations with other schemes (in order of preference):\n\n");
        for line in others {
            doc.push_str(&line);
        }
        let extra: Vec<String> = ir
            .operations
            .iter()
            .flat_map(|op| op.auth.iter())
            .filter(|s| !ir.auth.contains(s))
            .map(|s| describe_scheme(s, ir.signing_name.as_deref()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if !extra.is_empty() {
            doc.push_str("\nSchemes only these operations use:\n\n");
            for line in extra {
                doc.push_str("- ");
                doc.push_str(&line);
                doc.push('\n');
            }
        }
    }
    if ir
        .operations
        .iter()
        .any(|op| op.auth.contains(&AuthSchemeIr::SigV4))
    {
        doc.push_str(
            "\nWithout an explicit region or credentials provider, `Config::from_env()` uses the usual chain: \
             `AWS_REGION` /\n`AWS_DEFAULT_REGION` / the profile's `region`, and credentials, in the AWS SDKs' \
             order, from the environment\n(`AWS_ACCESS_KEY_ID`, ...), the shared config and credentials \
             files (static keys, `credential_process`, roles\nassumed with `role_arn` + `source_profile` / \
             `credential_source`, web identity tokens, IAM Identity Center\nprofiles signed in with `aws sso \
             login`), a web identity token from the environment (`AWS_WEB_IDENTITY_TOKEN_FILE` +\n`AWS_ROLE_ARN`, \
             as on EKS), ECS container credentials, then EC2 instance metadata (IMDSv2). STS and the IAM\n\
             Identity Center portal are only called when a profile or the environment asks for them.\n",
        );
    }
    doc
}
