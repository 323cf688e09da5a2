//! Generates the client of `smithy.rust.cbortests#CborService` and its protocol-test cases (see
//! `protocol-tests/build/suite.rs`).

#[path = "../../build/suite.rs"]
mod suite;

use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    suite::run(&suite::Suite {
        service: "smithy.rust.cbortests#CborService",
        crate_name: "rpcv2cbor",
        client_crate: "protocol_tests_rpcv2cbor",
        models: vec![manifest_dir.join("../../../model/test-models/rpcv2-cbor.smithy")],
        smithy: manifest_dir.join("../../../../shared/smithy"),
        manifest_dir: &manifest_dir,
    })
}
