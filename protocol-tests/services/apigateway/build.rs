//! Generates the client of `com.amazonaws.apigateway#BackplaneControlService` and its protocol-test cases (see
//! `protocol-tests/build/suite.rs`).

#[path = "../../build/suite.rs"]
mod suite;

use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    suite::run(&suite::Suite {
        service: "com.amazonaws.apigateway#BackplaneControlService",
        crate_name: "apigateway",
        client_crate: "protocol_tests_apigateway",
        models: vec![manifest_dir.join("../../../../shared/smithy/protocol-tests/restJson1")],
        smithy: manifest_dir.join("../../../../shared/smithy"),
        manifest_dir: &manifest_dir,
    })
}
