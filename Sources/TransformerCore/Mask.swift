/// Which keys each query may attend to, applied by adding `fill` to the forbidden scores after
/// scaling (as GPT-2 and picoGPT do).
///
/// The fill is −1e10 by default, so a forbidden weight underflows to exactly 0 after softmax.
/// **A fully masked row** (a query that may attend to no key): every score of the row is shifted
/// by the same −1e10, which softmax cancels, so the row gets the weights it would have had with no
/// mask (as in GPT-2 and numpy references). With `fill: -.infinity` it gets all-zero weights and a
/// zero output instead.
public struct Mask: Sendable, Equatable, Codable {
    /// `allowed[i][j]` is true when query i may attend to key j.
    public let allowed: [[Bool]]
    /// The value added to a forbidden score.
    public var fill: Double

    /// A mask from its allowed pattern.
    public init(allowed: [[Bool]], fill: Double = -1e10) {
        self.allowed = allowed
        self.fill = fill
    }

    /// A mask from a 0/1 matrix (1 = may attend), as in the reference fixtures.
    public init(_ m: Matrix, fill: Double = -1e10) {
        self.init(allowed: m.rowArrays.map { $0.map { $0 != 0 } }, fill: fill)
    }

    /// The causal mask of n tokens: query i sees keys 0…i.
    public static func causal(_ n: Int, fill: Double = -1e10) -> Mask {
        Mask(allowed: (0..<n).map { i in (0..<n).map { j in j <= i } }, fill: fill)
    }

    /// A padding mask: every one of `queries` queries sees exactly the keys marked true in `keys`.
    public static func padding(keys: [Bool], queries: Int, fill: Double = -1e10) -> Mask {
        Mask(allowed: Array(repeating: keys, count: queries), fill: fill)
    }

    /// A padding mask for `keys` keys of which the first `valid` are real tokens.
    public static func padding(validKeys valid: Int, of keys: Int, queries: Int, fill: Double = -1e10) -> Mask {
        padding(keys: (0..<keys).map { $0 < valid }, queries: queries, fill: fill)
    }

    /// Both masks at once: allowed where both allow.
    /// - Precondition: same shapes.
    public static func && (a: Mask, b: Mask) -> Mask {
        require(
            a.rows == b.rows && a.cols == b.cols,
            "Mask &&: shapes \(a.rows)×\(a.cols) and \(b.rows)×\(b.cols) differ", #fileID, #line)
        return Mask(allowed: zip(a.allowed, b.allowed).map { zip($0, $1).map { $0 && $1 } }, fill: a.fill)
    }

    /// The number of queries.
    public var rows: Int { allowed.count }
    /// The number of keys.
    public var cols: Int { allowed.first?.count ?? 0 }

    /// The 0/1 matrix of the mask (1 = may attend).
    public var matrix: Matrix { Matrix(rows: rows, cols: cols) { allowed[$0][$1] ? 1 : 0 } }

    /// The additive matrix: 0 where allowed, `fill` where forbidden.
    public var additive: Matrix { Matrix(rows: rows, cols: cols) { allowed[$0][$1] ? 0 : fill } }
}
