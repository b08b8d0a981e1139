import Foundation

/// The part of the Remote Execution API's `ActionResult` message that the cache uses: its output
/// files, each a path and the digest of its content in the CAS, in protobuf's wire format.
///
/// Field numbers from `build/bazel/remote/execution/v2/remote_execution.proto`: `ActionResult`
/// `output_files = 2`; `OutputFile` `path = 1`, `digest = 2`; `Digest` `hash = 1`,
/// `size_bytes = 2`. Servers that check what is put under `/ac/` (bazel-remote does by
/// default) accept it; other fields are skipped when reading.
struct ActionResult: Equatable {
    /// One output file: its path and the SHA-256 and size of its bytes.
    struct OutputFile: Equatable {
        var path: String
        var hash: String
        var size: Int
    }

    var outputFiles: [OutputFile]

    /// The message's bytes.
    func encoded() -> [UInt8] {
        var message: [UInt8] = []
        for file in outputFiles {
            var digest = Protobuf.field(1, bytes: Array(file.hash.utf8))
            digest += Protobuf.key(2, wireType: 0) + Protobuf.varint(UInt64(file.size))
            let output = Protobuf.field(1, bytes: Array(file.path.utf8)) + Protobuf.field(2, bytes: digest)
            message += Protobuf.field(2, bytes: output)
        }
        return message
    }

    /// The message in `bytes`; nil when they are not a well-formed `ActionResult` or an output
    /// file lacks its path or a 64-digit hash.
    init?(decoding bytes: [UInt8]) {
        guard let fields = Protobuf.fields(bytes[...]) else { return nil }
        var files: [OutputFile] = []
        for case (2, .bytes(let output)) in fields {
            guard let outputFields = Protobuf.fields(output) else { return nil }
            var file = OutputFile(path: "", hash: "", size: -1)
            for field in outputFields {
                switch field {
                case (1, .bytes(let path)): file.path = String(decoding: path, as: UTF8.self)
                case (2, .bytes(let digest)):
                    guard let digestFields = Protobuf.fields(digest) else { return nil }
                    for case (let number, let value) in digestFields {
                        if number == 1, case .bytes(let hash) = value {
                            file.hash = String(decoding: hash, as: UTF8.self)
                        }
                        if number == 2, case .varint(let size) = value, size <= UInt64(Int.max) {
                            file.size = Int(size)
                        }
                    }
                default: continue
                }
            }
            guard !file.path.isEmpty, file.size >= 0, file.hash.utf8.count == 64,
                file.hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
            else { return nil }
            files.append(file)
        }
        outputFiles = files
    }

    init(outputFiles: [OutputFile]) { self.outputFiles = outputFiles }
}

/// Protobuf's wire format, as much as `ActionResult` needs: varints and length-delimited fields
/// written; every wire type read (fixed-width fields skipped).
enum Protobuf {
    /// A field's value on the wire.
    enum Value: Equatable {
        case varint(UInt64)
        case bytes(ArraySlice<UInt8>)
        case fixed
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        return out + [UInt8(v)]
    }

    static func key(_ number: Int, wireType: UInt64) -> [UInt8] { varint(UInt64(number) << 3 | wireType) }

    /// A length-delimited field.
    static func field(_ number: Int, bytes: [UInt8]) -> [UInt8] {
        key(number, wireType: 2) + varint(UInt64(bytes.count)) + bytes
    }

    /// The fields of a message in order, or nil when the bytes are not a message.
    static func fields(_ bytes: ArraySlice<UInt8>) -> [(Int, Value)]? {
        var rest = bytes
        var fields: [(Int, Value)] = []
        while !rest.isEmpty {
            guard let key = readVarint(&rest), key >> 3 > 0, key >> 3 <= 536_870_911 else { return nil }
            let number = Int(key >> 3)
            switch key & 7 {
            case 0:
                guard let v = readVarint(&rest) else { return nil }
                fields.append((number, .varint(v)))
            case 1, 5:
                let width = key & 7 == 1 ? 8 : 4
                guard rest.count >= width else { return nil }
                rest = rest.dropFirst(width)
                fields.append((number, .fixed))
            case 2:
                guard let length = readVarint(&rest), length <= UInt64(rest.count) else { return nil }
                fields.append((number, .bytes(rest.prefix(Int(length)))))
                rest = rest.dropFirst(Int(length))
            default: return nil
            }
        }
        return fields
    }

    private static func readVarint(_ bytes: inout ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while let byte = bytes.first, shift < 64 {
            bytes = bytes.dropFirst()
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}
