//! What the generated (un)marshallers of every `@streaming` union share: the headers that say
//! what a message is (`:message-type`, `:event-type`, `:exception-type`, `:content-type`),
//! `@eventHeader` values of the model's types, and `error` messages.

use bytes::Bytes;

use crate::codec::event_stream::{Header, HeaderStr, HeaderValue, Message};
use crate::contract::error::{
    CreateUnhandledError, DeserializeError, ErrorMetadata, MessageError, ProvideErrorMetadata,
};
use crate::primitives::{Blob, DateTime};

const MESSAGE_TYPE: &str = ":message-type";
const EVENT_TYPE: &str = ":event-type";
const EXCEPTION_TYPE: &str = ":exception-type";
const ERROR_CODE: &str = ":error-code";
const ERROR_MESSAGE: &str = ":error-message";
const CONTENT_TYPE: &str = ":content-type";

/// What a message holds, from its `:message-type` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageType<'a> {
    /// An event; the name of its union member (`:event-type`).
    Event(&'a str),
    /// A modeled error; the name of its union member (`:exception-type`).
    Exception(&'a str),
    /// An error the model does not describe (`:error-code`, `:error-message`).
    Error,
}

/// Reads what `message` holds.
///
/// # Errors
///
/// When `:message-type` is missing, is not a string or is none of `event`, `exception` and
/// `error`, or the `:event-type` / `:exception-type` it needs is missing or not a string.
pub fn message_type(message: &Message) -> Result<MessageType<'_>, DeserializeError> {
    let required = |name: &str| {
        string_header(message, name)?.ok_or_else(|| {
            DeserializeError::new(format!("an event stream message has no `{name}` header"))
        })
    };
    match required(MESSAGE_TYPE)? {
        "event" => Ok(MessageType::Event(required(EVENT_TYPE)?)),
        "exception" => Ok(MessageType::Exception(required(EXCEPTION_TYPE)?)),
        "error" => Ok(MessageType::Error),
        other => Err(DeserializeError::new(format!(
            "an event stream message has the unknown `{MESSAGE_TYPE}` {other:?} (expected \
             `event`, `exception` or `error`)"
        ))),
    }
}

/// The text of the string header `name`; an error when it has another type.
fn string_header<'m>(
    message: &'m Message,
    name: &str,
) -> Result<Option<&'m str>, DeserializeError> {
    match message.header(name) {
        None => Ok(None),
        Some(HeaderValue::String(text)) => Ok(Some(text.as_str())),
        Some(other) => Err(DeserializeError::new(format!(
            "the event stream header `{name}` is a {}, expected a string",
            other.type_name()
        ))),
    }
}

/// The unhandled error (of the union's error enum `E`) for an `error` message (its
/// `:error-code` and `:error-message`) or an exception the union does not model (its
/// `:exception-type`, and the `message` of its JSON payload).
pub fn error_message<E: CreateUnhandledError>(message: &Message) -> E {
    let (code, text) = match message_type(message) {
        Ok(MessageType::Exception(exception_type)) => {
            let text = serde_json::from_slice::<serde_json::Value>(message.payload())
                .ok()
                .and_then(|body| {
                    ["message", "Message", "errorMessage"]
                        .iter()
                        .find_map(|key| body.get(*key)?.as_str().map(str::to_owned))
                });
            (Some(exception_type.to_owned()), text)
        }
        _ => (
            string_header(message, ERROR_CODE)
                .ok()
                .flatten()
                .map(str::to_owned),
            string_header(message, ERROR_MESSAGE)
                .ok()
                .flatten()
                .map(str::to_owned),
        ),
    };
    let description = match &code {
        Some(code) => format!("the service sent the error `{code}` in the event stream"),
        None => "the service sent an error in the event stream".to_owned(),
    };
    let meta = ErrorMetadata::new().with_code(code).with_message(text);
    E::create_unhandled_error(Box::new(MessageError(description)), Some(meta))
}

/// The headers every event message starts with: `:message-type: event` and `:event-type`.
pub fn event_headers(event_type: &'static str) -> Vec<Header> {
    vec![
        Header::new(
            HeaderStr::from_static(MESSAGE_TYPE),
            HeaderValue::String(HeaderStr::from_static("event")),
        ),
        Header::new(
            HeaderStr::from_static(EVENT_TYPE),
            HeaderValue::String(HeaderStr::from_static(event_type)),
        ),
    ]
}

/// The headers every exception message starts with: `:message-type: exception` and
/// `:exception-type`.
pub fn exception_headers(exception_type: &'static str) -> Vec<Header> {
    vec![
        Header::new(
            HeaderStr::from_static(MESSAGE_TYPE),
            HeaderValue::String(HeaderStr::from_static("exception")),
        ),
        Header::new(
            HeaderStr::from_static(EXCEPTION_TYPE),
            HeaderValue::String(HeaderStr::from_static(exception_type)),
        ),
    ]
}

/// The `:content-type` header of a message with a payload.
pub fn content_type(media_type: &'static str) -> Header {
    Header::new(
        HeaderStr::from_static(CONTENT_TYPE),
        HeaderValue::String(HeaderStr::from_static(media_type)),
    )
}

/// An `error` message (`:error-code`, `:error-message`) for an error the union does not model.
pub fn error_message_for(meta: &impl ProvideErrorMetadata) -> Message {
    let mut headers = vec![Header::new(
        HeaderStr::from_static(MESSAGE_TYPE),
        HeaderValue::String(HeaderStr::from_static("error")),
    )];
    headers.push(Header::new(
        HeaderStr::from_static(ERROR_CODE),
        HeaderValue::string(meta.code().unwrap_or("UnknownError")),
    ));
    if let Some(text) = meta.message() {
        headers.push(Header::new(
            HeaderStr::from_static(ERROR_MESSAGE),
            HeaderValue::string(text),
        ));
    }
    Message::from_parts(headers, Bytes::new())
}

/// A value of a model type that an `@eventHeader` member can hold, and its header type.
pub trait EventHeader: Sized {
    /// The header type written for it, for messages.
    const TYPE: &'static str;

    /// The header value for it.
    fn to_header_value(self) -> HeaderValue;

    /// It, from a header value of its type; `None` for a value of another type (or an integer
    /// out of its range).
    fn from_header_value(value: &HeaderValue) -> Option<Self>;
}

macro_rules! integer_header {
    ($ty:ty, $variant:ident, $name:literal) => {
        impl EventHeader for $ty {
            const TYPE: &'static str = $name;

            fn to_header_value(self) -> HeaderValue {
                HeaderValue::$variant(self)
            }

            /// Any integer header whose value fits.
            fn from_header_value(value: &HeaderValue) -> Option<Self> {
                value.as_i64().and_then(|n| <$ty>::try_from(n).ok())
            }
        }
    };
}

integer_header!(i8, Byte, "byte");
integer_header!(i16, Int16, "int16");
integer_header!(i32, Int32, "int32");
integer_header!(i64, Int64, "int64");

impl EventHeader for bool {
    const TYPE: &'static str = "bool";

    fn to_header_value(self) -> HeaderValue {
        HeaderValue::Bool(self)
    }

    fn from_header_value(value: &HeaderValue) -> Option<Self> {
        value.as_bool()
    }
}

impl EventHeader for String {
    const TYPE: &'static str = "string";

    fn to_header_value(self) -> HeaderValue {
        HeaderValue::string(self)
    }

    fn from_header_value(value: &HeaderValue) -> Option<Self> {
        value.as_str().map(str::to_owned)
    }
}

impl EventHeader for Blob {
    const TYPE: &'static str = "byte array";

    fn to_header_value(self) -> HeaderValue {
        HeaderValue::ByteArray(Bytes::from(self.into_inner()))
    }

    fn from_header_value(value: &HeaderValue) -> Option<Self> {
        value.as_bytes().map(|bytes| Blob::new(bytes.to_vec()))
    }
}

impl EventHeader for DateTime {
    const TYPE: &'static str = "timestamp";

    /// Whole milliseconds (the header's precision), rounded down; saturated beyond the range
    /// of an `i64` of milliseconds.
    fn to_header_value(self) -> HeaderValue {
        let millis = self
            .to_millis()
            .unwrap_or(if self.secs() < 0 { i64::MIN } else { i64::MAX });
        HeaderValue::Timestamp(millis)
    }

    fn from_header_value(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::Timestamp(millis) => Some(DateTime::from_millis(*millis)),
            _ => None,
        }
    }
}

/// The header `name: value` of an `@eventHeader` member.
pub fn event_header<V: EventHeader>(name: &'static str, value: V) -> Header {
    Header::new(HeaderStr::from_static(name), value.to_header_value())
}

/// The value of the `@eventHeader` member whose header is `name`, if the message has it.
///
/// # Errors
///
/// When the header has another type than the member's.
pub fn read_event_header<V: EventHeader>(
    message: &Message,
    name: &str,
) -> Result<Option<V>, DeserializeError> {
    let Some(value) = message.header(name) else {
        return Ok(None);
    };
    V::from_header_value(value).map(Some).ok_or_else(|| {
        DeserializeError::new(format!(
            "the event header `{name}` is a {} that does not fit the member's type ({})",
            value.type_name(),
            V::TYPE
        ))
    })
}

/// The UTF-8 text of a `@eventPayload` string member.
///
/// # Errors
///
/// When the payload is not UTF-8.
pub fn payload_text(message: &Message) -> Result<String, DeserializeError> {
    String::from_utf8(message.payload().to_vec())
        .map_err(|_| DeserializeError::new("an event's text payload is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(headers: &[(&'static str, HeaderValue)]) -> Message {
        let mut message = Message::new(Bytes::new());
        for (name, value) in headers {
            message.add_header(Header::new(HeaderStr::from_static(name), value.clone()));
        }
        message
    }

    #[test]
    fn message_types_are_read_and_checked() {
        let event = with(&[
            (MESSAGE_TYPE, HeaderValue::string("event")),
            (EVENT_TYPE, HeaderValue::string("chunk")),
        ]);
        assert_eq!(message_type(&event).unwrap(), MessageType::Event("chunk"));
        let blob_type = with(&[(
            MESSAGE_TYPE,
            HeaderValue::ByteArray(Bytes::from_static(b"event")),
        )]);
        let err = message_type(&blob_type).unwrap_err().to_string();
        assert!(err.contains("is a byte array, expected a string"), "{err}");
        let missing = with(&[(MESSAGE_TYPE, HeaderValue::string("event"))]);
        let err = message_type(&missing).unwrap_err().to_string();
        assert!(err.contains("no `:event-type` header"), "{err}");
        let err = message_type(&with(&[])).unwrap_err().to_string();
        assert!(err.contains("no `:message-type` header"), "{err}");
        let unknown = with(&[(MESSAGE_TYPE, HeaderValue::string("surprise"))]);
        assert!(message_type(&unknown).is_err());
    }

    #[test]
    fn header_values_round_trip_and_integers_widen() {
        let message = Message::from_parts(
            vec![
                event_header("b", true),
                event_header("n", 7i8),
                event_header("l", 1i64 << 40),
                event_header("t", DateTime::from_millis(1_700_000_000_123)),
                event_header("s", String::from("text")),
            ],
            Bytes::new(),
        );
        assert_eq!(
            read_event_header::<bool>(&message, "b").unwrap(),
            Some(true)
        );
        assert_eq!(read_event_header::<i32>(&message, "n").unwrap(), Some(7));
        assert!(read_event_header::<i32>(&message, "l").is_err());
        assert_eq!(
            read_event_header::<DateTime>(&message, "t").unwrap(),
            Some(DateTime::from_millis(1_700_000_000_123))
        );
        assert_eq!(read_event_header::<String>(&message, "x").unwrap(), None);
        let err = read_event_header::<bool>(&message, "s").unwrap_err();
        assert!(err.to_string().contains("string"), "{err}");
    }
}
