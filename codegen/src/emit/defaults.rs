//! `@default` values as Rust expressions.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::tokens::{path, rust_type};
use crate::ir::defaults::decode_blob_default;
use crate::ir::RustType;

/// An expression of type `ty` for the model's default `value`.
pub fn default_expr(ty: &RustType, value: &Value) -> TokenStream {
    match (ty, value) {
        (RustType::String | RustType::BigInteger | RustType::BigDecimal, Value::String(s)) => {
            quote!(String::from(#s))
        }
        (RustType::BigInteger | RustType::BigDecimal, Value::Number(n)) => {
            let text = n.to_string();
            quote!(String::from(#text))
        }
        (RustType::Bool, Value::Bool(b)) => quote!(#b),
        (RustType::I8, Value::Number(n)) => int_literal(n.as_i64().unwrap_or_default(), "i8"),
        (RustType::I16, Value::Number(n)) => int_literal(n.as_i64().unwrap_or_default(), "i16"),
        (RustType::I32, Value::Number(n)) => int_literal(n.as_i64().unwrap_or_default(), "i32"),
        (RustType::I64, Value::Number(n)) => int_literal(n.as_i64().unwrap_or_default(), "i64"),
        (RustType::F32, Value::Number(n)) => {
            let lit = Literal::f32_suffixed(n.as_f64().unwrap_or_default() as f32);
            quote!(#lit)
        }
        (RustType::F64, Value::Number(n)) => {
            let lit = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
            quote!(#lit)
        }
        (RustType::DateTime, Value::Number(n)) => {
            let secs = n.as_f64().unwrap_or_default();
            quote!(crate::primitives::DateTime::from_secs_f64(#secs))
        }
        (RustType::DateTime, Value::String(s)) => quote! {
            crate::primitives::DateTime::from_str(#s, crate::primitives::DateTimeFormat::DateTime).unwrap_or_default()
        },
        (RustType::Blob, Value::String(s)) => {
            // Blob defaults are base64 in the model (checked when the IR is lowered).
            let decoded = decode_blob_default(s).unwrap_or_default();
            let bytes = Literal::byte_string(&decoded);
            quote!(crate::primitives::Blob::new(#bytes.to_vec()))
        }
        (RustType::ByteStream, Value::String(s)) => {
            // Base64 like any blob default; in practice always empty (`""`).
            let decoded = decode_blob_default(s).unwrap_or_default();
            if decoded.is_empty() {
                quote!(crate::primitives::ByteStream::default())
            } else {
                let bytes = Literal::byte_string(&decoded);
                quote!(crate::primitives::ByteStream::from_static(#bytes))
            }
        }
        (RustType::Named { path: p, .. }, Value::String(s)) => {
            let p = path(p);
            quote!(#p::from(#s))
        }
        (RustType::Named { path: p, .. }, Value::Number(n)) => {
            let p = path(p);
            let v = n.as_i64().unwrap_or_default() as i32;
            quote!(#p::from(#v))
        }
        (RustType::List { .. }, _) => quote!(Vec::new()),
        (RustType::Map { .. }, _) => quote!(std::collections::HashMap::new()),
        (RustType::Document, v) => document_expr(v),
        (other, _) => {
            let ty = rust_type(other);
            quote!(<#ty>::default())
        }
    }
}

/// A `crate::primitives::Document` built from the default value, variant by variant.
fn document_expr(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(crate::primitives::Document::Null),
        Value::Bool(b) => quote!(crate::primitives::Document::Bool(#b)),
        Value::String(s) => quote!(crate::primitives::Document::String(String::from(#s))),
        Value::Number(n) => {
            let number = if let Some(u) = n.as_u64() {
                let lit = Literal::u64_suffixed(u);
                quote!(crate::primitives::Number::PosInt(#lit))
            } else if let Some(i) = n.as_i64() {
                let lit = Literal::i64_suffixed(i);
                quote!(crate::primitives::Number::NegInt(#lit))
            } else {
                let lit = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
                quote!(crate::primitives::Number::Float(#lit))
            };
            quote!(crate::primitives::Document::Number(#number))
        }
        Value::Array(items) => {
            let items = items.iter().map(document_expr);
            quote!(crate::primitives::Document::Array(vec![#(#items),*]))
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = document_expr(v);
                quote!((String::from(#k), #v))
            });
            quote!(crate::primitives::Document::Object(std::collections::HashMap::from([#(#entries),*])))
        }
    }
}

/// `option.unwrap_or...(default)` in the form clippy accepts: `unwrap_or` for plain literals,
/// `unwrap_or_default` for empty collections, a closure for anything that allocates.
pub fn unwrap_or_default_expr(option: TokenStream, ty: &RustType, value: &Value) -> TokenStream {
    let default = default_expr(ty, value);
    match ty {
        RustType::Bool
        | RustType::I8
        | RustType::I16
        | RustType::I32
        | RustType::I64
        | RustType::F32
        | RustType::F64 => quote!(#option.unwrap_or(#default)),
        RustType::List { .. } | RustType::Map { .. } => quote!(#option.unwrap_or_default()),
        RustType::ByteStream
            if value
                .as_str()
                .and_then(decode_blob_default)
                .is_some_and(|bytes| bytes.is_empty()) =>
        {
            quote!(#option.unwrap_or_default())
        }
        // Documents holding no allocation (`null`, booleans, numbers) are cheap constants.
        RustType::Document
            if !matches!(value, Value::String(_) | Value::Array(_) | Value::Object(_)) =>
        {
            quote!(#option.unwrap_or(#default))
        }
        _ => quote!(#option.unwrap_or_else(|| #default)),
    }
}

fn int_literal(value: i64, suffix: &str) -> TokenStream {
    let lit = match suffix {
        "i8" => Literal::i8_suffixed(value as i8),
        "i16" => Literal::i16_suffixed(value as i16),
        "i32" => Literal::i32_suffixed(value as i32),
        _ => Literal::i64_suffixed(value),
    };
    quote!(#lit)
}
