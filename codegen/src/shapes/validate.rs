//! Pass 2: every reference in the model points at a shape of the right kind.

use crate::error::{CodegenError, Result};
use crate::model::{Model, ShapeKind};

/// Checks member targets, operation input/output/errors, service and resource bindings.
pub fn check_references(model: &Model) -> Result<()> {
    for shape in model.shapes.values() {
        let fail = |what: String| Err(CodegenError::model(&shape.file, &shape.id, what));
        for member in &shape.members {
            match model.shape(&member.target) {
                None => {
                    return fail(format!(
                        "member `{}` targets `{}`, which does not exist",
                        member.name, member.target
                    ))
                }
                Some(target)
                    if matches!(
                        target.kind,
                        ShapeKind::Service | ShapeKind::Operation | ShapeKind::Resource
                    ) =>
                {
                    return fail(format!(
                        "member `{}` targets `{}`, which is a {:?} and cannot be a member target",
                        member.name, member.target, target.kind
                    ))
                }
                Some(_) => {}
            }
        }
        if let Some(op) = &shape.operation {
            for (what, id) in [("input", &op.input), ("output", &op.output)] {
                match model.shape(id) {
                    Some(s) if s.kind == ShapeKind::Structure => {}
                    Some(_) => return fail(format!("operation {what} `{id}` is not a structure")),
                    None => return fail(format!("operation {what} `{id}` does not exist")),
                }
            }
            for id in &op.errors {
                match model.shape(id) {
                    Some(s) if s.kind == ShapeKind::Structure && s.traits.error().is_some() => {}
                    Some(_) => {
                        return fail(format!(
                            "operation error `{id}` is not a structure with @error"
                        ))
                    }
                    None => return fail(format!("operation error `{id}` does not exist")),
                }
            }
        }
        if let Some(service) = &shape.service {
            for id in &service.operations {
                check_kind(
                    model,
                    &shape.file,
                    &shape.id,
                    "operation",
                    id,
                    ShapeKind::Operation,
                )?;
            }
            for id in &service.resources {
                check_kind(
                    model,
                    &shape.file,
                    &shape.id,
                    "resource",
                    id,
                    ShapeKind::Resource,
                )?;
            }
            for id in &service.errors {
                check_kind(
                    model,
                    &shape.file,
                    &shape.id,
                    "error",
                    id,
                    ShapeKind::Structure,
                )?;
            }
        }
        if let Some(resource) = &shape.resource {
            for id in &resource.operations {
                check_kind(
                    model,
                    &shape.file,
                    &shape.id,
                    "operation",
                    id,
                    ShapeKind::Operation,
                )?;
            }
            for id in &resource.resources {
                check_kind(
                    model,
                    &shape.file,
                    &shape.id,
                    "resource",
                    id,
                    ShapeKind::Resource,
                )?;
            }
        }
    }
    Ok(())
}

fn check_kind(
    model: &Model,
    file: &std::path::Path,
    owner: &str,
    what: &str,
    id: &str,
    kind: ShapeKind,
) -> Result<()> {
    match model.shape(id) {
        Some(s) if s.kind == kind => Ok(()),
        Some(s) => Err(CodegenError::model(
            file,
            owner,
            format!("{what} `{id}` is a {:?}, expected a {kind:?}", s.kind),
        )),
        None => Err(CodegenError::model(
            file,
            owner,
            format!("names {what} `{id}`, which does not exist"),
        )),
    }
}
