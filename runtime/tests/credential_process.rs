//! `credential_process` helpers run on a thread of the runtime's own (not under
//! `tokio::process`): what that design could get wrong. Helpers that leave their process group
//! and keep the pipes open, close their output and keep running, are given up while tokio is
//! shut down, flood standard error, or write exactly the stdout cap; loads that run together;
//! and a current-thread runtime that keeps running while a helper does. Every test checks that
//! no helper is left running or unreaped and that the runner threads end.
//!
//! The tests take one lock each: they count the runner threads of this process by name.
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use smithy_rust_runtime::credentials::{
    CredentialProcessProvider, ProvideCredentials, MAX_PROCESS_STDOUT,
};

/// The name the runtime gives its credential_process threads.
const THREAD_NAME: &str = "credential-proc";

const DOCUMENT: &str =
    r#"{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "proc-secret"}"#;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn one_at_a_time() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A folder of its own for one test, removed at the end.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("credential-process-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("a temporary folder");
        Self(path)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The state letter (`R`, `S`, `Z`...) of process `pid`, or `None` once it no longer exists.
fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .next()?
        .chars()
        .next()
}

/// The pids a helper recorded in `file`, one a line.
fn recorded_pids(file: &Path) -> Vec<u32> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .split_whitespace()
        .map(|pid| pid.parse().expect("a recorded pid"))
        .collect()
}

/// Waits up to 2 s for `pid` to be gone (not running, not a zombie); whether it is.
fn gone_within_2s(pid: u32) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(2) {
        if process_state(pid).is_none() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// The runner threads alive in this process.
fn runner_threads() -> usize {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.trim_end() == THREAD_NAME)
        .count()
}

/// Waits up to 2 s for every runner thread to end; how many are left.
fn runner_threads_after_2s() -> usize {
    let started = Instant::now();
    loop {
        let left = runner_threads();
        if left == 0 || started.elapsed() > Duration::from_secs(2) {
            return left;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The inode of the pipe that `pid`'s descriptor `fd` is, if it is a pipe.
fn pipe_of(pid: u32, fd: u32) -> Option<String> {
    let target = std::fs::read_link(format!("/proc/{pid}/fd/{fd}")).ok()?;
    let target = target.to_str()?;
    target.starts_with("pipe:").then(|| target.to_owned())
}

/// Whether this process still holds a descriptor on `pipe` (`pipe:[inode]`).
fn we_hold(pipe: &str) -> bool {
    std::fs::read_dir("/proc/self/fd")
        .into_iter()
        .flatten()
        .filter_map(|entry| std::fs::read_link(entry.ok()?.path()).ok())
        .any(|target| target.to_str() == Some(pipe))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime")
}

/// A process that left the helper's group (`setsid`) keeps both output pipes open after the
/// helper is killed: the load still ends at its timeout, and the runner thread neither waits for
/// that process nor keeps its ends of the pipes.
#[test]
fn a_process_that_left_the_group_holds_neither_the_load_nor_the_thread() {
    let _one = one_at_a_time();
    let dir = TempDir::new("escaped");
    let pids = dir.file("pids");
    let command = format!(
        "echo $$ >> '{pids}'; setsid sleep 30 & echo $! >> '{pids}'; sleep 30",
        pids = pids.display()
    );
    let started = Instant::now();
    let err = runtime()
        .block_on(
            CredentialProcessProvider::new(command)
                .with_timeout(Duration::from_millis(500))
                .provide_credentials(),
        )
        .expect_err("it never prints credentials");
    let took = started.elapsed();
    assert!(
        err.to_string().contains("did not finish within 500ms"),
        "{err}"
    );
    assert!(took < Duration::from_secs(3), "{took:?}");

    let recorded = recorded_pids(&pids);
    let [helper, escaped] = recorded[..] else {
        panic!("the helper records itself and the escaped process: {recorded:?}");
    };
    assert_eq!(
        process_state(helper),
        None,
        "the helper is killed and reaped"
    );
    // The set-up did what it is meant to: the escaped process is alive and holds the pipes.
    let pipes = [pipe_of(escaped, 1), pipe_of(escaped, 2)];
    let alive = process_state(escaped).is_some();
    // SAFETY: `kill` has no memory-safety preconditions; `escaped` is alive (checked above)
    // and is this test's own `sleep`.
    unsafe {
        libc::kill(escaped as libc::pid_t, libc::SIGKILL);
    }
    assert!(alive, "the escaped process was still running");
    for pipe in pipes {
        let pipe = pipe.expect("the escaped process held the helper's output pipes");
        assert!(!we_hold(&pipe), "the runtime still reads {pipe}");
    }
    assert_eq!(runner_threads_after_2s(), 0, "runner threads left");
}

/// A helper that closes its output and keeps running is stopped at its timeout, and is reaped
/// before the error is returned.
#[test]
fn a_helper_that_closes_its_output_and_keeps_running_is_stopped_and_reaped() {
    let _one = one_at_a_time();
    let dir = TempDir::new("closed");
    let pids = dir.file("pids");
    let command = format!(
        "echo $$ >> '{pids}'; exec >&- 2>&-; sleep 30",
        pids = pids.display()
    );
    let err = runtime()
        .block_on(
            CredentialProcessProvider::new(command)
                .with_timeout(Duration::from_millis(300))
                .provide_credentials(),
        )
        .expect_err("it never prints credentials");
    assert!(
        err.to_string().contains("did not finish within 300ms"),
        "{err}"
    );
    let recorded = recorded_pids(&pids);
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(
        process_state(recorded[0]),
        None,
        "not running and not a zombie when the error returns"
    );
    assert_eq!(runner_threads_after_2s(), 0, "runner threads left");
}

/// A load given up by its caller is killed with everything it started and reaped by the runner
/// thread, even though the async runtime it ran on is shut down at once.
#[test]
fn a_load_given_up_while_tokio_shuts_down_is_killed_and_reaped() {
    let _one = one_at_a_time();
    let dir = TempDir::new("dropped");
    let pids = dir.file("pids");
    let command = format!(
        "echo $$ >> '{pids}'; sleep 30 & echo $! >> '{pids}'; wait",
        pids = pids.display()
    );
    let provider = CredentialProcessProvider::new(command);
    let runtime = runtime();
    let given_up = runtime.block_on(async {
        let load = provider.provide_credentials();
        tokio::time::timeout(Duration::from_millis(500), load)
            .await
            .is_err()
    });
    drop(runtime);
    assert!(given_up, "the helper never finishes");
    let recorded = recorded_pids(&pids);
    assert_eq!(recorded.len(), 2, "the helper and its child: {recorded:?}");
    for pid in recorded {
        assert!(
            gone_within_2s(pid),
            "{pid} is left ({:?})",
            process_state(pid)
        );
    }
    assert_eq!(runner_threads_after_2s(), 0, "runner threads left");
}

/// Standard error far beyond its 64 KiB cap, written before the document: read alongside
/// standard output, so the helper never blocks on a full pipe, and the load succeeds.
#[test]
fn a_helper_flooding_stderr_before_its_document_is_not_blocked() {
    let _one = one_at_a_time();
    let command = format!("head -c 1048576 /dev/zero >&2; echo '{DOCUMENT}'");
    let credentials = runtime()
        .block_on(
            CredentialProcessProvider::new(command)
                .with_timeout(Duration::from_secs(10))
                .provide_credentials(),
        )
        .expect("credentials after 1 MiB of stderr");
    assert_eq!(credentials.access_key_id(), "AKIDPROC");
    assert_eq!(runner_threads_after_2s(), 0, "runner threads left");
}

/// A document of exactly [`MAX_PROCESS_STDOUT`] bytes is read; one byte more is refused.
#[test]
fn standard_output_is_capped_at_exactly_64_kib() {
    let _one = one_at_a_time();
    let dir = TempDir::new("cap");
    for (size, accepted) in [(MAX_PROCESS_STDOUT, true), (MAX_PROCESS_STDOUT + 1, false)] {
        // The document padded with spaces (valid JSON) to `size` bytes.
        let padded = format!("{DOCUMENT}{}", " ".repeat(size - DOCUMENT.len()));
        assert_eq!(padded.len(), size);
        let file = dir.file(&format!("document-{size}"));
        std::fs::write(&file, padded).expect("the document");
        let result = runtime().block_on(
            CredentialProcessProvider::new(format!("cat '{}'", file.display()))
                .with_timeout(Duration::from_secs(10))
                .provide_credentials(),
        );
        match result {
            Ok(credentials) => {
                assert!(accepted, "{size} bytes were accepted");
                assert_eq!(credentials.access_key_id(), "AKIDPROC");
            }
            Err(err) => {
                assert!(!accepted, "{size} bytes were refused: {err}");
                assert!(
                    err.to_string()
                        .contains("wrote more than 65536 bytes to standard output"),
                    "{err}"
                );
            }
        }
    }
    assert_eq!(runner_threads_after_2s(), 0, "runner threads left");
}

/// While a helper runs, a current-thread runtime keeps running its other tasks: nothing blocks
/// the thread that awaits the load.
#[test]
fn a_current_thread_runtime_keeps_running_while_a_helper_runs() {
    let _one = one_at_a_time();
    let command = format!("sleep 0.5; echo '{DOCUMENT}'");
    let (credentials, ticks) = runtime().block_on(async {
        let provider = CredentialProcessProvider::new(command);
        let load = provider.provide_credentials();
        let mut ticks = 0u32;
        let mut load = std::pin::pin!(load);
        loop {
            tokio::select! {
                result = &mut load => break (result, ticks),
                () = tokio::time::sleep(Duration::from_millis(10)) => ticks += 1,
            }
        }
    });
    assert_eq!(
        credentials.expect("credentials").access_key_id(),
        "AKIDPROC"
    );
    // 0.5 s of 10 ms ticks is 50; a loaded machine may lose some, a blocked one would see none.
    assert!(ticks >= 10, "{ticks} ticks while the helper ran");
    assert_eq!(runner_threads_after_2s(), 0, "runner threads left");
}

/// Loads that run together each get their own helper's output, and every thread ends.
#[test]
fn loads_run_together_get_their_own_output() {
    let _one = one_at_a_time();
    let results = runtime().block_on(async {
        let mut loads = tokio::task::JoinSet::new();
        for i in 0..16 {
            let document = DOCUMENT.replace("AKIDPROC", &format!("AKID{i}"));
            let provider = CredentialProcessProvider::new(format!("sleep 0.1; echo '{document}'"))
                .with_timeout(Duration::from_secs(20));
            loads.spawn(async move { provider.provide_credentials().await });
        }
        loads.join_all().await
    });
    let mut keys: Vec<String> = results
        .into_iter()
        .map(|r| r.expect("credentials").access_key_id().to_owned())
        .collect();
    keys.sort();
    let mut expected: Vec<String> = (0..16).map(|i| format!("AKID{i}")).collect();
    expected.sort();
    assert_eq!(keys, expected);
    assert_eq!(runner_threads_after_2s(), 0, "runner threads left");
}
