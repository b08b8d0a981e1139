import Foundation
import NotebookModel

extension SymbolGraph {
    /// The modules a cell sees: the kernel and the core it re-exports.
    public static let kernelModules = ["NotebookKernel", "TransformerCore"]

    /// The key of the kernel's public API: the file stamps of its modules and their doc files.
    public static func kernelKey(_ toolchain: Toolchain) -> String {
        var hash = SHA256()
        for module in kernelModules {
            for ext in ["swiftmodule", "swiftdoc"] {
                let path = toolchain.kernelDirectory + "/Modules/\(module).\(ext)"
                hash.update(field: path)
                hash.update(field: fileStamp(path) ?? "")
            }
        }
        hash.update(field: toolchain.compilerVersion)
        return hash.hexDigest()
    }

    /// The kernel's symbol graphs, remembered in `cacheDirectory` (when given) under `kernelKey`.
    public static func kernel(_ toolchain: Toolchain, cacheDirectory: String?) throws -> [SymbolGraph] {
        let file = cacheDirectory.map { "\($0)/api-\(kernelKey(toolchain)).json" }
        if let file, let data = FileManager.default.contents(atPath: file),
            let graphs = try? JSONDecoder().decode([SymbolGraph].self, from: data)
        {
            return graphs
        }
        let graphs = try extract(kernelModules, toolchain: toolchain)
        if let file, let data = try? JSONEncoder().encode(graphs) { replaceFile(file, with: data) }
        return graphs
    }

    /// The symbol graphs of `modules` in the kernel's folder (extensions of other modules' types
    /// included), extracted into a temporary folder.
    /// - Throws: `NotebookRunnerError.missing` when the extractor is missing or fails.
    static func extract(_ modules: [String], toolchain: Toolchain) throws -> [SymbolGraph] {
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
            let result = try Subprocess.run(
                extractor,
                [
                    "-module-name", module, "-I", toolchain.kernelDirectory + "/Modules",
                    "-target", "\(machine)-unknown-linux-gnu", "-minimum-access-level", "public",
                    "-skip-synthesized-members", "-output-dir", work.path,
                ],
                environment: ProcessInfo.processInfo.environment.merging(["TMPDIR": work.path]) { $1 }, timeout: 60)
            guard result.status == 0 else {
                throw NotebookRunnerError.missing(
                    "swift-symbolgraph-extract failed on \(module): "
                        + String(decoding: result.stderr, as: UTF8.self).prefix(400))
            }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: work.path).filter {
            $0.hasSuffix(".symbols.json")
        }.sorted()
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
    static func kernelNames(_ toolchain: Toolchain, cacheDirectory: String?) -> [String] {
        if let known = kernelNames.value[toolchain.kernelDirectory] { return known }
        let graphs = (try? SymbolGraph.kernel(toolchain, cacheDirectory: cacheDirectory)) ?? []
        let names = Set(
            graphs.flatMap(\.symbols).filter { $0.pathComponents.count == 1 && !$0.baseName.hasPrefix("__") }.map(
                \.baseName))
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
                guard words.count >= 2,
                    ["let", "var", "func", "struct", "class", "enum", "typealias"].contains(words[0])
                else { return nil }
                return String(words[1])
            }
        }
    }
}
