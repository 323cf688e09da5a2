//! Runs futures to completion for the blocking client (feature `blocking`).

use std::fmt;
use std::future::Future;
use std::sync::OnceLock;

static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();

/// The blocking client could not run a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockingError {
    message: String,
}

impl fmt::Display for BlockingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BlockingError {}

/// Runs `future` to completion on a current-thread tokio runtime created on first use and
/// shared by later calls (pooled connections are reused between calls).
///
/// Fails instead of panicking when called from inside an async runtime (use the async client
/// there) or when the runtime cannot be created.
pub fn block_on<F: Future>(future: F) -> Result<F::Output, BlockingError> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(BlockingError {
            message: "the blocking client cannot be used inside an async runtime; use the \
                      async client instead"
                .into(),
        });
    }
    let runtime = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("could not start the blocking client's runtime: {e}"))
    });
    match runtime {
        Ok(runtime) => Ok(runtime.block_on(future)),
        Err(message) => Err(BlockingError {
            message: message.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_futures_and_refuses_nesting() {
        assert_eq!(block_on(async { 40 + 2 }).unwrap(), 42);
        let nested = block_on(async { block_on(async { 1 }) }).unwrap();
        let err = nested.unwrap_err();
        assert!(err.to_string().contains("inside an async runtime"));
    }
}
