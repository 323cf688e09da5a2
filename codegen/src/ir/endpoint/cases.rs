//! The model's endpoint test cases (`smithy.rules#endpointTests`): their parameter values, a Rust
//! test name each, and the outcome each must give with each partition data set: the model's own,
//! or one written by hand where the shipped partition data changes it. The build-time evaluator
//! only checks these outcomes; it never supplies one. A case it finds disagreeing with the data
//! in use does not stop generation: the case records the disagreement (what the model expects,
//! what the data gives, and why), and its generated test says so.

use std::collections::{BTreeMap, HashMap, HashSet};

use heck::ToSnakeCase;
use serde::Serialize;
use serde_json::Value;

use super::eval::{self, Evaluation, Outcome, PartitionRead, V};
use super::partitions::Partitions;
use super::rules::{ParamType, RuleSet};
use super::{EndpointRulesError, Result};

/// One test case.
#[derive(Debug, Clone, Serialize)]
pub struct TestCase {
    /// Its documentation (the model's, else `test case <i>`).
    pub doc: String,
    /// The test function's name (snake case of the documentation, unique).
    pub fn_name: String,
    /// The parameters the case sets, in rule-set order: the `Params` field, its type, whether
    /// the field is plain (not an `Option`), and the value (a string, a boolean or a list of
    /// strings).
    pub params: Vec<CaseParam>,
    /// What the model expects.
    pub expect: Outcome,
    /// How the model's expectation stands against the test partition data, when given.
    pub test_data_check: Check,
    /// What the generated test asserts with the shipped partition data: the model's expectation,
    /// or the one written by hand for this case (a [`HandExpectation`]).
    pub shipped: Outcome,
    /// Why `shipped` differs from `expect` when it was written by hand, as documentation lines.
    pub shipped_note: Vec<String>,
    /// How `shipped` stands against the shipped partition data.
    pub shipped_check: Check,
}

/// A parameter value of a case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseParam {
    /// The parameter's name in the rule set.
    pub name: String,
    /// The `Params` field.
    pub field: String,
    /// Its type.
    pub ty: ParamType,
    /// Whether the field is a plain value (else an `Option`).
    pub plain: bool,
    /// The value.
    pub value: Value,
}

/// How an expected outcome stands against a partition data set, as far as the build-time
/// evaluator can tell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Check {
    /// The rules give the expected outcome (or the evaluator could not follow them and nothing
    /// this case reads in the data changed): the test asserts it.
    Holds,
    /// The rules give something else with this data. The test asserts that the resolver does
    /// NOT give the expected outcome, and its documentation says why.
    Disagrees {
        /// What the evaluator found the rules give (for people; never asserted).
        gives: String,
        /// Why, as sentences (e.g. which partition attribute differs).
        why: Vec<String>,
    },
    /// The evaluator could not follow the rules for this case and the partition data it reads
    /// changed: the test is ignored, with this reason.
    Unchecked {
        /// Why.
        reason: String,
    },
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
    let mut given = HashMap::new();
    let mut params = Vec::new();
    let values = case.get("params").and_then(Value::as_object);
    for p in &rules.params {
        let Some(v) = values.and_then(|values| values.get(&p.name)) else {
            continue;
        };
        let fits = match p.ty {
            ParamType::String => v.is_string(),
            ParamType::Boolean => v.is_boolean(),
            ParamType::StringArray => v
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_string)),
        };
        if !fits {
            return Err(EndpointRulesError::new(
                format!("{path}.params.{}", p.name),
                format!(
                    "bad value {v} for `{}` (a parameter of type `{}`)",
                    p.name,
                    p.ty.name()
                ),
            ));
        }
        given.insert(p.name.clone(), eval::json_to_v(v));
        params.push(CaseParam {
            name: p.name.clone(),
            field: p.field.clone(),
            ty: p.ty,
            plain: p.plain(),
            value: v.clone(),
        });
    }
    if let Some(unknown) = values
        .into_iter()
        .flatten()
        .map(|(name, _)| name)
        .find(|name| !rules.params.iter().any(|p| &p.name == *name))
    {
        return Err(EndpointRulesError::new(
            format!("{path}.params.{unknown}"),
            format!("`{unknown}` is not a rule-set parameter"),
        ));
    }
    let expect = parse_expect(case, &path)?;
    Ok(Case {
        case: TestCase {
            doc,
            fn_name: String::new(),
            params,
            shipped: expect.clone(),
            expect,
            test_data_check: Check::Holds,
            shipped_note: Vec::new(),
            shipped_check: Check::Holds,
        },
        given,
    })
}

fn parse_expect(case: &Value, path: &str) -> Result<Outcome> {
    let expect = case
        .get("expect")
        .ok_or_else(|| EndpointRulesError::new(path, "missing `expect`"))?;
    if let Some(msg) = expect.get("error") {
        return Ok(Outcome::Error(
            msg.as_str()
                .ok_or_else(|| EndpointRulesError::new(path, "`expect.error` is not a string"))?
                .to_owned(),
        ));
    }
    let Some(ep) = expect.get("endpoint") else {
        return Err(EndpointRulesError::new(
            path,
            "`expect` has neither `endpoint` nor `error`",
        ));
    };
    let url = ep
        .get("url")
        .and_then(Value::as_str)
        .ok_or_else(|| EndpointRulesError::new(path, "`expect.endpoint.url` missing"))?
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
            .ok_or_else(|| EndpointRulesError::new(path, format!("header `{k}` is not a list")))?
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                EndpointRulesError::new(path, format!("header `{k}` has a non-string"))
            })?;
        headers.insert(k.clone(), vs);
    }
    let properties = ep
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    Ok(Outcome::Endpoint {
        url,
        headers,
        properties,
    })
}

/// A short description of an outcome, for messages and documentation.
pub fn describe(o: &Outcome) -> String {
    match o {
        Outcome::Endpoint { url, .. } => format!("endpoint `{url}`"),
        Outcome::Error(m) => format!("error \"{m}\""),
    }
}

/// The test cases of `tests` (the `smithy.rules#endpointTests` value), each checked against the
/// test partition data (when given) and the shipped data. With the shipped data each case must
/// give the model's expectation or the one written by hand for it in `expectations` (see
/// [`shipped_expectation`]). A hand-written expectation that names no case, repeats the model's
/// or disagrees with the rules is an error: it is the generator's input, written for this data.
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
        for Case { case: c, given } in &mut cases {
            // The model's expectations should hold for the data they were written against; a
            // case that does not is recorded (the data given is not the one it was written for,
            // or the evaluator is wrong: the generated test tells which).
            if let Ok(Evaluation { outcome, reads }) = eval::evaluate(rules, given, test_data) {
                if outcome != c.expect {
                    c.test_data_check = Check::Disagrees {
                        gives: describe(&outcome),
                        why: reads_text("the test partition data", &reads),
                    };
                }
            }
        }
    }

    for Case { case: c, given } in &mut cases {
        let (shipped, note, check) =
            shipped_expectation(rules, c, given, shipped, test_data, expectations)?;
        c.shipped = shipped;
        c.shipped_note = note;
        c.shipped_check = check;
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

/// The partition attributes a case read, as one sentence per partition.
fn reads_text(data: &str, reads: &[PartitionRead]) -> Vec<String> {
    let mut by_partition: Vec<(String, String, Vec<String>)> = Vec::new();
    for r in reads {
        let entry = format!("{} = {}", r.attribute, r.value);
        match by_partition
            .iter_mut()
            .find(|(region, p, _)| region == &r.region && p == &r.partition)
        {
            Some((_, _, attrs)) => attrs.push(entry),
            None => by_partition.push((r.region.clone(), r.partition.clone(), vec![entry])),
        }
    }
    by_partition
        .into_iter()
        .map(|(region, partition, attrs)| {
            format!(
                "In {data}, region `{region}` is in partition `{partition}`, where the rules read \
                 {}.",
                attrs.join(", ")
            )
        })
        .collect()
}

/// What case `c` must resolve to with the shipped partition data, the extra rustdoc lines of its
/// test, and how it stands. The expected outcome is the model's, or the one written by hand for
/// this case; the build-time evaluator only checks it.
fn shipped_expectation(
    rules: &RuleSet,
    c: &TestCase,
    given: &HashMap<String, V>,
    shipped: &Partitions,
    test_data: Option<&Partitions>,
    expectations: &[HandExpectation],
) -> Result<(Outcome, Vec<String>, Check)> {
    let at = || format!("endpointTests `{}`", c.doc);
    let mut hand = expectations.iter().filter(|e| e.documentation == c.doc);
    let (hand, again) = (hand.next(), hand.next());
    if again.is_some() {
        return Err(EndpointRulesError::new(
            at(),
            "the expected outcome is written by hand more than once",
        ));
    }
    // How the partition data of the case's region changed from the test data to the shipped.
    let region = c
        .params
        .iter()
        .find(|p| p.name == "Region" || p.field == "region")
        .and_then(|p| p.value.as_str());
    let changed = test_data.and_then(|data| {
        let region = region?;
        let (p_old, old) = data.resolve(region)?;
        let (p_new, new) = shipped.resolve(region)?;
        let mut diff = old.diff(&new);
        if p_old.id != p_new.id {
            diff.insert(0, format!("partition `{}` -> `{}`", p_old.id, p_new.id));
        }
        (!diff.is_empty()).then(|| {
            format!(
                "Partition `{}` (region `{region}`) differs between the test partition data and \
                 the shipped data: {}.",
                p_new.id,
                diff.join(", ")
            )
        })
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
    let check = match eval::evaluate(rules, given, shipped) {
        Ok(got) if got.outcome == expect => Check::Holds,
        Ok(got) => {
            if hand.is_some() {
                return Err(EndpointRulesError::new(
                    at(),
                    format!(
                        "the hand-written expectation is {} but the rules give {} with the \
                         shipped partition data",
                        describe(&expect),
                        describe(&got.outcome)
                    ),
                ));
            }
            let mut why: Vec<String> = changed.iter().cloned().collect();
            why.extend(reads_text("the shipped partition data", &got.reads));
            if why.is_empty() {
                why.push(
                    "No partition attribute explains it (the rules read none for this case)."
                        .to_owned(),
                );
            }
            Check::Disagrees {
                gives: describe(&got.outcome),
                why,
            }
        }
        Err(unsupported) => match &changed {
            Some(change) if hand.is_none() => Check::Unchecked {
                reason: format!(
                    "the build-time rule evaluator cannot follow these rules ({unsupported}) and \
                     the partition data of this case changed: {change}"
                ),
            },
            // The evaluator cannot follow these rules, but nothing the case reads changed (or
            // its outcome is written by hand): the test asserts the expected outcome.
            _ => Check::Holds,
        },
    };
    let Some(hand) = hand else {
        return Ok((expect, Vec::new(), check));
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
    if let Some(change) = &changed {
        lines.push(change.clone());
    }
    Ok((expect, lines, check))
}
