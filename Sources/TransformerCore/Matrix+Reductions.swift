extension Matrix {
    /// The sum of each row (length `rows`).
    public var rowSums: [Double] { (0..<rows).map { sumOf(row($0)) } }
    /// The sum of each column (length `cols`).
    public var columnSums: [Double] {
        var out = [Double](repeating: 0, count: cols)
        let n = cols
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<rows { for j in 0..<n { o[j] += v[i * n + j] } }
            }
        }
        return out
    }
    /// The mean of each row.
    public var rowMeans: [Double] { rowSums.map { $0 / Double(cols) } }
    /// The mean of each column.
    public var columnMeans: [Double] { columnSums.map { $0 / Double(rows) } }
    /// The largest entry of each row.
    public var rowMaxima: [Double] { (0..<rows).map { row($0).max() ?? -.infinity } }
    /// The column index of the largest entry of each row (the first one on ties).
    public var rowArgmax: [Int] { (0..<rows).map { argmax(row($0)) } }
    /// The sum of every entry.
    public var sum: Double { sumOf(values) }
    /// The mean of every entry.
    public var mean: Double { values.isEmpty ? .nan : sum / Double(values.count) }
    /// The population standard deviation of every entry.
    public var std: Double { standardDeviation(values) }
    /// The largest entry.
    public var max: Double { values.max() ?? -.infinity }
    /// The smallest entry.
    public var min: Double { values.min() ?? .infinity }
    /// The Frobenius norm √(Σ aᵢⱼ²).
    public var frobeniusNorm: Double { values.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    /// The Euclidean norm of each row.
    public var rowNorms: [Double] { (0..<rows).map { norm(row($0)) } }
    /// The largest absolute difference from another matrix of the same shape.
    /// - Precondition: same shapes.
    public func maxAbsDifference(_ other: Matrix, file: StaticString = #fileID, line: UInt = #line) -> Double {
        zipWith(other, "maxAbsDifference", file: file, line: line) { Swift.abs($0 - $1) }.max
    }
    /// The spectral norm (largest singular value), by power iteration on AᵀA.
    /// - Complexity: O(iterations · rows · cols).
    public func spectralNorm(iterations: Int = 200) -> Double {
        guard rows > 0, cols > 0 else { return 0 }
        let gram = transposed * self
        // A seeded random start: a uniform one lies in the null space of matrices whose rows sum
        // to 0 (softmax's Jacobian), where power iteration only amplifies rounding noise.
        var v = Matrix.randomNormal(cols, 1, seed: 0x5EED).values
        var lambda = 0.0
        for _ in 0..<iterations {
            let w = (gram * Matrix(column: v)).values
            let n = norm(w)
            if n == 0 { return 0 }
            lambda = n
            v = w.map { $0 / n }
        }
        return lambda.squareRoot()
    }
}

/// The sum of a vector, left to right.
public func sumOf(_ v: [Double]) -> Double { v.reduce(0, +) }
/// The mean of a vector.
public func mean(_ v: [Double]) -> Double { v.isEmpty ? .nan : sumOf(v) / Double(v.count) }
/// The population standard deviation of a vector (divides by n, as numpy's `std`).
public func standardDeviation(_ v: [Double]) -> Double {
    let m = mean(v)
    return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)).squareRoot()
}
/// The index of the largest entry (the first one on ties); -1 for an empty vector.
public func argmax(_ v: [Double]) -> Int {
    guard var best = v.indices.first else { return -1 }
    for i in v.indices where v[i] > v[best] { best = i }
    return best
}
