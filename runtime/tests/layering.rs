//! The runtime's layers, checked: every top-level module of `src/` may name (`crate::<module>`)
//! only the modules listed for it below. The contract layer names nothing outside itself but the
//! self-contained event-stream wire codec (its `Message` is what an `initial-response` is), no
//! piece names the orchestrator or the configuration, and the configuration does not name the
//! orchestrator. Comments (and so doc links) are not imports and are not checked.
//!
//! A nested module can have an entry of its own (`codec/cbor`): its files are checked against
//! that entry instead of their top-level module's, a `crate::` path into it counts as naming it,
//! and its files must not climb out of its folder with `super::` either.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each top-level module and the modules it may import, from the bottom layer up.
const ALLOWED: &[(&str, &[&str])] = &[
    // The leaves: the wire codec of the `event-stream` capability (self-contained; the contract
    // names its `Message`, the `initial-response` of a streaming operation), then the contract.
    ("codec/event_stream", &[]),
    ("contract", &["codec/event_stream"]),
    // The pieces.
    ("primitives", &[]),
    ("env", &[]),
    ("endpoint", &[]),
    ("retry", &[]),
    ("rate_limit", &[]),
    ("blocking", &[]),
    ("codec", &["contract", "primitives", "endpoint"]),
    // The wire codec of the `cbor` capability: self-contained.
    ("codec/cbor", &[]),
    ("sigv4", &["contract", "codec"]),
    ("transport", &["contract"]),
    ("timeout", &["contract", "transport"]),
    ("credentials", &["contract", "env", "codec", "sigv4"]),
    (
        "capability",
        &[
            "contract",
            "primitives",
            "codec",
            "codec/event_stream",
            "sigv4",
        ],
    ),
    ("test_util", &["contract"]),
    // The top.
    (
        "config",
        &[
            "contract",
            "env",
            "credentials",
            "transport",
            "timeout",
            "retry",
            "test_util",
        ],
    ),
    (
        "orchestrator",
        &[
            "contract",
            "config",
            "credentials",
            "sigv4",
            "endpoint",
            "retry",
            "rate_limit",
            "timeout",
            "codec",
            "codec/event_stream",
            "capability",
            "blocking",
        ],
    ),
];

/// Files that may name every module: the crate root and the facade for generated code.
const UNCHECKED: &[&str] = &["lib.rs", "codegen.rs"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The `crate::` paths a source text names outside comments, as (line, path segments).
fn named_paths(source: &str) -> Vec<(usize, Vec<String>)> {
    let mut found = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let code = code_of(line);
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let path: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let segments = path
                .split("::")
                .take_while(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            found.push((number + 1, segments));
        }
    }
    found
}

/// A line without its `//` comment.
fn code_of(line: &str) -> &str {
    match line.find("//") {
        Some(at) => &line[..at],
        None => line,
    }
}

/// The entry of `ALLOWED` that owns a module path (`codec/cbor/reader`): the longest one that
/// is the path or one of its ancestors.
fn owner<'a>(allowed: &BTreeMap<&'a str, &[&str]>, segments: &[String]) -> Option<&'a str> {
    (1..=segments.len()).rev().find_map(|len| {
        let key = segments[..len].join("/");
        allowed.get_key_value(key.as_str()).map(|(k, _)| *k)
    })
}

/// The lines of a file of a nested entry whose `super::` paths leave the entry's folder. `depth`
/// is how many `super::` the file's own module may climb and stay inside (0 for the entry's
/// `mod.rs`); by the runtime's convention a file's unit tests are one `#[cfg(test)] mod tests`
/// block at its end, one level deeper.
fn super_escapes(source: &str, depth: usize) -> Vec<usize> {
    let mut escapes = Vec::new();
    let mut depth = depth;
    let mut previous = "";
    for (number, line) in source.lines().enumerate() {
        if previous == "#[cfg(test)]" && line == "mod tests {" {
            depth += 1;
        }
        previous = line;
        let code = code_of(line);
        let mut longest = 0;
        let mut rest = code;
        while let Some(at) = rest.find("super::") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at..];
            let mut run = 0;
            while let Some(after) = rest.strip_prefix("super::") {
                run += 1;
                rest = after;
            }
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                longest = longest.max(run);
            }
        }
        if longest > depth {
            escapes.push(number + 1);
        }
    }
    escapes
}

#[test]
fn every_module_imports_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut violations = Vec::new();
    let mut seen_modules = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let relative_text = relative.to_string_lossy().replace('\\', "/");
        if UNCHECKED.contains(&relative_text.as_str()) {
            continue;
        }
        let segments: Vec<String> = relative_text
            .trim_end_matches(".rs")
            .split('/')
            .map(str::to_owned)
            .collect();
        let Some(module) = owner(&allowed, &segments) else {
            violations.push(format!(
                "{relative_text}: module `{}` has no entry in ALLOWED (add it to a layer)",
                segments[0]
            ));
            continue;
        };
        let may_import = allowed[module];
        seen_modules.push(module);
        let source = std::fs::read_to_string(file).unwrap();
        for (line, path) in named_paths(&source) {
            let named = owner(&allowed, &path).unwrap_or_else(|| path[0].as_str());
            if named != module && !may_import.contains(&named) {
                violations.push(format!(
                    "{relative_text}:{line}: `{module}` imports `crate::{}`, which is not below it",
                    path.join("::")
                ));
            }
        }
        if module.contains('/') {
            // Below the entry's folder: `mod.rs` is the entry's own module, any other file a
            // module one level down, and each folder one more.
            let below = segments.len() - module.split('/').count();
            let depth = if segments.last().is_some_and(|s| s == "mod") {
                below - 1
            } else {
                below
            };
            for line in super_escapes(&source, depth) {
                violations.push(format!(
                    "{relative_text}:{line}: `super::` leaves `{module}`, which imports nothing outside itself"
                ));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "layering violations:\n{}",
        violations.join("\n")
    );
    for (module, _) in ALLOWED {
        assert!(
            seen_modules.contains(module),
            "ALLOWED lists `{module}`, which is not a module of src/"
        );
    }
}

#[test]
fn the_checker_sees_imports_and_ignores_comments() {
    let source = "use crate::config::Config;\n/// See [`x`](crate::orchestrator).\nlet a = $crate::retry::x; // crate::env\nfoo_crate::bar\n";
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let names: Vec<&str> = named_paths(source)
        .iter()
        .map(|(_, path)| owner(&allowed, path).unwrap())
        .collect();
    assert_eq!(names, ["config", "retry"]);
    // A path into a nested entry names that entry; elsewhere in its parent, the parent.
    let source = "use crate::codec::cbor::CborReader;\nuse crate::codec::json::JsonReader;\n";
    let names: Vec<&str> = named_paths(source)
        .iter()
        .map(|(_, path)| owner(&allowed, path).unwrap())
        .collect();
    assert_eq!(names, ["codec/cbor", "codec"]);
}

#[test]
fn the_checker_sees_super_paths_that_leave_a_nested_module() {
    let module_file = "use super::json;\nuse self::reader::Reader;\n";
    assert_eq!(super_escapes(module_file, 0), [1]);
    let leaf_file = "\
use super::error::Error;
use super::super::json::JsonReader;
fn f() {} // super::super::x

#[cfg(test)]
mod tests {
    use super::*;
    use super::super::Error;
    use super::super::super::json;
}
";
    assert_eq!(super_escapes(leaf_file, 1), [2, 9]);
}
