import Foundation
import NotebookModel
import Testing

@testable import NotebookSite

/// The boxes a figure's SVG draws, estimated as the renderer estimates text (`textWidth`): every
/// text element with its font size, anchor and baseline, legend backings, and the drawn series.
struct Drawing {
    struct Box {
        var x0, y0, x1, y1: Double
        func contains(_ p: (Double, Double)) -> Bool { p.0 >= x0 && p.0 <= x1 && p.1 >= y0 && p.1 <= y1 }
    }
    var width = 0.0, height = 0.0
    var texts: [(String, Box)] = []
    var legends: [Box] = []
    var series: [[(Double, Double)]] = []

    init(_ html: String) {
        func number(_ name: String, _ attrs: Substring) -> Double? {
            let key = " \(name)=\""
            guard let start = attrs.range(of: key) else { return nil }
            return Double(attrs[start.upperBound...].prefix { $0 != "\"" })
        }
        if let v = html.firstMatch(of: #/viewBox="0 0 ([0-9.]+) ([0-9.]+)"/#) {
            width = Double(v.1)!
            height = Double(v.2)!
        }
        for m in html.matches(of: #/<text([^>]*)>([^<]*)</text>/#) {
            let attrs = m.1,
                text = String(m.2).replacing("&amp;", with: "&").replacing("&lt;", with: "<").replacing(
                    "&gt;", with: ">")
            guard !text.isEmpty else { continue }
            let size = attrs.contains("plot-title") ? 14.0 : attrs.contains("class=\"note\"") ? 11 : 12
            let w = textWidth(text, size: size)
            if let t = attrs.firstMatch(of: #/translate\(([0-9.-]+) ([0-9.-]+)\) rotate\(-90\)/#) {  // a y-axis label
                let cx = Double(t.1)!, cy = Double(t.2)!
                texts.append((text, Box(x0: cx - size * 0.8, y0: cy - w / 2, x1: cx + size * 0.25, y1: cy + w / 2)))
                continue
            }
            guard let x = number("x", attrs), let y = number("y", attrs) else { continue }
            let x0 =
                attrs.contains("text-anchor=\"middle\"") ? x - w / 2 : attrs.contains("text-anchor=\"end\"") ? x - w : x
            let middle = attrs.contains("dominant-baseline=\"middle\"")
            texts.append(
                (
                    text,
                    Box(
                        x0: x0, y0: middle ? y - size / 2 : y - size * 0.8, x1: x0 + w,
                        y1: middle ? y + size / 2 : y + size * 0.25)
                ))
        }
        for m in html.matches(of: #/<rect class="legend-bg"([^>]*)/>/#) {
            let a = m.1
            if let x = number("x", a), let y = number("y", a), let w = number("width", a), let h = number("height", a) {
                legends.append(Box(x0: x, y0: y, x1: x + w, y1: y + h))
            }
        }
        for m in html.matches(of: #/<polyline[^>]* points="([^"]*)"/#) {
            let points = m.1.split(separator: " ").compactMap { pair -> (Double, Double)? in
                let xy = pair.split(separator: ",").compactMap { Double($0) }
                return xy.count == 2 ? (xy[0], xy[1]) : nil
            }
            var sampled: [(Double, Double)] = []
            for (a, b) in zip(points, points.dropFirst()) {
                for t in stride(from: 0.0, to: 1, by: 0.1) {
                    sampled.append((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t))
                }
            }
            series.append(sampled + points.suffix(1))
        }
    }

    /// The texts that leave the view box (by more than half a unit).
    var outside: [String] {
        texts.filter { $0.1.x0 < -0.5 || $0.1.y0 < -0.5 || $0.1.x1 > width + 0.5 || $0.1.y1 > height + 0.5 }.map(\.0)
    }

    /// Pairs of texts whose boxes overlap (by more than a unit each way).
    var overlapping: [(String, String)] {
        var pairs: [(String, String)] = []
        for (i, a) in texts.enumerated() {
            for b in texts[(i + 1)...]
            where a.1.x0 < b.1.x1 - 1 && b.1.x0 < a.1.x1 - 1 && a.1.y0 < b.1.y1 - 1 && b.1.y0 < a.1.y1 - 1 {
                pairs.append((a.0, b.0))
            }
        }
        return pairs
    }

    /// Whether a legend backing lies over a drawn series.
    var legendOverData: Bool { legends.contains { box in series.contains { $0.contains(where: box.contains) } } }
}

/// Line plots at the shapes that broke layouts: long and CJK labels, huge, tiny and negative
/// values, one point, a thousand points.
let awkwardPlots: [(String, LinePlot)] = {
    let long = "a rather long series name that goes on and on"
    let xs = (0..<1000).map { Double($0) / 100 }
    return [
        (
            "long labels",
            LinePlot(
                title: "a title far longer than any plot is wide, which must not run off the edge of the figure",
                xLabel: "an x-axis label that is very long indeed, longer than the axis",
                yLabel: "a long y label for a short axis",
                series: [
                    Series(name: long, x: [0, 1, 2], y: [1, 3, 2]), Series(name: long + " too", x: [0, 2], y: [2, 2]),
                ])
        ),
        (
            "CJK labels",
            LinePlot(
                title: "注意力权重随位置变化的曲线", xLabel: "位置", yLabel: "权重",
                series: [
                    Series(name: "注意力权重", x: [0, 1, 2, 3], y: [0.1, 0.4, 0.3, 0.2]),
                    Series(name: "均匀", x: [0, 3], y: [0.25, 0.25]),
                ])
        ),
        (
            "huge values",
            LinePlot(
                title: "huge", xLabel: "x", yLabel: "y",
                series: [Series(name: "s", x: [0, 1, 2], y: [1e12, 5e12, 3e12])])
        ),
        (
            "tiny values",
            LinePlot(
                title: "tiny", xLabel: "x", yLabel: "y",
                series: [Series(name: "s", x: [1e-9, 2e-9, 3e-9], y: [1e-9, -2e-9, 4e-9])])
        ),
        (
            "negative values",
            LinePlot(
                title: "negative", xLabel: "x", yLabel: "y",
                series: [Series(name: "s", x: [-5, -1, 3], y: [-100, -30, -75])])
        ),
        ("one point", LinePlot(title: "one", xLabel: "x", yLabel: "y", series: [Series(name: "only", x: [2], y: [7])])),
        (
            "1000 points",
            LinePlot(
                title: "sin", xLabel: "x", yLabel: "y",
                series: [
                    Series(name: "sin", x: xs, y: xs.map { sin($0) }),
                    Series(name: "cos", x: xs, y: xs.map { cos($0) }),
                ])
        ),
    ]
}()

@Test(arguments: awkwardPlots.map(\.0))
func linePlotTextStaysInsideAndLegendsOffTheData(_ name: String) {
    let plot = awkwardPlots.first { $0.0 == name }!.1
    for (frame, label) in [(PlotFrame.standard, "standard"), (PlotFrame.panel, "panel")] {
        let d = Drawing(renderLinePlot(plot, frame: frame))
        #expect(d.width == frame.width && !d.texts.isEmpty)
        #expect(d.outside.isEmpty, "\(name), \(label): text outside the figure: \(d.outside)")
        #expect(!d.legendOverData, "\(name), \(label): the legend covers a series")
        #expect(d.overlapping.isEmpty, "\(name), \(label): texts drawn over each other: \(d.overlapping)")
    }
}

@Test func barsHistogramsAndImagesKeepTheirTextInside() {
    let bars = BarChart(
        title: "fraction of rows whose top weight is on the diagonal", yLabel: "fraction",
        categories: ["shared W", "separate W_Q, W_K", "learned table A", "注意力"],
        series: [
            NamedValues(name: "trained", values: [0.625, 0.125, 0.5, 0.25]),
            NamedValues(name: "random", values: [0.1, 0.12, 0.11, 0.09]),
        ])
    let histogram = Histogram(
        title: "cosines", xLabel: "cos", edges: [-1, -0.5, 0, 0.5, 1],
        series: [
            NamedValues(name: "d = 2", values: [30, 10, 10, 30]), NamedValues(name: "d = 64", values: [0, 40, 40, 0]),
        ])
    var image = MatrixFigure(
        title: "40 × 50 weights", rows: 40, cols: 50,
        values: (0..<40).map { i in (0..<50).map { j in exp(-Double((i - j) * (i - j)) / 20) } }, scale: .viridis)
    image.image = true
    image.xLabel = "keys"
    image.yLabel = "queries"
    for (label, html) in [
        ("bars", renderBars(bars)), ("bars panel", renderBars(bars, frame: .panel)),
        ("histogram", renderHistogram(histogram)), ("histogram panel", renderHistogram(histogram, frame: .panel)),
        ("image", renderImage(image)),
    ] {
        let d = Drawing(html)
        #expect(!d.texts.isEmpty && d.outside.isEmpty, "\(label): text outside the figure: \(d.outside)")
        #expect(d.overlapping.isEmpty, "\(label): texts drawn over each other: \(d.overlapping)")
    }
}

@Test func anImageHeatmapIsAValidPNGOfOnePixelPerEntry() throws {
    var f = MatrixFigure(title: "t", rows: 2, cols: 3, values: [[0, 1, 2], [3, 4, 5]], scale: .viridis)
    f.image = true
    let html = renderImage(f)
    let base64 = try #require(html.firstMatch(of: #/data:image\/png;base64,([A-Za-z0-9+\/=]+)/#)).1
    let png = try #require(Data(base64Encoded: String(base64)))
    #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    // IHDR: width 3, height 2, 8-bit RGB; its CRC as zlib's crc32 of "IHDR" + data would give.
    #expect(Array(png[16..<24]) == [0, 0, 0, 3, 0, 0, 0, 2] && png[24] == 8 && png[25] == 2)
    #expect(PNG.crc32(Array("IEND".utf8)) == 0xAE42_6082)  // the constant every PNG ends with
    #expect(Base64.encode(Array("Man".utf8)) == "TWFu" && Base64.encode(Array("Ma".utf8)) == "TWE=")
    // The lowest entry is viridis' first stop, the highest its last.
    #expect(Colors.viridis(0).hex == "#440154" && Colors.viridis(1).hex == "#fde725")
}

@Test func numberLinesArcsAndArrowsKeepTheirTextInside() {
    let close = NumberLine(
        title: "token ids of a long sentence, some of them close together",
        points: [("美", 0.0), ("女", 0.02), ("，", 0.04), ("可以", 5), ("a rather long token", 10), ("end", 10.01)].map {
            NamedValues(name: $0.0, values: [$0.1])
        })
    let arcs = ArcView(
        title: "where the first token looks, across a sentence of twenty tokens", tokens: (0..<20).map { "词\($0)" },
        query: 0, queryLabel: "词0", weights: (0..<20).map { 1 / Double($0 + 1) })
    let arrows = VectorPlot(
        title: "q and k", arrows: [Arrow(label: "a long label for q", x: 3, y: 0.1), Arrow(label: "k", x: -0.2, y: -3)])
    for (label, html) in [
        ("numberLine", renderNumberLine(close)), ("arcs", renderArcs(arcs)), ("vectors", renderVectors(arrows)),
    ] {
        let d = Drawing(html)
        #expect(!d.texts.isEmpty && d.outside.isEmpty, "\(label): text outside the figure: \(d.outside)")
        #expect(d.overlapping.isEmpty, "\(label): texts drawn over each other: \(d.overlapping.prefix(4))")
    }
}
