//! Error cases whose vendor parameters (`aws.protocoltests.config#ErrorCodeParams`) give the
//! code and type the error's metadata must report: query-compatible services.

use smithy_rust_runtime::contract::error::ErrorMetadata;

/// Checks the code and the query error type an error's metadata gives.
pub fn assert_error_code(meta: &ErrorMetadata, code: &str, error_type: Option<&str>) {
    assert_eq!(meta.code(), Some(code), "error code (metadata: {meta:?})");
    assert_eq!(
        meta.error_type(),
        error_type,
        "error type (metadata: {meta:?})"
    );
}
