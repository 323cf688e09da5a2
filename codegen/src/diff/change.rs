//! What a comparison finds: changes, each with its class, its semver impact and the Rust item it
//! touches, and the comparison as a whole.

use serde::Serialize;

use super::semver::Bump;

/// How a change affects users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeClass {
    /// Code that compiled before may not compile now.
    Breaking,
    /// Code still compiles, but calls may behave differently (or fail) at run time.
    Behaviour,
    /// New API; existing code is not affected.
    Additive,
    /// Only the documentation changed.
    Documentation,
}

impl ChangeClass {
    /// Every class, in report order.
    pub const ALL: [ChangeClass; 4] = [
        ChangeClass::Breaking,
        ChangeClass::Behaviour,
        ChangeClass::Additive,
        ChangeClass::Documentation,
    ];

    /// The report heading.
    pub fn heading(self) -> &'static str {
        match self {
            ChangeClass::Breaking => "breaking",
            ChangeClass::Behaviour => "behaviour change (compiles, may fail or differ at run time)",
            ChangeClass::Additive => "additive",
            ChangeClass::Documentation => "documentation only",
        }
    }

    /// `n` changes of this class, in words (`2 breaking`, `1 behaviour change`).
    pub fn count(self, n: usize) -> String {
        match self {
            ChangeClass::Breaking => format!("{n} breaking"),
            ChangeClass::Behaviour if n == 1 => "1 behaviour change".to_owned(),
            ChangeClass::Behaviour => format!("{n} behaviour changes"),
            ChangeClass::Additive => format!("{n} additive"),
            ChangeClass::Documentation => format!("{n} documentation"),
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// How it affects users.
    pub class: ChangeClass,
    /// The version bump it needs on its own.
    pub semver: Bump,
    /// The Rust item it touches, e.g. `types::AppInstance::name` or `Client::list_app_instances`.
    pub item: String,
    /// What changed, in words.
    pub change: String,
}

/// The changes between two versions of a crate's API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiDiff {
    /// The crate name.
    pub crate_name: String,
    /// The service name for humans (of the new model).
    pub title: String,
    /// The API version of the new model.
    pub api_version: String,
    /// The crate version of the base API.
    pub base_version: String,
    /// The changes, by class, then item.
    pub changes: Vec<Change>,
}

impl ApiDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The number of changes of `class`.
    pub fn count(&self, class: ChangeClass) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }

    /// The changes of `class`.
    pub fn of(&self, class: ChangeClass) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.class == class)
    }

    /// The bump all changes together need.
    pub fn verdict(&self) -> Bump {
        self.changes
            .iter()
            .map(|c| c.semver)
            .max()
            .unwrap_or(Bump::None)
    }
}
