import Foundation
import NotebookModel

/// The recorded outputs of a notebook, kept beside it as `NAME.outputs.json`: readable JSON with
/// one member per line and one matrix row per line, numbers at full precision (the shortest text
/// that reads back to the same `Double`), written only by `notebook check --update`.
public struct Recording: Codable, Equatable, Sendable {
    /// The format's name and version.
    public var format = "notebook-outputs/1"
    /// The notebook's path.
    public var notebook: String
    /// The recorded cells (skipped cells are left out).
    public var cells: [RecordedCell]

    /// One cell's recorded outputs.
    public struct RecordedCell: Codable, Equatable, Sendable {
        /// The 1-based cell number.
        public var cell: Int
        /// The line where its code starts (for people; not compared).
        public var line: Int
        /// Its outputs.
        public var outputs: [Output]
    }

    /// The recording of a run.
    public init(notebook: Notebook, run: NotebookRun) {
        self.notebook = notebook.path
        cells = run.cells.compactMap { result in
            let cell = notebook.cells[result.index]
            return cell.options.skip ? nil : RecordedCell(cell: cell.number, line: cell.line, outputs: result.outputs)
        }
    }

    /// The recording file of a notebook: `notebooks/01-one-hot.md` → `notebooks/01-one-hot.outputs.json`.
    public static func path(for notebookPath: String) -> String {
        (notebookPath.hasSuffix(".md") ? String(notebookPath.dropLast(3)) : notebookPath) + ".outputs.json"
    }

    /// The file's text.
    public func text() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let compact = String(decoding: try encoder.encode(self), as: UTF8.self)
        return try JSONValue.parse(compact).pretty() + "\n"
    }

    /// Reads a recording file.
    /// - Throws: when the file is not a recording.
    public static func read(_ text: String) throws -> Recording {
        try OutputStreamParser.decoder.decode(Recording.self, from: Data(text.utf8))
    }
}
