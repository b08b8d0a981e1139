import Foundation
import Testing
import TransformerCore

/// Label smoothing and the Annotated Transformer's `rate`, against PyTorch
/// (`scripts/make_torch_fixtures.py losses`: `F.cross_entropy(label_smoothing=0.1)` and
/// `LambdaLR` over the Annotated Transformer's own `rate`).
struct LossScheduleTests {
    @Test func labelSmoothingMatchesPyTorch() throws {
        let f = try TorchFixture("torch-label-smoothing")
        let logits = try #require(TorchFixture.matrix(f["logits"]))
        let targets = try #require((f["targets"] as? [NSNumber])?.map(\.intValue))
        let (loss, g) = valueWithGradient(at: logits) { z in crossEntropy(z, targets, labelSmoothing: 0.1) }
        #expect(abs(loss - (try #require(f["loss"] as? NSNumber)).doubleValue) < 1e-12)
        let expected = try #require(TorchFixture.matrix(f["gradient"]))
        #expect(g.maxAbsDifference(expected) < 1e-12)
        #expect(g.row(1).allSatisfy { $0 == 0 }, "the ignored row has no gradient")
    }

    /// Hand computation: two classes, equal logits, so every −log p is ln 2 whatever ε is.
    @Test func smoothingEqualLogitsCostsLn2() {
        let loss = crossEntropy(Matrix([[0.5, 0.5]]), [0], labelSmoothing: 0.3).scalar
        #expect(abs(loss - log(2.0)) < 1e-15)
    }

    @Test func theAnnotatedTransformersRateMatchesLambdaLR() throws {
        let f = try TorchFixture("torch-label-smoothing")
        let rates = try #require(f["rate", "learningRates"] as? [String: NSNumber])
        #expect(rates.count == 7)
        for (step, lr) in rates {
            let ours = rate(step: Int(step)!, modelSize: 512, factor: 2, warmup: 4000)
            #expect(abs(ours - lr.doubleValue) <= 1e-15 * lr.doubleValue, "step \(step)")
        }
    }
}
