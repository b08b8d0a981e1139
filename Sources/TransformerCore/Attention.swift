/// Everything scaled dot-product attention computed, kept for display: the lecture's
/// S = QKᵀ/√d_k (+ mask), A = softmax_rows(S), O = AV.
public struct Attention: Sendable, Equatable {
    /// The queries Q [n_q, d_k].
    public let queries: Matrix
    /// The keys K [n_k, d_k].
    public let keys: Matrix
    /// The values V [n_k, d_v].
    public let values: Matrix
    /// QKᵀ, unscaled and unmasked [n_q, n_k].
    public let scoresRaw: Matrix
    /// QKᵀ·scale + additive mask: the logits softmax sees [n_q, n_k].
    public let scores: Matrix
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
public func attention(_ q: Matrix, _ k: Matrix, _ v: Matrix, mask: Mask? = nil, scale: Double? = nil,
                      file: StaticString = #fileID, line: UInt = #line) -> Attention {
    require(q.cols == k.cols, "attention: Q is \(q.shapeDescription) but K is \(k.shapeDescription)", file, line)
    require(k.rows == v.rows, "attention: K is \(k.shapeDescription) but V is \(v.shapeDescription)", file, line)
    if let mask {
        require(mask.rows == q.rows && mask.cols == k.rows,
                "attention: the mask is \(mask.rows)×\(mask.cols) but the scores are \(q.rows)×\(k.rows)", file, line)
    }
    let s = scale ?? 1 / Double(q.cols).squareRoot()
    let raw = q.matmulTransposed(k)
    var scores = raw * s
    if let mask { scores = scores + mask.additive }
    let weights = softmaxRows(scores)
    return Attention(queries: q, keys: k, values: v, scoresRaw: raw, scores: scores, weights: weights,
                     output: weights * v, mask: mask, scale: s)
}
