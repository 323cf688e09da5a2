//! `api.json`: the API description committed next to each generated crate, written so that
//! `git diff` shows one changed line per changed item (a member, an enum value, an error
//! variant, an operation), and read back to compare with a new model.

use std::path::Path;

use serde_json::Value;

use super::surface::{ApiDescription, FORMAT};
use crate::error::{CodegenError, Result};
use crate::output::{FileKind, OutputFile};

/// The file name inside the crate folder.
pub const FILE_NAME: &str = "api.json";

/// The description as JSON text: containers are spread over lines, and every object that holds
/// only scalars (or lists of scalars) is written on one line.
pub fn render(description: &ApiDescription) -> Result<String> {
    let value = serde_json::to_value(description).map_err(|err| CodegenError::Emit {
        file: FILE_NAME.to_owned(),
        message: err.to_string(),
    })?;
    let mut out = String::new();
    write_value(&value, 0, &mut out);
    out.push('\n');
    Ok(out)
}

/// The description as the crate's `api.json`, for the output space. JSON has no comments: the
/// description's `generated` value is its generated-file header.
pub fn output_file(description: &ApiDescription) -> Result<OutputFile> {
    Ok(OutputFile {
        path: FILE_NAME.to_owned(),
        kind: FileKind::Json,
        text: render(description)?,
    })
}

/// Parses an API description; `file` names it in errors.
pub fn parse(file: &Path, text: &str) -> Result<ApiDescription> {
    let fail = |message: String| CodegenError::Api {
        file: file.to_owned(),
        message,
    };
    let value: Value = serde_json::from_str(text).map_err(|err| fail(err.to_string()))?;
    match value.get("format").and_then(Value::as_u64) {
        Some(format) if format == u64::from(FORMAT) => {}
        Some(format) => {
            return Err(fail(format!(
                "format {format} is not the format {FORMAT} this generator reads; regenerate \
                 it with the generator that wrote it, or compare models with `--base`"
            )))
        }
        None => return Err(fail("no `format` number: not an api.json file".to_owned())),
    }
    serde_json::from_value(value).map_err(|err| fail(err.to_string()))
}

/// Reads the description in the crate folder `out`, `None` when there is none.
pub fn read_committed(out: &Path) -> Result<Option<ApiDescription>> {
    read(&out.join(FILE_NAME))
}

/// Reads an API description file, `None` when it does not exist.
pub fn read(path: &Path) -> Result<Option<ApiDescription>> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(path, &text).map(Some),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(CodegenError::io(path, err)),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// Written on one line: a scalar, a list of scalars, or an object of those.
fn is_leaf(value: &Value) -> bool {
    let flat = |v: &Value| match v {
        Value::Array(items) => items.iter().all(is_scalar),
        other => is_scalar(other),
    };
    match value {
        Value::Object(map) => map.values().all(flat),
        other => flat(other),
    }
}

fn write_value(value: &Value, indent: usize, out: &mut String) {
    if is_leaf(value) {
        write_compact(value, out);
        return;
    }
    let pad = "  ".repeat(indent + 1);
    match value {
        Value::Object(map) => {
            out.push_str("{\n");
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                out.push_str(&pad);
                out.push_str(&Value::String(key.clone()).to_string());
                out.push_str(": ");
                write_value(item, indent + 1, out);
            }
            out.push('\n');
            out.push_str(&"  ".repeat(indent));
            out.push('}');
        }
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                out.push_str(&pad);
                write_value(item, indent + 1, out);
            }
            out.push('\n');
            out.push_str(&"  ".repeat(indent));
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// One line, with a space after `:` and `,` for reading.
fn write_compact(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push_str(": ");
                write_compact(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_compact(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_of_scalars_take_one_line_each() {
        let mut out = String::new();
        write_value(
            &json!({"a": 1, "list": [{"x": "y", "n": [1, null]}, {"x": "z"}], "empty": []}),
            0,
            &mut out,
        );
        assert_eq!(
            out,
            "{\n  \"a\": 1,\n  \"list\": [\n    {\"x\": \"y\", \"n\": [1, null]},\n    {\"x\": \"z\"}\n  ],\n  \"empty\": []\n}"
        );
        let parsed: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(parsed["list"][0]["n"], json!([1, null]));
    }

    #[test]
    fn rejects_other_formats_and_broken_files_with_the_file_name() {
        let file = Path::new("generated/x/api.json");
        let err = parse(file, "{\"format\": 99}").unwrap_err().to_string();
        assert!(err.starts_with("generated/x/api.json: "), "{err}");
        assert!(err.contains("format 99"), "{err}");
        let err = parse(file, "{\"format\": 1").unwrap_err().to_string();
        assert!(err.contains("EOF"), "{err}");
        let err = parse(file, "[]").unwrap_err().to_string();
        assert!(err.contains("not an api.json file"), "{err}");
        let err = parse(file, "{\"format\": 1, \"crate\": \"x\"}")
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing field"), "{err}");
    }
}
