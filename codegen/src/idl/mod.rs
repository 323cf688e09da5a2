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
