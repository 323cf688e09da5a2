//! Per-file line counts for `--check`: how each stale file would change if the crate were
//! regenerated.

use std::path::Path;

use crate::error::{CodegenError, Result};
use crate::writer::{RenderedFile, Staleness};

/// What regenerating would do to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileAction {
    /// Its contents change.
    Change,
    /// It is new.
    Create,
    /// The generator no longer writes it.
    Delete,
}

/// One stale file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReview {
    /// The path relative to the crate folder.
    pub path: String,
    /// What regenerating would do.
    pub action: FileAction,
    /// Lines added.
    pub added: usize,
    /// Lines removed.
    pub removed: usize,
}

impl FileReview {
    /// `+3 -1`, `new file, +120`, `would delete, -80 lines`.
    pub fn describe(&self) -> String {
        match self.action {
            FileAction::Change => format!("+{} -{}", self.added, self.removed),
            FileAction::Create => format!("new file, +{}", self.added),
            FileAction::Delete => format!("would delete, -{}", self.removed),
        }
    }
}

/// The line counts of every stale file of the crate folder `out`.
pub fn review(
    out: &Path,
    files: &[RenderedFile],
    staleness: &Staleness,
) -> Result<Vec<FileReview>> {
    let read = |path: &str| -> Result<String> {
        let full = out.join(path);
        std::fs::read(&full)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(|err| CodegenError::io(full, err))
    };
    let generated = |path: &str| {
        files
            .iter()
            .find(|f| f.path == path)
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
            .unwrap_or_default()
    };
    let mut reviews = Vec::new();
    for path in &staleness.changed {
        let (added, removed) = line_counts(&read(path)?, &generated(path));
        reviews.push(FileReview {
            path: path.clone(),
            action: FileAction::Change,
            added,
            removed,
        });
    }
    for path in &staleness.missing {
        reviews.push(FileReview {
            path: path.clone(),
            action: FileAction::Create,
            added: line_count(&generated(path)),
            removed: 0,
        });
    }
    for path in &staleness.extra {
        reviews.push(FileReview {
            path: path.clone(),
            action: FileAction::Delete,
            added: 0,
            removed: line_count(&read(path)?),
        });
    }
    reviews.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(reviews)
}

fn line_count(text: &str) -> usize {
    text.lines().count()
}

/// Lines added and removed from `old` to `new` (a line diff).
fn line_counts(old: &str, new: &str) -> (usize, usize) {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut added = 0;
    let mut removed = 0;
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Insert => added += 1,
            similar::ChangeTag::Delete => removed += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    (added, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_per_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.rs"), "one\ntwo\nthree\n").unwrap();
        std::fs::write(dir.path().join("old.rs"), "x\ny\n").unwrap();
        // Both were written by the generator (the marker lists them); a user's file is not
        // the generator's to delete.
        std::fs::write(dir.path().join("mine.rs"), "mine\n").unwrap();
        let marker = crate::writer::folder::marker(&["a.rs", "old.rs"]);
        std::fs::write(dir.path().join(&marker.path), &marker.bytes).unwrap();
        let files = vec![
            RenderedFile {
                path: "a.rs".into(),
                bytes: b"one\n2\nthree\nfour\n".to_vec(),
            },
            RenderedFile {
                path: "b.rs".into(),
                bytes: b"new\n".to_vec(),
            },
        ];
        let staleness = crate::writer::check(dir.path(), &files).unwrap();
        let reviews = review(dir.path(), &files, &staleness).unwrap();
        let described: Vec<String> = reviews
            .iter()
            .map(|r| format!("{} ({})", r.path, r.describe()))
            .collect();
        assert_eq!(
            described,
            [
                "a.rs (+2 -1)",
                "b.rs (new file, +1)",
                "old.rs (would delete, -2)"
            ]
        );
    }
}
