//! Smithy IDL 2.0 loader: turns `.smithy` files into one Smithy JSON AST document.
//!
//! ```
//! use codegen::idl::{load, SourceFile};
//!
//! let file = SourceFile {
//!     name: "example.smithy".to_string(),
//!     text: "$version: \"2\"\nnamespace example\n\nstructure Foo {\n    bar: String\n}\n".to_string(),
//! };
//! let doc = load(&[file]).unwrap();
//! assert_eq!(doc["shapes"]["example#Foo"]["members"]["bar"]["target"], "smithy.api#String");
//! ```
//!
//! The result has the form `{"smithy": "2.0", "metadata": {...}, "shapes": {...}}`, the same document the JSON
//! AST loader reads. Shape ids are resolved as the specification says: a `use` statement first, then a shape of
//! that name in the file's namespace (defined in any of the loaded files), then the prelude (`smithy.api`).
//! Prelude shapes are not part of the result unless a loaded file itself declares namespace `smithy.api`.
//! `apply` statements and traits on elided members are merged into the shapes they target when those are
//! defined by the loaded files; otherwise they are kept as `{"type": "apply", "traits": {...}}` entries.

mod lexer;
mod parser;
mod prelude;
mod resolve;

use std::fmt;

/// One `.smithy` file to load.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path shown in error messages.
    pub name: String,
    /// The IDL text.
    pub text: String,
}

/// A syntax or model error, located in one of the loaded files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdlError {
    /// Name of the file ([`SourceFile::name`]).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// What was expected and what was found.
    pub message: String,
}

impl fmt::Display for IdlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for IdlError {}

/// Parses and resolves several files as one model and returns one Smithy JSON AST document
/// `{"smithy": "2.0", "metadata": {...}, "shapes": {...}}` holding the shapes of all the files (no prelude
/// shapes). `metadata` is left out when no file defines any.
pub fn load(files: &[SourceFile]) -> Result<serde_json::Value, IdlError> {
    let parsed = files
        .iter()
        .map(|f| parser::parse_file(&f.name, &f.text))
        .collect::<Result<Vec<_>, _>>()?;
    resolve::build(&parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_one(text: &str) -> Result<serde_json::Value, IdlError> {
        load(&[SourceFile {
            name: "test.smithy".to_string(),
            text: text.to_string(),
        }])
    }

    fn error_of(text: &str) -> IdlError {
        match load_one(text) {
            Ok(doc) => panic!("expected an error, got {doc}"),
            Err(e) => e,
        }
    }

    #[test]
    fn missing_closing_brace_is_reported_at_eof() {
        let e = error_of("$version: \"2\"\nnamespace a.b\n\nstructure Foo {\n    bar: String\n");
        assert_eq!((e.line, e.column), (6, 1));
        assert_eq!(e.message, "Expected RBRACE('}') but found EOF");
        assert_eq!(
            e.to_string(),
            "test.smithy:6:1: Expected RBRACE('}') but found EOF"
        );
    }

    #[test]
    fn unknown_shape_type_names_the_keyword() {
        let e = error_of("$version: \"2\"\nnamespace a.b\nstructur Foo {}\n");
        assert_eq!((e.line, e.column), (3, 1));
        assert_eq!(e.message, "Unknown shape type: structur");
    }

    #[test]
    fn bad_character_is_reported_where_it_is() {
        let e = error_of("$version: \"2\"\nnamespace a.b\nstring Foo\n  %\n");
        assert_eq!((e.line, e.column), (4, 3));
        assert_eq!(e.message, "Unexpected character: '%'");
    }

    #[test]
    fn missing_colon_in_member() {
        let e = error_of("$version: \"2\"\nnamespace a.b\nstructure Foo {\n    bar String\n}\n");
        assert_eq!((e.line, e.column), (4, 9));
        assert_eq!(
            e.message,
            "Expected COLON(':') but found IDENTIFIER('String')"
        );
    }

    #[test]
    fn unresolved_target_is_located() {
        let e = error_of("$version: \"2\"\nnamespace a.b\nstructure Foo {\n    bar: Missing\n}\n");
        assert_eq!((e.line, e.column), (4, 10));
        assert!(e.message.contains("`Missing`"), "{}", e.message);
    }

    #[test]
    fn unclosed_string_points_at_end_of_file() {
        let e = error_of("$version: \"2\"\nnamespace a.b\n@documentation(\"abc\nstring Foo\n");
        assert_eq!((e.line, e.column), (5, 1));
    }

    #[test]
    fn shapes_resolve_across_files_and_apply_merges() {
        let files = [
            SourceFile {
                name: "a.smithy".to_string(),
                text: "$version: \"2\"\nnamespace x\nstructure A { b: B }\napply B @documentation(\"doc\")\n"
                    .to_string(),
            },
            SourceFile {
                name: "b.smithy".to_string(),
                text: "$version: \"2\"\nmetadata m = [1]\nnamespace x\nstring B\n".to_string(),
            },
        ];
        let doc = load(&files).unwrap();
        assert_eq!(doc["shapes"]["x#A"]["members"]["b"]["target"], "x#B");
        assert_eq!(
            doc["shapes"]["x#B"]["traits"]["smithy.api#documentation"],
            "doc"
        );
        assert_eq!(doc["metadata"]["m"], serde_json::json!([1]));
        assert_eq!(doc["smithy"], "2.0");
    }

    #[test]
    fn duplicate_shape_across_files_is_an_error() {
        let file = SourceFile {
            name: "a.smithy".to_string(),
            text: "$version: \"2\"\nnamespace x\nstring A\n".to_string(),
        };
        let e = load(&[file.clone(), file]).unwrap_err();
        assert!(
            e.message.contains("defined more than once"),
            "{}",
            e.message
        );
        assert_eq!((e.line, e.column), (3, 1));
    }
}
