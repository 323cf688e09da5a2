//! A small build-time evaluator of the rule set, used only to check the expected outcomes of the
//! model's test cases (the model's own, or ones written by hand for partition data other than the
//! one the cases were written against) before they become generated tests, and to explain a case
//! the shipped partition data changes; it never supplies an expected value. It follows the rules
//! engine's semantics on the checked rules, is independent of the emitted code and of the
//! runtime's rules library, and records the partition attributes it reads (the "why" of a case
//! whose outcome the partition data decides).

use super::partitions::Partitions;
use super::rules::{
    Attr, Expr, ExprKind, Field, Function, Property, Rule, RuleOutcome, RuleSet, Template,
    TemplatePart,
};
use serde::Serialize;
use serde_json::Value;
use std::cell::RefCell;
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

/// One partition attribute the rules read while resolving a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartitionRead {
    /// The region looked up with `aws.partition`.
    pub region: String,
    /// The partition it resolved to.
    pub partition: String,
    /// The attribute, in the rules engine's name (`supportsDualStack`).
    pub attribute: String,
    /// Its value, as JSON text.
    pub value: String,
}

/// An evaluation's outcome and the partition attributes read on the way.
#[derive(Debug, Clone)]
pub(crate) struct Evaluation {
    pub outcome: Outcome,
    pub reads: Vec<PartitionRead>,
}

type Env = HashMap<String, V>;
/// `Err` says what the evaluator does not support.
type R<T> = Result<T, String>;

/// Evaluates the rule set for the given parameter values (missing ones take their default).
pub(crate) fn evaluate(rules: &RuleSet, given: &Env, partitions: &Partitions) -> R<Evaluation> {
    let mut env = Env::new();
    for p in &rules.params {
        let v = match given.get(&p.name) {
            Some(v) => v.clone(),
            None => match &p.default {
                Some(d) => json_to_v(d),
                // Built-in booleans without a default are plain `bool`s in `Params` (false
                // when the runtime does not set them).
                None if p.plain_without_default() => V::Bool(false),
                None => V::Unset,
            },
        };
        env.insert(p.name.clone(), v);
    }
    for p in &rules.params {
        if p.required && env.get(&p.name) == Some(&V::Unset) {
            return Ok(Evaluation {
                outcome: Outcome::Error(format!(
                    "Invalid Configuration: missing required parameter `{}`",
                    p.name
                )),
                reads: Vec::new(),
            });
        }
    }
    let ev = Evaluator {
        partitions,
        reads: RefCell::new(Vec::new()),
        partition_of: RefCell::new(HashMap::new()),
    };
    let outcome = ev
        .rules(&rules.rules, &env)?
        .unwrap_or_else(|| Outcome::Error("No endpoint rule matched the given parameters".into()));
    Ok(Evaluation {
        outcome,
        reads: ev.reads.into_inner(),
    })
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

/// The key under which a partition object remembers where it came from (not a rules-engine
/// attribute: attribute names never start with `$`).
const PARTITION_TAG: &str = "$partition";

struct Evaluator<'a> {
    partitions: &'a Partitions,
    reads: RefCell<Vec<PartitionRead>>,
    /// Partition object tag -> (region, partition id).
    partition_of: RefCell<HashMap<String, (String, String)>>,
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
                    match self.get_attr(&v, steps) {
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
                return Ok(self.get_attr(&self.expr(base, env)?, steps))
            }
            ExprKind::Call { function, args } => (*function, args),
        };
        let args = args
            .iter()
            .map(|a| self.expr(a, env))
            .collect::<R<Vec<_>>>()?;
        let arg = |i: usize| args.get(i).cloned().unwrap_or(V::Unset);
        let str_arg = |i: usize| match arg(i) {
            V::Str(s) => Some(s),
            _ => None,
        };
        let bool_arg = |i: usize| matches!(arg(i), V::Bool(true));
        let opt = |v: Option<V>| v.unwrap_or(V::Unset);
        Ok(match function {
            Function::IsSet => V::Bool(arg(0) != V::Unset),
            Function::Not => V::Bool(arg(0) != V::Bool(true)),
            Function::BooleanEquals | Function::StringEquals => {
                V::Bool(arg(0) != V::Unset && arg(0) == arg(1))
            }
            Function::AwsPartition => opt(str_arg(0).and_then(|r| self.partition(&r))),
            Function::IsValidHostLabel => {
                V::Bool(str_arg(0).is_some_and(|s| host_label(&s, bool_arg(1))))
            }
            Function::Substring => match (str_arg(0), arg(1), arg(2)) {
                (Some(s), V::Int(start), V::Int(stop)) => {
                    opt(substring(&s, start, stop, bool_arg(3)).map(V::Str))
                }
                _ => V::Unset,
            },
            Function::UriEncode => opt(str_arg(0).map(|s| V::Str(uri_encode(&s)))),
            Function::ParseUrl => opt(str_arg(0).and_then(|s| parse_url(&s))),
            Function::AwsParseArn => opt(str_arg(0).and_then(|s| parse_arn(&s))),
            Function::AwsIsVirtualHostableS3Bucket => {
                V::Bool(str_arg(0).is_some_and(|s| s3_bucket(&s, bool_arg(1))))
            }
        })
    }

    /// `aws.partition(region)`: the partition's outputs, tagged so that reads can be traced.
    fn partition(&self, region: &str) -> Option<V> {
        let (p, o) = self.partitions.resolve(region)?;
        let tag = format!("{region}\u{0}{}", p.id);
        self.partition_of
            .borrow_mut()
            .insert(tag.clone(), (region.to_owned(), p.id.clone()));
        Some(V::Obj(BTreeMap::from([
            (PARTITION_TAG.into(), V::Str(tag)),
            ("name".into(), V::Str(o.name)),
            ("dnsSuffix".into(), V::Str(o.dns_suffix)),
            ("dualStackDnsSuffix".into(), V::Str(o.dual_stack_dns_suffix)),
            ("supportsFIPS".into(), V::Bool(o.supports_fips)),
            ("supportsDualStack".into(), V::Bool(o.supports_dual_stack)),
            (
                "implicitGlobalRegion".into(),
                V::Str(o.implicit_global_region),
            ),
        ])))
    }

    fn get_attr(&self, base: &V, steps: &[Attr]) -> V {
        let mut v = base.clone();
        for step in steps {
            v = match (step, v) {
                (Attr::Field(field), V::Obj(o)) => {
                    let value = o.get(field.name()).cloned().unwrap_or(V::Unset);
                    if let (true, Some(V::Str(tag))) =
                        (is_partition_field(*field), o.get(PARTITION_TAG))
                    {
                        if let Some((region, partition)) = self.partition_of.borrow().get(tag) {
                            let read = PartitionRead {
                                region: region.clone(),
                                partition: partition.clone(),
                                attribute: field.name().to_owned(),
                                value: match &value {
                                    V::Bool(b) => b.to_string(),
                                    V::Str(s) => format!("{s:?}"),
                                    other => format!("{other:?}"),
                                },
                            };
                            let mut reads = self.reads.borrow_mut();
                            if !reads.contains(&read) {
                                reads.push(read);
                            }
                        }
                    }
                    value
                }
                (Attr::Index(i), V::Arr(a)) => a.get(*i).cloned().unwrap_or(V::Unset),
                _ => V::Unset,
            };
        }
        v
    }
}

fn is_partition_field(field: Field) -> bool {
    matches!(
        field,
        Field::PartitionName
            | Field::PartitionDnsSuffix
            | Field::PartitionDualStackDnsSuffix
            | Field::PartitionSupportsFips
            | Field::PartitionSupportsDualStack
            | Field::PartitionImplicitGlobalRegion
    )
}

// The standard library, written from the rules engine's specification (independently of the
// runtime's `endpoint` module, which the generated tests check).

fn label(l: &str) -> bool {
    (1..=63).contains(&l.len())
        && !l.starts_with('-')
        && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn host_label(s: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        s.split('.').all(label)
    } else {
        label(s)
    }
}

fn substring(s: &str, start: u64, stop: u64, reverse: bool) -> Option<String> {
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    let chars: Vec<char> = s.chars().collect();
    if !s.is_ascii() || start >= stop || stop > chars.len() {
        return None;
    }
    let (from, to) = if reverse {
        (chars.len() - stop, chars.len() - start)
    } else {
        (start, stop)
    };
    Some(chars[from..to].iter().collect())
}

fn uri_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn parse_url(s: &str) -> Option<V> {
    let (scheme, rest) = s.split_once("://")?;
    let scheme_ok = ["http", "https"]
        .iter()
        .any(|known| scheme.eq_ignore_ascii_case(known));
    if !scheme_ok || rest.contains('?') || rest.contains('#') {
        return None;
    }
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let host = if let Some(inner) = authority.strip_prefix('[') {
        let end = inner.find(']')?;
        let v6 = &inner[..end];
        if v6.parse::<std::net::Ipv6Addr>().is_err() {
            return None;
        }
        Some(true)
    } else {
        let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
        if host.is_empty() {
            return None;
        }
        Some(host.parse::<std::net::Ipv4Addr>().is_ok())
    };
    let is_ip = host?;
    let mut normalized = String::new();
    if !path.starts_with('/') {
        normalized.push('/');
    }
    normalized.push_str(path);
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    Some(V::Obj(BTreeMap::from([
        ("scheme".into(), V::Str(scheme.to_owned())),
        ("authority".into(), V::Str(authority.to_owned())),
        ("path".into(), V::Str(path.to_owned())),
        ("normalizedPath".into(), V::Str(normalized)),
        ("isIp".into(), V::Bool(is_ip)),
    ])))
}

fn parse_arn(s: &str) -> Option<V> {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts.as_slice() else {
        return None;
    };
    if *arn != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(V::Obj(BTreeMap::from([
        ("partition".into(), V::Str((*partition).to_owned())),
        ("service".into(), V::Str((*service).to_owned())),
        ("region".into(), V::Str((*region).to_owned())),
        ("accountId".into(), V::Str((*account).to_owned())),
        (
            "resourceId".into(),
            V::Arr(
                resource
                    .split([':', '/'])
                    .map(|p| V::Str(p.to_owned()))
                    .collect(),
            ),
        ),
    ])))
}

fn s3_bucket(s: &str, allow_subdomains: bool) -> bool {
    let label = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let labels = if allow_subdomains {
        s.split('.').all(label)
    } else {
        label(s)
    };
    (3..=63).contains(&s.len()) && labels && s.parse::<std::net::Ipv4Addr>().is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(v: &Option<V>, name: &str) -> V {
        match v {
            Some(V::Obj(o)) => o.get(name).cloned().unwrap_or(V::Unset),
            other => panic!("not an object: {other:?}"),
        }
    }

    #[test]
    fn library_functions_follow_the_specification() {
        assert_eq!(substring("abcdefg", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true).as_deref(), Some("defg"));
        assert_eq!(substring("abc", 1, 1, false), None);
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("ab\u{e9}", 0, 1, false), None);
        assert_eq!(uri_encode("a b/c~"), "a%20b%2Fc~");
        assert_eq!(uri_encode("\u{e9}"), "%C3%A9");
        let url = parse_url("https://example.com:8443/a/b");
        assert_eq!(field(&url, "authority"), V::Str("example.com:8443".into()));
        assert_eq!(field(&url, "normalizedPath"), V::Str("/a/b/".into()));
        assert_eq!(field(&url, "isIp"), V::Bool(false));
        assert_eq!(field(&parse_url("http://127.0.0.1"), "isIp"), V::Bool(true));
        assert_eq!(field(&parse_url("http://[::1]:80/"), "isIp"), V::Bool(true));
        for bad in ["ftp://x", "https://x?y", "https://u@x", "https://", "x"] {
            assert_eq!(parse_url(bad), None, "{bad}");
        }
        let arn = parse_arn("arn:aws:s3:us-east-1:123:bucket/key:v");
        assert_eq!(field(&arn, "accountId"), V::Str("123".into()));
        assert_eq!(
            field(&arn, "resourceId"),
            V::Arr(vec![
                V::Str("bucket".into()),
                V::Str("key".into()),
                V::Str("v".into())
            ])
        );
        assert_eq!(parse_arn("arn:aws:s3:::"), None);
        assert_eq!(parse_arn("urn:aws:s3:::x"), None);
        assert!(host_label("a.b", true) && !host_label("a.b", false) && !host_label("-a", false));
        assert!(s3_bucket("my-bucket", false) && !s3_bucket("My-Bucket", false));
        assert!(!s3_bucket("192.168.1.1", true) && s3_bucket("a.b.c", true));
    }
}
