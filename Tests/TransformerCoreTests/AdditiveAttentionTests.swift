import Foundation
import Testing
import TransformerCore

/// Batched additive attention against d2l's `AdditiveAttention` in PyTorch
/// (`scripts/make_torch_fixtures.py losses`): output, weights and every gradient, to 1e-12.
struct AdditiveAttentionTests {
    @Test func batchedMatchesD2LInPyTorch() throws {
        let f = try TorchFixture("torch-additive-attention")
        let layer = try TorchFixture.load(
            AdditiveAttention(queryWidth: 5, keyWidth: 3, hidden: 6, seed: 0), f["parameters"])
        let q = try #require(TorchFixture.matrix(f["inputs", "queries"]))
        let k = try #require(TorchFixture.matrix(f["inputs", "keys"]))
        let v = try #require(TorchFixture.matrix(f["inputs", "values"]))
        let r = try #require(TorchFixture.matrix(f["inputs", "R"]))
        let lengths = try #require((f["inputs", "validLengths"] as? [NSNumber])?.map(\.intValue))

        let (output, weights) = layer(queries: q, keys: k, values: v, sequences: 2, validLengths: lengths)
        #expect(output.maxAbsDifference(try #require(TorchFixture.matrix(f["output"]))) < 1e-12)
        #expect(weights.maxAbsDifference(try #require(TorchFixture.matrix(f["weights"]))) < 1e-12)
        #expect(weights.row(3)[2...].allSatisfy { $0 == 0 }, "sequence 1 has 2 valid keys")

        let (loss, g) = valueWithGradient(at: Pair(layer, Pair(q, Pair(k, v)))) { p in
            let (q, k, v) = (p.second.first, p.second.second.first, p.second.second.second)
            return sum(p.first(queries: q, keys: k, values: v, sequences: 2, validLengths: lengths).output .* r)
        }
        #expect(abs(loss - (try #require(f["loss"] as? NSNumber)).doubleValue) < 1e-12)
        for (name, value) in g.first.namedParameters {
            #expect(value.maxAbsDifference(try #require(TorchFixture.matrix(f["gradients", name]))) < 1e-12, "\(name)")
        }
        let inputs = [("queries", g.second.first), ("keys", g.second.second.first), ("values", g.second.second.second)]
        for (name, value) in inputs {
            #expect(value.maxAbsDifference(try #require(TorchFixture.matrix(f["gradients", name]))) < 1e-12, "\(name)")
        }
    }
}
