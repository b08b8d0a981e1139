import Foundation
import NotebookModel
import Testing

@testable import NotebookSite

/// The site ships its math font: a page with a formula links the stylesheet that carries it.
@Test func pagesWithMathLinkTheShippedFont() throws {
    let withMath = page(outputs: [], prose: "<p><math display=\"inline\"><mi>x</mi></math></p>")
    let without = page(outputs: [])
    #expect(withMath.contains("<link rel=\"stylesheet\" href=\"math-font.css\">"))
    #expect(!without.contains("math-font.css"))
}

@Test func theMathFontIsTheCommittedWOFF2WithItsLicence() throws {
    let files = SiteRenderer.render([])
    let css = try #require(files["math-font.css"])
    let match = try #require(css.firstMatch(of: #/base64,([A-Za-z0-9+/=]+)\)/#))
    let bytes = try #require(Data(base64Encoded: String(match.1)))
    let committed = try Data(
        contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/NotebookSite/Resources/latinmodern-math.woff2"))
    #expect(bytes == committed)
    #expect(bytes.prefix(4) == Data("wOF2".utf8))  // the WOFF2 signature
    #expect(bytes.count > 100_000)  // a whole math font, not a placeholder
    #expect(files["GUST-FONT-LICENSE.txt"]?.contains("GUST Font License") == true)
    #expect(css.contains("font-family: \"Notebook Math\""))
}
