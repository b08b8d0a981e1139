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
cat "$out"/cold*.log | awk '/compiled/ { n=$2; c[n]=c[n] " " $4; r[n]=r[n] " " $7 } END { for (n in c) print n, c[n], "|", r[n] }' | sort | \
  awk '{ split("", cs); split("", rs); k=0; m=0; side=0; for (i=2;i<=NF;i++) { if ($i=="|") { side=1; continue } if (side) rs[++m]=$i; else cs[++k]=$i } asort(cs); asort(rs); printf "  %-40s compile %s  run %s\n", $1, cs[2], rs[2] }'
rm -rf .notebook-cache
/usr/bin/time -f "peak memory of a cold build: %M KiB" $nb build --output "$out/site" --quiet 2>&1 | grep peak
