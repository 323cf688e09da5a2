//! The drop-in proof's program, compiled against the official crate (see Cargo.toml).

#[allow(dead_code)]
#[path = "../../../tests/dropin/program.rs"]
mod program;

fn main() {}
