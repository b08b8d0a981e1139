import NotebookModel

/// A TeX error at a UTF-8 offset into the formula.
struct TeXError: Error, Equatable {
    /// 0-based UTF-8 offset in the formula.
    var offset: Int
    /// What is wrong, lowercase, the command in quotes.
    var message: String
}

/// Converts the TeX that lessons use to MathML Core, with no script and no font download:
/// letters, numbers, operators, `^` `_`, `{…}`, `\frac`, `\sqrt[n]{…}`, Greek letters, `\top`,
/// `\cdot`, `\sum`, `\operatorname`, `\mathrm`, `\mathbf`, `\text`, `\left(`…`\right)`,
/// `pmatrix`/`bmatrix`/`matrix`/`cases`, spacing, `\mathbb`, `\mathcal`, `\boldsymbol`, accents
/// (`\hat`, `\bar`, `\tilde`, `\vec`), `\operatorname*`.
///
/// Anything else is an error naming it.
struct TeX {
    private let chars: [Character]
    private var offsets: [Int]  // UTF-8 offset of each character
    private var i = 0
    /// Atoms being parsed inside one another: groups, fractions, roots, scripts.
    private var depth = 0
    /// Sub- and superscripts being parsed inside one another (a word in one is set upright).
    private var scriptDepth = 0
    /// Whether the atom just parsed names a function (`\log`, `\operatorname{…}`), which its
    /// scripts follow and then an invisible U+2061 FUNCTION APPLICATION, so `\log V` has its space.
    private var appliesFunction = false
    /// Deeper nesting is an error, not a stack overflow (40,000 `{` or 20,000 `\frac` crashed).
    static let maximumDepth = 100

    /// The MathML of `source`; `display` for `$$…$$`.
    static func mathML(_ source: String, display: Bool) throws(TeXError) -> String {
        var parser = TeX(source)
        // `\\` outside an environment breaks the line: the lines as the rows of a table.
        var lines = [try parser.expression(until: ["\\\\"])]
        while parser.i < parser.chars.count {
            parser.i += 2
            lines.append(try parser.expression(until: ["\\\\"]))
        }
        let body =
            lines.count == 1
            ? lines[0]
            : "<mtable>" + lines.map { "<mtr><mtd class=\"tex-l\">\($0)</mtd></mtr>" }.joined() + "</mtable>"
        let math =
            "<math display=\"\(display ? "block" : "inline")\" alttext=\"\(escapeHTML(readable(source)))\"><mrow>\(body)</mrow></math>"
        // A wide display formula scrolls on its own, by keyboard too (a span: it sits in a <p>).
        return display ? "<span class=\"math-block\" tabindex=\"0\">\(math)</span>" : math
    }

    private init(_ source: String) {
        chars = Array(source)
        var offsets: [Int] = []
        var o = 0
        for c in chars {
            offsets.append(o)
            o += c.utf8.count
        }
        offsets.append(o)
        self.offsets = offsets
    }

    private var offset: Int { offsets[min(i, offsets.count - 1)] }
    private func error(_ message: String, at index: Int? = nil) -> TeXError {
        TeXError(offset: offsets[min(index ?? i, offsets.count - 1)], message: message)
    }

    /// A sequence of atoms with their scripts, up to `stop` (a closing brace, `\right`, `&`, `\\`, `\end`).
    private mutating func expression(until stop: Set<String>?) throws(TeXError) -> String {
        var out = ""
        while true {
            skipSpaces()
            guard i < chars.count else {
                if let stop, stop.contains("}") { throw error("a '{' is not closed") }
                return out
            }
            if let stop, let word = peekStop(stop) {
                _ = word
                return out
            }
            if chars[i] == "}" { throw error("'}' closes nothing") }
            appliesFunction = false
            let base = try atom()
            let function = appliesFunction
            out += try scripts(on: base)
            if function { out += functionApplication() }
        }
    }

    /// U+2061 after a function name and its scripts, with TeX's thin space before an argument
    /// that is not in parentheses (`\\sin x`, but `\\sin(x)`).
    private mutating func functionApplication() -> String {
        skipSpaces()
        let parenthesised = i < chars.count && (chars[i] == "(" || matches("\\left"))
        return parenthesised || i >= chars.count ? "<mo>\u{2061}</mo>" : "<mo rspace=\"0.1667em\">\u{2061}</mo>"
    }

    private func peekStop(_ stop: Set<String>) -> String? {
        for word in stop where matches(word) { return word }
        return nil
    }

    private func matches(_ word: String) -> Bool {
        let w = Array(word)
        guard i + w.count <= chars.count, Array(chars[i..<i + w.count]) == w else { return false }
        if word.hasPrefix("\\"), word.last!.isLetter, i + w.count < chars.count, chars[i + w.count].isLetter {
            return false
        }
        return true
    }

    private mutating func skipSpaces() { while i < chars.count, chars[i].isWhitespace { i += 1 } }

    private mutating func scripts(on base: String) throws(TeXError) -> String {
        var sub: String?, sup: String?
        while true {
            skipSpaces()
            guard i < chars.count, chars[i] == "^" || chars[i] == "_" else { break }
            let isSup = chars[i] == "^"
            let at = i
            i += 1
            skipSpaces()
            guard i < chars.count else { throw error("'\(isSup ? "^" : "_")' needs something after it", at: at) }
            scriptDepth += 1
            let script = try atom()
            scriptDepth -= 1
            if isSup {
                if sup != nil { throw error("double superscript", at: at) }
                sup = script
            } else {
                if sub != nil { throw error("double subscript", at: at) }
                sub = script
            }
        }
        // Large operators take their limits under and over (as scripts when inline: movablelimits).
        let large = base.hasPrefix("<mo largeop")  // \sum, and \operatorname*
        switch (sub, sup) {
        case (nil, nil): return base
        case (let b?, nil): return large ? "<munder>\(base)\(b)</munder>" : "<msub>\(base)\(b)</msub>"
        case (nil, let p?): return large ? "<mover>\(base)\(p)</mover>" : "<msup>\(base)\(p)</msup>"
        case (let b?, let p?):
            return large ? "<munderover>\(base)\(b)\(p)</munderover>" : "<msubsup>\(base)\(b)\(p)</msubsup>"
        }
    }

    /// One atom: a group, a command, a number, a letter or an operator.
    private mutating func atom() throws(TeXError) -> String {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth { throw error("the formula nests more than \(Self.maximumDepth) levels deep") }
        let c = chars[i]
        if c == "{" {
            i += 1
            let inner = try expression(until: ["}"])
            guard i < chars.count, chars[i] == "}" else { throw error("a '{' is not closed") }
            i += 1
            return "<mrow>\(inner)</mrow>"
        }
        if c == "\\" { return try command() }
        if c.isNumber {
            var text = ""
            while i < chars.count,
                chars[i].isNumber || (chars[i] == "." && i + 1 < chars.count && chars[i + 1].isNumber)
            {
                text.append(chars[i])
                i += 1
            }
            return "<mn>\(escape(text))</mn>"
        }
        i += 1
        if c.isLetter {
            // In a script, a word of three or more letters (d_{model}) or `in` is a name: upright.
            var end = i
            while end < chars.count, chars[end].isLetter, chars[end].isASCII { end += 1 }
            let word = String(chars[(i - 1)..<end])
            if scriptDepth > 0, c.isASCII, word.count >= 3 || word == "in" {
                i = end
                return "<mi>\(escape(word))</mi>"
            }
            return "<mi>\(escape(String(c)))</mi>"
        }
        if c == "'" { return "<mo>′</mo>" }
        // A bare fence keeps its size, as in TeX (MathML stretches it to the row: f(x) beside a Σ).
        if "()[]|".contains(c) { return "<mo stretchy=\"false\">\(escape(String(c)))</mo>" }
        if "+-=<>,;:!/*.?".contains(c) || !c.isASCII {
            let symbol = c == "-" ? "−" : String(c)
            return "<mo>\(escape(symbol))</mo>"
        }
        if c == "&" || c == "#" || c == "%" || c == "~" || c == "$" {
            throw error("'\(c)' is not allowed here", at: i - 1)
        }
        return "<mo>\(escape(String(c)))</mo>"
    }

    private mutating func commandName() -> String {
        let start = i
        i += 1
        if i < chars.count, !chars[i].isLetter {
            i += 1
            return String(chars[start..<i])
        }
        while i < chars.count, chars[i].isLetter { i += 1 }
        return String(chars[start..<i])
    }

    private mutating func command() throws(TeXError) -> String {
        let start = i
        let name = commandName()
        if let g = TeXSymbols.identifiers[name] { return "<mi>\(g)</mi>" }
        if let o = TeXSymbols.operators[name] {
            return TeXSymbols.fences.contains(name) ? "<mo stretchy=\"false\">\(o)</mo>" : "<mo>\(o)</mo>"
        }
        if let o = TeXSymbols.largeOperators[name] { return "<mo largeop=\"true\" movablelimits=\"true\">\(o)</mo>" }
        if TeXSymbols.functions.contains(name) {
            appliesFunction = true
            return "<mi mathvariant=\"normal\">\(name.dropFirst())</mi>"
        }
        if let w = TeXSymbols.spaces[name] { return w.isEmpty ? "" : "<mspace width=\"\(w)\"></mspace>" }
        switch name {
        case "\\frac", "\\dfrac", "\\tfrac":
            let a = try argument(for: name), b = try argument(for: name)
            return "<mfrac>\(a)\(b)</mfrac>"
        case "\\sqrt":
            skipSpaces()
            if i < chars.count, chars[i] == "[" {
                i += 1
                let index = try expression(until: ["]"])
                guard i < chars.count else { throw error("'\\sqrt[' is not closed", at: start) }
                i += 1
                return "<mroot>\(try argument(for: name))<mrow>\(index)</mrow></mroot>"
            }
            return "<msqrt>\(try argument(for: name))</msqrt>"
        case "\\operatorname" where i < chars.count && chars[i] == "*":
            // \operatorname*{argmax}_x: limits under it in display, as \max has.
            i += 1
            return
                "<mo largeop=\"false\" movablelimits=\"true\" form=\"prefix\">\(escape(try literalArgument(for: name)))</mo>"
        case "\\operatorname", "\\mathrm":
            // \mathrm{head_1}: the script is a script, upright too.
            let text = try literalArgument(for: name)
            if name == "\\operatorname" { appliesFunction = true }
            guard let split = text.firstIndex(where: { $0 == "_" || $0 == "^" }), split != text.startIndex else {
                return "<mi mathvariant=\"normal\">\(escape(text))</mi>"
            }
            let base = "<mi mathvariant=\"normal\">\(escape(String(text[..<split])))</mi>"
            let rest = String(text[text.index(after: split)...].filter { $0 != "{" && $0 != "}" })
            let script =
                rest.allSatisfy(\.isNumber)
                ? "<mn>\(escape(rest))</mn>" : "<mi mathvariant=\"normal\">\(escape(rest))</mi>"
            return text[split] == "_" ? "<msub>\(base)\(script)</msub>" : "<msup>\(base)\(script)</msup>"
        case "\\mathbf", "\\boldsymbol", "\\bm", "\\mathbb", "\\mathcal", "\\mathsf", "\\mathit":
            // As Unicode's mathematical alphanumerics, which every browser draws (Chromium
            // ignores mathvariant="bold"); `\mathbf X` without braces is one letter.
            let argument = try letterArgument(for: name)
            let text = TeXSymbols.identifiers[argument] ?? argument  // \boldsymbol{\alpha}
            let alphabet = MathAlphabet(rawValue: String(name.dropFirst())) ?? .mathbf
            return "<mi>\(escape(String(text.map { alphabet.map($0) })))</mi>"
        case "\\hat", "\\bar", "\\tilde", "\\vec", "\\dot", "\\widehat", "\\overline":
            let accent = [
                "\\hat": "^", "\\widehat": "^", "\\bar": "¯", "\\overline": "¯", "\\tilde": "~", "\\vec": "→",
                "\\dot": "˙",
            ][name]!
            return
                "<mover accent=\"true\">\(try argument(for: name))<mo stretchy=\"\(name == "\\widehat" || name == "\\overline")\">\(accent)</mo></mover>"
        case "\\text", "\\textrm", "\\mbox", "\\textnormal":
            // No-break spaces: MathML drops the spaces at the ends of an <mtext> ("of S").
            let text = try literalArgument(for: name, keepSpaces: true)
            return "<mtext>\(escape(String(text.map { $0.isWhitespace ? "\u{A0}" : $0 })))</mtext>"
        case "\\mathop":
            // \mathop{\mathrm{max}}: an operator name, followed by a function application.
            let inner = try argument(for: name)
            appliesFunction = true
            return inner
        case "\\stackrel", "\\overset":
            // \stackrel{def}{=}: the second argument with the first over it.
            let over = try argument(for: name), base = try argument(for: name)
            return "<mover>\(base)\(over)</mover>"
        case "\\left":
            let open = try delimiter(after: name)
            let inner = try expression(until: ["\\right"])
            guard matches("\\right") else { throw error("'\\left' has no '\\right'", at: start) }
            i += "\\right".count
            let close = try delimiter(after: "\\right")
            return
                "<mrow><mo fence=\"true\" stretchy=\"true\">\(open)</mo>\(inner)<mo fence=\"true\" stretchy=\"true\">\(close)</mo></mrow>"
        case "\\begin":
            return try environment(start: start)
        case "\\right", "\\end":
            throw error("'\(name)' without its opening", at: start)
        default:
            throw error("unsupported TeX command '\(name)'", at: start)
        }
    }

    private mutating func argument(for name: String) throws(TeXError) -> String {
        skipSpaces()
        guard i < chars.count else { throw error("'\(name)' needs an argument") }
        return try atom()
    }

    private mutating func literalArgument(for name: String, keepSpaces: Bool = false) throws(TeXError) -> String {
        skipSpaces()
        guard i < chars.count, chars[i] == "{" else { throw error("'\(name)' needs an argument in braces") }
        i += 1
        var text = ""
        while i < chars.count, chars[i] != "}" {
            text.append(chars[i])
            i += 1
        }
        guard i < chars.count else { throw error("a '{' is not closed") }
        i += 1
        return keepSpaces ? text : text.filter { !$0.isWhitespace }
    }

    /// `{text}`, or one character without braces (`\mathbf X`).
    private mutating func letterArgument(for name: String) throws(TeXError) -> String {
        skipSpaces()
        guard i < chars.count else { throw error("'\(name)' needs an argument") }
        if chars[i] == "{" { return try literalArgument(for: name) }
        guard chars[i].isLetter || chars[i].isNumber else {
            throw error("'\(name)' needs a letter or an argument in braces")
        }
        i += 1
        return String(chars[i - 1])
    }

    private mutating func delimiter(after name: String) throws(TeXError) -> String {
        skipSpaces()
        guard i < chars.count else { throw error("'\(name)' needs a delimiter") }
        if chars[i] == "." {
            i += 1
            return ""
        }
        if chars[i] == "\\" {
            let d = commandName()
            switch d {
            case "\\{": return "{"
            case "\\}": return "}"
            case "\\|": return "‖"
            case "\\langle": return "⟨"
            case "\\rangle": return "⟩"
            default: throw error("'\(d)' is not a delimiter")
            }
        }
        let c = chars[i]
        guard "()[]|".contains(c) else { throw error("'\(c)' is not a delimiter") }
        i += 1
        return String(c)
    }

    private mutating func environment(start: Int) throws(TeXError) -> String {
        let kind = try literalArgument(for: "\\begin")
        let fences: [String: (String, String)] = [
            "pmatrix": ("(", ")"), "bmatrix": ("[", "]"), "vmatrix": ("|", "|"),
            "matrix": ("", ""), "cases": ("{", ""), "aligned": ("", ""), "align*": ("", ""),
        ]
        guard let (open, close) = fences[kind] else { throw error("unsupported environment '\(kind)'", at: start) }
        var rows: [[String]] = [[]]
        while true {
            let cell = try expression(until: ["&", "\\\\", "\\end"])
            rows[rows.count - 1].append(cell)
            guard i < chars.count else { throw error("'\\begin{\(kind)}' has no '\\end{\(kind)}'", at: start) }
            if chars[i] == "&" {
                i += 1
                continue
            }
            if matches("\\\\") {
                i += 2
                rows.append([])
                continue
            }
            i += "\\end".count
            let end = try literalArgument(for: "\\end")
            guard end == kind else { throw error("'\\begin{\(kind)}' ends with '\\end{\(end)}'", at: start) }
            break
        }
        if rows.count > 1, rows.last == [""] { rows.removeLast() }
        let table =
            "<mtable\(kind == "cases" ? " columnalign=\"left\"" : "")>"
            + rows.map { "<mtr>" + $0.enumerated().map { cell(kind, $0.offset, $0.element) }.joined() + "</mtr>" }
            .joined() + "</mtable>"
        let o = open.isEmpty ? "" : "<mo fence=\"true\" stretchy=\"true\">\(escape(open))</mo>"
        let c = close.isEmpty ? "" : "<mo fence=\"true\" stretchy=\"true\">\(escape(close))</mo>"
        return "<mrow>\(o)\(table)\(c)</mrow>"
    }

    /// One cell of an environment's table: `aligned` alternates right- and left-aligned columns
    /// (`x &= y`), `cases` aligns left; MathML Core aligns cells by CSS, not `columnalign`.
    ///
    /// ```html
    /// <mtd class="tex-r"><mi>x</mi></mtd>
    /// ```
    private func cell(_ kind: String, _ column: Int, _ content: String) -> String {
        switch kind {
        case "aligned", "align*": "<mtd class=\"\(column.isMultiple(of: 2) ? "tex-r" : "tex-l")\">\(content)</mtd>"
        case "cases": "<mtd class=\"tex-l\">\(content)</mtd>"
        default: "<mtd>\(content)</mtd>"
        }
    }

    private func escape(_ s: String) -> String { escapeHTML(s) }
}

/// Unicode's mathematical alphabets, by the TeX command that asks for one.
enum MathAlphabet: String {
    case mathbf, boldsymbol, bm, mathbb, mathcal, mathsf, mathit

    /// `c` in this alphabet; characters it has no letter for stay as they are.
    func map(_ c: Character) -> Character {
        guard let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return c }
        let v = scalar.value
        let upper = (0x41...0x5A).contains(v), lower = (0x61...0x7A).contains(v), digit = (0x30...0x39).contains(v)
        func at(_ base: UInt32, _ offset: UInt32) -> Character { Character(Unicode.Scalar(base + offset)!) }
        switch self {
        case .mathbf, .bm:
            if upper { return at(0x1D400, v - 0x41) }
            if lower { return at(0x1D41A, v - 0x61) }
            if digit { return at(0x1D7CE, v - 0x30) }
        case .boldsymbol:
            if upper { return at(0x1D468, v - 0x41) }  // bold italic, as \boldsymbol sets letters
            if lower { return at(0x1D482, v - 0x61) }
            if digit { return at(0x1D7CE, v - 0x30) }
            if (0x3B1...0x3C9).contains(v) { return at(0x1D736, v - 0x3B1) }
        case .mathbb:
            let holes: [Character: Character] = ["C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"]
            if let h = holes[c] { return h }
            if upper { return at(0x1D538, v - 0x41) }
            if lower { return at(0x1D552, v - 0x61) }
            if digit { return at(0x1D7D8, v - 0x30) }
        case .mathcal:
            let holes: [Character: Character] = [
                "B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ",
                "e": "ℯ", "g": "ℊ", "o": "ℴ",
            ]
            if let h = holes[c] { return h }
            if upper { return at(0x1D49C, v - 0x41) }
            if lower { return at(0x1D4B6, v - 0x61) }
        case .mathsf:
            if upper { return at(0x1D5A0, v - 0x41) }
            if lower { return at(0x1D5BA, v - 0x61) }
            if digit { return at(0x1D7E2, v - 0x30) }
        case .mathit:
            if c == "h" { return "ℎ" }
            if upper { return at(0x1D434, v - 0x41) }
            if lower { return at(0x1D44E, v - 0x61) }
        }
        return c
    }
}

extension TeX {
    /// The formula as text a person reads and types into a search: `W_Q K^⊤/√d_k`, symbols as
    /// Unicode, fonts and spacing dropped (the `alttext` of the MathML, and what search indexes).
    static func readable(_ source: String) -> String {
        var reader = Readable(chars: Array(source))
        let text = reader.sequence(until: nil)
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private struct Readable {
        let chars: [Character]
        var i = 0

        mutating func sequence(until stop: Character?) -> String {
            var out = ""
            while i < chars.count, chars[i] != stop ?? "\u{0}" { out += atom() }
            if i < chars.count { i += 1 }
            return out
        }

        /// A script or argument: a group in parentheses when it is longer than one character.
        mutating func argument() -> String {
            while i < chars.count, chars[i] == " " { i += 1 }
            let text = atom()
            return text.contains(where: { " +−-/·×=,".contains($0) }) ? "(" + text + ")" : text
        }

        mutating func atom() -> String {
            guard i < chars.count else { return "" }
            let c = chars[i]
            i += 1
            switch c {
            case "{": return sequence(until: "}")
            case "^", "_": return String(c) + argument()
            case "&": return " "
            case "~": return " "
            case "\\": break
            default: return c == "-" ? "−" : String(c)
            }
            var name = "\\"
            if i < chars.count, !chars[i].isLetter {
                name.append(chars[i])
                i += 1
            } else {
                while i < chars.count, chars[i].isLetter {
                    name.append(chars[i])
                    i += 1
                }
            }
            if let s = TeXSymbols.identifiers[name] ?? TeXSymbols.operators[name] ?? TeXSymbols.largeOperators[name] {
                return s == "&amp;" ? "&" : s
            }
            if TeXSymbols.functions.contains(name) { return String(name.dropFirst()) }
            if TeXSymbols.spaces[name] != nil || name == "\\\\" { return " " }
            switch name {
            case "\\frac", "\\dfrac", "\\tfrac":
                let a = argument()
                return a + "/" + argument()
            case "\\sqrt": return "√" + argument()
            case "\\stackrel", "\\overset":
                let over = argument()
                return argument() + "(" + over + ")"
            case "\\left", "\\right": return ""
            case "\\begin", "\\end":
                _ = argument()
                return " "
            case "\\operatorname", "\\mathrm", "\\mathbf", "\\boldsymbol", "\\bm", "\\mathbb", "\\mathcal", "\\mathsf",
                "\\mathit", "\\text", "\\textrm", "\\mbox", "\\textnormal", "\\mathop":
                if i < chars.count, chars[i] == "*" { i += 1 }
                while i < chars.count, chars[i] == " " { i += 1 }
                return atom()
            case "\\hat", "\\widehat": return argument() + "̂"
            case "\\bar", "\\overline": return argument() + "̄"
            default: return String(name.dropFirst())
            }
        }
    }
}
