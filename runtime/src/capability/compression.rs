//! gzip compression of request bodies, for operations the model marks `@requestCompression`.

use std::io::Write as _;

use http::header::{HeaderValue, CONTENT_ENCODING, CONTENT_LENGTH};

use crate::contract::error::BuildError;
use crate::contract::http::HttpRequest;
use crate::contract::operation::RequestCompression;

/// Compresses the request body with gzip unless compression is disabled or the body is smaller
/// than the configured minimum; appends `gzip` to `Content-Encoding` (after any encoding the
/// input set) and updates `Content-Length`.
pub fn compress_request(
    request: &mut HttpRequest,
    settings: RequestCompression,
) -> Result<(), BuildError> {
    let body = request.body();
    if settings.disabled || body.len() < settings.min_size_bytes as usize {
        return Ok(());
    }
    let compressed = gzip(body)
        .map_err(|err| BuildError::other(format!("could not gzip the request body: {err}")))?;
    let encoding = match request.headers().get(CONTENT_ENCODING) {
        Some(existing) => {
            let existing = existing.to_str().map_err(|_| {
                BuildError::other("the Content-Encoding header is not visible ASCII")
            })?;
            format!("{existing}, gzip")
        }
        None => "gzip".to_owned(),
    };
    let encoding = HeaderValue::from_str(&encoding)
        .map_err(|_| BuildError::other(format!("invalid Content-Encoding {encoding:?}")))?;
    let headers = request.headers_mut();
    headers.insert(CONTENT_ENCODING, encoding);
    if headers.contains_key(CONTENT_LENGTH) {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(compressed.len()));
    }
    *request.body_mut() = compressed.into();
    Ok(())
}

fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 2),
        flate2::Compression::default(),
    );
    encoder.write_all(data)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    fn request(body: Vec<u8>, encoding: Option<&'static str>) -> HttpRequest {
        let len = body.len();
        let mut req = http::Request::new(bytes::Bytes::from(body));
        req.headers_mut()
            .insert(CONTENT_LENGTH, HeaderValue::from(len));
        if let Some(e) = encoding {
            req.headers_mut()
                .insert(CONTENT_ENCODING, HeaderValue::from_static(e));
        }
        req
    }

    fn gunzip(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(data)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    fn big_body() -> Vec<u8> {
        b"{\"data\":\"abcdefghij\"}".repeat(1000)
    }

    #[test]
    fn compresses_bodies_at_or_above_the_minimum() {
        let body = big_body();
        let mut req = request(body.clone(), None);
        compress_request(&mut req, RequestCompression::default()).unwrap();
        assert_eq!(req.headers()[CONTENT_ENCODING], "gzip");
        assert!(req.body().len() < body.len());
        assert_eq!(req.headers()[CONTENT_LENGTH], req.body().len().to_string());
        assert_eq!(gunzip(req.body()), body);

        let settings = RequestCompression {
            disabled: false,
            min_size_bytes: body.len() as u32,
        };
        let mut exact = request(body.clone(), None);
        compress_request(&mut exact, settings).unwrap();
        assert_eq!(exact.headers()[CONTENT_ENCODING], "gzip");
    }

    #[test]
    fn appends_gzip_after_a_given_encoding() {
        let mut req = request(big_body(), Some("custom"));
        compress_request(&mut req, RequestCompression::default()).unwrap();
        assert_eq!(req.headers()[CONTENT_ENCODING], "custom, gzip");
    }

    #[test]
    fn leaves_small_bodies_and_disabled_compression_alone() {
        let small = b"{}".to_vec();
        let mut req = request(small.clone(), None);
        compress_request(&mut req, RequestCompression::default()).unwrap();
        assert!(req.headers().get(CONTENT_ENCODING).is_none());
        assert_eq!(req.body().as_ref(), small.as_slice());

        let body = big_body();
        let disabled = RequestCompression {
            disabled: true,
            min_size_bytes: 0,
        };
        let mut req = request(body.clone(), None);
        compress_request(&mut req, disabled).unwrap();
        assert!(req.headers().get(CONTENT_ENCODING).is_none());
        assert_eq!(req.body().as_ref(), body.as_slice());
    }
}
