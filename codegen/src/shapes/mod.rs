//! Resolves a loaded model into the graph of one service, through named passes run in a fixed
//! order: flatten mixins, check every reference, walk the service closure (operations reached
//! through resources too), copy service errors onto operations, and find the members that need
//! boxing because they close a cycle.

mod closure;
mod mixins;
mod recursion;
mod validate;

use std::collections::BTreeSet;

use crate::error::{CodegenError, Result};
use crate::model::{Model, ShapeKind};

/// One service and every shape it reaches, ready to be lowered to the Rust IR.
#[derive(Debug, Clone)]
pub struct ServiceGraph {
    /// The resolved model (mixins flattened, service errors copied onto operations).
    pub model: Model,
    /// The service shape id.
    pub service: String,
    /// The service's operations, sorted by shape id.
    pub operations: Vec<String>,
    /// Every non-operation shape the service reaches, sorted by shape id.
    pub shapes: BTreeSet<String>,
    /// Members (`shape id`, `member name`) that must be boxed to break a cycle.
    pub boxed: BTreeSet<(String, String)>,
}

/// The service shapes of the model (prelude excluded), sorted.
pub fn services(model: &Model) -> Vec<&str> {
    model
        .shapes
        .values()
        .filter(|s| s.kind == ShapeKind::Service)
        .map(|s| s.id.as_str())
        .collect()
}

/// The service to generate: `service` when given, else the model's only service. A missing
/// or ambiguous choice is an error listing the services the model has.
pub fn choose_service(model: &Model, service: Option<&str>) -> Result<String> {
    let all = services(model);
    let listed = || {
        if all.is_empty() {
            "the model has no service shape".to_owned()
        } else {
            format!("the model's services: {}", all.join(", "))
        }
    };
    match service {
        Some(id) if all.contains(&id) => Ok(id.to_owned()),
        Some(id) => {
            let what = match model.shape(id) {
                Some(shape) => format!("is a {:?}, not a service", shape.kind),
                None => "is not in the model".to_owned(),
            };
            Err(CodegenError::model(
                model.shape(id).map(|s| s.file.clone()).unwrap_or_default(),
                id,
                format!("{what} ({})", listed()),
            ))
        }
        None => match all.as_slice() {
            [only] => Ok((*only).to_owned()),
            [] => Err(CodegenError::model("", "", listed())),
            _ => Err(CodegenError::model(
                "",
                "",
                format!("{}: choose one with --service", listed()),
            )),
        },
    }
}

/// Runs the resolver passes for `service`.
pub fn resolve(mut model: Model, service: &str) -> Result<ServiceGraph> {
    let service = &choose_service(&model, Some(service))?;
    mixins::flatten(&mut model)?;
    validate::check_references(&model)?;
    let operations = closure::operations(&model, service)?;
    closure::copy_service_errors(&mut model, service, &operations);
    let shapes = closure::shapes(&model, &operations);
    let boxed = recursion::boxed_members(&model, &shapes);
    Ok(ServiceGraph {
        model,
        service: service.to_owned(),
        operations,
        shapes,
        boxed,
    })
}

impl ServiceGraph {
    /// The graph without the operations `left_out`: the shapes only they reach are left out too
    /// (and the boxing decisions are made again over what remains).
    pub fn without_operations(&self, left_out: &[String]) -> ServiceGraph {
        let operations: Vec<String> = self
            .operations
            .iter()
            .filter(|op| !left_out.contains(op))
            .cloned()
            .collect();
        let shapes = closure::shapes(&self.model, &operations);
        let boxed = recursion::boxed_members(&self.model, &shapes);
        ServiceGraph {
            model: self.model.clone(),
            service: self.service.clone(),
            operations,
            shapes,
            boxed,
        }
    }
}
