//! restJson1 protocol rules shared by every operation: how an error response names its error.

use serde_json::Value;

use super::error_code::sanitize_error_code;
use crate::contract::error::ErrorMetadata;
use crate::contract::http::HttpResponse;

/// The error code, message and request id of an error response, and its body parsed as JSON
/// (`Value::Null` when the body is empty or not JSON).
///
/// The code comes from the `X-Amzn-ErrorType` header, else the body's `code`, else its
/// `__type`, sanitized per restJson1: anything after a `:` and before a `#` is dropped
/// (`aws.protocoltests.restjson#FooError:http://internal.amazon.com/...` -> `FooError`).
pub fn error_metadata(response: &HttpResponse) -> (ErrorMetadata, Value) {
    let body = if response.body().iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        serde_json::from_slice(response.body()).unwrap_or(Value::Null)
    };
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let body_str = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
    let code = header("x-amzn-errortype")
        .or_else(|| body_str("code"))
        .or_else(|| body_str("__type"))
        .map(|raw| sanitize_error_code(&raw).to_owned())
        .filter(|code| !code.is_empty());
    let message = body_str("message")
        .or_else(|| body_str("Message"))
        .or_else(|| body_str("errorMessage"));
    let request_id = header("x-amzn-requestid");
    let meta = ErrorMetadata::new()
        .with_code(code)
        .with_message(message)
        .with_request_id(request_id)
        .with_status(Some(response.status().as_u16()));
    (meta, body)
}

/// Formats a float for a header, label or query value: `NaN`, `Infinity`, `-Infinity`, or the
/// shortest decimal that reads back to the same value.
pub fn format_float<F: Into<f64> + Copy + std::fmt::Display>(value: F) -> String {
    let wide: f64 = value.into();
    if wide.is_nan() {
        "NaN".to_owned()
    } else if wide.is_infinite() {
        if wide > 0.0 {
            "Infinity".to_owned()
        } else {
            "-Infinity".to_owned()
        }
    } else {
        // The value's own type prints it: an `f32` 1.1 is "1.1", not its f64 widening
        // "1.100000023841858".
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        let mut builder = http::Response::builder().status(status);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(bytes::Bytes::from(body.to_owned())).unwrap()
    }

    #[test]
    fn code_comes_from_header_then_code_then_type() {
        let (meta, _) = error_metadata(&response(
            409,
            &[
                ("X-Amzn-ErrorType", "ConflictException:http://internal/"),
                ("x-amzn-requestid", "rid"),
            ],
            r#"{"code":"Other","message":"taken"}"#,
        ));
        assert_eq!(meta.code(), Some("ConflictException"));
        assert_eq!(meta.message(), Some("taken"));
        assert_eq!(meta.request_id(), Some("rid"));
        assert_eq!(meta.status(), Some(409));

        let (meta, _) = error_metadata(&response(
            400,
            &[],
            r#"{"code":"BadRequestException","Message":"m"}"#,
        ));
        assert_eq!(meta.code(), Some("BadRequestException"));
        assert_eq!(meta.message(), Some("m"));

        let (meta, _) = error_metadata(&response(
            404,
            &[],
            r#"{"__type":"com.amazonaws.chimesdkidentity#NotFoundException","errorMessage":"gone"}"#,
        ));
        assert_eq!(meta.code(), Some("NotFoundException"));
        assert_eq!(meta.message(), Some("gone"));
    }

    #[test]
    fn sanitizes_codes_like_the_spec_says() {
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        assert_eq!(
            sanitize_error_code(
                "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"
            ),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError"),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
            "FooError"
        );
    }

    #[test]
    fn bodies_that_are_not_json_give_no_code() {
        let (meta, body) = error_metadata(&response(500, &[], "<html>oops</html>"));
        assert_eq!(meta.code(), None);
        assert_eq!(body, Value::Null);
        assert_eq!(meta.status(), Some(500));
    }

    #[test]
    fn floats_use_the_smithy_spellings() {
        assert_eq!(format_float(f64::NAN), "NaN");
        assert_eq!(format_float(f64::INFINITY), "Infinity");
        assert_eq!(format_float(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(format_float(1.5), "1.5");
        assert_eq!(format_float(2.0), "2");
        assert_eq!(format_float(1.1_f32), "1.1");
        assert_eq!(format_float(f32::NEG_INFINITY), "-Infinity");
    }
}
