#!/usr/bin/env bash
# Wall time of the whole codegen for the Chime model, with hyperfine:
#   1. `cargo xtask codegen --check` as developers run it (the alias is `cargo run -q -p xtask`,
#      i.e. a DEBUG build of xtask, plus cargo's own up-to-date check),
#   2. the release xtask binary run directly (`xtask codegen --check`).
# `--check` runs the same pipeline as a write (load, resolve, lower, emit, prettyplease, rustfmt)
# but compares instead of writing, so the checkout is never touched. It exits 1 when generated/
# is stale (e.g. while someone is editing the generator); hyperfine is told to ignore that.
#
# Env: CARGO_TARGET_DIR (default /work/target-h), RUNS (default 10).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-h}"
runs="${RUNS:-10}"
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install -y hyperfine" >&2; exit 1; }
cd "$root"
cargo build -q -p xtask
cargo build -q --release -p xtask
hyperfine --warmup 2 --runs "$runs" -i -N --export-markdown "$CARGO_TARGET_DIR/codegen-wall.md" \
    -n "cargo xtask codegen --check (debug xtask)" "cargo xtask codegen --check" \
    -n "release xtask codegen --check" "$CARGO_TARGET_DIR/release/xtask codegen --check"
cat "$CARGO_TARGET_DIR/codegen-wall.md"
