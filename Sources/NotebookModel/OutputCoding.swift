import Foundation

/// The one JSON set-up for outputs wherever they are written or read (the program's records, the
/// recordings, the cache, the checker's trees): non-finite numbers as the strings "inf", "-inf"
/// and "nan", keys sorted, slashes not escaped.
public enum OutputCoding {
    /// An encoder; `formatting` adds to sorted keys and unescaped slashes.
    public static func encoder(_ formatting: JSONEncoder.OutputFormatting = []) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting.union([.sortedKeys, .withoutEscapingSlashes])
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// A decoder that reads what `encoder` writes.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
