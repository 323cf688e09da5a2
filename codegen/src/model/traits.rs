//! Traits: kept as (absolute trait id -> JSON value), with typed accessors for the traits the
//! generator uses. Unknown traits are kept and ignored.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// The traits applied to a shape or member.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Traits(BTreeMap<String, Value>);

/// `smithy.api#http`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HttpTrait {
    /// The HTTP method.
    pub method: String,
    /// The URI pattern, e.g. `/app-instances/{AppInstanceArn}`.
    pub uri: String,
    /// The success status code (200 when absent).
    pub code: u16,
}

/// `smithy.api#paginated` (merged with the service's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaginatedTrait {
    /// The input member carrying the token.
    pub input_token: Option<String>,
    /// The output member (path) carrying the next token.
    pub output_token: Option<String>,
    /// The output member (path) holding the items.
    pub items: Option<String>,
    /// The input member limiting the page size.
    pub page_size: Option<String>,
}

/// `smithy.api#timestampFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TimestampFormat {
    /// RFC 3339 `date-time`.
    DateTime,
    /// RFC 7231 IMF-fixdate `http-date`.
    HttpDate,
    /// Seconds since the epoch, with an optional fraction.
    EpochSeconds,
}

impl Traits {
    /// Whether the trait `id` is present (`required` means `smithy.api#required`).
    pub fn has(&self, id: &str) -> bool {
        self.0.contains_key(&qualify(id))
    }

    /// The raw value of trait `id`.
    pub fn get(&self, id: &str) -> Option<&Value> {
        self.0.get(&qualify(id))
    }

    /// Sets trait `id` (an absolute id) to `value`, replacing any previous value.
    pub fn insert(&mut self, id: impl Into<String>, value: Value) {
        self.0.insert(id.into(), value);
    }

    /// Removes trait `id`.
    pub fn remove(&mut self, id: &str) -> Option<Value> {
        self.0.remove(&qualify(id))
    }

    /// Iterates over (trait id, value) in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter()
    }

    /// Merges `other` into `self`: traits already present are kept unless `overwrite`.
    pub fn merge(&mut self, other: &Traits, overwrite: bool) {
        for (id, value) in &other.0 {
            if overwrite || !self.0.contains_key(id) {
                self.0.insert(id.clone(), value.clone());
            }
        }
    }

    /// A string-valued trait.
    pub fn string(&self, id: &str) -> Option<&str> {
        self.get(id).and_then(Value::as_str)
    }

    /// `@documentation`.
    pub fn documentation(&self) -> Option<&str> {
        self.string("documentation")
    }

    /// `@required`.
    pub fn required(&self) -> bool {
        self.has("required")
    }

    /// `@sensitive`.
    pub fn sensitive(&self) -> bool {
        self.has("sensitive")
    }

    /// `@error` (`client` or `server`).
    pub fn error(&self) -> Option<&str> {
        self.string("error")
    }

    /// `@httpError`.
    pub fn http_error(&self) -> Option<u16> {
        self.get("httpError")
            .and_then(Value::as_u64)
            .and_then(|code| u16::try_from(code).ok())
    }

    /// `@http`, when present and well-formed.
    pub fn http(&self) -> Option<HttpTrait> {
        let value = self.get("http")?;
        Some(HttpTrait {
            method: value.get("method")?.as_str()?.to_owned(),
            uri: value.get("uri")?.as_str()?.to_owned(),
            code: value
                .get("code")
                .and_then(Value::as_u64)
                .and_then(|c| u16::try_from(c).ok())
                .unwrap_or(200),
        })
    }

    /// `@httpLabel`.
    pub fn http_label(&self) -> bool {
        self.has("httpLabel")
    }

    /// `@httpQuery` name.
    pub fn http_query(&self) -> Option<&str> {
        self.string("httpQuery")
    }

    /// `@httpQueryParams`.
    pub fn http_query_params(&self) -> bool {
        self.has("httpQueryParams")
    }

    /// `@httpHeader` name.
    pub fn http_header(&self) -> Option<&str> {
        self.string("httpHeader")
    }

    /// `@httpPrefixHeaders` prefix.
    pub fn http_prefix_headers(&self) -> Option<&str> {
        self.string("httpPrefixHeaders")
    }

    /// `@httpPayload`.
    pub fn http_payload(&self) -> bool {
        self.has("httpPayload")
    }

    /// `@httpResponseCode`.
    pub fn http_response_code(&self) -> bool {
        self.has("httpResponseCode")
    }

    /// `@jsonName`.
    pub fn json_name(&self) -> Option<&str> {
        self.string("jsonName")
    }

    /// `@timestampFormat`.
    pub fn timestamp_format(&self) -> Option<TimestampFormat> {
        match self.string("timestampFormat")? {
            "date-time" => Some(TimestampFormat::DateTime),
            "http-date" => Some(TimestampFormat::HttpDate),
            "epoch-seconds" => Some(TimestampFormat::EpochSeconds),
            _ => None,
        }
    }

    /// `@mediaType`.
    pub fn media_type(&self) -> Option<&str> {
        self.string("mediaType")
    }

    /// `@idempotencyToken`.
    pub fn idempotency_token(&self) -> bool {
        self.has("idempotencyToken")
    }

    /// `@default` value.
    pub fn default_value(&self) -> Option<&Value> {
        self.get("default")
    }

    /// `@clientOptional`.
    pub fn client_optional(&self) -> bool {
        self.has("clientOptional")
    }

    /// `@sparse`.
    pub fn sparse(&self) -> bool {
        self.has("sparse")
    }

    /// `@enumValue`.
    pub fn enum_value(&self) -> Option<&Value> {
        self.get("enumValue")
    }

    /// `@deprecated`.
    pub fn deprecated(&self) -> bool {
        self.has("deprecated")
    }

    /// `@streaming`.
    pub fn streaming(&self) -> bool {
        self.has("streaming")
    }

    /// `@length` bounds.
    pub fn length(&self) -> Option<(Option<u64>, Option<u64>)> {
        let value = self.get("length")?;
        Some((
            value.get("min").and_then(Value::as_u64),
            value.get("max").and_then(Value::as_u64),
        ))
    }

    /// `@range` bounds.
    pub fn range(&self) -> Option<(Option<f64>, Option<f64>)> {
        let value = self.get("range")?;
        Some((
            value.get("min").and_then(Value::as_f64),
            value.get("max").and_then(Value::as_f64),
        ))
    }

    /// `@paginated`.
    pub fn paginated(&self) -> Option<PaginatedTrait> {
        let value = self.get("paginated")?;
        let field = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_owned);
        Some(PaginatedTrait {
            input_token: field("inputToken"),
            output_token: field("outputToken"),
            items: field("items"),
            page_size: field("pageSize"),
        })
    }
}

/// `required` -> `smithy.api#required`; absolute ids are returned unchanged.
fn qualify(id: &str) -> String {
    if id.contains('#') {
        id.to_owned()
    } else {
        format!("smithy.api#{id}")
    }
}

impl FromIterator<(String, Value)> for Traits {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Traits(iter.into_iter().collect())
    }
}
