import NotebookModel
import Testing

@testable import NotebookMarkdown

/// The MathML of `tex` without its `alttext` (tested on its own).
func ml(_ tex: String) throws -> String {
    try TeX.mathML(tex, display: false).replacing(#/ alttext="[^"]*"/#, with: "")
}

@Test(arguments: [
    ("\\frac{a}{b}", "<mfrac><mrow><mi>a</mi></mrow><mrow><mi>b</mi></mrow></mfrac>"),
    ("\\sqrt{d}", "<msqrt><mrow><mi>d</mi></mrow></msqrt>"),
    ("\\sqrt[3]{x}", "<mroot><mrow><mi>x</mi></mrow><mrow><mn>3</mn></mrow></mroot>"),
    ("x_i^2", "<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup>"),
    ("K^\\top", "<msup><mi>K</mi><mi>⊤</mi></msup>"),
    ("\\alpha\\cdot\\beta", "<mi>α</mi><mo>·</mo><mi>β</mi>"),
    (
        "\\sum_{j} a",
        "<munder><mo largeop=\"true\" movablelimits=\"true\">∑</mo><mrow><mi>j</mi></mrow></munder><mi>a</mi>"
    ),
    ("\\operatorname{softmax}", "<mi mathvariant=\"normal\">softmax</mi><mo>\u{2061}</mo>"),
    ("\\mathrm{d}", "<mi mathvariant=\"normal\">d</mi>"),
    ("\\mathbf{x}", "<mi>𝐱</mi>"),
    ("\\mathbf X", "<mi>𝐗</mi>"),
    ("\\mathbb{R}^{d}", "<msup><mi>ℝ</mi><mrow><mi>d</mi></mrow></msup>"),
    ("\\mathcal{L}", "<mi>ℒ</mi>"),
    ("\\mathcal{D}", "<mi>𝒟</mi>"),
    ("\\boldsymbol{\\alpha}", "<mi>𝜶</mi>"),
    ("\\mathrm{head_1}", "<msub><mi mathvariant=\"normal\">head</mi><mn>1</mn></msub>"),
    (
        "\\operatorname*{argmax}_i",
        "<munder><mo largeop=\"false\" movablelimits=\"true\" form=\"prefix\">argmax</mo><mi>i</mi></munder>"
    ),
    ("\\hat{y}", "<mover accent=\"true\"><mrow><mi>y</mi></mrow><mo stretchy=\"false\">^</mo></mover>"),
    ("\\{a\\}", "<mo stretchy=\"false\">{</mo><mi>a</mi><mo stretchy=\"false\">}</mo>"),
    (
        "\\left( x \\right)",
        "<mrow><mo fence=\"true\" stretchy=\"true\">(</mo><mi>x</mi><mo fence=\"true\" stretchy=\"true\">)</mo></mrow>"
    ),
    ("a - b < c", "<mi>a</mi><mo>−</mo><mi>b</mi><mo>&lt;</mo><mi>c</mi>"),
])
func texConstructs(_ tex: String, _ expected: String) throws {
    #expect(try ml(tex) == "<math display=\"inline\"><mrow>\(expected)</mrow></math>")
}

@Test func matricesAndCases() throws {
    #expect(
        try ml("\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}").contains(
            "<mo fence=\"true\" stretchy=\"true\">(</mo><mtable><mtr><mtd><mn>1</mn></mtd><mtd><mn>0</mn></mtd></mtr><mtr><mtd><mn>0</mn></mtd><mtd><mn>1</mn></mtd></mtr></mtable>"
        ))
    #expect(
        try ml("\\begin{cases} 1 & x > 0 \\\\ 0 & \\text{otherwise} \\end{cases}").contains(
            "<mtable columnalign=\"left\">"))
    #expect(try ml("\\begin{cases} 1 \\\\ 0 \\end{cases}").contains("<mtext>") == false)
}

@Test func unsupportedCommandIsLocated() {
    #expect(throws: TeXError(offset: 2, message: "unsupported TeX command '\\foo'")) { try ml("a \\foo b") }
    #expect(throws: TeXError(offset: 0, message: "'\\left' has no '\\right'")) { try ml("\\left( x") }
}

@Test func mathInProseBecomesMathMLAndCodeStaysCode() throws {
    let text =
        "Scale by $\\frac{1}{\\sqrt{d_k}}$ and `$x$` stays.\n\n$$\nQK^\\top\n$$\n\n```swift\nlet s = \"$5 and $6\"\n```\n"
    let n = try NotebookParser.parse(text: text, path: "n.md")
    let html = try prose(n.blocks[0]).html
    #expect(
        html.contains(
            "<math display=\"inline\" alttext=\"1/√d_k\"><mrow><mfrac><mrow><mn>1</mn></mrow><mrow><msqrt><mrow><msub><mi>d</mi><mi>k</mi></msub></mrow></msqrt></mrow></mfrac></mrow></math>"
        ))
    #expect(html.contains("<code>$x$</code>"))
    #expect(html.contains("<math display=\"block\" alttext=\"QK^⊤\">"))
    #expect(n.cells[0].code == "let s = \"$5 and $6\"\n" && n.cells[0].line == 8)
}

@Test func badTeXIsAnErrorAtTheNotebookLineAndColumn() {
    #expect {
        try NotebookParser.parse(text: "---\ntitle: t\n---\nText\nwith $a + \\nope$ here\n", path: "notebooks/m.md")
    } throws: { error in
        let d = (error as! NotebookError).diagnostics[0]
        return d.formatted
            == "notebooks/m.md:5:11: error: unsupported TeX command '\\nope'\nwith $a + \\nope$ here\n          ^"
    }
}

@Test func dollarsThatAreNotMath() throws {
    let n = try NotebookParser.parse(text: "It costs $5 and $6 today.\n", path: "n.md")
    let html = try prose(n.blocks[0]).html
    #expect(html == "<p>It costs $5 and $6 today.</p>\n")
}

@Test func deepNestingIsALocatedErrorNotAStackOverflow() {
    for tex in [
        String(repeating: "{", count: 40_000) + "x" + String(repeating: "}", count: 40_000),
        String(repeating: "\\frac", count: 20_000) + "ab",
    ] {
        #expect(throws: TeXError.self) { try ml(tex) }
        do { _ = try ml(tex) } catch let e as TeXError {
            #expect(e.message == "the formula nests more than 100 levels deep")
        } catch {}
    }
    // 100 levels still convert.
    #expect((try? ml(String(repeating: "{", count: 99) + "x" + String(repeating: "}", count: 99))) != nil)
}

@Test func mathInImageAltTitlesAndLinkDestinationsStaysOutOfTheAttributes() throws {
    let n = try NotebookParser.parse(
        text: "![alt $z$](i.png \"t $w$\") and [a](https://e.com/$y$) and $x$\n", path: "notebooks/m.md")
    let html = try prose(n.blocks.first).html
    #expect(html.contains("alt=\"alt z\"") && html.contains("title=\"t w\""), "\(html)")
    #expect(html.contains("href=\"https://e.com/$y$\""), "\(html)")
    #expect(html.contains("and <math display=\"inline\" alttext=\"x\"><mrow><mi>x</mi></mrow></math>"), "\(html)")
    #expect(!html.contains("\u{E000}") && !html.contains("%EE%80"))
}

@Test(arguments: [
    ("W_Q K^\\top", "W_Q K^⊤"),
    ("\\frac{QK^\\top}{\\sqrt{d_k}}", "QK^⊤/√d_k"),
    ("\\frac{a + b}{2}", "(a + b)/2"),
    ("\\operatorname{softmax}\\left(x\\right)_i", "softmax(x)_i"),
    ("\\mathbb{R}^{n \\times d}", "R^(n × d)"),
    ("\\sum_{j} a_j \\cdot b", "∑_j a_j · b"),
])
func formulasReadAsTextForSearchAndScreenReaders(_ tex: String, _ text: String) {
    #expect(TeX.readable(tex) == text)
}

@Test func everyTeXErrorOfAFileIsReportedInOnePass() {
    #expect {
        try NotebookParser.parse(text: "One $\\nope$ and\n\ntwo $\\frac{a}$ and $ok$.\n", path: "notebooks/m.md")
    } throws: { error in
        let lines = (error as! NotebookError).diagnostics.map(\.line)
        return lines == [1, 3]
    }
}
