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
/// Pass a new seed each step (the step number, say) for a new mask; it has no parameters.
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

    /// `x` with the mask of `seed` applied in training, `x` itself in evaluation.
    public func callAsFunction(_ x: Matrix, seed: UInt64, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        isTraining ? dropout(x, probability: probability, seed: seed, file: file, line: line) : x
    }
}
