#!/usr/bin/env python3
"""Makes the site's math font: Latin Modern Math (GUST Font License, Debian fonts-lmodern),
subset to the characters formulas use and compressed to WOFF2, so a built site needs no network.

    apt-get install fonts-lmodern && pip install fonttools brotli
    scripts/make-math-font.py

Writes Sources/NotebookSite/Resources/latinmodern-math.woff2 (commit it) and copies the licence
beside it. The MATH table (stretchy delimiters, big operators, script sizes) is kept whole.
"""
import pathlib
import shutil

from fontTools import subset

SOURCE = pathlib.Path("/usr/share/texmf/fonts/opentype/public/lm-math/latinmodern-math.otf")
LICENCE = pathlib.Path("/usr/share/texmf/doc/fonts/lm-math/GUST-FONT-LICENSE.txt")
OUT = pathlib.Path(__file__).resolve().parent.parent / "Sources/NotebookSite/Resources"

# Latin, Latin-1, Greek, punctuation, letterlike, arrows, operators, misc technical, delimiters,
# math alphanumerics (italic, bold, script, double-struck).
RANGES = [
    (0x20, 0x7E), (0xA0, 0xFF), (0x131, 0x131), (0x237, 0x237), (0x2C6, 0x2DC), (0x300, 0x36F),
    (0x391, 0x3F6), (0x2000, 0x206F), (0x20D0, 0x20F0), (0x2100, 0x214F), (0x2190, 0x21FF),
    (0x2200, 0x22FF), (0x2300, 0x23FF), (0x25A0, 0x25FF), (0x27C0, 0x27EF), (0x2980, 0x29FF),
    (0x2A00, 0x2AFF),
    # math alphanumerics: bold, italic, script, double-struck, italic Greek, bold digits
    (0x1D400, 0x1D467), (0x1D49C, 0x1D4CF), (0x1D538, 0x1D56B), (0x1D6E2, 0x1D71B), (0x1D7CE, 0x1D7E1),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables = []
    font = subset.load_font(str(SOURCE), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for lo, hi in RANGES for c in range(lo, hi + 1)])
    subsetter.subset(font)
    font.flavor = "woff2"
    target = OUT / "latinmodern-math.woff2"
    font.save(str(target), reorderTables=False)
    shutil.copyfile(LICENCE, OUT / "GUST-FONT-LICENSE.txt")
    print(f"{target}: {target.stat().st_size} bytes, MATH table kept: {'MATH' in font}")


if __name__ == "__main__":
    main()
