/// A long short-term memory step, as `torch.nn.LSTMCell`.
///
/// Weights are stored [in, out], the gates' columns in PyTorch's order i | f | g | o:
///
/// i = σ(·), f = σ(·), g = tanh(·), o = σ(·) of x W_i· + b_i· + h W_h· + b_h·;
/// c′ = f ⊙ c + i ⊙ g, h′ = o ⊙ tanh(c′).
///
/// Gradients flow to the input, both states and all four parameters.
public struct LSTMCell: Layer, Sendable, Equatable, Codable {
    /// W_ih [inputs, 4·hidden] (PyTorch's `weight_ih` transposed).
    public var weightIH: Matrix
    /// W_hh [hidden, 4·hidden].
    public var weightHH: Matrix
    /// b_ih and b_hh, 1×4·hidden each.
    public var biasIH: Matrix, biasHH: Matrix

    /// A cell initialised as PyTorch's: every weight and bias uniform in ±1/√hidden, seeded.
    public init(inputs: Int, hidden: Int, seed: UInt64) {
        (weightIH, weightHH, biasIH, biasHH) = recurrentWeights(inputs: inputs, hidden: hidden, gates: 4, seed: seed)
    }

    /// The width of the state.
    public var hidden: Int { weightHH.rows }

    /// `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`, as PyTorch names them.
    public var parameters: [Parameter<Self>] {
        [
            Parameter("weight_ih", \.weightIH), Parameter("weight_hh", \.weightHH), Parameter("bias_ih", \.biasIH),
            Parameter("bias_hh", \.biasHH),
        ]
    }

    /// The next (h′, c′) from inputs `x` [B, inputs] and the states `h`, `c` [B, hidden].
    /// - Precondition: the widths match the weights; `x`, `h` and `c` have the same rows.
    public func callAsFunction(
        _ x: Matrix, _ h: Matrix, _ c: Matrix, file: StaticString = #fileID, line: UInt = #line
    ) -> (h: Matrix, c: Matrix) {
        let n = hidden
        let gates =
            x.matmul(weightIH, file: file, line: line) + biasIH + h.matmul(weightHH, file: file, line: line)
            + biasHH
        let i = sigmoid(gates.columns(0..<n)), f = sigmoid(gates.columns(n..<2 * n))
        let g = tanh(gates.columns(2 * n..<3 * n)), o = sigmoid(gates.columns(3 * n..<4 * n))
        let next = f .* c + i .* g
        return (o .* tanh(next), next)
    }
}

/// A one-layer LSTM over a batch of stacked sequences, as `torch.nn.LSTM(batch_first=True)`
/// over a packed batch.
///
/// ```swift
/// let lstm = LSTM(inputs: 3, hidden: 4, seed: 1)
/// let (hs, h, c) = lstm(Matrix.randomNormal(2 * 5, 3, seed: 2), sequences: 2, validLengths: [5, 3])
/// ```
/// `outputs` is [B·T, hidden], zero past each sequence's length; `last` and `cell` are each
/// sequence's states at its last valid step. Gradients flow everywhere.
public struct LSTM: Layer, Sendable, Equatable, Codable {
    /// The step.
    public var cell: LSTMCell

    /// A seeded LSTM, PyTorch's initialisation.
    public init(inputs: Int, hidden: Int, seed: UInt64) { cell = LSTMCell(inputs: inputs, hidden: hidden, seed: seed) }

    /// `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, as PyTorch names them.
    public var parameters: [Parameter<Self>] {
        let cellPath: WritableKeyPath<Self, LSTMCell> = \.cell
        return cell.parameters.map { Parameter("\($0.name)_l0", cellPath.appending(path: $0.path)) }
    }

    /// Runs the LSTM from `initial` (h₀, c₀; zeros when nil) over `sequences` sequences in `x`.
    /// - Precondition: `x.rows` is a multiple of `sequences`; lengths lie in 0...T.
    public func callAsFunction(
        _ x: Matrix, sequences: Int, validLengths: [Int]? = nil, initial: (h: Matrix, c: Matrix)? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> (outputs: Matrix, last: Matrix, cell: Matrix) {
        let zero = Matrix(rows: sequences, cols: cell.hidden)
        let start = initial ?? (zero, zero)
        let (outputs, final) = recur(
            x, sequences: sequences, validLengths: validLengths, initial: [start.h, start.c], file: file, line: line
        ) { state, xt in
            let (h, c) = cell(xt, state[0], state[1], file: file, line: line)
            return [h, c]
        }
        return (outputs, final[0], final[1])
    }
}
