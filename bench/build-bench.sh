#!/usr/bin/env bash
# Clean release build of a one-call program on each client, measured side by side.
#
# For every program under bench/programs/<variant> (each its own Cargo workspace):
#   - fetches dependencies first (download time is not measured),
#   - builds with `cargo build --release` into a fresh, empty CARGO_TARGET_DIR,
#   - records wall time, the number of "Compiling" lines (crates compiled), the peak RSS of the
#     largest single process of the build (GNU time "Maximum resident set size", i.e. the biggest
#     rustc), the number of distinct crates in `cargo tree -e normal`, and the stripped binary size.
# Prints one table, and the ratios of each `<x>-ours` against the other `<x>-*` programs (and of
# `ours` against the programs with no such prefix).
#
# Usage: bench/build-bench.sh [variant...]      (default: ours theirs theirs-noconfig)
#   The target `dynamodb` stands for `dynamodb-ours dynamodb-theirs` (one GetItem on the
#   generated DynamoDB client and on the official `aws-sdk-dynamodb`); it first generates the
#   client into dynamodb/gen/ (`cargo xtask codegen --manifest bench/dynamodb/clients.toml`).
#   The target `transcribe` stands for `transcribe-ours transcribe-theirs` (one
#   StartStreamTranscription, an input event stream over HTTP/2, on the generated Transcribe
#   Streaming client and on the official `aws-sdk-transcribestreaming`); it first generates the
#   client into transcribe/gen/ (`cargo xtask codegen --manifest bench/transcribe/clients.toml`).
# Env:   BENCH_TARGET_BASE (default /work/target-h-prog), JOBS (cargo -j, default: all cores).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
base="${BENCH_TARGET_BASE:-/work/target-h-prog}"
variants=()
for v in "$@"; do
    if [ "$v" = dynamodb ]; then
        variants+=(dynamodb-ours dynamodb-theirs)
    elif [ "$v" = transcribe ]; then
        variants+=(transcribe-ours transcribe-theirs)
    else
        variants+=("$v")
    fi
done
if [ ${#variants[@]} -eq 0 ]; then
    variants=(ours theirs theirs-noconfig)
fi
# Generates the client a `<service>-ours` program builds on (not timed).
generate() {
    local service="$1"
    echo "== generating the $service client (not timed)" >&2
    (cd "$here/.." && CARGO_INCREMENTAL=0 cargo xtask codegen --manifest "bench/$service/clients.toml" \
        >/dev/null 2>&1) || {
        echo "generating bench/$service/gen failed: run cargo xtask codegen --manifest bench/$service/clients.toml" >&2
        exit 1
    }
}
for service in dynamodb transcribe; do
    if printf '%s\n' "${variants[@]}" | grep -q "^$service-ours\$"; then
        generate "$service"
    fi
done
if [ ! -x /usr/bin/time ]; then
    echo "GNU time is missing: apt-get install -y time" >&2
    exit 1
fi
jobs_flag=()
if [ -n "${JOBS:-}" ]; then
    jobs_flag=(-j "$JOBS")
fi

results="$(mktemp)"
trap 'rm -f "$results"' EXIT

for v in "${variants[@]}"; do
    dir="$here/programs/$v"
    [ -f "$dir/Cargo.toml" ] || { echo "no program $dir" >&2; exit 1; }
    target="$base-$v"
    log="$target.log"
    echo "== $v: fetching" >&2
    (cd "$dir" && cargo fetch -q)
    rm -rf "$target"
    load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "== $v: building into $target (load before: $load_before)" >&2
    start=$(date +%s.%N)
    (cd "$dir" && CARGO_TARGET_DIR="$target" /usr/bin/time -v \
        cargo build --release "${jobs_flag[@]}" >"$log" 2>&1) || {
        echo "build of $v failed, see $log" >&2
        exit 1
    }
    end=$(date +%s.%N)
    load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
    wall=$(echo "$end - $start" | bc)
    compiled=$(grep -c '^ *Compiling ' "$log" || true)
    rss_kb=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
    cpu=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{print u+s}' "$log")
    tree=$(cd "$dir" && cargo tree -e normal --prefix none --offline 2>/dev/null \
        | sed 's/ (\*)$//' | sort -u | wc -l)
    name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$dir/Cargo.toml" | head -1)
    bin="$target/release/$name"
    cp "$bin" "$target/stripped"
    strip "$target/stripped"
    size=$(stat -c %s "$target/stripped")
    unstripped=$(stat -c %s "$bin")
    echo "$v $wall $cpu $compiled $tree $rss_kb $size $unstripped $load_before|$load_after" >>"$results"
    echo "== $v: ${wall}s wall, ${cpu}s cpu, $compiled compiled, $tree in tree, ${rss_kb} KiB peak, $size B stripped" >&2
done

echo
echo "| program | build wall s | build CPU s | crates compiled | crates in tree | peak RSS MiB | stripped binary KiB | load avg before / after |"
echo "|---|---|---|---|---|---|---|---|"
while read -r v wall cpu compiled tree rss size unstripped load; do
    printf '| %s | %.1f | %.1f | %d | %d | %.0f | %.0f | %s |\n' "$v" "$wall" "$cpu" "$compiled" "$tree" \
        "$(echo "$rss / 1024" | bc -l)" "$(echo "$size / 1024" | bc -l)" "${load/|/ \/ }"
done <"$results"

# The program each variant is compared with: `<x>-ours` for `<x>-<anything>`, else `ours`.
reference() {
    local v="$1" prefix
    for prefix in $(awk '{print $1}' "$results" | sed -n 's/-ours$//p'); do
        if [ "${v#"$prefix"-}" != "$v" ]; then
            echo "$prefix-ours"
            return
        fi
    done
    echo ours
}

ratios="$(mktemp)"
trap 'rm -f "$results" "$ratios"' EXIT
while read -r v wall cpu compiled tree rss size unstripped load; do
    ref="$(reference "$v")"
    [ "$v" = "$ref" ] && continue
    grep -q "^$ref " "$results" || continue
    read -r _ owall ocpu ocomp otree orss osize _ _ < <(grep "^$ref " "$results")
    printf '| %s / %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n' "$ref" "$v" \
        "$(echo "$owall / $wall" | bc -l)" "$(echo "$ocpu / $cpu" | bc -l)" \
        "$(echo "$ocomp / $compiled" | bc -l)" "$(echo "$otree / $tree" | bc -l)" \
        "$(echo "$orss / $rss" | bc -l)" "$(echo "$osize / $size" | bc -l)" >>"$ratios"
done <"$results"
if [ -s "$ratios" ]; then
    echo
    echo "| ours / other | build wall | build CPU | crates compiled | crates in tree | peak RSS | stripped binary |"
    echo "|---|---|---|---|---|---|---|"
    cat "$ratios"
fi
