#if canImport(Glibc)
import Glibc
#endif

/// Why a state dictionary could not be saved or loaded.
public struct StateDictionaryError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, naming the file, the parameter and the shapes.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}

/// Who is told of each file `save(to:)` writes and `loaded(from:)` reads.
///
/// The notebook kernel sets it, so that the runner can key a cached run on the files it read: a
/// later lesson that starts from a model an earlier one saved runs again when that file changes.
public enum StateDictionaryFiles {
    /// Called with the path as given and whether the file was written (true) or read (false).
    nonisolated(unsafe) public static var observer: ((_ path: String, _ written: Bool) -> Void)?
}

extension Layer {
    /// The parameters in JSON, as a PyTorch `state_dict` of lists.
    ///
    /// One key per parameter name (`blocks.0.attention.wQ`, the names `namedParameters` gives), in
    /// order, each holding the matrix as a list of rows. Numbers are written in their shortest form, which reads back to
    /// the same bits.
    ///
    /// ```swift
    /// let json = try Linear(weight: [[1, 2]], bias: [0.5, -0.5]).stateDictionaryJSON()
    /// ```
    /// - Throws: `StateDictionaryError` for an entry that is infinite or NaN (JSON has no such number).
    public func stateDictionaryJSON() throws -> String {
        var out = "{"
        for (index, p) in namedParameters.enumerated() {
            out += index == 0 ? "\n  " : ",\n  "
            out += "\"\(p.name)\": ["
            for i in 0..<p.value.rows {
                if i > 0 { out += ", " }
                out += "["
                for j in 0..<p.value.cols {
                    let x = p.value[i, j]
                    guard x.isFinite else {
                        throw StateDictionaryError("\(p.name)[\(i), \(j)] is \(x), which JSON cannot hold")
                    }
                    if j > 0 { out += ", " }
                    out += x.description
                }
                out += "]"
            }
            out += "]"
        }
        return out + "\n}\n"
    }

    /// This model with every parameter read from `json` (as `stateDictionaryJSON()` writes it, or
    /// PyTorch's `{k: v.tolist()}` with the weights transposed to [in, out]): the same names, the
    /// same shapes, as `load_state_dict(strict=True)`.
    /// - Throws: `StateDictionaryError` naming a missing or unexpected parameter, a shape that
    ///   differs, or where the JSON is malformed.
    public func loadingStateDictionaryJSON(_ json: String) throws -> Self {
        var parser = StateDictionaryParser(Array(json.utf8))
        let entries = try parser.parseDictionary()
        let expected = Set(parameters.map(\.name))
        if let unexpected = entries.keys.sorted().first(where: { !expected.contains($0) }) {
            throw StateDictionaryError("unexpected parameter \"\(unexpected)\" (this model has \(parameters.count))")
        }
        var out = self
        for p in parameters {
            guard let rows = entries[p.name] else { throw StateDictionaryError("missing parameter \"\(p.name)\"") }
            let current = self[keyPath: p.path]
            guard rows.count == current.rows, rows.allSatisfy({ $0.count == current.cols }) else {
                let shape = "\(rows.count)×\(rows.first?.count ?? 0)"
                throw StateDictionaryError(
                    "\(p.name) is \(shape) in the file but \(current.shapeDescription) in the model")
            }
            out[keyPath: p.path] = Matrix(rows: current.rows, cols: current.cols, values: rows.flatMap { $0 })
        }
        return out
    }

    /// Writes `stateDictionaryJSON()` to the file at `path`, replacing it whole (a program reading
    /// it meanwhile reads the old file or the new one, never a part).
    ///
    /// ```swift
    /// try model.save(to: "/tmp/copy-task.json")
    /// ```
    /// - Throws: `StateDictionaryError` when the file cannot be written.
    public func save(to path: String) throws {
        let text = try stateDictionaryJSON()
        // Written beside the file, then renamed over it: a reader sees the old file or the new.
        let temporary = path + ".tmp-\(getpid())"
        guard let file = fopen(temporary, "w") else { throw StateDictionaryError("cannot write \(path)") }
        let bytes = Array(text.utf8)
        let written = fwrite(bytes, 1, bytes.count, file) == bytes.count
        guard fclose(file) == 0, written, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw StateDictionaryError("cannot write \(path)")
        }
        StateDictionaryFiles.observer?(path, true)
    }

    /// A model of this one's architecture with the parameters saved at `path`, as PyTorch's
    /// `model.load_state_dict(torch.load(path))`: build the model, then load into it.
    ///
    /// ```swift
    /// let untrained = TinyEncoder(vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, seed: 1)
    /// let trained = try untrained.loaded(from: "/tmp/copy-task.json")
    /// ```
    /// - Throws: `StateDictionaryError` when the file cannot be read or does not fit the model.
    public func loaded(from path: String) throws -> Self {
        StateDictionaryFiles.observer?(path, false)
        guard let file = fopen(path, "r") else { throw StateDictionaryError("cannot read \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        do {
            return try loadingStateDictionaryJSON(String(decoding: bytes, as: UTF8.self))
        } catch let error as StateDictionaryError {
            throw StateDictionaryError("\(path): \(error.description)")
        }
    }
}

/// Reads `{"name": [[numbers…], …], …}`, the only shape a state dictionary has.
struct StateDictionaryParser {
    let bytes: [UInt8]
    var at = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseDictionary() throws -> [String: [[Double]]] {
        var out: [String: [[Double]]] = [:]
        try expect(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") { return out }
        repeat {
            let name = try parseString()
            try expect(UInt8(ascii: ":"))
            out[name] = try parseList { p in try p.parseList { try $0.parseNumber() } }
        } while try comma(closing: UInt8(ascii: "}"))
        return out
    }

    mutating func parseList<T>(_ element: (inout StateDictionaryParser) throws -> T) throws -> [T] {
        var out: [T] = []
        try expect(UInt8(ascii: "["))
        if peek() == UInt8(ascii: "]") {
            at += 1
            return out
        }
        repeat { out.append(try element(&self)) } while try comma(closing: UInt8(ascii: "]"))
        return out
    }

    /// Consumes a `,` (true) or the closing bracket (false).
    mutating func comma(closing: UInt8) throws -> Bool {
        if peek() == UInt8(ascii: ",") {
            at += 1
            return true
        }
        try expect(closing)
        return false
    }

    mutating func parseString() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = at
        while at < bytes.count, bytes[at] != UInt8(ascii: "\"") {
            if bytes[at] == UInt8(ascii: "\\") { throw error("an escaped character in a name") }
            at += 1
        }
        let s = String(decoding: bytes[start..<at], as: UTF8.self)
        try expect(UInt8(ascii: "\""))
        return s
    }

    mutating func parseNumber() throws -> Double {
        _ = peek()
        let start = at
        while at < bytes.count, "0123456789+-.eE".utf8.contains(bytes[at]) { at += 1 }
        guard let x = Double(String(decoding: bytes[start..<at], as: UTF8.self)) else { throw error("a number") }
        return x
    }

    /// The next byte that is not white space (not consumed).
    mutating func peek() -> UInt8? {
        while at < bytes.count, [9, 10, 13, 32].contains(bytes[at]) { at += 1 }
        return at < bytes.count ? bytes[at] : nil
    }

    mutating func expect(_ byte: UInt8) throws {
        guard peek() == byte else { throw error("'\(Character(Unicode.Scalar(byte)))'") }
        at += 1
    }

    func error(_ wanted: String) -> StateDictionaryError {
        let line = bytes[..<min(at, bytes.count)].filter { $0 == 10 }.count + 1
        return StateDictionaryError("malformed state dictionary at line \(line): expected \(wanted)")
    }
}
