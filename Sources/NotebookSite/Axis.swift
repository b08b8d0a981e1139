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

    /// An axis spanning `values` (padded a little when linear; powers of ten when log).
    init(values: [Double], log: Bool, from: Double, to: Double, includeZero: Bool = false) {
        // Clamped to ±10³⁰⁰ (10^±300 on a log axis) so that spans and ticks stay finite numbers.
        let finite = values.filter { $0.isFinite && (!log || $0 > 0) }.map { log ? min(max($0, 1e-300), 1e300) : min(max($0, -1e300), 1e300) }
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if includeZero && !log { lo = min(lo, 0); hi = max(hi, 0) }
        if log {
            lo = pow10(floorLog10(lo)); hi = pow10(ceilLog10(hi))
            if hi <= lo { hi = lo * 10 }
        } else {
            if hi == lo { lo -= 1; hi += 1 }
            let step = Axis.niceStep((hi - lo) / 5)
            lo = (lo / step).rounded(.down) * step
            hi = (hi / step).rounded(.up) * step
        }
        (self.low, self.high, self.log, self.from, self.to) = (lo, hi, log, from, to)
    }

    /// The pixel of a value.
    /// The pixel of a value; values far outside the axis (±∞, NaN) are pinned just beyond its ends.
    func map(_ v: Double) -> Double {
        var t = log ? (Glibc.log10(v) - Glibc.log10(low)) / (Glibc.log10(high) - Glibc.log10(low)) : (v - low) / (high - low)
        t = t.isNaN ? 0 : min(max(t, -0.1), 1.1)
        return from + (to - from) * t
    }

    /// Tick values and labels.
    var ticks: [(Double, String)] {
        if log {
            let a = floorLog10(low), b = ceilLog10(high)
            let every = max(1, (b - a) / 6)
            return stride(from: a, through: b, by: every).map { (pow10($0), Axis.label(pow10($0))) }
        }
        let step = Axis.niceStep((high - low) / 5)
        let steps = ((high - low) / step).rounded()
        let count = steps.isFinite && steps >= 0 && steps <= 100 ? Int(steps) : 1
        let slack = (high - low) * 1e-9
        return (0...count).map { low + Double($0) * step }.filter { $0 <= high + slack }.map { ($0, Axis.label($0)) }
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
func ceilLog10(_ x: Double) -> Int { let f = floorLog10(x); return pow10(f) >= x ? f : f + 1 }
/// 10 to an integer power.
func pow10(_ e: Int) -> Double { Glibc.pow(10, Double(e)) }
