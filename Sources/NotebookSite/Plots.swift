import NotebookModel

#if canImport(Glibc)
import Glibc
#endif

/// The colours of series, in order (colour-blind-safe Okabe–Ito).
let seriesColors = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"]

/// The frame of every plot: an `<svg>` with a `<title>` and `<desc>` for screen readers.
///
/// `kind` adds a class (`square`, `image`); `attributes` go on the figure (` data-query="2"`);
/// `after` goes inside the figure, after the drawing (a data table).
func svgFrame(
    width: Int, height: Int, title: String, description: String, body: String, kind: String? = nil,
    attributes: String = "", after: String = ""
) -> String {
    "<figure class=\"plot\(kind.map { " " + $0 } ?? "")\"\(attributes)><svg viewBox=\"0 0 \(width) \(height)\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"
        + "<title>\(escapeHTML(title))</title><desc>\(escapeHTML(description))</desc>"
        + "<text class=\"plot-title\" x=\"\(width / 2)\" y=\"18\" text-anchor=\"middle\">\(escapeHTML(fitted(title, width: Double(width) - 8, size: 14)))</text>"
        + body + "</svg>" + after + "</figure>"
}

/// The geometry of a plot: its view box and the plot area inside it.
struct PlotFrame {
    var width: Double, height: Double
    var left: Double, right: Double, top: Double, bottom: Double
    /// Whether the legend goes below the figure always (a phone's width leaves no free corner).
    var legendBelow = false

    /// A figure on its own: 640 × 360.
    static let standard = PlotFrame(width: 640, height: 360, left: 70, right: 620, top: 36, bottom: 310)
    /// A panel of `subplots`: 240 × 200, so that four to a row keep 12-unit text at about 11 CSS px.
    static let panel = PlotFrame(width: 240, height: 200, left: 56, right: 232, top: 30, bottom: 154)
    /// A figure on a phone: 360 × 300, drawn for a 390 px screen's column (12-unit text at about
    /// 12 CSS px), the legend below.
    static let narrow = PlotFrame(
        width: 360, height: 300, left: 56, right: 346, top: 36, bottom: 252, legendBelow: true)

    var area: (left: Double, right: Double, top: Double, bottom: Double) { (left, right, top, bottom) }

    /// This frame with the plot area moved right, when `y`'s tick labels and the y-axis name
    /// need more room than its left margin leaves.
    func fitting(_ y: Axis) -> PlotFrame {
        let widest = y.ticks.map { textWidth($0.1) }.max() ?? 0
        var frame = self
        frame.left = max(left, widest + 6 + 24)
        return frame
    }
}

/// Axes with ticks, tick labels and axis labels; a tick label near an edge of a figure `width`
/// wide is moved in so that it stays inside, and axis labels longer than their axis are cut.
func renderAxes(
    x: Axis, y: Axis, xLabel: String, yLabel: String, xTicks: [(Double, String)]? = nil, width: Double = 640
) -> String {
    var s = "<g class=\"axes\">"
    s +=
        "<line x1=\"\(coordinate(x.from))\" y1=\"\(coordinate(y.from))\" x2=\"\(coordinate(x.to))\" y2=\"\(coordinate(y.from))\"/>"
    s +=
        "<line x1=\"\(coordinate(x.from))\" y1=\"\(coordinate(y.from))\" x2=\"\(coordinate(x.from))\" y2=\"\(coordinate(y.to))\"/>"
    let ticks = xTicks ?? x.ticks
    // Where the labels would touch, every second (third, …) one is written; every tick is drawn.
    let placed = ticks.map { v, label -> (Double, Double, String) in
        let px = x.map(v), half = textWidth(label) / 2
        return (px, min(max(px, half + 2), width - half - 2), label)
    }
    var every = 1
    while every < placed.count,
        stride(from: every, to: placed.count, by: every).contains(where: { k in
            placed[k].1 - textWidth(placed[k].2) / 2 < placed[k - every].1 + textWidth(placed[k - every].2) / 2 + 6
        })
    { every += 1 }
    for (k, (px, tx, label)) in placed.enumerated() {
        s +=
            "<line class=\"tick\" x1=\"\(coordinate(px))\" y1=\"\(coordinate(y.from))\" x2=\"\(coordinate(px))\" y2=\"\(coordinate(y.from + 5))\"/>"
        if k % every == 0 {
            s +=
                "<text x=\"\(coordinate(tx))\" y=\"\(coordinate(y.from + 18))\" text-anchor=\"middle\">\(escapeHTML(label))</text>"
        }
    }
    for (v, label) in y.ticks {
        let py = coordinate(y.map(v))
        s += "<line class=\"grid\" x1=\"\(coordinate(x.from))\" y1=\"\(py)\" x2=\"\(coordinate(x.to))\" y2=\"\(py)\"/>"
        s +=
            "<text x=\"\(coordinate(x.from - 6))\" y=\"\(py)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(escapeHTML(label))</text>"
    }
    // The y-axis name left of the widest tick label (not under it), at least 10 units in.
    let widestY = y.ticks.map { textWidth($0.1) }.max() ?? 0
    let yNameX = max(10, min(14, x.from - 6 - widestY - 4))
    let center = (x.from + x.to) / 2
    let xName = fitted(xLabel, width: 2 * min(center, width - center) - 4),
        yName = fitted(yLabel, width: Swift.abs(y.from - y.to))
    s +=
        "<text class=\"axis-label\" x=\"\(coordinate((x.from + x.to) / 2))\" y=\"\(coordinate(y.from + 36))\" text-anchor=\"middle\">\(escapeHTML(xName))</text>"
    s +=
        "<text class=\"axis-label\" transform=\"translate(\(coordinate(yNameX)) \(coordinate((y.from + y.to) / 2))) rotate(-90)\" text-anchor=\"middle\">\(escapeHTML(yName))</text>"
    return s + "</g>"
}

/// `text` cut to `width` units at `size` with an ellipsis when it is longer (the whole text stays
/// in the figure's `<title>` and `<desc>`).
func fitted(_ text: String, width: Double, size: Double = 12) -> String {
    guard textWidth(text, size: size) > width else { return text }
    var kept = ""
    for c in text {
        if textWidth(kept + String(c) + "…", size: size) > width { break }
        kept.append(c)
    }
    return kept.trimmingTrailingSpaces + "…"
}

extension String {
    fileprivate var trimmingTrailingSpaces: String { String(reversed().drop { $0 == " " }.reversed()) }
}

/// The width in SVG units of `text` at the plots' 12 px: Latin and digits about 0.6 em, CJK and
/// other wide scripts a full em.
func textWidth(_ text: String, size: Double = 12) -> Double {
    text.unicodeScalars.reduce(0) { $0 + ($1.value < 0x2E80 ? 0.6 : 1.0) * size }
}

/// A legend of named series on a backing, in the corner of the plot area (left…right,
/// top…bottom) that covers the fewest of `points` (data in SVG units; segments between
/// consecutive points count too), top right when several are as empty; when every corner would
/// cover data, below the figure (`frame.height` on), entries in rows.
/// - Returns: the legend, and the height it adds below the figure (0 inside).
func renderSeriesLegend(
    _ names: [(String, Bool)], points: [[(Double, Double)]] = [], markers: [Bool] = [],
    boxes: Bool = false, boxOpacity: Double = 1, frame: PlotFrame = .standard
) -> (html: String, extra: Double) {
    guard !names.isEmpty else { return ("", 0) }
    let boxOpacity = boxOpacity < 1 ? " fill-opacity=\"\(coordinate(boxOpacity))\"" : ""
    let area = frame.area
    let labels = names.map { fitted($0.0, width: area.right - area.left - 44) }
    let width = 32 + (labels.map { textWidth($0) }.max() ?? 0), height = Double(names.count) * 16 + 8
    let corners = [
        (area.right - width - 6, area.top + 6), (area.left + 6, area.top + 6),
        (area.right - width - 6, area.bottom - height - 6), (area.left + 6, area.bottom - height - 6),
    ]
    var samples: [(Double, Double)] = []
    for line in points {
        samples += line
        for (a, b) in zip(line, line.dropFirst()) {  // every 4 units, so no segment slips between samples
            let steps = max(8, Int((Swift.abs(b.0 - a.0) + Swift.abs(b.1 - a.1)) / 4))
            for k in 1..<steps {
                let t = Double(k) / Double(steps)
                samples.append((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t))
            }
        }
    }
    func covered(_ corner: (Double, Double)) -> Int {
        samples.filter {
            $0.0 >= corner.0 - 4 && $0.0 <= corner.0 + width + 4 && $0.1 >= corner.1 - 4
                && $0.1 <= corner.1 + height + 4
        }.count
    }
    func key(_ i: Int, _ x: Double, _ y: Double) -> String {
        var s = ""
        if boxes {  // a bar's colour as a box, as the bars are drawn
            s +=
                "<rect x=\"\(coordinate(x + 9))\" y=\"\(coordinate(y - 6))\" width=\"12\" height=\"12\" fill=\"\(seriesColors[i % seriesColors.count])\"\(boxOpacity)/>"
        } else if markers.indices.contains(i) && markers[i] {
            s +=
                "<circle cx=\"\(coordinate(x + 15))\" cy=\"\(coordinate(y))\" r=\"3.5\" fill=\"\(seriesColors[i % seriesColors.count])\"/>"
        } else {
            s +=
                "<line x1=\"\(coordinate(x + 6))\" y1=\"\(coordinate(y))\" x2=\"\(coordinate(x + 24))\" y2=\"\(coordinate(y))\" stroke=\"\(seriesColors[i % seriesColors.count])\" stroke-width=\"2\"\(names[i].1 ? " stroke-dasharray=\"5 3\"" : "")/>"
        }
        return s
            + "<text x=\"\(coordinate(x + 28))\" y=\"\(coordinate(y))\" dominant-baseline=\"middle\">\(escapeHTML(labels[i]))</text>"
    }
    let best = corners.min { covered($0) < covered($1) } ?? corners[0]
    if !frame.legendBelow && (covered(best) == 0 || samples.isEmpty) {
        var s =
            "<g class=\"plot-legend\"><rect class=\"legend-bg\" x=\"\(coordinate(best.0))\" y=\"\(coordinate(best.1))\" "
            + "width=\"\(coordinate(width))\" height=\"\(coordinate(height))\" rx=\"3\"/>"
        for i in names.indices { s += key(i, best.0, best.1 + 12 + Double(i) * 16) }
        return (s + "</g>", 0)
    }
    // Below the figure: as many entries to a row as fit the width.
    var s = "<g class=\"plot-legend\">", x = frame.left, row = 0
    for i in names.indices {
        let w = 36 + textWidth(labels[i])
        if x + w > frame.width - 4 && x > frame.left {
            row += 1
            x = frame.left
        }
        s += key(i, x - 6, frame.height + 10 + Double(row) * 16)
        x += w
    }
    return (s + "</g>", Double(row + 1) * 16 + 6)
}

/// Whether an axis label names degrees (`angle (degrees)`, `θ (°)`).
func isAngle(_ label: String) -> Bool { label.contains("°") || label.lowercased().contains("degree") }

/// A line plot: axes (linear or log), one polyline per series, reference series dashed, a legend.
///
/// `<figure class="plot"><svg viewBox="0 0 640 360" role="img"><title>…</title><desc>…</desc>…<polyline …/></svg></figure>`
/// `sharedY`: values the y range must hold too (the other panels of a shared-axis grid).
func renderLinePlot(_ p: LinePlot, frame given: PlotFrame = .standard, sharedY: [Double] = []) -> String {
    let y = Axis(values: p.series.flatMap(\.y) + sharedY, log: p.yLog, from: given.bottom, to: given.top)
    let frame = given.fitting(y)
    let x = Axis(
        values: p.series.flatMap(\.x), log: p.xLog, from: frame.left, to: frame.right, degrees: isAngle(p.xLabel),
        tight: true)
    var body = renderAxes(
        x: x, y: y, xLabel: p.xLabel + (p.xLog ? " (log)" : ""), yLabel: p.yLabel + (p.yLog ? " (log)" : ""),
        width: frame.width)
    var drawn: [[(Double, Double)]] = []
    for (i, s) in p.series.enumerated() {
        let points = zip(s.x, s.y).filter {
            $0.0.isFinite && $0.1.isFinite && (!p.xLog || $0.0 > 0) && (!p.yLog || $0.1 > 0)
        }
        .map { (x.map($0.0), y.map($0.1)) }
        drawn.append(points)
        let color = seriesColors[i % seriesColors.count]
        let scatter = s.markers == true
        if !scatter {
            body +=
                "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(s.reference ? " stroke-dasharray=\"5 3\"" : "") points=\""
                + points.map { "\(coordinate($0.0)),\(coordinate($0.1))" }.joined(separator: " ") + "\"/>"
        }
        // Markers on measured points; a long curve (a loss) is a line.
        if scatter || (!s.reference && points.count <= 60) {
            let radius = scatter ? "3.5\" fill-opacity=\"0.75" : "2.5"
            for pt in points {
                body +=
                    "<circle cx=\"\(coordinate(pt.0))\" cy=\"\(coordinate(pt.1))\" r=\"\(radius)\" fill=\"\(color)\"/>"
            }
        }
    }
    let legend = renderSeriesLegend(
        p.series.map { ($0.name, $0.reference) }, points: drawn, markers: p.series.map { $0.markers == true },
        frame: frame)
    body += legend.html
    let desc =
        (p.series.allSatisfy { $0.markers == true } ? "Scatter plot of " : "Line plot of ")
        + p.series.map(\.name).joined(separator: ", ") + " against \(p.xLabel)."
    return svgFrame(
        width: Int(frame.width), height: Int(frame.height + legend.extra), title: p.title, description: desc,
        body: body,
        after: dataTable(p))
}

/// Overlaid histograms over shared bins, each series a translucent bar set.
func renderHistogram(_ h: Histogram, frame given: PlotFrame = .standard, sharedY: [Double] = []) -> String {
    let y = Axis(
        values: h.series.flatMap(\.values) + [0] + sharedY, log: false, from: given.bottom, to: given.top,
        includeZero: true)
    let frame = given.fitting(y)
    let x = Axis(values: h.edges, log: false, from: frame.left, to: frame.right)
    var body = renderAxes(x: x, y: y, xLabel: h.xLabel, yLabel: "count", width: frame.width)
    var bars: [[(Double, Double)]] = []  // each bar's area, sampled, for the legend's placement
    for (i, s) in h.series.enumerated() {
        let color = seriesColors[i % seriesColors.count]
        for (b, count) in s.values.enumerated() where count > 0 && b + 1 < h.edges.count {
            let x0 = x.map(h.edges[b]), x1 = x.map(h.edges[b + 1]), top = y.map(count)
            bars.append(
                stride(from: top, through: y.from, by: 8).flatMap { yy in [(x0, yy), ((x0 + x1) / 2, yy), (x1, yy)] })
            body +=
                "<rect x=\"\(coordinate(x0))\" y=\"\(coordinate(top))\" width=\"\(coordinate(max(0.5, x1 - x0)))\" height=\"\(coordinate(y.from - top))\" fill=\"\(color)\" fill-opacity=\"0.45\"/>"
        }
    }
    let legend = renderSeriesLegend(
        h.series.map { ($0.name, false) }, points: bars, boxes: true, boxOpacity: 0.45, frame: frame)
    body += legend.html
    return svgFrame(
        width: Int(frame.width), height: Int(frame.height + legend.extra), title: h.title,
        description: "Histogram of " + h.series.map(\.name).joined(separator: ", ") + ".", body: body)
}

/// Grouped bars: categories along x, one bar per series in each group, values on top (all at
/// the decimals of a table of the chart's values); a legend of boxes when there are several series.
func renderBars(_ b: BarChart, frame given: PlotFrame = .standard) -> String {
    let y = Axis(
        values: b.series.flatMap(\.values) + [0], log: false, from: given.bottom, to: given.top, includeZero: true)
    let frame = given.fitting(y)
    let x = Axis(values: [0, Double(b.categories.count)], log: false, from: frame.left, to: frame.right)
    let groupWidth = (frame.right - frame.left) / Double(max(1, b.categories.count))
    let barWidth = groupWidth * 0.8 / Double(max(1, b.series.count))
    // A category name wider than its group is cut (the bars' tooltips keep it whole).
    let ticks = b.categories.enumerated().map { (Double($0.offset) + 0.5, fitted($0.element, width: groupWidth - 6)) }
    var xAxis = x
    xAxis.low = 0
    xAxis.high = Double(b.categories.count)
    var body = renderAxes(x: xAxis, y: y, xLabel: "", yLabel: b.yLabel, xTicks: ticks, width: frame.width)
    var tops: [[(Double, Double)]] = []  // each bar and its label, sampled, for the legend's placement
    // One number format for every value label of the chart (0.500 beside 1.250, not 0.5 beside 1.25).
    let decimals = NumberFormat.decimals(for: b.series.flatMap(\.values))
    for (si, s) in b.series.enumerated() {
        for (ci, v) in s.values.enumerated() where v.isFinite {
            let left = frame.left + Double(ci) * groupWidth + groupWidth * 0.1 + Double(si) * barWidth
            let top = min(y.map(v), y.map(0)), height = Swift.abs(y.map(v) - y.map(0))
            tops.append(
                stride(from: top - 16, through: top + height, by: 8).flatMap { yy in
                    [(left, yy), (left + barWidth, yy)]
                })
            body +=
                "<rect x=\"\(coordinate(left))\" y=\"\(coordinate(top))\" width=\"\(coordinate(barWidth))\" height=\"\(coordinate(height))\" fill=\"\(seriesColors[si % seriesColors.count])\"><title>\(escapeHTML(s.name)) · \(escapeHTML(b.categories[ci])): \(Axis.label(v))</title></rect>"
            // The value over its bar when it fits the bar's width; else in the tooltip and the table only.
            let value = NumberFormat.cell(v, decimals: decimals)
            if textWidth(value) <= barWidth + 4 {
                body +=
                    "<text class=\"bar-value\" x=\"\(coordinate(left + barWidth / 2))\" y=\"\(coordinate(top - 4))\" text-anchor=\"middle\">\(escapeHTML(value))</text>"
            }
        }
    }
    let legend =
        b.series.count > 1
        ? renderSeriesLegend(b.series.map { ($0.name, false) }, points: tops, boxes: true, frame: frame)
        : (html: "", extra: 0)
    body += legend.html
    return svgFrame(
        width: Int(frame.width), height: Int(frame.height + legend.extra), title: b.title,
        description: "Bar chart of \(b.yLabel) for " + b.categories.joined(separator: ", ") + ": "
            + b.series.map { s in
                s.name + " "
                    + zip(b.categories, s.values).map { "\($0) \(Axis.label($1, digits: 4))" }.joined(separator: ", ")
            }
            .joined(separator: "; ") + ".", body: body)
}

/// Arrows from the origin; with `regions`, the half-plane of positive inner product with the
/// first arrow is tinted green and the other red, and the perpendicular line drawn.
func renderVectors(_ v: VectorPlot, id: String = "f") -> String {
    let extent = max(1.2, (v.arrows.map { max(Swift.abs($0.x), Swift.abs($0.y)) }.max() ?? 1) * 1.25)
    let size = 360.0, c = size / 2, unit = (size / 2 - 30) / extent
    let top = 28.0
    func px(_ a: Double, _ b: Double) -> (String, String) { (coordinate(c + a * unit), coordinate(c - b * unit + top)) }
    var body =
        "<defs><marker id=\"arrowhead-\(id)\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"context-stroke\"/></marker></defs>"
    if v.regions, let q = v.arrows.first, q.x != 0 || q.y != 0 {
        let n = (q.x * q.x + q.y * q.y).squareRoot()
        let (ux, uy) = (q.x / n, q.y / n), (perpX, perpY) = (-uy, ux)
        let r = extent * 2
        let a1 = px(perpX * r, perpY * r), a2 = px(-perpX * r, -perpY * r)
        let front = px((perpX + ux) * r, (perpY + uy) * r), front2 = px((-perpX + ux) * r, (-perpY + uy) * r)
        let back = px((perpX - ux) * r, (perpY - uy) * r), back2 = px((-perpX - ux) * r, (-perpY - uy) * r)
        body +=
            "<clipPath id=\"plane-\(id)\"><rect x=\"0\" y=\"\(Int(top))\" width=\"\(Int(size))\" height=\"\(Int(size))\"/></clipPath><g clip-path=\"url(#plane-\(id))\">"
        body +=
            "<polygon class=\"related\" points=\"\(a1.0),\(a1.1) \(front.0),\(front.1) \(front2.0),\(front2.1) \(a2.0),\(a2.1)\"/>"
        body +=
            "<polygon class=\"opposed\" points=\"\(a1.0),\(a1.1) \(back.0),\(back.1) \(back2.0),\(back2.1) \(a2.0),\(a2.1)\"/>"
        body += "<line class=\"perpendicular\" x1=\"\(a1.0)\" y1=\"\(a1.1)\" x2=\"\(a2.0)\" y2=\"\(a2.1)\"/></g>"
    }
    let o = px(0, 0)
    body +=
        "<g class=\"axes\"><line x1=\"0\" y1=\"\(o.1)\" x2=\"\(Int(size))\" y2=\"\(o.1)\"/><line x1=\"\(o.0)\" y1=\"\(Int(top))\" x2=\"\(o.0)\" y2=\"\(Int(size + top))\"/></g>"
    if v.unitCircle { body += "<circle class=\"unit\" cx=\"\(o.0)\" cy=\"\(o.1)\" r=\"\(coordinate(unit))\"/>" }
    for (i, a) in v.arrows.enumerated() {
        let tip = px(a.x, a.y)
        let color = seriesColors[i % seriesColors.count]
        body +=
            "<line x1=\"\(o.0)\" y1=\"\(o.1)\" x2=\"\(tip.0)\" y2=\"\(tip.1)\" stroke=\"\(color)\" stroke-width=\"2.5\" marker-end=\"url(#arrowhead-\(id))\"/>"
        // The label just past the tip, moved in from the edges so that all of it shows.
        let half = textWidth(a.label) / 2
        let lx = min(max(c + a.x * 1.08 * unit, half + 2), size - half - 2),
            ly = min(max(c - a.y * 1.08 * unit + top, top + 8), size + top - 8)
        body +=
            "<text x=\"\(coordinate(lx))\" y=\"\(coordinate(ly))\" fill=\"\(color)\" text-anchor=\"middle\" dominant-baseline=\"middle\">\(escapeHTML(a.label))</text>"
    }
    if v.regions {
        body +=
            "<text class=\"note\" x=\"6\" y=\"\(Int(size + top) + 14)\">green: q·k &gt; 0 · dashed line: q·k = 0 · red: q·k &lt; 0</text>"
    }
    let desc =
        "Arrows: " + v.arrows.map { "\($0.label) (\(Axis.label($0.x)), \(Axis.label($0.y)))" }.joined(separator: "; ")
        + "."
    return svgFrame(
        width: Int(size), height: Int(size + top) + 22, title: v.title, description: desc, body: body, kind: "square")
}

/// A line plot's values as a table under it, folded (`<details>`), for readers who cannot see the
/// lines and for anyone who wants the numbers; long series (a loss curve) are left out.
func dataTable(_ p: LinePlot) -> String {
    guard !p.series.isEmpty, p.series.allSatisfy({ $0.x.count <= 60 }) else { return "" }
    var s =
        "<details class=\"data\"><summary>Data</summary><table><caption>\(escapeHTML(p.title))</caption>"
        + "<thead><tr><th scope=\"col\">series</th><th scope=\"col\">\(escapeHTML(p.xLabel))</th><th scope=\"col\">\(escapeHTML(p.yLabel))</th></tr></thead><tbody>"
    for series in p.series {
        for (x, y) in zip(series.x, series.y) {
            s +=
                "<tr><th scope=\"row\">\(escapeHTML(series.name))</th><td>\(escapeHTML(Axis.label(x, digits: 4)))</td><td>\(escapeHTML(Axis.label(y, digits: 4)))</td></tr>"
        }
    }
    return s + "</tbody></table></details>"
}

/// Figures side by side: plots as small panels (`PlotFrame.panel`), on one y range when
/// `sharedY`; other kinds as they are.
///
/// `<figure class="subplots"><figcaption>…</figcaption><div class="subplot-panels" style="grid-template-columns:repeat(4,minmax(0,1fr))">…</div></figure>`
func renderFigures(_ g: FigureGrid, id: String) -> String {
    let shared: [Double] =
        g.sharedY
        ? g.panels.flatMap { panel -> [Double] in
            switch panel {
            case .linePlot(let p): p.series.flatMap(\.y).filter(\.isFinite)
            case .histogram(let h): h.series.flatMap(\.values)
            default: []
            }
        } : []
    let sharedRange = shared.isEmpty ? [] : [shared.min()!, shared.max()!]
    // Heatmap panels on one scale share one colour range, so that equal colours mean equal values.
    let heatmaps = g.panels.compactMap { panel -> MatrixFigure? in
        if case .matrix(let m) = panel, m.image != true { m } else { nil }
    }
    let colors = Set(heatmaps.map { "\($0.scale)" }).count == 1 && heatmaps.count > 1 ? ColorRange(heatmaps) : nil
    var html = "<figure class=\"subplots\">" + (g.title.map { "<figcaption>\(escapeHTML($0))</figcaption>" } ?? "")
    html += "<div class=\"subplot-panels\" style=\"grid-template-columns:repeat(\(g.columns),minmax(0,1fr))\">"
    for (k, panel) in g.panels.enumerated() {
        switch panel {
        case .linePlot(let p): html += renderLinePlot(p, frame: .panel, sharedY: sharedRange)
        case .histogram(let h): html += renderHistogram(h, frame: .panel, sharedY: sharedRange)
        case .bars(let b): html += renderBars(b, frame: .panel)
        case .matrix(let m) where colors != nil && m.image != true: html += renderMatrix(m, range: colors)
        default: html += renderOutput(panel, id: "\(id)-\(k + 1)")
        }
    }
    return html + "</div></figure>"
}

/// Tokens placed on a line at their values.
func renderNumberLine(_ n: NumberLine) -> String {
    let values = n.points.compactMap(\.values.first)
    let x = Axis(values: values, log: false, from: 40, to: 600)
    var body = "<g class=\"axes\"><line x1=\"40\" y1=\"80\" x2=\"600\" y2=\"80\"/></g>"
    for (v, label) in x.ticks {
        body +=
            "<line class=\"tick\" x1=\"\(coordinate(x.map(v)))\" y1=\"80\" x2=\"\(coordinate(x.map(v)))\" y2=\"86\"/><text x=\"\(coordinate(x.map(v)))\" y=\"100\" text-anchor=\"middle\">\(escapeHTML(label))</text>"
    }
    // Labels in up to three rows above the line, each in the lowest row where it touches no other
    // (by position along the line); past three, the row whose last label ends first.
    var rowEnds = [-Double.infinity, -Double.infinity, -Double.infinity]
    let placed = n.points.enumerated().compactMap { i, p in p.values.first.map { (i, p.name, x.map($0)) } }.sorted {
        ($0.2, $0.0) < ($1.2, $1.0)
    }
    var rows: [Int: Int] = [:]
    for (i, name, px) in placed {
        let half = textWidth(name) / 2
        let row = rowEnds.firstIndex { $0 + 4 <= px - half } ?? rowEnds.indices.min { rowEnds[$0] < rowEnds[$1] }!
        rowEnds[row] = px + half
        rows[i] = row
    }
    for (i, p) in n.points.enumerated() {
        guard let v = p.values.first, let row = rows[i] else { continue }
        let px = coordinate(x.map(v))
        body +=
            "<circle cx=\"\(px)\" cy=\"80\" r=\"4\" fill=\"\(seriesColors[0])\"/><text x=\"\(px)\" y=\"\(66 - 14 * row)\" text-anchor=\"middle\">\(escapeHTML(p.name))</text>"
    }
    let desc =
        "Number line: "
        + n.points.map { "\($0.name) at \(Axis.label($0.values.first ?? .nan))" }.joined(separator: ", ") + "."
    return svgFrame(width: 640, height: 116, title: n.title, description: desc, body: body)
}

/// Vectors as rows of cells coloured by sign (blue negative, red positive), values as text.
///
/// `<figure class="strip"><figcaption>…</figcaption><table class="heatmap">…</table></figure>`
func renderStrip(_ s: VectorStrip) -> String {
    let width = s.rows.map(\.values.count).max() ?? 0
    let figure = MatrixFigure(
        title: s.title, rows: s.rows.count, cols: width,
        values: s.rows.map { $0.values + Array(repeating: 0, count: width - $0.values.count) },
        rowLabels: s.rows.map(\.name), colLabels: (0..<width).map { "d\($0)" }, scale: .diverging)
    return renderMatrix(figure)
}

/// A figure drawn twice, for a wide column and for a phone's, one shown by the stylesheet's
/// media query (no script; the hidden one is hidden from screen readers too, by `display: none`).
///
/// `<div class="plot-widths"><figure class="plot wide">…</figure><figure class="plot narrow">…</figure></div>`
func responsive(_ wide: String, _ narrow: String) -> String {
    func marked(_ figure: String, _ name: String) -> String {
        figure.hasPrefix("<figure class=\"plot") ? "<figure class=\"plot " + name + figure.dropFirst(19) : figure
    }
    return "<div class=\"plot-widths\">" + marked(wide, "wide") + marked(narrow, "narrow") + "</div>"
}
