/// A record of the operations that produced a value, for reverse-mode gradients.
///
/// `valueWithGradient(at:of:)` makes a tape, marks the model's parameters on it, and runs the
/// loss: every core operation whose input is marked appends an entry (its inputs and a pullback
/// that maps the gradient of its output to the gradients of its inputs) and marks its output.
/// Walking the entries backwards from the loss gives every parameter's gradient exactly, in one
/// pass. A tape is used by one thread and once.
///
/// Why a tape and not the toolchain's `_Differentiation`: see the core's README (measured: the
/// same 1-block training step compiles in a cell in a fraction of the time, every existing
/// function of the core is differentiable without a second signature, and control flow, loops
/// over heads and optional masks need no annotations).
final class Tape: @unchecked Sendable {
    /// One recorded operation: the tape indices of its inputs (−1 for an input not on the tape)
    /// and its pullback, which returns one gradient per input (nil where none is needed).
    struct Entry {
        let inputs: [Int]
        let pullback: ((Matrix) -> [Matrix?])?
    }

    private(set) var entries: [Entry] = []

    /// `value` marked as a leaf of this tape (a parameter or an input to differentiate by).
    func leaf(_ value: Matrix) -> Matrix {
        entries.append(Entry(inputs: [], pullback: nil))
        var out = value
        out.trace = Trace(tape: self, index: entries.count - 1)
        return out
    }

    /// `value` marked as the output of an operation on `inputs`, with its pullback.
    ///
    /// The pullback must capture only `detached` matrices, so that no entry holds the tape.
    func record(_ value: Matrix, inputs: [Matrix], pullback: @escaping (Matrix) -> [Matrix?]) -> Matrix {
        entries.append(Entry(inputs: inputs.map { $0.trace?.index ?? -1 }, pullback: pullback))
        var out = value
        out.trace = Trace(tape: self, index: entries.count - 1)
        return out
    }

    /// The gradient of `output` (seeded with ones) with respect to every entry reached; the
    /// leaves' gradients are kept, intermediate ones are dropped once used.
    func gradients(of output: Matrix) -> [Matrix?] {
        guard let start = output.trace, start.tape === self else { return Array(repeating: nil, count: entries.count) }
        var grads = [Matrix?](repeating: nil, count: entries.count)
        grads[start.index] = Matrix(rows: output.rows, cols: output.cols, repeating: 1)
        for i in stride(from: start.index, through: 0, by: -1) {
            guard let pullback = entries[i].pullback, let g = grads[i] else { continue }
            grads[i] = nil
            let inputGrads = pullback(g)
            for (k, j) in entries[i].inputs.enumerated() where j >= 0 {
                guard let gk = inputGrads[k] else { continue }
                if grads[j] == nil { grads[j] = gk } else { grads[j]!.accumulate(gk) }
            }
        }
        entries = []
        return grads
    }
}

/// Where a matrix sits on a tape.
struct Trace {
    let tape: Tape
    let index: Int
}

extension Matrix {
    /// Whether gradients flow through this value (it was computed from a model's parameters
    /// inside `valueWithGradient`).
    public var isTracked: Bool { trace != nil }

    /// The same entries with no gradient flowing through them (PyTorch's `detach()`).
    public var detached: Matrix {
        var out = self
        out.trace = nil
        return out
    }

    /// Adds `other` into `self` in place (same shapes; used to sum gradients).
    mutating func accumulate(_ other: Matrix) {
        precondition(
            hasSameShape(as: other), "gradient shapes \(shapeDescription) and \(other.shapeDescription) differ")
        trace = nil
        values.withUnsafeMutableBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                for i in 0..<a.count { a[i] += b[i] }
            }
        }
    }

    /// `value`, recorded as computed from `inputs` when one of them is tracked.
    ///
    /// `pullback` maps the gradient of the result to the gradients of `inputs` (nil for an
    /// input that needs none); it is built only when needed, and captures only detached
    /// matrices.
    @inline(__always)
    static func recording(
        _ value: Matrix, _ inputs: Matrix...,
        pullback: () -> (Matrix) -> [Matrix?]
    ) -> Matrix {
        guard let tape = Tape.of(inputs) else { return value }
        return tape.record(value, inputs: inputs, pullback: pullback())
    }
}

extension Tape {
    /// The one tape shared by the marked matrices among `values`, or nil when none is marked.
    /// - Precondition: all marked values are on the same tape.
    static func of(_ values: [Matrix]) -> Tape? {
        var tape: Tape?
        for v in values {
            guard let t = v.trace?.tape else { continue }
            if let tape, tape !== t {
                fatalError("gradients: values from two different valueWithGradient calls were combined")
            }
            tape = t
        }
        return tape
    }
}

extension Matrix {
    /// An operation of one's own, made differentiable: `value` computed from `inputs`, recorded
    /// with `pullback`, which maps the gradient G of the result to the gradient of each input
    /// (nil for one that needs none).
    ///
    /// ```swift
    /// func myTanh(_ x: Matrix) -> Matrix {
    ///     let y = x.detached.map { tanh($0) }
    ///     return Matrix.differentiable(y, from: [x]) { g in [g .* ((y .* y) * -1 + 1)] }
    /// }
    /// ```
    /// Compute `value` from detached inputs (a closure has no derivative) and capture only
    /// detached matrices in `pullback`. When no input is tracked it returns `value` and records
    /// nothing.
    /// - Precondition: `pullback` returns one gradient per input, each of its input's shape.
    public static func differentiable(
        _ value: Matrix, from inputs: [Matrix], pullback: @escaping (Matrix) -> [Matrix?]
    ) -> Matrix {
        guard let tape = Tape.of(inputs) else { return value }
        let shapes = inputs.map { ($0.rows, $0.cols) }
        return tape.record(value.detached, inputs: inputs) { g in
            let grads = pullback(g)
            precondition(
                grads.count == shapes.count, "differentiable: \(grads.count) gradients for \(shapes.count) inputs")
            for (grad, shape) in zip(grads, shapes) {
                if let grad {
                    precondition(
                        grad.rows == shape.0 && grad.cols == shape.1,
                        "differentiable: a gradient is \(grad.shapeDescription) for a \(shape.0)×\(shape.1) input")
                }
            }
            return grads
        }
    }
}
