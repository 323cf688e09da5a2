//! The runtime's layers, checked: every top-level module of `src/` may name (`crate::<module>`)
//! only the modules listed for it below. The contract layer names nothing outside itself, no
//! piece names the orchestrator or the configuration, and the configuration does not name the
//! orchestrator. Comments (and so doc links) are not imports and are not checked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each top-level module and the modules it may import, from the bottom layer up.
const ALLOWED: &[(&str, &[&str])] = &[
    // The leaf.
    ("contract", &[]),
    // The pieces.
    ("primitives", &[]),
    ("env", &[]),
    ("endpoint", &[]),
    ("retry", &[]),
    ("rate_limit", &[]),
    ("blocking", &[]),
    ("codec", &["contract", "primitives", "endpoint"]),
    ("sigv4", &["contract", "codec"]),
    ("transport", &["contract"]),
    ("timeout", &["contract", "transport"]),
    ("credentials", &["contract", "env", "codec", "sigv4"]),
    ("capability", &["contract", "primitives", "codec", "sigv4"]),
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

/// The top-level modules a source text names through `crate::`, outside comments.
fn named_modules(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let code = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.push((number + 1, name));
        }
    }
    found
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
        let first = relative.components().next().unwrap().as_os_str();
        let module = first.to_string_lossy().trim_end_matches(".rs").to_owned();
        let Some(may_import) = allowed.get(module.as_str()) else {
            violations.push(format!(
                "{relative_text}: module `{module}` has no entry in ALLOWED (add it to a layer)"
            ));
            continue;
        };
        seen_modules.push(module.clone());
        let source = std::fs::read_to_string(file).unwrap();
        for (line, named) in named_modules(&source) {
            if named != module && !may_import.contains(&named.as_str()) {
                violations.push(format!(
                    "{relative_text}:{line}: `{module}` imports `crate::{named}`, which is not below it"
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
            seen_modules.iter().any(|m| m == module),
            "ALLOWED lists `{module}`, which is not a module of src/"
        );
    }
}

#[test]
fn the_checker_sees_imports_and_ignores_comments() {
    let source = "use crate::config::Config;\n/// See [`x`](crate::orchestrator).\nlet a = $crate::retry::x; // crate::env\nfoo_crate::bar\n";
    let names: Vec<String> = named_modules(source).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["config", "retry"]);
}
