import NotebookModel
import Testing

@testable import NotebookMarkdown

/// A notebook with one captioned cell named `w` and a section, and `prose` as its last paragraph.
func referring(_ prose: String) throws -> Notebook {
    try NotebookParser.parse(
        text: "## The data\n\n```swift id=w caption=\"Weights\"\nlet x = 1\n```\n\n\(prose)\n", path: "notebooks/r.md")
}

@Test func referencesToAFigureAndASectionBecomeLinks() throws {
    let n = try referring("See @fig:w and @sec:the-data, not `@fig:nope` in code.")
    let html = n.blocks.compactMap { if case .prose(let h, _) = $0 { h } else { nil } }.joined()
    #expect(html.contains("See <a class=\"xref\" href=\"#fig-w\">@fig:w</a> and "))
    #expect(html.contains("<a class=\"xref\" href=\"#the-data\">§ The data</a>, not <code>@fig:nope</code> in code."))
}

@Test func aBrokenReferenceIsALocatedError() {
    #expect {
        try referring("Both @fig:w and @fig:nope.")
    } throws: { error in
        let e = error as! NotebookError
        // Line 7 of the file, column 17: "Both @fig:w and " is 16 bytes.
        return e.exitStatus == 2 && e.diagnostics.count == 1
            && e.diagnostics[0].formatted.hasPrefix(
                "notebooks/r.md:7:17: error: '@fig:nope': no figure is named 'nope': give its cell id=nope and a caption=\"…\""
            )
    }
}

@Test func aReferenceToAnUnknownSectionIsAnError() {
    #expect {
        try referring("Up: @sec:results")
    } throws: { error in
        (error as! NotebookError).diagnostics[0].formatted.hasPrefix(
            "notebooks/r.md:7:5: error: '@sec:results': no section has the anchor 'results'")
    }
}
