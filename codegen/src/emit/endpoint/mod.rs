//! Endpoint rules (checked in the IR, [`crate::ir::endpoint`]) -> Rust.
//!
//! The rule set becomes straight-line Rust (nested `if` / `if let` with early returns, no rule
//! interpretation at run time), the AWS partition data static Rust data, and the model's
//! `smithy.rules#endpointTests` cases `#[test]`s.
//!
//! Generated files (paths relative to the generated crate root):
//!
//! - `src/endpoint/mod.rs`: `resolve_endpoint(&Params)` over
//!   `resolve_endpoint_with(&Params, &PartitionTable)`;
//! - `src/endpoint/params.rs`: the rule set's parameters as the public `Params` structure, and
//!   the bridge from the values the runtime gathers for a call;
//! - `src/endpoint/partitions.rs`: the shipped partition data;
//! - `src/endpoint/test_partitions.rs` (`#[cfg(test)]`, when test partition data is given): the
//!   partition data the model's test cases were written against;
//! - `src/endpoint/tests.rs` (`#[cfg(test)]`, when test cases are given).
//!
//! The runtime half (the standard library functions) is `runtime/src/endpoint/mod.rs`, which
//! generated code reaches as `crate::rt::endpoint_lib`.

mod bindings;
mod params;
mod partitions;
mod resolver;
mod tests;

use proc_macro2::TokenStream;
use quote::quote;

pub(crate) use bindings::endpoint_params_fn;

use super::File;
use crate::ir::endpoint::EndpointRulesIr;

/// The files of the endpoint module.
pub(crate) fn files(rules: &EndpointRulesIr) -> Vec<File> {
    let mut files = Vec::new();
    let mut submodules = vec![quote! {
        mod params;
        #[doc = " The partition data shipped with this client (generated from `partitions.json`)."]
        pub mod partitions;
        pub use params::Params;
        pub(crate) use params::resolve_call;
    }];
    files.push(File::rust("src/endpoint/params.rs", params::tokens(rules)));
    files.push(File::rust(
        "src/endpoint/partitions.rs",
        partitions::tokens(&rules.partitions, "the shipped `partitions.json`"),
    ));
    if let Some(test_data) = &rules.test_partitions {
        submodules.push(quote! {
            #[cfg(test)]
            mod test_partitions;
        });
        files.push(File::rust(
            "src/endpoint/test_partitions.rs",
            partitions::tokens(
                test_data,
                "the partition data the endpoint test cases were written against",
            ),
        ));
    }
    if let Some(cases) = &rules.tests {
        submodules.push(quote! {
            #[cfg(test)]
            mod tests;
        });
        files.push(File::rust(
            "src/endpoint/tests.rs",
            tests::tokens(rules, cases),
        ));
    }
    let resolver = resolver::tokens(&rules.rule_set);
    let module_doc = " Endpoint resolution, compiled from the service's endpoint rule set.";
    files.insert(
        0,
        File::rust(
            "src/endpoint/mod.rs",
            quote! {
                #![doc = #module_doc]
                #(#submodules)*
                #resolver
            },
        ),
    );
    files
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
