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
    var runner: RunnerOptions

    func perform() throws -> Int32 {
        let start = Date()
        let files = try Workspace.notebookFiles(paths)
        let notebooks = SiteRenderer.courseOrder(try Workspace.load(files))
        let executor = try Workspace.executor(kernel: runner.kernel, timeout: runner.timeout, cache: !runner.noCache)
        let progress = Progress(quiet: runner.quiet)
        let runs = try Workspace.run(notebooks, with: executor, jobs: runner.jobs, progress: progress)
        var failed = 0
        for (notebook, run) in zip(notebooks, runs) {
            for d in notebook.warnings + run.diagnostics { printError(d.formatted) }
            if run.failed(in: notebook) { failed += 1 }
        }
        let summary = "\(notebooks.count) notebooks, \(runs.filter(\.cached).count) cached, \(failed) failed, "
            + progress.seconds(Date().timeIntervalSince(start))
        if failed > 0 && !keepGoing {
            printError("notebook: build failed (\(summary)); '\(output)' was left as it was")
            return 1
        }
        let introduction = introductionHTML()
        let site = SiteRenderer.render(zip(notebooks, runs).map { RenderedNotebook(notebook: $0, run: $1) }, introduction: introduction)
        try SiteWriter.write(site, to: output)
        if !runner.quiet || failed > 0 { printError("notebook: built \(output)/ (\(summary))") }
        return failed > 0 ? 1 : 0
    }

    /// The prose of `index.md` in the first folder named, for the top of the index page.
    private func introductionHTML() -> String? {
        for path in paths {
            let candidate = (path.hasSuffix("/") ? path : path + "/") + "index.md"
            if FileManager.default.fileExists(atPath: candidate), let n = try? NotebookParser.load(path: candidate) {
                return n.blocks.compactMap { if case .prose(let html, _) = $0 { html } else { nil } }.joined()
            }
        }
        return nil
    }
}
