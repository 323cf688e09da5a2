//! Credentials printed as JSON by an external command (`credential_process` in a profile).

use std::future::Future;
use std::process::Stdio;
use std::task::Poll;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};

use super::json::Document;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::contract::text::escape;

/// How long a `credential_process` command may run by default (60 s). The AWS CLI sets no
/// limit; one is needed so that a hung helper cannot hold every call waiting for credentials
/// forever, and a minute leaves time for helpers that ask a person for an MFA code or a
/// browser sign-in.
pub const DEFAULT_PROCESS_TIMEOUT: Duration = Duration::from_secs(60);
/// The most a `credential_process` command may write to standard output (64 KiB): a
/// credentials document is a few hundred bytes.
pub const MAX_PROCESS_STDOUT: usize = 64 * 1024;
/// The most of a `credential_process` command's standard error that is kept (64 KiB); the rest
/// is read and dropped. The first 500 characters appear in the error when the command fails.
pub const MAX_PROCESS_STDERR: usize = 64 * 1024;

/// Runs a command through the platform shell (`sh -c` or `cmd /C`) and parses the JSON it
/// prints: `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`.
///
/// The command runs as a child process the async runtime waits on (no worker thread is
/// blocked), in its own process group on Unix. It is stopped (the whole group, with `SIGKILL`)
/// and reaped when it runs longer than the timeout, writes more than [`MAX_PROCESS_STDOUT`]
/// bytes, or when the caller stops waiting (the future is dropped). On Windows only the
/// command's own process is stopped. Needs a Tokio runtime with I/O and time enabled.
///
/// Command lines often carry tokens, so errors and `Debug` name the program only (the file
/// name of its first word).
#[derive(Clone)]
pub struct CredentialProcessProvider {
    command: String,
    timeout: Duration,
}

impl std::fmt::Debug for CredentialProcessProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialProcessProvider")
            .field("program", &program_name(&self.command))
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Why a run of the command ended without output to parse.
enum RunError {
    Spawn(std::io::Error),
    TimedOut,
    TooMuchOutput,
    Io(std::io::Error),
}

/// What a finished run produced.
struct Finished {
    status: std::process::ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl CredentialProcessProvider {
    /// Runs `command` (a shell command line) for each load, for at most
    /// [`DEFAULT_PROCESS_TIMEOUT`].
    pub fn new(command: impl Into<String>) -> Self {
        Self {
            command: command.into(),
            timeout: DEFAULT_PROCESS_TIMEOUT,
        }
    }

    /// Stops the command after `timeout` instead of [`DEFAULT_PROCESS_TIMEOUT`].
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn shell_command(&self) -> std::process::Command {
        let mut command = if cfg!(windows) {
            let mut command = std::process::Command::new("cmd.exe");
            command.arg("/C").arg(&self.command);
            command
        } else {
            let mut command = std::process::Command::new("sh");
            command.arg("-c").arg(&self.command);
            command
        };
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt as _;
            // Its own process group, so that it can be stopped with everything it started.
            command.process_group(0);
        }
        command
    }

    async fn run(&self) -> Result<Finished, RunError> {
        let mut command = tokio::process::Command::from(self.shell_command());
        command.kill_on_drop(true);
        let mut child = command.spawn().map_err(RunError::Spawn)?;
        // From here on, leaving early (error, timeout, or the caller dropping this future)
        // stops the whole group; the child itself is reaped below or, when dropped, by tokio.
        let mut group = GroupKill::new(child.id());
        let stdout = child.stdout.take();
        let stderr = child.stderr.take();
        let work = async {
            let output = async {
                let (stdout, stderr) = try_join(
                    read_capped(stdout, MAX_PROCESS_STDOUT, true),
                    read_capped(stderr, MAX_PROCESS_STDERR, false),
                )
                .await?;
                let status = child.wait().await.map_err(RunError::Io)?;
                Ok(Finished {
                    status,
                    stdout,
                    stderr,
                })
            };
            match tokio::time::timeout(self.timeout, output).await {
                Ok(result) => result,
                Err(_) => Err(RunError::TimedOut),
            }
        };
        let result = work.await;
        match &result {
            Ok(_) => group.disarm(),
            Err(_) => {
                group.kill();
                let _ = child.start_kill();
                // Reap it: a killed process exits at once (bounded in case it cannot).
                let _ = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
            }
        }
        result
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let program = program_name(&self.command);
        let origin = format!("credential_process `{program}`");
        let finished = self.run().await.map_err(|err| match err {
            RunError::Spawn(e) => {
                CredentialsError::provider_error(format!("could not start {origin}")).with_source(e)
            }
            RunError::Io(e) => {
                CredentialsError::provider_error(format!("could not read the output of {origin}"))
                    .with_source(e)
            }
            RunError::TimedOut => CredentialsError::provider_error(format!(
                "{origin} did not finish within {:?} and was stopped",
                self.timeout
            )),
            RunError::TooMuchOutput => CredentialsError::provider_error(format!(
                "{origin} wrote more than {MAX_PROCESS_STDOUT} bytes to standard output and was \
                 stopped (a credentials document is a few hundred bytes)"
            )),
        })?;
        if !finished.status.success() {
            let stderr = String::from_utf8_lossy(&finished.stderr);
            let stderr = stderr.trim();
            let mut message = format!("{origin} failed ({})", finished.status);
            if !stderr.is_empty() {
                let shown: String = stderr.chars().take(500).collect();
                message.push_str(&format!("; stderr: {}", escape(&shown)));
            }
            return Err(CredentialsError::provider_error(message));
        }
        Document {
            origin: &origin,
            provider_name: "CredentialProcess",
            require_version: true,
            token_key: "SessionToken",
        }
        .parse(&finished.stdout)
    }
}

impl ProvideCredentials for CredentialProcessProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// Reads `pipe` to its end keeping at most `cap` bytes: past the cap, fails with
/// [`RunError::TooMuchOutput`] when `strict`, else keeps reading and drops the rest (so that the
/// child never blocks on a full pipe).
async fn read_capped(
    pipe: Option<impl AsyncRead + Unpin>,
    cap: usize,
    strict: bool,
) -> Result<Vec<u8>, RunError> {
    let Some(mut pipe) = pipe else {
        return Ok(Vec::new());
    };
    let mut kept = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = pipe.read(&mut chunk).await.map_err(RunError::Io)?;
        if n == 0 {
            return Ok(kept);
        }
        let room = cap.saturating_sub(kept.len());
        if n > room && strict {
            return Err(RunError::TooMuchOutput);
        }
        kept.extend_from_slice(&chunk[..n.min(room)]);
    }
}

/// Runs both futures at once; the first error ends both.
async fn try_join<A, B, E>(
    a: impl Future<Output = Result<A, E>>,
    b: impl Future<Output = Result<B, E>>,
) -> Result<(A, B), E> {
    let mut a = std::pin::pin!(a);
    let mut b = std::pin::pin!(b);
    let mut done_a = None;
    let mut done_b = None;
    std::future::poll_fn(|cx| {
        if done_a.is_none() {
            if let Poll::Ready(result) = a.as_mut().poll(cx) {
                done_a = Some(result?);
            }
        }
        if done_b.is_none() {
            if let Poll::Ready(result) = b.as_mut().poll(cx) {
                done_b = Some(result?);
            }
        }
        match (done_a.take(), done_b.take()) {
            (Some(a), Some(b)) => Poll::Ready(Ok((a, b))),
            (a, b) => {
                done_a = a;
                done_b = b;
                Poll::Pending
            }
        }
    })
    .await
}

/// Stops a child's process group when dropped, unless disarmed.
struct GroupKill {
    pid: Option<u32>,
}

impl GroupKill {
    fn new(pid: Option<u32>) -> Self {
        Self { pid }
    }

    fn disarm(&mut self) {
        self.pid = None;
    }

    fn kill(&mut self) {
        if let Some(pid) = self.pid.take() {
            kill_group(pid);
        }
    }
}

impl Drop for GroupKill {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Sends `SIGKILL` to the process group `pid` leads. The leader is not reaped yet, so its pid
/// (the group's id) cannot have been reused.
#[cfg(unix)]
fn kill_group(pid: u32) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: `kill` has no memory-safety preconditions; a negative pid names a group.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
}

#[cfg(not(unix))]
fn kill_group(_pid: u32) {
    // Without process groups only the child itself is stopped (`kill_on_drop`, `start_kill`).
}

/// The program a shell command line runs, as its file name only: leading `NAME=value`
/// assignments are skipped, quotes removed and folders dropped, so that no argument (and no
/// token in an assignment) is ever shown.
pub(crate) fn program_name(command: &str) -> String {
    let mut rest = command.trim_start();
    loop {
        let (word, after, quoted) = first_word(rest);
        if word.is_empty() {
            return "(empty command)".to_owned();
        }
        if !quoted && is_assignment(word) {
            rest = after.trim_start();
            continue;
        }
        let name = word.rsplit(['/', '\\']).next().unwrap_or(word);
        return escape(name);
    }
}

/// The first shell word of `text` (without its quotes), the text after it, and whether it was
/// quoted.
fn first_word(text: &str) -> (&str, &str, bool) {
    if let Some(quote) = text.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let inner = &text[1..];
        return match inner.find(quote) {
            Some(end) => (&inner[..end], &inner[end + 1..], true),
            None => (inner, "", true),
        };
    }
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    (&text[..end], &text[end..], false)
}

/// Whether `word` is a shell variable assignment (`NAME=value`).
fn is_assignment(word: &str) -> bool {
    let Some((name, _)) = word.split_once('=') else {
        return false;
    };
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_program_name_is_shown() {
        for (command, program) in [
            ("/usr/local/bin/helper --token s3cr3t", "helper"),
            ("helper", "helper"),
            ("  TOKEN=s3cr3t OTHER=x helper --flag", "helper"),
            ("\"/opt/my tools/helper\" --secret abc", "helper"),
            ("'C:\\tools\\helper.exe' /token abc", "helper.exe"),
            ("", "(empty command)"),
            ("A=1", "(empty command)"),
        ] {
            assert_eq!(program_name(command), program, "{command}");
        }
        let debug = format!(
            "{:?}",
            CredentialProcessProvider::new("helper --token s3cr3t")
        );
        assert!(!debug.contains("s3cr3t"), "{debug}");
        assert!(debug.contains("\"helper\""), "{debug}");
    }
}
