//! An operation's endpoint parameter bindings (checked in the IR, `ir::endpoint::bindings`) ->
//! its `Operation::endpoint_params`: constants, input members and paths into the input set on
//! the call's parameters, least specific first so the most specific value is the one left.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::ir::endpoint::path::{Leaf, Path, Step};
use crate::ir::endpoint::{Binding, Bound};
use crate::ir::OperationIr;

/// `fn endpoint_params` of the operation's `Operation` impl, when it binds anything.
pub(crate) fn endpoint_params_fn(op: &OperationIr) -> Option<TokenStream> {
    if op.endpoint_bindings.is_empty() {
        return None;
    }
    let reads_input = op
        .endpoint_bindings
        .iter()
        .any(|b| !matches!(b.value, Bound::Static(_)));
    let input = if reads_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    let sets = op.endpoint_bindings.iter().map(binding);
    Some(quote! {
        fn endpoint_params(
            #input: &Self::Input,
            params: &mut crate::rt::EndpointParams,
        ) -> Result<(), crate::error::BuildError> {
            #(#sets)*
            Ok(())
        }
    })
}

fn binding(b: &Binding) -> TokenStream {
    let name = &b.param;
    let ev = quote!(crate::rt::EndpointValue);
    match &b.value {
        Bound::Static(value) => {
            let value = match value {
                Value::Bool(v) => quote!(#ev::Bool(#v)),
                Value::String(s) => quote!(#ev::String(#s.to_owned())),
                Value::Array(items) => {
                    let items = items.iter().filter_map(Value::as_str);
                    quote!(#ev::StringArray(vec![#(#items.to_owned()),*]))
                }
                // The IR checked the value's type.
                _ => quote!(#ev::Bool(false)),
            };
            quote!(params.set(#name, #value);)
        }
        Bound::Member {
            wire_name,
            field,
            leaf,
            list,
            required,
        } => {
            let f = crate::emit::tokens::ident(field);
            let value = format_ident!("value");
            let converted = match (list, leaf) {
                (false, Leaf::Bool) => quote!(#ev::Bool(*#value)),
                (false, Leaf::String) => quote!(#ev::String(#value.clone())),
                (false, Leaf::Enum) => quote!(#ev::String(#value.as_str().to_owned())),
                (true, Leaf::Enum) => {
                    quote!(#ev::StringArray(#value.iter().map(|v| v.as_str().to_owned()).collect()))
                }
                (true, _) => quote!(#ev::StringArray(#value.clone())),
            };
            if *required {
                let empty = match (list, leaf) {
                    (false, Leaf::Bool) => None,
                    (false, Leaf::String) => Some(quote!(#value.trim().is_empty())),
                    (false, Leaf::Enum) => Some(quote!(#value.as_str().trim().is_empty())),
                    (true, _) => Some(quote!(#value.is_empty())),
                };
                let message = format!(
                    "`{wire_name}` is bound to the endpoint parameter `{name}` and must not be \
                     unset, empty or only whitespace"
                );
                let guard = empty.map(|e| quote!(if !#e));
                quote! {
                    match &input.#f {
                        Some(#value) #guard => params.set(#name, #converted),
                        _ => {
                            return Err(crate::error::BuildError::missing_field(#wire_name, #message))
                        }
                    }
                }
            } else {
                quote! {
                    if let Some(#value) = &input.#f {
                        params.set(#name, #converted);
                    }
                }
            }
        }
        Bound::Path(path) => path_binding(name, path),
    }
}

/// The loops and `if let`s that collect a path's values, then the `set`.
fn path_binding(name: &str, path: &Path) -> TokenStream {
    let ev = quote!(crate::rt::EndpointValue);
    let mut counter = 0;
    let chains: Vec<TokenStream> = path
        .chains
        .iter()
        .map(|steps| chain(steps, &format_ident!("input"), false, path, &mut counter))
        .collect();
    if path.list {
        quote! {
            {
                let mut values: Option<Vec<String>> = None;
                #(#chains)*
                if let Some(values) = values {
                    params.set(#name, #ev::StringArray(values));
                }
            }
        }
    } else {
        let (ty, wrap) = match path.leaf {
            Leaf::Bool => (quote!(bool), quote!(#ev::Bool(value))),
            Leaf::String | Leaf::Enum => (quote!(String), quote!(#ev::String(value))),
        };
        quote! {
            {
                let mut value: Option<#ty> = None;
                #(#chains)*
                if let Some(value) = value {
                    params.set(#name, #wrap);
                }
            }
        }
    }
}

/// The code of `steps` from the value `cur` (a reference). `in_projection`: a projection step
/// came before (values go to `list`, created at the first projection); a list result without a
/// projection is a multi-select list, whose values are pushed straight into `values`.
fn chain(
    steps: &[Step],
    cur: &Ident,
    in_projection: bool,
    path: &Path,
    counter: &mut usize,
) -> TokenStream {
    let Some((step, rest)) = steps.split_first() else {
        let value = match path.leaf {
            Leaf::String => quote!(#cur.clone()),
            Leaf::Enum => quote!(#cur.as_str().to_owned()),
            Leaf::Bool => quote!(*#cur),
        };
        return match (path.list, in_projection) {
            (true, true) => quote!(list.push(#value);),
            (true, false) => quote!(values.get_or_insert_with(Vec::new).push(#value);),
            (false, _) => quote!(value = Some(#value);),
        };
    };
    *counter += 1;
    let next = format_ident!("v{}", *counter);
    let start_list = (step.projects() && !in_projection)
        .then(|| quote!(let list = values.get_or_insert_with(Vec::new);));
    let inner = chain(rest, &next, in_projection || step.projects(), path, counter);
    // An optional member holding a union, then one of its variants: one pattern
    // (clippy::collapsible_match).
    if let (
        Step::Field {
            field,
            optional: true,
            boxed: false,
        },
        Some((
            Step::Variant {
                union,
                variant,
                boxed,
            },
            after,
        )),
    ) = (step, rest.split_first())
    {
        let f = crate::emit::tokens::ident(field);
        let union = crate::emit::tokens::path(union);
        let variant = format_ident!("{}", variant);
        let inner = chain(after, &next, in_projection, path, counter);
        let bind = boxed.then(|| quote!(let #next = &**#next;));
        return quote!(if let Some(#union::#variant(#next)) = &#cur.#f { #bind #inner });
    }
    match step {
        Step::Field {
            field,
            optional,
            boxed,
        } => {
            let f = crate::emit::tokens::ident(field);
            match (optional, boxed) {
                (true, true) => quote!(if let Some(#next) = #cur.#f.as_deref() { #inner }),
                (true, false) => quote!(if let Some(#next) = &#cur.#f { #inner }),
                (false, true) => quote!({ let #next = &*#cur.#f; #inner }),
                (false, false) => quote!({ let #next = &#cur.#f; #inner }),
            }
        }
        Step::Variant {
            union,
            variant,
            boxed,
        } => {
            let union = crate::emit::tokens::path(union);
            let variant = format_ident!("{}", variant);
            let bind = if *boxed {
                quote!(let #next = &**#next;)
            } else {
                quote!()
            };
            quote!(if let #union::#variant(#next) = #cur { #bind #inner })
        }
        Step::Elements { sparse } => {
            let iter = if *sparse {
                quote!(#cur.iter().flatten())
            } else {
                quote!(#cur.iter())
            };
            quote!(#start_list for #next in #iter { #inner })
        }
        Step::Values { sparse } => {
            let iter = if *sparse {
                quote!(#cur.values().flatten())
            } else {
                quote!(#cur.values())
            };
            quote!(#start_list for #next in #iter { #inner })
        }
        Step::Keys => {
            let keys = format_ident!("keys{}", *counter);
            quote! {
                #start_list
                let mut #keys: Vec<&String> = #cur.keys().collect();
                #keys.sort();
                for #next in #keys { #inner }
            }
        }
    }
}
