//! Access to the process environment and the file system, replaceable in tests so that they never
//! touch the real environment variables or the user's `~/.aws` files.

pub mod endpoint_url;
pub mod profile;
pub mod region;

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The environment variables and files the runtime reads configuration from.
///
/// [`Env::real`] reads the process environment and the real file system. [`Env::from_vars`]
/// holds a fixed set of variables and, unless files are added with [`Env::with_file`] (an
/// in-memory file system) or [`Env::with_real_fs`], sees no files at all.
#[derive(Clone)]
pub struct Env {
    vars: Option<Arc<HashMap<String, String>>>,
    files: Option<Arc<HashMap<PathBuf, String>>>,
}

impl fmt::Debug for Env {
    /// Lists variable names only: values may be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Env");
        match &self.vars {
            None => d.field("vars", &"<process environment>"),
            Some(vars) => {
                let mut names: Vec<&str> = vars.keys().map(String::as_str).collect();
                names.sort_unstable();
                d.field("vars", &names)
            }
        };
        match &self.files {
            None => d.field("files", &"<real file system>"),
            Some(files) => {
                let mut paths: Vec<&Path> = files.keys().map(PathBuf::as_path).collect();
                paths.sort_unstable();
                d.field("files", &paths)
            }
        };
        d.finish()
    }
}

impl Default for Env {
    fn default() -> Self {
        Self::real()
    }
}

impl Env {
    /// The process environment and the real file system.
    pub fn real() -> Self {
        Self {
            vars: None,
            files: None,
        }
    }

    /// A fixed set of variables and an empty in-memory file system.
    pub fn from_vars<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            vars: Some(Arc::new(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            )),
            files: Some(Arc::new(HashMap::new())),
        }
    }

    /// Adds a file to the in-memory file system (switching to one if this reads real files).
    pub fn with_file(mut self, path: impl Into<PathBuf>, contents: impl Into<String>) -> Self {
        let mut files = self.files.as_deref().cloned().unwrap_or_default();
        files.insert(path.into(), contents.into());
        self.files = Some(Arc::new(files));
        self
    }

    /// Reads files from the real file system (variables stay as they are).
    pub fn with_real_fs(mut self) -> Self {
        self.files = None;
        self
    }

    /// The value of the variable `key`, if set and valid Unicode.
    pub fn get(&self, key: &str) -> Option<String> {
        match &self.vars {
            None => std::env::var(key).ok(),
            Some(vars) => vars.get(key).cloned(),
        }
    }

    /// The value of `key` when it is set to something other than blank.
    pub fn get_non_empty(&self, key: &str) -> Option<String> {
        self.get(key).filter(|v| !v.trim().is_empty())
    }

    /// The user's home directory: `HOME`, else `USERPROFILE`, else `HOMEDRIVE` + `HOMEPATH`.
    pub fn home_dir(&self) -> Option<PathBuf> {
        if let Some(home) = self.get_non_empty("HOME") {
            return Some(PathBuf::from(home));
        }
        if let Some(profile) = self.get_non_empty("USERPROFILE") {
            return Some(PathBuf::from(profile));
        }
        match (
            self.get_non_empty("HOMEDRIVE"),
            self.get_non_empty("HOMEPATH"),
        ) {
            (Some(drive), Some(path)) => Some(PathBuf::from(format!("{drive}{path}"))),
            _ => None,
        }
    }

    /// Expands a leading `~` (or `~/`) in `path` to the home directory.
    pub fn expand_home(&self, path: &str) -> PathBuf {
        let rest = if path == "~" {
            Some("")
        } else {
            path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\"))
        };
        match (rest, self.home_dir()) {
            (Some(""), Some(home)) => home,
            (Some(rest), Some(home)) => home.join(rest),
            _ => PathBuf::from(path),
        }
    }

    /// Reads the file at `path` as UTF-8 text.
    ///
    /// Only a regular file of at most [`MAX_FILE_SIZE`] bytes is read: a FIFO, a device or a
    /// folder is refused at once (on Unix the file is opened without waiting, so a FIFO without
    /// a writer cannot block the caller), so the read never waits on anything but the disk.
    pub fn read_to_string(&self, path: &Path) -> io::Result<String> {
        match &self.files {
            None => read_regular_file(path),
            Some(files) => files.get(path).cloned().ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("{} does not exist (in-memory file system)", path.display()),
                )
            }),
        }
    }
}

/// The largest configuration or token file read (16 MiB); shared config files are a few KiB.
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// Reads `path` if it is a regular file of at most [`MAX_FILE_SIZE`] bytes.
fn read_regular_file(path: &Path) -> io::Result<String> {
    use std::io::Read as _;

    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        // Opening a FIFO for reading waits for a writer unless O_NONBLOCK is given; reads of a
        // regular file ignore the flag.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file (a FIFO, device or folder is never read)",
        ));
    }
    if metadata.len() > MAX_FILE_SIZE {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{} bytes, more than the {MAX_FILE_SIZE} bytes a configuration file may have",
                metadata.len()
            ),
        ));
    }
    let mut text = String::new();
    file.take(MAX_FILE_SIZE + 1).read_to_string(&mut text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fake_env_reads_only_its_own_variables_and_files() {
        let env = Env::from_vars([("HOME", "/home/me"), ("AWS_REGION", "eu-west-1")])
            .with_file("/home/me/.aws/config", "[default]\n");
        assert_eq!(env.get("AWS_REGION").as_deref(), Some("eu-west-1"));
        assert_eq!(env.get("PATH"), None);
        assert_eq!(env.home_dir(), Some(PathBuf::from("/home/me")));
        assert_eq!(
            env.expand_home("~/.aws/config"),
            PathBuf::from("/home/me/.aws/config")
        );
        assert_eq!(
            env.read_to_string(Path::new("/home/me/.aws/config"))
                .unwrap(),
            "[default]\n"
        );
        let missing = env.read_to_string(Path::new("/etc/passwd")).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn debug_hides_variable_values() {
        let env = Env::from_vars([("AWS_SECRET_ACCESS_KEY", "very-secret")]);
        let debug = format!("{env:?}");
        assert!(debug.contains("AWS_SECRET_ACCESS_KEY"));
        assert!(!debug.contains("very-secret"));
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_read() {
        let dir = std::env::temp_dir().join(format!("env-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("config");
        std::fs::write(&file, "[default]\n").unwrap();
        let env = Env::real();
        assert_eq!(env.read_to_string(&file).unwrap(), "[default]\n");
        let err = env.read_to_string(&dir).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
        let err = env.read_to_string(Path::new("/dev/zero")).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn home_dir_falls_back_to_windows_variables() {
        let env = Env::from_vars([("HOMEDRIVE", "C:"), ("HOMEPATH", "\\Users\\me")]);
        assert_eq!(env.home_dir(), Some(PathBuf::from("C:\\Users\\me")));
        assert_eq!(Env::from_vars::<&str, &str>([]).home_dir(), None);
    }
}
