import Foundation
import NotebookModel
import Testing

@testable import NotebookSite

/// Two heads' causal weights over three tokens.
let twoHeads: [[[Double]]] = [
    [[1, 0, 0], [0.25, 0.75, 0], [0.5, 0.25, 0.25]],
    [[1, 0, 0], [0.9, 0.1, 0], [0, 0, 1]],
]

@Test func steerableArcsHoldOneGroupPerQueryAndShowTheCellsQuery() {
    let a = ArcView(
        title: "trained", tokens: ["美", "女", "，"], query: 1, queryLabel: "女", weights: twoHeads[0][1],
        heads: twoHeads)
    let html = renderArcs(a)
    #expect(html.hasPrefix("<figure class=\"plot arcs\" data-query=\"1\" data-title=\"trained\">"))
    // One group per query; only the cell's query's is shown without script.
    #expect(html.matches(of: #/<g class="arcs-of( alt)?" data-query="\d"/#).count == 3)
    #expect(html.matches(of: #/<g class="arcs-of" data-query="1"/#).count == 1)
    #expect(html.matches(of: #/<g class="arcs-of alt"/#).count == 2)
    // Each group writes every head's weights under the tokens (2 heads × 3 tokens)...
    for g in html.split(separator: "<g class=\"arcs-of").dropFirst() {
        let body = g[..<(g.range(of: "</g>")?.lowerBound ?? g.endIndex)]
        #expect(body.matches(of: #/<text class="note"/#).count == 6)
    }
    // ... and draws no arc to a key of weight 0: query 0 looks only at itself in both heads.
    let first = html.range(of: "data-query=\"0\">")!, end = html[first.upperBound...].range(of: "</g>")!
    #expect(html[first.upperBound..<end.lowerBound].matches(of: #/<path /#).count == 2)
    #expect(html.contains("<title>trained: where 女 looks</title>"))
    #expect(html.contains("head 0: 美 0.250, 女 0.750, ， 0.000; head 1: 美 0.900, 女 0.100, ， 0.000."))
    // Tokens are groups the script can make buttons of; the cell's query is marked.
    #expect(html.contains("<g class=\"arc-token query\" data-index=\"1\">"))
    #expect(html.matches(of: #/<g class="arc-token/#).count == 3)
}

@Test func arcsWithoutEveryQueryAreDrawnAsBefore() {
    let a = ArcView(title: "where 美 looks", tokens: ["美", "女"], query: 0, queryLabel: "美", weights: [0.5, 0.5])
    let html = renderArcs(a)
    #expect(!html.contains("arcs-of") && !html.contains("data-query") && !html.contains("arc-token"))
    #expect(html.hasPrefix("<figure class=\"plot\"><svg viewBox=\"0 0 640 204\""))
}

@Test func pagesWithMapsOrArcsLoadTheAttentionViewAndOthersDoNot() {
    func page(_ outputs: [Output]) -> String {
        let cell = Cell(index: 0, code: "x", line: 1)
        let n = Notebook(path: "notebooks/a.md", frontMatter: FrontMatter(title: "A"), blocks: [.cell(cell)])
        let run = NotebookRun(cells: [CellResult(index: 0, outputs: outputs)], diagnostics: [])
        let files = SiteRenderer.render([RenderedNotebook(notebook: n, run: run)])
        #expect(files[AttentionView.name] == AttentionView.script)
        return files["a.html"]!
    }
    let tag = "<script src=\"attention.js\" defer></script>"
    #expect(page([.matrix(MatrixFigure(rows: 1, cols: 1, values: [[1]]))]).contains(tag))
    #expect(
        page([
            .arcs(ArcView(title: "", tokens: ["a"], query: 0, queryLabel: "a", weights: [1], heads: [[[1]]]))
        ]).contains(tag))
    #expect(!page([.text("hello\n"), .diagram(headFlow)]).contains(tag))
    // The tables say their colour scale, so that the script reads only weights maps as weights.
    #expect(renderMatrix(MatrixFigure(rows: 1, cols: 1, values: [[1]])).contains("data-scale=\"sequential\""))
}
