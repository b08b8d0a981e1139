import ArgumentParser
import Foundation
import NotebookModel
import NotebookRunner

/// How located messages reach the terminal, a CI log or an editor.
enum DiagnosticFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// `file:line:col: error: message`, the quoted line and a caret (what compilers print).
    case text
    /// The text, then a GitHub Actions workflow command (`::error file=…,line=…,col=…::…`) that
    /// shows the message on the line in the pull request.
    case github
    /// One JSON object per line: severity, file, line, column, message (and the source line).
    case json

    /// `github` under GitHub Actions (`GITHUB_ACTIONS=true`), else `text`.
    static var automatic: DiagnosticFormat {
        ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true" ? .github : .text
    }
}

/// Prints diagnostics in the format the command line chose.
enum DiagnosticOutput {
    private static let format = Locked(DiagnosticFormat.automatic)

    /// Sets the format for the rest of the process.
    static func use(_ chosen: DiagnosticFormat?) { format.update { $0 = chosen ?? .automatic } }

    /// Prints one diagnostic on standard error.
    static func print(_ d: Diagnostic) { printError(render(d, as: format.value)) }

    /// Prints a difference `notebook check` found, as an error at its cell's line.
    static func print(_ d: Difference) {
        switch format.value {
        case .text: printError(d.formatted)
        case .github, .json:
            print(
                Diagnostic(.error, file: d.file, line: d.line, message: d.message + (d.detail.map { "\n" + $0 } ?? "")))
        }
    }

    /// The text of `d` in `format`.
    static func render(_ d: Diagnostic, as format: DiagnosticFormat) -> String {
        switch format {
        case .text:
            return d.formatted
        case .github:
            let command = ["error": "error", "warning": "warning", "note": "notice"][d.severity.rawValue]!
            var properties: [String] = []
            // A usage error names the tool, not a file.
            if !(d.file == "notebook" && d.line == 0) { properties.append("file=" + escape(d.file, property: true)) }
            if d.line > 0 { properties.append("line=\(d.line)") }
            if d.line > 0 && d.column > 0 { properties.append("col=\(d.column)") }
            return d.formatted + "\n::\(command)" + (properties.isEmpty ? "" : " " + properties.joined(separator: ","))
                + "::" + escape(d.message, property: false)
        case .json:
            return (try? OutputCoding.encoder().encode(d)).map { String(decoding: $0, as: UTF8.self) } ?? d.formatted
        }
    }

    /// GitHub's escaping of workflow command data (`%`, CR, LF) and, in properties, `:` and `,`.
    private static func escape(_ text: String, property: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case ":" where property: out += "%3A"
            case "," where property: out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
