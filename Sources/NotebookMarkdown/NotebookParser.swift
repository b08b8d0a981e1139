import Foundation
import NotebookModel
import Yams

/// Reads a notebook file: UTF-8 check, YAML front matter, prose through cmark-gfm, and the
/// fenced `swift` blocks as cells.
public enum NotebookParser {
    /// An info string that starts like `swift` but does not make a cell: another case, or
    /// options joined by `,` or `{`.
    static func looksLikeACell(_ info: String) -> Bool {
        let first = CellOptions.words(of: info).first ?? ""
        return first != "swift" && first.lowercased().hasPrefix("swift")
            && (first.count == 5
                || [",", "{", ";", ":"].contains(first.lowercased().dropFirst(5).first.map(String.init) ?? ""))
    }

    /// Reads and parses the notebook at `path` (as the user named it).
    /// - Throws: `NotebookError` (exit 2) for an unreadable file, invalid UTF-8, broken front
    ///   matter or an unknown cell option, located at the line.
    public static func load(path: String) throws -> Notebook {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NotebookError.input(Diagnostic(.error, file: path, line: 0, message: "cannot read the file"))
        }
        return try parse(bytes: Array(data), path: path)
    }

    /// Parses notebook bytes.
    /// - Throws: `NotebookError` (exit 2), located.
    public static func parse(bytes: [UInt8], path: String) throws -> Notebook {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = firstInvalidUTF8(bytes)
            let line = bytes.prefix(offset).filter { $0 == UInt8(ascii: "\n") }.count + 1
            throw NotebookError.input(
                Diagnostic(
                    .error, file: path, line: line, message: "the file is not valid UTF-8 (byte offset \(offset))"))
        }
        return try parse(text: text, path: path)
    }

    /// Parses notebook text.
    /// - Throws: `NotebookError` (exit 2), located.
    public static func parse(text: String, path: String) throws -> Notebook {
        // A UTF-8 byte order mark (some Windows editors write one) would hide the front matter.
        let lines = splitLines(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        func line(_ n: Int) -> String { n >= 1 && n <= lines.count ? lines[n - 1] : "" }
        let (frontMatter, bodyStart, frontMatterWarnings) = try FrontMatterReader.read(lines: lines, path: path)
        let math = try MathExtractor(
            lines[(bodyStart - 1)...].joined(separator: "\n"), firstLine: bodyStart, path: path, lines: lines)
        let body = math.text
        let offset = bodyStart - 1
        var blocks: [Block] = []
        var warnings = frontMatterWarnings
        var prose = ""
        var headings: [Heading] = []
        var anchors = AnchorNamer()
        var sections = [ProseSection(heading: nil, text: frontMatter.description ?? "")]
        func read(_ text: String) { sections[sections.count - 1].text += " " + math.readable(text) }
        func readCode(_ code: String) { sections[sections.count - 1].code += " " + code }
        func flushProse() {
            // cmark's table headers are column headers: say so, for screen readers.
            if !prose.isEmpty {
                let html = math.restore(prose).replacing("<th>", with: "<th scope=\"col\">").replacing(
                    "<th align=", with: "<th scope=\"col\" align=")
                blocks.append(.prose(html: html, headings: headings))
            }
            prose = ""
            headings = []
        }
        for node in CommonMark.topLevelNodes(body) {
            switch node.kind {
            case .codeBlock(let info, let fence?) where CellOptions.words(of: info).first == "swift":
                flushProse()
                let earlier = blocks.compactMap { if case .cell(let c) = $0 { c } else { nil } }
                let (cell, warning) = try Self.cell(
                    from: node, info: info, fence: fence, offset: offset, earlier: earlier, path: path, lines: lines)
                warnings += warning.map { [$0] } ?? []
                blocks.append(.cell(cell))
                readCode(cell.code)
            case .codeBlock(let info, _?) where Self.looksLikeACell(info):
                // ```Swift, ```swift,hide, ```swift{.x}: meant as cells, silently not run before.
                let fenceLine = node.startLine + offset
                warnings.append(
                    Diagnostic(
                        .warning, file: path, line: fenceLine, column: 1,
                        message: "this block is shown but not run: its info string '\(info)' is not a cell's; "
                            + "write ```swift (lowercase, options after a space) to run it, or ```swift skip to say it is not run",
                        sourceLine: line(fenceLine)))
                prose += node.html
                readCode(node.text)
            case .codeBlock:  // code in another language: searched, not quoted
                prose += node.html
                readCode(node.text)
            case .heading(let level, let rawText):
                let text = math.restoreSource(rawText)
                let anchor = anchors.name(for: text)
                headings.append(Heading(level: level, text: text, anchor: anchor))
                prose += withID(node.html, level: level, anchor: anchor)
                if level == 2 || level == 3 {
                    let readable = math.readable(rawText).split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    sections.append(
                        ProseSection(heading: Heading(level: level, text: readable, anchor: anchor), text: ""))
                } else {
                    read(node.text)
                }
            case .blockQuote:
                prose += Callout.render(node.html)
                read(node.text)
            default:
                prose += node.html
                read(node.text)
            }
        }
        flushProse()
        var notebook = Notebook(path: path, frontMatter: frontMatter, blocks: blocks, warnings: warnings, lines: lines)
        notebook.sections = sections
        // Cross-references: each must name a figure or a section of this notebook.
        var errors = CrossReferences.check(
            notebook, lines: lines, from: bodyStart, path: path, equations: Set(math.labels.map(\.name)))
        notebook.blocks = notebook.blocks.map {
            if case .prose(let html, let h) = $0 {
                .prose(html: CrossReferences.link(html, notebook), headings: h)
            } else {
                $0
            }
        }
        // Formulas in the title and the description: MathML on the page, readable text in <title>.
        for key in ["title", "description"] {
            guard let text = key == "title" ? frontMatter.title : frontMatter.description, text.contains("$") else {
                continue
            }
            let line = (1..<max(1, bodyStart - 1)).first { lines[$0].hasPrefix(key + ":") }.map { $0 + 1 } ?? 1
            do {
                let (html, plain) = try MathExtractor.inline(text)
                if key == "title" {
                    (notebook.titleHTML, notebook.plainTitle) = (html, plain)
                } else {
                    notebook.descriptionHTML = html
                    notebook.sections[0].text = plain  // the search's snippet: W_Q, not $W_Q$
                }
            } catch {
                let column =
                    (lines[line - 1].range(of: text).map {
                        lines[line - 1].utf8.distance(from: lines[line - 1].startIndex, to: $0.lowerBound)
                    } ?? 0) + 1
                errors.append(
                    Diagnostic(
                        .error, file: path, line: line, column: column + error.offset, message: error.message,
                        sourceLine: lines[line - 1]))
            }
        }
        if !errors.isEmpty { throw NotebookError(diagnostics: errors, exitStatus: 2) }
        return notebook
    }

    /// The lines of `text` as CommonMark counts them: ended by "\r\n", "\n" or a lone "\r".
    static func splitLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current: [UInt8] = []
        var previousWasCR = false
        for byte in text.utf8 {
            if byte == 0x0A && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                lines.append(String(decoding: current, as: UTF8.self))
                current = []
            } else {
                current.append(byte)
            }
        }
        lines.append(String(decoding: current, as: UTF8.self))
        return lines
    }

    /// A closing fence: at least as many of the same fence characters, nothing else.
    private static func isClosingFence(_ line: String, _ fence: String) -> Bool {
        line.hasPrefix(fence) && line.allSatisfy { $0 == fence.first }
    }

    /// `<h2>…` becomes `<h2 id="anchor">…`.
    ///
    /// The cell of a ```` ```swift ```` block: its options read, its code checked for a
    /// `#sourceLocation` of its own and its `id=` for a clash with an `earlier` cell's; and a
    /// warning when its fence is not closed.
    /// - Throws: `NotebookError` (exit 2) at the offending word or line.
    private static func cell(
        from node: MarkdownNode, info: String, fence: String, offset: Int, earlier: [Cell],
        path: String, lines: [String]
    ) throws -> (Cell, Diagnostic?) {
        func line(_ n: Int) -> String { n >= 1 && n <= lines.count ? lines[n - 1] : "" }
        var warning: Diagnostic?
        let fenceLine = node.startLine + offset
        let words = Array(CellOptions.words(of: info).dropFirst())
        let options: CellOptions
        switch CellOptions.parse(words) {
        case .success(let o): options = o
        case .failure(let e):
            let fenceText = line(fenceLine)
            let column =
                (fenceText.range(of: e.word).map {
                    fenceText.utf8.distance(from: fenceText.startIndex, to: $0.lowerBound)
                } ?? 0) + 1
            throw NotebookError.input(
                Diagnostic(
                    .error, file: path, line: fenceLine, column: column,
                    message: "'\(e.word)' \(e.reason)", sourceLine: fenceText))
        }
        let endLine = min(lines.count, node.endLine + offset)
        if endLine <= fenceLine || !isClosingFence(line(endLine).trimmingCharacters(in: .whitespaces), fence) {
            warning = Diagnostic(
                .warning, file: path, line: fenceLine, column: 1,
                message: "the code fence is not closed; the cell runs to the end of the file",
                sourceLine: line(fenceLine))
        }
        // The runner maps every line back to the notebook with #sourceLocation; a cell's own
        // would send the compiler's diagnostics to another file, with no line here.
        for (k, codeLine) in node.literal.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where codeLine.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("#sourceLocation") {
            let column = codeLine.prefix { $0 == " " || $0 == "\t" }.utf8.count + 1
            throw NotebookError.input(
                Diagnostic(
                    .error, file: path, line: fenceLine + 1 + k, column: column,
                    message: "a cell cannot use '#sourceLocation': the runner uses it to keep "
                        + "every line's number in the notebook",
                    sourceLine: line(fenceLine + 1 + k)))
        }
        if let id = options.id, let first = earlier.first(where: { $0.options.id == id }) {
            let fenceText = line(fenceLine)
            let column =
                (fenceText.range(of: "id=").map {
                    fenceText.utf8.distance(from: fenceText.startIndex, to: $0.lowerBound)
                } ?? 0) + 1
            throw NotebookError.input(
                Diagnostic(
                    .error, file: path, line: fenceLine, column: column,
                    message: "cell id '\(id)' is already used by the cell at line \(first.line - 1)",
                    sourceLine: fenceText))
        }
        return (Cell(index: earlier.count, code: node.literal, line: fenceLine + 1, options: options), warning)
    }

    /// The heading with its id and a link to itself (an empty `<a>` that the stylesheet draws as
    /// `#`, so the heading's text stays what it was for the contents and the search).
    private static func withID(_ html: String, level: Int, anchor: String) -> String {
        let open = "<h\(level)>", close = "</h\(level)>"
        guard html.hasPrefix(open), let end = html.range(of: close, options: .backwards) else { return html }
        return "<h\(level) id=\"\(anchor)\">" + html[html.index(html.startIndex, offsetBy: open.count)..<end.lowerBound]
            + "<a class=\"heading-link\" href=\"#\(anchor)\" aria-label=\"link to this section\"></a>"
            + html[end.lowerBound...]
    }

    /// The byte offset of the first byte that does not decode.
    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): offset += UTF8.width(s)
            case .emptyInput, .error: return offset
            }
        }
    }
}

/// Gives each heading a stable anchor: lowercased letters and digits (Chinese kept as it is),
/// words joined by `-`, and `-1`, `-2`, … for repeats.
struct AnchorNamer {
    private var used: [String: Int] = [:]

    mutating func name(for text: String) -> String {
        var slug = ""
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber {
                slug.append(ch)
            } else if ch.isWhitespace || ch == "-" || ch == "_", !slug.isEmpty, slug.last != "-" {
                slug.append("-")
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        if slug.isEmpty { slug = "section" }
        let count = used[slug, default: 0]
        used[slug] = count + 1
        return count == 0 ? slug : "\(slug)-\(count)"
    }
}
