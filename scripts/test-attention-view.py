#!/usr/bin/env python3
"""The interactive attention view (attention.js) in headless Chromium, with the keyboard.

Lesson 09's trained maps (four tables with the same rows): focusing a row's token and moving with
the arrow keys highlights that row in all four and nowhere else, and the line under the cell
names, for each map, the key with the largest weight in that row, as computed here from the
table's own numbers; Escape lets go. Lesson 09's two-head arcs: → shows the next token's arcs
and only those, and names each head's largest weight. Lesson 05: pointing at a row of
show(attention)'s scores highlights it in the scores, weights and output. With script off, the
pages are the static figures: no tab stops added, one group of arcs shown. Skips, saying so,
where Chromium, chromedriver or selenium is missing.

    scripts/test-attention-view.py [SITE]    (default: site/)
"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from headless import chromium  # noqa: E402

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "site")
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("attention view: FAIL:", what)


def url(page):
    return "file://" + os.path.abspath(os.path.join(root, page))


STATE = """
const group = arguments[0];
return group.map(t => Array.from(t.tBodies[0].rows).findIndex(r => r.classList.contains('attention-row')));
"""
# The trained maps of lesson 09: the grid whose caption names the trained weights.
TABLES = """
const f = Array.from(document.querySelectorAll('figure.grid')).find(g => g.querySelector('figcaption').textContent.startsWith('trained attention weights'));
return Array.from(f.querySelectorAll('table.heatmap'));
"""


def expected_readout(driver, tables, row):
    """'TOKEN · NAME: most on KEY (VALUE) · …' from the tables' text, computed here."""
    parts = []
    for t in tables:
        cells = driver.execute_script(
            "const t = arguments[0], i = arguments[1];"
            "return [Array.from(t.tHead.rows[0].cells).map(c => c.textContent),"
            " Array.from(t.tBodies[0].rows[i].cells).map(c => c.textContent),"
            " t.closest('figure').querySelector('figcaption').firstChild.textContent.trim()];", t, row)
        keys, values, name = cells
        best = max(range(1, len(values)), key=lambda j: (float(values[j]), -j))
        parts.append(f"{name}: most on {keys[best]} ({values[best]})")
    token = driver.execute_script("return arguments[0].tBodies[0].rows[arguments[1]].cells[0].textContent", tables[0], row)
    return token + " · " + " · ".join(parts)


driver = chromium("attention-view check", ["--window-size=1280,900"])
try:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver.get(url("09-multi-head.html"))
    tables = driver.execute_script(TABLES)
    check(len(tables) == 4, f"lesson 09's trained grid has 4 maps, not {len(tables)}")
    first = driver.execute_script("return arguments[0].tBodies[0].rows[0].cells[0]", tables[0])
    check(first.get_attribute("tabindex") == "0", "the first row's token is a tab stop")
    driver.execute_script("arguments[0].focus()", first)
    ActionChains(driver).send_keys(Keys.ARROW_DOWN * 4 + Keys.ARROW_RIGHT * 2).perform()
    state = driver.execute_script(STATE, tables)
    check(state == [4, 4, 4, 4], f"row 4 highlighted in all four maps after ↓×4 →×2, not {state}")
    active = driver.execute_script("return document.activeElement === arguments[0].tBodies[0].rows[4].cells[0]", tables[2])
    check(active, "focus is on row 4 of the third map")
    readout = driver.execute_script("return arguments[0].closest('.outputs').querySelector('.attention-readout').textContent", tables[0])
    want = expected_readout(driver, tables, 4)
    check(readout == want, f"the readout says {readout!r}, not {want!r}")
    dimmed = driver.execute_script(
        "return getComputedStyle(arguments[0].tBodies[0].rows[0].cells[1]).opacity", tables[1])
    check(float(dimmed) < 0.5, f"other rows are dimmed (opacity {dimmed})")
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    state = driver.execute_script(STATE, tables)
    check(state == [-1, -1, -1, -1], f"Escape lets go of the row, not {state}")

    # Two heads as arcs: → moves to the next token, whose arcs alone are shown.
    figure = driver.execute_script("return document.querySelector('figure.plot.arcs[data-query]')")
    home = int(figure.get_attribute("data-query"))
    shown = lambda: driver.execute_script(
        "return Array.from(arguments[0].querySelectorAll('.arcs-of')).filter(g => getComputedStyle(g).display !== 'none').map(g => Number(g.dataset.query))", figure)
    check(shown() == [home], f"before any use, only query {home}'s arcs are shown, not {shown()}")
    token = driver.execute_script("return arguments[0].querySelector('.arc-token[data-index=\"' + arguments[1] + '\"]')", figure, home)
    check(token.get_attribute("tabindex") == "0" and token.get_attribute("role") == "button", "the query's token is a button in the tab order")
    driver.execute_script("arguments[0].focus()", token)
    ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
    check(shown() == [home + 1], f"→ shows query {home + 1}'s arcs alone, not {shown()}")
    notes = driver.execute_script(
        "return Array.from(arguments[0].querySelectorAll('.arcs-of[data-query=\"' + arguments[1] + '\"] .note')).map(n => n.textContent)", figure, home + 1)
    labels = driver.execute_script("return Array.from(arguments[0].querySelectorAll('.arc-token')).map(t => t.textContent)", figure)
    n = len(labels)
    parts = []
    for h in range(len(notes) // n):
        row = [float(v) for v in notes[h * n:(h + 1) * n]]
        best = max(range(n), key=lambda j: (row[j], -j))
        parts.append(f"head {h}: most on {labels[best]} ({notes[h * n + best]})")
    want = labels[home + 1] + " · " + " · ".join(parts)
    readout = driver.execute_script("return arguments[0].querySelector('.attention-readout').textContent", figure)
    check(readout == want, f"the arcs' readout says {readout!r}, not {want!r}")
    title = driver.execute_script("return arguments[0].querySelector('.plot-title').textContent", figure)
    check(title.endswith("where " + labels[home + 1] + " looks"), f"the title follows the token: {title!r}")

    # Lesson 05: pointing at a row of the scores highlights it in the scores, weights and output.
    driver.get(url("05-attention.html"))
    tables = driver.execute_script(
        "const t = Array.from(document.querySelectorAll('table.heatmap')).find(t => t.closest('figure').textContent.startsWith('untrained: scores'));"
        "return Array.from(t.closest('.outputs').querySelectorAll('table.heatmap'));")
    check(len(tables) == 3, f"show(attention) draws 3 maps, not {len(tables)}")
    row = driver.execute_script("return arguments[0].tBodies[0].rows[2]", tables[0])
    # Fonts first: a late font moves the rows under the pointer.
    driver.execute_script("return document.fonts.ready.then(() => arguments[0].scrollIntoView({block: 'center'}))", row)
    cell = driver.execute_script("return arguments[0].cells[3]", row)
    ActionChains(driver).move_to_element(cell).pause(0.1).perform()
    state = driver.execute_script(STATE, tables)
    check(state == [2, 2, 2], f"pointing at row 2 of the scores highlights it in all three, not {state}")
finally:
    driver.quit()

# Without script: the static figures, untouched.
driver = chromium("attention-view check", ["--window-size=1280,900", "--blink-settings=scriptEnabled=false"])
try:
    driver.get(url("09-multi-head.html"))
    stops = driver.execute_script("return document.querySelectorAll('table.heatmap th[tabindex], .arc-token[tabindex]').length")
    check(stops == 0, f"without script no tab stops are added ({stops})")
    shown = driver.execute_script(
        "const f = document.querySelector('figure.plot.arcs[data-query]');"
        "return Array.from(f.querySelectorAll('.arcs-of')).filter(g => getComputedStyle(g).display !== 'none').map(g => Number(g.dataset.query)).concat([Number(f.dataset.query)])")
    check(len(shown) == 2 and shown[0] == shown[1], f"without script the cell's query's arcs alone are shown ({shown})")
    check(driver.execute_script("return document.querySelectorAll('.attention-readout').length") == 0, "no readout without script")
finally:
    driver.quit()

# On a phone: the arcs drawn in columns, steered the same way (→ shows the next token's lines).
driver = chromium("attention-view check", ["--window-size=390,800", "--hide-scrollbars"])
try:
    from selenium.webdriver.common.keys import Keys
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 800, "deviceScaleFactor": 1, "mobile": True})
    driver.get(url("09-multi-head.html"))
    figure = driver.execute_script("return document.querySelector('figure.plot.narrow.arcs[data-query]')")
    check(figure is not None and driver.execute_script("return arguments[0].getBoundingClientRect().width", figure) > 0,
          "at 390 px the arcs are drawn in columns")
    if figure is not None:
        home = int(figure.get_attribute("data-query"))
        visible = lambda: driver.execute_script(
            "return Array.from(arguments[0].querySelectorAll('.arcs-of')).filter(g => getComputedStyle(g).display !== 'none').map(g => Number(g.dataset.query))", figure)
        check(visible() == [home], f"at 390 px only query {home}'s lines are shown, not {visible()}")
        token = driver.execute_script("return arguments[0].querySelector('.arc-token[data-index=\"' + arguments[1] + '\"]')", figure, home)
        token.send_keys(Keys.ARROW_RIGHT)
        check(visible() == [home + 1], f"at 390 px → shows query {home + 1}'s lines alone, not {visible()}")
finally:
    driver.quit()

print(f"attention view: {len(failures)} failures")
sys.exit(1 if failures else 0)
