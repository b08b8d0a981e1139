/// Inverted dropout, as `torch.nn.functional.dropout`: each entry is zeroed with probability
/// `probability` and the kept ones are scaled by 1/(1 − p), so the expected value is unchanged.
///
/// The mask is drawn from `SeededGenerator(seed:)`, entry by entry, row after row (entry kept
/// when its uniform draw is ≥ p): the same seed gives the same mask on every run. Gradients flow
/// through the kept entries (scaled by 1/(1 − p)); none through the dropped ones.
/// - Precondition: 0 ≤ p < 1.
public func dropout(
    _ x: Matrix, probability p: Double, seed: UInt64, file: StaticString = #fileID, line: UInt = #line
) -> Matrix {
    require(p >= 0 && p < 1, "dropout: probability \(p) is outside 0..<1", file, line)
    guard p > 0 else { return x }
    var g = SeededGenerator(seed: seed)
    let scale = 1 / (1 - p)
    let mask = Matrix(
        rows: x.rows, cols: x.cols, values: (0..<x.rows * x.cols).map { _ in g.uniform() >= p ? scale : 0 })
    return x .* mask
}

/// A dropout layer with a train/eval mode, as `nn.Dropout` with `model.train()`/`model.eval()`:
/// in training it applies `dropout(_:probability:seed:)`, in evaluation it is the identity.
///
/// ```swift
/// var drop = Dropout(probability: 0.1)
/// let y = drop(Matrix.ones(2, 3), seed: 7)
/// drop.isTraining = false
/// ```
/// Pass a new seed each step (the step number, say) for a new mask; it has no parameters. Inside
/// a model it is switched with the model's `eval()`/`train()`; the core's models hold one at
/// each place the Annotated Transformer drops (rate 0 unless asked).
public struct Dropout: Layer, Sendable, Equatable, Codable {
    /// p, the probability of zeroing an entry.
    public var probability: Double
    /// Whether the layer drops (training) or passes its input through (evaluation).
    public var isTraining: Bool

    /// A dropout layer, in training mode unless told.
    public init(probability: Double, isTraining: Bool = true) {
        (self.probability, self.isTraining) = (probability, isTraining)
    }

    /// None.
    public var parameters: [Parameter<Self>] { [] }

    /// Sets `isTraining`.
    public mutating func setTraining(_ isTraining: Bool) { self.isTraining = isTraining }

    /// Whether a pass would drop anything: training, with p > 0.
    var isActive: Bool { isTraining && probability > 0 }

    /// `x` with the mask of `seed` applied in training, `x` itself in evaluation.
    public func callAsFunction(_ x: Matrix, seed: UInt64, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        isTraining ? dropout(x, probability: probability, seed: seed, file: file, line: line) : x
    }
}

extension Dropout {
    /// `x` with this layer applied at site `site` of a model's pass seeded by `seed`: the mask
    /// of `siteSeed(seed, site)`; `x` itself when the layer is off.
    /// - Precondition: a seed is given whenever the layer is on (training, p > 0).
    func apply(
        _ x: Matrix, seed: UInt64?, site: UInt64, in model: String, file: StaticString, line: UInt
    ) -> Matrix {
        guard isActive else { return x }
        guard let seed else {
            fail(
                "\(model): dropout is on (training, p = \(probability)) but no dropoutSeed was given; "
                    + "pass dropoutSeed: UInt64(step), or call eval()", file, line)
        }
        return dropout(x, probability: probability, seed: siteSeed(seed, site), file: file, line: line)
    }
}

/// The seed of dropout site `site` in a pass seeded by `seed`: SplitMix64's output for the
/// state `seed + (site + 1)·0x9E3779B97F4A7C15`, so each site of each step draws its own mask.
///
/// A model numbers its sites in the order of its pass (a block's sites inside the site of the
/// block, through this function again), as `scripts/make_torch_fixtures.py` re-derives them.
func siteSeed(_ seed: UInt64, _ site: UInt64) -> UInt64 {
    var z = seed &+ (site &+ 1) &* 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
