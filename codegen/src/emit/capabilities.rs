//! How a generated crate gets the runtime: the runtime's capabilities the model needs, and the
//! `[features]`, `[dependencies]` and `[dev-dependencies]` of the crate's manifest.
//!
//! A capability is a module of the runtime (one of `runtime/src/capability/`, or the wire codec
//! of a protocol only some services use under `runtime/src/codec/`) gated by a runtime Cargo
//! feature (`#[cfg(feature = "<capability>")]` on the line above its declaration, and above each
//! of its re-exports in the `codegen` facade); the feature's `dep:` entries are the module's
//! optional dependencies.
//!
//! - With the runtime as a crate (the default), the generated crate depends on
//!   `smithy-rust-runtime` without default features, turns on the capabilities its model needs,
//!   and forwards its own features (`webpki-roots`, `test-util`, ...) to the runtime's.
//! - With the runtime vendored, the crate gets the runtime's dependencies itself: those of the
//!   capabilities it needs made plain, those of the others left out (see [`super::vendor`]).

use crate::error::{CodegenError, Result};
use crate::ir::ServiceIr;
use crate::runtime::RUNTIME_CARGO_TOML;

use super::RuntimeDependency;

/// The runtime's package name.
pub const RUNTIME_PACKAGE: &str = "smithy-rust-runtime";

/// The crates generated code names itself (besides the runtime); the generated crate depends
/// on them with the runtime's version requirements.
const DIRECT_DEPENDENCIES: &[&str] = &["bytes", "http", "serde_json"];

/// The crates the generated crate's own tests and examples use (the endpoint tests compare
/// properties as `serde_json` values; the examples and end-to-end doubles run on tokio): its
/// dev-dependencies, with the runtime's dev-dependency specs. The runtime's other
/// dev-dependencies (property tests, the official codecs it checks its own against) serve only
/// the runtime's tests, which run in the runtime crate, so generated crates do not get them.
const DEV_DEPENDENCIES: &[&str] = &["serde_json", "tokio"];

/// A runtime part that only services with some model feature need.
pub struct Capability {
    /// The runtime Cargo feature gating the module.
    pub feature: &'static str,
    /// The paths of its modules under the runtime's `src/`, without `.rs`: files `<module>.rs`
    /// or folders `<module>/` (a capability may add a module to several layers, e.g. the
    /// streaming bodies of event streams in the contract, transport and orchestrator).
    pub modules: &'static [&'static str],
    /// Whether a service needs it.
    pub needed: fn(&ServiceIr) -> bool,
}

/// Every capability of the runtime.
pub const CAPABILITIES: &[Capability] = &[
    Capability {
        feature: "request-compression",
        modules: &["capability/compression"],
        needed: |ir| ir.operations.iter().any(|op| op.request_compression),
    },
    Capability {
        feature: "glacier-checksums",
        modules: &["capability/glacier"],
        needed: |ir| ir.operations.iter().any(|op| op.glacier_checksums),
    },
    Capability {
        feature: "content-md5",
        modules: &["capability/checksum"],
        needed: |ir| ir.operations.iter().any(|op| op.checksum_required),
    },
    Capability {
        feature: "byte-stream",
        modules: &["capability/byte_stream"],
        needed: ServiceIr::has_streaming_blobs,
    },
    // Event streams: the message codec, the streaming bodies and the call path of operations
    // that send or receive one.
    Capability {
        feature: "event-stream",
        modules: &[
            "codec/event_stream",
            "capability/event_stream",
            "contract/stream",
            "transport/stream",
            "orchestrator/handle/stream",
        ],
        needed: ServiceIr::has_event_streams,
    },
    // The CBOR codec and the rpcv2Cbor protocol rules, for the protocols that ask for it.
    Capability {
        feature: "cbor",
        modules: &["codec/cbor", "codec/rpcv2_cbor"],
        needed: |ir| {
            super::protocol::for_service(ir)
                .capabilities()
                .contains(&"cbor")
        },
    },
];

/// The capability gated by `feature`, if it is one.
pub fn capability(feature: &str) -> Option<&'static Capability> {
    CAPABILITIES.iter().find(|c| c.feature == feature)
}

impl Capability {
    /// Whether the runtime file at `path` (under `src/`) belongs to one of this capability's
    /// modules.
    pub fn holds(&self, path: &str) -> bool {
        self.modules.iter().any(|module| {
            path.strip_prefix(module)
                .is_some_and(|rest| rest == ".rs" || rest.starts_with('/'))
        })
    }
}

pub(super) fn runtime_error(file: &str, message: String) -> CodegenError {
    CodegenError::Emit {
        file: format!("runtime/{file}"),
        message,
    }
}

/// The Rust version the generator was built for: the workspace's `rust-version`, which the
/// generator and the runtime inherit (the runtime's manifest is checked to inherit it).
const WORKSPACE_RUST_VERSION: &str = env!("CARGO_PKG_RUST_VERSION");

/// The runtime's manifest, parsed.
struct RuntimeManifest {
    version: String,
    /// The oldest Rust the runtime builds with: generated crates need it too.
    rust_version: String,
    features: toml::Table,
    dependencies: toml::Table,
    dev_dependencies: toml::Table,
}

impl RuntimeManifest {
    fn load() -> Result<Self> {
        let manifest: toml::Table = RUNTIME_CARGO_TOML
            .parse()
            .map_err(|err: toml::de::Error| runtime_error("Cargo.toml", err.to_string()))?;
        let table = |name: &str| {
            manifest
                .get(name)
                .and_then(toml::Value::as_table)
                .cloned()
                .unwrap_or_default()
        };
        let version = manifest
            .get("package")
            .and_then(|p| p.get("version"))
            .and_then(toml::Value::as_str)
            .ok_or_else(|| runtime_error("Cargo.toml", "no package version".to_owned()))?
            .to_owned();
        let rust_version = rust_version(manifest.get("package"))?;
        let runtime_dev_dependencies = table("dev-dependencies");
        let mut dev_dependencies = toml::Table::new();
        for name in DEV_DEPENDENCIES {
            let spec = runtime_dev_dependencies.get(*name).ok_or_else(|| {
                runtime_error(
                    "Cargo.toml",
                    format!(
                        "generated tests use `{name}`, which is not a dev-dependency of the runtime"
                    ),
                )
            })?;
            dev_dependencies.insert((*name).to_owned(), spec.clone());
        }
        Ok(Self {
            version,
            rust_version,
            features: table("features"),
            dependencies: table("dependencies"),
            dev_dependencies,
        })
    }

    /// The entries of a feature.
    fn entries(&self, feature: &str) -> Result<Vec<&str>> {
        Ok(self
            .features
            .get(feature)
            .and_then(toml::Value::as_array)
            .ok_or_else(|| {
                runtime_error(
                    "Cargo.toml",
                    format!("capability `{feature}` is not a feature"),
                )
            })?
            .iter()
            .filter_map(toml::Value::as_str)
            .collect())
    }

    /// The `dep:` entries of a feature.
    fn optional_deps(&self, feature: &str) -> Result<Vec<String>> {
        Ok(self
            .entries(feature)?
            .into_iter()
            .filter_map(|entry| entry.strip_prefix("dep:").map(str::to_owned))
            .collect())
    }

    /// The `<dependency>/<feature>` entries of a feature: features of the runtime's other
    /// dependencies it turns on.
    fn dependency_features(&self, feature: &str) -> Result<Vec<(String, String)>> {
        Ok(self
            .entries(feature)?
            .into_iter()
            .filter_map(|entry| entry.split_once('/'))
            .map(|(dep, feature)| (dep.to_owned(), feature.to_owned()))
            .collect())
    }
}

/// The runtime's `rust-version`: its own value, or the workspace's when it inherits it.
fn rust_version(package: Option<&toml::Value>) -> Result<String> {
    let missing = || {
        runtime_error(
            "Cargo.toml",
            "no `rust-version` (generated crates declare the runtime's)".to_owned(),
        )
    };
    match package
        .and_then(|p| p.get("rust-version"))
        .ok_or_else(missing)?
    {
        toml::Value::String(version) => Ok(version.clone()),
        toml::Value::Table(t) if t.get("workspace") == Some(&toml::Value::Boolean(true)) => {
            if WORKSPACE_RUST_VERSION.is_empty() {
                Err(missing())
            } else {
                Ok(WORKSPACE_RUST_VERSION.to_owned())
            }
        }
        other => Err(runtime_error(
            "Cargo.toml",
            format!("`rust-version` must be a version or `{{ workspace = true }}`, not `{other}`"),
        )),
    }
}

/// The generated crate's manifest tables.
pub struct ManifestTables {
    /// `rust-version`: the runtime's (a vendored copy needs the same Rust).
    pub rust_version: String,
    /// `[features]`.
    pub features: toml::Table,
    /// `[dependencies]`.
    pub dependencies: toml::Table,
    /// `[dev-dependencies]`.
    pub dev_dependencies: toml::Table,
}

/// The manifest tables of the crate for `ir`, which gets the runtime as `runtime` says.
pub fn manifest_tables(ir: &ServiceIr, runtime: &RuntimeDependency) -> Result<ManifestTables> {
    let manifest = RuntimeManifest::load()?;
    match runtime {
        RuntimeDependency::Crate { path } => crate_tables(ir, &manifest, path),
        RuntimeDependency::Vendored => vendored_tables(ir, &manifest),
    }
}

fn crate_tables(ir: &ServiceIr, manifest: &RuntimeManifest, path: &str) -> Result<ManifestTables> {
    let mut features = toml::Table::new();
    for (name, value) in &manifest.features {
        if capability(name).is_some() {
            continue;
        }
        let forwarded = if name == "default" {
            value.clone()
        } else {
            toml::Value::Array(vec![toml::Value::String(format!(
                "{RUNTIME_PACKAGE}/{name}"
            ))])
        };
        features.insert(name.clone(), forwarded);
    }
    let mut dependencies = toml::Table::new();
    for name in DIRECT_DEPENDENCIES {
        let spec = manifest.dependencies.get(*name).ok_or_else(|| {
            runtime_error(
                "Cargo.toml",
                format!("generated code uses `{name}`, which is not a dependency of the runtime"),
            )
        })?;
        dependencies.insert((*name).to_owned(), spec.clone());
    }
    let capabilities: Vec<toml::Value> = CAPABILITIES
        .iter()
        .filter(|c| (c.needed)(ir))
        .map(|c| toml::Value::String(c.feature.to_owned()))
        .collect();
    let mut runtime = toml::Table::new();
    runtime.insert(
        "version".to_owned(),
        toml::Value::String(manifest.version.clone()),
    );
    runtime.insert("path".to_owned(), toml::Value::String(path.to_owned()));
    runtime.insert("default-features".to_owned(), toml::Value::Boolean(false));
    if !capabilities.is_empty() {
        runtime.insert("features".to_owned(), toml::Value::Array(capabilities));
    }
    dependencies.insert(RUNTIME_PACKAGE.to_owned(), toml::Value::Table(runtime));
    Ok(ManifestTables {
        rust_version: manifest.rust_version.clone(),
        features,
        dependencies,
        dev_dependencies: manifest.dev_dependencies.clone(),
    })
}

fn vendored_tables(ir: &ServiceIr, manifest: &RuntimeManifest) -> Result<ManifestTables> {
    let mut features = manifest.features.clone();
    let mut dependencies = manifest.dependencies.clone();
    for capability in CAPABILITIES {
        features.remove(capability.feature);
        for dep in manifest.optional_deps(capability.feature)? {
            if !(capability.needed)(ir) {
                dependencies.remove(&dep);
                continue;
            }
            let Some(toml::Value::Table(spec)) = dependencies.get_mut(&dep) else {
                return Err(runtime_error(
                    "Cargo.toml",
                    format!(
                        "`{dep}` of capability `{}` must be an optional dependency written as a table",
                        capability.feature
                    ),
                ));
            };
            spec.remove("optional");
            if spec.len() == 1 {
                if let Some(version) = spec.get("version").cloned() {
                    dependencies.insert(dep, version);
                }
            }
        }
        if !(capability.needed)(ir) {
            continue;
        }
        for (dep, feature) in manifest.dependency_features(capability.feature)? {
            let Some(toml::Value::Table(spec)) = dependencies.get_mut(&dep) else {
                return Err(runtime_error(
                    "Cargo.toml",
                    format!(
                        "capability `{}` turns on `{dep}/{feature}`: `{dep}` must be a \
                         dependency written as a table",
                        capability.feature
                    ),
                ));
            };
            let features = spec
                .entry("features")
                .or_insert_with(|| toml::Value::Array(Vec::new()));
            if let toml::Value::Array(features) = features {
                let feature = toml::Value::String(feature);
                if !features.contains(&feature) {
                    features.push(feature);
                }
            }
        }
    }
    Ok(ManifestTables {
        rust_version: manifest.rust_version.clone(),
        features,
        dependencies,
        dev_dependencies: manifest.dev_dependencies.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(text: &str) -> toml::Value {
        text.parse::<toml::Table>().unwrap()["package"].clone()
    }

    #[test]
    fn the_runtime_rust_version_is_its_own_or_the_inherited_workspace_one() {
        let own = package("[package]\nrust-version = \"1.85\"\n");
        assert_eq!(rust_version(Some(&own)).unwrap(), "1.85");
        let inherited = package("[package]\nrust-version.workspace = true\n");
        assert_eq!(
            rust_version(Some(&inherited)).unwrap(),
            WORKSPACE_RUST_VERSION
        );
        assert!(!WORKSPACE_RUST_VERSION.is_empty());
    }

    #[test]
    fn a_runtime_without_a_usable_rust_version_is_an_error() {
        let none = package("[package]\nname = \"x\"\n");
        let err = rust_version(Some(&none)).unwrap_err().to_string();
        assert!(err.contains("no `rust-version`"), "{err}");
        let odd = package("[package]\nrust-version.workspace = false\n");
        let err = rust_version(Some(&odd)).unwrap_err().to_string();
        assert!(err.contains("must be a version"), "{err}");
        assert!(err.contains("runtime/Cargo.toml"), "{err}");
    }

    #[test]
    fn the_shipped_runtime_declares_the_workspace_rust_version() {
        assert_eq!(
            RuntimeManifest::load().unwrap().rust_version,
            WORKSPACE_RUST_VERSION
        );
    }
}
