//! The AWS functions of the rules engine: `aws.partition`, `aws.parseArn` and
//! `aws.isVirtualHostableS3Bucket`, plus the static partition data types the generator fills in.

use super::region_regex;

/// The partition data, as generated from `partitions.json` (no parsing at run time).
#[derive(Debug, Clone, Copy)]
pub struct PartitionTable {
    /// The partitions in file order; the regex fallback tries them in this order.
    pub partitions: &'static [PartitionData],
}

/// One partition of [`PartitionTable`].
#[derive(Debug, Clone, Copy)]
pub struct PartitionData {
    /// The partition id (`aws`, `aws-cn`, ...).
    pub id: &'static str,
    /// `regionRegex`, in the subset that [`region_regex`] implements.
    pub region_regex: &'static str,
    /// The regions listed explicitly, with their overrides of the partition outputs.
    pub regions: &'static [RegionData],
    /// The partition's outputs.
    pub outputs: PartitionOutputs,
}

/// A region listed in a partition, with the outputs it overrides (usually none).
#[derive(Debug, Clone, Copy)]
pub struct RegionData {
    /// The region name (`us-east-1`).
    pub name: &'static str,
    /// Outputs that differ from the partition's for this region.
    pub overrides: RegionOverrides,
}

/// Per-region overrides of [`PartitionOutputs`]; `None` keeps the partition's value.
#[derive(Debug, Clone, Copy, Default)]
pub struct RegionOverrides {
    /// Overrides `name`.
    pub name: Option<&'static str>,
    /// Overrides `dnsSuffix`.
    pub dns_suffix: Option<&'static str>,
    /// Overrides `dualStackDnsSuffix`.
    pub dual_stack_dns_suffix: Option<&'static str>,
    /// Overrides `supportsFIPS`.
    pub supports_fips: Option<bool>,
    /// Overrides `supportsDualStack`.
    pub supports_dual_stack: Option<bool>,
    /// Overrides `implicitGlobalRegion`.
    pub implicit_global_region: Option<&'static str>,
}

/// The result of `aws.partition`, with the attribute names of the rules engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartitionOutputs {
    /// `name`.
    pub name: &'static str,
    /// `dnsSuffix`.
    pub dns_suffix: &'static str,
    /// `dualStackDnsSuffix`.
    pub dual_stack_dns_suffix: &'static str,
    /// `supportsFIPS`.
    pub supports_fips: bool,
    /// `supportsDualStack`.
    pub supports_dual_stack: bool,
    /// `implicitGlobalRegion`.
    pub implicit_global_region: &'static str,
}

impl RegionOverrides {
    /// No overrides: the region uses its partition's outputs.
    pub const NONE: Self = Self {
        name: None,
        dns_suffix: None,
        dual_stack_dns_suffix: None,
        supports_fips: None,
        supports_dual_stack: None,
        implicit_global_region: None,
    };
}

impl PartitionOutputs {
    fn with(self, o: &RegionOverrides) -> Self {
        Self {
            name: o.name.unwrap_or(self.name),
            dns_suffix: o.dns_suffix.unwrap_or(self.dns_suffix),
            dual_stack_dns_suffix: o
                .dual_stack_dns_suffix
                .unwrap_or(self.dual_stack_dns_suffix),
            supports_fips: o.supports_fips.unwrap_or(self.supports_fips),
            supports_dual_stack: o.supports_dual_stack.unwrap_or(self.supports_dual_stack),
            implicit_global_region: o
                .implicit_global_region
                .unwrap_or(self.implicit_global_region),
        }
    }
}

/// `aws.partition(region)`: the partition of `region`.
///
/// A region listed explicitly in a partition wins (with its overrides); otherwise the first
/// partition whose `regionRegex` matches; otherwise the `aws` partition. `None` only if the table
/// has no `aws` partition.
pub fn partition(region: &str, table: &PartitionTable) -> Option<PartitionOutputs> {
    for p in table.partitions {
        if let Some(r) = p.regions.iter().find(|r| r.name == region) {
            return Some(p.outputs.with(&r.overrides));
        }
    }
    table
        .partitions
        .iter()
        .find(|p| region_regex::is_match(p.region_regex, region))
        .or_else(|| table.partitions.iter().find(|p| p.id == "aws"))
        .map(|p| p.outputs)
}

/// The result of `aws.parseArn`, with the attribute names of the rules engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn<'a> {
    /// `partition`.
    pub partition: &'a str,
    /// `service`.
    pub service: &'a str,
    /// `region` (may be empty).
    pub region: &'a str,
    /// `accountId` (may be empty).
    pub account_id: &'a str,
    /// `resourceId`: the resource part split on `:` and `/`.
    pub resource_id: Vec<&'a str>,
}

/// `aws.parseArn(value)`: splits `arn:partition:service:region:account:resource`.
///
/// Returns `None` unless the value starts with `arn:` and has non-empty partition, service and
/// resource parts.
pub fn parse_arn(value: &str) -> Option<Arn<'_>> {
    let mut parts = value.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition,
        service,
        region,
        account_id,
        resource_id: resource.split([':', '/']).collect(),
    })
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`: whether a bucket name can be used as
/// a host label: 3 to 63 characters of lowercase letters, digits and hyphens (and dots between
/// labels with `allow_subdomains`), starting and ending with a letter or digit, and not
/// formatted like an IPv4 address.
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_subdomains: bool) -> bool {
    let label_ok = |label: &str| {
        !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let labels_ok = if allow_subdomains {
        value.split('.').all(label_ok)
    } else {
        label_ok(value)
    };
    (3..=63).contains(&value.len()) && labels_ok && value.parse::<std::net::Ipv4Addr>().is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn outputs(name: &'static str, dns: &'static str) -> PartitionOutputs {
        PartitionOutputs {
            name,
            dns_suffix: dns,
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-east-1",
        }
    }

    static TABLE: PartitionTable = PartitionTable {
        partitions: &[
            PartitionData {
                id: "aws",
                region_regex: r"^(us|eu)\-\w+\-\d+$",
                regions: &[
                    RegionData {
                        name: "aws-global",
                        overrides: RegionOverrides {
                            name: None,
                            dns_suffix: None,
                            dual_stack_dns_suffix: None,
                            supports_fips: None,
                            supports_dual_stack: None,
                            implicit_global_region: None,
                        },
                    },
                    RegionData {
                        name: "us-weird-1",
                        overrides: RegionOverrides {
                            name: None,
                            dns_suffix: None,
                            dual_stack_dns_suffix: None,
                            supports_fips: Some(false),
                            supports_dual_stack: None,
                            implicit_global_region: None,
                        },
                    },
                ],
                outputs: outputs("aws", "amazonaws.com"),
            },
            PartitionData {
                id: "aws-iso",
                region_regex: r"^us\-iso\-\w+\-\d+$",
                regions: &[],
                outputs: outputs("aws-iso", "c2s.ic.gov"),
            },
        ],
    };

    #[test]
    fn exact_then_regex_then_default() {
        assert_eq!(partition("aws-global", &TABLE).unwrap().name, "aws");
        assert_eq!(partition("us-iso-west-9", &TABLE).unwrap().name, "aws-iso");
        assert_eq!(partition("eu-west-1", &TABLE).unwrap().name, "aws");
        // Unknown shapes fall back to `aws`.
        assert_eq!(
            partition("mars-north-1", &TABLE).unwrap().dns_suffix,
            "amazonaws.com"
        );
        let weird = partition("us-weird-1", &TABLE).unwrap();
        assert!(!weird.supports_fips);
        assert!(weird.supports_dual_stack);
        let empty = PartitionTable { partitions: &[] };
        assert_eq!(partition("us-east-1", &empty), None);
    }

    #[test]
    fn arn_parsing() {
        let arn = parse_arn("arn:aws:s3:us-east-1:123456789012:accesspoint/my-ap:x").unwrap();
        assert_eq!(arn.partition, "aws");
        assert_eq!(arn.service, "s3");
        assert_eq!(arn.region, "us-east-1");
        assert_eq!(arn.account_id, "123456789012");
        assert_eq!(arn.resource_id, ["accesspoint", "my-ap", "x"]);
        let arn = parse_arn("arn:aws:s3:::bucket").unwrap();
        assert_eq!((arn.region, arn.account_id), ("", ""));
        for bad in [
            "arn:aws:s3",
            "arn::s3:r:a:res",
            "arn:aws::r:a:res",
            "arn:aws:s3:r:a:",
            "urn:aws:s3:r:a:x",
        ] {
            assert_eq!(parse_arn(bad), None, "{bad}");
        }
    }

    #[test]
    fn virtual_hostable_buckets() {
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(is_virtual_hostable_s3_bucket("abc", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
        assert!(!is_virtual_hostable_s3_bucket("My-Bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("bucket-", false));
        assert!(!is_virtual_hostable_s3_bucket("a.b.c", false));
        assert!(is_virtual_hostable_s3_bucket("a.b.c", true));
        assert!(!is_virtual_hostable_s3_bucket("a..b", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", true));
    }
}
