//! Operations: matching (with renames), their own facts, error variants and paginators.

use std::collections::{BTreeMap, BTreeSet};

use super::{unique_pairs, Comparer, Matched, Role};
use crate::diff::change::ChangeClass;
use crate::diff::semver::Bump;
use crate::diff::surface::{
    ApiDescription, ErrorVariantApi, OperationApi, OperationInfo, PaginatorApi,
};

impl Comparer {
    pub(super) fn match_operations<'a>(
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

    pub(super) fn operation_renamed(&mut self, old: &OperationApi, new: &OperationApi) {
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

    pub(super) fn operation(&mut self, old: &OperationApi, new: &OperationApi) {
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
        // A change of the service's schemes that every operation follows is reported once.
        let follows_service = o.auth == self.service_auth.0 && n.auth == self.service_auth.1;
        if o.auth != n.auth && !follows_service {
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
        self.errors(
            &format!("`{}`", n.name),
            ("returns", "return"),
            &old.errors,
            &new.errors,
        );
        self.paginator(n, old.paginator.as_ref(), new.paginator.as_ref());
    }

    /// The variants of an error enum: of an operation (`owner` its name in backquotes, `verb`
    /// ("returns", "return")) or of an event stream (("carries", "carry")).
    pub(super) fn errors(
        &mut self,
        owner: &str,
        (verb, can): (&str, &str),
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
                        "{owner} no longer {verb} `{}`: the variant is removed",
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
                    "{owner} can now {can} `{}` (new variant; the error enum is non-exhaustive)",
                    error.ty
                ),
            );
        }
    }

    /// The error variants of the event streams in both descriptions (matched by union shape
    /// id); a stream added or removed is reported with its union, in `types`.
    pub(super) fn event_streams(&mut self, old: &ApiDescription, new: &ApiDescription) {
        for before in &old.event_streams {
            if let Some(after) = new.event_streams.iter().find(|s| s.shape == before.shape) {
                let owner = format!("the `{}` event stream", after.events);
                self.errors(&owner, ("carries", "carry"), &before.errors, &after.errors);
            }
        }
    }

    pub(super) fn paginator(
        &mut self,
        op: &OperationInfo,
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
}
