import NotebookModel

/// A cell's code as HTML: every classified run in a `<span class="hl-…">`, everything escaped;
/// the final newline dropped.
///
/// `<span class="hl-kw">let</span> x = <span class="hl-num">1</span>`
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
        out +=
            "<span class=\"hl-\(span.kind.rawValue)\">"
            + escapeHTML(String(decoding: bytes[span.start..<end], as: UTF8.self)) + "</span>"
        at = end
    }
    plain(bytes.count)
    return out
}
