import Foundation
import Testing
import TransformerCore

/// Beam search on hand-made distributions where the answer is computed by hand.
struct BeamSearchTests {
    /// A table of next-token probabilities where greedy decoding misses the likeliest sequence.
    ///
    /// Tokens: 0 = start, 1 = end, 2 = a, 3 = b. After start: a 0.6, b 0.4. After a: end 0.3,
    /// a 0.35, b 0.35 (flat, so nothing after a is likely); after b: end 0.9. Greedy takes a
    /// (0.6), then a or b (0.21); the best sequence is b, end (0.4 · 0.9 = 0.36).
    static func table(_ prefix: [Int]) -> [Double] {
        let p: [Double]
        switch prefix.last! {
        case 0: p = [0, 0, 0.6, 0.4]
        case 2: p = [0, 0.3, 0.35, 0.35]
        default: p = [0, 0.9, 0.05, 0.05]
        }
        return p.map { log($0) }
    }

    @Test func aWiderBeamFindsTheLikelierSequence() {
        let greedy = beamSearch(start: 0, end: 1, maxLength: 2, width: 1, logProbabilities: Self.table)
        #expect(greedy.tokens == [2, 2])  // a, then a (0.35 ties b; the smaller id wins)
        #expect(abs(greedy.logProbability - log(0.6 * 0.35)) < 1e-12)
        let beam = beamSearch(start: 0, end: 1, maxLength: 2, width: 2, logProbabilities: Self.table)
        #expect(beam.tokens == [3, 1])
        #expect(abs(beam.logProbability - log(0.4 * 0.9)) < 1e-12)
    }

    @Test func widthOneIsGreedyDecoding() {
        let words = NumberWords(maximum: 99)
        let model = Seq2Seq(
            sourceVocabulary: 11, targetVocabulary: words.targetVocabulary.count, dModel: 8, heads: 2, ffn: 16,
            layers: 1, seed: 1)
        for source in [[4, 3], [1, 9, 9], [7]] {
            let greedy = model.greedyDecode(source, start: words.start, end: words.end, maxLength: 5)
            #expect(model.beamDecode(source, start: words.start, end: words.end, maxLength: 5, width: 1) == greedy)
        }
    }
}
