/// The words after `swift` in a cell's info string.
///
/// `hide` runs the cell without showing its code; `skip` shows it without running it;
/// `ignore-output` runs it without comparing its outputs; `expect-error` or
/// `expect-error="text"` requires the cell to fail (with that text in the message);
/// `tolerance=1e-6` (relative) and `atol=1e-9` (absolute) loosen the check for this cell.
public struct CellOptions: Sendable, Equatable {
    /// Run the cell, do not show its code.
    public var hide = false
    /// Show the code, do not run it.
    public var skip = false
    /// Run the cell, do not compare its outputs in `notebook check`.
    public var ignoreOutput = false
    /// The cell must fail; when the string is not empty it must appear in the error message.
    public var expectError: String?
    /// The relative tolerance for this cell's numbers.
    public var relativeTolerance: Double?
    /// The absolute tolerance for this cell's numbers.
    public var absoluteTolerance: Double?

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
            case ("expect-error", let v): o.expectError = v ?? ""
            case ("tolerance", let v?), ("rtol", let v?):
                guard let d = Double(v), d >= 0 else { return .failure(OptionError(word: word, reason: "is not a tolerance")) }
                o.relativeTolerance = d
            case ("atol", let v?):
                guard let d = Double(v), d >= 0 else { return .failure(OptionError(word: word, reason: "is not a tolerance")) }
                o.absoluteTolerance = d
            default:
                return .failure(OptionError(word: word, reason: "is not a cell option (hide, skip, ignore-output, expect-error, tolerance=, atol=)"))
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
            if ch == "\"" { quoted.toggle(); current.append(ch) }
            else if ch.isWhitespace && !quoted { if !current.isEmpty { words.append(current); current = "" } }
            else { current.append(ch) }
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

/// How far a number may move before `notebook check` reports it: |actual − expected| ≤
/// absolute + relative·|expected|. NaN matches NaN; infinities must match exactly.
public struct Tolerance: Sendable, Equatable, Codable {
    /// The relative part.
    public var relative: Double
    /// The absolute part.
    public var absolute: Double

    /// The defaults: relative 1e-7, absolute 1e-10 (far above the 1e-15 noise of reordered sums,
    /// far below any change a lesson would make).
    public static let standard = Tolerance(relative: 1e-7, absolute: 1e-10)

    /// A tolerance.
    public init(relative: Double, absolute: Double) {
        self.relative = relative
        self.absolute = absolute
    }

    /// Whether `actual` is within tolerance of `expected`.
    public func accepts(_ actual: Double, expected: Double) -> Bool {
        if expected.isNaN || actual.isNaN { return expected.isNaN && actual.isNaN }
        if expected.isInfinite || actual.isInfinite { return expected == actual }
        return abs(actual - expected) <= absolute + relative * abs(expected)
    }

    /// This tolerance with a cell's overrides.
    public func overridden(by options: CellOptions) -> Tolerance {
        Tolerance(relative: options.relativeTolerance ?? relative, absolute: options.absoluteTolerance ?? absolute)
    }
}
