//! Generates, with smithy-rust-codegen used as a library (see `build/suite.rs`):
//!
//! 1. the client of `aws.protocoltests.restjson#RestJson` (the Smithy restJson1 compliance
//!    service), flattened into `$OUT_DIR/client.rs`, which `src/lib.rs` includes: this crate's
//!    library IS the generated client, so its `crate::...` paths resolve as in a standalone
//!    generated crate;
//! 2. one Rust test per client `httpRequestTests` / `httpResponseTests` / `eventStreamTests`
//!    case of the service's operations and errors, in `$OUT_DIR/cases.rs`, which
//!    `tests/restjson.rs` includes.
//!
//! A case that cannot run would be listed, with its reason, in `not-supported.txt` (today none
//! is: the file is empty); the generator checks each listed id exists.

#[path = "build/suite.rs"]
mod suite;

use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    suite::run(&suite::Suite {
        service: "aws.protocoltests.restjson#RestJson",
        crate_name: "restjson",
        client_crate: "protocol_tests",
        models: vec![manifest_dir.join("../../shared/smithy/protocol-tests/restJson1")],
        smithy: manifest_dir.join("../../shared/smithy"),
        manifest_dir: &manifest_dir,
    })
}
