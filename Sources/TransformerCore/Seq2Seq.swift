/// A small encoder–decoder transformer (the original architecture, pre-LayerNorm): the source
/// goes through the encoder; the decoder reads the target so far with causal self-attention
/// and the encoder's output through cross-attention; a linear head gives the next token's
/// logits at every target position.
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

    /// A seeded model with `layers` encoder and `layers` decoder blocks.
    public init(
        sourceVocabulary: Int, targetVocabulary: Int, dModel: Int, heads: Int, ffn: Int, layers: Int,
        seed: UInt64
    ) {
        sourceEmbedding = Embedding(vocabularySize: sourceVocabulary, dimension: dModel, seed: seed)
        targetEmbedding = Embedding(vocabularySize: targetVocabulary, dimension: dModel, seed: seed &+ 1)
        encoder = (0..<layers).map {
            EncoderBlock(dModel: dModel, heads: heads, hidden: ffn, bias: true, seed: seed &+ 100 &* UInt64($0 + 1))
        }
        decoder = (0..<layers).map {
            DecoderBlock(dModel: dModel, heads: heads, hidden: ffn, bias: true, seed: seed &+ 1000 &* UInt64($0 + 1))
        }
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
    public func encode(
        _ source: [[Int]], sourceLengths: [Int]? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Matrix {
        var x = embedSequences(source, sourceEmbedding, positions: true, file: file, line: line)
        for block in encoder {
            x = block(x, sequences: source.count, keyLengths: sourceLengths, file: file, line: line)
        }
        return encoderNorm(x)
    }

    /// The logits of the next token at every position of every target sequence, [B·T_target, V].
    public func decode(
        _ target: [[Int]], memory: Matrix, sourceLengths: [Int]? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Matrix {
        var y = embedSequences(target, targetEmbedding, positions: true, file: file, line: line)
        for block in decoder {
            y = block(y, memory: memory, sequences: target.count, memoryLengths: sourceLengths, file: file, line: line)
        }
        return head(decoderNorm(y))
    }

    /// Teacher forcing: the logits for `target` (the decoder's input) given `source`.
    public func callAsFunction(
        source: [[Int]], target: [[Int]], sourceLengths: [Int]? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Matrix {
        decode(
            target, memory: encode(source, sourceLengths: sourceLengths, file: file, line: line),
            sourceLengths: sourceLengths, file: file, line: line)
    }

    /// Greedy decoding: starts from `start`, appends the most likely next token until `end` or
    /// `maxLength` tokens; returns the generated tokens without `start` (with `end` if reached).
    ///
    /// The output length comes from here, from generation, not from the source's length.
    public func greedyDecode(_ source: [Int], start: Int, end: Int, maxLength: Int) -> [Int] {
        let memory = encode([source]).detached
        var target = [start]
        while target.count <= maxLength {
            let logits = decode([target], memory: memory)
            let next = argmax(logits.row(logits.rows - 1))
            target.append(next)
            if next == end { break }
        }
        return Array(target.dropFirst())
    }

    /// The cross-attention weights of every decoder block for one source and one target prefix,
    /// [block][head] (T_target×T_source): the learned alignment.
    public func crossAttentionWeights(source: [Int], target: [Int]) -> [[Matrix]] {
        let memory = encode([source]).detached
        var y = embedSequences([target], targetEmbedding, positions: true, file: #fileID, line: #line).detached
        var out: [[Matrix]] = []
        for block in decoder {
            let a = y + block.selfAttention(block.norm1(y), sequences: 1, causal: true)
            out.append(block.crossAttention.weights(block.norm2(a), context: memory)[0])
            y = block(y, memory: memory, sequences: 1).detached
        }
        return out
    }
}
