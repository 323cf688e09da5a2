//! Pass 4: members that close a cycle of structures or unions without passing through a list or
//! map (which already allocate) must be boxed.

use std::collections::BTreeSet;

use crate::model::{Model, ShapeKind};

/// The (shape id, member name) pairs to box.
pub fn boxed_members(model: &Model, shapes: &BTreeSet<String>) -> BTreeSet<(String, String)> {
    let mut boxed = BTreeSet::new();
    for id in shapes {
        let Some(shape) = model.shape(id) else {
            continue;
        };
        if !matches!(shape.kind, ShapeKind::Structure | ShapeKind::Union) {
            continue;
        }
        for member in &shape.members {
            if reaches(model, &member.target, id, &boxed, &mut BTreeSet::new()) {
                boxed.insert((id.clone(), member.name.clone()));
            }
        }
    }
    boxed
}

/// Whether `from` reaches `goal` through inline (unboxed, non-collection) members.
fn reaches(
    model: &Model,
    from: &str,
    goal: &str,
    boxed: &BTreeSet<(String, String)>,
    seen: &mut BTreeSet<String>,
) -> bool {
    if from == goal {
        return true;
    }
    if !seen.insert(from.to_owned()) {
        return false;
    }
    let Some(shape) = model.shape(from) else {
        return false;
    };
    if !matches!(shape.kind, ShapeKind::Structure | ShapeKind::Union) {
        return false;
    }
    shape.members.iter().any(|m| {
        !boxed.contains(&(from.to_owned(), m.name.clone()))
            && reaches(model, &m.target, goal, boxed, seen)
    })
}
