//! Text that came from outside the program (a server's error code, message, request id or
//! header value, a credential helper's output), made safe to display and to log.
//!
//! A server that puts a line break or a terminal escape sequence into an error message must not
//! be able to forge log lines or rewrite a terminal: [`Escaped`] shows such characters as
//! escapes (`\n`, `\r`, `\t`, `\u{1b}`, ...) and leaves every other character alone. The raw
//! value stays available from the accessor that holds it (`ErrorMetadata::message()`, ...).

use std::fmt;

/// Displays `.0` with control characters escaped: C0 controls (CR, LF, TAB, ESC, NUL, ...),
/// DEL, C1 controls, the Unicode line and paragraph separators and the bidirectional overrides
/// and isolates (which can make a log line read differently from what it holds). A backslash is
/// kept as it is, so plain text is shown unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Escaped<'a>(pub &'a str);

/// Whether `c` is shown as an escape by [`Escaped`].
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(needs_escape) {
            f.write_str(&rest[..at])?;
            let c = rest[at..].chars().next().unwrap_or_default();
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                other => write!(f, "\\u{{{:x}}}", u32::from(other))?,
            }
            rest = &rest[at + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

/// `text` with control characters escaped (see [`Escaped`]).
pub fn escape(text: &str) -> String {
    if text.contains(needs_escape) {
        Escaped(text).to_string()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_the_rest_is_kept() {
        assert_eq!(
            escape("plain text: ünïcödé \\ ok"),
            "plain text: ünïcödé \\ ok"
        );
        assert_eq!(
            escape("a\r\nINFO forged\tline\u{1b}[31mred\u{0}\u{7f}\u{85}"),
            "a\\r\\nINFO forged\\tline\\u{1b}[31mred\\u{0}\\u{7f}\\u{85}"
        );
        assert_eq!(
            escape("\u{202e}txt.exe\u{2028}"),
            "\\u{202e}txt.exe\\u{2028}"
        );
        assert_eq!(Escaped("x\ny").to_string(), "x\\ny");
    }
}
