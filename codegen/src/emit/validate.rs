//! Client-side validation: required members, `@length` and `@range`, checked before anything is
//! sent. Patterns are not checked: the model's regexes use Java syntax and a naive translation
//! would reject values the service accepts.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::json::wire_fn;
use super::tokens::{ident, path};
use crate::ir::names::unraw;
use crate::ir::{MemberIr, NamedKind, RustType, StructIr};

/// Checks on one value (`value` is a `&T`) of type `ty` at member path `at`.
fn value_checks(
    m: &MemberIr,
    ty: &RustType,
    value: TokenStream,
    at: &TokenStream,
    validated: &BTreeSet<String>,
    top: bool,
) -> TokenStream {
    let mut checks = Vec::new();
    if top {
        if let Some((min, max)) = m.constraints.length {
            let len = match ty {
                RustType::String => quote!(#value.chars().count()),
                RustType::Blob => quote!(#value.as_ref().len()),
                RustType::List { .. } | RustType::Map { .. } => quote!(#value.len()),
                _ => quote!(0usize),
            };
            let unit = match ty {
                RustType::String => "characters",
                RustType::Blob => "bytes",
                RustType::List { .. } => "items",
                RustType::Map { .. } => "entries",
                _ => "",
            };
            if !unit.is_empty() {
                let min_check = min.filter(|&min| min > 0).map(|min| {
                    let min = min as usize;
                    let msg = format!("must be at least {min} {unit} long");
                    quote! {
                        if len < #min {
                            return Err(crate::error::BuildError::invalid_field(#at, format!("{} (it has {len})", #msg)));
                        }
                    }
                });
                let max_check = max.map(|max| {
                    let max = max as usize;
                    let msg = format!("must be at most {max} {unit} long");
                    quote! {
                        if len > #max {
                            return Err(crate::error::BuildError::invalid_field(#at, format!("{} (it has {len})", #msg)));
                        }
                    }
                });
                checks.push(quote! {
                    let len = #len;
                    #min_check
                    #max_check
                });
            }
        }
        if let Some((min, max)) = m.constraints.range {
            let as_f64 = match ty {
                RustType::I8 | RustType::I16 | RustType::I32 | RustType::F32 => {
                    quote!(f64::from(*#value))
                }
                RustType::F64 => quote!(*#value),
                RustType::I64 => quote!(*#value as f64),
                _ => quote!(),
            };
            if !as_f64.is_empty() {
                let min_check = min.map(|min| {
                    let msg = format!("must be at least {min}");
                    quote!(if number < #min { return Err(crate::error::BuildError::invalid_field(#at, format!("{} (it is {number})", #msg))); })
                });
                let max_check = max.map(|max| {
                    let msg = format!("must be at most {max}");
                    quote!(if number > #max { return Err(crate::error::BuildError::invalid_field(#at, format!("{} (it is {number})", #msg))); })
                });
                checks.push(quote! {
                    let number = #as_f64;
                    #min_check
                    #max_check
                });
            }
        }
    }
    match ty {
        RustType::Named {
            shape,
            path: p,
            kind: NamedKind::Struct,
        } if validated.contains(shape) => {
            let f = wire_fn("validate", p);
            let at_ref = if at.to_string().starts_with('"') {
                quote!(#at)
            } else {
                quote!(&#at)
            };
            checks.push(quote!(crate::wire::#f(#value, #at_ref)?;));
        }
        RustType::List {
            element, sparse, ..
        } => {
            let item_at = quote!(format!("{}[]", #at));
            let inner = value_checks(m, element, quote!(item), &item_at, validated, false);
            if !inner.is_empty() {
                if *sparse {
                    checks.push(quote!(for item in #value.iter().flatten() { #inner }));
                } else {
                    checks.push(quote!(for item in #value { #inner }));
                }
            }
        }
        RustType::Map {
            value: vt, sparse, ..
        } => {
            let item_at = quote!(format!("{}{{}}", #at));
            let inner = value_checks(m, vt, quote!(item), &item_at, validated, false);
            if !inner.is_empty() {
                if *sparse {
                    checks.push(quote!(for item in #value.values().flatten() { #inner }));
                } else {
                    checks.push(quote!(for item in #value.values() { #inner }));
                }
            }
        }
        _ => {}
    }
    if checks.is_empty() {
        quote!()
    } else {
        quote!({ #(#checks)* })
    }
}

fn member_checks(
    _s: &StructIr,
    m: &MemberIr,
    base: TokenStream,
    at: TokenStream,
    validated: &BTreeSet<String>,
) -> TokenStream {
    let field = ident(&m.field);
    let value = if m.boxed {
        quote!(value.as_ref())
    } else {
        quote!(value)
    };
    let checks = value_checks(m, &m.ty, value, &at, validated, true);
    if m.optional {
        let required = m.required && !m.idempotency_token;
        if checks.is_empty() && !required {
            return quote!();
        }
        if !required {
            return quote! {
                if let Some(value) = &#base.#field {
                    #checks
                }
            };
        }
        let msg = "a value is required";
        let binding = if checks.is_empty() {
            quote!(Some(_))
        } else {
            quote!(Some(value))
        };
        quote! {
            match &#base.#field {
                #binding => { #checks }
                None => return Err(crate::error::BuildError::missing_field(#at, #msg)),
            }
        }
    } else if checks.is_empty() {
        quote!()
    } else {
        quote!({ let value = &#base.#field; #checks })
    }
}

/// `fn validate_input(input) -> Result<(), BuildError>` for an operation input.
pub fn validate_input(s: &StructIr, validated: &BTreeSet<String>) -> TokenStream {
    let ty = ident(&s.name);
    let checks: Vec<TokenStream> = s
        .members
        .iter()
        .map(|m| {
            let at = format!("{}.{}", s.name, unraw(&m.field));
            member_checks(s, m, quote!(input), quote!(#at), validated)
        })
        .filter(|t| !t.is_empty())
        .collect();
    let name = if checks.is_empty() {
        quote!(_input)
    } else {
        quote!(input)
    };
    quote! {
        /// Checks the model's constraints on the input before anything is sent.
        pub(crate) fn validate_input(#name: &super::#ty) -> Result<(), crate::error::BuildError> {
            #(#checks)*
            Ok(())
        }
    }
}

/// `validate_<shape>(value, path)` for a shared structure.
pub fn validate_structure(s: &StructIr, validated: &BTreeSet<String>) -> TokenStream {
    let f = wire_fn("validate", &s.name);
    let ty = path(&s.path());
    let checks: Vec<TokenStream> = s
        .members
        .iter()
        .map(|m| {
            let field = unraw(&m.field).to_owned();
            member_checks(
                s,
                m,
                quote!(value),
                quote!(format!("{}.{}", at, #field)),
                validated,
            )
        })
        .filter(|t| !t.is_empty())
        .collect();
    let doc = format!(" Checks the model's constraints on a [`{}`].", s.path());
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(value: &#ty, at: &str) -> Result<(), crate::error::BuildError> {
            #(#checks)*
            Ok(())
        }
    }
}
