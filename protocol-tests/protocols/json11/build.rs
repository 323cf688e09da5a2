//! Generates the client of `aws.protocoltests.json#JsonProtocol` and its protocol-test cases (see
//! `protocol-tests/build/suite.rs`).

#[path = "../../build/suite.rs"]
mod suite;

use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    suite::run(&suite::Suite {
        service: "aws.protocoltests.json#JsonProtocol",
        crate_name: "json11",
        client_crate: "protocol_tests_json11",
        models: vec![manifest_dir.join("../../../../shared/smithy/protocol-tests/awsJson1_1")],
        smithy: manifest_dir.join("../../../../shared/smithy"),
        manifest_dir: &manifest_dir,
    })
}
