//! `@default` values as Rust expressions.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::tokens::{path, rust_type};
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
            let bytes = Literal::byte_string(s.as_bytes());
            quote!(crate::primitives::Blob::new(#bytes.to_vec()))
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
        (RustType::Document, v) => {
            let json = v.to_string();
            quote!(crate::primitives::Document::from_json_text(#json))
        }
        (other, _) => {
            let ty = rust_type(other);
            quote!(<#ty>::default())
        }
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
