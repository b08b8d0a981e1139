#!/usr/bin/env bash
# A 4-shard build of the course against one machine, simulated on this machine: in each round,
#   full:   one cold build of the whole course (no cache at all, no server), --jobs 2;
#   shards: 4 shard builds one after the other, each in its own copy of the project with a cold
#           local cache, against one nginx cache server (scripts/cache-server.sh) that holds only
#           the recorded run times (as the last render left them) when the first shard starts;
#   render: a build in a fifth copy with a cold local cache, from the server (runs nothing).
# Shards run one after the other here, so each has the machine to itself as it would on its own
# runner; on 4 machines the sharded wall time is the slowest shard, then the render.
# ROUNDS (default 3) rounds; prints each time and the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
nb=$PWD/.build/debug/notebook
rounds=${ROUNDS:-3}
shards=${SHARDS:-4}
work=$(mktemp -d)
state=""
cleanup() {
  [ -n "$state" ] && scripts/cache-server.sh stop "$state" || true
  rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2 + 1] + v[NR / 2]) / 2 }'; }
clone() { rm -rf "$work/$1"; mkdir -p "$work/$1"; cp -r notebooks "$work/$1/"; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
state=$(scripts/cache-server.sh start "$port" "$work/server" $$)
url=http://127.0.0.1:$port

# The run times the shards balance by: a build with the server records them there; then the
# server is emptied of everything else.
clone seed
(cd "$work/seed" && "$nb" build --quiet --jobs 2 --cache-url "$url" 2>/dev/null)
times_ac=$(printf 'notebook-store-v1\0shard-times.json\0' | sha256sum | cut -d' ' -f1)
times_cas=$(sha256sum "$work/seed/.notebook-cache/shard-times.json" | cut -d' ' -f1)
mkdir -p "$work/seed-root/ac" "$work/seed-root/cas"
cp "$work/server/ac/$times_ac" "$work/seed-root/ac/"
cp "$work/server/cas/$times_cas" "$work/seed-root/cas/"

for r in $(seq "$rounds"); do
  clone full
  t0=$(now); (cd "$work/full" && "$nb" build --quiet --jobs 2 --no-cache 2>/dev/null); t1=$(now)
  echo "round $r: full cold build $(seconds "$t0" "$t1") s"
  seconds "$t0" "$t1" >> "$work/full.txt"; echo >> "$work/full.txt"
  rm -rf "$work/server/ac" "$work/server/cas"
  cp -r "$work/seed-root/ac" "$work/seed-root/cas" "$work/server/"
  slowest=0
  for k in $(seq "$shards"); do
    clone "shard$k"
    t0=$(now)
    (cd "$work/shard$k" && "$nb" build --jobs 2 --shard "$k/$shards" --cache-url "$url" 2>"$work/shard$k.err")
    t1=$(now)
    s=$(seconds "$t0" "$t1")
    echo "round $r: shard $k/$shards $s s ($(grep -o '[0-9]* of [0-9]* notebooks' "$work/shard$k.err" || echo '?'))"
    slowest=$(awk -v a="$slowest" -v b="$s" 'BEGIN { print (b > a) ? b : a }')
  done
  echo "$slowest" >> "$work/slowest.txt"
  clone render
  t0=$(now); (cd "$work/render" && "$nb" build --jobs 2 --cache-url "$url" 2>"$work/render.err"); t1=$(now)
  echo "round $r: render $(seconds "$t0" "$t1") s: $(tail -1 "$work/render.err")"
  seconds "$t0" "$t1" >> "$work/render.txt"; echo >> "$work/render.txt"
  diff -r "$work/full/site" "$work/render/site" > /dev/null && echo "round $r: rendered site = full build's site, byte for byte"
done
full=$(median < "$work/full.txt"); slowest=$(median < "$work/slowest.txt"); render=$(median < "$work/render.txt")
echo "median of $rounds: full cold build $full s; slowest of $shards shards $slowest s; render $render s;" \
  "sharded wall time (slowest shard + render) $(awk -v a="$slowest" -v b="$render" 'BEGIN { printf "%.2f", a + b }') s" \
  "= $(awk -v a="$slowest" -v b="$render" -v f="$full" 'BEGIN { printf "%.2f", (a + b) / f }') × the full build"
