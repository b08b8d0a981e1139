/// The sinusoidal positional encoding of "Attention Is All You Need", interleaved:
/// PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d)).
public func sinusoidalPositions(_ count: Int, _ dimension: Int) -> Matrix {
    Matrix(rows: count, cols: dimension) { p, j in
        let angle = Double(p) / Elementary.pow(10000, Double(j - j % 2) / Double(dimension))
        return j % 2 == 0 ? Elementary.sin(angle) : Elementary.cos(angle)
    }
}

/// LayerNorm over each row: (x − mean)/√(var + ε)·g + b, with the biased variance.
/// - Precondition: `gain` and `bias`, when given, have one value per column.
public func layerNorm(_ x: Matrix, gain: [Double]? = nil, bias: [Double]? = nil, epsilon: Double = 1e-5,
                      file: StaticString = #fileID, line: UInt = #line) -> Matrix {
    let g = gain ?? Array(repeating: 1, count: x.cols), b = bias ?? Array(repeating: 0, count: x.cols)
    require(g.count == x.cols && b.count == x.cols,
            "layerNorm: gain \(g.count) and bias \(b.count) do not match rows of \(x.shapeDescription)", file, line)
    var out = x.values
    for i in 0..<x.rows {
        let row = x.row(i)
        let m = mean(row)
        let variance = row.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.cols)
        let d = (variance + epsilon).squareRoot()
        for j in 0..<x.cols { out[i * x.cols + j] = (row[j] - m) / d * g[j] + b[j] }
    }
    return Matrix(rows: x.rows, cols: x.cols, values: out)
}

/// GELU, tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
public func gelu(_ x: Double) -> Double {
    0.5 * x * (1 + Elementary.tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
}

/// GELU of every entry.
public func gelu(_ x: Matrix) -> Matrix { x.map(gelu) }

/// The position-wise feed-forward network GELU(X·W₁ + b₁)·W₂ + b₂.
public struct FeedForward: Sendable, Equatable {
    /// W₁ [d_model, d_ff], b₁, W₂ [d_ff, d_model], b₂.
    public var w1: Matrix, b1: [Double], w2: Matrix, b2: [Double]

    /// Xavier-initialised weights with zero biases, seeded.
    public init(dModel: Int, hidden: Int, seed: UInt64) {
        w1 = .xavier(dModel, hidden, seed: seed)
        w2 = .xavier(hidden, dModel, seed: seed &+ 1)
        b1 = Array(repeating: 0, count: hidden)
        b2 = Array(repeating: 0, count: dModel)
    }

    /// Applies the network to every row.
    public func callAsFunction(_ x: Matrix, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        gelu(x.matmul(w1, file: file, line: line) + b1) * w2 + b2
    }
}

/// A pre-LayerNorm encoder block (as GPT-2 and the Annotated Transformer):
/// h = x + MHA(LN(x)); out = h + FFN(LN(h)).
public struct EncoderBlock: Sendable, Equatable {
    /// Self-attention.
    public var attention: MultiHeadAttention
    /// The feed-forward network.
    public var feedForward: FeedForward

    /// A seeded block of width `dModel`.
    public init(dModel: Int, heads: Int, hidden: Int, seed: UInt64) {
        attention = MultiHeadAttention(dModel: dModel, heads: heads, seed: seed)
        feedForward = FeedForward(dModel: dModel, hidden: hidden, seed: seed &+ 10)
    }

    /// Runs the block on `x`, with an optional padding mask.
    public func callAsFunction(_ x: Matrix, mask: Mask? = nil,
                               file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        let h = x + attention(layerNorm(x), mask: mask, file: file, line: line).output
        return h + feedForward(layerNorm(h))
    }
}

/// A pre-LayerNorm decoder block: masked self-attention, cross-attention over the encoder's
/// output, then the feed-forward network, each with a residual.
public struct DecoderBlock: Sendable, Equatable {
    /// Causal self-attention.
    public var selfAttention: MultiHeadAttention
    /// Attention from the decoder's queries to the encoder's keys and values.
    public var crossAttention: MultiHeadAttention
    /// The feed-forward network.
    public var feedForward: FeedForward

    /// A seeded block of width `dModel`.
    public init(dModel: Int, heads: Int, hidden: Int, seed: UInt64) {
        selfAttention = MultiHeadAttention(dModel: dModel, heads: heads, seed: seed)
        crossAttention = MultiHeadAttention(dModel: dModel, heads: heads, seed: seed &+ 20)
        feedForward = FeedForward(dModel: dModel, hidden: hidden, seed: seed &+ 30)
    }

    /// Runs the block on the decoder input `y` with the encoder output `memory`.
    public func callAsFunction(_ y: Matrix, memory: Matrix, memoryMask: Mask? = nil,
                               file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        let a = y + selfAttention(layerNorm(y), mask: .causal(y.rows), file: file, line: line).output
        let c = a + crossAttention(layerNorm(a), context: memory, mask: memoryMask, file: file, line: line).output
        return c + feedForward(layerNorm(c))
    }
}
