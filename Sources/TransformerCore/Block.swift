/// The sinusoidal positional encoding of "Attention Is All You Need", interleaved:
/// PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d)).
public func sinusoidalPositions(_ count: Int, _ dimension: Int) -> Matrix {
    Matrix(rows: count, cols: dimension) { p, j in
        let angle = Double(p) / Elementary.pow(10000, Double(j - j % 2) / Double(dimension))
        return j % 2 == 0 ? Elementary.sin(angle) : Elementary.cos(angle)
    }
}

/// GELU, tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
public func gelu(_ x: Double) -> Double {
    0.5 * x * (1 + Elementary.tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
}

/// The position-wise feed-forward network GELU(X·W₁ + b₁)·W₂ + b₂, with dropout on the hidden
/// layer in training (the Annotated Transformer's `w_2(dropout(relu(w_1(x))))`).
public struct FeedForward: Layer, Sendable, Equatable, Codable {
    /// W₁ [d_model, d_ff], b₁ (1×d_ff), W₂ [d_ff, d_model], b₂ (1×d_model).
    public var w1: Matrix, b1: Matrix, w2: Matrix, b2: Matrix
    /// Dropout on GELU(X·W₁ + b₁); rate 0 unless asked.
    public var dropout = Dropout(probability: 0)

    /// Xavier-initialised weights with zero biases, seeded; `dropout` is the hidden layer's rate.
    public init(dModel: Int, hidden: Int, dropout: Double = 0, seed: UInt64) {
        w1 = .xavier(dModel, hidden, seed: seed)
        w2 = .xavier(hidden, dModel, seed: seed &+ 1)
        b1 = .zeros(1, hidden)
        b2 = .zeros(1, dModel)
        self.dropout = Dropout(probability: dropout)
    }

    /// `w1`, `b1`, `w2`, `b2`.
    public var parameters: [Parameter<Self>] {
        [Parameter("w1", \.w1), Parameter("b1", \.b1), Parameter("w2", \.w2), Parameter("b2", \.b2)]
    }

    /// Applies the network to every row; in training the hidden layer gets the mask of
    /// `dropoutSeed`.
    /// - Precondition: a seed is given when dropout is on (training, rate above 0).
    public func callAsFunction(
        _ x: Matrix, dropoutSeed: UInt64? = nil, file: StaticString = #fileID, line: UInt = #line
    ) -> Matrix {
        let hidden = gelu(x.matmul(w1, file: file, line: line) + b1)
        return dropout.apply(hidden, seed: dropoutSeed, site: 0, in: "feed-forward", file: file, line: line) * w2 + b2
    }

    /// The network without dropout, whatever the mode.
    func evaluated(_ x: Matrix, file: StaticString, line: UInt) -> Matrix {
        gelu(x.matmul(w1, file: file, line: line) + b1) * w2 + b2
    }
}

/// A pre-LayerNorm encoder block (as GPT-2 and the Annotated Transformer):
/// h = x + MHA(LN₁(x)); out = h + FFN(LN₂(h)).
///
/// In training, dropout acts where the Annotated Transformer puts it: on the attention weights,
/// on each sub-layer's output before its residual (`dropout1`, `dropout2`, as
/// `nn.TransformerEncoderLayer`), and on the feed-forward network's hidden layer.
public struct EncoderBlock: Layer, Sendable, Equatable, Codable {
    /// The LayerNorm before attention.
    public var norm1: LayerNorm
    /// Self-attention.
    public var attention: MultiHeadAttention
    /// The LayerNorm before the feed-forward network.
    public var norm2: LayerNorm
    /// The feed-forward network.
    public var feedForward: FeedForward
    /// Dropout on attention's output and on the feed-forward network's, before each residual.
    public var dropout1 = Dropout(probability: 0), dropout2 = Dropout(probability: 0)

    /// A seeded block of width `dModel`; `bias` gives attention's projections biases; `dropout`
    /// is the rate of every dropout inside (0: none, the results of a block without dropout).
    public init(dModel: Int, heads: Int, hidden: Int, bias: Bool = false, dropout: Double = 0, seed: UInt64) {
        norm1 = LayerNorm(dModel)
        attention = MultiHeadAttention(dModel: dModel, heads: heads, bias: bias, dropout: dropout, seed: seed)
        norm2 = LayerNorm(dModel)
        feedForward = FeedForward(dModel: dModel, hidden: hidden, dropout: dropout, seed: seed &+ 10)
        (dropout1, dropout2) = (Dropout(probability: dropout), Dropout(probability: dropout))
    }

    /// `norm1.…`, `attention.…`, `norm2.…`, `feedForward.…`.
    public var parameters: [Parameter<Self>] {
        parameters(of: \.norm1, named: "norm1") + parameters(of: \.attention, named: "attention")
            + parameters(of: \.norm2, named: "norm2") + parameters(of: \.feedForward, named: "feedForward")
    }

    /// Runs the block on one sequence `x`, with an optional mask: the form that shows one
    /// sequence, which never drops (the batched form applies dropout in training).
    public func callAsFunction(
        _ x: Matrix, mask: Mask? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Matrix {
        let h = x + attention(norm1(x), mask: mask, file: file, line: line).output
        return h + feedForward.evaluated(norm2(h), file: file, line: line)
    }

    /// Runs the block on a batch of `sequences` sequences stacked in `x`; keys past
    /// `keyLengths[b]` are padding.
    ///
    /// In training, dropout draws its masks from `dropoutSeed` (sites 0–3: attention weights, `dropout1`, the feed-forward network, `dropout2`).
    /// - Precondition: a seed is given when dropout is on (training, rate above 0).
    public func callAsFunction(
        _ x: Matrix, sequences: Int, keyLengths: [Int]? = nil, dropoutSeed: UInt64? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Matrix {
        let s = dropoutSeed
        let a = attention(
            norm1(x), sequences: sequences, keyLengths: keyLengths, dropoutSeed: s.map { siteSeed($0, 0) },
            file: file, line: line)
        let h = x + dropout1.apply(a, seed: s, site: 1, in: "EncoderBlock", file: file, line: line)
        let f = feedForward(norm2(h), dropoutSeed: s.map { siteSeed($0, 2) }, file: file, line: line)
        return h + dropout2.apply(f, seed: s, site: 3, in: "EncoderBlock", file: file, line: line)
    }
}

/// A pre-LayerNorm decoder block: masked self-attention, cross-attention over the encoder's
/// output, then the feed-forward network, each after a LayerNorm and with a residual.
///
/// In training, dropout acts on both attentions' weights, on each sub-layer's output before its
/// residual (`dropout1`…`dropout3`, as `nn.TransformerDecoderLayer`) and in the feed-forward network.
public struct DecoderBlock: Layer, Sendable, Equatable, Codable {
    /// The LayerNorms before self-attention, cross-attention and the feed-forward network.
    public var norm1: LayerNorm, norm2: LayerNorm, norm3: LayerNorm
    /// Causal self-attention.
    public var selfAttention: MultiHeadAttention
    /// Attention from the decoder's queries to the encoder's keys and values.
    public var crossAttention: MultiHeadAttention
    /// The feed-forward network.
    public var feedForward: FeedForward
    /// Dropout on each sub-layer's output, before its residual.
    public var dropout1 = Dropout(probability: 0), dropout2 = Dropout(probability: 0),
        dropout3 = Dropout(probability: 0)

    /// A seeded block of width `dModel`; `bias` gives attention's projections biases; `dropout`
    /// is the rate of every dropout inside.
    public init(dModel: Int, heads: Int, hidden: Int, bias: Bool = false, dropout: Double = 0, seed: UInt64) {
        (norm1, norm2, norm3) = (LayerNorm(dModel), LayerNorm(dModel), LayerNorm(dModel))
        selfAttention = MultiHeadAttention(dModel: dModel, heads: heads, bias: bias, dropout: dropout, seed: seed)
        crossAttention = MultiHeadAttention(
            dModel: dModel, heads: heads, bias: bias, dropout: dropout, seed: seed &+ 20)
        feedForward = FeedForward(dModel: dModel, hidden: hidden, dropout: dropout, seed: seed &+ 30)
        (dropout1, dropout2, dropout3) = (
            Dropout(probability: dropout), Dropout(probability: dropout), Dropout(probability: dropout)
        )
    }

    /// `norm1`, `selfAttention`, `norm2`, `crossAttention`, `norm3`, `feedForward`.
    public var parameters: [Parameter<Self>] {
        parameters(of: \.norm1, named: "norm1") + parameters(of: \.selfAttention, named: "selfAttention")
            + parameters(of: \.norm2, named: "norm2") + parameters(of: \.crossAttention, named: "crossAttention")
            + parameters(of: \.norm3, named: "norm3") + parameters(of: \.feedForward, named: "feedForward")
    }

    /// Runs the block on the decoder input `y` with the encoder output `memory`: the form that
    /// shows one sequence, which never drops.
    public func callAsFunction(
        _ y: Matrix, memory: Matrix, memoryMask: Mask? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Matrix {
        let a = y + selfAttention(norm1(y), mask: .causal(y.rows), file: file, line: line).output
        let c = a + crossAttention(norm2(a), context: memory, mask: memoryMask, file: file, line: line).output
        return c + feedForward.evaluated(norm3(c), file: file, line: line)
    }

    /// Runs the block on a batch: `y` and `memory` each hold `sequences` stacked sequences;
    /// memory keys past `memoryLengths[b]` are padding.
    ///
    /// In training, dropout draws its masks from `dropoutSeed` (sites 0–5: self-attention, `dropout1`, cross-attention, `dropout2`, the
    /// feed-forward network, `dropout3`).
    /// - Precondition: a seed is given when dropout is on (training, rate above 0).
    public func callAsFunction(
        _ y: Matrix, memory: Matrix, sequences: Int, memoryLengths: [Int]? = nil, dropoutSeed: UInt64? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Matrix {
        let s = dropoutSeed
        let sa = selfAttention(
            norm1(y), sequences: sequences, causal: true, dropoutSeed: s.map { siteSeed($0, 0) }, file: file,
            line: line)
        let a = y + dropout1.apply(sa, seed: s, site: 1, in: "DecoderBlock", file: file, line: line)
        let ca = crossAttention(
            norm2(a), context: memory, sequences: sequences, keyLengths: memoryLengths,
            dropoutSeed: s.map { siteSeed($0, 2) }, file: file, line: line)
        let c = a + dropout2.apply(ca, seed: s, site: 3, in: "DecoderBlock", file: file, line: line)
        let f = feedForward(norm3(c), dropoutSeed: s.map { siteSeed($0, 4) }, file: file, line: line)
        return c + dropout3.apply(f, seed: s, site: 5, in: "DecoderBlock", file: file, line: line)
    }
}
