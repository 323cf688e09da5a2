//! Emitters: one per concern, each taking the IR (never the raw model) and returning files.

mod auth_docs;
mod body;
mod capabilities;
mod cbor;
mod crate_files;
mod defaults;
mod document;
mod endpoint;
mod enums;
mod errors;
mod event_stream;
mod json;
mod operation;
mod paginator;
mod protocol;
mod readme_sections;
mod service_error;
pub(crate) mod signatures;
mod structs;
mod tokens;
mod types;
mod unions;
mod usage;
mod validate;
mod vendor;

use proc_macro2::TokenStream;

pub(crate) use structs::build_is_fallible;

use crate::error::{CodegenError, Result};
use crate::ir::ServiceIr;
use crate::output::{FileKind, OutputFile, OutputSpace};

/// A file as an emitter makes it, before layout.
#[derive(Debug, Clone)]
pub(crate) struct File {
    /// The path relative to the crate root, with `/` separators.
    pub path: String,
    /// The contents.
    pub contents: Contents,
}

/// What an emitted file holds.
#[derive(Debug, Clone)]
pub(crate) enum Contents {
    /// Rust code as tokens, laid out by prettyplease.
    Tokens(TokenStream),
    /// Text of the given kind (hand-written or templated).
    Text(FileKind, String),
}

impl File {
    /// A Rust file from tokens.
    pub fn rust(path: impl Into<String>, tokens: TokenStream) -> Self {
        File {
            path: path.into(),
            contents: Contents::Tokens(tokens),
        }
    }

    /// A file of `kind` from text.
    pub fn text(path: impl Into<String>, kind: FileKind, text: impl Into<String>) -> Self {
        File {
            path: path.into(),
            contents: Contents::Text(kind, text.into()),
        }
    }

    /// Lays the file out as text: token streams through prettyplease (the writer then runs
    /// rustfmt over every [`FileKind::Rust`] file).
    fn lay_out(self) -> Result<OutputFile> {
        let (kind, text) = match self.contents {
            Contents::Tokens(tokens) => {
                let parsed: syn::File = syn::parse2(tokens).map_err(|err| CodegenError::Emit {
                    file: self.path.clone(),
                    message: format!("the emitted code is not valid Rust: {err}"),
                })?;
                (FileKind::Rust, prettyplease::unparse(&parsed))
            }
            Contents::Text(kind, text) => (kind, text),
        };
        Ok(OutputFile {
            path: self.path,
            kind,
            text,
        })
    }
}

/// Inputs of the emitters that are not in the model.
#[derive(Debug, Clone, Default)]
pub struct EmitInputs {
    /// Hand-written example programs (referenced by path, or copied into `examples/`).
    pub examples: Vec<Example>,
    /// The crate's changelog (Markdown), copied into it as `CHANGELOG.md`.
    pub changelog: Option<String>,
    /// How the crate gets the runtime.
    pub runtime: RuntimeDependency,
}

/// How an emitted crate gets the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// It depends on the runtime crate found at `path` (relative to the crate's folder, or
    /// absolute).
    Crate {
        /// The path of the runtime crate's folder.
        path: String,
    },
    /// It carries a copy of the runtime's sources.
    Vendored,
}

impl Default for RuntimeDependency {
    /// The runtime crate beside this generator, by absolute path (for crates generated
    /// anywhere; [`crate::prepare`] writes a path relative to the output folder instead).
    fn default() -> Self {
        RuntimeDependency::Crate {
            path: crate::runtime::RUNTIME_DIR.to_owned(),
        }
    }
}

/// A hand-written example program. A line `//! Features: a, b` in it makes cargo build the
/// example only with those features; a `#[cfg(test)]` module in it makes `cargo test` run it.
#[derive(Debug, Clone)]
pub struct Example {
    /// The example's name (its file stem).
    pub name: String,
    /// Its source.
    pub source: String,
    /// Where the crate's `Cargo.toml` finds the source (relative to the crate folder), so
    /// compiler errors point at it; `None` copies the source into the crate's `examples/`.
    pub path: Option<String>,
}

/// Emits every file of the crate for `ir` into one [`OutputSpace`], on `threads` threads. Each
/// thread lays out the token streams it built (they cannot cross threads) into its own space;
/// the spaces are then merged (the space orders files by path).
pub fn emit(ir: &ServiceIr, inputs: &EmitInputs, threads: usize) -> Result<OutputSpace> {
    let usage = usage::Usage::of(ir);
    let threads = threads.max(1);
    let results: Vec<Result<OutputSpace>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|k| {
                let usage = &usage;
                scope.spawn(move || {
                    let mut files = Vec::new();
                    // Crate files (with the large endpoint module) and types go to different threads.
                    if k == 0 {
                        files.extend(crate_files::files(ir, inputs)?);
                    }
                    if k == 1 % threads {
                        files.extend(types::files(ir, usage));
                    }
                    for op in ir.operations.iter().skip(k).step_by(threads) {
                        files.extend(operation::files(ir, op, &usage.validate));
                    }
                    let mut space = OutputSpace::new();
                    for file in files {
                        space.add(file.lay_out()?)?;
                    }
                    Ok(space)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker.join().unwrap_or_else(|_| {
                    Err(CodegenError::Emit {
                        file: "(emitter thread)".to_owned(),
                        message: "an emitter thread panicked".to_owned(),
                    })
                })
            })
            .collect()
    });
    let mut space = OutputSpace::new();
    for result in results {
        space.append(result?)?;
    }
    Ok(space)
}
