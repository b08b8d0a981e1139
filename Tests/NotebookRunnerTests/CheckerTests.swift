import NotebookModel
import Testing

@testable import NotebookRunner

/// A one-cell notebook whose code starts at line 4, optionally marked `expect-error`.
func notebook(expectError: String? = nil) -> Notebook {
    var options = CellOptions()
    options.expectError = expectError
    return Notebook(
        path: "notebooks/t.md", frontMatter: FrontMatter(),
        blocks: [.cell(Cell(index: 0, code: "x\n", line: 4, options: options))])
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
    let fresh = NotebookRun(
        cells: [CellResult(index: 0, outputs: [matrix([[0.25, 0.75], [0.5, 0.5001]])])], diagnostics: [])
    let d = Checker.compare(n, run: fresh, recording: old)
    #expect(d.count == 1)
    #expect(
        d[0].formatted.hasPrefix(
            "notebooks/t.md:4: error: cell 1, output 1: matrix \"w\": 1 of 4 entries out of tolerance; worst (1, 1): expected 0.5, actual 0.5001"
        ))
}

@Test func changeWithinToleranceAndTextNumbersPass() throws {
    let n = notebook()
    let old = recording(n, [matrix([[0.25, 0.75]]), .text("std = 0.125\n")])
    let fresh = NotebookRun(
        cells: [CellResult(index: 0, outputs: [matrix([[0.25 + 1e-12, 0.75]]), .text("std = 0.12500000001\n")])],
        diagnostics: [])
    #expect(Checker.compare(n, run: fresh, recording: old).isEmpty)
    let moved = NotebookRun(
        cells: [CellResult(index: 0, outputs: [matrix([[0.25, 0.75]]), .text("std = 0.13\n")])], diagnostics: [])
    let d = Checker.compare(n, run: moved, recording: old)
    #expect(
        d.count == 1 && d[0].summary == "text differs" && d[0].detail?.contains("- std = 0.125\n+ std = 0.13") == true)
}

@Test func shapeAndLabelChangesAreCaught() throws {
    let n = notebook()
    let old = recording(n, [matrix([[1, 0], [0, 1]], labels: ["a", "b"])])
    let shape = NotebookRun(cells: [CellResult(index: 0, outputs: [matrix([[1, 0, 0]])])], diagnostics: [])
    #expect(Checker.compare(n, run: shape, recording: old).first?.summary == "matrix \"w\": shape 2×2 → 1×3")
    let labels = NotebookRun(
        cells: [CellResult(index: 0, outputs: [matrix([[1, 0], [0, 1]], labels: ["a", "c"])])], diagnostics: [])
    #expect(Checker.compare(n, run: labels, recording: old).first?.summary == "matrix \"w\": row labels [a b] → [a c]")
}

@Test func expectErrorCells() throws {
    let n = notebook(expectError: "boom")
    let ran = NotebookRun(cells: [CellResult(index: 0, outputs: [.text("ok\n")])], diagnostics: [])
    let old = recording(n, [.error(CellFailure(reason: .runtime, message: "Fatal error: boom"))])
    #expect(Checker.compare(n, run: ran, recording: old).first?.summary.contains("expected to fail") == true)
    let other = NotebookRun(
        cells: [CellResult(index: 0, outputs: [.error(CellFailure(reason: .runtime, message: "Fatal error: other"))])],
        diagnostics: [])
    #expect(Checker.compare(n, run: other, recording: old).first?.summary.contains("does not contain \"boom\"") == true)
    let right = NotebookRun(
        cells: [CellResult(index: 0, outputs: [.error(CellFailure(reason: .runtime, message: "Fatal error: boom"))])],
        diagnostics: [])
    #expect(Checker.compare(n, run: right, recording: old).isEmpty)
}

@Test func recordingRoundTripsAndKeepsOneRowPerLine() throws {
    let n = notebook()
    let r = recording(n, [matrix([[0.1, -.infinity], [.nan, 3]]), .text("a \"q\"\n")])
    let text = try r.text()
    #expect(text.contains("\n            [0.1, \"-inf\"],\n            [\"nan\", 3]\n"))
    let back = try Recording.read(text)
    #expect(back.cells.count == 1 && back.notebook == "notebooks/t.md")
    #expect(
        Checker.compare(
            n, run: NotebookRun(cells: [CellResult(index: 0, outputs: r.cells[0].outputs)], diagnostics: []),
            recording: back
        ).isEmpty)
}

@Test func jsonPrettyPrinterKeepsNumberText() throws {
    let v = try JSONValue.parse("{\"a\":[1,2.5e-3],\"b\":[[1,2],[3,4]],\"s\":\"\\u00e9\\n\"}")
    #expect(v.pretty() == "{\n  \"a\": [1, 2.5e-3],\n  \"b\": [\n    [1, 2],\n    [3, 4]\n  ],\n  \"s\": \"é\\n\"\n}")
}

// MARK: Pairing cells with their recordings after edits

/// A notebook of one-line cells, each 3 lines below the last; a cell `"name: code"` gets `id=name`.
func notebook(cells codes: [String]) -> Notebook {
    Notebook(
        path: "notebooks/t.md", frontMatter: FrontMatter(),
        blocks: codes.enumerated().map { k, code in
            var options = CellOptions()
            var code = code
            if let colon = code.firstIndex(of: ":") {
                options.id = String(code[..<colon])
                code = String(code[code.index(after: colon)...].drop { $0 == " " })
            }
            return .cell(Cell(index: k, code: code + "\n", line: 4 + 3 * k, options: options))
        })
}

/// Each cell prints its own code, so a cell's right output is known from its code alone.
func run(printingCodeOf n: Notebook) -> NotebookRun {
    NotebookRun(cells: n.cells.map { CellResult(index: $0.index, outputs: [.text($0.code)]) }, diagnostics: [])
}

@Test func insertedCellsAreNewAndTheOthersStillMatch() throws {
    let before = notebook(cells: ["a", "b", "c", "d"])
    let old = Recording(notebook: before, run: run(printingCodeOf: before))
    let after = notebook(cells: ["a", "x", "y", "b", "c", "d"])
    let d = Checker.compare(after, run: run(printingCodeOf: after), recording: old)
    #expect(d.map(\.cell) == [2, 3])
    #expect(d.allSatisfy { $0.summary.hasPrefix("a new cell: its outputs are not recorded yet") })
}

@Test func removedCellIsNamedAtTheCellItPreceded() throws {
    let before = notebook(cells: ["a", "b", "c"])
    let old = Recording(notebook: before, run: run(printingCodeOf: before))
    let after = notebook(cells: ["a", "c"])
    let d = Checker.compare(after, run: run(printingCodeOf: after), recording: old)
    #expect(d.count == 1)
    #expect(d[0].cell == nil && d[0].line == 7)  // the line of "c", now the second cell
    #expect(
        d[0].formatted.hasPrefix(
            "notebooks/t.md:7: error: the cell recorded as cell 2 (line 7) is no longer in the notebook"))
}

@Test func movedCellIsComparedWithItsOwnRecording() throws {
    let before = notebook(cells: ["a", "b", "c", "d"])
    let old = Recording(notebook: before, run: run(printingCodeOf: before))
    let after = notebook(cells: ["d", "a", "b", "c"])
    #expect(Checker.compare(after, run: run(printingCodeOf: after), recording: old).isEmpty)
    // A moved cell whose output changed is reported with its own recording's output.
    var fresh = run(printingCodeOf: after)
    fresh.cells[0].outputs = [.text("D\n")]
    let d = Checker.compare(after, run: fresh, recording: old)
    #expect(d.count == 1 && d[0].cell == 1 && d[0].detail?.contains("- d\n+ D") == true)
}

@Test func editedCellIsComparedAndNamedAsChanged() throws {
    let before = notebook(cells: ["a", "b", "c"])
    let old = Recording(notebook: before, run: run(printingCodeOf: before))
    let after = notebook(cells: ["a", "b2", "c"])
    let d = Checker.compare(after, run: run(printingCodeOf: after), recording: old)
    #expect(d.count == 1 && d[0].cell == 2)
    #expect(d[0].summary.hasPrefix("its code changed since it was recorded (as cell 2); text differs"))
    #expect(d[0].detail?.contains("- b\n+ b2") == true)
    // Same outputs after an edit (a comment, a rename): nothing to report.
    var same = run(printingCodeOf: after)
    same.cells[1].outputs = [.text("b\n")]
    #expect(Checker.compare(after, run: same, recording: old).isEmpty)
}

@Test func cellIdPinsACellThroughEditsAndMoves() throws {
    let before = notebook(cells: ["a", "w: weights", "c"])
    let old = Recording(notebook: before, run: run(printingCodeOf: before))
    #expect(old.cells[1].id == "w")
    // The pinned cell moved to the end and its code changed; it is still compared with its own
    // recording, and the cells around it are untouched.
    let after = notebook(cells: ["a", "c", "w: weights2"])
    var fresh = run(printingCodeOf: after)
    fresh.cells[2].outputs = [.text("weights\n")]
    #expect(Checker.compare(after, run: fresh, recording: old).isEmpty)
}

@Test func recordingsWithoutFingerprintsPairByNumber() throws {
    let before = notebook(cells: ["a", "b"])
    var old = Recording(notebook: before, run: run(printingCodeOf: before))
    for k in old.cells.indices { old.cells[k].code = nil }
    let after = notebook(cells: ["x", "a", "b"])
    let d = Checker.compare(after, run: run(printingCodeOf: after), recording: old)
    #expect(d.map(\.cell) == [1, 2, 3])  // by position: x against a, a against b, b new
}

@Test func fingerprintIgnoresTrailingWhiteSpaceOnly() {
    #expect(Recording.fingerprint("let x = 1\n") == Recording.fingerprint("let x = 1  \n\n"))
    #expect(Recording.fingerprint("let x = 1\n") != Recording.fingerprint("let x = 2\n"))
    #expect(Recording.fingerprint("").count == 16)
}
