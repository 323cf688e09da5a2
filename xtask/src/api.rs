//! `cargo xtask diff`, `--bump`, and what `cargo xtask codegen` says about API changes.

use std::io::Write;
use std::path::{Path, PathBuf};

use codegen::diff::{self, ApiComparison, ApiDiff, Bump};
use codegen::error::CodegenError;
use codegen::manifest::{self, ServiceSpec};

type Result<T> = std::result::Result<T, CodegenError>;

/// What `cargo xtask diff` compares with the new model.
pub enum Base {
    /// The crate's committed `api.json`.
    Committed,
    /// An API description file.
    ApiFile(PathBuf),
    /// The previous model files or folders.
    Models(Vec<PathBuf>),
}

/// The options of `cargo xtask diff`.
pub struct DiffArgs {
    pub manifest: PathBuf,
    pub crate_name: Option<String>,
    pub models: Vec<PathBuf>,
    pub service: Option<String>,
    pub partitions: Option<PathBuf>,
    pub base: Base,
    pub json: bool,
    pub bump: bool,
}

/// Runs `cargo xtask diff`: prints the report (text or JSON) and, with `--bump`, sets the
/// version and adds the changelog entry.
pub fn diff_command(args: DiffArgs) -> Result<String> {
    let spec = select_spec(&args)?;
    let new = describe(&spec)?;
    let new_label = format!("model {}", paths(&spec.models));
    let (old, base_label) = match &args.base {
        Base::Models(models) => {
            let old = describe_base(&spec, models).map_err(|err| {
                CodegenError::model(paths(models), "", format!("in the base model: {err}"))
            })?;
            (old, format!("model {}", paths(models)))
        }
        Base::ApiFile(path) => {
            let old = diff::api_file::read(path)?.ok_or_else(|| CodegenError::Api {
                file: path.clone(),
                message: "no such file".to_owned(),
            })?;
            let label = format!("{} ({})", path.display(), old.version);
            (old, label)
        }
        Base::Committed => {
            let path = spec.out.join(diff::api_file::FILE_NAME);
            let old = diff::api_file::read(&path)?.ok_or_else(|| CodegenError::Api {
                file: path.clone(),
                message: "not found: the crate has not been generated yet; compare two models \
                          with `--base <old model>`"
                    .to_owned(),
            })?;
            let label = format!("committed {} ({})", path.display(), old.version);
            (old, label)
        }
    };
    let changes = diff::compare(&old, &new);
    let mut out = if args.json {
        diff::report::json(&changes, &base_label, &new_label)
    } else {
        diff::report::text(&changes, &base_label, &new_label)
    };
    if args.bump {
        let note = bump(&args.manifest, &spec, &changes)?;
        if !args.json {
            out.push_str(&note);
        } else {
            eprint!("{note}");
        }
    }
    Ok(out)
}

/// The API of the crate `spec` generates: the description [`codegen::prepare`] puts in its
/// `api.json` (nothing is written).
fn describe(spec: &ServiceSpec) -> Result<diff::ApiDescription> {
    Ok(codegen::prepare(spec)?.api().clone())
}

/// The API of the crate an earlier model gave, generated in memory with `spec`'s other inputs.
/// The earlier model is only described: its endpoint test cases are not checked, since they
/// were written for the partition data of their time, and `spec`'s hand-written endpoint
/// expectations are for the current model's cases.
fn describe_base(spec: &ServiceSpec, models: &[PathBuf]) -> Result<diff::ApiDescription> {
    let mut model = codegen::load_model(models)?;
    if let Some(service) = model.shapes.get_mut(&spec.service) {
        service.traits.remove("smithy.rules#endpointTests");
    }
    let spec = ServiceSpec {
        models: models.to_vec(),
        endpoint_expectations: Vec::new(),
        ..spec.clone()
    };
    Ok(codegen::prepare_model(&spec, model)?.api().clone())
}

fn paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The service to compare: from the manifest (by `--crate`, or its only service), with
/// `--model`/`--service`/`--partitions` overriding; without a manifest entry, `--model` and
/// `--service` alone (and `--partitions` for a model with endpoint rules).
fn select_spec(args: &DiffArgs) -> Result<ServiceSpec> {
    let standalone = !args.models.is_empty() && args.service.is_some();
    let specs = match manifest::read(&args.manifest) {
        Ok(specs) => specs,
        Err(CodegenError::Io { source, .. })
            if standalone && source.kind() == std::io::ErrorKind::NotFound =>
        {
            Vec::new()
        }
        Err(err) => return Err(err),
    };
    let found = match &args.crate_name {
        Some(name) => specs.iter().find(|s| &s.crate_name == name).cloned(),
        None if specs.len() == 1 => specs.first().cloned(),
        None => None,
    };
    let mut spec = match found {
        Some(spec) => spec,
        None if standalone => ServiceSpec {
            crate_name: args
                .crate_name
                .clone()
                .unwrap_or_else(|| "client".to_owned()),
            crate_version: "0.1.0".to_owned(),
            service: String::new(),
            models: Vec::new(),
            out: PathBuf::new(),
            partitions: None,
            test_partitions: None,
            examples: None,
            changelog: None,
            runtime: manifest::RuntimeMode::Crate,
            endpoint_expectations: Vec::new(),
            strict: false,
        },
        None => {
            let names: Vec<&str> = specs.iter().map(|s| s.crate_name.as_str()).collect();
            let message = match &args.crate_name {
                Some(name) => format!(
                    "no [[service]] with crate = \"{name}\" (the manifest has: {})",
                    names.join(", ")
                ),
                None => format!(
                    "the manifest has several services ({}): choose one with --crate",
                    names.join(", ")
                ),
            };
            return Err(CodegenError::Manifest {
                file: args.manifest.clone(),
                message,
            });
        }
    };
    if !args.models.is_empty() {
        spec.models = args.models.clone();
    }
    if let Some(service) = &args.service {
        spec.service = service.clone();
    }
    if let Some(partitions) = &args.partitions {
        spec.partitions = Some(partitions.clone());
    }
    Ok(spec)
}

/// `--bump` for one service: sets its version in the manifest by the verdict of `changes`
/// (never lowering it) and adds the changelog entry. Returns what it did, in words.
pub fn bump(manifest_path: &Path, spec: &ServiceSpec, changes: &ApiDiff) -> Result<String> {
    let verdict = changes.verdict();
    if verdict == Bump::None {
        return Ok(format!(
            "{}: no API changes; version stays {}\n",
            spec.crate_name, spec.crate_version
        ));
    }
    let invalid = |err: diff::semver::VersionError| CodegenError::Manifest {
        file: manifest_path.to_owned(),
        message: format!("crate `{}`: {err}", spec.crate_name),
    };
    let version =
        diff::semver::release_version(&changes.base_version, &spec.crate_version, verdict)
            .map_err(invalid)?
            .to_string();
    let manifest_dir = manifest_path.parent().unwrap_or(Path::new(""));
    let default_changelog = format!("changelogs/{}.md", spec.crate_name);
    let text = std::fs::read_to_string(manifest_path)
        .map_err(|err| CodegenError::io(manifest_path, err))?;
    let edited = diff::manifest_edit::set_version(
        manifest_path,
        &text,
        &spec.crate_name,
        &version,
        &default_changelog,
    )?;
    let changelog_path = spec
        .changelog
        .clone()
        .unwrap_or_else(|| manifest_dir.join(&default_changelog));
    let changelog = match std::fs::read_to_string(&changelog_path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            diff::changelog::new_changelog(&spec.crate_name)
        }
        Err(err) => return Err(CodegenError::io(&changelog_path, err)),
    };
    let changelog = diff::changelog::insert(&changelog, &diff::changelog::entry(changes, &version));
    write_file(&changelog_path, &changelog)?;
    write_file(manifest_path, &edited)?;
    Ok(format!(
        "{}: version {} -> {version} in {} ({verdict} changes since {}); changelog entry added to {}\n",
        spec.crate_name,
        spec.crate_version,
        manifest_path.display(),
        changes.base_version,
        changelog_path.display()
    ))
}

/// `cargo xtask codegen --bump`: compares each service's committed `api.json` with its model,
/// bumps versions and changelogs, and returns the manifest's services as they are now.
pub fn bump_manifest(manifest_path: &Path) -> Result<Vec<ServiceSpec>> {
    for spec in manifest::read(manifest_path)? {
        let Some(old) = diff::api_file::read_committed(&spec.out)? else {
            let _ = writeln!(
                std::io::stdout(),
                "{}: no committed {}: nothing to compare, version stays {}",
                spec.crate_name,
                spec.out.join(diff::api_file::FILE_NAME).display(),
                spec.crate_version
            );
            continue;
        };
        let new = describe(&spec)?;
        let changes = diff::compare(&old, &new);
        let _ = write!(
            std::io::stdout(),
            "{}",
            bump(manifest_path, &spec, &changes)?
        );
    }
    manifest::read(manifest_path)
}

/// Writes a file whole: into a temporary file beside it, then renamed over it.
fn write_file(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|err| CodegenError::io(dir, err))?;
    let mut staged =
        tempfile::NamedTempFile::new_in(dir).map_err(|err| CodegenError::io(dir, err))?;
    staged
        .write_all(text.as_bytes())
        .map_err(|err| CodegenError::io(path, err))?;
    staged
        .persist(path)
        .map_err(|err| CodegenError::io(path, err.error))?;
    Ok(())
}

/// The folder the full reports of `cargo xtask codegen` go to.
fn reports_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"))
        .join("api-changes")
}

/// What `cargo xtask codegen` prints about the API after writing a crate: the one-line summary
/// and where the full report is (written to `target/api-changes/`). Empty when nothing changed.
pub fn after_write(spec: &ServiceSpec, api: &ApiComparison) -> Result<String> {
    let changes = match api {
        ApiComparison::NoBaseline => return Ok(String::new()),
        ApiComparison::Unreadable(message) => {
            return Ok(format!("  warning: API changes not compared: {message}\n"))
        }
        ApiComparison::Compared(changes) if changes.is_empty() => return Ok(String::new()),
        ApiComparison::Compared(changes) => changes,
    };
    let dir = reports_dir();
    let base = format!(
        "previous {} ({})",
        diff::api_file::FILE_NAME,
        changes.base_version
    );
    let new_label = format!("model {}", paths(&spec.models));
    let text_path = dir.join(format!("{}.txt", spec.crate_name));
    let json_path = dir.join(format!("{}.json", spec.crate_name));
    write_file(&text_path, &diff::report::text(changes, &base, &new_label))?;
    write_file(&json_path, &diff::report::json(changes, &base, &new_label))?;
    let mut out = format!(
        "  API: {}\n  full report: {} (JSON: {})\n",
        diff::report::summary(changes),
        text_path.display(),
        json_path.display()
    );
    let release = diff::semver::release_version(
        &changes.base_version,
        &spec.crate_version,
        changes.verdict(),
    );
    if let Ok(next) = release.map(|v| v.to_string()) {
        if next != spec.crate_version {
            out.push_str(&format!(
                "  the version is still {}: to set {next} and add a changelog entry, restore the \
                 previous api.json (`git checkout {}`) and run `cargo xtask codegen --bump`\n",
                spec.crate_version,
                spec.out.join(diff::api_file::FILE_NAME).display()
            ));
        }
    }
    Ok(out)
}

/// What `cargo xtask codegen --check` prints first for a stale crate: the API-level summary.
pub fn check_summary(spec: &ServiceSpec, api: &ApiComparison) -> String {
    match api {
        ApiComparison::NoBaseline => format!(
            "{}: no committed {} to compare the API with",
            spec.crate_name,
            diff::api_file::FILE_NAME
        ),
        ApiComparison::Unreadable(message) => format!("{}: {message}", spec.crate_name),
        ApiComparison::Compared(changes) if changes.is_empty() => format!(
            "{}: the API is unchanged (the generated code changed, not the model's API)",
            spec.crate_name
        ),
        ApiComparison::Compared(changes) => format!(
            "{}: the model changed the API: {} (`cargo xtask diff` prints the full report)",
            spec.crate_name,
            diff::report::summary(changes)
        ),
    }
}
