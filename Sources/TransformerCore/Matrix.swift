/// A dense, row-major matrix of `Double`: one token per row, as in every reference the lessons follow.
///
/// `Matrix` is a value: copies are cheap until one is mutated. Shapes are checked by
/// preconditions whose messages name both shapes and the caller's line.
public struct Matrix: Sendable, Equatable, Hashable {
    /// The number of rows (tokens).
    public let rows: Int
    /// The number of columns (features).
    public let cols: Int
    /// The entries, row after row; `values.count == rows * cols`.
    public internal(set) var values: [Double]
    /// Where this value sits on a gradient tape, when it was computed from tracked parameters
    /// (see `Tape`); not part of the value: equality and hashing ignore it.
    var trace: Trace? = nil

    /// A matrix of the given shape from its entries, row after row.
    /// - Precondition: `values.count == rows * cols`, both dimensions ≥ 0.
    public init(
        rows: Int, cols: Int, values: [Double],
        file: StaticString = #fileID, line: UInt = #line
    ) {
        require(rows >= 0 && cols >= 0, "Matrix: negative shape \(rows)×\(cols)", file, line)
        require(
            values.count == rows * cols,
            "Matrix: \(values.count) values do not fill \(rows)×\(cols)", file, line)
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    /// A matrix of the given shape with every entry equal to `value`.
    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        self.init(rows: rows, cols: cols, values: Array(repeating: value, count: Swift.max(0, rows * cols)))
    }

    /// A matrix from its rows.
    /// - Precondition: every row has the same length.
    public init(_ rowArrays: [[Double]], file: StaticString = #fileID, line: UInt = #line) {
        let width = rowArrays.first?.count ?? 0
        for (i, row) in rowArrays.enumerated() where row.count != width {
            fail("Matrix: row \(i) has \(row.count) values but row 0 has \(width)", file, line)
        }
        self.init(rows: rowArrays.count, cols: width, values: rowArrays.flatMap { $0 }, file: file, line: line)
    }

    /// A matrix whose entry (i, j) is `entry(i, j)`.
    public init(rows: Int, cols: Int, _ entry: (Int, Int) -> Double) {
        var values = [Double]()
        values.reserveCapacity(rows * cols)
        for i in 0..<rows { for j in 0..<cols { values.append(entry(i, j)) } }
        self.init(rows: rows, cols: cols, values: values)
    }

    /// A single-row matrix holding `vector`.
    public init(row vector: [Double]) { self.init(rows: 1, cols: vector.count, values: vector) }

    /// A single-column matrix holding `vector`.
    public init(column vector: [Double]) { self.init(rows: vector.count, cols: 1, values: vector) }

    /// The all-zero matrix of a shape.
    public static func zeros(_ rows: Int, _ cols: Int) -> Matrix { Matrix(rows: rows, cols: cols) }

    /// The all-one matrix of a shape.
    public static func ones(_ rows: Int, _ cols: Int) -> Matrix { Matrix(rows: rows, cols: cols, repeating: 1) }

    /// The n×n identity.
    public static func identity(_ n: Int) -> Matrix { Matrix(rows: n, cols: n) { $0 == $1 ? 1 : 0 } }

    /// The shape as it is printed in messages and captions, `4×8`.
    public var shapeDescription: String { "\(rows)×\(cols)" }

    /// Whether the two matrices have the same shape.
    public func hasSameShape(as other: Matrix) -> Bool { rows == other.rows && cols == other.cols }

    /// The entry at row `i`, column `j`.
    /// - Precondition: `0 ≤ i < rows`, `0 ≤ j < cols`.
    public subscript(i: Int, j: Int) -> Double {
        get {
            require(
                i >= 0 && i < rows && j >= 0 && j < cols,
                "Matrix: index (\(i), \(j)) is outside \(shapeDescription)", #fileID, #line)
            return values[i * cols + j]
        }
        set {
            require(
                i >= 0 && i < rows && j >= 0 && j < cols,
                "Matrix: index (\(i), \(j)) is outside \(shapeDescription)", #fileID, #line)
            values[i * cols + j] = newValue
        }
    }

    /// Row `i` as a vector.
    public func row(_ i: Int, file: StaticString = #fileID, line: UInt = #line) -> [Double] {
        require(i >= 0 && i < rows, "row: \(i) is outside 0..<\(rows)", file, line)
        return Array(values[i * cols..<(i + 1) * cols])
    }

    /// Column `j` as a vector.
    public func column(_ j: Int, file: StaticString = #fileID, line: UInt = #line) -> [Double] {
        require(j >= 0 && j < cols, "column: \(j) is outside 0..<\(cols)", file, line)
        return (0..<rows).map { values[$0 * cols + j] }
    }

    /// The rows as arrays.
    public var rowArrays: [[Double]] { (0..<rows).map { row($0) } }

    /// The same entries in a new shape, row after row.
    /// - Precondition: the entry count does not change.
    public func reshaped(_ rows: Int, _ cols: Int, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        let out = Matrix(rows: rows, cols: cols, values: values, file: file, line: line)
        let (r, c) = (self.rows, self.cols)
        return .recording(out, self) { { g in [g.reshaped(r, c)] } }
    }

    /// Applies `transform` to every entry.
    /// - Precondition: no gradient flows through `self` (a closure has no derivative): use the
    ///   core's differentiable functions (`relu`, `gelu`, `exp`, …) or `detached.map`.
    public func map(_ transform: (Double) -> Double, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        require(
            trace == nil,
            "map: a gradient flows through this \(shapeDescription) value and a closure has no derivative; use relu, gelu, exp, … or .detached.map",
            file, line)
        return Matrix(rows: rows, cols: cols, values: values.map(transform))
    }
}

extension Matrix {
    /// Equal shapes and entries (the tape mark is not compared).
    public static func == (a: Matrix, b: Matrix) -> Bool {
        a.rows == b.rows && a.cols == b.cols && a.values == b.values
    }

    /// Hashes the shape and the entries.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rows)
        hasher.combine(cols)
        hasher.combine(values)
    }
}

extension Matrix: ExpressibleByArrayLiteral {
    /// A matrix literal, one array per row: `[[1, 2], [3, 4]]`.
    public init(arrayLiteral rows: [Double]...) { self.init(rows) }
}
