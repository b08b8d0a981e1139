import Foundation
import NotebookModel
import NotebookRunner
import NotebookSite

/// `notebook check`: re-run, compare with the recordings, report; or `--update` the recordings.
struct CheckAction {
    var paths: [String]
    var update: Bool
    var report: String?
    var runner: RunArguments

    func perform() throws -> Int32 {
        let files = try Workspace.notebookFiles(paths)
        let reportFolder = try report.map { try OutputFolder($0, notebooks: files) }
        let notebooks = try Workspace.load(files)
        let executor = try Workspace.executor(runner)
        let runs = try Workspace.run(
            notebooks, with: executor, jobs: runner.jobs, progress: Progress(quiet: runner.quiet))
        return update ? try record(notebooks, runs) : try compare(notebooks, runs, report: reportFolder)
    }

    /// Writes every recording; refuses a notebook whose cells fail unexpectedly.
    private func record(_ notebooks: [Notebook], _ runs: [NotebookRun]) throws -> Int32 {
        var status: Int32 = 0
        for (notebook, run) in zip(notebooks, runs) {
            let failures = run.unexpectedFailures(in: notebook)
            if !failures.isEmpty || run.cells.contains(where: { $0.failure?.reason == .notRun }) {
                for d in run.printedDiagnostics { DiagnosticOutput.print(d) }
                printError("notebook: not recorded: \(notebook.path) has failing cells")
                status = 1
                continue
            }
            let path = Recording.path(for: notebook.path)
            let text = try Recording(notebook: notebook, run: run).text()
            let old = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
            if old != text {
                do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                    throw NotebookError.usage("cannot write '\(path)': \(error.localizedDescription)")
                }
                printError("notebook: recorded \(path)")
            }
        }
        return status
    }

    private func compare(_ notebooks: [Notebook], _ runs: [NotebookRun], report reportFolder: OutputFolder?) throws
        -> Int32
    {
        var differences: [Difference] = []
        var missing = 0
        for (notebook, run) in zip(notebooks, runs) {
            let path = Recording.path(for: notebook.path)
            guard let data = FileManager.default.contents(atPath: path) else {
                DiagnosticOutput.print(
                    Diagnostic(
                        .error, file: notebook.path, line: 1,
                        message:
                            "no recorded outputs ('\(path)'); record them with 'notebook check --update \(notebook.path)'"
                    ))
                missing += 1
                continue
            }
            guard let recording = try? Recording.read(String(decoding: data, as: UTF8.self)) else {
                throw NotebookError.input(
                    Diagnostic(
                        .error, file: path, line: 1,
                        message:
                            "not a recording of notebook outputs; re-record it with 'notebook check --update \(notebook.path)'"
                    ))
            }
            differences += Checker.compare(notebook, run: run, recording: recording)
        }
        for d in differences { DiagnosticOutput.print(d) }
        let cells = notebooks.reduce(0) { $0 + $1.cells.count }
        let differing = Set(differences.map { "\($0.file)#" + ($0.cell.map(String.init) ?? "removed \($0.summary)") })
            .count
        let summary =
            "\(notebooks.count) notebook\(notebooks.count == 1 ? "" : "s"), \(cells) cell\(cells == 1 ? "" : "s"), \(differing) differ"
            + (missing > 0 ? ", \(missing) not recorded" : "")
        printError("notebook check: \(summary)")
        if let reportFolder {
            let items = differences.map {
                ReportItem(
                    heading: "\($0.file):\($0.line): \($0.message)",
                    expected: $0.expected, actual: $0.actual, detail: $0.detail)
            }
            try SiteWriter.write(SiteRenderer.checkReport(items, summary: summary), to: reportFolder)
        }
        return differences.isEmpty && missing == 0 ? 0 : 1
    }
}
