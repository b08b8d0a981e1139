infix operator .* : MultiplicationPrecedence
infix operator ./ : MultiplicationPrecedence

extension Matrix {
    /// The matrix product `A·B`, as in the lecture's formulas (`X * W_q`).
    /// - Precondition: `a.cols == b.rows`.
    /// - Complexity: O(a.rows · a.cols · b.cols), through BLAS.
    public static func * (a: Matrix, b: Matrix) -> Matrix { a.matmul(b) }

    /// The matrix product `self·other`, reporting a shape mismatch at the caller's line.
    ///
    /// Gradients: ∂/∂A = G·Bᵀ, ∂/∂B = Aᵀ·G.
    /// - Precondition: `cols == other.rows`.
    /// - Complexity: O(rows · cols · other.cols), through BLAS.
    public func matmul(_ other: Matrix, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        require(
            cols == other.rows,
            "matmul: \(shapeDescription) · \(other.shapeDescription): inner sizes \(cols) and \(other.rows) differ",
            file, line)
        return .recording(gemm(self, other), self, other) {
            let (a, b) = (detached, other.detached)
            let (needA, needB) = (isTracked, other.isTracked)
            return { g in [needA ? gemm(g, b, transposeB: true) : nil, needB ? gemm(a, transposeA: true, g) : nil] }
        }
    }

    /// `self · otherᵀ` without forming the transpose (the score matrix `Q·Kᵀ`).
    ///
    /// Gradients: ∂/∂A = G·B, ∂/∂B = Gᵀ·A.
    /// - Precondition: `cols == other.cols`.
    /// - Complexity: O(rows · cols · other.rows), through BLAS.
    public func matmulTransposed(_ other: Matrix, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        require(
            cols == other.cols,
            "matmul: \(shapeDescription) · (\(other.shapeDescription))ᵀ: inner sizes \(cols) and \(other.cols) differ",
            file, line)
        return .recording(gemm(self, other, transposeB: true), self, other) {
            let (a, b) = (detached, other.detached)
            let (needA, needB) = (isTracked, other.isTracked)
            return { g in [needA ? gemm(g, b) : nil, needB ? gemm(g, transposeA: true, a) : nil] }
        }
    }

    /// The transpose Aᵀ, with entry (j, i) = A(i, j); its gradient is the incoming one transposed.
    ///
    /// - Complexity: O(rows · cols).
    public var transposed: Matrix {
        var out = [Double](repeating: 0, count: values.count)
        for i in 0..<rows { for j in 0..<cols { out[j * rows + i] = values[i * cols + j] } }
        return .recording(Matrix(rows: cols, cols: rows, values: out), self) { { g in [g.transposed] } }
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    /// The transpose, spelled as in numpy: `K.T`.
    public var T: Matrix { transposed }

    /// Combines two matrices of the same shape entry by entry (no gradient flows through the
    /// result: `combine` is a closure).
    /// - Precondition: same shapes; neither is tracked.
    public func zipWith(
        _ other: Matrix, _ name: String, file: StaticString = #fileID, line: UInt = #line,
        _ combine: (Double, Double) -> Double
    ) -> Matrix {
        require(
            hasSameShape(as: other),
            "\(name): shapes \(shapeDescription) and \(other.shapeDescription) differ", file, line)
        require(
            trace == nil && other.trace == nil,
            "\(name): a gradient flows through these values and a closure has no derivative", file, line)
        return Matrix(rows: rows, cols: cols, values: Self.combined(values, other.values, combine))
    }

    /// `a ∘ b` entry by entry; `b` may also be a single row (1×cols) added to every row, as numpy
    /// broadcasts a bias.
    @inline(__always)
    fileprivate static func elementwise(
        _ a: Matrix, _ b: Matrix, _ name: String, _ file: StaticString, _ line: UInt,
        _ combine: (Double, Double) -> Double
    ) -> [Double] {
        if a.hasSameShape(as: b) { return combined(a.values, b.values, combine) }
        require(
            b.rows == 1 && b.cols == a.cols,
            "\(name): shapes \(a.shapeDescription) and \(b.shapeDescription) differ (a single row of \(a.cols) is broadcast over the rows)",
            file, line)
        var out = a.values
        let n = a.cols
        out.withUnsafeMutableBufferPointer { o in
            b.values.withUnsafeBufferPointer { r in
                for i in 0..<a.rows { for j in 0..<n { o[i * n + j] = combine(o[i * n + j], r[j]) } }
            }
        }
        return out
    }

    @inline(__always)
    fileprivate static func combined(_ x: [Double], _ y: [Double], _ combine: (Double, Double) -> Double) -> [Double] {
        var out = x
        out.withUnsafeMutableBufferPointer { o in
            y.withUnsafeBufferPointer { b in for i in 0..<o.count { o[i] = combine(o[i], b[i]) } }
        }
        return out
    }

    /// The gradient of a broadcast operand: `g` itself, or its column sums when `b` was one row.
    fileprivate static func unbroadcast(_ g: Matrix, to b: (rows: Int, cols: Int)) -> Matrix {
        if g.rows == b.rows { return g }
        return Matrix(row: g.columnSums)
    }

    /// Entrywise sum; `b` may be one row, added to every row (a bias).
    ///
    /// - Precondition: same shapes.
    public static func + (a: Matrix, b: Matrix) -> Matrix { a.adding(b) }
    /// Entrywise difference; `b` may be one row.
    ///
    /// - Precondition: same shapes.
    public static func - (a: Matrix, b: Matrix) -> Matrix { a.subtracting(b) }

    /// `self + other`, reporting a mismatch at the caller's line; `other` may be a single row.
    public func adding(_ other: Matrix, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        let out = Matrix(rows: rows, cols: cols, values: Self.elementwise(self, other, "+", file, line, +))
        return .recording(out, self, other) {
            let shape = (other.rows, other.cols)
            return { g in [g, Self.unbroadcast(g, to: shape)] }
        }
    }

    /// `self − other`, reporting a mismatch at the caller's line; `other` may be a single row.
    public func subtracting(_ other: Matrix, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        let out = Matrix(rows: rows, cols: cols, values: Self.elementwise(self, other, "-", file, line, -))
        return .recording(out, self, other) {
            let shape = (other.rows, other.cols)
            return { g in [g, -Self.unbroadcast(g, to: shape)] }
        }
    }

    /// Entrywise (Hadamard) product `A ⊙ B`; `b` may be one row.
    ///
    /// - Precondition: same shapes.
    public static func .* (a: Matrix, b: Matrix) -> Matrix {
        let out = Matrix(rows: a.rows, cols: a.cols, values: elementwise(a, b, ".*", #fileID, #line, *))
        return .recording(out, a, b) {
            let (x, y) = (a.detached, b.detached)
            return { g in [g .* y, unbroadcast(g .* x, to: (y.rows, y.cols))] }
        }
    }

    /// Entrywise quotient; `b` may be one row.
    ///
    /// - Precondition: same shapes.
    public static func ./ (a: Matrix, b: Matrix) -> Matrix {
        let out = Matrix(rows: a.rows, cols: a.cols, values: elementwise(a, b, "./", #fileID, #line, /))
        return .recording(out, a, b) {
            let (x, y) = (a.detached, b.detached)
            return { g in [g ./ y, unbroadcast(-(g .* x) ./ (y .* y), to: (y.rows, y.cols))] }
        }
    }

    /// Negation.
    public static prefix func - (a: Matrix) -> Matrix { a * -1 }

    /// Every entry times a scalar.
    public static func * (a: Matrix, s: Double) -> Matrix {
        .recording(Matrix(rows: a.rows, cols: a.cols, values: a.values.map { $0 * s }), a) { { g in [g * s] } }
    }
    /// Every entry times a scalar.
    public static func * (s: Double, a: Matrix) -> Matrix { a * s }
    /// Every entry divided by a scalar.
    public static func / (a: Matrix, s: Double) -> Matrix {
        .recording(Matrix(rows: a.rows, cols: a.cols, values: a.values.map { $0 / s }), a) { { g in [g / s] } }
    }
    /// A scalar added to every entry.
    public static func + (a: Matrix, s: Double) -> Matrix {
        .recording(Matrix(rows: a.rows, cols: a.cols, values: a.values.map { $0 + s }), a) { { g in [g] } }
    }
    /// A scalar subtracted from every entry.
    public static func - (a: Matrix, s: Double) -> Matrix { a + -s }

    /// A row vector added to every row (a bias: `X * W + b`).
    /// - Precondition: `b.count == cols`.
    public static func + (a: Matrix, b: [Double]) -> Matrix { a.addingToEachRow(b) }

    /// A row vector added to every row, reporting a mismatch at the caller's line.
    /// - Precondition: `b.count == cols`.
    public func addingToEachRow(_ b: [Double], file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        require(
            b.count == cols, "+: a bias of \(b.count) values cannot be added to rows of \(shapeDescription)",
            file, line)
        return adding(Matrix(row: b), file: file, line: line)
    }

    /// `self += other`.
    ///
    /// - Precondition: same shapes.
    public static func += (a: inout Matrix, b: Matrix) { a = a + b }

}
