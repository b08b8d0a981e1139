// Codable conformances whose encoding is not the synthesized one: a matrix without its tape
// mark, a generator's four words, a vocabulary's tokens alone, and optimizers' per-parameter
// state as lists sorted by name (so an encoding is the same bytes on every run, whatever the
// dictionary order).

extension Matrix: Codable {
    private enum CodingKeys: String, CodingKey { case rows, cols, values }

    /// A matrix from `{"rows": r, "cols": c, "values": [… r·c entries, row after row]}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let (rows, cols) = (try c.decode(Int.self, forKey: .rows), try c.decode(Int.self, forKey: .cols))
        let values = try c.decode([Double].self, forKey: .values)
        guard rows >= 0, cols >= 0, values.count == rows * cols else {
            throw DecodingError.dataCorruptedError(
                forKey: .values, in: c, debugDescription: "\(values.count) values do not fill \(rows)×\(cols)")
        }
        self.init(rows: rows, cols: cols, values: values)
    }

    /// Writes the shape and the entries; the tape mark is not part of the value.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rows, forKey: .rows)
        try c.encode(cols, forKey: .cols)
        try c.encode(values, forKey: .values)
    }
}

extension SeededGenerator: Codable {
    /// A generator from its four words of state, as `encode(to:)` writes them.
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(
            state: (
                try c.decode(UInt64.self), try c.decode(UInt64.self), try c.decode(UInt64.self),
                try c.decode(UInt64.self)
            ))
    }

    /// Writes the four words of state: the decoded generator continues the same sequence.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        let s = state
        try c.encode(s.0)
        try c.encode(s.1)
        try c.encode(s.2)
        try c.encode(s.3)
    }
}

extension Vocabulary {
    private enum CodingKeys: String, CodingKey { case tokens }

    /// A vocabulary from its tokens in id order.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try c.decode([String].self, forKey: .tokens))
    }

    /// Writes the tokens in id order (the ids follow from it).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tokens, forKey: .tokens)
    }
}

/// An optimizer's state per parameter name, encoded as a list sorted by name.
struct NamedState<Value: Codable & Equatable & Sendable>: Codable, Equatable, Sendable {
    private var values: [String: Value] = [:]

    /// The state of parameter `name`, if it has taken a step.
    subscript(name: String) -> Value? {
        get { values[name] }
        set { values[name] = newValue }
    }

    private struct Entry: Codable {
        let name: String
        let value: Value
    }

    init() {}

    init(from decoder: any Decoder) throws {
        for entry in try [Entry](from: decoder) { values[entry.name] = entry.value }
    }

    func encode(to encoder: any Encoder) throws {
        try values.keys.sorted().map { Entry(name: $0, value: values[$0]!) }.encode(to: encoder)
    }
}

/// Adam's first and second moments of one parameter.
struct Moments: Codable, Equatable, Sendable {
    var m: [Double], v: [Double]
}
