/// Multi-head attention with weights stored [in, out]: head h uses columns h·d_k..<(h+1)·d_k of
/// Q, K and V; the heads' outputs are concatenated in order, then multiplied by W_O.
///
/// With `heads: 1` it is single-head attention with projections. Queries come from `x`; keys and
/// values from `context` when given (cross-attention), else from `x` (self-attention).
public struct MultiHeadAttention: Layer, Sendable, Equatable, Codable {
    /// The query projection [d_model, heads·d_k].
    public var wQ: Matrix
    /// The key projection [d_kv, heads·d_k].
    public var wK: Matrix
    /// The value projection [d_kv, heads·d_v].
    public var wV: Matrix
    /// The output projection [heads·d_v, d_out].
    public var wO: Matrix
    /// Optional biases, single rows (1×width), one value per output column.
    public var bQ, bK, bV, bO: Matrix?
    /// The number of heads.
    public let heads: Int
    /// Dropout on the attention weights, after the softmax and before they weigh V.
    ///
    /// As the Annotated Transformer's and `nn.MultiheadAttention`'s `dropout`; rate 0 unless
    /// asked. It acts in the batched form, which models train with.
    public var dropout = Dropout(probability: 0)

    /// Attention from given weights, with biases given as single rows (1×width).
    ///
    /// ```swift
    /// let w: Matrix = [[1, 0], [0, 1]]
    /// let head = MultiHeadAttention(wQ: w, wK: w, wV: w, wO: w, bQ: [[0.1, 0.2]])
    /// ```
    /// - Precondition: W_Q and W_K have the same width, divisible by `heads`; W_V's width is divisible by
    ///   `heads`; W_O has W_V's width as its height.
    public init(
        wQ: Matrix, wK: Matrix, wV: Matrix, wO: Matrix, bQ: Matrix? = nil, bK: Matrix? = nil,
        bV: Matrix? = nil, bO: Matrix? = nil, heads: Int = 1,
        file: StaticString = #fileID, line: UInt = #line
    ) {
        require(heads > 0, "MultiHeadAttention: \(heads) heads", file, line)
        require(
            wQ.cols == wK.cols, "MultiHeadAttention: W_Q is \(wQ.shapeDescription) but W_K is \(wK.shapeDescription)",
            file, line)
        require(
            wQ.cols % heads == 0 && wV.cols % heads == 0,
            "MultiHeadAttention: widths \(wQ.cols) and \(wV.cols) do not split into \(heads) heads", file, line)
        require(
            wO.rows == wV.cols, "MultiHeadAttention: W_V is \(wV.shapeDescription) but W_O is \(wO.shapeDescription)",
            file, line)
        for (name, b, w) in [("b_Q", bQ, wQ), ("b_K", bK, wK), ("b_V", bV, wV), ("b_O", bO, wO)] {
            if let b {
                require(
                    b.rows == 1 && b.cols == w.cols,
                    "MultiHeadAttention: \(name) is \(b.shapeDescription) but should be 1×\(w.cols)", file, line)
            }
        }
        (self.wQ, self.wK, self.wV, self.wO, self.bQ, self.bK, self.bV, self.bO, self.heads) =
            (wQ, wK, wV, wO, bQ, bK, bV, bO, heads)
    }

    /// Attention from given weights, with biases given as vectors, one value per output column
    /// (the spelling the API had before biases became rows that gradients reach).
    ///
    /// ```swift
    /// let w: Matrix = [[1, 0], [0, 1]]
    /// let head = MultiHeadAttention(wQ: w, wK: w, wV: w, wO: w, bQ: [0.1, 0.2])
    /// ```
    /// - Precondition: as the `Matrix` form; each bias has its projection's width.
    @_disfavoredOverload
    public init(
        wQ: Matrix, wK: Matrix, wV: Matrix, wO: Matrix, bQ: [Double]? = nil, bK: [Double]? = nil,
        bV: [Double]? = nil, bO: [Double]? = nil, heads: Int = 1,
        file: StaticString = #fileID, line: UInt = #line
    ) {
        let row = { (b: [Double]?) in b.map { Matrix(row: $0) } }
        self.init(
            wQ: wQ, wK: wK, wV: wV, wO: wO, bQ: row(bQ), bK: row(bK), bV: row(bV), bO: row(bO), heads: heads,
            file: file, line: line)
    }

    /// Xavier-initialised weights, seeded: d_model → d_model with `heads` heads; with `bias`,
    /// zero biases on the four projections (as PyTorch's `nn.MultiheadAttention`); `dropout` is
    /// the rate on the attention weights.
    public init(
        dModel: Int, heads: Int, contextWidth: Int? = nil, bias: Bool = false, dropout: Double = 0, seed: UInt64,
        file: StaticString = #fileID, line: UInt = #line
    ) {
        let dkv = contextWidth ?? dModel
        let zero: Matrix? = bias ? .zeros(1, dModel) : nil
        self.init(
            wQ: .xavier(dModel, dModel, seed: seed), wK: .xavier(dkv, dModel, seed: seed &+ 1),
            wV: .xavier(dkv, dModel, seed: seed &+ 2), wO: .xavier(dModel, dModel, seed: seed &+ 3),
            bQ: zero, bK: zero, bV: zero, bO: zero, heads: heads, file: file, line: line)
        self.dropout = Dropout(probability: dropout)
    }

    /// `wQ`, `bQ`, `wK`, `bK`, `wV`, `bV`, `wO`, `bO` (the biases that are present).
    public var parameters: [Parameter<Self>] {
        var out = [Parameter("wQ", \Self.wQ)]
        if bQ != nil { out.append(Parameter("bQ", \Self.bQ!)) }
        out.append(Parameter("wK", \Self.wK))
        if bK != nil { out.append(Parameter("bK", \Self.bK!)) }
        out.append(Parameter("wV", \Self.wV))
        if bV != nil { out.append(Parameter("bV", \Self.bV!)) }
        out.append(Parameter("wO", \Self.wO))
        if bO != nil { out.append(Parameter("bO", \Self.bO!)) }
        return out
    }

    /// The per-head query/key width d_k.
    public var headWidth: Int { wQ.cols / heads }

    /// Runs attention: queries from `x`, keys and values from `context` (or `x`).
    ///
    /// The form that shows every intermediate value: it never drops (the weights it returns are
    /// the softmax's); the batched form applies `dropout`.
    /// - Precondition: `x` has W_Q's height as width; `context` W_K's; the mask is n_q×n_k.
    /// - Complexity: O(n·d_model² + n_q·n_k·d_model).
    public func callAsFunction(
        _ x: Matrix, context: Matrix? = nil, mask: Mask? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> MultiHeadResult {
        let kv = context ?? x
        require(
            x.cols == wQ.rows, "attention: X is \(x.shapeDescription) but W_Q is \(wQ.shapeDescription)", file, line)
        require(
            kv.cols == wK.rows,
            "attention: the keys' input is \(kv.shapeDescription) but W_K is \(wK.shapeDescription)", file, line)
        let q = project(x, wQ, bQ), k = project(kv, wK, bK), v = project(kv, wV, bV)
        let perHead = (0..<heads).map { h in
            attention(
                q.columnBlock(h, of: heads), k.columnBlock(h, of: heads), v.columnBlock(h, of: heads),
                mask: mask, file: file, line: line)
        }
        let concat = Matrix.hstack(perHead.map(\.output))
        return MultiHeadResult(
            queries: q, keys: k, values: v, heads: perHead, concat: concat,
            output: project(concat, wO, bO))
    }

    func project(_ x: Matrix, _ w: Matrix, _ b: Matrix?) -> Matrix {
        let y = x * w
        return b.map { y + $0 } ?? y
    }
}

/// What multi-head attention computed: the full projections, each head's attention, the
/// concatenation and the output.
public struct MultiHeadResult: Sendable, Equatable, Codable {
    /// Q = X·W_Q + b_Q, all heads side by side.
    public let queries: Matrix
    /// K = C·W_K + b_K.
    public let keys: Matrix
    /// V = C·W_V + b_V.
    public let values: Matrix
    /// Each head's attention, in order.
    public let heads: [Attention]
    /// The heads' outputs side by side.
    public let concat: Matrix
    /// concat·W_O + b_O.
    public let output: Matrix
}
