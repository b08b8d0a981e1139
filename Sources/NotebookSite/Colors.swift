/// Colours of heatmap cells: a sequential ramp for weights, a diverging one for signed values.
enum Colors {
    /// An sRGB colour.
    struct RGB: Equatable {
        var r: Double, g: Double, b: Double

        var hex: String {
            let digits = Array("0123456789abcdef")
            return "#" + [r, g, b].map { c -> String in
                let v = Int((min(1, max(0, c)) * 255).rounded())
                return String([digits[v / 16], digits[v % 16]])
            }.joined()
        }

        /// Relative luminance, to choose dark or light text.
        var luminance: Double { 0.2126 * r + 0.7152 * g + 0.0722 * b }

        func mix(_ other: RGB, _ t: Double) -> RGB {
            RGB(r: r + (other.r - r) * t, g: g + (other.g - g) * t, b: b + (other.b - b) * t)
        }
    }

    static let white = RGB(r: 1, g: 1, b: 1)
    static let blue = RGB(r: 0.129, g: 0.400, b: 0.675)   // #2166ac
    static let red = RGB(r: 0.698, g: 0.094, b: 0.169)    // #b2182b
    static let seqDark = RGB(r: 0.031, g: 0.188, b: 0.420) // #08306b

    /// The colour of `value` on a sequential scale from `low` (white) to `high` (dark blue).
    static func sequential(_ value: Double, low: Double, high: Double) -> RGB {
        guard value.isFinite, high > low else { return white }
        let t = min(1, max(0, (value - low) / (high - low)))
        return t < 0.5 ? white.mix(blue, t * 2 * 0.85) : white.mix(blue, 0.85).mix(seqDark, (t - 0.5) * 2)
    }

    /// The colour of `value` on a diverging scale: blue below 0, white at 0, red above, ±`limit` full.
    static func diverging(_ value: Double, limit: Double) -> RGB {
        guard value.isFinite, limit > 0 else { return white }
        let t = min(1, max(-1, value / limit))
        return t < 0 ? white.mix(blue, -t) : white.mix(red, t)
    }
}
