//! Compares two API descriptions and classifies every difference users can see.
//!
//! Operations are matched by client method, types by Rust path; an operation or type that
//! disappears while another appears with the same shape id (a service `rename`) or the same
//! contents (same HTTP route, same members) is reported once as a rename. Types that leave the
//! service closure (knock-on removals) name the operations that used to reach them.

mod members;
mod operations;
mod paths;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use super::change::{ApiDiff, Change, ChangeClass};
use super::semver::Bump;
use super::surface::ApiDescription;
use paths::{input_reachable, replace_path, type_users};

/// Every change from `old` to `new`, sorted by class, then item.
pub fn compare(old: &ApiDescription, new: &ApiDescription) -> ApiDiff {
    let mut comparer = Comparer {
        renames: BTreeMap::new(),
        changes: Vec::new(),
        input_types: input_reachable(new),
        service_auth: (old.service.auth.clone(), new.service.auth.clone()),
    };
    comparer.service(old, new);
    let ops = comparer.match_operations(old, new);
    let types = comparer.match_types(old, new);
    for (old_op, new_op) in &ops.matched {
        comparer.operation(old_op, new_op);
    }
    for op in &ops.removed {
        comparer.push(
            ChangeClass::Breaking,
            Bump::Major,
            &op.operation.method,
            format!(
                "operation `{}` removed, with its module `{}`",
                op.operation.name, op.operation.module
            ),
        );
    }
    for op in &ops.added {
        comparer.push(
            ChangeClass::Additive,
            Bump::Minor,
            &op.operation.method,
            format!(
                "new operation `{}` (module `{}`)",
                op.operation.name, op.operation.module
            ),
        );
    }
    for (old_type, new_type) in &types.matched {
        comparer.shape(old_type, new_type);
    }
    comparer.event_streams(old, new);
    let users = type_users(old);
    let new_methods: BTreeSet<&str> = new
        .operations
        .iter()
        .map(|op| op.operation.method.as_str())
        .collect();
    for shape in &types.removed {
        let path = &shape.info.path;
        let why = match users.get(path.as_str()) {
            Some(ops) if !ops.is_empty() => {
                let listed: Vec<String> = ops
                    .iter()
                    .map(|(method, name)| {
                        let renamed = comparer.renames.get(*method).map(String::as_str);
                        if new_methods.contains(method) || renamed.is_some() {
                            format!("`{name}`")
                        } else {
                            format!("`{name}` (removed)")
                        }
                    })
                    .collect();
                format!(
                    "no longer used by any operation (knock-on removal; it was used by {})",
                    list(&listed)
                )
            }
            _ => "removed from the model".to_owned(),
        };
        comparer.push(
            ChangeClass::Breaking,
            Bump::Major,
            path,
            format!("{} removed: {why}", shape.info.kind.word()),
        );
    }
    for shape in &types.added {
        comparer.push(
            ChangeClass::Additive,
            Bump::Minor,
            &shape.info.path,
            format!("new {}", shape.info.kind.word()),
        );
    }
    let mut changes = comparer.changes;
    changes.sort_by(|a, b| (a.class, &a.item, &a.change).cmp(&(b.class, &b.item, &b.change)));
    changes.dedup();
    ApiDiff {
        crate_name: new.crate_name.clone(),
        title: new.service.title.clone(),
        api_version: new.service.api_version.clone(),
        base_version: old.version.clone(),
        changes,
    }
}

/// `a`, `a and b`, `a, b and c`; long lists end with `and N more`.
fn list(items: &[String]) -> String {
    const SHOWN: usize = 4;
    let (shown, more) = if items.len() > SHOWN + 1 {
        (&items[..SHOWN], items.len() - SHOWN)
    } else {
        (items, 0)
    };
    let mut out = String::new();
    for (i, item) in shown.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == shown.len() && more == 0 {
                " and "
            } else {
                ", "
            });
        }
        out.push_str(item);
    }
    if more > 0 {
        out.push_str(&format!(" and {more} more"));
    }
    out
}

fn article(word: &str) -> String {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {word}")
    } else {
        format!("a {word}")
    }
}

/// Pairs of a removed and an added item with the same key, where the key is unique on both
/// sides.
fn unique_pairs<'a, T>(
    removed: &[&'a T],
    added: &[&'a T],
    key: fn(&T) -> String,
) -> Vec<(&'a T, &'a T)> {
    let count = |items: &[&'a T]| {
        let mut by_key: BTreeMap<String, Vec<&'a T>> = BTreeMap::new();
        for item in items {
            by_key.entry(key(item)).or_default().push(item);
        }
        by_key
    };
    let (old, new) = (count(removed), count(added));
    old.into_iter()
        .filter_map(
            |(k, olds)| match (olds.as_slice(), new.get(&k).map(Vec::as_slice)) {
                ([a], Some([b])) => Some((*a, *b)),
                _ => None,
            },
        )
        .collect()
}

struct Matched<'a, T> {
    matched: Vec<(&'a T, &'a T)>,
    removed: Vec<&'a T>,
    added: Vec<&'a T>,
}

struct Comparer {
    /// Old path -> new path of renamed operations, types and the items they own.
    renames: BTreeMap<String, String>,
    changes: Vec<Change>,
    /// Types (of the new API) whose constraints the client checks before sending.
    input_types: BTreeSet<String>,
    /// The service's authentication schemes (old, new).
    service_auth: (Vec<String>, Vec<String>),
}

/// How a member is used, which decides what its changes mean.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// An operation input: every member is optional in Rust; `@required` is checked at run time.
    Input,
    /// A structure the client builds and validates (reachable from an input).
    ValidatedStruct,
    /// Outputs, errors and structures only received.
    Received,
    /// A union variant.
    UnionVariant,
}

impl Comparer {
    fn push(&mut self, class: ChangeClass, semver: Bump, item: &str, change: String) {
        self.changes.push(Change {
            class,
            semver,
            item: item.to_owned(),
            change,
        });
    }

    /// A type text of the old API with renamed types written with their new paths.
    fn renamed(&self, text: &str) -> String {
        // Longest paths first: an operation's error enum before its module.
        let mut renames: Vec<(&String, &String)> = self.renames.iter().collect();
        renames.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
        let mut out = text.to_owned();
        for (from, to) in renames {
            if out.contains(from.as_str()) {
                out = replace_path(&out, from, to);
            }
        }
        out
    }

    fn service(&mut self, old: &ApiDescription, new: &ApiDescription) {
        let (o, n) = (&old.service, &new.service);
        let krate = new.crate_name.as_str();
        if o.docs != n.docs || o.title != n.title {
            self.push(
                ChangeClass::Documentation,
                Bump::Patch,
                krate,
                "crate documentation changed".to_owned(),
            );
        }
        if o.api_version != n.api_version {
            self.push(
                ChangeClass::Documentation,
                Bump::Patch,
                krate,
                format!(
                    "API version changed from `{}` to `{}`",
                    o.api_version, n.api_version
                ),
            );
        }
        match (&o.endpoint_rules, &n.endpoint_rules) {
            (Some(a), Some(b)) if a != b => self.push(
                ChangeClass::Behaviour,
                Bump::Minor,
                "endpoint::resolve_endpoint",
                "endpoint rules changed: the endpoint resolved for some regions or settings may differ"
                    .to_owned(),
            ),
            (None, Some(_)) => self.push(
                ChangeClass::Behaviour,
                Bump::Minor,
                "endpoint::resolve_endpoint",
                "the model now has endpoint rules: endpoints are resolved from the region when no endpoint URL is configured"
                    .to_owned(),
            ),
            (Some(_), None) => self.push(
                ChangeClass::Behaviour,
                Bump::Major,
                "endpoint::resolve_endpoint",
                "the model no longer has endpoint rules: an endpoint URL must be configured".to_owned(),
            ),
            _ => {}
        }
        if o.auth != n.auth {
            self.auth("config::Config", "the service's", &o.auth, &n.auth);
        }
    }

    fn auth(&mut self, item: &str, whose: &str, old: &[String], new: &[String]) {
        let lost: Vec<String> = old
            .iter()
            .filter(|s| !new.contains(s))
            .map(|s| match s.as_str() {
                "anonymous" => "without credentials".to_owned(),
                other => format!("only for {other}"),
            })
            .collect();
        let (semver, note) = if lost.is_empty() {
            (Bump::Minor, String::new())
        } else {
            (
                Bump::Major,
                format!(
                    ": a client configured {} can no longer call it",
                    lost.join(" or ")
                ),
            )
        };
        self.push(
            ChangeClass::Behaviour,
            semver,
            item,
            format!(
                "{whose} authentication schemes changed from [{}] to [{}]{note}",
                old.join(", "),
                new.join(", ")
            ),
        );
    }

    fn deprecation(&mut self, item: &str, what: &str, old: bool, new: bool) {
        match (old, new) {
            (false, true) => self.push(
                ChangeClass::Additive,
                Bump::Minor,
                item,
                format!("{what} deprecated (using it now warns)"),
            ),
            (true, false) => self.push(
                ChangeClass::Documentation,
                Bump::Patch,
                item,
                format!("{what} no longer deprecated"),
            ),
            _ => {}
        }
    }

    fn docs(&mut self, item: &str) {
        self.push(
            ChangeClass::Documentation,
            Bump::Patch,
            item,
            "documentation changed".to_owned(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_words() {
        let items: Vec<String> = (1..=7).map(|i| i.to_string()).collect();
        assert_eq!(list(&items[..1]), "1");
        assert_eq!(list(&items[..2]), "1 and 2");
        assert_eq!(list(&items[..5]), "1, 2, 3, 4 and 5");
        assert_eq!(list(&items), "1, 2, 3, 4 and 3 more");
    }
}
