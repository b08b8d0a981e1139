import NotebookModel
import Testing

@testable import NotebookMarkdown

let sample = """
    ---
    title: 注意力 Attention
    description: one line
    order: 3
    ---
    # Title

    | a | b |
    |---|---|
    | 1 | 2 |

    <script>alert(1)</script>

    ```swift hide
    let x = 1
    ```

    ## Second 第二
    ```python
    not a cell
    ```

    ```swift expect-error="boom" tolerance=1e-6
    fatalError("boom")
    ```
    """

@Test func cellsOptionsLinesAndFrontMatter() throws {
    let n = try NotebookParser.parse(text: sample, path: "notebooks/x.md")
    #expect(n.frontMatter == FrontMatter(title: "注意力 Attention", description: "one line", order: 3))
    #expect(n.cells.count == 2)
    #expect(n.cells[0].line == 15 && n.cells[0].code == "let x = 1\n" && n.cells[0].options.hide)
    #expect(
        n.cells[1].line == 24 && n.cells[1].options.expectError == "boom"
            && n.cells[1].options.relativeTolerance == 1e-6)
    #expect(n.warnings.isEmpty)
}

@Test func proseIsGFMAndSafe() throws {
    let n = try NotebookParser.parse(text: sample, path: "notebooks/x.md")
    let (html, headings) = try prose(n.blocks[0])
    #expect(html.contains("<table>") && html.contains("<td>2</td>"))
    #expect(!html.contains("<script>"))
    #expect(headings.map(\.anchor) == ["title"])
    let (html2, headings2) = try prose(n.blocks[2])
    #expect(headings2.first?.anchor == "second-第二")
    #expect(html2.contains("not a cell"))
}

@Test func unknownOptionIsALocatedError() {
    #expect {
        try NotebookParser.parse(text: "a\n\n```swift hyde\nlet x = 1\n```\n", path: "notebooks/y.md")
    } throws: { error in
        let e = error as! NotebookError
        return e.exitStatus == 2
            && e.diagnostics[0].formatted.hasPrefix("notebooks/y.md:3:10: error: 'hyde' is not a cell option")
    }
}

@Test func invalidUTF8NamesTheByteOffset() {
    #expect {
        try NotebookParser.parse(bytes: Array("ok\n".utf8) + [0xFF, 0x41], path: "n.md")
    } throws: { error in
        (error as! NotebookError).diagnostics[0].formatted
            == "n.md:2: error: the file is not valid UTF-8 (byte offset 3)"
    }
}

@Test func brokenFrontMatterNamesItsLine() {
    #expect {
        try NotebookParser.parse(text: "---\ntitle: a\norder: [1\n---\nbody\n", path: "n.md")
    } throws: { error in
        let d = (error as! NotebookError).diagnostics[0]
        return d.line >= 3 && d.line <= 4 && d.message.hasPrefix("front matter:")
    }
}

@Test func unclosedFenceWarnsAtItsLine() throws {
    let n = try NotebookParser.parse(text: "text\n\n```swift\nlet a = 1\nlet b = 2\n", path: "n.md")
    #expect(n.cells.count == 1 && n.cells[0].code.contains("let b = 2"))
    #expect(n.warnings.first?.line == 3 && n.warnings.first?.severity == .warning)
}

/// Found by the fuzzer: cmark ends lines at a lone "\r" too, so line numbers must count them.
@Test func loneCarriageReturnsCountAsLineEnds() throws {
    let n = try NotebookParser.parse(text: "intro\r\r```swift\rlet x = 1\r", path: "n.md")
    #expect(n.cells.count == 1 && n.cells[0].line == 4 && n.cells[0].code == "let x = 1\n")
    #expect(n.warnings.first?.line == 3)
    #expect(NotebookParser.splitLines("a\r\nb\rc\nd") == ["a", "b", "c", "d"])
}

@Test func githubAlertsBecomeCallouts() throws {
    let n = try NotebookParser.parse(
        text: "> [!TIP]\n> Divide by √d.\n\n> [!BOGUS]\n> stays\n\n> plain quote\n", path: "n.md")
    let html = try prose(n.blocks[0]).html
    #expect(
        html.contains(
            "<aside class=\"callout tip\" aria-label=\"Tip\"><p class=\"callout-title\">Tip</p><p>Divide by √d.</p>\n</aside>"
        ))
    #expect(html.contains("<blockquote>\n<p>[!BOGUS]"))
    #expect(html.contains("<blockquote>\n<p>plain quote</p>"))
}

@Test func aByteOrderMarkDoesNotHideTheFrontMatter() throws {
    let n = try NotebookParser.parse(
        bytes: [0xEF, 0xBB, 0xBF] + Array("---\ntitle: Hi\nmemory: 512M\n---\n```swift\nx\n```\n".utf8),
        path: "notebooks/b.md")
    #expect(n.title == "Hi" && n.cells.count == 1 && n.frontMatter.memory == ByteCount(bytes: 512 << 20))
}

@Test func blocksThatLookLikeCellsButAreNotOneAreWarnedAtTheirLine() throws {
    let n = try NotebookParser.parse(
        text: "a\n\n```Swift\nx\n```\n\n```swift,hide\ny\n```\n\n```swift{.c}\nz\n```\n\n```swiftui\nw\n```\n",
        path: "notebooks/w.md")
    #expect(n.cells.isEmpty)
    #expect(n.warnings.map(\.line) == [3, 7, 11])
    #expect(
        n.warnings.first?.formatted.hasPrefix(
            "notebooks/w.md:3:1: warning: this block is shown but not run: its info string 'Swift' is not a cell's")
            == true)
}

@Test(arguments: [
    ("4G", 4 << 30), ("512M", 512 << 20), ("64K", 64 << 10), ("1.5G", 3 << 29), ("2Gi", 2 << 30), ("1048576", 1 << 20),
])
func sizesParseAsPeopleWriteThem(_ text: String, _ bytes: Int) {
    #expect(ByteCount(text)?.bytes == bytes)
}

@Test func badSizesAreRefused() throws {
    for text in ["", "0", "-1G", "4X", "G", "12MB", "1e30G"] { #expect(ByteCount(text) == nil, "\(text)") }
    #expect(throws: NotebookError.self) {
        try NotebookParser.parse(text: "---\nmemory: lots\n---\nx\n", path: "notebooks/m.md")
    }
}

@Test func aFrontMatterValueOfTheWrongTypeIsLocatedAtItsKey() {
    do {
        _ = try NotebookParser.parse(text: "---\ntitle: T\norder: first\n---\nx\n", path: "notebooks/f.md")
        Issue.record("no error")
    } catch let e as NotebookError {
        #expect(
            e.diagnostics.first?.formatted.hasPrefix("notebooks/f.md:3:1: error: front matter: 'order':") == true,
            "\(e.diagnostics)")
    } catch { Issue.record("\(error)") }
}

@Test func aCellsOwnSourceLocationIsALocatedError() {
    do {
        _ = try NotebookParser.parse(
            text: "a\n\n```swift\nlet x = 1\n  #sourceLocation(file: \"x.swift\", line: 1)\n```\n",
            path: "notebooks/s.md")
        Issue.record("no error")
    } catch let e as NotebookError {
        #expect(e.exitStatus == 2)
        #expect(
            e.diagnostics.first?.formatted.hasPrefix("notebooks/s.md:5:3: error: a cell cannot use '#sourceLocation'")
                == true, "\(e.diagnostics)")
    } catch { Issue.record("\(error)") }
}

@Test func cellIdsAreReadAndAUsedOneIsALocatedError() throws {
    let n = try NotebookParser.parse(
        text: "```swift id=weights hide\nx\n```\n\n```swift id=scores_2\ny\n```\n", path: "notebooks/i.md")
    #expect(n.cells.map(\.options.id) == ["weights", "scores_2"] && n.cells[0].options.hide)
    do {
        _ = try NotebookParser.parse(
            text: "```swift id=w\nx\n```\n\n```swift skip id=w\ny\n```\n", path: "notebooks/i.md")
        Issue.record("no error")
    } catch let e as NotebookError {
        #expect(
            e.diagnostics.first?.formatted.hasPrefix(
                "notebooks/i.md:5:15: error: cell id 'w' is already used by the cell at line 1") == true,
            "\(e.diagnostics)")
    }
    #expect(throws: NotebookError.self) {
        try NotebookParser.parse(text: "```swift id=a.b\nx\n```\n", path: "notebooks/i.md")
    }
}

@Test func anUnknownFrontMatterKeyIsAWarningAtItsLineAndHeadingsLinkToThemselves() throws {
    let n = try NotebookParser.parse(text: "---\ntitle: T\nsubtitel: S\n---\n## Part one\n", path: "notebooks/f.md")
    #expect(
        n.warnings.map(\.formatted).first?.hasPrefix(
            "notebooks/f.md:3:1: warning: front matter: 'subtitel' is not a front-matter key") == true, "\(n.warnings)")
    let (html, headings) = try prose(n.blocks.first)
    #expect(
        html.contains(
            "<h2 id=\"part-one\">Part one<a class=\"heading-link\" href=\"#part-one\" aria-label=\"link to this section\"></a></h2>"
        ), "\(html)")
    #expect(headings.first?.text == "Part one")
}

@Test func formulasInTheTitleAreMathMLOnThePageAndTextInTheTitleBar() throws {
    let n = try NotebookParser.parse(
        text: "---\ntitle: Why $W_Q$ & $W_K$\n---\n\"Quoted\" -- text\n", path: "notebooks/t.md")
    #expect(n.title == "Why W_Q & W_K")
    #expect(
        n.displayTitle.hasPrefix(
            "Why <math display=\"inline\" alttext=\"W_Q\"><mrow><msub><mi>W</mi><mi>Q</mi></msub></mrow></math> &amp; ")
    )
    let html = try prose(n.blocks.first).html
    #expect(html == "<p>“Quoted” – text</p>\n")  // cmark's smart punctuation
    do {
        _ = try NotebookParser.parse(text: "---\norder: 1\ntitle: Bad $\\nope$\n---\nx\n", path: "notebooks/t.md")
        Issue.record("no error")
    } catch let e as NotebookError {
        #expect(
            e.diagnostics.first?.formatted.hasPrefix("notebooks/t.md:3:13: error: unsupported TeX command '\\nope'")
                == true, "\(e.diagnostics)")
    }
}

@Test func tableHeadersAreScopedAsColumnHeaders() throws {
    let n = try NotebookParser.parse(text: "| a | b |\n|:--|---|\n| 1 | 2 |\n", path: "notebooks/t.md")
    let html = try prose(n.blocks.first).html
    #expect(
        html.contains("<th scope=\"col\" align=\"left\">a</th>") && html.contains("<th scope=\"col\">b</th>"), "\(html)"
    )
}

@Test func sectionsAreReadFromCmarksTreeForSearch() throws {
    let text = """
        ---
        description: One line.
        ---
        Intro with *emphasis*
        over two lines.

        ## Why $W_Q$

        | query | key |
        |---|---|
        | 美 | 女 |

        - one
        - two

        ```swift
        let x = softmaxRows(m)
        ```

        ### Deeper
        > quoted `code`
        """
    let n = try NotebookParser.parse(text: text, path: "notebooks/s.md")
    let sections = n.sections.map {
        ($0.heading?.text, $0.text.split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }
    #expect(sections.map(\.0) == [nil, "Why W_Q", "Deeper"])
    #expect(sections[0].1 == "One line. Intro with emphasis over two lines.")
    #expect(sections[1].1 == "query key 美 女 one two")
    #expect(n.sections[1].code.split(whereSeparator: \.isWhitespace).joined(separator: " ") == "let x = softmaxRows(m)")
    #expect(sections[2].1 == "quoted code")
    #expect(n.sections[1].heading?.anchor == "why-w-q")
}

@Test func theDescriptionReadsItsMathAsTextForSearch() throws {
    let n = try NotebookParser.parse(
        text: "---\ntitle: M\ndescription: Where $W_Q$ meets $\\sqrt{d_k}$.\n---\nText.\n", path: "notebooks/m.md")
    #expect(!n.sections[0].text.contains("$") && n.sections[0].text.contains("W_Q"), "\(n.sections[0].text)")
}
