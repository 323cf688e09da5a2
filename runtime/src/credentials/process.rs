//! Credentials printed as JSON by an external command (`credential_process` in a profile).

use std::process::{Command, Output, Stdio};

use super::json::Document;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// Runs a command through the platform shell (`sh -c` or `cmd /C`) and parses the JSON it
/// prints: `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`.
///
/// The command runs on its own thread so that it never blocks the async runtime.
#[derive(Debug, Clone)]
pub struct CredentialProcessProvider {
    command: String,
}

impl CredentialProcessProvider {
    /// Runs `command` (a shell command line) for each load.
    pub fn new(command: impl Into<String>) -> Self {
        Self {
            command: command.into(),
        }
    }

    fn shell_command(&self) -> Command {
        if cfg!(windows) {
            let mut command = Command::new("cmd.exe");
            command.arg("/C").arg(&self.command);
            command
        } else {
            let mut command = Command::new("sh");
            command.arg("-c").arg(&self.command);
            command
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let origin = format!("credential_process `{}`", self.command);
        let mut command = self.shell_command();
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let (sender, receiver) = tokio::sync::oneshot::channel::<std::io::Result<Output>>();
        std::thread::Builder::new()
            .name("credential_process".to_owned())
            .spawn(move || {
                // The receiver only goes away when the caller stopped waiting.
                let _ = sender.send(command.output());
            })
            .map_err(|e| {
                CredentialsError::provider_error(format!(
                    "could not start a thread to run {origin}"
                ))
                .with_source(e)
            })?;
        let output = receiver
            .await
            .map_err(|e| {
                CredentialsError::provider_error(format!("{origin} did not report a result"))
                    .with_source(e)
            })?
            .map_err(|e| {
                CredentialsError::provider_error(format!("could not run {origin}")).with_source(e)
            })?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let stderr = stderr.trim();
            let mut message = format!("{origin} failed ({})", output.status);
            if !stderr.is_empty() {
                let shown: String = stderr.chars().take(500).collect();
                message.push_str(&format!("; stderr: {shown}"));
            }
            return Err(CredentialsError::provider_error(message));
        }
        Document {
            origin: &origin,
            provider_name: "CredentialProcess",
            require_version: true,
            token_key: "SessionToken",
        }
        .parse(&output.stdout)
    }
}

impl ProvideCredentials for CredentialProcessProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}
