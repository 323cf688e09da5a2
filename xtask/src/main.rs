//! The project's command line: `cargo xtask codegen [--check] [--bump]`, `cargo xtask diff`,
//! `cargo xtask model --to-json`.

mod api;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codegen::manifest::{self, ServiceSpec};
use codegen::Mode;

/// Prints a report line; a closed standard output (`| head`) is not an error worth a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

#[derive(Parser)]
#[command(
    name = "xtask",
    about = "smithy-rust-codegen: generate Rust clients from Smithy models"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate every service of the manifest (or one model given with --model/--service/--out).
    Codegen {
        /// Write nothing; exit non-zero naming the stale files when the generated crates differ
        /// from what the generator writes now.
        #[arg(long)]
        check: bool,
        /// The manifest of services to generate.
        #[arg(long, default_value = "model/services.toml")]
        manifest: PathBuf,
        /// Generate from these model files or folders instead of the manifest (repeatable;
        /// .json JSON AST or .smithy IDL).
        #[arg(long = "model", requires = "out")]
        models: Vec<PathBuf>,
        /// The service shape id to generate, with --model (default: the model's only service).
        #[arg(long, requires = "models")]
        service: Option<String>,
        /// The crate folder to write, with --model: a new or empty folder, or a crate this
        /// generator wrote (files it did not write, `target/` and `Cargo.lock` are kept).
        #[arg(long, requires = "models")]
        out: Option<PathBuf>,
        /// The crate name, with --model (default: the last part of --out).
        #[arg(long = "crate-name", requires = "models")]
        crate_name: Option<String>,
        /// AWS partition data for endpoint rules, with --model.
        #[arg(long, requires = "models")]
        partitions: Option<PathBuf>,
        /// The partition data the model's endpoint test cases were written against, with
        /// --model: the generated tests then also run them as written against it.
        #[arg(long = "test-partitions", requires = "models")]
        test_partitions: Option<PathBuf>,
        /// All or nothing: an operation that needs something the generator does not implement
        /// (event streams, a protocol feature) is an error instead of being left out.
        #[arg(long)]
        strict: bool,
        /// Print how long each phase took.
        #[arg(long)]
        timings: bool,
        /// Before generating, compare each service's committed api.json with its model, set
        /// its version in the manifest by the semver verdict, and add a changelog entry.
        #[arg(long, conflicts_with_all = ["check", "models"])]
        bump: bool,
    },
    /// Print what changed in a service's API between two versions of its model: every change
    /// with its class and the Rust items it touches, then the semver verdict.
    Diff {
        /// The manifest of services.
        #[arg(long, default_value = "model/services.toml")]
        manifest: PathBuf,
        /// The service to compare, by crate name (needed when the manifest has several).
        #[arg(long = "crate")]
        crate_name: Option<String>,
        /// The new model: these files or folders instead of the manifest's (repeatable).
        #[arg(long = "model")]
        models: Vec<PathBuf>,
        /// The service shape id (default: the manifest's).
        #[arg(long)]
        service: Option<String>,
        /// AWS partition data for endpoint rules (default: the manifest's).
        #[arg(long)]
        partitions: Option<PathBuf>,
        /// The previous model files or folders (repeatable). Default: the API description
        /// committed in the crate folder (api.json).
        #[arg(long = "base", conflicts_with = "base_api")]
        base: Vec<PathBuf>,
        /// A previous API description (an api.json, e.g. from `git show`).
        #[arg(long = "base-api")]
        base_api: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Also set the service's version in the manifest by the verdict and add a changelog
        /// entry (then run `cargo xtask codegen`).
        #[arg(long)]
        bump: bool,
    },
    /// Load model files and print them as one Smithy JSON AST document.
    Model {
        /// Model files or folders (.json or .smithy; repeatable).
        #[arg(long = "model", required = true)]
        models: Vec<PathBuf>,
        /// Print the loaded model as JSON AST (the only output format so far).
        #[arg(long)]
        to_json: bool,
    },
}

fn main() -> ExitCode {
    // An interrupted run leaves no staging folder behind (and never a half-moved crate: the
    // clean-up waits for a move into place to finish).
    let _ = ctrlc::set_handler(|| {
        codegen::writer::folder::clean_up_after_interruption();
        std::process::exit(130);
    });
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<ExitCode, codegen::error::CodegenError> {
    match command {
        Command::Codegen {
            check,
            manifest: manifest_path,
            models,
            service,
            out,
            crate_name,
            partitions,
            test_partitions,
            strict,
            timings,
            bump,
        } => {
            let mut specs = if bump {
                api::bump_manifest(&manifest_path)?
            } else if models.is_empty() {
                manifest::read(&manifest_path)?
            } else {
                let out = out.unwrap_or_default();
                let crate_name = match crate_name {
                    Some(name) => name,
                    None => crate_name_from(&out)?,
                };
                vec![ServiceSpec {
                    crate_name,
                    crate_version: "0.1.0".to_owned(),
                    service: service.unwrap_or_default(),
                    models,
                    out,
                    partitions,
                    test_partitions,
                    examples: None,
                    changelog: None,
                    runtime: manifest::RuntimeMode::Crate,
                    endpoint_expectations: Vec::new(),
                    strict,
                }]
            };
            for spec in &mut specs {
                spec.strict |= strict;
            }
            let mode = if check { Mode::Check } else { Mode::Write };
            // Every service renders before any is written, so that a failure in one leaves
            // every output folder as it was (each folder is then swapped in whole).
            let prepared = specs
                .iter()
                .map(codegen::prepare)
                .collect::<Result<Vec<_>, _>>()?;
            // Warnings once each (per left-out operation, per endpoint case), before the files.
            for (spec, prepared) in specs.iter().zip(&prepared) {
                for warning in prepared.warnings() {
                    eprintln!("warning: {}: {warning}", spec.crate_name);
                }
            }
            let mut stale = false;
            for (spec, prepared) in specs.iter().zip(prepared) {
                let report = codegen::finish(spec, prepared, mode)?;
                let verb = if check { "checked" } else { "wrote" };
                say!(
                    "{}: {} shapes, {} operations, {} files ({} lines) {verb} in {} ms -> {}",
                    report.crate_name,
                    report.shapes,
                    report.operations,
                    report.files,
                    report.lines,
                    report.millis,
                    spec.out.display()
                );
                if timings {
                    let t = report.timings;
                    say!(
                        "  load {:?}, resolve+lower {:?}, emit+layout {:?}, rustfmt {:?}",
                        t.load,
                        t.lower,
                        t.emit,
                        t.rustfmt
                    );
                }
                if !check {
                    let _ = write!(
                        std::io::stdout(),
                        "{}",
                        api::after_write(spec, &report.api)?
                    );
                }
                if report.staleness.as_ref().is_some_and(|s| !s.is_fresh()) {
                    stale = true;
                    // The API-level summary first, then one line per file.
                    eprintln!("stale: {}", api::check_summary(spec, &report.api));
                    for file in &report.review {
                        eprintln!(
                            "stale: {} ({})",
                            spec.out.join(&file.path).display(),
                            file.describe()
                        );
                    }
                }
            }
            if stale {
                eprintln!("error: generated code is stale; run `cargo xtask codegen` and commit the result");
                return Ok(ExitCode::FAILURE);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff {
            manifest,
            crate_name,
            models,
            service,
            partitions,
            base,
            base_api,
            json,
            bump,
        } => {
            let base = match (base_api, base.is_empty()) {
                (Some(path), _) => api::Base::ApiFile(path),
                (None, false) => api::Base::Models(base),
                (None, true) => api::Base::Committed,
            };
            let report = api::diff_command(api::DiffArgs {
                manifest,
                crate_name,
                models,
                service,
                partitions,
                base,
                json,
                bump,
            })?;
            print_all(&report)
        }
        Command::Model { models, to_json: _ } => {
            let model = codegen::load_model(&models)?;
            let json = codegen::model::to_json_ast(&model);
            print_all(&format!("{json}\n"))
        }
    }
}

/// The default crate name: the last part of `--out`, which must be a valid package name.
fn crate_name_from(out: &std::path::Path) -> Result<String, codegen::error::CodegenError> {
    let absolute = std::path::absolute(out).unwrap_or_else(|_| out.to_owned());
    let name = absolute
        .components()
        .next_back()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if valid {
        Ok(name)
    } else {
        Err(codegen::error::CodegenError::model(
            out,
            "",
            format!(
                "the crate name would be the folder's name, {name:?}, which is not a valid crate \
                 name (lower-case letters, digits, `-` and `_`, starting with a letter): pass \
                 --crate-name"
            ),
        ))
    }
}

/// Prints a whole report to standard output.
fn print_all(text: &str) -> Result<ExitCode, codegen::error::CodegenError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // The reader went away (`| head`): not an error of ours.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(err) => Err(codegen::error::CodegenError::io("(standard output)", err)),
    }
}
