#!/usr/bin/env bash
# Mutation testing of the runtime's JSON codec (src/codec/json.rs and src/codec/json_path.rs)
# with cargo-mutants, on demand (CI never runs it), as a crate of its own.
#
# Through the whole runtime (bench/mutants.sh json) each mutant rebuilds the 28k-line runtime
# and its unit tests: about a minute per mutant under load, hours for the codec's 442 mutants.
# This script copies the codec and the runtime files it needs (their own imports, closed: the
# list is FILES below) unchanged into a scratch package, target/mutants/json-alone/, whose
# src/lib.rs and module files declare the same module paths (so every `crate::...` path
# resolves) and whose Cargo.toml has the runtime's dependencies these files use, then mutates
# only the two JSON files (-f). A mutant there builds and tests in a few seconds.
#
# The tests run per mutant are the unit tests of the copied files (json.rs's and json_path.rs's
# own, and those of http_binding.rs, primitives.rs, contract/*.rs and endpoint/*.rs, which pass
# through the codec rarely). The runtime's other tests that reach the codec (the restjson and
# aws_json unit tests, tests/*.rs) are not run, so the score is a lower bound for the module;
# a survivor can be checked through the whole runtime with
# `MUTANTS_ARGS='-F <function>' bench/mutants.sh json`.
#
# Usage:   bench/mutants-json.sh [cargo mutants arguments...]
#          e.g. bench/mutants-json.sh --shard 0/4 --sharding round-robin -o target/mutants/json-0
#          (-o is relative to the workspace root; default target/mutants/json-alone-out)
#          bench/mutants-json.sh --list     (the mutants, nothing built)
# Env:     MUTANTS_TIMEOUT (seconds per test run, default 30), MUTANTS_MEMORY_KB (address-space
#          limit of every process, default 8 GiB: see bench/mutants.sh).
# Afterwards: rm -rf target/mutants
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/runtime/src"
pkg="$root/target/mutants/json-alone"

# The codec and what it imports, transitively (json.rs -> codec/http_binding.rs,
# contract/error.rs, primitives.rs; http_binding.rs -> endpoint/; error.rs -> contract/http.rs,
# text.rs; http.rs -> stream.rs; stream.rs -> identity.rs, time.rs).
FILES=(
    codec/json.rs codec/json_path.rs codec/http_binding.rs
    contract/error.rs contract/http.rs contract/text.rs contract/stream.rs
    contract/identity.rs contract/time.rs
    endpoint/mod.rs endpoint/aws.rs endpoint/region_regex.rs
    primitives.rs
)

if ! cargo mutants --version >/dev/null 2>&1; then
    echo "cargo-mutants is missing: cargo install cargo-mutants --locked" >&2
    exit 1
fi

rm -rf "$pkg"
mkdir -p "$pkg/src/codec" "$pkg/src/contract" "$pkg/src/endpoint"
for f in "${FILES[@]}"; do
    cp "$src/$f" "$pkg/src/$f"
done
printf 'pub mod codec;\npub mod contract;\npub mod endpoint;\npub mod primitives;\n' >"$pkg/src/lib.rs"
printf 'pub mod http_binding;\npub mod json;\nmod json_path;\n' >"$pkg/src/codec/mod.rs"
printf 'pub mod error;\npub mod http;\npub mod identity;\npub mod stream;\npub mod text;\npub mod time;\n' \
    >"$pkg/src/contract/mod.rs"
# Dependencies as in runtime/Cargo.toml (tokio: contract/time.rs's sleep and stream.rs's
# tests). `event-stream` is declared (off) because contract/http.rs tests for it. No debug
# info: no test needs it, and a rebuild takes 1.2 s instead of 1.4 s (runtime/MUTANTS.md).
cat >"$pkg/Cargo.toml" <<'EOF'
[package]
name = "json-codec-alone"
version = "0.0.0"
edition = "2021"
publish = false

[lib]
doctest = false

[dependencies]
base64 = "0.23"
bytes = "1"
futures-core = "0.3"
http = "1"
percent-encoding = "2"
serde_json = "1"
time = { version = "0.3", default-features = false, features = ["std", "formatting", "parsing"] }
tokio = { version = "1", default-features = false, features = ["rt", "time"] }

[features]
event-stream = []

[profile.dev]
debug = 0

[workspace]
EOF

ulimit -v "${MUTANTS_MEMORY_KB:-8388608}"
args=("$@")
has_output=false
for a in "${args[@]}"; do
    case "$a" in -o | --output | -o* | --output=*) has_output=true ;; esac
done
if ! $has_output; then
    args+=(-o "$root/target/mutants/json-alone-out")
fi
# -o and other relative paths are taken from the workspace root.
cd "$root"
# Exit status 2 (mutants missed) and 3 (timeouts) are results, not failures of the script.
nice -n 19 cargo mutants --dir "$pkg" -f src/codec/json.rs -f src/codec/json_path.rs \
    -j 1 --timeout "${MUTANTS_TIMEOUT:-30}" "${args[@]}" || {
    status=$?
    if [ "$status" -ne 2 ] && [ "$status" -ne 3 ]; then
        exit "$status"
    fi
}
