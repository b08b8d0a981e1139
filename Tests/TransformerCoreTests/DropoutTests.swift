import Testing
import TransformerCore

/// Dropout: the mask follows from the seed (drawn here from the generator independently), kept
/// entries are scaled by 1/(1 − p), the gradient is the mask, and evaluation is the identity.
struct DropoutTests {
    @Test func theMaskIsTheSeedsDraws() {
        let x = Matrix(rows: 20, cols: 50) { i, j in Double(i * 50 + j + 1) }
        let y = dropout(x, probability: 0.25, seed: 3)
        var g = SeededGenerator(seed: 3)
        for i in 0..<20 {
            for j in 0..<50 {
                let kept = g.uniform() >= 0.25
                #expect(y[i, j] == (kept ? x[i, j] * (1 / 0.75) : 0))  // PyTorch scales by 1/(1 − p) too
            }
        }
        #expect(dropout(x, probability: 0.25, seed: 3) == y, "the same seed, the same mask")
        #expect(dropout(x, probability: 0.25, seed: 4) != y)
        let dropped = y.values.filter { $0 == 0 }.count
        #expect(dropped > 200 && dropped < 300, "about a quarter of 1000 dropped: \(dropped)")
    }

    @Test func theGradientIsTheScaledMask() {
        let x = Matrix.ones(4, 5)
        let y = dropout(x, probability: 0.5, seed: 1)
        let g = gradient(at: x) { x in sum(dropout(x, probability: 0.5, seed: 1)) }
        #expect(g == y, "∂ sum(dropout(x))/∂x is the mask scaled by 2 (= y for x of ones)")
    }

    @Test func evaluationIsTheIdentity() {
        let x = Matrix.randomNormal(3, 3, seed: 1)
        var drop = Dropout(probability: 0.1)
        let y = drop(Matrix.ones(2, 3), seed: 7)
        drop.isTraining = false
        #expect(drop(x, seed: 7) == x)
        #expect(y == dropout(Matrix.ones(2, 3), probability: 0.1, seed: 7))
        #expect(dropout(x, probability: 0, seed: 1) == x)
    }
}
