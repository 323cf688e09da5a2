//! Paths that a generated crate's `Cargo.toml` names relative to the crate's folder (the runtime
//! crate, hand-written examples), so the crate builds wherever the repository is checked out.

use std::path::{Component, Path, PathBuf};

use crate::error::{CodegenError, Result};

/// The path of `target` relative to the folder `from` (neither need exist yet), with `/`
/// separators: `generated/x` and `model/examples/x/a.rs` give `../../model/examples/x/a.rs`.
/// Relative inputs are taken from the current folder; symbolic links of their existing
/// ancestors are resolved first. When the two have no common root (another drive), the
/// absolute path of `target`.
pub fn relative_from(from: &Path, target: &Path) -> Result<String> {
    let from = resolve(&absolute(from)?);
    let target = resolve(&absolute(target)?);
    if from.components().next() != target.components().next() {
        return Ok(target.to_string_lossy().replace('\\', "/"));
    }
    Ok(relative(&from, &target))
}

fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_owned());
    }
    Ok(std::env::current_dir()
        .map_err(|err| CodegenError::io(path, err))?
        .join(path))
}

/// `path` with its longest existing ancestor canonicalized (symbolic links resolved) and
/// `.`/`..` removed from the rest.
fn resolve(path: &Path) -> PathBuf {
    let mut existing = path.to_owned();
    let mut missing = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut out = canonical;
            for part in missing.iter().rev() {
                out.push(part);
            }
            return lexical(&out);
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name.to_owned());
                existing = parent.to_owned();
            }
            _ => return lexical(path),
        }
    }
}

fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The relative path from folder `from` to `to` (both absolute, with a common root).
fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_to_the_common_folder() {
        let root = Path::new("/work/repo");
        assert_eq!(
            relative(&root.join("generated/chime"), &root.join("runtime")),
            "../../runtime"
        );
        assert_eq!(relative(&root.join("runtime"), &root.join("runtime")), ".");
        assert_eq!(relative(root, &root.join("runtime")), "runtime");
    }

    #[test]
    fn folders_that_do_not_exist_yet_are_resolved_lexically() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(
            relative_from(
                &here.join("not-yet/created/../crate"),
                &here.join("src/lib.rs")
            )
            .unwrap(),
            "../../src/lib.rs"
        );
    }
}
