//! The checked rule set -> Rust: parameters become locals, conditions nested `if` / `if let`,
//! rules early returns. Types come from the IR; this only decides how values are held (borrowed
//! or owned, constants folded, names bound only when used).

use super::json_tokens;
use crate::ir::endpoint::rules::{
    Attr, Condition, Expr, ExprKind, Field, Function, ParamType, Property, Rule, RuleOutcome,
    RuleSet, Source, Template, TemplatePart, ValueType as Ty,
};
use heck::ToSnakeCase;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use std::collections::{HashMap, HashSet};

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
    /// For a comparison: its negation (`a != b`), so `not` never writes `!a == b`.
    negated: Option<TokenStream>,
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
            negated: None,
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

/// The resolver functions of `src/endpoint/mod.rs`, compiled from the rule set.
pub(super) fn tokens(rules: &RuleSet) -> TokenStream {
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
        let var = Var {
            ident: rust_ident(&p.name),
            ty: p.ty.value_type(),
            optional: p.optional(),
            // A string array parameter holds `String`s (an ARN's resource id holds `&str`s).
            owned: p.ty == ParamType::StringArray,
            id,
            region: p.source == Source::Region,
        };
        scope.insert(p.name.clone(), var.clone());
        param_vars.push((p, var));
    }
    let (body, terminal) = c.rules(&rules.rules, &scope, true);
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
        let field = super::params::field(p);
        let (value, ty) = match (p.ty, p.plain()) {
            (ParamType::String, true) => (quote!(params.#field.as_str()), quote!(&str)),
            (ParamType::String, false) => (quote!(params.#field.as_deref()), quote!(Option<&str>)),
            (ParamType::Boolean, true) => (quote!(params.#field), quote!(bool)),
            (ParamType::Boolean, false) => (quote!(params.#field), quote!(Option<bool>)),
            (ParamType::StringArray, true) => (quote!(params.#field.as_slice()), quote!(&[String])),
            (ParamType::StringArray, false) => {
                (quote!(params.#field.as_deref()), quote!(Option<&[String]>))
            }
        };
        let used = c.used.contains(&var.id);
        param_docs.push(format!(
            "- `{name}` (`params.{}`{}): {}",
            p.field,
            match p.source.built_in() {
                Some(built_in) => format!(", built-in `{built_in}`"),
                None => String::new(),
            },
            p.doc.as_deref().unwrap_or("(undocumented)")
        ));
        if p.required && !p.plain() {
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
        } else if used {
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
    quote! {
        use crate::rt::{EndpointError, ResolvedEndpoint};
        use crate::rt::endpoint_lib::aws::PartitionTable;

        #[doc = " Resolves the endpoint for `params` with the partition data shipped with this client."]
        pub fn resolve_endpoint(params: &Params) -> Result<ResolvedEndpoint, EndpointError> {
            resolve_endpoint_with(params, &partitions::PARTITIONS)
        }

        #[doc = " Resolves the endpoint for `params` against the given partition data."]
        #[doc = ""]
        #(#outline_docs)*
        pub fn resolve_endpoint_with(
            params: &Params,
            #table: &PartitionTable,
        ) -> Result<ResolvedEndpoint, EndpointError> {
            #(#prelude)*
            #body
            #fallback
        }

        #region_label
    }
}

impl Compiler {
    fn fresh(&mut self) -> usize {
        self.next_id += 1;
        self.next_id
    }

    /// A list of rules. Returns the code and whether it always returns (then nothing after it
    /// is reachable). With `tail`, an unconditional last rule is emitted as the tail expression.
    fn rules(&mut self, rules: &[Rule], scope: &Scope, tail: bool) -> (TokenStream, bool) {
        let mut out = TokenStream::new();
        for rule in rules {
            let (code, terminal) = self.conditions(&rule.conditions, 0, scope, rule, tail);
            out.extend(code);
            if terminal {
                // Later rules can never be reached.
                return (out, true);
            }
        }
        (out, false)
    }

    fn conditions(
        &mut self,
        conds: &[Condition],
        i: usize,
        scope: &Scope,
        rule: &Rule,
        tail: bool,
    ) -> (TokenStream, bool) {
        let Some(cond) = conds.get(i) else {
            return self.body(rule, scope, tail);
        };
        let assign = cond.assign.as_deref();

        // `isSet(ref)` on an optional variable: narrow it with `if let`.
        if let (None, Some(name)) = (assign, is_set_ref(&cond.expr)) {
            if let Some(var) = scope.get(name).filter(|v| v.optional).cloned() {
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
                let (inner, _) = self.conditions(conds, i + 1, &inner_scope, rule, false);
                let ident = &var.ident;
                let code = if self.used.contains(&id) {
                    quote!(if let Some(#ident) = #ident { #inner })
                } else {
                    quote!(if #ident.is_some() { #inner })
                };
                return (code, false);
            }
        }

        // A run of plain boolean conditions becomes one `if a && b`.
        if assign.is_none() {
            let mut bools = Vec::new();
            let mut j = i;
            while let Some(c) = conds.get(j) {
                if c.assign.is_some() {
                    break;
                }
                let v = self.expr(&c.expr, scope);
                if v.ty != Ty::Bool || v.optional || is_narrowing_is_set(&c.expr, scope) {
                    break;
                }
                bools.push(v);
                j += 1;
            }
            if !bools.is_empty() {
                if bools.iter().any(|b| b.konst == Some(false)) {
                    return (TokenStream::new(), false);
                }
                let live: Vec<TokenStream> = bools
                    .iter()
                    .filter(|b| b.konst != Some(true))
                    .map(|b| b.ts.clone())
                    .collect();
                if live.is_empty() {
                    return self.conditions(conds, j, scope, rule, tail);
                }
                let (inner, _) = self.conditions(conds, j, scope, rule, false);
                return (quote!(if #(#live)&&* { #inner }), false);
            }
        }

        let v = self.expr(&cond.expr, scope);
        match (v.ty, v.optional, assign) {
            (Ty::Bool, false, Some(name)) => {
                let id = self.fresh();
                let ident = rust_ident(name);
                let mut inner_scope = scope.clone();
                inner_scope.insert(name.to_owned(), Var::plain(ident.clone(), Ty::Bool, id));
                let (inner, _) = self.conditions(conds, i + 1, &inner_scope, rule, false);
                let ts = &v.ts;
                (quote!(if #ts { let #ident = true; #inner }), false)
            }
            (Ty::Bool, true, assign) => {
                // Holds only when set and true; an assigned name is then `true`.
                let mut inner_scope = scope.clone();
                let bound = assign.map(|name| {
                    let id = self.fresh();
                    let ident = rust_ident(name);
                    inner_scope.insert(name.to_owned(), Var::plain(ident.clone(), Ty::Bool, id));
                    (ident, id)
                });
                let (inner, _) = self.conditions(conds, i + 1, &inner_scope, rule, false);
                let binding = bound
                    .filter(|(_, id)| self.used.contains(id))
                    .map(|(ident, _)| quote!(let #ident = true;));
                let ts = &v.ts;
                (quote!(if #ts == Some(true) { #binding #inner }), false)
            }
            (ty, true, Some(name)) => {
                let id = self.fresh();
                let ident = rust_ident(name);
                let mut inner_scope = scope.clone();
                inner_scope.insert(name.to_owned(), Var::plain(ident.clone(), ty, id));
                let (inner, _) = self.conditions(conds, i + 1, &inner_scope, rule, false);
                let ts = &v.ts;
                let code = if self.used.contains(&id) {
                    quote!(if let Some(#ident) = #ts { #inner })
                } else {
                    quote!(if #ts.is_some() { #inner })
                };
                (code, false)
            }
            (_, true, None) => {
                let (inner, _) = self.conditions(conds, i + 1, scope, rule, false);
                let ts = &v.ts;
                (quote!(if #ts.is_some() { #inner }), false)
            }
            (ty, false, Some(name)) => {
                // Always set: just bind it.
                let id = self.fresh();
                let ident = rust_ident(name);
                let mut inner_scope = scope.clone();
                let mut var = Var::plain(ident.clone(), ty, id);
                var.owned = v.owned;
                inner_scope.insert(name.to_owned(), var);
                let (inner, terminal) = self.conditions(conds, i + 1, &inner_scope, rule, tail);
                let ts = &v.ts;
                if self.used.contains(&id) {
                    (quote!({ let #ident = #ts; #inner }), terminal)
                } else {
                    (inner, terminal)
                }
            }
            (_, false, None) => self.conditions(conds, i + 1, scope, rule, tail),
        }
    }

    /// The rule's outcome once its conditions hold.
    fn body(&mut self, rule: &Rule, scope: &Scope, tail: bool) -> (TokenStream, bool) {
        let ret = |value: TokenStream| {
            if tail {
                value
            } else {
                quote!(return #value;)
            }
        };
        match &rule.outcome {
            RuleOutcome::Endpoint(endpoint) => {
                let url = match &endpoint.url.kind {
                    ExprKind::Template(template) => self.template(template, scope, true),
                    _ => self.expr(&endpoint.url, scope),
                };
                let url_ts = url.to_owned_string();
                let headers: Vec<TokenStream> = endpoint
                    .headers
                    .iter()
                    .map(|(name, values)| {
                        let vs: Vec<TokenStream> = values
                            .iter()
                            .map(|v| self.expr(v, scope).to_owned_string())
                            .collect();
                        quote!((#name.to_string(), vec![#(#vs),*]))
                    })
                    .collect();
                let properties: Vec<TokenStream> = endpoint
                    .properties
                    .iter()
                    .map(|(name, value)| {
                        let v = self.property(value, scope);
                        quote!((#name.to_string(), serde_json::json!(#v)))
                    })
                    .collect();
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
                (quote!(#(#checks)* #ret), true)
            }
            RuleOutcome::Error(message) => {
                let msg = self.expr(message, scope);
                let ts = if msg.owned {
                    msg.ts.clone()
                } else {
                    msg.as_str()
                };
                (ret(quote!(Err(EndpointError::new(#ts)))), true)
            }
            RuleOutcome::Tree(sub) => {
                let (code, terminal) = self.rules(sub, scope, tail);
                if terminal {
                    return (code, true);
                }
                // A tree rule whose conditions hold is final: no sub-rule matching is an error.
                let message = format!(
                    "No endpoint rule matched the given parameters (tree rule `{}`)",
                    rule.path
                );
                let fallback = ret(quote!(Err(EndpointError::new(#message))));
                (quote!(#code #fallback), true)
            }
        }
    }

    /// An endpoint property value: JSON with templates in its strings.
    fn property(&mut self, value: &Property, scope: &Scope) -> TokenStream {
        match value {
            Property::Template(e) => {
                let ts = self.expr(e, scope).to_owned_string();
                quote!((#ts))
            }
            Property::Array(items) => {
                let items: Vec<TokenStream> =
                    items.iter().map(|v| self.property(v, scope)).collect();
                quote!([#(#items),*])
            }
            Property::Object(entries) => {
                let entries: Vec<TokenStream> = entries
                    .iter()
                    .map(|(k, v)| {
                        let v = self.property(v, scope);
                        quote!(#k: #v)
                    })
                    .collect();
                quote!({#(#entries),*})
            }
            Property::Literal(other) => json_tokens(other),
        }
    }

    /// A template string, as `[part, ...].concat()` when it interpolates anything. With `url`,
    /// a region interpolated into the URL's host is first rebound through `region_label`
    /// (statements queued in `pending_checks`), which checks that it is one valid DNS label.
    fn template(&mut self, template: &Template, scope: &Scope, url: bool) -> Val {
        let parts = &template.parts;
        let mut pieces = Vec::new();
        let mut interpolated = false;
        let mut single = None;
        // 0: scheme, 1: authority, 2: path and after.
        let mut state = if url { 0 } else { 2 };
        let mut seen = String::new();
        let only_one = parts.len() == 1;
        for part in parts {
            match part {
                TemplatePart::Literal(l) => {
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
                TemplatePart::Value { name, steps } => {
                    interpolated = true;
                    let var = self.lookup(name, scope);
                    let v = self.get_attr(var, steps);
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
            return v;
        }
        if !interpolated {
            let lit = parts
                .iter()
                .map(|p| match p {
                    TemplatePart::Literal(l) => l.as_str(),
                    TemplatePart::Value { .. } => "",
                })
                .collect::<String>();
            return Val::new(quote!(#lit), Ty::Str);
        }
        let mut v = Val::new(quote!([#(#pieces),*].concat()), Ty::Str);
        v.owned = true;
        v
    }

    /// A name in scope (the IR checked that it is).
    fn lookup(&mut self, name: &str, scope: &Scope) -> Val {
        let Some(var) = scope.get(name) else {
            let ident = rust_ident(name);
            return Val::new(quote!(#ident), Ty::Str);
        };
        self.used.insert(var.id);
        let ident = &var.ident;
        let mut v = Val::new(quote!(#ident), var.ty);
        v.optional = var.optional;
        v.owned = var.owned;
        v.region = var.region;
        v
    }

    fn get_attr(&mut self, base: Val, steps: &[Attr]) -> Val {
        let mut v = base;
        for step in steps {
            let b = &v.ts;
            v = match step {
                Attr::Index(index) => {
                    let i = Literal::usize_unsuffixed(*index);
                    let get = if *index == 0 {
                        quote!(first())
                    } else {
                        quote!(get(#i))
                    };
                    if v.owned {
                        // A string array parameter: `&[String]`.
                        Val::new(quote!(#b.#get.map(String::as_str)), Ty::Str).opt()
                    } else {
                        Val::new(quote!(#b.#get.copied()), Ty::Str).opt()
                    }
                }
                Attr::Field(field) => {
                    let (f, ty) = match field {
                        Field::PartitionName => (quote!(name), Ty::Str),
                        Field::PartitionDnsSuffix => (quote!(dns_suffix), Ty::Str),
                        Field::PartitionDualStackDnsSuffix => {
                            (quote!(dual_stack_dns_suffix), Ty::Str)
                        }
                        Field::PartitionSupportsFips => (quote!(supports_fips), Ty::Bool),
                        Field::PartitionSupportsDualStack => {
                            (quote!(supports_dual_stack), Ty::Bool)
                        }
                        Field::PartitionImplicitGlobalRegion => {
                            (quote!(implicit_global_region), Ty::Str)
                        }
                        Field::UrlScheme => (quote!(scheme), Ty::Str),
                        Field::UrlAuthority => (quote!(authority), Ty::Str),
                        Field::UrlPath => (quote!(path), Ty::Str),
                        Field::UrlNormalizedPath => (quote!(normalized_path.as_str()), Ty::Str),
                        Field::UrlIsIp => (quote!(is_ip), Ty::Bool),
                        Field::ArnPartition => (quote!(partition), Ty::Str),
                        Field::ArnService => (quote!(service), Ty::Str),
                        Field::ArnRegion => (quote!(region), Ty::Str),
                        Field::ArnAccountId => (quote!(account_id), Ty::Str),
                        Field::ArnResourceId => (quote!(resource_id), Ty::StrArray),
                    };
                    Val::new(quote!(#b.#f), ty)
                }
            };
        }
        v
    }

    fn expr(&mut self, e: &Expr, scope: &Scope) -> Val {
        match &e.kind {
            ExprKind::Bool(b) => {
                let mut v = Val::new(quote!(#b), Ty::Bool);
                v.konst = Some(*b);
                v
            }
            ExprKind::Int(n) => {
                let lit = Literal::u64_unsuffixed(*n);
                Val::new(quote!(#lit), Ty::Int)
            }
            ExprKind::Template(template) => self.template(template, scope, false),
            ExprKind::Ref(name) => self.lookup(name, scope),
            ExprKind::GetAttr { base, steps, .. } => {
                let base = self.expr(base, scope);
                self.get_attr(base, steps)
            }
            ExprKind::Call { function, args } => self.call(*function, args, scope),
        }
    }

    fn call(&mut self, f: Function, argv: &[Expr], scope: &Scope) -> Val {
        let args: Vec<Val> = argv.iter().map(|a| self.expr(a, scope)).collect();
        // The IR checked arity and types: `arg(i)` is there and of the type the function takes.
        let arg = |i: usize| -> TokenStream {
            match args.get(i) {
                Some(v) if v.ty == Ty::Str => v.as_str(),
                Some(v) => v.ts.clone(),
                None => TokenStream::new(),
            }
        };
        let lib = quote!(crate::rt::endpoint_lib);
        match f {
            Function::IsSet => match args.first() {
                Some(a) if a.optional => {
                    let ts = &a.ts;
                    let mut v = Val::new(quote!(#ts.is_some()), Ty::Bool);
                    v.is_set_of = Some(ts.clone());
                    v
                }
                _ => {
                    let mut v = Val::new(quote!(true), Ty::Bool);
                    v.konst = Some(true);
                    v
                }
            },
            Function::Not => {
                let Some(a) = args.first() else {
                    return Val::new(quote!(false), Ty::Bool);
                };
                if let Some(inner) = &a.is_set_of {
                    Val::new(quote!(#inner.is_none()), Ty::Bool)
                } else if let Some(negated) = &a.negated {
                    Val::new(negated.clone(), Ty::Bool)
                } else if let Some(k) = a.konst {
                    let mut v = Val::new(if k { quote!(false) } else { quote!(true) }, Ty::Bool);
                    v.konst = Some(!k);
                    v
                } else if a.optional && a.ty == Ty::Bool {
                    let ts = &a.ts;
                    Val::new(quote!(#ts != Some(true)), Ty::Bool)
                } else {
                    let ts = &a.ts;
                    Val::new(quote!(!#ts), Ty::Bool)
                }
            }
            Function::BooleanEquals => {
                let [a, b] = args.as_slice() else {
                    return Val::new(quote!(false), Ty::Bool);
                };
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
                            (true, k) => {
                                let mut v = Val::new(quote!(#ts == Some(#k)), Ty::Bool);
                                v.negated = Some(quote!(#ts != Some(#k)));
                                v
                            }
                            (false, true) => {
                                let mut v = Val::new(ts.clone(), Ty::Bool);
                                v.negated = other.negated.clone();
                                v
                            }
                            (false, false) => match &other.negated {
                                Some(negated) => {
                                    let mut v = Val::new(negated.clone(), Ty::Bool);
                                    v.negated = Some(ts.clone());
                                    v
                                }
                                None => {
                                    let mut v = Val::new(quote!(!#ts), Ty::Bool);
                                    v.negated = Some(ts.clone());
                                    v
                                }
                            },
                        }
                    }
                    (None, None) => {
                        let (x, y) = (&a.ts, &b.ts);
                        equality(x, a.optional, y, b.optional)
                    }
                }
            }
            Function::StringEquals => {
                let [a, b] = args.as_slice() else {
                    return Val::new(quote!(false), Ty::Bool);
                };
                // `x == ""` is `x.is_empty()` (clippy::comparison_to_empty).
                let empty = |v: &Val| v.ts.to_string() == "\"\"";
                let other = match (empty(a), empty(b)) {
                    (true, false) => Some(b),
                    (false, true) => Some(a),
                    _ => None,
                };
                if let Some(x) = other.filter(|x| !x.optional) {
                    let ts = x.as_str();
                    let mut v = Val::new(quote!(#ts.is_empty()), Ty::Bool);
                    v.negated = Some(quote!(!#ts.is_empty()));
                    return v;
                }
                equality(&a.as_str(), a.optional, &b.as_str(), b.optional)
            }
            Function::AwsPartition => {
                let s = arg(0);
                self.uses_partition_table = true;
                Val::new(
                    quote!(#lib::aws::partition(#s, partition_table)),
                    Ty::Partition,
                )
                .opt()
            }
            Function::Substring => {
                let (s, start, stop, rev) = (arg(0), arg(1), arg(2), arg(3));
                Val::new(quote!(#lib::substring(#s, #start, #stop, #rev)), Ty::Str).opt()
            }
            Function::UriEncode => {
                let s = arg(0);
                let mut v = Val::new(quote!(#lib::uri_encode(#s)), Ty::Str);
                v.owned = true;
                v
            }
            Function::ParseUrl => {
                let s = arg(0);
                Val::new(quote!(#lib::parse_url(#s)), Ty::Url).opt()
            }
            Function::IsValidHostLabel => {
                let (s, b) = (arg(0), arg(1));
                Val::new(quote!(#lib::is_valid_host_label(#s, #b)), Ty::Bool)
            }
            Function::AwsParseArn => {
                let s = arg(0);
                Val::new(quote!(#lib::aws::parse_arn(#s)), Ty::Arn).opt()
            }
            Function::AwsIsVirtualHostableS3Bucket => {
                let (s, b) = (arg(0), arg(1));
                Val::new(
                    quote!(#lib::aws::is_virtual_hostable_s3_bucket(#s, #b)),
                    Ty::Bool,
                )
            }
        }
    }
}

/// `x == y` for two values that may be unset: both unset is not equal.
fn equality(x: &TokenStream, x_optional: bool, y: &TokenStream, y_optional: bool) -> Val {
    let (eq, ne) = match (x_optional, y_optional) {
        (false, false) => (quote!(#x == #y), quote!(#x != #y)),
        (true, false) => (quote!(#x == Some(#y)), quote!(#x != Some(#y))),
        (false, true) => (quote!(Some(#x) == #y), quote!(Some(#x) != #y)),
        (true, true) => (
            quote!(#x.is_some() && #x == #y),
            quote!(#x.is_none() || #x != #y),
        ),
    };
    let mut v = Val::new(eq, Ty::Bool);
    v.negated = Some(ne);
    v
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

/// `name` when `e` is `isSet(name)`.
fn is_set_ref(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Call {
            function: Function::IsSet,
            args,
        } => match args.first().map(|a| &a.kind) {
            Some(ExprKind::Ref(name)) => Some(name),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `e` is `isSet(name)` of a name that may be unset here (it narrows the name).
fn is_narrowing_is_set(e: &Expr, scope: &Scope) -> bool {
    is_set_ref(e)
        .and_then(|name| scope.get(name))
        .is_some_and(|v| v.optional)
}

/// A short human-readable form of an expression, for the resolver's rustdoc outline.
fn describe(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Ref(name) => name.clone(),
        ExprKind::GetAttr { base, path, .. } => format!("{}#{path}", describe(base)),
        ExprKind::Call { function, args } => {
            let args: Vec<String> = args.iter().map(describe).collect();
            format!("{}({})", function.name(), args.join(", "))
        }
        ExprKind::Template(template) => format!("\"{}\"", template.text),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Int(n) => n.to_string(),
    }
}

/// A condition for the outline: `name = f(...)` when a call's value is assigned.
fn describe_condition(c: &Condition) -> String {
    match (&c.expr.kind, &c.assign) {
        (ExprKind::Call { .. }, Some(name)) => format!("{name} = {}", describe(&c.expr)),
        _ => describe(&c.expr),
    }
}

fn describe_rules(rules: &[Rule], depth: usize, out: &mut String) {
    for rule in rules {
        let indent = "    ".repeat(depth);
        let conds: Vec<String> = rule.conditions.iter().map(describe_condition).collect();
        let when = if conds.is_empty() {
            "otherwise".to_owned()
        } else {
            format!("if `{}`", conds.join("` and `"))
        };
        let doc = rule
            .documentation
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let what = match &rule.outcome {
            RuleOutcome::Endpoint(endpoint) => format!(
                "endpoint `{}`",
                match &endpoint.url.kind {
                    ExprKind::Template(template) => template.text.clone(),
                    _ => describe(&endpoint.url),
                }
            ),
            RuleOutcome::Error(message) => format!(
                "error \"{}\"",
                match &message.kind {
                    ExprKind::Template(template) => template.text.as_str(),
                    _ => "?",
                }
            ),
            RuleOutcome::Tree(_) => "then:".to_owned(),
        };
        out.push_str(&format!("{indent}- {when}: {what}{doc}\n"));
        if let RuleOutcome::Tree(sub) = &rule.outcome {
            describe_rules(sub, depth + 1, out);
        }
    }
}
