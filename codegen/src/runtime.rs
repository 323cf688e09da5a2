//! The runtime sources embedded at build time (see `build.rs`), and where the runtime crate is.

use std::path::Path;

use crate::error::Result;

include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));

/// The path of the runtime crate's folder relative to the crate folder `out` (which need not
/// exist yet), with `/` separators: what a generated crate's path dependency names.
pub fn path_from(out: &Path) -> Result<String> {
    crate::paths::relative_from(out, Path::new(RUNTIME_DIR))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_is_found_from_a_folder_that_does_not_exist_yet() {
        let runtime = Path::new(RUNTIME_DIR);
        let out = runtime.join("../not-yet/created");
        assert_eq!(path_from(&out).unwrap(), "../../runtime");
    }
}
