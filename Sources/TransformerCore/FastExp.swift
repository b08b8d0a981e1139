/// eˣ for softmax, log-softmax, cross-entropy and GELU, written so that a loop over a buffer compiles
/// to vector instructions (no call, no branch): glibc's `exp` is a call per entry and made
/// attention's softmax the slowest part of the forward pass.
///
/// Cody–Waite reduction x = n·ln 2 + r with |r| ≤ ln 2 / 2 (ln 2 split in a high part with 32
/// significant bits, so n·ln2Hi is exact, and a low part), eʳ by its Taylor series to r¹³ (the
/// first term left out is below 4·10⁻¹⁸ relative), evaluated by Estrin's scheme, then 2ⁿ applied as two exact powers of two so
/// that results down to the smallest subnormal are right. Measured against glibc on 10⁷ points of
/// [−745, 709]: at most 2 ulp apart (see `FastExpTests`). x > 709.78 gives +∞, x < −745.2 gives
/// 0, NaN gives NaN, as `exp` does.
@inline(__always)
func fastExp(_ x: Double) -> Double {
    let clamped = x > 710 ? 710 : (x < -746 ? -746 : x)  // NaN stays NaN: both comparisons are false
    // n = round(x / ln 2) by the 1.5·2⁵² trick: no Int conversion, so nothing traps on NaN.
    let shifter = 6755399441055744.0
    let t = clamped * 1.4426950408889634 + shifter
    let n = t - shifter
    let r = (clamped - n * 0.693147180369123816490) - n * 1.90821492927058770002e-10
    // Estrin's scheme: the same polynomial in four levels instead of Horner's fourteen, so that
    // the loop is bound by throughput, not by the latency of one long chain.
    let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
    let a0 = 1 + r, a1 = 0.5 + r * (1.0 / 6), a2 = 1.0 / 24 + r * (1.0 / 120), a3 = 1.0 / 720 + r * (1.0 / 5040)
    let a4 = 1.0 / 40320 + r * (1.0 / 362880), a5 = 1.0 / 3_628_800 + r * (1.0 / 39_916_800)
    let a6 = 1.0 / 479_001_600 + r * (1.0 / 6_227_020_800)
    let b0 = a0 + a1 * r2, b1 = a2 + a3 * r2, b2 = a4 + a5 * r2
    let p = (b0 + b1 * r4) + (b2 + a6 * r4) * r8
    // 2ⁿ = 2^(n/2) · 2^(n − n/2): each factor is a normal double for −1076 ≤ n ≤ 1025.
    let k = Int64(truncatingIfNeeded: t.bitPattern) &- Int64(truncatingIfNeeded: shifter.bitPattern)
    let k1 = k &>> 1, k2 = k &- k1
    let s1 = Double(bitPattern: UInt64(truncatingIfNeeded: (k1 &+ 1023) &<< 52))
    let s2 = Double(bitPattern: UInt64(truncatingIfNeeded: (k2 &+ 1023) &<< 52))
    return p * s1 * s2
}

/// Replaces every entry x of `buffer` by e^((x − shift)/divisor) and returns their sum.
func exponentiate(_ buffer: UnsafeMutableBufferPointer<Double>, shift: Double, divisor: Double = 1) -> Double {
    // Two loops: the first has no loop-carried dependency, so it vectorises.
    if divisor == 1 {
        for i in buffer.indices { buffer[i] = fastExp(buffer[i] - shift) }
    } else {
        for i in buffer.indices { buffer[i] = fastExp((buffer[i] - shift) / divisor) }
    }
    var sum = 0.0
    for e in buffer { sum += e }
    return sum
}

/// GELU's forward loop (see `gelu(_: Matrix)`): sᵢ = σ(2uᵢ) and yᵢ = xᵢ·sᵢ.
///
/// Here, beside `fastExp`, so that it is inlined and vectorised in builds that compile
/// each file apart.
func geluForward(
    _ x: UnsafeBufferPointer<Double>, sigma s: UnsafeMutableBufferPointer<Double>,
    output y: UnsafeMutableBufferPointer<Double>
) {
    let c = (2 / Double.pi).squareRoot()
    for i in x.indices {
        let xi = x[i]
        s[i] = 1 / (1 + fastExp(-2 * c * (xi + 0.044715 * xi * xi * xi)))
        y[i] = xi * s[i]
    }
}
