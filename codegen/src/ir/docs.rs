//! Model documentation (HTML in AWS models) to rustdoc Markdown that builds without warnings and
//! never runs code blocks as doctests.

/// Converts model documentation to Markdown safe for rustdoc.
pub fn to_markdown(doc: &str) -> String {
    let markdown = if doc.contains('<') {
        htmd::convert(doc).unwrap_or_else(|_| doc.to_owned())
    } else {
        doc.to_owned()
    };
    sanitize(&join_code_spans(&markdown))
}

/// Puts inline code spans that run over several lines (HTML `<code>` with line breaks inside,
/// as in DynamoDB's expression docs) back on one line: Markdown reads those line breaks as
/// spaces, and the line-by-line sanitizing below needs each line's backticks to balance. A
/// span whose closing backticks are not found before the paragraph ends is left alone.
fn join_code_spans(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut in_fence = false;
    let mut rest = markdown;
    while !rest.is_empty() {
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = &rest[..line_end];
        let fence_line = is_fence(line);
        if fence_line {
            in_fence = !in_fence;
        }
        if fence_line || in_fence || !line.contains('`') {
            out.push_str(line);
            rest = &rest[line_end..];
            continue;
        }
        // Copy the line, following a code span over line breaks where it continues.
        let mut i = 0;
        let bytes = rest.as_bytes();
        let mut consumed = line_end;
        while i < consumed {
            if bytes[i] != b'`' {
                let c = rest[i..].chars().next().unwrap_or_default();
                out.push(c);
                i += c.len_utf8().max(1);
                continue;
            }
            let ticks = rest[i..].bytes().take_while(|&b| b == b'`').count();
            let fence = &rest[i..i + ticks];
            let after = i + ticks;
            let close = closing_ticks(&rest[after..], ticks).map(|j| after + j);
            match close {
                Some(close) => {
                    let code = &rest[after..close];
                    out.push_str(fence);
                    if code.contains('\n') {
                        let words: Vec<&str> = code.split('\n').map(str::trim).collect();
                        out.push_str(&words.join(" "));
                    } else {
                        out.push_str(code);
                    }
                    out.push_str(fence);
                    i = close + ticks;
                    consumed = consumed.max(i);
                    if consumed > line_end {
                        consumed = rest[i..].find('\n').map_or(rest.len(), |j| i + j + 1);
                    }
                }
                None => {
                    out.push_str(fence);
                    i = after;
                }
            }
        }
        rest = &rest[consumed..];
    }
    out
}

/// Whether `line` opens or closes a fenced code block.
fn is_fence(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with("```") || trimmed.starts_with("~~~")
}

/// Where the run of exactly `ticks` backticks closing a code span starts in `text`, if it comes
/// before the paragraph ends (a blank line or a fence).
fn closing_ticks(text: &str, ticks: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => {
                let run = text[i..].bytes().take_while(|&b| b == b'`').count();
                if run == ticks {
                    return Some(i);
                }
                i += run;
            }
            b'\n'
                if text[i + 1..]
                    .split('\n')
                    .next()
                    .is_some_and(|next| next.trim().is_empty() || is_fence(next)) =>
            {
                return None;
            }
            _ => i += 1,
        }
    }
    None
}

/// Makes Markdown safe for rustdoc: fenced blocks become `text` blocks, indentation that would
/// start an (executable) indented code block is removed, stray brackets are escaped so they are
/// not read as intra-doc links, and bare URLs are wrapped in `<...>`.
fn sanitize(markdown: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if in_fence {
                out.push("```".to_owned());
            } else {
                out.push("```text".to_owned());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        let indent = line.len() - trimmed.len();
        let kept = if indent >= 4 || line.starts_with('\t') {
            trimmed
        } else {
            line
        };
        out.push(escape_line(kept.trim_end()));
    }
    if in_fence {
        out.push("```".to_owned());
    }
    // Collapse runs of blank lines and trim the ends.
    let mut result = String::new();
    let mut blank = true;
    for line in out {
        if line.is_empty() {
            if !blank {
                result.push('\n');
            }
            blank = true;
        } else {
            result.push_str(&line);
            result.push('\n');
            blank = false;
        }
    }
    result.trim_end().to_owned()
}

/// Escapes brackets that do not form a Markdown link and wraps bare URLs.
fn escape_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    let mut in_code = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '\\' if i + 1 < chars.len() => {
                out.push(c);
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '[' => {
                if let Some(end) = link_end(&chars, i) {
                    // A whole `[text](url)` link: copy it as is.
                    out.extend(&chars[i..end]);
                    i = end;
                    continue;
                }
                out.push_str("\\[");
            }
            ']' => out.push_str("\\]"),
            'h' if starts_with_url(&chars[i..])
                && (i == 0 || !matches!(chars[i - 1], '<' | '(')) =>
            {
                let end = (i..chars.len())
                    .find(|&j| chars[j].is_whitespace() || matches!(chars[j], ')' | '>' | '"'))
                    .unwrap_or(chars.len());
                let mut url: String = chars[i..end].iter().collect();
                let mut trailing = String::new();
                while url.ends_with(['.', ',', ';', ':']) {
                    if let Some(last) = url.pop() {
                        trailing.insert(0, last);
                    }
                }
                out.push('<');
                out.push_str(&url);
                out.push('>');
                out.push_str(&trailing);
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    if in_code {
        // An unbalanced backtick: escape it so the rest of the doc is not code.
        return out.replacen('`', "\\`", 1);
    }
    out
}

fn starts_with_url(chars: &[char]) -> bool {
    let prefix: String = chars.iter().take(8).collect();
    prefix.starts_with("http://") || prefix.starts_with("https://")
}

/// The index just past `[text](target)` starting at `start`, if that is what is there.
fn link_end(chars: &[char], start: usize) -> Option<usize> {
    let close = (start + 1..chars.len()).find(|&j| chars[j] == ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = (close + 2..chars.len()).find(|&j| chars[j] == ')')?;
    Some(end + 1)
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    #[test]
    fn converts_html_paragraphs_and_code() {
        let md = to_markdown(
            "<p>Creates an <code>AppInstance</code>.\n         Only SDK users.</p><p>Second.</p>",
        );
        assert_eq!(md, "Creates an `AppInstance`. Only SDK users.\n\nSecond.");
    }

    #[test]
    fn never_leaves_runnable_code_blocks() {
        let md = to_markdown("<p>Example:</p><pre><code>let x = 1;\nassert!(false);</code></pre>");
        assert!(md.contains("```text"), "{md}");
        let md = to_markdown("Intro\n\n        indented code\n");
        assert!(!md.lines().any(|l| l.starts_with("    ")), "{md}");
    }

    #[test]
    fn joins_code_spans_broken_over_lines() {
        let md = to_markdown(
            "<ul><li><p>Comparison operators: <code>= | <> |\n            < | > |\n            \
             BETWEEN | IN </code></p></li><li><p>Logical: <code>AND</code></p></li></ul>",
        );
        assert!(
            md.contains("`= | <> | < | > | BETWEEN | IN`"),
            "one code span on one line: {md}"
        );
        assert!(!md.contains("\\`"), "no escaped backtick: {md}");
        // A backtick that never closes in its paragraph stays escaped, the next one intact.
        let md = to_markdown("a ` b\n\nc `d`");
        assert_eq!(md, "a \\` b\n\nc `d`");
        // Fences are left alone, and a span does not reach into one.
        let md = to_markdown("x `y\n```\ncode `z`\n```\nw");
        assert_eq!(md, "x \\`y\n```text\ncode `z`\n```\nw");
    }

    #[test]
    fn escapes_brackets_and_wraps_urls() {
        assert_eq!(
            to_markdown("see [here] and https://example.com."),
            "see \\[here\\] and <https://example.com>."
        );
        let md = to_markdown("<a href=\"https://aws.amazon.com\">AWS</a>");
        assert_eq!(md, "[AWS](https://aws.amazon.com)");
    }
}
