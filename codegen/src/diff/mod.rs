//! Model updates explained: what changed in a generated crate's public API, how it affects
//! users, and the version it needs.
//!
//! - [`surface`]: the public API as data (from the IR), which [`api_file`] writes as the
//!   crate's `api.json` and reads back, so the previous API is known without the old model;
//! - [`classify`]: compares two descriptions into classified [`Change`]s;
//! - [`semver`]: the verdict and the next version under Cargo's rules;
//! - [`report`]: the report as text, JSON and a one-line summary;
//! - [`changelog`] and [`manifest_edit`]: what `--bump` writes;
//! - [`review`]: per-file line counts for `--check`.

pub mod api_file;
pub mod change;
pub mod changelog;
pub mod classify;
pub mod manifest_edit;
pub mod report;
pub mod review;
pub mod semver;
pub mod surface;

pub use change::{ApiDiff, Change, ChangeClass};
pub use classify::compare;
pub use semver::Bump;
pub use surface::{describe, ApiDescription};

/// How the API generated now compares with the one committed in the crate folder.
#[derive(Debug, Clone)]
pub enum ApiComparison {
    /// The crate folder has no `api.json` (first generation): nothing to compare.
    NoBaseline,
    /// The committed `api.json` cannot be read; the message says why.
    Unreadable(String),
    /// The changes from the committed API.
    Compared(ApiDiff),
}
