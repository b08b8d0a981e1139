/// What running a notebook produced: each cell's outputs, and the diagnostics to print.
public struct NotebookRun: Sendable, Equatable, Codable {
    /// One entry per cell of the notebook, in order (skipped cells have no outputs).
    public var cells: [CellResult]
    /// Compiler and runtime diagnostics, in notebook coordinates.
    public var diagnostics: [Diagnostic]
    /// Seconds spent in `swiftc` (0 when cached).
    public var compileSeconds: Double
    /// Seconds the program ran (0 when cached).
    public var runSeconds: Double
    /// Whether the result came from the execution cache.
    public var cached: Bool
    /// Why this run says nothing about the notebook and must not be cached (a kill from
    /// outside, a time-out, the memory limit, a compiler that could not start a process or
    /// printed nothing); nil for a deterministic outcome, which is cached.
    public var transient: String?
    /// The notebook line each cell started at when this ran (nil in entries older than it), so
    /// that a run taken from the cache after a prose edit moved the cells can move with them.
    public var cellLines: [Int]?
    /// The 1-based number of the cell whose checkpoint this run resumed from (its cells up to it
    /// replayed, not run); nil for a run from the top.
    public var resumedAfter: Int?
    /// The files the run read that it did not write itself (nil: none).
    public var inputs: [FileInput]?

    public init(
        cells: [CellResult], diagnostics: [Diagnostic], compileSeconds: Double = 0, runSeconds: Double = 0,
        cached: Bool = false
    ) {
        self.cells = cells
        self.diagnostics = diagnostics
        self.compileSeconds = compileSeconds
        self.runSeconds = runSeconds
        self.cached = cached
    }

    /// The cells that failed without being expected to.
    public func unexpectedFailures(in notebook: Notebook) -> [CellResult] {
        cells.filter { result in
            guard let failure = result.failure, failure.reason != .notRun else { return false }
            return notebook.cells[result.index].options.expectError == nil
        }
    }

    /// The diagnostics to print: when this failed run was replayed from the cache, with a note
    /// at its first error saying so (the same code failed the same way before; `--no-cache`
    /// runs it again), so that nobody waits for a fix of something that did not run.
    public var printedDiagnostics: [Diagnostic] {
        guard cached, let first = diagnostics.first(where: { $0.severity == .error }) else { return diagnostics }
        return diagnostics + [
            Diagnostic(
                .note, file: first.file, line: first.line, column: first.column,
                message: "cached: this is the recorded result of the same code, kernel and compiler; "
                    + "--no-cache runs it again")
        ]
    }

    /// This run for `notebook` whose cells now start at other lines (prose above them was
    /// edited), its diagnostics moved with their cells; nil when it cannot be moved exactly: it
    /// failed (a failure's message quotes its lines), or a cell names its own line (`#line`).
    public func moved(to notebook: Notebook) -> NotebookRun? {
        guard cellLines?.count == notebook.cells.count else { return nil }
        return moved(to: notebook, through: notebook.cells.count - 1)
    }

    /// As `moved(to:)`, for a run of the notebook's cells 0…`last` alone (the results of the cells
    /// up to a checkpoint).
    public func moved(to notebook: Notebook, through last: Int) -> NotebookRun? {
        let lines = notebook.cells.prefix(last + 1).map(\.line)
        guard let old = cellLines, old.count == lines.count, lines.count == last + 1 else { return nil }
        if old == lines { return self }
        guard !cells.contains(where: { $0.failure != nil }), !diagnostics.contains(where: { $0.severity == .error }),
            !notebook.cells.prefix(last + 1).contains(where: {
                $0.code.contains("#line") || $0.code.contains("#sourceLocation")
            })
        else { return nil }
        var run = self
        run.cellLines = lines
        run.diagnostics = diagnostics.map { d in
            guard d.line > 0, let k = old.lastIndex(where: { $0 <= d.line }) else { return d }
            var moved = d
            moved.line += lines[k] - old[k]
            moved.sourceLine = notebook.line(moved.line)
            return moved
        }
        return run
    }

    /// Whether any cell failed that was not expected to, or did not run, or an error was found
    /// outside the cells (a checkpoint that cannot hold what the cells after it need).
    public func failed(in notebook: Notebook) -> Bool {
        !unexpectedFailures(in: notebook).isEmpty || cells.contains { $0.failure?.reason == .notRun }
            || diagnostics.contains { $0.severity == .error }
    }
}

/// One cell's outputs.
public struct CellResult: Sendable, Equatable, Codable {
    /// The cell's 0-based index.
    public var index: Int
    /// Its outputs, in order; a failure is the last one.
    public var outputs: [Output]
    /// The cell's code classified for highlighting (keywords, types, literals, comments…) by
    /// UTF-8 offset, from the runner's parse; nil for a cell that was not part of the program.
    public var highlights: [CodeSpan]?

    /// A cell's result.
    public init(index: Int, outputs: [Output], highlights: [CodeSpan]? = nil) {
        self.index = index
        self.outputs = outputs
        self.highlights = highlights
    }

    /// The failure among the outputs, if any.
    public var failure: CellFailure? {
        for case .error(let f) in outputs { return f }
        return nil
    }
}
