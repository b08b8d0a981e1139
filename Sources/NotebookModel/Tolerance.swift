/// How far a number may move before `notebook check` reports it: |actual − expected| ≤
/// absolute + relative·|expected|.
///
/// NaN matches NaN; infinities must match exactly.
public struct Tolerance: Sendable, Equatable, Codable {
    /// The relative part.
    public var relative: Double
    /// The absolute part.
    public var absolute: Double

    /// The defaults: relative 1e-7, absolute 1e-10 (far above the 1e-15 noise of reordered sums,
    /// far below any change a lesson would make).
    public static let standard = Tolerance(relative: 1e-7, absolute: 1e-10)

    public init(relative: Double, absolute: Double) {
        self.relative = relative
        self.absolute = absolute
    }

    /// Whether `actual` is within tolerance of `expected`.
    public func accepts(_ actual: Double, expected: Double) -> Bool {
        if expected.isNaN || actual.isNaN { return expected.isNaN && actual.isNaN }
        if expected.isInfinite || actual.isInfinite { return expected == actual }
        return abs(actual - expected) <= absolute + relative * abs(expected)
    }

    /// This tolerance with a cell's overrides.
    public func overridden(by options: CellOptions) -> Tolerance {
        Tolerance(relative: options.relativeTolerance ?? relative, absolute: options.absoluteTolerance ?? absolute)
    }
}
