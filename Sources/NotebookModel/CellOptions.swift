/// The words after `swift` in a cell's info string.
///
/// `hide` runs the cell without showing its code; `skip` shows it without running it;
/// `ignore-output` runs it without comparing its outputs; `expect-error` or
/// `expect-error="text"` requires the cell to fail (with that text in the message);
/// `tolerance=1e-6` (relative) and `atol=1e-9` (absolute) loosen the check for this cell;
/// `id=name` names the cell so that `notebook check` pairs it with its recording whatever
/// its position and code; `cache` saves a checkpoint of the top-level state after the cell, from
/// which a run resumes when only later cells changed; `caption="…"` numbers the cell's outputs as
/// a figure (`Figure 5.2: …`) with that caption.
public struct CellOptions: Sendable, Equatable {
    /// Run the cell, do not show its code.
    public var hide = false
    /// Show the code, do not run it.
    public var skip = false
    /// Run the cell, do not compare its outputs in `notebook check`.
    public var ignoreOutput = false
    /// Save a checkpoint of the top-level state after the cell.
    public var cache = false
    /// The cell must fail; when the string is not empty it must appear in the error message.
    public var expectError: String?
    /// The relative tolerance for this cell's numbers.
    public var relativeTolerance: Double?
    /// The absolute tolerance for this cell's numbers.
    public var absoluteTolerance: Double?
    /// The author's name for the cell (letters, digits, `-`, `_`), unique in its notebook.
    public var id: String?
    /// The caption of the cell's outputs, shown numbered under them (`Figure 5.2: caption`).
    public var caption: String?

    /// No options.
    public init() {}

    /// Parses the words after `swift`; an unknown or malformed word is an error naming it.
    public static func parse(_ words: [String]) -> Result<CellOptions, OptionError> {
        var o = CellOptions()
        for word in words {
            let (key, value) = splitOption(word)
            switch (key, value) {
            case ("hide", nil): o.hide = true
            case ("skip", nil): o.skip = true
            case ("ignore-output", nil): o.ignoreOutput = true
            case ("cache", nil): o.cache = true
            case ("expect-error", let v): o.expectError = v ?? ""
            case ("caption", let v?):
                guard !v.trimmingPrefix(while: \.isWhitespace).isEmpty else {
                    return .failure(OptionError(word: word, reason: "is an empty caption (write caption=\"…\")"))
                }
                o.caption = v
            case ("tolerance", let v?), ("rtol", let v?):
                guard let d = Double(v), d >= 0 else {
                    return .failure(OptionError(word: word, reason: "is not a tolerance"))
                }
                o.relativeTolerance = d
            case ("atol", let v?):
                guard let d = Double(v), d >= 0 else {
                    return .failure(OptionError(word: word, reason: "is not a tolerance"))
                }
                o.absoluteTolerance = d
            case ("id", let v?):
                guard !v.isEmpty,
                    v.unicodeScalars.allSatisfy({
                        $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
                    })
                else {
                    return .failure(OptionError(word: word, reason: "is not a cell id (letters, digits, '-' and '_')"))
                }
                o.id = v
            default:
                return .failure(
                    OptionError(
                        word: word,
                        reason:
                            "is not a cell option (hide, skip, ignore-output, expect-error, tolerance=, atol=, id=, cache, caption=)"
                    ))
            }
        }
        return .success(o)
    }

    private static func splitOption(_ word: String) -> (String, String?) {
        guard let eq = word.firstIndex(of: "=") else { return (word, nil) }
        var value = String(word[word.index(after: eq)...])
        if value.count >= 2, value.first == "\"", value.last == "\"" { value = String(value.dropFirst().dropLast()) }
        return (String(word[..<eq]), value)
    }

    /// Splits an info string into words, keeping `key="a quoted value"` together.
    public static func words(of info: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        for ch in info {
            if ch == "\"" {
                quoted.toggle()
                current.append(ch)
            } else if ch.isWhitespace && !quoted {
                if !current.isEmpty {
                    words.append(current)
                    current = ""
                }
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}

/// A cell option that could not be read.
public struct OptionError: Error, Sendable, Equatable {
    /// The word as written.
    public var word: String
    /// Why it was refused.
    public var reason: String
}
