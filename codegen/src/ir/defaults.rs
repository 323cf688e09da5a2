//! Model `@default` values that need decoding before the IR can hold them.

use base64::Engine as _;

/// The bytes of a blob `@default` (base64 text in the model), or `None` when it is not base64.
/// Lowering rejects a member whose blob default does not decode, so emitters may rely on it.
pub fn decode_blob_default(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::decode_blob_default;

    #[test]
    fn decodes_base64_and_rejects_other_text() {
        assert_eq!(decode_blob_default("aGk="), Some(b"hi".to_vec()));
        assert_eq!(decode_blob_default(""), Some(Vec::new()));
        assert_eq!(decode_blob_default("not base64!"), None);
    }
}
