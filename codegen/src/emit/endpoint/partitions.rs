//! The AWS partition data as static Rust data.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::endpoint::partitions::{Outputs, Overrides, Partitions};

/// The partition data as a Rust file with a static `PARTITIONS` table; `origin` says where the
/// data came from.
pub(super) fn tokens(data: &Partitions, origin: &str) -> TokenStream {
    let ids: Vec<&str> = data.partitions.iter().map(|p| p.id.as_str()).collect();
    let file_doc = format!(
        " AWS partition data: {origin} (format version {}; partitions {}). Generated; do not edit.",
        data.version,
        ids.join(", ")
    );
    let partitions = data.partitions.iter().map(|p| {
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
