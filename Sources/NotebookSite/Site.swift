import Dispatch
import NotebookModel

/// A notebook with the result of running it, ready to render.
public struct RenderedNotebook: Sendable {
    /// The parsed notebook: its prose, cells and front matter.
    public var notebook: Notebook
    /// Its run.
    public var run: NotebookRun
    /// A notebook and its run.
    public init(notebook: Notebook, run: NotebookRun) {
        self.notebook = notebook
        self.run = run
    }
}

/// The course's settings, from the front matter of `notebooks/index.md`.
public struct Course: Sendable, Equatable {
    /// The site's name, in every title and on the index (`title:`).
    public var title: String
    /// A line under the title on the index (`subtitle:`).
    public var subtitle: String?
    /// Who wrote it (`author:`), on the index and in each page's `<meta name="author">`.
    public var author: String?
    /// The pages' language (`language:`, a BCP 47 tag); a lesson's own `language:` wins.
    public var language: String

    /// Settings; the defaults are a course called "Lessons" in English.
    public init(title: String = "Lessons", subtitle: String? = nil, author: String? = nil, language: String = "en") {
        (self.title, self.subtitle, self.author, self.language) = (title, subtitle, author, language)
    }

    /// The settings in `frontMatter` (of `notebooks/index.md`).
    public init(_ frontMatter: FrontMatter) {
        self.init(
            title: frontMatter.title ?? "Lessons", subtitle: frontMatter.subtitle, author: frontMatter.author,
            language: frontMatter.language ?? "en")
    }
}

/// Renders the static site: an index and one page per notebook, one stylesheet, a script only for
/// the search page and box (lessons read fully without it), no
/// external URL.
///
/// Pure: returns file names and contents; the CLI writes them.
public enum SiteRenderer {
    /// Every file of the site, by relative path, for notebooks already in course order.
    /// - Parameter introduction: HTML placed at the top of the index (from `notebooks/index.md`).
    /// - Parameter prerendered: For each notebook, its page as an earlier build rendered it with
    ///   the same inputs, or nil to render it (the caller keys such pages; see `BuildAction`).
    /// - Parameter api: The API reference, written as `api.html` and indexed by search.
    /// - Parameter course: The course's title, subtitle, author and language.
    public static func render(
        _ notebooks: [RenderedNotebook], introduction: String? = nil, prerendered: [String?] = [],
        api: APIReference? = nil, course: Course = Course()
    ) -> [String: String] {
        // The pages and the search index are independent: rendered at once, one per core.
        let all = notebooks.map(\.notebook)
        nonisolated(unsafe) let rendered = UnsafeMutableBufferPointer<String>.allocate(capacity: notebooks.count + 1)
        rendered.initialize(repeating: "")
        defer {
            rendered.deinitialize()
            rendered.deallocate()
        }
        DispatchQueue.concurrentPerform(iterations: notebooks.count + 1) { i in
            rendered[i] =
                i == notebooks.count
                ? SearchIndex(notebooks, api: api).javascript
                : (prerendered.indices.contains(i) ? prerendered[i] : nil)
                    ?? NotebookPage(item: notebooks[i], all: all, position: i, course: course).html
        }
        var files: [String: String] = ["style.css": Stylesheet.css]
        for (i, item) in notebooks.enumerated() { files[pageName(item.notebook)] = rendered[i] }
        files["index.html"] = indexPage(all, introduction: introduction, api: api != nil, course: course)
        files["search.html"] = SearchPage.html(all, course: course)
        files["search.js"] = SearchPage.script
        files[MathFont.stylesheetName] = MathFont.stylesheet
        files[CopyButton.name] = CopyButton.script
        files[AttentionView.name] = AttentionView.script
        files[MathFont.licenceName] = MathFont.licence
        files["search-index.js"] = rendered[notebooks.count]
        if let api { files[APIPage.name] = APIPage(reference: api, lessons: all, course: course).html }
        return files
    }

    /// The page file of a notebook: `01-one-hot.html`.
    public static func pageName(_ notebook: Notebook) -> String { notebook.slug + ".html" }

    /// The page's name as a relative URL: every byte but letters, digits and `-._~` percent-encoded,
    /// so that a lesson named `a#b.md` or `50%.md` links to its page and not to an anchor or an escape.
    public static func pageLink(_ notebook: Notebook) -> String {
        var out = ""
        for byte in pageName(notebook).utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || "-._~".contains(c)) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    /// Notebooks in course order: front-matter `order`, then file name.
    public static func courseOrder(_ notebooks: [Notebook]) -> [Notebook] {
        notebooks.sorted { ($0.frontMatter.order ?? Int.max, $0.path) < ($1.frontMatter.order ?? Int.max, $1.path) }
    }

    static func indexPage(_ notebooks: [Notebook], introduction: String?, api: Bool = false, course: Course = Course())
        -> String
    {
        var body = NotebookPage.sidebar(notebooks, current: nil, api: false, course: course)
        body += "<main id=\"content\" class=\"index\"><h1>\(escapeHTML(course.title))</h1>"
        if let subtitle = course.subtitle { body += "<p class=\"description\">\(escapeHTML(subtitle))</p>" }
        if let author = course.author { body += "<p class=\"author\">\(escapeHTML(author))</p>" }
        body +=
            "<form class=\"search-box\" action=\"search.html\" method=\"get\" role=\"search\"><input name=\"q\" type=\"search\" aria-label=\"search the lessons\" placeholder=\"Search: 注意力, 美女, softmax\"> <button type=\"submit\">Search</button></form>"
        body += introduction ?? ""
        body += "<h2 id=\"lessons\">Lessons</h2><ol class=\"lessons\">"
        for n in notebooks {
            body += "<li><a href=\"\(escapeHTML(pageLink(n)))\">\(n.displayTitle)</a>"
            if let d = n.displayDescription { body += "<p>\(d)</p>" }
            body += "</li>"
        }
        body += "</ol>"
        if api {
            body +=
                "<p class=\"api-link\">Every function, type and figure a cell can call: <a href=\"\(APIPage.name)\">API reference</a>.</p>"
        }
        body += "</main>"
        return document(title: course.title, body: body, course: course)
    }

    /// Every block that may scroll sideways (code, printed text, wide heatmaps) in the tab order,
    /// so that a keyboard can scroll it (text inside is escaped, so only real tags match).
    static func keyboardScrollable(_ html: String) -> String {
        html.replacing("<pre>", with: "<pre tabindex=\"0\">").replacing(
            "<pre class=", with: "<pre tabindex=\"0\" class="
        )
        .replacing("<pre data-lang=", with: "<pre tabindex=\"0\" data-lang=")
        .replacing("<div class=\"scroll\">", with: "<div class=\"scroll\" tabindex=\"0\">")
    }

    /// The page skeleton every page shares: a skip link to `#content`, Chinese runs marked
    /// `lang="zh"` (unless the page is Chinese), the course's author.
    static func document(title: String, body: String, course: Course = Course(), language: String? = nil) -> String {
        let lang = language ?? course.language
        let author = course.author.map { "<meta name=\"author\" content=\"\(escapeHTML($0))\">\n" } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="\(escapeHTML(lang))">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            \(author)<title>\(escapeHTML(title))</title>
            <link rel="stylesheet" href="style.css">
            \(body.contains("<math") ? "<link rel=\"stylesheet\" href=\"\(MathFont.stylesheetName)\">\n" : "")</head>
            <body>
            <a class="skip-link" href="#content">Skip to the content</a>
            \(keyboardScrollable(lang.hasPrefix("zh") ? body : Language.markingChinese(body)))
            \(body.contains("<pre class=\"code\"") ? "<script src=\"\(CopyButton.name)\" defer></script>\n" : "")\
            \(AttentionView.isUsed(by: body) ? "<script src=\"\(AttentionView.name)\" defer></script>\n" : "")</body>
            </html>

            """
    }
}

/// One notebook's page: sidebar, prose, cells with their outputs, prev/next.
struct NotebookPage {
    let item: RenderedNotebook
    let all: [Notebook]
    let position: Int
    var course = Course()

    var html: String {
        let n = item.notebook
        var body = sidebar()
        body += "<main id=\"content\"><article><header><h1>\(n.displayTitle)</h1>"
        if let d = n.displayDescription { body += "<p class=\"description\">\(d)</p>" }
        body += "<p class=\"source\">Source: <code>\(escapeHTML(n.path))</code></p></header>"
        body += tableOfContents()
        for block in n.blocks {
            switch block {
            case .prose(let html, _): body += numberedReferences(html)
            case .cell(let cell): body += renderCell(cell)
            }
        }
        body += "</article>" + pager() + "</main>"
        return SiteRenderer.document(
            title: "\(n.title) · \(course.title)", body: body, course: course, language: n.frontMatter.language)
    }

    func sidebar() -> String { Self.sidebar(all, current: position, api: false, course: course) }

    /// `<nav class="sidebar">`: the course's name, the search box and the lessons, with the lesson
    /// at `current` (if any) or the API reference (`api`) marked as the page.
    ///
    /// The list is there twice: open beside the page on wide screens, folded in a `<details>` on
    /// phones (no script; the hidden one is `display: none`, so screen readers meet one).
    static func sidebar(_ all: [Notebook], current position: Int?, api: Bool, course: Course = Course()) -> String {
        var s =
            "<nav class=\"sidebar\" aria-label=\"lessons\"><p class=\"site-name\"><a href=\"index.html\">\(escapeHTML(course.title))</a></p>"
        s +=
            "<form class=\"search-box\" action=\"search.html\" method=\"get\" role=\"search\"><input name=\"q\" type=\"search\" aria-label=\"search the lessons\" placeholder=\"Search: 注意力, softmax\"></form>"
        var list = "<ol>"
        for (i, n) in all.enumerated() {
            let current = i == position ? " aria-current=\"page\"" : ""
            list += "<li><a href=\"\(escapeHTML(SiteRenderer.pageLink(n)))\"\(current)>\(n.displayTitle)</a></li>"
        }
        list +=
            "</ol><p class=\"api-link\"><a href=\"\(APIPage.name)\"\(api ? " aria-current=\"page\"" : "")>API reference</a></p>"
        let here =
            position.map { "lesson \($0 + 1) of \(all.count)" } ?? (api ? "API reference" : "\(all.count) lessons")
        s += "<div class=\"lesson-list\">\(list)</div>"
        s +=
            "<details class=\"lesson-menu\"><summary>Lessons <span class=\"here\">(\(here))</span></summary>\(list)</details>"
        return s + "</nav>"
    }

    /// The headings of the page as a list of links (levels 2 and 3).
    func tableOfContents() -> String {
        let headings = item.notebook.blocks.flatMap { block -> [Heading] in
            if case .prose(_, let h) = block { return h.filter { $0.level == 2 || $0.level == 3 } }
            return []
        }
        guard headings.count > 1 else { return "" }
        return "<nav class=\"toc\" aria-label=\"on this page\"><p>On this page</p><ul>"
            + headings.map {
                "<li class=\"level\($0.level)\"><a href=\"#\(escapeHTML($0.anchor))\">\(headingHTML($0) ?? escapeHTML($0.text))</a></li>"
            }.joined()
            + "</ul></nav>"
    }

    /// A heading's content as the prose renders it (formulas as MathML, emphasis, code), without
    /// its `#` link or any other (a link inside the entry's link is not HTML):
    /// `Concatenating, then <math …>…</math>, is a sum over heads`.
    func headingHTML(_ h: Heading) -> String? {
        let open = "<h\(h.level) id=\"\(escapeHTML(h.anchor))\">"
        for case .prose(let html, _) in item.notebook.blocks {
            guard let start = html.range(of: open),
                let end = html[start.upperBound...].range(of: "<a class=\"heading-link\"")
            else { continue }
            return String(html[start.upperBound..<end.lowerBound]).replacing(#/</?a\b[^>]*>/#, with: "")
        }
        return nil
    }

    /// A cell: its code (unless hidden) and its outputs.
    ///
    /// `<section class="cell" id="cell-3"><p class="cell-label"><a href="#cell-3">cell 3</a></p><pre class="code"><code>…</code></pre><div class="outputs">…</div></section>`
    /// (the label links to the cell; the Markdown source is not published, so no line number).
    func renderCell(_ cell: Cell) -> String {
        let outputs = item.run.cells.first { $0.index == cell.index }?.outputs ?? []
        var s = "<section class=\"cell\" id=\"cell-\(cell.number)\">"
        if !cell.options.hide {
            s +=
                "<p class=\"cell-label\"><a href=\"#cell-\(cell.number)\">cell \(cell.number)</a>"
                + (cell.options.skip ? " · not run (skip)" : "") + "</p>"
            let spans = item.run.cells.first { $0.index == cell.index }?.highlights ?? []
            s += foldedCode(
                "<pre class=\"code\"><code class=\"language-swift\">\(highlightedCode(cell, spans: spans))</code></pre>",
                lines: cell.code.split(separator: "\n", omittingEmptySubsequences: false).count
                    - (cell.code.hasSuffix("\n") ? 1 : 0))
        }
        if !outputs.isEmpty {
            let html =
                "<div class=\"outputs\">"
                + outputs.enumerated().map { k, output in
                    renderOutput(output, expectedError: cell.options.expectError != nil, id: "c\(cell.number)-\(k + 1)")
                }.joined() + "</div>"
            s += captioned(html, cell)
        }
        return s + "</section>"
    }

    /// A cell's code longer than `foldLines` lines, folded: its first lines show, and a
    /// `<details>` after them unfolds the rest (by the stylesheet, no script; a browser without
    /// `:has` shows it all).
    ///
    /// `<div class="code-fold"><details><summary>all 94 lines</summary></details><pre class="code">…</pre></div>`
    /// (the summary first, so that CSS can fold the code after a closed one; it is shown under it)
    func foldedCode(_ pre: String, lines: Int) -> String {
        guard lines > Self.foldLines else { return pre }
        return "<div class=\"code-fold\"><details><summary>show all \(lines) lines</summary></details>\(pre)</div>"
    }

    /// Cells longer than this are folded to their first `foldShown` lines.
    static let foldLines = 30

    /// A cell's outputs as a numbered figure when the cell has a `caption=` option: lesson
    /// number, then the figure's number in the lesson.
    ///
    /// `<figure class="captioned" id="fig-5-2"><div class="outputs">…</div><figcaption><span class="figure-number">Figure 5.2:</span> …</figcaption></figure>`
    func captioned(_ outputs: String, _ cell: Cell) -> String {
        guard let caption = cell.options.caption, let number = figureNumber(cell) else { return outputs }
        return "<figure class=\"captioned\" id=\"\(figureAnchor(cell, number))\">\(outputs)<figcaption>"
            + "<span class=\"figure-number\">Figure \(position + 1).\(number):</span> \(escapeHTML(caption))</figcaption></figure>"
    }

    /// Prose with each figure reference's text its number, `<a class="xref" href="#fig-weights">Figure 5.2</a>`,
    /// and each labelled formula's and its references' `(5.1)`.
    func numberedReferences(_ html: String) -> String {
        var html = numberedEquations(html)
        guard html.contains("<a class=\"xref\" href=\"#fig-") else { return html }
        for cell in item.notebook.cells {
            guard let id = cell.options.id, let number = figureNumber(cell) else { continue }
            html = html.replacing(
                "<a class=\"xref\" href=\"#fig-\(id)\">@fig:\(id)</a>",
                with: "<a class=\"xref\" href=\"#\(figureAnchor(cell, number))\">Figure \(position + 1).\(number)</a>")
        }
        return html
    }

    /// `html` with the number of each labelled display formula of the lesson (in the order they
    /// come) in its `eq-number` and in the references to it: `(5.1)`.
    func numberedEquations(_ html: String) -> String {
        guard html.contains("<span class=\"eq-number\">") || html.contains("<a class=\"xref\" href=\"#eq-") else {
            return html
        }
        var html = html
        for (k, label) in item.notebook.equationLabels.enumerated() {
            let number = "(\(position + 1).\(k + 1))"
            html = html.replacing(
                "<span class=\"eq-number\">(eq:\(label))</span>", with: "<span class=\"eq-number\">\(number)</span>"
            )
            .replacing(
                "<a class=\"xref\" href=\"#eq-\(label)\">@eq:\(label)</a>",
                with: "<a class=\"xref\" href=\"#eq-\(label)\">\(number)</a>")
        }
        return html
    }

    /// A figure's anchor: `fig-` and its cell's id, or its number (`fig-5-2`).
    func figureAnchor(_ cell: Cell, _ number: Int) -> String {
        cell.options.id.map { "fig-" + $0 } ?? "fig-\(position + 1)-\(number)"
    }

    /// The number of a captioned cell's figure in its lesson: 1 for the first captioned cell.
    func figureNumber(_ cell: Cell) -> Int? {
        let captioned = item.notebook.cells.filter { $0.options.caption != nil }
        return captioned.firstIndex { $0.index == cell.index }.map { $0 + 1 }
    }

    /// The links to the previous and next lessons, as in
    /// `<nav class="pager"><a rel="prev" href="…">← …</a><a rel="next" href="…">… →</a></nav>`.
    func pager() -> String {
        var s = "<nav class=\"pager\" aria-label=\"previous and next\">"
        if position > 0 {
            let p = all[position - 1]
            s += "<a rel=\"prev\" href=\"\(escapeHTML(SiteRenderer.pageLink(p)))\">← \(p.displayTitle)</a>"
        } else {
            s += "<a href=\"index.html\">← contents</a>"
        }
        if position + 1 < all.count {
            let n = all[position + 1]
            s += "<a rel=\"next\" href=\"\(escapeHTML(SiteRenderer.pageLink(n)))\">\(n.displayTitle) →</a>"
        }
        return s + "</nav>"
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
