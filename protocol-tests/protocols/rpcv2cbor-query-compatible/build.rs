//! Generates the client of `aws.protocoltests.rpcv2cbor#QueryCompatibleRpcV2Protocol` and its protocol-test cases (see
//! `protocol-tests/build/suite.rs`).

#[path = "../../build/suite.rs"]
mod suite;

use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    suite::run(&suite::Suite {
        service: "aws.protocoltests.rpcv2cbor#QueryCompatibleRpcV2Protocol",
        crate_name: "rpcv2cbor_query_compatible",
        client_crate: "protocol_tests_rpcv2cbor_query_compatible",
        models: vec![manifest_dir.join("../../../../shared/smithy/protocol-tests/rpcv2Cbor")],
        smithy: manifest_dir.join("../../../../shared/smithy"),
        manifest_dir: &manifest_dir,
    })
}
