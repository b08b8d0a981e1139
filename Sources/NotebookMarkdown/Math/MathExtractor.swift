import NotebookModel

/// Finds `$…$` and `$$…$$` in a notebook's Markdown (outside code fences and code spans),
/// converts each to MathML, and puts a placeholder in its place so that cmark-gfm never sees it.
///
/// Line breaks inside a formula are kept, so cmark's line numbers stay the notebook's.
struct MathExtractor {
    /// The placeholder of formula n: private-use characters cmark passes through as text.
    static func placeholder(_ n: Int) -> String { "\u{E000}\(n)\u{E001}" }

    /// The text with placeholders, the MathML and TeX of each formula, and each formula as
    /// written (with its dollars).
    var text = ""
    var mathML: [String] = []
    var sources: [String] = []
    var written: [String] = []
    /// The `\label`s of display formulas, in order, each with its notebook line and column.
    var labels: [(name: String, line: Int, column: Int)] = []

    /// Extracts the formulas of `body`, whose first line is notebook line `firstLine`.
    /// - Throws: `NotebookError` (exit 2) at the notebook line and column of the bad TeX; every
    ///   formula's error at once.
    init(_ body: String, firstLine: Int, path: String, lines: [String]) throws {
        var scan = MarkdownScan(body, firstLine: firstLine)
        var errors: [Diagnostic] = []
        while !scan.atEnd {
            if scan.copyFenceLine() { continue }
            guard scan.mayOpenCodeOrMath else {
                scan.copyByte()
                continue
            }
            if scan.copyCodeSpan() { continue }
            guard let formula = scan.formula() else {
                scan.copyByte()
                continue
            }
            do throws(TeXError) {
                let (tex, label) = try EquationLabel.split(formula.tex, display: formula.display)
                var ml = try TeX.mathML(tex, display: formula.display)
                if let label {
                    let (line, column) = scan.position(of: 0, in: formula)
                    if let first = labels.first(where: { $0.name == label }) {
                        throw TeXError(
                            offset: 0, message: "'\\label{\(label)}' also numbers the formula at line \(first.line)")
                    }
                    labels.append((label, line, column))
                    ml = EquationLabel.numbered(ml, label: label)
                }
                scan.emit(Self.placeholder(mathML.count))
                mathML.append(ml)
                sources.append(formula.tex)
                written.append(formula.written)
            } catch {
                let (line, column) = scan.position(of: error.offset, in: formula)
                errors.append(
                    Diagnostic(
                        .error, file: path, line: line, column: column, message: error.message,
                        sourceLine: line >= 1 && line <= lines.count ? lines[line - 1] : nil))
            }
            scan.skip(formula)
        }
        text = scan.text
        if !errors.isEmpty { throw NotebookError(diagnostics: errors, exitStatus: 2) }
    }

    /// One line of text with `$…$` formulas (a title): as HTML (text escaped, formulas as MathML)
    /// and as plain text (formulas readable).
    ///
    /// A `$` with no partner stays a dollar.
    /// - Throws: the first formula's error, its offset counted in the whole text.
    static func inline(_ text: String) throws(TeXError) -> (html: String, plain: String) {
        var html = "", plain = ""
        var rest = Substring(text)
        var offset = 0
        while let open = rest.firstIndex(of: "$"), let close = rest[rest.index(after: open)...].firstIndex(of: "$") {
            let before = rest[..<open], tex = String(rest[rest.index(after: open)..<close])
            html += escapeHTML(String(before))
            plain += before
            offset += before.utf8.count + 1
            do { html += try TeX.mathML(tex, display: false) } catch {
                throw TeXError(offset: offset + error.offset, message: error.message)
            }
            plain += TeX.readable(tex)
            offset += tex.utf8.count + 1
            rest = rest[rest.index(after: close)...]
        }
        return (html + escapeHTML(String(rest)), plain + rest)
    }

    /// The index of the closing `$` (or `$$`), or nil when the dollar does not open a formula:
    /// inline math may not start or end with a space, nor close before a digit ("$5 and $6").
    static func closing(_ bytes: [UInt8], from start: Int, display: Bool) -> Int? {
        let dollar = UInt8(ascii: "$")
        if !display, start >= bytes.count || bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\n") {
            return nil
        }
        var j = start
        while j < bytes.count {
            if bytes[j] == UInt8(ascii: "\\") {
                j += 2
                continue
            }
            if bytes[j] == dollar {
                if display {
                    if j + 1 < bytes.count, bytes[j + 1] == dollar { return j }
                } else {
                    let before = bytes[j - 1]
                    let after = j + 1 < bytes.count ? bytes[j + 1] : 0
                    if before != UInt8(ascii: " ") && !(after >= 0x30 && after <= 0x39) && j > start { return j }
                    return nil
                }
            }
            if !display, bytes[j] == UInt8(ascii: "\n"), j + 1 < bytes.count, bytes[j + 1] == UInt8(ascii: "\n") {
                return nil
            }
            j += 1
        }
        return nil
    }

    /// `html` with every placeholder in text replaced by its MathML.
    ///
    /// Inside a tag (an image's `alt`, a link's `title`) a placeholder becomes the formula's
    /// TeX, escaped; in a link destination, which cmark percent-encodes, the dollars and TeX
    /// as written, so that `[a](https://e.com/$y$)` keeps its URL.
    func restore(_ html: String) -> String {
        guard html.contains("\u{E000}") || html.contains("%EE%80%80") else { return html }
        var out = ""
        var inTag = false
        var rest = Substring(html)
        while let c = rest.first {
            if !inTag, c == "<" { inTag = true } else if inTag, c == ">" { inTag = false }
            if c == "\u{E000}" || rest.hasPrefix("%EE%80%80"), let (n, length) = placeholder(at: rest) {
                out += !inTag ? mathML[n] : c == "\u{E000}" ? escapeHTML(sources[n]) : written[n]
                rest = rest.dropFirst(length)
                continue
            }
            out.append(c)
            rest = rest.dropFirst()
        }
        return Self.markingDisplayParagraphs(out)
    }

    /// `html` with each paragraph that holds display math opened as `<p class="display-math">`,
    /// so that the stylesheet can give it the full column.
    static func markingDisplayParagraphs(_ html: String) -> String {
        guard html.contains("<span class=\"math-block\"") else { return html }
        var result = ""
        var rest = Substring(html)
        while let open = rest.range(of: "<p>") {
            result += rest[..<open.lowerBound]
            let close = rest[open.upperBound...].range(of: "</p>")?.lowerBound ?? rest.endIndex
            let body = rest[open.upperBound..<close]
            result += body.contains("<span class=\"math-block\"") ? "<p class=\"display-math\">" : "<p>"
            result += body
            rest = rest[close...]
        }
        return result + rest
    }

    /// The formula number and the length in characters of a placeholder at the start of `text`,
    /// raw (`\u{E000}n\u{E001}`) or percent-encoded (`%EE%80%80n%EE%80%81`).
    private func placeholder(at text: Substring) -> (Int, Int)? {
        let (open, close) = text.first == "\u{E000}" ? ("\u{E000}", "\u{E001}") : ("%EE%80%80", "%EE%80%81")
        let digits = text.dropFirst(open.count).prefix { $0.isASCII && $0.isNumber }
        guard let n = Int(digits), n < mathML.count, text.dropFirst(open.count + digits.count).hasPrefix(close) else {
            return nil
        }
        return (n, open.count + digits.count + close.count)
    }

    /// Text with each placeholder replaced by its formula's readable text (`W_Q K^⊤`), for search.
    func readable(_ text: String) -> String {
        guard text.contains("\u{E000}") else { return text }
        var out = text
        for (n, tex) in sources.enumerated().reversed() {
            out = out.replacing(Self.placeholder(n), with: " " + TeX.readable(tex) + " ")
        }
        return out
    }

    /// Heading text with placeholders back to their TeX.
    func restoreSource(_ text: String) -> String {
        guard text.contains("\u{E000}") else { return text }
        var out = text
        for (n, tex) in sources.enumerated().reversed() { out = out.replacing(Self.placeholder(n), with: tex) }
        return out
    }
}

/// A pass over a notebook's Markdown that copies it byte for byte, except for the formulas its
/// caller takes out, and knows where it is: inside a code fence or not, and the notebook line and
/// the byte where that line starts.
private struct MarkdownScan {
    private let bytes: [UInt8]
    private var out: [UInt8] = []
    private var k = 0
    private var line: Int
    private var lineStart = 0
    /// The marker (``` or ~~~, three or more) of the open code fence.
    private var fence: [UInt8]?

    private static let dollar = UInt8(ascii: "$"), backtick = UInt8(ascii: "`"), newline = UInt8(ascii: "\n")

    /// A formula found at the scan's position.
    struct Formula {
        var tex: String
        var display: Bool
        /// The formula with its dollars, as written.
        var written: String
        /// The bytes of the TeX, and of the whole formula with its dollars.
        var texStart: Int
        var range: Range<Int>
    }

    init(_ body: String, firstLine: Int) {
        bytes = Array(body.utf8)
        line = firstLine
    }

    var atEnd: Bool { k >= bytes.count }
    var text: String { String(decoding: out, as: UTF8.self) }

    /// Outside a fence, an unescaped `$` or backtick.
    var mayOpenCodeOrMath: Bool {
        let b = bytes[k]
        return fence == nil && (b == Self.dollar || b == Self.backtick)
            && !(k > 0 && bytes[k - 1] == UInt8(ascii: "\\"))
    }

    mutating func copyByte() {
        out.append(bytes[k])
        if bytes[k] == Self.newline {
            line += 1
            lineStart = k + 1
        }
        k += 1
    }

    mutating func emit(_ text: String) { out += Array(text.utf8) }

    /// At the start of a line that opens or closes a code fence: copies the line whole.
    mutating func copyFenceLine() -> Bool {
        guard k == 0 || bytes[k - 1] == Self.newline else { return false }
        var j = k
        while j < bytes.count, bytes[j] == UInt8(ascii: " "), j - k < 3 { j += 1 }
        let marker = bytes[j..<min(bytes.count, j + 3)]
        guard marker.elementsEqual("```".utf8) || marker.elementsEqual("~~~".utf8) else { return false }
        var run = j
        while run < bytes.count, bytes[run] == bytes[j] { run += 1 }
        let thisFence = Array(bytes[j..<run])
        if let open = fence {
            if thisFence.count >= open.count && thisFence[0] == open[0] { fence = nil }
        } else {
            fence = thisFence
        }
        copy(through: bytes[k...].firstIndex(of: Self.newline).map { $0 + 1 } ?? bytes.count)
        return true
    }

    /// At a backtick: copies the code span through its closing run of the same length (or only
    /// the opening run, when nothing closes it).
    mutating func copyCodeSpan() -> Bool {
        guard bytes[k] == Self.backtick else { return false }
        let run = runOfBackticks(from: k)
        var j = run, close: Int?
        while j < bytes.count {
            guard bytes[j] == Self.backtick else {
                j += 1
                continue
            }
            let r = runOfBackticks(from: j)
            if r - j == run - k {
                close = r
                break
            }
            j = r
        }
        copy(through: close ?? run)
        return true
    }

    /// At a `$`: the formula it opens, or nil when it opens none.
    func formula() -> Formula? {
        let display = k + 1 < bytes.count && bytes[k + 1] == Self.dollar
        let open = display ? 2 : 1
        guard let end = MathExtractor.closing(bytes, from: k + open, display: display) else { return nil }
        return Formula(
            tex: String(decoding: bytes[(k + open)..<end], as: UTF8.self), display: display,
            written: String(decoding: bytes[k..<end + open], as: UTF8.self),
            texStart: k + open, range: k..<end + open)
    }

    /// Past a formula, leaving its line breaks in the text so that line numbers stay the notebook's.
    mutating func skip(_ formula: Formula) {
        let breaks = bytes[formula.range].filter { $0 == Self.newline }.count
        out += Array(repeating: Self.newline, count: breaks)
        line += breaks
        if let last = bytes[formula.range].lastIndex(of: Self.newline) { lineStart = last + 1 }
        k = formula.range.upperBound
    }

    /// The notebook line and column (1-based, in bytes) of the byte `offset` into a formula's TeX.
    func position(of offset: Int, in formula: Formula) -> (line: Int, column: Int) {
        let before = Array(formula.tex.utf8.prefix(offset))
        guard let lastBreak = before.lastIndex(of: Self.newline) else {
            return (line, formula.texStart - lineStart + offset + 1)
        }
        return (line + before.filter { $0 == Self.newline }.count, before.count - lastBreak)
    }

    private func runOfBackticks(from start: Int) -> Int {
        var end = start
        while end < bytes.count, bytes[end] == Self.backtick { end += 1 }
        return end
    }

    /// Copies the bytes up to `end`, counting their line breaks.
    private mutating func copy(through end: Int) {
        out += bytes[k..<end]
        for i in k..<end where bytes[i] == Self.newline {
            line += 1
            lineStart = i + 1
        }
        k = end
    }
}
