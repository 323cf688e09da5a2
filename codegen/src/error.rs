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
                shape,
                message,
            } => {
                if !file.as_os_str().is_empty() {
                    write!(f, "{}: ", file.display())?;
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
