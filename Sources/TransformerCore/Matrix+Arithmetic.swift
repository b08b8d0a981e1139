infix operator .* : MultiplicationPrecedence
infix operator ./ : MultiplicationPrecedence

extension Matrix {
    /// The matrix product `A·B`, as in the lecture's formulas (`X * W_q`).
    /// - Precondition: `a.cols == b.rows`.
    /// - Complexity: O(a.rows · a.cols · b.cols), through BLAS.
    public static func * (a: Matrix, b: Matrix) -> Matrix { a.matmul(b) }

    /// The matrix product `self·other`, reporting a shape mismatch at the caller's line.
    /// - Precondition: `cols == other.rows`.
    /// - Complexity: O(rows · cols · other.cols), through BLAS.
    public func matmul(_ other: Matrix, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        require(cols == other.rows,
                "matmul: \(shapeDescription) · \(other.shapeDescription): inner sizes \(cols) and \(other.rows) differ",
                file, line)
        return gemm(self, other)
    }

    /// `self · otherᵀ` without forming the transpose (the score matrix `Q·Kᵀ`).
    /// - Precondition: `cols == other.cols`.
    /// - Complexity: O(rows · cols · other.rows), through BLAS.
    public func matmulTransposed(_ other: Matrix, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        require(cols == other.cols,
                "matmul: \(shapeDescription) · (\(other.shapeDescription))ᵀ: inner sizes \(cols) and \(other.cols) differ",
                file, line)
        return gemm(self, other, transposeB: true)
    }

    /// The transpose.
    /// - Complexity: O(rows · cols).
    public var transposed: Matrix {
        var out = [Double](repeating: 0, count: values.count)
        for i in 0..<rows { for j in 0..<cols { out[j * rows + i] = values[i * cols + j] } }
        return Matrix(rows: cols, cols: rows, values: out)
    }

    /// The transpose, spelled as in numpy: `K.T`.
    public var T: Matrix { transposed }

    /// Combines two matrices of the same shape entry by entry.
    /// - Precondition: same shapes.
    public func zipWith(_ other: Matrix, _ name: String, file: StaticString = #fileID, line: UInt = #line,
                        _ combine: (Double, Double) -> Double) -> Matrix {
        require(hasSameShape(as: other),
                "\(name): shapes \(shapeDescription) and \(other.shapeDescription) differ", file, line)
        var out = values
        for i in out.indices { out[i] = combine(values[i], other.values[i]) }
        return Matrix(rows: rows, cols: cols, values: out)
    }

    /// Entrywise sum. - Precondition: same shapes.
    public static func + (a: Matrix, b: Matrix) -> Matrix { a.zipWith(b, "+", +) }
    /// Entrywise difference. - Precondition: same shapes.
    public static func - (a: Matrix, b: Matrix) -> Matrix { a.zipWith(b, "-", -) }
    /// Entrywise (Hadamard) product `A ⊙ B`. - Precondition: same shapes.
    public static func .* (a: Matrix, b: Matrix) -> Matrix { a.zipWith(b, ".*", *) }
    /// Entrywise quotient. - Precondition: same shapes.
    public static func ./ (a: Matrix, b: Matrix) -> Matrix { a.zipWith(b, "./", /) }
    /// Negation.
    public static prefix func - (a: Matrix) -> Matrix { a.map { -$0 } }

    /// Every entry times a scalar.
    public static func * (a: Matrix, s: Double) -> Matrix { a.map { $0 * s } }
    /// Every entry times a scalar.
    public static func * (s: Double, a: Matrix) -> Matrix { a.map { s * $0 } }
    /// Every entry divided by a scalar.
    public static func / (a: Matrix, s: Double) -> Matrix { a.map { $0 / s } }
    /// A scalar added to every entry.
    public static func + (a: Matrix, s: Double) -> Matrix { a.map { $0 + s } }
    /// A scalar subtracted from every entry.
    public static func - (a: Matrix, s: Double) -> Matrix { a.map { $0 - s } }

    /// A row vector added to every row (a bias: `X * W + b`).
    /// - Precondition: `b.count == cols`.
    public static func + (a: Matrix, b: [Double]) -> Matrix { a.addingToEachRow(b) }

    /// A row vector added to every row, reporting a mismatch at the caller's line.
    /// - Precondition: `b.count == cols`.
    public func addingToEachRow(_ b: [Double], file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        require(b.count == cols, "+: a bias of \(b.count) values cannot be added to rows of \(shapeDescription)",
                file, line)
        var out = values
        for i in 0..<rows { for j in 0..<cols { out[i * cols + j] += b[j] } }
        return Matrix(rows: rows, cols: cols, values: out)
    }

    /// `self += other`. - Precondition: same shapes.
    public static func += (a: inout Matrix, b: Matrix) { a = a + b }
}
