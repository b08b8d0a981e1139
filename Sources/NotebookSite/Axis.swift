import NotebookModel

#if canImport(Glibc)
import Glibc
#endif

/// A linear or logarithmic axis mapping data values to pixels, with readable ticks.
struct Axis {
    var low: Double, high: Double
    var log: Bool
    /// Pixel positions of `low` and `high`.
    var from: Double, to: Double

    /// Steps in degrees: multiples of 90 (or 45, 30, 15 for short ranges), not of 100.
    var degrees = false

    /// An axis spanning `values` (rounded out to its ticks when linear, bounded by the data when
    /// log or `tight`: a plot's x axis of steps 1…41 ends at 41, not 50); `degrees` for an angle axis.
    init(
        values: [Double], log: Bool, from: Double, to: Double, includeZero: Bool = false, degrees: Bool = false,
        tight: Bool = false
    ) {
        self.degrees = degrees && !log
        // Clamped to ±10³⁰⁰ (10^±300 on a log axis) so that spans and ticks stay finite numbers.
        let finite = values.filter { $0.isFinite && (!log || $0 > 0) }.map {
            log ? min(max($0, 1e-300), 1e300) : min(max($0, -1e300), 1e300)
        }
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if includeZero && !log {
            lo = min(lo, 0)
            hi = max(hi, 0)
        }
        if log {
            // Bounded by the data (4…1024 is drawn 4…1024, not 1…10⁴), with 3 % of its span each side.
            let span = Glibc.log10(hi / lo)
            let pad = span > 0 ? Glibc.pow(10, 0.03 * span) : 2
            lo /= pad
            hi *= pad
        } else if tight && hi > lo && !self.degrees {
            let pad = (hi - lo) * 0.02
            lo -= pad
            hi += pad
        } else {
            if hi == lo {
                lo -= 1
                hi += 1
            }
            let step = self.degrees ? Axis.degreeStep(hi - lo) : Axis.niceStep((hi - lo) / 5)
            lo = (lo / step).rounded(.down) * step
            hi = (hi / step).rounded(.up) * step
        }
        (self.low, self.high, self.log, self.from, self.to) = (lo, hi, log, from, to)
    }

    /// The pixel of a value.
    ///
    /// The pixel of a value; values far outside the axis (±∞, NaN) are pinned just beyond its ends.
    func map(_ v: Double) -> Double {
        var t =
            log
            ? (Glibc.log10(v) - Glibc.log10(low)) / (Glibc.log10(high) - Glibc.log10(low)) : (v - low) / (high - low)
        t = t.isNaN ? 0 : min(max(t, -0.1), 1.1)
        return from + (to - from) * t
    }

    /// Tick values and labels.
    var ticks: [(Double, String)] {
        if log {
            // Powers of ten inside the axis; 2× and 5× as well when fewer than three fall inside.
            let a = ceilLog10(low), b = floorLog10(high)
            let every = max(1, (b - a) / 6)
            var values: [Double] = a <= b ? stride(from: a, through: b, by: every).map(pow10) : []
            if values.count < 3 {
                let (lowest, highest) = (low * (1 - 1e-9), high * (1 + 1e-9))
                var dense: [Double] = []
                for e in floorLog10(low)...max(floorLog10(low), b + 1) {
                    for m: Double in [1, 2, 5] where m * pow10(e) >= lowest && m * pow10(e) <= highest {
                        dense.append(m * pow10(e))
                    }
                }
                values = dense
            }
            return values.map { ($0, Axis.label($0)) }
        }
        let step = degrees ? Axis.degreeStep(high - low) : Axis.niceStep((high - low) / 5)
        // Multiples of the step inside the axis (its ends are multiples unless it is tight).
        let slack = (high - low) * 1e-9
        let first = ((low - slack) / step).rounded(.up) * step
        let steps = ((high - first) / step).rounded(.down)
        let count = steps.isFinite && steps >= 0 && steps <= 100 ? Int(steps) : 0
        return (0...count).map { first + Double($0) * step }.filter { $0 <= high + slack }.map {
            (Swift.abs($0) < slack ? 0 : $0, Axis.label(Swift.abs($0) < slack ? 0 : $0))
        }
    }

    /// 90° steps for a span over 180°, then 45°, 30°, 15°, else the usual nice step.
    static func degreeStep(_ span: Double) -> Double {
        span > 180 ? 90 : span > 90 ? 45 : span > 60 ? 30 : span > 30 ? 15 : niceStep(span / 5)
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow10(floorLog10(raw))
        let f = raw / magnitude
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude
    }

    /// A tick or bar label as people write numbers: `50,257` for whole numbers, `2.5×10⁵` and
    /// `10⁻⁴` for very large or small ones, else up to four significant digits.
    static func label(_ v: Double, digits: Int = 4) -> String {
        let a = Swift.abs(v)
        guard v.isFinite else { return NumberFormat.significant(v) }
        if v == v.rounded() && a < 1e9 { return grouped(Int(v)) }
        if a != 0 && (a >= 1e5 || a < 1e-3) {
            let e = floorLog10(a)
            let mantissa = NumberFormat.significant(v / pow10(e), digits: 2)
            let power = "10" + superscript(e)
            return mantissa == "1" ? power : mantissa == "-1" ? "−" + power : mantissa + "×" + power
        }
        return NumberFormat.significant(v, digits: digits)
    }

    /// 50257 → `50,257`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return (n < 0 ? "−" : "") + out
    }

    /// An integer in superscript digits: −4 → `⁻⁴`.
    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(n.magnitude).map { digits[Int(String($0))!] }.map(String.init).joined()
    }
}

/// ⌊log₁₀ x⌋ for positive x, exact at powers of ten.
func floorLog10(_ x: Double) -> Int {
    guard x > 0, x.isFinite else { return 0 }
    var e = Int(Glibc.floor(Glibc.log10(x)))
    if pow10(e + 1) <= x { e += 1 }
    if pow10(e) > x { e -= 1 }
    return e
}
/// ⌈log₁₀ x⌉ for positive x.
func ceilLog10(_ x: Double) -> Int {
    let f = floorLog10(x)
    return pow10(f) >= x ? f : f + 1
}
/// 10 to an integer power.
func pow10(_ e: Int) -> Double { Glibc.pow(10, Double(e)) }
