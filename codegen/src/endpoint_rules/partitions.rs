//! The AWS partition data (`partitions.json`) as static Rust data, and the same data as values
//! for the build-time evaluator.

use super::{region_regex, EndpointRulesError, Result};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

/// The outputs of one partition (or of one region, after its overrides).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outputs {
    pub name: String,
    pub dns_suffix: String,
    pub dual_stack_dns_suffix: String,
    pub supports_fips: bool,
    pub supports_dual_stack: bool,
    pub implicit_global_region: String,
}

/// Per-region overrides of [`Outputs`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Overrides {
    pub name: Option<String>,
    pub dns_suffix: Option<String>,
    pub dual_stack_dns_suffix: Option<String>,
    pub supports_fips: Option<bool>,
    pub supports_dual_stack: Option<bool>,
    pub implicit_global_region: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Partition {
    pub id: String,
    pub region_regex: String,
    pub regions: Vec<(String, Overrides)>,
    pub outputs: Outputs,
}

/// A parsed `partitions.json`.
#[derive(Debug, Clone)]
pub(crate) struct Partitions {
    pub version: String,
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

    /// The static table as a Rust file.
    pub fn to_tokens(&self, origin: &str) -> TokenStream {
        let ids: Vec<&str> = self.partitions.iter().map(|p| p.id.as_str()).collect();
        let file_doc = format!(
            " AWS partition data: {origin} (format version {}; partitions {}). Generated; do not edit.",
            self.version,
            ids.join(", ")
        );
        let partitions = self.partitions.iter().map(|p| {
            let id = &p.id;
            let regex = &p.region_regex;
            let outputs = outputs_tokens(&p.outputs);
            let regions = p.regions.iter().map(|(name, o)| {
                let overrides = overrides_tokens(o);
                quote! { RegionData { name: #name, overrides: #overrides } }
            });
            quote! {
                PartitionData {
                    id: #id,
                    region_regex: #regex,
                    regions: &[#(#regions),*],
                    outputs: #outputs,
                }
            }
        });
        quote! {
            #![doc = #file_doc]
            use crate::rt::endpoint_lib::aws::{
                PartitionData, PartitionOutputs, PartitionTable, RegionData, RegionOverrides,
            };
            #[doc = " The partitions, in the order of the data file."]
            pub static PARTITIONS: PartitionTable = PartitionTable {
                partitions: &[#(#partitions),*],
            };
        }
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

fn outputs_tokens(o: &Outputs) -> TokenStream {
    let Outputs {
        name,
        dns_suffix,
        dual_stack_dns_suffix,
        supports_fips,
        supports_dual_stack,
        implicit_global_region,
    } = o;
    quote! {
        PartitionOutputs {
            name: #name,
            dns_suffix: #dns_suffix,
            dual_stack_dns_suffix: #dual_stack_dns_suffix,
            supports_fips: #supports_fips,
            supports_dual_stack: #supports_dual_stack,
            implicit_global_region: #implicit_global_region,
        }
    }
}

fn overrides_tokens(o: &Overrides) -> TokenStream {
    if *o == Overrides::default() {
        return quote!(RegionOverrides::NONE);
    }
    let mut fields = Vec::new();
    let mut s = |field: &str, v: &Option<String>| {
        if let Some(v) = v {
            let f = quote::format_ident!("{}", field);
            fields.push(quote!(#f: Some(#v)));
        }
    };
    s("name", &o.name);
    s("dns_suffix", &o.dns_suffix);
    s("dual_stack_dns_suffix", &o.dual_stack_dns_suffix);
    s("implicit_global_region", &o.implicit_global_region);
    if let Some(v) = o.supports_fips {
        fields.push(quote!(supports_fips: Some(#v)));
    }
    if let Some(v) = o.supports_dual_stack {
        fields.push(quote!(supports_dual_stack: Some(#v)));
    }
    quote!(RegionOverrides { #(#fields,)* ..RegionOverrides::NONE })
}
