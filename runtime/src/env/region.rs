//! The AWS region requests are sent to and signed for.

use std::borrow::Cow;
use std::fmt;

use crate::env::profile::ProfileSet;
use crate::env::Env;

/// An AWS region name such as `us-east-1`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Region(Cow<'static, str>);

impl Region {
    /// A region called `name`.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Self(name.into())
    }

    /// A region from a string known at compile time.
    pub const fn from_static(name: &'static str) -> Self {
        Self(Cow::Borrowed(name))
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The region from the environment: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the `region`
/// of the selected profile (`AWS_PROFILE`, else `default`) in the shared config files.
///
/// A config file that cannot be parsed is treated as having no region here; the credentials
/// chain reports such files as errors.
pub fn default_region(env: &Env) -> Option<Region> {
    region_from_variables(env).or_else(|| match ProfileSet::load(env) {
        Ok(profiles) => region_from_profiles(&profiles),
        Err(error) => {
            tracing::debug!(%error, "ignoring unreadable shared config file while looking for a region");
            None
        }
    })
}

/// The region from `AWS_REGION`, then `AWS_DEFAULT_REGION`.
pub(crate) fn region_from_variables(env: &Env) -> Option<Region> {
    ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .into_iter()
        .find_map(|var| env.get_non_empty(var))
        .map(|region| Region::new(region.trim().to_owned()))
}

/// The `region` of the selected profile.
pub(crate) fn region_from_profiles(profiles: &ProfileSet) -> Option<Region> {
    profiles
        .selected()
        .and_then(|p| p.get("region"))
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| Region::new(r.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_display_and_as_ref() {
        let region = Region::new("us-east-1");
        assert_eq!(region.to_string(), "us-east-1");
        assert_eq!(region.as_ref(), "us-east-1");
        assert_eq!(region, Region::from_static("us-east-1"));
    }

    #[test]
    fn aws_region_wins_over_default_region_and_profile() {
        let env = Env::from_vars([
            ("AWS_REGION", "eu-west-1"),
            ("AWS_DEFAULT_REGION", "eu-west-2"),
            ("HOME", "/h"),
        ])
        .with_file("/h/.aws/config", "[default]\nregion = eu-west-3\n");
        assert_eq!(default_region(&env), Some(Region::new("eu-west-1")));
    }

    #[test]
    fn default_region_variable_is_second() {
        let env = Env::from_vars([("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "eu-west-2")]);
        assert_eq!(default_region(&env), Some(Region::new("eu-west-2")));
    }

    #[test]
    fn profile_region_is_last_and_follows_aws_profile() {
        let config = "[default]\nregion = eu-west-3\n[profile other]\nregion = ca-central-1\n";
        let env = Env::from_vars([("HOME", "/h")]).with_file("/h/.aws/config", config);
        assert_eq!(default_region(&env), Some(Region::new("eu-west-3")));
        let env = Env::from_vars([("HOME", "/h"), ("AWS_PROFILE", "other")])
            .with_file("/h/.aws/config", config);
        assert_eq!(default_region(&env), Some(Region::new("ca-central-1")));
        let env = Env::from_vars([("AWS_CONFIG_FILE", "/cfg")]).with_file("/cfg", config);
        assert_eq!(default_region(&env), Some(Region::new("eu-west-3")));
    }

    #[test]
    fn no_region_anywhere() {
        assert_eq!(default_region(&Env::from_vars([("HOME", "/h")])), None);
        let env = Env::from_vars([("HOME", "/h")]).with_file("/h/.aws/config", "garbage\n");
        assert_eq!(default_region(&env), None);
    }
}
