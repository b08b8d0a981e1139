import Foundation
import NotebookModel

/// Reads `swiftc -diagnostic-style=llvm` output into diagnostics in notebook coordinates.
enum CompilerDiagnostics {
    /// The diagnostics in `output`; lines that quote source or draw carets are dropped (the
    /// notebook's own line is quoted instead).
    ///
    /// Locations in the glue code become unlocated.
    static func parse(_ output: String, notebook: Notebook, program: GeneratedProgram) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for raw in output.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(raw)
            if let d = located(line, notebook: notebook, program: program) {
                result.append(d)
            } else if let range = line.range(of: "error: "), !line.hasPrefix(" ") {
                let message = String(line[range.upperBound...])
                result.append(Diagnostic(.error, file: notebook.path, line: 0, message: message))
            }
        }
        return result
    }

    /// `file:line:col: severity: message`, when the file is the notebook.
    private static func located(_ line: String, notebook: Notebook, program: GeneratedProgram) -> Diagnostic? {
        for severity in [Diagnostic.Severity.error, .warning, .note] {
            guard let marker = line.range(of: ": \(severity.rawValue): ") else { continue }
            let location = line[..<marker.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
            guard location.count >= 3, let l = Int(location[location.count - 2]),
                let c = Int(location[location.count - 1])
            else { return nil }
            let file = location.dropLast(2).joined(separator: ":")
            let message = String(line[marker.upperBound...])
            guard file == notebook.path else {
                return severity == .error ? Diagnostic(.error, file: notebook.path, line: 0, message: message) : nil
            }
            let column = program.notebookColumn(line: l, column: c)
            return Diagnostic(
                severity, file: notebook.path, line: l, column: column, message: message,
                sourceLine: notebook.line(l))
        }
        return nil
    }
}

/// Reads why a notebook program stopped from its standard error.
enum RuntimeFailure {
    /// The message and notebook line of a trap (`Fatal error: …`), or a description of the
    /// signal or exit status.
    static func describe(stderr: String, result: ProcessResult, notebookPath: String) -> (message: String, line: Int?) {
        var message: String?
        var line: Int?
        for raw in stderr.split(separator: "\n") {
            let text = String(raw)
            for kind in ["Fatal error", "Precondition failed", "Assertion failed"] {
                guard message == nil, let range = text.range(of: "\(kind)") else { continue }
                let location = text[..<range.lowerBound].trimmingSuffix(": ")
                message = String(text[range.lowerBound...])
                if location.hasPrefix(notebookPath + ":"), let l = Int(location.dropFirst(notebookPath.count + 1)) {
                    line = l
                }
            }
            if line == nil { line = backtraceLine(text, notebookPath: notebookPath) }
        }
        if let message { return (message, line) }
        if let signal = result.signal {
            return ("the program was killed by signal \(signal)\(Transient.signalName(signal))", line)
        }
        return ("the program exited with status \(result.status)", line)
    }

    /// The line of a backtrace frame ` at /abs/notebooks/x.md:33:14` in the notebook.
    static func backtraceLine(_ text: String, notebookPath: String) -> Int? {
        guard let at = text.range(of: " at ", options: .backwards) else { return nil }
        let parts = text[at.upperBound...].split(separator: ":")
        guard parts.count >= 2, parts[0] == notebookPath || parts[0].hasSuffix("/" + notebookPath) else { return nil }
        return Int(parts[1])
    }
}

extension Substring {
    fileprivate func trimmingSuffix(_ suffix: String) -> Substring { hasSuffix(suffix) ? dropLast(suffix.count) : self }
}
