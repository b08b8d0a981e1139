import NotebookModel

/// `@fig:ID` (a cell with `id=ID` and a `caption=`), `@eq:ID` (a display formula with
/// `\label{ID}`) and `@sec:ANCHOR` (a heading) in prose: checked against the notebook, with
/// located errors, and made links.
///
/// The parser writes `<a class="xref" href="#fig-ID">@fig:ID</a>` (and `#eq-ID`, `@eq:ID`); the
/// site, which knows the lesson's number, puts `Figure 5.2` (or `(5.1)`) in its place. A
/// section's link says `§ Its heading`.
enum CrossReferences {
    /// A reference as written (a function: a `Regex` is not `Sendable`, so no shared `let`).
    static var pattern: Regex<(Substring, Substring, Substring)> { #/@(fig|sec|eq):([A-Za-z0-9_-]+)/# }

    /// An error for each reference in `lines` (the body from line `first`, outside code) to no
    /// figure, formula (of the `equations` labels) or section of `notebook`.
    static func check(
        _ notebook: Notebook, lines: [String], from first: Int, path: String, equations: Set<String> = []
    ) -> [Diagnostic] {
        let figures = Set(notebook.cells.filter { $0.options.caption != nil }.compactMap(\.options.id))
        let sections = Set(headings(notebook).map(\.anchor))
        var errors: [Diagnostic] = []
        var fence: String?
        for n in first...max(first, lines.count) where n <= lines.count {
            let line = lines[n - 1]
            let trimmed = line.drop { $0 == " " }
            if let f = fence {
                if trimmed.hasPrefix(f) { fence = nil }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = String(trimmed.prefix(3))
                continue
            }
            for match in line.matches(of: pattern) {
                // Inside a code span (an odd number of backticks before it on the line): code.
                if line[..<match.range.lowerBound].filter({ $0 == "`" }).count % 2 == 1 { continue }
                let kind = String(match.1), name = String(match.2)
                let known =
                    kind == "fig"
                    ? figures.contains(name) : kind == "eq" ? equations.contains(name) : sections.contains(name)
                guard !known else { continue }
                let column = line.utf8.distance(from: line.startIndex, to: match.range.lowerBound) + 1
                let what =
                    switch kind {
                    case "fig": "no figure is named '\(name)': give its cell id=\(name) and a caption=\"…\""
                    case "eq": "no formula is labelled '\(name)': write \\label{\(name)} in its $$…$$"
                    default: "no section has the anchor '\(name)'"
                    }
                errors.append(
                    Diagnostic(
                        .error, file: path, line: n, column: column, message: "'@\(kind):\(name)': \(what)",
                        sourceLine: line))
            }
        }
        return errors
    }

    /// `html` with each reference a link (not inside `<code>` or `<pre>`).
    ///
    /// `<a class="xref" href="#fig-weights">@fig:weights</a>`, `<a class="xref" href="#the-data">§ The data</a>`
    static func link(_ html: String, _ notebook: Notebook) -> String {
        guard html.contains("@fig:") || html.contains("@sec:") || html.contains("@eq:") else { return html }
        let titles = Dictionary(headings(notebook).map { ($0.anchor, $0.text) }, uniquingKeysWith: { a, _ in a })
        var out = "", rest = Substring(html)
        while let code = rest.firstMatch(of: #/<(code|pre)[\s>]/#) {
            out += linked(rest[..<code.range.lowerBound], titles)
            let close = "</\(code.1)>"
            let end = rest[code.range.lowerBound...].range(of: close)?.upperBound ?? rest.endIndex
            out += rest[code.range.lowerBound..<end]
            rest = rest[end...]
        }
        return out + linked(rest, titles)
    }

    private static func linked(_ text: Substring, _ titles: [String: String]) -> String {
        String(text).replacing(pattern) { match in
            let name = String(match.2)
            return switch match.1 {
            case "fig": "<a class=\"xref\" href=\"#fig-\(name)\">@fig:\(name)</a>"
            case "eq": "<a class=\"xref\" href=\"#eq-\(name)\">@eq:\(name)</a>"
            default: "<a class=\"xref\" href=\"#\(name)\">§ \(escapeHTML(titles[name] ?? name))</a>"
            }
        }
    }

    private static func headings(_ notebook: Notebook) -> [Heading] {
        notebook.blocks.flatMap { block -> [Heading] in
            if case .prose(_, let h) = block { h } else { [] }
        }
    }
}
