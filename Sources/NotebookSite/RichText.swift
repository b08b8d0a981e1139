import NotebookModel

/// Labels with sub- and superscripts, as the diagrams write them: `W_Q`, `K^T`, `d_{model}`.
///
/// `_` or `^` takes the run of letters and digits after it, or what a `{…}` holds; anything else
/// is text. The pieces are escaped here.
enum RichText {
    /// A piece of a label: text, or a sub- or superscript.
    enum Piece: Equatable {
        /// Plain text.
        case text(String)
        /// A subscript.
        case sub(String)
        /// A superscript.
        case sup(String)
    }

    static func pieces(_ s: String) -> [Piece] {
        var out: [Piece] = [], text = ""
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            let next = s.index(after: i)
            guard c == "_" || c == "^", next < s.endIndex, s[next] != " " else {
                text.append(c)
                i = next
                continue
            }
            var script = "", j = next
            if s[next] == "{", let close = s[next...].firstIndex(of: "}") {
                script = String(s[s.index(after: next)..<close])
                j = s.index(after: close)
            } else {
                while j < s.endIndex, s[j].isLetter || s[j].isNumber {
                    script.append(s[j])
                    j = s.index(after: j)
                }
            }
            guard !script.isEmpty else {
                text.append(c)
                i = next
                continue
            }
            if !text.isEmpty { out.append(.text(text)) }
            text = ""
            out.append(c == "_" ? .sub(script) : .sup(script))
            i = j
        }
        if !text.isEmpty { out.append(.text(text)) }
        return out
    }
}

/// A label as SVG text content: scripts as smaller shifted `<tspan>`s.
///
/// `W_Q` → `W<tspan class="sub" baseline-shift="sub" font-size="75%">Q</tspan>`
func richSVGText(_ s: String) -> String {
    RichText.pieces(s).map { piece in
        switch piece {
        case .text(let t): escapeHTML(t)
        case .sub(let t): "<tspan class=\"sub\" baseline-shift=\"sub\" font-size=\"75%\">\(escapeHTML(t))</tspan>"
        case .sup(let t): "<tspan class=\"sup\" baseline-shift=\"super\" font-size=\"75%\">\(escapeHTML(t))</tspan>"
        }
    }.joined()
}

/// A label as plain text, for descriptions and tables: `d_{model}` → `d_model`, `K^T` → `K^T`.
func plainText(_ s: String) -> String {
    RichText.pieces(s).map { piece in
        switch piece {
        case .text(let t): t
        case .sub(let t): "_" + t
        case .sup(let t): "^" + t
        }
    }.joined()
}

/// The width in SVG units of a label at `size`, its scripts at three quarters.
func richTextWidth(_ s: String, size: Double) -> Double {
    RichText.pieces(s).reduce(0) { sum, piece in
        switch piece {
        case .text(let t): sum + textWidth(t, size: size)
        case .sub(let t), .sup(let t): sum + textWidth(t, size: size * 0.75)
        }
    }
}
