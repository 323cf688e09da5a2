//! Endpoint rules in the IR: the service's `smithy.rules#endpointRuleSet` parsed and type-checked
//! ([`rules`], checked by `check.rs`), the AWS partition data checked ([`partitions`]), and the model's
//! `smithy.rules#endpointTests` cases with the outcome each must give ([`cases`], worked out by a
//! build-time evaluator). The emitter (`emit::endpoint`) only renders this: it compiles the rules
//! to straight-line Rust and writes the data and the tests.

mod cases;
mod check;
mod eval;
pub mod partitions;
#[path = "../../../runtime/src/rt/endpoint_lib/region_regex.rs"]
mod region_regex;
pub mod rules;

use std::fmt;

use serde::Serialize;
use serde_json::Value;

pub use cases::TestCase;
pub use eval::Outcome;
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
/// The model's test cases must pass against `test_partitions` as written; against `partitions`,
/// a case may differ only where the partition data changed for its region (the case then
/// records the new outcome and why).
pub fn lower(
    rule_set: &Value,
    tests: Option<&Value>,
    partitions: Option<&Value>,
    test_partitions: Option<&Value>,
) -> Result<EndpointRulesIr> {
    let rule_set = RuleSet::parse(rule_set)?;
    let shipped = match partitions {
        Some(data) => Partitions::parse(data, "partitions")?,
        None => {
            return Err(EndpointRulesError::new(
                "partitions",
                "the service has endpoint rules but no AWS partition data was given (the \
                 `partitions` file of its manifest entry, or `--partitions`)",
            ))
        }
    };
    let test_data = test_partitions
        .map(|p| Partitions::parse(p, "test_partitions"))
        .transpose()?;
    let tests = tests
        .map(|t| cases::cases(&rule_set, t, &shipped, test_data.as_ref()))
        .transpose()?;
    Ok(EndpointRulesIr {
        rule_set,
        partitions: shipped,
        test_partitions: test_data,
        tests,
    })
}
