//! `smithy.test#eventStreamTests` cases: each becomes one call of its operation through the
//! whole client, to an HTTP client that reads the request's event stream to its end and answers
//! with the case's response.
//!
//! - The input is built from `initialRequestParams`; its event stream (an input stream) sends
//!   the case's `request` events (a modeled error of the stream as an `exception` message).
//! - The request is checked against `initialRequest` (method, URI, headers, as an
//!   `httpRequestTests` case); every message the client sent, unwrapped from its signed
//!   envelope, against the case's `request` events in order: typed headers, forbidden and
//!   required headers, payload (compared as JSON for a JSON media type).
//! - The response is `initialResponse` (status, headers, body) or a 200, whose body is the
//!   case's `response` events (their `bytes`).
//! - The outcome: with `success`, the output's members in `initialResponseParams` and the
//!   events received, in order, then the end of the stream; with a `failure` whose `errorId`
//!   is an operation error, the call's typed error; an error of the stream, the typed stream
//!   error after the events before it; a `failure` without `errorId`, an error from the call or
//!   the stream (for an `error` message, an unhandled error with its `:error-code` and
//!   `:error-message`).
//!
//! The generated code expects an `events` module in the including test crate (`Call`,
//! `Response`, `ExpectedMessage`, `Header`, `sender`, `frames`, `assert_messages`,
//! `assert_events`, `assert_stream_failed`, `assert_call_failed`), beside `support` and
//! `responses`.

use std::fmt::Write as _;

use serde_json::Value;

use super::{body_bytes, byte_string, opt_str, str_field, str_list, Gen, Generator};
use crate::ir::{EventStreamIr, MemberIr, OperationIr, RustType};

/// One event of a case.
struct Event<'a> {
    /// `request` (the client sends it) or `response` (the service does).
    request: bool,
    case: &'a Value,
}

fn events(case: &Value) -> Gen<Vec<Event<'_>>> {
    case.get("events")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|event| match str_field(event, "type") {
            Some("request") => Ok(Event {
                request: true,
                case: event,
            }),
            Some("response") => Ok(Event {
                request: false,
                case: event,
            }),
            other => Err(format!("an event of type {other:?}")),
        })
        .collect()
}

/// The name of the error shape `error_id` names (an absolute or relative shape id).
fn shape_name(error_id: &str) -> &str {
    error_id.rsplit_once('#').map_or(error_id, |(_, name)| name)
}

impl<'a> Generator<'a> {
    /// The stream (with its errors) of an event stream member.
    fn stream_of(&self, member: &MemberIr) -> Gen<&'a EventStreamIr> {
        let RustType::EventStream(ty) = &member.ty else {
            return Err(format!("`{}` is not an event stream", member.wire_name));
        };
        self.streams
            .get(&ty.shape)
            .copied()
            .ok_or_else(|| format!("no event stream {}", ty.shape))
    }

    /// The body of the function of an `eventStreamTests` case of `op`.
    pub(super) fn event_stream_case(&mut self, op: &OperationIr, case: &Value) -> Gen<String> {
        let events = events(case)?;
        let mut out = String::new();

        // 1. The input, with the request events as its event stream.
        let mut extra = String::new();
        if let Some(member) = op.input_stream() {
            let stream = self.stream_of(member)?;
            let mut items = Vec::new();
            for event in events.iter().filter(|e| e.request) {
                let params = event.case.get("params").ok_or(
                    "a request event without params (an unmodeled event) cannot be sent by a client",
                )?;
                items.push(self.stream_item(member, stream, params)?);
            }
            let setter = super::unraw(&member.field).trim_end_matches('_').to_owned();
            let _ = write!(
                extra,
                ".set_{setter}(Some(crate::events::sender(vec![{}])))",
                items.join(", ")
            );
        } else if events.iter().any(|e| e.request) {
            return Err(format!("{} has no input event stream", op.name));
        }
        let params = case
            .get("initialRequestParams")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        let params = self.with_required(op, params);
        let input = self.structure_with(&op.input, &params, &extra)?;
        let _ = writeln!(out, "let input = {input};");

        // 2. The response: the initial response, or a 200 whose body is the response events.
        let initial = case.get("initialResponse");
        let code = initial
            .and_then(|r| r.get("code"))
            .and_then(Value::as_u64)
            .unwrap_or(200);
        let headers = super::str_map(initial.unwrap_or(&Value::Null), "headers");
        let body = match initial.map(body_bytes).transpose()?.flatten() {
            Some(body) => format!("{}.to_vec()", byte_string(&body)),
            None => {
                let mut frames = Vec::new();
                for event in events.iter().filter(|e| !e.request) {
                    frames.push(frame(event.case)?);
                }
                format!("crate::events::frames(&[{}])", frames.join(", "))
            }
        };
        let op_path = self.operation_path(op);
        let _ = writeln!(
            out,
            "let call = crate::events::Call::new(crate::events::Response {{ code: {code}, headers: {headers}, body: {body} }});\n\
             let result = call.send::<{op_path}>(input);"
        );

        // 3. What the client sent.
        if let Some(request) = case.get("initialRequest") {
            let expected = super::expected_request(request, "None".to_owned());
            let _ = writeln!(
                out,
                "crate::support::assert_request(&call.request(), &{expected});"
            );
        }
        if op.input_stream().is_some() {
            let mut messages = Vec::new();
            for event in events.iter().filter(|e| e.request) {
                messages.push(expected_message(event.case)?);
            }
            let _ = writeln!(
                out,
                "crate::events::assert_messages(&call.messages(), &[{}]);",
                messages.join(", ")
            );
        }

        // 4. What the client received.
        let failure = case
            .get("expectation")
            .and_then(|e| e.get("failure"))
            .map(|f| str_field(f, "errorId"));
        let output_stream = op.output_stream();
        let about_response = events.iter().any(|e| !e.request)
            || initial.is_some()
            || case.get("initialResponseParams").is_some();
        match failure {
            // A case about what the client sends: the answer (an empty 200, which may lack what
            // the output requires) is not the case's.
            None if !about_response => out.push_str("drop(result);\n"),
            None => {
                let binding = if output_stream.is_some() {
                    "let mut output"
                } else {
                    "let output"
                };
                let _ = writeln!(
                    out,
                    "{binding} = result.unwrap_or_else(|err| panic!(\"the call failed: {{err:?}}\"));"
                );
                let mut checked = false;
                if let Some(Value::Object(params)) = case.get("initialResponseParams") {
                    for (key, value) in params {
                        let member = op
                            .output
                            .members
                            .iter()
                            .find(|m| &m.wire_name == key)
                            .ok_or_else(|| format!("{} has no member `{key}`", op.output.name))?;
                        let mut expected = self.value(&member.ty, member, value)?;
                        if member.optional {
                            expected = format!("Some({expected})");
                        }
                        let _ = writeln!(
                            out,
                            "crate::responses::assert_same(&output.{}, &{expected}, {key:?});",
                            member.field
                        );
                        checked = true;
                    }
                }
                match output_stream {
                    Some(member) => {
                        let mut expected = Vec::new();
                        for event in events.iter().filter(|e| !e.request) {
                            let params = event
                                .case
                                .get("params")
                                .ok_or("a successful case's response event has no params")?;
                            expected.push(self.event_value(member, params)?);
                        }
                        let _ = writeln!(
                            out,
                            "let events = call.drain(&mut output.{});\n\
                             crate::events::assert_events(events, vec![{}]);",
                            member.field,
                            expected.join(", ")
                        );
                    }
                    None if !checked => out.push_str("drop(output);\n"),
                    None => {}
                }
            }
            Some(Some(error_id)) => {
                let name = shape_name(error_id);
                if let Some(e) = op.errors.iter().find(|e| shape_name(&e.shape_id) == name) {
                    let error_enum = format!(
                        "{}::operation::{}::{}Error",
                        self.crate_name, op.module, op.name
                    );
                    let _ = writeln!(
                        out,
                        "match result {{\n\
                           Err(smithy_rust_runtime::contract::error::SdkError::ServiceError(err)) => match err.into_err() {{\n\
                             {error_enum}::{variant}(_) => {{}}\n\
                             other => crate::responses::unexpected({variant:?}, &other),\n\
                           }},\n\
                           other => crate::responses::unexpected({variant:?}, &other.map(|_| \"an output\")),\n\
                         }}",
                        variant = e.variant,
                    );
                } else {
                    let member = output_stream
                        .ok_or_else(|| format!("`{error_id}` is not an error of {}", op.name))?;
                    let stream = self.stream_of(member)?;
                    let e = stream
                        .errors
                        .iter()
                        .find(|e| shape_name(&e.shape_id) == name)
                        .ok_or_else(|| format!("`{error_id}` is not an error of the stream"))?;
                    out.push_str(&self.stream_error_check(member, e, &events)?);
                }
            }
            Some(None) => {
                // An `error` message must become an unhandled error with its code and message.
                let unhandled = events.iter().filter(|e| !e.request).find_map(|e| {
                    let headers = e.case.get("headers")?;
                    let string = |name: &str| headers.get(name)?.get("string")?.as_str();
                    (string(":message-type") == Some("error"))
                        .then(|| (string(":error-code"), string(":error-message")))
                });
                match (output_stream, unhandled) {
                    (Some(member), Some((code, message))) => {
                        let _ = writeln!(
                            out,
                            "let mut output = result.unwrap_or_else(|err| panic!(\"the call failed before the stream: {{err:?}}\"));\n\
                             let events = call.drain(&mut output.{});\n\
                             crate::events::assert_stream_failed(&events, Some(({}, {})));",
                            member.field,
                            opt_str(code),
                            opt_str(message),
                        );
                    }
                    (Some(member), None) => {
                        let _ = writeln!(
                            out,
                            "match result {{\n\
                               Ok(mut output) => {{\n\
                                 let events = call.drain(&mut output.{});\n\
                                 crate::events::assert_stream_failed(&events, None);\n\
                               }}\n\
                               Err(err) => crate::events::assert_call_failed(&err),\n\
                             }}",
                            member.field
                        );
                    }
                    (None, _) => {
                        let _ = writeln!(
                            out,
                            "match result {{\n\
                               Ok(_) => panic!(\"the call succeeded, the case expects a failure\"),\n\
                               Err(err) => crate::events::assert_call_failed(&err),\n\
                             }}"
                        );
                    }
                }
            }
        }
        Ok(out)
    }

    /// The input's members a case does not give but that the operation requires get a
    /// placeholder (the cases that give no input check the response), so that the call is
    /// sent.
    fn with_required(&self, op: &OperationIr, params: Value) -> Value {
        let Value::Object(mut object) = params else {
            return params;
        };
        for m in &op.input.members {
            if m.required && !object.contains_key(&m.wire_name) && m.ty == RustType::String {
                object.insert(m.wire_name.clone(), Value::String("placeholder".to_owned()));
            }
        }
        Value::Object(object)
    }

    /// `Ok(event)` or `Err(error)`: one item of the stream of `member` from the params of an
    /// event (`{ "<union member>": { ... } }`).
    fn stream_item(
        &mut self,
        member: &MemberIr,
        stream: &EventStreamIr,
        params: &Value,
    ) -> Gen<String> {
        let Some((key, value)) = params.as_object().and_then(|o| o.iter().next()) else {
            return Err(format!(
                "event params `{params}` are not `{{ member: value }}`"
            ));
        };
        match stream.errors.iter().find(|e| &e.code == key) {
            Some(e) => {
                let s = *self
                    .structs
                    .get(&e.path)
                    .ok_or_else(|| format!("no error structure {}", e.shape_id))?;
                let mut error = self.structure(s, value)?;
                if e.boxed {
                    error = format!("Box::new({error})");
                }
                let RustType::EventStream(ty) = &member.ty else {
                    return Err(format!("`{}` is not an event stream", member.wire_name));
                };
                Ok(format!(
                    "Err({}::{}({error}))",
                    self.path(&ty.error),
                    e.variant
                ))
            }
            None => Ok(format!("Ok({})", self.event_value(member, params)?)),
        }
    }

    /// The event (a value of the union of the stream of `member`) of an event's params.
    fn event_value(&mut self, member: &MemberIr, params: &Value) -> Gen<String> {
        let RustType::EventStream(ty) = &member.ty else {
            return Err(format!("`{}` is not an event stream", member.wire_name));
        };
        let union = RustType::Named {
            path: ty.events.clone(),
            shape: ty.shape.clone(),
            kind: crate::ir::NamedKind::Union,
        };
        self.value(&union, member, params)
    }

    /// Statements checking that the output stream of `member` gives the case's events before
    /// its error `e`, then `e` with the members of the case's error event.
    fn stream_error_check(
        &mut self,
        member: &MemberIr,
        e: &crate::ir::ErrorRefIr,
        events: &[Event<'_>],
    ) -> Gen<String> {
        let mut expected = Vec::new();
        let mut error_params = None;
        for event in events.iter().filter(|e| !e.request) {
            let params = event
                .case
                .get("params")
                .ok_or("an event without params before the expected error")?;
            if let Some(error) = params.get(&e.code) {
                error_params = Some(error.clone());
                break;
            }
            expected.push(self.event_value(member, params)?);
        }
        let s = *self
            .structs
            .get(&e.path)
            .ok_or_else(|| format!("no error structure {}", e.shape_id))?;
        let error = self.structure(
            s,
            &error_params.unwrap_or(Value::Object(Default::default())),
        )?;
        let mut compare = String::new();
        for m in &s.members {
            let _ = writeln!(
                compare,
                "crate::responses::assert_same(&actual.{field}, &expected.{field}, {:?});",
                m.wire_name,
                field = m.field
            );
        }
        let RustType::EventStream(ty) = &member.ty else {
            return Err(format!("`{}` is not an event stream", member.wire_name));
        };
        let (expected_var, actual_var) = if s.members.is_empty() {
            ("_expected", "_")
        } else {
            ("expected", "actual")
        };
        Ok(format!(
            "let mut output = result.unwrap_or_else(|err| panic!(\"the call failed before the stream: {{err:?}}\"));\n\
             let mut events = call.drain(&mut output.{field});\n\
             let last = events.pop();\n\
             crate::events::assert_events(events, vec![{before}]);\n\
             let {expected_var} = {error};\n\
             match last {{\n\
               Some(Err(smithy_rust_runtime::contract::error::SdkError::ServiceError(err))) => match err.into_err() {{\n\
                 {error_enum}::{variant}({actual_var}) => {{\n{compare}}}\n\
                 other => crate::responses::unexpected({variant:?}, &other),\n\
               }},\n\
               other => crate::responses::unexpected({variant:?}, &other),\n\
             }}\n",
            field = member.field,
            before = expected.join(", "),
            error_enum = self.path(&ty.error),
            variant = e.variant,
        ))
    }
}

/// A `crate::events::Header` value of the case's typed header value
/// (`{ "<type>": <value> }`).
fn header_value(name: &str, value: &Value) -> Gen<String> {
    use base64::Engine as _;
    let Some((kind, v)) = value.as_object().and_then(|o| o.iter().next()) else {
        return Err(format!(
            "header `{name}`: `{value}` is not `{{ type: value }}`"
        ));
    };
    let bad = || format!("header `{name}`: `{v}` is not a valid {kind}");
    let int = |min: i64, max: i64| {
        v.as_i64()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(bad)
    };
    Ok(match kind.as_str() {
        "boolean" => format!(
            "crate::events::Header::Bool({})",
            v.as_bool().ok_or_else(bad)?
        ),
        "byte" => format!(
            "crate::events::Header::Byte({})",
            int(i8::MIN.into(), i8::MAX.into())?
        ),
        "short" => format!(
            "crate::events::Header::Short({})",
            int(i16::MIN.into(), i16::MAX.into())?
        ),
        "integer" => format!(
            "crate::events::Header::Integer({})",
            int(i32::MIN.into(), i32::MAX.into())?
        ),
        "long" => format!("crate::events::Header::Long({})", int(i64::MIN, i64::MAX)?),
        "blob" => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(v.as_str().ok_or_else(bad)?)
                .map_err(|err| format!("header `{name}`: not base64: {err}"))?;
            format!("crate::events::Header::Blob({})", byte_string(&bytes))
        }
        "string" => format!(
            "crate::events::Header::String({:?})",
            v.as_str().ok_or_else(bad)?
        ),
        "timestamp" => format!(
            "crate::events::Header::Timestamp({:?})",
            v.as_str().ok_or_else(bad)?
        ),
        other => return Err(format!("header `{name}`: unknown header type `{other}`")),
    })
}

/// `&[(name, Header), ...]` of an event's `headers`.
fn headers(event: &Value) -> Gen<String> {
    let mut items = Vec::new();
    for (name, value) in event
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        items.push(format!("({name:?}, {})", header_value(name, value)?));
    }
    Ok(format!("&[{}]", items.join(", ")))
}

/// A `crate::events::ExpectedMessage` of a request event.
fn expected_message(event: &Value) -> Gen<String> {
    let body = match body_bytes(event)? {
        Some(body) => format!("Some({})", byte_string(&body)),
        None => "None".to_owned(),
    };
    Ok(format!(
        "crate::events::ExpectedMessage {{ headers: {}, forbid_headers: {}, require_headers: {}, body: {body}, body_media_type: {} }}",
        headers(event)?,
        str_list(event, "forbidHeaders"),
        str_list(event, "requireHeaders"),
        opt_str(str_field(event, "bodyMediaType")),
    ))
}

/// The bytes of a response event (a byte string literal): the case's `bytes` (test runners
/// are to use them for the events a client receives).
fn frame(event: &Value) -> Gen<String> {
    use base64::Engine as _;
    let bytes = str_field(event, "bytes").ok_or(
        "a response event without `bytes`: the messages a client receives are given as bytes",
    )?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(bytes)
        .map_err(|err| format!("an event's bytes are not base64: {err}"))?;
    Ok(byte_string(&bytes))
}
