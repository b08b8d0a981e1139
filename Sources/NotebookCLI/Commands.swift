import ArgumentParser
import Foundation
import NotebookModel
import NotebookRunner

/// The `notebook` command: parses the command line, runs the subcommand, maps every failure to
/// exit status 1 (a cell failed, a check differs) or 2 (bad usage or input).
public enum NotebookCLI {
    /// Runs the command line and exits.
    public static func main(_ arguments: [String]? = nil) async -> Never {
        do {
            var command = try RootCommand.parseAsRoot(arguments)
            DiagnosticOutput.use((command as? RunningCommand)?.runner.diagnostics)
            ProcessTree.adoptOrphans()
            Interrupts.install(exit: !(command is Serve))
            if var runnable = command as? StatusCommand {
                exit(try runnable.perform())
            }
            if var runnable = command as? AsyncStatusCommand {
                exit(try await runnable.perform())
            }
            try command.run()
            exit(0)
        } catch let error as NotebookError {
            Interrupts.exitIfInterrupted()
            for d in error.diagnostics { DiagnosticOutput.print(d) }
            exit(error.exitStatus)
        } catch {
            Interrupts.exitIfInterrupted()
            let code = RootCommand.exitCode(for: error)
            if code == .success { RootCommand.exit(withError: error) }
            printError(RootCommand.fullMessage(for: error))
            exit(code == .failure ? 1 : 2)
        }
    }
}

/// A subcommand that returns its exit status.
protocol StatusCommand: ParsableCommand {
    mutating func perform() throws -> Int32
}

extension StatusCommand {
    mutating func run() throws {
        let status = try perform()
        if status != 0 { throw ExitCode(status) }
    }
}

/// A subcommand that returns its exit status and awaits its work (`serve`).
protocol AsyncStatusCommand: AsyncParsableCommand {
    mutating func perform() async throws -> Int32
}

extension AsyncStatusCommand {
    mutating func run() async throws {
        let status = try await perform()
        if status != 0 { throw ExitCode(status) }
    }
}

struct RootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Run Markdown lessons whose Swift cells compute, and publish them as a static site.",
        discussion: """
            A notebook is a Markdown file in notebooks/; its ```swift blocks are cells that run in order
            and share state. Exit status: 0 success, 1 a cell failed or a check differs, 2 bad usage or input.

            Examples:
              notebook build                      # notebooks/ -> site/
              notebook run notebooks/01-one-hot.md
              notebook check                      # compare with the recorded outputs
              notebook check --update notebooks/03-softmax.md
              notebook serve                      # http://127.0.0.1:8000/, rebuilt and reloaded on save

            Run below a project's folder, a command works on the nearest folder above that holds
            notebooks/ (as git finds .git), and says so.
            """,
        subcommands: [Build.self, Run.self, Check.self, Serve.self, New.self, CacheCommand.self])
}

/// A command that runs notebooks.
protocol RunningCommand {
    var runner: RunArguments { get }
}

extension Build: RunningCommand {}
extension Check: RunningCommand {}
extension Run: RunningCommand {}
extension Serve: RunningCommand {}

/// The command-line options every running command shares; `Workspace.executor` turns them into
/// the runner's `RunOptions` (timeout, memory, cache) and the toolchain it locates.
struct RunArguments: ParsableArguments {
    @Option(help: "Seconds a notebook may run before it is stopped.")
    var timeout: Double = 60
    @Option(
        help: "Memory a notebook's program may use, e.g. 512M or 8G (a notebook's `memory:` front matter overrides it)."
    )
    var memory: String = "4G"
    @Option(help: "The folder holding libNotebookKernel.so and Modules/ (default: next to this binary).")
    var kernel: String?
    @Flag(help: "Run every notebook even when the cache has its result.")
    var noCache = false
    @Option(
        name: .customLong("cache-url"),
        help:
            "A cache server speaking Bazel's HTTP remote-cache protocol (/ac/, /cas/), read after the local cache and written with every result (default: $NOTEBOOK_CACHE_URL)."
    )
    var cacheURL: String?
    @Option(help: "Seconds the cache server may go silent before the build stops using it.")
    var cacheTimeout: Double = 5
    @Option(help: "Notebooks run at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Print only diagnostics and the summary.")
    var quiet = false
    @Option(
        help:
            "How errors and warnings are printed: text, github (workflow annotations; the default under GitHub Actions) or json (one object per line, for editors)."
    )
    var diagnostics: DiagnosticFormat?

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard ByteCount(memory) != nil else {
            throw ValidationError("--memory '\(memory)' is not a size (write e.g. 512M or 4G)")
        }
        guard jobs > 0 else { throw ValidationError("--jobs must be positive") }
        guard cacheTimeout > 0 else { throw ValidationError("--cache-timeout must be positive") }
        if let (address, origin) = cacheServer, let problem = RemoteCache.problem(with: address) {
            throw ValidationError("\(origin) '\(address)' is not a cache server's address: \(problem)")
        }
    }

    /// The cache server's address and where it was given (`--cache-url` or the environment);
    /// nil when none is, or when it is empty.
    var cacheServer: (address: String, origin: String)? {
        if let cacheURL { return cacheURL.isEmpty ? nil : (cacheURL, "--cache-url") }
        guard let address = ProcessInfo.processInfo.environment["NOTEBOOK_CACHE_URL"], !address.isEmpty else {
            return nil
        }
        return (address, "$NOTEBOOK_CACHE_URL")
    }
}

struct Build: StatusCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the notebooks and write the static site.",
        discussion: """
            Examples:
              notebook build
              notebook build notebooks/01-one-hot.md --output /tmp/site
              notebook build --shard 2/4 --cache-url URL   # a quarter, into the cache
            """)

    @Argument(help: "Notebook files or folders.")
    var paths: [String] = ["notebooks"]
    @Option(help: "The site folder, replaced whole when the build succeeds.")
    var output = "site"
    @Flag(help: "Write the site even when a cell failed (the page shows the error).")
    var keepGoing = false
    @Option(
        help:
            "Run only shard i of n (e.g. 2/4) to fill the cache, and write no site; a build without --shard then renders the site from the cache."
    )
    var shard: String?
    @OptionGroup var runner: RunArguments

    func validate() throws {
        guard let shard else { return }
        if case .failure(let e) = Shard.parse(shard) { throw ValidationError(e.description) }
        if runner.noCache {
            throw ValidationError("--shard fills the cache for a later build: it cannot run with --no-cache")
        }
    }

    mutating func perform() throws -> Int32 {
        let typed = Project.enter(quiet: runner.quiet)
        runner.kernel = runner.kernel.map(typed.callAsFunction)
        return try BuildAction(
            paths: typed.notebooks(paths), output: typed.output(output), keepGoing: keepGoing, runner: runner,
            shard: shard.flatMap { try? Shard.parse($0).get() }
        ).perform()
    }
}

struct Run: StatusCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one notebook and print its outputs in the terminal.",
        discussion: "Example:\n  notebook run notebooks/03-softmax.md")

    @Argument(help: "The notebook file.")
    var file: String
    @OptionGroup var runner: RunArguments

    mutating func perform() throws -> Int32 {
        let typed = Project.enter(quiet: true)
        runner.kernel = runner.kernel.map(typed.callAsFunction)
        let notebooks = try Workspace.load([typed(file)])
        let executor = try Workspace.executor(runner)
        let progress = Progress(quiet: true)
        let run = try Workspace.run(notebooks, with: executor, jobs: 1, progress: progress)[0]
        print(TerminalRenderer.render(notebooks[0], run: run), terminator: "")
        for d in notebooks[0].warnings + run.printedDiagnostics { DiagnosticOutput.print(d) }
        return run.failed(in: notebooks[0]) ? 1 : 0
    }
}

struct Serve: AsyncStatusCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Build, serve the site on 127.0.0.1, and rebuild and reload pages when a notebook or the kernel changes.",
        discussion: """
            Only the loopback address is bound. A cell that fails shows its error in its page; a notebook
            that cannot be read shows its diagnostics at the foot of every open page. Ctrl-C stops.

            Examples:
              notebook serve
              notebook serve --port 0             # any free port; the address is printed
            """)

    @Argument(help: "Notebook files or folders.")
    var paths: [String] = ["notebooks"]
    @Option(help: "The site folder, rewritten on every rebuild.")
    var output = "site"
    @Option(help: "The port on 127.0.0.1 (0: any free port).")
    var port = 8000
    @OptionGroup var runner: RunArguments

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    mutating func perform() async throws -> Int32 {
        let typed = Project.enter(quiet: runner.quiet)
        runner.kernel = runner.kernel.map(typed.callAsFunction)
        let build = BuildAction(
            paths: typed.notebooks(paths), output: typed.output(output), keepGoing: true, runner: runner)
        return try await ServeAction(build: build, port: port).perform()
    }
}
