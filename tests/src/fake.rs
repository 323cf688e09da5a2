//! A stateful, in-memory fake of Amazon Chime SDK Identity (restJson1), answering the way the
//! real service does per the Smithy model (`chime-sdk-identity-2021-04-20.json`): path labels are
//! percent-decoded single segments, query values are percent-decoded (`+` is a space, as form
//! decoding does), bodies are JSON, timestamps are epoch seconds, errors carry
//! `x-amzn-ErrorType`, a `{"Code","Message"}` body and `x-amzn-RequestId`. Every request's
//! SigV4 signature is checked with [`crate::sigv4::verify`]; a bad one gets a 403
//! `InvalidSignatureException`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use percent_encoding::percent_decode_str;
use serde_json::{json, Map, Value};

use crate::server::{RecordedRequest, Reply, TestServer};
use crate::sigv4::{verify, SigningKey};

/// The account id in every ARN the fake makes.
pub const ACCOUNT: &str = "123456789012";

/// The first timestamp the fake's clock gives, in milliseconds since the epoch; every change
/// advances the clock by one second.
pub const CLOCK_START_MS: i64 = 1_700_000_000_250;

/// The default page size when a list call sends no `max-results`.
pub const DEFAULT_PAGE_SIZE: usize = 10;

#[derive(Debug, Clone)]
struct AppInstance {
    name: String,
    metadata: Option<String>,
    created: i64,
    updated: i64,
    retention_days: Option<i64>,
    token: String,
}

#[derive(Debug, Clone)]
struct User {
    app_instance: String,
    name: String,
    metadata: Option<String>,
    created: i64,
    updated: i64,
    expiration: Option<Value>,
    token: String,
}

#[derive(Debug, Clone)]
struct Bot {
    app_instance: String,
    name: Option<String>,
    metadata: Option<String>,
    configuration: Value,
    created: i64,
    updated: i64,
    token: String,
}

#[derive(Debug, Clone)]
struct Endpoint {
    name: Option<String>,
    kind: String,
    resource_arn: String,
    attributes: Value,
    allow_messages: String,
    created: i64,
    updated: i64,
    token: String,
}

#[derive(Debug, Default)]
struct State {
    clock_ticks: i64,
    ids: u64,
    requests: u64,
    app_instances: BTreeMap<String, AppInstance>,
    users: BTreeMap<String, User>,
    bots: BTreeMap<String, Bot>,
    /// (app instance ARN, admin ARN) -> created.
    admins: BTreeMap<(String, String), i64>,
    /// (user ARN, endpoint id) -> endpoint.
    endpoints: BTreeMap<(String, String), Endpoint>,
    tags: BTreeMap<String, Vec<(String, String)>>,
}

impl State {
    fn tick(&mut self) -> i64 {
        let now = CLOCK_START_MS + self.clock_ticks * 1000;
        self.clock_ticks += 1;
        now
    }

    fn next_id(&mut self) -> u64 {
        self.ids += 1;
        self.ids
    }

    fn exists(&self, arn: &str) -> bool {
        self.app_instances.contains_key(arn)
            || self.users.contains_key(arn)
            || self.bots.contains_key(arn)
    }

    fn display_name(&self, arn: &str) -> Option<String> {
        if let Some(user) = self.users.get(arn) {
            return Some(user.name.clone());
        }
        self.bots.get(arn).and_then(|bot| bot.name.clone())
    }
}

/// An error answer: status, error shape name, `Code` value, message.
#[derive(Debug, Clone)]
pub struct ServiceError {
    status: u16,
    shape: &'static str,
    code: &'static str,
    message: String,
}

fn bad_request(message: impl Into<String>) -> ServiceError {
    ServiceError {
        status: 400,
        shape: "BadRequestException",
        code: "BadRequest",
        message: message.into(),
    }
}

fn not_found(message: impl Into<String>) -> ServiceError {
    ServiceError {
        status: 404,
        shape: "NotFoundException",
        code: "NotFound",
        message: message.into(),
    }
}

fn conflict(message: impl Into<String>) -> ServiceError {
    ServiceError {
        status: 409,
        shape: "ConflictException",
        code: "Conflict",
        message: message.into(),
    }
}

type Answer = Result<Reply, ServiceError>;

fn ts(ms: i64) -> Value {
    // Epoch seconds with millisecond precision, as the service sends them.
    json!(ms as f64 / 1000.0)
}

fn decode(raw: &str, what: &str) -> Result<String, ServiceError> {
    percent_decode_str(raw)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| bad_request(format!("{what} is not UTF-8 after percent-decoding")))
}

fn parse_query(query: Option<&str>) -> Result<BTreeMap<String, String>, ServiceError> {
    let mut out = BTreeMap::new();
    let Some(query) = query else {
        return Ok(out);
    };
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let k = decode(&k.replace('+', " "), "query name")?;
        let v = decode(&v.replace('+', " "), "query value")?;
        if out.insert(k.clone(), v).is_some() {
            return Err(bad_request(format!("query parameter {k} repeated")));
        }
    }
    Ok(out)
}

struct Call<'a> {
    query: BTreeMap<String, String>,
    body: Map<String, Value>,
    has_body: bool,
    _request: &'a RecordedRequest,
}

impl Call<'_> {
    fn str(&self, key: &str) -> Result<Option<String>, ServiceError> {
        match self.body.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(bad_request(format!("{key} must be a string, got {other}"))),
        }
    }

    fn required_str(&self, key: &str) -> Result<String, ServiceError> {
        self.str(key)?
            .ok_or_else(|| bad_request(format!("{key} is required")))
    }

    fn required_query(&self, key: &str) -> Result<String, ServiceError> {
        self.query
            .get(key)
            .cloned()
            .ok_or_else(|| bad_request(format!("query parameter {key} is required")))
    }

    fn no_body(&self) -> Result<(), ServiceError> {
        if self.has_body {
            return Err(bad_request("this operation takes no body"));
        }
        Ok(())
    }
}

fn check_len(value: &str, what: &str, min: usize, max: usize) -> Result<(), ServiceError> {
    let len = value.chars().count();
    if len < min || len > max {
        return Err(bad_request(format!(
            "{what} must be {min}..={max} characters, it has {len}"
        )));
    }
    Ok(())
}

fn check_token(token: &str) -> Result<(), ServiceError> {
    check_len(token, "ClientRequestToken", 2, 64)?;
    if !token
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(bad_request("ClientRequestToken has invalid characters"));
    }
    Ok(())
}

fn check_tags(value: Option<&Value>) -> Result<Vec<(String, String)>, ServiceError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let Some(list) = value.as_array() else {
        return Err(bad_request("Tags must be a list"));
    };
    if list.is_empty() || list.len() > 50 {
        return Err(bad_request("Tags must have 1..=50 items"));
    }
    list.iter()
        .map(|tag| {
            let key = tag.get("Key").and_then(Value::as_str);
            let value = tag.get("Value").and_then(Value::as_str);
            match (key, value) {
                (Some(k), Some(v)) => {
                    check_len(k, "Tag.Key", 1, 128)?;
                    check_len(v, "Tag.Value", 1, 256)?;
                    Ok((k.to_owned(), v.to_owned()))
                }
                _ => Err(bad_request("Tag needs Key and Value strings")),
            }
        })
        .collect()
}

fn check_expiration(value: &Value) -> Result<(), ServiceError> {
    let days = value.get("ExpirationDays").and_then(Value::as_i64);
    let criterion = value.get("ExpirationCriterion").and_then(Value::as_str);
    match (days, criterion) {
        (Some(d), Some("CREATED_TIMESTAMP")) if (1..=5475).contains(&d) => Ok(()),
        _ => Err(bad_request(format!("invalid ExpirationSettings {value}"))),
    }
}

fn check_configuration(value: Option<&Value>) -> Result<Value, ServiceError> {
    let Some(value) = value else {
        return Err(bad_request("Configuration is required"));
    };
    let lex = value
        .get("Lex")
        .ok_or_else(|| bad_request("Configuration.Lex is required"))?;
    for key in ["LexBotAliasArn", "LocaleId"] {
        if lex.get(key).and_then(Value::as_str).is_none() {
            return Err(bad_request(format!("Configuration.Lex.{key} is required")));
        }
    }
    Ok(value.clone())
}

/// Pagination tokens contain `/`, `+` and `=` so that clients must encode them in queries.
fn page_token(offset: usize) -> String {
    format!("AAE/{offset}+x=")
}

fn paginate<T: Clone>(
    items: &[T],
    call: &Call<'_>,
) -> Result<(Vec<T>, Option<String>), ServiceError> {
    let size = match call.query.get("max-results") {
        None => DEFAULT_PAGE_SIZE,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (1..=50).contains(&n) => n,
            _ => return Err(bad_request(format!("max-results {raw:?} is not in 1..=50"))),
        },
    };
    let start = match call.query.get("next-token") {
        None => 0,
        Some(token) => token
            .strip_prefix("AAE/")
            .and_then(|t| t.strip_suffix("+x="))
            .and_then(|t| t.parse::<usize>().ok())
            .filter(|offset| *offset <= items.len())
            .ok_or_else(|| bad_request(format!("invalid next-token {token:?}")))?,
    };
    let end = (start + size).min(items.len());
    let next = (end < items.len()).then(|| page_token(end));
    Ok((items[start..end].to_vec(), next))
}

fn with_next(mut body: Value, next: Option<String>) -> Value {
    if let (Some(next), Some(object)) = (next, body.as_object_mut()) {
        object.insert("NextToken".to_owned(), json!(next));
    }
    body
}

fn set_opt(object: &mut Value, key: &str, value: Option<impl Into<Value>>) {
    if let (Some(value), Some(object)) = (value, object.as_object_mut()) {
        object.insert(key.to_owned(), value.into());
    }
}

/// The fake service. Share it with [`FakeChime::serve`].
#[derive(Debug)]
pub struct FakeChime {
    state: Mutex<State>,
    key: SigningKey,
}

impl FakeChime {
    /// A fresh, empty service in `region`, checking signatures made with
    /// [`SigningKey::test`].
    pub fn new(region: &str) -> Arc<Self> {
        Self::with_key(SigningKey::test(region))
    }

    /// A fresh, empty service in `key.region`, checking signatures made with `key` (for
    /// example [`SigningKey::with_session_token`]).
    pub fn with_key(key: SigningKey) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(State::default()),
            key,
        })
    }

    /// Starts a [`TestServer`] answering with this fake.
    pub async fn serve(self: &Arc<Self>) -> TestServer {
        let fake = self.clone();
        TestServer::start(move |request| fake.handle(request)).await
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The ARN of an app instance with this id.
    pub fn app_instance_arn(&self, id: &str) -> String {
        format!(
            "arn:aws:chime:{}:{ACCOUNT}:app-instance/{id}",
            self.key.region
        )
    }

    /// Answers one request.
    pub fn handle(&self, request: &RecordedRequest) -> Reply {
        let request_id = {
            let mut state = self.lock();
            state.requests += 1;
            format!("fake-req-{:06}", state.requests)
        };
        let answer = match verify(request, &self.key) {
            Err(mismatch) => Err(ServiceError {
                status: 403,
                shape: "InvalidSignatureException",
                code: "Forbidden",
                message: mismatch.to_string(),
            }),
            Ok(()) => self.route(request),
        };
        match answer {
            Ok(reply) => reply.header("x-amzn-RequestId", &request_id),
            Err(err) => Reply::json(
                err.status,
                &json!({"Code": err.code, "Message": err.message}),
            )
            .header(
                "x-amzn-ErrorType",
                &format!(
                    "{}:http://internal.amazon.com/coral/com.amazonaws.chime/",
                    err.shape
                ),
            )
            .header("x-amzn-RequestId", &request_id),
        }
    }

    fn route(&self, request: &RecordedRequest) -> Answer {
        let segments = request
            .path
            .strip_prefix('/')
            .unwrap_or(&request.path)
            .split('/')
            .map(|s| decode(s, "path segment"))
            .collect::<Result<Vec<_>, _>>()?;
        let has_body = !request.body.is_empty();
        if has_body {
            match request.header("content-type") {
                Some("application/json") => {}
                other => {
                    return Err(bad_request(format!(
                        "a JSON body needs content-type application/json, got {other:?}"
                    )))
                }
            }
        }
        let body = if has_body {
            match serde_json::from_slice::<Value>(&request.body) {
                Ok(Value::Object(object)) => object,
                _ => return Err(bad_request("the body is not a JSON object")),
            }
        } else {
            Map::new()
        };
        let call = Call {
            query: parse_query(request.query.as_deref())?,
            body,
            has_body,
            _request: request,
        };
        let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
        let mut state = self.lock();
        let s = &mut *state;
        match (request.method.as_str(), seg.as_slice()) {
            ("POST", ["app-instances"]) => self.create_app_instance(s, &call),
            ("GET", ["app-instances"]) => list_app_instances(s, &call),
            ("GET", ["app-instances", arn]) => describe_app_instance(s, &call, arn),
            ("PUT", ["app-instances", arn]) => update_app_instance(s, &call, arn),
            ("DELETE", ["app-instances", arn]) => delete_app_instance(s, &call, arn),
            ("POST", ["app-instances", arn, "admins"]) => create_admin(s, &call, arn),
            ("GET", ["app-instances", arn, "admins"]) => list_admins(s, &call, arn),
            ("GET", ["app-instances", arn, "admins", admin]) => {
                describe_admin(s, &call, arn, admin)
            }
            ("DELETE", ["app-instances", arn, "admins", admin]) => {
                delete_admin(s, &call, arn, admin)
            }
            ("GET", ["app-instances", arn, "retention-settings"]) => get_retention(s, &call, arn),
            ("PUT", ["app-instances", arn, "retention-settings"]) => put_retention(s, &call, arn),
            ("POST", ["app-instance-users"]) => create_user(s, &call),
            ("GET", ["app-instance-users"]) => list_users(s, &call),
            ("GET", ["app-instance-users", arn]) => describe_user(s, &call, arn),
            ("PUT", ["app-instance-users", arn]) => update_user(s, &call, arn),
            ("DELETE", ["app-instance-users", arn]) => delete_user(s, &call, arn),
            ("PUT", ["app-instance-users", arn, "expiration-settings"]) => {
                put_expiration(s, &call, arn)
            }
            ("POST", ["app-instance-users", arn, "endpoints"]) => register_endpoint(s, &call, arn),
            ("GET", ["app-instance-users", arn, "endpoints"]) => list_endpoints(s, &call, arn),
            ("GET", ["app-instance-users", arn, "endpoints", id]) => {
                describe_endpoint(s, &call, arn, id)
            }
            ("PUT", ["app-instance-users", arn, "endpoints", id]) => {
                update_endpoint(s, &call, arn, id)
            }
            ("DELETE", ["app-instance-users", arn, "endpoints", id]) => {
                deregister_endpoint(s, &call, arn, id)
            }
            ("POST", ["app-instance-bots"]) => create_bot(s, &call),
            ("GET", ["app-instance-bots"]) => list_bots(s, &call),
            ("GET", ["app-instance-bots", arn]) => describe_bot(s, &call, arn),
            ("PUT", ["app-instance-bots", arn]) => update_bot(s, &call, arn),
            ("DELETE", ["app-instance-bots", arn]) => delete_bot(s, &call, arn),
            ("GET", ["tags"]) => list_tags(s, &call),
            ("POST", ["tags"]) => match call.query.get("operation").map(String::as_str) {
                Some("tag-resource") => tag_resource(s, &call),
                Some("untag-resource") => untag_resource(s, &call),
                _ => Err(unknown_operation(request)),
            },
            _ => Err(unknown_operation(request)),
        }
    }

    fn create_app_instance(&self, s: &mut State, call: &Call<'_>) -> Answer {
        let name = call.required_str("Name")?;
        check_len(&name, "Name", 1, 256)?;
        let metadata = call.str("Metadata")?;
        let token = call.required_str("ClientRequestToken")?;
        check_token(&token)?;
        let tags = check_tags(call.body.get("Tags"))?;
        if let Some((arn, _)) = s.app_instances.iter().find(|(_, a)| a.token == token) {
            return Ok(Reply::json(201, &json!({ "AppInstanceArn": arn })));
        }
        let id = format!("ai-{:04}", s.next_id());
        let arn = self.app_instance_arn(&id);
        let now = s.tick();
        s.app_instances.insert(
            arn.clone(),
            AppInstance {
                name,
                metadata,
                created: now,
                updated: now,
                retention_days: None,
                token,
            },
        );
        if !tags.is_empty() {
            s.tags.insert(arn.clone(), tags);
        }
        Ok(Reply::json(201, &json!({ "AppInstanceArn": arn })))
    }
}

fn unknown_operation(request: &RecordedRequest) -> ServiceError {
    ServiceError {
        status: 404,
        shape: "UnknownOperationException",
        code: "NotFound",
        message: format!("no operation for {} {}", request.method, request.path),
    }
}

fn app_instance<'s>(s: &'s State, arn: &str) -> Result<&'s AppInstance, ServiceError> {
    s.app_instances
        .get(arn)
        .ok_or_else(|| not_found(format!("AppInstance {arn} not found")))
}

fn list_app_instances(s: &mut State, call: &Call<'_>) -> Answer {
    call.no_body()?;
    let all: Vec<Value> = s
        .app_instances
        .iter()
        .map(|(arn, a)| {
            let mut v = json!({ "AppInstanceArn": arn, "Name": a.name });
            set_opt(&mut v, "Metadata", a.metadata.clone());
            v
        })
        .collect();
    let (page, next) = paginate(&all, call)?;
    Ok(Reply::json(
        200,
        &with_next(json!({ "AppInstances": page }), next),
    ))
}

fn describe_app_instance(s: &mut State, call: &Call<'_>, arn: &str) -> Answer {
    call.no_body()?;
    let a = app_instance(s, arn)?;
    let mut v = json!({
        "AppInstanceArn": arn,
        "Name": a.name,
        "CreatedTimestamp": ts(a.created),
        "LastUpdatedTimestamp": ts(a.updated),
    });
    set_opt(&mut v, "Metadata", a.metadata.clone());
    Ok(Reply::json(200, &json!({ "AppInstance": v })))
}

fn update_app_instance(s: &mut State, call: &Call<'_>, arn: &str) -> Answer {
    let name = call.required_str("Name")?;
    check_len(&name, "Name", 1, 256)?;
    let metadata = call.required_str("Metadata")?;
    app_instance(s, arn)?;
    let now = s.tick();
    if let Some(a) = s.app_instances.get_mut(arn) {
        a.name = name;
        a.metadata = Some(metadata);
        a.updated = now;
    }
    Ok(Reply::json(200, &json!({ "AppInstanceArn": arn })))
}

fn delete_app_instance(s: &mut State, call: &Call<'_>, arn: &str) -> Answer {
    call.no_body()?;
    app_instance(s, arn)?;
    s.app_instances.remove(arn);
    s.tags.remove(arn);
    let users: Vec<String> = s
        .users
        .iter()
        .filter(|(_, u)| u.app_instance == arn)
        .map(|(k, _)| k.clone())
        .collect();
    for user in users {
        s.users.remove(&user);
        s.tags.remove(&user);
        s.endpoints.retain(|(u, _), _| *u != user);
    }
    s.bots.retain(|_, b| b.app_instance != arn);
    s.admins.retain(|(a, _), _| a != arn);
    Ok(Reply::new(204))
}

fn member_of(s: &State, app: &str, arn: &str) -> bool {
    s.users.get(arn).is_some_and(|u| u.app_instance == app)
        || s.bots.get(arn).is_some_and(|b| b.app_instance == app)
}

fn identity(s: &State, arn: &str) -> Value {
    let mut v = json!({ "Arn": arn });
    set_opt(&mut v, "Name", s.display_name(arn));
    v
}

fn create_admin(s: &mut State, call: &Call<'_>, app: &str) -> Answer {
    let admin = call.required_str("AppInstanceAdminArn")?;
    app_instance(s, app)?;
    if !member_of(s, app, &admin) {
        return Err(bad_request(format!(
            "{admin} is not a user or bot of {app}"
        )));
    }
    let key = (app.to_owned(), admin.clone());
    if s.admins.contains_key(&key) {
        return Err(conflict(format!("{admin} is already an admin")));
    }
    let now = s.tick();
    s.admins.insert(key, now);
    Ok(Reply::json(
        201,
        &json!({ "AppInstanceAdmin": identity(s, &admin), "AppInstanceArn": app }),
    ))
}

fn list_admins(s: &mut State, call: &Call<'_>, app: &str) -> Answer {
    call.no_body()?;
    app_instance(s, app)?;
    let all: Vec<Value> = s
        .admins
        .keys()
        .filter(|(a, _)| a == app)
        .map(|(_, admin)| json!({ "Admin": identity(s, admin) }))
        .collect();
    let (page, next) = paginate(&all, call)?;
    Ok(Reply::json(
        200,
        &with_next(
            json!({ "AppInstanceArn": app, "AppInstanceAdmins": page }),
            next,
        ),
    ))
}

fn describe_admin(s: &mut State, call: &Call<'_>, app: &str, admin: &str) -> Answer {
    call.no_body()?;
    let created = s
        .admins
        .get(&(app.to_owned(), admin.to_owned()))
        .copied()
        .ok_or_else(|| not_found(format!("{admin} is not an admin of {app}")))?;
    Ok(Reply::json(
        200,
        &json!({ "AppInstanceAdmin": {
            "Admin": identity(s, admin),
            "AppInstanceArn": app,
            "CreatedTimestamp": ts(created),
        }}),
    ))
}

fn delete_admin(s: &mut State, call: &Call<'_>, app: &str, admin: &str) -> Answer {
    call.no_body()?;
    s.admins
        .remove(&(app.to_owned(), admin.to_owned()))
        .ok_or_else(|| not_found(format!("{admin} is not an admin of {app}")))?;
    Ok(Reply::new(204))
}

fn retention_body(s: &mut State, arn: &str) -> Result<Value, ServiceError> {
    let days = app_instance(s, arn)?.retention_days;
    let mut settings = json!({});
    if let Some(days) = days {
        settings = json!({ "ChannelRetentionSettings": { "RetentionDays": days } });
    }
    let now = s.tick();
    Ok(json!({
        "AppInstanceRetentionSettings": settings,
        "InitiateDeletionTimestamp": ts(now),
    }))
}

fn get_retention(s: &mut State, call: &Call<'_>, arn: &str) -> Answer {
    call.no_body()?;
    Ok(Reply::json(200, &retention_body(s, arn)?))
}

fn put_retention(s: &mut State, call: &Call<'_>, arn: &str) -> Answer {
    let settings = call
        .body
        .get("AppInstanceRetentionSettings")
        .ok_or_else(|| bad_request("AppInstanceRetentionSettings is required"))?;
    let days = match settings.get("ChannelRetentionSettings") {
        None => None,
        Some(channel) => match channel.get("RetentionDays").and_then(Value::as_i64) {
            Some(d) if (1..=5475).contains(&d) => Some(d),
            _ => return Err(bad_request(format!("invalid RetentionDays in {channel}"))),
        },
    };
    app_instance(s, arn)?;
    if let Some(a) = s.app_instances.get_mut(arn) {
        a.retention_days = days;
    }
    Ok(Reply::json(200, &retention_body(s, arn)?))
}

fn user<'s>(s: &'s State, arn: &str) -> Result<&'s User, ServiceError> {
    s.users
        .get(arn)
        .ok_or_else(|| not_found(format!("AppInstanceUser {arn} not found")))
}

fn create_user(s: &mut State, call: &Call<'_>) -> Answer {
    let app = call.required_str("AppInstanceArn")?;
    let user_id = call.required_str("AppInstanceUserId")?;
    check_len(&user_id, "AppInstanceUserId", 1, 64)?;
    let name = call.required_str("Name")?;
    check_len(&name, "Name", 1, 100)?;
    let metadata = call.str("Metadata")?;
    let token = call.required_str("ClientRequestToken")?;
    check_token(&token)?;
    let tags = check_tags(call.body.get("Tags"))?;
    let expiration = call.body.get("ExpirationSettings").cloned();
    if let Some(e) = &expiration {
        check_expiration(e)?;
    }
    app_instance(s, &app)?;
    let arn = format!("{app}/user/{user_id}");
    if let Some(existing) = s.users.get(&arn) {
        if existing.token == token {
            return Ok(Reply::json(201, &json!({ "AppInstanceUserArn": arn })));
        }
        return Err(conflict(format!(
            "AppInstanceUser {user_id} already exists"
        )));
    }
    let now = s.tick();
    s.users.insert(
        arn.clone(),
        User {
            app_instance: app,
            name,
            metadata,
            created: now,
            updated: now,
            expiration,
            token,
        },
    );
    if !tags.is_empty() {
        s.tags.insert(arn.clone(), tags);
    }
    Ok(Reply::json(201, &json!({ "AppInstanceUserArn": arn })))
}

fn list_users(s: &mut State, call: &Call<'_>) -> Answer {
    call.no_body()?;
    let app = call.required_query("app-instance-arn")?;
    app_instance(s, &app)?;
    let all: Vec<Value> = s
        .users
        .iter()
        .filter(|(_, u)| u.app_instance == app)
        .map(|(arn, u)| {
            let mut v = json!({ "AppInstanceUserArn": arn, "Name": u.name });
            set_opt(&mut v, "Metadata", u.metadata.clone());
            v
        })
        .collect();
    let (page, next) = paginate(&all, call)?;
    Ok(Reply::json(
        200,
        &with_next(
            json!({ "AppInstanceArn": app, "AppInstanceUsers": page }),
            next,
        ),
    ))
}

fn describe_user(s: &mut State, call: &Call<'_>, arn: &str) -> Answer {
    call.no_body()?;
    let u = user(s, arn)?;
    let mut v = json!({
        "AppInstanceUserArn": arn,
        "Name": u.name,
        "CreatedTimestamp": ts(u.created),
        "LastUpdatedTimestamp": ts(u.updated),
    });
    set_opt(&mut v, "Metadata", u.metadata.clone());
    set_opt(&mut v, "ExpirationSettings", u.expiration.clone());
    Ok(Reply::json(200, &json!({ "AppInstanceUser": v })))
}

fn update_user(s: &mut State, call: &Call<'_>, arn: &str) -> Answer {
    let name = call.required_str("Name")?;
    check_len(&name, "Name", 1, 100)?;
    let metadata = call.required_str("Metadata")?;
    user(s, arn)?;
    let now = s.tick();
    if let Some(u) = s.users.get_mut(arn) {
        u.name = name;
        u.metadata = Some(metadata);
        u.updated = now;
    }
    Ok(Reply::json(200, &json!({ "AppInstanceUserArn": arn })))
}

fn delete_user(s: &mut State, call: &Call<'_>, arn: &str) -> Answer {
    call.no_body()?;
    user(s, arn)?;
    s.users.remove(arn);
    s.tags.remove(arn);
    s.endpoints.retain(|(u, _), _| u != arn);
    s.admins.retain(|(_, admin), _| admin != arn);
    Ok(Reply::new(204))
}

fn put_expiration(s: &mut State, call: &Call<'_>, arn: &str) -> Answer {
    let expiration = call.body.get("ExpirationSettings").cloned();
    if let Some(e) = &expiration {
        check_expiration(e)?;
    }
    user(s, arn)?;
    let now = s.tick();
    if let Some(u) = s.users.get_mut(arn) {
        u.expiration = expiration.clone();
        u.updated = now;
    }
    let mut v = json!({ "AppInstanceUserArn": arn });
    set_opt(&mut v, "ExpirationSettings", expiration);
    Ok(Reply::json(200, &v))
}

fn register_endpoint(s: &mut State, call: &Call<'_>, arn: &str) -> Answer {
    let name = call.str("Name")?;
    let kind = call.required_str("Type")?;
    if !["APNS", "APNS_SANDBOX", "GCM"].contains(&kind.as_str()) {
        return Err(bad_request(format!("invalid Type {kind}")));
    }
    let resource_arn = call.required_str("ResourceArn")?;
    let attributes = call
        .body
        .get("EndpointAttributes")
        .cloned()
        .ok_or_else(|| bad_request("EndpointAttributes is required"))?;
    if attributes
        .get("DeviceToken")
        .and_then(Value::as_str)
        .is_none()
    {
        return Err(bad_request("EndpointAttributes.DeviceToken is required"));
    }
    let token = call.required_str("ClientRequestToken")?;
    check_token(&token)?;
    let allow_messages = call
        .str("AllowMessages")?
        .unwrap_or_else(|| "ALL".to_owned());
    user(s, arn)?;
    if let Some(((_, id), _)) = s
        .endpoints
        .iter()
        .find(|((u, _), e)| u == arn && e.token == token)
    {
        return Ok(Reply::json(
            201,
            &json!({ "AppInstanceUserArn": arn, "EndpointId": id }),
        ));
    }
    let id = format!("ep-{:04}", s.next_id());
    let now = s.tick();
    s.endpoints.insert(
        (arn.to_owned(), id.clone()),
        Endpoint {
            name,
            kind,
            resource_arn,
            attributes,
            allow_messages,
            created: now,
            updated: now,
            token,
        },
    );
    Ok(Reply::json(
        201,
        &json!({ "AppInstanceUserArn": arn, "EndpointId": id }),
    ))
}

fn endpoint<'s>(s: &'s State, arn: &str, id: &str) -> Result<&'s Endpoint, ServiceError> {
    s.endpoints
        .get(&(arn.to_owned(), id.to_owned()))
        .ok_or_else(|| not_found(format!("endpoint {id} of {arn} not found")))
}

fn list_endpoints(s: &mut State, call: &Call<'_>, arn: &str) -> Answer {
    call.no_body()?;
    user(s, arn)?;
    let all: Vec<Value> = s
        .endpoints
        .iter()
        .filter(|((u, _), _)| u == arn)
        .map(|((u, id), e)| {
            let mut v = json!({
                "AppInstanceUserArn": u,
                "EndpointId": id,
                "Type": e.kind,
                "AllowMessages": e.allow_messages,
                "EndpointState": { "Status": "ACTIVE" },
            });
            set_opt(&mut v, "Name", e.name.clone());
            v
        })
        .collect();
    let (page, next) = paginate(&all, call)?;
    Ok(Reply::json(
        200,
        &with_next(json!({ "AppInstanceUserEndpoints": page }), next),
    ))
}

fn describe_endpoint(s: &mut State, call: &Call<'_>, arn: &str, id: &str) -> Answer {
    call.no_body()?;
    let e = endpoint(s, arn, id)?;
    let mut v = json!({
        "AppInstanceUserArn": arn,
        "EndpointId": id,
        "Type": e.kind,
        "ResourceArn": e.resource_arn,
        "EndpointAttributes": e.attributes,
        "CreatedTimestamp": ts(e.created),
        "LastUpdatedTimestamp": ts(e.updated),
        "AllowMessages": e.allow_messages,
        "EndpointState": { "Status": "ACTIVE" },
    });
    set_opt(&mut v, "Name", e.name.clone());
    Ok(Reply::json(200, &json!({ "AppInstanceUserEndpoint": v })))
}

fn update_endpoint(s: &mut State, call: &Call<'_>, arn: &str, id: &str) -> Answer {
    let name = call.str("Name")?;
    let allow = call.str("AllowMessages")?;
    if let Some(a) = &allow {
        if a != "ALL" && a != "NONE" {
            return Err(bad_request(format!("invalid AllowMessages {a}")));
        }
    }
    endpoint(s, arn, id)?;
    let now = s.tick();
    if let Some(e) = s.endpoints.get_mut(&(arn.to_owned(), id.to_owned())) {
        if name.is_some() {
            e.name = name;
        }
        if let Some(a) = allow {
            e.allow_messages = a;
        }
        e.updated = now;
    }
    Ok(Reply::json(
        200,
        &json!({ "AppInstanceUserArn": arn, "EndpointId": id }),
    ))
}

fn deregister_endpoint(s: &mut State, call: &Call<'_>, arn: &str, id: &str) -> Answer {
    call.no_body()?;
    endpoint(s, arn, id)?;
    s.endpoints.remove(&(arn.to_owned(), id.to_owned()));
    Ok(Reply::new(204))
}

fn bot<'s>(s: &'s State, arn: &str) -> Result<&'s Bot, ServiceError> {
    s.bots
        .get(arn)
        .ok_or_else(|| not_found(format!("AppInstanceBot {arn} not found")))
}

fn create_bot(s: &mut State, call: &Call<'_>) -> Answer {
    let app = call.required_str("AppInstanceArn")?;
    let name = call.str("Name")?;
    if let Some(n) = &name {
        check_len(n, "Name", 0, 256)?;
    }
    let metadata = call.str("Metadata")?;
    let token = call.required_str("ClientRequestToken")?;
    check_token(&token)?;
    let tags = check_tags(call.body.get("Tags"))?;
    let configuration = check_configuration(call.body.get("Configuration"))?;
    app_instance(s, &app)?;
    if let Some((arn, _)) = s
        .bots
        .iter()
        .find(|(_, b)| b.app_instance == app && b.token == token)
    {
        return Ok(Reply::json(201, &json!({ "AppInstanceBotArn": arn })));
    }
    let arn = format!("{app}/bot/bot-{:04}", s.next_id());
    let now = s.tick();
    s.bots.insert(
        arn.clone(),
        Bot {
            app_instance: app,
            name,
            metadata,
            configuration,
            created: now,
            updated: now,
            token,
        },
    );
    if !tags.is_empty() {
        s.tags.insert(arn.clone(), tags);
    }
    Ok(Reply::json(201, &json!({ "AppInstanceBotArn": arn })))
}

fn list_bots(s: &mut State, call: &Call<'_>) -> Answer {
    call.no_body()?;
    let app = call.required_query("app-instance-arn")?;
    app_instance(s, &app)?;
    let all: Vec<Value> = s
        .bots
        .iter()
        .filter(|(_, b)| b.app_instance == app)
        .map(|(arn, b)| {
            let mut v = json!({ "AppInstanceBotArn": arn });
            set_opt(&mut v, "Name", b.name.clone());
            set_opt(&mut v, "Metadata", b.metadata.clone());
            v
        })
        .collect();
    let (page, next) = paginate(&all, call)?;
    Ok(Reply::json(
        200,
        &with_next(
            json!({ "AppInstanceArn": app, "AppInstanceBots": page }),
            next,
        ),
    ))
}

fn describe_bot(s: &mut State, call: &Call<'_>, arn: &str) -> Answer {
    call.no_body()?;
    let b = bot(s, arn)?;
    let mut v = json!({
        "AppInstanceBotArn": arn,
        "Configuration": b.configuration,
        "CreatedTimestamp": ts(b.created),
        "LastUpdatedTimestamp": ts(b.updated),
    });
    set_opt(&mut v, "Name", b.name.clone());
    set_opt(&mut v, "Metadata", b.metadata.clone());
    Ok(Reply::json(200, &json!({ "AppInstanceBot": v })))
}

fn update_bot(s: &mut State, call: &Call<'_>, arn: &str) -> Answer {
    let name = call.required_str("Name")?;
    check_len(&name, "Name", 0, 256)?;
    let metadata = call.required_str("Metadata")?;
    let configuration = match call.body.get("Configuration") {
        Some(c) => Some(check_configuration(Some(c))?),
        None => None,
    };
    bot(s, arn)?;
    let now = s.tick();
    if let Some(b) = s.bots.get_mut(arn) {
        b.name = Some(name);
        b.metadata = Some(metadata);
        if let Some(c) = configuration {
            b.configuration = c;
        }
        b.updated = now;
    }
    Ok(Reply::json(200, &json!({ "AppInstanceBotArn": arn })))
}

fn delete_bot(s: &mut State, call: &Call<'_>, arn: &str) -> Answer {
    call.no_body()?;
    bot(s, arn)?;
    s.bots.remove(arn);
    s.tags.remove(arn);
    s.admins.retain(|(_, admin), _| admin != arn);
    Ok(Reply::new(204))
}

fn list_tags(s: &mut State, call: &Call<'_>) -> Answer {
    call.no_body()?;
    let arn = call.required_query("arn")?;
    if !s.exists(&arn) {
        return Err(not_found(format!("resource {arn} not found")));
    }
    let tags: Vec<Value> = s
        .tags
        .get(&arn)
        .map(|tags| {
            tags.iter()
                .map(|(k, v)| json!({ "Key": k, "Value": v }))
                .collect()
        })
        .unwrap_or_default();
    Ok(Reply::json(200, &json!({ "Tags": tags })))
}

fn tag_resource(s: &mut State, call: &Call<'_>) -> Answer {
    let arn = call.required_str("ResourceARN")?;
    let tags = check_tags(Some(
        call.body
            .get("Tags")
            .ok_or_else(|| bad_request("Tags is required"))?,
    ))?;
    if !s.exists(&arn) {
        return Err(not_found(format!("resource {arn} not found")));
    }
    let existing = s.tags.entry(arn).or_default();
    for (k, v) in tags {
        match existing.iter_mut().find(|(ek, _)| *ek == k) {
            Some(slot) => slot.1 = v,
            None => existing.push((k, v)),
        }
    }
    if existing.len() > 50 {
        return Err(ServiceError {
            status: 400,
            shape: "ResourceLimitExceededException",
            code: "ResourceLimitExceeded",
            message: "a resource can have at most 50 tags".to_owned(),
        });
    }
    Ok(Reply::new(204))
}

fn untag_resource(s: &mut State, call: &Call<'_>) -> Answer {
    let arn = call.required_str("ResourceARN")?;
    let keys = call
        .body
        .get("TagKeys")
        .and_then(Value::as_array)
        .ok_or_else(|| bad_request("TagKeys is required"))?;
    if keys.is_empty() {
        return Err(bad_request("TagKeys must have 1..=50 items"));
    }
    if !s.exists(&arn) {
        return Err(not_found(format!("resource {arn} not found")));
    }
    let keys: Vec<&str> = keys.iter().filter_map(Value::as_str).collect();
    if let Some(existing) = s.tags.get_mut(&arn) {
        existing.retain(|(k, _)| !keys.contains(&k.as_str()));
    }
    Ok(Reply::new(204))
}
