//! Runs futures to completion for blocking calls (feature `blocking`).
//!
//! Every blocking call of the process runs on one tokio runtime that this module owns: a
//! multi-thread runtime with one worker thread (`smithy-rust-blocking`), started on first use.
//! The call runs on the worker, as a task, while the calling thread waits for its result; what
//! the call spawns (the connections of the HTTP client) runs there too, so that a pooled
//! connection is back in the pool before the next call starts, keeps working between blocking
//! calls, and serves async calls when an async client shares the connection pool.
//!
//! Where a blocking call may run:
//!
//! - on a thread without a tokio runtime (a plain program, `std::thread::spawn`): always;
//! - on a thread of a multi-thread tokio runtime (an async task, `#[tokio::main]`,
//!   `spawn_blocking`): yes, through `tokio::task::block_in_place`, which hands the thread's
//!   other tasks to another worker while the call blocks it (prefer `.send().await` there);
//! - on the thread of a current-thread tokio runtime (`#[tokio::main(flavor = "current_thread")]`,
//!   a default `#[tokio::test]`, or one of its `spawn_blocking` threads): no. Blocking the one
//!   thread that drives that runtime would stop its tasks, and a call that needs one of them (a
//!   connection it opened) would never finish; the call fails at once with a
//!   [`BlockingError`] instead of deadlocking.
//!
//! A panic inside the call (in an interceptor, say) reaches the caller as that panic, as it
//! would in async code.

use std::fmt;
use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::{Handle, Runtime, RuntimeFlavor};

/// The name of the runtime's worker thread.
const WORKER_NAME: &str = "smithy-rust-blocking";

static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();

/// A blocking call could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockingError {
    kind: BlockingErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum BlockingErrorKind {
    InsideCurrentThreadRuntime,
    RuntimeStart(String),
    Cancelled,
}

impl BlockingError {
    /// Whether the call was made on a thread that runs a current-thread tokio runtime.
    pub fn is_inside_current_thread_runtime(&self) -> bool {
        self.kind == BlockingErrorKind::InsideCurrentThreadRuntime
    }
}

impl fmt::Display for BlockingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            BlockingErrorKind::InsideCurrentThreadRuntime => f.write_str(
                "a blocking call cannot run on a thread of a current-thread tokio runtime \
                 (blocking the thread that drives the runtime could deadlock it): use \
                 `.send().await` in async code, or make the call from a thread without a \
                 runtime (`std::thread::spawn`) or from a multi-thread runtime",
            ),
            BlockingErrorKind::RuntimeStart(reason) => {
                write!(f, "could not start the runtime of blocking calls: {reason}")
            }
            BlockingErrorKind::Cancelled => {
                f.write_str("the blocking call was cancelled: its runtime is shutting down")
            }
        }
    }
}

impl std::error::Error for BlockingError {}

/// The runtime of blocking calls, started on first use.
fn runtime() -> Result<&'static Runtime, BlockingError> {
    let runtime = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name(WORKER_NAME)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    });
    runtime.as_ref().map_err(|reason| BlockingError {
        kind: BlockingErrorKind::RuntimeStart(reason.clone()),
    })
}

/// Runs `future` to completion on the runtime of blocking calls and returns its output.
///
/// Fails, without running `future`, on a thread of a current-thread tokio runtime (see the
/// [module documentation](self)) or when the runtime cannot be started.
pub fn block_on<F>(future: F) -> Result<F::Output, BlockingError>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let flavor = Handle::try_current().ok().map(|h| h.runtime_flavor());
    match flavor {
        None => run(runtime()?, future),
        Some(RuntimeFlavor::MultiThread) => {
            let runtime = runtime()?;
            tokio::task::block_in_place(|| run(runtime, future))
        }
        Some(_) => Err(BlockingError {
            kind: BlockingErrorKind::InsideCurrentThreadRuntime,
        }),
    }
}

/// Runs `future` as a task of `runtime` and waits for it on this thread.
fn run<F>(runtime: &Runtime, future: F) -> Result<F::Output, BlockingError>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    match runtime.block_on(runtime.spawn(future)) {
        Ok(output) => Ok(output),
        Err(err) => match err.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(_) => Err(BlockingError {
                kind: BlockingErrorKind::Cancelled,
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_futures_on_a_thread_without_a_runtime() {
        assert_eq!(block_on(async { 40 + 2 }).unwrap(), 42);
        let thread = block_on(async { std::thread::current().name().map(str::to_owned) });
        assert_eq!(thread.unwrap().as_deref(), Some(WORKER_NAME));
        // What the call spawns runs on the worker, between calls too.
        let (tx, rx) = std::sync::mpsc::channel();
        block_on(async move {
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                tx.send(std::thread::current().name().map(str::to_owned))
                    .unwrap();
            });
        })
        .unwrap();
        let name = rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
        assert_eq!(name.as_deref(), Some(WORKER_NAME));
    }

    #[test]
    fn a_panic_in_the_call_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| block_on(async { panic!("in the call") }));
        let panic = caught.unwrap_err();
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"in the call"));
        // The runtime still works.
        assert_eq!(block_on(async { 1 }).unwrap(), 1);
    }

    #[test]
    fn refuses_a_current_thread_runtime_thread() {
        let current = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let err = current
            .block_on(async { block_on(async { 1 }) })
            .unwrap_err();
        assert!(err.is_inside_current_thread_runtime(), "{err}");
        assert!(err.to_string().contains("current-thread tokio runtime"));
        let in_spawn_blocking = current
            .block_on(async { tokio::task::spawn_blocking(|| block_on(async { 1 })).await })
            .unwrap();
        assert!(in_spawn_blocking
            .unwrap_err()
            .is_inside_current_thread_runtime());
    }

    #[test]
    fn runs_on_a_multi_thread_runtime_thread() {
        let multi = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        let in_task = multi
            .block_on(async { tokio::spawn(async { block_on(async { 7 }) }).await })
            .unwrap();
        assert_eq!(in_task.unwrap(), 7);
        let in_block_on = multi.block_on(async { block_on(async { 8 }) });
        assert_eq!(in_block_on.unwrap(), 8);
        let in_spawn_blocking = multi
            .block_on(async { tokio::task::spawn_blocking(|| block_on(async { 9 })).await })
            .unwrap();
        assert_eq!(in_spawn_blocking.unwrap(), 9);
        // A blocking call inside a blocking call runs too (its thread is in this module's own
        // multi-thread runtime).
        assert_eq!(block_on(async { block_on(async { 10 }) }).unwrap(), Ok(10));
    }
}
