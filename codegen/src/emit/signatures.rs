//! The signatures users see, as text, for the API description ([`crate::diff`]): taken from
//! the same functions that emit the code, so the description cannot drift from the crate.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use crate::ir::{MemberIr, OperationIr, RustType, StructIr};

/// The return type of a member's getter, e.g. `Option<&str>`.
pub(crate) fn getter_type(member: &MemberIr) -> String {
    let access = quote::quote!(self.value);
    type_text(super::structs::getter_parts(member, access).0)
}

/// The type of a member's public field, e.g. `Option<Vec<types::Tag>>`.
pub(crate) fn field_type(member: &MemberIr) -> String {
    type_text(super::tokens::field_type(member))
}

/// A value type, e.g. `HashMap<String, types::Tag>`.
pub(crate) fn value_type(ty: &RustType) -> String {
    type_text(super::tokens::rust_type(ty))
}

/// Whether the structure's builder `build()` returns a `Result`.
pub(crate) fn build_is_fallible(structure: &StructIr) -> bool {
    super::structs::build_is_fallible(structure)
}

/// Whether the operation gets a paginator (`into_paginator()`).
pub(crate) fn has_paginator(op: &OperationIr) -> bool {
    super::paginator::paginator(op).is_some()
}

/// The item type of the paginator's `items()`, when it has one, e.g. `types::Tag`.
pub(crate) fn paginator_items(op: &OperationIr) -> Option<String> {
    super::paginator::items_member(op).map(|(_, element)| value_type(element))
}

/// Type tokens as the text a user writes: no spaces inside paths and generics, `crate::` and
/// `std::collections::` dropped (`Option<&types::Tag>`, `HashMap<String, i32>`).
fn type_text(tokens: TokenStream) -> String {
    let mut out = String::new();
    write_tokens(tokens, &mut out);
    out.replace("crate::", "").replace("std::collections::", "")
}

fn write_tokens(tokens: TokenStream, out: &mut String) {
    let mut previous_word = false;
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => {
                if previous_word {
                    out.push(' ');
                }
                out.push_str(&ident.to_string());
                previous_word = true;
            }
            TokenTree::Literal(literal) => {
                if previous_word {
                    out.push(' ');
                }
                out.push_str(&literal.to_string());
                previous_word = true;
            }
            TokenTree::Punct(punct) => {
                out.push(punct.as_char());
                if punct.as_char() == ',' {
                    out.push(' ');
                }
                previous_word = false;
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                write_tokens(group.stream(), out);
                out.push_str(close);
                previous_word = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn types_read_as_written() {
        assert_eq!(type_text(quote!(Option<&str>)), "Option<&str>");
        assert_eq!(
            type_text(quote!(std::collections::HashMap<String, Option<crate::types::Tag>>)),
            "HashMap<String, Option<types::Tag>>"
        );
        assert_eq!(
            type_text(quote!(&[crate::primitives::Blob])),
            "&[primitives::Blob]"
        );
        assert_eq!(type_text(quote!(impl Into<String>)), "impl Into<String>");
    }
}
