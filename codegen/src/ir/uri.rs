//! `@http` URI patterns (`/tags/{ResourceARN}?operation=tag-resource`), parsed once into a typed
//! value that the emitters only render.
//!
//! The rules are Smithy's: a pattern starts with `/`, has no empty segment (`//`), no fragment
//! (`#`) and does not end with `?`; a label (`{Name}`, greedy `{Name+}`) is a whole path segment
//! whose name is made of ASCII letters, digits and `_`, names an input member marked
//! `@httpLabel`, and appears once (names compare case-insensitively); a greedy label is the last
//! label (literal segments may follow it); the query string holds only constant `key` or
//! `key=value` parameters, each key once. Literal text uses the characters RFC 3986 allows in a
//! path (or query) and `%XX` escapes, and is sent as written.

use std::fmt;

use serde::Serialize;

/// An operation's parsed `@http` URI pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UriPattern {
    /// The path segments, each after a `/`. Empty for the root path `/`.
    pub segments: Vec<PathSegment>,
    /// The path ends with `/` (always so for the root path).
    pub trailing_slash: bool,
    /// The constant query parameters, in pattern order.
    pub query: Vec<QueryLiteral>,
}

/// One segment of the path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PathSegment {
    /// Text sent as written (already percent-encoded where it needs to be).
    Literal(String),
    /// A label: the value of an input member, percent-encoded.
    Label(UriLabel),
}

/// A label of the path, bound to the input member it takes its value from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UriLabel {
    /// The label name as written (the member's name in the model).
    pub name: String,
    /// `{Name+}`: the value may span segments (its `/` are kept).
    pub greedy: bool,
    /// The index of the member in the operation input's members.
    pub member: usize,
}

/// A constant query parameter, `key` or `key=value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryLiteral {
    /// The key, as written.
    pub key: String,
    /// The value, as written (`Some("")` for `key=`); `None` for a bare `key`.
    pub value: Option<String>,
}

impl UriPattern {
    /// Parses `uri`, binding each label through `member`, which returns the index of the input
    /// member a label name refers to, or says why there is none. The error says what is wrong
    /// with the pattern.
    pub fn parse(
        uri: &str,
        mut member: impl FnMut(&str) -> Result<usize, String>,
    ) -> Result<Self, String> {
        let Some(rest) = uri.strip_prefix('/') else {
            return Err("a URI pattern must start with `/`".to_owned());
        };
        if let Some(at) = uri.find('#') {
            return Err(format!(
                "a URI pattern must not contain a fragment (`#` at offset {at})"
            ));
        }
        let (path, query) = match rest.split_once('?') {
            Some((_, "")) => return Err("a URI pattern must not end with `?`".to_owned()),
            Some((path, query)) => (path, Some(query)),
            None => (rest, None),
        };
        let mut segments = Vec::new();
        let mut trailing_slash = path.is_empty();
        let mut greedy: Option<&str> = None;
        let mut seen: Vec<String> = Vec::new();
        let parts: Vec<&str> = path.split('/').collect();
        for (i, text) in parts.iter().enumerate() {
            if text.is_empty() {
                if i + 1 == parts.len() && i > 0 {
                    trailing_slash = true;
                    continue;
                }
                if path.is_empty() {
                    continue;
                }
                return Err("a URI pattern must not contain an empty segment (`//`)".to_owned());
            }
            match text.strip_prefix('{') {
                Some(inner) => {
                    let Some(inner) = inner.strip_suffix('}') else {
                        return Err(format!(
                            "segment `{text}`: a label must be a whole segment, `{{Name}}` or `{{Name+}}`"
                        ));
                    };
                    let (name, is_greedy) = match inner.strip_suffix('+') {
                        Some(name) => (name, true),
                        None => (inner, false),
                    };
                    if name.is_empty()
                        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        return Err(format!(
                            "label `{text}`: a label name is made of ASCII letters, digits and `_`"
                        ));
                    }
                    if let Some(previous) = greedy {
                        return Err(format!(
                            "greedy label `{{{previous}+}}` must be the last label, but `{text}` follows it"
                        ));
                    }
                    let folded = name.to_ascii_lowercase();
                    if seen.contains(&folded) {
                        return Err(format!("label `{{{name}}}` appears more than once"));
                    }
                    seen.push(folded);
                    if is_greedy {
                        greedy = Some(name);
                    }
                    let member = member(name).map_err(|why| format!("label `{text}`: {why}"))?;
                    segments.push(PathSegment::Label(UriLabel {
                        name: name.to_owned(),
                        greedy: is_greedy,
                        member,
                    }));
                }
                None => {
                    check_literal(text, b"", "path segment")?;
                    segments.push(PathSegment::Literal((*text).to_owned()));
                }
            }
        }
        let mut literals: Vec<QueryLiteral> = Vec::new();
        for parameter in query.into_iter().flat_map(|q| q.split('&')) {
            if parameter.contains(['{', '}']) {
                return Err(format!(
                    "query `{parameter}`: labels are not allowed in the query string (use @httpQuery)"
                ));
            }
            let (key, value) = match parameter.split_once('=') {
                Some((key, value)) => (key, Some(value)),
                None => (parameter, None),
            };
            if key.is_empty() {
                return Err(format!(
                    "query `{parameter}`: a query parameter needs a key"
                ));
            }
            check_literal(key, b"/?", "query key")?;
            if let Some(value) = value {
                check_literal(value, b"/?=", "query value")?;
            }
            if literals.iter().any(|l| l.key == key) {
                return Err(format!("query key `{key}` appears more than once"));
            }
            literals.push(QueryLiteral {
                key: key.to_owned(),
                value: value.map(str::to_owned),
            });
        }
        Ok(UriPattern {
            segments,
            trailing_slash,
            query: literals,
        })
    }

    /// The labels, in path order.
    pub fn labels(&self) -> impl Iterator<Item = &UriLabel> {
        self.segments.iter().filter_map(|s| match s {
            PathSegment::Label(label) => Some(label),
            PathSegment::Literal(_) => None,
        })
    }

    /// The query string after `?` (empty when there are no constant parameters).
    pub fn query_string(&self) -> String {
        let mut out = String::new();
        for (i, literal) in self.query.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(&literal.key);
            if let Some(value) = &literal.value {
                out.push('=');
                out.push_str(value);
            }
        }
        out
    }
}

/// The pattern as written.
impl fmt::Display for UriPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for segment in &self.segments {
            match segment {
                PathSegment::Literal(text) => write!(f, "/{text}")?,
                PathSegment::Label(label) if label.greedy => write!(f, "/{{{}+}}", label.name)?,
                PathSegment::Label(label) => write!(f, "/{{{}}}", label.name)?,
            }
        }
        if self.trailing_slash {
            f.write_str("/")?;
        }
        if !self.query.is_empty() {
            write!(f, "?{}", self.query_string())?;
        }
        Ok(())
    }
}

/// Checks that `text` holds only what RFC 3986 allows in a path segment (`pchar`: unreserved,
/// `%XX`, sub-delims, `:` and `@`) plus `extra`; `&` and `=` only in path segments, where they
/// have no meaning.
fn check_literal(text: &str, extra: &[u8], what: &str) -> Result<(), String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let is_query = !extra.is_empty();
        let allowed = b.is_ascii_alphanumeric()
            || b"-._~!$'()*+,;:@".contains(&b)
            || (!is_query && b"&=".contains(&b))
            || extra.contains(&b);
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3);
            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                return Err(format!(
                    "{what} `{text}`: `%` must start a `%XX` escape of two hex digits"
                ));
            }
            i += 3;
            continue;
        }
        if !allowed {
            let c = text[i..].chars().next().unwrap_or('?');
            let hint = match c {
                '{' | '}' => " (a label must be a whole path segment)",
                _ => " (percent-encode it)",
            };
            return Err(format!(
                "{what} `{text}`: character {c:?} is not allowed in a URI{hint}"
            ));
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Binds labels to the position of their name in `members`.
    fn parse(uri: &str, members: &[&str]) -> Result<UriPattern, String> {
        UriPattern::parse(uri, |name| {
            members
                .iter()
                .position(|m| *m == name)
                .ok_or_else(|| format!("no input member `{name}`"))
        })
    }

    fn label(name: &str, greedy: bool, member: usize) -> PathSegment {
        PathSegment::Label(UriLabel {
            name: name.to_owned(),
            greedy,
            member,
        })
    }

    fn literal(text: &str) -> PathSegment {
        PathSegment::Literal(text.to_owned())
    }

    #[test]
    fn literals_labels_and_constant_query() {
        let pattern = parse(
            "/tags/{ResourceARN}?operation=tag-resource",
            &["ResourceARN"],
        )
        .unwrap();
        assert_eq!(
            pattern,
            UriPattern {
                segments: vec![literal("tags"), label("ResourceARN", false, 0)],
                trailing_slash: false,
                query: vec![QueryLiteral {
                    key: "operation".into(),
                    value: Some("tag-resource".into()),
                }],
            }
        );
        assert_eq!(pattern.query_string(), "operation=tag-resource");
        assert_eq!(pattern.labels().count(), 1);
    }

    #[test]
    fn greedy_label_with_a_literal_after_it() {
        let pattern = parse("/{Bucket}/{Key+}/meta", &["Key", "Bucket"]).unwrap();
        assert_eq!(
            pattern.segments,
            [
                label("Bucket", false, 1),
                label("Key", true, 0),
                literal("meta")
            ]
        );
    }

    #[test]
    fn root_trailing_slash_and_bare_query_keys() {
        let root = parse("/", &[]).unwrap();
        assert!(root.segments.is_empty() && root.trailing_slash && root.query.is_empty());
        let trailing = parse("/graphs/{Id}/endpoints/", &["Id"]).unwrap();
        assert!(trailing.trailing_slash);
        assert_eq!(trailing.segments.len(), 3);
        let query = parse("/{Bucket}?tagging&list-type=2&empty=", &["Bucket"]).unwrap();
        assert_eq!(
            query.query,
            [
                QueryLiteral {
                    key: "tagging".into(),
                    value: None
                },
                QueryLiteral {
                    key: "list-type".into(),
                    value: Some("2".into())
                },
                QueryLiteral {
                    key: "empty".into(),
                    value: Some(String::new())
                },
            ]
        );
    }

    #[test]
    fn display_gives_the_pattern_back() {
        for uri in [
            "/",
            "/custom/",
            "/tags?operation=untag-resource",
            "/ReDosLiteral/{str}/(a+)+",
            "/HttpRequestWithGreedyLabelInPath/foo/{foo}/baz/{baz+}",
            "/ConstantQueryString/{hello}?foo=bar&hello",
            "/a%20b/{x}/c:d@e",
        ] {
            let members = ["str", "foo", "baz", "hello", "x"];
            assert_eq!(parse(uri, &members).unwrap().to_string(), uri);
        }
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let cases: &[(&str, &str)] = &[
            ("tags", "must start with `/`"),
            ("/a#frag", "must not contain a fragment (`#` at offset 2)"),
            ("/a?", "must not end with `?`"),
            ("/a//b", "must not contain an empty segment (`//`)"),
            ("/{Missing}", "label `{Missing}`: no input member `Missing`"),
            (
                "/{Key+}/{Id}",
                "greedy label `{Key+}` must be the last label, but `{Id}` follows it",
            ),
            ("/{Id}/x/{id}", "label `{id}` appears more than once"),
            ("/{Id}/{Id}", "label `{Id}` appears more than once"),
            (
                "/x{Id}",
                "character '{' is not allowed in a URI (a label must be a whole path segment)",
            ),
            ("/{Id}x", "a label must be a whole segment"),
            (
                "/{}",
                "a label name is made of ASCII letters, digits and `_`",
            ),
            (
                "/{a-b}",
                "a label name is made of ASCII letters, digits and `_`",
            ),
            (
                "/a b",
                "path segment `a b`: character ' ' is not allowed in a URI (percent-encode it)",
            ),
            ("/é", "character 'é' is not allowed"),
            ("/a%2", "`%` must start a `%XX` escape of two hex digits"),
            ("/a%zz", "`%` must start a `%XX` escape of two hex digits"),
            ("/a?x={Id}", "labels are not allowed in the query string"),
            ("/a?x=1&x=2", "query key `x` appears more than once"),
            ("/a?x&&y", "a query parameter needs a key"),
            ("/a?=1", "a query parameter needs a key"),
            (
                "/a?x=a b",
                "query value `a b`: character ' ' is not allowed",
            ),
            ("/a?x&y=1&z", ""),
        ];
        for (uri, expected) in cases {
            let result = parse(uri, &["Id", "Key"]);
            if expected.is_empty() {
                assert!(result.is_ok(), "{uri}: {result:?}");
                continue;
            }
            let err = result.expect_err(uri);
            assert!(
                err.contains(expected),
                "{uri}: `{err}` does not say `{expected}`"
            );
        }
    }
}
