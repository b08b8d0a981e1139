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

/// eˣ of every entry.
public func exp(_ x: Matrix) -> Matrix { x.elementwise(Elementary.exp) { _, y in y } }

/// The natural log of every entry.
public func log(_ x: Matrix) -> Matrix { x.elementwise(Elementary.log) { x, _ in 1 / x } }

/// tanh of every entry.
public func tanh(_ x: Matrix) -> Matrix { x.elementwise(Elementary.tanh) { _, y in 1 - y * y } }

/// The logistic sigmoid 1/(1 + e⁻ˣ) of every entry.
public func sigmoid(_ x: Matrix) -> Matrix {
    x.elementwise({ 1 / (1 + Elementary.exp(-$0)) }) { _, y in y * (1 - y) }
}

/// max(0, x) of every entry (derivative 0 at 0, as PyTorch).
public func relu(_ x: Matrix) -> Matrix { x.elementwise({ Swift.max(0, $0) }) { x, _ in x > 0 ? 1 : 0 } }

/// GELU of every entry, tanh form (see `gelu(_: Double)`).
public func gelu(_ x: Matrix) -> Matrix { x.elementwise(gelu, derivative: geluDerivative) }

/// d/dx of the tanh-form GELU.
func geluDerivative(_ x: Double, _: Double) -> Double {
    let c = (2 / Double.pi).squareRoot()
    let t = Elementary.tanh(c * (x + 0.044715 * x * x * x))
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x)
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
