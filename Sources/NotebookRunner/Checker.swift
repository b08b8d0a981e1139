import Foundation
import NotebookModel

/// One difference between the recorded and the fresh outputs of a notebook.
public struct Difference: Sendable, Equatable {
    /// The notebook's path.
    public var file: String
    /// The line of the cell's code.
    public var line: Int
    /// The 1-based cell number; nil for a recorded cell that is no longer in the notebook.
    public var cell: Int?
    /// The 1-based output number, when the difference is in one output.
    public var output: Int?
    /// What differs, in one line.
    public var summary: String
    /// More lines (a unified diff of text).
    public var detail: String?
    /// The recorded and fresh matrices, when a matrix's values differ (for the visual report).
    public var expected: MatrixFigure?, actual: MatrixFigure?

    /// `cell 3, output 2: …` (the summary alone for a removed cell).
    public var message: String {
        (cell.map { "cell \($0)" + (output.map { ", output \($0)" } ?? "") + ": " } ?? "") + summary
    }

    /// `notebooks/x.md:14: error: cell 3, output 2: …` and any detail below.
    public var formatted: String {
        "\(file):\(line): error: " + message + (detail.map { "\n" + $0 } ?? "")
    }
}

/// Compares fresh outputs with recorded ones: structure exactly, numbers within a tolerance,
/// text exactly except for numbers in it (compared within the tolerance too).
public enum Checker {
    /// The differences for `notebook`; empty when it matches its recording.
    ///
    /// Cells are paired with their recordings by `id=`, then by code (so an inserted, removed or
    /// moved cell does not shift the others), and what is left in each gap by position, as a cell
    /// whose code changed.
    public static func compare(_ notebook: Notebook, run: NotebookRun, recording: Recording) -> [Difference] {
        let base = notebook.frontMatter.tolerance ?? .standard
        var differences: [Difference] = []
        let update = "'notebook check --update \(notebook.path)'"
        for pairing in align(notebook.cells.filter { !$0.options.skip }, recording.cells) {
            guard let cell = pairing.cell else {
                let old = pairing.recorded!
                differences.append(
                    Difference(
                        file: notebook.path, line: pairing.before?.line ?? notebook.cells.last?.line ?? 1, cell: nil,
                        output: nil,
                        summary:
                            "the cell recorded as cell \(old.cell) (line \(old.line)) is no longer in the notebook; "
                            + "update the recording with \(update)"))
                continue
            }
            let fresh = run.cells.first { $0.index == cell.index }?.outputs ?? []
            let changed =
                pairing.codeChanged
                ? "its code changed since it was recorded (as cell \(pairing.recorded!.cell)); " : ""
            func report(
                _ output: Int?, _ summary: String, detail: String? = nil, expected: MatrixFigure? = nil,
                actual: MatrixFigure? = nil
            ) {
                differences.append(
                    Difference(
                        file: notebook.path, line: cell.line, cell: cell.number, output: output,
                        summary: changed + summary,
                        detail: detail, expected: expected, actual: actual))
            }
            let failure = fresh.compactMap { if case .error(let f) = $0 { f } else { nil } }.first
            if let expectedError = cell.options.expectError {
                if failure == nil || failure?.reason == .notRun {
                    report(nil, "the cell was expected to fail (expect-error) but it ran without error")
                } else if !expectedError.isEmpty, let f = failure, !f.message.contains(expectedError) {
                    report(
                        nil,
                        "the error does not contain \"\(expectedError)\": \(f.message.split(separator: "\n").first ?? "")"
                    )
                }
            } else if let f = failure {
                report(nil, "the cell failed: \(f.message.split(separator: "\n").first ?? "")")
                continue
            }
            if cell.options.ignoreOutput { continue }
            guard let old = pairing.recorded else {
                report(nil, "a new cell: its outputs are not recorded yet; record them with \(update)")
                continue
            }
            let tolerance = base.overridden(by: cell.options)
            if old.outputs.count != fresh.count {
                report(
                    nil,
                    "\(old.outputs.count) outputs recorded, \(fresh.count) now: "
                        + old.outputs.map(\.kind).joined(separator: ", ")
                        + " → " + fresh.map(\.kind).joined(separator: ", "))
            }
            for (k, (expected, actual)) in zip(old.outputs, fresh).enumerated() {
                if case .error = expected, case .error = actual, cell.options.expectError != nil { continue }
                if let (summary, detail) = compare(expected, actual, tolerance) {
                    var e: MatrixFigure?, a: MatrixFigure?
                    if case .matrix(let x) = expected, case .matrix(let y) = actual { (e, a) = (x, y) }
                    report(k + 1, summary, detail: detail, expected: e, actual: a)
                }
            }
        }
        return differences
    }

    /// A notebook cell with its recording, a new cell (no recording), or a recording whose cell
    /// is gone (`before` is the cell it stood before, nil at the end).
    struct Pairing: Equatable {
        var cell: Cell?
        var recorded: Recording.RecordedCell?
        var codeChanged = false
        var before: Cell?
    }

    /// Pairs `cells` with `recorded`, in the notebook's order with each removed recording before the
    /// cell it preceded.
    ///
    /// Recordings made before cells had fingerprints are paired by number.
    static func align(_ cells: [Cell], _ recorded: [Recording.RecordedCell]) -> [Pairing] {
        guard recorded.allSatisfy({ $0.code != nil }) else {
            let byNumber = Dictionary(recorded.map { ($0.cell, $0) }, uniquingKeysWith: { a, _ in a })
            let numbers = Set(cells.map(\.number))
            return cells.map { Pairing(cell: $0, recorded: byNumber[$0.number]) }
                + recorded.filter { !numbers.contains($0.cell) }.map { Pairing(recorded: $0) }
        }
        func key(_ c: Cell) -> String { c.options.id.map { "id " + $0 } ?? "code " + Recording.fingerprint(c.code) }
        func key(_ r: Recording.RecordedCell) -> String { r.id.map { "id " + $0 } ?? "code " + r.code! }
        let cellKeys = cells.map(key), recordedKeys = recorded.map(key)
        // The longest common subsequence of keys stays in order; a key left over on both sides moved.
        var inserted = Set<Int>(), removed = Set<Int>()
        for change in cellKeys.difference(from: recordedKeys) {
            switch change {
            case .insert(let offset, _, _): inserted.insert(offset)
            case .remove(let offset, _, _): removed.insert(offset)
            }
        }
        var moved: [Int: Int] = [:]  // cell offset → recorded offset
        var free = removed.sorted()
        for c in inserted.sorted() {
            if let k = free.firstIndex(where: { recordedKeys[$0] == cellKeys[c] }) { moved[c] = free.remove(at: k) }
        }
        let movedRecordings = Set(moved.values)
        var pairs: [Pairing] = []
        var gapCells: [Int] = [], gapRecorded: [Int] = []
        func closeGap(before: Cell?) {
            for (c, r) in zip(gapCells, gapRecorded) {
                pairs.append(Pairing(cell: cells[c], recorded: recorded[r], codeChanged: true))
            }
            for r in gapRecorded.dropFirst(gapCells.count) {
                pairs.append(Pairing(recorded: recorded[r], before: before))
            }
            for c in gapCells.dropFirst(gapRecorded.count) { pairs.append(Pairing(cell: cells[c])) }
            gapCells = []
            gapRecorded = []
        }
        var i = 0, j = 0  // recorded, cells
        while i < recorded.count || j < cells.count {
            if i < recorded.count, removed.contains(i) {
                if !movedRecordings.contains(i) { gapRecorded.append(i) }
                i += 1
            } else if j < cells.count, inserted.contains(j) {
                if let r = moved[j] {
                    closeGap(before: cells[j])
                    pairs.append(Pairing(cell: cells[j], recorded: recorded[r]))
                } else {
                    gapCells.append(j)
                }
                j += 1
            } else {
                closeGap(before: cells[j])
                pairs.append(Pairing(cell: cells[j], recorded: recorded[i]))
                i += 1
                j += 1
            }
        }
        closeGap(before: nil)
        return pairs
    }

    /// nil when `actual` matches `expected`; else a one-line summary and optional detail.
    static func compare(_ expected: Output, _ actual: Output, _ tolerance: Tolerance) -> (String, String?)? {
        if expected.kind != actual.kind { return ("output kind changed: \(expected.kind) → \(actual.kind)", nil) }
        switch (expected, actual) {
        case (.text(let e), .text(let a)):
            return TextComparison.matches(e, a, tolerance) ? nil : ("text differs", TextComparison.unifiedDiff(e, a))
        case (.matrix(let e), .matrix(let a)):
            return compareMatrix(e, a, tolerance)
        default:
            return compareTrees(expected, actual, tolerance)
        }
    }

    static func compareMatrix(_ e: MatrixFigure, _ a: MatrixFigure, _ tolerance: Tolerance) -> (String, String?)? {
        let name = "matrix" + (e.title.map { " \"\($0)\"" } ?? "")
        if e.rows != a.rows || e.cols != a.cols {
            return ("\(name): shape \(e.rows)×\(e.cols) → \(a.rows)×\(a.cols)", nil)
        }
        if e.rowLabels != a.rowLabels {
            return ("\(name): row labels \(list(e.rowLabels)) → \(list(a.rowLabels))", nil)
        }
        if e.colLabels != a.colLabels {
            return ("\(name): column labels \(list(e.colLabels)) → \(list(a.colLabels))", nil)
        }
        if e.masked != a.masked { return ("\(name): the masked entries changed", nil) }
        if e.values.count != a.values.count || zip(e.values, a.values).contains(where: { $0.count != $1.count }) {
            return ("\(name): the stored values changed shape", nil)
        }
        var out = 0
        var worst: (i: Int, j: Int, excess: Double)?
        for i in e.values.indices {
            for j in e.values[i].indices where !tolerance.accepts(a.values[i][j], expected: e.values[i][j]) {
                out += 1
                let excess =
                    Swift.abs(a.values[i][j] - e.values[i][j]).isNaN
                    ? .infinity : Swift.abs(a.values[i][j] - e.values[i][j])
                if worst == nil || excess > worst!.excess { worst = (i, j, excess) }
            }
        }
        if let worst {
            let total = e.values.reduce(0) { $0 + $1.count }
            let ev = e.values[worst.i][worst.j], av = a.values[worst.i][worst.j]
            return (
                "\(name): \(out) of \(total) entries out of tolerance; worst (\(worst.i), \(worst.j))"
                    + label(e, worst.i, worst.j)
                    + ": expected \(ev), actual \(av), |diff| \(NumberFormat.significant(Swift.abs(av - ev), digits: 3)) "
                    + "(tolerance: relative \(tolerance.relative), absolute \(tolerance.absolute))", nil
            )
        }
        if e != a { return compareTrees(.matrix(e), .matrix(a), tolerance) }
        return nil
    }

    private static func label(_ m: MatrixFigure, _ i: Int, _ j: Int) -> String {
        guard let r = m.rowLabels?[i], let c = m.colLabels?[j] else { return "" }
        return " [\(r), \(c)]"
    }

    private static func list(_ labels: [String]?) -> String {
        labels.map { "[" + $0.joined(separator: " ") + "]" } ?? "(indices)"
    }

    /// Walks both outputs as JSON trees: strings, keys and lengths exactly, numbers within tolerance.
    static func compareTrees(_ expected: Output, _ actual: Output, _ tolerance: Tolerance) -> (String, String?)? {
        guard let e = tree(expected), let a = tree(actual) else {
            return expected == actual ? nil : ("\(expected.kind) differs", nil)
        }
        var numeric = 0
        var first: String?
        walk(e, a, path: expected.kind, tolerance) { message, isNumber in
            if isNumber { numeric += 1 }
            if first == nil { first = message }
        }
        guard let first else { return nil }
        return (first + (numeric > 1 ? " (\(numeric) numbers out of tolerance)" : ""), nil)
    }

    private static func tree(_ o: Output) -> JSONValue? {
        guard let data = try? OutputCoding.encoder().encode(o) else { return nil }
        return try? JSONValue.parse(String(decoding: data, as: UTF8.self))
    }

    private static func walk(
        _ e: JSONValue, _ a: JSONValue, path: String, _ tolerance: Tolerance, _ report: (String, Bool) -> Void
    ) {
        switch (e, a) {
        case (.object(let em), .object(let am)):
            let keys = Set(em.map(\.key)).union(am.map(\.key)).sorted()
            for key in keys {
                guard let ev = e[key], let av = a[key] else {
                    report("\(path).\(key): present in only one of the two", false)
                    continue
                }
                walk(ev, av, path: "\(path).\(key)", tolerance, report)
            }
        case (.array(let ei), .array(let ai)):
            if ei.count != ai.count {
                report("\(path): \(ei.count) items → \(ai.count)", false)
                return
            }
            for (i, (x, y)) in zip(ei, ai).enumerated() { walk(x, y, path: "\(path)[\(i)]", tolerance, report) }
        default:
            if let x = e.double, let y = a.double {
                if !tolerance.accepts(y, expected: x) { report("\(path): expected \(x), actual \(y)", true) }
            } else if e != a {
                report("\(path): \(e.pretty()) → \(a.pretty())", false)
            }
        }
    }
}
