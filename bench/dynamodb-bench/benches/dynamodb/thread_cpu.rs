//! A criterion measurement of the CPU time the benchmarking thread consumed
//! (`CLOCK_THREAD_CPUTIME_ID`), beside criterion's wall clock. On a machine shared with other
//! workers' builds, wall-clock medians include the time the thread waited for a core; CPU time
//! counts only the time it ran. Every client under test runs on the current-thread tokio runtime
//! in the benchmarking thread, so this is the whole per-call CPU cost.

use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::Throughput;

/// CPU time of the calling thread.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadCpuTime;

impl ThreadCpuTime {
    /// The measurement, after checking that the clock counts running and not waiting: 50 ms of
    /// sleep must count (almost) nothing, 20 ms of spinning must count.
    pub fn checked() -> Self {
        let clock = ThreadCpuTime;
        let start = clock.start();
        std::thread::sleep(Duration::from_millis(50));
        let slept = clock.end(start);
        let start = clock.start();
        let begun = std::time::Instant::now();
        let mut x = 0u64;
        while begun.elapsed() < Duration::from_millis(20) {
            x = std::hint::black_box(x.wrapping_add(1));
        }
        let spun = clock.end(start);
        assert!(
            slept < Duration::from_millis(10),
            "sleeping counted {slept:?}"
        );
        assert!(
            spun > Duration::from_millis(1),
            "spinning counted only {spun:?}"
        );
        clock
    }
}

/// The calling thread's CPU time so far.
fn now() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant Linux defines.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

impl Measurement for ThreadCpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        now()
    }

    fn end(&self, start: Duration) -> Duration {
        now().saturating_sub(start)
    }

    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

/// Formats nanoseconds of CPU time as criterion formats wall time.
struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
    fn scale_values(&self, typical_ns: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if typical_ns < 1e3 {
            (1.0, "ns cpu")
        } else if typical_ns < 1e6 {
            (1e-3, "µs cpu")
        } else if typical_ns < 1e9 {
            (1e-6, "ms cpu")
        } else {
            (1e-9, "s cpu")
        };
        values.iter_mut().for_each(|v| *v *= factor);
        unit
    }

    fn scale_throughputs(
        &self,
        _typical_ns: f64,
        throughput: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        let per_call = match *throughput {
            Throughput::Bytes(n) | Throughput::BytesDecimal(n) | Throughput::Elements(n) => {
                n as f64
            }
        };
        // Units per CPU-second.
        values.iter_mut().for_each(|v| *v = per_call * 1e9 / *v);
        "/s cpu"
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}
