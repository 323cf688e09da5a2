//! Compiles the client runtime in place so it can be linted and unit-tested.
//!
//! Everything under `src/rt/` is copied verbatim by the generator into each generated crate as
//! `src/rt/`, so code in these files must only refer to its siblings through `crate::rt::...` (or
//! `super::...`) and must not depend on anything that is not a generated crate's dependency.
pub mod rt;
