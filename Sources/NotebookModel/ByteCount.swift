/// A number of bytes as people write it: `4G`, `512M`, `64K`, `1.5G` or plain bytes (powers of
/// 1024, as `ulimit` and Docker read them).
public struct ByteCount: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The count, in bytes (`1.5G` is 1,610,612,736).
    public var bytes: Int

    /// A count of bytes.
    public init(bytes: Int) { self.bytes = bytes }

    /// Parses `4G`, `512M`, `64K`, `1.5G` or `1048576`; nil for anything else, zero or negative.
    public init?(_ text: String) {
        var number = Substring(text.trimmingCharacters(in: " "))
        var unit = 1.0
        if number.count > 1, number.last == "i" || number.last == "I" { number = number.dropLast() }  // 4Gi
        if let last = number.last, let power = ["K": 1, "M": 2, "G": 3, "T": 4][last.uppercased()] {
            unit = Double(1 << (10 * power))
            number = number.dropLast()
        }
        guard let value = Double(number), value > 0, value * unit < 9.2e18 else { return nil }
        bytes = Int(value * unit)
    }

    /// `4 GiB`, `512 MiB`, or bytes.
    public var description: String {
        for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)]
        where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift) \(unit)"
        }
        return "\(bytes) bytes"
    }

    /// Decodes `"4G"` or a number of bytes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Int.self), n > 0 {
            bytes = n
            return
        }
        let text = (try? c.decode(String.self)) ?? ""
        guard let parsed = ByteCount(text) else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "'\(text)' is not a size (write e.g. 512M or 4G)")
        }
        self = parsed
    }

    /// Encodes the bytes.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(bytes)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> Substring {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return s
    }
}
