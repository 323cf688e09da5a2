//! The shared AWS config and credentials files (`~/.aws/config`, `~/.aws/credentials`).
//!
//! The config file names profiles `[default]` and `[profile NAME]`; the credentials file names
//! them `[NAME]`. `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` override the paths and
//! `AWS_PROFILE` chooses the profile (default: `default`). When both files define the same
//! property of a profile, the credentials file wins.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::env::Env;

/// The name of the profile used when `AWS_PROFILE` is not set.
pub const DEFAULT_PROFILE: &str = "default";

/// Which of the two shared files a text comes from (their section headers differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `~/.aws/config`: `[default]` and `[profile NAME]`.
    Config,
    /// `~/.aws/credentials`: `[NAME]`.
    Credentials,
}

/// One named profile: its properties (`key = value`).
#[derive(Clone, PartialEq, Eq)]
pub struct Profile {
    name: String,
    properties: HashMap<String, String>,
}

impl fmt::Debug for Profile {
    /// Shows property names only: values may be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut keys: Vec<&str> = self.properties.keys().map(String::as_str).collect();
        keys.sort_unstable();
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("properties", &keys)
            .finish()
    }
}

impl Profile {
    /// The profile's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of property `key` (keys are matched case-insensitively).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties
            .get(&key.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// The sub-property `sub` of property `key`: the indented `sub = value` lines under a
    /// `key =` line, as the `services` sections use them (keys matched case-insensitively).
    pub fn get_sub(&self, key: &str, sub: &str) -> Option<&str> {
        self.get(key)?.lines().find_map(|line| {
            let (name, value) = line.split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case(sub)
                .then(|| strip_inline_comment(value.trim()))
        })
    }
}

/// Every profile of the config and credentials files, the name of the selected one, and the
/// config file's other sections (`[sso-session NAME]`, `[services NAME]`).
#[derive(Debug, Clone, Default)]
pub struct ProfileSet {
    selected: String,
    profiles: HashMap<String, Profile>,
    sso_sessions: HashMap<String, Profile>,
    services: HashMap<String, Profile>,
    sources: Vec<PathBuf>,
}

impl ProfileSet {
    /// Reads both files as `env` locates them. A file that does not exist counts as empty; one
    /// that cannot be read or parsed is an error.
    pub fn load(env: &Env) -> Result<Self, ProfileFileError> {
        let mut set = ProfileSet {
            selected: env
                .get_non_empty("AWS_PROFILE")
                .map(|p| p.trim().to_owned())
                .unwrap_or_else(|| DEFAULT_PROFILE.to_owned()),
            ..ProfileSet::default()
        };
        for kind in [FileKind::Config, FileKind::Credentials] {
            let Some(path) = file_path(env, kind) else {
                continue;
            };
            let text = match env.read_to_string(&path) {
                Ok(text) => text,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(ProfileFileError::io(path, e)),
            };
            let parsed = parse_sections(&text, kind, &path)?;
            set.sources.push(path);
            for (section, name, properties) in parsed {
                let sections = match section {
                    Section::Profile => &mut set.profiles,
                    Section::SsoSession => &mut set.sso_sessions,
                    Section::Services => &mut set.services,
                };
                let profile = sections.entry(name.clone()).or_insert_with(|| Profile {
                    name,
                    properties: HashMap::new(),
                });
                profile.properties.extend(properties);
            }
        }
        Ok(set)
    }

    /// Builds a set from already parsed profiles (mostly for tests).
    pub fn from_profiles(
        selected: impl Into<String>,
        profiles: impl IntoIterator<Item = (String, HashMap<String, String>)>,
    ) -> Self {
        Self {
            selected: selected.into(),
            profiles: profiles
                .into_iter()
                .map(|(name, properties)| {
                    let properties = properties
                        .into_iter()
                        .map(|(k, v)| (k.to_ascii_lowercase(), v))
                        .collect();
                    (name.clone(), Profile { name, properties })
                })
                .collect(),
            sso_sessions: HashMap::new(),
            services: HashMap::new(),
            sources: Vec::new(),
        }
    }

    /// The `[sso-session NAME]` section called `name`.
    pub fn sso_session(&self, name: &str) -> Option<&Profile> {
        self.sso_sessions.get(name)
    }

    /// The `[services NAME]` section called `name`.
    pub fn services(&self, name: &str) -> Option<&Profile> {
        self.services.get(name)
    }

    /// The name of the selected profile (`AWS_PROFILE`, else `default`).
    pub fn selected_name(&self) -> &str {
        &self.selected
    }

    /// The selected profile, if either file defines it.
    pub fn selected(&self) -> Option<&Profile> {
        self.profiles.get(&self.selected)
    }

    /// The profile called `name`.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The files that were read (those that exist).
    pub fn sources(&self) -> &[PathBuf] {
        &self.sources
    }

    /// `true` when neither file defines any profile.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }
}

/// Where the file of the given kind is: the override variable, else `~/.aws/<name>`.
pub fn file_path(env: &Env, kind: FileKind) -> Option<PathBuf> {
    let (var, name) = match kind {
        FileKind::Config => ("AWS_CONFIG_FILE", "config"),
        FileKind::Credentials => ("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
    };
    match env.get_non_empty(var) {
        Some(path) => Some(env.expand_home(path.trim())),
        None => env.home_dir().map(|home| home.join(".aws").join(name)),
    }
}

/// A shared config or credentials file could not be read or parsed.
#[derive(Debug)]
pub struct ProfileFileError {
    path: PathBuf,
    line: Option<usize>,
    message: String,
    source: Option<io::Error>,
}

impl ProfileFileError {
    fn io(path: PathBuf, source: io::Error) -> Self {
        Self {
            path,
            line: None,
            message: "could not be read".to_owned(),
            source: Some(source),
        }
    }

    fn syntax(path: &Path, line: usize, message: impl Into<String>) -> Self {
        Self {
            path: path.to_owned(),
            line: Some(line),
            message: message.into(),
            source: None,
        }
    }

    /// The file at fault.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The 1-based line at fault, for syntax errors.
    pub fn line(&self) -> Option<usize> {
        self.line
    }
}

impl fmt::Display for ProfileFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        // The cause (for a file that could not be read) is returned by `source()`.
        write!(f, ": {}", self.message)
    }
}

impl StdError for ProfileFileError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_ref().map(|e| e as &(dyn StdError + 'static))
    }
}

type Parsed = Vec<(String, HashMap<String, String>)>;

/// What a section of a shared file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// A profile: `[default]` or `[profile NAME]` (config file), `[NAME]` (credentials file).
    Profile,
    /// `[sso-session NAME]` (config file): the IAM Identity Center session profiles name.
    SsoSession,
    /// `[services NAME]` (config file): per-service settings profiles name with `services`.
    Services,
}

type ParsedSections = Vec<(Section, String, HashMap<String, String>)>;

/// Parses the text of one file into `(profile name, properties)` pairs in file order. Sections
/// of the config file that are not profiles (`[sso-session x]`, `[services x]`) are skipped.
/// Property names are lower-cased.
pub fn parse(text: &str, kind: FileKind, path: &Path) -> Result<Parsed, ProfileFileError> {
    Ok(parse_sections(text, kind, path)?
        .into_iter()
        .filter(|(section, _, _)| *section == Section::Profile)
        .map(|(_, name, properties)| (name, properties))
        .collect())
}

/// Parses the text of one file into its sections in file order: profiles, and in the config
/// file `[sso-session NAME]` and `[services NAME]` sections (other sections are skipped).
/// Property names are lower-cased.
pub fn parse_sections(
    text: &str,
    kind: FileKind,
    path: &Path,
) -> Result<ParsedSections, ProfileFileError> {
    let mut out: ParsedSections = Vec::new();
    // Index into `out` of the current profile; `None` inside a skipped section.
    let mut current: Option<Option<usize>> = None;
    // The last property of the current section, for continuation lines.
    let mut last_key: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let indented = raw.starts_with([' ', '\t']);
        if trimmed.starts_with('[') {
            let Some(end) = trimmed.find(']') else {
                return Err(ProfileFileError::syntax(
                    path,
                    line_no,
                    "section header is missing its closing `]`",
                ));
            };
            let after = trimmed[end + 1..].trim_start();
            if !(after.is_empty() || after.starts_with('#') || after.starts_with(';')) {
                return Err(ProfileFileError::syntax(
                    path,
                    line_no,
                    "unexpected text after a section header",
                ));
            }
            let header = trimmed[1..end].trim();
            last_key = None;
            current = Some(section_name(header, kind).map(|(section, name)| {
                match out.iter().position(|(s, n, _)| *s == section && *n == name) {
                    Some(i) => i,
                    None => {
                        out.push((section, name, HashMap::new()));
                        out.len() - 1
                    }
                }
            }));
            continue;
        }
        let Some(section) = current else {
            return Err(ProfileFileError::syntax(
                path,
                line_no,
                "a property appears before any `[profile]` section header",
            ));
        };
        if indented {
            if let Some(key) = &last_key {
                // A continuation of the previous value, or a sub-property (`key =` followed by
                // indented `sub = value` lines), which we keep as text.
                if let Some(i) = section {
                    if let Some(value) = out[i].2.get_mut(key) {
                        if !value.is_empty() {
                            value.push('\n');
                        }
                        value.push_str(trimmed);
                    }
                }
                continue;
            }
        }
        let Some((key, value)) = trimmed.split_once('=') else {
            return Err(ProfileFileError::syntax(
                path,
                line_no,
                "expected `key = value`",
            ));
        };
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() {
            return Err(ProfileFileError::syntax(
                path,
                line_no,
                "property name is empty",
            ));
        }
        let value = strip_inline_comment(value.trim()).to_owned();
        if let Some(i) = section {
            out[i].2.insert(key.clone(), value);
        }
        last_key = Some(key);
    }
    Ok(out)
}

/// The section a header names, or `None` for sections that are skipped.
fn section_name(header: &str, kind: FileKind) -> Option<(Section, String)> {
    match kind {
        FileKind::Credentials => Some((Section::Profile, header.to_owned())),
        FileKind::Config => {
            if header == DEFAULT_PROFILE {
                return Some((Section::Profile, header.to_owned()));
            }
            let (section, rest) = [
                ("profile", Section::Profile),
                ("sso-session", Section::SsoSession),
                ("services", Section::Services),
            ]
            .into_iter()
            .find_map(|(prefix, section)| Some((section, header.strip_prefix(prefix)?)))?;
            if !rest.starts_with([' ', '\t']) {
                return None;
            }
            let name = rest.trim();
            (!name.is_empty()).then(|| (section, name.to_owned()))
        }
    }
}

/// Removes a ` #...` or ` ;...` comment (one preceded by whitespace) from a value.
fn strip_inline_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if (*b == b'#' || *b == b';') && i > 0 && bytes[i - 1].is_ascii_whitespace() {
            return value[..i].trim_end();
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str, kind: FileKind) -> Parsed {
        parse(text, kind, Path::new("/test")).unwrap()
    }

    #[test]
    fn config_file_sections_comments_and_continuations() {
        let text = "\
# comment
[default]
region = us-west-2 # inline comment
output=json

[profile dev]
region = eu-west-1
s3 =
  max_concurrent_requests = 10
[sso-session corp]
sso_region = us-east-1
[notaprofile]
x = y
; another comment
[profile  spaced ]
Aws_Access_Key_Id = AKID
";
        let parsed = parse_ok(text, FileKind::Config);
        let names: Vec<&str> = parsed.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["default", "dev", "spaced"]);
        assert_eq!(parsed[0].1["region"], "us-west-2");
        assert_eq!(parsed[0].1["output"], "json");
        assert_eq!(parsed[1].1["s3"], "max_concurrent_requests = 10");
        assert_eq!(parsed[2].1["aws_access_key_id"], "AKID");
    }

    #[test]
    fn sso_session_and_services_sections_are_kept_apart_from_profiles() {
        let env = Env::from_vars([("HOME", "/h")]).with_file(
            "/h/.aws/config",
            "\
[profile dev]
services = local
sso_session = corp
[sso-session corp]
sso_region = eu-west-1
sso_start_url = https://corp.awsapps.com/start
[services local]
chime_sdk_identity =
  endpoint_url = http://localhost:4566 # the emulator
  other = x
sts =
  endpoint_url = http://localhost:4567
[services]
ignored = yes
",
        );
        let set = ProfileSet::load(&env).unwrap();
        assert!(set.get("corp").is_none() && set.get("local").is_none());
        assert_eq!(
            set.sso_session("corp").and_then(|s| s.get("sso_region")),
            Some("eu-west-1")
        );
        let services = set.services("local").expect("the services section");
        assert_eq!(
            services.get_sub("chime_sdk_identity", "endpoint_url"),
            Some("http://localhost:4566")
        );
        assert_eq!(
            services.get_sub("STS", "Endpoint_URL"),
            Some("http://localhost:4567")
        );
        assert_eq!(services.get_sub("sts", "other"), None);
        assert_eq!(services.get_sub("s3", "endpoint_url"), None);
    }

    #[test]
    fn credentials_file_uses_bare_section_names() {
        let parsed = parse_ok(
            "[default]\naws_access_key_id=A\n[work]\naws_access_key_id = B\n",
            FileKind::Credentials,
        );
        assert_eq!(parsed[0].0, "default");
        assert_eq!(parsed[1].0, "work");
        assert_eq!(parsed[1].1["aws_access_key_id"], "B");
    }

    #[test]
    fn syntax_errors_name_the_file_and_line() {
        let err = parse("region = x\n", FileKind::Config, Path::new("/cfg")).unwrap_err();
        assert_eq!(err.line(), Some(1));
        assert!(err.to_string().starts_with("/cfg line 1:"), "{err}");
        let err = parse("[default\n", FileKind::Config, Path::new("/cfg")).unwrap_err();
        assert!(err.to_string().contains("closing `]`"), "{err}");
        let err = parse("[default]\nnovalue\n", FileKind::Config, Path::new("/cfg")).unwrap_err();
        assert_eq!(err.line(), Some(2));
    }

    #[test]
    fn load_merges_files_and_credentials_win() {
        let env = Env::from_vars([("HOME", "/h"), ("AWS_PROFILE", "dev")])
            .with_file(
                "/h/.aws/config",
                "[profile dev]\nregion = eu-west-1\naws_access_key_id = FROMCONFIG\n",
            )
            .with_file(
                "/h/.aws/credentials",
                "[dev]\naws_access_key_id = FROMCREDS\n",
            );
        let set = ProfileSet::load(&env).unwrap();
        assert_eq!(set.selected_name(), "dev");
        let dev = set.selected().unwrap();
        assert_eq!(dev.get("region"), Some("eu-west-1"));
        assert_eq!(dev.get("AWS_ACCESS_KEY_ID"), Some("FROMCREDS"));
        assert_eq!(set.sources().len(), 2);
        assert!(!format!("{dev:?}").contains("FROMCREDS"));
    }

    #[test]
    fn load_honours_path_overrides_and_missing_files() {
        let env = Env::from_vars([
            ("HOME", "/h"),
            ("AWS_CONFIG_FILE", "~/custom-config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nowhere"),
        ])
        .with_file("/h/custom-config", "[default]\nregion = ap-south-1\n")
        .with_file("/h/.aws/config", "[default]\nregion = wrong\n");
        let set = ProfileSet::load(&env).unwrap();
        assert_eq!(set.selected_name(), "default");
        assert_eq!(set.selected().unwrap().get("region"), Some("ap-south-1"));
        assert!(ProfileSet::load(&Env::from_vars::<&str, &str>([]))
            .unwrap()
            .is_empty());
    }
}
