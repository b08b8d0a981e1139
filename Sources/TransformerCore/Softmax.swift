/// The softmax of a vector at a temperature: exp(xᵢ/T) / Σ exp(xⱼ/T), max-subtracted so that it
/// is stable on [1000, 1000, 1000].
///
/// A vector whose entries are all −∞ (a fully masked row) gives all zeros, not NaN.
/// - Precondition: `temperature > 0`.
public func softmax(
    _ x: [Double], temperature: Double = 1,
    file: StaticString = #fileID, line: UInt = #line
) -> [Double] {
    require(temperature > 0, "softmax: temperature \(temperature) is not positive", file, line)
    var out = x
    out.withUnsafeMutableBufferPointer { softmaxInPlace($0, temperature: temperature) }
    return out
}

/// Softmax along each row: every row becomes a probability distribution over the keys.
///
/// Gradient: ∂/∂X = A ⊙ (G − rowsum(G ⊙ A)) / T, with A the result.
/// - Complexity: O(rows · cols).
public func softmaxRows(
    _ x: Matrix, temperature: Double = 1,
    file: StaticString = #fileID, line: UInt = #line
) -> Matrix {
    require(temperature > 0, "softmax: temperature \(temperature) is not positive", file, line)
    var out = x.values
    let n = x.cols
    out.withUnsafeMutableBufferPointer { v in
        for i in 0..<x.rows {
            let row = UnsafeMutableBufferPointer(rebasing: v[i * n..<(i + 1) * n])
            softmaxInPlace(row, temperature: temperature)
        }
    }
    let a = Matrix(rows: x.rows, cols: x.cols, values: out)
    return .recording(a, x) { { g in [softmaxPullback(a, g) / temperature] } }
}

/// A ⊙ (G − rowsum(G ⊙ A)): the gradient of the scores given that of the weights A.
func softmaxPullback(_ a: Matrix, _ g: Matrix) -> Matrix {
    var out = g.values
    let n = a.cols
    a.values.withUnsafeBufferPointer { p in
        out.withUnsafeMutableBufferPointer { d in
            for i in 0..<a.rows {
                var dot = 0.0
                for j in 0..<n { dot += d[i * n + j] * p[i * n + j] }
                for j in 0..<n { d[i * n + j] = p[i * n + j] * (d[i * n + j] - dot) }
            }
        }
    }
    return Matrix(rows: a.rows, cols: n, values: out)
}

/// The log of the softmax of each row, computed stably: x − max − log Σ exp(x − max).
///
/// Gradient: G − softmax(X) · rowsum(G).
/// - Complexity: O(rows · cols).
public func logSoftmaxRows(_ x: Matrix) -> Matrix {
    var out = x.values
    var probabilities = x.values
    let n = x.cols
    for i in 0..<x.rows {
        var m = -Double.infinity
        for j in 0..<n where out[i * n + j] > m { m = out[i * n + j] }
        let s = probabilities.withUnsafeMutableBufferPointer { p in
            exponentiate(UnsafeMutableBufferPointer(rebasing: p[i * n..<(i + 1) * n]), shift: m)
        }
        let logSum = Elementary.log(s)
        for j in 0..<n {
            out[i * n + j] -= m + logSum
            probabilities[i * n + j] /= s
        }
    }
    let p = Matrix(rows: x.rows, cols: n, values: probabilities)
    return .recording(Matrix(rows: x.rows, cols: n, values: out), x) {
        { g in
            var d = g.values
            for i in 0..<g.rows {
                var total = 0.0
                for j in 0..<n { total += g.values[i * n + j] }
                for j in 0..<n { d[i * n + j] -= p.values[i * n + j] * total }
            }
            return [Matrix(rows: g.rows, cols: n, values: d)]
        }
    }
}

/// Softmax down each column (what attention does not do; shown for contrast).
public func softmaxColumns(
    _ x: Matrix, temperature: Double = 1,
    file: StaticString = #fileID, line: UInt = #line
) -> Matrix {
    softmaxRows(x.transposed, temperature: temperature, file: file, line: line).transposed
}

/// Softmax over every entry at once (what attention does not do; shown for contrast).
public func softmaxAll(
    _ x: Matrix, temperature: Double = 1,
    file: StaticString = #fileID, line: UInt = #line
) -> Matrix {
    softmaxRows(x.reshaped(1, x.rows * x.cols), temperature: temperature, file: file, line: line).reshaped(
        x.rows, x.cols)
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
    let s = exponentiate(row, shift: m, divisor: temperature)
    for k in row.indices { row[k] /= s }
}
