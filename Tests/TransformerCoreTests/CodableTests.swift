import Foundation
import Testing
import TransformerCore

/// The core's values survive `JSONEncoder` → `JSONDecoder` (what a checkpoint between cells
/// does): equal values, the same bits in every `Double`, the same bytes when encoded again, and
/// stateful values (generators, optimizers) continue exactly as the originals do.
struct CodableTests {
    static func roundTrip<T: Codable>(_ value: T) throws -> T {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(value)
        let decoded = try JSONDecoder().decode(T.self, from: data)
        #expect(try encoder.encode(decoded) == data, "\(T.self) encodes to other bytes after a round trip")
        return decoded
    }

    static func expectRoundTrip<T: Codable & Equatable>(_ value: T) throws {
        #expect(try roundTrip(value) == value, "\(T.self) differs after a round trip")
    }

    @Test func doublesRoundTripBitForBit() throws {
        var g = SeededGenerator(seed: 7)
        var values: [Double] = [
            0.1, 0.2, 0.1 + 0.2, 1 / 3.0, -0.0, .leastNonzeroMagnitude, .leastNormalMagnitude,
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .ulpOfOne, 1 + .ulpOfOne, 1e-300,
            123_456_789.123_456_79,
        ]
        while values.count < 5000 {
            let d = Double(bitPattern: g.next())
            if d.isFinite { values.append(d) }
        }
        values += (0..<1000).map { _ in g.normal() }
        let m = Matrix(rows: 1, cols: values.count, values: values)
        let back = try Self.roundTrip(m)
        #expect(back.values.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func nonFiniteEntriesNeedAStrategy() throws {
        let m = Matrix([[.infinity, -.infinity, 1]])
        #expect(throws: EncodingError.self) { try JSONEncoder().encode(m) }
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        #expect(try decoder.decode(Matrix.self, from: encoder.encode(m)) == m)
    }

    @Test func aMatrixWhoseValuesDoNotFillItsShapeIsRejected() {
        let json = Data(#"{"rows": 2, "cols": 2, "values": [1, 2, 3]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Matrix.self, from: json) }
    }

    @Test func aGeneratorContinuesTheSameSequence() throws {
        var g = SeededGenerator(seed: 42)
        for _ in 0..<17 { _ = g.next() }
        var h = try Self.roundTrip(g)
        #expect(h == g)
        for _ in 0..<1000 { #expect(h.next() == g.next()) }
        #expect(h.normal() == g.normal())
    }

    @Test func layersAndModelsRoundTrip() throws {
        try Self.expectRoundTrip(Linear(inputs: 3, outputs: 2, seed: 1))
        try Self.expectRoundTrip(Linear(inputs: 3, outputs: 2, bias: false, seed: 1))
        try Self.expectRoundTrip(Embedding(vocabularySize: 5, dimension: 3, seed: 2))
        try Self.expectRoundTrip(LayerNorm(gain: [1, 2], bias: [0, 0.5], epsilon: 1e-6))
        try Self.expectRoundTrip(FeedForward(dModel: 4, hidden: 8, seed: 3))
        try Self.expectRoundTrip(MultiHeadAttention(dModel: 4, heads: 2, bias: true, seed: 4))
        try Self.expectRoundTrip(MultiHeadAttention(dModel: 4, heads: 2, seed: 4))
        try Self.expectRoundTrip(AdditiveAttention(queryWidth: 3, keyWidth: 4, hidden: 5, seed: 5))
        try Self.expectRoundTrip(EncoderBlock(dModel: 4, heads: 2, hidden: 8, seed: 6))
        try Self.expectRoundTrip(DecoderBlock(dModel: 4, heads: 2, hidden: 8, bias: true, seed: 7))
        try Self.expectRoundTrip(TinyEncoder(vocabulary: 7, dModel: 4, heads: 2, ffn: 8, blocks: 2, seed: 8))
        try Self.expectRoundTrip(
            Seq2Seq(sourceVocabulary: 6, targetVocabulary: 7, dModel: 4, heads: 2, ffn: 8, layers: 1, seed: 9))
        try Self.expectRoundTrip(Pair(Matrix([[1, 2]]), Linear(inputs: 2, outputs: 2, seed: 10)))
        try Self.expectRoundTrip([Linear(inputs: 2, outputs: 2, seed: 11), Linear(inputs: 2, outputs: 2, seed: 12)])
    }

    @Test func aRoundTripKeepsTheTrainedModelsOutputs() throws {
        let model = TinyEncoder(vocabulary: 7, dModel: 4, heads: 2, ffn: 8, blocks: 1, seed: 8)
        let back = try Self.roundTrip(model)
        let input = [[1, 2, 3, 4]]
        #expect(back(input) == model(input))
    }

    @Test func tasksTokensAndMasksRoundTrip() throws {
        let task = SequenceTask(.reverse, vocabulary: 10, length: 6)
        try Self.expectRoundTrip(task)
        try Self.expectRoundTrip(task.batch(3, seed: 1))
        let words = NumberWords(maximum: 99)
        try Self.expectRoundTrip(words)
        #expect(try Self.roundTrip(words).batch(4, seed: 2) == words.batch(4, seed: 2))
        try Self.expectRoundTrip(words.batch(4, seed: 2))
        let vocab = Vocabulary(Tokenizer.characters("美女，可以加一下微信吗"))
        let back = try Self.roundTrip(vocab)
        #expect(back == vocab)
        #expect(back.id(of: "微") == vocab.id(of: "微"))
        try Self.expectRoundTrip(Mask.causal(4) && Mask.padding(validKeys: 3, of: 4, queries: 4))
        try Self.expectRoundTrip(SequenceTask.Kind.sort)
    }

    @Test func attentionResultsRoundTrip() throws {
        let x = Matrix.randomNormal(4, 4, seed: 1)
        try Self.expectRoundTrip(attention(x, x, x, mask: .causal(4)))
        try Self.expectRoundTrip(MultiHeadAttention(dModel: 4, heads: 2, bias: true, seed: 2)(x, mask: .causal(4)))
    }

    /// Trains `steps` steps from `start` with `optimizer`, returning both.
    static func train<O: Optimizer>(_ start: Linear, _ optimizer: O, steps: Range<Int>) -> (Linear, O) {
        var (model, optimizer) = (start, optimizer)
        for step in steps {
            let x = Matrix.randomNormal(5, 3, seed: UInt64(step))
            let y = Matrix.randomNormal(5, 2, seed: UInt64(100 + step))
            let grads = gradient(at: model) { m in mse(m(x), y) }
            optimizer.update(&model, along: grads)
        }
        return (model, optimizer)
    }

    @Test(arguments: [
        Adam(learningRate: 0.01), AdamW(learningRate: 0.01, weightDecay: 0.1),
        Adam(learningRate: 0.01, weightDecay: 0.1),
    ])
    func adamContinuesTheSameSteps(_ adam: Adam) throws {
        let start = Linear(inputs: 3, outputs: 2, seed: 1)
        let (reference, _) = Self.train(start, adam, steps: 0..<6)
        let (half, halfAdam) = Self.train(start, adam, steps: 0..<3)
        let restoredAdam = try Self.roundTrip(halfAdam)
        #expect(restoredAdam == halfAdam)
        #expect(restoredAdam.step == 3)
        let (resumed, _) = Self.train(try Self.roundTrip(half), restoredAdam, steps: 3..<6)
        #expect(resumed == reference)
        // Without the moments the steps differ: the round trip carried them.
        let (fresh, _) = Self.train(half, adam, steps: 3..<6)
        #expect(fresh != reference)
    }

    @Test func sgdWithMomentumContinuesTheSameSteps() throws {
        let sgd = SGD(learningRate: 0.05, momentum: 0.9, nesterov: true)
        let start = Linear(inputs: 3, outputs: 2, seed: 2)
        let (reference, _) = Self.train(start, sgd, steps: 0..<6)
        let (half, halfSGD) = Self.train(start, sgd, steps: 0..<3)
        let (resumed, _) = Self.train(try Self.roundTrip(half), try Self.roundTrip(halfSGD), steps: 3..<6)
        #expect(resumed == reference)
        let (fresh, _) = Self.train(half, sgd, steps: 3..<6)
        #expect(fresh != reference)
    }
}
