//! Turns a generated crate (its `src/**.rs` files) into ONE module tree: every `mod name;`
//! declaration is replaced by `mod name { ... }` holding that file's items (and its inner
//! attributes), following Rust's file layout (`name.rs` or `name/mod.rs`). The result can be
//! `include!`d as the root of another crate, where the generated `crate::...` paths stay valid.

use std::collections::BTreeMap;
use std::fmt;

/// Why a crate could not be flattened.
#[derive(Debug)]
pub struct FlattenError(String);

impl fmt::Display for FlattenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FlattenError {}

/// Flattens the crate whose files are `files` (path relative to the crate root -> source text)
/// starting at `src/lib.rs`. The root's inner attributes (crate docs and lint levels) are
/// dropped: an `include!`d file cannot carry them; the including crate sets its own.
pub fn flatten(files: &BTreeMap<String, String>) -> Result<String, FlattenError> {
    let mut root = parse(files, "src/lib.rs")?;
    root.attrs.clear();
    inline_modules(files, "src", &mut root.items)?;
    Ok(prettyplease::unparse(&root))
}

fn parse(files: &BTreeMap<String, String>, path: &str) -> Result<syn::File, FlattenError> {
    let text = files
        .get(path)
        .ok_or_else(|| FlattenError(format!("generated crate has no file {path}")))?;
    syn::parse_file(text).map_err(|err| FlattenError(format!("{path}: {err}")))
}

/// Inlines every out-of-line `mod` in `items`, whose files live in the folder `dir`.
fn inline_modules(
    files: &BTreeMap<String, String>,
    dir: &str,
    items: &mut [syn::Item],
) -> Result<(), FlattenError> {
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
