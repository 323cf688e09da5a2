//! Pass 3: the operations and shapes a service reaches.

use std::collections::BTreeSet;

use crate::error::{CodegenError, Result};
use crate::model::Model;

/// The service's operations: its own and those of its resources (recursively), sorted.
pub fn operations(model: &Model, service: &str) -> Result<Vec<String>> {
    let mut ops = BTreeSet::new();
    let mut seen_resources = BTreeSet::new();
    let svc = model
        .shape(service)
        .and_then(|s| s.service.as_ref())
        .ok_or_else(|| CodegenError::model("", service, "not a service"))?;
    ops.extend(svc.operations.iter().cloned());
    let mut pending: Vec<String> = svc.resources.clone();
    while let Some(resource) = pending.pop() {
        if !seen_resources.insert(resource.clone()) {
            continue;
        }
        if let Some(res) = model.shape(&resource).and_then(|s| s.resource.as_ref()) {
            ops.extend(res.operations.iter().cloned());
            pending.extend(res.resources.iter().cloned());
        }
    }
    Ok(ops.into_iter().collect())
}

/// Adds the service's `errors` to each of its operations (after the operation's own).
pub fn copy_service_errors(model: &mut Model, service: &str, operations: &[String]) {
    let errors = model
        .shape(service)
        .and_then(|s| s.service.as_ref())
        .map(|s| s.errors.clone())
        .unwrap_or_default();
    if errors.is_empty() {
        return;
    }
    for op in operations {
        if let Some(operation) = model.shapes.get_mut(op).and_then(|s| s.operation.as_mut()) {
            for error in &errors {
                if !operation.errors.contains(error) {
                    operation.errors.push(error.clone());
                }
            }
        }
    }
}

/// Every shape reachable from the operations' inputs, outputs and errors.
pub fn shapes(model: &Model, operations: &[String]) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<String> = Vec::new();
    for op in operations {
        if let Some(operation) = model.shape(op).and_then(|s| s.operation.as_ref()) {
            pending.push(operation.input.clone());
            pending.push(operation.output.clone());
            pending.extend(operation.errors.iter().cloned());
        }
    }
    while let Some(id) = pending.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        if let Some(shape) = model.shape(&id) {
            pending.extend(shape.members.iter().map(|m| m.target.clone()));
        }
    }
    seen
}
