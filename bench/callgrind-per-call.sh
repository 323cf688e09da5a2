#!/usr/bin/env bash
# Instructions per call of one function in a criterion bench binary, counted by callgrind
# (README.md sections 5 and 7: the figure the machine's load does not move).
#
# Usage: bench/callgrind-per-call.sh <bench-binary> <bench-id> <function> [seconds]
#   Runs `<bench-binary> --bench --profile-time <seconds> <bench-id>` (default 6 s) under
#   `valgrind --tool=callgrind`, then prints the inclusive instructions of <function> (its full
#   demangled name as callgrind_annotate prints it, e.g. `tokio::runtime::runtime::Runtime::block_on`)
#   divided by the number of calls to it, summed over every entry of that name. With several
#   functions (`function1|function2`), one line each.
#   <bench-id> is criterion's filter, a regex: `^get_send/ours$` leaves out `get_send/ours_cbor`.
#   The callgrind output is kept in the current folder as <bench-id, letters and digits
#   only>.callgrind, for callgrind_annotate.
# Env: CALLGRIND_OPTS (extra valgrind options); CALLGRIND_REUSE=1 (annotate an existing output).
set -euo pipefail

[ $# -ge 3 ] || { sed -n '2,16p' "$0" >&2; exit 2; }
binary="$1" id="$2" functions="$3" seconds="${4:-6}"
out="$(echo "$id" | tr -cs 'A-Za-z0-9' '_' | sed 's/^_//; s/_$//').callgrind"
# CALLGRIND_REUSE=1: annotate an existing output instead of running valgrind again.
if [ "${CALLGRIND_REUSE:-}" != 1 ] || [ ! -s "$out" ]; then
# shellcheck disable=SC2086
valgrind --tool=callgrind --callgrind-out-file="$out" ${CALLGRIND_OPTS:-} \
    "$binary" --bench --profile-time "$seconds" "$id" >/dev/null 2>"$out.log" || {
    echo "valgrind failed, see $out.log" >&2
    exit 1
}
fi
annotated="$(callgrind_annotate --inclusive=yes --tree=caller --threshold=100 "$out" 2>/dev/null)"
IFS='|' read -ra names <<<"$functions"
for name in "${names[@]}"; do
    # A block of the caller tree: lines `Ir (pct)  < file:caller (Nx) [obj]`, then the function's
    # own line `Ir (pct)  *  file:function [obj]` with its inclusive count.
    echo "$annotated" | awk -v name="$name" '
        function ir(line) { sub(/^ */, "", line); sub(/ .*/, "", line); gsub(/,/, "", line); return line + 0 }
        / < / { if (match($0, /\([0-9,]+x\)( \[|$)/)) { s = substr($0, RSTART + 1); sub(/x.*/, "", s); gsub(/,/, "", s); pending += s } next }
        / \*  / {
            if (index($0, ":" name " [") > 0) { total += ir($0); calls += pending }
            pending = 0; next
        }
        { pending = 0 }
        END {
            if (calls == 0) { printf "%s: no calls found\n", name; exit 1 }
            printf "%s: %d instructions in %d calls = %.1f k per call\n", name, total, calls, total / calls / 1000
        }'
done
