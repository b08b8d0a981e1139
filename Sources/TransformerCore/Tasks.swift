/// A batch of equal-length token sequences and their per-position targets (`ignoreIndex` where
/// a position is not scored), with each sequence's number of real tokens.
public struct TokenBatch: Sendable, Equatable, Codable {
    /// The input ids, one array per sequence, all of one length.
    public let inputs: [[Int]]
    /// The target ids, one per input position; −100 where not scored.
    public let targets: [[Int]]
    /// The number of real (unpadded) tokens of each sequence.
    public let validLengths: [Int]
}

/// Seeded generators of the toy sequence tasks the lessons train on: each position's target
/// is a function of the whole input sequence.
///
/// Token ids are `0..<vocabulary`.
public struct SequenceTask: Sendable, Equatable, Codable {
    /// What the target of position i is.
    public enum Kind: String, Sendable, Equatable, Codable {
        /// The input at i.
        case copy
        /// The input at n−1−i.
        case reverse
        /// The input at i−1 (none at 0).
        case previousToken
        /// The input at i+1 (none at the last position).
        case nextToken
        /// The i-th smallest input.
        case sort
    }

    /// How each position's target follows from the input sequence.
    public let kind: Kind
    /// The number of token ids.
    public let vocabulary: Int
    /// The sequence length.
    public let length: Int

    /// A task of `kind` over sequences of `length` ids in `0..<vocabulary`.
    public init(_ kind: Kind, vocabulary: Int, length: Int) {
        (self.kind, self.vocabulary, self.length) = (kind, vocabulary, length)
    }

    /// The targets of one input sequence (−100 where there is none).
    public func targets(for input: [Int]) -> [Int] {
        let n = input.count
        switch kind {
        case .copy: return input
        case .reverse: return input.reversed()
        case .previousToken: return (0..<n).map { $0 == 0 ? -100 : input[$0 - 1] }
        case .nextToken: return (0..<n).map { $0 == n - 1 ? -100 : input[$0 + 1] }
        case .sort: return input.sorted()
        }
    }

    /// `size` random sequences, drawn from `SeededGenerator(seed:)`, with their targets.
    public func batch(_ size: Int, seed: UInt64) -> TokenBatch {
        var g = SeededGenerator(seed: seed)
        let inputs = (0..<size).map { _ in (0..<length).map { _ in Int(g.next() % UInt64(vocabulary)) } }
        return TokenBatch(
            inputs: inputs, targets: inputs.map(targets(for:)),
            validLengths: Array(repeating: length, count: size))
    }
}

/// A batch for an encoder–decoder: padded sources with their lengths, the decoder's inputs
/// (start token, then the target) and the targets (the target, then the end token), padded
/// with −100.
public struct TranslationBatch: Sendable, Equatable, Codable {
    /// Source ids, padded with the source padding id to one length.
    public let sources: [[Int]]
    /// The number of real tokens of each source.
    public let sourceLengths: [Int]
    /// `<bos>` followed by the target's ids, padded with the target padding id.
    public let decoderInputs: [[Int]]
    /// The target's ids followed by `<eos>`, padded with −100 (not scored).
    public let targets: [[Int]]
}

/// Numbers written in digits translated to English words: `3 4 0` → `three hundred forty`,
/// `1 3` → `thirteen`.
///
/// Source and target lengths differ, and some words depend on two digits, so an alignment must
/// be learned, and the output's length comes from generation.
public struct NumberWords: Sendable, Equatable, Codable {
    /// `<pad>` and the ten digits.
    public let sourceVocabulary = Vocabulary(["<pad>"] + (0...9).map { String($0) })
    /// `<pad>`, `<bos>`, `<eos>` and the words.
    public let targetVocabulary = Vocabulary(
        ["<pad>", "<bos>", "<eos>"] + NumberWords.ones + NumberWords.teens
            + NumberWords.tens.dropFirst(2) + ["hundred"])
    /// The largest number drawn.
    public let maximum: Int

    /// Only the maximum is stored: the vocabularies are fixed.
    private enum CodingKeys: String, CodingKey { case maximum }

    private static let ones = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    private static let teens = [
        "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen",
    ]
    private static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

    /// Numbers from 0 to `maximum` (at most 999).
    public init(maximum: Int = 999) { self.maximum = min(999, max(0, maximum)) }

    /// The digits of `n`, as tokens.
    public func digits(_ n: Int) -> [String] { String(n).map { String($0) } }

    /// `n` in words, as tokens.
    public func words(_ n: Int) -> [String] {
        if n < 10 { return [Self.ones[n]] }
        if n < 20 { return [Self.teens[n - 10]] }
        if n < 100 { return [Self.tens[n / 10]] + (n % 10 == 0 ? [] : [Self.ones[n % 10]]) }
        return [Self.ones[n / 100], "hundred"] + (n % 100 == 0 ? [] : words(n % 100))
    }

    /// The id of `<bos>` in the target vocabulary.
    public var start: Int { targetVocabulary.id(of: "<bos>")! }
    /// The id of `<eos>` in the target vocabulary.
    public var end: Int { targetVocabulary.id(of: "<eos>")! }

    /// `size` random numbers in 0...maximum, drawn from `SeededGenerator(seed:)`.
    public func numbers(_ size: Int, seed: UInt64) -> [Int] {
        var g = SeededGenerator(seed: seed)
        return (0..<size).map { _ in Int(g.next() % UInt64(maximum + 1)) }
    }

    /// The batch of `numbers`: sources padded to 3 digits, targets to 4 words plus `<eos>`.
    public func batch(_ numbers: [Int]) -> TranslationBatch {
        let sources = numbers.map { sourceVocabulary.ids(digits($0)) }
        let targets = numbers.map { targetVocabulary.ids(words($0)) }
        let sourceLength = 3, targetLength = 5
        return TranslationBatch(
            sources: sources.map { $0 + Array(repeating: 0, count: sourceLength - $0.count) },
            sourceLengths: sources.map(\.count),
            decoderInputs: targets.map { [start] + $0 + Array(repeating: 0, count: targetLength - 1 - $0.count) },
            targets: targets.map { $0 + [end] + Array(repeating: -100, count: targetLength - 1 - $0.count) })
    }

    /// A batch of `size` random numbers.
    public func batch(_ size: Int, seed: UInt64) -> TranslationBatch { batch(numbers(size, seed: seed)) }
}
