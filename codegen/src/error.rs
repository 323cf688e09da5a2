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
    /// Generated code did not parse as Rust (a bug in the generator).
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
    /// The endpoint rule set could not be compiled.
    EndpointRules {
        /// The service shape.
        shape: String,
        /// What is wrong.
        message: String,
    },
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
                write!(
                    f,
                    "generated file {file} is not valid Rust (generator bug): {message}"
                )
            }
            CodegenError::Api { file, message } => {
                write!(f, "{}: invalid API description: {message}", file.display())
            }
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
            _ => None,
        }
    }
}

/// The generator's result type.
pub type Result<T, E = CodegenError> = std::result::Result<T, E>;
