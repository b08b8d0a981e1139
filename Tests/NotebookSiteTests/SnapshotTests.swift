import Foundation
import NotebookModel
import Testing

@testable import NotebookSite

/// One output of every kind, with hand-picked values, and the HTML each renders to, kept in
/// `Snapshots/KIND.html`.
///
/// Re-record on purpose with `RECORD_SNAPSHOTS=1 swift test`.
enum Gallery {
    static let outputs: [(String, Output)] = [
        ("text", .text("hello <b>\n")),
        (
            "matrix",
            .matrix(
                MatrixFigure(
                    title: "weights", rows: 2, cols: 3, values: [[0.5, 0.25, 0.25], [0, 1, 0]],
                    rowLabels: ["美", "女"], colLabels: ["美", "女", "，"], scale: .sequential,
                    masked: [[false, false, false], [true, false, true]], rowSums: true))
        ),
        (
            "matrix-diverging",
            .matrix(MatrixFigure(title: "scores", rows: 2, cols: 2, values: [[-2, 1], [0.5, 2]], scale: .diverging))
        ),
        (
            "grid",
            .grid(
                GridFigure(
                    title: "per head",
                    panels: [
                        MatrixFigure(title: "head 0", rows: 2, cols: 2, values: [[1, 0], [0.5, 0.5]]),
                        MatrixFigure(title: "head 1", rows: 2, cols: 2, values: [[0.2, 0.8], [0.9, 0.1]]),
                    ]))
        ),
        (
            "linePlot",
            .linePlot(
                LinePlot(
                    title: "std against d", xLabel: "d", yLabel: "std", xLog: true, yLog: true,
                    series: [
                        Series(name: "measured", x: [4, 16, 64], y: [2.1, 3.9, 8.2]),
                        Series(name: "√d", x: [4, 64], y: [2, 8], reference: true),
                    ]))
        ),
        (
            "histogram",
            .histogram(
                Histogram(
                    title: "cosines", xLabel: "cos", edges: [-1, -0.5, 0, 0.5, 1],
                    series: [
                        NamedValues(name: "d = 2", values: [3, 1, 1, 3]),
                        NamedValues(name: "d = 64", values: [0, 4, 4, 0]),
                    ]))
        ),
        (
            "bars",
            .bars(
                BarChart(
                    title: "self-bias", yLabel: "fraction", categories: ["shared", "separate"],
                    series: [NamedValues(name: "rows", values: [0.625, 0.125])]))
        ),
        (
            "vectors",
            .vectors(
                VectorPlot(
                    title: "q and k", arrows: [Arrow(label: "q", x: 1, y: 0.5), Arrow(label: "k", x: -0.5, y: 1)]))
        ),
        (
            "numberLine",
            .numberLine(
                NumberLine(
                    title: "ids", points: [NamedValues(name: "美", values: [0]), NamedValues(name: "女", values: [1])]))
        ),
        (
            "arcs",
            .arcs(
                ArcView(
                    title: "where 美 looks", tokens: ["美", "女", "，"], query: 0, queryLabel: "美",
                    weights: [0.5, 0.3, 0.2]))
        ),
        (
            "arcs-heads",
            .arcs(
                ArcView(
                    title: "trained", tokens: ["美", "女", "，"], query: 1, queryLabel: "女", weights: [0.25, 0.75, 0],
                    heads: [
                        [[1, 0, 0], [0.25, 0.75, 0], [0.5, 0.25, 0.25]], [[1, 0, 0], [0.9, 0.1, 0], [0, 0, 1]],
                    ]))
        ),
        (
            "diagram",
            .diagram(
                Diagram(
                    title: "attention, d_k = 2",
                    boxes: [
                        DiagramBox(name: "X", rows: 3, cols: 4, rank: 0, column: 0.5),
                        DiagramBox(name: "Q", rows: 3, cols: 2, rank: 1, column: 0),
                        DiagramBox(name: "K", rows: 3, cols: 2, rank: 1, column: 1),
                        DiagramBox(name: "A", rows: 3, cols: 3, note: "softmax(QK^T/√d_k)", rank: 2, column: 0.5),
                    ],
                    arrows: [
                        DiagramArrow(from: "X", to: "Q", label: "·W_Q"),
                        DiagramArrow(from: "X", to: "K", label: "·W_K"),
                        DiagramArrow(from: "Q", to: "A"), DiagramArrow(from: "K", to: "A"),
                    ], groups: [DiagramGroup(name: "projections", members: ["Q", "K"])]))
        ),
        (
            "strip",
            .strip(
                VectorStrip(
                    title: "q ⊙ k",
                    rows: [NamedValues(name: "q", values: [1, -2]), NamedValues(name: "q⊙k", values: [0.5, -1])]))
        ),
        (
            "image",
            .matrix(
                {
                    var f = MatrixFigure(
                        title: "weights as an image", rows: 3, cols: 4,
                        values: [[0.7, 0.2, 0.1, 0], [0.1, 0.6, 0.2, 0.1], [0, 0.1, 0.3, 0.6]],
                        rowLabels: ["q0", "q1", "q2"], scale: .viridis)
                    f.image = true
                    f.xLabel = "keys"
                    f.yLabel = "queries"
                    return f
                }())
        ),
        (
            "figures",
            .figures(
                FigureGrid(
                    title: "one per width", columns: 4, sharedY: true,
                    panels: [1.0, 2, 3, 4].map { w in
                        .linePlot(
                            LinePlot(
                                title: "w = \(Int(w))", xLabel: "x", yLabel: "y",
                                series: [Series(name: "w·x", x: [0, 1, 2], y: [0, w, 2 * w])]))
                    }))
        ),
        ("error", .error(CellFailure(reason: .runtime, message: "Fatal error: Index out of range", line: 9))),
    ]

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Snapshots")
}

@Test(arguments: Gallery.outputs.map(\.0))
func outputSnapshot(_ name: String) throws {
    let output = Gallery.outputs.first { $0.0 == name }!.1
    let html = renderOutput(output) + "\n"
    let file = Gallery.directory.appendingPathComponent("\(name).html")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try html.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    let recorded = try? String(contentsOf: file, encoding: .utf8)
    #expect(recorded != nil, "no snapshot \(file.lastPathComponent); record with RECORD_SNAPSHOTS=1 swift test")
    #expect(recorded == html)
}

/// The gallery as one page (every output kind), for the screenshots and the HTML checker.
@Test func galleryPageSnapshot() throws {
    let cells = Gallery.outputs.indices.map { Cell(index: $0, code: "// \(Gallery.outputs[$0].0)", line: 1 + $0) }
    let n = Notebook(
        path: "notebooks/gallery.md", frontMatter: FrontMatter(title: "Every output kind"),
        blocks: cells.map { .cell($0) })
    let run = NotebookRun(
        cells: cells.map { CellResult(index: $0.index, outputs: [Gallery.outputs[$0.index].1]) }, diagnostics: [])
    let files = SiteRenderer.render([RenderedNotebook(notebook: n, run: run)])
    let file = Gallery.directory.appendingPathComponent("gallery.html")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try files["gallery.html"]!.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    #expect((try? String(contentsOf: file, encoding: .utf8)) == files["gallery.html"])
}
