//! Endpoint rules in the IR: the service's `smithy.rules#endpointRuleSet` parsed and type-checked
//! ([`rules`], checked by `check.rs`), the AWS partition data checked ([`partitions`]), and the
//! model's `smithy.rules#endpointTests` cases with the outcome each must give (`cases.rs`: the
//! model's, or one written by hand where the shipped partition data changes it, both checked by a
//! build-time evaluator). The emitter (`emit::endpoint`) only renders this: it compiles the rules
//! to straight-line Rust and writes the data and the tests.
//!
//! The runtime half (the standard library functions) is `runtime/src/endpoint/mod.rs`.

mod bindings;
mod cases;
mod check;
mod eval;
pub mod partitions;
pub mod path;
#[path = "../../../../runtime/src/endpoint/region_regex.rs"]
mod region_regex;
pub mod rules;

use std::fmt;

use serde::Serialize;
use serde_json::Value;

pub use bindings::{client_params, operation as operation_bindings, Binding, Bound, ClientParam};
pub use cases::{describe, CaseParam, Check, HandExpectation, HandOutcome, TestCase};
pub use eval::{Outcome, PartitionRead};
use partitions::Partitions;
use rules::RuleSet;

/// The endpoint rules of a service, ready to render.
#[derive(Debug, Clone, Serialize)]
pub struct EndpointRulesIr {
    /// The rule set.
    pub rule_set: RuleSet,
    /// The partition data the client ships (for `aws.partition`).
    pub partitions: Partitions,
    /// The partition data the model's test cases were written against, when given.
    pub test_partitions: Option<Partitions>,
    /// The model's test cases, when it has them.
    pub tests: Option<Vec<TestCase>>,
    /// The client context parameters: settings of the generated configuration.
    pub client_params: Vec<ClientParam>,
    /// The parameters some operation or the configuration binds (their bound value wins over
    /// the built-in's).
    pub bound: Vec<String>,
}

/// Why the rule set, its tests or the partition data could not be used.
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

/// Lowers an endpoint rule set (the value of the `smithy.rules#endpointRuleSet` trait), its test
/// cases (`smithy.rules#endpointTests`, optional), the partition data the generated client ships
/// (`partitions.json`, required) and, optionally, the partition data the test
/// cases were written against.
///
/// The model's test cases must pass against `test_partitions` as written. Against `partitions`,
/// expected outcomes come from the model or, where the shipped partition data changes a case's
/// outcome, from `expectations` (written by hand); the case then records why. The build-time
/// rule evaluator never supplies an expected value: it only checks them, and a case it finds
/// changed without a hand-written expectation (or a hand-written one it disagrees with, one that
/// repeats the model's, or one naming no case) is an error.
pub fn lower(
    rule_set: &Value,
    tests: Option<&Value>,
    partitions: Option<&Value>,
    test_partitions: Option<&Value>,
    expectations: &[HandExpectation],
) -> Result<EndpointRulesIr> {
    lower_parsed(
        RuleSet::parse(rule_set)?,
        tests,
        partitions,
        test_partitions,
        expectations,
    )
}

/// [`lower`] for a rule set already parsed (its client context parameters and bindings are
/// filled in by the caller).
pub fn lower_parsed(
    rule_set: RuleSet,
    tests: Option<&Value>,
    partitions: Option<&Value>,
    test_partitions: Option<&Value>,
    expectations: &[HandExpectation],
) -> Result<EndpointRulesIr> {
    let shipped = match partitions {
        Some(data) => Partitions::parse(data, "partitions")?,
        None => {
            let why = if rule_set.calls(rules::Function::AwsPartition) {
                "the service's endpoint rules call `aws.partition`, which needs AWS partition data"
            } else {
                "the generated endpoint module ships AWS partition data"
            };
            return Err(EndpointRulesError::new(
                "partitions",
                format!(
                    "{why}, and none was given: pass `--partitions <partitions.json>` (or set \
                     `partitions` in the manifest entry); the AWS SDKs publish the file as \
                     `partitions.json`"
                ),
            ));
        }
    };
    let test_data = test_partitions
        .map(|p| Partitions::parse(p, "test_partitions"))
        .transpose()?;
    let tests = match tests {
        Some(t) => Some(cases::cases(
            &rule_set,
            t,
            &shipped,
            test_data.as_ref(),
            expectations,
        )?),
        None => {
            if let Some(unused) = expectations.first() {
                return Err(EndpointRulesError::new(
                    "endpoint expectations",
                    format!(
                        "a hand-written expectation names the endpoint test case `{}`, but the \
                         model has no endpoint tests",
                        unused.documentation
                    ),
                ));
            }
            None
        }
    };
    Ok(EndpointRulesIr {
        rule_set,
        partitions: shipped,
        test_partitions: test_data,
        tests,
        client_params: Vec::new(),
        bound: Vec::new(),
    })
}
