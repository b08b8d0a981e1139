/// Multi-head scaled dot-product attention over a batch of sequences whose rows are stacked:
/// the form training uses.
///
/// One operation on the tape, with a hand-written backward pass, and no per-head copies: each
/// head of each sequence is a strided block of Q, K and V.
///
/// `q` is [B·T_q, H·d_k], `k` is [B·T_k, H·d_k], `v` is [B·T_k, H·d_v]; sequence b owns rows
/// b·T..<(b+1)·T of each. Query i of sequence b may see key j when j < `keyLengths[b]` (padding)
/// and, with `causal`, j ≤ i. A forbidden score gets weight exactly 0, as with the −1e10 fill; a
/// query that may see no key gets its unmasked softmax, as with that fill.
/// Returns the heads' outputs side by side, [B·T_q, H·d_v], and, with `keepWeights`, each
/// sequence's and head's weights (T_q×T_k).
func batchedAttention(
    q: Matrix, k: Matrix, v: Matrix, heads: Int, sequences: Int, causal: Bool,
    keyLengths: [Int]?, keepWeights: Bool = false, scale given: Double? = nil,
    file: StaticString, line: UInt
) -> (output: Matrix, weights: [[Matrix]]) {
    require(
        sequences > 0 && q.rows % sequences == 0 && k.rows % sequences == 0,
        "attention: \(q.rows) query rows and \(k.rows) key rows do not split into \(sequences) sequences", file, line)
    require(k.rows == v.rows, "attention: K is \(k.shapeDescription) but V is \(v.shapeDescription)", file, line)
    require(
        q.cols == k.cols && q.cols % heads == 0 && v.cols % heads == 0,
        "attention: Q is \(q.shapeDescription), K \(k.shapeDescription), V \(v.shapeDescription): not \(heads) heads",
        file, line)
    if let keyLengths {
        require(
            keyLengths.count == sequences, "attention: \(keyLengths.count) valid lengths for \(sequences) sequences",
            file, line)
    }
    let (tq, tk) = (q.rows / sequences, k.rows / sequences)
    let (dk, dv) = (q.cols / heads, v.cols / heads)
    let scale = given ?? 1 / Double(dk).squareRoot()
    // allowed[i·tk + j] for sequence b, computed per sequence.
    func allowed(_ b: Int) -> [Bool] {
        let valid = keyLengths?[b] ?? tk
        var out = [Bool](repeating: false, count: tq * tk)
        for i in 0..<tq {
            var any = false
            for j in 0..<tk where j < valid && (!causal || j <= i) {
                out[i * tk + j] = true
                any = true
            }
            if !any { for j in 0..<tk { out[i * tk + j] = true } }
        }
        return out
    }
    var weights = [Double](repeating: 0, count: sequences * heads * tq * tk)
    var output = [Double](repeating: 0, count: q.rows * v.cols)
    q.values.withUnsafeBufferPointer { pq in
        k.values.withUnsafeBufferPointer { pk in
            v.values.withUnsafeBufferPointer { pv in
                weights.withUnsafeMutableBufferPointer { pa in
                    output.withUnsafeMutableBufferPointer { po in
                        for b in 0..<sequences {
                            let mask = (keyLengths != nil || causal) ? allowed(b) : nil
                            for h in 0..<heads {
                                let a = pa.baseAddress! + (b * heads + h) * tq * tk
                                gemm(
                                    transposeA: false, transposeB: true, m: tq, n: tk, k: dk, alpha: scale,
                                    pq.baseAddress! + b * tq * q.cols + h * dk, lda: q.cols,
                                    pk.baseAddress! + b * tk * k.cols + h * dk, ldb: k.cols, beta: 0, a, ldc: tk)
                                for i in 0..<tq {
                                    let row = UnsafeMutableBufferPointer(start: a + i * tk, count: tk)
                                    if let mask { for j in 0..<tk where !mask[i * tk + j] { row[j] = -.infinity } }
                                    softmaxInPlace(row, temperature: 1)
                                }
                                gemm(
                                    transposeA: false, transposeB: false, m: tq, n: dv, k: tk, alpha: 1, a, lda: tk,
                                    pv.baseAddress! + b * tk * v.cols + h * dv, ldb: v.cols, beta: 0,
                                    po.baseAddress! + b * tq * v.cols + h * dv, ldc: v.cols)
                            }
                        }
                    }
                }
            }
        }
    }
    let kept: [[Matrix]] =
        keepWeights
        ? (0..<sequences).map { b in
            (0..<heads).map { h in
                let start = (b * heads + h) * tq * tk
                return Matrix(rows: tq, cols: tk, values: Array(weights[start..<start + tq * tk]))
            }
        } : []
    let out = Matrix(rows: q.rows, cols: v.cols, values: output)
    let recorded = Matrix.recording(out, q, k, v) {
        let (q, k, v) = (q.detached, k.detached, v.detached)
        return { g in
            attentionPullback(g, q: q, k: k, v: v, weights: weights, heads: heads, sequences: sequences, scale: scale)
        }
    }
    return (recorded, kept)
}

/// The gradients of Q, K and V given that of the output: per sequence and head,
/// dV = Aᵀ·dO, dA = dO·Vᵀ, dS = A ⊙ (dA − rowsum(dA ⊙ A)), dQ = s·dS·K, dK = s·dSᵀ·Q.
private func attentionPullback(
    _ g: Matrix, q: Matrix, k: Matrix, v: Matrix, weights: [Double],
    heads: Int, sequences: Int, scale: Double
) -> [Matrix?] {
    let (tq, tk) = (q.rows / sequences, k.rows / sequences)
    let (dk, dv) = (q.cols / heads, v.cols / heads)
    var dq = [Double](repeating: 0, count: q.values.count)
    var dkey = [Double](repeating: 0, count: k.values.count)
    var dval = [Double](repeating: 0, count: v.values.count)
    var ds = [Double](repeating: 0, count: tq * tk)
    g.values.withUnsafeBufferPointer { pg in
        q.values.withUnsafeBufferPointer { pq in
            k.values.withUnsafeBufferPointer { pk in
                v.values.withUnsafeBufferPointer { pv in
                    weights.withUnsafeBufferPointer { pa in
                        dq.withUnsafeMutableBufferPointer { dQ in
                            dkey.withUnsafeMutableBufferPointer { dK in
                                dval.withUnsafeMutableBufferPointer { dV in
                                    ds.withUnsafeMutableBufferPointer { dS in
                                        for b in 0..<sequences {
                                            for h in 0..<heads {
                                                let a = pa.baseAddress! + (b * heads + h) * tq * tk
                                                let gO = pg.baseAddress! + b * tq * v.cols + h * dv
                                                gemm(
                                                    transposeA: true, transposeB: false, m: tk, n: dv, k: tq, alpha: 1,
                                                    a, lda: tk, gO, ldb: v.cols,
                                                    beta: 0, dV.baseAddress! + b * tk * v.cols + h * dv, ldc: v.cols)
                                                gemm(
                                                    transposeA: false, transposeB: true, m: tq, n: tk, k: dv, alpha: 1,
                                                    gO, lda: v.cols,
                                                    pv.baseAddress! + b * tk * v.cols + h * dv, ldb: v.cols, beta: 0,
                                                    dS.baseAddress!, ldc: tk)
                                                for i in 0..<tq {
                                                    var dot = 0.0
                                                    for j in 0..<tk { dot += dS[i * tk + j] * a[i * tk + j] }
                                                    for j in 0..<tk {
                                                        dS[i * tk + j] = a[i * tk + j] * (dS[i * tk + j] - dot)
                                                    }
                                                }
                                                gemm(
                                                    transposeA: false, transposeB: false, m: tq, n: dk, k: tk,
                                                    alpha: scale, dS.baseAddress!, lda: tk,
                                                    pk.baseAddress! + b * tk * k.cols + h * dk, ldb: k.cols,
                                                    beta: 0, dQ.baseAddress! + b * tq * q.cols + h * dk, ldc: q.cols)
                                                gemm(
                                                    transposeA: true, transposeB: false, m: tk, n: dk, k: tq,
                                                    alpha: scale, dS.baseAddress!, lda: tk,
                                                    pq.baseAddress! + b * tq * q.cols + h * dk, ldb: q.cols,
                                                    beta: 0, dK.baseAddress! + b * tk * k.cols + h * dk, ldc: k.cols)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return [
        Matrix(rows: q.rows, cols: q.cols, values: dq), Matrix(rows: k.rows, cols: k.cols, values: dkey),
        Matrix(rows: v.rows, cols: v.cols, values: dval),
    ]
}

extension MultiHeadAttention {
    /// Attention over a batch of `sequences` sequences whose rows are stacked in `x` (and in
    /// `context`, for cross-attention): each sequence attends only within itself.
    ///
    /// Keys past `keyLengths[b]` are padding; `causal` hides later keys. Returns
    /// concat(heads)·W_O + b_O, [rows of x, d_out].
    /// - Precondition: `x` and `context` split into `sequences` equal parts.
    /// - Complexity: O(B·T·d_model² + B·T_q·T_k·d_model).
    /// `scale` multiplies QKᵀ; nil means 1/√d_k (pass 1 for raw scores, 1/d_k to divide by d).
    /// In training mode with a `dropout` rate above 0, the weights of sequence b and head h get
    /// the mask of site b·heads + h of `dropoutSeed`.
    public func callAsFunction(
        _ x: Matrix, context: Matrix? = nil, sequences: Int, causal: Bool = false,
        keyLengths: [Int]? = nil, scale: Double? = nil, dropoutSeed: UInt64? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Matrix {
        let kv = context ?? x
        require(
            x.cols == wQ.rows, "attention: X is \(x.shapeDescription) but W_Q is \(wQ.shapeDescription)", file, line)
        require(
            kv.cols == wK.rows,
            "attention: the keys' input is \(kv.shapeDescription) but W_K is \(wK.shapeDescription)", file, line)
        let q = project(x, wQ, bQ), k = project(kv, wK, bK), v = project(kv, wV, bV)
        if dropout.isActive {
            let concat = droppedAttention(
                q: q, k: k, v: v, sequences: sequences, causal: causal, keyLengths: keyLengths, scale: scale,
                seed: dropoutSeed, file: file, line: line)
            return project(concat, wO, bO)
        }
        let concat = batchedAttention(
            q: q, k: k, v: v, heads: heads, sequences: sequences, causal: causal,
            keyLengths: keyLengths, scale: scale, file: file, line: line
        ).output
        return project(concat, wO, bO)
    }

    /// Each head's attention weights for every sequence of a batch ([sequence][head], T_q×T_k),
    /// computed as `callAsFunction(_:context:sequences:causal:keyLengths:)` computes them: what a
    /// lesson shows of a trained model.
    public func weights(
        _ x: Matrix, context: Matrix? = nil, sequences: Int = 1, causal: Bool = false,
        keyLengths: [Int]? = nil, scale: Double? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> [[Matrix]] {
        let kv = (context ?? x).detached, x = x.detached
        let q = project(x, wQ.detached, bQ?.detached), k = project(kv, wK.detached, bK?.detached)
        let v = project(kv, wV.detached, bV?.detached)
        return batchedAttention(
            q: q, k: k, v: v, heads: heads, sequences: sequences, causal: causal,
            keyLengths: keyLengths, keepWeights: true, scale: scale, file: file, line: line
        ).weights
    }
}

/// Attention over a batch of sequences whose rows are stacked (sequence b owns rows b·T..<(b+1)·T
/// of Q, K and V), `heads` heads side by side in the columns: softmax_rows(QKᵀ·scale + mask)·V per
/// sequence and head, as one operation with a fused backward pass: what a cell trains with when
/// it builds its own model from Q, K and V.
///
/// Returns the heads' outputs side by side.
/// - Parameters:
///   - scale: nil means 1/√d_k, d_k = Q's width / heads.
///   - keyLengths: keys at or past `keyLengths[b]` are padding for sequence b.
public func attention(
    _ q: Matrix, _ k: Matrix, _ v: Matrix, heads: Int = 1, sequences: Int, causal: Bool = false,
    keyLengths: [Int]? = nil, scale: Double? = nil,
    file: StaticString = #fileID, line: UInt = #line
) -> Matrix {
    batchedAttention(
        q: q, k: k, v: v, heads: heads, sequences: sequences, causal: causal, keyLengths: keyLengths,
        scale: scale, file: file, line: line
    ).output
}

/// Each sequence's and head's weights ([sequence][head], T_q×T_k) of `attention(_:_:_:heads:sequences:…)`.
public func attentionWeights(
    _ q: Matrix, _ k: Matrix, heads: Int = 1, sequences: Int, causal: Bool = false,
    keyLengths: [Int]? = nil, scale: Double? = nil,
    file: StaticString = #fileID, line: UInt = #line
) -> [[Matrix]] {
    let v = Matrix.zeros(k.rows, heads)
    return batchedAttention(
        q: q.detached, k: k.detached, v: v, heads: heads, sequences: sequences, causal: causal,
        keyLengths: keyLengths, keepWeights: true, scale: scale, file: file, line: line
    ).weights
}
