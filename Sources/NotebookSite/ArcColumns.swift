import NotebookModel

/// A steerable arc view drawn for a phone, 360 units wide (the row of ``renderArcs(_:)`` needs 600).
///
/// The tokens twice, in two columns (queries left, keys right), a line from the query to each
/// key whose width and opacity follow the weight, and the weights in a column per head.
///
/// The groups, tokens and notes are those of the wide figure (`<g class="arcs-of" data-query="2">`,
/// `<g class="arc-token" data-index="0">`, head-major `.note` weights), so `attention.js`
/// steers it the same way.
func renderArcColumns(_ a: ArcView, heads: [[[Double]]]) -> String {
    let width = 360.0, row = 20.0, top = heads.count > 1 ? 58.0 : 46.0
    let n = a.tokens.count
    let names = a.tokens.map { fitted($0, width: 90) }
    let label = min(90, names.map { textWidth($0) }.max() ?? 12)
    let column = 34.0, numbers = column * Double(heads.count)
    let qx = 6 + label, kx = width - 4 - numbers - label
    let y = { (j: Int) in top + row * Double(j) + row / 2 }
    let x = { (h: Int) in width - 4 - numbers + column * (Double(h) + 0.5) }
    var body = ""
    for (h, _) in heads.enumerated() {
        if heads.count > 1 {
            body +=
                "<line x1=\"\(coordinate(x(h) - 8))\" y1=\"\(coordinate(top - 22))\" x2=\"\(coordinate(x(h) + 8))\" y2=\"\(coordinate(top - 22))\" stroke=\"\(seriesColors[h % seriesColors.count])\" stroke-width=\"3\"/>"
        }
        body +=
            "<text class=\"note\" x=\"\(coordinate(x(h)))\" y=\"\(coordinate(top - 6))\" text-anchor=\"middle\">\(heads.count > 1 ? "h\(h)" : "weight")</text>"
    }
    for q in 0..<n {
        body += "<g class=\"arcs-of\(q == a.query ? "" : " alt")\" data-query=\"\(q)\">"
        for (h, rows) in heads.enumerated() {
            let weights = rows[q], most = max(1e-12, weights.filter(\.isFinite).max() ?? 1)
            for (j, w) in weights.enumerated() where w != 0 {
                let strength = w.isFinite ? w / most : 0
                body +=
                    "<line x1=\"\(coordinate(qx + 6))\" y1=\"\(coordinate(y(q)))\" x2=\"\(coordinate(kx - 6))\" y2=\"\(coordinate(y(j)))\" "
                    + "stroke=\"\(seriesColors[h % seriesColors.count])\" stroke-width=\"\(coordinate(0.5 + 5 * strength))\" "
                    + "stroke-opacity=\"\(coordinate((heads.count > 1 ? 0.8 : 1) * (0.15 + 0.85 * strength)))\"/>"
            }
            for (j, w) in weights.enumerated() {
                body +=
                    "<text class=\"note\" x=\"\(coordinate(x(h)))\" y=\"\(coordinate(y(j)))\" text-anchor=\"middle\" dominant-baseline=\"middle\">\(NumberFormat.fixed(w, digits: 2))</text>"
            }
        }
        body += "</g>"
    }
    for (j, name) in names.enumerated() {
        body +=
            "<g class=\"arc-token\(j == a.query ? " query" : "")\" data-index=\"\(j)\"><rect class=\"hit\" x=\"\(coordinate(qx - label - 4))\" y=\"\(coordinate(y(j) - 9))\" width=\"\(coordinate(label + 8))\" height=\"18\" rx=\"3\"/>"
            + "<text x=\"\(coordinate(qx))\" y=\"\(coordinate(y(j)))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(escapeHTML(name))</text></g>"
            + "<text x=\"\(coordinate(kx))\" y=\"\(coordinate(y(j)))\" dominant-baseline=\"middle\">\(escapeHTML(name))</text>"
    }
    let heading = a.title.isEmpty ? "where \(a.queryLabel) looks" : "\(a.title): where \(a.queryLabel) looks"
    return svgFrame(
        width: Int(width), height: Int((top + row * Double(n) + 6).rounded(.up)), title: heading,
        description: "Attention of each token (left) to every token (right), one line per weight; the weights in "
            + (heads.count > 1 ? "a column per head" : "the column at the right") + ".",
        body: body, kind: "arcs", attributes: " data-query=\"\(a.query)\" data-title=\"\(escapeHTML(a.title))\"")
}
