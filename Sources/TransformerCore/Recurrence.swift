/// Runs a recurrent cell over a batch of stacked sequences, as PyTorch's `batch_first` RNNs over
/// a packed batch: sequence b owns rows b·T..<(b+1)·T of `x`; at step t every sequence whose
/// valid length is past t takes the step, and the others keep their state.
///
/// Returns the first state component at every step, [B·T, H] in the rows of `x` (zero past a
/// sequence's length, as `pad_packed_sequence` pads), and the state at each sequence's last
/// valid step. Gradients flow to `x`, to the initial state and through `step` to its weights.
/// - Precondition: `x.rows` is a multiple of `sequences`; lengths lie in 0...T.
func recur(
    _ x: Matrix, sequences: Int, validLengths: [Int]?, initial: [Matrix],
    file: StaticString, line: UInt,
    step: ([Matrix], Matrix) -> [Matrix]
) -> (outputs: Matrix, final: [Matrix]) {
    require(
        sequences > 0 && x.rows % sequences == 0,
        "recurrent layer: \(x.rows) rows do not split into \(sequences) sequences", file, line)
    let length = x.rows / sequences
    let lengths = validLengths ?? Array(repeating: length, count: sequences)
    require(
        lengths.count == sequences && lengths.allSatisfy { $0 >= 0 && $0 <= length },
        "recurrent layer: valid lengths \(lengths) for \(sequences) sequences of \(length)", file, line)
    var state = initial
    var perStep: [Matrix] = []
    for t in 0..<length {
        let xt = x.rows((0..<sequences).map { $0 * length + t }, file: file, line: line)
        let next = step(state, xt)
        if lengths.allSatisfy({ $0 > t }) {
            state = next
            perStep.append(next[0])
            continue
        }
        let keep = Matrix(rows: sequences, cols: next[0].cols) { b, _ in lengths[b] > t ? 1 : 0 }
        state = zip(state, next).map { old, new in keep .* new + (keep * -1 + 1) .* old }
        perStep.append(keep .* next[0])
    }
    guard length > 0 else { return (Matrix(rows: 0, cols: initial[0].cols), state) }
    // The steps are stacked time-major (row t·B + b); the outputs follow x (row b·T + t).
    let order = (0..<sequences * length).map { r in (r % length) * sequences + r / length }
    return (Matrix.vstack(perStep).rows(order), state)
}

/// PyTorch's initialisation of a recurrent layer's weights and biases: uniform in ±1/√hidden.
func recurrentWeights(
    inputs: Int, hidden: Int, gates: Int, seed: UInt64
) -> (weightIH: Matrix, weightHH: Matrix, biasIH: Matrix, biasHH: Matrix) {
    let bound = 1 / Double(hidden).squareRoot()
    return (
        .randomUniform(inputs, gates * hidden, -bound, bound, seed: seed),
        .randomUniform(hidden, gates * hidden, -bound, bound, seed: seed &+ 1),
        .randomUniform(1, gates * hidden, -bound, bound, seed: seed &+ 2),
        .randomUniform(1, gates * hidden, -bound, bound, seed: seed &+ 3)
    )
}
