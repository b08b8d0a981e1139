/// Cross-entropy of each row's logits against an integer target, averaged over the rows whose
/// target is not `ignoreIndex` (as PyTorch's `F.cross_entropy`): mean over i of
/// log Σⱼ exp(zᵢⱼ) − zᵢ,tᵢ.
///
/// A 1×1 matrix, so gradients flow through it. With `labelSmoothing` ε (PyTorch's
/// `label_smoothing`) the target is the mixture (1 − ε)·one-hot(tᵢ) + ε/C of the C classes: the
/// loss of a row is (1 − ε)(−log pᵢ,tᵢ) + ε/C Σⱼ (−log pᵢⱼ).
///
/// Gradient: (softmax(zᵢ) − (1 − ε)·one-hot(tᵢ) − ε/C) / count on the counted rows, 0 on the
/// ignored ones.
/// With every row ignored the loss is NaN, as in PyTorch.
/// - Precondition: one target per row, each in `0..<logits.cols` or equal to `ignoreIndex`.
/// - Complexity: O(rows · cols).
public func crossEntropy(
    _ logits: Matrix, _ targets: [Int], ignoreIndex: Int = -100, labelSmoothing: Double = 0,
    file: StaticString = #fileID, line: UInt = #line
) -> Matrix {
    require(
        targets.count == logits.rows,
        "crossEntropy: \(targets.count) targets for \(logits.rows) rows of logits", file, line)
    require(
        labelSmoothing >= 0 && labelSmoothing <= 1, "crossEntropy: label smoothing \(labelSmoothing) is outside 0...1",
        file, line)
    let n = logits.cols
    let smoothing = labelSmoothing, spread = labelSmoothing / Double(n)
    var probabilities = logits.values
    var total = 0.0, count = 0
    for (i, t) in targets.enumerated() {
        require(
            t == ignoreIndex || (t >= 0 && t < n),
            "crossEntropy: target \(t) of row \(i) is outside 0..<\(n)", file, line)
        var m = -Double.infinity
        for j in 0..<n where logits.values[i * n + j] > m { m = logits.values[i * n + j] }
        let s = probabilities.withUnsafeMutableBufferPointer { p in
            let row = UnsafeMutableBufferPointer(rebasing: p[i * n..<(i + 1) * n])
            let s = exponentiate(row, shift: m)
            for j in row.indices { row[j] /= s }
            return s
        }
        if t != ignoreIndex {
            let logSum = m + Elementary.log(s)
            total += (1 - smoothing) * (logSum - logits.values[i * n + t])
            if smoothing != 0 {
                var rowSum = 0.0
                for j in 0..<n { rowSum += logits.values[i * n + j] }
                total += smoothing * (logSum - rowSum / Double(n))
            }
            count += 1
        }
    }
    let loss = Matrix(rows: 1, cols: 1, values: [total / Double(count)])
    return .recording(loss, logits) {
        let rows = logits.rows
        return { g in
            var d = probabilities
            let scale = g.values[0] / Double(count)
            for (i, t) in targets.enumerated() {
                if t == ignoreIndex {
                    for j in 0..<n { d[i * n + j] = 0 }
                } else {
                    d[i * n + t] -= 1 - smoothing
                    for j in 0..<n { d[i * n + j] = (d[i * n + j] - spread) * scale }
                }
            }
            return [Matrix(rows: rows, cols: n, values: d)]
        }
    }
}

/// Cross-entropy of a batch: the sequences' targets in order, one per row of `logits`.
public func crossEntropy(
    _ logits: Matrix, _ targets: [[Int]], ignoreIndex: Int = -100, labelSmoothing: Double = 0,
    file: StaticString = #fileID, line: UInt = #line
) -> Matrix {
    crossEntropy(
        logits, targets.flatMap { $0 }, ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing, file: file,
        line: line)
}

/// The mean squared error mean((P − Y)²), a 1×1 matrix.
///
/// Gradient: 2(P − Y)/count.
/// - Precondition: same shapes.
public func mse(_ prediction: Matrix, _ target: Matrix, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
    let d = prediction.subtracting(target, file: file, line: line)
    return mean(d .* d)
}

/// The fraction of counted rows whose largest logit is the target (rows with `ignoreIndex`
/// not counted).
public func accuracy(_ logits: Matrix, _ targets: [Int], ignoreIndex: Int = -100) -> Double {
    let predicted = logits.rowArgmax
    var right = 0, count = 0
    for (p, t) in zip(predicted, targets) where t != ignoreIndex {
        count += 1
        if p == t { right += 1 }
    }
    return count == 0 ? .nan : Double(right) / Double(count)
}
