//! Shared types: matching (with renames), structure facts, enum values.

use std::collections::{BTreeMap, BTreeSet};

use super::paths::type_users;
use super::{article, list, unique_pairs, Comparer, Matched, Role};
use crate::diff::change::ChangeClass;
use crate::diff::semver::Bump;
use crate::diff::surface::{ApiDescription, EnumValueApi, ShapeApi, TypeKind};

impl Comparer {
    pub(super) fn match_types<'a>(
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
        let users = type_users(new);
        for key in keys {
            for (old_type, new_type) in unique_pairs(&removed, &added, key) {
                removed.retain(|t| !std::ptr::eq(*t, old_type));
                added.retain(|t| !std::ptr::eq(*t, new_type));
                let used_by: Vec<String> = users
                    .get(new_type.info.path.as_str())
                    .into_iter()
                    .flatten()
                    .map(|(_, name)| format!("`{name}`"))
                    .collect();
                let used_by = if used_by.is_empty() {
                    String::new()
                } else {
                    format!(" (used by {})", list(&used_by))
                };
                self.push(
                    ChangeClass::Breaking,
                    Bump::Major,
                    &old_type.info.path,
                    format!(
                        "{} renamed to `{}`{used_by}",
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

    /// A shared type (structure, error, enum or union) present in both APIs.
    pub(super) fn shape(&mut self, old: &ShapeApi, new: &ShapeApi) {
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

    /// Docs, redaction, `build()` and error facts of a structure.
    pub(super) fn structure_info(&mut self, old: &ShapeApi, new: &ShapeApi) {
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

    pub(super) fn enum_values(&mut self, item: &str, old: &[EnumValueApi], new: &[EnumValueApi]) {
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
}
