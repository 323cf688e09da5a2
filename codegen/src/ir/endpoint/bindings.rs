//! Where the endpoint rules' parameters that are not built-ins get their values, from the
//! model's traits (the rules engine's "parameter bindings"): client context parameters become
//! settings of the generated configuration (`smithy.rules#clientContextParams`), and each
//! operation binds constants (`#staticContextParams`), top-level input members
//! (`#contextParam`) and paths into its input (`#operationContextParams`). Each binding is
//! checked against the rule set: the parameter exists and the value's type is the parameter's.
//!
//! Precedence, most specific first: static, context, operation context, client context
//! parameters, built-ins, defaults. The operation's bindings are listed least specific first,
//! so that applying them in order leaves the most specific value.

use serde::Serialize;
use serde_json::Value;

use super::path::{self, Leaf, Path, Types};
use super::rules::{ParamType, RuleSet};
use crate::ir::{names, NamedKind, RustType, StructIr};
use crate::model::Shape;

/// A client context parameter: a setting of the generated configuration builder.
#[derive(Debug, Clone, Serialize)]
pub struct ClientParam {
    /// The parameter's name in the rule set.
    pub name: String,
    /// The builder setter and config getter (snake case; `_param` added when the name is one
    /// the configuration already uses).
    pub method: String,
    /// Its type (`string` or `boolean`).
    pub ty: ParamType,
    /// Its documentation (the trait's, else the rule set's).
    pub doc: Option<String>,
}

/// An operation's binding of one rule-set parameter.
#[derive(Debug, Clone, Serialize)]
pub struct Binding {
    /// The parameter's name in the rule set.
    pub param: String,
    /// Its type.
    pub ty: ParamType,
    /// Where the value comes from.
    pub value: Bound,
}

/// Where a bound value comes from.
#[derive(Debug, Clone, Serialize)]
pub enum Bound {
    /// `smithy.rules#staticContextParams`: a constant.
    Static(Value),
    /// `smithy.rules#contextParam`: a top-level input member.
    Member {
        /// The member's name in the model.
        wire_name: String,
        /// Its Rust field (an `Option`, as every input member).
        field: String,
        /// What it holds.
        leaf: Leaf,
        /// A list of `leaf` values (for a `stringArray` parameter).
        list: bool,
        /// `@required`: the call fails when it is unset, empty or only whitespace.
        required: bool,
    },
    /// `smithy.rules#operationContextParams`: a path into the input.
    Path(Path),
}

/// The methods the generated configuration builder and configuration already have (the
/// runtime's `service_config!` macro and the common `Config` it dereferences to, plus the
/// service-specific `account_id_endpoint_mode`): a client context parameter's method never
/// takes one of these names.
pub(crate) const CONFIG_METHODS: &[&str] = &[
    "account_id_endpoint_mode",
    "api_key",
    "app_name",
    "basic_auth",
    "bearer_token",
    "bearer_token_provider",
    "behavior_version",
    "behavior_version_latest",
    "build",
    "build_for",
    "build_shared",
    "builder",
    "client_context_param",
    "client_context_params",
    "clone",
    "credentials_provider",
    "default",
    "deref",
    "disable_host_prefix_injection",
    "disable_request_compression",
    "endpoint_url",
    "env",
    "fmt",
    "from",
    "from_env",
    "from_shared",
    "get_client_context_param",
    "http_client",
    "idempotency_token_provider",
    "inner",
    "interceptor",
    "interceptors",
    "new",
    "region",
    "request_compression",
    "request_min_compression_size_bytes",
    "request_validation",
    "retry_config",
    "set_behavior_version",
    "shared_interceptor",
    "sleep_impl",
    "stubs",
    "time_source",
    "timeout_config",
    "to_builder",
    "use_dual_stack",
    "use_fips",
    "with_override",
];

fn taken(method: &str) -> bool {
    CONFIG_METHODS.contains(&method)
        || method
            .strip_prefix("set_")
            .is_some_and(|rest| CONFIG_METHODS.contains(&rest))
        || CONFIG_METHODS.contains(&format!("set_{method}").as_str())
}

/// The service's client context parameters, checked against the rule set.
pub fn client_params(service: &Shape, rules: Option<&RuleSet>) -> Result<Vec<ClientParam>, String> {
    let Some(trait_value) = service.traits.get("smithy.rules#clientContextParams") else {
        return Ok(Vec::new());
    };
    let map = trait_value
        .as_object()
        .ok_or("`smithy.rules#clientContextParams` must be an object")?;
    let mut out: Vec<ClientParam> = Vec::new();
    for (name, def) in map {
        let at = format!("client context parameter `{name}`");
        let param = rules
            .and_then(|r| r.param(name))
            .ok_or_else(|| format!("{at} is not a parameter of the service's endpoint rule set"))?;
        let ty = match def.get("type").and_then(Value::as_str) {
            Some(t) if t.eq_ignore_ascii_case("string") => ParamType::String,
            Some(t) if t.eq_ignore_ascii_case("boolean") => ParamType::Boolean,
            other => {
                return Err(format!(
                    "{at}: `type` must be `string` or `boolean`, found {other:?}"
                ))
            }
        };
        if ty != param.ty {
            return Err(format!(
                "{at} is a `{}` but the rule set's parameter is a `{}`",
                ty.name(),
                param.ty.name()
            ));
        }
        let snake = names::snake(name);
        let mut method = names::escape_ident(&snake);
        if taken(names::unraw(&method)) {
            method = format!("{snake}_param");
        }
        if let Some(other) = out.iter().find(|p| p.method == method) {
            return Err(format!(
                "client context parameters `{}` and `{name}` both map to the configuration \
                 method `{method}`",
                other.name
            ));
        }
        out.push(ClientParam {
            name: name.clone(),
            method,
            ty,
            doc: def
                .get("documentation")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| param.doc.clone()),
        });
    }
    Ok(out)
}

/// The bindings of operation `op` (whose input is `input_shape`, lowered to `input`), least
/// specific first, checked against the rule set.
pub fn operation(
    op: &Shape,
    input_shape: &Shape,
    input: &StructIr,
    rules: Option<&RuleSet>,
    types: &Types<'_>,
) -> Result<Vec<Binding>, String> {
    let mut bindings = Vec::new();
    let param = |name: &str, what: &str| {
        rules.and_then(|r| r.param(name)).ok_or_else(|| {
            format!("{what} `{name}` is not a parameter of the service's endpoint rule set")
        })
    };

    if let Some(value) = op.traits.get("smithy.rules#operationContextParams") {
        let map = value
            .as_object()
            .ok_or("`smithy.rules#operationContextParams` must be an object")?;
        for (name, def) in map {
            let at = format!("operation context parameter `{name}`");
            let p = param(name, "operation context parameter")?;
            let text = def
                .get("path")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{at} needs a string `path`"))?;
            let path = path::parse(text, input, types).map_err(|e| format!("{at}: {e}"))?;
            let gives = match (path.list, path.leaf) {
                (false, Leaf::Bool) => ParamType::Boolean,
                (false, _) => ParamType::String,
                (true, Leaf::Bool) => {
                    return Err(format!(
                        "{at}: the path `{text}` gives a list of booleans, which binds to no \
                         parameter type"
                    ))
                }
                (true, _) => ParamType::StringArray,
            };
            if gives != p.ty {
                return Err(format!(
                    "{at}: the path `{text}` gives a `{}` but the parameter is a `{}`",
                    gives.name(),
                    p.ty.name()
                ));
            }
            bindings.push(Binding {
                param: name.clone(),
                ty: p.ty,
                value: Bound::Path(path),
            });
        }
    }

    for member in &input_shape.members {
        let Some(value) = member.traits.get("smithy.rules#contextParam") else {
            continue;
        };
        let name = value.get("name").and_then(Value::as_str).ok_or_else(|| {
            format!(
                "member `{}`: `smithy.rules#contextParam` needs a string `name`",
                member.name
            )
        })?;
        let at = format!("member `{}` (context parameter `{name}`)", member.name);
        let p = param(name, "context parameter")?;
        let ir = input
            .members
            .iter()
            .find(|m| m.wire_name == member.name)
            .ok_or_else(|| format!("{at}: not a member of the lowered input"))?;
        let leaf_of = |ty: &RustType| match ty {
            RustType::String => Some(Leaf::String),
            RustType::Bool => Some(Leaf::Bool),
            RustType::Named {
                kind: NamedKind::Enum,
                ..
            } => Some(Leaf::Enum),
            _ => None,
        };
        let (leaf, list) = match &ir.ty {
            RustType::List {
                element, sparse, ..
            } if !sparse => (leaf_of(element), true),
            other => (leaf_of(other), false),
        };
        let gives = match (leaf, list) {
            (Some(Leaf::Bool), false) => Some(ParamType::Boolean),
            (Some(Leaf::String | Leaf::Enum), false) => Some(ParamType::String),
            (Some(Leaf::String | Leaf::Enum), true) => Some(ParamType::StringArray),
            _ => None,
        };
        let (Some(leaf), Some(gives)) = (leaf, gives) else {
            return Err(format!(
                "{at}: a context parameter member must be a string, a string enum, a boolean \
                 or a list of strings"
            ));
        };
        if gives != p.ty {
            return Err(format!(
                "{at}: the member is a `{}` but the parameter is a `{}`",
                gives.name(),
                p.ty.name()
            ));
        }
        bindings.push(Binding {
            param: name.to_owned(),
            ty: p.ty,
            value: Bound::Member {
                wire_name: member.name.clone(),
                field: ir.field.clone(),
                leaf,
                list,
                required: ir.required,
            },
        });
    }

    if let Some(value) = op.traits.get("smithy.rules#staticContextParams") {
        let map = value
            .as_object()
            .ok_or("`smithy.rules#staticContextParams` must be an object")?;
        for (name, def) in map {
            let at = format!("static context parameter `{name}`");
            let p = param(name, "static context parameter")?;
            let value = def
                .get("value")
                .ok_or_else(|| format!("{at} needs a `value`"))?;
            let fits = match p.ty {
                ParamType::String => value.is_string(),
                ParamType::Boolean => value.is_boolean(),
                ParamType::StringArray => value
                    .as_array()
                    .is_some_and(|items| items.iter().all(Value::is_string)),
            };
            if !fits {
                return Err(format!(
                    "{at}: the value {value} is not a `{}`",
                    p.ty.name()
                ));
            }
            bindings.push(Binding {
                param: name.clone(),
                ty: p.ty,
                value: Bound::Static(value.clone()),
            });
        }
    }
    Ok(bindings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reserved_names_cover_the_runtime_configuration_methods() {
        // Every method of the generated `Builder` (the runtime's macro) and of the runtime's
        // `Config` is in CONFIG_METHODS, so a client context parameter never shadows one.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src/config");
        for file in ["service.rs", "mod.rs"] {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            let mut in_config_impl = false;
            for line in text.lines() {
                let line = line.trim_start();
                if line.starts_with("impl ") {
                    in_config_impl = line == "impl Config {" || line == "impl Builder {";
                }
                let Some(rest) = line.strip_prefix("pub fn ").filter(|_| in_config_impl) else {
                    continue;
                };
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                assert!(
                    taken(&name),
                    "{file}: `{name}` is missing from CONFIG_METHODS"
                );
            }
        }
    }
}
