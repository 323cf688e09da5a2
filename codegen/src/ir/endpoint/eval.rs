//! A small build-time evaluator of the rule set, used only to check the expected outcomes of the
//! model's test cases (the model's own, or ones written by hand for partition data other than the
//! one the cases were written against) before they become generated tests; it never supplies an
//! expected value. It follows the rules engine's semantics on the checked rules and is
//! independent of the emitted code.

use super::partitions::Partitions;
use super::rules::{
    Attr, Expr, ExprKind, Function, Property, Rule, RuleOutcome, RuleSet, Source, Template,
    TemplatePart,
};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// A value while evaluating.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum V {
    Unset,
    Bool(bool),
    Str(String),
    Int(u64),
    Obj(BTreeMap<String, V>),
    Arr(Vec<V>),
}

/// What a rule set resolves to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Outcome {
    /// An endpoint.
    Endpoint {
        /// Its URL.
        url: String,
        /// Its headers.
        headers: BTreeMap<String, Vec<String>>,
        /// Its properties.
        properties: serde_json::Map<String, Value>,
    },
    /// An error with this message.
    Error(String),
}

type Env = HashMap<String, V>;
/// `Err` says what the evaluator does not support.
type R<T> = Result<T, String>;

/// Evaluates the rule set for the given parameter values (missing ones take their default).
pub(crate) fn evaluate(rules: &RuleSet, given: &Env, partitions: &Partitions) -> R<Outcome> {
    let mut env = Env::new();
    for p in &rules.params {
        let v = match given.get(&p.name) {
            Some(v) => v.clone(),
            None => match (&p.default, &p.source) {
                (Some(d), _) | (_, Source::Constant(d)) => json_to_v(d),
                // The runtime's `EndpointParams` booleans are plain `bool`s (false when unset).
                (None, Source::UseFips | Source::UseDualStack) => V::Bool(false),
                (None, _) => V::Unset,
            },
        };
        env.insert(p.name.clone(), v);
    }
    let ev = Evaluator { partitions };
    Ok(ev
        .rules(&rules.rules, &env)?
        .unwrap_or_else(|| Outcome::Error("No endpoint rule matched the given parameters".into())))
}

pub(crate) fn json_to_v(v: &Value) -> V {
    match v {
        Value::Bool(b) => V::Bool(*b),
        Value::String(s) => V::Str(s.clone()),
        Value::Number(n) => V::Int(n.as_u64().unwrap_or(0)),
        Value::Array(a) => V::Arr(a.iter().map(json_to_v).collect()),
        Value::Object(o) => V::Obj(o.iter().map(|(k, v)| (k.clone(), json_to_v(v))).collect()),
        Value::Null => V::Unset,
    }
}

struct Evaluator<'a> {
    partitions: &'a Partitions,
}

impl Evaluator<'_> {
    fn rules(&self, rules: &[Rule], env: &Env) -> R<Option<Outcome>> {
        'rules: for rule in rules {
            let mut env = env.clone();
            for condition in &rule.conditions {
                let v = self.expr(&condition.expr, &env)?;
                if matches!(v, V::Unset | V::Bool(false)) {
                    continue 'rules;
                }
                if let Some(name) = &condition.assign {
                    env.insert(name.clone(), v);
                }
            }
            return Ok(Some(match &rule.outcome {
                RuleOutcome::Endpoint(endpoint) => {
                    let url = self.string(&endpoint.url, &env)?;
                    let mut headers = BTreeMap::new();
                    for (name, values) in &endpoint.headers {
                        let values = values
                            .iter()
                            .map(|v| self.string(v, &env))
                            .collect::<R<Vec<_>>>()?;
                        headers.insert(name.clone(), values);
                    }
                    let mut properties = serde_json::Map::new();
                    for (name, value) in &endpoint.properties {
                        properties.insert(name.clone(), self.property(value, &env)?);
                    }
                    Outcome::Endpoint {
                        url,
                        headers,
                        properties,
                    }
                }
                RuleOutcome::Error(message) => Outcome::Error(self.string(message, &env)?),
                RuleOutcome::Tree(sub) => match self.rules(sub, &env)? {
                    Some(outcome) => outcome,
                    None => Outcome::Error("No endpoint rule matched the given parameters".into()),
                },
            }));
        }
        Ok(None)
    }

    fn property(&self, p: &Property, env: &Env) -> R<Value> {
        Ok(match p {
            Property::Literal(v) => v.clone(),
            Property::Template(e) => Value::String(self.string(e, env)?),
            Property::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|x| self.property(x, env))
                    .collect::<R<_>>()?,
            ),
            Property::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, x)| Ok((k.clone(), self.property(x, env)?)))
                    .collect::<R<_>>()?,
            ),
        })
    }

    fn string(&self, e: &Expr, env: &Env) -> R<String> {
        match self.expr(e, env)? {
            V::Str(s) => Ok(s),
            other => Err(format!("expected a string, got {other:?}")),
        }
    }

    fn template(&self, template: &Template, env: &Env) -> R<String> {
        let mut out = String::new();
        for part in &template.parts {
            match part {
                TemplatePart::Literal(text) => out.push_str(text),
                TemplatePart::Value { name, steps } => {
                    let v = env.get(name).cloned().unwrap_or(V::Unset);
                    match get_attr(&v, steps) {
                        V::Str(s) => out.push_str(&s),
                        other => return Err(format!("template value {other:?}")),
                    }
                }
            }
        }
        Ok(out)
    }

    fn expr(&self, e: &Expr, env: &Env) -> R<V> {
        let (function, args) = match &e.kind {
            ExprKind::Bool(b) => return Ok(V::Bool(*b)),
            ExprKind::Int(n) => return Ok(V::Int(*n)),
            ExprKind::Template(t) => return Ok(V::Str(self.template(t, env)?)),
            ExprKind::Ref(name) => return Ok(env.get(name).cloned().unwrap_or(V::Unset)),
            ExprKind::GetAttr { base, steps, .. } => {
                return Ok(get_attr(&self.expr(base, env)?, steps))
            }
            ExprKind::Call { function, args } => (*function, args),
        };
        let args = args
            .iter()
            .map(|a| self.expr(a, env))
            .collect::<R<Vec<_>>>()?;
        let arg = |i: usize| args.get(i).cloned().unwrap_or(V::Unset);
        Ok(match function {
            Function::IsSet => V::Bool(arg(0) != V::Unset),
            Function::Not => V::Bool(arg(0) != V::Bool(true)),
            Function::BooleanEquals | Function::StringEquals => {
                V::Bool(arg(0) != V::Unset && arg(0) == arg(1))
            }
            Function::AwsPartition => match arg(0) {
                V::Str(region) => match self.partitions.resolve(&region) {
                    Some((_, o)) => V::Obj(BTreeMap::from([
                        ("name".into(), V::Str(o.name)),
                        ("dnsSuffix".into(), V::Str(o.dns_suffix)),
                        ("dualStackDnsSuffix".into(), V::Str(o.dual_stack_dns_suffix)),
                        ("supportsFIPS".into(), V::Bool(o.supports_fips)),
                        ("supportsDualStack".into(), V::Bool(o.supports_dual_stack)),
                        (
                            "implicitGlobalRegion".into(),
                            V::Str(o.implicit_global_region),
                        ),
                    ])),
                    None => V::Unset,
                },
                _ => V::Unset,
            },
            Function::IsValidHostLabel => match (arg(0), arg(1)) {
                (V::Str(s), V::Bool(sub)) => {
                    let label = |l: &str| {
                        (1..=63).contains(&l.len())
                            && !l.starts_with('-')
                            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    };
                    V::Bool(if sub {
                        s.split('.').all(label)
                    } else {
                        label(&s)
                    })
                }
                _ => V::Bool(false),
            },
            other => return Err(format!("function `{}`", other.name())),
        })
    }
}

fn get_attr(base: &V, steps: &[Attr]) -> V {
    let mut v = base.clone();
    for step in steps {
        v = match (step, v) {
            (Attr::Field(field), V::Obj(o)) => o.get(field.name()).cloned().unwrap_or(V::Unset),
            (Attr::Index(i), V::Arr(a)) => a.get(*i).cloned().unwrap_or(V::Unset),
            _ => V::Unset,
        };
    }
    v
}
