#!/usr/bin/env bash
# Runs `notebook serve` with pages open in headless Chromium and checks, in the browser, that a
# saved edit reloads the page (its title changes), and that a cell error shows in the banner.
# Skips (saying so) where Chromium is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "live-reload test skipped: no Chromium (apt-get install chromium)"; exit 0; }
nb=$PWD/.build/debug/notebook
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$work" 2>/dev/null || true; }
trap cleanup EXIT
cd "$work"
mkdir notebooks
lesson() { printf -- '---\ntitle: %s\n---\n\n```swift\n%s\n```\n' "$1" "$2"; }
lesson Alpha 'print("alpha")' > notebooks/a.md
lesson Beta 'let x: Int = "no"' > notebooks/b.md
"$nb" serve --port 0 --jobs 1 > serve.out 2> serve.err &
pids+=($!)
for _ in $(seq 300); do grep -q "http://" serve.out 2>/dev/null && break; sleep 0.1; done
port=$(grep -o '127.0.0.1:[0-9]*' serve.out | cut -d: -f2)
[ -n "$port" ] || { echo "live-reload: serve did not start"; cat serve.err; exit 1; }
# The first build: its pages exist once serve says it built site/ (a slow machine compiles the
# kernel for the first time here).
for _ in $(seq 1200); do grep -q "built site/" serve.out serve.err 2>/dev/null && break; sleep 0.1; done
fail=0

# The banner: b's cell does not compile; its page shows the page's error and the banner.
banner=0
for budget in 6000 20000; do     # milliseconds the page gets before its DOM is read; longer on a slow start
  # Its own profile each time: a Chromium left from an earlier check holding the default profile
  # would take the request and this one would print nothing.
  dom=$(timeout 90 "$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$(mktemp -d -p "$work")" \
        --timeout=$budget --dump-dom \
        "http://127.0.0.1:$port/b.html" 2>/dev/null || true)
  if grep -q 'id="notebook-serve-problem"' <<<"$dom" && grep -q "notebooks/b.md:6:14: error: cannot convert" <<<"$dom"; then
    banner=1; break
  fi
done
if [ $banner = 1 ]; then echo "live-reload: the cell error shows in the banner"
else echo "live-reload: no banner with the cell error in b.html; serve printed:"; cat serve.out serve.err
  echo "the page's DOM began:"; head -c 2000 <<<"$dom"; echo; fail=1; fi

# The reload: a.html open in a browser; a.md's title is edited and saved.
"$browser" --headless --no-sandbox --disable-gpu --remote-debugging-port=0 --user-data-dir="$work/profile" \
  "http://127.0.0.1:$port/a.html" > chrome.log 2>&1 &
pids+=($!)
title() {
  local devtools
  devtools=$(head -1 "$work/profile/DevToolsActivePort" 2>/dev/null) || return 0
  python3 - "$devtools" "$port" <<'PY'
import json, sys, urllib.request
tabs = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/json", timeout=5))
print("".join(t["title"] for t in tabs if t.get("url", "").endswith(f":{sys.argv[2]}/a.html")))
PY
}
wait_title() {
  for _ in $(seq 200); do [ "$(title 2>/dev/null)" = "$1" ] && return 0; sleep 0.1; done
  return 1
}
if wait_title "Alpha · Lessons"; then
  lesson Gamma 'print("gamma")' > notebooks/a.md
  if wait_title "Gamma · Lessons"; then echo "live-reload: the open page reloaded after the edit"
  else echo "live-reload: the open page did not reload (title: $(title))"; fail=1; fi
else echo "live-reload: the page did not open in the browser"; fail=1; fi
exit $fail
