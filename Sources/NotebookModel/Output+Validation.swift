/// The shape rules every output obeys, checked where outputs enter the tool (a program's records,
/// a recording, a cache entry) and again before one is drawn, so that no value can make the
/// renderer index out of range.
extension Output {
    /// Why this output cannot be drawn, or nil when it is well formed.
    public var problem: String? {
        switch self {
        case .text, .error: nil
        case .matrix(let m): m.problem
        case .grid(let g):
            g.panels.enumerated().lazy.compactMap { i, p in p.problem.map { "panel \(i + 1): \($0)" } }.first
        case .linePlot(let p):
            p.series.enumerated().lazy.compactMap { i, s in
                s.x.count == s.y.count
                    ? nil : "series \(i + 1) \"\(s.name)\" has \(s.x.count) x values but \(s.y.count) y values"
            }.first
        case .histogram(let h):
            h.edges.count < 2
                ? "a histogram needs at least 2 bin edges, not \(h.edges.count)"
                : h.series.lazy.compactMap { s in
                    s.values.count == h.edges.count - 1
                        ? nil
                        : "series \"\(s.name)\" has \(s.values.count) counts for \(h.edges.count - 1) bins"
                }.first
        case .bars(let b):
            b.series.lazy.compactMap { s in
                s.values.count == b.categories.count
                    ? nil
                    : "series \"\(s.name)\" has \(s.values.count) values for \(b.categories.count) categories"
            }.first
        case .vectors: nil
        case .numberLine(let n):
            n.points.lazy.compactMap {
                $0.values.count == 1 ? nil : "point \"\($0.name)\" has \($0.values.count) coordinates, not 1"
            }.first
        case .arcs(let a): a.problem
        case .strip: nil
        case .diagram(let d): d.problem
        case .figures(let g):
            g.columns < 1 || g.columns > 12
                ? "\(g.columns) columns (1 to 12)"
                : g.panels.enumerated().lazy.compactMap { i, p -> String? in
                    if case .figures = p { return "panel \(i + 1): a grid of figures inside a grid" }
                    if case .error = p { return "panel \(i + 1): an error is not a figure" }
                    return p.problem.map { "panel \(i + 1): \($0)" }
                }.first
        }
    }
}

extension MatrixFigure {
    /// Why this matrix cannot be drawn, or nil.
    public var problem: String? {
        guard rows >= 0, cols >= 0 else { return "the shape \(rows)×\(cols) is negative" }
        let storedRows = values.count, storedCols = values.first?.count ?? 0
        if let bad = values.firstIndex(where: { $0.count != storedCols }) {
            return "row \(bad) has \(values[bad].count) values but row 0 has \(storedCols)"
        }
        if let s = summarized {
            guard s.headRows >= 0, s.headCols >= 0, 2 * s.headRows == storedRows || storedRows == rows,
                2 * s.headCols == storedCols || storedCols == cols, storedRows <= rows, storedCols <= cols
            else {
                return
                    "the summary (\(s.headRows) and \(s.headCols) kept) does not fit \(storedRows)×\(storedCols) values of \(rows)×\(cols)"
            }
        } else if storedRows != rows || (rows > 0 && storedCols != cols) {
            return "\(storedRows)×\(storedCols) values for a \(rows)×\(cols) matrix"
        }
        if let labels = rowLabels, labels.count != storedRows {
            return "\(labels.count) row labels for \(storedRows) rows"
        }
        if let labels = colLabels, labels.count != storedCols {
            return "\(labels.count) column labels for \(storedCols) columns"
        }
        if let masked, masked.count != storedRows || masked.contains(where: { $0.count != storedCols }) {
            return
                "the mask is \(masked.count)×\(masked.first?.count ?? 0) but the values are \(storedRows)×\(storedCols)"
        }
        return nil
    }
}

extension ArcView {
    /// Why these arcs cannot be drawn, or nil.
    public var problem: String? {
        if weights.count != tokens.count { return "\(weights.count) weights for \(tokens.count) tokens" }
        if !tokens.indices.contains(query) { return "the query \(query) is not one of the \(tokens.count) tokens" }
        guard let heads else { return nil }
        if !(1...ArcView.maxHeads).contains(heads.count) { return "\(heads.count) heads (1 to \(ArcView.maxHeads))" }
        for (h, rows) in heads.enumerated() {
            if rows.count != tokens.count { return "head \(h) has \(rows.count) rows for \(tokens.count) tokens" }
            if let bad = rows.firstIndex(where: { $0.count != tokens.count }) {
                return "head \(h), row \(bad) has \(rows[bad].count) weights for \(tokens.count) tokens"
            }
        }
        if !zip(heads[0][query], weights).allSatisfy({ $0 == $1 || ($0.isNaN && $1.isNaN) }) {
            return "the weights are not head 0's row of the query"
        }
        return nil
    }
}
