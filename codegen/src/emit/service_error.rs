//! The crate-level `Error`: every modeled error of the service plus `Unhandled`, with a `From`
//! conversion from each operation's error and `SdkError`, so that `?` turns any call's failure
//! into one type (`async fn main() -> Result<(), <crate>::Error>`).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::{ident, path};
use crate::ir::{ServiceIr, StructIr};

/// `src/service_error.rs`: the `Error` enum and its conversions.
pub fn service_error_rs(ir: &ServiceIr) -> TokenStream {
    // Large error structures are boxed here as in the operation error enums (the same shapes).
    let boxed: BTreeSet<&str> = ir
        .operations
        .iter()
        .flat_map(|op| &op.errors)
        .filter(|e| e.boxed)
        .map(|e| e.shape_id.as_str())
        .collect();
    let boxed = &boxed;
    let is_boxed = move |e: &StructIr| boxed.contains(e.shape_id.as_str());
    let variants = ir.errors.iter().map(|e| {
        let v = ident(&e.name);
        let p = path(&e.path());
        let d = format!(" The `{}` error.", e.wire_name);
        if is_boxed(e) {
            quote!(#[doc = #d] #v(Box<#p>),)
        } else {
            quote!(#[doc = #d] #v(#p),)
        }
    });
    let arms = |body: TokenStream| {
        let arms = ir.errors.iter().map(move |e| {
            let v = ident(&e.name);
            if is_boxed(e) {
                let p = path(&e.path());
                quote!(Error::#v(inner) => {
                    let inner: &#p = inner;
                    #body
                })
            } else {
                quote!(Error::#v(inner) => #body,)
            }
        });
        quote!(#(#arms)*)
    };
    let display_arms = arms(quote!(std::fmt::Display::fmt(inner, f)));
    let source_arms = arms(quote!(std::error::Error::source(inner)));
    let meta_arms = arms(quote!(crate::error::ProvideErrorMetadata::meta(inner)));
    let message_arms = arms(quote!(crate::error::ProvideErrorMetadata::message(inner)));
    let conversions = ir.operations.iter().map(|op| {
        let module = ident(&op.module);
        let error = format_ident!("{}Error", op.prefix);
        let op_error = quote!(crate::operation::#module::#error);
        let arms = op.errors.iter().map(|e| {
            let v = ident(&e.variant);
            quote!(#op_error::#v(inner) => Error::#v(inner),)
        });
        quote! {
            impl From<#op_error> for Error {
                fn from(err: #op_error) -> Self {
                    match err {
                        #(#arms)*
                        #op_error::Unhandled(inner) => Error::Unhandled(inner),
                    }
                }
            }

            impl<R> From<crate::error::SdkError<#op_error, R>> for Error
            where
                R: std::fmt::Debug + Send + Sync + 'static,
            {
                /// The service error itself, or any other failure (with its whole text) as
                /// `Unhandled`.
                fn from(err: crate::error::SdkError<#op_error, R>) -> Self {
                    match err {
                        crate::error::SdkError::ServiceError(context) => Self::from(context.into_err()),
                        other => Error::unhandled(other),
                    }
                }
            }
        }
    });
    let title = &ir.title;
    let doc = format!(
        " Every error {title} can return: the errors its model describes, and `Unhandled` for \
         anything else\n (an unknown error code, or a failure before or outside the service: \
         nothing sent, a timeout,\n a connection error, a response that could not be read). \
         Every operation's error, and every\n `SdkError` of one, converts into it with `?`."
    );
    quote! {
        //! The crate-level error type.

        #[doc = #doc]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum Error {
            #(#variants)*
            /// An error the model does not describe, or a failure outside the service; its
            /// `Display` says what happened and `code()`, `message()` and `request_id()` give
            /// what the service sent, if anything.
            Unhandled(crate::error::Unhandled),
        }

        impl Error {
            fn unhandled(source: impl std::error::Error + Send + Sync + 'static) -> Self {
                Error::Unhandled(crate::error::Unhandled::new(
                    Box::new(source),
                    crate::error::ErrorMetadata::default(),
                ))
            }
        }

        impl std::fmt::Display for Error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #display_arms
                    Error::Unhandled(inner) => std::fmt::Display::fmt(inner, f),
                }
            }
        }

        // A wrapper: `Display` shows the inner error's message, so `source()` continues below
        // it (an error report shows every message once).
        impl std::error::Error for Error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #source_arms
                    Error::Unhandled(inner) => std::error::Error::source(inner),
                }
            }
        }

        impl crate::error::ProvideErrorMetadata for Error {
            fn meta(&self) -> &crate::error::ErrorMetadata {
                match self {
                    #meta_arms
                    Error::Unhandled(inner) => inner.meta(),
                }
            }

            fn message(&self) -> Option<&str> {
                match self {
                    #message_arms
                    Error::Unhandled(inner) => inner.meta().message(),
                }
            }
        }

        impl crate::operation::RequestId for Error {
            fn request_id(&self) -> Option<&str> {
                crate::error::ProvideErrorMetadata::meta(self).request_id()
            }
        }

        impl From<crate::error::BuildError> for Error {
            /// A value that could not be built (a required member missing, a constraint broken).
            fn from(err: crate::error::BuildError) -> Self {
                Error::unhandled(err)
            }
        }

        #(#conversions)*
    }
}
