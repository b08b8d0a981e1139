import NotebookModel
import Yams

/// Reads the YAML front matter between `---` lines at the top of a notebook.
enum FrontMatterReader {
    /// The front matter and the 1-based line where the body starts.
    /// - Throws: `NotebookError` (exit 2) at the line of the YAML error, or at the opening
    ///   `---` when it is never closed.
    /// - Returns: also a located warning for each key that is not a front-matter key (it is ignored).
    static func read(lines: [String], path: String) throws -> (FrontMatter, Int, [Diagnostic]) {
        guard lines.first == "---" else { return (FrontMatter(), 1, []) }
        guard let close = lines.dropFirst().firstIndex(where: { $0 == "---" || $0 == "..." }) else {
            throw NotebookError.input(
                Diagnostic(
                    .error, file: path, line: 1, column: 1,
                    message: "the front matter opened here is never closed with '---'", sourceLine: lines[0]))
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        do {
            let matter = try YAMLDecoder().decode(FrontMatter.self, from: yaml.isEmpty ? "{}" : yaml)
            var warnings: [Diagnostic] = []
            if let mapping = (try? Yams.compose(yaml: yaml))?.mapping {
                for (key, _) in mapping {
                    guard let name = key.string, !FrontMatter.keys.contains(name) else { continue }
                    let line = key.mark.map { $0.line + 1 } ?? 1  // Yams counts from the line after '---'
                    warnings.append(
                        Diagnostic(
                            .warning, file: path, line: line, column: 1,
                            message:
                                "front matter: '\(name)' is not a front-matter key (\(FrontMatter.keys.joined(separator: ", "))); it is ignored",
                            sourceLine: lines.indices.contains(line - 1) ? lines[line - 1] : nil))
                }
            }
            return (matter, close + 2, warnings)
        } catch let error as YamlError {
            let (line, message) = located(error)
            throw NotebookError.input(
                Diagnostic(
                    .error, file: path, line: line + 1, message: "front matter: \(message)",
                    sourceLine: lines.indices.contains(line) ? lines[line] : nil))
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, let yaml = context.underlyingError as? YamlError {
                let (line, message) = located(yaml)
                throw NotebookError.input(
                    Diagnostic(
                        .error, file: path, line: line + 1, message: "front matter: \(message)",
                        sourceLine: lines.indices.contains(line) ? lines[line] : nil))
            }
            // At the line of the key the error is about, not at the opening '---'.
            let key = Self.key(of: error)
            let line = key.flatMap { key in (1..<close).first { lines[$0].hasPrefix(key + ":") } } ?? 0
            throw NotebookError.input(
                Diagnostic(
                    .error, file: path, line: line + 1, column: 1, message: "front matter: \(describe(error))",
                    sourceLine: lines[line]))
        }
    }

    private static func located(_ error: YamlError) -> (Int, String) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            return (mark.line, [context?.description, problem].compactMap { $0 }.joined(separator: ": "))
        default:
            return (0, "\(error)")
        }
    }

    /// The top-level key a decoding error is about.
    private static func key(of error: DecodingError) -> String? {
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            c.codingPath.first?.stringValue
        @unknown default:
            nil
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            let key = c.codingPath.map(\.stringValue).joined(separator: ".")
            return (key.isEmpty ? "" : "'\(key)': ") + c.debugDescription.lowercasedFirst
        @unknown default:
            return "\(error)"
        }
    }
}

extension String {
    fileprivate var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}
