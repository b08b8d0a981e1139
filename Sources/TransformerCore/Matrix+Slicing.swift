extension Matrix {
    /// The rows in `range`, as a matrix.
    /// - Precondition: `range` lies within `0..<rows`.
    public func rows(_ range: Range<Int>, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        require(
            range.lowerBound >= 0 && range.upperBound <= rows,
            "rows: \(range) is outside 0..<\(rows) of \(shapeDescription)", file, line)
        let out = Matrix(
            rows: range.count, cols: cols, values: Array(values[range.lowerBound * cols..<range.upperBound * cols]))
        let (n, c) = (rows, cols)
        return .recording(out, self) {
            { g in
                var full = [Double](repeating: 0, count: n * c)
                full.replaceSubrange(range.lowerBound * c..<range.upperBound * c, with: g.values)
                return [Matrix(rows: n, cols: c, values: full)]
            }
        }
    }

    /// The rows at `indices`, in that order (a lookup table: `E.rows([3, 1])`).
    /// - Precondition: every index lies within `0..<rows`.
    public func rows(_ indices: [Int], file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        var out = [Double]()
        out.reserveCapacity(indices.count * cols)
        for i in indices {
            require(i >= 0 && i < rows, "rows: index \(i) is outside 0..<\(rows)", file, line)
            out += values[i * cols..<(i + 1) * cols]
        }
        let (n, c) = (rows, cols)
        return .recording(Matrix(rows: indices.count, cols: cols, values: out), self) {
            { g in
                // Rows looked up twice get both gradients (a scatter-add, as an embedding's).
                var full = [Double](repeating: 0, count: n * c)
                for (k, i) in indices.enumerated() { for j in 0..<c { full[i * c + j] += g.values[k * c + j] } }
                return [Matrix(rows: n, cols: c, values: full)]
            }
        }
    }

    /// The columns in `range`, as a matrix.
    /// - Precondition: `range` lies within `0..<cols`.
    public func columns(_ range: Range<Int>, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        require(
            range.lowerBound >= 0 && range.upperBound <= cols,
            "columns: \(range) is outside 0..<\(cols) of \(shapeDescription)", file, line)
        let out = Matrix(rows: rows, cols: range.count) { i, j in values[i * cols + range.lowerBound + j] }
        let (n, c) = (rows, cols)
        return .recording(out, self) {
            { g in
                var full = [Double](repeating: 0, count: n * c)
                for i in 0..<n {
                    for j in 0..<range.count { full[i * c + range.lowerBound + j] = g.values[i * range.count + j] }
                }
                return [Matrix(rows: n, cols: c, values: full)]
            }
        }
    }

    /// Column block `index` of `count` equal blocks: head h's columns `h·d_k ..< (h+1)·d_k`.
    /// - Precondition: `cols` is divisible by `count`, `0 ≤ index < count`.
    public func columnBlock(_ index: Int, of count: Int, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        require(
            count > 0 && cols % count == 0,
            "columnBlock: \(cols) columns of \(shapeDescription) do not split into \(count) equal blocks", file, line)
        require(index >= 0 && index < count, "columnBlock: block \(index) is outside 0..<\(count)", file, line)
        let width = cols / count
        return columns(index * width..<(index + 1) * width, file: file, line: line)
    }

    /// The matrices side by side (concatenating heads).
    /// - Precondition: every part has the same number of rows.
    public static func hstack(_ parts: [Matrix], file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        guard let first = parts.first else { return Matrix(rows: 0, cols: 0) }
        for p in parts where p.rows != first.rows {
            fail(
                "hstack: \(p.shapeDescription) has \(p.rows) rows but \(first.shapeDescription) has \(first.rows)",
                file, line)
        }
        var out = [Double]()
        out.reserveCapacity(first.rows * parts.reduce(0) { $0 + $1.cols })
        for i in 0..<first.rows { for p in parts { out += p.values[i * p.cols..<(i + 1) * p.cols] } }
        let result = Matrix(rows: first.rows, cols: parts.reduce(0) { $0 + $1.cols }, values: out)
        guard let tape = Tape.of(parts) else { return result }
        let widths = parts.map(\.cols)
        return tape.record(result, inputs: parts) { g in
            var start = 0
            return widths.map { w in
                defer { start += w }
                return g.detached.columns(start..<start + w)
            }
        }
    }

    /// The matrices one above the other.
    /// - Precondition: every part has the same number of columns.
    public static func vstack(_ parts: [Matrix], file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        guard let first = parts.first else { return Matrix(rows: 0, cols: 0) }
        for p in parts where p.cols != first.cols {
            fail(
                "vstack: \(p.shapeDescription) has \(p.cols) columns but \(first.shapeDescription) has \(first.cols)",
                file, line)
        }
        let result = Matrix(rows: parts.reduce(0) { $0 + $1.rows }, cols: first.cols, values: parts.flatMap(\.values))
        guard let tape = Tape.of(parts) else { return result }
        let heights = parts.map(\.rows)
        return tape.record(result, inputs: parts) { g in
            var start = 0
            return heights.map { h in
                defer { start += h }
                return g.rows(start..<start + h)
            }
        }
    }
}
