//! The crate's changelog: a Markdown source under `model/` (hand-editable) that `--bump` adds
//! an entry to and the generator copies into the crate as `CHANGELOG.md`.

use super::change::{ApiDiff, Change, ChangeClass};
use super::report::counts;

/// Documentation changes listed one by one; beyond this they are summarized.
const DOC_ITEMS_LISTED: usize = 12;

/// The text of a new changelog for `crate_name`.
pub fn new_changelog(crate_name: &str) -> String {
    format!(
        "# Changelog of `{crate_name}`\n\n\
         This file is the source of the crate's `CHANGELOG.md`: the generator copies it into the crate,\n\
         and `cargo xtask codegen --bump` adds an entry for each model update. Edit it here.\n"
    )
}

/// The entry for `version`: what changed, by class, in words.
pub fn entry(diff: &ApiDiff, version: &str) -> String {
    let mut out = format!("## {version}\n\n");
    out.push_str(&format!(
        "Regenerated from an updated model of {} (API version {}): {}.\n",
        diff.title,
        diff.api_version,
        counts(diff)
    ));
    for class in ChangeClass::ALL {
        let changes: Vec<&Change> = diff.of(class).collect();
        if changes.is_empty() {
            continue;
        }
        let heading = match class {
            ChangeClass::Breaking => "Breaking changes",
            ChangeClass::Behaviour => {
                "Behaviour changes (code compiles, calls may behave differently)"
            }
            ChangeClass::Additive => "Additions",
            ChangeClass::Documentation => "Documentation",
        };
        out.push_str(&format!("\n### {heading}\n\n"));
        if class == ChangeClass::Documentation && changes.len() > DOC_ITEMS_LISTED {
            let items: Vec<String> = changes
                .iter()
                .take(DOC_ITEMS_LISTED)
                .map(|c| format!("`{}`", c.item))
                .collect();
            out.push_str(&format!(
                "- Documentation updated for {} items, among them {}.\n",
                changes.len(),
                items.join(", ")
            ));
            continue;
        }
        for change in changes {
            out.push_str(&format!("- `{}`: {}.\n", change.item, change.change));
        }
    }
    out
}

/// `changelog` with `entry` (starting `## <version>`) as its newest entry: it replaces an
/// entry for the same version (so running `--bump` again does not add it twice), else it goes
/// before the first entry.
pub fn insert(changelog: &str, entry: &str) -> String {
    let heading = entry.lines().next().unwrap_or_default();
    let sections = section_starts(changelog);
    let entry = entry.trim_end();
    if let Some(at) = sections
        .iter()
        .position(|&start| changelog[start..].lines().next() == Some(heading))
    {
        let start = sections[at];
        let end = sections.get(at + 1).copied().unwrap_or(changelog.len());
        let rest = &changelog[end..];
        let separator = if rest.is_empty() { "\n" } else { "\n\n" };
        return format!("{}{entry}{separator}{rest}", &changelog[..start]);
    }
    match sections.first() {
        Some(&start) => format!("{}{entry}\n\n{}", &changelog[..start], &changelog[start..]),
        None => {
            let head = changelog.trim_end();
            if head.is_empty() {
                format!("{entry}\n")
            } else {
                format!("{head}\n\n{entry}\n")
            }
        }
    }
}

/// Byte offsets of the lines starting with `## `.
fn section_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("## ") {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_entries_go_first_and_replace_the_same_version() {
        let log = new_changelog("weather");
        let log = insert(&log, "## 0.1.1\n\n- one\n");
        assert!(
            log.ends_with("Edit it here.\n\n## 0.1.1\n\n- one\n"),
            "{log}"
        );
        let log = insert(&log, "## 0.2.0\n\n- two\n");
        assert!(
            log.contains("## 0.2.0\n\n- two\n\n## 0.1.1\n\n- one\n"),
            "{log}"
        );
        let again = insert(&log, "## 0.2.0\n\n- two, reworded\n");
        assert!(
            again.contains("## 0.2.0\n\n- two, reworded\n\n## 0.1.1\n\n- one\n"),
            "{again}"
        );
        assert_eq!(again.matches("## 0.2.0").count(), 1);
        let last = insert(&again, "## 0.1.1\n\n- one again\n");
        assert!(last.ends_with("## 0.1.1\n\n- one again\n"), "{last}");
    }
}
