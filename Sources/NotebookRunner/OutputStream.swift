import Foundation
import NotebookModel

/// The program's standard output split into cells: printed text and decoded records, in order.
struct OutputStreamParser {
    /// Outputs per cell index.
    var outputs: [Int: [Output]] = [:]
    /// The cell that started last (the one running when the program stopped).
    var currentCell: Int?
    /// Whether the program reached its end.
    var finished = false
    /// The line of the top-level `try` whose error ended the program, when one did.
    var thrownAt: Int?

    /// Parses the whole stream of the run with `token` (records framed with another token, or
    /// none, are printed text).
    init(_ bytes: [UInt8], token: String) {
        let text = String(decoding: bytes, as: UTF8.self)
        let decoder = OutputCoding.decoder()
        var pending = ""
        var rest = Substring(text)
        let frame = KernelRecord.frame(token: token)
        while let range = rest.range(of: frame) {
            pending += rest[..<range.lowerBound]
            let afterSentinel = rest[range.upperBound...]
            guard let newline = afterSentinel.firstIndex(of: "\n") else {
                rest = ""  // a record cut off by the end of the stream
                break
            }
            let json = afterSentinel[..<newline]
            rest = afterSentinel[afterSentinel.index(after: newline)...]
            guard let record = try? decoder.decode(KernelRecord.self, from: Data(json.utf8)) else { continue }
            flush(&pending)
            switch record {
            case .begin(let cell):
                currentCell = cell
                outputs[cell, default: []] = []
            case .emit(let output): if let cell = currentCell { outputs[cell, default: []].append(output) }
            case .finished: finished = true
            case .thrown(let line): thrownAt = line
            }
        }
        pending += rest
        flush(&pending)
    }

    private mutating func flush(_ text: inout String) {
        defer { text = "" }
        guard !text.isEmpty, let cell = currentCell else { return }
        if case .text(let previous)? = outputs[cell]?.last {
            outputs[cell]![outputs[cell]!.count - 1] = .text(previous + text)
        } else {
            outputs[cell, default: []].append(.text(text))
        }
    }
}
