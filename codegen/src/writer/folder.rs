//! The crate folder on disk: which files in it the generator wrote (the marker file lists them),
//! writing a crate into it without touching anything else, and comparing it with a crate.
//!
//! A folder is written only when it is new, empty, or a crate this generator wrote (it holds
//! the marker). Files the generator did not write (a `target/` folder, `Cargo.lock`, the user's
//! own files) are never deleted or overwritten; files it wrote before and no longer writes are
//! removed. The new files are staged in a temporary folder inside the crate folder and moved
//! into place only once every one is written; the staging folder is removed on success, on
//! error, and on interruption (see [`clean_up_after_interruption`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{RenderedFile, Staleness, HEADER};
use crate::error::{CodegenError, Result};

/// The marker file of a generated crate folder: the files the generator wrote there.
pub const MARKER: &str = ".smithy-rust-codegen";

/// The prefix of the temporary staging folders (inside the crate folder).
const STAGING_PREFIX: &str = ".codegen-staging-";

/// Staging folders in use, and the lock held while files are moved into place.
static STAGING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The marker file listing `paths` (the other files of the crate).
pub fn marker(paths: &[&str]) -> RenderedFile {
    let mut text = format!(
        "# {HEADER}\n# The files smithy-rust-codegen wrote in this folder (it replaces or removes \
         only these; other files are yours).\n"
    );
    for path in paths {
        text.push_str(path);
        text.push('\n');
    }
    RenderedFile {
        path: MARKER.to_owned(),
        bytes: text.into_bytes(),
    }
}

/// Removes the staging folders of writes in progress, waiting for a move into place to finish:
/// for a handler of Ctrl-C / SIGTERM, before the process exits.
pub fn clean_up_after_interruption() {
    let staging = lock();
    for dir in staging.iter() {
        let _ = std::fs::remove_dir_all(dir);
    }
    // Held until the process exits: no staging folder is created after this clean-up.
    std::mem::forget(staging);
}

/// The files the generator wrote in `out` before: `None` when the folder does not exist or is
/// empty. A non-empty folder without the marker is refused, unless it is a crate written
/// before the marker existed (its `Cargo.toml` starts with the header line), whose generated
/// files are those with the header line.
fn previous_files(out: &Path) -> Result<Option<BTreeSet<String>>> {
    match std::fs::metadata(out) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(CodegenError::io(out, err)),
        Ok(meta) if !meta.is_dir() => {
            return Err(CodegenError::io(
                out,
                std::io::Error::other("the output folder is a file"),
            ))
        }
        Ok(_) => {}
    }
    match std::fs::read_to_string(out.join(MARKER)) {
        Ok(text) => {
            return Ok(Some(
                text.lines()
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_owned)
                    .collect(),
            ))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(CodegenError::io(out.join(MARKER), err)),
    }
    let entries: Vec<String> = std::fs::read_dir(out)
        .map_err(|err| CodegenError::io(out, err))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with(STAGING_PREFIX))
        .collect();
    if entries.is_empty() {
        return Ok(None);
    }
    let legacy = std::fs::read_to_string(out.join("Cargo.toml"))
        .is_ok_and(|text| text.lines().next().is_some_and(|l| l.contains(HEADER)));
    if legacy {
        let mut ours = BTreeSet::new();
        for path in list_files(out)? {
            let text = std::fs::read(out.join(&path)).unwrap_or_default();
            let head = String::from_utf8_lossy(&text[..text.len().min(400)]).into_owned();
            if head.lines().take(2).any(|l| l.contains(HEADER)) {
                ours.insert(path);
            }
        }
        return Ok(Some(ours));
    }
    Err(CodegenError::io(
        out,
        std::io::Error::other(format!(
            "refusing to write a crate here: the folder is not empty and is not a crate \
             smithy-rust-codegen wrote (it has no `{MARKER}` file), so generating into it could \
             overwrite or delete your files; choose a new or empty folder for --out"
        )),
    ))
}

/// Relative paths of every file under `root` (none when it does not exist), skipping `target/`
/// and staging folders.
pub fn list_files(root: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    if !root.exists() {
        return Ok(out);
    }
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|err| CodegenError::io(&dir, err))?;
        for entry in entries {
            let entry = entry.map_err(|err| CodegenError::io(&dir, err))?;
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() {
                let skip = (dir == root && name == "target")
                    || name.to_string_lossy().starts_with(STAGING_PREFIX);
                if !skip {
                    pending.push(path);
                }
            } else if let Ok(relative) = path.strip_prefix(root) {
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Compares `files` with the folder `out`: files that differ, that are missing, and files the
/// generator wrote there before but would not write now (other files are not the generator's).
pub fn check(out: &Path, files: &[RenderedFile]) -> Result<Staleness> {
    let mut staleness = Staleness::default();
    let expected: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for file in files {
        let path = out.join(&file.path);
        match std::fs::read(&path) {
            Ok(bytes) if bytes == file.bytes => {}
            Ok(_) => staleness.changed.push(file.path.clone()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                staleness.missing.push(file.path.clone())
            }
            Err(err) => return Err(CodegenError::io(path, err)),
        }
    }
    let previous = previous_files(out)?.unwrap_or_default();
    staleness.extra = previous
        .into_iter()
        .filter(|p| !expected.contains(p.as_str()) && out.join(p).exists())
        .collect();
    Ok(staleness)
}

/// Writes `files` into `out` (see the module documentation).
pub fn write(out: &Path, files: &[RenderedFile]) -> Result<()> {
    let previous = previous_files(out)?.unwrap_or_default();
    // A file the generator would write where the user has one of their own is a conflict
    // (unless it already holds exactly what the generator writes: nothing would be lost).
    if let Some(file) = files.iter().find(|f| {
        !previous.contains(&f.path)
            && f.path != MARKER
            && out.join(&f.path).exists()
            && std::fs::read(out.join(&f.path)).map_or(true, |bytes| bytes != f.bytes)
    }) {
        return Err(CodegenError::io(
            out.join(&file.path),
            std::io::Error::other(
                "the generator writes this file, but it was not written by the generator: move \
                 it away first",
            ),
        ));
    }
    std::fs::create_dir_all(out).map_err(|err| CodegenError::io(out, err))?;
    // Created and registered under the lock, so that an interruption's clean-up either sees it
    // or runs before it exists (an interruption between the two left it behind).
    let (staging, registered) = {
        let mut in_use = lock();
        let staging = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(out)
            .map_err(|err| CodegenError::io(out, err))?;
        let registered = staging.path().to_owned();
        in_use.push(registered.clone());
        (staging, registered)
    };
    let result = stage_and_move(out, staging.path(), files, &previous);
    // Removed before it is unregistered, so that an interruption in between still removes it.
    drop(staging);
    lock().retain(|dir| dir != &registered);
    result
}

fn lock() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    STAGING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn stage_and_move(
    out: &Path,
    staging: &Path,
    files: &[RenderedFile],
    previous: &BTreeSet<String>,
) -> Result<()> {
    for file in files {
        let path = staging.join(&file.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|err| CodegenError::io(dir, err))?;
        }
        std::fs::write(&path, &file.bytes).map_err(|err| CodegenError::io(&path, err))?;
    }
    // Everything is staged: move it into place (an interruption waits for this to finish).
    let _moving = lock();
    for file in files {
        let target = out.join(&file.path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|err| CodegenError::io(dir, err))?;
        }
        std::fs::rename(staging.join(&file.path), &target)
            .map_err(|err| CodegenError::io(&target, err))?;
    }
    let now: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for old in previous.iter().filter(|p| !now.contains(p.as_str())) {
        let path = out.join(old);
        match std::fs::remove_file(&path) {
            Ok(()) => remove_empty_parents(out, &path),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(CodegenError::io(path, err)),
        }
    }
    Ok(())
}

/// Removes the folders between `file` and `root` that the removal of `file` left empty.
fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir.filter(|d| *d != root && d.starts_with(root)) {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
