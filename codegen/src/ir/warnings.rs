//! What a run tells its user without failing, worked out from the IR: operations the crate
//! leaves out, and endpoint test cases that disagree with the partition data in use (one
//! warning per case, then a summary for the service).

use std::fmt;

use super::endpoint::{describe, Check};
use super::ServiceIr;

/// A warning about the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What it is about, e.g. `operation StartStream` or `endpoint test case "..."`.
    pub subject: String,
    /// What happened and what the crate does about it.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.message)
    }
}

/// The warnings of `ir`, in a fixed order: left-out operations, then endpoint test cases (each
/// once), then the endpoint summary.
pub fn warnings(ir: &ServiceIr) -> Vec<Warning> {
    let mut out: Vec<Warning> = ir
        .left_out
        .iter()
        .map(|op| Warning {
            subject: format!("operation `{}`", op.name),
            message: format!(
                "left out of the crate: {} (listed in its README and docs; `--strict` or \
                 `strict = true` makes this an error)",
                op.reason
            ),
        })
        .collect();
    let Some(cases) = ir.endpoint_rules.as_ref().and_then(|r| r.tests.as_ref()) else {
        return out;
    };
    let mut shipped = 0;
    let mut test_data = 0;
    for c in cases {
        let subject = format!("endpoint test case \"{}\"", c.doc);
        match &c.shipped_check {
            Check::Holds => {}
            Check::Disagrees { gives, why } => {
                shipped += 1;
                out.push(Warning {
                    subject: subject.clone(),
                    message: format!(
                        "disagrees with the shipped partition data: the model expects {}, the \
                         rules give {gives}. {} Recorded as an inverted test in \
                         src/endpoint/tests.rs.",
                        describe(&c.shipped),
                        why.join(" ")
                    ),
                });
            }
            Check::Unchecked { reason } => {
                shipped += 1;
                out.push(Warning {
                    subject: subject.clone(),
                    message: format!("its generated test is ignored: {reason}"),
                });
            }
        }
        if let Check::Disagrees { gives, why } = &c.test_data_check {
            test_data += 1;
            out.push(Warning {
                subject,
                message: format!(
                    "does not hold with the test partition data: the model expects {}, the rules \
                     give {gives}. {} Recorded as an inverted test.",
                    describe(&c.expect),
                    why.join(" ")
                ),
            });
        }
    }
    if shipped > 0 {
        out.push(Warning {
            subject: "endpoint tests".to_owned(),
            message: format!(
                "{shipped} of {} test cases disagree with the shipped partition data (the model's \
                 cases were written against other partition data): pass the data they were \
                 written against with `--test-partitions` (or `test_partitions` in the manifest) \
                 to also run them as written, or write their outcomes against the shipped data \
                 by hand (`endpoint_expectation`)",
                cases.len()
            ),
        });
    }
    if test_data > 0 {
        out.push(Warning {
            subject: "endpoint tests".to_owned(),
            message: format!(
                "{test_data} of {} test cases do not hold with the test partition data given: is \
                 it the data the model's cases were written against?",
                cases.len()
            ),
        });
    }
    out
}
