//! A small build-time evaluator of the rule set, used only to check the expected outcomes of the
//! model's test cases (the model's own, or ones written by hand for partition data other than the
//! one the cases were written against) before they become generated tests; it never supplies an
//! expected value. It follows the rules engine's semantics directly on the JSON and is
//! independent of the compiled code.

use super::compile::{RuleSet, Source};
use super::partitions::Partitions;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

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
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    Endpoint {
        url: String,
        headers: BTreeMap<String, Vec<String>>,
        properties: serde_json::Map<String, Value>,
    },
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
    fn rules(&self, rules: &[Value], env: &Env) -> R<Option<Outcome>> {
        for rule in rules {
            let mut env = env.clone();
            let mut matched = true;
            for c in rule
                .get("conditions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let v = self.expr(c, &env)?;
                if matches!(v, V::Unset | V::Bool(false)) {
                    matched = false;
                    break;
                }
                if let Some(a) = c.get("assign").and_then(Value::as_str) {
                    env.insert(a.to_owned(), v);
                }
            }
            if !matched {
                continue;
            }
            return Ok(Some(match rule.get("type").and_then(Value::as_str) {
                Some("endpoint") => {
                    let ep = rule
                        .get("endpoint")
                        .ok_or("endpoint rule without endpoint")?;
                    let url = self.string(ep.get("url").ok_or("endpoint without url")?, &env)?;
                    let mut headers = BTreeMap::new();
                    for (k, vs) in ep
                        .get("headers")
                        .and_then(Value::as_object)
                        .into_iter()
                        .flatten()
                    {
                        let mut out = Vec::new();
                        for v in vs.as_array().into_iter().flatten() {
                            out.push(self.string(v, &env)?);
                        }
                        headers.insert(k.clone(), out);
                    }
                    let mut properties = serde_json::Map::new();
                    for (k, v) in ep
                        .get("properties")
                        .and_then(Value::as_object)
                        .into_iter()
                        .flatten()
                    {
                        properties.insert(k.clone(), self.property(v, &env)?);
                    }
                    Outcome::Endpoint {
                        url,
                        headers,
                        properties,
                    }
                }
                Some("error") => {
                    Outcome::Error(self.string(rule.get("error").ok_or("no error")?, &env)?)
                }
                Some("tree") => {
                    let sub = rule
                        .get("rules")
                        .and_then(Value::as_array)
                        .ok_or("tree without rules")?;
                    match self.rules(sub, &env)? {
                        Some(o) => o,
                        None => {
                            Outcome::Error("No endpoint rule matched the given parameters".into())
                        }
                    }
                }
                other => return Err(format!("rule type {other:?}")),
            }));
        }
        Ok(None)
    }

    fn property(&self, v: &Value, env: &Env) -> R<Value> {
        Ok(match v {
            Value::String(_) => Value::String(self.string(v, env)?),
            Value::Array(a) => {
                Value::Array(a.iter().map(|x| self.property(x, env)).collect::<R<_>>()?)
            }
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, x)| Ok((k.clone(), self.property(x, env)?)))
                    .collect::<R<_>>()?,
            ),
            other => other.clone(),
        })
    }

    fn string(&self, e: &Value, env: &Env) -> R<String> {
        match self.expr(e, env)? {
            V::Str(s) => Ok(s),
            other => Err(format!("expected a string, got {other:?}")),
        }
    }

    fn template(&self, s: &str, env: &Env) -> R<String> {
        let mut out = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    out.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    out.push('}');
                }
                '{' => {
                    let inner: String = chars.by_ref().take_while(|&c| c != '}').collect();
                    let (name, attr) = match inner.split_once('#') {
                        Some((n, a)) => (n, Some(a)),
                        None => (inner.as_str(), None),
                    };
                    let v = env.get(name).cloned().unwrap_or(V::Unset);
                    let v = match attr {
                        Some(a) => get_attr(&v, a),
                        None => v,
                    };
                    match v {
                        V::Str(s) => out.push_str(&s),
                        other => return Err(format!("template value {other:?}")),
                    }
                }
                c => out.push(c),
            }
        }
        Ok(out)
    }

    fn expr(&self, e: &Value, env: &Env) -> R<V> {
        match e {
            Value::String(s) => Ok(V::Str(self.template(s, env)?)),
            Value::Object(o) => {
                if let Some(r) = o.get("ref").and_then(Value::as_str) {
                    return Ok(env.get(r).cloned().unwrap_or(V::Unset));
                }
                let f = o
                    .get("fn")
                    .and_then(Value::as_str)
                    .ok_or("expression without fn")?;
                let argv = o
                    .get("argv")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                if f == "getAttr" {
                    let base = self.expr(argv.first().ok_or("getAttr arity")?, env)?;
                    let path = argv.get(1).and_then(Value::as_str).ok_or("getAttr path")?;
                    return Ok(get_attr(&base, path));
                }
                let args = argv
                    .iter()
                    .map(|a| self.expr(a, env))
                    .collect::<R<Vec<_>>>()?;
                let arg = |i: usize| args.get(i).cloned().unwrap_or(V::Unset);
                Ok(match f {
                    "isSet" => V::Bool(arg(0) != V::Unset),
                    "not" => V::Bool(arg(0) != V::Bool(true)),
                    "booleanEquals" | "stringEquals" => {
                        V::Bool(arg(0) != V::Unset && arg(0) == arg(1))
                    }
                    "aws.partition" => match arg(0) {
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
                    "isValidHostLabel" => match (arg(0), arg(1)) {
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
                    other => return Err(format!("function `{other}`")),
                })
            }
            Value::Bool(b) => Ok(V::Bool(*b)),
            Value::Number(n) => Ok(V::Int(n.as_u64().unwrap_or(0))),
            other => Err(format!("expression {other}")),
        }
    }
}

fn get_attr(base: &V, path: &str) -> V {
    let mut v = base.clone();
    for seg in path.split('.') {
        let (name, idx) = match seg.split_once('[') {
            Some((n, rest)) => (
                n,
                rest.strip_suffix(']').and_then(|i| i.parse::<usize>().ok()),
            ),
            None => (seg, None),
        };
        if !name.is_empty() {
            v = match v {
                V::Obj(o) => o.get(name).cloned().unwrap_or(V::Unset),
                _ => V::Unset,
            };
        }
        if let Some(i) = idx {
            v = match v {
                V::Arr(a) => a.get(i).cloned().unwrap_or(V::Unset),
                _ => V::Unset,
            };
        }
    }
    v
}
