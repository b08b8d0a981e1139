import NotebookModel

/// A wide matrix drawn a second time for a phone: coloured cells without numbers, labels at the
/// edges, the numbers in a folded table under it.
enum NarrowHeatmap {
    /// Tables with more visible columns than this get the phone drawing.
    static let columnLimit = 10
    /// The drawing's width in SVG units: a 390 px phone's column, so 12-unit text stays near 12 px.
    static let width = 360.0
    /// The height cells may take before they stop being square.
    static let maxHeight = 420.0
    /// A gap ("…") takes this fraction of a cell.
    static let gapShare = 0.6

    /// Cell geometry along one axis: each visible index (nil for the gap) with its start and size.
    static func slots(_ indices: [Int?], room: Double) -> (
        cell: Double, slots: [(index: Int?, start: Double, size: Double)]
    ) {
        let units = indices.reduce(0.0) { $0 + ($1 == nil ? gapShare : 1) }
        let cell = room / max(1, units)
        var at = 0.0
        let slots = indices.map { i -> (index: Int?, start: Double, size: Double) in
            let size = i == nil ? cell * gapShare : cell
            defer { at += size }
            return (i, at, size)
        }
        return (cell, slots)
    }

    /// Every `step`-th label of an axis whose cells are `cell` units apart and whose labels need
    /// `need` units each: 1, 2, 5, 10 … so that labels never overlap.
    static func labelStep(cell: Double, need: Double) -> Int {
        let raw = max(1, Int((need / max(cell, 0.01)).rounded(.up)))
        return [1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000].first { $0 >= raw } ?? raw
    }

    /// The phone's figure: caption, the colour image, the legend, and the numbers folded.
    ///
    /// ```html
    /// <figure class="matrix narrow"><figcaption>…</figcaption>
    /// <svg class="cells" viewBox="0 0 360 …" role="img"><title>…</title><desc>…</desc><rect style="--c:#…;--cd:#…" …/>…</svg>
    /// <p class="legend">…</p><details class="data"><summary>the numbers</summary><div class="scroll"><table class="numbers">…</table></div></details></figure>
    /// ```
    static func render(
        _ f: MatrixFigure, rows: [Int?], cols: [Int?], range: ColorRange, caption: String, legend: String,
        decimals: Int
    ) -> String {
        let rowLabel = { (i: Int) in f.rowLabels?[i] ?? String(i) }
        let colLabel = { (j: Int) in f.colLabels?[j] ?? String(j) }
        let rowNames = rows.compactMap { $0 }.map(rowLabel), colNames = cols.compactMap { $0 }.map(colLabel)
        let left = min(90, (rowNames.map { textWidth($0) }.max() ?? 12)) + 8
        let room = width - left - 4
        let across = slots(cols, room: room)
        let widest = colNames.map { textWidth($0) }.max() ?? 12
        // Column labels upright when they fit their cells, else turned a quarter.
        let turned = widest + 4 > across.cell * Double(labelStep(cell: across.cell, need: 14))
        let colStep = labelStep(cell: across.cell, need: turned ? 14 : widest + 4)
        let top = (turned ? min(90, widest) : 12) + 8
        let rowUnits = rows.reduce(0.0) { $0 + ($1 == nil ? gapShare : 1) }
        let down = slots(rows, room: min(maxHeight, across.cell * rowUnits))
        let rowStep = labelStep(cell: down.cell, need: 14)
        let height = top + (down.slots.last.map { $0.start + $0.size } ?? 0) + 4
        var body = ""
        for (n, slot) in across.slots.enumerated() {
            let x = left + slot.start + slot.size / 2
            guard let j = slot.index else {
                body += "<text x=\"\(coordinate(x))\" y=\"\(coordinate(top - 6))\" text-anchor=\"middle\">…</text>"
                continue
            }
            guard n % colStep == 0 else { continue }
            let name = escapeHTML(fitted(colLabel(j), width: 90, size: 12))
            body +=
                turned
                ? "<text transform=\"translate(\(coordinate(x + 4)) \(coordinate(top - 6))) rotate(-90)\">\(name)</text>"
                : "<text x=\"\(coordinate(x))\" y=\"\(coordinate(top - 6))\" text-anchor=\"middle\">\(name)</text>"
        }
        for (m, row) in down.slots.enumerated() {
            let y = top + row.start
            guard let i = row.index else {
                body +=
                    "<text x=\"\(coordinate(left - 6))\" y=\"\(coordinate(y + row.size / 2))\" text-anchor=\"end\" dominant-baseline=\"middle\">⋮</text>"
                continue
            }
            if m % rowStep == 0 {
                body +=
                    "<text x=\"\(coordinate(left - 6))\" y=\"\(coordinate(y + row.size / 2))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(escapeHTML(fitted(rowLabel(i), width: 90, size: 12)))</text>"
            }
            for slot in across.slots {
                guard let j = slot.index else { continue }
                let v = f.values[i][j]
                let masked = f.masked?[i][j] ?? false
                let place =
                    "x=\"\(coordinate(left + slot.start))\" y=\"\(coordinate(y))\" width=\"\(coordinate(slot.size))\" height=\"\(coordinate(row.size))\""
                if masked {
                    body += "<rect class=\"masked\" \(place)/>"
                } else if let light = range.color(v, scale: f.scale),
                    let dark = range.color(v, scale: f.scale, dark: true)
                {
                    body += "<rect style=\"--c:\(light.hex);--cd:\(dark.hex)\" \(place)/>"
                } else {
                    body += "<rect class=\"plain\" \(place)/>"
                }
            }
        }
        body +=
            "<rect class=\"frame\" x=\"\(coordinate(left))\" y=\"\(coordinate(top))\" width=\"\(coordinate(room))\" height=\"\(coordinate(height - top - 4))\"/>"
        let description =
            "Colour image of the \(f.rows)×\(f.cols) values, \(NumberFormat.fixed(range.low, digits: decimals)) to "
            + "\(NumberFormat.fixed(range.high, digits: decimals)); the numbers are in the table under it."
        return "<figure class=\"matrix narrow\">" + caption
            + "<svg class=\"cells\" viewBox=\"0 0 \(Int(width)) \(Int(height.rounded(.up)))\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"
            + "<title>\(escapeHTML(f.title ?? "matrix"))</title><desc>\(escapeHTML(description))</desc>" + body
            + "</svg>"
            + legend + "<details class=\"data\"><summary>the numbers</summary><div class=\"scroll\">"
            + numbers(f, rows: rows, cols: cols, decimals: decimals) + "</div></details></figure>"
    }

    /// The values as a plain table (no colours: the image above carries them).
    ///
    /// `<table class="numbers"><thead><tr><th></th><th scope="col">a</th>…</tr></thead><tbody><tr><th scope="row">x</th><td>0.50</td>…</tr></tbody></table>`
    static func numbers(_ f: MatrixFigure, rows: [Int?], cols: [Int?], decimals: Int) -> String {
        let rowLabel = { (i: Int) in f.rowLabels?[i] ?? String(i) }
        let colLabel = { (j: Int) in f.colLabels?[j] ?? String(j) }
        var html = "<table class=\"numbers\"><thead><tr><th></th>"
        html += cols.map { j in "<th scope=\"col\">\(j.map { escapeHTML(colLabel($0)) } ?? "…")</th>" }.joined()
        html += "</tr></thead><tbody>"
        for i in rows {
            guard let i else {
                html += "<tr><th scope=\"row\">⋮</th>" + String(repeating: "<td>⋮</td>", count: cols.count) + "</tr>"
                continue
            }
            html += "<tr><th scope=\"row\">\(escapeHTML(rowLabel(i)))</th>"
            for j in cols {
                guard let j else {
                    html += "<td>…</td>"
                    continue
                }
                let text = escapeHTML(NumberFormat.cell(f.values[i][j], decimals: decimals))
                html +=
                    (f.masked?[i][j] ?? false)
                    ? "<td class=\"masked\" title=\"masked\">\(text)</td>" : "<td>\(text)</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table>"
    }
}
