//! Client-side validation: required members, `@length` and `@range`, checked before anything is
//! sent. Patterns are not checked: the model's regexes use Java syntax and a naive translation
//! would reject values the service accepts.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::body::wire_fn;
use super::tokens::{ident, path};
use crate::ir::names::unraw;
use crate::ir::{MemberIr, NamedKind, RustType, StructIr, UnionIr};

/// The member path of a value, for error messages: a format string and its arguments (a literal
/// when there are none), extended without nesting `format!` calls.
#[derive(Debug, Clone)]
struct At {
    format: String,
    args: Vec<TokenStream>,
}

impl At {
    /// A path known when generating.
    fn literal(text: &str) -> Self {
        Self {
            format: text.replace('{', "{{").replace('}', "}}"),
            args: Vec::new(),
        }
    }

    /// The path held at run time by the `&str` variable `name`.
    fn variable(name: TokenStream) -> Self {
        Self {
            format: "{}".to_owned(),
            args: vec![name],
        }
    }

    /// This path followed by `suffix`.
    fn then(&self, suffix: &str) -> Self {
        Self {
            format: format!(
                "{}{}",
                self.format,
                suffix.replace('{', "{{").replace('}', "}}")
            ),
            args: self.args.clone(),
        }
    }

    /// The path as a value that converts into a `String` (a literal, or a `format!`).
    fn value(&self) -> TokenStream {
        if self.args.is_empty() {
            let text = self.format.replace("{{", "{").replace("}}", "}");
            quote!(#text)
        } else {
            let (format, args) = (&self.format, &self.args);
            quote!(format!(#format, #(#args),*))
        }
    }

    /// The path as a `&str` argument.
    fn as_str(&self) -> TokenStream {
        if self.args.is_empty() {
            self.value()
        } else {
            let value = self.value();
            quote!(&#value)
        }
    }
}

/// Checks on one value (`value` is a `&T`) of type `ty` at member path `at`.
fn value_checks(
    m: &MemberIr,
    ty: &RustType,
    value: TokenStream,
    at: &At,
    validated: &BTreeSet<String>,
    top: bool,
) -> TokenStream {
    let at_value = at.value();
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
                            return Err(crate::error::BuildError::invalid_field(#at_value, format!("{} (it has {len})", #msg)));
                        }
                    }
                });
                let max_check = max.map(|max| {
                    let max = max as usize;
                    let msg = format!("must be at most {max} {unit} long");
                    quote! {
                        if len > #max {
                            return Err(crate::error::BuildError::invalid_field(#at_value, format!("{} (it has {len})", #msg)));
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
                    quote!(if number < #min { return Err(crate::error::BuildError::invalid_field(#at_value, format!("{} (it is {number})", #msg))); })
                });
                let max_check = max.map(|max| {
                    let msg = format!("must be at most {max}");
                    quote!(if number > #max { return Err(crate::error::BuildError::invalid_field(#at_value, format!("{} (it is {number})", #msg))); })
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
            let at_ref = at.as_str();
            checks.push(quote!(crate::wire::#f(#value, #at_ref)?;));
        }
        RustType::Named {
            shape,
            path: p,
            kind: NamedKind::Union,
        } if validated.contains(shape) => {
            let f = wire_fn("validate", p);
            let at_ref = at.as_str();
            checks.push(quote!(crate::wire::#f(#value, #at_ref)?;));
        }
        RustType::List {
            element, sparse, ..
        } => {
            let item_at = at.then("[]");
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
            let item_at = at.then("{}");
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
    m: &MemberIr,
    base: TokenStream,
    at: At,
    validated: &BTreeSet<String>,
) -> TokenStream {
    let field = ident(&m.field);
    let value = if m.boxed {
        quote!(value.as_ref())
    } else {
        quote!(value)
    };
    let checks = value_checks(m, &m.ty, value, &at, validated, true);
    let at = at.value();
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
            member_checks(m, quote!(input), At::literal(&at), validated)
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
            let path = At::variable(quote!(at)).then(&format!(".{}", unraw(&m.field)));
            member_checks(m, quote!(value), path, validated)
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

/// `validate_<shape>(value, path)` for a union: the checks of the variant it holds.
pub fn validate_union(u: &UnionIr, validated: &BTreeSet<String>) -> TokenStream {
    let f = wire_fn("validate", &u.name);
    let ty = path(&format!("crate::types::{}", u.name));
    let arms: Vec<(TokenStream, TokenStream)> = u
        .variants
        .iter()
        .filter_map(|v| {
            let m = &v.member;
            let value = if m.boxed {
                quote!(value.as_ref())
            } else {
                quote!(value)
            };
            let at = At::variable(quote!(at)).then(&format!(".{}", unraw(&m.field)));
            let checks = value_checks(m, &m.ty, value, &at, validated, true);
            if checks.is_empty() {
                return None;
            }
            let variant = ident(&v.name);
            Some((quote!(#ty::#variant(value)), checks))
        })
        .collect();
    let body = match arms.as_slice() {
        [] => quote!(let _ = (value, at);),
        [(pattern, checks)] => quote!(if let #pattern = value #checks),
        _ => {
            let arms = arms
                .iter()
                .map(|(pattern, checks)| quote!(#pattern => #checks));
            quote! {
                match value {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    let doc = format!(
        " Checks the model's constraints on a [`crate::types::{}`].",
        u.name
    );
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(value: &#ty, at: &str) -> Result<(), crate::error::BuildError> {
            #body
            Ok(())
        }
    }
}
