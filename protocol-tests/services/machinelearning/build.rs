//! Generates the client of `com.amazonaws.machinelearning#AmazonML_20141212` and its protocol-test cases (see
//! `protocol-tests/build/suite.rs`).

#[path = "../../build/suite.rs"]
mod suite;

use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    suite::run(&suite::Suite {
        service: "com.amazonaws.machinelearning#AmazonML_20141212",
        crate_name: "machinelearning",
        client_crate: "protocol_tests_machinelearning",
        models: vec![manifest_dir.join(
            "../../../../shared/smithy/protocol-tests/awsJson1_1/services/machinelearning.smithy",
        )],
        smithy: manifest_dir.join("../../../../shared/smithy"),
        manifest_dir: &manifest_dir,
    })
}
