/// LayerNorm over each row: (x − mean)/√(var + ε)·g + b, with the biased variance.
/// - Precondition: `gain` and `bias`, when given, have one value per column.
public func layerNorm(
    _ x: Matrix, gain: [Double]? = nil, bias: [Double]? = nil, epsilon: Double = 1e-5,
    file: StaticString = #fileID, line: UInt = #line
) -> Matrix {
    layerNorm(
        x, gain: gain.map { Matrix(row: $0) }, bias: bias.map { Matrix(row: $0) }, epsilon: epsilon,
        file: file, line: line)
}

/// LayerNorm with a gain and a bias given as single rows (1×d), so gradients flow to them.
///
/// Gradients, with x̂ the normalised row and σ = √(var + ε): ∂/∂b = Σ G, ∂/∂g = Σ G ⊙ x̂,
/// ∂/∂x = (Ĝ − mean(Ĝ) − x̂·mean(Ĝ ⊙ x̂))/σ where Ĝ = G ⊙ g.
/// - Precondition: `gain` and `bias`, when given, are 1×cols.
/// - Complexity: O(rows · cols).
public func layerNorm(
    _ x: Matrix, gain: Matrix?, bias: Matrix?, epsilon: Double = 1e-5,
    file: StaticString = #fileID, line: UInt = #line
) -> Matrix {
    let n = x.cols
    let g = gain?.values ?? Array(repeating: 1, count: n), b = bias?.values ?? Array(repeating: 0, count: n)
    require(
        g.count == n && b.count == n && (gain?.rows ?? 1) == 1 && (bias?.rows ?? 1) == 1,
        "layerNorm: gain \(gain?.shapeDescription ?? "-") and bias \(bias?.shapeDescription ?? "-") do not match rows of \(x.shapeDescription)",
        file, line)
    var out = x.values
    var normalised = x.values
    var inverseStd = [Double](repeating: 0, count: x.rows)
    x.values.withUnsafeBufferPointer { v in
        for i in 0..<x.rows {
            var m = 0.0
            for j in 0..<n { m += v[i * n + j] }
            m /= Double(n)
            var variance = 0.0
            for j in 0..<n { variance += (v[i * n + j] - m) * (v[i * n + j] - m) }
            variance /= Double(n)
            let d = (variance + epsilon).squareRoot()
            inverseStd[i] = 1 / d
            for j in 0..<n {
                normalised[i * n + j] = (v[i * n + j] - m) / d
                out[i * n + j] = normalised[i * n + j] * g[j] + b[j]
            }
        }
    }
    let y = Matrix(rows: x.rows, cols: n, values: out)
    guard let tape = Tape.of([x] + [gain, bias].compactMap { $0 }) else { return y }
    let inputs = [x, gain ?? Matrix(rows: 1, cols: n), bias ?? Matrix(rows: 1, cols: n)]
    let rows = x.rows
    return tape.record(y, inputs: inputs) { grad in
        var dx = [Double](repeating: 0, count: rows * n), dg = [Double](repeating: 0, count: n)
        var db = [Double](repeating: 0, count: n)
        grad.values.withUnsafeBufferPointer { gr in
            normalised.withUnsafeBufferPointer { xh in
                dx.withUnsafeMutableBufferPointer { dx in
                    dg.withUnsafeMutableBufferPointer { dg in
                        db.withUnsafeMutableBufferPointer { db in
                            for i in 0..<rows {
                                var meanG = 0.0, meanGX = 0.0
                                for j in 0..<n {
                                    let gij = gr[i * n + j], x = xh[i * n + j]
                                    db[j] += gij
                                    dg[j] += gij * x
                                    let gh = gij * g[j]
                                    meanG += gh
                                    meanGX += gh * x
                                }
                                meanG /= Double(n)
                                meanGX /= Double(n)
                                for j in 0..<n {
                                    dx[i * n + j] =
                                        (gr[i * n + j] * g[j] - meanG - xh[i * n + j] * meanGX) * inverseStd[i]
                                }
                            }
                        }
                    }
                }
            }
        }
        return [Matrix(rows: rows, cols: n, values: dx), Matrix(row: dg), Matrix(row: db)]
    }
}

/// A LayerNorm layer with a learned gain (ones at first) and bias (zeros), as `nn.LayerNorm`.
public struct LayerNorm: Layer, Sendable, Equatable, Codable {
    /// The gain g, 1×d.
    public var gain: Matrix
    /// The bias b, 1×d.
    public var bias: Matrix
    /// ε, inside the square root.
    public var epsilon: Double

    /// A LayerNorm of rows of width `width`: gain 1, bias 0.
    public init(_ width: Int, epsilon: Double = 1e-5) {
        gain = .ones(1, width)
        bias = .zeros(1, width)
        self.epsilon = epsilon
    }

    /// A LayerNorm with a given gain and bias, each a vector of one value per column.
    ///
    /// ```swift
    /// let norm = LayerNorm(gain: [1, 2], bias: [0, 0.5])
    /// ```
    /// - Precondition: `gain.count == bias.count`.
    public init(
        gain: [Double], bias: [Double], epsilon: Double = 1e-5, file: StaticString = #fileID, line: UInt = #line
    ) {
        require(
            gain.count == bias.count, "LayerNorm: the gain has \(gain.count) values but the bias \(bias.count)", file,
            line)
        self.init(gain.count, epsilon: epsilon)
        self.gain = Matrix(row: gain)
        self.bias = Matrix(row: bias)
    }

    /// `gain`, `bias`.
    public var parameters: [Parameter<Self>] { [Parameter("gain", \.gain), Parameter("bias", \.bias)] }

    /// Normalises every row of `x`.
    public func callAsFunction(_ x: Matrix, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        layerNorm(x, gain: gain, bias: bias, epsilon: epsilon, file: file, line: line)
    }
}
