//! Errors: error structures (`types::error`) get `Display`, `Error` and metadata; each
//! operation gets an error enum with one variant per modeled error plus `Unhandled`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::{ident, path};
use crate::ir::{ErrorRefIr, OperationIr, RustType, StructIr};

/// `Display`, `Error` and `ProvideErrorMetadata` for an error structure.
pub fn error_struct_impls(s: &StructIr) -> TokenStream {
    let name = ident(&s.name);
    let code = &s.wire_name;
    let message = match s
        .members
        .iter()
        .find(|m| m.wire_name.eq_ignore_ascii_case("message"))
    {
        Some(m) if matches!(m.ty, RustType::String) && !m.info.sensitive => {
            let field = ident(&m.field);
            if m.optional {
                quote!(self.#field.as_deref().or_else(|| self.meta.message()))
            } else {
                quote!(Some(self.#field.as_str()))
            }
        }
        _ => quote!(self.meta.message()),
    };
    let has_message_getter = s.members.iter().any(|m| m.field == "message");
    let message_fn = if has_message_getter {
        quote!()
    } else {
        quote! {
            /// The error message.
            pub fn message(&self) -> Option<&str> {
                #message
            }
        }
    };
    quote! {
        impl #name {
            #message_fn

            /// The error metadata (code, message, request id).
            pub fn meta(&self) -> &crate::error::ErrorMetadata {
                &self.meta
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(#code)?;
                // The message and request id come from the server: shown with control
                // characters escaped, so that they cannot forge log lines.
                if let Some(message) = #message {
                    write!(f, ": {}", crate::rt::Escaped(message))?;
                }
                if let Some(request_id) = self.meta.request_id() {
                    write!(f, " (request id: {})", crate::rt::Escaped(request_id))?;
                }
                Ok(())
            }
        }

        impl std::error::Error for #name {}

        impl crate::operation::RequestId for #name {
            fn request_id(&self) -> Option<&str> {
                self.meta.request_id()
            }
        }

        impl crate::error::ProvideErrorMetadata for #name {
            fn meta(&self) -> &crate::error::ErrorMetadata {
                &self.meta
            }

            fn message(&self) -> Option<&str> {
                #message
            }
        }
    }
}

/// The `<Op>Error` enum.
pub fn operation_error(op: &OperationIr) -> TokenStream {
    let name = format_ident!("{}Error", op.prefix);
    let doc = format!(" The errors the `{}` operation can return.", op.wire_name);
    let unhandled_response = quote! {
            /// An unhandled error for a response that matched no modeled error (`source`: why
            /// a modeled error could not be read from it, if that was the reason).
            pub(crate) fn unhandled_response(
                source: Option<crate::error::BoxError>,
                meta: crate::error::ErrorMetadata,
                response: &crate::rt::HttpResponse,
            ) -> Self {
                let unhandled = match source {
                    Some(source) => crate::error::Unhandled::new(source, meta),
                    None => crate::error::Unhandled::from_metadata(meta),
                };
                #name::Unhandled(unhandled.with_body(response.body().clone()))
            }
    };
    error_enum(&name, &doc, &op.errors, unhandled_response)
}

/// An error enum (`doc`: its documentation): one variant per error of `errors`, plus
/// `Unhandled`, with the error traits (`methods`: more inherent methods).
pub fn error_enum(
    name: &proc_macro2::Ident,
    doc: &str,
    errors: &[ErrorRefIr],
    methods: TokenStream,
) -> TokenStream {
    let variants = errors.iter().map(|e| {
        let v = ident(&e.variant);
        let p = path(&e.path);
        let d = format!(" The `{}` error.", e.code);
        if e.boxed {
            // Boxed so that results carrying the error stay small.
            quote!(#[doc = #d] #v(Box<#p>),)
        } else {
            quote!(#[doc = #d] #v(#p),)
        }
    });
    // The structure of a variant, as `&T`.
    let inner = |e: &crate::ir::ErrorRefIr| {
        if e.boxed {
            quote!(inner.as_ref())
        } else {
            quote!(inner)
        }
    };
    let is_fns = errors.iter().map(|e| {
        let v = ident(&e.variant);
        let f = ident(&e.is_fn);
        let d = format!(" Whether this is a `{}`.", e.code);
        quote! {
            #[doc = #d]
            pub fn #f(&self) -> bool {
                matches!(self, #name::#v(_))
            }
        }
    });
    let meta_arms = errors.iter().map(|e| {
        let v = ident(&e.variant);
        let inner = inner(e);
        quote!(#name::#v(inner) => crate::error::ProvideErrorMetadata::meta(#inner),)
    });
    let display_arms = errors.iter().map(|e| {
        let v = ident(&e.variant);
        quote!(#name::#v(inner) => std::fmt::Display::fmt(inner, f),)
    });
    let message_arms = errors.iter().map(|e| {
        let v = ident(&e.variant);
        let inner = inner(e);
        quote!(#name::#v(inner) => crate::error::ProvideErrorMetadata::message(#inner),)
    });
    let source_arms = errors.iter().map(|e| {
        let v = ident(&e.variant);
        let inner = inner(e);
        quote!(#name::#v(inner) => std::error::Error::source(#inner),)
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// An error the model does not describe (an unknown error code, or a failure outside
            /// the service). Inspect it with `code()`, `message()` and `request_id()`.
            Unhandled(crate::error::Unhandled),
        }

        impl #name {
            #(#is_fns)*

            /// Whether this error is not one the model describes.
            pub fn is_unhandled(&self) -> bool {
                matches!(self, #name::Unhandled(_))
            }

            /// The error metadata (code, message, request id).
            pub fn meta(&self) -> &crate::error::ErrorMetadata {
                match self {
                    #(#meta_arms)*
                    #name::Unhandled(inner) => inner.meta(),
                }
            }

            #methods
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(#display_arms)*
                    #name::Unhandled(inner) => std::fmt::Display::fmt(inner, f),
                }
            }
        }

        /// `Display` shows the inner error, so `source()` continues with the inner error's
        /// cause (each message appears once in an error report).
        impl std::error::Error for #name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #(#source_arms)*
                    #name::Unhandled(inner) => std::error::Error::source(inner),
                }
            }
        }

        impl crate::error::ProvideErrorMetadata for #name {
            fn meta(&self) -> &crate::error::ErrorMetadata {
                #name::meta(self)
            }

            fn message(&self) -> Option<&str> {
                match self {
                    #(#message_arms)*
                    #name::Unhandled(inner) => inner.meta().message(),
                }
            }
        }

        impl crate::operation::RequestId for #name {
            fn request_id(&self) -> Option<&str> {
                #name::meta(self).request_id()
            }
        }

        impl crate::error::CreateUnhandledError for #name {
            fn create_unhandled_error(
                source: crate::error::BoxError,
                meta: Option<crate::error::ErrorMetadata>,
            ) -> Self {
                #name::Unhandled(crate::error::Unhandled::new(source, meta.unwrap_or_default()))
            }
        }
    }
}
