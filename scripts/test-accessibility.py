#!/usr/bin/env python3
"""Runs axe-core (bundled in the axe-core-python package) on every page of the site in headless
Chromium, light and dark, and fails on any violation. Skips, saying so, where Chromium,
chromedriver, selenium or axe-core is missing (`scripts/install-deps.sh --browser` installs them)."""
import glob, os, sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "site")
try:
    import axe_core_python
except ImportError:
    print("accessibility check skipped: no axe-core-python (pip install selenium axe-core-python)")
    sys.exit(0)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from headless import chromium  # noqa: E402

driver = chromium("accessibility check")
axe = open(os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js")).read()
pages = sorted(os.path.basename(p) for p in glob.glob(os.path.join(root, "*.html")))
failures = 0
try:
    for scheme in ["light", "dark"]:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        nodes = 0
        for page in pages:
            driver.get("file://" + os.path.abspath(os.path.join(root, page)))
            driver.execute_script(axe)
            result = driver.execute_async_script(
                "var done = arguments[arguments.length - 1];"
                "axe.run(document, {resultTypes: ['violations']}).then(done);")
            for v in result["violations"]:
                failures += 1
                nodes += len(v["nodes"])
                print(f"accessibility: {page} ({scheme}): {v['id']} ({v['impact']}), {len(v['nodes'])} elements, "
                      f"first {v['nodes'][0]['target']}: {v['help']}")
        print(f"accessibility ({scheme}): {len(pages)} pages, axe-core {driver.execute_script('return axe.version')}, {nodes} violating elements")
finally:
    driver.quit()
sys.exit(1 if failures else 0)
