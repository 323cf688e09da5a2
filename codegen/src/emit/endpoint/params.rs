//! The rule set's parameters -> `src/endpoint/params.rs`: the public `Params` structure the
//! resolver works from (one field per parameter, an `Option` unless the parameter has a default
//! or is a built-in flag), and the bridge from the values the runtime gathers for a call.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::ir::endpoint::rules::{Param, ParamType, Source};
use crate::ir::endpoint::EndpointRulesIr;

/// The field of `p` as tokens (a raw identifier when it is a keyword).
pub(super) fn field(p: &Param) -> TokenStream {
    let ident = crate::emit::tokens::ident(&p.field);
    quote!(#ident)
}

/// A JSON value of parameter `p` as the tokens of its `Params` field value.
pub(super) fn value_tokens(ty: ParamType, plain: bool, value: &Value) -> TokenStream {
    let inner = match (ty, value) {
        (ParamType::Boolean, Value::Bool(b)) => quote!(#b),
        (ParamType::String, Value::String(s)) => quote!(#s.to_owned()),
        (ParamType::StringArray, Value::Array(items)) => {
            let items = items.iter().filter_map(Value::as_str);
            quote!(vec![#(#items.to_owned()),*])
        }
        // The IR checked every value against its parameter's type.
        _ => quote!(Default::default()),
    };
    if plain {
        inner
    } else {
        quote!(Some(#inner))
    }
}

/// The default of a plain field.
fn default_tokens(p: &Param) -> TokenStream {
    match &p.default {
        Some(d) => value_tokens(p.ty, true, d),
        None => quote!(false),
    }
}

/// Whether the default of `p`'s field is the field type's own `Default`.
fn default_is_trivial(p: &Param) -> bool {
    match &p.default {
        None => true,
        Some(Value::Bool(b)) => !b,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(items)) => items.is_empty(),
        Some(_) => false,
    }
}

/// The tokens of `src/endpoint/params.rs`.
pub(super) fn tokens(rules: &EndpointRulesIr) -> TokenStream {
    let params = &rules.rule_set.params;
    let fields = params.iter().map(|p| {
        let f = field(p);
        let ty = match p.ty {
            ParamType::String => quote!(String),
            ParamType::Boolean => quote!(bool),
            ParamType::StringArray => quote!(Vec<String>),
        };
        let ty = if p.plain() { ty } else { quote!(Option<#ty>) };
        let mut doc = format!("`{}`", p.name);
        if let Some(built_in) = p.source.built_in() {
            doc.push_str(&format!(" (built-in `{built_in}`)"));
        }
        if p.required {
            doc.push_str(", required");
        }
        if let Some(d) = &p.default {
            doc.push_str(&format!(", default `{d}`"));
        }
        doc.push_str(": ");
        doc.push_str(p.doc.as_deref().unwrap_or("undocumented in the model."));
        let doc = super::super::tokens::doc_lines(&doc);
        let deprecated = p.deprecated.as_ref().map(|why| {
            let note = why.as_str();
            quote!(#[deprecated(note = #note)])
        });
        quote! {
            #doc
            #deprecated
            pub #f: #ty,
        }
    });
    let derive_default = params.iter().all(default_is_trivial);
    let default_impl = (!derive_default).then(|| {
        let inits = params.iter().map(|p| {
            let f = field(p);
            let v = if p.plain() {
                default_tokens(p)
            } else {
                quote!(None)
            };
            quote!(#f: #v)
        });
        quote! {
            impl Default for Params {
                #[doc = " The rule set's defaults; every other parameter unset."]
                fn default() -> Self {
                    Self { #(#inits),* }
                }
            }
        }
    });
    let derives = if derive_default {
        quote!(#[derive(Debug, Clone, Default, PartialEq, Eq)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, Eq)])
    };
    let from_call = params.iter().map(|p| {
        let f = field(p);
        let name = &p.name;
        let bound = rules.bound.iter().any(|b| b == name);
        // The value of the bag (bound by the configuration or the operation), as an `Option`.
        let from_bag = match p.ty {
            ParamType::String => quote!(call.string(#name).map(str::to_owned)),
            ParamType::Boolean => quote!(call.bool(#name)),
            ParamType::StringArray => quote!(call.string_array(#name).map(<[String]>::to_vec)),
        };
        // The built-in's value, as an `Option` (booleans: a plain `bool`).
        let built_in = match p.source {
            Source::Region => Some(quote!(call.region.clone())),
            Source::Endpoint => Some(quote!(call.endpoint.clone())),
            Source::AccountId => Some(quote!(call.account_id.clone())),
            Source::AccountIdEndpointMode => Some(quote!(call.account_id_endpoint_mode.clone())),
            Source::UseFips => Some(quote!(call.use_fips)),
            Source::UseDualStack => Some(quote!(call.use_dual_stack)),
            Source::Bound => None,
        };
        let is_flag = matches!(p.source, Source::UseFips | Source::UseDualStack);
        let value = match (built_in, bound) {
            (Some(b), false) => b,
            (Some(b), true) if is_flag => quote!(#from_bag.unwrap_or(#b)),
            (Some(b), true) => quote!(#from_bag.or_else(|| #b)),
            (None, _) => from_bag,
        };
        let value = match (&p.default, is_flag) {
            (_, true) => value,
            (Some(_), false) => {
                let d = default_tokens(p);
                quote!(#value.unwrap_or_else(|| #d))
            }
            (None, false) => value,
        };
        quote!(#f: #value)
    });
    let call = if params.is_empty() {
        quote!(_call)
    } else {
        quote!(call)
    };
    quote! {
        //! The parameters of the endpoint rules.

        use crate::rt::{EndpointError, EndpointParams, ResolvedEndpoint};

        #[doc = " The parameters of the service's endpoint rules: what [`resolve_endpoint`](super::resolve_endpoint)"]
        #[doc = " works from. A client fills them for each call from its configuration (region, FIPS and"]
        #[doc = " dual-stack flags, endpoint URL, this service's settings), the credentials and the"]
        #[doc = " operation's input; build one to see where a call would be sent."]
        #derives
        pub struct Params {
            #(#fields)*
        }

        #default_impl

        impl Params {
            #[doc = " The parameters of one call, from the values the runtime gathered for it: the"]
            #[doc = " built-ins, then the configuration's and the operation's bound values (which win),"]
            #[doc = " then the rule set's defaults."]
            pub(crate) fn from_call(#call: &EndpointParams) -> Self {
                Self { #(#from_call),* }
            }
        }

        #[doc = " Resolves the endpoint of a call from the values the runtime gathered for it."]
        pub(crate) fn resolve_call(call: &EndpointParams) -> Result<ResolvedEndpoint, EndpointError> {
            super::resolve_endpoint(&Params::from_call(call))
        }
    }
}
