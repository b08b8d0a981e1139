/// GitHub's alert syntax: a block quote whose first line is `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`,
/// `[!WARNING]` or `[!CAUTION]` becomes a callout box; any other quote stays a quote.
///
/// `> [!TIP]\n> Text` → `<aside class="callout tip" aria-label="Tip"><p class="callout-title">Tip</p><p>Text</p></aside>`
enum Callout {
    static let kinds = [
        "NOTE": "Note", "TIP": "Tip", "IMPORTANT": "Important", "WARNING": "Warning", "CAUTION": "Caution",
    ]

    /// The callout for cmark's HTML of a block quote, or the HTML unchanged.
    static func render(_ html: String) -> String {
        let open = "<blockquote>\n<p>[!"
        guard html.hasPrefix(open), let close = html.range(of: "]") else { return html }
        let word = String(html[html.index(html.startIndex, offsetBy: open.count)..<close.lowerBound])
        guard let title = kinds[word.uppercased()] else { return html }
        var rest = html[close.upperBound...]
        while rest.first == "\n" || rest.first == " " { rest = rest.dropFirst() }
        var body = "<p>" + rest
        if body.hasPrefix("<p></p>") { body = String(body.dropFirst(7)) }
        guard body.hasSuffix("</blockquote>\n") else { return html }
        body = String(body.dropLast("</blockquote>\n".count))
        return
            "<aside class=\"callout \(word.lowercased())\" aria-label=\"\(title)\"><p class=\"callout-title\">\(title)</p>\(body)</aside>\n"
    }
}
