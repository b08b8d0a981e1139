import NotebookModel

/// One difference as the visual report shows it.
public struct ReportItem: Sendable {
    /// Where the difference is, as in `notebooks/x.md:14: cell 3, output 2: …`.
    public var heading: String
    /// The recorded and fresh matrices, when a matrix differs.
    public var expected: MatrixFigure?, actual: MatrixFigure?
    /// A unified diff or other detail.
    public var detail: String?
    public init(heading: String, expected: MatrixFigure? = nil, actual: MatrixFigure? = nil, detail: String? = nil) {
        (self.heading, self.expected, self.actual, self.detail) = (heading, expected, actual, detail)
    }
}

extension SiteRenderer {
    /// The page of `notebook check --report`: for each differing matrix, the recorded, fresh and
    /// difference heatmaps side by side; text differences as diffs.
    public static func checkReport(_ items: [ReportItem], summary: String) -> [String: String] {
        var body = "<main class=\"report\"><h1>notebook check</h1><p>\(escapeHTML(summary))</p>"
        for item in items {
            body += "<section class=\"cell\"><h2>\(escapeHTML(item.heading))</h2>"
            if let e = item.expected, let a = item.actual, e.values.count == a.values.count,
                zip(e.values, a.values).allSatisfy({ $0.count == $1.count })
            {
                var recorded = e, fresh = a
                recorded.title = "recorded"
                fresh.title = "now"
                var difference = a
                difference.title = "now − recorded"
                difference.scale = .diverging
                difference.rowSums = false
                difference.values = zip(a.values, e.values).map { zip($0, $1).map { $0 - $1 } }
                body +=
                    "<div class=\"panels-row\">" + renderGrid(GridFigure(title: "values", panels: [recorded, fresh]))
                    + renderMatrix(difference) + "</div>"
            }
            if let d = item.detail { body += "<pre>\(escapeHTML(d))</pre>" }
            body += "</section>"
        }
        body += "</main>"
        return ["index.html": document(title: "notebook check report", body: body), "style.css": Stylesheet.css]
    }
}
