# The two commands a new user needs: `make site` and `make test`.
SWIFT ?= swift
BIN := .build/debug
NOTEBOOK := $(BIN)/notebook
CHECK_SITE := .build/site-check

.PHONY: site test lint format deps build bench fuzz asan clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build
	$(SWIFT) build --product NotebookKernel

site: build
	$(NOTEBOOK) build
	@echo "site built: open $(CURDIR)/site/index.html"
	@command -v xdg-open >/dev/null 2>&1 && xdg-open site/index.html >/dev/null 2>&1 || true

test: build lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(BIN)/NotebookFuzz 3000 7 Tests/Fuzz/corpus
	$(NOTEBOOK) check
	rm -rf $(CHECK_SITE)
	$(NOTEBOOK) build --quiet --output $(CHECK_SITE)
	@diff -r site $(CHECK_SITE) > /dev/null || { echo "site/ is stale: run 'make site' and commit site/"; diff -r site $(CHECK_SITE) | head -20; exit 1; }
	@echo "site/ is up to date"
	scripts/validate-html.sh site
	scripts/test-search.sh
	scripts/test-live-reload.sh
	scripts/test-accessibility.py
	scripts/test-phone-width.py
	scripts/test-attention-view.py
	scripts/test-checkpoints.sh

# The house style (.swift-format: 120 columns, no semicolons, a one-sentence summary opening every
# doc comment), checked by the formatter that ships with the toolchain; `make format` applies it.
lint:
	$(SWIFT) format lint --strict --recursive --parallel Sources Tests Package.swift

format:
	$(SWIFT) format format --in-place --recursive --parallel Sources Tests Package.swift

bench: build
	$(SWIFT) build -c release --product core-bench
	scripts/bench-core.sh
	scripts/bench-train.sh
	scripts/bench-build.sh

fuzz: build
	$(BIN)/NotebookFuzz 100000 1 Tests/Fuzz/corpus

# The cmark wrapper, the parser and the runner under AddressSanitizer (LeakSanitizer on). The
# notebook programs the runner tests start are the normal ones from .build/debug.
asan: build
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/Sanitizers/lsan.supp $(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan --filter 'NotebookMarkdownTests|NotebookRunnerTests'

clean:
	rm -rf .build .notebook-cache
