/// Splits text into tokens.
public enum Tokenizer {
    /// One token per character, white space dropped: 「美女，可以」 → 美 女 ， 可 以.
    ///
    /// Punctuation is kept as its own token.
    public static func characters(_ text: String) -> [String] {
        text.filter { !$0.isWhitespace }.map(String.init)
    }

    /// English words, lowercased, with each punctuation mark as its own token:
    /// "The cat sat." → the cat sat .
    public static func words(_ text: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        func flush() {
            if !word.isEmpty {
                tokens.append(word.lowercased())
                word = ""
            }
        }
        for ch in text {
            if ch.isLetter || ch.isNumber || ch == "'" {
                word.append(ch)
            } else {
                flush()
                if !ch.isWhitespace { tokens.append(String(ch)) }
            }
        }
        flush()
        return tokens
    }
}

/// A vocabulary: a stable id for every token, in order of first appearance.
public struct Vocabulary: Sendable, Equatable, Codable {
    /// The tokens, indexed by id.
    public private(set) var tokens: [String] = []
    private var ids: [String: Int] = [:]

    /// A vocabulary of `tokens`, ids given in order of first appearance.
    public init<S: Sequence>(_ tokens: S) where S.Element == String {
        for t in tokens where ids[t] == nil {
            ids[t] = self.tokens.count
            self.tokens.append(t)
        }
    }

    /// The number of tokens (V).
    public var count: Int { tokens.count }

    /// The id of `token`, or nil when it is not in the vocabulary.
    public func id(of token: String) -> Int? { ids[token] }

    /// The ids of `tokens`.
    /// - Precondition: every token is in the vocabulary.
    public func ids(_ tokens: [String], file: StaticString = #fileID, line: UInt = #line) -> [Int] {
        tokens.map { t in
            guard let id = ids[t] else { fail("Vocabulary: \"\(t)\" is not in the vocabulary", file, line) }
            return id
        }
    }

    /// The token with id `id`.
    public func token(_ id: Int) -> String { tokens[id] }

    /// The one-hot matrix of `tokens`: one row per token, one column per vocabulary entry.
    /// - Precondition: every token is in the vocabulary.
    /// - Complexity: O(tokens.count · V).
    public func oneHot(_ tokens: [String], file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        let idList = ids(tokens, file: file, line: line)
        return Matrix(rows: idList.count, cols: count) { i, j in idList[i] == j ? 1 : 0 }
    }
}

/// An embedding table E [V, d]: row i is the vector of token id i.
public struct Embedding: Layer, Sendable, Equatable, Codable {
    /// The table, one row per token id.
    public var table: Matrix

    /// An embedding from a given table.
    public init(_ table: Matrix) { self.table = table }

    /// A table of N(0, 1/d) samples, seeded.
    public init(vocabularySize: Int, dimension: Int, seed: UInt64) {
        table = .randomNormal(vocabularySize, dimension, std: 1 / Double(dimension).squareRoot(), seed: seed)
    }

    /// The table, named `weight` as in PyTorch's `nn.Embedding`.
    public var parameters: [Parameter<Self>] { [Parameter("weight", \.table)] }

    /// The vector width d.
    public var dimension: Int { table.cols }

    /// The rows of `ids`: equal to `oneHot · E`, without the multiplications.
    /// - Precondition: every id lies within `0..<V`.
    public func lookup(_ ids: [Int], file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        table.rows(ids, file: file, line: line)
    }
}
