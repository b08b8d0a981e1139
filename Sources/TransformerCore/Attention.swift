/// Everything scaled dot-product attention computed, kept for display: the lecture's
/// S = QKᵀ/√d_k (+ mask), A = softmax_rows(S), O = AV.
public struct Attention: Sendable, Equatable, Codable {
    /// The queries Q [n_q, d_k].
    public let queries: Matrix
    /// The keys K [n_k, d_k].
    public let keys: Matrix
    /// The values V [n_k, d_v].
    public let values: Matrix
    /// QKᵀ, unscaled and unmasked [n_q, n_k].
    public let scoresRaw: Matrix
    /// QKᵀ·scale + additive mask: the logits softmax sees [n_q, n_k].
    ///
    /// Computed when read, so that attention does not pay for it.
    public var scores: Matrix {
        let scaled = scoresRaw * scale
        return mask.map { scaled + $0.additive } ?? scaled
    }
    /// softmax of each row of `scores` [n_q, n_k]; each row sums to 1.
    public let weights: Matrix
    /// weights·V [n_q, d_v]: each row is a convex combination of V's rows.
    public let output: Matrix
    /// The mask that was applied, if any.
    public let mask: Mask?
    /// The factor the raw scores were multiplied by (1/√d_k unless told otherwise).
    public let scale: Double
}

/// Scaled dot-product attention: softmax_rows(QKᵀ·scale + mask)·V.
///
/// - Parameters:
///   - scale: the factor applied to QKᵀ; nil means 1/√d_k (pass 1 for raw scores).
///   - mask: added after scaling; see `Mask` for the fill and the rule for a fully masked row.
/// - Precondition: Q and K have the same width; K and V the same number of rows; the mask is n_q×n_k.
/// - Complexity: O(n_q · n_k · (d_k + d_v)).
public func attention(
    _ q: Matrix, _ k: Matrix, _ v: Matrix, mask: Mask? = nil, scale: Double? = nil,
    file: StaticString = #fileID, line: UInt = #line
) -> Attention {
    require(q.cols == k.cols, "attention: Q is \(q.shapeDescription) but K is \(k.shapeDescription)", file, line)
    require(k.rows == v.rows, "attention: K is \(k.shapeDescription) but V is \(v.shapeDescription)", file, line)
    if let mask {
        require(
            mask.rows == q.rows && mask.cols == k.rows,
            "attention: the mask is \(mask.rows)×\(mask.cols) but the scores are \(q.rows)×\(k.rows)", file, line)
    }
    let s = scale ?? 1 / Double(q.cols).squareRoot()
    let raw = q.matmulTransposed(k)
    let weights = scaledMaskedSoftmax(raw, scale: s, mask: mask)
    return Attention(
        queries: q, keys: k, values: v, scoresRaw: raw, weights: weights,
        output: weights * v, mask: mask, scale: s)
}

/// softmax_rows(raw·scale + mask) in one pass over each row, with no matrix in between: the same
/// numbers as scaling, adding the mask's `additive` matrix, then `softmaxRows`.
///
/// Gradient: scale · A ⊙ (G − rowsum(G ⊙ A)).
func scaledMaskedSoftmax(_ raw: Matrix, scale: Double, mask: Mask?) -> Matrix {
    let n = raw.cols
    var out = [Double](unsafeUninitializedCapacity: raw.values.count) { v, count in
        raw.values.withUnsafeBufferPointer { r in
            for i in 0..<r.count { v[i] = r[i] * scale }
        }
        count = raw.values.count
    }
    out.withUnsafeMutableBufferPointer { v in
        for i in 0..<raw.rows {
            let row = UnsafeMutableBufferPointer(rebasing: v[i * n..<(i + 1) * n])
            if let mask {
                let allowed = mask.allowed[i]
                for j in row.indices where !allowed[j] { row[j] += mask.fill }
            }
            softmaxInPlace(row, temperature: 1)
        }
    }
    let a = Matrix(rows: raw.rows, cols: n, values: out)
    return .recording(a, raw) { { g in [softmaxPullback(a, g) * scale] } }
}
