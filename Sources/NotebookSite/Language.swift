/// Marks the language of text in pages: a screen reader reads Chinese with a Chinese voice, and
/// the browser picks a Chinese font and no synthetic italics for it.
enum Language {
    /// Elements whose text is left alone: code blocks, figures drawn in SVG, MathML, scripts.
    private static let untouched: Set<String> = ["pre", "svg", "math", "script", "style", "title", "textarea"]

    /// `html` with every run of Chinese characters in its text (not in tags, attributes, code
    /// blocks, SVG or MathML) wrapped in `<span lang="zh">`.
    static func markingChinese(_ html: String) -> String {
        var out = String.UnicodeScalarView()
        var run = String.UnicodeScalarView()
        var skipping = 0  // depth inside untouched elements
        var tag: String.UnicodeScalarView?  // the tag being read, from '<' to '>'
        func flush() {
            guard !run.isEmpty else { return }
            out.append(contentsOf: "<span lang=\"zh\">".unicodeScalars)
            out.append(contentsOf: run)
            out.append(contentsOf: "</span>".unicodeScalars)
            run = String.UnicodeScalarView()
        }
        for scalar in html.unicodeScalars {
            if var t = tag {
                t.append(scalar)
                tag = t
                if scalar == ">" {
                    out.append(contentsOf: t)
                    tag = nil
                    let text = String(t)
                    let closing = text.hasPrefix("</")
                    let name = String(text.dropFirst(closing ? 2 : 1).prefix { $0.isLetter || $0.isNumber })
                        .lowercased()
                    if untouched.contains(name) && !text.hasSuffix("/>") {
                        skipping = max(0, skipping + (closing ? -1 : 1))
                    }
                }
                continue
            }
            if scalar == "<" {
                flush()
                tag = String.UnicodeScalarView([scalar])
                continue
            }
            if skipping == 0 && isChinese(scalar) {
                run.append(scalar)
            } else {
                flush()
                out.append(scalar)
            }
        }
        flush()
        if let tag { out.append(contentsOf: tag) }
        return String(out)
    }

    /// CJK ideographs, their punctuation and full-width forms.
    static func isChinese(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x2E80...0x2FDF, 0x3000...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF00...0xFFEF,
            0x20000...0x2FFFF:
            true
        default: false
        }
    }
}
