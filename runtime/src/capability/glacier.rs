//! Amazon Glacier's payload checksums: the SHA-256 of an upload (`X-Amz-Content-Sha256`) and its
//! SHA-256 tree hash (`X-Amz-Sha256-Tree-Hash`), which Glacier requires on archive and part
//! uploads.

use http::header::{HeaderName, HeaderValue};
use ring::digest::{digest, Context, Digest, SHA256};

use crate::contract::http::HttpRequest;
use crate::sigv4::hex;

const CONTENT_SHA256: HeaderName = HeaderName::from_static("x-amz-content-sha256");
const TREE_HASH: HeaderName = HeaderName::from_static("x-amz-sha256-tree-hash");

/// Glacier hashes payloads in chunks of 1 MiB.
const CHUNK: usize = 1024 * 1024;

/// Sets both checksum headers from the request body, keeping any value the caller set.
pub fn set_checksum_headers(request: &mut HttpRequest) {
    let body = request.body().clone();
    let headers = request.headers_mut();
    if !headers.contains_key(CONTENT_SHA256) {
        headers.insert(CONTENT_SHA256, hex_value(digest(&SHA256, &body)));
    }
    if !headers.contains_key(TREE_HASH) {
        headers.insert(TREE_HASH, hex_value(tree_hash(&body)));
    }
}

/// The SHA-256 tree hash: the SHA-256 of each 1 MiB chunk, then of each pair of hashes (an odd
/// hash out moves up as is), level by level until one is left. An empty payload is one empty
/// chunk.
pub fn tree_hash(data: &[u8]) -> Digest {
    let mut level: Vec<Digest> = data
        .chunks(CHUNK)
        .map(|chunk| digest(&SHA256, chunk))
        .collect();
    loop {
        let mut hashes = level.into_iter();
        let Some(first) = hashes.next() else {
            // No chunk at all: the payload is empty.
            return digest(&SHA256, data);
        };
        let Some(second) = hashes.next() else {
            return first;
        };
        let mut next = Vec::with_capacity(hashes.len() / 2 + 1);
        let mut pair = Some((first, Some(second)));
        while let Some((left, right)) = pair.take() {
            next.push(match right {
                Some(right) => {
                    let mut context = Context::new(&SHA256);
                    context.update(left.as_ref());
                    context.update(right.as_ref());
                    context.finish()
                }
                None => left,
            });
            pair = hashes.next().map(|left| (left, hashes.next()));
        }
        level = next;
    }
}

fn hex_value(digest: Digest) -> HeaderValue {
    HeaderValue::from_maybe_shared(bytes::Bytes::from(hex(digest.as_ref())))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: usize = 1024 * 1024;

    fn hex_of(d: Digest) -> String {
        hex_value(d).to_str().unwrap().to_owned()
    }

    fn payload(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i % 251) as u8).collect()
    }

    // Expected values computed independently (Python's hashlib).
    #[test]
    fn tree_hashes_of_one_two_and_four_chunks() {
        assert_eq!(
            hex_of(tree_hash(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex_of(tree_hash(b"hello world")),
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        assert_eq!(
            hex_of(tree_hash(&payload(2 * MIB))),
            "bf4dff263ae686b64403208c35a3767e38453d6477e841947588d13d04e1d816"
        );
        // Four chunks, the last 5 bytes long.
        assert_eq!(
            hex_of(tree_hash(&payload(3 * MIB + 5))),
            "c9e0c11a00161b193e0a1b3692ec553d4033a887f2086a7cadd4cd722d87f09f"
        );
    }

    #[test]
    fn sets_both_headers_and_keeps_given_ones() {
        let mut request = http::Request::new(bytes::Bytes::from(payload(3 * MIB + 5)));
        set_checksum_headers(&mut request);
        assert_eq!(
            request.headers()["x-amz-content-sha256"],
            "b01669d77761c4dfdfc8fb927821087bcf5c9ef1f917c4f1f8504e529f19edab"
        );
        assert_eq!(
            request.headers()["x-amz-sha256-tree-hash"],
            "c9e0c11a00161b193e0a1b3692ec553d4033a887f2086a7cadd4cd722d87f09f"
        );
        let mut given = http::Request::new(bytes::Bytes::from_static(b"x"));
        given
            .headers_mut()
            .insert("x-amz-sha256-tree-hash", HeaderValue::from_static("mine"));
        set_checksum_headers(&mut given);
        assert_eq!(given.headers()["x-amz-sha256-tree-hash"], "mine");
    }
}
