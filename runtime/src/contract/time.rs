//! Time: where the runtime reads the current time from (the system clock in production, a fixed
//! clock that tests move by hand), and how it waits ([`AsyncSleep`], for retry backoff and
//! timeouts).

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use crate::contract::http::BoxFuture;

/// A source of the current wall-clock time.
pub trait TimeSource: fmt::Debug + Send + Sync {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The real system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemTimeSource;

impl SystemTimeSource {
    /// The system clock.
    pub fn new() -> Self {
        Self
    }
}

impl TimeSource for SystemTimeSource {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that only moves when told to; clones share the same time.
#[derive(Debug, Clone)]
pub struct StaticTimeSource {
    time: Arc<Mutex<SystemTime>>,
}

impl StaticTimeSource {
    /// A clock stopped at `time`.
    pub fn new(time: SystemTime) -> Self {
        Self {
            time: Arc::new(Mutex::new(time)),
        }
    }

    /// A clock stopped `seconds` after the Unix epoch.
    pub fn from_secs(seconds: u64) -> Self {
        Self::new(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
    }

    /// Sets the clock (and every clone of it) to `time`.
    pub fn set(&self, time: SystemTime) {
        *self.time.lock().unwrap_or_else(PoisonError::into_inner) = time;
    }

    /// Moves the clock (and every clone of it) forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut guard = self.time.lock().unwrap_or_else(PoisonError::into_inner);
        *guard += by;
    }
}

impl TimeSource for StaticTimeSource {
    fn now(&self) -> SystemTime {
        *self.time.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A cheaply clonable, shared [`TimeSource`]; the default is the system clock.
#[derive(Debug, Clone)]
pub struct SharedTimeSource(Arc<dyn TimeSource>);

impl SharedTimeSource {
    /// Shares `source`.
    pub fn new(source: impl TimeSource + 'static) -> Self {
        Self(Arc::new(source))
    }
}

impl Default for SharedTimeSource {
    fn default() -> Self {
        Self::new(SystemTimeSource)
    }
}

impl TimeSource for SharedTimeSource {
    fn now(&self) -> SystemTime {
        self.0.now()
    }
}

/// Waits for a while; used for retry backoff and timeouts.
pub trait AsyncSleep: fmt::Debug + Send + Sync {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// The default [`AsyncSleep`]: `tokio::time::sleep` (needs a tokio runtime with time enabled).
#[derive(Debug, Default, Clone, Copy)]
pub struct TokioSleep;

impl AsyncSleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A shareable [`AsyncSleep`].
pub type SharedAsyncSleep = Arc<dyn AsyncSleep>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_time_source_is_shared_between_clones_and_advances() {
        let clock = StaticTimeSource::from_secs(1_000);
        let shared = SharedTimeSource::new(clock.clone());
        assert_eq!(
            shared.now(),
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_000)
        );
        clock.advance(Duration::from_secs(5));
        assert_eq!(
            shared.now(),
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_005)
        );
        clock.set(SystemTime::UNIX_EPOCH);
        assert_eq!(shared.now(), SystemTime::UNIX_EPOCH);
    }

    #[test]
    fn default_shared_time_source_follows_the_system_clock() {
        let before = SystemTime::now();
        let now = SharedTimeSource::default().now();
        assert!(now >= before);
    }
}
