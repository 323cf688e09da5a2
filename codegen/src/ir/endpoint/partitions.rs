//! The AWS partition data (`partitions.json`), checked, for the build-time evaluator and for the
//! emitter (which writes it out as static Rust data).

use super::{region_regex, EndpointRulesError, Result};
use serde::Serialize;
use serde_json::Value;

/// The outputs of one partition (or of one region, after its overrides).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outputs {
    /// `name`.
    pub name: String,
    /// `dnsSuffix`.
    pub dns_suffix: String,
    /// `dualStackDnsSuffix`.
    pub dual_stack_dns_suffix: String,
    /// `supportsFIPS`.
    pub supports_fips: bool,
    /// `supportsDualStack`.
    pub supports_dual_stack: bool,
    /// `implicitGlobalRegion`.
    pub implicit_global_region: String,
}

/// Per-region overrides of [`Outputs`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Overrides {
    /// `name`.
    pub name: Option<String>,
    /// `dnsSuffix`.
    pub dns_suffix: Option<String>,
    /// `dualStackDnsSuffix`.
    pub dual_stack_dns_suffix: Option<String>,
    /// `supportsFIPS`.
    pub supports_fips: Option<bool>,
    /// `supportsDualStack`.
    pub supports_dual_stack: Option<bool>,
    /// `implicitGlobalRegion`.
    pub implicit_global_region: Option<String>,
}

/// One partition.
#[derive(Debug, Clone, Serialize)]
pub struct Partition {
    /// Its id, e.g. `aws`.
    pub id: String,
    /// The regex of its region names (checked to be one the runtime's matcher supports).
    pub region_regex: String,
    /// Its listed regions and their overrides.
    pub regions: Vec<(String, Overrides)>,
    /// Its outputs.
    pub outputs: Outputs,
}

/// A parsed `partitions.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Partitions {
    /// The data's format version.
    pub version: String,
    /// The partitions, in file order.
    pub partitions: Vec<Partition>,
}

fn str_field(obj: &Value, key: &str, path: &str) -> Result<String> {
    obj.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| EndpointRulesError::new(path, format!("missing or non-string `{key}`")))
}

fn bool_field(obj: &Value, key: &str, path: &str) -> Result<bool> {
    obj.get(key)
        .and_then(Value::as_bool)
        .ok_or_else(|| EndpointRulesError::new(path, format!("missing or non-boolean `{key}`")))
}

impl Partitions {
    /// Reads and validates the partition data; `what` names the input in error paths.
    pub fn parse(data: &Value, what: &str) -> Result<Self> {
        let version = data
            .get("version")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let list = data
            .get("partitions")
            .and_then(Value::as_array)
            .ok_or_else(|| EndpointRulesError::new(what, "missing `partitions` array"))?;
        let mut partitions = Vec::new();
        for (i, p) in list.iter().enumerate() {
            let path = format!("{what}.partitions[{i}]");
            let id = str_field(p, "id", &path)?;
            let region_regex = str_field(p, "regionRegex", &path)?;
            region_regex::parse(&region_regex).map_err(|e| {
                EndpointRulesError::new(
                    format!("{path}.regionRegex"),
                    format!("not supported: regionRegex `{region_regex}` ({e})"),
                )
            })?;
            let out = p
                .get("outputs")
                .ok_or_else(|| EndpointRulesError::new(&path, "missing `outputs`"))?;
            let out_path = format!("{path}.outputs");
            let outputs = Outputs {
                name: str_field(out, "name", &out_path)?,
                dns_suffix: str_field(out, "dnsSuffix", &out_path)?,
                dual_stack_dns_suffix: str_field(out, "dualStackDnsSuffix", &out_path)?,
                supports_fips: bool_field(out, "supportsFIPS", &out_path)?,
                supports_dual_stack: bool_field(out, "supportsDualStack", &out_path)?,
                implicit_global_region: str_field(out, "implicitGlobalRegion", &out_path)?,
            };
            let mut regions = Vec::new();
            let region_map = p
                .get("regions")
                .and_then(Value::as_object)
                .ok_or_else(|| EndpointRulesError::new(&path, "missing `regions` object"))?;
            for (name, entry) in region_map {
                let rpath = format!("{path}.regions.{name}");
                let entry = entry.as_object().ok_or_else(|| {
                    EndpointRulesError::new(&rpath, "region entry is not an object")
                })?;
                let mut o = Overrides::default();
                for (key, v) in entry {
                    let bad = || EndpointRulesError::new(&rpath, format!("bad value for `{key}`"));
                    match key.as_str() {
                        "description" => {}
                        "name" => o.name = Some(v.as_str().ok_or_else(bad)?.to_owned()),
                        "dnsSuffix" => o.dns_suffix = Some(v.as_str().ok_or_else(bad)?.to_owned()),
                        "dualStackDnsSuffix" => {
                            o.dual_stack_dns_suffix = Some(v.as_str().ok_or_else(bad)?.to_owned())
                        }
                        "supportsFIPS" => o.supports_fips = Some(v.as_bool().ok_or_else(bad)?),
                        "supportsDualStack" => {
                            o.supports_dual_stack = Some(v.as_bool().ok_or_else(bad)?)
                        }
                        "implicitGlobalRegion" => {
                            o.implicit_global_region = Some(v.as_str().ok_or_else(bad)?.to_owned())
                        }
                        other => {
                            return Err(EndpointRulesError::new(
                                &rpath,
                                format!("not supported: region attribute `{other}`"),
                            ))
                        }
                    }
                }
                regions.push((name.clone(), o));
            }
            partitions.push(Partition {
                id,
                region_regex,
                regions,
                outputs,
            });
        }
        if !partitions.iter().any(|p| p.id == "aws") {
            return Err(EndpointRulesError::new(
                what,
                "no `aws` partition (the default for unknown regions)",
            ));
        }
        Ok(Self {
            version,
            partitions,
        })
    }

    /// `aws.partition(region)` at build time, with the same algorithm as the runtime.
    pub fn resolve(&self, region: &str) -> Option<(&Partition, Outputs)> {
        for p in &self.partitions {
            if let Some((_, o)) = p.regions.iter().find(|(name, _)| name == region) {
                return Some((p, p.outputs.with(o)));
            }
        }
        self.partitions
            .iter()
            .find(|p| region_regex::is_match(&p.region_regex, region))
            .or_else(|| self.partitions.iter().find(|p| p.id == "aws"))
            .map(|p| (p, p.outputs.clone()))
    }
}

impl Outputs {
    fn with(&self, o: &Overrides) -> Self {
        Self {
            name: o.name.clone().unwrap_or_else(|| self.name.clone()),
            dns_suffix: o
                .dns_suffix
                .clone()
                .unwrap_or_else(|| self.dns_suffix.clone()),
            dual_stack_dns_suffix: o
                .dual_stack_dns_suffix
                .clone()
                .unwrap_or_else(|| self.dual_stack_dns_suffix.clone()),
            supports_fips: o.supports_fips.unwrap_or(self.supports_fips),
            supports_dual_stack: o.supports_dual_stack.unwrap_or(self.supports_dual_stack),
            implicit_global_region: o
                .implicit_global_region
                .clone()
                .unwrap_or_else(|| self.implicit_global_region.clone()),
        }
    }

    /// The differences from `other`, in the rules engine's attribute names.
    pub fn diff(&self, other: &Outputs) -> Vec<String> {
        let mut out = Vec::new();
        let mut s = |k: &str, a: &str, b: &str| {
            if a != b {
                out.push(format!("{k} `{a}` -> `{b}`"));
            }
        };
        s("name", &self.name, &other.name);
        s("dnsSuffix", &self.dns_suffix, &other.dns_suffix);
        s(
            "dualStackDnsSuffix",
            &self.dual_stack_dns_suffix,
            &other.dual_stack_dns_suffix,
        );
        s(
            "supportsFIPS",
            &self.supports_fips.to_string(),
            &other.supports_fips.to_string(),
        );
        s(
            "supportsDualStack",
            &self.supports_dual_stack.to_string(),
            &other.supports_dual_stack.to_string(),
        );
        s(
            "implicitGlobalRegion",
            &self.implicit_global_region,
            &other.implicit_global_region,
        );
        out
    }
}
