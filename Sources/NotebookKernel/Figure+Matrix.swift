import NotebookModel

/// Matrices larger than this many entries are recorded summarised (corners only).
let wholeMatrixLimit = 40_000
/// Rows and columns kept at each end of a summarised matrix.
let summaryEdge = 6

/// A matrix figure: labels checked against the shape, scale chosen from the values when not given
/// (diverging when any value is negative, sequential otherwise), large matrices summarised.
func figure(
    _ m: Matrix, rows: [String]? = nil, cols: [String]? = nil, title: String? = nil,
    scale: ColorScale? = nil, mask: Mask? = nil, rowSums: Bool = false,
    file: StaticString = #fileID, line: UInt = #line
) -> MatrixFigure {
    if let rows, rows.count != m.rows {
        fatalError("show: \(rows.count) row labels for \(m.shapeDescription)", file: file, line: line)
    }
    if let cols, cols.count != m.cols {
        fatalError("show: \(cols.count) column labels for \(m.shapeDescription)", file: file, line: line)
    }
    if let mask, mask.rows != m.rows || mask.cols != m.cols {
        fatalError(
            "show: the mask is \(mask.rows)×\(mask.cols) but the matrix is \(m.shapeDescription)", file: file,
            line: line)
    }
    let chosen = scale ?? (m.values.contains { $0 < 0 } ? .diverging : .sequential)
    var masked = mask.map { $0.allowed.map { $0.map { !$0 } } }
    var values = m.rowArrays
    var rowLabels = rows, colLabels = cols
    var summary: MatrixFigure.Summary?
    if m.rows * m.cols > wholeMatrixLimit {
        let keepRows =
            m.rows > 2 * summaryEdge ? Array(0..<summaryEdge) + Array(m.rows - summaryEdge..<m.rows) : Array(0..<m.rows)
        let keepCols =
            m.cols > 2 * summaryEdge ? Array(0..<summaryEdge) + Array(m.cols - summaryEdge..<m.cols) : Array(0..<m.cols)
        values = keepRows.map { i in keepCols.map { j in m[i, j] } }
        rowLabels = rows.map { r in keepRows.map { r[$0] } }
        colLabels = cols.map { c in keepCols.map { c[$0] } }
        masked = masked.map { mk in keepRows.map { i in keepCols.map { j in mk[i][j] } } }
        summary = .init(headRows: min(summaryEdge, m.rows), headCols: min(summaryEdge, m.cols))
    }
    return MatrixFigure(
        title: title, rows: m.rows, cols: m.cols, values: values, rowLabels: rowLabels,
        colLabels: colLabels, scale: chosen, masked: masked, rowSums: rowSums, summarized: summary)
}
