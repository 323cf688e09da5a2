//! The change report as text (for people), as JSON (for tools), and as the one-line summary
//! `cargo xtask codegen` prints.

use serde::Serialize;

use super::change::{ApiDiff, Change, ChangeClass};
use super::semver::{next_version, verdict_line, Bump};

/// The one-line summary: counts per class and the verdict, e.g.
/// `1 breaking, 2 additive; semver: major (0.1.0 -> 0.2.0; ...)`.
pub fn summary(diff: &ApiDiff) -> String {
    if diff.is_empty() {
        return format!(
            "no API changes; {}",
            verdict_line(&diff.base_version, Bump::None)
        );
    }
    format!(
        "{}; {}",
        counts(diff),
        verdict_line(&diff.base_version, diff.verdict())
    )
}

/// `1 breaking, 2 additive` (classes without changes left out).
pub fn counts(diff: &ApiDiff) -> String {
    ChangeClass::ALL
        .iter()
        .filter_map(|&class| {
            let n = diff.count(class);
            (n > 0).then(|| class.count(n))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The full report; `base` and `new` say what was compared. The last line is the verdict.
pub fn text(diff: &ApiDiff, base: &str, new: &str) -> String {
    let mut out = format!(
        "API changes of {} ({} {}): {base} -> {new}\n",
        diff.crate_name, diff.title, diff.api_version
    );
    for class in ChangeClass::ALL {
        let changes: Vec<&Change> = diff.of(class).collect();
        if changes.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{} ({}):\n", class.heading(), changes.len()));
        for change in changes {
            out.push_str(&format!("  {}: {}\n", change.item, change.change));
        }
    }
    if diff.is_empty() {
        out.push_str("\nno changes users can see\n");
    } else {
        out.push_str(&format!("\n{}\n", counts(diff)));
    }
    out.push_str(&verdict_line(&diff.base_version, diff.verdict()));
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    #[serde(rename = "crate")]
    crate_name: &'a str,
    base: &'a str,
    new: &'a str,
    base_version: &'a str,
    semver: Bump,
    next_version: Option<String>,
    counts: Counts,
    changes: &'a [Change],
}

#[derive(Serialize)]
struct Counts {
    breaking: usize,
    behaviour: usize,
    additive: usize,
    documentation: usize,
}

/// The same report as JSON: `crate`, `base`, `new`, `base_version`, `semver`,
/// `next_version`, `counts` and `changes` (`class`, `semver`, `item`, `change`).
pub fn json(diff: &ApiDiff, base: &str, new: &str) -> String {
    let report = JsonReport {
        crate_name: &diff.crate_name,
        base,
        new,
        base_version: &diff.base_version,
        semver: diff.verdict(),
        next_version: next_version(&diff.base_version, diff.verdict())
            .ok()
            .map(|v| v.to_string()),
        counts: Counts {
            breaking: diff.count(ChangeClass::Breaking),
            behaviour: diff.count(ChangeClass::Behaviour),
            additive: diff.count(ChangeClass::Additive),
            documentation: diff.count(ChangeClass::Documentation),
        },
        changes: &diff.changes,
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_else(|err| {
        // Plain data with string keys always serializes; say so if it ever does not.
        format!("{{\"error\": {:?}}}", err.to_string())
    });
    text.push('\n');
    text
}
