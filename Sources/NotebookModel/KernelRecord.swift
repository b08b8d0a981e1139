/// One record the notebook program writes on its standard output, framed as
/// `KernelRecord.frame(token:) + JSON + "\n"` so that it interleaves in order with printed text.
public enum KernelRecord: Sendable, Equatable, Codable {
    /// A cell begins (its 0-based index).
    case begin(Int)
    /// An output of the current cell.
    case emit(Output)
    /// Every cell ran to its end.
    case finished
    /// A top-level `try` at this notebook line threw, and nothing catches it: the program ends.
    case thrown(at: Int)

    /// The frame's start: an ASCII record separator and a tag, which printed text does not hold.
    public static let sentinel = "\u{1E}NB1 "
    /// The environment variable through which the runner gives each run a random token; every
    /// record is framed `sentinel + token + " " + JSON`, so text a cell prints that looks like a
    /// record (a fake end of the program, another cell's outputs) stays text.
    public static let tokenVariable = "NOTEBOOK_RECORD_TOKEN"

    /// The start of every record of the run with `token`.
    public static func frame(token: String) -> String { sentinel + token + " " }

    // One key per case, as the format has always been: {"cell": 3}, {"output": …}, {"end": true},
    // {"thrownAt": 14}.
    private enum Key: String, CodingKey { case cell, output, end, thrownAt }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        if let cell = try c.decodeIfPresent(Int.self, forKey: .cell) {
            self = .begin(cell)
        } else if let output = try c.decodeIfPresent(Output.self, forKey: .output) {
            self = .emit(output)
        } else if try c.decodeIfPresent(Bool.self, forKey: .end) == true {
            self = .finished
        } else if let line = try c.decodeIfPresent(Int.self, forKey: .thrownAt) {
            self = .thrown(at: line)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not a kernel record"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .begin(let cell): try c.encode(cell, forKey: .cell)
        case .emit(let output): try c.encode(output, forKey: .output)
        case .finished: try c.encode(true, forKey: .end)
        case .thrown(let line): try c.encode(line, forKey: .thrownAt)
        }
    }
}
