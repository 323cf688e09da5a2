//! Naming rules: the one place where model names become Rust names.
//!
//! Words are split with an acronym-aware splitter (heck alone turns `ARNs` into `ar_ns` and
//! `IPv4Address` into `i_pv4_address`), then cased with heck. Rust keywords, names that would
//! shadow the prelude and names that collide with generated methods are escaped here.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Splits an identifier into words.
///
/// Boundaries: `_` and other separators, lower-case or digit followed by upper-case, and the
/// last capital of a capital run followed by lower-case (`HTTPServer` -> `HTTP`, `Server`). An
/// acronym run followed by a plural `s` (`ARNs`, `IDs`) or by `v` and a digit (`IPv4`) stays one
/// word.
pub fn split_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            i += 1;
            continue;
        }
        if c.is_ascii_uppercase() {
            // Measure the run of capitals starting here.
            let run_end = (i..chars.len())
                .find(|&j| !chars[j].is_ascii_uppercase())
                .unwrap_or(chars.len());
            let run_len = run_end - i;
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            if run_len >= 2 {
                let next = chars.get(run_end).copied();
                let after = chars.get(run_end + 1).copied();
                let plural = next == Some('s') && after.is_none_or(|a| !a.is_ascii_lowercase());
                let version = next == Some('v') && after.is_some_and(|a| a.is_ascii_digit());
                if plural {
                    current.extend(&chars[i..=run_end]);
                    words.push(std::mem::take(&mut current));
                    i = run_end + 1;
                    continue;
                }
                if version {
                    current.extend(&chars[i..=run_end]);
                    i = run_end + 1;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        current.push(chars[i]);
                        i += 1;
                    }
                    words.push(std::mem::take(&mut current));
                    continue;
                }
                if next.is_some_and(|n| n.is_ascii_lowercase()) {
                    // `HTTPServer`: the last capital starts the next word.
                    current.extend(&chars[i..run_end - 1]);
                    words.push(std::mem::take(&mut current));
                    i = run_end - 1;
                    continue;
                }
                current.extend(&chars[i..run_end]);
                i = run_end;
                continue;
            }
            current.push(c);
            i += 1;
            continue;
        }
        current.push(c);
        i += 1;
        // A digit run followed by a capital ends a word (`V2Beta` -> `V2`, `Beta`).
        if c.is_ascii_digit() && chars.get(i).is_some_and(|n| n.is_ascii_uppercase()) {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `snake_case` from model words.
pub fn snake(name: &str) -> String {
    split_words(name)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_")
        .to_snake_case()
}

/// `UpperCamelCase` from model words.
pub fn pascal(name: &str) -> String {
    let joined = split_words(name)
        .iter()
        .map(|w| {
            let lower = w.to_lowercase();
            lower.to_upper_camel_case()
        })
        .collect::<String>();
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{joined}")
    } else {
        joined
    }
}

/// Rust keywords (strict and reserved, all editions up to 2024).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Whether `name` is a Rust keyword.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// A snake-case identifier that is safe to use: keywords become raw identifiers (`r#type`), or get
/// a `_` suffix where a raw identifier is not allowed (`self_`).
pub fn escape_ident(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if is_keyword(name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// The identifier without a raw prefix, for building other names (`r#type` -> `type`).
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Type names that must not be shadowed (std prelude, and names generated crates use).
const RESERVED_TYPES: &[&str] = &[
    "String",
    "Option",
    "Result",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Send",
    "Sync",
    "Sized",
    "Copy",
    "Clone",
    "Default",
    "Debug",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "Into",
    "From",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "AsRef",
    "AsMut",
    "Extend",
    "Unpin",
    "HashMap",
    "Client",
    "Config",
    "Error",
    "Builder",
    "DateTime",
    "Blob",
    "Document",
    "Number",
    "SdkError",
    "BuildError",
    "Unhandled",
];

/// A type name for a shape that cannot shadow a prelude or generated name.
pub fn type_name(shape_name: &str) -> String {
    let name = pascal(shape_name);
    if RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}Value")
    } else {
        name
    }
}

/// Method names that builders, fluent builders and structures already define.
const RESERVED_MEMBERS: &[&str] = &[
    "build",
    "builder",
    "send",
    "send_with",
    "customize",
    "into_paginator",
    "as_input",
    "config_override",
    "clone",
    "fmt",
    "eq",
    "ne",
    "hash",
    "default",
    "into",
    "from",
    "meta",
    "to_owned",
    "borrow",
    "type_id",
];

/// The field / getter name of a member: snake case, keyword-escaped, renamed when it collides
/// with a method generated code defines.
pub fn member_name(member: &str) -> String {
    let name = snake(member);
    if RESERVED_MEMBERS.contains(&name.as_str()) {
        format!("{name}_value")
    } else {
        escape_ident(&name)
    }
}

/// Method names the generated clients (async and blocking) already have, their own and those
/// of the traits they derive.
const RESERVED_CLIENT_METHODS: &[&str] = &[
    "new",
    "from_conf",
    "config",
    "clone",
    "clone_from",
    "fmt",
    "into",
    "try_into",
    "from",
    "to_owned",
    "borrow",
    "borrow_mut",
    "type_id",
];

/// The module and client method name of an operation: snake case, keyword-escaped, with an
/// `_operation` suffix when the clients already have a method of that name (operation `Config`
/// is `client.config_operation()`, beside `client.config()`).
pub fn operation_method(operation: &str) -> String {
    let name = snake(operation);
    if RESERVED_CLIENT_METHODS.contains(&name.as_str()) {
        format!("{name}_operation")
    } else {
        escape_ident(&name)
    }
}

/// An enum variant name; `Unknown` is taken by the catch-all variant.
pub fn variant_name(member: &str) -> String {
    let name = pascal(member);
    match name.as_str() {
        "Unknown" => "UnknownValue".to_owned(),
        "Self" => "SelfValue".to_owned(),
        "" => "Empty".to_owned(),
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_acronyms_like_a_person_would() {
        assert_eq!(snake("AppInstanceUserArn"), "app_instance_user_arn");
        assert_eq!(snake("ChannelARNs"), "channel_arns");
        assert_eq!(snake("ARNs"), "arns");
        assert_eq!(snake("IPv4Address"), "ipv4_address");
        assert_eq!(snake("IPv6"), "ipv6");
        assert_eq!(snake("HTTPServer"), "http_server");
        assert_eq!(snake("NextToken"), "next_token");
        assert_eq!(snake("AllowMessages"), "allow_messages");
        assert_eq!(snake("APNS_VOIP_SANDBOX"), "apns_voip_sandbox");
        assert_eq!(snake("MaxResults"), "max_results");
        assert_eq!(snake("UserIDs"), "user_ids");
        assert_eq!(snake("V2Beta"), "v2_beta");
        assert_eq!(snake("S3Bucket"), "s3_bucket");
    }

    #[test]
    fn pascal_case_types_and_variants() {
        assert_eq!(pascal("ChimeArn"), "ChimeArn");
        assert_eq!(pascal("IPv4Address"), "Ipv4Address");
        assert_eq!(variant_name("APNS_VOIP_SANDBOX"), "ApnsVoipSandbox");
        assert_eq!(variant_name("ALL"), "All");
        assert_eq!(variant_name("UNKNOWN"), "UnknownValue");
        assert_eq!(variant_name("Self"), "SelfValue");
    }

    #[test]
    fn escapes_keywords_and_collisions() {
        assert_eq!(member_name("Type"), "r#type");
        assert_eq!(member_name("Self"), "self_");
        assert_eq!(member_name("Crate"), "crate_");
        assert_eq!(member_name("Build"), "build_value");
        assert_eq!(member_name("Send"), "send_value");
        assert_eq!(member_name("Name"), "name");
        assert_eq!(unraw("r#type"), "type");
    }

    #[test]
    fn operations_never_take_a_client_method_name() {
        assert_eq!(operation_method("Config"), "config_operation");
        assert_eq!(operation_method("New"), "new_operation");
        assert_eq!(operation_method("FromConf"), "from_conf_operation");
        assert_eq!(operation_method("Clone"), "clone_operation");
        assert_eq!(operation_method("GetConfig"), "get_config");
        assert_eq!(operation_method("Type"), "r#type");
    }

    #[test]
    fn types_never_shadow_the_prelude() {
        assert_eq!(type_name("String"), "StringValue");
        assert_eq!(type_name("Result"), "ResultValue");
        assert_eq!(type_name("Option"), "OptionValue");
        assert_eq!(type_name("AppInstance"), "AppInstance");
    }
}
