//! The output space: the one ordered sink that the emitters fill with a crate's files and that
//! the writer consumes. It holds plain text (the emitters have already laid their token streams
//! out), so the writer never needs the emitters, and the emitters never see the writer.

use std::collections::BTreeMap;

use crate::error::{CodegenError, Result};

/// What a file holds, which decides its header comment and whether rustfmt formats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Rust code that the writer passes through rustfmt.
    Rust,
    /// Markdown (`README.md`).
    Markdown,
    /// TOML (`Cargo.toml`).
    Toml,
    /// JSON (`api.json`). JSON has no comments: the file's producer puts the generated-file
    /// header in it as a value, and the writer adds none.
    Json,
}

/// One file of the output space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// The path relative to the crate root, with `/` separators.
    pub path: String,
    /// What the file holds.
    pub kind: FileKind,
    /// The text, without the generated-file header (the writer adds it).
    pub text: String,
}

/// A crate's files by path: iteration is in path order, whatever order they were added in, so
/// the output is deterministic by construction.
#[derive(Debug, Clone, Default)]
pub struct OutputSpace {
    files: BTreeMap<String, OutputFile>,
}

impl OutputSpace {
    /// An empty output space.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file. Two files at one path is a bug in the generator, reported as such.
    pub fn add(&mut self, file: OutputFile) -> Result<()> {
        if self.files.contains_key(&file.path) {
            return Err(CodegenError::Emit {
                file: file.path,
                message: "two emitters wrote this file".to_owned(),
            });
        }
        self.files.insert(file.path.clone(), file);
        Ok(())
    }

    /// Moves every file of `other` into this space.
    pub fn append(&mut self, other: OutputSpace) -> Result<()> {
        for file in other.files.into_values() {
            self.add(file)?;
        }
        Ok(())
    }

    /// The number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the space holds no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The files in path order.
    pub fn files(&self) -> impl Iterator<Item = &OutputFile> {
        self.files.values()
    }

    /// The files in path order, by value.
    pub fn into_files(self) -> impl Iterator<Item = OutputFile> {
        self.files.into_values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> OutputFile {
        OutputFile {
            path: path.to_owned(),
            kind: FileKind::Rust,
            text: String::new(),
        }
    }

    #[test]
    fn files_come_out_in_path_order() {
        let mut space = OutputSpace::new();
        let mut other = OutputSpace::new();
        space.add(file("src/lib.rs")).unwrap();
        other.add(file("Cargo.toml")).unwrap();
        other.add(file("src/a.rs")).unwrap();
        space.append(other).unwrap();
        let paths: Vec<&str> = space.files().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["Cargo.toml", "src/a.rs", "src/lib.rs"]);
        assert_eq!(space.len(), 3);
    }

    #[test]
    fn a_path_written_twice_is_a_generator_bug() {
        let mut space = OutputSpace::new();
        space.add(file("src/lib.rs")).unwrap();
        let err = space.add(file("src/lib.rs")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "generator bug: src/lib.rs: two emitters wrote this file"
        );
    }
}
