//! Endpoint rule set -> Rust code.
//!
//! [`generate`] compiles a service's `smithy.rules#endpointRuleSet` into straight-line Rust (nested
//! `if` / `if let` with early returns, no rule interpretation at run time), turns the AWS
//! partition data into static Rust data, and turns `smithy.rules#endpointTests` into `#[test]`s.
//!
//! Generated files (paths relative to the generated crate root):
//!
//! - `src/endpoint/mod.rs`: `resolve_endpoint(&EndpointParams)` over
//!   `resolve_endpoint_with(&EndpointParams, &PartitionTable)`;
//! - `src/endpoint/partitions.rs`: the shipped partition data;
//! - `src/endpoint/test_partitions.rs` (`#[cfg(test)]`, when test partition data is given): the
//!   partition data the model's test cases were written against;
//! - `src/endpoint/tests.rs` (`#[cfg(test)]`, when test cases are given).
//!
//! The runtime half (the standard library functions) is `runtime/src/endpoint/mod.rs`.

mod compile;
mod eval;
mod partitions;
#[path = "../../../runtime/src/endpoint/region_regex.rs"]
mod region_regex;
mod tests_gen;

use proc_macro2::TokenStream;
use quote::quote;
use std::fmt;

/// One generated file.
#[derive(Debug, Clone)]
pub struct EndpointFile {
    /// Path relative to the generated crate root, e.g. `src/endpoint/mod.rs`.
    pub path: String,
    /// The file's contents, to be formatted by the writer.
    pub tokens: TokenStream,
}

/// Why the rule set, its tests or the partition data could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointRulesError {
    /// Where in the input the problem is, e.g. `rules[1].rules[0].conditions[0]`.
    pub path: String,
    /// What is wrong, e.g. "not supported: endpoint parameter `Bucket` (built-in none)".
    pub message: String,
}

impl EndpointRulesError {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for EndpointRulesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} (at {})", self.message, self.path)
        }
    }
}

impl std::error::Error for EndpointRulesError {}

type Result<T, E = EndpointRulesError> = std::result::Result<T, E>;

/// The expected outcome of one of the model's endpoint test cases against the shipped partition
/// data, written by hand (in `model/services.toml`) for a case whose outcome that data changes:
/// the generated test asserts it, and the generator's own rule evaluator only checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandExpectation {
    /// The case's `documentation`, which names it.
    pub documentation: String,
    /// What the case resolves to with the shipped data.
    pub outcome: HandOutcome,
    /// Why it differs from the model's expectation (shown in the generated test's rustdoc).
    pub because: String,
}

/// A hand-written endpoint test outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandOutcome {
    /// An endpoint with this URL, no headers and no properties.
    Url(String),
    /// An error with exactly this message.
    Error(String),
}

/// Compiles an endpoint rule set (the value of the `smithy.rules#endpointRuleSet` trait), its
/// test cases (`smithy.rules#endpointTests`, optional), the partition data the generated client
/// ships with (`partitions.json`) and, optionally, the partition data the test cases were written
/// against.
///
/// The model's test cases run against `test_partitions` when given (each must pass as written)
/// and against `partitions`. Expected outcomes come from the model, or, where the shipped
/// partition data changes a case's outcome, from `expectations` (written by hand); the generated
/// test then says which partition outputs changed. The build-time rule evaluator never supplies
/// an expected value: it only checks them, and a case it finds changed without a hand-written
/// expectation (or a hand-written one it disagrees with, or one naming no case) is an error.
pub fn generate(
    rule_set: &serde_json::Value,
    tests: Option<&serde_json::Value>,
    partitions: &serde_json::Value,
    test_partitions: Option<&serde_json::Value>,
    expectations: &[HandExpectation],
) -> Result<Vec<EndpointFile>> {
    let rules = compile::RuleSet::parse(rule_set)?;
    let shipped = partitions::Partitions::parse(partitions, "partitions")?;
    let test_data = test_partitions
        .map(|p| partitions::Partitions::parse(p, "test_partitions"))
        .transpose()?;
    let resolver = compile::compile(&rules)?;

    let mut files = Vec::new();
    let mut submodules = vec![quote! {
        #[doc = " The partition data shipped with this client (generated from `partitions.json`)."]
        pub mod partitions;
    }];
    files.push(EndpointFile {
        path: "src/endpoint/partitions.rs".into(),
        tokens: shipped.to_tokens("the shipped `partitions.json`"),
    });
    if let Some(test_data) = &test_data {
        submodules.push(quote! {
            #[cfg(test)]
            mod test_partitions;
        });
        files.push(EndpointFile {
            path: "src/endpoint/test_partitions.rs".into(),
            tokens: test_data
                .to_tokens("the partition data the endpoint test cases were written against"),
        });
    }
    if let Some(tests) = tests {
        let tokens =
            tests_gen::generate(&rules, tests, &shipped, test_data.as_ref(), expectations)?;
        submodules.push(quote! {
            #[cfg(test)]
            mod tests;
        });
        files.push(EndpointFile {
            path: "src/endpoint/tests.rs".into(),
            tokens,
        });
    } else if let Some(unused) = expectations.first() {
        return Err(EndpointRulesError::new(
            "endpoint expectations",
            format!(
                "a hand-written expectation names the endpoint test case `{}`, but the model has \
                 no endpoint tests",
                unused.documentation
            ),
        ));
    }
    let module_doc = " Endpoint resolution, compiled from the service's endpoint rule set.";
    files.insert(
        0,
        EndpointFile {
            path: "src/endpoint/mod.rs".into(),
            tokens: quote! {
                #![doc = #module_doc]
                #(#submodules)*
                #resolver
            },
        },
    );
    Ok(files)
}

/// A JSON value as tokens that `serde_json::json!` accepts.
pub(crate) fn json_tokens(value: &serde_json::Value) -> TokenStream {
    use serde_json::Value;
    match value {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                quote!(#i)
            } else if let Some(u) = n.as_u64() {
                quote!(#u)
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                quote!(#f)
            }
        }
        Value::String(s) => quote!(#s),
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = json_tokens(v);
                quote!(#k: #v)
            });
            quote!({#(#entries),*})
        }
    }
}
