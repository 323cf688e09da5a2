//! The `types` module (shared structures, enums, unions and their builders), `types::error`
//! (error structures) and the crate-private `wire` module (their JSON and validation code).

use proc_macro2::TokenStream;
use quote::quote;

use super::structs::{builder, builder_name, structure};
use super::tokens::{ident, inner_doc_lines};
use super::usage::Usage;
use super::{enums, errors, event_stream, protocol, unions, validate, File};
use crate::ir::names::snake;
use crate::ir::ServiceIr;

/// The private module a type lives in (`_app_instance`), never a keyword.
fn module_name(type_name: &str) -> String {
    format!("_{}", snake(type_name))
}

/// Files of `types`, `types::error` and `wire`.
pub fn files(ir: &ServiceIr, usage: &Usage) -> Vec<File> {
    let mut files = Vec::new();
    let mut mods = Vec::new();
    let mut uses = Vec::new();
    let mut builder_uses = Vec::new();
    for s in &ir.structures {
        let m = module_name(&s.name);
        let (struct_tokens, builder_tokens) = (structure(s), builder(s));
        files.push(File::rust(
            format!("src/types/{m}.rs"),
            quote!(#struct_tokens #builder_tokens),
        ));
        let (m, ty, b) = (ident(&m), ident(&s.name), ident(&builder_name(s)));
        mods.push(quote!(mod #m;));
        uses.push(quote!(pub use #m::#ty;));
        builder_uses.push(quote!(pub use super::#m::#b;));
    }
    for e in &ir.enums {
        let m = module_name(&e.name);
        files.push(File::rust(
            format!("src/types/{m}.rs"),
            enums::enumeration(e),
        ));
        let (m, ty) = (ident(&m), ident(&e.name));
        mods.push(quote!(mod #m;));
        uses.push(quote!(pub use #m::#ty;));
    }
    for u in &ir.unions {
        let m = module_name(&u.name);
        files.push(File::rust(format!("src/types/{m}.rs"), unions::union(u)));
        let (m, ty) = (ident(&m), ident(&u.name));
        mods.push(quote!(mod #m;));
        uses.push(quote!(pub use #m::#ty;));
    }
    let builders_mod = if builder_uses.is_empty() {
        quote!()
    } else {
        quote! {
            /// Builders for the structures of this module.
            pub mod builders {
                #(#builder_uses)*
            }
        }
    };
    let error_mod = if ir.errors.is_empty() && ir.event_streams.is_empty() {
        quote!()
    } else {
        quote! {
            pub mod error;
        }
    };
    let module_doc = inner_doc_lines(if builder_uses.is_empty() {
        "Data types shared by the operations: structures, enums and unions."
    } else {
        "Data types shared by the operations: structures (with builders in [`builders`]),\nenums and unions."
    });
    files.push(File::rust(
        "src/types.rs",
        quote! {
            #module_doc
            #(#mods)*
            #(#uses)*
            #builders_mod
            #error_mod
        },
    ));

    if !ir.errors.is_empty() || !ir.event_streams.is_empty() {
        let mut mods = Vec::new();
        let mut uses = Vec::new();
        let mut builder_uses = Vec::new();
        for s in &ir.errors {
            let m = module_name(&s.name);
            let (st, bt, it) = (structure(s), builder(s), errors::error_struct_impls(s));
            files.push(File::rust(
                format!("src/types/error/{m}.rs"),
                quote!(#st #it #bt),
            ));
            let (m, ty, b) = (ident(&m), ident(&s.name), ident(&builder_name(s)));
            mods.push(quote!(mod #m;));
            uses.push(quote!(pub use #m::#ty;));
            builder_uses.push(quote!(pub use super::#m::#b;));
        }
        for stream in &ir.event_streams {
            let m = module_name(&stream.error_name);
            files.push(File::rust(
                format!("src/types/error/{m}.rs"),
                event_stream::error_enum(stream),
            ));
            let (m, ty) = (ident(&m), ident(&stream.error_name));
            mods.push(quote!(mod #m;));
            uses.push(quote!(pub use #m::#ty;));
        }
        let builders = if builder_uses.is_empty() {
            quote!()
        } else {
            quote! {
                /// Builders for the error structures.
                pub mod builders {
                    #(#builder_uses)*
                }
            }
        };
        files.push(File::rust(
            "src/types/error.rs",
            quote! {
                //! The error structures the service can return. Each operation's error enum wraps
                //! the ones it can return.
                #(#mods)*
                #(#uses)*
                #builders
            },
        ));
    }

    files.extend(wire_files(ir, usage));
    files
}

/// `src/wire.rs` and one file per shape that needs wire (body) or validation code.
fn wire_files(ir: &ServiceIr, usage: &Usage) -> Vec<File> {
    let mut files = Vec::new();
    let mut mods = Vec::new();
    let mut add = |name: &str, deprecated_members: bool, code: Vec<TokenStream>| {
        if code.is_empty() {
            return;
        }
        // The wire code reads and writes every member, deprecated ones too.
        let allow_deprecated = if deprecated_members {
            quote!(#![allow(deprecated)])
        } else {
            quote!()
        };
        let m = module_name(name);
        files.push(File::rust(
            format!("src/wire/{m}.rs"),
            quote! {
                #allow_deprecated
                #(#code)*
            },
        ));
        let m = ident(&m);
        mods.push(quote! {
            mod #m;
            pub(crate) use #m::*;
        });
    };
    let codec = protocol::for_service(ir);
    for s in &ir.structures {
        let mut code = codec.structure_codecs(
            s,
            usage.ser.contains(&s.shape_id),
            usage.de.contains(&s.shape_id),
        );
        if usage.validate.contains(&s.shape_id) {
            code.push(validate::validate_structure(s, &usage.validate));
        }
        add(&s.name, s.members.iter().any(|m| m.deprecated), code);
    }
    for u in &ir.unions {
        let mut code = codec.union_codecs(
            u,
            usage.ser.contains(&u.shape_id),
            usage.de.contains(&u.shape_id),
        );
        if usage.validate.contains(&u.shape_id) {
            code.push(validate::validate_union(u, &usage.validate));
        }
        let stream = ir.event_streams.iter().find(|s| s.shape_id == u.shape_id);
        if let (Some(stream), Some(documents)) = (stream, codec.event_documents()) {
            code.extend(event_stream::codecs(ir, stream, u, documents));
        }
        add(&u.name, false, code);
    }
    let used_errors: std::collections::BTreeSet<&str> = ir
        .operations
        .iter()
        .flat_map(|op| op.errors.iter().map(|e| e.shape_id.as_str()))
        .chain(
            ir.event_streams
                .iter()
                .filter(|s| s.output)
                .flat_map(|s| s.errors.iter().map(|e| e.shape_id.as_str())),
        )
        .collect();
    for s in ir
        .errors
        .iter()
        .filter(|s| used_errors.contains(s.shape_id.as_str()))
    {
        add(
            &s.name,
            s.members.iter().any(|m| m.deprecated),
            vec![codec.error_codec(s)],
        );
    }
    if !mods.is_empty() {
        let doc = format!(
            " {} serializers, deserializers and validators of the shared shapes ({}).",
            codec.body_format(),
            ir.protocol.protocol.name()
        );
        files.push(File::rust(
            "src/wire.rs",
            quote! {
                #![doc = #doc]
                #(#mods)*
            },
        ));
    }
    files
}
