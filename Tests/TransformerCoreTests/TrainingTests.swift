import Testing
import TransformerCore

/// Trains the tiny model on the copy task for `steps` Adam steps; returns the model and
/// the losses.
func trainCopy(steps: Int) -> (TinyEncoder, [Double]) {
    let task = SequenceTask(.copy, vocabulary: 20, length: 16)
    var model = TinyEncoder(vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, seed: 1)
    var adam = Adam(learningRate: 1e-3)
    var losses: [Double] = []
    for step in 1...steps {
        let batch = task.batch(32, seed: UInt64(step))
        let (loss, grads) = valueWithGradient(at: model) { m in crossEntropy(m(batch.inputs), batch.targets) }
        adam.update(&model, along: grads)
        losses.append(loss)
    }
    return (model, losses)
}

@Test func copyTaskIsLearnedAndTrainingIsBitReproducible() {
    let (model, losses) = trainCopy(steps: 300)
    // Chance is ln 20 ≈ 3.0 nats at first; unseen sequences are copied almost perfectly after.
    #expect(losses[0] > 2.5)
    let test = SequenceTask(.copy, vocabulary: 20, length: 16).batch(64, seed: 1_000_000)
    #expect(accuracy(model(test.inputs), test.targets.flatMap { $0 }) >= 0.99)
    let (again, lossesAgain) = trainCopy(steps: 300)
    #expect(again == model && lossesAgain == losses)
}

@Test func warmupScheduleByHand() {
    // d_model 512, 4000 warm-up steps: at step 1, 512^-½ · 4000^-3/2; at the peak both terms meet.
    #expect(
        abs(
            warmupLearningRate(step: 1, dModel: 512, warmup: 4000) - 1
                / (512.0.squareRoot() * 4000 * 4000.0.squareRoot())) < 1e-20)
    #expect(
        abs(warmupLearningRate(step: 4000, dModel: 512, warmup: 4000) - 1 / (512.0.squareRoot() * 4000.0.squareRoot()))
            < 1e-15)
    #expect(
        abs(
            warmupLearningRate(step: 16000, dModel: 512, warmup: 4000) - 1 / (512.0.squareRoot() * 16000.0.squareRoot())
        ) < 1e-15)
}

@Test func clippingScalesToTheMaximumNormAndReturnsTheNormBefore() {
    var g = Pair(Matrix([[3, 0]]), Matrix([[0, 4]]))  // global norm 5
    #expect(clipGlobalNorm(&g, maxNorm: 1) == 5)
    #expect(abs(g.globalNorm - 5 / (5 + 1e-6)) < 1e-15)
    var small = Pair(Matrix([[0.3]]), Matrix([[0.4]]))
    #expect(abs(clipGlobalNorm(&small, maxNorm: 1) - 0.5) < 1e-15 && small.first == [[0.3]])
}

@Test func tasksAndGreedyDecodingAreWhatTheySay() {
    let input = [4, 1, 3, 1]
    #expect(SequenceTask(.reverse, vocabulary: 5, length: 4).targets(for: input) == [1, 3, 1, 4])
    #expect(SequenceTask(.previousToken, vocabulary: 5, length: 4).targets(for: input) == [-100, 4, 1, 3])
    #expect(SequenceTask(.nextToken, vocabulary: 5, length: 4).targets(for: input) == [1, 3, 1, -100])
    #expect(SequenceTask(.sort, vocabulary: 5, length: 4).targets(for: input) == [1, 1, 3, 4])
    #expect(
        SequenceTask(.copy, vocabulary: 5, length: 4).batch(3, seed: 7)
            == SequenceTask(.copy, vocabulary: 5, length: 4).batch(3, seed: 7))
    let words = NumberWords()
    #expect(
        words.words(340) == ["three", "hundred", "forty"] && words.words(13) == ["thirteen"]
            && words.words(0) == ["zero"])
    #expect(
        words.words(777) == ["seven", "hundred", "seventy", "seven"] && words.words(105) == ["one", "hundred", "five"])
    let batch = words.batch([13, 340])
    let ids = words.targetVocabulary.ids(["thirteen", "<eos>"])
    #expect(batch.sources[0] == words.sourceVocabulary.ids(["1", "3"]) + [0] && batch.sourceLengths == [2, 3])
    #expect(batch.decoderInputs[0] == [words.start, ids[0], 0, 0, 0] && batch.targets[0] == ids + [-100, -100, -100])
    // An untrained model still stops at maxLength; decoding is deterministic.
    let model = Seq2Seq(
        sourceVocabulary: 11, targetVocabulary: words.targetVocabulary.count, dModel: 8, heads: 2, ffn: 8,
        layers: 1, seed: 3)
    let out = model.greedyDecode(batch.sources[1], start: words.start, end: words.end, maxLength: 6)
    #expect(
        out.count <= 6 && out == model.greedyDecode(batch.sources[1], start: words.start, end: words.end, maxLength: 6))
}

@Test func batchedAttentionEqualsAttentionPerSequence() {
    let mha = MultiHeadAttention(dModel: 8, heads: 2, bias: true, seed: 5)
    let x = Matrix.randomNormal(6, 8, seed: 6)
    let batched = mha(x, sequences: 2, causal: true, keyLengths: [3, 2])
    for b in 0..<2 {
        let part = x.rows(b * 3..<(b + 1) * 3)
        let allowed = (0..<3).map { i in (0..<3).map { j in j <= i && j < [3, 2][b] } }
        let single = mha(part, mask: Mask(allowed: allowed)).output
        #expect(batched.rows(b * 3..<(b + 1) * 3).maxAbsDifference(single) < 1e-14)
    }
}

@Test func aClosureInsideAGradientStopsTheProgramInsteadOfDroppingTheGradient() async {
    // Untracked values take map as before; d/dx Σx² = 2x by hand.
    #expect(Matrix([[1, 2]]).map { $0 * 2 } == [[2, 4]])
    #expect(gradient(at: Matrix([[1, 2]])) { x in sum(x .* x) } == [[2, 4]])
    await #expect(processExitsWith: .failure) {
        _ = gradient(at: Matrix([[1, 2]])) { x in sum(x.map { $0 * $0 }) }
    }
    await #expect(processExitsWith: .failure) {
        _ = gradient(at: Matrix([[1, 2]])) { x in Matrix([[1]]) }
    }
}
