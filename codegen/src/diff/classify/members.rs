//! Structure members and union variants: removed, renamed, added, and every change of one
//! member (type, getter, required-ness, bindings, constraints, docs).

use std::collections::{BTreeMap, BTreeSet};

use super::{Comparer, Role};
use crate::diff::change::ChangeClass;
use crate::diff::semver::Bump;
use crate::diff::surface::{MemberApi, ShapeApi};

impl Comparer {
    pub(super) fn members(&mut self, old: &ShapeApi, new: &ShapeApi, role: Role) {
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
                self.member(
                    owner,
                    member,
                    now,
                    role,
                    (old.info.fallible_build, new.info.fallible_build),
                );
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
                    self.member(
                        owner,
                        member,
                        now,
                        role,
                        (old.info.fallible_build, new.info.fallible_build),
                    );
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
                        "new required {word} `{}`: calls that do not set it fail before sending",
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
                Role::UnionVariant => self.push(
                    ChangeClass::Additive,
                    Bump::Minor,
                    &path,
                    format!(
                        "new union variant `{}` (the union is non-exhaustive)",
                        member.name
                    ),
                ),
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
    pub(super) fn member(
        &mut self,
        owner: &str,
        old: &MemberApi,
        new: &MemberApi,
        role: Role,
        fallible_build: (bool, bool),
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
        let (old_value, new_value) = (value_type(&old_ty), value_type(&new.ty));
        let getter_changed = old_getter.as_deref() != new.getter.as_deref();
        if old_value != new_value {
            let what = match (role, new.getter.as_deref()) {
                (Role::UnionVariant, _) | (_, None) => {
                    format!("value type changed from `{old_value}` to `{new_value}`{cause}")
                }
                (_, Some(getter)) => format!(
                    "type changed from `{old_value}` to `{new_value}`{cause}: the builder \
                     setters take `{new_value}`, the getter `{}()` returns `{getter}`",
                    new.field
                ),
            };
            self.push(ChangeClass::Breaking, Bump::Major, item, what);
        } else if getter_changed {
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
            self.push(
                ChangeClass::Breaking,
                Bump::Major,
                item,
                format!("field type changed from `{old_ty}` to `{}`{cause}", new.ty),
            );
        }
        let signature_changed = old_value != new_value || getter_changed || old_ty != new.ty;
        let (old_fallible, new_fallible) = fallible_build;
        match role {
            Role::Input => match (old.required, new.required) {
                (false, true) => self.push(
                    ChangeClass::Behaviour,
                    Bump::Major,
                    item,
                    "input member is now @required: calls that do not set it fail before sending"
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
            // When `build()` starts or stops returning a `Result`, the structure's own change
            // says so; otherwise a builder that could already fail can fail in a new way.
            _ => match (old.build_requires, new.build_requires) {
                (false, true) if old_fallible && new_fallible => self.push(
                    ChangeClass::Behaviour,
                    Bump::Major,
                    item,
                    format!("`build()` now fails unless `{}` is set{cause}", new.field),
                ),
                (true, false) if old_fallible && new_fallible => self.push(
                    ChangeClass::Additive,
                    Bump::Minor,
                    item,
                    format!("`build()` no longer requires `{}`{cause}", new.field),
                ),
                _ if old.required != new.required && !signature_changed => self.push(
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
        if old.json.as_ref().unwrap_or(&old.name) != new.json.as_ref().unwrap_or(&new.name) {
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
    pub(super) fn constraint(
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

/// The value type of a field type: `Option<Box<T>>` -> `T`.
fn value_type(ty: &str) -> &str {
    let mut ty = ty;
    for wrapper in ["Option<", "Box<"] {
        if let Some(inner) = ty.strip_prefix(wrapper).and_then(|t| t.strip_suffix('>')) {
            ty = inner;
        }
    }
    ty
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
