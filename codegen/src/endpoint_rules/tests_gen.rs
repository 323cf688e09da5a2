//! `smithy.rules#endpointTests` -> `src/endpoint/tests.rs`.

use super::compile::{RuleSet, Source};
use super::eval::{self, Outcome, V};
use super::partitions::Partitions;
use super::{json_tokens, EndpointRulesError, HandExpectation, HandOutcome, Result};
use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One test case, with its inputs as `EndpointParams` fields and for the evaluator.
struct Case {
    doc: String,
    fn_name: String,
    region: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    endpoint: Option<String>,
    given: HashMap<String, V>,
    expect: Outcome,
}

fn parse_case(rules: &RuleSet, case: &Value, i: usize) -> Result<Case> {
    let path = format!("endpointTests.testCases[{i}]");
    let doc = case
        .get("documentation")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("test case {i}"));
    let mut c = Case {
        fn_name: String::new(),
        doc,
        region: None,
        use_fips: false,
        use_dual_stack: false,
        endpoint: None,
        given: HashMap::new(),
        expect: Outcome::Error(String::new()),
    };
    if let Some(params) = case.get("params").and_then(Value::as_object) {
        for (name, v) in params {
            let ppath = format!("{path}.params.{name}");
            let p = rules
                .params
                .iter()
                .find(|p| &p.name == name)
                .ok_or_else(|| {
                    EndpointRulesError::new(&ppath, format!("`{name}` is not a rule-set parameter"))
                })?;
            let bad = || EndpointRulesError::new(&ppath, format!("bad value {v} for `{name}`"));
            match &p.source {
                Source::Region => c.region = Some(v.as_str().ok_or_else(bad)?.to_owned()),
                Source::Endpoint => c.endpoint = Some(v.as_str().ok_or_else(bad)?.to_owned()),
                Source::UseFips => c.use_fips = v.as_bool().ok_or_else(bad)?,
                Source::UseDualStack => c.use_dual_stack = v.as_bool().ok_or_else(bad)?,
                Source::Constant(d) if d == v => {}
                Source::Constant(d) => {
                    return Err(EndpointRulesError::new(
                        &ppath,
                        format!(
                        "not supported: setting constant parameter `{name}` (default {d}) to {v}"
                    ),
                    ))
                }
            }
            c.given.insert(name.clone(), eval::json_to_v(v));
        }
    }
    let expect = case
        .get("expect")
        .ok_or_else(|| EndpointRulesError::new(&path, "missing `expect`"))?;
    c.expect = if let Some(msg) = expect.get("error") {
        Outcome::Error(
            msg.as_str()
                .ok_or_else(|| EndpointRulesError::new(&path, "`expect.error` is not a string"))?
                .to_owned(),
        )
    } else if let Some(ep) = expect.get("endpoint") {
        let url = ep
            .get("url")
            .and_then(Value::as_str)
            .ok_or_else(|| EndpointRulesError::new(&path, "`expect.endpoint.url` missing"))?
            .to_owned();
        let mut headers = BTreeMap::new();
        for (k, vs) in ep
            .get("headers")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let vs = vs
                .as_array()
                .ok_or_else(|| {
                    EndpointRulesError::new(&path, format!("header `{k}` is not a list"))
                })?
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    EndpointRulesError::new(&path, format!("header `{k}` has a non-string"))
                })?;
            headers.insert(k.clone(), vs);
        }
        let properties = ep
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        Outcome::Endpoint {
            url,
            headers,
            properties,
        }
    } else {
        return Err(EndpointRulesError::new(
            &path,
            "`expect` has neither `endpoint` nor `error`",
        ));
    };
    Ok(c)
}

fn describe(o: &Outcome) -> String {
    match o {
        Outcome::Endpoint { url, .. } => format!("endpoint `{url}`"),
        Outcome::Error(m) => format!("error \"{m}\""),
    }
}

#[derive(Default)]
struct Uses {
    endpoint: bool,
    error: bool,
}

fn test_fn(c: &Case, expect: &Outcome, extra_doc: &[String], uses: &mut Uses) -> TokenStream {
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

impl HandOutcome {
    fn to_outcome(&self) -> Outcome {
        match self {
            HandOutcome::Url(url) => Outcome::Endpoint {
                url: url.clone(),
                headers: BTreeMap::new(),
                properties: serde_json::Map::new(),
            },
            HandOutcome::Error(message) => Outcome::Error(message.clone()),
        }
    }
}

/// What case `c` must resolve to with the shipped partition data, and the extra rustdoc lines
/// of its test. The expected outcome is the model's, or the one written by hand for this case;
/// the build-time evaluator only checks it (a disagreement is an error that asks for a
/// hand-written expectation, or says the hand-written one is wrong).
fn shipped_expectation(
    rules: &RuleSet,
    c: &Case,
    shipped: &Partitions,
    test_data: Option<&Partitions>,
    expectations: &[HandExpectation],
) -> Result<(Outcome, Vec<String>)> {
    let at = || format!("endpointTests `{}`", c.doc);
    let mut hand = expectations.iter().filter(|e| e.documentation == c.doc);
    let (hand, again) = (hand.next(), hand.next());
    if again.is_some() {
        return Err(EndpointRulesError::new(
            at(),
            "the expected outcome is written by hand more than once",
        ));
    }
    let region_diff = |data: &Partitions| -> Option<(String, Vec<String>)> {
        let region = c.region.as_deref()?;
        let (p_old, old) = data.resolve(region)?;
        let (p_new, new) = shipped.resolve(region)?;
        let mut diff = old.diff(&new);
        if p_old.id != p_new.id {
            diff.insert(0, format!("partition `{}` -> `{}`", p_old.id, p_new.id));
        }
        Some((p_new.id.clone(), diff))
    };
    let changed = test_data
        .and_then(region_diff)
        .filter(|(_, d)| !d.is_empty());
    let changed_text = changed.as_ref().map(|(partition, diff)| {
        format!(
            "in the shipped data, partition `{partition}` changed: {}",
            diff.join(", ")
        )
    });
    let expect = match hand {
        Some(h) => {
            let outcome = h.outcome.to_outcome();
            if outcome == c.expect {
                return Err(EndpointRulesError::new(
                    at(),
                    format!(
                        "the hand-written expectation is the model's own ({}): remove it",
                        describe(&outcome)
                    ),
                ));
            }
            outcome
        }
        None => c.expect.clone(),
    };
    match eval::evaluate(rules, &c.given, shipped) {
        Ok(got) if got == expect => {}
        Ok(got) => {
            let message = match hand {
                Some(_) => format!(
                    "the hand-written expectation is {} but the rules give {} with the shipped \
                     partition data",
                    describe(&expect),
                    describe(&got)
                ),
                None => format!(
                    "the model expects {} but the rules give {} with the shipped partition data \
                     ({}): write the expected outcome against the shipped data by hand \
                     (`endpoint_expectation` in the manifest)",
                    describe(&expect),
                    describe(&got),
                    changed_text
                        .as_deref()
                        .unwrap_or("and no partition data change explains it")
                ),
            };
            return Err(EndpointRulesError::new(at(), message));
        }
        Err(unsupported) if hand.is_none() && changed.is_some() => {
            return Err(EndpointRulesError::new(
                at(),
                format!(
                    "not supported: the partition data changed for this case and the build-time \
                     evaluator cannot check the model's expectation against it ({unsupported}): \
                     write the expected outcome by hand (`endpoint_expectation` in the manifest)"
                ),
            ));
        }
        // The evaluator cannot follow these rules: the expected outcome is still the model's
        // (the partition outputs this case sees did not change) or the hand-written one, and
        // the generated test checks it against the compiled resolver.
        Err(_) => {}
    }
    let Some(hand) = hand else {
        return Ok((expect, Vec::new()));
    };
    let mut lines = vec![
        String::new(),
        format!(
            "Differs from the model's case, which expects {} and was written against older \
             partition data.",
            describe(&c.expect)
        ),
        format!("Expected outcome written by hand: {}", hand.because),
    ];
    if let Some((partition, diff)) = &changed {
        lines.push(format!(
            "In the shipped data, partition `{partition}` changed: {}.",
            diff.join(", ")
        ));
    }
    Ok((expect, lines))
}

/// Generates the test module.
pub(crate) fn generate(
    rules: &RuleSet,
    tests: &Value,
    shipped: &Partitions,
    test_data: Option<&Partitions>,
    expectations: &[HandExpectation],
) -> Result<TokenStream> {
    let list = tests
        .get("testCases")
        .and_then(Value::as_array)
        .ok_or_else(|| EndpointRulesError::new("endpointTests", "missing `testCases` array"))?;
    let mut cases = Vec::new();
    let mut names = HashSet::new();
    for (i, case) in list.iter().enumerate() {
        let mut c = parse_case(rules, case, i)?;
        let mut base: String = c
            .doc
            .to_snake_case()
            .chars()
            .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '_' })
            .collect();
        if base.is_empty() || base.starts_with(|ch: char| ch.is_ascii_digit()) {
            base.insert_str(0, "case_");
        }
        let mut name = base.clone();
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        c.fn_name = name;
        cases.push(c);
    }

    let mut uses = Uses::default();
    let mut modules = Vec::new();

    if let Some(test_data) = test_data {
        let mut fns = Vec::new();
        for c in &cases {
            // Self-check of the evaluator: the model's expectations hold for the data they were
            // written against.
            if let Ok(got) = eval::evaluate(rules, &c.given, test_data) {
                if got != c.expect {
                    return Err(EndpointRulesError::new(
                        format!("endpointTests `{}`", c.doc),
                        format!(
                            "the model expects {} but the rules give {} with the test partition data",
                            describe(&c.expect),
                            describe(&got)
                        ),
                    ));
                }
            }
            fns.push(test_fn(c, &c.expect, &[], &mut uses));
        }
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

    let mut fns = Vec::new();
    for c in &cases {
        let (expect, extra) = shipped_expectation(rules, c, shipped, test_data, expectations)?;
        fns.push(test_fn(c, &expect, &extra, &mut uses));
    }
    if let Some(unused) = expectations
        .iter()
        .find(|e| !cases.iter().any(|c| c.doc == e.documentation))
    {
        return Err(EndpointRulesError::new(
            "endpoint expectations",
            format!(
                "the hand-written expectation for `{}` names no endpoint test case of the model",
                unused.documentation
            ),
        ));
    }
    modules.push(quote! {
        #[doc = " The model's test cases against the partition data shipped with the client."]
        mod shipped_partition_data {
            use super::*;
            use super::super::partitions::PARTITIONS;
            #(#fns)*
        }
    });

    if rules.params.iter().any(|p| p.source == Source::Region) {
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
    Ok(quote! {
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
    })
}
