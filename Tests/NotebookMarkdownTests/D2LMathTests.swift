import Foundation
import Testing

@testable import NotebookMarkdown

/// The formulas of d2l's attention chapter, one a line (`%` lines are comments).
let d2lFormulas: [String] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/d2l-attention-formulas.tex")
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("%") }
}()

@Test func theD2LCorpusIsThere() {
    #expect(d2lFormulas.count == 176)
}

@Test(arguments: d2lFormulas)
func everyD2LAttentionFormulaConverts(_ tex: String) throws {
    let math = try TeX.mathML(tex, display: true)
    #expect(math.hasPrefix("<span class=\"math-block\""))
    #expect(!math.contains("\\"), "a command left as text")
}

@Test(arguments: [
    // Text keeps its edge spaces as no-break spaces ("one row of S", not "ofS").
    ("\\text{one row of }S", "<mtext>one\u{A0}row\u{A0}of\u{A0}</mtext><mi>S</mi>"),
    ("1 \\textrm{ if } x", "<mn>1</mn><mtext>\u{A0}if\u{A0}</mtext><mi>x</mi>"),
    // A function name is followed by U+2061, after its scripts.
    // A thin space before an argument not in parentheses, as TeX sets it.
    ("\\ln n", "<mi mathvariant=\"normal\">ln</mi><mo rspace=\"0.1667em\">\u{2061}</mo><mi>n</mi>"),
    (
        "\\log_2 V",
        "<msub><mi mathvariant=\"normal\">log</mi><mn>2</mn></msub><mo rspace=\"0.1667em\">\u{2061}</mo><mi>V</mi>"
    ),
    // A bare parenthesis keeps its size beside a Σ; \\left( stretches.
    (
        "\\sum_i f(x)",
        "<munder><mo largeop=\"true\" movablelimits=\"true\">∑</mo><mi>i</mi></munder><mi>f</mi>"
            + "<mo stretchy=\"false\">(</mo><mi>x</mi><mo stretchy=\"false\">)</mo>"
    ),
    (
        "\\operatorname{softmax}(x)",
        "<mi mathvariant=\"normal\">softmax</mi><mo>\u{2061}</mo><mo stretchy=\"false\">(</mo><mi>x</mi><mo stretchy=\"false\">)</mo>"
    ),
    // A word in a script is one upright name; single letters stay italic.
    ("d_{model}", "<msub><mi>d</mi><mrow><mi>model</mi></mrow></msub>"),
    ("d_{in}", "<msub><mi>d</mi><mrow><mi>in</mi></mrow></msub>"),
    ("a_{ij}", "<msub><mi>a</mi><mrow><mi>i</mi><mi>j</mi></mrow></msub>"),
    ("model", "<mi>m</mi><mi>o</mi><mi>d</mi><mi>e</mi><mi>l</mi>"),
    // \stackrel and \mathop.
    (
        "a \\stackrel{\\textrm{def}}{=} b",
        "<mi>a</mi><mover><mrow><mo>=</mo></mrow><mrow><mtext>def</mtext></mrow></mover><mi>b</mi>"
    ),
    (
        "\\mathop{\\mathrm{max}}(a)",
        "<mrow><mi mathvariant=\"normal\">max</mi></mrow><mo>\u{2061}</mo><mo stretchy=\"false\">(</mo><mi>a</mi><mo stretchy=\"false\">)</mo>"
    ),
    // aligned: right, left, right, left columns.
    (
        "\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}",
        "<mrow><mtable><mtr><mtd class=\"tex-r\"><mi>a</mi></mtd><mtd class=\"tex-l\"><mo>=</mo><mi>b</mi></mtd></mtr>"
            + "<mtr><mtd class=\"tex-r\"><mi>c</mi></mtd><mtd class=\"tex-l\"><mo>=</mo><mi>d</mi></mtd></mtr></mtable></mrow>"
    ),
])
func typesetting(_ tex: String, _ expected: String) throws {
    #expect(try ml(tex) == "<math display=\"inline\"><mrow>\(expected)</mrow></math>")
}
