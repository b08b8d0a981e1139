#!/usr/bin/env bash
# Times `notebook build` on the lessons: cold (cache cleared), no-change rebuild, rebuild after
# editing one cell; per-notebook compile and run times (median of 3 cold runs); peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
nb=.build/debug/notebook
out=$(mktemp -d)
trap 'rm -rf "$out"; git checkout -q -- notebooks/03-softmax-rows.md 2>/dev/null || true' EXIT
ms() { date +%s%N; }
elapsed() { echo "scale=3; ($2 - $1) / 1000000000" | awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
for i in 1 2 3; do
  rm -rf .notebook-cache
  t0=$(ms); $nb build --output "$out/site" 2> "$out/cold$i.log"; t1=$(ms)
  echo "cold build $i: $(elapsed $t0 $t1) s"
done
t0=$(ms); $nb build --output "$out/site" --quiet 2>/dev/null; t1=$(ms)
echo "no-change rebuild: $(elapsed $t0 $t1) s"
sed -i 's/let S4 = Matrix.vstack(\[S, \[\[4.0, 3.0, 2.0, 1.0\]\]\])/let S4 = Matrix.vstack([S, [[4.0, 3.0, 2.0, 1.5]]])/' notebooks/03-softmax-rows.md
t0=$(ms); $nb build --output "$out/site" --quiet --keep-going 2>/dev/null; t1=$(ms)
echo "rebuild after editing one cell of one lesson: $(elapsed $t0 $t1) s"
git checkout -q -- notebooks/03-softmax-rows.md
echo "per notebook (median of 3 cold runs): compile s, run s"
python3 - "$out"/cold*.log <<'PY'
import re, statistics, sys
times = {}
for path in sys.argv[1:]:
    for line in open(path):
        m = re.search(r"\] (\S+) compiled ([0-9.]+) s, ran ([0-9.]+) s", line)
        if m:
            times.setdefault(m.group(1), []).append((float(m.group(2)), float(m.group(3))))
for name in sorted(times):
    c = statistics.median(t[0] for t in times[name]); r = statistics.median(t[1] for t in times[name])
    print(f"  {name:40s} compile {c:.2f} s  run {r:.2f} s  total {c + r:.2f} s")
PY
rm -rf .notebook-cache
/usr/bin/time -f "peak memory of a cold build: %M KiB" $nb build --output "$out/site" --quiet 2>&1 | grep peak
