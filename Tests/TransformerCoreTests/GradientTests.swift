import Foundation
import Testing
import TransformerCore

/// Every differentiable operation's gradient, from the tape, against central finite differences
/// of the same function (h = 10⁻⁶): they must agree to a relative 10⁻⁶ on every entry. The
/// function is reduced to a scalar by a fixed random weighting, so every output entry matters.

/// Compares the tape's gradient of `sum(f(x) ⊙ W)` with central differences, for every entry
/// of every input; returns the worst relative error.
func gradientError<L: Layer>(_ inputs: L, _ f: @escaping (L) -> Matrix) -> Double {
    let shape = f(inputs)
    let weights = Matrix.randomNormal(shape.rows, shape.cols, seed: 99)
    let loss = { (x: L) -> Matrix in sum(f(x) .* weights) }
    let g = gradient(at: inputs, of: loss)
    var worst = 0.0
    let h = 1e-6
    for p in inputs.parameters {
        let value = inputs[keyPath: p.path]
        for i in 0..<value.values.count {
            var plus = inputs, minus = inputs
            var v = value.values
            v[i] += h
            plus[keyPath: p.path] = Matrix(rows: value.rows, cols: value.cols, values: v)
            v[i] -= 2 * h
            minus[keyPath: p.path] = Matrix(rows: value.rows, cols: value.cols, values: v)
            let numeric = (loss(plus).scalar - loss(minus).scalar) / (2 * h)
            let exact = g[keyPath: p.path].values[i]
            worst = max(worst, abs(numeric - exact) / max(1, abs(numeric)))
        }
    }
    return worst
}

/// The inputs of `operation(_:)`: a, b 3×4, c 4×5, a row 1×4, and a positive 3×4.
func operationInputs() -> [Matrix] {
    [
        .randomNormal(3, 4, seed: 1), .randomNormal(3, 4, seed: 2), .randomNormal(4, 5, seed: 3),
        .randomNormal(1, 4, seed: 4),
        .randomUniform(3, 4, 0.5, 2, seed: 5),
    ]
}

/// The operation named `name`, on inputs a, b, c, row, positive.
func operation(_ name: String) -> ([Matrix]) -> Matrix {
    switch name {
    case "matmul": return { x in x[0] * x[2] }
    case "matmulTransposed": return { x in x[0].matmulTransposed(x[1]) }
    case "transposed": return { x in x[0].T * x[1] }
    case "add, subtract": return { x in x[0] + x[1] - x[0] .* x[0] }
    case "hadamard, divide": return { x in x[0] .* x[1] ./ x[4] }
    case "row broadcast": return { x in (x[0] + x[3]) .* x[3] - x[3] + x[1] ./ (x[3] .* x[3] + 1) }
    case "scalars": return { x in -(x[0] * 2.5 / 3 + 1 - 0.5) }
    case "exp, log, tanh, sigmoid": return { x in exp(x[0]) + log(x[4]) + tanh(x[1]) + sigmoid(x[0] .* x[1]) }
    case "relu, gelu": return { x in relu(x[0]) + gelu(x[1] * 2) }
    case "sum, mean": return { x in sum(x[0] .* x[1]) + mean(exp(x[1])) * 3 }
    case "slices": return { x in Matrix.hstack([x[0].columnBlock(1, of: 2), x[1].columns(0..<3)]) + x[2].rows(1..<4) }
    case "stack, lookup": return { x in Matrix.vstack([x[0], x[1].rows([2, 0, 2])]).reshaped(4, 6) }
    case "softmax rows, columns, all":
        return { x in softmaxRows(x[0] * 3, temperature: 0.7) + softmaxColumns(x[1]) + softmaxAll(x[4]) }
    case "log-softmax": return { x in logSoftmaxRows(x[0] * 4) }
    default: fatalError(name)
    }
}

@Test(arguments: [
    "matmul",
    "matmulTransposed",
    "transposed",
    "add, subtract",
    "hadamard, divide",
    "row broadcast",
    "scalars",
    "exp, log, tanh, sigmoid",
    "relu, gelu",
    "sum, mean",
    "slices",
    "stack, lookup",
    "softmax rows, columns, all",
    "log-softmax",
])
func elementaryOperations(_ name: String) {
    #expect(gradientError(operationInputs(), operation(name)) < 1e-6, "\(name)")
}

@Test func lossesAgreeWithDifferencesAndByHand() {
    let logits = Matrix.randomNormal(5, 4, seed: 6)
    let targets = [1, -100, 3, 0, 3]
    #expect(gradientError(logits) { crossEntropy($0, targets) } < 1e-6)
    #expect(gradientError(Pair(operationInputs()[0], operationInputs()[1])) { mse($0.first, $0.second) } < 1e-6)
    // By hand: two rows, uniform logits over 4 classes, so the loss is ln 4 and the gradient of
    // a counted row is (1/4 − onehot)/count.
    let (loss, g) = valueWithGradient(at: Matrix.zeros(2, 4)) { crossEntropy($0, [2, -100]) }
    #expect(abs(loss - log(4.0)) < 1e-15)
    #expect(g == [[0.25, 0.25, -0.75, 0.25], [0, 0, 0, 0]])
}

@Test func layerNormAndAttentionAgreeWithDifferences() {
    let x = Matrix.randomNormal(4, 6, seed: 7)
    var norm = LayerNorm(6)
    norm.gain = .randomNormal(1, 6, mean: 1, std: 0.2, seed: 8)
    norm.bias = .randomNormal(1, 6, std: 0.2, seed: 9)
    #expect(gradientError(Pair(x, norm)) { $0.second($0.first) } < 1e-6)
    let q = Matrix.randomNormal(4, 6, seed: 10), k = Matrix.randomNormal(5, 6, seed: 11),
        v = Matrix.randomNormal(5, 3, seed: 12)
    let padding = Mask.padding(validKeys: 3, of: 5, queries: 4)
    let zeroOne = Mask(Matrix([[1, 0, 1, 1, 0], [0, 1, 1, 0, 1], [1, 1, 1, 1, 1], [0, 0, 0, 0, 1]]))
    let causalLike = Mask(allowed: (0..<4).map { i in (0..<5).map { $0 <= i } })
    for mask in [nil, padding, zeroOne, causalLike] {
        #expect(gradientError([q, k, v]) { attention($0[0], $0[1], $0[2], mask: mask).output } < 1e-6)
    }
}

@Test func layersAgreeWithDifferences() {
    var mha = MultiHeadAttention(dModel: 6, heads: 2, bias: true, seed: 13)
    mha.bQ = .randomNormal(1, 6, seed: 14)
    mha.bO = .randomNormal(1, 6, seed: 15)
    let x = Matrix.randomNormal(8, 6, seed: 16), memory = Matrix.randomNormal(6, 6, seed: 17)
    #expect(gradientError(Pair(x, mha)) { $0.second($0.first, mask: .causal(8)).output } < 1e-6)
    #expect(gradientError(Pair(x, mha)) { $0.second($0.first, context: memory).output } < 1e-6)
    // Batched: 2 sequences of 4 queries and 3 keys; padding and causal masks.
    #expect(gradientError(Pair(x, mha)) { $0.second($0.first, sequences: 2, causal: true, keyLengths: [4, 2]) } < 1e-6)
    #expect(
        gradientError(Pair(x, mha)) { $0.second($0.first, context: memory, sequences: 2, keyLengths: [3, 1]) } < 1e-6)
    let encoder = EncoderBlock(dModel: 6, heads: 2, hidden: 10, bias: true, seed: 18)
    #expect(gradientError(Pair(x, encoder)) { $0.second($0.first, sequences: 2, keyLengths: [4, 3]) } < 1e-6)
    #expect(gradientError(Pair(x, encoder)) { $0.second($0.first, mask: .causal(8)) } < 1e-6)
    let decoder = DecoderBlock(dModel: 6, heads: 3, hidden: 10, bias: true, seed: 19)
    #expect(
        gradientError(Pair(x, decoder)) { $0.second($0.first, memory: memory, sequences: 2, memoryLengths: [2, 3]) }
            < 1e-6)
    #expect(gradientError(Pair(x, decoder)) { $0.second($0.first.rows(0..<3), memory: memory) } < 1e-6)
    let linear = Linear(inputs: 6, outputs: 4, seed: 20)
    #expect(gradientError(Pair(x, linear)) { gelu($0.second($0.first)) } < 1e-6)
}

@Test func wholeModelsAgreeWithDifferences() {
    let model = TinyEncoder(vocabulary: 7, dModel: 8, heads: 2, ffn: 12, blocks: 2, seed: 21)
    let inputs = [[1, 2, 3, 4], [6, 5, 0, 0]]
    #expect(
        gradientError(model) { crossEntropy($0(inputs, validLengths: [4, 2]), [[1, 2, 3, 4], [6, 5, -100, -100]]) }
            < 1e-6)
    let task = NumberWords(maximum: 999)
    let batch = task.batch(3, seed: 22)
    let seq2seq = Seq2Seq(
        sourceVocabulary: 11, targetVocabulary: task.targetVocabulary.count, dModel: 8, heads: 2,
        ffn: 12, layers: 1, seed: 23)
    #expect(
        gradientError(seq2seq) {
            crossEntropy(
                $0(source: batch.sources, target: batch.decoderInputs, sourceLengths: batch.sourceLengths),
                batch.targets)
        } < 1e-6)
}

@Test func maskedSoftmaxAndAdditiveAttentionAgreeWithDifferencesAndTheirDefinitions() {
    // d2l's masked_softmax: 2 sequences of 2 queries over 4 keys, lengths per sequence and per query.
    let x = Matrix.randomNormal(4, 4, seed: 30)
    for lengths in [[2, 3], [1, 4, 2, 3]] {
        let w = maskedSoftmax(x, validLengths: lengths)
        for i in 0..<4 {
            let valid = lengths.count == 2 ? lengths[i / 2] : lengths[i]
            let e = (0..<valid).map { Glibc.exp(x[i, $0]) }
            for j in 0..<4 { #expect(abs(w[i, j] - (j < valid ? e[j] / e.reduce(0, +) : 0)) < 1e-15) }
        }
        #expect(gradientError(x) { maskedSoftmax($0 * 2, validLengths: lengths) } < 1e-6)
    }
    // Additive attention: score(i, j) = w_vᵀ tanh(W_q qᵢ + W_k kⱼ), by hand.
    let layer = AdditiveAttention(queryWidth: 3, keyWidth: 5, hidden: 4, seed: 31)
    let q = Matrix.randomNormal(2, 3, seed: 32), k = Matrix.randomNormal(6, 5, seed: 33),
        v = Matrix.randomNormal(6, 2, seed: 34)
    let (output, weights) = layer(queries: q, keys: k, values: v, validKeys: 4)
    let qp = q * layer.wQ, kp = k * layer.wK
    for i in 0..<2 {
        let scores = (0..<4).map { j in (0..<4).reduce(0.0) { $0 + layer.wV[$1, 0] * Glibc.tanh(qp[i, $1] + kp[j, $1]) }
        }
        let e = scores.map(Glibc.exp), total = e.reduce(0, +)
        for j in 0..<6 { #expect(abs(weights[i, j] - (j < 4 ? e[j] / total : 0)) < 1e-14) }
        for c in 0..<2 { #expect(abs(output[i, c] - (0..<4).reduce(0.0) { $0 + e[$1] / total * v[$1, c] }) < 1e-14) }
    }
    #expect(
        gradientError(Pair(q, layer)) { $0.second(queries: $0.first, keys: k, values: v, validKeys: 5).output } < 1e-6)
}

@Test func batchedAttentionWithAnyScaleAgreesWithDifferencesAndWithPerSequenceAttention() {
    let q = Matrix.randomNormal(6, 4, seed: 40), k = Matrix.randomNormal(6, 4, seed: 41),
        v = Matrix.randomNormal(6, 4, seed: 42)
    for scale in [nil, 1, 0.25] as [Double?] {
        #expect(
            gradientError([q, k, v]) {
                attention($0[0], $0[1], $0[2], heads: 2, sequences: 2, causal: true, scale: scale)
            } < 1e-6)
        // Sequence 1, head 0 by the single-sequence definition.
        let batched = attention(q, k, v, heads: 2, sequences: 2, causal: true, scale: scale)
        let single = TransformerCore.attention(
            q.rows(3..<6).columns(0..<2), k.rows(3..<6).columns(0..<2), v.rows(3..<6).columns(0..<2),
            mask: .causal(3), scale: scale ?? 1 / 2.0.squareRoot())
        #expect(batched.rows(3..<6).columns(0..<2).maxAbsDifference(single.output) < 1e-14)
        #expect(
            attentionWeights(q, k, heads: 2, sequences: 2, causal: true, scale: scale)[1][0].maxAbsDifference(
                single.weights) < 1e-14)
    }
}
