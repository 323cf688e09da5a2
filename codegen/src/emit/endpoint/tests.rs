//! The model's endpoint test cases (checked and evaluated in the IR) -> `src/endpoint/tests.rs`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::json_tokens;
use super::params::{field, value_tokens};
use crate::ir::endpoint::rules::Source;
use crate::ir::endpoint::{describe, Check, EndpointRulesIr, Outcome, TestCase};

#[derive(Default)]
struct Uses {
    endpoint: bool,
    error: bool,
    not_endpoint: bool,
    not_error: bool,
}

/// `Params { field: value, .., ..Params::default() }` for the given values.
fn params_expr(rules: &EndpointRulesIr, values: &[(TokenStream, TokenStream)]) -> TokenStream {
    if values.is_empty() {
        return quote!(Params::default());
    }
    let fields = values.iter().map(|(f, v)| {
        if f.to_string() == v.to_string() {
            quote!(#f)
        } else {
            quote!(#f: #v)
        }
    });
    if values.len() == rules.rule_set.params.len() {
        quote!(Params { #(#fields),* })
    } else {
        quote!(Params { #(#fields,)* ..Params::default() })
    }
}

/// A doc attribute per line (an empty line stays empty).
fn doc_attrs(lines: &[String]) -> Vec<TokenStream> {
    lines
        .iter()
        .map(|l| {
            let l = if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            };
            quote!(#[doc = #l])
        })
        .collect()
}

fn test_fn(
    rules: &EndpointRulesIr,
    c: &TestCase,
    expect: &Outcome,
    check: &Check,
    extra_doc: &[String],
    uses: &mut Uses,
) -> TokenStream {
    let name = format_ident!("{}", c.fn_name);
    let doc = format!(" {}", c.doc);
    let mut lines = extra_doc.to_vec();
    let inverted = matches!(check, Check::Disagrees { .. });
    let mut ignore = None;
    match check {
        Check::Holds => {}
        Check::Disagrees { gives, why } => {
            lines.push(String::new());
            lines.push(format!(
                "Recorded disagreement: the model expects {}, but with this partition data the \
                 rules give {gives} (found by the generator's rule evaluator; not asserted).",
                describe(expect)
            ));
            lines.extend(why.iter().cloned());
            lines.push(
                "This test asserts that the resolver does not give the model's expectation: \
                 generate with the partition data the case was written against \
                 (`--test-partitions`, or `test_partitions` in the manifest) to run it as \
                 written, or write its expected outcome by hand (`endpoint_expectation`)."
                    .to_owned(),
            );
        }
        Check::Unchecked { reason } => {
            lines.push(String::new());
            lines.push(format!("Ignored: {reason}."));
            ignore = Some(reason.clone());
        }
    }
    let extra = doc_attrs(&lines);
    let values: Vec<(TokenStream, TokenStream)> = c
        .params
        .iter()
        .filter_map(|cp| {
            let p = rules.rule_set.param(&cp.name)?;
            Some((field(p), value_tokens(cp.ty, cp.plain, &cp.value)))
        })
        .collect();
    let params = params_expr(rules, &values);
    let check = match (expect, inverted) {
        (
            Outcome::Endpoint {
                url,
                headers,
                properties,
            },
            inverted,
        ) => {
            let headers = headers.iter().map(|(k, vs)| quote!((#k, &[#(#vs),*][..])));
            let props = json_tokens(&Value::Object(properties.clone()));
            if inverted {
                uses.not_endpoint = true;
                quote!(check_not_endpoint(result, #url, &[#(#headers),*], serde_json::json!(#props));)
            } else {
                uses.endpoint = true;
                quote!(check_endpoint(result, #url, &[#(#headers),*], serde_json::json!(#props));)
            }
        }
        (Outcome::Error(m), false) => {
            uses.error = true;
            quote!(check_error(result, #m);)
        }
        (Outcome::Error(m), true) => {
            uses.not_error = true;
            quote!(check_not_error(result, #m);)
        }
    };
    let ignore = ignore.map(|reason| quote!(#[ignore = #reason]));
    quote! {
        #[doc = #doc]
        #(#extra)*
        #[test]
        #ignore
        fn #name() {
            let result = resolve_endpoint_with(&#params, &PARTITIONS);
            #check
        }
    }
}

/// The test module.
pub(super) fn tokens(rules: &EndpointRulesIr, cases: &[TestCase]) -> TokenStream {
    let test_data = rules.test_partitions.as_ref();
    let mut uses = Uses::default();
    let mut modules = Vec::new();

    if test_data.is_some() {
        let fns: Vec<TokenStream> = cases
            .iter()
            .map(|c| test_fn(rules, c, &c.expect, &c.test_data_check, &[], &mut uses))
            .collect();
        let doc = " The model's test cases, as written, against the partition data they were written against.";
        modules.push(quote! {
            #[doc = #doc]
            mod test_partition_data {
                use super::*;
                use super::super::test_partitions::PARTITIONS;
                #(#fns)*
            }
        });
    }

    let fns: Vec<TokenStream> = cases
        .iter()
        .map(|c| {
            test_fn(
                rules,
                c,
                &c.shipped,
                &c.shipped_check,
                &c.shipped_note,
                &mut uses,
            )
        })
        .collect();
    modules.push(quote! {
        #[doc = " The model's test cases against the partition data shipped with the client."]
        mod shipped_partition_data {
            use super::*;
            use super::super::partitions::PARTITIONS;
            #(#fns)*
        }
    });

    let by_source = |source: Source| rules.rule_set.params.iter().find(|p| p.source == source);
    // Only rules that put the region into a URL can leak a bad one into a host.
    if let Some(region) =
        by_source(Source::Region).filter(|p| rules.rule_set.url_interpolates(&p.name))
    {
        let bad = [
            ("region_with_dot_and_path", "us-east-1.evil.example/"),
            ("region_with_userinfo", "us-east-1@evil.example"),
            ("region_with_fragment", "evil.example#"),
            ("empty_region", ""),
        ];
        let flags: Vec<TokenStream> = [Source::UseFips, Source::UseDualStack]
            .into_iter()
            .filter_map(by_source)
            .map(field)
            .collect();
        let fns = bad.iter().map(|(name, value)| {
            let name = format_ident!("{}", name);
            let doc = format!(" Region {value:?} never reaches a URL.");
            let mut values = vec![(
                field(region),
                value_tokens(
                    region.ty,
                    region.plain(),
                    &Value::String((*value).to_owned()),
                ),
            )];
            values.extend(flags.iter().map(|f| (f.clone(), f.clone())));
            let params = params_expr(rules, &values);
            let bools = [false, true];
            let settings: Vec<String> = flags.iter().map(|f| format!("{f} {{{f}}}")).collect();
            let message = if settings.is_empty() {
                format!("region {value:?} resolved to {{result:?}}")
            } else {
                format!(
                    "region {value:?} ({}) resolved to {{result:?}}",
                    settings.join(", ")
                )
            };
            let loops = flags.iter().rev().fold(
                quote! {
                    let result = resolve_endpoint_with(&#params, &PARTITIONS);
                    let kept_out = !result.as_ref().is_ok_and(|e| leaks(&e.url, #value));
                    assert!(kept_out, #message);
                },
                |body, f| quote!(for #f in [#(#bools),*] { #body }),
            );
            quote! {
                #[doc = #doc]
                #[test]
                fn #name() {
                    #loops
                }
            }
        });
        modules.push(quote! {
            #[doc = " A region that is not a valid DNS host label is an error, or resolves to a URL"]
            #[doc = " without it (a global endpoint that ignores the region), never to a URL"]
            #[doc = " that holds it."]
            mod region_not_a_host_label {
                use super::*;
                use super::super::partitions::PARTITIONS;

                #[doc = " Whether `url` holds `region`, or a host that is not made of DNS labels."]
                fn leaks(url: &str, region: &str) -> bool {
                    let host = url
                        .split_once("://")
                        .map_or(url, |(_, rest)| rest)
                        .split(['/', ':', '?', '#'])
                        .next()
                        .unwrap_or_default();
                    let bad_label = host.split('.').any(|label| {
                        label.is_empty()
                            || !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    });
                    bad_label || (!region.is_empty() && url.contains(region))
                }

                #(#fns)*
            }
        });
    }

    let mut tables = vec![quote!(super::super::partitions::PARTITIONS)];
    if test_data.is_some() {
        tables.push(quote!(super::super::test_partitions::PARTITIONS));
    }
    modules.push(quote! {
        #[doc = " The partition lookup against every region listed in the partition data."]
        mod partition_data {
            use crate::rt::endpoint_lib::aws::{partition, PartitionTable};
            use crate::rt::endpoint_lib::region_regex::is_match;

            #[doc = " Every listed region resolves to its own partition; its `regionRegex` matches"]
            #[doc = " it and no other partition's does, except for the `*-global` pseudo-regions,"]
            #[doc = " which no pattern matches (as with a real regex engine)."]
            fn check(table: &PartitionTable) {
                let mut regions = 0;
                for p in table.partitions {
                    for r in p.regions {
                        let found = partition(r.name, table).map(|o| o.name);
                        assert_eq!(found, Some(p.outputs.name), "{}", r.name);
                        let matching: Vec<&str> = table
                            .partitions
                            .iter()
                            .filter(|q| is_match(q.region_regex, r.name))
                            .map(|q| q.id)
                            .collect();
                        if r.name.ends_with("-global") {
                            assert!(matching.is_empty(), "{} matched {matching:?}", r.name);
                        } else {
                            assert_eq!(matching, [p.id], "{}", r.name);
                        }
                        regions += 1;
                    }
                }
                assert!(regions > 0);
            }

            #[test]
            fn every_listed_region() {
                #(check(&#tables);)*
            }
        }
    });

    let check_endpoint = uses.endpoint.then(|| {
        quote! {
            #[doc = " Asserts that `result` is the expected endpoint."]
            fn check_endpoint(
                result: Result<ResolvedEndpoint, EndpointError>,
                url: &str,
                headers: &[(&str, &[&str])],
                properties: serde_json::Value,
            ) {
                let endpoint = match result {
                    Ok(endpoint) => endpoint,
                    Err(e) => panic!("expected endpoint {url}, got error: {}", e.message()),
                };
                assert_eq!(endpoint.url, url);
                let headers: BTreeMap<String, Vec<String>> = headers
                    .iter()
                    .map(|(k, vs)| (k.to_string(), vs.iter().map(|v| v.to_string()).collect()))
                    .collect();
                assert_eq!(endpoint.headers, headers);
                let got = serde_json::Value::Object(endpoint.properties.into_iter().collect());
                assert_eq!(got, properties);
            }
        }
    });
    let check_not_endpoint = uses.not_endpoint.then(|| {
        quote! {
            #[doc = " Asserts that `result` is not the given endpoint (a recorded disagreement)."]
            fn check_not_endpoint(
                result: Result<ResolvedEndpoint, EndpointError>,
                url: &str,
                headers: &[(&str, &[&str])],
                properties: serde_json::Value,
            ) {
                let Ok(endpoint) = result else { return };
                let headers: BTreeMap<String, Vec<String>> = headers
                    .iter()
                    .map(|(k, vs)| (k.to_string(), vs.iter().map(|v| v.to_string()).collect()))
                    .collect();
                let got = serde_json::Value::Object(endpoint.properties.clone().into_iter().collect());
                assert!(
                    endpoint.url != url || endpoint.headers != headers || got != properties,
                    "the disagreement is gone: the resolver gives the model's expectation {url}"
                );
            }
        }
    });
    let check_not_error = uses.not_error.then(|| {
        quote! {
            #[doc = " Asserts that `result` is not an error with this message (a recorded disagreement)."]
            fn check_not_error(result: Result<ResolvedEndpoint, EndpointError>, message: &str) {
                if let Err(e) = result {
                    assert_ne!(
                        e.message(),
                        message,
                        "the disagreement is gone: the resolver gives the model's expectation"
                    );
                }
            }
        }
    });
    let check_error = uses.error.then(|| {
        quote! {
            #[doc = " Asserts that `result` is an error with exactly this message."]
            fn check_error(result: Result<ResolvedEndpoint, EndpointError>, message: &str) {
                match result {
                    Ok(endpoint) => panic!("expected error {message:?}, got endpoint {endpoint:?}"),
                    Err(e) => assert_eq!(e.message(), message),
                }
            }
        }
    });
    let btree = (uses.endpoint || uses.not_endpoint).then(|| {
        quote!(
            use std::collections::BTreeMap;
        )
    });
    let file_doc = " The endpoint rule set's test cases (`smithy.rules#endpointTests`). Generated; do not edit.";
    quote! {
        #![doc = #file_doc]
        use super::{resolve_endpoint_with, Params};
        use crate::rt::{EndpointError, ResolvedEndpoint};
        #btree

        #check_endpoint
        #check_error
        #check_not_endpoint
        #check_not_error
        #(#modules)*
    }
}
