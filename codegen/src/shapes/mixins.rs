//! Pass 1: copy mixin members and traits into the shapes that use them.

use std::collections::BTreeSet;

use crate::error::{CodegenError, Result};
use crate::model::{Member, Model, Traits};

/// Flattens every shape's mixins (depth first, cycle-checked) and drops the mixin shapes' `@mixin`.
pub fn flatten(model: &mut Model) -> Result<()> {
    let ids: Vec<String> = model.shapes.keys().cloned().collect();
    let mut done = BTreeSet::new();
    for id in ids {
        flatten_one(model, &id, &mut Vec::new(), &mut done)?;
    }
    Ok(())
}

fn flatten_one(
    model: &mut Model,
    id: &str,
    stack: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Result<()> {
    if done.contains(id) {
        return Ok(());
    }
    if stack.iter().any(|s| s == id) {
        let file = model.shape(id).map(|s| s.file.clone()).unwrap_or_default();
        return Err(CodegenError::model(
            file,
            id,
            format!("mixin cycle: {} -> {id}", stack.join(" -> ")),
        ));
    }
    let Some(shape) = model.shape(id) else {
        return Ok(());
    };
    let mixins = shape.mixins.clone();
    let file = shape.file.clone();
    stack.push(id.to_owned());
    for mixin in &mixins {
        if model.shape(mixin).is_none() {
            return Err(CodegenError::model(
                &file,
                id,
                format!("mixin `{mixin}` does not exist"),
            ));
        }
        flatten_one(model, mixin, stack, done)?;
    }
    stack.pop();
    let mut members: Vec<Member> = Vec::new();
    let mut traits = Traits::default();
    for mixin in &mixins {
        let Some(mixin_shape) = model.shape(mixin) else {
            continue;
        };
        if !mixin_shape.traits.has("mixin") {
            return Err(CodegenError::model(
                &file,
                id,
                format!("`{mixin}` is used as a mixin but has no @mixin trait"),
            ));
        }
        let local: Vec<String> = mixin_shape
            .traits
            .get("mixin")
            .and_then(|v| v.get("localTraits"))
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        for (trait_id, value) in mixin_shape.traits.iter() {
            if trait_id != "smithy.api#mixin" && !local.contains(trait_id) {
                traits.insert(trait_id.clone(), value.clone());
            }
        }
        for member in &mixin_shape.members {
            if let Some(existing) = members.iter_mut().find(|m| m.name == member.name) {
                *existing = member.clone();
            } else {
                members.push(member.clone());
            }
        }
    }
    if let Some(shape) = model.shapes.get_mut(id) {
        for own in shape.members.drain(..) {
            if let Some(inherited) = members.iter_mut().find(|m| m.name == own.name) {
                // A redeclared mixin member may only add traits.
                let mut merged = inherited.traits.clone();
                merged.merge(&own.traits, true);
                inherited.traits = merged;
            } else {
                members.push(own);
            }
        }
        shape.members = members;
        traits.merge(&shape.traits, true);
        shape.traits = traits;
        shape.mixins.clear();
    }
    done.insert(id.to_owned());
    Ok(())
}
