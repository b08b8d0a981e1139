/// The public symbols of a kernel module, as the compiler's `swift-symbolgraph-extract` writes
/// them (the subset of the format the API reference and the name suggestions read).
public struct SymbolGraph: Codable, Sendable {
    /// The module's name.
    public var module: Module
    /// Its symbols.
    public var symbols: [Symbol]
    /// How they relate (`memberOf`, `conformsTo`, …).
    public var relationships: [Relationship]

    public struct Module: Codable, Sendable { public var name: String }

    /// One declaration.
    public struct Symbol: Codable, Sendable {
        public struct Kind: Codable, Sendable, Equatable {
            public var identifier: String, displayName: String
            public init(identifier: String, displayName: String) {
                (self.identifier, self.displayName) = (identifier, displayName)
            }
        }
        public struct Identifier: Codable, Sendable, Equatable {
            public var precise: String
            public init(precise: String) { self.precise = precise }
        }
        /// A piece of a declaration, of a kind such as `keyword`, `identifier` or `typeIdentifier`.
        public struct Fragment: Codable, Sendable, Equatable {
            public var kind: String, spelling: String
            public init(kind: String, spelling: String) { (self.kind, self.spelling) = (kind, spelling) }
        }
        public struct Names: Codable, Sendable, Equatable {
            public var title: String
            public init(title: String) { self.title = title }
        }
        public struct DocComment: Codable, Sendable {
            public struct Line: Codable, Sendable { public var text: String }
            public var lines: [Line]
        }
        public struct Location: Codable, Sendable {
            public struct Position: Codable, Sendable { public var line: Int }
            public var uri: String
            public var position: Position
        }

        public var kind: Kind
        public var identifier: Identifier
        public var pathComponents: [String]
        public var names: Names
        public var declarationFragments: [Fragment]?
        public var docComment: DocComment?
        public var location: Location?

        public init(
            kind: Kind, identifier: Identifier, pathComponents: [String], names: Names,
            declarationFragments: [Fragment]?,
            docComment: DocComment?, location: Location?
        ) {
            self.kind = kind
            self.identifier = identifier
            self.pathComponents = pathComponents
            self.names = names
            self.declarationFragments = declarationFragments
            self.docComment = docComment
            self.location = location
        }

        /// The doc comment's text, lines joined; nil when there is none.
        public var documentation: String? { docComment.map { $0.lines.map(\.text).joined(separator: "\n") } }
        /// The bare name: `softmaxRows` for `softmaxRows(_:)`.
        public var baseName: String { String(pathComponents.last?.prefix { $0 != "(" } ?? "") }
        /// Whether the compiler made it up for a conforming type (a protocol extension's member).
        public var isSynthesized: Bool { identifier.precise.contains("::SYNTHESIZED::") }
    }

    /// `source` is `kind` of `target` (both precise identifiers).
    public struct Relationship: Codable, Sendable {
        public var kind: String
        public var source: String
        public var target: String
    }
}
