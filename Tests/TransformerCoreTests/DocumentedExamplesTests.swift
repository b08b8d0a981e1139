import Foundation
import Testing
import TransformerCore

/// The API's documented examples, compiled and run: every ```` ```swift ```` block of
/// `Sources/TransformerCore/README.md` and of the core's doc comments is copied, line for line,
/// into one test below (`examplesAreCopiedHere` checks that), so an API change that breaks a
/// documented spelling breaks the build of this file.
struct DocumentedExamplesTests {
    // swift-format-ignore: AlwaysUseLowerCamelCase
    // `X` as the README names it.
    @Test func readmeAttention() {
        let tokens = Tokenizer.characters("美女，可以加一下微信吗")
        let vocab = Vocabulary(tokens)
        let X = Embedding(vocabularySize: vocab.count, dimension: 8, seed: 1).lookup(vocab.ids(tokens))
        let head = MultiHeadAttention(dModel: 8, heads: 2, seed: 2)
        let r = head(X, mask: .causal(tokens.count))
        _ = r.heads[0].weights  // softmax_rows(QKᵀ/√d_k + mask), 11×11, rows sum to 1
        _ = r.output  // concat(heads)·W_O, 11×8
        _ = gram(vocab.oneHot(tokens))  // one-hot vectors are orthogonal
        _ = softmax([1000, 1000, 1000])  // stable: [1/3, 1/3, 1/3]

        #expect(r.heads[0].weights.shapeDescription == "11×11")
        for s in r.heads[0].weights.rowSums { #expect(abs(s - 1) < 1e-12) }
        #expect(r.heads[0].weights[0, 1] == 0, "the causal mask hides the future")
        #expect(r.output.shapeDescription == "11×8")
        let g = gram(vocab.oneHot(tokens))
        for i in 0..<g.rows { for j in 0..<g.cols where i != j { #expect(g[i, j] == 0 || tokens[i] == tokens[j]) } }
        for p in softmax([1000, 1000, 1000]) { #expect(abs(p - 1.0 / 3) < 1e-15) }
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    // `X` as the README names it.
    @Test func topLevelReadme() {
        let tokens = Tokenizer.characters("美女，麻烦让一让")
        let X = Embedding(vocabularySize: 8, dimension: 4, seed: 1).lookup(Vocabulary(tokens).ids(tokens))
        _ = attention(X, X, X, mask: .causal(tokens.count))

        let a = attention(X, X, X, mask: .causal(tokens.count))
        #expect(a.output.row(0) == X.row(0), "the first token attends only to itself")
        for s in a.weights.rowSums { #expect(abs(s - 1) < 1e-12) }
    }

    @Test func readmeTraining() {
        let task = SequenceTask(.copy, vocabulary: 20, length: 16)  // also .reverse, .sort, .previousToken, .nextToken
        var model = TinyEncoder(vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, seed: 1)
        var adam = Adam(learningRate: 1e-3)  // torch.optim.Adam; AdamW(…), SGD(momentum:)
        var losses: [Double] = []
        for step in 1...300 {
            let batch = task.batch(32, seed: UInt64(step))  // seeded: the same batches every run
            let (loss, grads) = valueWithGradient(at: model) { m in crossEntropy(m(batch.inputs), batch.targets) }
            adam.update(&model, along: grads)
            losses.append(loss)
        }
        _ = model.attentionWeights(task.batch(1, seed: 0).inputs[0])[0][0]  // block 1, head 1: the learned map

        // An untrained model over 20 tokens starts near ln 20; copying is learnt within 300 steps.
        #expect(abs(losses[0] - log(20.0)) < 0.5)
        #expect(losses.last! < losses[0] / 2)
        let map = model.attentionWeights(task.batch(1, seed: 0).inputs[0])[0][0]
        for s in map.rowSums { #expect(abs(s - 1) < 1e-12) }
    }

    @Test func valueWithGradientAndTinyEncoderDocComments() {
        let batch = SequenceTask(.copy, vocabulary: 20, length: 16).batch(4, seed: 1)
        var adam = Adam(learningRate: 1e-3)
        var model = TinyEncoder(vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, seed: 1)
        let (loss, grads) = valueWithGradient(at: model) { m in crossEntropy(m(batch.inputs), batch.targets) }
        adam.update(&model, along: grads)

        #expect(
            loss
                == crossEntropy(
                    TinyEncoder(vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, seed: 1)(batch.inputs),
                    batch.targets)[0, 0])
        #expect(model != TinyEncoder(vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, seed: 1))
    }

    /// Issue 22 item 5: biases as vectors, the spelling of the API before it learned, and as rows.
    @Test func attentionBiasesAsVectorsOrRows() {
        do {
            let w: Matrix = [[1, 0], [0, 1]]
            let head = MultiHeadAttention(wQ: w, wK: w, wV: w, wO: w, bQ: [0.1, 0.2])
            // With identity projections, Q = X + b_Q row by row.
            #expect(head(Matrix([[1, 2], [3, 4]])).queries == Matrix([[1.1, 2.2], [3.1, 4.2]]))
            #expect(head.bK == nil)
        }
        do {
            let w: Matrix = [[1, 0], [0, 1]]
            let head = MultiHeadAttention(wQ: w, wK: w, wV: w, wO: w, bQ: [[0.1, 0.2]])
            #expect(head(Matrix([[1, 2], [3, 4]])).queries == Matrix([[1.1, 2.2], [3.1, 4.2]]))
        }
    }

    @Test func linearAndLayerNormFromVectors() {
        let layer = Linear(weight: [[1, 2], [3, 4]], bias: [0.5, -0.5])
        // [1, 1]·W = [4, 6]; plus the bias.
        #expect(layer(Matrix([[1, 1]])) == Matrix([[4.5, 5.5]]))
        let norm = LayerNorm(gain: [1, 2], bias: [0, 0.5])
        // The row [1, 3] normalises to [−1, 1] (mean 2, biased variance 1; ε = 1e-5 inside the root).
        let y = norm(Matrix([[1, 3]]))
        let s = 1 / (1 + 1e-5).squareRoot()
        #expect(abs(y[0, 0] - (-s * 1 + 0)) < 1e-15)
        #expect(abs(y[0, 1] - (s * 2 + 0.5)) < 1e-15)
    }

    @Test func stateDictionaryDocComments() throws {
        let json = try Linear(weight: [[1, 2]], bias: [0.5, -0.5]).stateDictionaryJSON()
        #expect(json.contains("\"bias\": [[0.5, -0.5]]"))

        let model = TinyEncoder(vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, seed: 3)
        try model.save(to: "/tmp/copy-task.json")
        let untrained = TinyEncoder(vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, seed: 1)
        let trained = try untrained.loaded(from: "/tmp/copy-task.json")
        #expect(trained == model)
    }

    @Test func recurrentDocComments() {
        do {
            let gru = GRU(inputs: 3, hidden: 4, seed: 1)
            let (outputs, last) = gru(Matrix.randomNormal(2 * 5, 3, seed: 2), sequences: 2, validLengths: [5, 3])
            // Sequence 1 ends after 3 steps: its last state is its output at step 3, then zeros.
            #expect(last.row(1) == outputs.row(5 + 2))
            #expect(outputs.row(5 + 3).allSatisfy { $0 == 0 })
        }
        do {
            let lstm = LSTM(inputs: 3, hidden: 4, seed: 1)
            let (hs, h, c) = lstm(Matrix.randomNormal(2 * 5, 3, seed: 2), sequences: 2, validLengths: [5, 3])
            #expect(h.row(0) == hs.row(4))
            #expect(c.shapeDescription == "2×4")
        }
    }

    @Test func dropoutDocComment() {
        var drop = Dropout(probability: 0.1)
        let y = drop(Matrix.ones(2, 3), seed: 7)
        drop.isTraining = false
        #expect(y.values.allSatisfy { $0 == 0 || abs($0 - 1 / 0.9) < 1e-15 })
        #expect(drop(Matrix.ones(2, 3), seed: 7) == Matrix.ones(2, 3))
    }

    @Test func trainAndEvalDocComment() {
        var model = TinyEncoder(vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, dropout: 0.1, seed: 1)
        model.eval()  // every Dropout inside passes its input through
        let logits = model([[1, 2, 3]])
        model.train()  // dropout on again; a training pass names its masks' seed
        let noisy = model([[1, 2, 3]], dropoutSeed: 7)
        let frozen = model.evaluating()  // a copy in evaluation mode; `model` is unchanged
        #expect(noisy != logits)
        #expect(frozen([[1, 2, 3]], dropoutSeed: 7) == logits)
        #expect(model.isTraining && !frozen.isTraining)
    }

    @Test func beamDecodeDocComment() {
        let words = NumberWords(maximum: 99)
        let model = Seq2Seq(
            sourceVocabulary: 11, targetVocabulary: words.targetVocabulary.count, dModel: 8, heads: 2, ffn: 16,
            layers: 1, seed: 1)
        let decoded = model.beamDecode([4, 3], start: words.start, end: words.end, maxLength: 5, width: 3)
        #expect(decoded.count <= 6)
        #expect(decoded.allSatisfy { $0 < words.targetVocabulary.count })
    }

    @Test func aDifferentiableOpOfOnesOwn() {
        func myTanh(_ x: Matrix) -> Matrix {
            let y = x.detached.map { tanh($0) }
            return Matrix.differentiable(y, from: [x]) { g in [g .* ((y .* y) * -1 + 1)] }
        }
        let x = Matrix([[0.3, -1.2, 2]])
        #expect(myTanh(x) == x.map { tanh($0) })
        let ours = gradient(at: x) { x in sum(myTanh(x) .* Matrix([[1, 2, 3]])) }
        // d/dx tanh = 1 − tanh², by hand, times the weights 1, 2, 3.
        let byHand = Matrix([[1 * (1 - pow(tanh(0.3), 2)), 2 * (1 - pow(tanh(-1.2), 2)), 3 * (1 - pow(tanh(2.0), 2))]])
        #expect(ours.maxAbsDifference(byHand) < 1e-15)
    }

    /// Every documented example's lines appear, in order and one after another, in this file.
    @Test(arguments: DocumentedExample.all())
    func examplesAreCopiedHere(_ example: DocumentedExample) throws {
        let here = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let lines = here.split(separator: "\n", omittingEmptySubsequences: false).map(DocumentedExample.normalised)
        let wanted = example.lines
        let found = lines.indices.contains { start in
            start + wanted.count <= lines.count && Array(lines[start..<start + wanted.count]) == wanted
        }
        #expect(found, "the example at \(example.location) is not copied into DocumentedExamplesTests.swift")
    }
}

/// One ```` ```swift ```` block of the core's README or of a doc comment, with where it is.
struct DocumentedExample: CustomTestStringConvertible, Sendable {
    let location: String
    let lines: [String]

    var testDescription: String { location }

    /// A line as it is compared: without indentation, a `_ = ` that silences an unused value,
    /// or a comment's leading spaces.
    static func normalised(_ line: Substring) -> String {
        var s = line.trimmingCharacters(in: .whitespaces)
        if s.hasPrefix("_ = ") { s.removeFirst(4) }
        if let comment = s.range(of: "//") {
            let code = s[..<comment.lowerBound].trimmingCharacters(in: .whitespaces)
            s = code + " " + s[comment.lowerBound...]
        }
        return s
    }

    static func all() -> [DocumentedExample] {
        let core = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/TransformerCore").standardized
        var out: [DocumentedExample] = []
        let files = (try? FileManager.default.contentsOfDirectory(atPath: core.path))?.sorted() ?? []
        for name in files where name.hasSuffix(".swift") || name == "README.md" {
            guard let text = try? String(contentsOf: core.appendingPathComponent(name), encoding: .utf8) else {
                continue
            }
            out += blocks(in: text, file: "Sources/TransformerCore/\(name)", docComments: name.hasSuffix(".swift"))
        }
        let readme = core.appendingPathComponent("../../README.md").standardized
        if let text = try? String(contentsOf: readme, encoding: .utf8) {
            out += blocks(in: text, file: "README.md", docComments: false)
        }
        precondition(out.count >= 3, "no documented examples found under \(core.path)")
        return out
    }

    static func blocks(in text: String, file: String, docComments: Bool) -> [DocumentedExample] {
        var out: [DocumentedExample] = []
        var current: (line: Int, lines: [String])?
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if docComments {
                guard line.hasPrefix("///") else { continue }
                line = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
            }
            if current == nil, line == "```swift" {
                current = (i + 1, [])
            } else if let block = current, line == "```" {
                out.append(DocumentedExample(location: "\(file):\(block.line)", lines: block.lines))
                current = nil
            } else if current != nil {
                current!.lines.append(normalised(Substring(line)))
            }
        }
        return out
    }
}
