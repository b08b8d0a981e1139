#!/usr/bin/env python3
"""Fails when a figure, code block, table, display formula, heading or paragraph of a lesson or of
the API reference is wider than a 390 px phone viewport without being a deliberate, cued scroll.

Every lesson page is opened in headless Chromium at 390 px. An element is measured by the box the
browser laid out: it fails when its right edge passes the viewport's, or when its content is wider
than its box and the box is not a cued scroll (overflow-x auto or scroll, and a background
gradient, the stylesheet's scroll shadow, that shows there is more to the side). The page itself
must not scroll sideways. Skips, saying so, where Chromium, chromedriver or selenium is missing.

    scripts/test-phone-width.py [SITE]    (default: site/)
"""
import glob, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from headless import chromium  # noqa: E402

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "site")
WIDTH = 390
MEASURE = """
const W = document.documentElement.clientWidth, out = [];
function cued(e) {
  const s = getComputedStyle(e);
  return (s.overflowX === 'auto' || s.overflowX === 'scroll') && s.backgroundImage.includes('gradient');
}
const items = document.querySelectorAll(
  'article figure, article pre, article table, article .math-block, article svg, article .heatmap, article h3, article h4, article h5, article p');
for (const e of items) {
  if (e.closest('details:not([open])') && !e.closest('details > summary')) continue;  // folded away
  const r = e.getBoundingClientRect();
  if (r.width === 0) continue;  // not shown at this width (the other drawing of a plot)
  // Inside a cued scroll, an element may be as wide as it likes.
  let a = e.parentElement, inside = false;
  for (; a && a !== document.body; a = a.parentElement) if (cued(a)) { inside = true; break; }
  if (inside) continue;
  const what = e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '');
  if (r.right > W + 1) out.push([what, 'right edge at ' + Math.round(r.right) + ' px']);
  else if (e.scrollWidth > e.clientWidth + 1 && !cued(e))
    out.push([what, 'content ' + e.scrollWidth + ' px in ' + e.clientWidth + ' px, an uncued scroll']);
}
if (document.documentElement.scrollWidth > W + 1) out.push(['page', 'scrolls sideways: ' + document.documentElement.scrollWidth + ' px']);
return out;
"""

driver = chromium("phone-width check", ["--hide-scrollbars", f"--window-size={WIDTH},900", "--force-device-scale-factor=1"])
pages = sorted(os.path.basename(p) for p in glob.glob(os.path.join(root, "[0-9]*.html"))) + ["api.html"]
failures = 0
try:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": 900, "deviceScaleFactor": 1, "mobile": True})
    for page in pages:
        driver.get("file://" + os.path.abspath(os.path.join(root, page)))
        found = driver.execute_script(MEASURE)
        failures += len(found)
        for what, why in found[:5]:
            print(f"phone width: {page}: {what}: {why}")
        if len(found) > 5:
            print(f"phone width: {page}: … and {len(found) - 5} more")
    print(f"phone width ({WIDTH} px): {len(pages) - 1} lessons and the API reference, {failures} elements too wide without a cued scroll")
finally:
    driver.quit()
sys.exit(1 if failures else 0)
