//! The model's endpoint test cases (`smithy.rules#endpointTests`): their inputs as
//! `EndpointParams` fields, a Rust test name each, and the outcome each must give with each
//! partition data set, worked out by the build-time evaluator.

use std::collections::{HashMap, HashSet};

use heck::ToSnakeCase;
use serde::Serialize;
use serde_json::Value;

use super::eval::{self, Outcome, V};
use super::partitions::Partitions;
use super::rules::{RuleSet, Source};
use super::{EndpointRulesError, Result};

/// One test case.
#[derive(Debug, Clone, Serialize)]
pub struct TestCase {
    /// Its documentation (the model's, else `test case <i>`).
    pub doc: String,
    /// The test function's name (snake case of the documentation, unique).
    pub fn_name: String,
    /// `EndpointParams::region`.
    pub region: Option<String>,
    /// `EndpointParams::use_fips`.
    pub use_fips: bool,
    /// `EndpointParams::use_dual_stack`.
    pub use_dual_stack: bool,
    /// `EndpointParams::endpoint`.
    pub endpoint: Option<String>,
    /// What the model expects (checked against the test partition data, when given).
    pub expect: Outcome,
    /// What it gives with the shipped partition data: the model's expectation, unless the
    /// shipped data changed it.
    pub shipped: Outcome,
    /// Why `shipped` differs from `expect`, as documentation lines (empty when it does not).
    pub shipped_note: Vec<String>,
}

/// A case as read from the model, with its parameters for the evaluator.
struct Case {
    case: TestCase,
    given: HashMap<String, V>,
}

fn parse_case(rules: &RuleSet, case: &Value, i: usize) -> Result<Case> {
    let path = format!("endpointTests.testCases[{i}]");
    let doc = case
        .get("documentation")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("test case {i}"));
    let mut c = TestCase {
        fn_name: String::new(),
        doc,
        region: None,
        use_fips: false,
        use_dual_stack: false,
        endpoint: None,
        expect: Outcome::Error(String::new()),
        shipped: Outcome::Error(String::new()),
        shipped_note: Vec::new(),
    };
    let mut given = HashMap::new();
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
            given.insert(name.clone(), eval::json_to_v(v));
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
        let mut headers = std::collections::BTreeMap::new();
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
    c.shipped = c.expect.clone();
    Ok(Case { case: c, given })
}

fn describe(o: &Outcome) -> String {
    match o {
        Outcome::Endpoint { url, .. } => format!("endpoint `{url}`"),
        Outcome::Error(m) => format!("error \"{m}\""),
    }
}

/// The test cases of `tests` (the `smithy.rules#endpointTests` value). With `test_data`, each
/// case must give what it expects with that data; with the `shipped` data, a case may give
/// something else only where the partition data changed for its region, which its
/// `shipped_note` then explains.
pub(super) fn cases(
    rules: &RuleSet,
    tests: &Value,
    shipped: &Partitions,
    test_data: Option<&Partitions>,
) -> Result<Vec<TestCase>> {
    let list = tests
        .get("testCases")
        .and_then(Value::as_array)
        .ok_or_else(|| EndpointRulesError::new("endpointTests", "missing `testCases` array"))?;
    let mut cases = Vec::new();
    let mut names = HashSet::new();
    for (i, case) in list.iter().enumerate() {
        let mut c = parse_case(rules, case, i)?;
        let mut base: String = c
            .case
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
        c.case.fn_name = name;
        cases.push(c);
    }

    if let Some(test_data) = test_data {
        for Case { case: c, given } in &cases {
            // Self-check of the evaluator: the model's expectations hold for the data they were
            // written against.
            if let Ok(got) = eval::evaluate(rules, given, test_data) {
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
        }
    }

    for Case { case: c, given } in &mut cases {
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
        let explained = test_data
            .and_then(region_diff)
            .filter(|(_, d)| !d.is_empty());
        match eval::evaluate(rules, given, shipped) {
            Ok(got) if got == c.expect => {}
            Ok(got) => {
                let Some((partition, diff)) = &explained else {
                    return Err(EndpointRulesError::new(
                        format!("endpointTests `{}`", c.doc),
                        format!(
                            "the model expects {} but the rules give {} with the shipped partition \
                             data, and no partition data change explains it",
                            describe(&c.expect),
                            describe(&got)
                        ),
                    ));
                };
                c.shipped_note = vec![
                    String::new(),
                    format!(
                        "Differs from the model's case, which expects {} and was written against older \
                         partition data.",
                        describe(&c.expect)
                    ),
                    format!(
                        "In the shipped data, partition `{partition}` changed: {}; so the rules now give {}.",
                        diff.join(", "),
                        describe(&got)
                    ),
                ];
                c.shipped = got;
            }
            Err(unsupported) => {
                if explained.is_some() {
                    return Err(EndpointRulesError::new(
                        format!("endpointTests `{}`", c.doc),
                        format!(
                            "not supported: the partition data changed for this case and the build-time \
                             evaluator cannot work out the new outcome ({unsupported})"
                        ),
                    ));
                }
            }
        }
    }
    Ok(cases.into_iter().map(|c| c.case).collect())
}
