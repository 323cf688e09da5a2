//! The runtime sources embedded at build time (see `build.rs`).

include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));
