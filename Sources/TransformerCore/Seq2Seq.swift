/// A small encoder–decoder transformer (the original architecture, pre-LayerNorm): the source
/// goes through the encoder; the decoder reads the target so far with causal self-attention
/// and the encoder's output through cross-attention; a linear head gives the next token's
/// logits at every target position.
///
/// With `dropout` above 0 it drops, in training, after each embedding plus positions and in
/// every block; decoding (`greedyDecode`, `beamDecode`) runs in evaluation mode.
public struct Seq2Seq: Layer, Sendable, Equatable, Codable {
    /// Source and target token embeddings.
    public var sourceEmbedding: Embedding, targetEmbedding: Embedding
    /// The encoder blocks.
    public var encoder: [EncoderBlock]
    /// The LayerNorm after the encoder; its output is the decoder's memory.
    public var encoderNorm: LayerNorm
    /// The decoder blocks.
    public var decoder: [DecoderBlock]
    /// The LayerNorm after the decoder.
    public var decoderNorm: LayerNorm
    /// The head [d_model, target vocabulary].
    public var head: Linear
    /// Dropout on the source and target embeddings plus positions.
    public var sourceDropout = Dropout(probability: 0), targetDropout = Dropout(probability: 0)

    /// A seeded model with `layers` encoder and `layers` decoder blocks; `dropout` is the rate of
    /// every dropout inside (0, the default: none).
    public init(
        sourceVocabulary: Int, targetVocabulary: Int, dModel: Int, heads: Int, ffn: Int, layers: Int,
        dropout: Double = 0, seed: UInt64
    ) {
        sourceEmbedding = Embedding(vocabularySize: sourceVocabulary, dimension: dModel, seed: seed)
        targetEmbedding = Embedding(vocabularySize: targetVocabulary, dimension: dModel, seed: seed &+ 1)
        encoder = (0..<layers).map {
            EncoderBlock(
                dModel: dModel, heads: heads, hidden: ffn, bias: true, dropout: dropout,
                seed: seed &+ 100 &* UInt64($0 + 1))
        }
        decoder = (0..<layers).map {
            DecoderBlock(
                dModel: dModel, heads: heads, hidden: ffn, bias: true, dropout: dropout,
                seed: seed &+ 1000 &* UInt64($0 + 1))
        }
        (sourceDropout, targetDropout) = (Dropout(probability: dropout), Dropout(probability: dropout))
        encoderNorm = LayerNorm(dModel)
        decoderNorm = LayerNorm(dModel)
        head = Linear(inputs: dModel, outputs: targetVocabulary, seed: seed &+ 7)
    }

    /// Every parameter, PyTorch-style names (`encoder.0.attention.wQ`, `decoder.0.crossAttention.wK`, …).
    public var parameters: [Parameter<Self>] {
        parameters(of: \.sourceEmbedding, named: "sourceEmbedding")
            + parameters(of: \.targetEmbedding, named: "targetEmbedding")
            + parameters(of: \.encoder, named: "encoder") + parameters(of: \.encoderNorm, named: "encoderNorm")
            + parameters(of: \.decoder, named: "decoder") + parameters(of: \.decoderNorm, named: "decoderNorm")
            + parameters(of: \.head, named: "head")
    }

    /// The encoder's output (the memory) for a batch of equal-length sources, rows stacked;
    /// source positions past `sourceLengths[b]` are padding.
    ///
    /// In training, dropout draws its masks from `dropoutSeed` (site 0 the embeddings, 1 + i encoder block i).
    public func encode(
        _ source: [[Int]], sourceLengths: [Int]? = nil, dropoutSeed: UInt64? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Matrix {
        let s = dropoutSeed
        var x = sourceDropout.apply(
            embedSequences(source, sourceEmbedding, positions: true, file: file, line: line), seed: s, site: 0,
            in: "Seq2Seq", file: file, line: line)
        for (i, block) in encoder.enumerated() {
            x = block(
                x, sequences: source.count, keyLengths: sourceLengths,
                dropoutSeed: s.map { siteSeed($0, UInt64(1 + i)) }, file: file, line: line)
        }
        return encoderNorm(x)
    }

    /// The logits of the next token at every position of every target sequence, [B·T_target, V].
    ///
    /// In training, dropout draws its masks from `dropoutSeed` (site 1000 the embeddings, 1001 + i
    /// decoder block i).
    public func decode(
        _ target: [[Int]], memory: Matrix, sourceLengths: [Int]? = nil, dropoutSeed: UInt64? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Matrix {
        let s = dropoutSeed
        var y = targetDropout.apply(
            embedSequences(target, targetEmbedding, positions: true, file: file, line: line), seed: s, site: 1000,
            in: "Seq2Seq", file: file, line: line)
        for (i, block) in decoder.enumerated() {
            y = block(
                y, memory: memory, sequences: target.count, memoryLengths: sourceLengths,
                dropoutSeed: s.map { siteSeed($0, UInt64(1001 + i)) }, file: file, line: line)
        }
        return head(decoderNorm(y))
    }

    /// Teacher forcing: the logits for `target` (the decoder's input) given `source`; in
    /// training, `dropoutSeed` seeds both halves' masks.
    public func callAsFunction(
        source: [[Int]], target: [[Int]], sourceLengths: [Int]? = nil, dropoutSeed: UInt64? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Matrix {
        decode(
            target,
            memory: encode(source, sourceLengths: sourceLengths, dropoutSeed: dropoutSeed, file: file, line: line),
            sourceLengths: sourceLengths, dropoutSeed: dropoutSeed, file: file, line: line)
    }

    /// Greedy decoding: starts from `start`, appends the most likely next token until `end` or
    /// `maxLength` tokens; returns the generated tokens without `start` (with `end` if reached).
    ///
    /// The output length comes from here, from generation, not from the source's length.
    /// It runs in evaluation mode, whatever this model's mode.
    public func greedyDecode(_ source: [Int], start: Int, end: Int, maxLength: Int) -> [Int] {
        let model = evaluating()
        let memory = model.encode([source]).detached
        var target = [start]
        while target.count <= maxLength {
            let logits = model.decode([target], memory: memory)
            let next = argmax(logits.row(logits.rows - 1))
            target.append(next)
            if next == end { break }
        }
        return Array(target.dropFirst())
    }

    /// The cross-attention weights of every decoder block for one source and one target prefix,
    /// [block][head] (T_target×T_source): the learned alignment, in evaluation mode.
    public func crossAttentionWeights(source: [Int], target: [Int]) -> [[Matrix]] {
        let memory = evaluating().encode([source]).detached
        var y = embedSequences([target], targetEmbedding, positions: true, file: #fileID, line: #line).detached
        var out: [[Matrix]] = []
        for block in decoder.evaluating() {
            let a = y + block.selfAttention(block.norm1(y), sequences: 1, causal: true)
            out.append(block.crossAttention.weights(block.norm2(a), context: memory)[0])
            y = block(y, memory: memory, sequences: 1).detached
        }
        return out
    }
}
