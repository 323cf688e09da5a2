//! Credentials printed as JSON by an external command (`credential_process` in a profile).

use std::process::Stdio;
use std::time::Duration;

use super::json::Document;
use super::process_runner::{self, RunError};
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
/// The command runs in its own process group on Unix, started, read, waited for and reaped by a
/// short-lived thread of its own (the async runtime's worker threads are never blocked, and
/// tokio's `process` feature is not needed). It is stopped (the whole group, with `SIGKILL`)
/// and reaped when it runs longer than the timeout, writes more than [`MAX_PROCESS_STDOUT`]
/// bytes, or when the caller stops waiting (the future is dropped); a process that left the
/// group and keeps the output pipes open does not hold the load or the thread. On Windows only
/// the command's own process is stopped. Needs a Tokio runtime with time enabled.
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

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let program = program_name(&self.command);
        let origin = format!("credential_process `{program}`");
        let finished = process_runner::run(self.shell_command(), self.timeout)
            .await
            .map_err(|err| match err {
                RunError::Spawn(e) => {
                    CredentialsError::provider_error(format!("could not start {origin}"))
                        .with_source(e)
                }
                RunError::Io(e) => {
                    CredentialsError::provider_error(format!("could not run {origin} to its end"))
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
