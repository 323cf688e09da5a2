//! Generates the client of `com.amazonaws.glacier#Glacier` and its protocol-test cases (see
//! `protocol-tests/build/suite.rs`).

#[path = "../../build/suite.rs"]
mod suite;

use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    suite::run(&suite::Suite {
        service: "com.amazonaws.glacier#Glacier",
        crate_name: "glacier",
        client_crate: "protocol_tests_glacier",
        models: vec![manifest_dir.join("../../../../shared/smithy/protocol-tests/restJson1")],
        smithy: manifest_dir.join("../../../../shared/smithy"),
        manifest_dir: &manifest_dir,
    })
}
