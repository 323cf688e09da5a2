//! Unions: one variant per member plus `Unknown` for members added after this crate was built.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::{docs, ident, member_docs, rust_type, REDACTED};
use crate::ir::names::unraw;
use crate::ir::UnionIr;

/// A union type.
pub fn union(u: &UnionIr) -> TokenStream {
    let name = ident(&u.name);
    let doc = docs(Some(
        u.docs
            .as_deref()
            .unwrap_or(&format!("The `{}` union.", u.name)),
    ));
    let mut variants = Vec::new();
    let mut accessors = Vec::new();
    let mut debug_arms = Vec::new();
    for v in &u.variants {
        let variant = ident(&v.name);
        let value_ty = rust_type(&v.member.ty);
        let (ty, borrow) = if v.member.boxed {
            (quote!(Box<#value_ty>), quote!(&**value))
        } else {
            (value_ty.clone(), quote!(value))
        };
        let vdoc = member_docs(&v.member);
        variants.push(quote!(#vdoc #variant(#ty),));
        let snake = unraw(&v.member.field).trim_end_matches('_').to_owned();
        let as_fn = format_ident!("as_{}", snake);
        let is_fn = format_ident!("is_{}", snake);
        let as_doc = format!(
            " The `{}` value, or `Err(self)` for any other variant.",
            v.member.wire_name
        );
        let is_doc = format!(" Whether this is the `{}` variant.", v.member.wire_name);
        accessors.push(quote! {
            #[doc = #as_doc]
            pub fn #as_fn(&self) -> Result<&#value_ty, &Self> {
                if let #name::#variant(value) = self { Ok(#borrow) } else { Err(self) }
            }
            #[doc = #is_doc]
            pub fn #is_fn(&self) -> bool {
                self.#as_fn().is_ok()
            }
        });
        let label = v.name.clone();
        if v.member.info.sensitive {
            debug_arms.push(
                quote!(#name::#variant(_) => f.debug_tuple(#label).field(&#REDACTED).finish(),),
            );
        } else {
            debug_arms.push(
                quote!(#name::#variant(value) => f.debug_tuple(#label).field(value).finish(),),
            );
        }
    }
    quote! {
        #doc
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A member this version of the crate does not know (received from the service).
            Unknown,
        }

        impl #name {
            #(#accessors)*

            /// Whether this is a member this version of the crate does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, #name::Unknown)
            }
        }

        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(#debug_arms)*
                    #name::Unknown => f.write_str("Unknown"),
                }
            }
        }
    }
}
