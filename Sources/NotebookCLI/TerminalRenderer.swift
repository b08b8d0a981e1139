import NotebookModel

/// Outputs as terminal text: text as printed, matrices as aligned tables, figures as a line
/// that names them and their data.
enum TerminalRenderer {
    static func render(_ notebook: Notebook, run: NotebookRun) -> String {
        var out = ""
        for result in run.cells where !result.outputs.isEmpty {
            let cell = notebook.cells[result.index]
            out += "── cell \(cell.number) · \(notebook.path):\(cell.line)\n"
            for output in result.outputs { out += render(output) }
        }
        return out
    }

    static func render(_ output: Output) -> String {
        switch output {
        case .text(let s): return s.hasSuffix("\n") ? s : s + "\n"
        case .matrix(let m) where m.image == true:
            let values = m.values.flatMap { $0 }.filter(\.isFinite)
            return
                "[image] \(m.title ?? "matrix") (\(m.rows)×\(m.cols)), values \(NumberFormat.significant(values.min() ?? .nan, digits: 4)) to \(NumberFormat.significant(values.max() ?? .nan, digits: 4))\n"
        case .matrix(let m): return table(m)
        case .grid(let g): return (g.title.map { "\($0)\n" } ?? "") + g.panels.map(table).joined()
        case .linePlot(let p):
            return "[line plot] \(p.title): "
                + p.series.map { "\($0.name) (\($0.x.count) points)" }.joined(separator: ", ") + "\n"
        case .histogram(let h): return "[histogram] \(h.title): \(h.series.map(\.name).joined(separator: ", "))\n"
        case .bars(let b):
            return "[bars] \(b.title): "
                + b.series.map { s in
                    s.name + " "
                        + zip(b.categories, s.values).map { "\($0)=\(NumberFormat.significant($1, digits: 4))" }.joined(
                            separator: " ")
                }.joined(separator: "; ") + "\n"
        case .vectors(let v):
            return "[arrows] \(v.title): "
                + v.arrows.map {
                    "\($0.label)=(\(NumberFormat.significant($0.x, digits: 3)), \(NumberFormat.significant($0.y, digits: 3)))"
                }.joined(separator: " ") + "\n"
        case .numberLine(let n):
            return "[number line] \(n.title): "
                + n.points.map { "\($0.name)=\(NumberFormat.significant($0.values.first ?? .nan, digits: 4))" }.joined(
                    separator: " ") + "\n"
        case .arcs(let a):
            let rows = a.heads?.map { $0[a.query] } ?? [a.weights]
            return "[arcs] \(a.title): \(a.queryLabel) →"
                + rows.enumerated().map { h, row in
                    (rows.count > 1 ? " head \(h):" : "")
                        + zip(a.tokens, row).map { " \($0) \(NumberFormat.fixed($1, digits: 3))" }.joined()
                }.joined(separator: ";") + "\n"
        case .strip(let s):
            return "[strip] \(s.title)\n"
                + s.rows.map {
                    $0.name + ": " + $0.values.map { NumberFormat.fixed($0, digits: 3) }.joined(separator: " ")
                }.joined(separator: "\n") + "\n"
        case .figures(let g): return (g.title.map { "\($0)\n" } ?? "") + g.panels.map(render).joined()
        case .diagram(let d): return diagram(d)
        case .error(let f): return "error (\(f.reason.rawValue)): \(f.message)\n"
        }
    }

    /// `[diagram] title` then a line per box, its shape, note and what flows into it:
    /// `  Q 8×4 (X·W_Q) ← X`.
    static func diagram(_ d: Diagram) -> String {
        var out = "[diagram] \(d.title)\n"
        for b in d.boxes {
            let shape = b.rows.flatMap { r in b.cols.map { " \(r)×\($0)" } } ?? ""
            let inputs = d.arrows.filter { $0.to == b.name }.map { $0.from + ($0.label.map { " (\($0))" } ?? "") }
            out +=
                "  \(b.name)\(shape)" + (b.note.map { " (\($0))" } ?? "")
                + (inputs.isEmpty ? "" : " ← " + inputs.joined(separator: ", ")) + "\n"
        }
        return out
    }

    static func table(_ m: MatrixFigure) -> String {
        let decimals = NumberFormat.decimals(for: m.values.flatMap { $0 })
        let header = [""] + (m.colLabels ?? (0..<(m.values.first?.count ?? 0)).map(String.init))
        let rows = m.values.enumerated().map { i, row in
            [m.rowLabels?[i] ?? String(i)]
                + row.enumerated().map { j, v in
                    (m.masked?[i][j] ?? false) ? "·" : NumberFormat.cell(v, decimals: decimals)
                }
        }
        let widths = (0..<header.count).map { j in
            ([header] + rows).map { $0.indices.contains(j) ? $0[j].count : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { j, c in String(repeating: " ", count: max(0, widths[j] - c.count)) + c }.joined(
                separator: "  ")
        }
        var out = (m.title ?? "matrix") + " (\(m.rows)×\(m.cols)\(m.summarized != nil ? ", summarised" : ""))\n"
        out += line(header) + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }
}
