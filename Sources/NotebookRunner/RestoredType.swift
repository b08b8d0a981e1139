/// A type as `String(reflecting:)` spells it, read far enough to restore a value saved through
/// its structure: tuples (of 2 to 4 elements, labelled or not) inside arrays, optionals and
/// string-keyed dictionaries, around types that decode themselves.
///
/// A checkpoint holds a tuple as a JSON array; the resuming program decodes it as `__NBTuple2`…
/// and rebuilds the tuple, and the arrays and dictionaries around it, with `map`.
indirect enum RestoredType: Equatable {
    /// A named type with its generic arguments (`Swift.Array<…>`).
    case named(String, [RestoredType])
    /// A tuple's elements with their labels.
    case tuple([(label: String?, type: RestoredType)])

    static func == (a: RestoredType, b: RestoredType) -> Bool { a.spelled == b.spelled }

    /// The type read from its reflected spelling; nil for anything else (a function type).
    init?(_ text: String) {
        var parser = Parser(Array(text))
        guard let type = parser.type(), parser.atEnd else { return nil }
        self = type
    }

    /// The type in Swift source.
    var spelled: String {
        switch self {
        case .named(let name, let arguments):
            return arguments.isEmpty ? name : "\(name)<\(arguments.map(\.spelled).joined(separator: ", "))>"
        case .tuple(let elements):
            return "(" + elements.map { ($0.label.map { "\($0): " } ?? "") + $0.type.spelled }.joined(separator: ", ")
                + ")"
        }
    }

    /// Whether a tuple is inside.
    private var holdsTuple: Bool {
        switch self {
        case .tuple: return true
        case .named(_, let arguments): return arguments.contains { $0.holdsTuple }
        }
    }

    /// The type the checkpoint's JSON decodes as (`__NBTuple2<…>` for a tuple); nil when the
    /// value cannot be rebuilt from it.
    var stored: String? {
        switch self {
        case .named(let name, let arguments):
            guard holdsTuple else { return spelled }
            guard
                ["Swift.Array", "Swift.Optional"].contains(name) && arguments.count == 1
                    || name == "Swift.Dictionary" && arguments.count == 2 && arguments[0] == .named("Swift.String", [])
            else { return nil }
            let stored = arguments.compactMap(\.stored)
            return stored.count == arguments.count ? "\(name)<\(stored.joined(separator: ", "))>" : nil
        case .tuple(let elements):
            let stored = elements.compactMap(\.type.stored)
            guard (2...4).contains(elements.count), stored.count == elements.count else { return nil }
            return "__NBTuple\(elements.count)<\(stored.joined(separator: ", "))>"
        }
    }

    /// An expression that rebuilds a value of this type from `expression`, of type `stored`.
    func rebuilding(_ expression: String) -> String? {
        guard holdsTuple else { return expression }
        switch self {
        case .named(let name, let arguments):
            let element = arguments.last!
            guard let stored = element.stored, let inner = element.rebuilding("e") else { return nil }
            let map = name == "Swift.Dictionary" ? "mapValues" : "map"
            return "\(expression).\(map) { (e: \(stored)) -> \(element.spelled) in \(inner) }"
        case .tuple(let elements):
            guard let stored else { return nil }
            var parts: [String] = []
            for (i, e) in elements.enumerated() {
                guard let part = e.type.rebuilding("t._\(i)") else { return nil }
                parts.append((e.label.map { "\($0): " } ?? "") + part)
            }
            return "{ (t: \(stored)) -> \(spelled) in (\(parts.joined(separator: ", "))) }(\(expression))"
        }
    }

    private struct Parser {
        let text: [Character]
        var at = 0

        init(_ text: [Character]) { self.text = text }

        var atEnd: Bool {
            mutating get {
                skipSpaces()
                return at == text.count
            }
        }

        mutating func skipSpaces() { while at < text.count, text[at] == " " { at += 1 } }

        mutating func take(_ c: Character) -> Bool {
            skipSpaces()
            guard at < text.count, text[at] == c else { return false }
            at += 1
            return true
        }

        mutating func name() -> String? {
            skipSpaces()
            let start = at
            while at < text.count, text[at].isLetter || text[at].isNumber || text[at] == "_" || text[at] == "." {
                at += 1
            }
            return at > start ? String(text[start..<at]) : nil
        }

        mutating func type() -> RestoredType? {
            if take("(") {
                var elements: [(label: String?, type: RestoredType)] = []
                if take(")") { return .tuple([]) }
                repeat {
                    let mark = at
                    var label: String?
                    if let n = name(), take(":") { label = n } else { at = mark }
                    guard let t = type() else { return nil }
                    elements.append((label, t))
                } while take(",")
                guard take(")") else { return nil }
                return elements.count == 1 && elements[0].label == nil ? elements[0].type : .tuple(elements)
            }
            guard let n = name() else { return nil }
            var arguments: [RestoredType] = []
            if take("<") {
                repeat {
                    guard let t = type() else { return nil }
                    arguments.append(t)
                } while take(",")
                guard take(">") else { return nil }
            }
            return .named(n, arguments)
        }
    }
}
