//! Service customizations: behaviour the AWS SDKs add to particular services on top of their
//! models, which the AWS protocol tests for those services check. Chosen by the service's SDK id
//! and applied to the IR, so the emitters stay generic.

use super::{Binding, OperationIr, RustType, ServiceIr};

/// Applies the customizations of `ir`'s service, if it has any.
pub(super) fn apply(ir: &mut ServiceIr) {
    match ir.sdk_id.as_str() {
        "API Gateway" => api_gateway(ir),
        "Glacier" => glacier(ir),
        "Machine Learning" => machine_learning(ir),
        _ => {}
    }
}

/// API Gateway answers JSON only when asked for it: every request says `Accept: application/json`.
fn api_gateway(ir: &mut ServiceIr) {
    for op in &mut ir.operations {
        add_header(op, "Accept", "application/json");
    }
}

/// Glacier wants its API version in `X-Amz-Glacier-Version` on every request, takes `-` as "the
/// caller's account" for an unset or empty `accountId` label, and wants the SHA-256 and the
/// SHA-256 tree hash of uploaded payloads in headers.
fn glacier(ir: &mut ServiceIr) {
    let version = ir.api_version.clone();
    for op in &mut ir.operations {
        add_header(op, "X-Amz-Glacier-Version", &version);
        for member in &mut op.input.members {
            let is_label = matches!(member.binding, Binding::Label { .. });
            if is_label && member.wire_name == "accountId" && member.ty == RustType::String {
                member.label_default = Some("-".to_owned());
                member.required = false;
            }
        }
        op.glacier_checksums = op
            .input
            .members
            .iter()
            .any(|m| m.binding == Binding::Payload && m.ty == RustType::ByteStream);
    }
}

/// Amazon Machine Learning serves each model's predictions at an endpoint of its own: `Predict`
/// is sent to the URL in its `PredictEndpoint` member.
fn machine_learning(ir: &mut ServiceIr) {
    for op in ir
        .operations
        .iter_mut()
        .filter(|op| op.wire_name == "Predict")
    {
        op.endpoint_member = op
            .input
            .members
            .iter()
            .find(|m| m.wire_name == "PredictEndpoint" && m.ty == RustType::String)
            .map(|m| m.field.clone());
    }
}

fn add_header(op: &mut OperationIr, name: &str, value: &str) {
    op.constant_headers
        .push((name.to_owned(), value.to_owned()));
}
