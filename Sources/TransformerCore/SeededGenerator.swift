/// The core's random number generator: xoshiro256** seeded through SplitMix64.
///
/// A fixed, documented algorithm (never the system's), so the same seed gives the same numbers on
/// every machine: xoshiro256** 1.0 by Blackman and Vigna, whose four words of state are the first
/// four outputs of SplitMix64 started at `seed`. Doubles are `next() >> 11` scaled by 2⁻⁵³;
/// normal samples use the Box–Muller transform on two such doubles.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    /// The four words of state.
    var state: (UInt64, UInt64, UInt64, UInt64) { s }

    /// A generator in a given state.
    init(state: (UInt64, UInt64, UInt64, UInt64)) { s = state }

    /// Generators in the same state, which give the same sequence from here on.
    public static func == (a: SeededGenerator, b: SeededGenerator) -> Bool { a.s == b.s }

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    /// A uniform sample in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform sample in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * uniform() }

    /// A sample of the normal distribution N(mean, std²), by Box–Muller.
    public mutating func normal(mean: Double = 0, std: Double = 1) -> Double {
        let u1 = 1 - uniform()  // in (0, 1], so the logarithm is finite
        let u2 = uniform()
        let r = (-2 * Elementary.log(u1)).squareRoot()
        return mean + std * r * Elementary.cos(2 * Double.pi * u2)
    }

    /// `count` normal samples.
    public mutating func normals(_ count: Int, mean: Double = 0, std: Double = 1) -> [Double] {
        (0..<count).map { _ in normal(mean: mean, std: std) }
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

extension Matrix {
    /// A matrix of N(mean, std²) samples drawn from `SeededGenerator(seed:)`, row after row.
    public static func randomNormal(
        _ rows: Int, _ cols: Int, mean: Double = 0, std: Double = 1,
        seed: UInt64
    ) -> Matrix {
        var g = SeededGenerator(seed: seed)
        return Matrix(rows: rows, cols: cols, values: g.normals(rows * cols, mean: mean, std: std))
    }

    /// A matrix of uniform samples in [low, high) drawn from `SeededGenerator(seed:)`.
    public static func randomUniform(
        _ rows: Int, _ cols: Int, _ low: Double = 0, _ high: Double = 1,
        seed: UInt64
    ) -> Matrix {
        var g = SeededGenerator(seed: seed)
        return Matrix(rows: rows, cols: cols, values: (0..<rows * cols).map { _ in g.uniform(low, high) })
    }

    /// Xavier/Glorot-normal weights [in, out]: N(0, 2/(in + out)).
    public static func xavier(_ fanIn: Int, _ fanOut: Int, seed: UInt64) -> Matrix {
        randomNormal(fanIn, fanOut, std: (2 / Double(fanIn + fanOut)).squareRoot(), seed: seed)
    }
}
