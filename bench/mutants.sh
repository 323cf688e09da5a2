#!/usr/bin/env bash
# Mutation testing of the runtime with cargo-mutants, on demand (CI never runs it).
#
# For each module named on the command line (default: every module, in the order below),
# cargo-mutants copies the workspace, applies one mutation at a time to that module's files
# (-f), rebuilds incrementally, and runs only the runtime tests listed for the module (the
# runtime's unit tests plus the integration test files that exercise it), one job at a time
# (-j 1, the machine is shared). Results go to target/mutants/<module>/mutants.out/
# (caught.txt, missed.txt, unviable.txt, timeout.txt, outcomes.json); the summary and the
# reasoning about survivors are kept by hand in runtime/MUTANTS.md.
#
# Usage:   bench/mutants.sh [module...]        (modules: see MODULES below; a part of a module,
#                                              e.g. orchestrator-handle, runs only when named)
#          bench/mutants.sh --list             (the modules, their files and tests)
# Needs:   cargo install cargo-mutants --locked   (results in MUTANTS.md are from 27.1.0)
# Env:     MUTANTS_TIMEOUT (seconds per test run, default 120), MUTANTS_ARGS (extra arguments
#          for cargo mutants, e.g. "-F backoff" to run only some mutants, or
#          "--shard 0/8 --sharding round-robin" for an even eighth of a large module),
#          MUTANTS_MEMORY_KB (address-space limit of every process of the run, default 8 GiB),
#          MUTANTS_BUILD_DIR (the copies' target directory, default target/mutants/build: give
#          a second one to run two modules side by side), MUTANTS_OUTPUT (the results'
#          directory under target/mutants, default the module's name: give another one to
#          re-run survivors while the module's run goes on), MUTANTS_DEBUG (the copies'
#          debug-information level, default 0: see below).
#
# A mutant can turn a loop that advances an index into one that never ends and pushes to a
# vector on every turn (`i += 1` made `i *= 1`): without a limit such a test takes all the
# machine's memory in seconds. Under the limit its allocation fails and the test binary aborts,
# which counts as caught (the mutant was noticed), as it should.
#
# The copy lives in target/mutants/tmp/run.*/ (one directory per run of the script) and is
# deleted after each module (cargo-mutants does it; the script removes what is left). Tests
# read ../shared relative to the workspace root, so a `shared` link is put beside the copy. The
# copies build into one target directory, target/mutants/build (incremental, kept between
# modules and runs so that only the runtime is rebuilt for a module's baseline; delete it when
# done: it takes about 2 GB).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# module | files (space-separated globs, relative to the workspace root) | cargo test arguments
MODULES=(
    "sigv4|runtime/src/sigv4.rs|--lib --test sigv4_suite"
    "retry|runtime/src/retry.rs|--lib --test orchestrator_pipeline"
    "http_binding|runtime/src/codec/http_binding.rs runtime/src/codec/restjson.rs|--lib"
    "json|runtime/src/codec/json.rs runtime/src/codec/json_path.rs|--lib"
    "endpoint|runtime/src/endpoint/*.rs|--lib"
    "timeout|runtime/src/timeout.rs|--lib --test orchestrator_pipeline"
    "credentials_cache|runtime/src/credentials/mod.rs|--lib --test credentials_cache"
    "orchestrator|runtime/src/orchestrator/*.rs runtime/src/orchestrator/handle/*.rs|--lib --test orchestrator_pipeline --test event_stream_calls --test event_stream_signing --test paginator"
    # The orchestrator's parts, each with only the tests that reach it (a mutant then rebuilds
    # fewer test binaries; the runtime's unit-test harness is the largest of them): together
    # they are the orchestrator module above.
    "orchestrator-handle|runtime/src/orchestrator/handle.rs runtime/src/orchestrator/handle/*.rs|--lib --test orchestrator_pipeline --test event_stream_calls --test event_stream_signing --test paginator"
    "orchestrator-paginator|runtime/src/orchestrator/paginator.rs runtime/src/orchestrator/blocking.rs|--test paginator --test orchestrator_pipeline"
    "orchestrator-customize|runtime/src/orchestrator/customize.rs|--test orchestrator_pipeline"
    "orchestrator-auth|runtime/src/orchestrator/auth.rs runtime/src/orchestrator/user_agent.rs|--lib --test orchestrator_pipeline"
)

if [ "${1:-}" = "--list" ]; then
    printf '%s\n' "${MODULES[@]}" | column -t -s '|'
    exit 0
fi

if ! cargo mutants --version >/dev/null 2>&1; then
    echo "cargo-mutants is missing: cargo install cargo-mutants --locked" >&2
    exit 1
fi
if [ ! -d "$root/../shared" ]; then
    echo "../shared is missing beside the workspace (the runtime tests read it)" >&2
    exit 1
fi

ulimit -v "${MUTANTS_MEMORY_KB:-8388608}"
# No debug information in the copies' builds (MUTANTS_DEBUG=2 for full): linking the test
# binaries is a large part of a mutant's build, and nothing reads their debug information.
export CARGO_PROFILE_DEV_DEBUG="${MUTANTS_DEBUG:-0}"

wanted=("$@")
out="$root/target/mutants"
# One scratch directory per run of this script, so that two runs side by side (each with its
# own MUTANTS_BUILD_DIR) never delete each other's copy.
mkdir -p "$out/tmp"
scratch="$(mktemp -d "$out/tmp/run.XXXXXX")"
ln -sfn "$(cd "$root/../shared" && pwd)" "$scratch/shared"

cleanup() {
    find "$scratch" -mindepth 1 -maxdepth 1 -name 'cargo-mutants-*' -exec rm -rf {} +
}
trap 'cleanup; rm -rf "$scratch"' EXIT

run_module() {
    local name=$1 files=$2 tests=$3
    local file_args=() test_args=()
    for f in $files; do
        file_args+=(-f "$f")
    done
    # Passed to every cargo invocation (the build with --no-run too), so only these test
    # targets are built and run for each mutant.
    for a in $tests; do
        test_args+=("--cargo-arg=$a")
    done
    echo "== $name: $files (cargo test $tests)"
    local results="$out/${MUTANTS_OUTPUT:-$name}"
    mkdir -p "$results"
    # Exit status 2 (mutants missed) and 3 (timeouts) are results, not failures of the script.
    # shellcheck disable=SC2086
    TMPDIR="$scratch" CARGO_TARGET_DIR="${MUTANTS_BUILD_DIR:-$out/build}" cargo mutants \
        --dir "$root" -p smithy-rust-runtime "${file_args[@]}" \
        -j 1 --timeout "${MUTANTS_TIMEOUT:-120}" --build-timeout 900 \
        --output "$results" "${test_args[@]}" ${MUTANTS_ARGS:-} || {
        status=$?
        if [ "$status" -ne 2 ] && [ "$status" -ne 3 ]; then
            return "$status"
        fi
    }
    cleanup
    for kind in caught missed unviable timeout; do
        printf '%s %s\n' "$kind" "$(wc -l <"$results/mutants.out/$kind.txt")"
    done
}

for entry in "${MODULES[@]}"; do
    IFS='|' read -r name files tests <<<"$entry"
    if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " =~ " $name " ]]; then
        continue
    fi
    # The parts of a module (`orchestrator-handle`) run only when named.
    if [ ${#wanted[@]} -eq 0 ] && [[ "$name" == *-* ]]; then
        continue
    fi
    run_module "$name" "$files" "$tests"
done
