import Foundation
import NotebookModel

/// How notebook programs are run.
public struct RunOptions: Sendable {
    /// Seconds a notebook program may run before its process group is killed.
    public var timeout: Double = 60
    /// The cache folder, or nil for no cache.
    public var cacheDirectory: String? = ".notebook-cache"
    /// A shared store behind the cache folder (`--cache-url`), read on a local miss and written
    /// with every result; unused without the folder.
    public var remoteCache: (any CacheStore)?
    /// Bytes of printed text kept per cell; the rest is cut with a notice.
    public var textCapPerCell = 64 << 10
    /// Bytes read from a program in all; the rest is dropped with a notice.
    public var outputCap = 16 << 20
    /// The address space a notebook program may use (`--memory`; a notebook's `memory:` front
    /// matter overrides it).
    public var memoryLimit = 4 << 30
    /// Told a notebook's compile errors as soon as the compiler gives them, before the cells
    /// above the failing one run (so that `serve` can show them first).
    public var onCompileError: (@Sendable (_ notebook: Notebook, _ errors: [Diagnostic]) -> Void)?

    public init() {}
}

/// Runs notebooks: generates the program, compiles it with `swiftc`, runs it, decodes its
/// outputs per cell, and caches the result by a hash of everything that can change it.
public struct Executor: Sendable {
    /// The compiler and kernel.
    public let toolchain: Toolchain
    /// Time, memory and output limits, and the cache, for every run.
    public let options: RunOptions
    /// SHA-256 of the kernel library's bytes.
    public let kernelDigest: String

    /// The environment of every notebook program: BLAS pinned to one kernel and one thread so the
    /// same notebook gives the same bits on every run; backtraces short and plain; glibc's malloc
    /// told to keep freed memory (no `mmap` per matrix of 128 KiB or more, no trimming), which
    /// spares a training step the page faults of every fresh matrix: 28 % of a tiny model's step.
    public static let programEnvironment: [String: String] = [
        "OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
        "MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "268435456", "MALLOC_TOP_PAD_": "67108864",
        "SWIFT_BACKTRACE":
            "enable=yes,interactive=no,color=no,threads=crashed,registers=none,images=none,limit=16,sanitize=no",
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin",
    ]

    /// The running `notebook` binary's content (`RunnerIdentity`: its build ID): a rebuilt runner
    /// may read a program's output differently, so it invalidates the cache too.
    public static let runnerIdentity = RunnerIdentity.current()

    /// An executor; hashes the kernel library's bytes, or reads the digest remembered in the
    /// cache folder under the library's path and `fileStamp`.
    /// - Throws: when the kernel library cannot be read.
    public init(toolchain: Toolchain, options: RunOptions = RunOptions()) throws {
        self.toolchain = toolchain
        self.options = options
        let path = toolchain.kernelLibrary
        guard let file = fileStamp(path) else {
            throw NotebookRunnerError.missing("cannot read the kernel library '\(path)'")
        }
        var stamp = SHA256()
        stamp.update(field: path)
        stamp.update(field: file)
        let remembered = options.cacheDirectory.map { "\($0)/kernel-\(stamp.hexDigest()).txt" }
        if let remembered, let data = FileManager.default.contents(atPath: remembered), data.count == 64 {
            kernelDigest = String(decoding: data, as: UTF8.self)
            return
        }
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw NotebookRunnerError.missing("cannot read the kernel library '\(path)'")
        }
        kernelDigest = SHA256.hexDigest(of: bytes)
        if let remembered { replaceFile(remembered, with: Data(kernelDigest.utf8)) }
    }

    /// The cache key of a program: its source, the kernel's bytes, the compiler, the options and
    /// the environment that reach the program.
    public func cacheKey(_ program: GeneratedProgram, memory: Int? = nil, timeout: Double? = nil) -> String {
        var hash = SHA256()
        hash.update(field: "notebook-cache-v2")
        hash.update(field: program.source)
        hash.update(field: kernelDigest)
        hash.update(field: toolchain.compilerVersion)
        hash.update(field: Self.runnerIdentity)
        hash.update(
            field:
                "timeout=\(timeout ?? options.timeout) textCap=\(options.textCapPerCell) outputCap=\(options.outputCap) memory=\(memory ?? options.memoryLimit)"
        )
        for (k, v) in Self.programEnvironment.sorted(by: { $0.key < $1.key }) { hash.update(field: "\(k)=\(v)") }
        return hash.hexDigest()
    }

    /// Runs every cell of `notebook` (or takes the result from the cache).
    ///
    /// Two keys: one of the notebook's own text (a hit skips even generating the program), then
    /// one of the generated program (a prose-only edit hits it and runs nothing).
    /// - Throws: `NotebookRunnerError` when the compiler or a temporary folder cannot be used.
    public func run(_ notebook: Notebook) throws -> NotebookRun {
        let cache = options.store.map(ExecutionCache.init(store:))
        let sourceKey = cacheKey(source: notebook)
        if var hit = cache?.load(key: sourceKey), FileInputs.unchanged(hit.inputs) {
            hit.cached = true
            return hit
        }
        // The program as it would be if every cell started at line 1: the same for any prose.
        let key = cacheKey(
            ProgramGenerator.generate(Self.startingEveryCellAtLineOne(notebook)), memory: memoryLimit(for: notebook),
            timeout: timeLimit(for: notebook))
        if let stored = cache?.load(key: key), FileInputs.unchanged(stored.inputs), var hit = stored.moved(to: notebook)
        {
            cache?.store(hit, key: sourceKey)
            hit.cached = true
            return hit
        }
        let program = ProgramGenerator.generate(notebook)
        var run = try execute(notebook, program: program)
        run.cellLines = notebook.cells.map(\.line)
        for i in run.cells.indices { run.cells[i].highlights = program.highlights[run.cells[i].index] }
        if run.transient == nil {
            cache?.store(run, key: key)
            cache?.store(run, key: sourceKey)
        }
        return run
    }

    /// `notebook` with each cell's line set to 1, whose program keys a run by the cells' code,
    /// options and order alone: prose added, removed or edited changes nothing in it.
    static func startingEveryCellAtLineOne(_ notebook: Notebook) -> Notebook {
        var moved = notebook
        moved.blocks = notebook.blocks.map { block in
            guard case .cell(var cell) = block else { return block }
            cell.line = 1
            return .cell(cell)
        }
        return moved
    }

    /// Whether a file `run` read has changed since (another notebook of the same build wrote it).
    public static func inputsChanged(_ run: NotebookRun) -> Bool { !FileInputs.unchanged(run.inputs) }

    /// The cache entries a build of `notebook` can use now: its run (by its text, and by its
    /// program) and the checkpoints after its cells marked `cache` (with the cells marked
    /// `expect-error` before each left out or not).
    public func liveKeys(_ notebook: Notebook) -> (runs: [String], checkpoints: [String]) {
        let program = ProgramGenerator.generate(Self.startingEveryCellAtLineOne(notebook))
        let runs = [
            cacheKey(source: notebook),
            cacheKey(program, memory: memoryLimit(for: notebook), timeout: timeLimit(for: notebook)),
        ]
        var checkpoints: [String] = []
        for cell in notebook.cells where cell.options.cache && !cell.options.skip {
            let expected = Set(
                notebook.cells.filter { $0.index < cell.index && $0.options.expectError != nil }.map(\.index))
            checkpoints.append(checkpointKey(notebook, through: cell.index, excluded: []))
            if !expected.isEmpty {
                checkpoints.append(checkpointKey(notebook, through: cell.index, excluded: expected))
            }
        }
        return (runs, checkpoints)
    }

    /// The key of the checkpoint after cell `k`: the code and options of cells 0…k (as if every
    /// cell started at line 1), the cells left out among them, the notebook's path (no checkpoint
    /// serves another notebook), with everything else the program key holds.
    func checkpointKey(_ notebook: Notebook, through k: Int, excluded: Set<Int>) -> String {
        let moved = Self.startingEveryCellAtLineOne(notebook)
        let cells = moved.cells.filter { $0.index <= k && !excluded.contains($0.index) }
        let options = cells.map { "\($0.index) skip=\($0.options.skip) expect-error=\($0.options.expectError ?? "-")" }
        return cacheKey(
            GeneratedProgram(
                source: "checkpoint\n\(notebook.path)\nexcluded \(excluded.filter { $0 <= k }.sorted())\n"
                    + options.joined(separator: "\n") + "\n" + ProgramGenerator.generate(moved, cells: cells).source,
                insertions: []),
            memory: memoryLimit(for: notebook), timeout: timeLimit(for: notebook))
    }

    /// The latest checkpoint a program for `notebook` (without the cells in `excluded`) can resume
    /// from: after a cell marked `cache` with a later cell to run, stored under the key of the
    /// cells up to it, whole, holding every variable the later code needs, and whose results
    /// can be moved to where the cells are now.
    func resumption(for notebook: Notebook, excluded: Set<Int>) -> Resumption? {
        guard let directory = options.cacheDirectory else { return nil }
        let store = CheckpointStore(directory: directory + "/checkpoints", remote: options.remoteCache)
        let cells = notebook.cells.filter { !$0.options.skip && !excluded.contains($0.index) }
        guard let last = cells.last?.index else { return nil }
        var states: [Int: TopLevelState]?
        for cell in cells.reversed() where cell.options.cache && cell.index < last {
            guard
                let (stored, folder) = store.load(
                    key: checkpointKey(notebook, through: cell.index, excluded: excluded)),
                stored.manifest.cell == cell.index, stored.cells.map(\.index) == Array(0...cell.index),
                FileInputs.unchanged(stored.inputs),
                let (results, diagnostics) = Self.moving(stored, to: notebook)
            else { continue }
            if states == nil { states = CheckpointNeeds.states(cells) }
            let needs = CheckpointNeeds.required(after: cell.index, cells: cells, states: states!)
            let saved = Dictionary(stored.manifest.saved.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            guard needs.unsupported == nil,
                needs.variables.allSatisfy({ v in
                    v.variable.verbatim != nil
                        || saved[v.variable.name].flatMap { ProgramGenerator.restoredDeclaration(v.variable, $0) }
                            != nil
                })
            else { continue }
            return Resumption(
                cell: cell.index, saved: saved, required: needs.names, folder: folder, cells: results,
                diagnostics: diagnostics, inputs: stored.inputs ?? [])
        }
        return nil
    }

    /// A stored checkpoint's results and diagnostics at the lines its cells start at now; nil
    /// when they cannot be moved exactly (as `NotebookRun.moved(to:)`).
    private static func moving(_ stored: StoredCheckpoint, to notebook: Notebook) -> ([CellResult], [Diagnostic])? {
        let k = stored.manifest.cell
        guard notebook.cells.count > k else { return nil }
        var notebookRun = NotebookRun(cells: stored.cells, diagnostics: stored.diagnostics)
        notebookRun.cellLines = stored.cellLines
        guard let moved = notebookRun.moved(to: notebook, through: k) else { return nil }
        return (moved.cells, moved.diagnostics)
    }

    /// Keeps the checkpoints the program wrote into `work` (when there is a cache), with the
    /// results of the cells up to each; and the errors of a checkpoint that cannot serve the
    /// code after it: a variable that code needs could not be saved (it is not `Codable`, or
    /// has no value where it is declared), or a cell up to it declares state no checkpoint holds.
    private func storeCheckpoints(
        written work: TemporaryFolder, run: NotebookRun, notebook: Notebook, excluded: Set<Int>
    )
        -> [Diagnostic]
    {
        let root = work.path + "/checkpoints"
        guard let folders = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        let cells = notebook.cells.filter { !$0.options.skip && !excluded.contains($0.index) }
        let states = CheckpointNeeds.states(cells)
        var problems: [Diagnostic] = []
        for folder in folders.sorted(by: { (Int($0) ?? 0) < (Int($1) ?? 0) }) {
            guard let data = FileManager.default.contents(atPath: "\(root)/\(folder)/\(CheckpointManifest.fileName)"),
                let manifest = try? OutputCoding.decoder().decode(CheckpointManifest.self, from: data),
                manifest.cell < notebook.cells.count
            else { continue }
            let k = manifest.cell
            for problem in checkpointProblems(after: k, manifest: manifest, cells: cells, states: states, in: notebook)
            where !problems.contains(where: { $0.line == problem.line && $0.sourceLine == problem.sourceLine }) {
                problems.append(problem)
            }
            guard let directory = options.cacheDirectory else { continue }
            let lines = notebook.cells.prefix(k + 1).map(\.line)
            let end = k + 1 < notebook.cells.count ? notebook.cells[k + 1].line : Int.max
            CheckpointStore(directory: directory + "/checkpoints", remote: options.remoteCache).store(
                written: "\(root)/\(folder)", manifest: manifest, cells: Array(run.cells.prefix(k + 1)),
                diagnostics: run.diagnostics.filter { $0.line > 0 && $0.line < end }, cellLines: lines,
                inputs: run.inputs?.filter { $0.cell <= k },
                key: checkpointKey(notebook, through: k, excluded: excluded))
        }
        return problems.sorted { $0.line < $1.line }
    }

    /// Why the checkpoint after cell `k` cannot serve the cells after it, as located errors.
    private func checkpointProblems(
        after k: Int, manifest: CheckpointManifest, cells: [Cell], states: [Int: TopLevelState], in notebook: Notebook
    ) -> [Diagnostic] {
        let needs = CheckpointNeeds.required(after: k, cells: cells, states: states)
        let marked = "cell \(k + 1), which is marked cache"
        if let (index, why) = needs.unsupported {
            let cell = notebook.cells[index]
            return [
                Diagnostic(
                    .warning, file: notebook.path, line: cell.line, column: 1,
                    message: "cell \(cell.number) has \(why), so no run can resume after \(marked); "
                        + "edits after it run the notebook from the top",
                    sourceLine: notebook.line(cell.line))
            ]
        }
        let saved = Set(manifest.saved.map(\.name))
        var problems: [Diagnostic] = []
        for (index, v) in needs.variables where v.verbatim == nil && !saved.contains(v.name) {
            let line = notebook.cells[index].line + v.line - 1
            let alternatives = "declare '\(v.name)' after cell \(k + 1), or remove cache from cell \(k + 1)"
            var why: String
            if let unsaved = manifest.unsaved.first(where: { $0.name == v.name }) {
                let ownTypes = Array(Set(unsaved.type.matches(of: /\bnotebooks\.(\w+)/).map { String($0.1) })).sorted()
                let codable = ownTypes.map { "'\($0): Codable'" }.joined(separator: " and ")
                if unsaved.why != "not Codable" {
                    why = "it is \(unsaved.why): \(alternatives)"
                } else if !ownTypes.isEmpty {
                    why = "it is not Codable: declare \(codable), \(alternatives)"
                } else {
                    why = "it is not Codable: \(alternatives)"
                }
                why =
                    "'\(v.name)' (\(Self.readable(unsaved.type))) is used after cell \(k + 1), which is marked cache, "
                    + "but no checkpoint can hold it: " + why
            } else if !v.hasValue {
                why =
                    "'\(v.name)' is used after cell \(k + 1), which is marked cache, but no checkpoint can hold it: "
                    + "it is declared without a value; give it its value here, " + alternatives
            } else {
                continue
            }
            problems.append(
                Diagnostic(
                    .error, file: notebook.path, line: line, column: 1,
                    message: why,
                    sourceLine: notebook.line(line)))
        }
        return problems
    }

    /// A type as `String(reflecting:)` spells it, as a reader writes it: without module names,
    /// with `[T]`, `[K: V]` and `T?` for arrays, dictionaries and optionals.
    static func readable(_ type: String) -> String {
        var t = type.replacing(
            /\b(Swift|TransformerCore|NotebookKernel|NotebookModel|Foundation|notebooks)\./, with: "")
        while true {
            let before = t
            t = t.replacing(/\bArray<([^<>]*)>/) { "[\($0.1)]" }
            t = t.replacing(/\bOptional<([^<>]*)>/) { "\($0.1)?" }
            t = t.replacing(/\bDictionary<([^<>,]*), ([^<>]*)>/) { "[\($0.1): \($0.2)]" }
            if t == before { return t }
        }
    }

    /// The address space `notebook`'s program may use: its front matter's `memory:`, else `--memory`.
    public func memoryLimit(for notebook: Notebook) -> Int { notebook.frontMatter.memory?.bytes ?? options.memoryLimit }

    /// The seconds `notebook`'s program may run: its front matter's `timeout:`, else `--timeout`.
    public func timeLimit(for notebook: Notebook) -> Double { notebook.frontMatter.timeout?.value ?? options.timeout }

    /// The key of a notebook's text: its path and lines, with everything else the program key holds.
    public func cacheKey(source notebook: Notebook) -> String {
        cacheKey(
            GeneratedProgram(
                source: "notebook text\n" + notebook.path + "\n" + notebook.lines.joined(separator: "\n"),
                insertions: []))
    }

    /// Compiles and runs the notebook without the cells in `excluded`, from the latest
    /// checkpoint whose cells are unchanged when there is one (from the top when resuming fails).
    ///
    /// A cell marked `expect-error` that fails is taken out and the rest is run again, so the
    /// cells after it still run, as they would in a kernel.
    private func execute(
        _ notebook: Notebook, excluding excluded: Set<Int> = [], program given: GeneratedProgram? = nil
    ) throws -> NotebookRun {
        if let resuming = resumption(for: notebook, excluded: excluded) {
            let cells = notebook.cells.filter { !excluded.contains($0.index) }
            let program = ProgramGenerator.generate(notebook, cells: cells, resuming: resuming)
            do {
                var run = try execute(notebook, excluding: excluded, program: program, resuming: resuming)
                run.resumedAfter = run.resumedAfter ?? resuming.cell + 1
                return run
            } catch is CannotResume {
                // Run from the top: what it gives is what the checkpoint should have.
            }
        }
        let program =
            given ?? ProgramGenerator.generate(notebook, cells: notebook.cells.filter { !excluded.contains($0.index) })
        return try execute(notebook, excluding: excluded, program: program, resuming: nil)
    }

    /// Why a program could not resume from its checkpoint: it did not compile where the
    /// notebook's cells could not be at fault, or it could not read the checkpoint.
    private struct CannotResume: Error {}

    private func execute(
        _ notebook: Notebook, excluding excluded: Set<Int>, program: GeneratedProgram, resuming: Resumption?
    ) throws -> NotebookRun {
        let work = try TemporaryFolder()
        defer { work.remove() }
        let compiled = try compile(program, in: work)
        var diagnostics = CompilerDiagnostics.parse(compiled.output, notebook: notebook, program: program)
        if let resuming {
            // The declarations kept from the replayed cells: their warnings come with the checkpoint.
            diagnostics.removeAll {
                $0.severity != .error && $0.line > 0 && (notebook.cell(atLine: $0.line)?.index ?? 0) <= resuming.cell
            }
        }
        if compiled.ok {
            return try ran(
                notebook, program: program, in: work, excluded: excluded, compiled: compiled, diagnostics: diagnostics,
                resuming: resuming)
        }
        if let why = compiled.transient {
            return transientCompileFailure(notebook, excluded: excluded, why: why, compiled: compiled)
        }
        if let resuming {
            let errors = diagnostics.filter { $0.severity == .error }
            guard !errors.isEmpty,
                errors.allSatisfy({ $0.line > 0 && (notebook.cell(atLine: $0.line)?.index ?? -1) > resuming.cell })
            else { throw CannotResume() }
        }
        return try failedToCompile(
            notebook, in: work, excluded: excluded, compiled: compiled, diagnostics: diagnostics, resuming: resuming)
    }

    /// A compiler run that failed for a reason outside the code (`Transient`): the first cell
    /// to run carries the reason, the others did not run, and the run is not cached.
    private func transientCompileFailure(_ notebook: Notebook, excluded: Set<Int>, why: String, compiled: Compiled)
        -> NotebookRun
    {
        let first = notebook.cells.first { !$0.options.skip && !excluded.contains($0.index) }?.index ?? 0
        let printed = compiled.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let message = printed.isEmpty ? why : why + "\n" + printed
        let cells = notebook.cells.map { cell in
            CellResult(
                index: cell.index,
                outputs: cell.index < first || cell.options.skip
                    ? []
                    : cell.index == first
                        ? [.error(CellFailure(reason: .compile, message: message))]
                        : [.error(CellFailure(reason: .notRun, message: "not run: the compiler failed"))])
        }
        var run = NotebookRun(
            cells: cells, diagnostics: [Diagnostic(.error, file: notebook.path, line: 0, message: message)],
            compileSeconds: compiled.seconds)
        run.transient = why
        return run
    }

    /// Runs a program that compiled; a cell that fails as its `expect-error` says is left out of
    /// a second run, so the cells after it run too.
    private func ran(
        _ notebook: Notebook, program: GeneratedProgram, in work: TemporaryFolder, excluded: Set<Int>,
        compiled: Compiled, diagnostics: [Diagnostic], resuming: Resumption?
    ) throws -> NotebookRun {
        var run = try runProgram(
            "program", in: work, notebook: notebook, program: program, excluded: excluded, resuming: resuming)
        run.compileSeconds = compiled.seconds
        run.diagnostics =
            (resuming?.diagnostics ?? []) + diagnostics.filter { $0.severity != .error } + run.diagnostics
        run.diagnostics += storeCheckpoints(written: work, run: run, notebook: notebook, excluded: excluded)
        guard let k = run.cells.first(where: { [.runtime, .timeout].contains($0.failure?.reason) })?.index,
            notebook.cells[k].options.expectError != nil,
            notebook.cells.contains(where: { $0.index > k && !$0.options.skip && !excluded.contains($0.index) })
        else { return run }
        var rest = try rerun(
            notebook, without: k, excluded: excluded, keeping: run.cells.filter { $0.index <= k },
            compileSeconds: run.compileSeconds, runSeconds: run.runSeconds)
        rest.transient = rest.transient ?? run.transient
        return rest
    }

    /// A program that did not compile: the first failing cell's errors (with name suggestions,
    /// without the later cells' cascade), the cells before it run, the cells after it not run; an
    /// `expect-error` cell that fails to compile is left out and the rest run without it.
    private func failedToCompile(
        _ notebook: Notebook, in work: TemporaryFolder, excluded: Set<Int>, compiled: Compiled,
        diagnostics parsed: [Diagnostic], resuming: Resumption?
    ) throws -> NotebookRun {
        var diagnostics = namingRequirements(in: suggestingNames(in: parsed, notebook: notebook))
        let failing = diagnostics.filter { $0.severity == .error }
        let firstBad =
            failing.compactMap { $0.line > 0 ? notebook.cell(atLine: $0.line)?.index : nil }.min()
            ?? notebook.cells.first { !$0.options.skip && !excluded.contains($0.index) }?.index ?? 0
        diagnostics = withoutCascade(diagnostics, after: firstBad, in: notebook)
        let message = diagnostics.filter {
            $0.severity != .warning && ($0.line == 0 || notebook.cell(atLine: $0.line)?.index == firstBad)
        }
        .map(\.formatted).joined(separator: "\n")
        let failure = CellResult(
            index: firstBad,
            outputs: [
                .error(
                    CellFailure(
                        reason: .compile,
                        message: message.isEmpty
                            ? compiled.output.trimmingCharacters(in: .whitespacesAndNewlines) : message,
                        line: failing.first?.line))
            ])
        if notebook.cells[firstBad].options.expectError != nil, !excluded.contains(firstBad) {
            return try rerun(
                notebook, without: firstBad, excluded: excluded, keeping: [failure], compileSeconds: compiled.seconds,
                runSeconds: 0)
        }
        options.onCompileError?(notebook, diagnostics.filter { $0.severity != .warning })
        var (cells, transient, inputs) = try runPrefix(
            notebook, before: firstBad, excluded: excluded, in: work, resuming: resuming)
        cells.append(failure)
        for cell in notebook.cells where cell.index > firstBad {
            cells.append(
                CellResult(
                    index: cell.index,
                    outputs: cell.options.skip
                        ? []
                        : [
                            .error(
                                CellFailure(reason: .notRun, message: "not run: cell \(firstBad + 1) did not compile"))
                        ]))
        }
        if diagnostics.isEmpty {
            diagnostics = [Diagnostic(.error, file: notebook.path, line: 0, message: compiled.output)]
        }
        var run = NotebookRun(
            cells: cells, diagnostics: (resuming?.diagnostics ?? []) + diagnostics, compileSeconds: compiled.seconds)
        run.transient = transient
        run.inputs = inputs
        return run
    }

    /// The notebook run again without cell `k` (an `expect-error` cell that failed as it should),
    /// with the results in `kept` (that cell's, and those of the first run before it) in place of
    /// the second run's; the seconds of both runs added.
    private func rerun(
        _ notebook: Notebook, without k: Int, excluded: Set<Int>, keeping kept: [CellResult],
        compileSeconds: Double, runSeconds: Double
    ) throws -> NotebookRun {
        var rest = try execute(notebook, excluding: excluded.union([k]))
        let replacing = Dictionary(kept.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        rest.cells = rest.cells.map { replacing[$0.index] ?? $0 }
        rest.compileSeconds += compileSeconds
        rest.runSeconds += runSeconds
        return rest
    }

    /// The diagnostics with those of the cells after `firstBad` left out, and a note saying how
    /// many errors were: they mostly follow from the first (a declaration that failed makes every
    /// later use an error, and can make the type checker give up on a whole expression).
    private func withoutCascade(_ diagnostics: [Diagnostic], after firstBad: Int, in notebook: Notebook) -> [Diagnostic]
    {
        let isLater = { (d: Diagnostic) in d.line > 0 && (notebook.cell(atLine: d.line)?.index ?? -1) > firstBad }
        let later = diagnostics.filter { isLater($0) && $0.severity == .error }.count
        var kept = diagnostics.filter { !isLater($0) }
        if later > 0, let first = kept.first(where: { $0.severity == .error }) {
            kept.append(
                Diagnostic(
                    .note, file: notebook.path, line: first.line, column: first.column,
                    message: "\(later) more error\(later == 1 ? "" : "s") in later cells not shown: "
                        + "they may follow from this one; fix it and build again"))
        }
        return kept
    }

    /// `type 'Thing' does not conform to protocol 'Layer'` followed by a note naming what the
    /// kernel's protocol requires, with its declaration (the compiler's own note, "add stubs for
    /// conformance", names nothing on the command line); a requirement with a default
    /// implementation (`Layer.setTraining(_:)`) is left out.
    private func namingRequirements(in diagnostics: [Diagnostic]) -> [Diagnostic] {
        let pattern = /^type '([^']+)' does not conform to protocol '([^']+)'$/
        guard diagnostics.contains(where: { $0.message.wholeMatch(of: pattern) != nil }),
            let graphs = try? SymbolGraph.kernel(toolchain, cacheDirectory: options.cacheDirectory)
        else { return diagnostics }
        let symbols = graphs.flatMap(\.symbols)
        let relationships = graphs.flatMap(\.relationships)
        var result: [Diagnostic] = []
        for d in diagnostics {
            result.append(d)
            guard d.severity == .error, let match = d.message.wholeMatch(of: pattern),
                let proto = symbols.first(where: {
                    $0.kind.identifier == "swift.protocol" && $0.pathComponents == [String(match.2)]
                })
            else { continue }
            // What a conforming type must declare: the requirements without a default implementation.
            let defaulted = Set(relationships.filter { $0.kind == "defaultImplementationOf" }.map(\.target))
            let required = Set(
                relationships.filter { $0.kind == "requirementOf" && $0.target == proto.identifier.precise }.map(
                    \.source)
            ).subtracting(defaulted)
            let declarations = symbols.filter { required.contains($0.identifier.precise) }
                .compactMap { $0.declarationFragments?.map(\.spelling).joined() }.sorted()
            guard !declarations.isEmpty else { continue }
            result.append(
                Diagnostic(
                    .note, file: d.file, line: d.line, column: d.column,
                    message: "'\(match.2)' requires "
                        + declarations.map { "'\($0.replacingOccurrences(of: "Self", with: String(match.1)))'" }
                        .joined(separator: " and ") + " (declare each in '\(match.1)')",
                    sourceLine: d.sourceLine))
        }
        return result
    }

    /// `cannot find 'softmaxRow' in scope` followed by `did you mean 'softmaxRows'?` when the
    /// compiler suggests nothing and a kernel name or a name the notebook declares is close.
    private func suggestingNames(in diagnostics: [Diagnostic], notebook: Notebook) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for (k, d) in diagnostics.enumerated() {
            result.append(d)
            guard d.severity == .error, d.message.hasPrefix("cannot find '"), d.message.hasSuffix("' in scope"),
                !(k + 1 < diagnostics.count && diagnostics[k + 1].severity == .note
                    && diagnostics[k + 1].message.contains("did you mean"))
            else { continue }
            let name = String(d.message.dropFirst("cannot find '".count).dropLast("' in scope".count))
            let names = NameSuggestions.closest(
                to: name,
                in: NameSuggestions.kernelNames(toolchain, cacheDirectory: options.cacheDirectory)
                    + NameSuggestions.declared(in: notebook))
            guard !names.isEmpty else { continue }
            result.append(
                Diagnostic(
                    .note, file: d.file, line: d.line, column: d.column,
                    message: "did you mean " + names.map { "'\($0)'" }.joined(separator: " or ") + "?",
                    sourceLine: d.sourceLine))
        }
        return result
    }

    /// Compiles and runs the cells before `index` (from the checkpoint being resumed from, if
    /// any); their results, in order, and why they are transient if they are
    /// (`NotebookRun.transient`).
    private func runPrefix(
        _ notebook: Notebook, before index: Int, excluded: Set<Int>, in work: TemporaryFolder,
        resuming: Resumption?
    ) throws -> ([CellResult], String?, [FileInput]?) {
        let before = notebook.cells.filter { $0.index < index && !excluded.contains($0.index) }
        let empty = before.map { CellResult(index: $0.index, outputs: []) }
        guard before.contains(where: { !$0.options.skip }) else { return (empty, nil, resuming?.inputs) }
        if let resuming, !before.contains(where: { $0.index > resuming.cell }) {
            return (resuming.cells, nil, resuming.inputs)  // all of them come from the checkpoint
        }
        let prefix = ProgramGenerator.generate(notebook, cells: before, resuming: resuming)
        let compiled = try compile(prefix, in: work, name: "prefix")
        guard compiled.ok else { return (empty, compiled.transient, nil) }
        let run = try runProgram(
            "prefix", in: work, notebook: notebook, program: prefix, excluded: excluded, resuming: resuming,
            cellLimit: index)
        _ = storeCheckpoints(written: work, run: run, notebook: notebook, excluded: excluded)
        return (Array(run.cells.prefix(index)), run.transient, run.inputs)
    }

    private struct Compiled {
        var ok: Bool
        var output: String
        var seconds: Double
        /// Why the failure says nothing about the code (`Transient`), if it does not.
        var transient: String?
    }

    private func compile(_ program: GeneratedProgram, in work: TemporaryFolder, name: String = "program") throws
        -> Compiled
    {
        let source = work.path + "/\(name).swift"
        try program.source.write(toFile: source, atomically: false, encoding: .utf8)
        // The driver's own temporary folders (it leaves a `TemporaryDirectory.*` behind each
        // time) go inside the work folder, and go with it.
        let environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": work.path]) { $1 }
        let result = try Subprocess.run(
            toolchain.swiftc, toolchain.compileArguments(source: source, output: work.path + "/" + name),
            environment: environment, timeout: max(120, options.timeout))
        let output = String(decoding: result.stderr + result.stdout, as: UTF8.self)
        let timeLimit =
            result.timedOut
            ? "\(source):1:1: error: the compiler ran past its \(NumberFormat.significant(max(120, options.timeout), digits: 6)) s limit and was stopped\n"
            : ""
        let ok = result.status == 0 && !result.timedOut
        return Compiled(
            ok: ok, output: timeLimit + output, seconds: result.seconds,
            transient: ok
                ? nil : result.timedOut ? "the compiler's time limit" : Transient.ofCompiler(result, output: output))
    }

    /// Runs a compiled program and sorts its outputs into the notebook's cells (those up to the
    /// checkpoint it resumes from come from the checkpoint).
    ///
    /// - Throws: `CannotResume` when the program could not read its checkpoint.
    private func runProgram(
        _ name: String, in work: TemporaryFolder, notebook: Notebook, program: GeneratedProgram, excluded: Set<Int>,
        resuming: Resumption?, cellLimit: Int? = nil
    ) throws -> NotebookRun {
        // A fresh token per run frames the records, and the checkpoints go to the work folder
        // (neither is in the cache key: they change no output).
        let token = (0..<2).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined()
        var environment = Self.programEnvironment.merging([
            KernelRecord.tokenVariable: token, CheckpointManifest.saveVariable: work.path + "/checkpoints",
            CheckpointManifest.filesVariable: work.path + "/files-\(name).log",
        ]) { $1 }
        if let resuming { environment[CheckpointManifest.restoreVariable] = resuming.folder }
        let result = try Subprocess.run(
            work.path + "/" + name, [], environment: environment, timeout: timeLimit(for: notebook),
            outputCap: options.outputCap, memoryLimit: memoryLimit(for: notebook))
        let parsed = OutputStreamParser(result.stdout, token: token)
        let stderr = String(decoding: result.stderr, as: UTF8.self)
        if let resuming, result.status == CheckpointManifest.restoreFailureStatus,
            stderr.contains(CheckpointManifest.restoreFailure),
            !parsed.outputs.keys.contains(where: { $0 > resuming.cell })
        {
            throw CannotResume()
        }
        var cells: [CellResult] = []
        var diagnostics: [Diagnostic] = []
        var stopped: (cell: Int, why: String)?
        for cell in notebook.cells where cell.index < (cellLimit ?? Int.max) {
            if let resuming, cell.index <= resuming.cell {
                cells.append(resuming.cells[cell.index])
                continue
            }
            var outputs = capText(parsed.outputs[cell.index] ?? [])
            if cell.options.skip || excluded.contains(cell.index) {
                cells.append(CellResult(index: cell.index, outputs: []))
                continue
            }
            if let stopped {
                outputs = [
                    .error(CellFailure(reason: .notRun, message: "not run: \(stopped.why) in cell \(stopped.cell + 1)"))
                ]
            } else if parsed.outputs[cell.index] == nil || (cell.index == parsed.currentCell && !parsed.finished) {
                let (failure, why) = failureOf(
                    cell: cell, result: result, parsed: parsed, stderr: stderr, notebook: notebook)
                if result.droppedBytes > 0 {
                    outputs.append(
                        .text(
                            "[notebook: \(result.droppedBytes) bytes of output past the \(options.outputCap >> 20) MiB limit were cut]\n"
                        ))
                }
                outputs.append(.error(failure))
                if cell.options.expectError == nil {
                    diagnostics.append(
                        Diagnostic(
                            .error, file: notebook.path, line: failure.line ?? cell.line, column: 0,
                            message: "cell \(cell.number): \(failure.message)",
                            sourceLine: notebook.line(failure.line ?? cell.line)))
                }
                stopped = (cell.index, why)
            } else if case let problems = outputs.map(\.problem),
                let position = problems.firstIndex(where: { $0 != nil })
            {
                // A record that decodes but cannot be drawn (a show() the kernel let through):
                // that cell's error, never a crash of the renderer.
                let failure = CellFailure(
                    reason: .runtime,
                    message:
                        "output \(position + 1) (\(outputs[position].kind)) cannot be shown: \(problems[position]!)",
                    line: cell.line)
                outputs = zip(outputs, problems).filter { $0.1 == nil }.map(\.0) + [.error(failure)]
                if cell.options.expectError == nil {
                    diagnostics.append(
                        Diagnostic(
                            .error, file: notebook.path, line: cell.line, column: 0,
                            message: "cell \(cell.number): \(failure.message)", sourceLine: notebook.line(cell.line)))
                }
            }
            cells.append(CellResult(index: cell.index, outputs: outputs))
        }
        var run = NotebookRun(cells: cells, diagnostics: diagnostics, runSeconds: result.seconds)
        let inputs = (resuming?.inputs ?? []) + FileInputs.read(log: work.path + "/files-\(name).log")
        run.inputs = inputs.isEmpty ? nil : inputs
        if result.timedOut {
            run.transient = "a time-out"
        } else if let signal = result.signal, !Transient.ownSignals.contains(signal) {
            run.transient = "a kill from outside"
        } else if cells.contains(where: { $0.failure?.message.hasPrefix(Self.outOfMemory) == true }) {
            run.transient = "the memory limit"
        }
        return run
    }

    /// How the message of a cell that hit the memory limit begins.
    private static let outOfMemory = "the cell ran out of memory"

    /// Why `cell` did not finish: a timeout, a trap, or an exit in the middle of the program.
    private func failureOf(
        cell: Cell, result: ProcessResult, parsed: OutputStreamParser, stderr: String,
        notebook: Notebook
    ) -> (CellFailure, String) {
        if parsed.outputs[cell.index] == nil && parsed.currentCell != nil {
            return (CellFailure(reason: .notRun, message: "not run"), "the program stopped")
        }
        if result.timedOut {
            return (
                CellFailure(
                    reason: .timeout,
                    message:
                        "the cell ran past the \(NumberFormat.significant(timeLimit(for: notebook), digits: 6)) s limit "
                        + "and was stopped (\(notebook.frontMatter.timeout == nil ? "--timeout, or timeout: in the front matter" : "timeout: in the front matter"))",
                    line: cell.line),
                "the time limit was reached"
            )
        }
        if result.status == 0 && result.signal == nil {
            return (
                CellFailure(
                    reason: .runtime,
                    message: "the program exited (status 0) before the cell ended, e.g. by calling exit()",
                    line: cell.line),
                "the program exited"
            )
        }
        if let signal = result.signal, !Transient.ownSignals.contains(signal) {
            return (
                CellFailure(
                    reason: .runtime, message: Transient.killedFromOutside("the program", signal: signal),
                    line: cell.line),
                "the program was killed"
            )
        }
        var (message, line) = RuntimeFailure.describe(stderr: stderr, result: result, notebookPath: notebook.path)
        if let thrown = parsed.thrownAt, let range = message.range(of: "Error raised at top level: ") {
            message =
                "uncaught error thrown by the 'try' on line \(thrown): \(message[range.upperBound...]) "
                + "(catch it with do/catch, or write try? to ignore it)"
            line = thrown
        }
        if message.contains("failed to allocate") || message.contains("Could not allocate")
            || stderr.contains("std::bad_alloc")
        {
            let limit =
                notebook.frontMatter.memory.map { "memory: \($0) in the front matter" }
                ?? "--memory \(ByteCount(bytes: options.memoryLimit)), or memory: in the front matter"
            message =
                Self.outOfMemory + ": the program may use at most "
                + "\(ByteCount(bytes: memoryLimit(for: notebook))) (\(limit)) — \(message)"
        }
        return (CellFailure(reason: .runtime, message: message, line: line), "the program stopped")
    }

    /// Cuts printed text past the per-cell cap, with a notice saying how much was cut.
    private func capText(_ outputs: [Output]) -> [Output] {
        var budget = options.textCapPerCell
        return outputs.map { output in
            guard case .text(let s) = output else { return output }
            let bytes = Array(s.utf8)
            defer { budget = max(0, budget - bytes.count) }
            if bytes.count <= budget { return output }
            var kept = Array(bytes.prefix(budget))
            while !kept.isEmpty, String(validatingUTF8: kept.map { CChar(bitPattern: $0) } + [0]) == nil {
                kept.removeLast()
            }
            return .text(
                String(decoding: kept, as: UTF8.self)
                    + "\n[notebook: \(bytes.count - kept.count) more bytes of output were cut]\n")
        }
    }
}
