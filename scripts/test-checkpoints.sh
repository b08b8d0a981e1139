#!/usr/bin/env bash
# Checkpoints are exact: on a scratch copy of the course, edit a cell after a checkpoint in every
# lesson that has one, build (each such lesson must resume from a checkpoint, not run from the
# top), and compare the pages and the recordings byte for byte with those of a run from the top
# (an empty cache). Twice: an edit just after each lesson's first checkpoint (the checkpoints
# after it are then written by a resumed run), and an edit of each lesson's last cell (which
# resumes from the latest checkpoint).
set -euo pipefail
cd "$(dirname "$0")/.."
nb=$PWD/.build/debug/notebook
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r notebooks "$work/"
[ -f notebook.toml ] && cp notebook.toml "$work/"
# The project's cache (runs, checkpoints) spares the first build; without it the course runs once.
[ -d .notebook-cache ] && cp -r .notebook-cache "$work/"
cd "$work"
"$nb" build --quiet --output site > /dev/null

# Appends a comment line to cell N (0-based, counting fenced swift blocks) of a lesson, and prints
# the lesson's path; N = first-after-first-checkpoint or last.
edit() {
  python3 - "$1" "$2" <<'EOF'
import re, sys
path, which = sys.argv[1], sys.argv[2]
lines = open(path, encoding="utf-8").read().split("\n")
cells, inside = [], None  # (first line, closing line, cache?)
for i, line in enumerate(lines):
    if inside is None and re.match(r"^```swift\b", line):
        inside = (i, "cache" in line.split()[1:])
    elif inside is not None and line.startswith("```"):
        cells.append((inside[0], i, inside[1]))
        inside = None
marked = [k for k, c in enumerate(cells) if c[2] and k + 1 < len(cells)]
if not marked:
    sys.exit(0)
k = marked[0] + 1 if which == "first" else len(cells) - 1
lines.insert(cells[k][1], "// edited after the checkpoint (" + which + ")")
open(path, "w", encoding="utf-8").write("\n".join(lines))
print(path)
EOF
}

fail=0
for round in first last; do
  edited=$(for f in notebooks/[0-9]*.md; do edit "$f" "$round"; done)
  [ -n "$edited" ] || { echo "checkpoints: no lesson marks a cell cache"; exit 1; }
  "$nb" build --jobs 1 --output site-resumed > build.out 2>&1 || { cat build.out; exit 1; }
  for f in $edited; do
    grep -q "$f compiled .* from the checkpoint after cell [0-9]*" build.out || {
      echo "checkpoints ($round edit): $f ran from the top instead of resuming:"; grep "$f" build.out; fail=1; }
  done
  "$nb" check --update --quiet > /dev/null 2>&1
  cp -r notebooks recorded-resumed
  # From the top: the same notebooks with an empty cache (no checkpoint to resume from).
  mv .notebook-cache cache-resumed
  "$nb" check --update --quiet > /dev/null 2>&1
  "$nb" build --quiet --output site-top > /dev/null
  rm -rf .notebook-cache
  mv cache-resumed .notebook-cache
  diff -r site-resumed site-top > /dev/null || {
    echo "checkpoints ($round edit): pages differ from a run from the top:"; diff -r site-resumed site-top | head -20; fail=1; }
  diff -r recorded-resumed notebooks > /dev/null || {
    echo "checkpoints ($round edit): recordings differ from a run from the top:"; diff -r recorded-resumed notebooks | head -20; fail=1; }
  rm -rf site-resumed site-top recorded-resumed
  echo "checkpoints ($round edit): $(echo "$edited" | wc -l) lessons resumed; pages and recordings equal a run from the top"
done
exit $fail
