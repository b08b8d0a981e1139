import NotebookModel
import Testing

@testable import NotebookSite

/// A lesson of three cells, the first and third captioned, as lesson 2 of 2.
func captionedSite() -> [String: String] {
    func cell(_ i: Int, _ words: [String]) -> Cell {
        var c = Cell(index: i, code: "x", line: 3 + 4 * i)
        c.options = try! CellOptions.parse(words).get()
        return c
    }
    let first = Notebook(path: "notebooks/a.md", frontMatter: FrontMatter(title: "A"), blocks: [])
    let second = Notebook(
        path: "notebooks/b.md", frontMatter: FrontMatter(title: "B"),
        blocks: [
            .cell(cell(0, ["caption=\"Weights & <scores>\""])), .cell(cell(1, [])),
            .cell(cell(2, ["caption=\"Loss\""])),
        ])
    let outputs = (0..<3).map { CellResult(index: $0, outputs: [.text("out \($0)")]) }
    return SiteRenderer.render([
        RenderedNotebook(notebook: first, run: NotebookRun(cells: [], diagnostics: [])),
        RenderedNotebook(notebook: second, run: NotebookRun(cells: outputs, diagnostics: [])),
    ])
}

@Test func captionedCellsAreNumberedFiguresOfTheirLesson() throws {
    let html = try #require(captionedSite()["b.html"])
    #expect(
        html.contains(
            "<figure class=\"captioned\" id=\"fig-2-1\"><div class=\"outputs\"><pre tabindex=\"0\" class=\"output-text\"><span class=\"line\">out 0</span></pre></div>"
                + "<figcaption><span class=\"figure-number\">Figure 2.1:</span> Weights &amp; &lt;scores&gt;</figcaption></figure>"
        ))
    #expect(html.contains("<span class=\"figure-number\">Figure 2.2:</span> Loss</figcaption>"))  // the third cell
    #expect(html.components(separatedBy: "<figure class=\"captioned\"").count - 1 == 2)
}

@Test func captionsAreInTheSearchIndex() throws {
    let index = try #require(captionedSite()["search-index.js"])
    #expect(index.contains("Figure 2.2: Loss"))
    #expect(index.contains("fig-2-2"))
}

@Test func anEmptyCaptionIsRefused() throws {
    guard case .failure(let error) = CellOptions.parse(["caption=\"\""]) else {
        Issue.record("an empty caption was accepted")
        return
    }
    #expect(error.word == "caption=\"\"" && error.reason == "is an empty caption (write caption=\"…\")")
    #expect(try CellOptions.parse(CellOptions.words(of: "caption=\"two words\" hide")).get().caption == "two words")
}

/// Heatmaps compared in `subplots` share one colour range: only the largest value of both panels
/// gets the darkest colour, and the other panel's 1 (a tenth of 10) a light one.
@Test func subplotHeatmapsShareOneColourScale() {
    let panels: [Output] = [
        .matrix(MatrixFigure(title: "a", rows: 1, cols: 2, values: [[0, 1]], scale: .sequential)),
        .matrix(MatrixFigure(title: "b", rows: 1, cols: 2, values: [[0, 10]], scale: .sequential)),
    ]
    let html = renderFigures(FigureGrid(title: "w", columns: 2, sharedY: false, panels: panels), id: "f")
    let darkest = Colors.sequential(10, low: 0, high: 10).hex, tenth = Colors.sequential(1, low: 0, high: 10).hex
    #expect(darkest == "#08306b")
    #expect(html.components(separatedBy: "--c:\(darkest)").count - 1 == 1)
    #expect(html.contains("--c:\(tenth)"))
}

/// A figure reference in prose says the figure's number and links to its anchor.
@Test func aFigureReferenceSaysItsNumber() throws {
    var c = Cell(index: 0, code: "x", line: 3)
    c.options = try CellOptions.parse(["id=w", "caption=\"Weights\""]).get()
    let n = Notebook(
        path: "notebooks/a.md", frontMatter: FrontMatter(title: "A"),
        blocks: [.prose(html: "<p>See <a class=\"xref\" href=\"#fig-w\">@fig:w</a>.</p>", headings: []), .cell(c)])
    let html = SiteRenderer.render([
        RenderedNotebook(
            notebook: n, run: NotebookRun(cells: [CellResult(index: 0, outputs: [.text("1")])], diagnostics: []))
    ])["a.html"]!
    #expect(html.contains("<p>See <a class=\"xref\" href=\"#fig-w\">Figure 1.1</a>.</p>"))
    #expect(html.contains("<figure class=\"captioned\" id=\"fig-w\">"))
}

@Test func theTableOfContentsRendersTheHeadingsMath() {
    let math = "<math display=\"inline\" alttext=\"W_O\"><mrow><msub><mi>W</mi><mi>O</mi></msub></mrow></math>"
    let prose =
        "<h2 id=\"then-w-o\">Then \(math), a <a href=\"https://x.y\">link</a><a class=\"heading-link\" href=\"#then-w-o\" aria-label=\"link to this section\"></a></h2>"
        + "<h2 id=\"plain\">Plain<a class=\"heading-link\" href=\"#plain\"></a></h2>"
    let n = Notebook(
        path: "notebooks/a.md", frontMatter: FrontMatter(title: "A"),
        blocks: [
            .prose(
                html: prose,
                headings: [
                    Heading(level: 2, text: "Then W_O, a link", anchor: "then-w-o"),
                    Heading(level: 2, text: "Plain", anchor: "plain"),
                ])
        ])
    let page = SiteRenderer.render([RenderedNotebook(notebook: n, run: NotebookRun(cells: [], diagnostics: []))])[
        "a.html"]!
    #expect(page.contains("<li class=\"level2\"><a href=\"#then-w-o\">Then \(math), a link</a></li>"))
    #expect(page.contains("<li class=\"level2\"><a href=\"#plain\">Plain</a></li>"))
}

/// A labelled formula and the references to it say its number in the lesson, in order.
@Test func formulaReferencesSayTheirNumbers() throws {
    let prose =
        "<p><span class=\"math-block numbered\" id=\"eq-a\" tabindex=\"0\"><math></math><span class=\"eq-number\">(eq:a)</span></span></p>"
        + "<p><span class=\"math-block numbered\" id=\"eq-b\" tabindex=\"0\"><math></math><span class=\"eq-number\">(eq:b)</span></span></p>"
    let n = Notebook(
        path: "notebooks/a.md", frontMatter: FrontMatter(title: "A"),
        blocks: [
            .prose(html: prose, headings: []),
            .prose(html: "<p>By <a class=\"xref\" href=\"#eq-b\">@eq:b</a> and @eq:a.</p>", headings: []),
        ])
    let html = try #require(
        SiteRenderer.render([RenderedNotebook(notebook: n, run: NotebookRun(cells: [], diagnostics: []))])["a.html"])
    #expect(
        html.contains("<span class=\"eq-number\">(1.1)</span>")
            && html.contains("<span class=\"eq-number\">(1.2)</span>"))
    #expect(html.contains("<p>By <a class=\"xref\" href=\"#eq-b\">(1.2)</a> and @eq:a.</p>"))
}

/// Bar value labels share one format: 0.500 beside 1.250, not 0.5 beside 1.25.
@Test func barValueLabelsShareOneNumberFormat() {
    let html = renderBars(
        BarChart(
            title: "t", yLabel: "y", categories: ["a", "b"], series: [NamedValues(name: "s", values: [0.5, 1.25])]))
    let labels = html.components(separatedBy: "class=\"bar-value\"").dropFirst().compactMap {
        $0.split(separator: ">").dropFirst().first?.split(separator: "<").first.map(String.init)
    }
    #expect(labels == ["0.500", "1.250"])
}

/// The search index says references as the page does, not `@fig:ID`.
@Test func searchTextSaysReferencesAsThePageDoes() throws {
    var c = Cell(index: 0, code: "x", line: 3)
    c.options = try CellOptions.parse(["id=w", "caption=\"Weights\""]).get()
    var n = Notebook(
        path: "notebooks/a.md", frontMatter: FrontMatter(title: "A"),
        blocks: [
            .prose(
                html: "<h2 id=\"data\">The data</h2>"
                    + "<span class=\"math-block numbered\" id=\"eq-s\" tabindex=\"0\"></span>",
                headings: [Heading(level: 2, text: "The data", anchor: "data")]),
            .cell(c),
        ])
    n.sections = [ProseSection(heading: nil, text: "See @fig:w, @eq:s, @sec:data and @eq:none.")]
    let index = try #require(
        SiteRenderer.render([
            RenderedNotebook(
                notebook: n, run: NotebookRun(cells: [CellResult(index: 0, outputs: [.text("1")])], diagnostics: []))
        ])["search-index.js"])
    #expect(index.contains("See Figure 1.1, (1.1), § The data and @eq:none."))
}
