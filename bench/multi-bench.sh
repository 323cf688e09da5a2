#!/usr/bin/env bash
# Programs using 1, 2 and 3 generated clients (Chime SDK Identity, Amazon MQ, AWS IoT Data Plane),
# with the runtime shared as a crate vs vendored into each client, built side by side in one run.
#
# 1. Generates the clients of multi/shared.toml (runtime as a crate) and multi/vendored.toml
#    (runtime vendored) into multi/gen/ with `cargo xtask codegen --manifest`, and prints the
#    lines of each crate's generated code (src/**/*.rs; the vendored runtime copy separately).
# 2. Builds `ours` (the one-call Chime program of section 2 of README.md, which is also the
#    one-client program with the shared runtime) and the programs multi-shared-{2,3} and
#    multi-vendored-{1,2,3} of programs/ with build-bench.sh: same method (dependencies
#    fetched first, fresh empty CARGO_TARGET_DIR, `cargo build --release` under GNU time, crates
#    compiled, crates in tree, stripped binary size).
#
# Usage: bench/multi-bench.sh        Env: as build-bench.sh (BENCH_TARGET_BASE, JOBS).
# Delete the target folders afterwards: rm -rf "${BENCH_TARGET_BASE:-/work/target-h-prog}"-*
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
# Incremental caches of the generated crates take gigabytes.
export CARGO_INCREMENTAL=0

for mode in shared vendored; do
    (cd "$repo" && cargo xtask codegen --manifest "bench/multi/$mode.toml")
done

lines() { find "$@" -name '*.rs' -print0 | xargs -0 cat | wc -l; }
echo
echo "| crate | runtime | generated lines (src/, without the runtime copy) | vendored runtime lines |"
echo "|---|---|---|---|"
for mode in shared vendored; do
    for dir in "$here/multi/gen/$mode"/*/; do
        crate="$(basename "$dir")"
        own=$(find "$dir/src" -name '*.rs' -not -path '*/src/runtime/*' -print0 | xargs -0 cat | wc -l)
        copy=0
        if [ -d "$dir/src/runtime" ]; then
            copy=$(lines "$dir/src/runtime")
        fi
        echo "| $crate | $mode | $own | $copy |"
    done
done
echo

# Each program starts from the lock file of `ours`, so every variant builds the same versions.
for program in "$here"/programs/multi-*/; do
    if [ ! -f "$program/Cargo.lock" ]; then
        cp "$here/programs/ours/Cargo.lock" "$program/Cargo.lock"
    fi
done

variants=(ours multi-shared-2 multi-shared-3 multi-vendored-1 multi-vendored-2 multi-vendored-3)
"$here/build-bench.sh" "${variants[@]}"
