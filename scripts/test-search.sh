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
# The results of a query, as the page shows them (its own profile each time, so that no Chromium
# left from an earlier query holds the profile).
results() {
  timeout 60 "$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$(mktemp -d -p "$profiles")" \
    --virtual-time-budget=3000 --dump-dom "file://$PWD/site/search.html?q=$1" 2>/dev/null | awk '/id="results"/ { found = 1 } found'
}
check() {
  local query=$1 expected=$2
  local top
  top=$(results "$query" | grep -oE '<li><a href="[^"#]*' | head -3 | sed 's/.*href="//')
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
check masks 07-masks.html
check queries 05-attention.html
# A plain word: every lesson's section comes before the first API entry; the count says how many
# of how many are shown; no snippet quotes TeX or a cell's code.
mask=$(results mask)
pages=$(grep -oE '<li><a href="[^"#]*' <<<"$mask" | sed 's/.*href="//')
first07=$(grep -nx 07-masks.html <<<"$pages" | head -1 | cut -d: -f1)
firstAPI=$(grep -nx api.html <<<"$pages" | head -1 | cut -d: -f1)
lastLesson=$(grep -vnx api.html <<<"$pages" | tail -1 | cut -d: -f1)
if [ "${first07:-99}" = 1 ] && { [ -z "$firstAPI" ] || [ "$firstAPI" -gt "$lastLesson" ]; }; then
  echo "search 'mask': lesson 07 first, API entries (from ${firstAPI:-none}) after all lessons (to $lastLesson)"
else echo "search 'mask': lesson 07 at ${first07:-none}, first API entry at ${firstAPI:-none}, last lesson at $lastLesson"; fail=1; fi
if grep -qE '<p>[0-9]+ of [0-9]+ sections match' <<<"$mask"; then echo "search 'mask': $(grep -oE '[0-9]+ of [0-9]+ sections match' <<<"$mask")"
else echo "search 'mask': the count does not say how many of how many are shown"; fail=1; fi
wq=$(results W_Q)
if grep -oE '<li>.*' <<<"$wq" | grep -qE '\$|let [a-z]+ = '; then echo "search 'W_Q': a snippet quotes TeX or code"; fail=1
else echo "search 'W_Q': no snippet quotes TeX or code"; fi
exit $fail
