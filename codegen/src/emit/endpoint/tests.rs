//! The model's endpoint test cases (checked and evaluated in the IR) -> `src/endpoint/tests.rs`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::json_tokens;
use crate::ir::endpoint::rules::Source;
use crate::ir::endpoint::{EndpointRulesIr, Outcome, TestCase};

#[derive(Default)]
struct Uses {
    endpoint: bool,
    error: bool,
}

fn test_fn(c: &TestCase, expect: &Outcome, extra_doc: &[String], uses: &mut Uses) -> TokenStream {
    let name = format_ident!("{}", c.fn_name);
    let doc = format!(" {}", c.doc);
    let extra = extra_doc.iter().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    let opt = |s: &Option<String>| match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    };
    let region = opt(&c.region);
    let endpoint = opt(&c.endpoint);
    let (fips, ds) = (c.use_fips, c.use_dual_stack);
    let check = match expect {
        Outcome::Endpoint {
            url,
            headers,
            properties,
        } => {
            uses.endpoint = true;
            let headers = headers.iter().map(|(k, vs)| quote!((#k, &[#(#vs),*][..])));
            let props = json_tokens(&Value::Object(properties.clone()));
            quote!(check_endpoint(result, #url, &[#(#headers),*], serde_json::json!(#props));)
        }
        Outcome::Error(m) => {
            uses.error = true;
            quote!(check_error(result, #m);)
        }
    };
    quote! {
        #[doc = #doc]
        #(#extra)*
        #[test]
        fn #name() {
            let result = resolve_endpoint_with(&params(#region, #fips, #ds, #endpoint), &PARTITIONS);
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
            .map(|c| test_fn(c, &c.expect, &[], &mut uses))
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
        .map(|c| test_fn(c, &c.shipped, &c.shipped_note, &mut uses))
        .collect();
    modules.push(quote! {
        #[doc = " The model's test cases against the partition data shipped with the client."]
        mod shipped_partition_data {
            use super::*;
            use super::super::partitions::PARTITIONS;
            #(#fns)*
        }
    });

    if rules
        .rule_set
        .params
        .iter()
        .any(|p| p.source == Source::Region)
    {
        let bad = [
            ("region_with_dot_and_path", "us-east-1.evil.example/"),
            ("region_with_userinfo", "us-east-1@evil.example"),
            ("region_with_fragment", "evil.example#"),
            ("empty_region", ""),
        ];
        let fns = bad.iter().map(|(name, region)| {
            let name = format_ident!("{}", name);
            let doc = format!(" Region {region:?} never reaches a URL.");
            quote! {
                #[doc = #doc]
                #[test]
                fn #name() {
                    for (use_fips, use_dual_stack) in [(false, false), (true, false), (false, true), (true, true)] {
                        let result = resolve_endpoint_with(
                            &params(Some(#region), use_fips, use_dual_stack, None),
                            &PARTITIONS,
                        );
                        assert!(
                            result.is_err(),
                            "region {:?} (FIPS {use_fips}, DualStack {use_dual_stack}) resolved to {result:?}",
                            #region
                        );
                    }
                }
            }
        });
        modules.push(quote! {
            #[doc = " A region that is not a valid DNS host label is an error, never a URL."]
            mod region_not_a_host_label {
                use super::*;
                use super::super::partitions::PARTITIONS;
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
    let btree = uses.endpoint.then(|| {
        quote!(
            use std::collections::BTreeMap;
        )
    });
    let file_doc = " The endpoint rule set's test cases (`smithy.rules#endpointTests`). Generated; do not edit.";
    quote! {
        #![doc = #file_doc]
        use super::resolve_endpoint_with;
        use crate::rt::{EndpointError, EndpointParams, ResolvedEndpoint};
        #btree

        #[doc = " The parameters of a case."]
        fn params(
            region: Option<&str>,
            use_fips: bool,
            use_dual_stack: bool,
            endpoint: Option<&str>,
        ) -> EndpointParams {
            EndpointParams {
                region: region.map(str::to_owned),
                use_fips,
                use_dual_stack,
                endpoint: endpoint.map(str::to_owned),
            }
        }

        #check_endpoint
        #check_error
        #(#modules)*
    }
}
