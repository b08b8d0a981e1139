/// A gated recurrent unit step, as `torch.nn.GRUCell`.
///
/// Weights are stored [in, out], the gates' columns in PyTorch's order r | z | n:
///
/// r = σ(x W_ir + b_ir + h W_hr + b_hr), z = σ(x W_iz + b_iz + h W_hz + b_hz),
/// n = tanh(x W_in + b_in + r ⊙ (h W_hn + b_hn)), h′ = (1 − z) ⊙ n + z ⊙ h.
///
/// Gradients flow to the input, the state and all four parameters.
public struct GRUCell: Layer, Sendable, Equatable, Codable {
    /// W_ih [inputs, 3·hidden] (PyTorch's `weight_ih` transposed).
    public var weightIH: Matrix
    /// W_hh [hidden, 3·hidden].
    public var weightHH: Matrix
    /// b_ih and b_hh, 1×3·hidden each: two biases, as PyTorch has.
    public var biasIH: Matrix, biasHH: Matrix

    /// A cell initialised as PyTorch's: every weight and bias uniform in ±1/√hidden, seeded.
    public init(inputs: Int, hidden: Int, seed: UInt64) {
        (weightIH, weightHH, biasIH, biasHH) = recurrentWeights(inputs: inputs, hidden: hidden, gates: 3, seed: seed)
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

    /// The next state h′ [B, hidden] from inputs `x` [B, inputs] and the state `h` [B, hidden].
    /// - Precondition: the widths match the weights; `x` and `h` have the same rows.
    public func callAsFunction(_ x: Matrix, _ h: Matrix, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        let n = hidden
        let gi = x.matmul(weightIH, file: file, line: line) + biasIH
        let gh = h.matmul(weightHH, file: file, line: line) + biasHH
        let r = sigmoid(gi.columns(0..<n) + gh.columns(0..<n))
        let z = sigmoid(gi.columns(n..<2 * n) + gh.columns(n..<2 * n))
        let candidate = tanh(gi.columns(2 * n..<3 * n) + r .* gh.columns(2 * n..<3 * n))
        return (z * -1 + 1) .* candidate + z .* h
    }
}

/// A one-layer GRU over a batch of stacked sequences, as `torch.nn.GRU(batch_first=True)` over
/// a packed batch.
///
/// ```swift
/// let gru = GRU(inputs: 3, hidden: 4, seed: 1)
/// let (outputs, last) = gru(Matrix.randomNormal(2 * 5, 3, seed: 2), sequences: 2, validLengths: [5, 3])
/// ```
/// `outputs` is [B·T, hidden], zero past each sequence's length; `last` is each sequence's state
/// at its last valid step [B, hidden]. Gradients flow everywhere.
public struct GRU: Layer, Sendable, Equatable, Codable {
    /// The step.
    public var cell: GRUCell

    /// A seeded GRU, PyTorch's initialisation.
    public init(inputs: Int, hidden: Int, seed: UInt64) { cell = GRUCell(inputs: inputs, hidden: hidden, seed: seed) }

    /// `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, as PyTorch names them.
    public var parameters: [Parameter<Self>] {
        let cellPath: WritableKeyPath<Self, GRUCell> = \.cell
        return cell.parameters.map { Parameter("\($0.name)_l0", cellPath.appending(path: $0.path)) }
    }

    /// Runs the GRU from `initial` (zeros when nil) over `sequences` sequences stacked in `x`.
    /// - Precondition: `x.rows` is a multiple of `sequences`; lengths lie in 0...T.
    public func callAsFunction(
        _ x: Matrix, sequences: Int, validLengths: [Int]? = nil, initial: Matrix? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> (outputs: Matrix, last: Matrix) {
        let h0 = initial ?? Matrix(rows: sequences, cols: cell.hidden)
        let (outputs, final) = recur(
            x, sequences: sequences, validLengths: validLengths, initial: [h0], file: file, line: line
        ) { state, xt in [cell(xt, state[0], file: file, line: line)] }
        return (outputs, final[0])
    }
}
