/// The softmax of a vector at a temperature: exp(xᵢ/T) / Σ exp(xⱼ/T), max-subtracted so that it
/// is stable on [1000, 1000, 1000].
///
/// A vector whose entries are all −∞ (a fully masked row) gives all zeros, not NaN.
/// - Precondition: `temperature > 0`.
public func softmax(_ x: [Double], temperature: Double = 1,
                    file: StaticString = #fileID, line: UInt = #line) -> [Double] {
    require(temperature > 0, "softmax: temperature \(temperature) is not positive", file, line)
    var out = x
    out.withUnsafeMutableBufferPointer { softmaxInPlace($0, temperature: temperature) }
    return out
}

/// Softmax along each row: every row becomes a probability distribution over the keys.
/// - Complexity: O(rows · cols).
public func softmaxRows(_ x: Matrix, temperature: Double = 1,
                        file: StaticString = #fileID, line: UInt = #line) -> Matrix {
    require(temperature > 0, "softmax: temperature \(temperature) is not positive", file, line)
    var out = x.values
    let n = x.cols
    out.withUnsafeMutableBufferPointer { v in
        for i in 0..<x.rows {
            let row = UnsafeMutableBufferPointer(rebasing: v[i * n..<(i + 1) * n])
            softmaxInPlace(row, temperature: temperature)
        }
    }
    return Matrix(rows: x.rows, cols: x.cols, values: out)
}

/// Softmax down each column (what attention does not do; shown for contrast).
public func softmaxColumns(_ x: Matrix, temperature: Double = 1,
                           file: StaticString = #fileID, line: UInt = #line) -> Matrix {
    softmaxRows(x.transposed, temperature: temperature, file: file, line: line).transposed
}

/// Softmax over every entry at once (what attention does not do; shown for contrast).
public func softmaxAll(_ x: Matrix, temperature: Double = 1,
                       file: StaticString = #fileID, line: UInt = #line) -> Matrix {
    Matrix(rows: x.rows, cols: x.cols, values: softmax(x.values, temperature: temperature, file: file, line: line))
}

/// The Shannon entropy −Σ pᵢ ln pᵢ in nats (0 ln 0 = 0).
public func entropy(_ p: [Double]) -> Double {
    -p.reduce(0) { $0 + ($1 > 0 ? $1 * Elementary.log($1) : 0) }
}

/// The Jacobian of softmax at output p: ∂pᵢ/∂xⱼ = diag(p) − ppᵀ.
public func softmaxJacobian(_ p: [Double]) -> Matrix {
    Matrix(rows: p.count, cols: p.count) { i, j in (i == j ? p[i] : 0) - p[i] * p[j] }
}

/// Softmax of one row in place; a row of all −∞ becomes zeros.
@inline(__always)
func softmaxInPlace(_ row: UnsafeMutableBufferPointer<Double>, temperature: Double) {
    var m = -Double.infinity
    for x in row where x > m { m = x }
    if m == -.infinity {
        for k in row.indices { row[k] = 0 }
        return
    }
    var s = 0.0
    for k in row.indices {
        let e = Elementary.exp((row[k] - m) / temperature)
        row[k] = e
        s += e
    }
    for k in row.indices { row[k] /= s }
}
