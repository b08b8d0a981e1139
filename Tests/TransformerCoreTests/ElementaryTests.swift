import Glibc
import Testing
import TransformerCore

/// The distance between two doubles in units in the last place of `reference`.
func ulps(_ x: Double, _ reference: Double) -> Double {
    if x == reference { return 0 }
    return abs(x - reference) / max(reference.ulp, Double.leastNonzeroMagnitude)
}

@Test func expIsWithinTwoUlpOfTheCLibraryOnTheWholeRange() {
    // 10⁶ evenly spaced points over the range where eˣ is a finite nonzero double, plus seeded
    // random points near 0 where softmax spends its time.
    let n = 1_000_000
    var points = (0..<n).map { -745.1 + 1454.8 * Double($0) / Double(n - 1) }
    var rng = SeededGenerator(seed: 11)
    points += (0..<100_000).map { _ in rng.uniform(-40, 0) }
    let ours = exp(Matrix(row: points)).values
    var worst = 0.0, worstAt = 0.0
    for (x, y) in zip(points, ours) where ulps(y, Glibc.exp(x)) > worst {
        (worst, worstAt) = (ulps(y, Glibc.exp(x)), x)
    }
    #expect(worst <= 2, "worst \(worst) ulp at x = \(worstAt)")
    let specials = exp(Matrix(row: [0, -.infinity, .infinity, .nan, 710, -746, 709.78, -745.13, 1e-300])).values
    #expect(specials[0] == 1 && specials[1] == 0 && specials[2] == .infinity && specials[3].isNaN)
    #expect(specials[4] == .infinity && specials[5] == 0)
    #expect(ulps(specials[6], Glibc.exp(709.78)) <= 2 && specials[7] == Glibc.exp(-745.13) && specials[8] == 1)
}

@Test func softmaxRowsMatchesItsDefinitionWithTheCLibrarysExp() {
    let x = Matrix.randomNormal(7, 300, seed: 3) * 20
    let ours = softmaxRows(x, temperature: 0.7)
    for i in 0..<x.rows {
        let row = x.row(i)
        let m = row.max()!
        let e = row.map { Glibc.exp(($0 - m) / 0.7) }
        let total = e.reduce(0, +)
        for j in 0..<x.cols { #expect(abs(ours[i, j] - e[j] / total) <= 1e-15 * max(e[j] / total, 1e-300) + 1e-300) }
    }
}

@Test func attentionScoresAreTheScaledMaskedRawScoresAndTheWeightsTheirSoftmax() {
    let q = Matrix.randomNormal(5, 4, seed: 1), k = Matrix.randomNormal(6, 4, seed: 2),
        v = Matrix.randomNormal(6, 3, seed: 3)
    let mask = Mask(allowed: (0..<5).map { i in (0..<6).map { j in j <= i } })
    let a = attention(q, k, v, mask: mask)
    let expected = Matrix(rows: 5, cols: 6) { i, j in (q * k.transposed)[i, j] / 2 + (j <= i ? 0 : -1e10) }
    #expect(a.scores.maxAbsDifference(expected) < 1e-12)
    #expect(a.weights.maxAbsDifference(softmaxRows(expected)) < 1e-15)
    #expect(a.output.maxAbsDifference(softmaxRows(expected) * v) < 1e-15)
}

@Test func spectralNormFindsTheTopSingularValueEvenWhenTheOnesVectorIsInTheNullSpace() {
    // diag(p) − ppᵀ for p = (½, ½) is [[¼, −¼], [−¼, ¼]]: eigenvalues ½ and 0, and (1, 1) maps to 0.
    #expect(abs(softmaxJacobian([0.5, 0.5]).spectralNorm() - 0.5) < 1e-12)
    // p = (0.7, 0.2, 0.1): J = diag(p) − ppᵀ is symmetric with eigenvalue 0 (on (1, 1, 1)); the
    // other two have sum tr J = Σpᵢ − Σpᵢ² and product Σ_{i<j} pᵢpⱼ(1 − pᵢ − pⱼ) (its 2×2
    // principal minors), so the top one is the larger root of λ² − tr J·λ + that product.
    let p = [0.7, 0.2, 0.1]
    let trace = p.reduce(0) { $0 + $1 - $1 * $1 }
    var pairs = 0.0
    for i in 0..<3 { for j in (i + 1)..<3 { pairs += p[i] * p[j] * (1 - p[i] - p[j]) } }
    let top = (trace + (trace * trace - 4 * pairs).squareRoot()) / 2
    #expect(abs(softmaxJacobian(p).spectralNorm() - top) < 1e-12)
    #expect(abs(Matrix([[3, 0], [0, -4]]).spectralNorm() - 4) < 1e-12)
}

@Test func geluOfAMatrixIsTheTanhFormEntryByEntry() {
    // x·σ(2u) against the definition ½x(1 + tanh u) with the C library's tanh.
    let xs = (0...4000).map { -12 + 24 * Double($0) / 4000 }
    let ours = gelu(Matrix(row: xs)).values
    for (x, y) in zip(xs, ours) {
        let u = (2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)
        #expect(abs(y - 0.5 * x * (1 + Glibc.tanh(u))) <= 1e-15 * max(abs(x), 1), "x = \(x)")
    }
}
