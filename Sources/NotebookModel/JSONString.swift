/// A JSON string literal for `s`: quotes, backslashes and control characters escaped
/// (`\n`, `\r`, `\t`, else `\u00XX`).
///
/// With `forScript`, `<` is written `\u003c` too, so the literal can sit inside a
/// `<script>` file served with the pages.
public func jsonString(_ s: String, forScript: Bool = false) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "<" where forScript: out += "\\u003c"
        case _ where scalar.value < 0x20 || scalar.value == 0x7f:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
