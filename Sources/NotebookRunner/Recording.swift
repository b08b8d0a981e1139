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
        /// The fingerprint of its code (`Recording.fingerprint`), by which `notebook check` finds
        /// the cell after cells are inserted, removed or moved; absent in older recordings.
        public var code: String?
        /// Its `id=` option, when it has one.
        public var id: String?
        /// Its outputs.
        public var outputs: [Output]

        /// A recorded cell.
        public init(cell: Int, line: Int, code: String? = nil, id: String? = nil, outputs: [Output]) {
            self.cell = cell
            self.line = line
            self.code = code
            self.id = id
            self.outputs = outputs
        }
    }

    /// The recording of a run.
    public init(notebook: Notebook, run: NotebookRun) {
        self.notebook = notebook.path
        cells = run.cells.compactMap { result in
            let cell = notebook.cells[result.index]
            return cell.options.skip
                ? nil
                : RecordedCell(
                    cell: cell.number, line: cell.line, code: Self.fingerprint(cell.code),
                    id: cell.options.id, outputs: result.outputs)
        }
    }

    /// The first 16 hex digits of the SHA-256 of a cell's code without its trailing white space.
    public static func fingerprint(_ code: String) -> String {
        var end = code.endIndex
        while end > code.startIndex, code[code.index(before: end)].isWhitespace { end = code.index(before: end) }
        var hash = SHA256()
        hash.update(code[..<end].utf8)
        return String(hash.hexDigest().prefix(16))
    }

    /// The recording file of a notebook: `notebooks/01-one-hot.md` → `notebooks/01-one-hot.outputs.json`.
    public static func path(for notebookPath: String) -> String {
        (notebookPath.hasSuffix(".md") ? String(notebookPath.dropLast(3)) : notebookPath) + ".outputs.json"
    }

    /// The file's text.
    public func text() throws -> String {
        let compact = String(decoding: try OutputCoding.encoder().encode(self), as: UTF8.self)
        return try JSONValue.parse(compact).pretty() + "\n"
    }

    /// Reads a recording file.
    /// - Throws: when the file is not a recording.
    public static func read(_ text: String) throws -> Recording {
        try OutputCoding.decoder().decode(Recording.self, from: Data(text.utf8))
    }
}
