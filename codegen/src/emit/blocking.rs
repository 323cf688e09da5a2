//! The blocking client (feature `blocking`): the same fluent API as the async client, with a
//! synchronous `send()`, for programs that have no async runtime.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::operation::delegating_setters;
use super::tokens::ident;
use crate::ir::{OperationIr, RustType, ServiceIr};

/// `src/blocking.rs`.
pub fn blocking_rs(ir: &ServiceIr) -> TokenStream {
    // Event streams are read and written while the call runs, which needs an async runtime:
    // their operations are only on the async client.
    let operations = || ir.operations.iter().filter(|op| !op.has_event_stream());
    let methods = operations().map(|op| {
        let method = ident(&op.module);
        let builder = format_ident!("{}FluentBuilder", op.prefix);
        let doc = format!(" Calls the `{}` operation (blocking).", op.wire_name);
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> #builder {
                #builder { inner: self.inner.#method(), config_override: None }
            }
        }
    });
    let builders = operations().map(fluent_builder);
    let stream_note = if ir.has_event_streams() {
        quote! {
            //!
            //! Operations with event streams are only on the async client: their events are sent
            //! and received while the call runs.
        }
    } else {
        quote!()
    };
    let doc = format!(
        " A synchronous client for {}: the same fluent API as [`crate::Client`], where `send()` blocks\n until the call completes. Do not use it inside an async runtime (it returns an error there).",
        ir.title
    );
    quote! {
        //! A synchronous client for programs without an async runtime (feature `blocking`).
        //!
        //! Calls run on a small current-thread runtime created on first use and shared by every
        //! blocking client, so pooled connections are reused between calls.
        #stream_note

        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: crate::Client,
        }

        impl Client {
            /// A blocking client with the given configuration.
            pub fn from_conf(config: crate::Config) -> Self {
                Self { inner: crate::Client::from_conf(config) }
            }

            /// The client's configuration.
            pub fn config(&self) -> &crate::Config {
                self.inner.config()
            }

            #(#methods)*
        }

        #(#builders)*
    }
}

fn fluent_builder(op: &OperationIr) -> TokenStream {
    let name = format_ident!("{}FluentBuilder", op.prefix);
    let module = ident(&op.module);
    let output = ident(&op.output.name);
    let error = format_ident!("{}Error", op.prefix);
    let doc = format!(
        " Blocking fluent builder for the `{}` operation.",
        op.wire_name
    );
    let setters = op.input.members.iter().map(delegating_setters);
    let paginator = paginator(op);
    let paginator_fn = paginator.as_ref().map(|_| {
        let p = format_ident!("{}Paginator", op.prefix);
        quote! {
            /// Pages through every result; `send()` gives an iterator of pages.
            pub fn into_paginator(self) -> #p {
                #p { inner: self.inner.into_paginator() }
            }
        }
    });
    let paginator = paginator.unwrap_or_default();
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #name {
            inner: crate::operation::#module::builders::#name,
            config_override: Option<crate::config::Builder>,
        }

        impl #name {
            /// Sends the request and waits for the output or the error.
            pub fn send(self) -> Result<crate::operation::#module::#output, crate::error::SdkError<crate::operation::#module::#error>> {
                let sent = match self.config_override {
                    Some(config) => crate::rt::block_on(self.inner.customize().config_override(config).send()),
                    None => crate::rt::block_on(self.inner.send()),
                };
                match sent {
                    Ok(result) => result,
                    Err(err) => Err(crate::error::SdkError::construction_failure(err)),
                }
            }

            /// Overrides configuration for this call only: `f` gets the override built so far.
            pub fn customize(mut self, f: impl FnOnce(crate::config::Builder) -> crate::config::Builder) -> Self {
                self.config_override = Some(f(self.config_override.take().unwrap_or_default()));
                self
            }

            #paginator_fn

            #(#setters)*
        }

        #paginator
    }
}

/// The blocking paginator, mirroring the async one (same conditions for `page_size` and `items`).
fn paginator(op: &OperationIr) -> Option<TokenStream> {
    let p = op.paginator.as_ref()?;
    // Only where the async paginator it wraps exists.
    super::paginator::paginator(op)?;
    let token_arg = super::paginator::token_type_arg(op)?;
    let name = format_ident!("{}Paginator", op.prefix);
    let module = ident(&op.module);
    let op_ty = ident(&op.name);
    let page_size = p.page_size.as_ref().and_then(|field| {
        let m = op.input.members.iter().find(|m| &m.field == field)?;
        let ty = super::tokens::rust_type(&m.ty);
        Some(quote! {
            /// Sets the number of items per page.
            pub fn page_size(self, size: #ty) -> Self {
                Self { inner: self.inner.page_size(size) }
            }
        })
    });
    let items = p.items.as_ref().and_then(|(path, ty)| {
        let [field] = path.as_slice() else {
            return None;
        };
        let RustType::List { element, sparse: false, .. } = ty else {
            return None;
        };
        op.output.members.iter().find(|m| &m.field == field)?;
        let element = super::tokens::rust_type(element);
        Some(quote! {
            /// An iterator over the items of every page.
            pub fn items(self) -> crate::rt::BlockingItems<crate::operation::#module::#op_ty, #element #token_arg> {
                crate::rt::BlockingItems::new(self.inner.items().send())
            }
        })
    });
    let doc = format!(" Blocking paginator for the `{}` operation.", op.wire_name);
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub struct #name {
            inner: crate::operation::#module::#name,
        }

        impl #name {
            #page_size

            /// An iterator over the pages.
            pub fn send(self) -> crate::rt::BlockingPages<crate::operation::#module::#op_ty #token_arg> {
                crate::rt::BlockingPages::new(self.inner.send())
            }

            #items
        }
    })
}
