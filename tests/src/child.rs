//! Running one test of the current test binary again in a child process, for what is shared by
//! a whole process: environment variables (read by the client when it starts), the peak
//! resident set size, and the processes it starts. Tests of one binary run in parallel threads
//! of one process, so such a test cannot measure or change these in place.
//!
//! A test that needs it calls [`run_in_child`] with its own name; in the child,
//! [`in_child`] tells it to do the measured part instead.

use std::process::{Command, Output};

/// The variable that tells a test it runs as the child of [`run_in_child`] (its value is the
/// test's name).
pub const CHILD_TEST: &str = "E2E_CHILD_TEST";

/// Proxy variables removed from every child, so that the machine's own settings cannot change
/// what a test sees.
const PROXY_VARIABLES: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "REQUEST_METHOD",
];

/// Whether this process is the child [`run_in_child`] started for test `name`.
pub fn in_child(name: &str) -> bool {
    std::env::var(CHILD_TEST).is_ok_and(|value| value == name)
}

/// Runs test `name` (its path in the binary, e.g. `sixteen_endless_bodies`) of the current
/// test binary in a child process with `env` set (and no proxy or `AWS_*` variables but those
/// in `env`), and returns its output once it has finished.
///
/// # Panics
/// When the test binary cannot be started again.
pub fn run_in_child(name: &str, env: &[(&str, &str)]) -> Output {
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut command = Command::new(exe);
    command
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_TEST, name);
    for variable in PROXY_VARIABLES {
        command.env_remove(variable);
    }
    // Nor the machine's AWS settings (credentials, profiles, endpoints).
    for (variable, _) in std::env::vars_os() {
        if variable.to_string_lossy().starts_with("AWS_") {
            command.env_remove(variable);
        }
    }
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("the test binary starts again")
}

/// Asserts that a child run by [`run_in_child`] ran its test and passed, and returns what it
/// printed.
///
/// # Panics
/// When the child failed or did not run exactly one test.
pub fn passed(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("test result: ok. 1 passed"),
        "the child test failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    stdout
}

/// A folder under the system's temporary folder, removed (with its contents) when dropped.
#[derive(Debug)]
pub struct TempDir(std::path::PathBuf);

impl TempDir {
    /// Creates `<tmp>/<prefix>-<pid>-<n>`.
    ///
    /// # Panics
    /// When the folder cannot be created.
    pub fn new(prefix: &str) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("{prefix}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&path).expect("a temporary folder");
        Self(path)
    }

    /// The folder.
    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
