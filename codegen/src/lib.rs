//! smithy-rust-codegen: reads a Smithy model and emits a Rust client crate.
//!
//! The pipeline, in one direction: [`model`] (load) -> [`shapes`] (resolve one service) -> [`ir`]
//! (Rust names and types, URI patterns, endpoint rules) -> [`emit`] (files, into an [`output`]
//! space) -> [`writer`] (header, rustfmt, write atomically or check). [`diff`] describes the
//! crate's public API from the IR (with the emitters' own signature functions); the description
//! is the crate's `api.json`, and model updates are explained by comparing two of them.
//! [`prepare`] runs it all up to the final bytes and [`finish`] writes or checks them;
//! `cargo xtask codegen`, `cargo xtask diff`, the build scripts and the tests all go through
//! these two.
//!
//! ```no_run
//! // From a build script or a tool: generate a crate for one service.
//! let spec = codegen::manifest::ServiceSpec {
//!     crate_name: "weather".into(),
//!     crate_version: "0.1.0".into(),
//!     service: "example.weather#Weather".into(),
//!     models: vec!["model/weather.smithy".into()],
//!     out: "generated/weather".into(),
//!     partitions: None,
//!     test_partitions: None,
//!     examples: None,
//!     changelog: None,
//!     runtime: codegen::manifest::RuntimeMode::Crate,
//!     endpoint_expectations: Vec::new(),
//!     strict: false,
//! };
//! let report = codegen::generate(&spec, codegen::Mode::Write)?;
//! println!("{} files", report.files);
//! # Ok::<(), codegen::error::CodegenError>(())
//! ```

pub mod diff;
pub mod embed;
pub mod emit;
pub mod error;
pub mod idl;
pub mod ir;
pub mod manifest;
pub mod model;
pub mod output;
mod paths;
pub mod protocol_tests;
mod runtime;
pub mod shapes;
pub mod writer;

use std::path::{Path, PathBuf};
use std::time::Instant;

use error::{CodegenError, Result};
use manifest::ServiceSpec;
use model::{Model, ModelDocument};
use writer::{RenderedFile, Staleness};

/// Whether to write the crate or only compare it with what is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write the crate (atomically).
    Write,
    /// Write nothing; report how the crate on disk differs.
    Check,
}

/// What one generation did.
#[derive(Debug, Clone)]
pub struct Report {
    /// The crate name.
    pub crate_name: String,
    /// Shapes in the service closure.
    pub shapes: usize,
    /// Operations.
    pub operations: usize,
    /// Files generated.
    pub files: usize,
    /// Lines generated.
    pub lines: usize,
    /// In check mode, how the crate on disk differs.
    pub staleness: Option<Staleness>,
    /// Wall time of the run.
    pub millis: u128,
    /// Wall time of each phase.
    pub timings: Timings,
    /// How the API compares with the `api.json` that was in the crate folder before the run.
    pub api: diff::ApiComparison,
    /// In check mode, what regenerating would do to each stale file.
    pub review: Vec<diff::review::FileReview>,
}

/// Loads model files and folders (`.json` JSON AST and `.smithy` IDL) as one model.
pub fn load_model(paths: &[PathBuf]) -> Result<Model> {
    let mut files = Vec::new();
    for path in paths {
        collect_model_files(path, &mut files)?;
    }
    let mut documents = Vec::new();
    let mut idl_sources = Vec::new();
    for file in files {
        match file.extension().and_then(|e| e.to_str()) {
            Some("json") => documents.push(ModelDocument::read(&file)?),
            Some("smithy") => {
                let text =
                    std::fs::read_to_string(&file).map_err(|err| CodegenError::io(&file, err))?;
                idl_sources.push(idl::SourceFile {
                    name: file.display().to_string(),
                    text,
                });
            }
            _ => {
                return Err(CodegenError::model(
                    &file,
                    "",
                    "not a model file (expected a .json JSON AST or a .smithy IDL file)",
                ))
            }
        }
    }
    if !idl_sources.is_empty() {
        let value = idl::load(&idl_sources).map_err(|err| CodegenError::Idl(Box::new(err)))?;
        let name = if idl_sources.len() == 1 {
            idl_sources[0].name.clone()
        } else {
            format!("{} .smithy files", idl_sources.len())
        };
        documents.push(ModelDocument {
            file: PathBuf::from(name),
            value,
        });
    }
    model::load_documents(&documents).map_err(CodegenError::located)
}

fn collect_model_files(path: &Path, into: &mut Vec<PathBuf>) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|err| CodegenError::io(path, err))?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|err| CodegenError::io(path, err))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for entry in entries {
            let is_model = entry
                .extension()
                .is_some_and(|e| e == "json" || e == "smithy");
            if entry.is_dir() || is_model {
                collect_model_files(&entry, into)?;
            }
        }
    } else {
        into.push(path.to_owned());
    }
    Ok(())
}

fn read_json(path: &Path) -> Result<serde_json::Value> {
    Ok(ModelDocument::read(path)?.value)
}

/// Reads the example programs (`*.rs`) of a folder, sorted by name. Each is referenced from the
/// crate at `out` by a relative path (so compiler errors point at the source, not at a copy).
fn read_examples(dir: &Path, out: &Path) -> Result<Vec<emit::Example>> {
    let mut examples = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|err| CodegenError::io(dir, err))?;
    for entry in entries {
        let path = entry.map_err(|err| CodegenError::io(dir, err))?.path();
        if path.extension().is_some_and(|e| e == "rs") {
            let source =
                std::fs::read_to_string(&path).map_err(|err| CodegenError::io(&path, err))?;
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            examples.push(emit::Example {
                name,
                source,
                path: Some(paths::relative_from(out, &path)?),
            });
        }
    }
    examples.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(examples)
}

/// Wall time of each phase of a run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Reading and parsing the model files and the other inputs.
    pub load: std::time::Duration,
    /// Resolving the service graph and lowering it to the Rust IR.
    pub lower: std::time::Duration,
    /// Emitting token streams and laying them out with prettyplease (one thread per core), and
    /// describing the API (`api.json`).
    pub emit: std::time::Duration,
    /// The writer's pass: header lines and rustfmt.
    pub rustfmt: std::time::Duration,
}

/// A crate rendered in memory by [`prepare`], ready for [`finish`] to write or check.
#[derive(Debug)]
pub struct PreparedCrate {
    files: Vec<RenderedFile>,
    warnings: Vec<ir::Warning>,
    shapes: usize,
    operations: usize,
    timings: Timings,
    api: diff::ApiDescription,
    started: Instant,
}

impl PreparedCrate {
    /// The crate's files with their final bytes, in path order.
    pub fn files(&self) -> &[RenderedFile] {
        &self.files
    }

    /// The crate's files, by value.
    pub fn into_files(self) -> Vec<RenderedFile> {
        self.files
    }

    /// Shapes in the service closure.
    pub fn shapes(&self) -> usize {
        self.shapes
    }

    /// Operations of the service.
    pub fn operations(&self) -> usize {
        self.operations
    }

    /// Wall time of each phase so far.
    pub fn timings(&self) -> Timings {
        self.timings
    }

    /// What the run has to tell its user without failing: operations left out, endpoint test
    /// cases that disagree with the partition data in use.
    pub fn warnings(&self) -> &[ir::Warning] {
        &self.warnings
    }

    /// The crate's public API as data (what its `api.json` holds).
    pub fn api(&self) -> &diff::ApiDescription {
        &self.api
    }
}

/// Renders the crate for `spec` in memory (the first half of [`generate`]): loads the model
/// files and the other inputs the spec names, then runs [`prepare_model`]. Rendering every crate
/// of a manifest before writing any keeps all output folders as they were when one fails.
pub fn prepare(spec: &ServiceSpec) -> Result<PreparedCrate> {
    let started = Instant::now();
    let model = load_model(&spec.models)?;
    prepare_loaded(spec, model, started).map_err(CodegenError::located)
}

/// [`prepare`] for a model already in memory (`spec.models` is not read; the other inputs it
/// names are): resolve, lower, emit, render. Everything after loading is the same code.
pub fn prepare_model(spec: &ServiceSpec, model: Model) -> Result<PreparedCrate> {
    prepare_loaded(spec, model, Instant::now()).map_err(CodegenError::located)
}

fn prepare_loaded(spec: &ServiceSpec, model: Model, started: Instant) -> Result<PreparedCrate> {
    let mut timings = Timings::default();
    let lower_inputs = ir::LowerInputs {
        crate_name: spec.crate_name.clone(),
        crate_version: spec.crate_version.clone(),
        partitions: spec.partitions.as_deref().map(read_json).transpose()?,
        test_partitions: spec.test_partitions.as_deref().map(read_json).transpose()?,
        endpoint_expectations: spec.endpoint_expectations.clone(),
        strict: spec.strict,
    };
    let emit_inputs = emit::EmitInputs {
        examples: spec
            .examples
            .as_deref()
            .map(|dir| read_examples(dir, &spec.out))
            .transpose()?
            .unwrap_or_default(),
        changelog: spec
            .changelog
            .as_deref()
            .map(|path| std::fs::read_to_string(path).map_err(|err| CodegenError::io(path, err)))
            .transpose()?,
        runtime: match spec.runtime {
            manifest::RuntimeMode::Crate => emit::RuntimeDependency::Crate {
                path: runtime::path_from(&spec.out)?,
            },
            manifest::RuntimeMode::Vendored => emit::RuntimeDependency::Vendored,
        },
    };
    timings.load = started.elapsed();
    let start = Instant::now();
    // An empty service id means "the model's only service".
    let service = shapes::choose_service(
        &model,
        Some(spec.service.as_str()).filter(|s| !s.is_empty()),
    )?;
    let graph = shapes::resolve(model, &service)?;
    let shapes = graph.shapes.len();
    let ir = ir::lower(&graph, &lower_inputs)?;
    let warnings = ir::warnings(&ir);
    timings.lower = start.elapsed();
    let start = Instant::now();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut space = emit::emit(&ir, &emit_inputs, threads)?;
    let api = diff::describe(&ir)?;
    space.add(diff::api_file::output_file(&api)?)?;
    timings.emit = start.elapsed();
    let start = Instant::now();
    let files = writer::render(space)?;
    timings.rustfmt = start.elapsed();
    Ok(PreparedCrate {
        files,
        warnings,
        shapes,
        operations: ir.operations.len(),
        timings,
        api,
        started,
    })
}

/// Writes a prepared crate to `spec.out` atomically, or checks that the folder holds exactly
/// it (the second half of [`generate`]). Either way, the report compares the crate's API with
/// the `api.json` the folder held before, and in check mode says what regenerating would change
/// in each stale file.
pub fn finish(spec: &ServiceSpec, prepared: PreparedCrate, mode: Mode) -> Result<Report> {
    let PreparedCrate {
        files,
        warnings: _,
        shapes,
        operations,
        timings,
        api,
        started,
    } = prepared;
    let lines = files
        .iter()
        .map(|f| f.bytes.iter().filter(|&&b| b == b'\n').count())
        .sum();
    // Read before writing: the write replaces the committed description.
    let api = match diff::api_file::read_committed(&spec.out) {
        Ok(Some(committed)) => diff::ApiComparison::Compared(diff::compare(&committed, &api)),
        Ok(None) => diff::ApiComparison::NoBaseline,
        Err(err) => diff::ApiComparison::Unreadable(err.to_string()),
    };
    let mut review = Vec::new();
    let staleness = match mode {
        Mode::Write => {
            writer::write_atomically(&spec.out, &files)?;
            None
        }
        Mode::Check => {
            let staleness = writer::check(&spec.out, &files)?;
            review = diff::review::review(&spec.out, &files, &staleness)?;
            Some(staleness)
        }
    };
    Ok(Report {
        crate_name: spec.crate_name.clone(),
        shapes,
        operations,
        files: files.len(),
        lines,
        staleness,
        millis: started.elapsed().as_millis(),
        timings,
        api,
        review,
    })
}

/// Generates the crate for `spec`: writes it atomically, or checks it is up to date.
pub fn generate(spec: &ServiceSpec, mode: Mode) -> Result<Report> {
    finish(spec, prepare(spec)?, mode)
}
