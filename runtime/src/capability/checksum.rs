//! `Content-MD5` request checksums, for operations the model marks `@httpChecksumRequired`.

use http::header::{HeaderName, HeaderValue};

use crate::codec::http_binding::base64_encode;
use crate::contract::http::HttpRequest;

const CONTENT_MD5: HeaderName = HeaderName::from_static("content-md5");

/// Sets the `Content-MD5` header to the base64 of the MD5 digest of the request body as it
/// will be sent (after any compression). A value the caller already set is kept.
pub fn set_content_md5(request: &mut HttpRequest) {
    if request.headers().contains_key(CONTENT_MD5) {
        return;
    }
    let digest = md5::compute(request.body());
    let encoded = base64_encode(&digest.0);
    // Base64 text is always a valid header value.
    if let Ok(value) = HeaderValue::from_str(&encoded) {
        request.headers_mut().insert(CONTENT_MD5, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: &'static str) -> HttpRequest {
        http::Request::new(bytes::Bytes::from_static(body.as_bytes()))
    }

    #[test]
    fn digest_of_known_bodies() {
        // RFC 1321 test suite digests, base64-encoded.
        for (body, expected) in [
            ("", "1B2M2Y8AsgTpgAmY7PhCfg=="),
            ("abc", "kAFQmDzST7DWlj99KOF/cg=="),
            ("message digest", "+WtpfXy3k41SWi8xqvFh0A=="),
        ] {
            let mut req = request(body);
            set_content_md5(&mut req);
            assert_eq!(req.headers()["content-md5"], expected, "body {body:?}");
        }
    }

    #[test]
    fn keeps_a_value_the_caller_set() {
        let mut req = request("abc");
        req.headers_mut()
            .insert("content-md5", HeaderValue::from_static("given"));
        set_content_md5(&mut req);
        assert_eq!(req.headers()["content-md5"], "given");
    }
}
