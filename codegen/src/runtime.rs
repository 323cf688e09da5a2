//! The runtime sources embedded at build time (see `build.rs`), and where the runtime crate is.

use std::path::{Component, Path, PathBuf};

use crate::error::{CodegenError, Result};

include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));

/// The path of the runtime crate's folder relative to the crate folder `out` (which need not
/// exist yet), with `/` separators: what a generated crate's path dependency names.
pub fn path_from(out: &Path) -> Result<String> {
    let out = if out.is_absolute() {
        out.to_owned()
    } else {
        std::env::current_dir()
            .map_err(|err| CodegenError::io(out, err))?
            .join(out)
    };
    Ok(relative(&resolve(&out), Path::new(RUNTIME_DIR)))
}

/// `path` with its longest existing ancestor canonicalized (symbolic links resolved, as in
/// [`RUNTIME_DIR`]) and `.`/`..` removed from the rest.
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

/// The relative path from folder `from` to `to` (both absolute).
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
    fn the_runtime_is_found_from_a_folder_that_does_not_exist_yet() {
        let runtime = Path::new(RUNTIME_DIR);
        let out = runtime.join("../not-yet/created");
        assert_eq!(path_from(&out).unwrap(), "../../runtime");
    }
}
