#!/usr/bin/env bash
# Checks that the drop-in proof (tests/dropin/program.rs) is written against the official
# `aws-sdk-chimesdkidentity` API: `cargo check` of bench/dropin-official, which compiles the same
# file, unchanged, with the official crate renamed to `chimesdkidentity` (so the proof's one
# changed line, `use chimesdkidentity as aws_sdk_chimesdkidentity;`, binds the official crate).
# CI compiles and runs the same file against the generated crate (`cargo test -p e2e-tests
# --test dropin`).
#
# Usage: bench/dropin-official.sh     Env: CARGO_TARGET_DIR (default: a target/ folder beside it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/dropin-official"
cargo check --locked
echo "tests/dropin/program.rs compiles against the official aws-sdk-chimesdkidentity"
