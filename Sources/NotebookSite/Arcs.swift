import NotebookModel

/// A query's weights to each key: tokens in a row, arcs from the query whose width and opacity
/// follow the weight, the weight written under each key.
///
/// With every query's weights (`ArcView.heads`), it is an attention view a reader can steer:
/// one group of arcs per query (`<g class="arcs-of" data-query="2">`), one colour per head, all
/// but the cell's query's hidden by the stylesheet; `attention.js` shows another query's group
/// when its token is pointed at or focused. Without script the figure is the cell's query.
func renderArcs(_ a: ArcView) -> String {
    guard let heads = a.heads else { return renderArcRow(a) }
    let layout = ArcLayout(tokens: a.tokens.count)
    let height = 204 + 16 * (heads.count - 1)
    var body = ""
    if heads.count > 1 {  // the heads' colours, right under the title
        for h in heads.indices {
            let x = 640 - 8 - 64 * Double(heads.count - h)
            body +=
                "<line x1=\"\(coordinate(x))\" y1=\"34\" x2=\"\(coordinate(x + 16))\" y2=\"34\" stroke=\"\(seriesColors[h % seriesColors.count])\" stroke-width=\"3\"/>"
                + "<text class=\"note\" x=\"\(coordinate(x + 20))\" y=\"34\" dominant-baseline=\"middle\">head \(h)</text>"
        }
    }
    for q in a.tokens.indices {
        body += "<g class=\"arcs-of\(q == a.query ? "" : " alt")\" data-query=\"\(q)\">"
        for (h, rows) in heads.enumerated() {
            body += layout.arcs(
                from: q, weights: rows[q], color: seriesColors[h % seriesColors.count],
                opacity: heads.count > 1 ? 0.8 : 1,
                skippingZeros: true)
            for (j, w) in rows[q].enumerated() {
                body +=
                    "<text class=\"note\" x=\"\(coordinate(layout.x(j)))\" y=\"\(192 + 16 * h)\" text-anchor=\"middle\">\(NumberFormat.fixed(w, digits: 2))</text>"
            }
        }
        body += "</g>"
    }
    if heads.count > 1 {
        for h in heads.indices {
            body +=
                "<text class=\"note\" x=\"\(coordinate(layout.x(0) - layout.step / 2))\" y=\"\(192 + 16 * h)\" text-anchor=\"end\">h\(h)</text>"
        }
    }
    for (j, t) in a.tokens.enumerated() {
        let x = layout.x(j), w = max(layout.step - 4, textWidth(t) + 8)
        body +=
            "<g class=\"arc-token\(j == a.query ? " query" : "")\" data-index=\"\(j)\"><rect class=\"hit\" x=\"\(coordinate(x - w / 2))\" y=\"158\" width=\"\(coordinate(w))\" height=\"20\" rx=\"3\"/>"
            + "<text x=\"\(coordinate(x))\" y=\"172\" text-anchor=\"middle\">\(escapeHTML(t))</text></g>"
    }
    let heading = a.title.isEmpty ? "where \(a.queryLabel) looks" : "\(a.title): where \(a.queryLabel) looks"
    let desc =
        "Attention of \(a.queryLabel) to: "
        + heads.enumerated().map { h, rows in
            (heads.count > 1 ? "head \(h): " : "")
                + zip(a.tokens, rows[a.query]).map { "\($0) \(NumberFormat.fixed($1, digits: 3))" }.joined(
                    separator: ", ")
        }.joined(separator: "; ") + "."
    return svgFrame(
        width: 640, height: height, title: heading, description: desc, body: body, kind: "arcs",
        attributes: " data-query=\"\(a.query)\" data-title=\"\(escapeHTML(a.title))\"")
}

/// One query's arcs as the figure has always drawn them (no head colours, no other queries).
func renderArcRow(_ a: ArcView) -> String {
    let layout = ArcLayout(tokens: a.tokens.count)
    var body = layout.arcs(from: a.query, weights: a.weights, color: seriesColors[0], opacity: 1)
    for (j, t) in a.tokens.enumerated() {
        let kx = coordinate(layout.x(j))
        body +=
            "<text class=\"\(j == a.query ? "query" : "token")\" x=\"\(kx)\" y=\"172\" text-anchor=\"middle\">\(escapeHTML(t))</text>"
        body +=
            "<text class=\"note\" x=\"\(kx)\" y=\"192\" text-anchor=\"middle\">\(NumberFormat.fixed(a.weights[j], digits: 2))</text>"
    }
    let desc =
        "Attention of \(a.queryLabel) to: "
        + zip(a.tokens, a.weights).map { "\($0) \(NumberFormat.fixed($1, digits: 3))" }.joined(separator: ", ") + "."
    return svgFrame(width: 640, height: 204, title: a.title, description: desc, body: body)
}

/// Where the tokens of an arc view stand (centred in a 640-unit figure, at most 70 apart) and
/// the arcs between them.
struct ArcLayout {
    let count: Int, step: Double, left: Double

    init(tokens: Int) {
        count = max(1, tokens)
        step = min(70, 580 / Double(count))
        left = 320 - step * Double(count - 1) / 2
    }

    /// The centre of token `j`.
    func x(_ j: Int) -> Double { left + Double(j) * step }

    /// The arcs from token `query` to every token, width and opacity following the weight
    /// relative to the row's largest; the arc to itself is a loop above the token.
    ///
    /// A quadratic arc peaks halfway to its control point: peaks between y = 132 (neighbours)
    /// and y = 44 (the farthest key), below the title at 18, so nothing leaves the figure.
    /// `skippingZeros` draws no arc for a weight of exactly 0 (a key the mask forbids).
    func arcs(from query: Int, weights: [Double], color: String, opacity: Double, skippingZeros: Bool = false) -> String
    {
        let maxWeight = max(1e-12, weights.filter(\.isFinite).max() ?? 1)
        let qx = x(query)
        let farthest = max(step, (0..<count).map { Swift.abs(x($0) - qx) }.max() ?? step)
        var body = ""
        for (j, w) in weights.enumerated() where !(skippingZeros && w == 0) {
            let kx = x(j)
            let strength = w.isFinite ? w / maxWeight : 0
            let stroke =
                "fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(coordinate(0.5 + 7 * strength))\" stroke-opacity=\"\(coordinate(opacity * (0.15 + 0.85 * strength)))\""
            if j == query {
                body +=
                    "<path d=\"M\(coordinate(qx - 4)) 150 C\(coordinate(qx - 22)) 104 \(coordinate(qx + 22)) 104 \(coordinate(qx + 4)) 150\" \(stroke)/>"
                continue
            }
            let peak = 18 + 88 * Swift.abs(kx - qx) / farthest  // height above the baseline at 150
            body +=
                "<path d=\"M\(coordinate(qx)) 150 Q\(coordinate((qx + kx) / 2)) \(coordinate(150 - 2 * peak)) \(coordinate(kx)) 150\" \(stroke)/>"
        }
        return body
    }
}
