#if canImport(Glibc)
import Glibc
#endif

/// Colours of heatmap cells: a sequential ramp for weights, a diverging one for signed values.
enum Colors {
    /// An sRGB colour.
    struct RGB: Equatable {
        var r: Double, g: Double, b: Double

        var hex: String {
            let digits = Array("0123456789abcdef")
            return "#"
                + [r, g, b].map { c -> String in
                    let v = Int((min(1, max(0, c)) * 255).rounded())
                    return String([digits[v / 16], digits[v % 16]])
                }.joined()
        }

        /// Relative luminance as WCAG defines it (linearised sRGB).
        var luminance: Double {
            func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : Glibc.pow((c + 0.055) / 1.055, 2.4) }
            return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
        }

        /// The WCAG contrast ratio with `other` (1…21).
        func contrast(with other: RGB) -> Double {
            let (a, b) = (luminance, other.luminance)
            return (max(a, b) + 0.05) / (min(a, b) + 0.05)
        }

        /// Of the theme's two text colours, the one with the higher contrast on this background.
        func text(light: RGB, dark: RGB) -> RGB { contrast(with: light) >= contrast(with: dark) ? light : dark }

        func mix(_ other: RGB, _ t: Double) -> RGB {
            RGB(r: r + (other.r - r) * t, g: g + (other.g - g) * t, b: b + (other.b - b) * t)
        }
    }

    static let white = RGB(r: 1, g: 1, b: 1), black = RGB(r: 0, g: 0, b: 0)
    static let blue = RGB(r: 0.129, g: 0.400, b: 0.675)  // #2166ac
    static let red = RGB(r: 0.698, g: 0.094, b: 0.169)  // #b2182b
    static let seqDark = RGB(r: 0.031, g: 0.188, b: 0.420)  // #08306b

    /// The dark theme's page background, and its ramps' ends: light on dark, so that more is brighter.
    static let darkBackground = RGB(r: 0.051, g: 0.067, b: 0.090)  // #0d1117
    static let darkBlue = RGB(r: 0.345, g: 0.651, b: 1.0)  // #58a6ff
    static let darkBlueEnd = RGB(r: 0.776, g: 0.894, b: 1.0)  // #c6e4ff
    static let darkRed = RGB(r: 1.0, g: 0.482, b: 0.447)  // #ff7b72

    /// The colour of `value` on a sequential scale from `low` (white) to `high` (dark blue); with
    /// `dark`, from the dark page to light blue.
    static func sequential(_ value: Double, low: Double, high: Double, dark: Bool = false) -> RGB {
        let base = dark ? darkBackground : white
        guard value.isFinite, high > low else { return base }
        let t = min(1, max(0, (value - low) / (high - low)))
        if dark {
            return t < 0.5 ? base.mix(darkBlue, t * 2 * 0.85) : base.mix(darkBlue, 0.85).mix(darkBlueEnd, (t - 0.5) * 2)
        }
        return t < 0.5 ? white.mix(blue, t * 2 * 0.85) : white.mix(blue, 0.85).mix(seqDark, (t - 0.5) * 2)
    }

    /// The colour of `value` on a diverging scale: blue below 0, the page's colour at 0, red
    /// above, ±`limit` full.
    static func diverging(_ value: Double, limit: Double, dark: Bool = false) -> RGB {
        let base = dark ? darkBackground : white
        guard value.isFinite, limit > 0 else { return base }
        let t = min(1, max(-1, value / limit))
        return t < 0 ? base.mix(dark ? darkBlue : blue, -t) : base.mix(dark ? darkRed : red, t)
    }

    /// Viridis (matplotlib's default colour map) at `t` in 0…1, from nine of its stops.
    static func viridis(_ t: Double) -> RGB {
        let stops: [(Double, Double, Double)] = [
            (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
            (31, 158, 137), (53, 183, 121), (110, 206, 88), (253, 231, 37),
        ]
        let x = (t.isFinite ? min(1, max(0, t)) : 0) * Double(stops.count - 1)
        let k = min(stops.count - 2, Int(x)), f = x - Double(k)
        let (a, b) = (stops[k], stops[k + 1])
        return RGB(r: (a.0 + (b.0 - a.0) * f) / 255, g: (a.1 + (b.1 - a.1) * f) / 255, b: (a.2 + (b.2 - a.2) * f) / 255)
    }
}
