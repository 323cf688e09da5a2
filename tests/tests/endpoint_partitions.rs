//! The Chime client's generated endpoint resolver
//! (`chimesdkidentity::endpoint::resolve_endpoint_with`) over synthetic partition data written by
//! hand, where partitions (and one region) support neither FIPS nor DualStack, or only one of
//! them: the "... does not support FIPS" / "... DualStack" / "... one or both" errors of the
//! rules, checked against expected outcomes worked out by hand. The data and the cases are the
//! project's fixtures in `codegen/tests/fixtures/endpoints/` (the generator's tests use them too).

use std::path::Path;

use chimesdkidentity::endpoint::{resolve_endpoint_with, Params};
use serde_json::Value;
use smithy_rust_runtime::endpoint::aws::{
    PartitionData, PartitionOutputs, PartitionTable, RegionData, RegionOverrides,
};

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../codegen/tests/fixtures/endpoints")
        .join(name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The resolver takes `'static` data (as generated); a test can leak its few strings.
fn leak(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}

fn text(value: &Value, key: &str) -> &'static str {
    leak(
        value[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} in {value}")),
    )
}

fn flag(value: &Value, key: &str) -> bool {
    value[key]
        .as_bool()
        .unwrap_or_else(|| panic!("{key} in {value}"))
}

/// `partitions.json`-shaped data as the runtime's partition table.
fn table(data: &Value) -> PartitionTable {
    let mut partitions = Vec::new();
    for p in data["partitions"].as_array().expect("partitions") {
        let o = &p["outputs"];
        let mut regions = Vec::new();
        for (name, entry) in p["regions"].as_object().expect("regions") {
            regions.push(RegionData {
                name: leak(name),
                overrides: RegionOverrides {
                    supports_fips: entry.get("supportsFIPS").and_then(Value::as_bool),
                    supports_dual_stack: entry.get("supportsDualStack").and_then(Value::as_bool),
                    ..RegionOverrides::NONE
                },
            });
        }
        partitions.push(PartitionData {
            id: text(p, "id"),
            region_regex: text(p, "regionRegex"),
            regions: Vec::leak(regions),
            outputs: PartitionOutputs {
                name: text(o, "name"),
                dns_suffix: text(o, "dnsSuffix"),
                dual_stack_dns_suffix: text(o, "dualStackDnsSuffix"),
                supports_fips: flag(o, "supportsFIPS"),
                supports_dual_stack: flag(o, "supportsDualStack"),
                implicit_global_region: text(o, "implicitGlobalRegion"),
            },
        });
    }
    PartitionTable {
        partitions: Vec::leak(partitions),
    }
}

#[test]
fn partitions_without_fips_or_dual_stack_give_the_rules_errors() {
    let table = table(&fixture("partitions-without-fips-or-dual-stack.json"));
    let tests = fixture("endpoint-tests-without-fips-or-dual-stack.json");
    let cases = tests["testCases"].as_array().expect("testCases");
    let mut errors = 0;
    for case in cases {
        let doc = case["documentation"].as_str().expect("documentation");
        let params = Params {
            region: case["params"]["Region"].as_str().map(str::to_owned),
            use_fips: flag(&case["params"], "UseFIPS"),
            use_dual_stack: flag(&case["params"], "UseDualStack"),
            endpoint: None,
        };
        let got = resolve_endpoint_with(&params, &table);
        match (case["expect"]["error"].as_str(), got) {
            (Some(expected), Err(err)) => {
                assert_eq!(err.message(), expected, "{doc}");
                errors += 1;
            }
            (None, Ok(endpoint)) => {
                assert_eq!(endpoint.url, case["expect"]["endpoint"]["url"], "{doc}");
                assert!(endpoint.headers.is_empty() && endpoint.properties.is_empty());
            }
            (expected, got) => panic!("{doc}: expected {expected:?}, got {got:?}"),
        }
    }
    assert_eq!(cases.len(), 21);
    assert_eq!(errors, 12);
}
