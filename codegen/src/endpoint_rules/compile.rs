//! Rule set -> Rust: parameters become locals, conditions nested `if` / `if let`, rules early
//! returns.

use super::{json_tokens, EndpointRulesError, Result};
use heck::ToSnakeCase;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Where a parameter's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Source {
    /// `AWS::Region` -> `params.region`.
    Region,
    /// `AWS::UseFIPS` -> `params.use_fips`.
    UseFips,
    /// `AWS::UseDualStack` -> `params.use_dual_stack`.
    UseDualStack,
    /// `SDK::Endpoint` -> `params.endpoint`.
    Endpoint,
    /// Not a built-in, but with a default: a constant.
    Constant(Value),
}

/// A rule-set parameter.
#[derive(Debug, Clone)]
pub(crate) struct Param {
    pub name: String,
    pub source: Source,
    pub is_bool: bool,
    pub default: Option<Value>,
    pub required: bool,
    pub doc: Option<String>,
}

/// A parsed rule set: typed parameters and the raw rules (compiled by walking the JSON).
#[derive(Debug, Clone)]
pub(crate) struct RuleSet {
    pub params: Vec<Param>,
    pub rules: Vec<Value>,
}

impl RuleSet {
    pub fn parse(rule_set: &Value) -> Result<Self> {
        let params_obj = rule_set
            .get("parameters")
            .and_then(Value::as_object)
            .ok_or_else(|| EndpointRulesError::new("parameters", "missing `parameters` object"))?;
        let mut params = Vec::new();
        for (name, p) in params_obj {
            let path = format!("parameters.{name}");
            let ty = p.get("type").and_then(Value::as_str).unwrap_or("");
            let is_bool = match ty.to_ascii_lowercase().as_str() {
                "string" => false,
                "boolean" => true,
                _ => {
                    return Err(EndpointRulesError::new(
                        &path,
                        format!("not supported: endpoint parameter `{name}` of type `{ty}`"),
                    ))
                }
            };
            let built_in = p.get("builtIn").and_then(Value::as_str);
            let default = p.get("default").cloned();
            if let Some(d) = &default {
                if (is_bool && !d.is_boolean()) || (!is_bool && !d.is_string()) {
                    return Err(EndpointRulesError::new(
                        &path,
                        format!("default value {d} does not match type `{ty}`"),
                    ));
                }
            }
            let expected_bool = match built_in {
                Some("AWS::Region") | Some("SDK::Endpoint") => Some(false),
                Some("AWS::UseFIPS") | Some("AWS::UseDualStack") => Some(true),
                _ => None,
            };
            if expected_bool.is_some_and(|b| b != is_bool) {
                return Err(EndpointRulesError::new(
                    &path,
                    format!(
                        "built-in `{}` declared with type `{ty}`",
                        built_in.unwrap_or("")
                    ),
                ));
            }
            let source = match (built_in, &default) {
                (Some("AWS::Region"), _) => Source::Region,
                (Some("SDK::Endpoint"), _) => Source::Endpoint,
                (Some("AWS::UseFIPS"), None | Some(Value::Bool(false))) => Source::UseFips,
                (Some("AWS::UseDualStack"), None | Some(Value::Bool(false))) => {
                    Source::UseDualStack
                }
                (None, Some(d)) => Source::Constant(d.clone()),
                _ => {
                    let what = match (built_in, &default) {
                        (Some(b), Some(d)) if expected_bool.is_some() => {
                            format!("built-in {b} with default {d}")
                        }
                        (Some(b), _) => format!("built-in {b}"),
                        (None, _) => "built-in none".to_owned(),
                    };
                    return Err(EndpointRulesError::new(
                        &path,
                        format!("not supported: endpoint parameter `{name}` ({what})"),
                    ));
                }
            };
            params.push(Param {
                name: name.clone(),
                source,
                is_bool,
                default,
                required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                doc: p
                    .get("documentation")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            });
        }
        let rules = rule_set
            .get("rules")
            .and_then(Value::as_array)
            .ok_or_else(|| EndpointRulesError::new("rules", "missing `rules` array"))?
            .clone();
        Ok(Self { params, rules })
    }
}

/// The type of a value in the generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Bool,
    Str,
    Int,
    Partition,
    Url,
    Arn,
    StrArray,
}

/// A compiled expression.
#[derive(Debug, Clone)]
struct Val {
    ts: TokenStream,
    ty: Ty,
    /// `Option<..>` in Rust: the rules engine's "may be unset".
    optional: bool,
    /// For `Str`: a `String` rather than a `&str`.
    owned: bool,
    /// A boolean known at build time.
    konst: Option<bool>,
    /// A direct reference to the `AWS::Region` parameter.
    region: bool,
    /// `isSet(x)` (so `not` can say `is_none()`).
    is_set_of: Option<TokenStream>,
}

impl Val {
    fn new(ts: TokenStream, ty: Ty) -> Self {
        Self {
            ts,
            ty,
            optional: false,
            owned: false,
            konst: None,
            region: false,
            is_set_of: None,
        }
    }
    fn opt(mut self) -> Self {
        self.optional = true;
        self
    }
    /// As a `&str` expression.
    fn as_str(&self) -> TokenStream {
        let ts = &self.ts;
        if self.owned {
            quote!(#ts.as_str())
        } else {
            ts.clone()
        }
    }
    /// As a `String` expression.
    fn to_owned_string(&self) -> TokenStream {
        let ts = &self.ts;
        if self.owned {
            ts.clone()
        } else {
            quote!(#ts.to_string())
        }
    }
}

#[derive(Debug, Clone)]
struct Var {
    ident: Ident,
    ty: Ty,
    optional: bool,
    owned: bool,
    id: usize,
    region: bool,
}

type Scope = HashMap<String, Var>;

struct Compiler {
    used: HashSet<usize>,
    next_id: usize,
    uses_partition_table: bool,
    uses_region_label: bool,
    /// Statements to run before the endpoint being compiled is returned.
    pending_checks: Vec<TokenStream>,
}

/// A Rust identifier for a rule-set name (`PartitionResult` -> `partition_result`).
pub(crate) fn rust_ident(name: &str) -> Ident {
    let mut snake: String = name
        .to_snake_case()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if snake.is_empty() || snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake.insert(0, 'v');
    }
    if matches!(
        snake.as_str(),
        "params" | "partition_table" | "self" | "super" | "crate" | "_"
    ) || syn::parse_str::<Ident>(&snake).is_err()
    {
        snake.push('_');
    }
    format_ident!("{}", snake)
}

/// A template string (`https://x.{Region}.{PartitionResult#dnsSuffix}`) split into parts.
enum Part {
    Lit(String),
    Ref { name: String, path: Option<String> },
}

fn parse_template(s: &str, path: &str) -> Result<Vec<Part>> {
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
                    parts.push(Part::Lit(std::mem::take(&mut lit)));
                }
                let (name, attr) = match inner.split_once('#') {
                    Some((n, p)) => (n.to_owned(), Some(p.to_owned())),
                    None => (inner, None),
                };
                parts.push(Part::Ref { name, path: attr });
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        parts.push(Part::Lit(lit));
    }
    Ok(parts)
}

/// Compiles the rule set into the resolver functions of `src/endpoint/mod.rs`.
pub(crate) fn compile(rules: &RuleSet) -> Result<TokenStream> {
    let mut c = Compiler {
        used: HashSet::new(),
        next_id: 0,
        uses_partition_table: false,
        uses_region_label: false,
        pending_checks: Vec::new(),
    };
    let mut scope = Scope::new();
    let mut param_vars = Vec::new();
    for p in &rules.params {
        let id = c.fresh();
        let optional = match &p.source {
            Source::Region | Source::Endpoint => p.default.is_none() && !p.required,
            _ => false,
        };
        let var = Var {
            ident: rust_ident(&p.name),
            ty: if p.is_bool { Ty::Bool } else { Ty::Str },
            optional,
            owned: false,
            id,
            region: p.source == Source::Region,
        };
        scope.insert(p.name.clone(), var.clone());
        param_vars.push((p, var));
    }
    let (body, terminal) = c.rules(&rules.rules, &scope, "rules", true)?;
    let fallback = (!terminal).then(|| {
        quote!(Err(EndpointError::new(
            "No endpoint rule matched the given parameters"
        )))
    });

    let mut prelude = Vec::new();
    let mut param_docs = Vec::new();
    for (p, var) in &param_vars {
        let ident = &var.ident;
        let name = &p.name;
        let value = match &p.source {
            Source::Region => quote!(params.region.as_deref()),
            Source::Endpoint => quote!(params.endpoint.as_deref()),
            Source::UseFips => quote!(params.use_fips),
            Source::UseDualStack => quote!(params.use_dual_stack),
            Source::Constant(v) => match v {
                Value::Bool(b) => quote!(#b),
                Value::String(s) => quote!(#s),
                _ => quote!(()),
            },
        };
        let is_str_builtin = matches!(p.source, Source::Region | Source::Endpoint);
        let used = c.used.contains(&var.id);
        param_docs.push(format!(
            "- `{name}` ({}): {}",
            match &p.source {
                Source::Region => "`params.region`".to_owned(),
                Source::Endpoint => "`params.endpoint`".to_owned(),
                Source::UseFips => "`params.use_fips`".to_owned(),
                Source::UseDualStack => "`params.use_dual_stack`".to_owned(),
                Source::Constant(v) => format!("constant {v}"),
            },
            p.doc.as_deref().unwrap_or("(undocumented)")
        ));
        if is_str_builtin {
            if let Some(Value::String(d)) = &p.default {
                if used {
                    prelude.push(quote! {
                        let #ident: &str = #value.unwrap_or(#d);
                    });
                }
                continue;
            }
            if p.required {
                let message = format!("Invalid Configuration: missing required parameter `{name}`");
                prelude.push(if used {
                    quote! {
                        let Some(#ident) = #value else {
                            return Err(EndpointError::new(#message));
                        };
                    }
                } else {
                    quote! {
                        if #value.is_none() {
                            return Err(EndpointError::new(#message));
                        }
                    }
                });
                continue;
            }
        }
        if used {
            let ty = match (&p.source, var.ty) {
                (Source::Region | Source::Endpoint, _) => quote!(Option<&str>),
                (_, Ty::Bool) => quote!(bool),
                _ => quote!(&str),
            };
            prelude.push(quote! {
                let #ident: #ty = #value;
            });
        }
    }
    let table = if c.uses_partition_table {
        quote!(partition_table)
    } else {
        quote!(_partition_table)
    };
    let mut outline = format!("Parameters:\n\n{}\n\n", param_docs.join("\n"));
    outline.push_str(
        "The rules, in order (the first whose conditions hold decides; a matching tree rule must \
         decide within its sub-rules):\n\n",
    );
    describe_rules(&rules.rules, 0, &mut outline);
    let outline_docs = outline.lines().map(|l| {
        let l = format!(" {l}");
        quote!(#[doc = #l])
    });
    let region_label = c.uses_region_label.then(|| {
        quote! {
            #[doc = " The region, checked to be one DNS host label before it goes into a URL's host: a"]
            #[doc = " value such as `us-east-1.evil.example/` or `us-east-1@evil.example` would otherwise"]
            #[doc = " change which host requests (and credentials) are sent to."]
            fn region_label(region: &str) -> Result<&str, EndpointError> {
                if crate::rt::endpoint_lib::is_valid_host_label(region, false) {
                    Ok(region)
                } else {
                    Err(EndpointError::new(format!(
                        "Invalid Configuration: region {region:?} is not a valid DNS host label"
                    )))
                }
            }
        }
    });
    Ok(quote! {
        use crate::rt::{EndpointError, EndpointParams, ResolvedEndpoint};
        use crate::rt::endpoint_lib::aws::PartitionTable;

        #[doc = " Resolves the endpoint for `params` with the partition data shipped with this client."]
        pub fn resolve_endpoint(params: &EndpointParams) -> Result<ResolvedEndpoint, EndpointError> {
            resolve_endpoint_with(params, &partitions::PARTITIONS)
        }

        #[doc = " Resolves the endpoint for `params` against the given partition data."]
        #[doc = ""]
        #(#outline_docs)*
        pub fn resolve_endpoint_with(
            params: &EndpointParams,
            #table: &PartitionTable,
        ) -> Result<ResolvedEndpoint, EndpointError> {
            #(#prelude)*
            #body
            #fallback
        }

        #region_label
    })
}

impl Compiler {
    fn fresh(&mut self) -> usize {
        self.next_id += 1;
        self.next_id
    }

    /// A list of rules. Returns the code and whether it always returns (then nothing after it
    /// is reachable). With `tail`, an unconditional last rule is emitted as the tail expression.
    fn rules(
        &mut self,
        rules: &[Value],
        scope: &Scope,
        path: &str,
        tail: bool,
    ) -> Result<(TokenStream, bool)> {
        let mut out = TokenStream::new();
        for (i, rule) in rules.iter().enumerate() {
            let rpath = format!("{path}[{i}]");
            let conds = match rule.get("conditions") {
                None => Vec::new(),
                Some(Value::Array(c)) => c.clone(),
                Some(_) => {
                    return Err(EndpointRulesError::new(
                        rpath,
                        "`conditions` is not an array",
                    ))
                }
            };
            let (code, terminal) = self.conditions(&conds, 0, scope, rule, &rpath, tail)?;
            out.extend(code);
            if terminal {
                // Later rules can never be reached.
                return Ok((out, true));
            }
        }
        Ok((out, false))
    }

    fn conditions(
        &mut self,
        conds: &[Value],
        i: usize,
        scope: &Scope,
        rule: &Value,
        path: &str,
        tail: bool,
    ) -> Result<(TokenStream, bool)> {
        let Some(cond) = conds.get(i) else {
            return self.body(rule, scope, path, tail);
        };
        let cpath = format!("{path}.conditions[{i}]");
        let assign = cond.get("assign").and_then(Value::as_str);

        // `isSet(ref)` on an optional variable: narrow it with `if let`.
        if assign.is_none() && cond.get("fn").and_then(Value::as_str) == Some("isSet") {
            if let Some(name) = cond
                .get("argv")
                .and_then(|a| a.get(0))
                .and_then(|a| a.get("ref"))
                .and_then(Value::as_str)
            {
                let var = scope.get(name).cloned().ok_or_else(|| {
                    EndpointRulesError::new(&cpath, format!("unknown reference `{name}`"))
                })?;
                if var.optional {
                    self.used.insert(var.id);
                    let id = self.fresh();
                    let mut inner_scope = scope.clone();
                    inner_scope.insert(
                        name.to_owned(),
                        Var {
                            optional: false,
                            id,
                            ..var.clone()
                        },
                    );
                    let (inner, _) =
                        self.conditions(conds, i + 1, &inner_scope, rule, path, false)?;
                    let ident = &var.ident;
                    let code = if self.used.contains(&id) {
                        quote!(if let Some(#ident) = #ident { #inner })
                    } else {
                        quote!(if #ident.is_some() { #inner })
                    };
                    return Ok((code, false));
                }
            }
        }

        // A run of plain boolean conditions becomes one `if a && b`.
        if assign.is_none() {
            let mut bools = Vec::new();
            let mut j = i;
            while let Some(c) = conds.get(j) {
                if c.get("assign").is_some() {
                    break;
                }
                let v = self.expr(c, scope, &format!("{path}.conditions[{j}]"))?;
                if v.ty != Ty::Bool || v.optional || is_narrowing_is_set(c, scope) {
                    break;
                }
                bools.push(v);
                j += 1;
            }
            if !bools.is_empty() {
                if bools.iter().any(|b| b.konst == Some(false)) {
                    return Ok((TokenStream::new(), false));
                }
                let live: Vec<TokenStream> = bools
                    .iter()
                    .filter(|b| b.konst != Some(true))
                    .map(|b| b.ts.clone())
                    .collect();
                if live.is_empty() {
                    return self.conditions(conds, j, scope, rule, path, tail);
                }
                let (inner, _) = self.conditions(conds, j, scope, rule, path, false)?;
                return Ok((quote!(if #(#live)&&* { #inner }), false));
            }
        }

        let v = self.expr(cond, scope, &cpath)?;
        match (v.ty, v.optional, assign) {
            (Ty::Bool, false, Some(name)) => {
                let id = self.fresh();
                let ident = rust_ident(name);
                let mut inner_scope = scope.clone();
                inner_scope.insert(name.to_owned(), Var::plain(ident.clone(), Ty::Bool, id));
                let (inner, _) = self.conditions(conds, i + 1, &inner_scope, rule, path, false)?;
                let ts = &v.ts;
                Ok((quote!(if #ts { let #ident = true; #inner }), false))
            }
            (Ty::Bool, true, _) => {
                let (inner, _) = self.conditions(conds, i + 1, scope, rule, path, false)?;
                let ts = &v.ts;
                Ok((quote!(if #ts == Some(true) { #inner }), false))
            }
            (ty, true, Some(name)) => {
                let id = self.fresh();
                let ident = rust_ident(name);
                let mut inner_scope = scope.clone();
                inner_scope.insert(name.to_owned(), Var::plain(ident.clone(), ty, id));
                let (inner, _) = self.conditions(conds, i + 1, &inner_scope, rule, path, false)?;
                let ts = &v.ts;
                let code = if self.used.contains(&id) {
                    quote!(if let Some(#ident) = #ts { #inner })
                } else {
                    quote!(if #ts.is_some() { #inner })
                };
                Ok((code, false))
            }
            (_, true, None) => {
                let (inner, _) = self.conditions(conds, i + 1, scope, rule, path, false)?;
                let ts = &v.ts;
                Ok((quote!(if #ts.is_some() { #inner }), false))
            }
            (ty, false, Some(name)) => {
                // Always set: just bind it.
                let id = self.fresh();
                let ident = rust_ident(name);
                let mut inner_scope = scope.clone();
                let mut var = Var::plain(ident.clone(), ty, id);
                var.owned = v.owned;
                inner_scope.insert(name.to_owned(), var);
                let (inner, terminal) =
                    self.conditions(conds, i + 1, &inner_scope, rule, path, tail)?;
                let ts = &v.ts;
                if self.used.contains(&id) {
                    Ok((quote!({ let #ident = #ts; #inner }), terminal))
                } else {
                    Ok((inner, terminal))
                }
            }
            (_, false, None) => self.conditions(conds, i + 1, scope, rule, path, tail),
        }
    }

    /// The rule's outcome once its conditions hold.
    fn body(
        &mut self,
        rule: &Value,
        scope: &Scope,
        path: &str,
        tail: bool,
    ) -> Result<(TokenStream, bool)> {
        let ret = |value: TokenStream| {
            if tail {
                value
            } else {
                quote!(return #value;)
            }
        };
        match rule.get("type").and_then(Value::as_str) {
            Some("endpoint") => {
                let ep = rule
                    .get("endpoint")
                    .ok_or_else(|| EndpointRulesError::new(path, "missing `endpoint`"))?;
                let epath = format!("{path}.endpoint");
                let url = ep
                    .get("url")
                    .ok_or_else(|| EndpointRulesError::new(&epath, "missing `url`"))?;
                let url = match url {
                    Value::String(s) => self.template(s, scope, &format!("{epath}.url"), true)?,
                    other => self.expr(other, scope, &format!("{epath}.url"))?,
                };
                self.expect_str(&url, &format!("{epath}.url"))?;
                let url_ts = url.to_owned_string();
                let mut headers = Vec::new();
                if let Some(h) = ep.get("headers").and_then(Value::as_object) {
                    for (name, values) in h {
                        let hpath = format!("{epath}.headers.{name}");
                        let values = values.as_array().ok_or_else(|| {
                            EndpointRulesError::new(&hpath, "header values are not a list")
                        })?;
                        let mut vs = Vec::new();
                        for (k, v) in values.iter().enumerate() {
                            let vpath = format!("{hpath}[{k}]");
                            let v = self.expr(v, scope, &vpath)?;
                            self.expect_str(&v, &vpath)?;
                            vs.push(v.to_owned_string());
                        }
                        headers.push(quote!((#name.to_string(), vec![#(#vs),*])));
                    }
                }
                let mut properties = Vec::new();
                if let Some(p) = ep.get("properties").and_then(Value::as_object) {
                    for (name, value) in p {
                        let v =
                            self.property(value, scope, &format!("{epath}.properties.{name}"))?;
                        properties.push(quote!((#name.to_string(), serde_json::json!(#v))));
                    }
                }
                let value = if headers.is_empty() && properties.is_empty() {
                    quote!(Ok(ResolvedEndpoint::new(#url_ts)))
                } else {
                    quote!(Ok(ResolvedEndpoint {
                        url: #url_ts,
                        headers: ::std::collections::BTreeMap::from([#(#headers),*]),
                        properties: ::std::collections::BTreeMap::from([#(#properties),*]),
                    }))
                };
                let checks = std::mem::take(&mut self.pending_checks);
                let ret = ret(value);
                Ok((quote!(#(#checks)* #ret), true))
            }
            Some("error") => {
                let epath = format!("{path}.error");
                let msg = rule
                    .get("error")
                    .ok_or_else(|| EndpointRulesError::new(&epath, "missing `error`"))?;
                let msg = self.expr(msg, scope, &epath)?;
                self.expect_str(&msg, &epath)?;
                let ts = if msg.owned {
                    msg.ts.clone()
                } else {
                    msg.as_str()
                };
                Ok((ret(quote!(Err(EndpointError::new(#ts)))), true))
            }
            Some("tree") => {
                let sub = rule
                    .get("rules")
                    .and_then(Value::as_array)
                    .ok_or_else(|| EndpointRulesError::new(path, "tree rule without `rules`"))?;
                let (code, terminal) = self.rules(sub, scope, &format!("{path}.rules"), tail)?;
                if terminal {
                    return Ok((code, true));
                }
                // A tree rule whose conditions hold is final: no sub-rule matching is an error.
                let message =
                    format!("No endpoint rule matched the given parameters (tree rule `{path}`)");
                let fallback = ret(quote!(Err(EndpointError::new(#message))));
                Ok((quote!(#code #fallback), true))
            }
            other => Err(EndpointRulesError::new(
                path,
                format!("not supported: rule type {other:?}"),
            )),
        }
    }

    /// An endpoint property value: JSON with templates in its strings.
    fn property(&mut self, value: &Value, scope: &Scope, path: &str) -> Result<TokenStream> {
        Ok(match value {
            Value::String(s) if s.contains('{') => {
                let v = self.expr(value, scope, path)?;
                self.expect_str(&v, path)?;
                let ts = v.to_owned_string();
                quote!((#ts))
            }
            Value::Array(items) => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.property(v, scope, &format!("{path}[{i}]")))
                    .collect::<Result<Vec<_>>>()?;
                quote!([#(#items),*])
            }
            Value::Object(map) => {
                let entries = map
                    .iter()
                    .map(|(k, v)| {
                        let v = self.property(v, scope, &format!("{path}.{k}"))?;
                        Ok(quote!(#k: #v))
                    })
                    .collect::<Result<Vec<_>>>()?;
                quote!({#(#entries),*})
            }
            other => json_tokens(other),
        })
    }

    fn expect_str(&self, v: &Val, path: &str) -> Result<()> {
        if v.ty != Ty::Str {
            return Err(EndpointRulesError::new(
                path,
                format!("expected a string, found {:?}", v.ty),
            ));
        }
        if v.optional {
            return Err(EndpointRulesError::new(
                path,
                "value may be unset here (no `isSet` guards it)",
            ));
        }
        Ok(())
    }

    /// A template string, as `[part, ...].concat()` when it interpolates anything. With `url`,
    /// a region interpolated into the URL's host is first rebound through `region_label`
    /// (statements queued in `pending_checks`), which checks that it is one valid DNS label.
    fn template(&mut self, s: &str, scope: &Scope, path: &str, url: bool) -> Result<Val> {
        let parts = parse_template(s, path)?;
        let mut pieces = Vec::new();
        let mut interpolated = false;
        let mut single = None;
        // 0: scheme, 1: authority, 2: path and after.
        let mut state = if url { 0 } else { 2 };
        let mut seen = String::new();
        let only_one = parts.len() == 1;
        for part in &parts {
            match part {
                Part::Lit(l) => {
                    pieces.push(quote!(#l));
                    for ch in l.chars() {
                        seen.push(ch);
                        if state == 0 && seen.ends_with("://") {
                            state = 1;
                        } else if state == 1 && matches!(ch, '/' | '?' | '#') {
                            state = 2;
                        }
                    }
                }
                Part::Ref { name, path: attr } => {
                    interpolated = true;
                    let var = self.lookup(name, scope, path)?;
                    let v = match attr {
                        Some(a) => self.get_attr(var, a, path)?,
                        None => var,
                    };
                    self.expect_str(&v, path)?;
                    if state == 1 && v.region {
                        // The region goes into the host: it must be one DNS label.
                        self.uses_region_label = true;
                        let ts = &v.ts;
                        let check = quote!(let #ts = region_label(#ts)?;);
                        if !self
                            .pending_checks
                            .iter()
                            .any(|c| c.to_string() == check.to_string())
                        {
                            self.pending_checks.push(check);
                        }
                    }
                    pieces.push(v.as_str());
                    if only_one {
                        single = Some(v);
                    }
                }
            }
        }
        if let Some(v) = single {
            return Ok(v);
        }
        if !interpolated {
            let lit = parts
                .iter()
                .map(|p| match p {
                    Part::Lit(l) => l.as_str(),
                    Part::Ref { .. } => "",
                })
                .collect::<String>();
            return Ok(Val::new(quote!(#lit), Ty::Str));
        }
        let mut v = Val::new(quote!([#(#pieces),*].concat()), Ty::Str);
        v.owned = true;
        Ok(v)
    }

    fn lookup(&mut self, name: &str, scope: &Scope, path: &str) -> Result<Val> {
        let var = scope
            .get(name)
            .ok_or_else(|| EndpointRulesError::new(path, format!("unknown reference `{name}`")))?;
        self.used.insert(var.id);
        let ident = &var.ident;
        let mut v = Val::new(quote!(#ident), var.ty);
        v.optional = var.optional;
        v.owned = var.owned;
        v.region = var.region;
        Ok(v)
    }

    fn get_attr(&mut self, base: Val, attr: &str, path: &str) -> Result<Val> {
        let mut v = base;
        let mut segments = Vec::new();
        for seg in attr.split('.') {
            match seg.split_once('[') {
                Some((name, rest)) => {
                    if !name.is_empty() {
                        segments.push((name.to_owned(), None));
                    }
                    let idx: usize = rest
                        .strip_suffix(']')
                        .and_then(|n| n.parse().ok())
                        .ok_or_else(|| {
                            EndpointRulesError::new(path, format!("bad getAttr path `{attr}`"))
                        })?;
                    segments.push((String::new(), Some(idx)));
                }
                None => segments.push((seg.to_owned(), None)),
            }
        }
        for (name, idx) in segments {
            if v.optional {
                return Err(EndpointRulesError::new(
                    path,
                    format!("not supported: getAttr `{attr}` on a value that may be unset"),
                ));
            }
            let b = &v.ts;
            v = match (v.ty, name.as_str(), idx) {
                (Ty::StrArray, "", Some(i)) => {
                    let i = Literal::usize_unsuffixed(i);
                    Val::new(quote!(#b.get(#i).copied()), Ty::Str).opt()
                }
                (Ty::Partition, field, None) => {
                    let (f, ty) = match field {
                        "name" => ("name", Ty::Str),
                        "dnsSuffix" => ("dns_suffix", Ty::Str),
                        "dualStackDnsSuffix" => ("dual_stack_dns_suffix", Ty::Str),
                        "supportsFIPS" => ("supports_fips", Ty::Bool),
                        "supportsDualStack" => ("supports_dual_stack", Ty::Bool),
                        "implicitGlobalRegion" => ("implicit_global_region", Ty::Str),
                        _ => return Err(unknown_attr(path, attr)),
                    };
                    let f = format_ident!("{}", f);
                    Val::new(quote!(#b.#f), ty)
                }
                (Ty::Url, field, None) => match field {
                    "scheme" => Val::new(quote!(#b.scheme), Ty::Str),
                    "authority" => Val::new(quote!(#b.authority), Ty::Str),
                    "path" => Val::new(quote!(#b.path), Ty::Str),
                    "normalizedPath" => Val::new(quote!(#b.normalized_path.as_str()), Ty::Str),
                    "isIp" => Val::new(quote!(#b.is_ip), Ty::Bool),
                    _ => return Err(unknown_attr(path, attr)),
                },
                (Ty::Arn, field, None) => match field {
                    "partition" => Val::new(quote!(#b.partition), Ty::Str),
                    "service" => Val::new(quote!(#b.service), Ty::Str),
                    "region" => Val::new(quote!(#b.region), Ty::Str),
                    "accountId" => Val::new(quote!(#b.account_id), Ty::Str),
                    "resourceId" => Val::new(quote!(#b.resource_id), Ty::StrArray),
                    _ => return Err(unknown_attr(path, attr)),
                },
                _ => return Err(unknown_attr(path, attr)),
            };
        }
        Ok(v)
    }

    fn expr(&mut self, e: &Value, scope: &Scope, path: &str) -> Result<Val> {
        match e {
            Value::Bool(b) => {
                let mut v = Val::new(quote!(#b), Ty::Bool);
                v.konst = Some(*b);
                Ok(v)
            }
            Value::Number(n) => {
                let n = n.as_u64().ok_or_else(|| {
                    EndpointRulesError::new(path, format!("not supported: number literal {n}"))
                })?;
                let lit = Literal::u64_unsuffixed(n);
                Ok(Val::new(quote!(#lit), Ty::Int))
            }
            Value::String(s) => self.template(s, scope, path, false),
            Value::Object(o) => {
                if let Some(name) = o.get("ref").and_then(Value::as_str) {
                    return self.lookup(name, scope, path);
                }
                let Some(f) = o.get("fn").and_then(Value::as_str) else {
                    return Err(EndpointRulesError::new(path, "expected `ref` or `fn`"));
                };
                let argv = o
                    .get("argv")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                self.call(f, &argv, scope, path)
            }
            other => Err(EndpointRulesError::new(
                path,
                format!("not supported: expression {other}"),
            )),
        }
    }

    fn call(&mut self, f: &str, argv: &[Value], scope: &Scope, path: &str) -> Result<Val> {
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
            args.push(self.expr(a, scope, &format!("{path}.argv[{i}]"))?);
        }
        let need = |v: &Val, ty: Ty, i: usize| -> Result<TokenStream> {
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
            Ok(if ty == Ty::Str {
                v.as_str()
            } else {
                v.ts.clone()
            })
        };
        let lib = quote!(crate::rt::endpoint_lib);
        Ok(match f {
            "isSet" => {
                arity(1)?;
                let a = &args[0];
                if a.optional {
                    let ts = &a.ts;
                    let mut v = Val::new(quote!(#ts.is_some()), Ty::Bool);
                    v.is_set_of = Some(ts.clone());
                    v
                } else {
                    let mut v = Val::new(quote!(true), Ty::Bool);
                    v.konst = Some(true);
                    v
                }
            }
            "not" => {
                arity(1)?;
                let a = &args[0];
                if let Some(inner) = &a.is_set_of {
                    Val::new(quote!(#inner.is_none()), Ty::Bool)
                } else if let Some(k) = a.konst {
                    let mut v = Val::new(if k { quote!(false) } else { quote!(true) }, Ty::Bool);
                    v.konst = Some(!k);
                    v
                } else if a.optional && a.ty == Ty::Bool {
                    let ts = &a.ts;
                    Val::new(quote!(#ts != Some(true)), Ty::Bool)
                } else {
                    let ts = need(a, Ty::Bool, 0)?;
                    Val::new(quote!(!#ts), Ty::Bool)
                }
            }
            "booleanEquals" => {
                arity(2)?;
                let (a, b) = (&args[0], &args[1]);
                for (i, x) in [a, b].into_iter().enumerate() {
                    if x.ty != Ty::Bool {
                        return Err(EndpointRulesError::new(
                            format!("{path}.argv[{i}]"),
                            format!(
                                "argument of `booleanEquals` must be a boolean, found {:?}",
                                x.ty
                            ),
                        ));
                    }
                }
                match (a.konst, b.konst) {
                    (Some(x), Some(y)) => {
                        let mut v =
                            Val::new(if x == y { quote!(true) } else { quote!(false) }, Ty::Bool);
                        v.konst = Some(x == y);
                        v
                    }
                    (Some(k), None) | (None, Some(k)) => {
                        let other = if a.konst.is_some() { b } else { a };
                        let ts = &other.ts;
                        match (other.optional, k) {
                            (true, k) => Val::new(quote!(#ts == Some(#k)), Ty::Bool),
                            (false, true) => Val::new(ts.clone(), Ty::Bool),
                            (false, false) => Val::new(quote!(!#ts), Ty::Bool),
                        }
                    }
                    (None, None) => {
                        let (x, y) = (&a.ts, &b.ts);
                        match (a.optional, b.optional) {
                            (false, false) => Val::new(quote!(#x == #y), Ty::Bool),
                            (true, false) => Val::new(quote!(#x == Some(#y)), Ty::Bool),
                            (false, true) => Val::new(quote!(Some(#x) == #y), Ty::Bool),
                            (true, true) => Val::new(quote!(#x.is_some() && #x == #y), Ty::Bool),
                        }
                    }
                }
            }
            "stringEquals" => {
                arity(2)?;
                let (a, b) = (&args[0], &args[1]);
                for (i, x) in [a, b].into_iter().enumerate() {
                    if x.ty != Ty::Str {
                        return Err(EndpointRulesError::new(
                            format!("{path}.argv[{i}]"),
                            format!(
                                "argument of `stringEquals` must be a string, found {:?}",
                                x.ty
                            ),
                        ));
                    }
                }
                let (x, y) = (a.as_str(), b.as_str());
                match (a.optional, b.optional) {
                    (false, false) => Val::new(quote!(#x == #y), Ty::Bool),
                    (true, false) => Val::new(quote!(#x == Some(#y)), Ty::Bool),
                    (false, true) => Val::new(quote!(Some(#x) == #y), Ty::Bool),
                    (true, true) => Val::new(quote!(#x.is_some() && #x == #y), Ty::Bool),
                }
            }
            "getAttr" => {
                arity(2)?;
                let attr = argv[1].as_str().ok_or_else(|| {
                    EndpointRulesError::new(
                        format!("{path}.argv[1]"),
                        "getAttr path is not a string",
                    )
                })?;
                self.get_attr(args[0].clone(), attr, path)?
            }
            "aws.partition" => {
                arity(1)?;
                let s = need(&args[0], Ty::Str, 0)?;
                self.uses_partition_table = true;
                Val::new(
                    quote!(#lib::aws::partition(#s, partition_table)),
                    Ty::Partition,
                )
                .opt()
            }
            "substring" => {
                arity(4)?;
                let s = need(&args[0], Ty::Str, 0)?;
                let start = need(&args[1], Ty::Int, 1)?;
                let stop = need(&args[2], Ty::Int, 2)?;
                let rev = need(&args[3], Ty::Bool, 3)?;
                Val::new(quote!(#lib::substring(#s, #start, #stop, #rev)), Ty::Str).opt()
            }
            "uriEncode" => {
                arity(1)?;
                let s = need(&args[0], Ty::Str, 0)?;
                let mut v = Val::new(quote!(#lib::uri_encode(#s)), Ty::Str);
                v.owned = true;
                v
            }
            "parseURL" => {
                arity(1)?;
                let s = need(&args[0], Ty::Str, 0)?;
                Val::new(quote!(#lib::parse_url(#s)), Ty::Url).opt()
            }
            "isValidHostLabel" => {
                arity(2)?;
                let s = need(&args[0], Ty::Str, 0)?;
                let b = need(&args[1], Ty::Bool, 1)?;
                Val::new(quote!(#lib::is_valid_host_label(#s, #b)), Ty::Bool)
            }
            "aws.parseArn" => {
                arity(1)?;
                let s = need(&args[0], Ty::Str, 0)?;
                Val::new(quote!(#lib::aws::parse_arn(#s)), Ty::Arn).opt()
            }
            "aws.isVirtualHostableS3Bucket" => {
                arity(2)?;
                let s = need(&args[0], Ty::Str, 0)?;
                let b = need(&args[1], Ty::Bool, 1)?;
                Val::new(
                    quote!(#lib::aws::is_virtual_hostable_s3_bucket(#s, #b)),
                    Ty::Bool,
                )
            }
            other => {
                return Err(EndpointRulesError::new(
                    path,
                    format!("not supported: function `{other}`"),
                ))
            }
        })
    }
}

impl Var {
    fn plain(ident: Ident, ty: Ty, id: usize) -> Self {
        Self {
            ident,
            ty,
            optional: false,
            owned: false,
            id,
            region: false,
        }
    }
}

fn unknown_attr(path: &str, attr: &str) -> EndpointRulesError {
    EndpointRulesError::new(
        path,
        format!("not supported: getAttr path `{attr}` on this value"),
    )
}

fn is_narrowing_is_set(c: &Value, scope: &Scope) -> bool {
    c.get("fn").and_then(Value::as_str) == Some("isSet")
        && c.get("argv")
            .and_then(|a| a.get(0))
            .and_then(|a| a.get("ref"))
            .and_then(Value::as_str)
            .and_then(|n| scope.get(n))
            .is_some_and(|v| v.optional)
}

/// A short human-readable form of an expression, for the resolver's rustdoc outline.
fn describe(e: &Value) -> String {
    match e {
        Value::Object(o) => {
            if let Some(r) = o.get("ref").and_then(Value::as_str) {
                return r.to_owned();
            }
            let f = o.get("fn").and_then(Value::as_str).unwrap_or("?");
            let argv = o
                .get("argv")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if f == "getAttr" && argv.len() == 2 {
                return format!("{}#{}", describe(&argv[0]), argv[1].as_str().unwrap_or("?"));
            }
            let args: Vec<String> = argv.iter().map(describe).collect();
            let call = format!("{f}({})", args.join(", "));
            match o.get("assign").and_then(Value::as_str) {
                Some(a) => format!("{a} = {call}"),
                None => call,
            }
        }
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

fn describe_rules(rules: &[Value], depth: usize, out: &mut String) {
    for rule in rules {
        let indent = "    ".repeat(depth);
        let conds: Vec<String> = rule
            .get("conditions")
            .and_then(Value::as_array)
            .map(|c| c.iter().map(describe).collect())
            .unwrap_or_default();
        let when = if conds.is_empty() {
            "otherwise".to_owned()
        } else {
            format!("if `{}`", conds.join("` and `"))
        };
        let doc = rule
            .get("documentation")
            .and_then(Value::as_str)
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let what = match rule.get("type").and_then(Value::as_str) {
            Some("endpoint") => format!(
                "endpoint `{}`",
                rule.pointer("/endpoint/url")
                    .map(|u| u.as_str().map(str::to_owned).unwrap_or_else(|| describe(u)))
                    .unwrap_or_default()
            ),
            Some("error") => format!(
                "error \"{}\"",
                rule.get("error").and_then(Value::as_str).unwrap_or("?")
            ),
            Some("tree") => "then:".to_owned(),
            other => format!("{other:?}"),
        };
        out.push_str(&format!("{indent}- {when}: {what}{doc}\n"));
        if let Some(sub) = rule.get("rules").and_then(Value::as_array) {
            describe_rules(sub, depth + 1, out);
        }
    }
}
