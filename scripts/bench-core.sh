#!/usr/bin/env bash
# Runs core-bench (release) and, when numpy is importable, the numpy reference in the same run;
# prints ms, GFLOP/s and our/numpy throughput ratio per case.
set -euo pipefail
cd "$(dirname "$0")/.."
ours=$(.build/release/core-bench)
if python3 -c "import numpy" 2>/dev/null; then
  theirs=$(python3 scripts/bench_numpy.py)
else
  theirs=""
fi
printf "%-16s %10s %10s %12s %12s %8s\n" case "ms" "GFLOP/s" "numpy ms" "numpy GF/s" "ratio"
while read -r name ms gf; do
  ref=$(printf "%s\n" "$theirs" | awk -v n="$name" '$1 == n { print $2, $3 }')
  if [ -n "$ref" ]; then
    set -- $ref
    printf "%-16s %10s %10s %12s %12s %8.2f\n" "$name" "$ms" "$gf" "$1" "$2" "$(awk -v a="$gf" -v b="$2" 'BEGIN { print a / b }')"
  else
    printf "%-16s %10s %10s %12s %12s %8s\n" "$name" "$ms" "$gf" "-" "-" "-"
  fi
done <<< "$ours"
