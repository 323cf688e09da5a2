//! A matcher for the small regular-expression subset used by the `regionRegex` patterns of the
//! AWS partition data (for example `^(us|eu|ap)\-\w+\-\d+$`).
//!
//! Pulling in a full regex engine for a handful of fixed, simple patterns would be heavy, so this
//! module interprets the subset directly:
//!
//! - the pattern must be anchored: it starts with `^` and ends with `$`;
//! - atoms: a literal character (any character other than `\ ( ) | [ ] { } . * + ? ^ $`), an
//!   escaped character (`\-`, `\.`, ...), the classes `\w` (`[A-Za-z0-9_]`) and `\d` (`[0-9]`),
//!   and a group of literal alternatives such as `(us|eu|ap)`;
//! - quantifiers `+`, `*` and `?` after an atom.
//!
//! Anything else is rejected by [`parse`], so an unsupported pattern is detected (the generator
//! runs the same parser when it reads the partition data) rather than silently misinterpreted.
//! This file has no dependencies so that the generator can compile it too.

/// One matchable unit of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Atom {
    /// A single literal character.
    Char(char),
    /// `\w`: an ASCII letter, digit or underscore.
    Word,
    /// `\d`: an ASCII digit.
    Digit,
    /// `(a|b|c)`: one of several literal strings.
    Group(Vec<String>),
}

/// How many times an atom may repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Exactly once.
    One,
    /// `+`: one or more.
    OneOrMore,
    /// `*`: zero or more.
    ZeroOrMore,
    /// `?`: zero or one.
    ZeroOrOne,
}

/// An atom with its quantifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// What to match.
    pub atom: Atom,
    /// How often.
    pub repeat: Repeat,
}

/// Why a pattern is outside the supported subset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedPattern {
    /// The byte offset in the pattern where parsing stopped.
    pub offset: usize,
    /// What was found there.
    pub reason: &'static str,
}

impl std::fmt::Display for UnsupportedPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.reason, self.offset)
    }
}

const SPECIAL: &str = "\\()|[]{}.*+?^$";

/// Parses an anchored pattern into pieces, or says why it is not in the supported subset.
pub fn parse(pattern: &str) -> Result<Vec<Piece>, UnsupportedPattern> {
    let body = pattern.strip_prefix('^').ok_or(UnsupportedPattern {
        offset: 0,
        reason: "pattern does not start with `^`",
    })?;
    let body = body.strip_suffix('$').ok_or(UnsupportedPattern {
        offset: pattern.len(),
        reason: "pattern does not end with `$`",
    })?;
    let chars: Vec<(usize, char)> = body.char_indices().map(|(i, c)| (i + 1, c)).collect();
    let mut pieces = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (offset, c) = chars[i];
        let atom = match c {
            '\\' => {
                let (_, escaped) = *chars.get(i + 1).ok_or(UnsupportedPattern {
                    offset,
                    reason: "dangling `\\`",
                })?;
                i += 2;
                match escaped {
                    'w' => Atom::Word,
                    'd' => Atom::Digit,
                    c if SPECIAL.contains(c) || c == '-' || c == '/' => Atom::Char(c),
                    _ => {
                        return Err(UnsupportedPattern {
                            offset,
                            reason: "unsupported escape",
                        })
                    }
                }
            }
            '(' => {
                let mut alternatives = vec![String::new()];
                let mut j = i + 1;
                loop {
                    let (at, c) = *chars.get(j).ok_or(UnsupportedPattern {
                        offset,
                        reason: "unclosed `(`",
                    })?;
                    match c {
                        ')' => break,
                        '|' => alternatives.push(String::new()),
                        '\\' => {
                            let (_, escaped) = *chars.get(j + 1).ok_or(UnsupportedPattern {
                                offset: at,
                                reason: "dangling `\\`",
                            })?;
                            if !(SPECIAL.contains(escaped) || escaped == '-' || escaped == '/') {
                                return Err(UnsupportedPattern {
                                    offset: at,
                                    reason: "only literal alternatives are supported in a group",
                                });
                            }
                            if let Some(last) = alternatives.last_mut() {
                                last.push(escaped);
                            }
                            j += 1;
                        }
                        c if SPECIAL.contains(c) => {
                            return Err(UnsupportedPattern {
                                offset: at,
                                reason: "only literal alternatives are supported in a group",
                            })
                        }
                        c => {
                            if let Some(last) = alternatives.last_mut() {
                                last.push(c);
                            }
                        }
                    }
                    j += 1;
                }
                i = j + 1;
                Atom::Group(alternatives)
            }
            c if SPECIAL.contains(c) => {
                return Err(UnsupportedPattern {
                    offset,
                    reason: "unsupported regex syntax",
                })
            }
            c => {
                i += 1;
                Atom::Char(c)
            }
        };
        let repeat = match chars.get(i).map(|&(_, c)| c) {
            Some('+') => Repeat::OneOrMore,
            Some('*') => Repeat::ZeroOrMore,
            Some('?') => Repeat::ZeroOrOne,
            _ => Repeat::One,
        };
        if repeat != Repeat::One {
            i += 1;
        }
        pieces.push(Piece { atom, repeat });
    }
    Ok(pieces)
}

/// Whether `input` matches `pattern` in full. A pattern outside the supported subset matches
/// nothing.
pub fn is_match(pattern: &str, input: &str) -> bool {
    match parse(pattern) {
        Ok(pieces) => match_pieces(&pieces, input),
        Err(_) => false,
    }
}

/// Whether `input` matches the parsed pieces in full (with backtracking).
pub fn match_pieces(pieces: &[Piece], input: &str) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return input.is_empty();
    };
    // Every way the first atom can match once, as the remaining input.
    let once = |s: &str| -> Vec<usize> {
        match &first.atom {
            Atom::Char(c) => s
                .starts_with(*c)
                .then_some(c.len_utf8())
                .into_iter()
                .collect(),
            Atom::Word => s
                .chars()
                .next()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .map(|_| 1)
                .into_iter()
                .collect(),
            Atom::Digit => s
                .chars()
                .next()
                .filter(char::is_ascii_digit)
                .map(|_| 1)
                .into_iter()
                .collect(),
            Atom::Group(alternatives) => alternatives
                .iter()
                .filter(|a| s.starts_with(a.as_str()))
                .map(String::len)
                .collect(),
        }
    };
    let (min, max) = match first.repeat {
        Repeat::One => (1, 1),
        Repeat::OneOrMore => (1, usize::MAX),
        Repeat::ZeroOrMore => (0, usize::MAX),
        Repeat::ZeroOrOne => (0, 1),
    };
    // Depth-first over repetition counts: `count` atoms consumed so far, `rest_input` remains.
    fn go(
        once: &dyn Fn(&str) -> Vec<usize>,
        rest: &[Piece],
        input: &str,
        count: usize,
        min: usize,
        max: usize,
    ) -> bool {
        if count < max {
            for consumed in once(input) {
                // An empty alternative matches without consuming anything: it can stand for a
                // repetition the quantifier requires, but repeating it would never end.
                let advances = consumed > 0 || count < min;
                if advances && go(once, rest, &input[consumed..], count + 1, min, max) {
                    return true;
                }
            }
        }
        count >= min && match_pieces(rest, input)
    }
    go(&once, rest, input, 0, min, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AWS: &str = r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$";

    #[test]
    fn aws_pattern_matches_commercial_regions_only() {
        for region in [
            "us-east-1",
            "eu-central-2",
            "ap-southeast-7",
            "mx-central-1",
            "il-central-1",
        ] {
            assert!(is_match(AWS, region), "{region}");
        }
        for region in [
            "us-iso-east-1",
            "us-gov-west-1",
            "cn-north-1",
            "us-east-1a",
            "us-east-",
            "us--1",
            "xx-east-1",
            "us-east-1.evil.example",
            "us-east-1/",
            "us-east-1@evil",
            "US-EAST-1",
            "aws-global",
            "",
        ] {
            assert!(!is_match(AWS, region), "{region}");
        }
    }

    #[test]
    fn other_partition_patterns() {
        assert!(is_match(r"^us\-iso\-\w+\-\d+$", "us-iso-east-1"));
        assert!(!is_match(r"^us\-iso\-\w+\-\d+$", "us-isob-east-1"));
        assert!(is_match(r"^eusc\-(de)\-\w+\-\d+$", "eusc-de-east-1"));
        assert!(!is_match(r"^eusc\-(de)\-\w+\-\d+$", "eusc-fr-east-1"));
        assert!(is_match(r"^cn\-\w+\-\d+$", "cn-northwest-1"));
        assert!(!is_match(r"^cn\-\w+\-\d+$", "cn-north-west-1"));
    }

    #[test]
    fn backtracking_and_quantifiers() {
        // `\w+` must give back the digits that `\d+` needs.
        assert!(is_match(r"^\w+\d+$", "abc123"));
        assert!(!is_match(r"^\w+\d+$", "abc"));
        assert!(is_match(r"^a?b*c$", "c"));
        assert!(is_match(r"^a?b*c$", "abbbc"));
        assert!(!is_match(r"^a?b*c$", "aabc"));
        assert!(is_match(r"^(ab|a)b$", "ab"));
    }

    #[test]
    fn an_empty_alternative_matches_the_empty_string() {
        // `(a|)` is `a` or nothing, under every quantifier, as in any regex engine.
        for (pattern, input, matches) in [
            (r"^(a|)b$", "b", true),
            (r"^(a|)b$", "ab", true),
            (r"^(|a)b$", "b", true),
            (r"^(a|)b$", "aab", false),
            (r"^(a|)+b$", "b", true),
            (r"^(a|)+b$", "aaab", true),
            (r"^(a|)*b$", "b", true),
            (r"^(a|)?b$", "ab", true),
            // No match: every way of repeating the empty alternative has to be given up on.
            (r"^(a|)+b$", "c", false),
            (r"^(a|)*b$", "aac", false),
        ] {
            assert_eq!(is_match(pattern, input), matches, "{pattern} {input}");
        }
    }

    #[test]
    fn escaped_characters_inside_a_group_are_literals() {
        // `\-`, `\/` and an escaped special character (`\.`) inside a group each stand for the
        // character itself, in any alternative.
        let pattern = r"^(us\-gov|a\/b|c\.d|e)\-\d$";
        for input in ["us-gov-1", "a/b-2", "c.d-3", "e-4"] {
            assert!(is_match(pattern, input), "{input}");
        }
        for input in [
            "usXgov-1",
            "us\\-gov-1",
            "us--gov-1",
            "a-b-2",
            "cXd-3",
            "c\\.d-3",
            "us-1",
        ] {
            assert!(!is_match(pattern, input), "{input}");
        }
        assert_eq!(
            parse(r"^(a\-b)$").map(|pieces| pieces[0].atom.clone()),
            Ok(Atom::Group(vec!["a-b".to_owned()]))
        );
    }

    #[test]
    fn errors_say_what_went_wrong_and_at_which_byte() {
        // (pattern, byte offset in the pattern, reason): offsets count the leading `^`.
        let cases = [
            ("us-east-1", 0, "pattern does not start with `^`"),
            ("^us$x", 5, "pattern does not end with `$`"),
            ("^[a-z]+$", 1, "unsupported regex syntax"),
            ("^ab{2}$", 3, "unsupported regex syntax"),
            ("^a\\s$", 2, "unsupported escape"),
            ("^ab\\$", 3, "dangling `\\`"),
            ("^x(a|b$", 2, "unclosed `(`"),
            (
                "^x(a+)$",
                4,
                "only literal alternatives are supported in a group",
            ),
            (
                "^x(a\\w)$",
                4,
                "only literal alternatives are supported in a group",
            ),
            ("^x(ab\\$", 5, "dangling `\\`"),
        ];
        for (pattern, offset, reason) in cases {
            assert_eq!(
                parse(pattern),
                Err(UnsupportedPattern { offset, reason }),
                "{pattern}"
            );
        }
        let error = parse("^a\\s$").unwrap_err();
        assert_eq!(error.to_string(), "unsupported escape at byte 2");
    }

    #[test]
    fn unsupported_syntax_is_rejected() {
        for pattern in [
            "us-east-1",
            "^us$x",
            "^[a-z]+$",
            "^a{2}$",
            "^.+$",
            "^(a|b$",
            "^\\s$",
            "^(a+)$",
        ] {
            assert!(parse(pattern).is_err(), "{pattern}");
            assert!(!is_match(pattern, "a"), "{pattern}");
        }
    }
}
