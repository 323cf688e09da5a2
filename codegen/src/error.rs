//! The generator's error type: every failure names the file, the shape and the problem.

use std::fmt;
use std::path::PathBuf;

/// Why code generation failed.
#[derive(Debug)]
pub enum CodegenError {
    /// A file could not be read or written.
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A model file is not valid JSON.
    Json {
        /// The model file.
        file: PathBuf,
        /// Where and why parsing failed.
        source: serde_json::Error,
    },
    /// A `.smithy` file could not be parsed (the error gives file, line and column).
    Idl(Box<dyn std::error::Error + Send + Sync>),
    /// The model is well-formed JSON but not a valid Smithy model.
    Model {
        /// The model file the shape came from (empty when unknown).
        file: PathBuf,
        /// The line of the shape in the file, when the file has lines and it is known.
        line: Option<usize>,
        /// The shape the problem is at (empty when it is about the whole file).
        shape: String,
        /// What is wrong.
        message: String,
    },
    /// The model uses something the generator does not support.
    Unsupported {
        /// The shape (or service) concerned.
        shape: String,
        /// The protocol or feature that is not supported.
        feature: String,
    },
    /// The manifest of services is invalid.
    Manifest {
        /// The manifest file.
        file: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The generator produced something it should not have (emitted code that is not valid
    /// Rust, two files at one path, a template that does not render): a bug in the generator,
    /// not in the model.
    Emit {
        /// The generated file.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// A committed API description (`api.json`) cannot be read.
    Api {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// rustfmt, which formats the generated code, could not be run or failed.
    Rustfmt {
        /// The program that was run (`rustfmt`, or the value of `RUSTFMT`).
        program: String,
        /// What went wrong.
        problem: RustfmtProblem,
    },
    /// The endpoint rule set could not be compiled.
    EndpointRules {
        /// The service shape.
        shape: String,
        /// What is wrong.
        message: String,
    },
}

/// Why rustfmt could not format the generated code.
#[derive(Debug)]
pub enum RustfmtProblem {
    /// The program could not be started.
    NotFound(std::io::Error),
    /// It ran and failed, or its output could not be read back.
    Failed(String),
}

impl CodegenError {
    /// A model error at `shape` in `file`.
    pub fn model(
        file: impl Into<PathBuf>,
        shape: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        CodegenError::Model {
            file: file.into(),
            line: None,
            shape: shape.into(),
            message: message.into(),
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        CodegenError::Io {
            path: path.into(),
            source,
        }
    }
}

impl CodegenError {
    /// A model error with the line of its shape filled in, when the shape's file is a JSON AST
    /// document (found by its key: the shape id under `shapes`, then the member name inside it).
    pub fn located(self) -> Self {
        let CodegenError::Model {
            file,
            line: None,
            shape,
            message,
        } = self
        else {
            return self;
        };
        let line = (!shape.is_empty() && file.extension().is_some_and(|e| e == "json"))
            .then(|| std::fs::read_to_string(&file).ok())
            .flatten()
            .and_then(|text| key_line(&text, &shape));
        CodegenError::Model {
            file,
            line,
            shape,
            message,
        }
    }
}

/// The 1-based line of the object key for shape `id` (`ns#Shape` or `ns#Shape$member`).
fn key_line(text: &str, id: &str) -> Option<usize> {
    let (shape, member) = match id.split_once('$') {
        Some((shape, member)) => (shape, Some(member)),
        None => (id, None),
    };
    let key_at = |from: usize, key: &str| -> Option<usize> {
        let quoted = format!("\"{key}\"");
        let mut start = from;
        while let Some(found) = text[start..].find(&quoted) {
            let at = start + found;
            let after = text[at + quoted.len()..].trim_start();
            if after.starts_with(':') {
                return Some(at);
            }
            start = at + quoted.len();
        }
        None
    };
    let shape_at = key_at(0, shape)?;
    let at = match member {
        Some(member) => key_at(shape_at, member).unwrap_or(shape_at),
        None => shape_at,
    };
    Some(text[..at].matches('\n').count() + 1)
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodegenError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            CodegenError::Json { file, source } => {
                write!(f, "{}: not a valid JSON model: {source}", file.display())
            }
            CodegenError::Idl(err) => write!(f, "{err}"),
            CodegenError::Model {
                file,
                line,
                shape,
                message,
            } => {
                match (file.as_os_str().is_empty(), line) {
                    (true, _) => {}
                    (false, Some(line)) => write!(f, "{}:{line}: ", file.display())?,
                    (false, None) => write!(f, "{}: ", file.display())?,
                }
                if !shape.is_empty() {
                    write!(f, "shape `{shape}`: ")?;
                }
                f.write_str(message)
            }
            CodegenError::Unsupported { shape, feature } => {
                write!(f, "`{shape}`: not supported: {feature}")
            }
            CodegenError::Manifest { file, message } => {
                write!(f, "{}: invalid manifest: {message}", file.display())
            }
            CodegenError::Emit { file, message } => {
                write!(f, "generator bug: {file}: {message}")
            }
            CodegenError::Api { file, message } => {
                write!(f, "{}: invalid API description: {message}", file.display())
            }
            CodegenError::Rustfmt { program, problem } => match problem {
                RustfmtProblem::NotFound(err) => write!(
                    f,
                    "rustfmt was not found (could not run `{program}`: {err}); the generated code \
                     is formatted with it: install it with `rustup component add rustfmt`, or set \
                     RUSTFMT to its path"
                ),
                RustfmtProblem::Failed(message) => {
                    write!(
                        f,
                        "rustfmt (`{program}`) failed on the generated code: {message}"
                    )
                }
            },
            CodegenError::EndpointRules { shape, message } => {
                write!(f, "`{shape}`: endpoint rules: {message}")
            }
        }
    }
}

impl std::error::Error for CodegenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CodegenError::Io { source, .. } => Some(source),
            CodegenError::Json { source, .. } => Some(source),
            CodegenError::Idl(err) => Some(err.as_ref()),
            CodegenError::Rustfmt {
                problem: RustfmtProblem::NotFound(err),
                ..
            } => Some(err),
            _ => None,
        }
    }
}

/// The generator's result type.
pub type Result<T, E = CodegenError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_lines_find_shapes_and_members_not_targets() {
        let text = "{\n  \"shapes\": {\n    \"a#B\": {\n      \"type\": \"structure\",\n      \"members\": {\n        \"c\": { \"target\": \"a#D\" }\n      }\n    },\n    \"a#D\" : { \"type\": \"string\" }\n  }\n}\n";
        assert_eq!(key_line(text, "a#B"), Some(3));
        assert_eq!(key_line(text, "a#B$c"), Some(6));
        // `a#D` appears first as a target value, then as a key.
        assert_eq!(key_line(text, "a#D"), Some(9));
        assert_eq!(key_line(text, "a#E"), None);
    }
}
