// Times the core's dense kernels and prints one line per case: `name ms GFLOP/s`.
// `scripts/bench-core.sh` runs numpy on the same sizes in the same run and prints the ratios.
import Glibc
import TransformerCore

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The median wall time of `body` over enough repetitions to fill about 0.3 s (at least 3).
func measure(_ body: () -> Void) -> Double {
    body()
    var times: [Double] = []
    let start = now()
    while times.count < 3 || (now() - start < 0.3 && times.count < 200) {
        let t0 = now()
        body()
        times.append(now() - t0)
    }
    return times.sorted()[times.count / 2]
}

func report(_ name: String, seconds: Double, flops: Double) {
    let ms = seconds * 1000
    print("\(name) \(fixed3(ms)) \(fixed3(flops / seconds / 1e9))")
}

func fixed3(_ x: Double) -> String {
    let scaled = (x * 1000).rounded()
    let whole = Int(scaled / 1000), frac = Int(abs(scaled).truncatingRemainder(dividingBy: 1000))
    return "\(whole)." + String(repeating: "0", count: 3 - String(frac).count) + String(frac)
}

var sink = 0.0
for n in [64, 256, 512, 1024] {
    let a = Matrix.randomNormal(n, n, seed: 1), b = Matrix.randomNormal(n, n, seed: 2)
    let t = measure { sink += (a * b)[0, 0] }
    report("matmul_\(n)", seconds: t, flops: 2 * pow(Double(n), 3))
}
for n in [128, 512, 1024, 2048] {
    let d = 64
    let q = Matrix.randomNormal(n, d, seed: 3), k = Matrix.randomNormal(n, d, seed: 4), v = Matrix.randomNormal(n, d, seed: 5)
    let t = measure { sink += attention(q, k, v).output[0, 0] }
    report("attention_\(n)", seconds: t, flops: 4 * Double(n * n * d))
}
do {
    let n = 512, dm = 512
    let x = Matrix.randomNormal(n, dm, seed: 6)
    let mha = MultiHeadAttention(dModel: dm, heads: 8, seed: 7)
    let t = measure { sink += mha(x).output[0, 0] }
    report("mha_512_512_8", seconds: t, flops: 4 * 2 * Double(n * dm * dm) + 4 * Double(n * n * dm))
}
if sink.isNaN { print("nan") }
