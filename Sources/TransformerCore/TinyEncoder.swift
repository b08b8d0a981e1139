/// A small encoder-only transformer for sequence tasks: token embedding plus sinusoidal
/// positions, pre-LayerNorm encoder blocks, a final LayerNorm and a linear head that gives one
/// row of logits per position.
///
/// With `dropout` above 0 it drops, in training, where the Annotated Transformer does: after the
/// positions are added, and in every block (see `EncoderBlock`); `eval()` turns it all off.
///
/// ```swift
/// var model = TinyEncoder(vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, seed: 1)
/// let (loss, grads) = valueWithGradient(at: model) { m in crossEntropy(m(batch.inputs), batch.targets) }
/// ```
public struct TinyEncoder: Layer, Sendable, Equatable, Codable {
    /// The token embedding [V, d_model].
    public var embedding: Embedding
    /// The encoder blocks, in order.
    public var blocks: [EncoderBlock]
    /// The final LayerNorm.
    public var norm: LayerNorm
    /// The head [d_model, V].
    public var head: Linear
    /// Whether sinusoidal positions are added to the embeddings.
    public var positions: Bool
    /// Dropout on the embeddings plus positions (the Annotated Transformer's `PositionalEncoding`).
    public var embeddingDropout = Dropout(probability: 0)

    /// A seeded model; attention's projections have (zero-initialised) biases; `dropout` is the
    /// rate of every dropout inside (0, the default: none, the results of a model without it).
    public init(
        vocabulary: Int, dModel: Int, heads: Int, ffn: Int, blocks: Int, positions: Bool = true,
        dropout: Double = 0, seed: UInt64
    ) {
        embedding = Embedding(vocabularySize: vocabulary, dimension: dModel, seed: seed)
        self.blocks = (0..<blocks).map {
            EncoderBlock(
                dModel: dModel, heads: heads, hidden: ffn, bias: true, dropout: dropout,
                seed: seed &+ 100 &* UInt64($0 + 1))
        }
        embeddingDropout = Dropout(probability: dropout)
        norm = LayerNorm(dModel)
        head = Linear(inputs: dModel, outputs: vocabulary, seed: seed &+ 7)
        self.positions = positions
    }

    /// `embedding.weight`, `blocks.N.…`, `norm.…`, `head.…`.
    public var parameters: [Parameter<Self>] {
        parameters(of: \.embedding, named: "embedding") + parameters(of: \.blocks, named: "blocks")
            + parameters(of: \.norm, named: "norm") + parameters(of: \.head, named: "head")
    }

    /// The logits of every position of every sequence, [B·T, V], sequences in order.
    ///
    /// Keys past `validLengths[b]` are padding (no query attends to them). In training, dropout
    /// draws its masks from `dropoutSeed` (pass the step number: a new mask each step); site 0 is
    /// the embeddings, site 1 + i block i.
    /// - Precondition: the sequences have one length; every id is in the vocabulary; a seed is
    ///   given when dropout is on (training, rate above 0).
    public func callAsFunction(
        _ inputs: [[Int]], validLengths: [Int]? = nil, dropoutSeed: UInt64? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Matrix {
        let s = dropoutSeed
        var x = embeddingDropout.apply(
            embed(inputs, file: file, line: line), seed: s, site: 0, in: "TinyEncoder", file: file, line: line)
        for (i, block) in blocks.enumerated() {
            x = block(
                x, sequences: inputs.count, keyLengths: validLengths,
                dropoutSeed: s.map { siteSeed($0, UInt64(i + 1)) }, file: file, line: line)
        }
        return head(norm(x))
    }

    /// Each block's attention weights for one sequence, [block][head] (T×T), in evaluation mode.
    public func attentionWeights(_ tokens: [Int], file: StaticString = #fileID, line: UInt = #line) -> [[Matrix]] {
        var x = embed([tokens], file: file, line: line).detached
        var out: [[Matrix]] = []
        for block in blocks.evaluating() {
            out.append(block.attention.weights(block.norm1(x).detached, file: file, line: line)[0])
            x = block(x, sequences: 1).detached
        }
        return out
    }

    /// Token embeddings plus positions, the sequences' rows stacked.
    func embed(_ inputs: [[Int]], file: StaticString, line: UInt) -> Matrix {
        embedSequences(inputs, embedding, positions: positions, file: file, line: line)
    }
}

/// The embeddings of equal-length sequences, stacked, plus sinusoidal positions when asked.
func embedSequences(
    _ inputs: [[Int]], _ embedding: Embedding, positions: Bool,
    file: StaticString, line: UInt
) -> Matrix {
    let length = inputs.first?.count ?? 0
    for (b, s) in inputs.enumerated() where s.count != length {
        fail(
            "model: sequence \(b) has \(s.count) tokens but sequence 0 has \(length); pad them to one length", file,
            line)
    }
    let x = embedding.lookup(inputs.flatMap { $0 }, file: file, line: line)
    guard positions else { return x }
    let pe = sinusoidalPositions(length, embedding.dimension)
    return x + Matrix.vstack(Array(repeating: pe, count: inputs.count))
}
