import Foundation

/// The math font the site ships: Latin Modern Math (GUST Font License), subset and compressed to
/// WOFF2 by `scripts/make-math-font.py`, so formulas look typeset on every system, offline.
///
/// Pages with a formula link `math-font.css`, which carries the font inline as a `data:` URL:
/// the site stays a set of text files, and the browser caches one stylesheet for every page.
enum MathFont {
    /// The stylesheet's file name in the site.
    static let stylesheetName = "math-font.css"

    /// The licence's file name in the site, beside the stylesheet that embeds the font.
    static let licenceName = "GUST-FONT-LICENSE.txt"

    /// The font's bytes, read once from the target's resources.
    static let woff2: [UInt8] = resource("latinmodern-math", "woff2").map { [UInt8]($0) } ?? []

    /// The font's licence text.
    static let licence: String = resource("GUST-FONT-LICENSE", "txt").map { String(decoding: $0, as: UTF8.self) } ?? ""

    /// `@font-face` for "Notebook Math" with the font inline.
    ///
    /// ```css
    /// @font-face { font-family: "Notebook Math"; src: url(data:font/woff2;base64,…) format("woff2"); }
    /// ```
    static var stylesheet: String {
        """
        /* Latin Modern Math, GUST Font License (see \(licenceName)); made by scripts/make-math-font.py. */
        @font-face { font-family: "Notebook Math"; font-style: normal; font-weight: 400; font-display: swap; \
        src: url(data:font/woff2;base64,\(Data(woff2).base64EncodedString())) format("woff2"); }

        """
    }

    private static func resource(_ name: String, _ ext: String) -> Data? {
        Bundle.module.url(forResource: name, withExtension: ext).flatMap { try? Data(contentsOf: $0) }
    }
}
