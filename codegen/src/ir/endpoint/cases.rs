//! The model's endpoint test cases (`smithy.rules#endpointTests`): their inputs as
//! `EndpointParams` fields, a Rust test name each, and the outcome each must give with each
//! partition data set: the model's own, or one written by hand where the shipped partition data
//! changes it. The build-time evaluator only checks these outcomes; it never supplies one.

use std::collections::{BTreeMap, HashMap, HashSet};

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
    /// What it gives with the shipped partition data: the model's expectation, or the one
    /// written by hand for this case (a [`HandExpectation`]).
    pub shipped: Outcome,
    /// Why `shipped` differs from `expect`, as documentation lines (empty when it does not).
    pub shipped_note: Vec<String>,
}

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
/// case must give what it expects with that data; with the `shipped` data, each must give the
/// model's expectation or the one written by hand for it in `expectations` (see
/// [`shipped_expectation`]). A hand-written expectation that names no case is an error.
pub(super) fn cases(
    rules: &RuleSet,
    tests: &Value,
    shipped: &Partitions,
    test_data: Option<&Partitions>,
    expectations: &[HandExpectation],
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
        let (shipped, note) =
            shipped_expectation(rules, c, given, shipped, test_data, expectations)?;
        c.shipped = shipped;
        c.shipped_note = note;
    }
    if let Some(unused) = expectations
        .iter()
        .find(|e| !cases.iter().any(|c| c.case.doc == e.documentation))
    {
        return Err(EndpointRulesError::new(
            "endpoint expectations",
            format!(
                "the hand-written expectation for `{}` names no endpoint test case of the model",
                unused.documentation
            ),
        ));
    }
    Ok(cases.into_iter().map(|c| c.case).collect())
}

/// What case `c` must resolve to with the shipped partition data, and the extra rustdoc lines of
/// its test. The expected outcome is the model's, or the one written by hand for this case; the
/// build-time evaluator only checks it (a disagreement is an error that asks for a hand-written
/// expectation, or says the hand-written one is wrong).
fn shipped_expectation(
    rules: &RuleSet,
    c: &TestCase,
    given: &HashMap<String, V>,
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
    match eval::evaluate(rules, given, shipped) {
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
        // the generated test checks it against the emitted resolver.
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
