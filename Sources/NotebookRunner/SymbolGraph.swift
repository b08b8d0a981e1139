import Foundation
import NotebookModel

/// The public symbols of a kernel module, as the compiler's `swift-symbolgraph-extract` writes
/// them (the subset of the format the API reference and the name suggestions read).
public struct SymbolGraph: Decodable, Sendable {
    /// The module's name.
    public var module: Module
    /// Its symbols.
    public var symbols: [Symbol]
    /// How they relate (`memberOf`, `conformsTo`, …).
    public var relationships: [Relationship]

    public struct Module: Decodable, Sendable { public var name: String }

    /// One declaration.
    public struct Symbol: Decodable, Sendable {
        public struct Kind: Decodable, Sendable { public var identifier: String; public var displayName: String }
        public struct Identifier: Decodable, Sendable { public var precise: String }
        public struct Fragment: Decodable, Sendable { public var kind: String; public var spelling: String }
        public struct Names: Decodable, Sendable { public var title: String }
        public struct DocComment: Decodable, Sendable {
            public struct Line: Decodable, Sendable { public var text: String }
            public var lines: [Line]
        }
        public struct Location: Decodable, Sendable {
            public struct Position: Decodable, Sendable { public var line: Int }
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

        /// The doc comment's text, lines joined; nil when there is none.
        public var documentation: String? { docComment.map { $0.lines.map(\.text).joined(separator: "\n") } }
        /// The bare name: `softmaxRows` for `softmaxRows(_:)`.
        public var baseName: String { String(pathComponents.last?.prefix { $0 != "(" } ?? "") }
        /// Whether the compiler made it up for a conforming type (a protocol extension's member).
        public var isSynthesized: Bool { identifier.precise.contains("::SYNTHESIZED::") }
    }

    /// `source` is `kind` of `target` (both precise identifiers).
    public struct Relationship: Decodable, Sendable {
        public var kind: String
        public var source: String
        public var target: String
    }

    /// The symbol graphs of `modules` in the kernel's folder (extensions of other modules' types
    /// included), extracted into a temporary folder.
    /// - Throws: `NotebookRunnerError.missing` when the extractor is missing or fails.
    public static func extract(_ modules: [String], toolchain: Toolchain) throws -> [SymbolGraph] {
        let extractor = URL(fileURLWithPath: toolchain.swiftc).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("swift-symbolgraph-extract").path
        guard FileManager.default.isExecutableFile(atPath: extractor) else {
            throw NotebookRunnerError.missing("'swift-symbolgraph-extract' is not beside '\(toolchain.swiftc)'")
        }
        let work = try TemporaryFolder()
        defer { work.remove() }
        var arch = utsname()
        uname(&arch)
        let machine = withUnsafeBytes(of: &arch.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        var graphs: [SymbolGraph] = []
        for module in modules {
            let result = try Subprocess.run(extractor, ["-module-name", module, "-I", toolchain.kernelDirectory + "/Modules",
                                                        "-target", "\(machine)-unknown-linux-gnu", "-minimum-access-level", "public",
                                                        "-skip-synthesized-members", "-output-dir", work.path],
                                            environment: ProcessInfo.processInfo.environment.merging(["TMPDIR": work.path]) { $1 }, timeout: 60)
            guard result.status == 0 else {
                throw NotebookRunnerError.missing("swift-symbolgraph-extract failed on \(module): "
                                                  + String(decoding: result.stderr, as: UTF8.self).prefix(400))
            }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: work.path).filter { $0.hasSuffix(".symbols.json") }.sorted()
        for file in files {
            guard let data = FileManager.default.contents(atPath: work.path + "/" + file) else { continue }
            graphs.append(try JSONDecoder().decode(SymbolGraph.self, from: data))
        }
        return graphs
    }
}

/// Names the author may have meant: the kernel's public names and the notebook's own, by edit
/// distance, for a `cannot find 'X' in scope` the compiler gave no suggestion for.
enum NameSuggestions {
    private static let kernelNames = Locked<[String: [String]]>([:])

    /// The kernel's public top-level names (types, functions, globals), extracted once per kernel.
    static func kernelNames(_ toolchain: Toolchain) -> [String] {
        if let known = kernelNames.value[toolchain.kernelDirectory] { return known }
        let graphs = (try? SymbolGraph.extract(["NotebookKernel", "TransformerCore"], toolchain: toolchain)) ?? []
        let names = Set(graphs.flatMap(\.symbols).filter { $0.pathComponents.count == 1 && !$0.baseName.hasPrefix("__") }.map(\.baseName))
        let sorted = names.sorted()
        kernelNames.update { $0[toolchain.kernelDirectory] = sorted }
        return sorted
    }

    /// The closest names to `name`: at most 2 edits for short names, a third of the length for long ones.
    static func closest(to name: String, in candidates: [String]) -> [String] {
        let limit = max(2, name.count / 3)
        let scored = Set(candidates).filter { $0 != name }.map { ($0, distance(name.lowercased(), $0.lowercased())) }
            .filter { $0.1 <= limit }
        guard let best = scored.map(\.1).min() else { return [] }
        return scored.filter { $0.1 == best }.map(\.0).sorted().prefix(3).map { $0 }
    }

    /// Levenshtein distance over characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in a.indices {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for j in b.indices {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a[i] == b[j] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The names the notebook's cells declare at top level (`let`, `var`, `func`, types).
    static func declared(in notebook: Notebook) -> [String] {
        notebook.cells.flatMap { cell in
            cell.code.split(separator: "\n").compactMap { line -> String? in
                let words = line.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
                guard words.count >= 2, ["let", "var", "func", "struct", "class", "enum", "typealias"].contains(words[0]) else { return nil }
                return String(words[1])
            }
        }
    }
}
