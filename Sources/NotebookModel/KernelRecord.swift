/// One record the notebook program writes on its standard output, framed as
/// `KernelRecord.frame(token:) + JSON + "\n"` so that it interleaves in order with printed text.
public struct KernelRecord: Sendable, Equatable, Codable {
    /// The frame's start: an ASCII record separator and a tag, which printed text does not hold.
    public static let sentinel = "\u{1E}NB1 "
    /// The environment variable through which the runner gives each run a random token; every
    /// record is framed `sentinel + token + " " + JSON`, so text a cell prints that looks like a
    /// record (a fake end of the program, another cell's outputs) stays text.
    public static let tokenVariable = "NOTEBOOK_RECORD_TOKEN"

    /// The start of every record of the run with `token`.
    public static func frame(token: String) -> String { sentinel + token + " " }

    /// A cell begins (its 0-based index).
    public var cell: Int?
    /// An output of the current cell.
    public var output: Output?
    /// Every cell ran to its end.
    public var end: Bool?
    /// A top-level `try` at this notebook line threw, and nothing catches it: the program ends.
    public var thrownAt: Int?

    /// The start of cell `index`.
    public static func begin(_ index: Int) -> KernelRecord { KernelRecord(cell: index) }
    /// An output.
    public static func emit(_ output: Output) -> KernelRecord { KernelRecord(output: output) }
    /// The normal end of the program.
    public static let finished = KernelRecord(end: true)
    /// The uncaught error of the `try` at notebook line `line`.
    public static func thrown(at line: Int) -> KernelRecord { KernelRecord(thrownAt: line) }

    /// A record.
    public init(cell: Int? = nil, output: Output? = nil, end: Bool? = nil, thrownAt: Int? = nil) {
        self.cell = cell
        self.output = output
        self.end = end
        self.thrownAt = thrownAt
    }
}
