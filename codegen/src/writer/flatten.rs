//! Turns a generated crate (its `src/**.rs` files) into ONE module tree: every `mod name;`
//! declaration is replaced by `mod name { ... }` holding that file's items (and its inner
//! attributes), following Rust's file layout (`name.rs` or `name/mod.rs`). The result can be
//! `include!`d as the root of another crate, where the generated `crate::...` paths stay valid
//! (the test crates whose library IS a generated client build it so: see [`crate::embed`]).

use std::collections::BTreeMap;

use crate::error::{CodegenError, Result};

/// Flattens the crate whose files are `files` (path relative to the crate root -> source text)
/// starting at `src/lib.rs`. The root's inner attributes (crate docs and lint levels) are
/// dropped: an `include!`d file cannot carry them; the including crate sets its own.
pub fn flatten(files: &BTreeMap<String, String>) -> Result<String> {
    let mut root = parse(files, "src/lib.rs")?;
    root.attrs.clear();
    inline_modules(files, "src", &mut root.items)?;
    Ok(prettyplease::unparse(&root))
}

fn parse(files: &BTreeMap<String, String>, path: &str) -> Result<syn::File> {
    let emit_error = |message: String| CodegenError::Emit {
        file: path.to_owned(),
        message,
    };
    let text = files.get(path).ok_or_else(|| {
        emit_error("the generated crate has no such file (a `mod` declaration names it)".into())
    })?;
    syn::parse_file(text).map_err(|err| emit_error(format!("not valid Rust: {err}")))
}

/// Inlines every out-of-line `mod` in `items`, whose files live in the folder `dir`.
fn inline_modules(
    files: &BTreeMap<String, String>,
    dir: &str,
    items: &mut [syn::Item],
) -> Result<()> {
    for item in items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        let name = module.ident.to_string();
        let name = name.trim_start_matches("r#");
        let child_dir = format!("{dir}/{name}");
        if let Some((_, inline_items)) = module.content.as_mut() {
            inline_modules(files, &child_dir, inline_items)?;
            continue;
        }
        let flat = format!("{dir}/{name}.rs");
        let nested = format!("{child_dir}/mod.rs");
        let path = if files.contains_key(&flat) {
            flat
        } else {
            nested
        };
        let mut file = parse(files, &path)?;
        inline_modules(files, &child_dir, &mut file.items)?;
        // The file's inner attributes (`//!` docs, lint levels) move inside the braces. When
        // there are some, the declaration's outer docs go inside too, first, so that the module
        // has one style (clippy's `mixed_attributes_style`); the file's links keep resolving
        // inside the module.
        if !file.attrs.is_empty() {
            let (docs, others): (Vec<syn::Attribute>, Vec<syn::Attribute>) = module
                .attrs
                .drain(..)
                .partition(|attr| attr.path().is_ident("doc"));
            module.attrs = others;
            module.attrs.extend(docs.into_iter().map(|mut attr| {
                attr.style = syn::AttrStyle::Inner(syn::token::Not::default());
                attr
            }));
        }
        module.attrs.extend(file.attrs);
        // A test module declared before other items goes last, as it would be written inline
        // (clippy's `items_after_test_module`); item order means nothing to the compiler.
        let (tests, mut items): (Vec<syn::Item>, Vec<syn::Item>) =
            file.items.into_iter().partition(is_test_module);
        items.extend(tests);
        module.content = Some((syn::token::Brace::default(), items));
        module.semi = None;
    }
    Ok(())
}

/// Whether `item` is a `#[cfg(test)]` module.
fn is_test_module(item: &syn::Item) -> bool {
    let syn::Item::Mod(module) = item else {
        return false;
    };
    module.attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .parse_args::<syn::Ident>()
                .is_ok_and(|arg| arg == "test")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_of(files: &[(&str, &str)]) -> BTreeMap<String, String> {
        files
            .iter()
            .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
            .collect()
    }

    fn tokens(text: &str) -> String {
        let file: syn::File = syn::parse_str(text).expect("valid Rust");
        prettyplease::unparse(&file)
    }

    #[test]
    fn modules_of_both_layouts_are_inlined_with_their_docs_and_tests_last() {
        let files = crate_of(&[
            ("src/lib.rs", "//! The crate.\n#![warn(missing_docs)]\n/// Models.\npub mod model;\nmod config;\npub use model::Item;\n"),
            ("src/model/mod.rs", "//! Shapes.\n#[cfg(test)]\nmod tests {}\npub mod item;\npub use item::Item;\n"),
            ("src/model/item.rs", "/// An item.\npub struct Item;\n"),
            ("src/config.rs", "pub(crate) const REGION: &str = \"us-east-1\";\n"),
        ]);
        let flat = flatten(&files).expect("flattens");
        let expected = tokens(
            "pub mod model {\n//! Models.\n//! Shapes.\npub mod item {\n/// An item.\npub struct Item;\n}\npub use item::Item;\n#[cfg(test)]\nmod tests {}\n}\nmod config {\npub(crate) const REGION: &str = \"us-east-1\";\n}\npub use model::Item;\n",
        );
        assert_eq!(flat, expected);
    }

    #[test]
    fn a_missing_module_file_or_invalid_rust_is_an_error_naming_the_file() {
        let err = flatten(&crate_of(&[("src/lib.rs", "mod gone;\n")]))
            .expect_err("no src/gone.rs")
            .to_string();
        assert!(err.contains("src/gone/mod.rs"), "{err}");

        let err = flatten(&crate_of(&[
            ("src/lib.rs", "mod bad;\n"),
            ("src/bad.rs", "fn (\n"),
        ]))
        .expect_err("not Rust")
        .to_string();
        assert!(err.contains("src/bad.rs: not valid Rust"), "{err}");
    }
}
