/// A model or a part of one: a value whose trainable matrices can be listed by name.
///
/// Gradients and optimizers work on any `Layer`: `valueWithGradient(at:of:)` returns a value of
/// the same type holding each parameter's gradient, and an optimizer updates a model along it.
/// A layer lists its own matrices and those of its parts, with `parameters(of:named:)`.
///
/// A layer also has a mode, training or evaluation, as a PyTorch module has: `model.eval()` and
/// `model.train()` set it on every layer inside (`Layer+Mode.swift`); only `Dropout` acts on it.
public protocol Layer {
    /// Every trainable matrix, with a dotted name (`blocks.0.attention.wQ`) and where it is.
    var parameters: [Parameter<Self>] { get }

    /// Whether some layer inside is in training mode (a `Dropout`, at any rate): true for a new
    /// model that holds one, as a new PyTorch module; false after `eval()`, and always false for
    /// a layer with nothing that depends on the mode (`Linear`, a `Matrix`).
    ///
    /// The default reads every stored property that is a layer; implement it only for a layer
    /// whose parts are not stored properties.
    var isTraining: Bool { get }

    /// Sets the mode of this layer and of every layer inside it, as PyTorch's `train(mode)`.
    ///
    /// The default sets every stored `var` property that is a layer (arrays of layers included),
    /// found by reflection, so a struct of layers needs no code for it; implement it only for a
    /// layer whose parts are not stored properties (an enum, an optional, a computed part).
    mutating func setTraining(_ isTraining: Bool)
}

/// One trainable matrix of a model: its name (as in a PyTorch `state_dict`) and its key path.
public struct Parameter<Model>: @unchecked Sendable {
    /// The dotted name, `blocks.0.attention.wQ`.
    public let name: String
    /// Where the matrix is in the model.
    public let path: WritableKeyPath<Model, Matrix>

    /// A parameter named `name` at `path`.
    public init(_ name: String, _ path: WritableKeyPath<Model, Matrix>) {
        self.name = name
        self.path = path
    }
}

extension Layer {
    /// The parameters of the part at `part`, named `name.` followed by their own names.
    public func parameters<Part: Layer>(of part: WritableKeyPath<Self, Part>, named name: String) -> [Parameter<Self>] {
        self[keyPath: part].parameters.map { Parameter("\(name).\($0.name)", part.appending(path: $0.path)) }
    }

    /// The parameters of every part in the array at `parts`, named `name.0.…`, `name.1.…`.
    public func parameters<Part: Layer>(of parts: WritableKeyPath<Self, [Part]>, named name: String) -> [Parameter<
        Self
    >] {
        self[keyPath: parts].indices.flatMap { i in
            parameters(of: parts.appending(path: \[Part].[i]), named: "\(name).\(i)")
        }
    }

    /// The number of trainable numbers.
    public var parameterCount: Int { parameters.reduce(0) { $0 + self[keyPath: $1.path].values.count } }

    /// The parameters' values by name.
    public var namedParameters: [(name: String, value: Matrix)] { parameters.map { ($0.name, self[keyPath: $0.path]) } }

    /// The Euclidean norm of all parameters taken together (of a gradient: its global norm).
    public var globalNorm: Double {
        parameters.reduce(0) { total, p in total + self[keyPath: p.path].values.reduce(0) { $0 + $1 * $1 } }
            .squareRoot()
    }

    /// A copy with every parameter replaced by `transform(name, value)`.
    public func mapParameters(_ transform: (String, Matrix) -> Matrix) -> Self {
        var out = self
        for p in parameters { out[keyPath: p.path] = transform(p.name, self[keyPath: p.path]) }
        return out
    }
}

/// The value of `loss` at `model` and its gradient with respect to every parameter, in one
/// forward and one backward pass (reverse mode, exact).
///
/// ```swift
/// let (loss, grads) = valueWithGradient(at: model) { m in crossEntropy(m(batch.inputs), batch.targets) }
/// adam.update(&model, along: grads)
/// ```
/// The gradient is a model of the same type whose parameters hold ∂loss/∂parameter (zeros for a
/// parameter the loss does not depend on). Any core operation may be used inside `loss`; `map`
/// and `zipWith` with a closure stop with an error there, since a closure has no derivative.
/// - Precondition: `loss` returns a 1×1 matrix computed from its argument.
public func valueWithGradient<Model: Layer>(
    at model: Model, file: StaticString = #fileID, line: UInt = #line,
    of loss: (Model) -> Matrix
) -> (value: Double, gradient: Model) {
    let tape = Tape()
    let parameters = model.parameters
    var tracked = model
    var leaves: [Int] = []
    for p in parameters {
        tracked[keyPath: p.path] = tape.leaf(model[keyPath: p.path].detached)
        leaves.append(tape.entries.count - 1)
    }
    let value = loss(tracked)
    require(
        value.rows == 1 && value.cols == 1,
        "valueWithGradient: the loss is \(value.shapeDescription), not 1×1 (take mean(…) or sum(…))", file, line)
    require(
        value.trace?.tape === tape,
        "valueWithGradient: the loss does not depend on the model's parameters (was it computed from the closure's argument?)",
        file, line)
    let grads = tape.gradients(of: value)
    var gradient = model
    for (p, leaf) in zip(parameters, leaves) {
        let v = model[keyPath: p.path]
        gradient[keyPath: p.path] = grads[leaf] ?? Matrix(rows: v.rows, cols: v.cols)
    }
    return (value.values[0], gradient)
}

/// The gradient of `loss` at `model` (see `valueWithGradient(at:of:)`).
public func gradient<Model: Layer>(
    at model: Model, file: StaticString = #fileID, line: UInt = #line,
    of loss: (Model) -> Matrix
) -> Model {
    valueWithGradient(at: model, file: file, line: line, of: loss).gradient
}

/// A matrix is a layer with one parameter, itself: `gradient(at: X) { x in … }` differentiates
/// with respect to a matrix.
extension Matrix: Layer {
    /// The matrix itself, named `value`.
    public var parameters: [Parameter<Matrix>] { [Parameter("value", \.self)] }
    /// False: a matrix has no mode.
    public var isTraining: Bool { false }
    /// Nothing to set: a matrix has no mode.
    public mutating func setTraining(_ isTraining: Bool) {}
}

/// The parameters of a pair, named `0.…` and `1.…`: `gradient(at: Pair(q, k)) { … }`.
public struct Pair<First: Layer, Second: Layer>: Layer {
    /// The first part.
    public var first: First
    /// The second part.
    public var second: Second
    /// A pair of layers or matrices.
    public init(_ first: First, _ second: Second) { (self.first, self.second) = (first, second) }
    /// `0.…` then `1.…`.
    public var parameters: [Parameter<Self>] {
        parameters(of: \.first, named: "0") + parameters(of: \.second, named: "1")
    }
}

extension Pair: Equatable where First: Equatable, Second: Equatable {}
extension Pair: Encodable where First: Encodable, Second: Encodable {}
extension Pair: Decodable where First: Decodable, Second: Decodable {}

/// An array of layers (or matrices) is a layer: its parameters are named `0.…`, `1.…`.
extension Array: Layer where Element: Layer {
    /// Each element's parameters, prefixed by its index.
    public var parameters: [Parameter<Self>] {
        indices.flatMap { i in
            let element: WritableKeyPath<Self, Element> = \Self.[i]
            return self[i].parameters.map { Parameter("\(i).\($0.name)", element.appending(path: $0.path)) }
        }
    }
    /// Whether some element is in training mode.
    public var isTraining: Bool { contains { $0.isTraining } }
    /// Sets the mode of every element.
    public mutating func setTraining(_ isTraining: Bool) {
        for i in indices { self[i].setTraining(isTraining) }
    }
}
