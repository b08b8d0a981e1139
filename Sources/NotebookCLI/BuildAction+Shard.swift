import Foundation
import NotebookModel
import NotebookRunner

extension BuildAction {
    /// `build --shard i/n`: runs this shard's share of the notebooks, which fills the cache (and
    /// the cache server), and writes no site; a build without `--shard` then renders it.
    ///
    /// Every notebook is read, so that one that cannot be read fails every shard alike (exit 2).
    func buildShard(_ shard: Shard, with executor: Executor) throws -> Int32 {
        let start = Date()
        let files = try Workspace.notebookFiles(paths)
        let notebooks = try Workspace.load(files)
        let times = (executor.options.remoteCache ?? executor.options.store).map(ShardTimes.load(from:)) ?? [:]
        let share = Set(shard.select(notebooks.map(\.path), seconds: times))
        let chosen = notebooks.filter { share.contains($0.path) }
        let runs = try Workspace.run(chosen, with: executor, jobs: runner.jobs, progress: Progress(quiet: runner.quiet))
        var failed = 0
        for (notebook, run) in zip(chosen, runs) {
            for d in notebook.warnings + run.printedDiagnostics { DiagnosticOutput.print(d) }
            if run.failed(in: notebook) { failed += 1 }
        }
        let cached = runs.filter(\.cached).count
        if !runner.quiet || failed > 0 {
            printError(
                "notebook: shard \(shard.index)/\(shard.count): \(chosen.count) of \(notebooks.count) notebooks "
                    + "(\(chosen.count - cached) ran, \(cached) cached, \(failed) failed, "
                    + Progress.seconds(Date().timeIntervalSince(start))
                    + "); no site written: a build without --shard renders it from the cache")
        }
        return failed > 0 ? 1 : 0
    }

    /// Records each notebook's seconds (compile and run, of the run that made its result) for
    /// `--shard` to balance by, when they differ from the record; transient runs are left out.
    func recordTimes(_ notebooks: [Notebook], _ runs: [NotebookRun], executor: Executor) {
        guard let store = executor.options.store else { return }
        var recorded = ShardTimes.load(from: executor.options.remoteCache ?? store)
        var changed = false
        for (notebook, run) in zip(notebooks, runs) where run.transient == nil {
            let seconds = run.compileSeconds + run.runSeconds
            if recorded[notebook.path] != seconds {
                recorded[notebook.path] = seconds
                changed = true
            }
        }
        if changed { ShardTimes.save(recorded, to: store) }
    }
}
