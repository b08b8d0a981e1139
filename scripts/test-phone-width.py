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
// A matrix of more than 10 columns is a colour image on a phone, not a table to scroll through.
for (const t of document.querySelectorAll('article table.heatmap')) {
  const s = t.closest('.scroll'), cols = t.rows[0].cells.length - 1;
  if (t.getBoundingClientRect().width > 0 && cols > 10 && s && s.scrollWidth > s.clientWidth + 1)
    out.push(['table.heatmap', cols + ' columns scroll sideways (' + s.scrollWidth + ' px in ' + s.clientWidth + ' px) instead of a colour image']);
}
// A panel's text is a full figure's size at the width it is shown (12 px, not 17).
for (const svg of document.querySelectorAll('article .subplot-panels svg[viewBox]')) {
  const r = svg.getBoundingClientRect(), t = svg.querySelector('text:not(.plot-title)');
  if (r.width === 0 || !t) continue;
  const px = parseFloat(getComputedStyle(t).fontSize) * r.width / svg.viewBox.baseVal.width;
  if (px > 13.5) out.push(['subplot panel', 'text ' + px.toFixed(1) + ' px, larger than the 12 px of a full figure']);
}
// Wrapped code and printed lines hang under their own indentation: a wrapped line's rest starts
// two characters right of where its text starts (measured from the laid-out glyphs).
let wrapped = 0;
for (const l of document.querySelectorAll('article pre .line')) {
  if (l.getBoundingClientRect().width === 0 || l.closest('details:not([open])')) continue;
  const all = document.createRange(); all.selectNodeContents(l);
  const rects = Array.from(all.getClientRects()).filter(r => r.width > 0);
  if (rects.length < 2) continue;
  const top = rects[0].top, rest = rects.filter(r => r.top > top + 2);
  if (!rest.length) continue;
  const text = l.textContent, i = text.length - text.trimStart().length;
  // The x of the first non-blank character, and the width of a "0" (CSS's ch) in the line's font.
  const walker = document.createTreeWalker(l, NodeFilter.SHOW_TEXT);
  let at = 0, node, start = null;
  while ((node = walker.nextNode())) {
    if (start === null && at + node.length > i) { const r = document.createRange(); r.setStart(node, i - at); r.setEnd(node, i - at + 1); start = r.getBoundingClientRect().left; }
    at += node.length;
  }
  const probe = document.createElement('span');
  probe.style.whiteSpace = 'pre'; probe.textContent = '0000000000';
  l.closest('pre').appendChild(probe);
  const ch = probe.getBoundingClientRect().width / 10;
  probe.remove();
  if (start === null || !ch) continue;
  wrapped++;
  const restLeft = Math.min(...rest.map(r => r.left));
  if (Math.abs(restLeft - (start + 2 * ch)) > 1.5)
    out.push(['pre .line', 'a wrapped line indented ' + i + ' continues at ' + Math.round(restLeft - start) + ' px from its text, not ' + Math.round(2 * ch) + ' px: "' + text.trim().slice(0, 40) + '"']);
}
out.push(['wrapped', wrapped]);
if (document.documentElement.scrollWidth > W + 1) out.push(['page', 'scrolls sideways: ' + document.documentElement.scrollWidth + ' px']);
return out;
"""

driver = chromium("phone-width check", ["--hide-scrollbars", f"--window-size={WIDTH},900", "--force-device-scale-factor=1"])
pages = sorted(os.path.basename(p) for p in glob.glob(os.path.join(root, "[0-9]*.html"))) + ["api.html"]
failures = 0
wrapped = 0
try:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": 900, "deviceScaleFactor": 1, "mobile": True})
    for page in pages:
        driver.get("file://" + os.path.abspath(os.path.join(root, page)))
        found = driver.execute_script(MEASURE)
        wrapped += sum(n for what, n in found if what == "wrapped")
        found = [f for f in found if f[0] != "wrapped"]
        failures += len(found)
        for what, why in found[:5]:
            print(f"phone width: {page}: {what}: {why}")
        if len(found) > 5:
            print(f"phone width: {page}: … and {len(found) - 5} more")
    print(f"phone width ({WIDTH} px): {len(pages) - 1} lessons and the API reference, {failures} elements too wide without a cued scroll or wrapped off their indentation ({wrapped} wrapped lines measured)")
finally:
    driver.quit()
sys.exit(1 if failures else 0)
