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

/// The input and output next-token members, when the operation is paginated with one top-level
/// token of the same type on both sides.
fn token_members(op: &OperationIr) -> Option<(&crate::ir::MemberIr, &crate::ir::MemberIr)> {
    let p = op.paginator.as_ref()?;
    let [output_token] = p.output_token.as_slice() else {
        return None;
    };
    let input = op.input.members.iter().find(|m| m.field == p.input_token)?;
    let output = op
        .output
        .members
        .iter()
        .find(|m| &m.field == output_token)?;
    (input.ty == output.ty).then_some((input, output))
}

/// The public type names of an operation's paginator module.
pub struct PaginatorNames {
    /// The paginator (`<Op>Paginator`).
    pub paginator: proc_macro2::Ident,
    /// When the pages have items: the item stream (`<Op>Items`) and what `items()` returns
    /// (`<Op>PaginatorItems`).
    pub items: Option<(proc_macro2::Ident, proc_macro2::Ident)>,
}

/// The names [`paginator`] defines, when it defines any.
pub fn paginator_names(op: &OperationIr) -> Option<PaginatorNames> {
    token_members(op)?;
    token_type_arg(op)?;
    Some(PaginatorNames {
        paginator: format_ident!("{}Paginator", op.prefix),
        items: items_member(op).map(|_| {
            (
                format_ident!("{}Items", op.prefix),
                format_ident!("{}PaginatorItems", op.prefix),
            )
        }),
    })
}

/// The output member holding a page's items, and the items' type, when `items()` applies.
pub(super) fn items_member(op: &OperationIr) -> Option<(&crate::ir::MemberIr, &RustType)> {
    let (path, ty) = op.paginator.as_ref()?.items.as_ref()?;
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
    Some((m, element))
}

/// The paginator of an operation, when it is paginated with top-level token members.
pub fn paginator(op: &OperationIr) -> Option<TokenStream> {
    let p = op.paginator.as_ref()?;
    let (in_token_member, out_token_member) = token_members(op)?;
    let token_arg = token_type_arg(op)?;
    let token_ty = rust_type(&in_token_member.ty);
    let name = format_ident!("{}Paginator", op.prefix);
    let items_name = format_ident!("{}Items", op.prefix);
    let paginator_items = format_ident!("{}PaginatorItems", op.prefix);
    let op_ty = ident(&op.name);
    let input_builder = ident(&builder_name(&op.input));
    let input_token = ident(&p.input_token);
    let get_input_token = ident(&format!("get_{}", p.input_token.trim_start_matches("r#")));
    let output_token = ident(&out_token_member.field);
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
        " Pages through `{}` results. `send()` gives a stream of pages; the stream stops when the\n service returns no next token, and ends with an error if the service repeats a token\n (unless `stop_on_duplicate_token(false)`).",
        op.wire_name
    );
    let op_output = ident(&op.output.name);
    let op_input = ident(&op.input.name);
    let items = items_member(op).map(|(m, element)| {
        let field = ident(&m.field);
        let element = rust_type(element);
        let take = if m.optional {
            quote!(output.#field.unwrap_or_default())
        } else {
            quote!(output.#field)
        };
        let items_doc = format!(" A stream of every item of every `{}` page.", op.wire_name);
        let paginator_items_doc = format!(
            " The items of every `{}` page: `send()` gives the stream ([`{items_name}`]).",
            op.wire_name
        );
        (
            quote! {
                /// The items of every page: `items().send()` gives a stream of them.
                pub fn items(self) -> #paginator_items {
                    crate::rt::PaginatorItems::new(self.send(), |output: super::#op_output| #take)
                }
            },
            quote! {
                #[doc = #items_doc]
                pub type #items_name = crate::rt::ItemStream<super::#op_ty, #element #token_arg>;

                #[doc = #paginator_items_doc]
                pub type #paginator_items = crate::rt::PaginatorItems<super::#op_ty, #element #token_arg>;
            },
        )
    });
    let (items_fn, items_ty) = items.unwrap_or_default();
    Some(quote! {
        //! Pagination of the operation.

        #[doc = #doc]
        #[derive(Debug)]
        pub struct #name {
            handle: crate::rt::Handle,
            builder: super::builders::#input_builder,
            stop_on_duplicate_token: bool,
        }

        impl #name {
            pub(crate) fn new(handle: crate::rt::Handle, builder: super::builders::#input_builder) -> Self {
                Self {
                    handle,
                    builder,
                    stop_on_duplicate_token: true,
                }
            }

            #page_size

            /// Whether a next token the service already returned ends the stream with an error
            /// (the default: following it would loop forever) or is followed again.
            pub fn stop_on_duplicate_token(mut self, stop: bool) -> Self {
                self.stop_on_duplicate_token = stop;
                self
            }

            /// A stream of pages: `next().await`, `try_next().await`, `collect().await` or
            /// `try_collect().await`.
            pub fn send(self) -> crate::rt::PageStream<super::#op_ty #token_arg> {
                let start = self.builder.#get_input_token().clone();
                crate::rt::PageStream::new(
                    self.handle,
                    self.builder.build(),
                    None,
                    |input: &mut super::#op_input, token: Option<#token_ty>| input.#input_token = token,
                    |output: &super::#op_output| #get_token,
                )
                .starting_from(start)
                .stop_on_duplicate_token(self.stop_on_duplicate_token)
            }

            #items_fn
        }

        #items_ty
    })
}
