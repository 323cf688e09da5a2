//! The manifest of services to generate (`model/services.toml`).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{CodegenError, Result};
use crate::ir::endpoint::{HandExpectation, HandOutcome};

/// One service to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceSpec {
    /// The crate (package and library) name.
    pub crate_name: String,
    /// The crate version.
    pub crate_version: String,
    /// The service shape id (empty: the model's only service).
    pub service: String,
    /// Model files or folders (`.json` JSON AST, `.smithy` IDL).
    pub models: Vec<PathBuf>,
    /// The crate folder to write.
    pub out: PathBuf,
    /// AWS partition data the crate ships (`partitions.json`), for endpoint rules.
    pub partitions: Option<PathBuf>,
    /// Partition data the model's endpoint tests were written against.
    pub test_partitions: Option<PathBuf>,
    /// A folder of hand-written example programs (`*.rs`), built as the crate's examples.
    pub examples: Option<PathBuf>,
    /// The changelog source (Markdown), copied into the crate as `CHANGELOG.md`.
    pub changelog: Option<PathBuf>,
    /// How the crate gets the runtime.
    pub runtime: RuntimeMode,
    /// Expected outcomes, written by hand, of the model's endpoint test cases that the shipped
    /// partition data changes (`[[service.endpoint_expectation]]`).
    pub endpoint_expectations: Vec<HandExpectation>,
    /// All or nothing (`strict = true`, `--strict`): an operation that needs something the
    /// generator does not implement is an error instead of being left out of the crate.
    pub strict: bool,
}

/// How a generated crate gets the client runtime (`runtime = "..."` in the manifest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuntimeMode {
    /// Depend on the `smithy-rust-runtime` crate (by path and version): the default. The
    /// clients of a program then share one configuration, credentials cache and connection pool.
    #[default]
    Crate,
    /// Copy the runtime's sources into the crate (`src/runtime/`), for a crate with no runtime
    /// dependency.
    Vendored,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    #[serde(default)]
    service: Vec<ServiceEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceEntry {
    #[serde(rename = "crate")]
    crate_name: String,
    #[serde(default = "default_version")]
    version: String,
    shape: String,
    models: Vec<String>,
    out: String,
    partitions: Option<String>,
    test_partitions: Option<String>,
    examples: Option<String>,
    changelog: Option<String>,
    #[serde(default)]
    runtime: RuntimeMode,
    #[serde(default)]
    endpoint_expectation: Vec<ExpectationEntry>,
    #[serde(default)]
    strict: bool,
}

/// `[[service.endpoint_expectation]]`: `documentation`, then `url` or `error`, and `because`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectationEntry {
    documentation: String,
    url: Option<String>,
    error: Option<String>,
    because: String,
}

fn default_version() -> String {
    "0.1.0".to_owned()
}

/// Reads the manifest at `path`; relative paths in it are relative to the manifest's folder.
pub fn read(path: &Path) -> Result<Vec<ServiceSpec>> {
    let text = std::fs::read_to_string(path).map_err(|err| CodegenError::io(path, err))?;
    parse(path, &text)
}

/// Parses manifest text (`path` names the file in errors and anchors relative paths).
pub fn parse(path: &Path, text: &str) -> Result<Vec<ServiceSpec>> {
    let fail = |message: String| CodegenError::Manifest {
        file: path.to_owned(),
        message,
    };
    let manifest: ManifestFile =
        toml::from_str(text).map_err(|err| fail(err.message().to_owned()))?;
    if manifest.service.is_empty() {
        return Err(fail("no [[service]] entries".to_owned()));
    }
    let base = path.parent().unwrap_or(Path::new(""));
    let mut specs = Vec::new();
    for (i, entry) in manifest.service.into_iter().enumerate() {
        let at = format!("service #{} (`{}`)", i + 1, entry.crate_name);
        if entry.crate_name.is_empty()
            || !entry
                .crate_name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        {
            return Err(fail(format!(
                "{at}: `crate` must be a lower-case crate name"
            )));
        }
        if !entry.shape.contains('#') {
            return Err(fail(format!(
                "{at}: `shape` must be an absolute shape id like `com.example#Service`"
            )));
        }
        if entry.models.is_empty() {
            return Err(fail(format!(
                "{at}: `models` must name at least one model file"
            )));
        }
        let mut endpoint_expectations = Vec::new();
        for e in entry.endpoint_expectation {
            let outcome = match (e.url, e.error) {
                (Some(url), None) => HandOutcome::Url(url),
                (None, Some(error)) => HandOutcome::Error(error),
                _ => {
                    return Err(fail(format!(
                        "{at}: the endpoint expectation for `{}` must have exactly one of `url` \
                         and `error`",
                        e.documentation
                    )))
                }
            };
            endpoint_expectations.push(HandExpectation {
                documentation: e.documentation,
                outcome,
                because: e.because,
            });
        }
        specs.push(ServiceSpec {
            crate_name: entry.crate_name,
            crate_version: entry.version,
            service: entry.shape,
            models: entry
                .models
                .iter()
                .map(|m| normalize(&base.join(m)))
                .collect(),
            out: normalize(&base.join(entry.out)),
            partitions: entry.partitions.map(|p| normalize(&base.join(p))),
            test_partitions: entry.test_partitions.map(|p| normalize(&base.join(p))),
            examples: entry.examples.map(|p| normalize(&base.join(p))),
            changelog: entry.changelog.map(|p| normalize(&base.join(p))),
            runtime: entry.runtime,
            endpoint_expectations,
            strict: entry.strict,
        });
    }
    Ok(specs)
}

/// Removes `.` and `name/..` pairs lexically (`model/../generated` -> `generated`), keeping
/// leading `..` components.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_manifest_and_normalized() {
        let specs = parse(
            Path::new("model/services.toml"),
            r#"
            [[service]]
            crate = "weather"
            shape = "example#Weather"
            models = ["../../shared/models/weather.json"]
            out = "../generated/weather"
            "#,
        )
        .unwrap();
        assert_eq!(specs[0].out, PathBuf::from("generated/weather"));
        assert_eq!(
            specs[0].models,
            vec![PathBuf::from("../shared/models/weather.json")]
        );
        assert_eq!(specs[0].crate_version, "0.1.0");
        assert_eq!(specs[0].runtime, RuntimeMode::Crate);
        assert!(!specs[0].strict);
        let strict = parse(
            Path::new("m.toml"),
            "[[service]]\ncrate = \"a\"\nshape = \"a#B\"\nmodels = [\"x.json\"]\nout = \"o\"\nstrict = true\n",
        )
        .unwrap();
        assert!(strict[0].strict);
    }

    #[test]
    fn the_runtime_mode_is_crate_or_vendored() {
        let entry = |mode: &str| {
            format!("[[service]]\ncrate = \"a\"\nshape = \"a#B\"\nmodels = [\"x.json\"]\nout = \"o\"\nruntime = \"{mode}\"\n")
        };
        let specs = parse(Path::new("m.toml"), &entry("vendored")).unwrap();
        assert_eq!(specs[0].runtime, RuntimeMode::Vendored);
        let specs = parse(Path::new("m.toml"), &entry("crate")).unwrap();
        assert_eq!(specs[0].runtime, RuntimeMode::Crate);
        let err = parse(Path::new("m.toml"), &entry("copied"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown variant `copied`"), "{err}");
    }

    #[test]
    fn endpoint_expectations_have_a_url_or_an_error() {
        let entry = |expectation: &str| {
            format!(
                "[[service]]\ncrate = \"a\"\nshape = \"a#B\"\nmodels = [\"x.json\"]\nout = \"o\"\n\
                 [[service.endpoint_expectation]]\ndocumentation = \"case\"\nbecause = \"why\"\n\
                 {expectation}"
            )
        };
        let specs = parse(Path::new("m.toml"), &entry("url = \"https://x.example\"\n")).unwrap();
        assert_eq!(
            specs[0].endpoint_expectations,
            [HandExpectation {
                documentation: "case".to_owned(),
                outcome: HandOutcome::Url("https://x.example".to_owned()),
                because: "why".to_owned(),
            }]
        );
        let specs = parse(Path::new("m.toml"), &entry("error = \"no\"\n")).unwrap();
        assert_eq!(
            specs[0].endpoint_expectations[0].outcome,
            HandOutcome::Error("no".to_owned())
        );
        for bad in ["", "url = \"u\"\nerror = \"e\"\n"] {
            let err = parse(Path::new("m.toml"), &entry(bad))
                .unwrap_err()
                .to_string();
            assert_eq!(
                err,
                "m.toml: invalid manifest: service #1 (`a`): the endpoint expectation for `case` \
                 must have exactly one of `url` and `error`"
            );
        }
    }

    #[test]
    fn rejects_bad_entries_with_the_file_and_the_reason() {
        let err = parse(Path::new("m.toml"), "[[service]]\ncrate = \"Bad Name\"\nshape = \"a#B\"\nmodels = [\"x.json\"]\nout = \"o\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("m.toml: invalid manifest:"), "{err}");
        assert!(err.contains("lower-case crate name"), "{err}");
        let err = parse(Path::new("m.toml"), "[[service]]\ncrate = \"a\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing field"), "{err}");
        let err = parse(Path::new("m.toml"), "not toml [")
            .unwrap_err()
            .to_string();
        assert!(err.contains("m.toml"), "{err}");
        let err = parse(Path::new("m.toml"), "").unwrap_err().to_string();
        assert!(err.contains("no [[service]] entries"), "{err}");
    }
}
