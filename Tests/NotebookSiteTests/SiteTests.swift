import Foundation
import NotebookModel
import Testing

@testable import NotebookSite

func page(outputs: [Output], code: String = "x", prose: String = "<p>hi</p>") -> String {
    let n = Notebook(
        path: "notebooks/a.md", frontMatter: FrontMatter(title: "A <b>"),
        blocks: [.prose(html: prose, headings: []), .cell(Cell(index: 0, code: code, line: 3))])
    let files = SiteRenderer.render([
        RenderedNotebook(
            notebook: n, run: NotebookRun(cells: [CellResult(index: 0, outputs: outputs)], diagnostics: []))
    ])
    return files["a.html"]!
}

@Test func scriptIsEscapedInTitleCodeAndOutput() {
    let html = page(
        outputs: [
            .text("<script>alert(1)</script>"),
            .matrix(
                MatrixFigure(
                    title: "<script>", rows: 1, cols: 1, values: [[1]], rowLabels: ["<img onerror=x>"],
                    colLabels: ["\"q\""])),
        ],
        code: "let s = \"<script>\"")
    // The only scripts are the site's copy button and attention view, after the content.
    #expect(html.components(separatedBy: "<script").count == 3)
    #expect(
        html.contains("<script src=\"copy.js\" defer></script>\n<script src=\"attention.js\" defer></script>\n</body>"))
    #expect(!html.contains("<img"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(html.contains("let s = &quot;&lt;script&gt;&quot;"))
    #expect(html.contains("<title>A &lt;b&gt; · "))
}

@Test func matrixIsATableWithShapeAndValues() {
    let html = renderMatrix(
        MatrixFigure(
            title: "w", rows: 2, cols: 2, values: [[0.5, 0.5], [0.25, 0.75]], rowLabels: ["我", "你"],
            colLabels: ["我", "你"], rowSums: true))
    #expect(html.contains("<span class=\"shape\">2×2</span>"))
    #expect(html.contains("<th scope=\"row\">我</th>"))
    #expect(html.contains(">0.250</td>") && html.contains("<td class=\"sum\">1.000</td>"))
}

@Test func largeMatrixIsSummarised() {
    let values = (0..<40).map { i in (0..<30).map { j in Double(i * 30 + j) } }
    let html = renderMatrix(MatrixFigure(rows: 40, cols: 30, values: values, scale: .sequential))
    #expect(html.contains("40×30, summarised"))
    #expect(html.contains(">1199</td>") && !html.contains(">500</td>"))
    // The table: a header row and 8 + gap + 8 rows; the phone's plain table of numbers the same.
    let wide = html.components(separatedBy: "<figure class=\"matrix narrow\">")
    #expect(wide.count == 2)
    #expect(wide[0].components(separatedBy: "<tr>").count - 1 == 1 + 16)
    #expect(wide[1].components(separatedBy: "<tr>").count - 1 == 1 + 17)
}

@Test func colourScales() {
    #expect(Colors.diverging(0, limit: 1) == Colors.white)
    #expect(Colors.diverging(-1, limit: 1).hex == "#2166ac" && Colors.diverging(1, limit: 1).hex == "#b2182b")
    #expect(Colors.diverging(-5, limit: 1).hex == "#2166ac")
    #expect(Colors.sequential(0, low: 0, high: 1).hex == "#ffffff")
    #expect(Colors.sequential(1, low: 0, high: 1).hex == "#08306b")
}

@Test func courseOrderIsOrderThenPath() {
    let a = Notebook(path: "b.md", frontMatter: FrontMatter(order: 1), blocks: [])
    let b = Notebook(path: "a.md", frontMatter: FrontMatter(order: 2), blocks: [])
    let c = Notebook(path: "0.md", frontMatter: FrontMatter(), blocks: [])
    #expect(SiteRenderer.courseOrder([c, b, a]).map(\.path) == ["b.md", "a.md", "0.md"])
}

@Test func searchTermsIndexChineseByCharactersAndBigrams() {
    #expect(SearchIndex.terms("注意力 Softmax, x") == ["注", "意", "注意", "力", "意力", "softmax"])
    var n = Notebook(path: "notebooks/a.md", frontMatter: FrontMatter(title: "A"), blocks: [])
    n.sections = [
        ProseSection(heading: nil, text: "intro"),
        ProseSection(heading: Heading(level: 2, text: "Why 美女", anchor: "why"), text: "context & meaning softmax(x)"),
    ]
    let index = SearchIndex([RenderedNotebook(notebook: n, run: NotebookRun(cells: [], diagnostics: []))])
    #expect(index.documents.map(\.anchor) == ["", "why"])
    #expect(index.documents[1].title == "A › Why 美女")
    #expect(index.documents[1].text.contains("context & meaning") && index.documents[1].text.contains("softmax(x)"))
    #expect(index.javascript.contains("\"美女\": [[1, 2]]"))
}

@Test func malformedOutputsAreShownAsErrorsAndExtremeNumbersDrawOnClampedAxes() {
    // The cases: a 3×3 matrix with a 2×2 mask; plots, bars and number lines at ±1.8e308.
    let huge = Double.greatestFiniteMagnitude
    let masked = Output.matrix(
        MatrixFigure(
            rows: 3, cols: 3, values: [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
            masked: [[false, true], [false, false]]))
    #expect(masked.problem == "the mask is 2×2 but the values are 3×3")
    let html = page(outputs: [masked])
    #expect(html.contains("this matrix output cannot be shown: the mask is 2×2 but the values are 3×3"))
    let plot = renderOutput(
        .linePlot(
            LinePlot(title: "m", xLabel: "x", yLabel: "y", series: [Series(name: "m", x: [0, 1], y: [0, huge])])))
    #expect(plot.contains("<svg") && !plot.contains("\"nan") && !plot.contains("∞"))
    let logPlot = renderOutput(
        .linePlot(
            LinePlot(
                title: "m", xLabel: "x", yLabel: "y", xLog: true, yLog: true,
                series: [Series(name: "m", x: [1e-320, huge], y: [.infinity, 1])])))
    #expect(logPlot.contains("<svg") && !logPlot.contains("\"nan"))
    let bars = renderOutput(
        .bars(
            BarChart(
                title: "b", yLabel: "y", categories: ["a", "b"],
                series: [NamedValues(name: "s", values: [-huge, huge])])))
    #expect(bars.contains("<svg") && !bars.contains("\"nan"))
    let line = renderOutput(
        .numberLine(
            NumberLine(
                title: "n", points: [NamedValues(name: "a", values: [-huge]), NamedValues(name: "b", values: [huge])])))
    #expect(line.contains("<svg") && !line.contains("\"nan"))
    // Every other kind's shape rule.
    let cases: [(Output, String)] = [
        (.matrix(MatrixFigure(rows: 1, cols: 3, values: [[1, 2]])), "1×2 values for a 1×3 matrix"),
        (.matrix(MatrixFigure(rows: 2, cols: 2, values: [[1, 2], [3]])), "row 1 has 1 values but row 0 has 2"),
        (.matrix(MatrixFigure(rows: 1, cols: 1, values: [[1]], rowLabels: ["a", "b"])), "2 row labels for 1 rows"),
        (
            .matrix(MatrixFigure(rows: 100, cols: 1, values: [[1], [2]], summarized: .init(headRows: 5, headCols: 1))),
            "the summary (5 and 1 kept) does not fit 2×1 values of 100×1"
        ),
        (
            .linePlot(LinePlot(title: "", xLabel: "", yLabel: "", series: [Series(name: "s", x: [1], y: [])])),
            "series 1 \"s\" has 1 x values but 0 y values"
        ),
        (
            .histogram(
                Histogram(title: "", xLabel: "", edges: [0, 1], series: [NamedValues(name: "h", values: [1, 2])])),
            "series \"h\" has 2 counts for 1 bins"
        ),
        (
            .bars(BarChart(title: "", yLabel: "", categories: ["a"], series: [NamedValues(name: "s", values: [])])),
            "series \"s\" has 0 values for 1 categories"
        ),
        (
            .arcs(ArcView(title: "", tokens: ["a", "b"], query: 2, queryLabel: "q", weights: [0.5, 0.5])),
            "the query 2 is not one of the 2 tokens"
        ),
        (
            .numberLine(NumberLine(title: "", points: [NamedValues(name: "p", values: [])])),
            "point \"p\" has 0 coordinates, not 1"
        ),
    ]
    for (output, problem) in cases {
        #expect(output.problem == problem)
        #expect(renderOutput(output).contains("cannot be shown: " + escapeHTML(problem)))
    }
}

@Test func aMaskedHeatmapPrintsItsRealScoresWithDecimals() {
    let html = renderMatrix(
        MatrixFigure(
            rows: 1, cols: 3, values: [[-4.25, 1.5, -1e10]], scale: .diverging, masked: [[false, false, true]]))
    #expect(html.contains(">-4.250</td>") && html.contains(">1.500</td>"))
}

@Test func pagesWhoseNamesHoldURLCharactersAreLinkedEncoded() {
    var n = Notebook(
        path: "notebooks/a#b 50%.md", frontMatter: FrontMatter(title: "odd"),
        blocks: [.prose(html: "<p>odd words</p>", headings: [])])
    n.sections = [ProseSection(heading: nil, text: "odd words")]
    let files = SiteRenderer.render([RenderedNotebook(notebook: n, run: NotebookRun(cells: [], diagnostics: []))])
    #expect(files["a#b 50%.html"] != nil)
    #expect(files["index.html"]!.contains("href=\"a%23b%2050%25.html\""))
    #expect(files["search-index.js"]!.contains("a%23b%2050%25.html"))
}

@Test func heatmapTextHasAContrastOfAtLeast4Point5InBothThemes() {
    // WCAG AA for normal text, over every colour either ramp can give, light and dark.
    let range = ColorRange([MatrixFigure(rows: 1, cols: 2, values: [[-1, 1]])])
    for scale in [ColorScale.sequential, .diverging] {
        for step in 0...200 {
            let v = -1 + Double(step) / 100
            for dark in [false, true] {
                let background = range.color(v, scale: scale, dark: dark)!
                let text = background.text(light: Colors.white, dark: Colors.black)
                #expect(
                    background.contrast(with: text) >= 4.5,
                    "\(scale) \(v) dark: \(dark): \(background.hex) on \(text.hex)")
            }
        }
    }
    // By hand: white on black is 21:1, a colour with itself 1:1.
    #expect(abs(Colors.white.contrast(with: Colors.black) - 21) < 1e-12)
    #expect(Colors.blue.contrast(with: Colors.blue) == 1)
}

@Test func highlightedCodeWrapsSpansAndEscapesEverything() {
    let cell = Cell(index: 0, code: "let s = \"<b>\" // a<b\n", line: 2)
    let html = highlightedCode(
        cell,
        spans: [
            CodeSpan(start: 0, length: 3, kind: .keyword), CodeSpan(start: 8, length: 5, kind: .string),
            CodeSpan(start: 14, length: 6, kind: .comment),
        ])
    #expect(
        html
            == "<span class=\"line\"><span class=\"hl-kw\">let</span> s = <span class=\"hl-str\">&quot;&lt;b&gt;&quot;</span> <span class=\"hl-com\">// a&lt;b</span></span>"
    )
    // Spans past the end, overlapping or empty are ignored rather than trapping.
    #expect(
        highlightedCode(
            cell, spans: [CodeSpan(start: 100, length: 4, kind: .number), CodeSpan(start: 1, length: 0, kind: .type)])
            == "<span class=\"line\">let s = &quot;&lt;b&gt;&quot; // a&lt;b</span>")
}

@Test func aScatterSeriesIsMarkersWithNoLine() {
    let html = renderOutput(
        .linePlot(
            LinePlot(
                title: "s", xLabel: "x", yLabel: "y",
                series: [
                    Series(
                        name: "pts", x: Array(0..<100).map(Double.init), y: Array(0..<100).map { Double($0 % 7) },
                        markers: true)
                ])))
    // 100 points and the legend's, in each of the two drawings (wide and narrow).
    #expect(html.hasPrefix("<div class=\"plot-widths\"><figure class=\"plot wide\">"))
    #expect(html.contains("</figure><figure class=\"plot narrow\">"))
    #expect(!html.contains("<polyline") && html.components(separatedBy: "<circle").count - 1 == 2 * 101)
    #expect(html.contains("<desc>Scatter plot of pts against x.</desc>"))
}

@Test func chineseRunsAreMarkedOutsideTagsCodeAndFigures() {
    let html = "<p title=\"美\">Softmax 按行，<em>美女</em></p><pre><code>\"美\"</code></pre><svg><text>女</text></svg><p>x</p>"
    #expect(
        Language.markingChinese(html)
            == "<p title=\"美\">Softmax <span lang=\"zh\">按行，</span><em><span lang=\"zh\">美女</span></em></p>"
            + "<pre><code>\"美\"</code></pre><svg><text>女</text></svg><p>x</p>")
}

@Test func courseSettingsNameEveryPageAndTheIndex() {
    let n = Notebook(
        path: "notebooks/a.md", frontMatter: FrontMatter(title: "注意力 · Attention"),
        blocks: [.prose(html: "<h2 id=\"s\">S</h2>", headings: [])])
    let course = Course(title: "My course", subtitle: "Sub", author: "A. Author", language: "en")
    let files = SiteRenderer.render(
        [RenderedNotebook(notebook: n, run: NotebookRun(cells: [], diagnostics: []))], course: course)
    let page = files["a.html"]!, index = files["index.html"]!, search = files["search.html"]!
    #expect(
        page.contains("<title>注意力 · Attention · My course</title>")
            && page.contains("<meta name=\"author\" content=\"A. Author\">"))
    #expect(index.contains("<h1>My course</h1><p class=\"description\">Sub</p><p class=\"author\">A. Author</p>"))
    // The sidebar on every page, a skip link to the content, the lesson list folded for phones.
    for html in [page, index, search] {
        #expect(html.contains("<a class=\"skip-link\" href=\"#content\">") && html.contains("id=\"content\""))
        #expect(
            html.contains("<nav class=\"sidebar\"") && html.contains("<details class=\"lesson-menu\"><summary>Lessons"))
    }
    #expect(page.contains("<span lang=\"zh\">注意力</span> · Attention"))
    #expect(SiteRenderer.render([], course: Course(language: "zh"))["index.html"]!.contains("<html lang=\"zh\">"))
}
