import NotebookModel
import TransformerCore

/// Random and adversarial outputs for the renderer: shapes that disagree with their values,
/// labels and masks of the wrong length, summaries that do not fit, out-of-range queries, and
/// numbers at the edges (±∞, NaN, ±1.8·10³⁰⁸, subnormals, 0), with text that is HTML.
struct ArbitraryOutput {
    var g: SeededGenerator

    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(g.next() % UInt64(range.count)) }
    mutating func bool() -> Bool { g.next() & 1 == 1 }

    mutating func number() -> Double {
        let edges: [Double] = [
            0, -0.0, 1, -1, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            .leastNonzeroMagnitude, 1e-300, -1e10, 1e6, 50_257,
        ]
        return int(0...3) == 0 ? edges[int(0...edges.count - 1)] : g.normal() * Double(int(1...1000))
    }

    mutating func numbers(_ n: Int) -> [Double] { (0..<n).map { _ in number() } }

    mutating func text() -> String {
        let pieces = ["q", "美女", "<script>alert(1)</script>", "&amp;", "\"", "'", "", " ", "\u{1E}NB1 ", "√d", "\n"]
        return (0..<int(0...3)).map { _ in pieces[int(0...pieces.count - 1)] }.joined()
    }

    /// A length near `n`: usually right, sometimes one off or empty.
    mutating func near(_ n: Int) -> Int { [n, n, n, max(0, n - 1), n + 1, 0][int(0...5)] }

    mutating func matrix() -> MatrixFigure {
        let rows = int(0...30), cols = int(0...30)
        let storedRows = near(rows), storedCols = near(cols)
        let values = (0..<storedRows).map { _ in numbers(near(storedCols)) }
        var m = MatrixFigure(
            title: bool() ? text() : nil, rows: int(0...9) == 0 ? -1 : rows, cols: cols, values: values,
            rowLabels: bool() ? (0..<near(storedRows)).map { _ in text() } : nil,
            colLabels: bool() ? (0..<near(storedCols)).map { _ in text() } : nil,
            scale: [.sequential, .diverging, .none][int(0...2)],
            masked: bool() ? (0..<near(storedRows)).map { _ in (0..<near(storedCols)).map { _ in bool() } } : nil,
            rowSums: bool(), summarized: bool() ? .init(headRows: int(-1...8), headCols: int(-1...8)) : nil)
        if int(0...3) == 0 {  // an image heatmap, in any colour scale, with or without axis names
            m.image = true
            m.scale = [.viridis, .sequential, .diverging, .none][int(0...3)]
            m.xLabel = bool() ? text() : nil
            m.yLabel = bool() ? text() : nil
        }
        return m
    }

    mutating func named(_ n: Int) -> NamedValues { NamedValues(name: text(), values: numbers(near(n))) }

    mutating func output(depth: Int = 0) -> Output {
        switch int(0...10) {
        case 0: return .matrix(matrix())
        case 1: return .grid(GridFigure(title: text(), panels: (0..<int(0...3)).map { _ in matrix() }))
        case 2:
            return .linePlot(
                LinePlot(
                    title: text(), xLabel: text(), yLabel: text(), xLog: bool(), yLog: bool(),
                    series: (0..<int(0...3)).map { _ in
                        let n = int(0...20)
                        return Series(name: text(), x: numbers(n), y: numbers(near(n)), reference: bool())
                    }))
        case 3:
            let bins = int(0...12)
            return .histogram(
                Histogram(
                    title: text(), xLabel: text(), edges: numbers(bins + 1),
                    series: (0..<int(0...3)).map { _ in named(bins) }))
        case 4:
            let n = int(0...8)
            return .bars(
                BarChart(
                    title: text(), yLabel: text(), categories: (0..<n).map { _ in text() },
                    series: (0..<int(0...3)).map { _ in named(n) }))
        case 5:
            return .vectors(
                VectorPlot(
                    title: text(), arrows: (0..<int(0...4)).map { _ in Arrow(label: text(), x: number(), y: number()) },
                    unitCircle: bool(), regions: bool()))
        case 6: return .numberLine(NumberLine(title: text(), points: (0..<int(0...6)).map { _ in named(1) }))
        case 7:
            let n = int(0...12), query = int(-1...n)
            let weights = numbers(near(n))
            // every query's rows, per head: of any count and shape, head 0's query row the weights or not
            var heads = bool() ? nil : (0..<int(0...7)).map { _ in (0..<near(n)).map { _ in numbers(near(n)) } }
            if let rows = heads?.first, rows.indices.contains(query), bool() { heads![0][query] = weights }
            return .arcs(
                ArcView(
                    title: text(), tokens: (0..<n).map { _ in text() }, query: query, queryLabel: text(),
                    weights: weights, heads: heads))
        case 8: return .strip(VectorStrip(title: text(), rows: (0..<int(0...4)).map { _ in named(int(0...10)) }))
        case 9 where depth == 0:  // subplots of anything, a grid inside a grid and errors included
            return .figures(
                FigureGrid(
                    title: bool() ? text() : nil, columns: int(-1...13), sharedY: bool(),
                    panels: (0..<int(0...5)).map { _ in output(depth: depth + 1) }))
        default: return .text(text())
        }
    }
}
