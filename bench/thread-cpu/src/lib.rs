//! [`ThreadCpuTime`]: a criterion [`Measurement`] of the CPU time the benchmarking thread itself
//! consumes (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`), in nanoseconds.
//!
//! Wall-clock medians on a machine shared with other work include the time the thread spends
//! waiting for a core; the thread's CPU time does not. It also leaves out work done on other
//! threads, so it only measures a call completely when the call runs on the benchmarking thread
//! (a current-thread tokio runtime driven by `block_on`, as in these benches):
//! [`process_share`] checks that.

use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::Throughput;

/// The CPU time of the calling thread, as criterion's measurement.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadCpuTime;

/// Reads one of the kernel's CPU-time clocks.
///
/// # Panics
/// If the clock cannot be read, which on Linux only happens for an invalid clock id (both ids used
/// here are always valid): a benchmark cannot go on without its clock.
fn read(clock: libc::clockid_t) -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(clock, &mut now) };
    assert_eq!(
        rc,
        0,
        "clock_gettime({clock}) failed: {}",
        std::io::Error::last_os_error()
    );
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// The CPU time the calling thread has used so far.
pub fn thread_cpu_time() -> Duration {
    read(libc::CLOCK_THREAD_CPUTIME_ID)
}

/// The CPU time all threads of the process have used so far.
pub fn process_cpu_time() -> Duration {
    read(libc::CLOCK_PROCESS_CPUTIME_ID)
}

/// Runs `work` and returns which share of the CPU time the process used meanwhile was used by the
/// calling thread (1.0: all of it). A bench calls this before measuring with [`ThreadCpuTime`]
/// to show that no part of a call runs on another thread, where the measurement would not see it.
pub fn process_share(work: impl FnOnce()) -> f64 {
    let (thread, process) = (thread_cpu_time(), process_cpu_time());
    work();
    let thread = thread_cpu_time() - thread;
    let process = process_cpu_time() - process;
    thread.as_secs_f64() / process.as_secs_f64()
}

/// Runs `call` 2,000 times, prints which share of the process's CPU time that took on the calling
/// thread, and panics below 95%: a group measured with [`ThreadCpuTime`] calls this first, since
/// work a call leaves to another thread would not be counted.
///
/// Does nothing when the bench binary runs with `--profile-time` (under callgrind, for
/// instruction counts): criterion runs every group's setup whatever the filter, so the 2,000
/// calls of each client would be counted into the profile of the one call being profiled.
pub fn assert_runs_on_this_thread(what: &str, mut call: impl FnMut()) {
    if std::env::args().any(|arg| arg == "--profile-time") {
        return;
    }
    let share = process_share(|| (0..2_000).for_each(|_| call()));
    eprintln!(
        "{what}: {:.1}% of the process's CPU time on the benchmarking thread",
        share * 100.0
    );
    assert!(
        share > 0.95,
        "{what} runs partly on other threads ({share})"
    );
}

impl Measurement for ThreadCpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        thread_cpu_time()
    }

    fn end(&self, start: Duration) -> Duration {
        thread_cpu_time().saturating_sub(start)
    }

    fn add(&self, v1: &Duration, v2: &Duration) -> Duration {
        *v1 + *v2
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuTimeFormatter
    }
}

/// Prints nanoseconds of CPU time the way criterion prints wall time ("ns", "µs", "ms", "s"),
/// with "(cpu)" added so the two are not confused in a report.
struct CpuTimeFormatter;

impl CpuTimeFormatter {
    fn scale(typical_ns: f64) -> (f64, &'static str) {
        if typical_ns < 1e3 {
            (1.0, "ns (cpu)")
        } else if typical_ns < 1e6 {
            (1e-3, "µs (cpu)")
        } else if typical_ns < 1e9 {
            (1e-6, "ms (cpu)")
        } else {
            (1e-9, "s (cpu)")
        }
    }
}

impl ValueFormatter for CpuTimeFormatter {
    fn scale_values(&self, typical_value: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = Self::scale(typical_value);
        values.iter_mut().for_each(|v| *v *= factor);
        unit
    }

    fn scale_throughputs(
        &self,
        _typical_value: f64,
        throughput: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        // `values` are nanoseconds of CPU time per iteration; turn them into units per CPU second.
        let (per_iteration, unit) = match *throughput {
            Throughput::Bytes(n) | Throughput::BytesDecimal(n) => (n as f64 / 1e6, "MB/s (cpu)"),
            Throughput::Elements(n) => (n as f64, "elem/s (cpu)"),
        };
        values
            .iter_mut()
            .for_each(|v| *v = per_iteration * 1e9 / *v);
        unit
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Held by the tests that measure CPU time, so that the test harness's other threads do not
    /// run beside them and add to the process's CPU time.
    static ALONE: Mutex<()> = Mutex::new(());

    fn spin(for_at_least: Duration) {
        let start = thread_cpu_time();
        while thread_cpu_time() - start < for_at_least {
            std::hint::black_box(0u64.wrapping_add(1));
        }
    }

    #[test]
    fn counts_the_threads_work_but_not_its_sleep() {
        let _alone = ALONE.lock().unwrap();
        let m = ThreadCpuTime;
        let start = m.start();
        spin(Duration::from_millis(20));
        std::thread::sleep(Duration::from_millis(200));
        let used = m.end(start);
        assert!(used >= Duration::from_millis(20), "{used:?}");
        // The 200 ms of sleep are not CPU time (20 ms of spinning plus some slack).
        assert!(used < Duration::from_millis(120), "{used:?}");
    }

    #[test]
    fn leaves_out_other_threads_and_process_share_shows_it() {
        let _alone = ALONE.lock().unwrap();
        let alone = process_share(|| spin(Duration::from_millis(20)));
        assert!(alone > 0.8, "{alone}");
        let helped = process_share(|| {
            std::thread::spawn(|| spin(Duration::from_millis(60)))
                .join()
                .unwrap();
            spin(Duration::from_millis(20));
        });
        // 20 ms here against 60 ms on the other thread.
        assert!(helped < 0.5, "{helped}");
    }

    #[test]
    fn formats_like_criterion_and_reports_cpu_throughput() {
        let f = CpuTimeFormatter;
        let mut values = [1_500.0, 2_500.0];
        assert_eq!(f.scale_values(2_000.0, &mut values), "µs (cpu)");
        assert_eq!(values, [1.5, 2.5]);
        let mut per_iteration = [1e9 / 4.0];
        let unit = f.scale_throughputs(0.0, &Throughput::Bytes(1_000_000), &mut per_iteration);
        assert_eq!((unit, per_iteration[0]), ("MB/s (cpu)", 4.0));
        assert_eq!(ThreadCpuTime.to_f64(&Duration::from_micros(3)), 3_000.0);
    }
}
