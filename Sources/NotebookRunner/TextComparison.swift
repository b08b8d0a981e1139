import NotebookModel

/// Text compared as a person would: equal except for numbers, which may move within the
/// tolerance; a unified diff when they differ.
enum TextComparison {
    enum Token: Equatable {
        case number(Double, String)
        case other(String)
    }

    static func matches(_ expected: String, _ actual: String, _ tolerance: Tolerance) -> Bool {
        if expected == actual { return true }
        let e = tokens(expected), a = tokens(actual)
        guard e.count == a.count else { return false }
        for (x, y) in zip(e, a) {
            switch (x, y) {
            case (.number(let u, _), .number(let v, _)): if !tolerance.accepts(v, expected: u) { return false }
            default: if x != y { return false }
            }
        }
        return true
    }

    /// Splits text into numbers (`-1.5e-3`) and the text between them.
    static func tokens(_ text: String) -> [Token] {
        var result: [Token] = []
        let chars = Array(text)
        var i = 0
        var other = ""
        func isDigit(_ k: Int) -> Bool { k < chars.count && chars[k].isASCII && chars[k].isNumber }
        while i < chars.count {
            let startsNumber =
                isDigit(i)
                || (chars[i] == "-"
                    && (isDigit(i + 1) || (i + 2 < chars.count && chars[i + 1] == "." && isDigit(i + 2))))
                || (chars[i] == "." && isDigit(i + 1))
            let afterWord = i > 0 && (chars[i - 1].isLetter || chars[i - 1] == "_")
            guard startsNumber, !afterWord else {
                other.append(chars[i])
                i += 1
                continue
            }
            var j = i + (chars[i] == "-" ? 1 : 0)
            while isDigit(j) { j += 1 }
            if j < chars.count, chars[j] == "." {
                j += 1
                while isDigit(j) { j += 1 }
            }
            if j < chars.count, chars[j] == "e" || chars[j] == "E" {
                var k = j + 1
                if k < chars.count, chars[k] == "+" || chars[k] == "-" { k += 1 }
                if isDigit(k) {
                    j = k
                    while isDigit(j) { j += 1 }
                }
            }
            let literal = String(chars[i..<j])
            if let v = Double(literal) {
                if !other.isEmpty {
                    result.append(.other(other))
                    other = ""
                }
                result.append(.number(v, literal))
            } else {
                other += literal
            }
            i = j
        }
        if !other.isEmpty { result.append(.other(other)) }
        return result
    }

    /// A unified diff of two texts by lines (the standard library's `difference(from:)`, a
    /// shortest edit script), `-` recorded, `+` fresh.
    static func unifiedDiff(_ expected: String, _ actual: String, limit: Int = 40) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in a.difference(from: e) {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var lines = ["--- recorded", "+++ now"]
        var i = 0, j = 0
        while i < e.count || j < a.count {
            if i < e.count, removed.contains(i) {
                lines.append("- " + e[i])
                i += 1
            } else if j < a.count, inserted.contains(j) {
                lines.append("+ " + a[j])
                j += 1
            } else {
                lines.append("  " + e[i])
                i += 1
                j += 1
            }
        }
        let changed = lines.enumerated().filter { $0.offset >= 2 && !$0.element.hasPrefix("  ") }.map(\.offset)
        guard let firstChange = changed.first, let lastChange = changed.last else {
            return lines.joined(separator: "\n")
        }
        let window = lines[max(2, firstChange - 2)...min(lines.count - 1, lastChange + 2)].prefix(limit)
        return (lines.prefix(2) + window).joined(separator: "\n")
    }
}
