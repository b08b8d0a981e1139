import Foundation
import Testing
import TransformerCore

@Test func matrixProductByHand() {
    let a: Matrix = [[1, 2], [3, 4]]
    let b: Matrix = [[5, 6], [7, 8]]
    #expect(a * b == [[19, 22], [43, 50]])
    #expect(a.matmulTransposed(b) == [[17, 23], [39, 53]])
    #expect(a.T == [[1, 3], [2, 4]])
    #expect(Matrix.hstack([a, b]) == [[1, 2, 5, 6], [3, 4, 7, 8]])
    #expect(Matrix.vstack([a, b]).rows == 4)
    #expect([[1, 2, 3, 4]] as Matrix == Matrix([[1, 2, 3, 4]]))
    #expect(Matrix([[1, 2, 3, 4], [5, 6, 7, 8]]).columnBlock(1, of: 2) == [[3, 4], [7, 8]])
}

@Test func oneHotGramIsIdentityAndLookupIsExact() {
    let tokens = Tokenizer.characters("美女，可以加一下微信吗")
    #expect(tokens.count == 11 && tokens[2] == "，")
    let vocab = Vocabulary(tokens)
    let oneHot = vocab.oneHot(tokens)
    #expect(gram(oneHot) == .identity(11))
    let e = Embedding(vocabularySize: vocab.count, dimension: 4, seed: 7)
    #expect(oneHot * e.table == e.lookup(vocab.ids(tokens)))
}

@Test func softmaxByHandAndStable() {
    // softmax([0, ln 3]) = [1/4, 3/4].
    let p = softmax([0, log(3.0)])
    #expect(abs(p[0] - 0.25) < 1e-15 && abs(p[1] - 0.75) < 1e-15)
    let third: Double = 1.0 / 3
    let stable: [Double] = softmax([1000, 1000, 1000])
    #expect(stable == [third, third, third])
    #expect(softmax([-.infinity, -.infinity]) == [0, 0])
    let x: Matrix = [[1, 2], [3, 5]]
    let rows = softmaxRows(x)
    for s in rows.rowSums { #expect(abs(s - 1) < 1e-15) }
    for s in softmaxColumns(x).columnSums { #expect(abs(s - 1) < 1e-15) }
    #expect(abs(softmaxAll(x).sum - 1) < 1e-15)
    #expect(abs(entropy([0.5, 0.5]) - log(2.0)) < 1e-15)
    // Jacobian rows sum to 0 (softmax is shift invariant).
    for s in softmaxJacobian([0.2, 0.3, 0.5]).rowSums { #expect(abs(s) < 1e-16) }
}

@Test func attentionWeightsAreDistributionsAndCausalIsBitExact() {
    let x = Matrix.randomNormal(6, 8, seed: 1)
    let mha = MultiHeadAttention(dModel: 8, heads: 2, seed: 2)
    let r = mha(x, mask: .causal(6))
    for head in r.heads {
        for s in head.weights.rowSums { #expect(abs(s - 1) < 1e-12) }
        #expect(head.weights.min >= 0)
    }
    // Perturbing token j = 3 leaves rows 0..<3 bit-identical.
    var y = x
    for c in 0..<8 { y[3, c] += 0.5 }
    let r2 = mha(y, mask: .causal(6))
    #expect(r.output.rows(0..<3) == r2.output.rows(0..<3))
    #expect(r.output.rows(3..<6) != r2.output.rows(3..<6))
}

@Test func withoutPositionPermutingInputsPermutesOutputs() {
    let x = Matrix.randomNormal(5, 4, seed: 3)
    let mha = MultiHeadAttention(dModel: 4, heads: 2, seed: 4)
    let perm = [2, 0, 4, 1, 3]
    let out = mha(x).output
    let permuted = mha(x.rows(perm)).output
    #expect(permuted.maxAbsDifference(out.rows(perm)) < 1e-12)
    let pe = sinusoidalPositions(5, 4)
    let withPE = mha(x + pe).output, permutedWithPE = mha(x.rows(perm) + pe).output
    #expect(permutedWithPE.maxAbsDifference(withPE.rows(perm)) > 1e-3)
}

@Test func concatTimesWOEqualsSumOfHeadProjections() {
    let x = Matrix.randomNormal(4, 6, seed: 5)
    let mha = MultiHeadAttention(dModel: 6, heads: 3, seed: 6)
    let r = mha(x)
    var sum = Matrix.zeros(4, 6)
    for (h, head) in r.heads.enumerated() { sum += head.output * mha.wO.rows(h * 2..<(h + 1) * 2) }
    #expect(sum.maxAbsDifference(r.output) < 1e-12)
}

@Test func sharedProjectionGivesSymmetricScores() {
    let x = Matrix.randomNormal(5, 4, seed: 8)
    let w = Matrix.randomNormal(4, 4, seed: 9)
    let a = attention(x * w, x * w, x)
    #expect(a.scoresRaw.maxAbsDifference(a.scoresRaw.T) < 1e-12)
    #expect(rank(w * Matrix.randomNormal(4, 2, seed: 1) * Matrix.randomNormal(2, 4, seed: 2)) == 2)
}

@Test func positionalDotProductDependsOnlyOnDistance() {
    let pe = sinusoidalPositions(20, 16)
    let g = gram(pe)
    var worst = 0.0
    for i in 0..<15 { for j in 0..<15 { worst = max(worst, abs(g[i, j] - g[i + 3, j + 3])) } }
    #expect(worst < 1e-9)
    // By the definition: PE[1, 0] = sin(1), PE[1, 1] = cos(1), PE[1, 2] = sin(1/10000^(2/16)).
    #expect(pe[1, 0] == sin(1.0) && pe[1, 1] == cos(1.0))
    #expect(abs(pe[1, 2] - sin(1 / pow(10000, 2.0 / 16))) < 1e-15)
}

@Test func geluAndLayerNormByDefinition() {
    #expect(gelu(0) == 0)
    #expect(abs(gelu(1) - 0.8411919906082768) < 1e-15)  // 0.5·(1 + tanh(√(2/π)·1.044715))
    let n = layerNorm([[1, 2, 3]], epsilon: 0)
    let s = (2.0 / 3).squareRoot()
    #expect(n.maxAbsDifference([[-1 / s, 0, 1 / s]]) < 1e-15)
}

@Test func seededGeneratorIsFixed() {
    // xoshiro256** seeded by SplitMix64, values from an independent Python implementation of
    // both published algorithms (SplitMix64(0) starts 0xE220A8397B1DCDAF).
    var g = SeededGenerator(seed: 0)
    #expect((0..<3).map { _ in g.next() } == [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0])
    var h = SeededGenerator(seed: 42)
    #expect(h.uniform() == 0.08386297105988216)  // (0x15780B2E0C2EC716 >> 11) · 2⁻⁵³
    let samples = SeededGenerator(seed: 42).normalsSample(20000)
    #expect(abs(mean(samples)) < 0.03 && abs(standardDeviation(samples) - 1) < 0.03)
}

extension SeededGenerator {
    func normalsSample(_ n: Int) -> [Double] {
        var g = self
        return g.normals(n)
    }
}

@Test func tokenizers() {
    #expect(Tokenizer.words("The cat sat.") == ["the", "cat", "sat", "."])
    #expect(Tokenizer.characters("美女， 麻烦") == ["美", "女", "，", "麻", "烦"])
}
