/// A display formula's `\label{ID}`: the formula is numbered, and prose refers to it as `@eq:ID`.
///
/// The parser writes the number as `(eq:ID)` in `<span class="eq-number">` (no `@`: it is not a
/// reference); the site, which knows the lesson's number, puts `(5.2)` in its place, as it does
/// for figures.
enum EquationLabel {
    /// The formula without its label, and the label; nil when it has none.
    /// - Throws: at the label, when it is in inline math, empty, not letters, digits, `-` and
    ///   `_`, unclosed, or a second one.
    static func split(_ tex: String, display: Bool) throws(TeXError) -> (tex: String, label: String?) {
        guard let found = tex.range(of: "\\label") else { return (tex, nil) }
        let offset = tex.utf8.distance(from: tex.startIndex, to: found.lowerBound)
        guard display else {
            throw TeXError(
                offset: offset, message: "'\\label' numbers display formulas only: write the formula in $$…$$")
        }
        let rest = tex[found.upperBound...].drop { $0 == " " }
        guard rest.first == "{", let close = rest.firstIndex(of: "}") else {
            throw TeXError(offset: offset, message: "'\\label' needs a name in braces, as in \\label{softmax}")
        }
        let name = String(rest[rest.index(after: rest.startIndex)..<close])
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            throw TeXError(
                offset: offset, message: "'\\label{\(name)}': a label is letters, digits, '-' and '_'")
        }
        let without = String(tex[..<found.lowerBound]) + String(tex[tex.index(after: close)...])
        if let second = without.range(of: "\\label") {
            let removed = tex.utf8.count - without.utf8.count  // the first label, which came before
            let at = without.utf8.distance(from: without.startIndex, to: second.lowerBound) + removed
            throw TeXError(offset: at, message: "a formula has one '\\label'")
        }
        return (without, name)
    }

    /// A display formula's MathML (`<span class="math-block" …>…</span>`) numbered, its anchor
    /// `eq-ID`.
    ///
    /// `<span class="math-block numbered" id="eq-softmax" tabindex="0"><math …>…</math><span class="eq-number">(eq:softmax)</span></span>`
    static func numbered(_ mathML: String, label: String) -> String {
        let open = "<span class=\"math-block\" tabindex=\"0\">"
        guard mathML.hasPrefix(open), mathML.hasSuffix("</span>") else { return mathML }
        return "<span class=\"math-block numbered\" id=\"eq-\(label)\" tabindex=\"0\">"
            + mathML.dropFirst(open.count).dropLast("</span>".count)
            + "<span class=\"eq-number\">(eq:\(label))</span></span>"
    }
}
