//! Tokenizer for the Smithy IDL.
//!
//! The whole file is tokenized up front. Lexical problems (an unexpected character, a bad escape, an unclosed
//! string, ...) become [`Kind::Error`] tokens carrying their message and position; the parser reports them when
//! it reaches such a token, so the error a user sees is always the first problem in reading order.

use std::fmt;

/// The kind of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Space,
    Newline,
    Comma,
    Comment,
    DocComment,
    At,
    Dollar,
    Dot,
    Pound,
    Equal,
    Colon,
    Walrus,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Str,
    TextBlock,
    Number,
    Ident,
    Error,
    Eof,
}

impl Kind {
    /// Spaces, line breaks, commas and ordinary comments (not documentation comments).
    pub(crate) fn is_whitespace(self) -> bool {
        matches!(
            self,
            Kind::Space | Kind::Newline | Kind::Comma | Kind::Comment
        )
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Space => "SPACE",
            Kind::Newline => "NEWLINE",
            Kind::Comma => "COMMA",
            Kind::Comment => "COMMENT",
            Kind::DocComment => "DOC_COMMENT",
            Kind::At => "AT",
            Kind::Dollar => "DOLLAR",
            Kind::Dot => "DOT",
            Kind::Pound => "POUND",
            Kind::Equal => "EQUAL",
            Kind::Colon => "COLON",
            Kind::Walrus => "WALRUS",
            Kind::LBrace => "LBRACE",
            Kind::RBrace => "RBRACE",
            Kind::LBracket => "LBRACKET",
            Kind::RBracket => "RBRACKET",
            Kind::LParen => "LPAREN",
            Kind::RParen => "RPAREN",
            Kind::Str => "STRING",
            Kind::TextBlock => "TEXT_BLOCK",
            Kind::Number => "NUMBER",
            Kind::Ident => "IDENTIFIER",
            Kind::Error => "ERROR",
            Kind::Eof => "EOF",
        }
    }

    fn canonical_lexeme(self) -> Option<&'static str> {
        Some(match self {
            Kind::Space => " ",
            Kind::Newline => "\\n",
            Kind::Comma => ",",
            Kind::Comment => "//",
            Kind::DocComment => "///",
            Kind::At => "@",
            Kind::Dollar => "$",
            Kind::Dot => ".",
            Kind::Pound => "#",
            Kind::Equal => "=",
            Kind::Colon => ":",
            Kind::Walrus => ":=",
            Kind::LBrace => "{",
            Kind::RBrace => "}",
            Kind::LBracket => "[",
            Kind::RBracket => "]",
            Kind::LParen => "(",
            Kind::RParen => ")",
            Kind::Str => "\"",
            Kind::TextBlock => "\"\"\"",
            Kind::Number | Kind::Ident | Kind::Error | Kind::Eof => return None,
        })
    }
}

/// Describes an expected token kind, e.g. `LBRACE('{')` or `IDENTIFIER`.
pub(crate) struct Expected(pub(crate) Kind);

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.canonical_lexeme() {
            Some(lexeme) => write!(f, "{}('{}')", self.0.name(), lexeme),
            None => f.write_str(self.0.name()),
        }
    }
}

/// Value attached to a token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokenValue {
    None,
    /// Decoded contents of a string, text block or documentation comment.
    Text(String),
    /// Parsed number.
    Number(serde_json::Number),
    /// Lexical error message and the position it refers to.
    Error {
        message: String,
        line: usize,
        column: usize,
    },
}

/// One token with its position (1-based line and column of its first character) and source text.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) kind: Kind,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) lexeme: String,
    pub(crate) value: TokenValue,
}

impl Token {
    /// Describes this token for an error message, e.g. `IDENTIFIER('apply')` or `EOF`.
    pub(crate) fn debug(&self) -> String {
        if self.kind == Kind::Eof {
            return "EOF".to_string();
        }
        let mut escaped = String::new();
        for c in self.lexeme.chars() {
            match c {
                '\n' => escaped.push_str("\\n"),
                '\r' => escaped.push_str("\\r"),
                '\t' => escaped.push_str("\\t"),
                other => escaped.push(other),
            }
        }
        format!("{}('{}')", self.kind.name(), escaped)
    }
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: usize,
    column: usize,
}

/// Splits `text` into tokens; the last token is always [`Kind::Eof`].
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        chars: text.chars().collect(),
        pos: 0,
        line: 1,
        column: 1,
    };
    let mut tokens = Vec::new();
    loop {
        let token = lexer.next_token();
        let done = token.kind == Kind::Eof;
        tokens.push(token);
        if done {
            return tokens;
        }
    }
}

impl Lexer {
    fn peek(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek(0) {
            self.pos += 1;
            match c {
                '\r' if self.peek(0) == Some('\n') => self.column += 1,
                '\r' | '\n' => {
                    self.line += 1;
                    self.column = 1;
                }
                _ => self.column += 1,
            }
        }
    }

    fn next_token(&mut self) -> Token {
        let start = self.pos;
        let (line, column) = (self.line, self.column);
        let (kind, value) = match self.peek(0) {
            None => (Kind::Eof, TokenValue::None),
            Some(c) => self.lex_one(c, line, column),
        };
        Token {
            kind,
            line,
            column,
            lexeme: self.chars[start..self.pos].iter().collect(),
            value,
        }
    }

    fn single(&mut self, kind: Kind) -> (Kind, TokenValue) {
        self.bump();
        (kind, TokenValue::None)
    }

    fn lex_one(&mut self, c: char, line: usize, column: usize) -> (Kind, TokenValue) {
        match c {
            ' ' | '\t' => {
                while matches!(self.peek(0), Some(' ' | '\t')) {
                    self.bump();
                }
                (Kind::Space, TokenValue::None)
            }
            '\r' => {
                self.bump();
                if self.peek(0) == Some('\n') {
                    self.bump();
                }
                (Kind::Newline, TokenValue::None)
            }
            '\n' => self.single(Kind::Newline),
            ',' => self.single(Kind::Comma),
            '@' => self.single(Kind::At),
            '$' => self.single(Kind::Dollar),
            '.' => self.single(Kind::Dot),
            '#' => self.single(Kind::Pound),
            '=' => self.single(Kind::Equal),
            '{' => self.single(Kind::LBrace),
            '}' => self.single(Kind::RBrace),
            '[' => self.single(Kind::LBracket),
            ']' => self.single(Kind::RBracket),
            '(' => self.single(Kind::LParen),
            ')' => self.single(Kind::RParen),
            ':' => {
                self.bump();
                if self.peek(0) == Some('=') {
                    self.bump();
                    (Kind::Walrus, TokenValue::None)
                } else {
                    (Kind::Colon, TokenValue::None)
                }
            }
            '"' => self.lex_string(line, column),
            '/' => self.lex_comment(line, column),
            '-' | '0'..='9' => self.lex_number(line, column),
            'a'..='z' | 'A'..='Z' | '_' => self.lex_identifier(),
            other => {
                self.bump();
                error(format!("Unexpected character: '{other}'"), line, column)
            }
        }
    }

    fn lex_comment(&mut self, line: usize, column: usize) -> (Kind, TokenValue) {
        self.bump();
        if self.peek(0) != Some('/') {
            return error(
                "Expected a '/' to follow '/' to form a comment.".to_string(),
                line,
                column,
            );
        }
        self.bump();
        let doc = self.peek(0) == Some('/');
        if doc {
            self.bump();
        }
        let text_start = self.pos;
        while let Some(c) = self.peek(0) {
            if c == '\n' || c == '\r' {
                break;
            }
            self.bump();
        }
        let text: String = self.chars[text_start..self.pos].iter().collect();
        // The line break belongs to the comment.
        if self.peek(0) == Some('\r') {
            self.bump();
            if self.peek(0) == Some('\n') {
                self.bump();
            }
        } else if self.peek(0) == Some('\n') {
            self.bump();
        }
        if doc {
            let text = text.strip_prefix(' ').unwrap_or(&text).to_string();
            (Kind::DocComment, TokenValue::Text(text))
        } else {
            (Kind::Comment, TokenValue::None)
        }
    }

    fn lex_identifier(&mut self) -> (Kind, TokenValue) {
        while self.peek(0) == Some('_') {
            self.bump();
        }
        match self.peek(0) {
            Some(c) if c.is_ascii_alphabetic() => {}
            other => {
                let found = other.map_or("[EOF]".to_string(), |c| c.to_string());
                let (line, column) = (self.line, self.column);
                if other.is_some() {
                    self.bump();
                }
                return error(
                    format!("Expected a valid identifier character, but found '{found}'"),
                    line,
                    column,
                );
            }
        }
        while matches!(self.peek(0), Some(c) if c.is_ascii_alphanumeric() || c == '_') {
            self.bump();
        }
        (Kind::Ident, TokenValue::None)
    }

    fn consume_digits(&mut self) -> bool {
        let mut any = false;
        while matches!(self.peek(0), Some('0'..='9')) {
            self.bump();
            any = true;
        }
        any
    }

    fn lex_number(&mut self, line: usize, column: usize) -> (Kind, TokenValue) {
        let start = self.pos;
        let lexeme_so_far =
            |lexer: &Lexer| -> String { lexer.chars[start..lexer.pos].iter().collect() };
        if self.peek(0) == Some('-') {
            self.bump();
        }
        if !self.consume_digits() {
            return error(
                format!(
                    "Invalid number '{}': '-' must be followed by a digit",
                    lexeme_so_far(self)
                ),
                line,
                column,
            );
        }
        let mut is_float = false;
        if self.peek(0) == Some('.') {
            is_float = true;
            self.bump();
            if !self.consume_digits() {
                return error(
                    format!(
                        "Invalid number '{}': '.' must be followed by a digit",
                        lexeme_so_far(self)
                    ),
                    line,
                    column,
                );
            }
        }
        if matches!(self.peek(0), Some('e' | 'E')) {
            is_float = true;
            self.bump();
            if matches!(self.peek(0), Some('+' | '-')) {
                self.bump();
            }
            if !self.consume_digits() {
                return error(
                    format!(
                        "Invalid number '{}': 'e', '+', and '-' must be followed by a digit",
                        lexeme_so_far(self)
                    ),
                    line,
                    column,
                );
            }
        }
        let lexeme = lexeme_so_far(self);
        let number = if is_float {
            lexeme
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
        } else if let Ok(v) = lexeme.parse::<i64>() {
            Some(serde_json::Number::from(v))
        } else if let Ok(v) = lexeme.parse::<u64>() {
            Some(serde_json::Number::from(v))
        } else {
            lexeme
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
        };
        match number {
            Some(n) => (Kind::Number, TokenValue::Number(n)),
            None => error(
                format!("Invalid number '{lexeme}': out of range"),
                line,
                column,
            ),
        }
    }

    fn lex_string(&mut self, line: usize, column: usize) -> (Kind, TokenValue) {
        self.bump();
        let triple = if self.peek(0) == Some('"') {
            if self.peek(1) == Some('"') {
                self.bump();
                self.bump();
                true
            } else {
                self.bump();
                return (Kind::Str, TokenValue::Text(String::new()));
            }
        } else {
            false
        };
        let start = self.pos;
        loop {
            match self.peek(0) {
                None => {
                    return error(
                        "Expected: '\"', but found '[EOF]' (unclosed string)".to_string(),
                        self.line,
                        self.column,
                    );
                }
                Some('"')
                    if !triple || (self.peek(1) == Some('"') && self.peek(2) == Some('"')) =>
                {
                    break
                }
                Some('\\') => {
                    self.bump();
                    self.bump();
                }
                Some(_) => self.bump(),
            }
        }
        let raw: String = self.chars[start..self.pos].iter().collect();
        for _ in 0..(if triple { 3 } else { 1 }) {
            self.bump();
        }
        let (kind, what) = if triple {
            (Kind::TextBlock, "text block")
        } else {
            (Kind::Str, "quoted string")
        };
        match scan_string_contents(&raw, triple) {
            Ok(text) => (kind, TokenValue::Text(text)),
            Err(message) => error(format!("Error parsing {what}: {message}"), line, column),
        }
    }
}

fn error(message: String, line: usize, column: usize) -> (Kind, TokenValue) {
    (
        Kind::Error,
        TokenValue::Error {
            message,
            line,
            column,
        },
    )
}

/// Normalizes line endings, strips text-block indentation and decodes escapes.
fn scan_string_contents(raw: &str, text_block: bool) -> Result<String, String> {
    let normalized = raw.replace("\r\n", "\n").replace('\r', "\n");
    let text = if text_block {
        format_text_block(&normalized)?
    } else {
        normalized
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let valid = c == '\t'
                || c == '\n'
                || c == '\r'
                || c == ' '
                || c == '!'
                || (text_block && c == '"')
                || (('#'..='[').contains(&c))
                || c >= ']';
            if !valid {
                return Err(format!("Invalid string character: `{c}`"));
            }
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('\n') => {}
            Some('u') => {
                let mut code: u32 = 0;
                for _ in 0..4 {
                    match chars.next() {
                        None => {
                            return Err(
                                "Invalid unclosed unicode escape found in string".to_string()
                            )
                        }
                        Some(h) => match h.to_digit(16) {
                            Some(d) => code = (code << 4) | d,
                            None => return Err(format!("Invalid unicode escape character: `{h}`")),
                        },
                    }
                }
                push_utf16_unit(&mut out, &mut chars, code)?;
            }
            Some(other) => return Err(format!("Invalid escape found in string: `\\{other}`")),
            None => return Err("Invalid escape found in string: `\\`".to_string()),
        }
    }
    Ok(out)
}

/// Pushes the code unit of a `\uXXXX` escape, combining a surrogate pair written as two escapes.
fn push_utf16_unit(
    out: &mut String,
    chars: &mut std::str::Chars<'_>,
    code: u32,
) -> Result<(), String> {
    if let Some(c) = char::from_u32(code) {
        out.push(c);
        return Ok(());
    }
    // A high surrogate must be followed by `\uDC00`..`\uDFFF`.
    if (0xD800..0xDC00).contains(&code) {
        let rest: String = chars.clone().take(6).collect();
        if let Some(hex) = rest.strip_prefix("\\u") {
            if let Ok(low) = u32::from_str_radix(hex, 16) {
                if (0xDC00..0xE000).contains(&low) {
                    let combined = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    if let Some(c) = char::from_u32(combined) {
                        for _ in 0..6 {
                            chars.next();
                        }
                        out.push(c);
                        return Ok(());
                    }
                }
            }
        }
    }
    Err(format!(
        "Invalid unicode escape: unpaired surrogate `\\u{code:04X}`"
    ))
}

fn format_text_block(text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err("Text block is empty".to_string());
    }
    if !text.starts_with('\n') {
        return Err("Text block must start with a new line".to_string());
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let last = lines.len() - 1;
    let mut padding = usize::MAX;
    for (i, line) in lines.iter().enumerate().skip(1) {
        let leading = line.chars().take_while(|c| *c == ' ').count();
        let all_space = leading == line.chars().count();
        // Whitespace-only lines do not count, except the last one (the closing delimiter's indentation).
        if !all_space || i == last {
            padding = padding.min(leading);
        }
    }
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate().skip(1) {
        if !line.is_empty() {
            let chars: Vec<char> = line.chars().collect();
            let start = padding.min(chars.len());
            // Inclusive end; like the reference implementation, the first character is never trimmed.
            let mut end = chars.len() - 1;
            while end > 0 && chars[end] == ' ' {
                end -= 1;
            }
            if end >= start {
                out.extend(&chars[start..=end]);
            }
        }
        if i < last {
            out.push('\n');
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        tokenize(text).iter().map(|t| t.kind).collect()
    }

    #[test]
    fn tokenizes_shape_id_pieces() {
        assert_eq!(
            kinds("a.b#C$d := 1"),
            vec![
                Kind::Ident,
                Kind::Dot,
                Kind::Ident,
                Kind::Pound,
                Kind::Ident,
                Kind::Dollar,
                Kind::Ident,
                Kind::Space,
                Kind::Walrus,
                Kind::Space,
                Kind::Number,
                Kind::Eof
            ]
        );
    }

    #[test]
    fn text_block_strips_incidental_whitespace() {
        let tokens = tokenize("\"\"\"\n    foo\n      bar\n    \"\"\"");
        assert_eq!(
            tokens[0].value,
            TokenValue::Text("foo\n  bar\n".to_string())
        );
    }

    #[test]
    fn escapes_are_decoded() {
        let tokens = tokenize(r#""a\n\u0041\"""#);
        assert_eq!(tokens[0].value, TokenValue::Text("a\nA\"".to_string()));
    }

    #[test]
    fn bad_number_is_an_error_token() {
        let tokens = tokenize("1.e");
        assert_eq!(tokens[0].kind, Kind::Error);
    }
}
