//! Compares two API descriptions and classifies every difference users can see.
//!
//! Operations are matched by client method, types by Rust path; an operation or type that
//! disappears while another appears with the same shape id (a service `rename`) or the same
//! contents (same HTTP route, same members) is reported once as a rename. Types that leave the
//! service closure (knock-on removals) name the operations that used to reach them.

use std::collections::{BTreeMap, BTreeSet};

use super::change::{ApiDiff, Change, ChangeClass};
use super::semver::Bump;
use super::surface::{
    ApiDescription, EnumValueApi, ErrorVariantApi, MemberApi, OperationApi, PaginatorApi, ShapeApi,
    TypeKind,
};

/// Every change from `old` to `new`, sorted by class, then item.
pub fn compare(old: &ApiDescription, new: &ApiDescription) -> ApiDiff {
    let mut comparer = Comparer {
        renames: BTreeMap::new(),
        changes: Vec::new(),
        input_types: input_reachable(new),
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

/// Paths of the generated types (`types::X`, `types::error::X`) named in a type text.
fn referenced_types(text: &str) -> Vec<String> {
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

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == ':'
}

/// Replaces the path `from` by `to` in a type text, only where it is the whole path.
fn replace_path(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let before_ok = at == 0 || !is_path_char(rest[..at].chars().next_back().unwrap_or(' '));
        let after = &rest[at + from.len()..];
        let after_ok = !after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
        out.push_str(&rest[..at]);
        out.push_str(if before_ok && after_ok { to } else { from });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// For each type path of `api`, the operations (method, name) whose inputs, outputs or errors
/// reach it.
fn type_users(api: &ApiDescription) -> BTreeMap<&str, Vec<(&str, &str)>> {
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
fn closure(
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
fn input_reachable(api: &ApiDescription) -> BTreeSet<String> {
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
        let mut out = text.to_owned();
        for (from, to) in &self.renames {
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
        let lost: Vec<&String> = old.iter().filter(|s| !new.contains(s)).collect();
        let (semver, note) = if lost.is_empty() {
            (Bump::Minor, String::new())
        } else {
            (
                Bump::Major,
                format!(
                    ": a configuration that only sets up {} no longer works",
                    lost.iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(" or ")
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

    fn match_operations<'a>(
        &mut self,
        old: &'a ApiDescription,
        new: &'a ApiDescription,
    ) -> Matched<'a, OperationApi> {
        let new_by_method: BTreeMap<&str, &OperationApi> = new
            .operations
            .iter()
            .map(|op| (op.operation.method.as_str(), op))
            .collect();
        let old_methods: BTreeSet<&str> = old
            .operations
            .iter()
            .map(|op| op.operation.method.as_str())
            .collect();
        let mut matched = Vec::new();
        let mut removed = Vec::new();
        for op in &old.operations {
            match new_by_method.get(op.operation.method.as_str()) {
                Some(new_op) => matched.push((op, *new_op)),
                None => removed.push(op),
            }
        }
        let mut added: Vec<&OperationApi> = new
            .operations
            .iter()
            .filter(|op| !old_methods.contains(op.operation.method.as_str()))
            .collect();
        // Renames: the same shape id (a service `rename`), else the same unique HTTP route.
        let keys: [fn(&OperationApi) -> String; 2] = [
            |op| op.operation.shape.clone(),
            |op| op.operation.http.clone(),
        ];
        for key in keys {
            for (old_op, new_op) in unique_pairs(&removed, &added, key) {
                removed.retain(|op| !std::ptr::eq(*op, old_op));
                added.retain(|op| !std::ptr::eq(*op, new_op));
                self.operation_renamed(old_op, new_op);
                matched.push((old_op, new_op));
            }
        }
        Matched {
            matched,
            removed,
            added,
        }
    }

    fn operation_renamed(&mut self, old: &OperationApi, new: &OperationApi) {
        let (o, n) = (&old.operation, &new.operation);
        self.push(
            ChangeClass::Breaking,
            Bump::Major,
            &o.method,
            format!(
                "operation `{}` renamed to `{}`: now `{}` in module `{}`",
                o.name, n.name, n.method, n.module
            ),
        );
        for (from, to) in [
            (&o.method, &n.method),
            (&o.module, &n.module),
            (&o.error, &n.error),
            (&old.input.info.path, &new.input.info.path),
            (&old.output.info.path, &new.output.info.path),
        ] {
            self.renames.insert(from.clone(), to.clone());
        }
        if let (Some(a), Some(b)) = (&old.paginator, &new.paginator) {
            self.renames.insert(a.path.clone(), b.path.clone());
        }
    }

    fn match_types<'a>(
        &mut self,
        old: &'a ApiDescription,
        new: &'a ApiDescription,
    ) -> Matched<'a, ShapeApi> {
        let new_by_path: BTreeMap<&str, &ShapeApi> = new
            .types
            .iter()
            .map(|t| (t.info.path.as_str(), t))
            .collect();
        let old_paths: BTreeSet<&str> = old.types.iter().map(|t| t.info.path.as_str()).collect();
        let mut matched = Vec::new();
        let mut removed = Vec::new();
        for shape in &old.types {
            match new_by_path.get(shape.info.path.as_str()) {
                Some(new_shape) => matched.push((shape, *new_shape)),
                None => removed.push(shape),
            }
        }
        let mut added: Vec<&ShapeApi> = new
            .types
            .iter()
            .filter(|t| !old_paths.contains(t.info.path.as_str()))
            .collect();
        // Renames: the same shape id (a service `rename`), else the same non-empty contents.
        let keys: [fn(&ShapeApi) -> String; 2] = [
            |t| t.info.shape.clone(),
            |t| {
                if t.members.is_empty() && t.values.is_empty() {
                    // Nothing to recognize it by: never a rename.
                    return format!("{:p}", t);
                }
                let members: Vec<String> = t
                    .members
                    .iter()
                    .map(|m| format!("{}:{}", m.name, m.target))
                    .collect();
                let values: Vec<String> = t.values.iter().map(|v| v.value.to_string()).collect();
                format!(
                    "{:?}|{}|{}",
                    t.info.kind,
                    members.join(","),
                    values.join(",")
                )
            },
        ];
        for key in keys {
            for (old_type, new_type) in unique_pairs(&removed, &added, key) {
                removed.retain(|t| !std::ptr::eq(*t, old_type));
                added.retain(|t| !std::ptr::eq(*t, new_type));
                self.push(
                    ChangeClass::Breaking,
                    Bump::Major,
                    &old_type.info.path,
                    format!(
                        "{} renamed to `{}`",
                        old_type.info.kind.word(),
                        new_type.info.path
                    ),
                );
                self.renames
                    .insert(old_type.info.path.clone(), new_type.info.path.clone());
                matched.push((old_type, new_type));
            }
        }
        Matched {
            matched,
            removed,
            added,
        }
    }

    fn operation(&mut self, old: &OperationApi, new: &OperationApi) {
        let (o, n) = (&old.operation, &new.operation);
        let item = n.method.as_str();
        if o.docs != n.docs {
            self.push(
                ChangeClass::Documentation,
                Bump::Patch,
                item,
                "documentation changed".to_owned(),
            );
        }
        self.deprecation(item, "operation", o.deprecated, n.deprecated);
        if o.http != n.http {
            self.push(
                ChangeClass::Behaviour,
                Bump::Minor,
                item,
                format!("HTTP request changed from `{}` to `{}`", o.http, n.http),
            );
        }
        if o.auth != n.auth {
            self.auth(item, "the operation's", &o.auth, &n.auth);
        }
        let facts = [
            (
                "`@endpoint` host prefix",
                format!("{:?}", o.host_prefix),
                format!("{:?}", n.host_prefix),
            ),
            (
                "gzip request compression",
                o.request_compression.to_string(),
                n.request_compression.to_string(),
            ),
            (
                "`Content-MD5` checksum",
                o.checksum_required.to_string(),
                n.checksum_required.to_string(),
            ),
            (
                "constant headers",
                o.headers.join(", "),
                n.headers.join(", "),
            ),
        ];
        for (what, before, after) in facts {
            if before != after {
                self.push(
                    ChangeClass::Behaviour,
                    Bump::Minor,
                    item,
                    format!("{what} changed from {before} to {after}"),
                );
            }
        }
        self.members(&old.input, &new.input, Role::Input);
        self.structure_info(&old.output, &new.output);
        self.members(&old.output, &new.output, Role::Received);
        self.errors(n, &old.errors, &new.errors);
        self.paginator(n, old.paginator.as_ref(), new.paginator.as_ref());
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

    fn errors(
        &mut self,
        op: &super::surface::OperationInfo,
        old: &[ErrorVariantApi],
        new: &[ErrorVariantApi],
    ) {
        let new_by_type: BTreeMap<&str, &ErrorVariantApi> =
            new.iter().map(|e| (e.ty.as_str(), e)).collect();
        let mut seen = BTreeSet::new();
        for error in old {
            let ty = self.renamed(&error.ty);
            match new_by_type.get(ty.as_str()) {
                Some(now) => {
                    seen.insert(now.ty.as_str());
                    let variant = self.renamed(&error.variant);
                    if variant != now.variant {
                        self.push(
                            ChangeClass::Breaking,
                            Bump::Major,
                            &error.variant,
                            format!("error variant renamed to `{}`", now.variant),
                        );
                    }
                }
                None => self.push(
                    ChangeClass::Breaking,
                    Bump::Major,
                    &error.variant,
                    format!(
                        "`{}` no longer returns `{}`: the variant is removed",
                        op.name,
                        error.ty.rsplit("::").next().unwrap_or(&error.ty)
                    ),
                ),
            }
        }
        for error in new.iter().filter(|e| !seen.contains(e.ty.as_str())) {
            self.push(
                ChangeClass::Additive,
                Bump::Minor,
                &error.variant,
                format!(
                    "`{}` can now return `{}` (new variant; the error enum is non-exhaustive)",
                    op.name, error.ty
                ),
            );
        }
    }

    fn paginator(
        &mut self,
        op: &super::surface::OperationInfo,
        old: Option<&PaginatorApi>,
        new: Option<&PaginatorApi>,
    ) {
        match (old, new) {
            (Some(o), None) => self.push(
                ChangeClass::Breaking,
                Bump::Major,
                &o.path,
                format!(
                    "pagination removed: `{}().into_paginator()` and `{}` are gone",
                    op.method, o.path
                ),
            ),
            (None, Some(n)) => self.push(
                ChangeClass::Additive,
                Bump::Minor,
                &n.path,
                format!("`{}` is now paginated: `into_paginator()`", op.name),
            ),
            (Some(o), Some(n)) => {
                let item = n.path.as_str();
                match (&o.page_size, &n.page_size) {
                    (Some(a), None) => self.push(
                        ChangeClass::Breaking,
                        Bump::Major,
                        item,
                        format!("`page_size()` removed (was `{a}`)"),
                    ),
                    (None, Some(b)) => self.push(
                        ChangeClass::Additive,
                        Bump::Minor,
                        item,
                        format!("new `page_size()` (`{b}`)"),
                    ),
                    (Some(a), Some(b)) if a != b => self.push(
                        ChangeClass::Breaking,
                        Bump::Major,
                        item,
                        format!("page size changed from `{a}` to `{b}`"),
                    ),
                    _ => {}
                }
                let old_items = o.items.as_deref().map(|t| self.renamed(t));
                match (&old_items, &n.items) {
                    (Some(_), None) => self.push(
                        ChangeClass::Breaking,
                        Bump::Major,
                        item,
                        "`items()` removed".to_owned(),
                    ),
                    (None, Some(b)) => self.push(
                        ChangeClass::Additive,
                        Bump::Minor,
                        item,
                        format!("new `items()` (items of type `{b}`)"),
                    ),
                    (Some(a), Some(b)) if a != b => self.push(
                        ChangeClass::Breaking,
                        Bump::Major,
                        item,
                        format!("`items()` now yields `{b}` instead of `{a}`"),
                    ),
                    _ => {}
                }
                if (&o.input_token, &o.output_token) != (&n.input_token, &n.output_token) {
                    self.push(
                        ChangeClass::Behaviour,
                        Bump::Minor,
                        item,
                        format!(
                            "pagination tokens changed from `{}`/`{}` to `{}`/`{}`",
                            o.input_token, o.output_token, n.input_token, n.output_token
                        ),
                    );
                }
            }
            (None, None) => {}
        }
    }

    /// A shared type (structure, error, enum or union) present in both APIs.
    fn shape(&mut self, old: &ShapeApi, new: &ShapeApi) {
        let item = new.info.path.as_str();
        if old.info.kind != new.info.kind {
            self.push(
                ChangeClass::Breaking,
                Bump::Major,
                item,
                format!(
                    "changed from {} to {}",
                    article(old.info.kind.word()),
                    article(new.info.kind.word())
                ),
            );
            return;
        }
        match new.info.kind {
            TypeKind::Enum | TypeKind::IntEnum => {
                if old.info.docs != new.info.docs {
                    self.docs(item);
                }
                self.enum_values(item, &old.values, &new.values);
            }
            TypeKind::Union => {
                if old.info.docs != new.info.docs {
                    self.docs(item);
                }
                self.members(old, new, Role::UnionVariant);
            }
            _ => {
                self.structure_info(old, new);
                let role = if new.info.kind == TypeKind::Struct && self.input_types.contains(item) {
                    Role::ValidatedStruct
                } else {
                    Role::Received
                };
                self.members(old, new, role);
            }
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

    /// Docs, redaction, `build()` and error facts of a structure.
    fn structure_info(&mut self, old: &ShapeApi, new: &ShapeApi) {
        let (o, n) = (&old.info, &new.info);
        let item = n.path.as_str();
        let name = item.rsplit("::").next().unwrap_or(item);
        if o.docs != n.docs {
            self.docs(item);
        }
        if o.sensitive != n.sensitive {
            let what = if n.sensitive {
                "now @sensitive: `Debug` redacts every member"
            } else {
                "no longer @sensitive: `Debug` shows its members"
            };
            self.push(ChangeClass::Behaviour, Bump::Minor, item, what.to_owned());
        }
        if o.fallible_build != n.fallible_build {
            let newly_required: Vec<String> = new
                .members
                .iter()
                .filter(|m| m.build_requires)
                .filter(|m| {
                    !old.members
                        .iter()
                        .any(|old_m| old_m.field == m.field && old_m.build_requires)
                })
                .map(|m| format!("`{}`", m.field))
                .collect();
            let what = if n.fallible_build {
                format!(
                    "`{name}Builder::build()` now returns `Result<{name}, BuildError>` (it needs {})",
                    list(&newly_required)
                )
            } else {
                format!("`{name}Builder::build()` no longer returns a `Result`")
            };
            self.push(ChangeClass::Breaking, Bump::Major, item, what);
        }
        if (&o.fault, o.status) != (&n.fault, n.status) {
            self.push(
                ChangeClass::Behaviour,
                Bump::Minor,
                item,
                format!(
                    "error fault/status changed from {}/{} to {}/{}",
                    o.fault.as_deref().unwrap_or("-"),
                    o.status.map_or("-".to_owned(), |s| s.to_string()),
                    n.fault.as_deref().unwrap_or("-"),
                    n.status.map_or("-".to_owned(), |s| s.to_string()),
                ),
            );
        }
    }

    fn enum_values(&mut self, item: &str, old: &[EnumValueApi], new: &[EnumValueApi]) {
        let new_by_variant: BTreeMap<&str, &EnumValueApi> =
            new.iter().map(|v| (v.variant.as_str(), v)).collect();
        let old_variants: BTreeSet<&str> = old.iter().map(|v| v.variant.as_str()).collect();
        let mut added: Vec<&EnumValueApi> = new
            .iter()
            .filter(|v| !old_variants.contains(v.variant.as_str()))
            .collect();
        for value in old {
            let path = format!("{item}::{}", value.variant);
            match new_by_variant.get(value.variant.as_str()) {
                Some(now) => {
                    if now.value != value.value {
                        self.push(
                            ChangeClass::Behaviour,
                            Bump::Minor,
                            &format!("{item}::{}", now.variant),
                            format!("wire value changed from {} to {}", value.value, now.value),
                        );
                    }
                    if now.docs != value.docs {
                        self.docs(&format!("{item}::{}", now.variant));
                    }
                }
                None => match added.iter().position(|v| v.value == value.value) {
                    Some(at) => {
                        let now = added.remove(at);
                        self.push(
                            ChangeClass::Breaking,
                            Bump::Major,
                            &path,
                            format!(
                                "variant renamed to `{}` (value {})",
                                now.variant, value.value
                            ),
                        );
                    }
                    None => self.push(
                        ChangeClass::Breaking,
                        Bump::Major,
                        &path,
                        format!("enum value {} removed", value.value),
                    ),
                },
            }
        }
        for value in added {
            self.push(
                ChangeClass::Additive,
                Bump::Minor,
                &format!("{item}::{}", value.variant),
                format!(
                    "new enum value {} (the enum is non-exhaustive)",
                    value.value
                ),
            );
        }
    }

    fn members(&mut self, old: &ShapeApi, new: &ShapeApi, role: Role) {
        let owner = new.info.path.as_str();
        let new_by_field: BTreeMap<&str, &MemberApi> =
            new.members.iter().map(|m| (m.field.as_str(), m)).collect();
        let old_fields: BTreeSet<&str> = old.members.iter().map(|m| m.field.as_str()).collect();
        let mut added: Vec<&MemberApi> = new
            .members
            .iter()
            .filter(|m| !old_fields.contains(m.field.as_str()))
            .collect();
        for member in &old.members {
            if let Some(now) = new_by_field.get(member.field.as_str()) {
                self.member(owner, member, now, role, new.info.fallible_build);
                continue;
            }
            let path = format!("{owner}::{}", member.field);
            // A rename keeps the wire name (`@jsonName`) or the documentation and the type.
            let renamed_to = added.iter().position(|m| {
                self.renamed(&member.ty) == m.ty
                    && (m.json.as_ref().unwrap_or(&m.name)
                        == member.json.as_ref().unwrap_or(&member.name)
                        || (member.docs.is_some() && m.docs == member.docs))
            });
            match renamed_to {
                Some(at) => {
                    let now = added.remove(at);
                    self.push(
                        ChangeClass::Breaking,
                        Bump::Major,
                        &path,
                        format!(
                            "{} renamed to `{}`",
                            member_word(role, member),
                            now.variant.as_ref().unwrap_or(&now.field)
                        ),
                    );
                    self.member(owner, member, now, role, new.info.fallible_build);
                }
                None => {
                    let gone = match role {
                        Role::Input => "its builder setters are gone",
                        Role::UnionVariant => "the variant and its `as_`/`is_` methods are gone",
                        _ => "its getter, field and builder setters are gone",
                    };
                    self.push(
                        ChangeClass::Breaking,
                        Bump::Major,
                        &path,
                        format!(
                            "{} `{}` removed: {gone}",
                            member_word(role, member),
                            member.name
                        ),
                    );
                }
            }
        }
        for member in added {
            let path = format!("{owner}::{}", member.field);
            let word = member_word(role, member);
            match role {
                Role::Input if member.required => self.push(
                    ChangeClass::Behaviour,
                    Bump::Major,
                    &path,
                    format!(
                        "new required {word} `{}`: calls that do not set it now fail before sending",
                        member.name
                    ),
                ),
                Role::ValidatedStruct | Role::Received
                    if member.build_requires && old.info.fallible_build =>
                {
                    self.push(
                        ChangeClass::Behaviour,
                        Bump::Major,
                        &path,
                        format!(
                            "new required {word} `{}`: `build()` fails unless it is set",
                            member.name
                        ),
                    )
                }
                _ => self.push(
                    ChangeClass::Additive,
                    Bump::Minor,
                    &path,
                    match &member.getter {
                        Some(getter) if role != Role::Input => {
                            format!("new {word} `{}` (getter returns `{getter}`)", member.name)
                        }
                        _ => format!("new optional {word} `{}`", member.name),
                    },
                ),
            }
        }
    }

    /// One member present in both versions (`old` under its old name when renamed).
    fn member(
        &mut self,
        owner: &str,
        old: &MemberApi,
        new: &MemberApi,
        role: Role,
        fallible_build: bool,
    ) {
        let item = format!("{owner}::{}", new.field);
        let item = item.as_str();
        let old_ty = self.renamed(&old.ty);
        let old_getter = old.getter.as_deref().map(|g| self.renamed(g));
        let cause = match (old.required, new.required) {
            (false, true) => " (the member became @required)",
            (true, false) => " (the member is no longer @required)",
            _ if old.default != new.default => " (its @default changed)",
            _ => "",
        };
        let mut signature_changed = true;
        if old_getter.as_deref() != new.getter.as_deref() {
            self.push(
                ChangeClass::Breaking,
                Bump::Major,
                item,
                format!(
                    "getter `{}()` now returns `{}` instead of `{}`{cause}",
                    new.field,
                    new.getter.as_deref().unwrap_or("-"),
                    old_getter.as_deref().unwrap_or("-"),
                ),
            );
        } else if old_ty != new.ty {
            let what = if role == Role::UnionVariant {
                "variant value"
            } else {
                "field"
            };
            self.push(
                ChangeClass::Breaking,
                Bump::Major,
                item,
                format!("{what} type changed from `{old_ty}` to `{}`{cause}", new.ty),
            );
        } else {
            signature_changed = false;
        }
        match role {
            Role::Input => match (old.required, new.required) {
                (false, true) => self.push(
                    ChangeClass::Behaviour,
                    Bump::Major,
                    item,
                    "input member is now @required: calls that do not set it now fail before sending"
                        .to_owned(),
                ),
                (true, false) => self.push(
                    ChangeClass::Additive,
                    Bump::Minor,
                    item,
                    "input member is no longer @required".to_owned(),
                ),
                _ => {}
            },
            _ if signature_changed => {}
            _ => match (old.build_requires, new.build_requires) {
                (false, true) if fallible_build => self.push(
                    ChangeClass::Behaviour,
                    Bump::Major,
                    item,
                    format!("`build()` now fails unless `{}` is set{cause}", new.field),
                ),
                (true, false) => self.push(
                    ChangeClass::Additive,
                    Bump::Minor,
                    item,
                    format!("`build()` no longer requires `{}`{cause}", new.field),
                ),
                _ if old.required != new.required => self.push(
                    ChangeClass::Documentation,
                    Bump::Patch,
                    item,
                    format!(
                        "now documented as {}required (it has a default)",
                        if new.required { "" } else { "not " }
                    ),
                ),
                _ => {}
            },
        }
        if old.default != new.default {
            self.push(
                ChangeClass::Behaviour,
                Bump::Minor,
                item,
                format!(
                    "default value changed from {} to {}",
                    old.default.as_deref().unwrap_or("none"),
                    new.default.as_deref().unwrap_or("none")
                ),
            );
        }
        if old.binding != new.binding {
            let place = if role == Role::Input {
                "request"
            } else {
                "response"
            };
            self.push(
                ChangeClass::Behaviour,
                Bump::Minor,
                item,
                format!(
                    "moved in the HTTP {place} from {} to {}",
                    binding_words(&old.binding),
                    binding_words(&new.binding)
                ),
            );
        }
        if old.json != new.json {
            self.push(
                ChangeClass::Behaviour,
                Bump::Minor,
                item,
                format!(
                    "JSON key changed from `{}` to `{}`",
                    old.json.as_ref().unwrap_or(&old.name),
                    new.json.as_ref().unwrap_or(&new.name)
                ),
            );
        }
        if old.timestamp_format != new.timestamp_format {
            self.push(
                ChangeClass::Behaviour,
                Bump::Minor,
                item,
                format!(
                    "timestamp format changed from {} to {}",
                    old.timestamp_format
                        .as_deref()
                        .unwrap_or("the protocol default"),
                    new.timestamp_format
                        .as_deref()
                        .unwrap_or("the protocol default")
                ),
            );
        }
        match (old.idempotency_token, new.idempotency_token) {
            (false, true) => self.push(
                ChangeClass::Behaviour,
                Bump::Minor,
                item,
                "now an @idempotencyToken: the client fills in a unique token when it is not set"
                    .to_owned(),
            ),
            (true, false) => self.push(
                ChangeClass::Behaviour,
                Bump::Minor,
                item,
                "no longer an @idempotencyToken: the client stops filling it in, so retried calls may repeat the action"
                    .to_owned(),
            ),
            _ => {}
        }
        if old.host_label != new.host_label {
            self.push(
                ChangeClass::Behaviour,
                Bump::Minor,
                item,
                format!(
                    "{} part of the endpoint host (@hostLabel)",
                    if new.host_label { "now" } else { "no longer" }
                ),
            );
        }
        if old.sensitive != new.sensitive {
            let what = if new.sensitive {
                "now @sensitive: `Debug` redacts it"
            } else {
                "no longer @sensitive: `Debug` shows it"
            };
            self.push(ChangeClass::Behaviour, Bump::Minor, item, what.to_owned());
        }
        if matches!(role, Role::Input | Role::ValidatedStruct) {
            self.constraint(
                item,
                "@length",
                old.length.map(as_f64),
                new.length.map(as_f64),
            );
            self.constraint(item, "@range", old.range, new.range);
        }
        if old.docs != new.docs {
            self.docs(item);
        }
        self.deprecation(item, "member", old.deprecated, new.deprecated);
    }

    /// A `@length` or `@range` change on a value the client validates.
    fn constraint(
        &mut self,
        item: &str,
        name: &str,
        old: Option<(Option<f64>, Option<f64>)>,
        new: Option<(Option<f64>, Option<f64>)>,
    ) {
        if old == new {
            return;
        }
        let (old_min, old_max) = old.unwrap_or((None, None));
        let (new_min, new_max) = new.unwrap_or((None, None));
        let tighter_min = match (old_min, new_min) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(a), Some(b)) => b > a,
        };
        let tighter_max = match (old_max, new_max) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(a), Some(b)) => b < a,
        };
        let words = format!(
            "{name} is now {} (was {})",
            bounds(new_min, new_max),
            bounds(old_min, old_max)
        );
        if tighter_min || tighter_max {
            self.push(
                ChangeClass::Behaviour,
                Bump::Major,
                item,
                format!("{words}: values accepted before may now fail validation before sending"),
            );
        } else {
            self.push(
                ChangeClass::Additive,
                Bump::Minor,
                item,
                format!("{words}: more values are accepted"),
            );
        }
    }
}

fn as_f64((min, max): (Option<u64>, Option<u64>)) -> (Option<f64>, Option<f64>) {
    (min.map(|v| v as f64), max.map(|v| v as f64))
}

fn bounds(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (None, None) => "unbounded".to_owned(),
        (Some(min), None) => format!("{min}.."),
        (None, Some(max)) => format!("..={max}"),
        (Some(min), Some(max)) => format!("{min}..={max}"),
    }
}

fn article(word: &str) -> String {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {word}")
    } else {
        format!("a {word}")
    }
}

fn member_word(role: Role, member: &MemberApi) -> &'static str {
    match role {
        Role::Input => "input member",
        Role::UnionVariant if member.variant.is_some() => "union variant",
        _ => "member",
    }
}

fn binding_words(binding: &str) -> String {
    match binding.split_once(':') {
        Some((kind, name)) => format!("{kind} `{name}`"),
        None if binding.is_empty() => "body".to_owned(),
        None => binding.to_owned(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_replaced_only_whole() {
        assert_eq!(
            replace_path(
                "Option<&types::Bot>, Vec<types::BotSummary>",
                "types::Bot",
                "types::Robot"
            ),
            "Option<&types::Robot>, Vec<types::BotSummary>"
        );
        assert_eq!(
            referenced_types("HashMap<String, Vec<types::error::Oops>>, types::A"),
            vec!["types::error::Oops".to_owned(), "types::A".to_owned()]
        );
    }

    #[test]
    fn lists_read_as_words() {
        let items: Vec<String> = (1..=7).map(|i| i.to_string()).collect();
        assert_eq!(list(&items[..1]), "1");
        assert_eq!(list(&items[..2]), "1 and 2");
        assert_eq!(list(&items[..5]), "1, 2, 3, 4 and 5");
        assert_eq!(list(&items), "1, 2, 3, 4 and 3 more");
    }
}
