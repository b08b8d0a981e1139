/// The inner product q·k = Σ qᵢkᵢ.
/// - Precondition: same lengths.
public func dot(_ a: [Double], _ b: [Double], file: StaticString = #fileID, line: UInt = #line) -> Double {
    require(a.count == b.count, "dot: lengths \(a.count) and \(b.count) differ", file, line)
    var s = 0.0
    for i in a.indices { s += a[i] * b[i] }
    return s
}

/// The Euclidean length ‖v‖.
public func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

/// The cosine of the angle between two vectors, q·k / (‖q‖‖k‖); NaN when either is zero.
/// - Precondition: same lengths.
public func cosine(_ a: [Double], _ b: [Double], file: StaticString = #fileID, line: UInt = #line) -> Double {
    dot(a, b, file: file, line: line) / (norm(a) * norm(b))
}

/// The entrywise product q ⊙ k (whose sum is q·k).
/// - Precondition: same lengths.
public func hadamard(_ a: [Double], _ b: [Double], file: StaticString = #fileID, line: UInt = #line) -> [Double] {
    require(a.count == b.count, "hadamard: lengths \(a.count) and \(b.count) differ", file, line)
    return zip(a, b).map { $0 * $1 }
}

/// The Gram matrix X·Xᵀ: entry (i, j) is the inner product of rows i and j.
/// - Complexity: O(rows² · cols).
public func gram(_ x: Matrix) -> Matrix { x.matmulTransposed(x) }

/// The matrix of cosines between rows: entry (i, j) is cos(xᵢ, xⱼ).
public func cosineMatrix(_ x: Matrix) -> Matrix {
    let g = gram(x)
    let n = x.rowNorms
    return Matrix(rows: x.rows, cols: x.rows) { i, j in g[i, j] / (n[i] * n[j]) }
}

/// The rank of a matrix, by Gaussian elimination with partial pivoting and a relative tolerance.
/// - Complexity: O(rows · cols · min(rows, cols)).
public func rank(_ m: Matrix, tolerance: Double = 1e-10) -> Int {
    var a = m.rowArrays
    let scale = Swift.max(1, m.values.map(Swift.abs).max() ?? 0)
    var r = 0
    for c in 0..<m.cols where r < m.rows {
        let pivot = (r..<m.rows).max { Swift.abs(a[$0][c]) < Swift.abs(a[$1][c]) }!
        if Swift.abs(a[pivot][c]) <= tolerance * scale { continue }
        a.swapAt(r, pivot)
        for i in (r + 1)..<m.rows {
            let f = a[i][c] / a[r][c]
            for j in c..<m.cols { a[i][j] -= f * a[r][j] }
        }
        r += 1
    }
    return r
}
