import NotebookModel
import Testing

@testable import NotebookMarkdown

/// A notebook of `body` (line 1 is its first line).
private func parsed(_ body: String) throws -> Notebook {
    try NotebookParser.parse(text: body, path: "notebooks/e.md")
}

/// The first error's compiler-style line, or nil when `body` parses.
private func firstError(_ body: String) -> String? {
    do {
        _ = try parsed(body)
        return nil
    } catch let e as NotebookError {
        return e.diagnostics.first?.formatted.split(separator: "\n").first.map(String.init)
    } catch {
        return "\(error)"
    }
}

@Test func aLabelledFormulaIsNumberedAndReferencesLinkToIt() throws {
    let n = try parsed("$$\nA = QK^\\top \\label{scores}\n$$\n\nThe scores @eq:scores, not `@eq:scores` in code.\n")
    let html = n.blocks.compactMap { if case .prose(let h, _) = $0 { h } else { nil } }.joined()
    #expect(
        html.contains("<span class=\"math-block numbered\" id=\"eq-scores\" tabindex=\"0\"><math display=\"block\""))
    #expect(html.contains("<span class=\"eq-number\">(eq:scores)</span></span>"))
    #expect(!html.contains("label"))  // \label is not drawn
    #expect(
        html.contains("The scores <a class=\"xref\" href=\"#eq-scores\">@eq:scores</a>, not <code>@eq:scores</code>"))
}

@Test func aBrokenFormulaReferenceIsALocatedError() {
    // Line 5, column 5: "See " is 4 bytes.
    #expect(
        firstError("$$\nA \\label{a}\n$$\n\nSee @eq:b.\n")
            == "notebooks/e.md:5:5: error: '@eq:b': no formula is labelled 'b': write \\label{b} in its $$…$$")
}

@Test(arguments: [
    (
        "Inline $x \\label{a}$.\n",
        "notebooks/e.md:1:11: error: '\\label' numbers display formulas only: write the formula in $$…$$"
    ),
    ("$$\nx \\label{a b}\n$$\n", "notebooks/e.md:2:3: error: '\\label{a b}': a label is letters, digits, '-' and '_'"),
    ("$$\nx \\label\n$$\n", "notebooks/e.md:2:3: error: '\\label' needs a name in braces, as in \\label{softmax}"),
    ("$$\nx \\label{a} \\label{b}\n$$\n", "notebooks/e.md:2:13: error: a formula has one '\\label'"),
    (
        "$$\nx \\label{a}\n$$\n\n$$\ny \\label{a}\n$$\n",
        "notebooks/e.md:5:3: error: '\\label{a}' also numbers the formula at line 1"
    ),
])
func badLabelsAreLocatedErrors(body: String, error: String) {
    #expect(firstError(body) == error)
}
