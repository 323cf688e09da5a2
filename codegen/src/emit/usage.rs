//! Which shapes need a JSON serializer, a deserializer or a validator, so that no generated
//! function is dead code.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Binding, MemberIr, RustType, ServiceIr, StructIr};

/// Shape ids needing each kind of generated function.
#[derive(Debug, Default)]
pub struct Usage {
    /// Structures and unions written as JSON (reachable from input bodies or payloads).
    pub ser: BTreeSet<String>,
    /// Structures and unions read from JSON (reachable from outputs and errors).
    pub de: BTreeSet<String>,
    /// Structures and unions checked by client-side validation (reachable from inputs, with
    /// constraints).
    pub validate: BTreeSet<String>,
}

impl Usage {
    /// Works out the sets for `ir`.
    pub fn of(ir: &ServiceIr) -> Self {
        let structs: BTreeMap<&str, &StructIr> = ir
            .structures
            .iter()
            .map(|s| (s.shape_id.as_str(), s))
            .collect();
        let unions: BTreeMap<&str, Vec<&MemberIr>> = ir
            .unions
            .iter()
            .map(|u| {
                (
                    u.shape_id.as_str(),
                    u.variants.iter().map(|v| &v.member).collect(),
                )
            })
            .collect();
        let members_of = |id: &str| -> Vec<&MemberIr> {
            structs
                .get(id)
                .map(|s| s.members.iter().collect())
                .or_else(|| unions.get(id).cloned())
                .unwrap_or_default()
        };
        let mut usage = Usage::default();
        for op in &ir.operations {
            for m in op
                .input
                .members
                .iter()
                .filter(|m| matches!(m.binding, Binding::Body | Binding::Payload))
            {
                walk(&m.ty, &members_of, &mut usage.ser);
            }
            for m in op
                .output
                .members
                .iter()
                .filter(|m| matches!(m.binding, Binding::Body | Binding::Payload))
            {
                walk(&m.ty, &members_of, &mut usage.de);
            }
            for m in &op.input.members {
                walk(&m.ty, &members_of, &mut usage.validate);
            }
        }
        for error in &ir.errors {
            for m in &error.members {
                walk(&m.ty, &members_of, &mut usage.de);
            }
        }
        // The payloads of events (their members but the headers), and of the errors an input
        // stream sends.
        for stream in &ir.event_streams {
            let events = ir
                .unions
                .iter()
                .filter(|u| u.shape_id == stream.shape_id)
                .flat_map(|u| &u.variants)
                .filter_map(|v| nested_shape(&v.member.ty))
                .flat_map(&members_of)
                .filter(|m| m.binding != Binding::EventHeader);
            for m in events {
                if stream.output {
                    walk(&m.ty, &members_of, &mut usage.de);
                }
                if stream.input {
                    walk(&m.ty, &members_of, &mut usage.ser);
                }
            }
            if stream.input {
                let errors = ir
                    .errors
                    .iter()
                    .filter(|s| stream.errors.iter().any(|e| e.shape_id == s.shape_id));
                for m in errors.flat_map(|s| &s.members) {
                    walk(&m.ty, &members_of, &mut usage.ser);
                }
            }
        }
        // Only structures and unions with something to check need a validator.
        let needs: BTreeSet<String> = usage
            .validate
            .iter()
            .filter(|id| has_constraints(id, &structs, &unions, &mut BTreeSet::new()))
            .cloned()
            .collect();
        usage.validate = needs;
        usage
    }
}

fn walk<'a>(
    ty: &RustType,
    members_of: &dyn Fn(&str) -> Vec<&'a MemberIr>,
    into: &mut BTreeSet<String>,
) {
    match ty {
        RustType::Named { shape, .. } if into.insert(shape.clone()) => {
            for m in members_of(shape) {
                walk(&m.ty, members_of, into);
            }
        }
        RustType::List { element, .. } => walk(element, members_of, into),
        RustType::Map { value, .. } => walk(value, members_of, into),
        _ => {}
    }
}

/// Whether a structure or union (or anything it holds) has a required member or a constraint.
pub fn has_constraints(
    id: &str,
    structs: &BTreeMap<&str, &StructIr>,
    unions: &BTreeMap<&str, Vec<&MemberIr>>,
    seen: &mut BTreeSet<String>,
) -> bool {
    if !seen.insert(id.to_owned()) {
        return false;
    }
    let members: Vec<&MemberIr> = match (structs.get(id), unions.get(id)) {
        (Some(s), _) => s.members.iter().collect(),
        (None, Some(variants)) => variants.clone(),
        (None, None) => return false,
    };
    members.iter().any(|m| {
        (m.required && m.optional && !m.idempotency_token)
            || m.constraints.length.is_some()
            || m.constraints.range.is_some()
            || nested_shape(&m.ty)
                .is_some_and(|inner| has_constraints(inner, structs, unions, seen))
    })
}

/// The structure or union a type holds (directly or as list/map elements).
pub fn nested_shape(ty: &RustType) -> Option<&str> {
    match ty {
        RustType::Named { shape, .. } => Some(shape),
        RustType::List { element, .. } => nested_shape(element),
        RustType::Map { value, .. } => nested_shape(value),
        _ => None,
    }
}
