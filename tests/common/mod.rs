//! Helpers shared by the integration tests that run the binary.

use std::process::Command;

/// Runs `tallymark ARGS` in the project folder, as a user would: whether it succeeded, its
/// standard output and its standard error.
pub fn tallymark(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tallymark"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
