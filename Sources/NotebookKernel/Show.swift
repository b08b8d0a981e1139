import NotebookModel

/// Shows a matrix as a labelled heatmap table.
///
/// `show(W, rows: tokens, cols: tokens, title: "attention weights", scale: .sequential)`.
/// - Parameters:
///   - rows, cols: one label per row and column (tokens); indices when nil.
///   - scale: `.sequential`, `.diverging` or `.none`; chosen from the values when nil.
///   - mask: entries the mask forbids are marked.
///   - rowSums: add a column with each row's sum.
/// - Precondition: the labels match the shape.
public func show(
    _ m: Matrix, rows: [String]? = nil, cols: [String]? = nil, title: String? = nil,
    scale: ColorScale? = nil, mask: Mask? = nil, rowSums: Bool = false,
    file: StaticString = #fileID, line: UInt = #line
) {
    Channel.emit(
        .matrix(
            figure(
                m, rows: rows, cols: cols, title: title, scale: scale, mask: mask,
                rowSums: rowSums, file: file, line: line)))
}

/// Shows a vector as a one-row table.
public func show(
    _ v: [Double], labels: [String]? = nil, title: String? = nil, scale: ColorScale? = ColorScale.none,
    file: StaticString = #fileID, line: UInt = #line
) {
    show(Matrix(row: v), cols: labels, title: title, scale: scale, file: file, line: line)
}

/// Shows text (a line is added when it does not end in one).
public func show(_ text: String) {
    Channel.emit(.text(text.hasSuffix("\n") ? text : text + "\n"))
}

/// Shows a number with its label at a fixed precision: `show("std", 0.125)` prints `std = 0.125000`.
public func show(_ label: String, _ value: Double, digits: Int = 6) {
    show("\(label) = \(NumberFormat.fixed(value, digits: digits))")
}

/// Shows an attention result: scaled scores (diverging), weights (sequential, with row sums) and
/// output, labelled with the query and key tokens.
public func show(
    _ a: Attention, queries: [String]? = nil, keys: [String]? = nil, title: String? = nil,
    file: StaticString = #fileID, line: UInt = #line
) {
    let prefix = title.map { "\($0): " } ?? ""
    show(
        a.scores, rows: queries, cols: keys,
        title: prefix + "scores S = QKᵀ·\(NumberFormat.significant(a.scale, digits: 4))"
            + (a.mask == nil ? "" : " + mask"),
        scale: .diverging, mask: a.mask, file: file, line: line)
    show(
        a.weights, rows: queries, cols: keys, title: prefix + "weights A = softmax(S) per row", scale: .sequential,
        mask: a.mask, rowSums: true, file: file, line: line)
    show(a.output, rows: queries, title: prefix + "output O = AV", scale: .diverging, file: file, line: line)
}

/// Shows a multi-head result: the heads' weights side by side on one scale, then the output.
public func show(
    _ r: MultiHeadResult, queries: [String]? = nil, keys: [String]? = nil, title: String? = nil,
    file: StaticString = #fileID, line: UInt = #line
) {
    grid(
        r.heads.map(\.weights), titles: r.heads.indices.map { "head \($0)" }, rows: queries, cols: keys,
        title: (title.map { "\($0): " } ?? "") + "attention weights per head", mask: r.heads.first?.mask,
        file: file, line: line)
    show(
        r.output, rows: queries, title: (title.map { "\($0): " } ?? "") + "output = concat·W_O", scale: .diverging,
        file: file, line: line)
}

/// Shows several matrices side by side on one shared colour scale.
/// - Precondition: one title per matrix when titles are given.
public func grid(
    _ matrices: [Matrix], titles: [String]? = nil, rows: [String]? = nil, cols: [String]? = nil,
    title: String? = nil, scale: ColorScale? = nil, mask: Mask? = nil,
    file: StaticString = #fileID, line: UInt = #line
) {
    if let titles, titles.count != matrices.count {
        fatalError("grid: \(titles.count) titles for \(matrices.count) matrices", file: file, line: line)
    }
    let chosen = scale ?? (matrices.contains { $0.values.contains { $0 < 0 } } ? .diverging : .sequential)
    let panels = matrices.enumerated().map { i, m in
        figure(m, rows: rows, cols: cols, title: titles?[i], scale: chosen, mask: mask, file: file, line: line)
    }
    Channel.emit(.grid(GridFigure(title: title, panels: panels)))
}

/// A named series for `plot`: `("√d", ds, ds.map(sqrt))`; `reference: true` draws it dashed.
public func series(
    _ name: String, _ x: [Double], _ y: [Double], reference: Bool = false,
    file: StaticString = #fileID, line: UInt = #line
) -> Series {
    if x.count != y.count {
        fatalError("series \"\(name)\": \(x.count) x values but \(y.count) y values", file: file, line: line)
    }
    return Series(name: name, x: x, y: y, reference: reference)
}

/// A series over steps 1, 2, …, n, as a training loss is plotted: `series("loss", losses)`;
/// `from: 0` numbers its points from 0, as positions are.
public func series(_ name: String, _ y: [Double], from x0: Double = 1, reference: Bool = false) -> Series {
    Series(name: name, x: y.indices.map { x0 + Double($0) }, y: y, reference: reference)
}

/// Draws a line plot of one or more series.
public func plot(_ series: Series..., title: String, x: String, y: String, xLog: Bool = false, yLog: Bool = false) {
    plot(series, title: title, x: x, y: y, xLog: xLog, yLog: yLog)
}

/// Draws an array of series, as built in a loop: `plot(runs.map { series($0.name, $0.losses) }, …)`.
public func plot(_ series: [Series], title: String, x: String, y: String, xLog: Bool = false, yLog: Bool = false) {
    Channel.emit(.linePlot(LinePlot(title: title, xLabel: x, yLabel: y, xLog: xLog, yLog: yLog, series: series)))
}

/// A scatter plot: each series drawn as markers only, with no line between its points.
public func scatter(_ series: Series..., title: String, x: String, y: String, xLog: Bool = false, yLog: Bool = false) {
    plot(
        series.map {
            var s = $0
            s.markers = true
            return s
        }, title: title, x: x, y: y, xLog: xLog, yLog: yLog)
}

/// Draws overlaid histograms of samples over `bins` shared bins spanning all samples.
public func histogram(
    _ samples: (String, [Double])..., bins: Int = 30, title: String, x: String,
    file: StaticString = #fileID, line: UInt = #line
) {
    let all = samples.flatMap(\.1).filter(\.isFinite)
    guard bins > 0, let lo = all.min(), let hi = all.max() else {
        fatalError("histogram: no finite samples or no bins", file: file, line: line)
    }
    let width = hi > lo ? (hi - lo) / Double(bins) : 1
    let edges = (0...bins).map { lo + Double($0) * width }
    let series = samples.map { name, values in
        var counts = [Double](repeating: 0, count: bins)
        for v in values where v.isFinite { counts[min(bins - 1, Int((v - lo) / width))] += 1 }
        return NamedValues(name: name, values: counts)
    }
    Channel.emit(.histogram(Histogram(title: title, xLabel: x, edges: edges, series: series)))
}

/// Draws grouped bars: one group per category, one bar per series.
public func bars(
    _ categories: [String], _ series: (String, [Double])..., title: String, y: String,
    file: StaticString = #fileID, line: UInt = #line
) {
    bars(categories, series, title: title, y: y, file: file, line: line)
}

/// Draws grouped bars of an array of series, as built in a loop:
/// `bars(names, runs.map { ($0.name, $0.accuracies) }, …)`.
public func bars(
    _ categories: [String], _ series: [(String, [Double])], title: String, y: String,
    file: StaticString = #fileID, line: UInt = #line
) {
    for (name, values) in series where values.count != categories.count {
        fatalError(
            "bars \"\(name)\": \(values.count) values for \(categories.count) categories", file: file, line: line)
    }
    Channel.emit(
        .bars(
            BarChart(
                title: title, yLabel: y, categories: categories,
                series: series.map { NamedValues(name: $0.0, values: $0.1) })))
}

/// Draws 2-D arrows from the origin; the first is the reference whose related (positive inner
/// product) and opposed half-planes are shaded.
public func arrows(
    _ vectors: (String, [Double])..., title: String, unitCircle: Bool = true, regions: Bool = true,
    file: StaticString = #fileID, line: UInt = #line
) {
    let list = vectors.map { name, v in
        if v.count != 2 { fatalError("arrows \"\(name)\": \(v.count) coordinates, not 2", file: file, line: line) }
        return Arrow(label: name, x: v[0], y: v[1])
    }
    Channel.emit(.vectors(VectorPlot(title: title, arrows: list, unitCircle: unitCircle, regions: regions)))
}

/// Places labelled values on a number line (token ids, say).
public func numberLine(_ points: [(String, Double)], title: String) {
    Channel.emit(.numberLine(NumberLine(title: title, points: points.map { NamedValues(name: $0.0, values: [$0.1]) })))
}

/// Draws vectors as strips of cells coloured by sign: `strip(("q", q), ("k", k), ("q⊙k", hadamard(q, k)))`.
public func strip(_ rows: (String, [Double])..., title: String) {
    Channel.emit(.strip(VectorStrip(title: title, rows: rows.map { NamedValues(name: $0.0, values: $0.1) })))
}

/// A number as text with `digits` decimals, the same on every machine: `fixed(0.1 + 0.2, 3)` is `0.300`.
public func fixed(_ value: Double, _ digits: Int) -> String { NumberFormat.fixed(value, digits: digits) }

/// Shows a matrix as an image heatmap: one coloured pixel per entry (viridis by default), axis
/// names and a colour bar, no numbers; for matrices too large to read entry by entry, such as
/// d2l's 40 × 50 attention weights of Nadaraya–Watson regression:
/// `heatmap(weights, title: "attention weights", x: "sorted training inputs", y: "sorted testing inputs")`.
///
/// Larger than 256 × 256, it is drawn from the means of blocks of entries (the title says so).
/// - Parameters:
///   - rows, cols: one tick label per row and column; indices when nil (a few are drawn, as fit).
///   - scale: `.viridis` (the default), `.sequential` or `.diverging`.
/// - Precondition: the labels match the shape; the matrix is not empty.
public func heatmap(
    _ m: Matrix, title: String, x: String? = nil, y: String? = nil, rows: [String]? = nil, cols: [String]? = nil,
    scale: ColorScale = .viridis, file: StaticString = #fileID, line: UInt = #line
) {
    if m.rows == 0 || m.cols == 0 {
        fatalError("heatmap: the matrix is empty (\(m.shapeDescription))", file: file, line: line)
    }
    if let rows, rows.count != m.rows {
        fatalError("heatmap: \(rows.count) row labels for \(m.shapeDescription)", file: file, line: line)
    }
    if let cols, cols.count != m.cols {
        fatalError("heatmap: \(cols.count) column labels for \(m.shapeDescription)", file: file, line: line)
    }
    let limit = 256
    let fr = (m.rows + limit - 1) / limit, fc = (m.cols + limit - 1) / limit
    var values = m.rowArrays, rowLabels = rows, colLabels = cols, name = title
    if fr > 1 || fc > 1 {  // block means, so that the image stays a few hundred kilobytes
        let outRows = (m.rows + fr - 1) / fr, outCols = (m.cols + fc - 1) / fc
        values = (0..<outRows).map { bi in
            (0..<outCols).map { bj in
                var sum = 0.0, n = 0.0
                for i in (bi * fr)..<min(m.rows, (bi + 1) * fr) {
                    for j in (bj * fc)..<min(m.cols, (bj + 1) * fc) {
                        sum += m[i, j]
                        n += 1
                    }
                }
                return sum / n
            }
        }
        rowLabels = rows.map { r in (0..<outRows).map { r[$0 * fr] } }
        colLabels = cols.map { c in (0..<outCols).map { c[$0 * fc] } }
        name += " (means of \(fr)×\(fc) blocks)"
    }
    var figure = MatrixFigure(
        title: name, rows: values.count, cols: values[0].count, values: values, rowLabels: rowLabels,
        colLabels: colLabels, scale: scale)
    figure.image = true
    figure.xLabel = x
    figure.yLabel = y
    Channel.emit(.matrix(figure))
}

/// Draws the figures the body shows side by side, `columns` to a row, as small multiples:
/// `subplots(columns: 4, title: "…", shareY: true) { for w in widths { plot(…) } }`.
///
/// Line plots, histograms and bars become compact panels (their y range shared with `shareY`);
/// any other output keeps its own form. Text the body prints comes before the grid.
/// - Precondition: 1 to 12 columns; not inside another `subplots`.
public func subplots(
    columns: Int? = nil, title: String? = nil, shareY: Bool = false,
    file: StaticString = #fileID, line: UInt = #line, _ body: () throws -> Void
) rethrows {
    if Channel.captured != nil { fatalError("subplots: a subplots inside another", file: file, line: line) }
    if let columns, !(1...12).contains(columns) {
        fatalError("subplots: \(columns) columns (1 to 12)", file: file, line: line)
    }
    Channel.captured = []
    defer { Channel.captured = nil }
    try body()
    let outputs = Channel.captured ?? []
    Channel.captured = nil
    let panels = outputs.filter { if case .text = $0 { false } else { true } }
    guard !panels.isEmpty else {
        for o in outputs { Channel.emit(o) }
        return
    }
    Channel.emit(
        .figures(FigureGrid(title: title, columns: columns ?? min(4, panels.count), sharedY: shareY, panels: panels)))
    for o in outputs { if case .text = o { Channel.emit(o) } }
}
