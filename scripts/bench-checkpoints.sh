#!/usr/bin/env bash
# What an edit costs, on a scratch copy of the course with a warm cache: for lessons 09, 11 and 05
# (their cells train for several seconds), the median of 5 of `notebook build` and of `notebook
# serve` (save -> reload event) after editing the last cell, a middle cell (the one after the
# lesson's first checkpoint), the first cell (above every checkpoint: a run from the top, what every
# code edit cost before checkpoints), and a prose line at the top. References measured in the same
# run: swiftc compiling and linking a one-line kernel program, and each lesson's own compile
# (as the build reports it for a run from the top). Not a test: prints figures.
# Usage: scripts/bench-checkpoints.sh [LESSON…]   (default: 09 11 05)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
nb=$root/.build/debug/notebook
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill -INT "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
lessons=("$@")
[ ${#lessons[@]} -gt 0 ] || lessons=(09 11 05)
cp -r notebooks "$work/"
[ -d .notebook-cache ] && cp -r .notebook-cache "$work/"
cd "$work"
"$nb" build --quiet --timeout 300 > /dev/null 2>&1 || true  # the limit the timed builds use (it is in the keys)

python3 - "$nb" "$root" "${lessons[@]}" <<'PY'
import glob, json, re, http.client, statistics, subprocess, sys, time

nb, root, lessons = sys.argv[1], sys.argv[2], sys.argv[3:]
paths = [glob.glob(f"notebooks/{n}-*.md")[0] for n in lessons]

def cells(lines):
    out, inside = [], None
    for i, line in enumerate(lines):
        if inside is None and re.match(r"^```swift\b", line):
            inside = (i, "cache" in line.split()[1:])
        elif inside is not None and line.startswith("```"):
            out.append((inside[0], i, inside[1])); inside = None
    return out

def edit(path, which):
    """A new edit of one kind each time: a comment with a fresh stamp in the cell, or prose."""
    lines = open(path, encoding="utf-8").read().split("\n")
    cs = cells(lines)
    stamp = str(time.time_ns())
    if which == "prose":
        top = lines.index("---", 1) + 1 if lines[0] == "---" else 0  # after the front matter
        lines.insert(top, "\nA prose line " + stamp + ".\n")
    else:
        marked = [k for k, c in enumerate(cs) if c[2]]
        k = {"last": len(cs) - 1, "middle": marked[0] + 1, "first": 0}[which]
        lines.insert(cs[k][1], "// edit " + stamp)
    open(path, "w", encoding="utf-8").write("\n".join(lines))

def timed(command):
    t0 = time.monotonic()
    p = subprocess.run(command, capture_output=True, text=True)
    return time.monotonic() - t0, p.stdout + p.stderr

def median(xs): return statistics.median(xs)

floor_src = "/tmp/bench-floor.swift"
open(floor_src, "w").write("import NotebookKernel\nprint(softmax([1.0, 2.0]))\n")
k = root + "/.build/debug"
floor = median([timed(["swiftc", "-module-name", "notebooks", "-Onone", "-gline-tables-only", "-I", k + "/Modules",
                       "-L", k, "-lNotebookKernel", "-Xlinker", "-rpath", "-Xlinker", k, floor_src,
                       "-o", "/tmp/bench-floor"])[0] for _ in range(5)])
print(f"reference: swiftc compiles and links a one-line kernel program in {floor:.3f} s (median of 5)")

kinds = ["last", "middle", "first", "prose"]
results = {}
for path in paths:
    compiles = []
    for which in kinds:
        ts = []
        for _ in range(5):
            edit(path, which)
            t, log = timed([nb, "build", "--jobs", "1", "--timeout", "300"])
            ts.append(t)
            m = re.search(re.escape(path) + r" (compiled ([0-9.]+) s, ran ([0-9.]+) s(.*)|cached)", log)
            how = m.group(1) if m else "?"
            if which == "first" and m and m.group(2): compiles.append(float(m.group(2)))
        results[(path, which, "build")] = (median(ts), how)
    results[(path, "compile")] = median(compiles)

# serve: from saving the edit to the reload event
server = subprocess.Popen([nb, "serve", "--port", "0", "--jobs", "1", "--timeout", "300"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
port = None
while port is None:
    line = server.stdout.readline()
    m = re.search(r"127\.0\.0\.1:(\d+)", line)
    if m: port = int(m.group(1))
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
conn.request("GET", "/__notebook/events")
stream = conn.getresponse()
def next_version():
    while True:
        line = stream.readline().decode()
        if line.startswith("data: "):
            return json.loads(line[6:])["version"]
version = next_version()
for path in paths:
    for which in kinds:
        ts = []
        for _ in range(5):
            start = time.monotonic()
            edit(path, which)
            while (v := next_version()) <= version:
                pass
            version = v
            ts.append(time.monotonic() - start)
        results[(path, which, "serve")] = (median(ts), "")
server.terminate(); server.wait()

print("median of 5, seconds (× the one-line swiftc / × the lesson's own compile):")
for path in paths:
    c = results[(path, "compile")]
    print(f"  {path}: its program compiles in {c:.2f} s (a run from the top)")
    for which in kinds:
        b, how = results[(path, which, "build")]
        s, _ = results[(path, which, "serve")]
        print(f"    {which:6s} edit  build {b:5.2f} s ({b / floor:4.1f}× / {b / c:4.1f}×)  "
              f"serve {s:5.2f} s ({s / floor:4.1f}× / {s / c:4.1f}×)   [{how.strip()}]")
PY
