/// One output of a cell: what the kernel emits, the runner decodes, the renderer draws, the
/// recorder writes and the checker compares.
///
/// Encoded as a JSON object with a `kind` key beside the payload's own keys:
/// `{"kind":"text","text":"hello\n"}`.
public enum Output: Sendable, Equatable {
    /// Printed text (stdout), or a displayed scalar, string or array.
    case text(String)
    /// A matrix with labels, shown as a heatmap table.
    case matrix(MatrixFigure)
    /// Several matrices side by side on one colour scale (per-head maps).
    case grid(GridFigure)
    /// Line plot: several series, linear or log axes.
    case linePlot(LinePlot)
    /// Histogram: overlaid series over shared bins.
    case histogram(Histogram)
    /// Bar chart: grouped bars over categories.
    case bars(BarChart)
    /// Arrows in the plane.
    case vectors(VectorPlot)
    /// Tokens placed on a number line by value.
    case numberLine(NumberLine)
    /// A query's weights to each key drawn as arcs of varying strength.
    case arcs(ArcView)
    /// Vectors as strips of cells coloured by sign (q, k, q⊙k).
    case strip(VectorStrip)
    /// Figures side by side (`subplots { … }`).
    case figures(FigureGrid)
    /// Labelled boxes with their matrices' shapes and arrows between them: a data flow.
    case diagram(Diagram)
    /// A failure of the cell: a compile error, a trap, a timeout, or a cell that did not run.
    case error(CellFailure)

    /// The name of the case as written in the JSON (`matrix`, `linePlot`, …).
    public var kind: String {
        switch self {
        case .text: "text"
        case .matrix: "matrix"
        case .grid: "grid"
        case .linePlot: "linePlot"
        case .histogram: "histogram"
        case .bars: "bars"
        case .vectors: "vectors"
        case .numberLine: "numberLine"
        case .arcs: "arcs"
        case .strip: "strip"
        case .figures: "figures"
        case .diagram: "diagram"
        case .error: "error"
        }
    }
}

extension Output: Codable {
    private enum Key: String, CodingKey { case kind, text }

    /// Decodes `{"kind": …, payload keys…}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let kind = try c.decode(String.self, forKey: .kind)
        switch kind {
        case "text": self = .text(try c.decode(String.self, forKey: .text))
        case "matrix": self = .matrix(try MatrixFigure(from: decoder))
        case "grid": self = .grid(try GridFigure(from: decoder))
        case "linePlot": self = .linePlot(try LinePlot(from: decoder))
        case "histogram": self = .histogram(try Histogram(from: decoder))
        case "bars": self = .bars(try BarChart(from: decoder))
        case "vectors": self = .vectors(try VectorPlot(from: decoder))
        case "numberLine": self = .numberLine(try NumberLine(from: decoder))
        case "arcs": self = .arcs(try ArcView(from: decoder))
        case "strip": self = .strip(try VectorStrip(from: decoder))
        case "figures": self = .figures(try FigureGrid(from: decoder))
        case "diagram": self = .diagram(try Diagram(from: decoder))
        case "error": self = .error(try CellFailure(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c, debugDescription: "unknown output kind \"\(kind)\"")
        }
    }

    /// Encodes the kind and the payload's keys in one object.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(kind, forKey: .kind)
        switch self {
        case .text(let s): try c.encode(s, forKey: .text)
        case .matrix(let f): try f.encode(to: encoder)
        case .grid(let f): try f.encode(to: encoder)
        case .linePlot(let f): try f.encode(to: encoder)
        case .histogram(let f): try f.encode(to: encoder)
        case .bars(let f): try f.encode(to: encoder)
        case .vectors(let f): try f.encode(to: encoder)
        case .numberLine(let f): try f.encode(to: encoder)
        case .arcs(let f): try f.encode(to: encoder)
        case .strip(let f): try f.encode(to: encoder)
        case .figures(let f): try f.encode(to: encoder)
        case .diagram(let f): try f.encode(to: encoder)
        case .error(let f): try f.encode(to: encoder)
        }
    }
}

/// What went wrong in a cell.
public struct CellFailure: Sendable, Equatable, Codable {
    /// The kind of failure.
    public enum Reason: String, Sendable, Codable {
        /// The compiler refused the cell.
        case compile
        /// The program trapped or exited with an error while the cell ran.
        case runtime
        /// The cell ran past the time limit and was killed.
        case timeout
        /// The cell did not run because an earlier one failed or the program stopped.
        case notRun
    }

    /// compile, runtime, timeout or notRun.
    public var reason: Reason
    /// The message (compiler-style lines for a compile error).
    public var message: String
    /// The notebook line the failure points at, when known.
    public var line: Int?

    public init(reason: Reason, message: String, line: Int? = nil) {
        self.reason = reason
        self.message = message
        self.line = line
    }
}
