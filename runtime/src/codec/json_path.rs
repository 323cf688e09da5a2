//! Where a value sits in a JSON body, as a member path from the top-level object
//! (`Tags[0].Key`), for the error messages of [`JsonReader`](super::json::JsonReader).
//!
//! The reader keeps no path while it reads (the common case, a valid body, pays nothing): when a
//! value turns out to be wrong, the part of the body before it, which the reader has already
//! checked, is scanned again to find the keys and indexes of the containers around it.

use std::fmt::Write as _;

/// A container open at the position asked about.
enum Frame {
    /// An object, with the byte range of its latest key (inside the quotes), and whether the
    /// next string in it is a key.
    Object {
        key: Option<(usize, usize)>,
        expect_key: bool,
    },
    /// An array, with the index of its current item.
    Array { index: usize },
}

/// The path of the value that starts at byte `at` of `body`: object keys joined by `.` (a key
/// that is not a plain name is written `["..."]`, JSON-escaped) and array indexes in brackets,
/// from the outermost container; empty when the value is the whole body.
///
/// `body[..at]` must be JSON the reader has accepted so far (a prefix of a document, ending
/// before a value); anything else gives a best-effort path, never a panic.
pub(crate) fn path_at(body: &[u8], at: usize) -> String {
    let end = at.min(body.len());
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        match body.get(i) {
            Some(b'{') => frames.push(Frame::Object {
                key: None,
                expect_key: true,
            }),
            Some(b'[') => frames.push(Frame::Array { index: 0 }),
            Some(b'}' | b']') => {
                frames.pop();
            }
            Some(b',') => match frames.last_mut() {
                Some(Frame::Object { expect_key, .. }) => *expect_key = true,
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            Some(b'"') => {
                let start = i + 1;
                let close = string_end(body, start);
                if let Some(Frame::Object { key, expect_key }) = frames.last_mut() {
                    if *expect_key {
                        *key = Some((start, close));
                        *expect_key = false;
                    }
                }
                i = close;
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &frames {
        match frame {
            Frame::Object {
                key: Some((start, close)),
                ..
            } => {
                push_key(&mut path, body.get(*start..*close).unwrap_or_default());
            }
            // An object whose first key has not been read yet: the value cannot be inside it.
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => {
                let _ = write!(path, "[{index}]");
            }
        }
    }
    path
}

/// The index of the `"` that closes the string whose text starts at `start` (the body's length
/// if it is not closed).
fn string_end(body: &[u8], start: usize) -> usize {
    let mut i = start;
    while let Some(&b) = body.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    body.len()
}

/// Appends `.key` (or `key` first), or `["key"]` when the key is not a plain name.
fn push_key(path: &mut String, raw: &[u8]) {
    let key: String = if raw.contains(&b'\\') {
        let mut quoted = Vec::with_capacity(raw.len() + 2);
        quoted.push(b'"');
        quoted.extend_from_slice(raw);
        quoted.push(b'"');
        serde_json::from_slice(&quoted).unwrap_or_else(|_| String::from_utf8_lossy(raw).into())
    } else {
        String::from_utf8_lossy(raw).into()
    };
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(&key);
    } else {
        let _ = write!(path, "[{}]", serde_json::Value::String(key));
    }
}

#[cfg(test)]
mod tests {
    use super::path_at;

    /// The path of the first occurrence of `marker` in `body`.
    fn path_of(body: &str, marker: &str) -> String {
        let at = body.find(marker).expect("marker in the body");
        path_at(body.as_bytes(), at)
    }

    #[test]
    fn keys_and_indexes_from_the_top_level_object() {
        let body = r#"{"NextToken":"t","Tags":[{"Key":"a","Value":"b"},{"Key":7}]}"#;
        assert_eq!(path_of(body, "7"), "Tags[1].Key");
        assert_eq!(path_of(body, r#""t""#), "NextToken");
        assert_eq!(path_of(body, r#"{"Key":"a""#), "Tags[0]");
        assert_eq!(path_of(body, r#""b""#), "Tags[0].Value");
        assert_eq!(path_of(body, "["), "Tags");
        assert_eq!(path_of(body, "{"), "", "the body itself");
    }

    #[test]
    fn finished_containers_and_skipped_values_leave_no_trace() {
        let body = r#"{"a":{"x":[1,[2,3],{"y":"}"}]},"b" : [ [], {}, "]", 9 ]}"#;
        assert_eq!(path_of(body, "9"), "b[3]");
        assert_eq!(path_of(body, "3]"), "a.x[1][1]");
        assert_eq!(path_of(body, r#""}""#), "a.x[2].y");
    }

    #[test]
    fn keys_that_are_not_plain_names_are_quoted() {
        let body = r#"{"Attributes":{"a.b":{"S":1},"with \"quote\"":2,"":3,"\u00e9t\u00e9":4}}"#;
        assert_eq!(path_of(body, "1"), r#"Attributes["a.b"].S"#);
        assert_eq!(path_of(body, "2"), r#"Attributes["with \"quote\""]"#);
        assert_eq!(path_of(body, "3"), r#"Attributes[""]"#);
        assert_eq!(path_of(body, "4"), r#"Attributes["été"]"#);
    }

    #[test]
    fn letters_digits_underscores_and_hyphens_make_a_plain_name() {
        let body = r#"{"app_instance":{"Content-Type":{"v2":[{"_":{"-":1}}]}}}"#;
        assert_eq!(path_of(body, "1"), "app_instance.Content-Type.v2[0]._.-");
        let body = r#"{"a b":{"a+b":{"a_b-c":2}}}"#;
        assert_eq!(path_of(body, "2"), r#"["a b"]["a+b"].a_b-c"#);
    }

    #[test]
    fn a_top_level_array_and_keys_repeated_at_several_levels() {
        assert_eq!(path_of(r#"[{"k":1},{"k":{"k":2}}]"#, "2"), "[1].k.k");
        assert_eq!(path_of(r#"{"k":{"k":{"k":"v"}}}"#, r#""v""#), "k.k.k");
    }

    #[test]
    fn positions_beyond_the_body_or_in_broken_input_do_not_panic() {
        assert_eq!(path_at(br#"{"a":[1"#, 100), "a[0]");
        // An unclosed key: some path, no panic.
        let _ = path_at(br#"{"a\"#, 4);
        assert_eq!(path_at(b"]]}}", 4), "");
        assert_eq!(path_at(b"", 0), "");
    }
}
