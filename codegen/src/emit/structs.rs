//! Structures: the type with its getters, its builder, and a `Debug` that redacts sensitive
//! members.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::{docs, field_type, ident, is_copy, member_docs, rust_type, REDACTED};
use crate::ir::names::unraw;
use crate::ir::{MemberIr, RustType, StreamDirection, StructIr, StructRole};

/// The name of a structure's builder type.
pub fn builder_name(structure: &StructIr) -> String {
    format!("{}Builder", structure.name)
}

/// The structure type, its inherent methods and its Debug impl.
pub fn structure(s: &StructIr) -> TokenStream {
    let name = ident(&s.name);
    let doc = match s.docs.as_deref() {
        Some(d) if !d.trim().is_empty() => docs(Some(d)),
        _ => docs(Some(&default_doc(s))),
    };
    let fields = s.members.iter().map(|m| {
        let field = ident(&m.field);
        let ty = field_type(m);
        let doc = member_docs(m);
        let deprecated = deprecated(m);
        quote!(#doc #deprecated pub #field: #ty,)
    });
    let meta_field = match s.role {
        StructRole::Error => quote!(pub(crate) meta: crate::error::ErrorMetadata,),
        StructRole::Output => quote!(pub(crate) _request_id: Option<String>,),
        _ => quote!(),
    };
    let getters = s.members.iter().map(getter);
    let builder_ref = builder_type_path(s);
    let debug = debug_impl(
        &name,
        s.members.iter().collect(),
        s.sensitive,
        extra_field(s),
    );
    let request_id = if s.role == StructRole::Output {
        quote! {
            impl crate::operation::RequestId for #name {
                /// The request id of the response (`x-amzn-requestid`).
                fn request_id(&self) -> Option<&str> {
                    self._request_id.as_deref()
                }
            }
        }
    } else {
        quote!()
    };
    let derive_debug = if debug.is_empty() {
        quote!(#[derive(Debug)])
    } else {
        quote!()
    };
    let builder_doc = format!(" Creates a new builder for [`{}`].", s.name);
    let derives = derives(s, quote!());
    quote! {
        #doc
        #derives
        #derive_debug
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #meta_field
        }

        impl #name {
            #(#getters)*

            #[doc = #builder_doc]
            pub fn builder() -> #builder_ref {
                #builder_ref::default()
            }
        }

        #debug
        #request_id
    }
}

/// The derives of a structure (and, with `extra`, of its builder): `Clone` and `PartialEq`,
/// except that an event stream's receiver is neither and its sender cannot be compared.
fn derives(s: &StructIr, extra: TokenStream) -> TokenStream {
    let direction = s.members.iter().find_map(|m| match &m.ty {
        RustType::EventStream(stream) => Some(stream.direction),
        _ => None,
    });
    let mut names = match direction {
        None => vec![quote!(Clone), quote!(PartialEq)],
        Some(StreamDirection::Input) => vec![quote!(Clone)],
        Some(StreamDirection::Output) => vec![],
    };
    if !extra.is_empty() {
        names.push(extra);
    }
    if names.is_empty() {
        quote!()
    } else {
        quote!(#[derive(#(#names),*)])
    }
}

/// The field a structure has besides its members, which its `Debug` shows too: the metadata
/// of an error, the request id of an output.
fn extra_field(s: &StructIr) -> Option<&'static str> {
    match s.role {
        StructRole::Error => Some("meta"),
        StructRole::Output => Some("_request_id"),
        _ => None,
    }
}

/// The path of the builder as seen from the structure's own module.
fn builder_type_path(s: &StructIr) -> TokenStream {
    let builder = ident(&builder_name(s));
    match s.role {
        StructRole::Input | StructRole::Output => quote!(super::builders::#builder),
        StructRole::Error => quote!(crate::types::error::builders::#builder),
        StructRole::Plain => quote!(crate::types::builders::#builder),
    }
}

fn default_doc(s: &StructIr) -> String {
    match s.role {
        StructRole::Input => format!(
            "The input of the `{}` operation.",
            s.name.trim_end_matches("Input")
        ),
        StructRole::Output => format!(
            "The output of the `{}` operation.",
            s.name.trim_end_matches("Output")
        ),
        StructRole::Error => format!("The `{}` error.", s.wire_name),
        StructRole::Plain => format!("The `{}` structure.", s.wire_name),
    }
}

fn deprecated(m: &MemberIr) -> TokenStream {
    if m.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    }
}

/// A getter: required values by reference (or by value when `Copy`), optional ones as
/// `Option<&T>`, lists as slices.
fn getter(m: &MemberIr) -> TokenStream {
    let field = ident(&m.field);
    let doc = member_docs(m);
    let deprecated = deprecated(m);
    let (ret, body) = getter_parts(m, quote!(self.#field));
    let allow_deprecated = if m.deprecated {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    quote! {
        #doc
        #deprecated
        #allow_deprecated
        pub fn #field(&self) -> #ret {
            #body
        }
    }
}

pub(super) fn getter_parts(m: &MemberIr, access: TokenStream) -> (TokenStream, TokenStream) {
    let ty = rust_type(&m.ty);
    match (&m.ty, m.optional) {
        (RustType::String | RustType::BigInteger | RustType::BigDecimal, false) => {
            (quote!(&str), quote!(&#access))
        }
        (RustType::String | RustType::BigInteger | RustType::BigDecimal, true) => {
            (quote!(Option<&str>), quote!(#access.as_deref()))
        }
        (t, false) if is_copy(t) => (ty, access),
        (t, true) if is_copy(t) => (quote!(Option<#ty>), access),
        (
            RustType::List {
                element, sparse, ..
            },
            optional,
        ) => {
            let element = rust_type(element);
            let element = if *sparse {
                quote!(Option<#element>)
            } else {
                element
            };
            if optional {
                (
                    quote!(&[#element]),
                    quote!(#access.as_deref().unwrap_or_default()),
                )
            } else {
                (quote!(&[#element]), quote!(&#access))
            }
        }
        (_, false) => (quote!(&#ty), quote!(&#access)),
        (_, true) => {
            if m.boxed {
                (quote!(Option<&#ty>), quote!(#access.as_deref()))
            } else {
                (quote!(Option<&#ty>), quote!(#access.as_ref()))
            }
        }
    }
}

/// A manual Debug impl when any member is sensitive (or the whole structure is); empty
/// otherwise (the type derives Debug).
pub fn debug_impl(
    name: &proc_macro2::Ident,
    members: Vec<&MemberIr>,
    all_sensitive: bool,
    extra: Option<&str>,
) -> TokenStream {
    if !all_sensitive && !members.iter().any(|m| m.info.sensitive) && extra.is_none() {
        return TokenStream::new();
    }
    let type_name = name.to_string();
    let fields = members.iter().map(|m| {
        let field = ident(&m.field);
        let label = unraw(&m.field).to_owned();
        if all_sensitive || m.info.sensitive {
            quote!(formatter.field(#label, &#REDACTED);)
        } else {
            quote!(formatter.field(#label, &self.#field);)
        }
    });
    let meta = match extra {
        Some(field) => {
            let member = format_ident!("{}", field);
            quote!(formatter.field(#field, &self.#member);)
        }
        None => quote!(),
    };
    let allow = if members.iter().any(|m| m.deprecated) {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    quote! {
        impl std::fmt::Debug for #name {
            #allow
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut formatter = f.debug_struct(#type_name);
                #(#fields)*
                #meta
                formatter.finish()
            }
        }
    }
}

/// Whether the builder's `build()` can fail (a required member without a default that is not
/// optional in the structure), which makes it return `Result`.
pub fn build_is_fallible(s: &StructIr) -> bool {
    s.role == StructRole::Input
        || s.members.iter().any(|m| {
            !m.optional && m.default.is_none() && !matches!(m.ty, RustType::EventStream(_))
        })
}

/// The builder of a structure.
pub fn builder(s: &StructIr) -> TokenStream {
    let name = ident(&s.name);
    let builder = ident(&builder_name(s));
    let target_path = match s.role {
        StructRole::Input | StructRole::Output => quote!(super::#name),
        StructRole::Error => quote!(crate::types::error::#name),
        StructRole::Plain => quote!(crate::types::#name),
    };
    let fields = s.members.iter().map(|m| {
        let field = ident(&m.field);
        let ty = rust_type(&m.ty);
        let deprecated = deprecated(m);
        quote!(#deprecated pub(crate) #field: Option<#ty>,)
    });
    let meta_field = match s.role {
        StructRole::Error => quote!(meta: Option<crate::error::ErrorMetadata>,),
        StructRole::Output => quote!(pub(crate) _request_id: Option<String>,),
        _ => quote!(),
    };
    let methods = s.members.iter().map(setters);
    let fallible = build_is_fallible(s);
    let inits = s.members.iter().map(|m| build_field(s, m));
    let meta_init = match s.role {
        StructRole::Error => quote!(meta: self.meta.unwrap_or_default(),),
        StructRole::Output => quote!(_request_id: self._request_id,),
        _ => quote!(),
    };
    let meta_setter = match s.role {
        StructRole::Error => quote! {
            /// Sets the error metadata (code, message, request id).
            pub fn meta(mut self, meta: crate::error::ErrorMetadata) -> Self {
                self.meta = Some(meta);
                self
            }
        },
        StructRole::Output => quote! {
            /// Sets the request id the output reports (for test doubles; a received output
            /// has the response's).
            pub fn _request_id(mut self, request_id: impl Into<String>) -> Self {
                self._request_id = Some(request_id.into());
                self
            }

            /// Sets or clears the request id the output reports.
            pub fn _set_request_id(&mut self, request_id: Option<String>) -> &mut Self {
                self._request_id = request_id;
                self
            }
        },
        _ => quote!(),
    };
    let link = match s.role {
        StructRole::Input | StructRole::Output => format!("super::{}", s.name),
        _ => s.path(),
    };
    let build_doc = format!(" Builds a [`{}`]({link}).", s.name);
    let build = if fallible {
        let err_doc = " Fails when a required member is not set.";
        quote! {
            #[doc = #build_doc]
            #[doc = ""]
            #[doc = #err_doc]
            pub fn build(self) -> Result<#target_path, crate::error::BuildError> {
                Ok(#target_path {
                    #(#inits)*
                    #meta_init
                })
            }
        }
    } else {
        quote! {
            #[doc = #build_doc]
            pub fn build(self) -> #target_path {
                #target_path {
                    #(#inits)*
                    #meta_init
                }
            }
        }
    };
    let debug = debug_impl(&builder, s.members.iter().collect(), s.sensitive, None);
    let derive_debug = if debug.is_empty() {
        quote!(#[derive(Debug)])
    } else {
        quote!()
    };
    let doc = format!(" A builder for [`{}`]({link}).", s.name);
    let derives = derives(s, quote!(Default));
    let allow = if s.members.iter().any(|m| m.deprecated) {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    quote! {
        #[doc = #doc]
        #derives
        #derive_debug
        #[non_exhaustive]
        pub struct #builder {
            #(#fields)*
            #meta_field
        }

        #allow
        impl #builder {
            #(#methods)*
            #meta_setter
            #build
        }

        #debug
    }
}

/// The `x`, `set_x` and `get_x` methods of a builder member.
pub fn setters(m: &MemberIr) -> TokenStream {
    let field = ident(&m.field);
    let bare = unraw(&m.field);
    let set = format_ident!("set_{}", bare.trim_end_matches('_'));
    let get = format_ident!("get_{}", bare.trim_end_matches('_'));
    let ty = rust_type(&m.ty);
    let doc = member_docs(m);
    let deprecated = deprecated(m);
    let required_note = if m.required {
        quote!(#[doc = ""] #[doc = " This member is required."])
    } else {
        quote!()
    };
    let primary = match &m.ty {
        RustType::List {
            element, sparse, ..
        } => {
            let string_items = !*sparse && matches!(**element, RustType::String);
            let element = rust_type(element);
            let (param, item) = if string_items {
                (quote!(impl Into<String>), quote!(input.into()))
            } else if *sparse {
                (quote!(Option<#element>), quote!(input))
            } else {
                (element, quote!(input))
            };
            let append_doc = format!(" Appends an item to `{bare}`.");
            quote! {
                #[doc = #append_doc]
                #[doc = ""]
                #[doc = " To replace the whole list, use the `set_` method."]
                #deprecated
                pub fn #field(mut self, input: #param) -> Self {
                    self.#field.get_or_insert_with(Vec::new).push(#item);
                    self
                }
            }
        }
        RustType::Map { value, sparse, .. } => {
            let value = rust_type(value);
            let value = if *sparse {
                quote!(Option<#value>)
            } else {
                value
            };
            let insert_doc = format!(" Adds a key-value pair to `{bare}`.");
            quote! {
                #[doc = #insert_doc]
                #[doc = ""]
                #[doc = " To replace the whole map, use the `set_` method."]
                #deprecated
                pub fn #field(mut self, key: impl Into<String>, value: #value) -> Self {
                    self.#field.get_or_insert_with(Default::default).insert(key.into(), value);
                    self
                }
            }
        }
        RustType::String | RustType::BigInteger | RustType::BigDecimal => quote! {
            #doc
            #required_note
            #deprecated
            pub fn #field(mut self, input: impl Into<String>) -> Self {
                self.#field = Some(input.into());
                self
            }
        },
        _ => quote! {
            #doc
            #required_note
            #deprecated
            pub fn #field(mut self, input: #ty) -> Self {
                self.#field = Some(input);
                self
            }
        },
    };
    quote! {
        #primary
        #doc
        #required_note
        #deprecated
        pub fn #set(mut self, input: Option<#ty>) -> Self {
            self.#field = input;
            self
        }
        #doc
        #deprecated
        pub fn #get(&self) -> &Option<#ty> {
            &self.#field
        }
    }
}

/// The initializer of one field in `build()`.
fn build_field(s: &StructIr, m: &MemberIr) -> TokenStream {
    let field = ident(&m.field);
    let boxed = |v: TokenStream| if m.boxed { quote!(#v.map(Box::new)) } else { v };
    if m.optional {
        let value = boxed(quote!(self.#field));
        return quote!(#field: #value,);
    }
    let value = match &m.default {
        Some(default) => {
            super::defaults::unwrap_or_default_expr(quote!(self.#field), &m.ty, default)
        }
        // An output built without its stream has one that ends at once.
        None if matches!(m.ty, RustType::EventStream(_)) => quote!(self.#field.unwrap_or_default()),
        None => {
            let path = format!("{}.{}", s.name, unraw(&m.field));
            let message = format!("`{}` must be set to build `{}`", unraw(&m.field), s.name);
            quote!(self.#field.ok_or_else(|| crate::error::BuildError::missing_field(#path, #message))?)
        }
    };
    if m.boxed {
        quote!(#field: Box::new(#value),)
    } else {
        quote!(#field: #value,)
    }
}
