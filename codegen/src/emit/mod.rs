//! Emitters: one per concern, each taking the IR (never the raw model) and returning files.

mod auth_docs;
mod blocking;
mod capabilities;
mod crate_files;
mod defaults;
mod enums;
mod errors;
mod http;
mod json;
mod operation;
mod paginator;
pub mod protocol_tests;
mod readme_sections;
mod service_error;
mod structs;
mod tokens;
mod types;
mod unions;
mod usage;
mod validate;
mod vendor;

use proc_macro2::TokenStream;

pub use defaults::decode_blob_default;

use crate::error::Result;
use crate::ir::ServiceIr;

/// A generated file, before formatting.
#[derive(Debug, Clone)]
pub struct File {
    /// The path relative to the crate root, with `/` separators.
    pub path: String,
    /// The contents.
    pub contents: Contents,
}

/// What a generated file holds.
#[derive(Debug, Clone)]
pub enum Contents {
    /// Rust code, formatted by the writer.
    Rust(TokenStream),
    /// Rust source text copied as is (the runtime).
    RustSource(String),
    /// Any other text (Cargo.toml, README.md).
    Text(String),
}

impl File {
    /// A Rust file from tokens.
    pub fn rust(path: impl Into<String>, tokens: TokenStream) -> Self {
        File {
            path: path.into(),
            contents: Contents::Rust(tokens),
        }
    }

    /// A text file.
    pub fn text(path: impl Into<String>, text: impl Into<String>) -> Self {
        File {
            path: path.into(),
            contents: Contents::Text(text.into()),
        }
    }
}

/// Inputs of the emitters that are not in the model.
#[derive(Debug, Clone, Default)]
pub struct EmitInputs {
    /// The AWS partition data the crate ships (for `aws.partition`).
    pub partitions: Option<serde_json::Value>,
    /// The partition data the model's endpoint tests were written against.
    pub test_partitions: Option<serde_json::Value>,
    /// Hand-written example programs copied into `examples/`.
    pub examples: Vec<Example>,
    /// Hand-written expected outcomes of the endpoint test cases the shipped partition data
    /// changes.
    pub endpoint_expectations: Vec<crate::endpoint_rules::HandExpectation>,
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
    /// anywhere; [`crate::render`] writes a path relative to the output folder instead).
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
}

/// Every file of the crate for `ir`, emitted and laid out (see [`crate::writer::layout`]) on
/// `threads` threads, sorted by path. Each thread builds its own token streams (they cannot
/// cross threads) and hands back rendered text.
pub fn emit_rendered(
    ir: &ServiceIr,
    inputs: &EmitInputs,
    threads: usize,
) -> Result<Vec<crate::writer::RenderedFile>> {
    let usage = usage::Usage::of(ir);
    let threads = threads.max(1);
    let results: Vec<Result<Vec<crate::writer::RenderedFile>>> = std::thread::scope(|scope| {
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
                        files.extend(operation::files(op, &usage.validate));
                    }
                    crate::writer::layout(files)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker.join().unwrap_or_else(|_| {
                    Err(crate::error::CodegenError::Emit {
                        file: "(emitter thread)".to_owned(),
                        message: "an emitter thread panicked (generator bug)".to_owned(),
                    })
                })
            })
            .collect()
    });
    let mut rendered = Vec::new();
    for result in results {
        rendered.extend(result?);
    }
    rendered.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(rendered)
}

/// Every file of the crate for `ir`, sorted by path.
pub fn emit_crate(ir: &ServiceIr, inputs: &EmitInputs) -> Result<Vec<File>> {
    let usage = usage::Usage::of(ir);
    let mut files = Vec::new();
    files.extend(crate_files::files(ir, inputs)?);
    files.extend(types::files(ir, &usage));
    for op in &ir.operations {
        files.extend(operation::files(op, &usage.validate));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
