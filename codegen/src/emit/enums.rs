//! Enums (string and integer) with a catch-all variant that keeps unknown values.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::tokens::{docs, ident};
use crate::ir::EnumIr;

/// An enum type with its conversions.
pub fn enumeration(e: &EnumIr) -> TokenStream {
    if e.int_enum {
        int_enum(e)
    } else {
        string_enum(e)
    }
}

fn enum_doc(e: &EnumIr) -> TokenStream {
    let mut text = e
        .docs
        .clone()
        .unwrap_or_else(|| format!("The `{}` enum.", e.name));
    text.push_str(
        "\n\nValues this version of the crate does not know are kept in the `Unknown` variant, \
         so match with a wildcard arm to stay compatible with new values.",
    );
    docs(Some(&text))
}

fn string_enum(e: &EnumIr) -> TokenStream {
    let name = ident(&e.name);
    let doc = enum_doc(e);
    let mut variants = Vec::new();
    let mut from_arms = Vec::new();
    let mut as_str_arms = Vec::new();
    let mut values = Vec::new();
    for v in &e.variants {
        let variant = ident(&v.name);
        let value = match &v.value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let vdoc = match v.docs.as_deref() {
            Some(d) if !d.trim().is_empty() => docs(Some(d)),
            _ => docs(Some(&format!("`{value}`"))),
        };
        variants.push(quote!(#vdoc #variant,));
        from_arms.push(quote!(#value => #name::#variant,));
        as_str_arms.push(quote!(#name::#variant => #value,));
        values.push(value);
    }
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know.
            Unknown(crate::primitives::UnknownVariantValue),
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_arms)*
                    other => #name::Unknown(crate::primitives::UnknownVariantValue::new(other)),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(#name::from(value))
            }
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str_arms)*
                    #name::Unknown(value) => value.as_str(),
                }
            }

            /// Every value the model defines.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn int_enum(e: &EnumIr) -> TokenStream {
    let name = ident(&e.name);
    let doc = enum_doc(e);
    let mut variants = Vec::new();
    let mut from_arms = Vec::new();
    let mut value_arms = Vec::new();
    let mut values = Vec::new();
    for v in &e.variants {
        let variant = ident(&v.name);
        let value = v
            .value
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .unwrap_or_default();
        let vdoc = match v.docs.as_deref() {
            Some(d) if !d.trim().is_empty() => docs(Some(d)),
            _ => docs(Some(&format!("`{value}`"))),
        };
        variants.push(quote!(#vdoc #variant,));
        from_arms.push(quote!(#value => #name::#variant,));
        value_arms.push(quote!(#name::#variant => #value,));
        values.push(value);
    }
    quote! {
        #doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know.
            Unknown(i32),
        }

        impl From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #(#from_arms)*
                    other => #name::Unknown(other),
                }
            }
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn value(&self) -> i32 {
                match self {
                    #(#value_arms)*
                    #name::Unknown(value) => *value,
                }
            }

            /// Every value the model defines.
            pub const fn values() -> &'static [i32] {
                &[#(#values),*]
            }
        }
    }
}
