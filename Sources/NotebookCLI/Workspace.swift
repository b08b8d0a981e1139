import Foundation
import NotebookMarkdown
import NotebookModel
import NotebookRunner

/// Finding, reading and running notebooks: what `build`, `check` and `run` share.
struct Workspace {
    /// The notebook files named by `paths` (folders give their `*.md` files, `index.md` aside),
    /// sorted by path.
    /// - Throws: `NotebookError` (exit 2) for a path that does not exist or holds no notebook.
    static func notebookFiles(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                if path == "notebooks" {
                    throw NotebookError.input(
                        Diagnostic(
                            .error, file: path, line: 0,
                            message: "no notebooks/ folder here or in any folder above; "
                                + "'notebook new NAME --create' starts a project"))
                }
                throw NotebookError.input(Diagnostic(.error, file: path, line: 0, message: "no such file or folder"))
            }
            if isDirectory.boolValue {
                let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
                let names = (try? fm.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { $0.hasSuffix(".md") && $0 != "index.md" && !$0.hasPrefix(".") }.map {
                    "\(trimmed)/\($0)"
                }
            } else {
                files.append(path)
            }
        }
        guard !files.isEmpty else {
            throw NotebookError.input(
                Diagnostic(.error, file: paths.joined(separator: " "), line: 0, message: "no notebooks (*.md) found"))
        }
        // Relative to the project when inside it: the path is printed on pages and in diagnostics.
        let project = FileManager.default.currentDirectoryPath + "/"
        return Array(Set(files.map { $0.hasPrefix(project) ? String($0.dropFirst(project.count)) : $0 })).sorted()
    }

    /// Every notebook parsed; all parse errors are collected before throwing one error (exit 2).
    static func load(_ files: [String]) throws -> [Notebook] {
        var notebooks: [Notebook] = []
        var diagnostics: [Diagnostic] = []
        for file in files {
            do { notebooks.append(try NotebookParser.load(path: file)) } catch let e as NotebookError {
                diagnostics += e.diagnostics
            }
        }
        if !diagnostics.isEmpty { throw NotebookError(diagnostics: diagnostics, exitStatus: 2) }
        return notebooks
    }

    /// An executor, or a usage error (exit 2) saying what is missing.
    static func executor(
        _ runner: RunArguments, onCompileError: (@Sendable (Notebook, [Diagnostic]) -> Void)? = nil
    ) throws -> Executor {
        let (kernel, timeout, cache) = (runner.kernel, runner.timeout, !runner.noCache)
        do {
            let toolchain = try Toolchain.locate(kernel: kernel, cacheDirectory: cache ? ".notebook-cache" : nil)
            var options = RunOptions()
            options.timeout = timeout
            options.memoryLimit = ByteCount(runner.memory)?.bytes ?? options.memoryLimit
            options.cacheDirectory = cache ? ".notebook-cache" : nil
            options.onCompileError = onCompileError
            if cache, let server = runner.cacheServer, let url = URL(string: server.address) {
                options.remoteCache = RemoteCache(url: url, timeout: runner.cacheTimeout) {
                    printError("notebook: warning: \($0)")
                }
            }
            return try Executor(toolchain: toolchain, options: options)
        } catch let e as NotebookRunnerError {
            throw NotebookError.usage(e.description)
        }
    }

    /// Runs the notebooks, `jobs` at a time, reporting progress; results in the given order.
    static func run(_ notebooks: [Notebook], with executor: Executor, jobs: Int, progress: Progress) throws
        -> [NotebookRun]
    {
        let results = Locked([NotebookRun?](repeating: nil, count: notebooks.count))
        let failure = Locked<Error?>(nil)
        progress.begin(total: notebooks.count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, notebooks.count))) { worker in
            for i in stride(from: worker, to: notebooks.count, by: max(1, min(jobs, notebooks.count))) {
                do {
                    progress.started(notebooks[i])
                    let run = try executor.run(notebooks[i])
                    results.update { $0[i] = run }
                    progress.finished(notebooks[i], run: run)
                } catch {
                    failure.update { $0 = $0 ?? error }
                }
            }
        }
        // A notebook that read a file another one wrote meanwhile (a model saved by an earlier
        // lesson) runs again with the file as it is now; a few rounds settle a chain of them.
        for _ in 0..<3 where failure.value == nil {
            let stale = results.value.indices.filter { results.value[$0].map(Executor.inputsChanged) ?? false }
            if stale.isEmpty { break }
            for i in stale {
                do {
                    let run = try executor.run(notebooks[i])
                    results.update { $0[i] = run }
                } catch {
                    failure.update { $0 = $0 ?? error }
                }
            }
        }
        progress.finish()
        if let error = failure.value {
            if let e = error as? NotebookRunnerError { throw NotebookError.usage(e.description) }
            throw error
        }
        return results.value.map { $0! }
    }
}

/// Prints a line on standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
