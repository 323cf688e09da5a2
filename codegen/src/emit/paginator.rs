//! Paginators for `@paginated` operations.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::structs::builder_name;
use super::tokens::{ident, rust_type};
use crate::ir::{OperationIr, RustType};

/// The token type argument of the runtime's page and item streams: none for a string token
/// (the default), the map type for a map token (DynamoDB's `ExclusiveStartKey`); `None` when the
/// operation's tokens are neither (no paginator then).
pub(super) fn token_type_arg(op: &OperationIr) -> Option<TokenStream> {
    let p = op.paginator.as_ref()?;
    let input = op.input.members.iter().find(|m| m.field == p.input_token)?;
    match &input.ty {
        RustType::String => Some(quote!()),
        ty @ RustType::Map { sparse: false, .. } => {
            let ty = rust_type(ty);
            Some(quote!(, #ty))
        }
        _ => None,
    }
}

/// The paginator of an operation, when it is paginated with top-level token members.
pub fn paginator(op: &OperationIr) -> Option<TokenStream> {
    let p = op.paginator.as_ref()?;
    let [output_token] = p.output_token.as_slice() else {
        return None;
    };
    let token_arg = token_type_arg(op)?;
    let token_ty = {
        let input = op.input.members.iter().find(|m| m.field == p.input_token)?;
        rust_type(&input.ty)
    };
    let name = format_ident!("{}Paginator", op.prefix);
    let items_name = format_ident!("{}Items", op.prefix);
    let op_ty = ident(&op.name);
    let input_builder = ident(&builder_name(&op.input));
    let input_token = ident(&p.input_token);
    let get_input_token = ident(&format!("get_{}", p.input_token.trim_start_matches("r#")));
    let output_token = ident(output_token);
    let out_token_member = op
        .output
        .members
        .iter()
        .find(|m| m.field == *output_token.to_string())?;
    if out_token_member.ty
        != op
            .input
            .members
            .iter()
            .find(|m| m.field == p.input_token)?
            .ty
    {
        return None;
    }
    let get_token = if out_token_member.optional {
        quote!(output.#output_token.as_ref())
    } else {
        quote!(Some(&output.#output_token))
    };
    let page_size = p.page_size.as_ref().and_then(|field| {
        let m = op.input.members.iter().find(|m| &m.field == field)?;
        let f = ident(field);
        let ty = rust_type(&m.ty);
        Some(quote! {
            /// Sets the number of items per page.
            pub fn page_size(mut self, size: #ty) -> Self {
                self.builder = self.builder.#f(size);
                self
            }
        })
    });
    let doc = format!(
        " Pages through `{}` results. `send()` gives a stream of pages; the stream stops when the\n service returns no next token, and ends with an error if the service repeats a token.",
        op.wire_name
    );
    let op_output = ident(&op.output.name);
    let op_input = ident(&op.input.name);
    let items = p.items.as_ref().and_then(|(path, ty)| {
        let [field] = path.as_slice() else {
            return None;
        };
        let RustType::List {
            element,
            sparse: false,
            ..
        } = ty
        else {
            return None;
        };
        let m = op.output.members.iter().find(|m| &m.field == field)?;
        let field = ident(field);
        let element = rust_type(element);
        let take = if m.optional {
            quote!(output.#field.unwrap_or_default())
        } else {
            quote!(output.#field)
        };
        let items_doc = format!(" A stream of every item of every `{}` page.", op.wire_name);
        Some((
            quote! {
                /// A stream of the items of every page.
                pub fn items(self) -> #items_name {
                    crate::rt::ItemStream::new(self.send(), |output: super::#op_output| #take)
                }
            },
            quote! {
                #[doc = #items_doc]
                pub type #items_name = crate::rt::ItemStream<super::#op_ty, #element #token_arg>;
            },
        ))
    });
    let (items_fn, items_ty) = items.unwrap_or_default();
    Some(quote! {
        //! Pagination of the operation.

        #[doc = #doc]
        #[derive(Debug)]
        pub struct #name {
            handle: crate::rt::Handle,
            builder: super::builders::#input_builder,
            config_override: Option<crate::config::Builder>,
        }

        impl #name {
            pub(crate) fn new(
                handle: crate::rt::Handle,
                builder: super::builders::#input_builder,
                config_override: Option<crate::config::Builder>,
            ) -> Self {
                Self { handle, builder, config_override }
            }

            #page_size

            /// A stream of pages. Use `next().await`, or `collect().await` for every page.
            pub fn send(self) -> crate::rt::PageStream<super::#op_ty #token_arg> {
                let start = self.builder.#get_input_token().clone();
                crate::rt::PageStream::new(
                    self.handle,
                    self.builder.build(),
                    self.config_override.map(|c| c.inner),
                    |input: &mut super::#op_input, token: Option<#token_ty>| input.#input_token = token,
                    |output: &super::#op_output| #get_token,
                )
                .starting_from(start)
            }

            #items_fn
        }

        #items_ty
    })
}
