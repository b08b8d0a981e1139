#!/usr/bin/env bash
# Runs the site's search in headless Chromium from file:// and checks that each query finds the
# lesson it should. Skips (saying so) where Chromium is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "search test skipped: no Chromium (apt-get install chromium)"; exit 0; }
fail=0
profiles=$(mktemp -d)
trap 'rm -rf "$profiles"' EXIT
check() {
  local query=$1 expected=$2
  local top
  # Its own profile each time, so that no Chromium left from an earlier query holds the profile.
  top=$(timeout 60 "$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$(mktemp -d -p "$profiles")" \
        --virtual-time-budget=3000 --dump-dom \
        "file://$PWD/site/search.html?q=$query" 2>/dev/null | awk '/id="results"/ { found = 1 } found' | grep -oE '<li><a href="[^"#]*' | head -3 | sed 's/.*href="//')
  # A here-string, not a pipe: under pipefail, grep -q exiting at its first match could fail printf
  # with SIGPIPE and so the check.
  if grep -qx "$expected" <<<"$top"; then echo "search '$query': $expected in the top 3"
  else echo "search '$query': expected $expected in the top 3, got: $top"; fail=1; fi
}
check 注意力 05-attention.html
check 美女 05-attention.html
check softmax 03-softmax-rows.html
check softmaxRows api.html
check 位置编码 08-position.html
check 交叉注意力 10-cross-attention.html
check 掩码 07-masks.html
check 多头 09-multi-head.html
check W_Q 06-why-wq-wk.html
check √d 04-scaling.html
check MultiHeadAttention api.html
exit $fail
