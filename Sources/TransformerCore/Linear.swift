/// A fully connected layer y = x·W + b with W stored [in, out] (as the rest of the core), the
/// layer PyTorch calls `nn.Linear`.
public struct Linear: Layer, Sendable, Equatable, Codable {
    /// W [inputs, outputs].
    public var weight: Matrix
    /// b, 1×outputs, or none.
    public var bias: Matrix?

    /// A layer initialised as `nn.Linear` is: W and b uniform in ±1/√inputs, seeded.
    public init(inputs: Int, outputs: Int, bias: Bool = true, seed: UInt64) {
        let bound = 1 / Double(inputs).squareRoot()
        weight = .randomUniform(inputs, outputs, -bound, bound, seed: seed)
        self.bias = bias ? .randomUniform(1, outputs, -bound, bound, seed: seed &+ 1) : nil
    }

    /// A layer from given weights.
    /// - Precondition: `bias`, when given, is 1×`weight.cols`.
    public init(weight: Matrix, bias: Matrix? = nil, file: StaticString = #fileID, line: UInt = #line) {
        if let bias {
            require(
                bias.rows == 1 && bias.cols == weight.cols,
                "Linear: the bias is \(bias.shapeDescription) but should be 1×\(weight.cols)", file, line)
        }
        self.weight = weight
        self.bias = bias
    }

    /// A layer from given weights with the bias as a vector, one value per output.
    ///
    /// ```swift
    /// let layer = Linear(weight: [[1, 2], [3, 4]], bias: [0.5, -0.5])
    /// ```
    /// - Precondition: `bias.count == weight.cols`.
    @_disfavoredOverload
    public init(weight: Matrix, bias: [Double], file: StaticString = #fileID, line: UInt = #line) {
        self.init(weight: weight, bias: Matrix(row: bias), file: file, line: line)
    }

    /// `weight` and `bias` (when present).
    public var parameters: [Parameter<Self>] {
        bias == nil ? [Parameter("weight", \.weight)] : [Parameter("weight", \.weight), Parameter("bias", \.bias!)]
    }

    /// x·W + b for every row of `x`.
    /// - Precondition: `x.cols == weight.rows`.
    public func callAsFunction(_ x: Matrix, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        let y = x.matmul(weight, file: file, line: line)
        return bias.map { y + $0 } ?? y
    }
}
