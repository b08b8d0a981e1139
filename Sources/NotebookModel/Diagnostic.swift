/// A located message about a notebook, printed as compilers print them.
public struct Diagnostic: Sendable, Equatable, Codable {
    /// How serious it is.
    public enum Severity: String, Sendable, Codable { case error, warning, note }

    /// error, warning or note.
    public var severity: Severity
    /// The notebook's path as the user named it.
    public var file: String
    /// The 1-based line, 0 when unknown.
    public var line: Int
    /// The 1-based UTF-8 column, 0 when unknown.
    public var column: Int
    /// The message, lowercase, offending tokens in quotes.
    public var message: String
    /// The source line quoted under the message, when known.
    public var sourceLine: String?

    public init(
        _ severity: Severity, file: String, line: Int, column: Int = 0, message: String, sourceLine: String? = nil
    ) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.sourceLine = sourceLine
    }

    /// `file:line:col: error: message`, then the quoted line and a caret under the column.
    public var formatted: String {
        var location = file
        if line > 0 { location += ":\(line)" }
        if line > 0 && column > 0 { location += ":\(column)" }
        var text = "\(location): \(severity.rawValue): \(message)"
        if let sourceLine {
            text += "\n" + sourceLine
            if column > 0 {
                // Columns count UTF-8 bytes; pad with the characters before the column so the caret
                // sits under the right character (tabs kept as tabs).
                let prefix = String(decoding: sourceLine.utf8.prefix(column - 1), as: UTF8.self)
                text += "\n" + String(prefix.map { $0 == "\t" ? "\t" : " " }) + "^"
            }
        }
        return text
    }
}

/// An error that carries located diagnostics and the exit status it calls for.
public struct NotebookError: Error, Sendable, Equatable {
    /// The diagnostics, printed in order.
    public var diagnostics: [Diagnostic]
    /// 1 for a failed cell or a differing check, 2 for bad usage or input.
    public var exitStatus: Int32

    /// An error of bad input (exit 2).
    public static func input(_ d: Diagnostic) -> NotebookError { NotebookError(diagnostics: [d], exitStatus: 2) }

    /// An error of bad usage or environment, with no location (exit 2).
    public static func usage(_ message: String) -> NotebookError {
        NotebookError(diagnostics: [Diagnostic(.error, file: "notebook", line: 0, message: message)], exitStatus: 2)
    }

    /// An error with diagnostics and a status.
    public init(diagnostics: [Diagnostic], exitStatus: Int32) {
        self.diagnostics = diagnostics
        self.exitStatus = exitStatus
    }
}
