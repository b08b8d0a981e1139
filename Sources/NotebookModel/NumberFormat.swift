#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers as text, at an explicit precision, the same on every machine (C locale `printf`).
public enum NumberFormat {
    /// `value` printed with a printf conversion such as `%.3f` or `%.3g`.
    ///
    /// A negative value that prints as zero (`-0.000`) loses its sign.
    public static func printf(_ format: String, _ value: Double) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let n = withVaList([value]) { vsnprintf(buffer.baseAddress, 64, format, $0) }
            let bytes = UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(max(0, min(n, 63))))
            let negativeZero =
                bytes.first == UInt8(ascii: "-")
                && bytes.dropFirst().allSatisfy { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: ".") }
            return String(
                decoding: negativeZero ? UnsafeRawBufferPointer(rebasing: bytes.dropFirst()) : bytes, as: UTF8.self)
        }
    }

    /// A value with `digits` decimals; NaN and infinities as `nan`, `∞`, `−∞`.
    public static func fixed(_ value: Double, digits: Int) -> String {
        if let special = special(value) { return special }
        return printf("%.\(digits)f", value)
    }

    /// A value with `digits` significant digits (`%g`).
    public static func significant(_ value: Double, digits: Int = 6) -> String {
        if let special = special(value) { return special }
        return printf("%.\(digits)g", value)
    }

    /// The decimals a table needs to show values up to `maxAbs` in about four significant digits;
    /// 0 when every value is an integer.
    public static func decimals(for values: [Double]) -> Int {
        let finite = values.filter(\.isFinite)
        if finite.allSatisfy({ $0 == $0.rounded() && Swift.abs($0) < 1e6 }) { return 0 }
        let maxAbs = finite.map(Swift.abs).max() ?? 0
        switch maxAbs {
        case ..<10: return 3
        case ..<100: return 2
        case ..<1000: return 1
        default: return 0
        }
    }

    /// One entry of a table: fixed decimals, or `%.2g` for magnitudes a table cannot hold (a
    /// −1e10 mask fill).
    public static func cell(_ value: Double, decimals: Int) -> String {
        if value.isFinite && Swift.abs(value) >= 1e6 { return significant(value, digits: 2) }
        return fixed(value, digits: decimals)
    }

    private static func special(_ value: Double) -> String? {
        if value.isNaN { return "nan" }
        if value == .infinity { return "∞" }
        if value == -.infinity { return "−∞" }
        return nil
    }
}
