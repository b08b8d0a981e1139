import NotebookModel

/// A JSON document as a tree whose numbers keep their text, for re-printing recorded outputs
/// readably and for comparing them structurally.
public indirect enum JSONValue: Equatable, Sendable {
    case object([Member])
    case array([JSONValue])
    case number(String)
    case string(String)
    case bool(Bool)
    case null

    /// A key and its value, in document order.
    public struct Member: Equatable, Sendable {
        public var key: String
        public var value: JSONValue
    }

    /// The value of `key` in an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.key == key }?.value }
        return nil
    }

    /// The number, when this is a number (or a non-finite number written as a string).
    public var double: Double? {
        switch self {
        case .number(let text): Double(text)
        case .string("inf"): .infinity
        case .string("-inf"): -.infinity
        case .string("nan"): .nan
        default: nil
        }
    }

    var isScalar: Bool {
        switch self {
        case .object, .array: false
        default: true
        }
    }
}

extension JSONValue {
    /// Parses JSON text.
    /// - Throws: `JSONValue.SyntaxError` with the byte offset.
    public static func parse(_ text: String) throws -> JSONValue {
        var p = JSONParser(bytes: Array(text.utf8))
        p.skipSpace()
        let value = try p.value()
        p.skipSpace()
        guard p.at == p.bytes.count else { throw SyntaxError(offset: p.at) }
        return value
    }

    /// Invalid JSON at a byte offset.
    public struct SyntaxError: Error, Equatable { public var offset: Int }

    /// The value printed for people: one member per line, arrays of scalars on one line, so
    /// that a matrix is one row per line.
    public func pretty(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n"
                + members.map { inner + JSONValue.quote($0.key) + ": " + $0.value.pretty(indent: inner) }.joined(
                    separator: ",\n") + "\n" + indent + "}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            if items.allSatisfy(\.isScalar) { return "[" + items.map { $0.pretty() }.joined(separator: ", ") + "]" }
            return "[\n" + items.map { inner + $0.pretty(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .number(let text): return text
        case .string(let s): return JSONValue.quote(s)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    /// A JSON string literal.
    static func quote(_ s: String) -> String { jsonString(s) }
}

private struct JSONParser {
    let bytes: [UInt8]
    var at = 0

    mutating func skipSpace() {
        while at < bytes.count, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[at]) { at += 1 }
    }

    mutating func value() throws -> JSONValue {
        guard at < bytes.count else { throw JSONValue.SyntaxError(offset: at) }
        switch bytes[at] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default: return try number()
        }
    }

    mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard at + w.count <= bytes.count, Array(bytes[at..<at + w.count]) == w else {
            throw JSONValue.SyntaxError(offset: at)
        }
        at += w.count
    }

    mutating func number() throws -> JSONValue {
        let start = at
        while at < bytes.count, "+-0123456789.eE".utf8.contains(bytes[at]) { at += 1 }
        let text = String(decoding: bytes[start..<at], as: UTF8.self)
        guard !text.isEmpty, Double(text) != nil else { throw JSONValue.SyntaxError(offset: start) }
        return .number(text)
    }

    mutating func expect(_ c: Character) throws {
        skipSpace()
        guard at < bytes.count, bytes[at] == c.asciiValue! else { throw JSONValue.SyntaxError(offset: at) }
        at += 1
    }

    mutating func object() throws -> JSONValue {
        try expect("{")
        var members: [JSONValue.Member] = []
        skipSpace()
        if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
            at += 1
            return .object([])
        }
        while true {
            skipSpace()
            let key = try string()
            try expect(":")
            skipSpace()
            members.append(.init(key: key, value: try value()))
            skipSpace()
            guard at < bytes.count else { throw JSONValue.SyntaxError(offset: at) }
            if bytes[at] == UInt8(ascii: ",") {
                at += 1
                continue
            }
            try expect("}")
            return .object(members)
        }
    }

    mutating func array() throws -> JSONValue {
        try expect("[")
        var items: [JSONValue] = []
        skipSpace()
        if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
            at += 1
            return .array([])
        }
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            guard at < bytes.count else { throw JSONValue.SyntaxError(offset: at) }
            if bytes[at] == UInt8(ascii: ",") {
                at += 1
                continue
            }
            try expect("]")
            return .array(items)
        }
    }

    mutating func string() throws -> String {
        guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw JSONValue.SyntaxError(offset: at) }
        at += 1
        var out: [UInt8] = []
        while at < bytes.count {
            let b = bytes[at]
            at += 1
            if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                continue
            }
            guard at < bytes.count else { break }
            let e = bytes[at]
            at += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0a)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0d)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0c)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"),
                    bytes[at + 1] == UInt8(ascii: "u")
                {
                    at += 2
                    let low = try hex4()
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                out += Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
            default: out.append(e)
            }
        }
        throw JSONValue.SyntaxError(offset: at)
    }

    mutating func hex4() throws -> UInt32 {
        guard at + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16)
        else {
            throw JSONValue.SyntaxError(offset: at)
        }
        at += 4
        return v
    }
}
