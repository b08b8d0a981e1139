#!/usr/bin/env bash
# Times `notebook build` on the lessons: cold build (cache cleared), no-change rebuild, rebuild
# after editing one cell of one lesson, and `notebook serve` from saving that edit to the reload
# event; per-notebook compile and run times; peak memory. The reference measured in the same run
# is swiftc's floor: compiling and linking a one-line program against the kernel.
set -euo pipefail
cd "$(dirname "$0")/.."
nb=$PWD/.build/debug/notebook
lesson=notebooks/03-softmax-rows.md
out=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill -INT "$server" 2>/dev/null || true
  rm -rf "$out"
  git checkout -q -- "$lesson" 2>/dev/null || true
}
trap cleanup EXIT
now() { date +%s%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Changes the last entry of one matrix literal of the lesson: one cell's program changes.
edit() { sed -i "s/let S4 = Matrix.vstack(\[S, \[\[4.0, 3.0, 2.0, [0-9.]*\]\]\])/let S4 = Matrix.vstack([S, [[4.0, 3.0, 2.0, $1]]])/" "$lesson"; }

printf 'import NotebookKernel\nprint(softmax([1.0, 2.0]))\n' > "$out/floor.swift"
for i in 1 2 3; do
  t0=$(now); swiftc -module-name notebooks -Onone -gline-tables-only -I .build/debug/Modules -L .build/debug \
    -lNotebookKernel -Xlinker -rpath -Xlinker .build/debug "$out/floor.swift" -o "$out/floor"; t1=$(now)
  seconds "$t0" "$t1"; echo
done | median > "$out/floor.txt"
floor=$(cat "$out/floor.txt")
echo "reference: swiftc compiles and links a one-line kernel program in $floor s (median of 3)"

for i in 1 2 3; do
  rm -rf .notebook-cache
  t0=$(now); $nb build --output "$out/site" 2> "$out/cold$i.log"; t1=$(now)
  echo "cold build $i: $(seconds "$t0" "$t1") s"
done

for i in $(seq 10); do
  t0=$(now); $nb build --output "$out/site" --quiet 2>/dev/null; t1=$(now); seconds "$t0" "$t1"; echo
done | median > "$out/nochange.txt"
echo "no-change rebuild: $(cat "$out/nochange.txt") s (median of 10; target 0.1 s)"

for v in 1.5 1.6 1.7 1.8 1.9; do
  edit "$v"
  t0=$(now); $nb build --output "$out/site" --quiet --keep-going 2>/dev/null; t1=$(now); seconds "$t0" "$t1"; echo
done | median > "$out/edit.txt"
git checkout -q -- "$lesson"
edit_s=$(cat "$out/edit.txt")
echo "rebuild after editing one cell of one lesson: $edit_s s (median of 5; target 0.5 s;" \
     "$(awk -v a="$edit_s" -v b="$floor" 'BEGIN { printf "%.2f", a / b }') × the swiftc floor)"

# notebook serve: from saving the edit to the event that tells pages to reload (the new page is
# on disk by then).
$nb build --output "$out/serve-site" --quiet 2>/dev/null || true
$nb serve --port 0 --output "$out/serve-site" > "$out/serve.out" 2> "$out/serve.err" &
server=$!
for _ in $(seq 100); do grep -q "http://" "$out/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o '127.0.0.1:[0-9]*' "$out/serve.out" | cut -d: -f2)
python3 - "$port" "$lesson" <<'PY' | median > "$out/serve.txt"
import http.client, json, re, subprocess, sys, time
port, lesson = int(sys.argv[1]), sys.argv[2]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
conn.request("GET", "/__notebook/events")
stream = conn.getresponse()
def next_version():
    while True:
        line = stream.readline().decode()
        if line.startswith("data: "):
            return json.loads(line[6:])["version"]
version = next_version()
for value in ["2.5", "2.6", "2.7", "2.8", "2.9"]:
    text = open(lesson).read()
    text = re.sub(r"\[\[4\.0, 3\.0, 2\.0, [0-9.]*\]\]\]\)", f"[[4.0, 3.0, 2.0, {value}]]])", text, count=1)
    start = time.monotonic()
    with open(lesson, "w") as f:
        f.write(text)
    while (v := next_version()) <= version:
        pass
    version = v
    print(f"{time.monotonic() - start:.3f}")
PY
echo "notebook serve, one-cell edit saved -> reload event: $(cat "$out/serve.txt") s (median of 5; polls every 0.1 s)"
kill -INT "$server"; wait "$server" || true; server=""
git checkout -q -- "$lesson"

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
scripts/bench-checkpoints.sh
