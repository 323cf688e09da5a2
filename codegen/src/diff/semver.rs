//! Semantic versioning of a generated crate: the bump a set of changes needs and the next
//! version under Cargo's rules (for `0.y.z`, a breaking change bumps `y` and anything else
//! bumps `z`; for `0.0.z` every change bumps `z`).

use std::fmt;

use serde::Serialize;

/// A version bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// Nothing users can see changed.
    None,
    /// Documentation only.
    Patch,
    /// Compatible additions and behaviour changes that cannot break a working call.
    Minor,
    /// Breaking changes, and behaviour changes that can make a working call fail.
    Major,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

/// A version that is not `major.minor.patch`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionError {
    /// The text.
    pub version: String,
    /// Why it was rejected.
    pub reason: String,
}

impl fmt::Display for VersionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "version `{}` is not a semantic version: {}",
            self.version, self.reason
        )
    }
}

impl std::error::Error for VersionError {}

/// The version after `bump` from `version` under Cargo's rules (pre-release and build parts
/// are dropped). `Bump::None` keeps the version.
pub fn next_version(version: &str, bump: Bump) -> Result<semver::Version, VersionError> {
    let mut next = semver::Version::parse(version).map_err(|err| VersionError {
        version: version.to_owned(),
        reason: err.to_string(),
    })?;
    if bump == Bump::None {
        return Ok(next);
    }
    next.pre = semver::Prerelease::EMPTY;
    next.build = semver::BuildMetadata::EMPTY;
    match (next.major, next.minor, bump) {
        (0, 0, _) => next.patch += 1,
        (0, _, Bump::Major) => {
            next.minor += 1;
            next.patch = 0;
        }
        (0, _, _) => next.patch += 1,
        (_, _, Bump::Major) => {
            next.major += 1;
            next.minor = 0;
            next.patch = 0;
        }
        (_, _, Bump::Minor) => {
            next.minor += 1;
            next.patch = 0;
        }
        (_, _, _) => next.patch += 1,
    }
    Ok(next)
}

/// The version to release after `bump` from `base` (the version of the previous API), never
/// lower than `current` (a version already set by hand).
pub fn release_version(
    base: &str,
    current: &str,
    bump: Bump,
) -> Result<semver::Version, VersionError> {
    let next = next_version(base, bump)?;
    let current = semver::Version::parse(current).map_err(|err| VersionError {
        version: current.to_owned(),
        reason: err.to_string(),
    })?;
    Ok(next.max(current))
}

/// The verdict line that ends a report: `semver: major (0.1.0 -> 0.2.0: ...)`.
pub fn verdict_line(base: &str, bump: Bump) -> String {
    let next = match next_version(base, bump) {
        Ok(next) => next,
        Err(err) => return format!("semver: {bump} ({err})"),
    };
    if bump == Bump::None {
        return format!("semver: none (version stays {base})");
    }
    let rule = match (next.major, bump) {
        (0, _) if base.starts_with("0.0.") => {
            "; a 0.0.z crate bumps z for every change under Cargo's rules"
        }
        (0, Bump::Major) => {
            "; a 0.x crate bumps its minor version for breaking changes under Cargo's rules"
        }
        (0, _) => {
            "; a 0.x crate bumps its patch version for compatible changes under Cargo's rules"
        }
        _ => "",
    };
    format!("semver: {bump} ({base} -> {next}{rule})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(version: &str, bump: Bump) -> String {
        next_version(version, bump).unwrap().to_string()
    }

    #[test]
    fn cargo_rules_for_0x_and_1x() {
        assert_eq!(next("0.1.0", Bump::Major), "0.2.0");
        assert_eq!(next("0.1.3", Bump::Minor), "0.1.4");
        assert_eq!(next("0.1.3", Bump::Patch), "0.1.4");
        assert_eq!(next("0.0.3", Bump::Major), "0.0.4");
        assert_eq!(next("1.2.3", Bump::Major), "2.0.0");
        assert_eq!(next("1.2.3", Bump::Minor), "1.3.0");
        assert_eq!(next("1.2.3", Bump::Patch), "1.2.4");
        assert_eq!(next("1.2.3", Bump::None), "1.2.3");
        assert_eq!(next("1.2.3-beta.1", Bump::Patch), "1.2.4");
    }

    #[test]
    fn a_version_set_by_hand_is_never_lowered() {
        let release = |current| {
            release_version("0.1.0", current, Bump::Major)
                .unwrap()
                .to_string()
        };
        assert_eq!(release("0.1.0"), "0.2.0");
        assert_eq!(release("0.2.0"), "0.2.0");
        assert_eq!(release("0.3.0"), "0.3.0");
        assert!(release_version("0.1.0", "x", Bump::Major).is_err());
    }

    #[test]
    fn verdict_lines_say_the_rule() {
        assert_eq!(
            verdict_line("0.1.0", Bump::Major),
            "semver: major (0.1.0 -> 0.2.0; a 0.x crate bumps its minor version for breaking changes under Cargo's rules)"
        );
        assert_eq!(
            verdict_line("0.1.0", Bump::Minor),
            "semver: minor (0.1.0 -> 0.1.1; a 0.x crate bumps its patch version for compatible changes under Cargo's rules)"
        );
        assert_eq!(
            verdict_line("1.4.2", Bump::Minor),
            "semver: minor (1.4.2 -> 1.5.0)"
        );
        assert_eq!(
            verdict_line("0.1.0", Bump::None),
            "semver: none (version stays 0.1.0)"
        );
        assert!(verdict_line("one", Bump::Major).starts_with("semver: major (version `one`"));
    }
}
