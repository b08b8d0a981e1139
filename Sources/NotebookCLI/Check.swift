import ArgumentParser

struct Check: StatusCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-run the notebooks and compare their outputs with the recorded ones.",
        discussion: "Examples:\n  notebook check\n  notebook check --update notebooks/03-softmax.md")

    @Argument(help: "Notebook files or folders.")
    var paths: [String] = ["notebooks"]
    @Flag(help: "Record the fresh outputs instead of comparing.")
    var update = false
    @Option(help: "Write an HTML report of the differences to this folder.")
    var report: String?
    @OptionGroup var runner: RunArguments

    mutating func perform() throws -> Int32 {
        let typed = Project.enter(quiet: runner.quiet)
        runner.kernel = runner.kernel.map(typed.callAsFunction)
        return try CheckAction(
            paths: typed.notebooks(paths), update: update, report: report.map(typed.callAsFunction), runner: runner
        ).perform()
    }
}
