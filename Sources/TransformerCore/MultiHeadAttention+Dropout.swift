extension MultiHeadAttention {
    /// Batched attention with dropout on the weights, from the core's differentiable operations
    /// (one head of one sequence at a time): dropout(softmax_rows(QKᵀ·scale + mask))·V.
    ///
    /// Used only in training with a rate above 0, so the fused kernel keeps every other pass. The
    /// mask is `batchedAttention`'s: a forbidden key gets weight 0; a query that may see no key
    /// gets its unmasked softmax.
    func droppedAttention(
        q: Matrix, k: Matrix, v: Matrix, sequences: Int, causal: Bool, keyLengths: [Int]?, scale: Double?,
        seed: UInt64?, file: StaticString, line: UInt
    ) -> Matrix {
        require(
            sequences > 0 && q.rows % sequences == 0 && k.rows % sequences == 0,
            "attention: \(q.rows) query rows and \(k.rows) key rows do not split into \(sequences) sequences", file,
            line)
        let (tq, tk) = (q.rows / sequences, k.rows / sequences)
        let scale = scale ?? 1 / Double(q.cols / heads).squareRoot()
        let perSequence = (0..<sequences).map { b in
            let mask = additiveMask(rows: tq, cols: tk, valid: keyLengths?[b] ?? tk, causal: causal)
            let (qb, kb, vb) = (
                q.rows(b * tq..<(b + 1) * tq), k.rows(b * tk..<(b + 1) * tk), v.rows(b * tk..<(b + 1) * tk)
            )
            let perHead = (0..<heads).map { h in
                let scores = qb.columnBlock(h, of: heads).matmulTransposed(kb.columnBlock(h, of: heads)) * scale
                let weights = softmaxRows(scores + mask)
                let dropped = dropout.apply(
                    weights, seed: seed, site: UInt64(b * heads + h), in: "attention", file: file, line: line)
                return dropped * vb.columnBlock(h, of: heads)
            }
            return Matrix.hstack(perHead)
        }
        return Matrix.vstack(perSequence)
    }
}

/// 0 where query i may see key j (j < `valid`, and j ≤ i when `causal`), −∞ elsewhere; a row
/// that would be all −∞ is all 0 instead.
private func additiveMask(rows: Int, cols: Int, valid: Int, causal: Bool) -> Matrix {
    var out = Matrix(rows: rows, cols: cols)
    for i in 0..<rows {
        let seen = (0..<cols).filter { $0 < valid && (!causal || $0 <= i) }
        guard !seen.isEmpty else { continue }
        for j in 0..<cols where !seen.contains(j) { out[i, j] = -.infinity }
    }
    return out
}
