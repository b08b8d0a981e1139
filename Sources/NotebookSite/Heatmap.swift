import NotebookModel

/// The colour range of a matrix or of a grid of matrices, over unmasked finite entries.
struct ColorRange {
    var low: Double, high: Double

    /// The range of `figures`; from 0 unless `fromLowest` (an image's colour map spans the data).
    init(_ figures: [MatrixFigure], fromLowest: Bool = false) {
        var lo = Double.infinity, hi = -Double.infinity
        for f in figures {
            for (i, row) in f.values.enumerated() {
                for (j, v) in row.enumerated() where v.isFinite && !(f.masked?[i][j] ?? false) {
                    lo = min(lo, v)
                    hi = max(hi, v)
                }
            }
        }
        if lo > hi {
            lo = 0
            hi = 1
        }
        low = fromLowest ? lo : min(0, lo)
        high = hi
    }

    func color(_ v: Double, scale: ColorScale, dark: Bool = false) -> Colors.RGB? {
        switch scale {
        case .sequential: Colors.sequential(v, low: low, high: high, dark: dark)
        case .diverging: Colors.diverging(v, limit: max(Swift.abs(low), Swift.abs(high)), dark: dark)
        case .viridis: Colors.viridis(high > low ? (v - low) / (high - low) : 0)
        case .none: nil
        }
    }

    /// A cell's colours for both themes as custom properties (the style sheet picks a pair):
    /// `--c`/`--t` light background and text, `--cd`/`--td` dark; each text colour is black or
    /// white, whichever contrasts more with the cell: at least 4.58:1 for any background (WCAG
    /// AA asks 4.5), which softer inks cannot promise for mid-tone cells.
    func style(_ v: Double, scale: ColorScale) -> String? {
        guard let light = color(v, scale: scale), let dark = color(v, scale: scale, dark: true) else { return nil }
        let lightText = light.text(light: Colors.white, dark: Colors.black)
        let darkText = dark.text(light: Colors.white, dark: Colors.black)
        return "--c:\(light.hex);--t:\(lightText.hex);--cd:\(dark.hex);--td:\(darkText.hex)"
    }
}

extension MatrixFigure {
    /// The values the mask allows: a −1e10 fill must not decide how real scores are printed.
    var unmaskedValues: [Double] {
        values.enumerated().flatMap { i, row in
            row.enumerated().compactMap { j, v in (masked?[i][j] ?? false) ? nil : v }
        }
    }
}

/// Rows and columns shown of a long axis: all when short, else the head, a gap, and the tail.
enum Visible {
    /// Axes longer than this are cut on the page.
    static let limit = 24
    /// Entries kept at each end of a cut axis.
    static let edge = 8

    /// Indices into the stored values, with nil standing for "…".
    static func indices(stored: Int, full: Int, headKept: Int?) -> [Int?] {
        if let head = headKept, stored < full {
            return Array(0..<head).map { Optional($0) } + [nil] + Array(head..<stored).map { Optional($0) }
        }
        if stored <= limit { return Array(0..<stored) }
        return Array(0..<edge).map { Optional($0) } + [nil] + Array(stored - edge..<stored).map { Optional($0) }
    }
}

/// A matrix as a table: values as text at a fixed precision, colour as an aid, labels as headers.
///
/// ```html
/// <figure class="matrix"><figcaption>weights <span class="shape">3×3</span></figcaption>
/// <table class="heatmap" data-scale="sequential"><thead><tr><th></th><th scope="col">我</th>…</tr></thead>
/// <tbody><tr><th scope="row">我</th><td style="background:#2166ac;color:#fff">0.500</td>…</tr></tbody></table>
/// <p class="legend">…</p></figure>
/// ```
///
/// Over ``NarrowHeatmap/columnLimit`` columns (and coloured), it is drawn a second time for a
/// phone, one of the two shown by the stylesheet:
/// `<div class="matrix-widths"><figure class="matrix wide">…</figure><figure class="matrix narrow">…</figure></div>`.
func renderMatrix(_ f: MatrixFigure, range: ColorRange? = nil, legend: Bool = true) -> String {
    let range = range ?? ColorRange([f])
    let rows = Visible.indices(stored: f.values.count, full: f.rows, headKept: f.summarized?.headRows)
    let cols = Visible.indices(stored: f.values.first?.count ?? 0, full: f.cols, headKept: f.summarized?.headCols)
    let decimals = NumberFormat.decimals(for: f.unmaskedValues)
    let colLabel = { (j: Int) in f.colLabels?[j] ?? String(j) }
    let rowLabel = { (i: Int) in f.rowLabels?[i] ?? String(i) }
    let cut = rows.contains(nil) || cols.contains(nil)
    let sums = f.rowSums && !cut && f.summarized == nil
    let caption =
        "<figcaption>" + (f.title.map { escapeHTML($0) + " " } ?? "")
        + "<span class=\"shape\">\(f.rows)×\(f.cols)\(cut ? ", summarised" : "")</span></figcaption>"
    let wide = cols.count > NarrowHeatmap.columnLimit && f.scale != .none
    var html = "<figure class=\"matrix\(wide ? " wide" : "")\">" + caption
    html += "<div class=\"scroll\"><table class=\"heatmap\" data-scale=\"\(f.scale.rawValue)\"><thead><tr><th></th>"
    for j in cols {
        html += j.map { "<th scope=\"col\">\(escapeHTML(colLabel($0)))</th>" } ?? "<th scope=\"col\">…</th>"
    }
    if sums { html += "<th scope=\"col\" class=\"sum\">Σ row</th>" }
    html += "</tr></thead><tbody>"
    for i in rows {
        guard let i else {
            html +=
                "<tr class=\"gap\"><th scope=\"row\">⋮</th>" + String(repeating: "<td>⋮</td>", count: cols.count)
                + (sums ? "<td></td>" : "") + "</tr>"
            continue
        }
        html += "<tr><th scope=\"row\">\(escapeHTML(rowLabel(i)))</th>"
        for j in cols {
            guard let j else {
                html += "<td class=\"gap\">…</td>"
                continue
            }
            let v = f.values[i][j]
            let masked = f.masked?[i][j] ?? false
            let text = NumberFormat.cell(v, decimals: decimals)
            if masked {
                html += "<td class=\"masked\" title=\"masked\">\(escapeHTML(text))</td>"
            } else if let style = range.style(v, scale: f.scale) {
                html += "<td style=\"\(style)\">\(escapeHTML(text))</td>"
            } else {
                html += "<td>\(escapeHTML(text))</td>"
            }
        }
        if sums {
            html += "<td class=\"sum\">\(NumberFormat.fixed(f.values[i].reduce(0, +), digits: max(3, decimals)))</td>"
        }
        html += "</tr>"
    }
    html += "</tbody></table></div>"
    let key =
        legend
        ? renderLegend(
            range, scale: f.scale, decimals: decimals, masked: f.masked?.contains { $0.contains(true) } ?? false) : ""
    html += key + "</figure>"
    guard wide else { return html }
    return "<div class=\"matrix-widths\">" + html
        + NarrowHeatmap.render(
            f, rows: rows, cols: cols, range: range, caption: caption, legend: key, decimals: decimals)
        + "</div>"
}

/// The colour legend: the ramp between its end values, and the mask mark when used.
///
/// `<p class="legend"><span class="ramp" style="background:linear-gradient(…)"></span> 0.000 … 1.000</p>`
func renderLegend(_ range: ColorRange, scale: ColorScale, decimals: Int, masked: Bool) -> String {
    guard scale != .none || masked else { return "" }
    var html = "<p class=\"legend\">"
    switch scale {
    case .sequential:
        let stops = { (dark: Bool) in
            stride(from: 0.0, through: 1.0, by: 0.25).map {
                Colors.sequential(
                    range.low + $0 * (range.high - range.low), low: range.low, high: range.high, dark: dark
                ).hex
            }.joined(separator: ",")
        }
        html +=
            "<span class=\"ramp\" style=\"--ramp:linear-gradient(to right,\(stops(false)));--ramp-dark:linear-gradient(to right,\(stops(true)))\"></span> "
            + "\(NumberFormat.fixed(range.low, digits: decimals)) → \(NumberFormat.fixed(range.high, digits: decimals)) "
    case .diverging:
        let limit = max(Swift.abs(range.low), Swift.abs(range.high))
        html +=
            "<span class=\"ramp\" style=\"--ramp:linear-gradient(to right,\(Colors.blue.hex),#ffffff,\(Colors.red.hex));"
            + "--ramp-dark:linear-gradient(to right,\(Colors.darkBlue.hex),\(Colors.darkBackground.hex),\(Colors.darkRed.hex))\"></span> "
            + "−\(NumberFormat.fixed(limit, digits: decimals)) ← 0 → +\(NumberFormat.fixed(limit, digits: decimals)) "
    case .viridis:
        let stops = stride(from: 0.0, through: 1.0, by: 0.125).map { Colors.viridis($0).hex }.joined(separator: ",")
        html +=
            "<span class=\"ramp\" style=\"--ramp:linear-gradient(to right,\(stops));--ramp-dark:linear-gradient(to right,\(stops))\"></span> "
            + "\(NumberFormat.fixed(range.low, digits: decimals)) → \(NumberFormat.fixed(range.high, digits: decimals)) "
    case .none: break
    }
    if masked { html += "<span class=\"masked-key\">masked</span> = forbidden by the mask" }
    return html + "</p>"
}

/// Several matrices side by side on one shared scale, one legend.
///
/// `<figure class="grid"><figcaption>…</figcaption><div class="panels"><figure class="matrix">…</figure>…</div><p class="legend">…</p></figure>`
func renderGrid(_ g: GridFigure) -> String {
    let range = ColorRange(g.panels)
    var html = "<figure class=\"grid\">" + (g.title.map { "<figcaption>\(escapeHTML($0))</figcaption>" } ?? "")
    html +=
        "<div class=\"panels\">" + g.panels.map { renderMatrix($0, range: range, legend: false) }.joined() + "</div>"
    let decimals = NumberFormat.decimals(for: g.panels.flatMap(\.unmaskedValues))
    html += renderLegend(
        range, scale: g.panels.first?.scale ?? .sequential, decimals: decimals,
        masked: g.panels.contains { $0.masked?.contains { $0.contains(true) } ?? false })
    return html + "</figure>"
}
