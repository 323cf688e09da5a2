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
# Env: CALLGRIND_OPTS (extra valgrind options); CALLGRIND_REUSE=1 (annotate an existing output);
#   CALLGRIND_CALLER=<text>: count only the calls made from callers whose line contains <text>, e.g.
#   `Bencher<M>::iter` (the measured iterations), leaving out a group's setup calls, which criterion
#   runs even for groups the filter excludes.
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
    # Without CALLGRIND_CALLER: the function's inclusive count over the calls of all its callers.
    # With it: the inclusive instructions and calls of the matching callers' lines only.
    echo "$annotated" | awk -v name="$name" -v caller="${CALLGRIND_CALLER:-}" '
        function ir(line) { sub(/^ */, "", line); sub(/ .*/, "", line); gsub(/,/, "", line); return line + 0 }
        / < / {
            if (match($0, /\([0-9,]+x\)( \[|$)/)) {
                s = substr($0, RSTART + 1); sub(/x.*/, "", s); gsub(/,/, "", s)
                pending += s
                if (caller != "" && index($0, caller) > 0) { pcalls += s; pir += ir($0) }
            }
            next
        }
        / \*  / {
            if (index($0, ":" name " [") > 0) {
                if (caller == "") { total += ir($0); calls += pending } else { total += pir; calls += pcalls }
            }
            pending = 0; pcalls = 0; pir = 0; next
        }
        { pending = 0; pcalls = 0; pir = 0 }
        END {
            from = caller == "" ? "" : " from callers matching \"" caller "\""
            if (calls == 0) { printf "%s: no calls found%s\n", name, from; exit 1 }
            printf "%s: %d instructions in %d calls%s = %.1f k per call\n", name, total, calls, from, total / calls / 1000
        }'
done
