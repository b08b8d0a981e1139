/// Softmax along each row where only the first `validLengths` keys count, as d2l's
/// `masked_softmax`: the scores of a batch are stacked, sequence b owning `x.rows / B` consecutive
/// rows.
///
/// With one length per sequence (`validLengths.count` = B) every query of sequence b sees keys
/// 0..<validLengths[b]; with one length per row (`validLengths.count == x.rows`) each query has
/// its own. Keys past the length get weight exactly 0 (fill −1e10, as `Mask`); a length of 0
/// leaves the row's unmasked softmax, as a fully masked row does with that fill. Gradient: as
/// `softmaxRows`, zero on the masked keys.
/// - Precondition: the lengths divide the rows evenly and lie in 0...x.cols.
public func maskedSoftmax(_ x: Matrix, validLengths: [Int], file: StaticString = #fileID, line: UInt = #line) -> Matrix
{
    require(
        !validLengths.isEmpty && x.rows % validLengths.count == 0,
        "maskedSoftmax: \(validLengths.count) valid lengths for \(x.rows) rows", file, line)
    for n in validLengths {
        require(n >= 0 && n <= x.cols, "maskedSoftmax: valid length \(n) is outside 0...\(x.cols)", file, line)
    }
    let perSequence = x.rows / validLengths.count
    let allowed = (0..<x.rows).map { i in
        let valid = validLengths[i / perSequence]
        return (0..<x.cols).map { $0 < valid }
    }
    return scaledMaskedSoftmax(x, scale: 1, mask: Mask(allowed: allowed))
}

/// Additive (Bahdanau) attention, as d2l's `AdditiveAttention`: the score of query i and key j is
/// w_vᵀ tanh(W_q qᵢ + W_k kⱼ), a small feed-forward network of the pair, instead of a dot
/// product, so queries and keys may have different widths.
///
/// Weights [in, out]; no biases.
public struct AdditiveAttention: Layer, Sendable, Equatable, Codable {
    /// W_q [d_q, h], W_k [d_k, h], w_v [h, 1].
    public var wQ: Matrix, wK: Matrix, wV: Matrix

    /// Xavier-initialised from `seed`, with `hidden` units.
    public init(queryWidth: Int, keyWidth: Int, hidden: Int, seed: UInt64) {
        wQ = .xavier(queryWidth, hidden, seed: seed)
        wK = .xavier(keyWidth, hidden, seed: seed &+ 1)
        wV = .xavier(hidden, 1, seed: seed &+ 2)
    }

    /// `wQ`, `wK`, `wV`.
    public var parameters: [Parameter<Self>] {
        [Parameter("wQ", \.wQ), Parameter("wK", \.wK), Parameter("wV", \.wV)]
    }

    /// The weights [n_q, n_k] (rows sum to 1; keys at or past `validKeys` get 0) and the output
    /// weights·V [n_q, d_v].
    /// - Precondition: K and V have the same rows; the widths match the weights.
    public func callAsFunction(
        queries q: Matrix, keys k: Matrix, values v: Matrix, validKeys: Int? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> (output: Matrix, weights: Matrix) {
        require(
            k.rows == v.rows, "additive attention: K is \(k.shapeDescription) but V is \(v.shapeDescription)", file,
            line)
        let (projectedQ, projectedK) = (q.matmul(wQ, file: file, line: line), k.matmul(wK, file: file, line: line))
        // Every (i, j) pair as one row: row i·n_k + j holds W_q qᵢ + W_k kⱼ.
        let pairsQ = projectedQ.rows((0..<q.rows * k.rows).map { $0 / k.rows })
        let pairsK = projectedK.rows((0..<q.rows * k.rows).map { $0 % k.rows })
        let scores = (tanh(pairsQ + pairsK) * wV).reshaped(q.rows, k.rows)
        let weights = maskedSoftmax(scores, validLengths: [validKeys ?? k.rows], file: file, line: line)
        return (weights.matmul(v, file: file, line: line), weights)
    }

    /// Batched: `sequences` sequences stacked, each with T_q queries (rows of `q`) and T_k keys and
    /// values (rows of `k`, `v`), as d2l's `AdditiveAttention(queries, keys, values, valid_lens)`;
    /// keys of sequence b at or past `validLengths[b]` get weight 0.
    ///
    /// Returns the outputs [B·T_q, d_v] and the weights [B·T_q, T_k], sequence b's rows in order.
    /// Gradients flow to the queries, keys, values and the three weights.
    /// - Precondition: the rows of `q` and of `k` split into `sequences`; K and V have the same rows.
    public func callAsFunction(
        queries q: Matrix, keys k: Matrix, values v: Matrix, sequences: Int, validLengths: [Int]? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> (output: Matrix, weights: Matrix) {
        require(
            sequences > 0 && q.rows % sequences == 0 && k.rows % sequences == 0 && k.rows == v.rows,
            "additive attention: Q \(q.shapeDescription), K \(k.shapeDescription), V \(v.shapeDescription) do not split into \(sequences) sequences",
            file, line)
        let (tq, tk) = (q.rows / sequences, k.rows / sequences)
        let (projectedQ, projectedK) = (q.matmul(wQ, file: file, line: line), k.matmul(wK, file: file, line: line))
        // Row (b·T_q + i)·T_k + j pairs query i and key j of sequence b.
        let pairs = 0..<sequences * tq * tk
        let pairsQ = projectedQ.rows(pairs.map { $0 / tk })
        let pairsK = projectedK.rows(pairs.map { ($0 / (tq * tk)) * tk + $0 % tk })
        let scores = (tanh(pairsQ + pairsK) * wV).reshaped(sequences * tq, tk)
        let weights = maskedSoftmax(
            scores, validLengths: validLengths ?? Array(repeating: tk, count: sequences), file: file, line: line)
        let outputs = (0..<sequences).map { b in
            weights.rows(b * tq..<(b + 1) * tq).matmul(v.rows(b * tk..<(b + 1) * tk), file: file, line: line)
        }
        return (Matrix.vstack(outputs), weights)
    }
}
