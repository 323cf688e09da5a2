//! Edits to `model/services.toml` for `--bump`, keeping its comments and layout (toml_edit).

use std::path::Path;

use toml_edit::{DocumentMut, Item, Table};

use crate::error::{CodegenError, Result};

/// Sets `version` of the `[[service]]` whose `crate` is `crate_name`, and adds
/// `changelog = <default_changelog>` to it when it has no `changelog` (`file` names the
/// manifest in errors).
pub fn set_version(
    file: &Path,
    text: &str,
    crate_name: &str,
    version: &str,
    default_changelog: &str,
) -> Result<String> {
    let fail = |message: String| CodegenError::Manifest {
        file: file.to_owned(),
        message,
    };
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|err: toml_edit::TomlError| fail(err.message().to_owned()))?;
    let services = doc
        .get_mut("service")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| fail("no [[service]] entries".to_owned()))?;
    let entry: &mut Table = services
        .iter_mut()
        .find(|t| t.get("crate").and_then(Item::as_str) == Some(crate_name))
        .ok_or_else(|| fail(format!("no [[service]] with crate = \"{crate_name}\"")))?;
    match entry.get_mut("version") {
        Some(item) => {
            // Keep the comment and spacing around the old value.
            let decor = item.as_value().map(|v| v.decor().clone());
            *item = toml_edit::value(version);
            if let (Some(decor), Some(value)) = (decor, item.as_value_mut()) {
                *value.decor_mut() = decor;
            }
        }
        None => {
            entry.insert("version", toml_edit::value(version));
        }
    }
    if !entry.contains_key("changelog") {
        entry.insert("changelog", toml_edit::value(default_changelog));
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "# The services.\n\n[[service]]\ncrate = \"a\"\nversion = \"0.1.0\"  # released\nshape = \"x#A\"\n\n# Second.\n[[service]]\ncrate = \"b\"\nshape = \"x#B\"\nchangelog = \"logs/b.md\"\n";

    #[test]
    fn sets_the_version_of_one_service_and_keeps_everything_else() {
        let out = set_version(
            Path::new("m.toml"),
            MANIFEST,
            "a",
            "0.2.0",
            "changelogs/a.md",
        )
        .unwrap();
        assert_eq!(
            out,
            "# The services.\n\n[[service]]\ncrate = \"a\"\nversion = \"0.2.0\"  # released\nshape = \"x#A\"\nchangelog = \"changelogs/a.md\"\n\n# Second.\n[[service]]\ncrate = \"b\"\nshape = \"x#B\"\nchangelog = \"logs/b.md\"\n"
        );
        let out = set_version(
            Path::new("m.toml"),
            MANIFEST,
            "b",
            "1.0.0",
            "changelogs/b.md",
        )
        .unwrap();
        assert!(
            out.contains(
                "crate = \"b\"\nshape = \"x#B\"\nchangelog = \"logs/b.md\"\nversion = \"1.0.0\"\n"
            ),
            "{out}"
        );
        let err = set_version(Path::new("m.toml"), MANIFEST, "c", "1.0.0", "c.md")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("m.toml") && err.contains("crate = \"c\""),
            "{err}"
        );
    }
}
