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

/// One optimizer step of the issue's models, timed per step: median milliseconds, f64, one
/// thread. Prints exactly `train-step NAME: X ms`.
func trainStep(_ name: String, vocabulary: Int, dModel: Int, heads: Int, ffn: Int, blocks: Int, length: Int,
               batch: Int, warmup: Int, steps: Int) {
    let task = SequenceTask(.copy, vocabulary: vocabulary, length: length)
    var model = TinyEncoder(vocabulary: vocabulary, dModel: dModel, heads: heads, ffn: ffn, blocks: blocks, seed: 1)
    var adam = Adam(learningRate: 1e-3)
    var times: [Double] = []
    for step in 0..<(warmup + steps) {
        let b = task.batch(batch, seed: UInt64(step))
        let t0 = now()
        let (_, grads) = valueWithGradient(at: model) { m in crossEntropy(m(b.inputs), b.targets) }
        adam.update(&model, along: grads)
        if step >= warmup { times.append(now() - t0) }
    }
    print("train-step \(name): \(fixed3(times.sorted()[times.count / 2] * 1000)) ms")
}

/// A GRU tagger for the GRU step: embedding → GRU → linear head, one row of logits per token.
struct GRUTagger: Layer {
    var embedding: Embedding, gru: GRU, head: Linear

    var parameters: [Parameter<Self>] {
        parameters(of: \.embedding, named: "embedding") + parameters(of: \.gru, named: "gru")
            + parameters(of: \.head, named: "head")
    }

    func callAsFunction(_ inputs: [[Int]]) -> Matrix {
        head(gru(embedding.lookup(inputs.flatMap { $0 }), sequences: inputs.count).outputs)
    }
}

/// One Adam step of a GRU tagger on the copy task (V 20, d 32, hidden 64, sequence 16, batch
/// 32), timed as `trainStep`. Prints exactly `train-step gru: X ms`.
func gruStep(warmup: Int, steps: Int) {
    let task = SequenceTask(.copy, vocabulary: 20, length: 16)
    var model = GRUTagger(
        embedding: Embedding(vocabularySize: 20, dimension: 32, seed: 1), gru: GRU(inputs: 32, hidden: 64, seed: 2),
        head: Linear(inputs: 64, outputs: 20, seed: 3))
    var adam = Adam(learningRate: 1e-3)
    var times: [Double] = []
    for step in 0..<(warmup + steps) {
        let b = task.batch(32, seed: UInt64(step))
        let t0 = now()
        let (_, grads) = valueWithGradient(at: model) { m in crossEntropy(m(b.inputs), b.targets) }
        adam.update(&model, along: grads)
        if step >= warmup { times.append(now() - t0) }
    }
    print("train-step gru: \(fixed3(times.sorted()[times.count / 2] * 1000)) ms")
}

/// One Adam step of the encoder–decoder `Seq2Seq` (V 20, d 32, 2 heads, FFN 64, one block each,
/// 32 pairs of 8-token sequences, target = source), timed as `trainStep`. Prints exactly
/// `train-step seq2seq: X ms`.
func seq2seqStep(warmup: Int, steps: Int) {
    let task = SequenceTask(.copy, vocabulary: 20, length: 8)
    var model = Seq2Seq(sourceVocabulary: 20, targetVocabulary: 20, dModel: 32, heads: 2, ffn: 64, layers: 1, seed: 1)
    var adam = Adam(learningRate: 1e-3)
    var times: [Double] = []
    for step in 0..<(warmup + steps) {
        let b = task.batch(32, seed: UInt64(step))
        let t0 = now()
        let (_, grads) = valueWithGradient(at: model) { m in
            crossEntropy(m(source: b.inputs, target: b.inputs), b.targets)
        }
        adam.update(&model, along: grads)
        if step >= warmup { times.append(now() - t0) }
    }
    print("train-step seq2seq: \(fixed3(times.sorted()[times.count / 2] * 1000)) ms")
}

/// The tiny model's step (as `trainStep`) built with `dropout`, in training or in evaluation mode.
///
/// Prints exactly `train-step LABEL: X ms`.
func dropoutStep(_ label: String, dropout: Double, evaluation: Bool, steps: Int) {
    let task = SequenceTask(.copy, vocabulary: 20, length: 16)
    var model = TinyEncoder(vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, dropout: dropout, seed: 1)
    if evaluation { model.eval() }
    var adam = Adam(learningRate: 1e-3)
    var times: [Double] = []
    for step in 0..<(20 + steps) {
        let b = task.batch(32, seed: UInt64(step))
        let t0 = now()
        let (_, grads) = valueWithGradient(at: model) { m in
            crossEntropy(m(b.inputs, dropoutSeed: UInt64(step)), b.targets)
        }
        adam.update(&model, along: grads)
        if step >= 20 { times.append(now() - t0) }
    }
    print("train-step \(label): \(fixed3(times.sorted()[times.count / 2] * 1000)) ms")
}

/// The median microseconds of `body` over `count` calls.
func medianMicroseconds(_ count: Int, _ body: (Int) -> Void) -> String {
    var times: [Double] = []
    for i in 0..<count {
        let t0 = now()
        body(i)
        times.append(now() - t0)
    }
    return fixed3(times.sorted()[count / 2] * 1e6)
}

if CommandLine.arguments.dropFirst().first == "dropout" {
    dropoutStep("tiny p=0", dropout: 0, evaluation: false, steps: 200)
    dropoutStep("tiny p=0.1 train", dropout: 0.1, evaluation: false, steps: 200)
    dropoutStep("tiny p=0.1 eval", dropout: 0.1, evaluation: true, steps: 200)
    var tiny = TinyEncoder(vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, dropout: 0.1, seed: 1)
    var s2s = Seq2Seq(
        sourceVocabulary: 20, targetVocabulary: 20, dModel: 32, heads: 2, ffn: 64, layers: 2, dropout: 0.1, seed: 1)
    var reads = 0
    let setTiny = medianMicroseconds(2000) { tiny.setTraining($0 % 2 == 0) }
    let setS2S = medianMicroseconds(2000) { s2s.setTraining($0 % 2 == 0) }
    let read = medianMicroseconds(2000) { _ in reads += s2s.isTraining ? 1 : 0 }
    print("setTraining: TinyEncoder (1 block) \(setTiny) µs, Seq2Seq (2 + 2 blocks) \(setS2S) µs")
    print("isTraining: Seq2Seq (2 + 2 blocks) \(read) µs (it read \(reads == 0 ? "false" : "true"))")
    exit(0)
}

if CommandLine.arguments.dropFirst().first == "train" {
    let steps = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) : nil
    trainStep("tiny", vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, length: 16, batch: 32,
              warmup: 20, steps: steps ?? 200)
    trainStep("small", vocabulary: 100, dModel: 128, heads: 4, ffn: 512, blocks: 2, length: 64, batch: 16,
              warmup: 3, steps: steps.map { max(5, $0 / 10) } ?? 20)
    gruStep(warmup: 10, steps: steps ?? 100)
    seq2seqStep(warmup: 10, steps: steps ?? 100)
    exit(0)
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
