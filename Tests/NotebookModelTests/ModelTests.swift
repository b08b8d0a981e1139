import Foundation
import NotebookModel
import Testing

@Test func diagnosticFormatsLikeACompiler() {
    let d = Diagnostic(
        .error, file: "notebooks/03.md", line: 14, column: 9, message: "cannot find 'x' in scope",
        sourceLine: "let y = x + 1")
    #expect(d.formatted == "notebooks/03.md:14:9: error: cannot find 'x' in scope\nlet y = x + 1\n        ^")
}

@Test func toleranceDefinition() {
    let t = Tolerance(relative: 1e-3, absolute: 1e-6)
    #expect(t.accepts(1.0009, expected: 1) && !t.accepts(1.002, expected: 1))
    #expect(t.accepts(5e-7, expected: 0) && !t.accepts(2e-6, expected: 0))
    #expect(t.accepts(.nan, expected: .nan) && !t.accepts(.infinity, expected: 1e300))
}

@Test func outputsRoundTripThroughJSON() throws {
    let outputs: [Output] = [
        .text("a"), .matrix(MatrixFigure(rows: 1, cols: 2, values: [[1, 2]])),
        .linePlot(
            LinePlot(title: "t", xLabel: "x", yLabel: "y", xLog: true, series: [Series(name: "s", x: [1], y: [2])])),
        .error(CellFailure(reason: .timeout, message: "m", line: 3)),
    ]
    let data = try JSONEncoder().encode(outputs)
    #expect(try JSONDecoder().decode([Output].self, from: data) == outputs)
    #expect(String(decoding: try JSONEncoder().encode(Output.text("a")), as: UTF8.self).contains("\"kind\":\"text\""))
}

@Test func numbersAtAnExplicitPrecision() {
    #expect(NumberFormat.fixed(0.1 + 0.2, digits: 3) == "0.300")
    #expect(NumberFormat.fixed(-0.0001, digits: 3) == "0.000")
    #expect(NumberFormat.cell(-1e10, decimals: 3) == "-1e+10")
    #expect(NumberFormat.decimals(for: [0, 1, 2]) == 0 && NumberFormat.decimals(for: [0.5, 12]) == 2)
}
