import Foundation
import NotebookMarkdown
import NotebookModel
import NotebookRunner
import NotebookSite

/// `notebook build`: parse, run (cached, in parallel), render, and replace the site whole.
struct BuildAction {
    var paths: [String]
    var output: String
    var keepGoing: Bool
    var runner: RunArguments
    /// Leave the site folder alone when it holds exactly what this build would write.
    var reuseUnchangedSite = true
    /// Run only this share of the notebooks, to fill the cache, and write no site.
    var shard: Shard? = nil

    /// What one build did.
    struct Outcome {
        /// The files written to `output`, or nil when a cell failed and `keepGoing` is off, or
        /// when the folder already held them (`unchanged`).
        var site: [String: String]?
        /// The folder already held this build's site, so nothing was rendered or written.
        var unchanged = false
        /// Every warning and error, in notebook order.
        var diagnostics: [Diagnostic]
        var notebooks: Int
        var cached: Int
        var failed: Int
        var seconds: Double
    }

    func perform() throws -> Int32 {
        let executor = try Workspace.executor(runner)
        if let shard { return try buildShard(shard, with: executor) }
        let outcome = try build(with: executor)
        for d in outcome.diagnostics { DiagnosticOutput.print(d) }
        let summary = Self.summary(outcome)
        guard outcome.site != nil || outcome.unchanged else {
            printError("notebook: build failed (\(summary)); '\(output)' was left as it was")
            return 1
        }
        if !runner.quiet || outcome.failed > 0 {
            printError(
                outcome.unchanged
                    ? "notebook: \(output)/ is up to date (\(summary))"
                    : outcome.cached == outcome.notebooks
                        ? "notebook: built \(output)/, rendered from the cache: 0 notebooks ran (\(summary))"
                        : "notebook: built \(output)/ (\(summary))")
        }
        return outcome.failed > 0 ? 1 : 0
    }

    /// Parses and runs the notebooks, then renders and writes the site unless a cell failed
    /// without `keepGoing`.
    /// - Throws: `NotebookError` (exit 2) for unreadable notebooks or a site folder that cannot
    ///   be written.
    func build(with executor: Executor) throws -> Outcome {
        let start = Date()
        let files = try Workspace.notebookFiles(paths)
        let folder = try OutputFolder(output, notebooks: files)
        let notebooks = SiteRenderer.courseOrder(try Workspace.load(files))
        let runs = try Workspace.run(
            notebooks, with: executor, jobs: runner.jobs, progress: Progress(quiet: runner.quiet))
        var outcome = Outcome(
            site: nil, diagnostics: [], notebooks: notebooks.count, cached: runs.filter(\.cached).count,
            failed: 0, seconds: 0)
        for (notebook, run) in zip(notebooks, runs) {
            outcome.diagnostics += notebook.warnings + run.printedDiagnostics
            if run.failed(in: notebook) { outcome.failed += 1 }
        }
        recordTimes(notebooks, runs, executor: executor)
        if outcome.failed == 0 || keepGoing {
            let (introduction, course) = try courseIntroduction(&outcome.diagnostics)
            let stamp = executor.options.cacheDirectory.map { SiteStamp(cacheDirectory: $0, output: output) }
            let sourceKeys = notebooks.map(executor.cacheKey(source:))
            let apiKey = SymbolGraph.kernelKey(executor.toolchain)
            let key = SiteStamp.key(sourceKeys: sourceKeys + [apiKey], introduction: introduction, course: course)
            if reuseUnchangedSite, runs.allSatisfy(\.cached), stamp?.matches(key) == true {
                outcome.unchanged = true
            } else {
                let pages = zip(notebooks, runs).map { RenderedNotebook(notebook: $0, run: $1) }
                let pageCache = executor.options.store.map(PageCache.init(store:))
                let pageKeys = PageCache.keys(notebooks, sourceKeys: sourceKeys, course: course)
                let prerendered = zip(runs, pageKeys).map { run, key in run.cached ? pageCache?.load(key) : nil }
                let site = SiteRenderer.render(
                    pages, introduction: introduction, prerendered: prerendered, api: try apiReference(executor),
                    course: course)
                for (i, key) in pageKeys.enumerated() where prerendered[i] == nil {
                    if let page = site[SiteRenderer.pageName(notebooks[i])] { pageCache?.store(page, key: key) }
                }
                try SiteWriter.write(site, to: folder) { stamp?.save(key) }
                outcome.site = site
            }
        }
        outcome.seconds = Date().timeIntervalSince(start)
        return outcome
    }

    /// The reference of the kernel's public API, from its symbol graphs (remembered in the cache).
    private func apiReference(_ executor: Executor) throws -> APIReference {
        do {
            return APIReference(
                try SymbolGraph.kernel(executor.toolchain, cacheDirectory: executor.options.cacheDirectory),
                markdown: markdownHTML)
        } catch let e as NotebookRunnerError {
            throw NotebookError.usage("cannot write the API reference: \(e.description)")
        }
    }

    /// `11 notebooks, 10 cached, 1 failed, 0.42 s`.
    static func summary(_ o: Outcome) -> String {
        "\(o.notebooks) notebooks, \(o.cached) cached, \(o.failed) failed, " + Progress.seconds(o.seconds)
    }

    /// The prose of `index.md` in the first folder named, for the top of the index page, and the
    /// course's settings from its front matter; its warnings are added to `diagnostics`.
    /// - Throws: `NotebookError` (exit 2) when `index.md` cannot be read.
    func courseIntroduction(_ diagnostics: inout [Diagnostic]) throws -> (String?, Course) {
        for path in paths {
            let candidate = (path.hasSuffix("/") ? path : path + "/") + "index.md"
            guard FileManager.default.fileExists(atPath: candidate) else { continue }
            let n = try NotebookParser.load(path: candidate)
            diagnostics += n.warnings
            if !n.cells.isEmpty {
                diagnostics.append(
                    Diagnostic(
                        .warning, file: candidate, line: n.cells[0].line - 1, column: 1,
                        message: "index.md is the course's introduction: its cells are shown but not run"))
            }
            let html = n.blocks.map { block in
                switch block {
                case .prose(let html, _): html
                case .cell(let cell): "<pre><code>\(escapeHTML(cell.code))</code></pre>"
                }
            }.joined()
            return (html, Course(n.frontMatter))
        }
        return (nil, Course())
    }
}
