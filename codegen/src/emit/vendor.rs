//! The runtime copied into a generated crate (`runtime = "vendored"`): the runtime's sources
//! under `src/runtime/`, with
//!
//! - `crate::` paths rewritten to `crate::runtime::` (the runtime's root becomes a module);
//! - the capability modules the model does not need left out, and the `#[cfg(feature = ...)]`
//!   line of each one it needs removed (in `capability/mod.rs`, the `codegen` facade and the
//!   few places where the contract, transport and orchestrator offer a capability's entry
//!   points: see [`gate_capabilities`]);
//! - the runtime's own unit tests left out, so that they run once, in the runtime crate. By the
//!   runtime's convention a file's unit tests are one `#[cfg(test)] mod tests { ... }` block at
//!   the end of the file; a file that breaks it is an error naming the file;
//! - the code examples of its documentation left out too: they name the runtime crate
//!   (`smithy_rust_runtime::...`) and are compiled in the runtime crate, and the copy's
//!   documentation is hidden.

use crate::error::Result;
use crate::ir::ServiceIr;
use crate::runtime::RUNTIME_FILES;

use super::capabilities::{capability, runtime_error, Capability, CAPABILITIES};

/// The runtime files a vendored crate for `ir` gets, as (path under `src/runtime/`, contents).
pub fn runtime_files(ir: &ServiceIr) -> Result<Vec<(String, String)>> {
    let mut files = Vec::with_capacity(RUNTIME_FILES.len());
    for (path, source) in RUNTIME_FILES {
        let dropped = CAPABILITIES
            .iter()
            .any(|c| !(c.needed)(ir) && c.holds(path));
        if dropped {
            continue;
        }
        let source = without_unit_tests(path, source)?;
        let source = without_doc_examples(&source);
        let source = gate_capabilities(path, &source, |c| (c.needed)(ir))?;
        // `#[macro_export]` macros stay at the crate root (`crate::__name`) in a copy too.
        let source = source
            .replace("crate::", "crate::runtime::")
            .replace("crate::runtime::__", "crate::__");
        let path = if *path == "lib.rs" {
            "mod.rs".to_owned()
        } else {
            (*path).to_owned()
        };
        files.push((path, source));
    }
    Ok(files)
}

/// `source` without its trailing `#[cfg(test)] mod tests { ... }` block.
fn without_unit_tests(path: &str, source: &str) -> Result<String> {
    const MARKER: &str = "#[cfg(test)]\nmod tests {\n";
    let Some(at) = source.find("#[cfg(test)]") else {
        return Ok(source.to_owned());
    };
    let rest = &source[at..];
    // rustfmt indents everything inside the block, so the only `}` at column 0 after the marker
    // closes it, and it must be the file's last line (an item after the block would end with a
    // second one).
    let closing: Vec<&str> = rest.lines().filter(|line| *line == "}").collect();
    let closes_file = closing.len() == 1 && rest.trim_end().ends_with("\n}");
    if !rest.starts_with(MARKER) || rest[1..].contains("#[cfg(test)]") || !closes_file {
        return Err(runtime_error(
            &format!("src/{path}"),
            "unit tests must be one `#[cfg(test)]` + `mod tests { ... }` block at the end of \
             the file (the generator leaves it out of vendored copies)"
                .to_owned(),
        ));
    }
    Ok(source[..at].trim_end().to_owned() + "\n")
}

/// `source` without the code blocks of its doc comments (from a `/// ```` or `//! ```` line to the
/// next such line, both included).
fn without_doc_examples(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut in_example = false;
    for line in source.lines() {
        let doc_text = line
            .trim_start()
            .strip_prefix("///")
            .or_else(|| line.trim_start().strip_prefix("//!"));
        let fence = doc_text.is_some_and(|text| text.trim_start().starts_with("```"));
        if fence {
            in_example = !in_example;
            continue;
        }
        if !in_example {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// `source` with every `#[cfg(feature = "<capability>")]` line removed, and the item under it
/// too when the service does not need the capability. The item is one line ending in `;` or
/// `,` (a declaration, a re-export, an enum variant), or a block: from its first line to the
/// next line at the same indentation that starts with `}` (a method, an impl, a match arm).
fn gate_capabilities(
    path: &str,
    source: &str,
    needed: impl Fn(&Capability) -> bool,
) -> Result<String> {
    let mut out = String::with_capacity(source.len());
    let mut lines = source.lines();
    while let Some(line) = lines.next() {
        let gated = line
            .trim()
            .strip_prefix("#[cfg(feature = \"")
            .and_then(|rest| rest.strip_suffix("\")]"))
            .and_then(capability);
        let Some(gated) = gated else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let first = lines.next().unwrap_or_default();
        let mut item = vec![first];
        if !first.trim_end().ends_with([';', ',']) {
            let indent = &first[..first.len() - first.trim_start().len()];
            let closing = format!("{indent}}}");
            loop {
                let Some(next) = lines.next() else {
                    return Err(runtime_error(
                        &format!("src/{path}"),
                        format!(
                            "the item under `#[cfg(feature = \"{}\")]` must be one line ending \
                             in `;` or `,`, or a block closed by a `}}` line at its indentation",
                            gated.feature
                        ),
                    ));
                };
                item.push(next);
                if next.starts_with(&closing) {
                    break;
                }
            }
        }
        if needed(gated) {
            for line in item {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_examples_are_cut() {
        let source = "//! Module.\n//!\n//! ```\n//! use x;\n//! ```\n/// An item.\n/// ```no_run\n/// x();\n/// ```\n/// More.\nfn a() {}\n    /// ```text\n    /// a | b\n    /// ```\n// ```not a doc\n";
        assert_eq!(
            without_doc_examples(source),
            "//! Module.\n//!\n/// An item.\n/// More.\nfn a() {}\n// ```not a doc\n"
        );
    }

    #[test]
    fn unit_tests_are_cut_only_when_they_end_the_file() {
        let source = "fn a() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\n";
        assert_eq!(without_unit_tests("a.rs", source).unwrap(), "fn a() {}\n");
        assert_eq!(
            without_unit_tests("b.rs", "fn b() {}\n").unwrap(),
            "fn b() {}\n"
        );
        let err = without_unit_tests("c.rs", "#[cfg(test)]\nmod tests {\n}\nfn c() {\n}\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("runtime/src/c.rs"), "{err}");
        assert!(err.contains("at the end of the file"), "{err}");
        let err = without_unit_tests("d.rs", "#[cfg(test)]\nfn helper() {}\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("runtime/src/d.rs"), "{err}");
    }

    #[test]
    fn gated_blocks_are_kept_or_cut_whole() {
        let source = "\
trait T {
    fn a(&self);

    #[cfg(feature = \"event-stream\")]
    fn b(&self) {
        inner();
    }

    fn c(&self);
}
enum E {
    #[cfg(feature = \"event-stream\")]
    V(u8),
    W,
}
";
        let kept = gate_capabilities("x.rs", source, |_| true).unwrap();
        assert_eq!(
            kept,
            source.replace("    #[cfg(feature = \"event-stream\")]\n", "")
        );
        let cut = gate_capabilities("x.rs", source, |_| false).unwrap();
        assert_eq!(
            cut,
            "trait T {\n    fn a(&self);\n\n\n    fn c(&self);\n}\nenum E {\n    W,\n}\n"
        );
        let err = gate_capabilities("y.rs", "#[cfg(feature = \"cbor\")]\nfn f() {\n", |_| true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("runtime/src/y.rs"), "{err}");
    }
}
