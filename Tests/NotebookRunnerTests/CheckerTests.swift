import NotebookModel
@testable import NotebookRunner
import Testing

/// A one-cell notebook whose code starts at line 4, optionally marked `expect-error`.
func notebook(expectError: String? = nil) -> Notebook {
    var options = CellOptions()
    options.expectError = expectError
    return Notebook(path: "notebooks/t.md", frontMatter: FrontMatter(), blocks: [.cell(Cell(index: 0, code: "x\n", line: 4, options: options))])
}

func matrix(_ v: [[Double]], labels: [String]? = nil) -> Output {
    .matrix(MatrixFigure(title: "w", rows: v.count, cols: v[0].count, values: v, rowLabels: labels, colLabels: labels))
}

func recording(_ n: Notebook, _ outputs: [Output]) -> Recording {
    Recording(notebook: n, run: NotebookRun(cells: [CellResult(index: 0, outputs: outputs)], diagnostics: []))
}

@Test func numberMovedBeyondToleranceIsCaughtAtItsEntry() throws {
    let n = notebook()
    let old = recording(n, [matrix([[0.25, 0.75], [0.5, 0.5]])])
    let fresh = NotebookRun(cells: [CellResult(index: 0, outputs: [matrix([[0.25, 0.75], [0.5, 0.5001]])])], diagnostics: [])
    let d = Checker.compare(n, run: fresh, recording: old)
    #expect(d.count == 1)
    #expect(d[0].formatted.hasPrefix("notebooks/t.md:4: cell 1, output 1: matrix \"w\": 1 of 4 entries out of tolerance; worst (1, 1): expected 0.5, actual 0.5001"))
}

@Test func changeWithinToleranceAndTextNumbersPass() throws {
    let n = notebook()
    let old = recording(n, [matrix([[0.25, 0.75]]), .text("std = 0.125\n")])
    let fresh = NotebookRun(cells: [CellResult(index: 0, outputs: [matrix([[0.25 + 1e-12, 0.75]]), .text("std = 0.12500000001\n")])], diagnostics: [])
    #expect(Checker.compare(n, run: fresh, recording: old).isEmpty)
    let moved = NotebookRun(cells: [CellResult(index: 0, outputs: [matrix([[0.25, 0.75]]), .text("std = 0.13\n")])], diagnostics: [])
    let d = Checker.compare(n, run: moved, recording: old)
    #expect(d.count == 1 && d[0].summary == "text differs" && d[0].detail?.contains("- std = 0.125\n+ std = 0.13") == true)
}

@Test func shapeAndLabelChangesAreCaught() throws {
    let n = notebook()
    let old = recording(n, [matrix([[1, 0], [0, 1]], labels: ["a", "b"])])
    let shape = NotebookRun(cells: [CellResult(index: 0, outputs: [matrix([[1, 0, 0]])])], diagnostics: [])
    #expect(Checker.compare(n, run: shape, recording: old).first?.summary == "matrix \"w\": shape 2×2 → 1×3")
    let labels = NotebookRun(cells: [CellResult(index: 0, outputs: [matrix([[1, 0], [0, 1]], labels: ["a", "c"])])], diagnostics: [])
    #expect(Checker.compare(n, run: labels, recording: old).first?.summary == "matrix \"w\": row labels [a b] → [a c]")
}

@Test func expectErrorCells() throws {
    let n = notebook(expectError: "boom")
    let ran = NotebookRun(cells: [CellResult(index: 0, outputs: [.text("ok\n")])], diagnostics: [])
    let old = recording(n, [.error(CellFailure(reason: .runtime, message: "Fatal error: boom"))])
    #expect(Checker.compare(n, run: ran, recording: old).first?.summary.contains("expected to fail") == true)
    let other = NotebookRun(cells: [CellResult(index: 0, outputs: [.error(CellFailure(reason: .runtime, message: "Fatal error: other"))])], diagnostics: [])
    #expect(Checker.compare(n, run: other, recording: old).first?.summary.contains("does not contain \"boom\"") == true)
    let right = NotebookRun(cells: [CellResult(index: 0, outputs: [.error(CellFailure(reason: .runtime, message: "Fatal error: boom"))])], diagnostics: [])
    #expect(Checker.compare(n, run: right, recording: old).isEmpty)
}

@Test func recordingRoundTripsAndKeepsOneRowPerLine() throws {
    let n = notebook()
    let r = recording(n, [matrix([[0.1, -.infinity], [.nan, 3]]), .text("a \"q\"\n")])
    let text = try r.text()
    #expect(text.contains("\n            [0.1, \"-inf\"],\n            [\"nan\", 3]\n"))
    let back = try Recording.read(text)
    #expect(back.cells.count == 1 && back.notebook == "notebooks/t.md")
    #expect(Checker.compare(n, run: NotebookRun(cells: [CellResult(index: 0, outputs: r.cells[0].outputs)], diagnostics: []), recording: back).isEmpty)
}

@Test func jsonPrettyPrinterKeepsNumberText() throws {
    let v = try JSONValue.parse("{\"a\":[1,2.5e-3],\"b\":[[1,2],[3,4]],\"s\":\"\\u00e9\\n\"}")
    #expect(v.pretty() == "{\n  \"a\": [1, 2.5e-3],\n  \"b\": [\n    [1, 2],\n    [3, 4]\n  ],\n  \"s\": \"é\\n\"\n}")
}
