import NotebookModel

/// A cell's code as HTML: every classified run in a `<span class="hl-…">`, everything escaped;
/// the final newline dropped; each line in a ``HangingIndent`` span.
///
/// `<span class="line"><span class="hl-kw">let</span> x = <span class="hl-num">1</span></span>`
func highlightedCode(_ cell: Cell, spans: [CodeSpan]) -> String {
    var bytes = Array(cell.code.utf8)
    if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
    var out = ""
    var at = 0
    func plain(_ upTo: Int) {
        if upTo > at { out += escapeHTML(String(decoding: bytes[at..<upTo], as: UTF8.self)) }
        at = max(at, upTo)
    }
    for span in spans where span.start >= at && span.length > 0 {
        let end = min(bytes.count, span.start + span.length)
        guard span.start < end else { continue }
        plain(span.start)
        // A span that crosses lines is closed at each newline and reopened, so each line stands alone.
        out += String(decoding: bytes[span.start..<end], as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false
        ).map { $0.isEmpty ? "" : "<span class=\"hl-\(span.kind.rawValue)\">" + escapeHTML(String($0)) + "</span>" }
            .joined(separator: "\n")
        at = end
    }
    plain(bytes.count)
    let source = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    return HangingIndent.lines(plain: source, html: out.split(separator: "\n", omittingEmptySubsequences: false))
}
