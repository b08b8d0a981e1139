import NotebookModel

/// Finds `$…$` and `$$…$$` in a notebook's Markdown (outside code fences and code spans),
/// converts each to MathML, and puts a placeholder in its place so that cmark-gfm never sees it.
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

    /// Extracts the formulas of `body`, whose first line is notebook line `firstLine`.
    /// - Throws: `NotebookError` (exit 2) at the notebook line and column of the bad TeX.
    init(_ body: String, firstLine: Int, path: String, lines: [String]) throws {
        let bytes = Array(body.utf8)
        var out: [UInt8] = []
        var k = 0
        var line = firstLine, lineStart = 0
        var fence: [UInt8]?
        var errors: [Diagnostic] = []
        let dollar = UInt8(ascii: "$"), backtick = UInt8(ascii: "`"), newline = UInt8(ascii: "\n")
        func atLineStart(_ p: Int) -> Bool { p == 0 || bytes[p - 1] == newline }
        while k < bytes.count {
            let b = bytes[k]
            if atLineStart(k) {
                // A fence line opens or closes a code block: copy it whole.
                var j = k
                while j < bytes.count, bytes[j] == UInt8(ascii: " "), j - k < 3 { j += 1 }
                let marker = bytes[j..<min(bytes.count, j + 3)]
                if marker.elementsEqual("```".utf8) || marker.elementsEqual("~~~".utf8) {
                    var run = j
                    while run < bytes.count, bytes[run] == bytes[j] { run += 1 }
                    let thisFence = Array(bytes[j..<run])
                    if fence == nil { fence = thisFence } else if thisFence.count >= fence!.count && thisFence[0] == fence![0] { fence = nil }
                    let end = bytes[k...].firstIndex(of: newline).map { $0 + 1 } ?? bytes.count
                    out += bytes[k..<end]
                    if end > k, bytes[end - 1] == newline { line += 1; lineStart = end }
                    k = end
                    continue
                }
            }
            if fence != nil || b != dollar && b != backtick || (k > 0 && bytes[k - 1] == UInt8(ascii: "\\")) {
                out.append(b)
                if b == newline { line += 1; lineStart = k + 1 }
                k += 1
                continue
            }
            if b == backtick {
                // A code span: copy through its closing run of the same length.
                var run = k
                while run < bytes.count, bytes[run] == backtick { run += 1 }
                let n = run - k
                var j = run, close: Int?
                while j < bytes.count {
                    if bytes[j] == backtick {
                        var r = j
                        while r < bytes.count, bytes[r] == backtick { r += 1 }
                        if r - j == n { close = r; break }
                        j = r
                    } else { j += 1 }
                }
                let end = close ?? run
                for x in bytes[k..<end] where x == newline { line += 1 }
                if let lastNewline = bytes[k..<end].lastIndex(of: newline) { lineStart = lastNewline + 1 }
                out += bytes[k..<end]
                k = end
                continue
            }
            let display = k + 1 < bytes.count && bytes[k + 1] == dollar
            let open = display ? 2 : 1
            let start = k + open
            guard let end = Self.closing(bytes, from: start, display: display) else {
                out.append(b)
                k += 1
                continue
            }
            let tex = String(decoding: bytes[start..<end], as: UTF8.self)
            do {
                let ml = try TeX.mathML(tex, display: display)
                out += Array(Self.placeholder(mathML.count).utf8)
                mathML.append(ml)
                sources.append(tex)
                written.append(String(decoding: bytes[k..<end + open], as: UTF8.self))
            } catch {
                let texBytes = Array(tex.utf8.prefix(error.offset))
                let linesBefore = texBytes.filter { $0 == newline }.count
                let errLine = line + linesBefore
                let column: Int
                if linesBefore == 0 { column = start - lineStart + error.offset + 1 }
                else { column = texBytes.count - (texBytes.lastIndex(of: newline)! + 1) + 1 }
                // Every formula's error in one pass (the text is thrown away when there is one).
                errors.append(Diagnostic(.error, file: path, line: errLine, column: column, message: error.message,
                                         sourceLine: errLine >= 1 && errLine <= lines.count ? lines[errLine - 1] : nil))
            }
            let newlines = bytes[k..<end + open].filter { $0 == newline }.count
            out += Array(repeating: newline, count: newlines)
            line += newlines
            if newlines > 0, let lastNewline = bytes[k..<end + open].lastIndex(of: newline) { lineStart = lastNewline + 1 }
            k = end + open
        }
        text = String(decoding: out, as: UTF8.self)
        if !errors.isEmpty { throw NotebookError(diagnostics: errors, exitStatus: 2) }
    }

    /// One line of text with `$…$` formulas (a title): as HTML (text escaped, formulas as MathML)
    /// and as plain text (formulas readable). A `$` with no partner stays a dollar.
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
            do { html += try TeX.mathML(tex, display: false) } catch { throw TeXError(offset: offset + error.offset, message: error.message) }
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
        if !display, start >= bytes.count || bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\n") { return nil }
        var j = start
        while j < bytes.count {
            if bytes[j] == UInt8(ascii: "\\") { j += 2; continue }
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
            if !display, bytes[j] == UInt8(ascii: "\n"), j + 1 < bytes.count, bytes[j + 1] == UInt8(ascii: "\n") { return nil }
            j += 1
        }
        return nil
    }

    /// `html` with every placeholder in text replaced by its MathML. Inside a tag (an image's
    /// `alt`, a link's `title`) a placeholder becomes the formula's TeX, escaped; in a link
    /// destination, which cmark percent-encodes, the dollars and TeX as written, so that
    /// `[a](https://e.com/$y$)` keeps its URL.
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
        return out
    }

    /// The formula number and the length in characters of a placeholder at the start of `text`,
    /// raw (`\u{E000}n\u{E001}`) or percent-encoded (`%EE%80%80n%EE%80%81`).
    private func placeholder(at text: Substring) -> (Int, Int)? {
        let (open, close) = text.first == "\u{E000}" ? ("\u{E000}", "\u{E001}") : ("%EE%80%80", "%EE%80%81")
        let digits = text.dropFirst(open.count).prefix { $0.isASCII && $0.isNumber }
        guard let n = Int(digits), n < mathML.count, text.dropFirst(open.count + digits.count).hasPrefix(close) else { return nil }
        return (n, open.count + digits.count + close.count)
    }

    /// Text with each placeholder replaced by its formula's readable text (`W_Q K^⊤`), for search.
    func readable(_ text: String) -> String {
        guard text.contains("\u{E000}") else { return text }
        var out = text
        for (n, tex) in sources.enumerated().reversed() { out = out.replacing(Self.placeholder(n), with: " " + TeX.readable(tex) + " ") }
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
