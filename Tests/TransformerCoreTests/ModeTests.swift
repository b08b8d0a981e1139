import Testing

@testable import TransformerCore

/// A reader's own model, with no code for modes: a block, a dropout of its own, an array of
/// dropouts, a `let` dropout (which `eval()` cannot reach) and a head.
private struct Tagger: Layer {
    var embedding = Embedding(vocabularySize: 9, dimension: 8, seed: 3)
    var block = EncoderBlock(dModel: 8, heads: 2, hidden: 16, bias: true, dropout: 0.25, seed: 4)
    var drop = Dropout(probability: 0.5)
    var extra = [Dropout(probability: 0.1), Dropout(probability: 0.2)]
    let fixed = Dropout(probability: 0.3)
    var head = Linear(inputs: 8, outputs: 9, seed: 5)

    var parameters: [Parameter<Self>] {
        parameters(of: \.embedding, named: "embedding") + parameters(of: \.block, named: "block")
            + parameters(of: \.head, named: "head")
    }

    func callAsFunction(_ ids: [[Int]], dropoutSeed: UInt64?) -> Matrix {
        let x = embedding.lookup(ids.flatMap { $0 })
        let h = block(x, sequences: ids.count, dropoutSeed: dropoutSeed.map { $0 &* 2 })
        return head(dropoutSeed.map { drop(h, seed: $0 &* 2 &+ 1) } ?? h)
    }
}

/// Train and eval modes: eval is the model without dropout, bit for bit; training is seeded; the
/// mode reaches every layer inside, a reader's own struct included.
struct ModeTests {
    static let ids = [[1, 2, 3, 4, 5], [6, 0, 2, 2, 1]]

    @Test func evalIsTheModelWithoutDropout() {
        var dropping = TinyEncoder(vocabulary: 7, dModel: 8, heads: 2, ffn: 16, blocks: 2, dropout: 0.3, seed: 1)
        let plain = TinyEncoder(vocabulary: 7, dModel: 8, heads: 2, ffn: 16, blocks: 2, seed: 1)
        #expect(dropping.namedParameters.map(\.value) == plain.namedParameters.map(\.value))
        dropping.eval()
        let lengths = [5, 3]
        #expect(dropping(Self.ids, validLengths: lengths, dropoutSeed: 9) == plain(Self.ids, validLengths: lengths))
        #expect(dropping(Self.ids, validLengths: lengths) == plain(Self.ids, validLengths: lengths))
        let targets = [[1, 2, 3, 4, 5], [6, 0, 2, -100, -100]]
        let g1 = gradient(at: dropping) { m in crossEntropy(m(Self.ids, validLengths: lengths), targets) }
        let g2 = gradient(at: plain) { m in crossEntropy(m(Self.ids, validLengths: lengths), targets) }
        #expect(g1.namedParameters.map(\.value) == g2.namedParameters.map(\.value))

        var s2s = Seq2Seq(
            sourceVocabulary: 7, targetVocabulary: 6, dModel: 8, heads: 2, ffn: 16, layers: 1, dropout: 0.4, seed: 2)
        let s2sPlain = Seq2Seq(
            sourceVocabulary: 7, targetVocabulary: 6, dModel: 8, heads: 2, ffn: 16, layers: 1, seed: 2)
        s2s.eval()
        let target = [[0, 1, 2], [0, 3, 3]]
        #expect(s2s(source: Self.ids, target: target, dropoutSeed: 4) == s2sPlain(source: Self.ids, target: target))
    }

    @Test func trainingIsSeededAndDrops() {
        let model = TinyEncoder(vocabulary: 7, dModel: 8, heads: 2, ffn: 16, blocks: 2, dropout: 0.3, seed: 1)
        #expect(model.isTraining, "a new model trains, as a new PyTorch module")
        let evaluated = model.evaluating()(Self.ids)
        let a = model(Self.ids, dropoutSeed: 5), b = model(Self.ids, dropoutSeed: 5)
        #expect(a == b, "the same seed, the same masks")
        #expect(a != evaluated)
        #expect(model(Self.ids, dropoutSeed: 6) != a, "another seed, other masks")
        // The masks' effect is not a small perturbation: p = 0.3 moves most logits.
        let moved = zip(a.values, evaluated.values).filter { abs($0 - $1) > 1e-6 }.count
        #expect(moved > a.values.count / 2, "\(moved) of \(a.values.count) logits moved")

        let s2s = Seq2Seq(
            sourceVocabulary: 7, targetVocabulary: 6, dModel: 8, heads: 2, ffn: 16, layers: 1, dropout: 0.4, seed: 2)
        let target = [[0, 1, 2], [0, 3, 3]]
        let t1 = s2s(source: Self.ids, target: target, dropoutSeed: 1)
        #expect(t1 == s2s(source: Self.ids, target: target, dropoutSeed: 1))
        #expect(t1 != s2s.evaluating()(source: Self.ids, target: target))
        let words = s2s.greedyDecode([1, 2], start: 0, end: 5, maxLength: 4)
        #expect(words == s2s.evaluating().greedyDecode([1, 2], start: 0, end: 5, maxLength: 4))
    }

    /// A rate so small that no uniform draw falls below it keeps every weight and scales by
    /// exactly 1, so the unfused path that dropout takes must give the fused kernel's numbers
    /// and gradients, padding and causal masks included (to rounding).
    @Test func theDroppingPathIsTheFusedKernelWhenNothingDrops() {
        var attention = MultiHeadAttention(dModel: 8, heads: 2, bias: true, seed: 3)
        let x = Matrix.randomNormal(2 * 5, 8, seed: 1), memory = Matrix.randomNormal(2 * 4, 8, seed: 2)
        let fused = attention
        attention.dropout = Dropout(probability: 1e-300)
        #expect(attention.dropout.isActive)
        for causal in [false, true] {
            let y1 = fused(x, sequences: 2, causal: causal, keyLengths: [5, 2])
            let y2 = attention(x, sequences: 2, causal: causal, keyLengths: [5, 2], dropoutSeed: 1)
            #expect(y1.maxAbsDifference(y2) < 1e-12)
            let r = Matrix.randomNormal(2 * 5, 8, seed: 9)
            let g1 = gradient(at: Pair(fused, x)) { p in
                sum(p.first(p.second, sequences: 2, causal: causal, keyLengths: [5, 2]) .* r)
            }
            let g2 = gradient(at: Pair(attention, x)) { p in
                sum(p.first(p.second, sequences: 2, causal: causal, keyLengths: [5, 2], dropoutSeed: 1) .* r)
            }
            for (a, b) in zip(g1.namedParameters, g2.namedParameters) {
                #expect(a.value.maxAbsDifference(b.value) < 1e-12, "\(a.name)")
            }
        }
        let cross1 = fused(x, context: memory, sequences: 2, keyLengths: [4, 0])
        let cross2 = attention(x, context: memory, sequences: 2, keyLengths: [4, 0], dropoutSeed: 1)
        #expect(cross1.maxAbsDifference(cross2) < 1e-12, "a query that sees no key: the unmasked softmax")
    }

    /// Attention-weight dropout, by hand: each sequence's and head's weights (the fused kernel's,
    /// read through `weights`) times the mask of its site, times that head's V.
    @Test func attentionWeightsDropAsDefined() {
        let attention = MultiHeadAttention(dModel: 8, heads: 2, dropout: 0.5, seed: 3)
        let x = Matrix.randomNormal(2 * 4, 8, seed: 1)
        let y = attention(x, sequences: 2, causal: true, dropoutSeed: 11)
        let weights = attention.weights(x, sequences: 2, causal: true)
        let v = x * attention.wV
        var rows: [Matrix] = []
        for b in 0..<2 {
            let heads = (0..<2).map { h in
                let mask = dropout(Matrix.ones(4, 4), probability: 0.5, seed: siteSeed(11, UInt64(b * 2 + h)))
                return (weights[b][h] .* mask) * v.rows(b * 4..<(b + 1) * 4).columnBlock(h, of: 2)
            }
            rows.append(Matrix.hstack(heads))
        }
        #expect(y.maxAbsDifference(Matrix.vstack(rows) * attention.wO) < 1e-12)
    }

    @Test func theModeReachesEveryNestedLayer() {
        var tagger = Tagger()
        func modes(_ t: Tagger) -> [Bool] {
            [
                t.block.attention.dropout.isTraining, t.block.dropout1.isTraining, t.block.dropout2.isTraining,
                t.block.feedForward.dropout.isTraining, t.drop.isTraining, t.extra[0].isTraining,
                t.extra[1].isTraining,
            ]
        }
        #expect(modes(tagger) == Array(repeating: true, count: 7) && tagger.isTraining)
        tagger.eval()
        #expect(modes(tagger) == Array(repeating: false, count: 7))
        #expect(tagger.fixed.isTraining, "a let cannot change")
        #expect(tagger.isTraining, "so the model still reads as training: its `let` dropout trains")
        let copy = tagger.training()
        #expect(modes(copy) == Array(repeating: true, count: 7))
        #expect(modes(tagger) == Array(repeating: false, count: 7), "training() returns a copy")
        tagger.train()
        #expect(modes(tagger) == Array(repeating: true, count: 7))

        // Evaluation is the same model with the block's dropout at rate 0 and no own dropout.
        let seed: UInt64 = 3
        let evaluated = tagger.evaluating()(Self.ids, dropoutSeed: nil)
        var plain = Tagger()
        plain.block = EncoderBlock(dModel: 8, heads: 2, hidden: 16, bias: true, seed: 4)
        #expect(evaluated == plain(Self.ids, dropoutSeed: nil))
        #expect(tagger(Self.ids, dropoutSeed: seed) == tagger(Self.ids, dropoutSeed: seed))
        #expect(tagger(Self.ids, dropoutSeed: seed) != evaluated)
        #expect(tagger.evaluating()(Self.ids, dropoutSeed: seed) == evaluated)
    }

    @Test func aModelWithoutDropoutHasNoMode() {
        var linear = Linear(inputs: 2, outputs: 3, seed: 1)
        #expect(!linear.isTraining)
        linear.train()
        #expect(!linear.isTraining && linear == Linear(inputs: 2, outputs: 3, seed: 1))
        var pair = Pair(Dropout(probability: 0.2), Matrix.ones(1, 1))
        pair.eval()
        #expect(!pair.first.isTraining && !pair.isTraining)
    }

    /// The site seeds are SplitMix64's output, written out here from its definition.
    @Test func siteSeedsAreSplitMix64() {
        func splitMix(_ state: UInt64) -> UInt64 {
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        #expect(siteSeed(0, 0) == 0xE220_A839_7B1D_CDAF, "SplitMix64's first output from seed 0")
        #expect(siteSeed(7, 3) == splitMix(7 &+ 4 &* 0x9E37_79B9_7F4A_7C15))
        #expect(Set((0..<100).map { siteSeed(1, $0) }).count == 100)
    }
}
