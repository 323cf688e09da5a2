//! Parsing and checking the rule set: every reference names a parameter or an assigned value in
//! scope, every function is one the generator compiles with the right number and types of
//! arguments, every template is well formed, and every value used where a value is needed is set
//! there (after an `isSet` or an assignment). Errors give the path of the offending part.

use std::collections::HashMap;

use serde_json::Value;

use super::rules::{
    Attr, Condition, EndpointOutcome, Expr, ExprKind, Field, Function, Param, ParamType, Property,
    Rule, RuleOutcome, RuleSet, Source, Template, TemplatePart, ValueType,
};
use super::{EndpointRulesError, Result};

impl RuleSet {
    /// Parses and checks the value of the `smithy.rules#endpointRuleSet` trait.
    pub fn parse(rule_set: &Value) -> Result<Self> {
        let params = parse_params(rule_set)?;
        let rules = rule_set
            .get("rules")
            .and_then(Value::as_array)
            .ok_or_else(|| EndpointRulesError::new("rules", "missing `rules` array"))?;
        let scope: Scope = params
            .iter()
            .map(|p| (p.name.clone(), (p.ty.value_type(), p.optional())))
            .collect();
        let rules = rules_of(rules, &scope, "rules")?;
        Ok(Self { params, rules })
    }
}

fn parse_params(rule_set: &Value) -> Result<Vec<Param>> {
    let params_obj = rule_set
        .get("parameters")
        .and_then(Value::as_object)
        .ok_or_else(|| EndpointRulesError::new("parameters", "missing `parameters` object"))?;
    let mut params: Vec<Param> = Vec::new();
    for (name, p) in params_obj {
        let path = format!("parameters.{name}");
        let valid_name = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric());
        if !valid_name {
            return Err(EndpointRulesError::new(
                &path,
                format!(
                    "`{name}` is not a valid parameter name (a letter, then letters and digits)"
                ),
            ));
        }
        let ty_name = p.get("type").and_then(Value::as_str).unwrap_or("");
        let ty = match ty_name.to_ascii_lowercase().as_str() {
            "string" => ParamType::String,
            "boolean" => ParamType::Boolean,
            "stringarray" => ParamType::StringArray,
            _ => {
                return Err(EndpointRulesError::new(
                    &path,
                    format!("not supported: endpoint parameter `{name}` of type `{ty_name}`"),
                ))
            }
        };
        let default = p.get("default").cloned();
        if let Some(d) = &default {
            let fits = match ty {
                ParamType::String => d.is_string(),
                ParamType::Boolean => d.is_boolean(),
                ParamType::StringArray => d
                    .as_array()
                    .is_some_and(|items| items.iter().all(Value::is_string)),
            };
            if !fits {
                return Err(EndpointRulesError::new(
                    &path,
                    format!("default value {d} does not match type `{ty_name}`"),
                ));
            }
        }
        let source = match p.get("builtIn").and_then(Value::as_str) {
            None => Source::Bound,
            Some(built_in) => {
                let Some((source, is_bool)) = Source::from_built_in(built_in) else {
                    return Err(EndpointRulesError::new(
                        &path,
                        format!(
                            "not supported: endpoint parameter `{name}` (built-in {built_in}): \
                             this generator implements the built-ins AWS::Region, AWS::UseFIPS, \
                             AWS::UseDualStack, SDK::Endpoint, AWS::Auth::AccountId and \
                             AWS::Auth::AccountIdEndpointMode"
                        ),
                    ));
                };
                if is_bool != (ty == ParamType::Boolean) {
                    return Err(EndpointRulesError::new(
                        &path,
                        format!("built-in `{built_in}` declared with type `{ty_name}`"),
                    ));
                }
                if is_bool && default.as_ref().is_some_and(|d| d != &Value::Bool(false)) {
                    return Err(EndpointRulesError::new(
                        &path,
                        format!(
                            "not supported: endpoint parameter `{name}` (built-in {built_in} with \
                             default {}): the configuration's flag is false unless set",
                            default.as_ref().unwrap_or(&Value::Null)
                        ),
                    ));
                }
                source
            }
        };
        let field = crate::ir::names::escape_ident(&crate::ir::names::snake(name));
        if let Some(other) = params.iter().find(|q| q.field == field) {
            return Err(EndpointRulesError::new(
                &path,
                format!(
                    "parameters `{}` and `{name}` both map to the Rust field `{field}`",
                    other.name
                ),
            ));
        }
        params.push(Param {
            name: name.clone(),
            field,
            source,
            ty,
            default,
            required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
            doc: p
                .get("documentation")
                .and_then(Value::as_str)
                .map(str::to_owned),
            deprecated: p.get("deprecated").map(|d| {
                d.get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("deprecated")
                    .to_owned()
            }),
        });
    }
    Ok(params)
}

/// The names in scope and their types (`true`: may be unset).
type Scope = HashMap<String, (ValueType, bool)>;

fn rules_of(rules: &[Value], scope: &Scope, path: &str) -> Result<Vec<Rule>> {
    rules
        .iter()
        .enumerate()
        .map(|(i, rule)| rule_of(rule, scope, &format!("{path}[{i}]")))
        .collect()
}

fn rule_of(rule: &Value, scope: &Scope, path: &str) -> Result<Rule> {
    let conditions = match rule.get("conditions") {
        None => &[][..],
        Some(Value::Array(c)) => c.as_slice(),
        Some(_) => {
            return Err(EndpointRulesError::new(
                path,
                "`conditions` is not an array",
            ))
        }
    };
    let mut scope = scope.clone();
    let mut checked = Vec::new();
    for (i, condition) in conditions.iter().enumerate() {
        let cpath = format!("{path}.conditions[{i}]");
        let assign = condition
            .get("assign")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let expr = expr(condition, &scope, &cpath)?;
        match &assign {
            // What follows sees the value as set.
            Some(name) => {
                scope.insert(name.clone(), (expr.ty, false));
            }
            // `isSet(name)` narrows `name` to set for what follows.
            None => {
                if let ExprKind::Call {
                    function: Function::IsSet,
                    args,
                } = &expr.kind
                {
                    if let Some(ExprKind::Ref(name)) = args.first().map(|a| &a.kind) {
                        if let Some(var) = scope.get_mut(name) {
                            var.1 = false;
                        }
                    }
                }
            }
        }
        checked.push(Condition { expr, assign });
    }
    Ok(Rule {
        path: path.to_owned(),
        documentation: rule
            .get("documentation")
            .and_then(Value::as_str)
            .map(str::to_owned),
        conditions: checked,
        outcome: outcome(rule, &scope, path)?,
    })
}

fn outcome(rule: &Value, scope: &Scope, path: &str) -> Result<RuleOutcome> {
    match rule.get("type").and_then(Value::as_str) {
        Some("endpoint") => {
            let ep = rule
                .get("endpoint")
                .ok_or_else(|| EndpointRulesError::new(path, "missing `endpoint`"))?;
            let epath = format!("{path}.endpoint");
            let url = ep
                .get("url")
                .ok_or_else(|| EndpointRulesError::new(&epath, "missing `url`"))?;
            let url_path = format!("{epath}.url");
            let url = expr(url, scope, &url_path)?;
            expect_str(&url, &url_path)?;
            let mut headers = Vec::new();
            if let Some(h) = ep.get("headers").and_then(Value::as_object) {
                for (name, values) in h {
                    let hpath = format!("{epath}.headers.{name}");
                    let values = values.as_array().ok_or_else(|| {
                        EndpointRulesError::new(&hpath, "header values are not a list")
                    })?;
                    let mut checked = Vec::new();
                    for (k, v) in values.iter().enumerate() {
                        let vpath = format!("{hpath}[{k}]");
                        let v = expr(v, scope, &vpath)?;
                        expect_str(&v, &vpath)?;
                        checked.push(v);
                    }
                    headers.push((name.clone(), checked));
                }
            }
            let mut properties = Vec::new();
            if let Some(p) = ep.get("properties").and_then(Value::as_object) {
                for (name, value) in p {
                    let ppath = format!("{epath}.properties.{name}");
                    properties.push((name.clone(), property(value, scope, &ppath)?));
                }
            }
            Ok(RuleOutcome::Endpoint(EndpointOutcome {
                url,
                headers,
                properties,
            }))
        }
        Some("error") => {
            let epath = format!("{path}.error");
            let message = rule
                .get("error")
                .ok_or_else(|| EndpointRulesError::new(&epath, "missing `error`"))?;
            let message = expr(message, scope, &epath)?;
            expect_str(&message, &epath)?;
            Ok(RuleOutcome::Error(message))
        }
        Some("tree") => {
            let sub = rule
                .get("rules")
                .and_then(Value::as_array)
                .ok_or_else(|| EndpointRulesError::new(path, "tree rule without `rules`"))?;
            Ok(RuleOutcome::Tree(rules_of(
                sub,
                scope,
                &format!("{path}.rules"),
            )?))
        }
        other => Err(EndpointRulesError::new(
            path,
            format!("not supported: rule type {other:?}"),
        )),
    }
}

fn property(value: &Value, scope: &Scope, path: &str) -> Result<Property> {
    Ok(match value {
        Value::String(s) if s.contains('{') => {
            let v = expr(value, scope, path)?;
            expect_str(&v, path)?;
            Property::Template(v)
        }
        Value::Array(items) => Property::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| property(v, scope, &format!("{path}[{i}]")))
                .collect::<Result<_>>()?,
        ),
        Value::Object(map) => Property::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), property(v, scope, &format!("{path}.{k}"))?)))
                .collect::<Result<_>>()?,
        ),
        other => Property::Literal(other.clone()),
    })
}

fn expect_str(v: &Expr, path: &str) -> Result<()> {
    expect_str_type(v.ty, v.optional, path)
}

fn expect_str_type(ty: ValueType, optional: bool, path: &str) -> Result<()> {
    if ty != ValueType::Str {
        return Err(EndpointRulesError::new(
            path,
            format!("expected a string, found {ty:?}"),
        ));
    }
    if optional {
        return Err(EndpointRulesError::new(
            path,
            "value may be unset here (no `isSet` guards it)",
        ));
    }
    Ok(())
}

fn typed(kind: ExprKind, ty: ValueType, optional: bool) -> Expr {
    Expr { kind, ty, optional }
}

fn lookup(name: &str, scope: &Scope, path: &str) -> Result<(ValueType, bool)> {
    scope
        .get(name)
        .copied()
        .ok_or_else(|| EndpointRulesError::new(path, format!("unknown reference `{name}`")))
}

fn expr(e: &Value, scope: &Scope, path: &str) -> Result<Expr> {
    match e {
        Value::Bool(b) => Ok(typed(ExprKind::Bool(*b), ValueType::Bool, false)),
        Value::Number(n) => {
            let n = n.as_u64().ok_or_else(|| {
                EndpointRulesError::new(path, format!("not supported: number literal {n}"))
            })?;
            Ok(typed(ExprKind::Int(n), ValueType::Int, false))
        }
        Value::String(s) => template(s, scope, path),
        Value::Object(o) => {
            if let Some(name) = o.get("ref").and_then(Value::as_str) {
                let (ty, optional) = lookup(name, scope, path)?;
                return Ok(typed(ExprKind::Ref(name.to_owned()), ty, optional));
            }
            let Some(f) = o.get("fn").and_then(Value::as_str) else {
                return Err(EndpointRulesError::new(path, "expected `ref` or `fn`"));
            };
            let argv = o
                .get("argv")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            call(f, argv, scope, path)
        }
        other => Err(EndpointRulesError::new(
            path,
            format!("not supported: expression {other}"),
        )),
    }
}

/// A template string; a string without `{` is a literal, one that is a single `{Name}` is that
/// value.
fn template(s: &str, scope: &Scope, path: &str) -> Result<Expr> {
    let parts = parse_template(s, path)?;
    let mut checked = Vec::new();
    for part in parts {
        match part {
            RawPart::Literal(text) => checked.push(TemplatePart::Literal(text)),
            RawPart::Value { name, attr } => {
                let (base_ty, base_optional) = lookup(&name, scope, path)?;
                let (steps, ty, optional) = match &attr {
                    Some(attr) => attr_steps(base_ty, base_optional, attr, path)?,
                    None => (Vec::new(), base_ty, base_optional),
                };
                expect_str_type(ty, optional, path)?;
                checked.push(TemplatePart::Value { name, steps });
            }
        }
    }
    Ok(typed(
        ExprKind::Template(Template {
            text: s.to_owned(),
            parts: checked,
        }),
        ValueType::Str,
        false,
    ))
}

/// A template part before its names are checked.
enum RawPart {
    Literal(String),
    Value { name: String, attr: Option<String> },
}

fn parse_template(s: &str, path: &str) -> Result<Vec<RawPart>> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => inner.push(c),
                        None => {
                            return Err(EndpointRulesError::new(
                                path,
                                format!("unclosed `{{` in template `{s}`"),
                            ))
                        }
                    }
                }
                if !lit.is_empty() {
                    parts.push(RawPart::Literal(std::mem::take(&mut lit)));
                }
                let (name, attr) = match inner.split_once('#') {
                    Some((n, p)) => (n.to_owned(), Some(p.to_owned())),
                    None => (inner, None),
                };
                parts.push(RawPart::Value { name, attr });
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        parts.push(RawPart::Literal(lit));
    }
    Ok(parts)
}

/// The steps of a `getAttr` path on a value of type `ty`, and the type they end with.
fn attr_steps(
    ty: ValueType,
    optional: bool,
    attr: &str,
    path: &str,
) -> Result<(Vec<Attr>, ValueType, bool)> {
    let mut segments = Vec::new();
    for seg in attr.split('.') {
        match seg.split_once('[') {
            Some((name, rest)) => {
                if !name.is_empty() {
                    segments.push((name, None));
                }
                let idx: usize = rest
                    .strip_suffix(']')
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(|| {
                        EndpointRulesError::new(path, format!("bad getAttr path `{attr}`"))
                    })?;
                segments.push(("", Some(idx)));
            }
            None => segments.push((seg, None)),
        }
    }
    let unknown = || {
        EndpointRulesError::new(
            path,
            format!("not supported: getAttr path `{attr}` on this value"),
        )
    };
    let (mut ty, mut optional) = (ty, optional);
    let mut steps = Vec::new();
    for (name, idx) in segments {
        if optional {
            return Err(EndpointRulesError::new(
                path,
                format!("not supported: getAttr `{attr}` on a value that may be unset"),
            ));
        }
        match (ty, idx) {
            (ValueType::StrArray, Some(i)) if name.is_empty() => {
                steps.push(Attr::Index(i));
                (ty, optional) = (ValueType::Str, true);
            }
            (_, None) => {
                let (field, field_ty) = Field::of(ty, name).ok_or_else(unknown)?;
                steps.push(Attr::Field(field));
                ty = field_ty;
            }
            _ => return Err(unknown()),
        }
    }
    Ok((steps, ty, optional))
}

fn call(f: &str, argv: &[Value], scope: &Scope, path: &str) -> Result<Expr> {
    let arity = |n: usize| -> Result<()> {
        if argv.len() == n {
            Ok(())
        } else {
            Err(EndpointRulesError::new(
                path,
                format!("`{f}` takes {n} arguments, got {}", argv.len()),
            ))
        }
    };
    let mut args = Vec::new();
    for (i, a) in argv.iter().enumerate() {
        if f == "getAttr" && i == 1 {
            break;
        }
        args.push(expr(a, scope, &format!("{path}.argv[{i}]"))?);
    }
    if f == "getAttr" {
        arity(2)?;
        let attr = argv[1].as_str().ok_or_else(|| {
            EndpointRulesError::new(format!("{path}.argv[1]"), "getAttr path is not a string")
        })?;
        let base = args.remove(0);
        let (steps, ty, optional) = attr_steps(base.ty, base.optional, attr, path)?;
        return Ok(typed(
            ExprKind::GetAttr {
                base: Box::new(base),
                path: attr.to_owned(),
                steps,
            },
            ty,
            optional,
        ));
    }
    let Some(function) = Function::from_name(f) else {
        return Err(EndpointRulesError::new(
            path,
            format!("not supported: function `{f}`"),
        ));
    };
    // `need(i, ty)`: argument `i` must be a set value of type `ty`.
    let need = |i: usize, ty: ValueType| -> Result<()> {
        let v = &args[i];
        if v.ty != ty || v.optional {
            return Err(EndpointRulesError::new(
                format!("{path}.argv[{i}]"),
                format!(
                    "argument of `{f}` must be a set {ty:?}, found {}{:?}",
                    if v.optional { "optional " } else { "" },
                    v.ty
                ),
            ));
        }
        Ok(())
    };
    // `either(ty)`: both arguments are of type `ty`, set or not.
    let either = |ty: ValueType, what: &str| -> Result<()> {
        for (i, x) in args.iter().enumerate() {
            if x.ty != ty {
                return Err(EndpointRulesError::new(
                    format!("{path}.argv[{i}]"),
                    format!("argument of `{f}` must be a {what}, found {:?}", x.ty),
                ));
            }
        }
        Ok(())
    };
    use ValueType::{Arn, Bool, Int, Partition, Str, Url};
    let (ty, optional) = match function {
        Function::IsSet => {
            arity(1)?;
            (Bool, false)
        }
        Function::Not => {
            arity(1)?;
            // An unset boolean counts as false; any other type is an error.
            if args[0].ty != Bool {
                need(0, Bool)?;
            }
            (Bool, false)
        }
        Function::BooleanEquals => {
            arity(2)?;
            either(Bool, "boolean")?;
            (Bool, false)
        }
        Function::StringEquals => {
            arity(2)?;
            either(Str, "string")?;
            (Bool, false)
        }
        Function::AwsPartition => {
            arity(1)?;
            need(0, Str)?;
            (Partition, true)
        }
        Function::Substring => {
            arity(4)?;
            need(0, Str)?;
            need(1, Int)?;
            need(2, Int)?;
            need(3, Bool)?;
            (Str, true)
        }
        Function::UriEncode => {
            arity(1)?;
            need(0, Str)?;
            (Str, false)
        }
        Function::ParseUrl => {
            arity(1)?;
            need(0, Str)?;
            (Url, true)
        }
        Function::IsValidHostLabel | Function::AwsIsVirtualHostableS3Bucket => {
            arity(2)?;
            need(0, Str)?;
            need(1, Bool)?;
            (Bool, false)
        }
        Function::AwsParseArn => {
            arity(1)?;
            need(0, Str)?;
            (Arn, true)
        }
    };
    Ok(typed(ExprKind::Call { function, args }, ty, optional))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A rule set with the usual built-ins and the given rules.
    fn rule_set(rules: Value) -> Value {
        json!({
            "version": "1.0",
            "parameters": {
                "Region": {"builtIn": "AWS::Region", "required": false, "type": "String"},
                "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": true, "default": false, "type": "Boolean"},
                "Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "type": "String"}
            },
            "rules": rules
        })
    }

    fn endpoint(conditions: Value, url: &str) -> Value {
        json!({"conditions": conditions, "endpoint": {"url": url}, "type": "endpoint"})
    }

    fn error_of(rules: Value) -> String {
        RuleSet::parse(&rule_set(rules)).unwrap_err().to_string()
    }

    #[test]
    fn types_follow_narrowing_and_assignment() {
        let parsed = RuleSet::parse(&rule_set(json!([endpoint(
            json!([
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"},
                {"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "supportsFIPS"]}
            ]),
            "https://x.{Region}.{PartitionResult#dnsSuffix}"
        )])))
        .unwrap();
        let rule = &parsed.rules[0];
        let types: Vec<(ValueType, bool)> = rule
            .conditions
            .iter()
            .map(|c| (c.expr.ty, c.expr.optional))
            .collect();
        assert_eq!(
            types,
            [
                (ValueType::Bool, false),
                (ValueType::Partition, true),
                (ValueType::Bool, false)
            ]
        );
        let ExprKind::Call { args, .. } = &rule.conditions[1].expr.kind else {
            panic!("a call");
        };
        // `Region` is set after `isSet(Region)`.
        assert!(!args[0].optional);
        let RuleOutcome::Endpoint(ep) = &rule.outcome else {
            panic!("an endpoint");
        };
        let ExprKind::Template(t) = &ep.url.kind else {
            panic!("a template");
        };
        assert_eq!(t.parts.len(), 4);
        assert!(matches!(
            &t.parts[3],
            TemplatePart::Value { name, steps }
                if name == "PartitionResult" && steps == &[Attr::Field(Field::PartitionDnsSuffix)]
        ));
    }

    #[test]
    fn errors_name_the_problem_and_where_it_is() {
        let cases = [
            (
                json!([endpoint(json!([{"fn": "isSet", "argv": [{"ref": "Nope"}]}]), "https://x")]),
                "unknown reference `Nope` (at rules[0].conditions[0].argv[0])",
            ),
            (
                json!([endpoint(json!([]), "https://{Endpoint}")]),
                "value may be unset here (no `isSet` guards it) (at rules[0].endpoint.url)",
            ),
            (
                json!([endpoint(json!([{"fn": "aws.partition", "argv": [{"ref": "UseFIPS"}]}]), "https://x")]),
                "argument of `aws.partition` must be a set Str, found Bool (at rules[0].conditions[0].argv[0])",
            ),
            (
                json!([endpoint(json!([{"fn": "not", "argv": [true, false]}]), "https://x")]),
                "`not` takes 1 arguments, got 2 (at rules[0].conditions[0])",
            ),
            (
                json!([endpoint(json!([{"fn": "getAttr", "argv": [{"fn": "aws.partition", "argv": ["us-east-1"]}, "name"]}]), "https://x")]),
                "not supported: getAttr `name` on a value that may be unset (at rules[0].conditions[0])",
            ),
            (
                json!([endpoint(json!([{"fn": "aws.partition", "argv": ["x"], "assign": "P"}, {"fn": "getAttr", "argv": [{"ref": "P"}, "colour"]}]), "https://x")]),
                "not supported: getAttr path `colour` on this value (at rules[0].conditions[1])",
            ),
            (
                json!([endpoint(json!([]), "https://{Region")]),
                "unclosed `{` in template `https://{Region` (at rules[0].endpoint.url)",
            ),
            (
                json!([{"conditions": [], "type": "redirect"}]),
                "not supported: rule type Some(\"redirect\") (at rules[0])",
            ),
            (
                json!([{"conditions": [], "type": "tree", "rules": [endpoint(json!([{"fn": "aws.fancy", "argv": []}]), "https://x")]}]),
                "not supported: function `aws.fancy` (at rules[0].rules[0].conditions[0])",
            ),
        ];
        for (rules, expected) in cases {
            assert_eq!(error_of(rules), expected);
        }
    }

    #[test]
    fn an_assigned_name_is_only_in_scope_after_its_condition() {
        let rules = json!([
            endpoint(
                json!([{"fn": "aws.partition", "argv": ["x"], "assign": "P"}]),
                "https://x"
            ),
            endpoint(json!([]), "https://{P#name}")
        ]);
        assert_eq!(
            error_of(rules),
            "unknown reference `P` (at rules[1].endpoint.url)"
        );
    }
}
