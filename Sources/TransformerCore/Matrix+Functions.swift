/// The entrywise functions a network uses, each with its derivative, so gradients flow through
/// them.
extension Matrix {
    /// `f` of every entry, recorded with the derivative `df(x, f(x))` for gradients.
    @inline(__always)
    func elementwise(_ f: (Double) -> Double, derivative: @escaping (Double, Double) -> Double) -> Matrix {
        var out = values
        out.withUnsafeMutableBufferPointer { o in for i in 0..<o.count { o[i] = f(o[i]) } }
        let y = Matrix(rows: rows, cols: cols, values: out)
        return .recording(y, self) {
            let x = detached
            return { g in
                var d = g.values
                for i in 0..<d.count { d[i] *= derivative(x.values[i], y.values[i]) }
                return [Matrix(rows: g.rows, cols: g.cols, values: d)]
            }
        }
    }

    /// The only entry of a 1×1 matrix (a loss).
    /// - Precondition: the matrix is 1×1.
    public var scalar: Double {
        require(rows == 1 && cols == 1, "scalar: the matrix is \(shapeDescription), not 1×1", #fileID, #line)
        return values[0]
    }
}

/// eˣ of every entry (within 2 ulp of the C library's `exp`; see `fastExp`).
public func exp(_ x: Matrix) -> Matrix { x.elementwise(fastExp) { _, y in y } }

/// The natural log of every entry.
public func log(_ x: Matrix) -> Matrix { x.elementwise(Elementary.log) { x, _ in 1 / x } }

/// tanh of every entry.
public func tanh(_ x: Matrix) -> Matrix { x.elementwise(Elementary.tanh) { _, y in 1 - y * y } }

/// The logistic sigmoid 1/(1 + e⁻ˣ) of every entry.
public func sigmoid(_ x: Matrix) -> Matrix {
    x.elementwise({ 1 / (1 + fastExp(-$0)) }, derivative: { _, y in y * (1 - y) })
}

/// max(0, x) of every entry (derivative 0 at 0, as PyTorch).
public func relu(_ x: Matrix) -> Matrix { x.elementwise({ Swift.max(0, $0) }, derivative: { x, _ in x > 0 ? 1 : 0 }) }

/// GELU of every entry, tanh form (see `gelu(_: Double)`), computed as x·σ(2u) with
/// u = √(2/π)(x + 0.044715x³): the same function, since ½(1 + tanh u) = σ(2u), but one `exp` per
/// entry instead of a `tanh`, and no cancellation near 0.
///
/// σ(2u) is kept for the derivative ½(1 + t) + ½x(1 − t²)u′ = s + 2x·s(1 − s)·√(2/π)(1 +
/// 3·0.044715x²), with s = σ(2u).
public func gelu(_ x: Matrix) -> Matrix {
    let c = (2 / Double.pi).squareRoot()
    let n = x.values.count
    var s = [Double](repeating: 0, count: n), y = [Double](repeating: 0, count: n)
    x.values.withUnsafeBufferPointer { v in
        s.withUnsafeMutableBufferPointer { s in
            y.withUnsafeMutableBufferPointer { y in geluForward(v, sigma: s, output: y) }
        }
    }
    return .recording(Matrix(rows: x.rows, cols: x.cols, values: y), x) {
        let x = x.detached
        return { g in
            var d = g.values
            x.values.withUnsafeBufferPointer { v in
                s.withUnsafeBufferPointer { s in
                    d.withUnsafeMutableBufferPointer { d in
                        for i in 0..<n {
                            let (xi, si) = (v[i], s[i])
                            d[i] *= si + 2 * xi * si * (1 - si) * c * (1 + 3 * 0.044715 * xi * xi)
                        }
                    }
                }
            }
            return [Matrix(rows: g.rows, cols: g.cols, values: d)]
        }
    }
}

/// The sum of every entry, as a 1×1 matrix gradients flow through.
public func sum(_ x: Matrix) -> Matrix {
    .recording(Matrix(rows: 1, cols: 1, values: [x.sum]), x) {
        let (r, c) = (x.rows, x.cols)
        return { g in [Matrix(rows: r, cols: c, repeating: g.values[0])] }
    }
}

/// The mean of every entry, as a 1×1 matrix gradients flow through.
public func mean(_ x: Matrix) -> Matrix { sum(x) / Double(x.rows * x.cols) }
