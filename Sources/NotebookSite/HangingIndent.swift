import NotebookModel

/// Preformatted lines that wrap under their own indentation: each line a block whose wrapped
/// rest starts two columns right of where the line's text starts, so a wrapped argument still
/// reads as belonging to its indented line (the style sheet wraps on phones and in print).
///
/// `<span class="line" style="padding-left:6ch;text-indent:-6ch"><span class="indent">    </span>let x = f(a,\n</span>`:
/// two columns past the line's leading spaces (a tab to the next multiple of 8); the spaces
/// themselves are kept (copied text is the original) in a span that never breaks.
enum HangingIndent {
    /// The columns before a line's first non-blank character.
    static func indent<S: StringProtocol>(of line: S) -> Int {
        var n = 0
        for c in line {
            if c == " " {
                n += 1
            } else if c == "\t" {
                n += 8 - n % 8
            } else {
                break
            }
        }
        return n
    }

    /// `html[k]` (the escaped, maybe highlighted, form of `plain[k]`) in its line span; the lines
    /// joined by their newlines, none after the last.
    /// - Precondition: `plain` and `html` have as many lines.
    static func lines(plain: [Substring], html: [Substring]) -> String {
        zip(plain, html).enumerated().map { k, line in
            let n = indent(of: line.0)
            let blank = line.0.prefix { $0 == " " || $0 == "\t" }
            // The indentation unbreakable, so a long first word breaks inside, not after it.
            let body =
                !blank.isEmpty && line.1.hasPrefix(blank) && blank.count < line.0.count
                ? "<span class=\"indent\">\(blank)</span>" + line.1.dropFirst(blank.count) : line.1
            return "<span class=\"line\"" + (n > 0 ? " style=\"padding-left:\(n + 2)ch;text-indent:-\(n + 2)ch\"" : "")
                + ">" + body
                + (k == plain.count - 1 ? "" : "\n") + "</span>"
        }.joined()
    }

    /// Plain text in line spans, escaped.
    static func text(_ text: String) -> String {
        let plain = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines(plain: plain, html: plain.map { Substring(escapeHTML(String($0))) })
    }
}
