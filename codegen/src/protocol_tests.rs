//! Protocol compliance tests: a pipeline of its own beside the crate's (it resolves and lowers
//! the service, then reads the test-case traits from the model). It turns the `smithy.test#httpRequestTests` and
//! `smithy.test#httpResponseTests` cases of a service's operations and errors into Rust tests
//! that run against the generated client.
//!
//! Each case becomes a function `case_<id>()` that builds the input (or the expected output or
//! error) from the case's `params` through the generated builders, sends the input through the
//! whole client (endpoint, host prefix, compression, checksums, signing) to a capturing HTTP
//! client or runs the operation's `deserialize`, and compares with the case through the test
//! crate's `support` module; plus a `#[test]` calling it, and an entry in `CASES` so a report
//! can count them.
//! Cases listed as not supported are not generated, and the list is checked: every id it names
//! must be a case of the model.
//!
//! The generated file expects, in the including test crate, a `support` module with
//! `ExpectedRequest`, `send` and `assert_request`; when the service has response cases, a
//! `responses` module with `response`, `assert_same` and `unexpected`; and when error cases
//! give the expected error code as vendor parameters (query-compatible services), an
//! `error_codes` module with `assert_error_code`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use serde_json::Value;

use crate::emit::build_is_fallible;
use crate::error::{CodegenError, Result};
use crate::ir::names::{snake, unraw};
use crate::ir::{EnumIr, MemberIr, NamedKind, OperationIr, RustType, StructIr, UnionIr};
use crate::model::Model;

const REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
const RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";
/// Event stream cases: never generated (event streams are not supported), but counted, so that
/// the cases of the operations a suite leaves out must be listed as not supported.
const EVENT_STREAM_TESTS: &str = "smithy.test#eventStreamTests";

/// The cases that cannot run, each with its reason: lines of `CaseId  reason` (blank lines and
/// `#` comments ignored).
#[derive(Debug, Clone, Default)]
pub struct NotSupported {
    entries: BTreeMap<String, String>,
}

impl NotSupported {
    /// Parses the list; fails on a line without a reason or on a repeated id.
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        let mut entries = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (id, reason) = line
                .split_once(char::is_whitespace)
                .map(|(id, reason)| (id, reason.trim()))
                .filter(|(_, reason)| !reason.is_empty())
                .ok_or_else(|| format!("line {}: expected `CaseId  reason`", n + 1))?;
            if entries.insert(id.to_owned(), reason.to_owned()).is_some() {
                return Err(format!("line {}: `{id}` is listed twice", n + 1));
            }
        }
        Ok(NotSupported { entries })
    }

    /// The reason `id` is not supported, if it is listed.
    pub fn reason(&self, id: &str) -> Option<&str> {
        self.entries.get(id).map(String::as_str)
    }
}

/// The generated test file and its counts.
#[derive(Debug, Clone)]
pub struct Suite {
    /// Rust source: the case functions, their `#[test]`s, `CASES` and `NOT_SUPPORTED`.
    pub source: String,
    /// Client request cases generated.
    pub request_cases: usize,
    /// Client response cases generated (operations and errors).
    pub response_cases: usize,
    /// Cases listed as not supported.
    pub not_supported: usize,
}

/// Generates the compliance tests of `service` in `model`, for a generated client crate that
/// the tests name `crate_name`.
pub fn generate(
    model: Model,
    service: &str,
    crate_name: &str,
    not_supported: &NotSupported,
) -> Result<Suite> {
    let all_ids = case_ids(&model);
    for id in not_supported.entries.keys() {
        if !all_ids.contains(id) {
            return Err(CodegenError::model(
                "",
                service,
                format!(
                    "the not-supported list names `{id}`, which is not a test case of the model"
                ),
            ));
        }
    }
    let graph = crate::shapes::resolve(model, service)?;
    let ir = crate::ir::lower(&graph, &crate::ir::LowerInputs::new(crate_name, "0.0.0"))?;
    // The cases of the service's protocol (a model may hold cases of several).
    let protocol = ir.protocol.protocol.trait_id();
    let mut gen = Generator {
        crate_name,
        structs: HashMap::new(),
        unions: HashMap::new(),
        enums: HashMap::new(),
        deprecated_used: false,
    };
    for s in ir
        .structures
        .iter()
        .chain(&ir.errors)
        .chain(ir.operations.iter().flat_map(|op| [&op.input, &op.output]))
    {
        gen.structs.insert(s.path(), s);
    }
    for u in &ir.unions {
        gen.unions.insert(u.shape_id.clone(), u);
    }
    for e in &ir.enums {
        gen.enums.insert(e.shape_id.clone(), e);
    }

    let mut out = String::from(
        "// Code generated by smithy-rust-codegen from the model's protocol test cases. DO NOT EDIT.\n",
    );
    let mut cases: Vec<(String, String)> = Vec::new();
    let mut request_cases = 0;
    let mut response_cases = 0;
    let mut skipped = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut emit = |out: &mut String,
                    id: &str,
                    body: std::result::Result<String, String>,
                    deprecated: bool| {
        let mut name = snake(id);
        while !names.insert(name.clone()) {
            name.push('_');
        }
        let body = body.map_err(|message| CodegenError::model("", id, message))?;
        let allow = if deprecated {
            "#[allow(deprecated)]\n"
        } else {
            ""
        };
        let _ = write!(
            out,
            "/// The `{id}` case.\n{allow}pub fn case_{name}() {{\n{body}}}\n#[test]\nfn {name}() {{\n    case_{name}();\n}}\n"
        );
        cases.push((id.to_owned(), format!("case_{name}")));
        Ok::<(), CodegenError>(())
    };

    for op in &ir.operations {
        let Some(shape) = graph.model.shape(&op.shape_id) else {
            continue;
        };
        for case in client_cases(shape.traits.get(REQUEST_TESTS), protocol) {
            let id = case_id(case);
            if not_supported.reason(id).is_some() {
                skipped.insert(id.to_owned());
                continue;
            }
            gen.deprecated_used = false;
            let body = gen.request_case(op, case);
            emit(&mut out, id, body, gen.deprecated_used)?;
            request_cases += 1;
        }
        for case in client_cases(shape.traits.get(RESPONSE_TESTS), protocol) {
            let id = case_id(case);
            if not_supported.reason(id).is_some() {
                skipped.insert(id.to_owned());
                continue;
            }
            gen.deprecated_used = false;
            let body = gen.response_case(op, case);
            emit(&mut out, id, body, gen.deprecated_used)?;
            response_cases += 1;
        }
    }
    // Error cases: run through the first operation (by name) that can return the error.
    for error in &ir.errors {
        let Some(shape) = graph.model.shape(&error.shape_id) else {
            continue;
        };
        let Some((op, variant)) = ir.operations.iter().find_map(|op| {
            op.errors
                .iter()
                .find(|e| e.shape_id == error.shape_id)
                .map(|e| (op, e.variant.as_str()))
        }) else {
            continue;
        };
        for case in client_cases(shape.traits.get(RESPONSE_TESTS), protocol) {
            let id = case_id(case);
            if not_supported.reason(id).is_some() {
                skipped.insert(id.to_owned());
                continue;
            }
            gen.deprecated_used = false;
            let body = gen.error_case(op, error, variant, case);
            emit(&mut out, id, body, gen.deprecated_used)?;
            response_cases += 1;
        }
    }

    out.push_str("/// Every generated case: its id and its function.\npub const CASES: &[(&str, fn())] = &[\n");
    for (id, function) in &cases {
        let _ = writeln!(out, "    ({id:?}, {function}),");
    }
    out.push_str("];\n/// The cases listed as not supported, with their reasons.\npub const NOT_SUPPORTED: &[(&str, &str)] = &[\n");
    for (id, reason) in &not_supported.entries {
        let _ = writeln!(out, "    ({id:?}, {reason:?}),");
    }
    out.push_str("];\n");
    let source = match syn::parse_file(&out) {
        Ok(file) => prettyplease::unparse(&file),
        Err(err) => {
            return Err(CodegenError::Emit {
                file: "protocol tests".to_owned(),
                message: err.to_string(),
            })
        }
    };
    Ok(Suite {
        source,
        request_cases,
        response_cases,
        not_supported: not_supported.entries.len(),
    })
}

/// The ids of the client cases (requests, responses and event streams) of the shape `shape` in
/// `model` for the protocol whose trait is `protocol` (see [`service_protocol`]).
pub fn client_case_ids(model: &Model, shape: &str, protocol: &str) -> Vec<String> {
    let Some(shape) = model.shape(shape) else {
        return Vec::new();
    };
    [REQUEST_TESTS, RESPONSE_TESTS, EVENT_STREAM_TESTS]
        .into_iter()
        .flat_map(|t| client_cases(shape.traits.get(t), protocol))
        .map(|case| case_id(case).to_owned())
        .collect()
}

/// The trait id of the protocol the generator uses for `service` (the one whose cases run).
pub fn service_protocol(model: &Model, service: &str) -> Option<&'static str> {
    let shape = model.shape(service)?;
    crate::ir::Protocol::select(|id| shape.traits.has(id)).map(crate::ir::Protocol::trait_id)
}

/// Every test case id of the model (any shape, any protocol, any `appliesTo`).
fn case_ids(model: &Model) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for shape in model.shapes.values() {
        for trait_id in [
            REQUEST_TESTS,
            RESPONSE_TESTS,
            EVENT_STREAM_TESTS,
            "smithy.test#httpMalformedRequestTests",
        ] {
            if let Some(Value::Array(cases)) = shape.traits.get(trait_id) {
                ids.extend(
                    cases
                        .iter()
                        .filter_map(|c| c.get("id").and_then(Value::as_str))
                        .map(str::to_owned),
                );
            }
        }
    }
    ids
}

/// The cases of a test trait that apply to clients of `protocol` (a trait id).
fn client_cases<'a>(
    cases: Option<&'a Value>,
    protocol: &'a str,
) -> impl Iterator<Item = &'a Value> + 'a {
    cases
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(move |case| {
            let applies = case.get("appliesTo").and_then(Value::as_str);
            let case_protocol = case.get("protocol").and_then(Value::as_str);
            !matches!(applies, Some(a) if a != "client") && case_protocol == Some(protocol)
        })
}

fn case_id(case: &Value) -> &str {
    case.get("id").and_then(Value::as_str).unwrap_or("")
}

fn str_field<'a>(case: &'a Value, key: &str) -> Option<&'a str> {
    case.get(key).and_then(Value::as_str)
}

fn str_list(case: &Value, key: &str) -> String {
    let items: Vec<String> = case
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|s| format!("{s:?}"))
        .collect();
    format!("&[{}]", items.join(", "))
}

fn str_map(case: &Value, key: &str) -> String {
    let items: Vec<String> = case
        .get(key)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("({k:?}, {:?})", v.as_str().unwrap_or_default()))
        .collect();
    format!("&[{}]", items.join(", "))
}

/// The body of a case as bytes: CBOR bodies (`bodyMediaType: "application/cbor"`) are given
/// in base64, the others as text.
fn body_bytes(case: &Value) -> Gen<Option<Vec<u8>>> {
    use base64::Engine as _;
    let Some(body) = str_field(case, "body") else {
        return Ok(None);
    };
    if str_field(case, "bodyMediaType") == Some("application/cbor") {
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .map(Some)
            .map_err(|err| format!("the CBOR body is not base64: {err}"))
    } else {
        Ok(Some(body.as_bytes().to_vec()))
    }
}

/// A byte string literal (`b"..."`) of `bytes`.
fn byte_string(bytes: &[u8]) -> String {
    let mut out = String::from("b\"");
    for &b in bytes {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b' '..=b'~' => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out.push('"');
    out
}

fn opt_str(value: Option<&str>) -> String {
    match value {
        Some(s) => format!("Some({s:?})"),
        None => "None".to_owned(),
    }
}

type Gen<T> = std::result::Result<T, String>;

struct Generator<'a> {
    crate_name: &'a str,
    structs: HashMap<String, &'a StructIr>,
    unions: HashMap<String, &'a UnionIr>,
    enums: HashMap<String, &'a EnumIr>,
    deprecated_used: bool,
}

impl Generator<'_> {
    /// A path of the generated crate as the tests name it.
    fn path(&self, path: &str) -> String {
        match path.strip_prefix("crate::") {
            Some(rest) => format!("{}::{rest}", self.crate_name),
            None => path.to_owned(),
        }
    }

    fn operation_path(&self, op: &OperationIr) -> String {
        format!("{}::operation::{}::{}", self.crate_name, op.module, op.name)
    }

    fn request_case(&mut self, op: &OperationIr, case: &Value) -> Gen<String> {
        let params = case
            .get("params")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        let input = self.structure(&op.input, &params)?;
        let op_path = self.operation_path(op);
        let body = match body_bytes(case)? {
            Some(body) => format!("Some({})", byte_string(&body)),
            None => "None".to_owned(),
        };
        Ok(format!(
            "let input = {input};\n\
             let request = crate::support::send::<{op_path}>(input, {host});\n\
             crate::support::assert_request(&request, &crate::support::ExpectedRequest {{\n\
               method: {method:?}, uri: {uri:?}, host: {host}, resolved_host: {resolved},\n\
               query_params: {qp}, forbid_query_params: {fqp}, require_query_params: {rqp},\n\
               headers: {headers}, forbid_headers: {fh}, require_headers: {rh},\n\
               body: {body}, body_media_type: {media},\n\
             }});\n",
            method = str_field(case, "method").unwrap_or_default(),
            uri = str_field(case, "uri").unwrap_or_default(),
            host = opt_str(str_field(case, "host")),
            resolved = opt_str(str_field(case, "resolvedHost")),
            qp = str_list(case, "queryParams"),
            fqp = str_list(case, "forbidQueryParams"),
            rqp = str_list(case, "requireQueryParams"),
            headers = str_map(case, "headers"),
            fh = str_list(case, "forbidHeaders"),
            rh = str_list(case, "requireHeaders"),
            media = opt_str(str_field(case, "bodyMediaType")),
        ))
    }

    fn http_response(case: &Value) -> Gen<String> {
        Ok(format!(
            "let response = crate::responses::response({code}, {headers}, {body});\n",
            code = case.get("code").and_then(Value::as_u64).unwrap_or(200),
            headers = str_map(case, "headers"),
            body = byte_string(&body_bytes(case)?.unwrap_or_default()),
        ))
    }

    fn response_case(&mut self, op: &OperationIr, case: &Value) -> Gen<String> {
        let params = case
            .get("params")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        // The output carries the request id the response names (awsJson's
        // `parses_the_request_id_from_the_response` checks it is read).
        let request_id = case
            .get("headers")
            .and_then(Value::as_object)
            .and_then(|headers| {
                headers
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case("x-amzn-requestid"))
            })
            .and_then(|(_, value)| value.as_str())
            .map(|id| format!("._request_id({id:?})"))
            .unwrap_or_default();
        let expected = self.structure_with(&op.output, &params, &request_id)?;
        let op_path = self.operation_path(op);
        Ok(format!(
            "{response}let expected = {expected};\n\
             let output = <{op_path} as smithy_rust_runtime::contract::operation::Operation>::deserialize(&response).expect(\"the response deserializes\");\n\
             crate::responses::assert_same(&output, &expected, \"output\");\n",
            response = Self::http_response(case)?,
        ))
    }

    fn error_case(
        &mut self,
        op: &OperationIr,
        error: &StructIr,
        variant: &str,
        case: &Value,
    ) -> Gen<String> {
        let params = case
            .get("params")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        let expected = self.structure(error, &params)?;
        let op_path = self.operation_path(op);
        let error_enum = format!(
            "{}::operation::{}::{}Error",
            self.crate_name, op.module, op.name
        );
        let mut compare = String::new();
        for m in &error.members {
            if m.deprecated {
                self.deprecated_used = true;
            }
            let field = &m.field;
            let _ = writeln!(
                compare,
                "crate::responses::assert_same(&actual.{field}, &expected.{field}, {:?});",
                m.wire_name
            );
        }
        // The error code and type the metadata must give (`aws.protocoltests.config#ErrorCodeParams`).
        let vendor = case.get("vendorParams");
        let code_check = match vendor.and_then(|v| v.get("code")).and_then(Value::as_str) {
            Some(code) => {
                let error_type = vendor.and_then(|v| v.get("type")).and_then(Value::as_str);
                let _ = writeln!(
                    compare,
                    "crate::error_codes::assert_error_code(actual.meta(), {code:?}, {});",
                    opt_str(error_type)
                );
                true
            }
            None => false,
        };
        // An error without members (and no code to check): only the variant is checked.
        let (expected_var, actual_var) = match (error.members.is_empty(), code_check) {
            (true, false) => ("_expected", "_"),
            (true, true) => ("_expected", "actual"),
            _ => ("expected", "actual"),
        };
        Ok(format!(
            "{response}let {expected_var} = {expected};\n\
             match <{op_path} as smithy_rust_runtime::contract::operation::Operation>::deserialize(&response) {{\n\
               Err(smithy_rust_runtime::contract::operation::ResponseFailure::Service({error_enum}::{variant}({actual_var}))) => {{\n{compare}}}\n\
               other => crate::responses::unexpected(\"{variant}\", &other),\n\
             }}\n",
            response = Self::http_response(case)?,
        ))
    }

    /// A structure built from a JSON object of member values, through its builder.
    fn structure(&mut self, s: &StructIr, params: &Value) -> Gen<String> {
        self.structure_with(s, params, "")
    }

    /// [`Self::structure`], with `extra` (builder calls) before `.build()`.
    fn structure_with(&mut self, s: &StructIr, params: &Value, extra: &str) -> Gen<String> {
        let Value::Object(object) = params else {
            return Err(format!("params for {} must be an object", s.shape_id));
        };
        let mut expr = format!("{}::builder()", self.path(&s.path()));
        for (key, value) in object {
            let member = s
                .members
                .iter()
                .find(|m| &m.wire_name == key)
                .ok_or_else(|| format!("{} has no member `{key}`", s.shape_id))?;
            if value.is_null() {
                continue;
            }
            if member.deprecated {
                self.deprecated_used = true;
            }
            let value = self.value(&member.ty, member, value)?;
            let setter = unraw(&member.field).trim_end_matches('_').to_owned();
            let _ = write!(expr, ".set_{setter}(Some({value}))");
        }
        expr.push_str(extra);
        expr.push_str(".build()");
        if build_is_fallible(s) {
            expr.push_str(".expect(\"the case's params build\")");
        }
        Ok(expr)
    }

    /// A Rust expression of type `ty` for the JSON `value`.
    fn value(&mut self, ty: &RustType, member: &MemberIr, value: &Value) -> Gen<String> {
        let primitives = format!("{}::primitives", self.crate_name);
        let bad = || format!("`{value}` is not a valid {ty:?} for {}", member.wire_name);
        Ok(match ty {
            RustType::String => format!("{:?}.to_owned()", value.as_str().ok_or_else(bad)?),
            RustType::BigInteger | RustType::BigDecimal => match value {
                Value::Number(n) => format!("{:?}.to_owned()", n.to_string()),
                Value::String(s) => format!("{s:?}.to_owned()"),
                _ => return Err(bad()),
            },
            RustType::Bool => value.as_bool().ok_or_else(bad)?.to_string(),
            RustType::EventStream(_) => {
                return Err(format!(
                    "`{}` is an event stream: a case gives its events, not a value",
                    member.wire_name
                ))
            }
            RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => {
                let suffix = match ty {
                    RustType::I8 => "i8",
                    RustType::I16 => "i16",
                    RustType::I32 => "i32",
                    _ => "i64",
                };
                format!("{}{suffix}", value.as_i64().ok_or_else(bad)?)
            }
            RustType::F32 | RustType::F64 => {
                let t = if *ty == RustType::F32 { "f32" } else { "f64" };
                match value {
                    Value::Number(n) => format!("{n}_{t}"),
                    Value::String(s) if s == "NaN" => format!("{t}::NAN"),
                    Value::String(s) if s == "Infinity" => format!("{t}::INFINITY"),
                    Value::String(s) if s == "-Infinity" => format!("{t}::NEG_INFINITY"),
                    _ => return Err(bad()),
                }
            }
            RustType::Blob => format!(
                "{primitives}::Blob::new({:?}.as_bytes().to_vec())",
                value.as_str().ok_or_else(bad)?
            ),
            // The case gives the body as text.
            RustType::ByteStream => format!(
                "{primitives}::ByteStream::from({:?})",
                value.as_str().ok_or_else(bad)?
            ),
            RustType::DateTime => {
                let Value::Number(n) = value else {
                    return Err(bad());
                };
                let text = n.to_string();
                match text.split_once('.') {
                    Some((secs, frac)) if !secs.starts_with('-') && frac.len() <= 9 => {
                        let nanos: u32 = format!("{frac:0<9}").parse().map_err(|_| bad())?;
                        format!("{primitives}::DateTime::from_secs_and_nanos({secs}, {nanos})")
                    }
                    Some(_) => format!("{primitives}::DateTime::from_secs_f64({text}_f64)"),
                    None => format!("{primitives}::DateTime::from_secs({text})"),
                }
            }
            RustType::Document => format!(
                "{primitives}::Document::from(serde_json::from_str::<serde_json::Value>({:?}).expect(\"a JSON document\"))",
                value.to_string()
            ),
            RustType::Named { path: rust_path, shape, kind } => {
                let path = self.path(rust_path);
                match kind {
                    NamedKind::Enum => {
                        format!("{path}::from({:?})", value.as_str().ok_or_else(bad)?)
                    }
                    NamedKind::IntEnum => format!("{path}::from({}i32)", value.as_i64().ok_or_else(bad)?),
                    NamedKind::Struct => {
                        let s = *self
                            .structs
                            .get(rust_path)
                            .ok_or_else(|| format!("no structure {shape}"))?;
                        self.structure(s, value)?
                    }
                    NamedKind::Union => {
                        let u = *self.unions.get(shape).ok_or_else(|| format!("no union {shape}"))?;
                        let Some((key, inner)) = value.as_object().and_then(|o| o.iter().next())
                        else {
                            return Err(bad());
                        };
                        let variant = u
                            .variants
                            .iter()
                            .find(|v| &v.member.wire_name == key)
                            .ok_or_else(|| format!("union {shape} has no member `{key}`"))?;
                        let mut inner = self.value(&variant.member.ty, &variant.member, inner)?;
                        if variant.member.boxed {
                            inner = format!("Box::new({inner})");
                        }
                        format!("{path}::{}({inner})", variant.name)
                    }
                }
            }
            RustType::List {
                element, sparse, ..
            } => {
                let items = value.as_array().ok_or_else(bad)?;
                let mut out = Vec::new();
                for item in items {
                    out.push(match (item.is_null(), sparse) {
                        (true, true) => "None".to_owned(),
                        (false, true) => format!("Some({})", self.value(element, member, item)?),
                        _ => self.value(element, member, item)?,
                    });
                }
                format!("vec![{}]", out.join(", "))
            }
            RustType::Map { value: v, sparse, .. } => {
                let entries = value.as_object().ok_or_else(bad)?;
                let mut out = Vec::new();
                for (key, item) in entries {
                    let item = match (item.is_null(), sparse) {
                        (true, true) => "None".to_owned(),
                        (false, true) => format!("Some({})", self.value(v, member, item)?),
                        _ => self.value(v, member, item)?,
                    };
                    out.push(format!("({key:?}.to_owned(), {item})"));
                }
                format!(
                    "[{}].into_iter().collect::<std::collections::HashMap<_, _>>()",
                    out.join(", ")
                )
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_supported_list_parses_ids_and_reasons() {
        let list =
            NotSupported::parse("# comment\n\nA  event streams\nB\tstreaming blobs\n").unwrap();
        assert_eq!(list.reason("A"), Some("event streams"));
        assert_eq!(list.reason("B"), Some("streaming blobs"));
        assert_eq!(list.reason("C"), None);
    }

    #[test]
    fn not_supported_list_rejects_missing_reasons_and_repeats() {
        assert!(NotSupported::parse("A\n").unwrap_err().contains("line 1"));
        assert!(NotSupported::parse("A x\nA y\n")
            .unwrap_err()
            .contains("twice"));
    }
}
