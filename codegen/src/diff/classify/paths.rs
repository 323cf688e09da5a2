//! Rust paths in type texts: which generated types a type names, renaming a path, and which
//! types each operation reaches.

use std::collections::{BTreeMap, BTreeSet};

use crate::diff::surface::{ApiDescription, ShapeApi};

/// Paths of the generated types (`types::X`, `types::error::X`) named in a type text.
pub(super) fn referenced_types(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("types::") {
        let boundary = at == 0 || !is_path_char(rest[..at].chars().next_back().unwrap_or(' '));
        let tail = &rest[at..];
        let end = tail
            .char_indices()
            .find(|&(_, c)| !is_path_char(c))
            .map_or(tail.len(), |(i, _)| i);
        if boundary {
            found.push(tail[..end].to_owned());
        }
        rest = &tail[end.max(1)..];
    }
    found
}

pub(super) fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == ':'
}

/// Replaces the path `from` by `to` in a type text, only where it is the whole path.
pub(super) fn replace_path(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let before_ok = at == 0 || !is_path_char(rest[..at].chars().next_back().unwrap_or(' '));
        let after = &rest[at + from.len()..];
        // `types::Note` matches in `types::Note::title` but not in `types::NoteBody`.
        let after_ok = !after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        out.push_str(&rest[..at]);
        out.push_str(if before_ok && after_ok { to } else { from });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// For each type path of `api`, the operations (method, name) whose inputs, outputs or errors
/// reach it.
pub(super) fn type_users(api: &ApiDescription) -> BTreeMap<&str, Vec<(&str, &str)>> {
    let types: BTreeMap<&str, &ShapeApi> = api
        .types
        .iter()
        .map(|t| (t.info.path.as_str(), t))
        .collect();
    let mut users: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for op in &api.operations {
        let roots = op
            .input
            .members
            .iter()
            .chain(&op.output.members)
            .flat_map(|m| referenced_types(&m.ty))
            .chain(op.errors.iter().map(|e| e.ty.clone()));
        for path in closure(&types, roots) {
            if let Some((key, _)) = types.get_key_value(path.as_str()) {
                users
                    .entry(key)
                    .or_default()
                    .push((&op.operation.method, &op.operation.name));
            }
        }
    }
    users
}

/// The type paths reachable from `roots` through members.
pub(super) fn closure(
    types: &BTreeMap<&str, &ShapeApi>,
    roots: impl Iterator<Item = String>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<String> = roots.collect();
    while let Some(path) = pending.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        if let Some(shape) = types.get(path.as_str()) {
            pending.extend(shape.members.iter().flat_map(|m| referenced_types(&m.ty)));
        }
    }
    seen
}

/// Types reachable from an operation input: the client validates their constraints.
pub(super) fn input_reachable(api: &ApiDescription) -> BTreeSet<String> {
    let types: BTreeMap<&str, &ShapeApi> = api
        .types
        .iter()
        .map(|t| (t.info.path.as_str(), t))
        .collect();
    closure(
        &types,
        api.operations
            .iter()
            .flat_map(|op| &op.input.members)
            .flat_map(|m| referenced_types(&m.ty)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_replaced_only_whole() {
        assert_eq!(
            replace_path(
                "Option<&types::Bot>, Vec<types::BotSummary>, types::Bot::name",
                "types::Bot",
                "types::Robot"
            ),
            "Option<&types::Robot>, Vec<types::BotSummary>, types::Robot::name"
        );
        assert_eq!(
            referenced_types("HashMap<String, Vec<types::error::Oops>>, types::A"),
            vec!["types::error::Oops".to_owned(), "types::A".to_owned()]
        );
    }
}
