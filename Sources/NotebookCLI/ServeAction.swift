import Foundation
import NotebookModel
import NotebookRunner
import NotebookServer

/// `notebook serve`: build, serve the site on 127.0.0.1, watch the notebooks and the kernel,
/// rebuild what changed, and tell open pages to reload once the new files are on disk.
struct ServeAction {
    var build: BuildAction
    var port: Int
    /// Seconds between two looks at the watched files.
    var pollInterval = 0.1

    func perform() throws -> Int32 {
        _ = try OutputFolder(build.output, notebooks: try Workspace.notebookFiles(build.paths))  // refused: exit 2 now
        let executor = try Workspace.executor(build.runner)
        let site = LiveSite()
        let watched = Watched(paths: build.paths, kernel: executor.toolchain.kernelLibrary)
        let first = watched.stamp()
        rebuild(into: site, reason: nil)
        Interrupts.exitIfInterrupted()   // Ctrl-C during the first build, before the server listens
        let server = PreviewServer(site: site, port: port)
        let interval = pollInterval
        let result = Locked<Result<Void, Error>?>(nil)
        let stopped = DispatchSemaphore(value: 0)
        Task {
            do {
                try await server.run(background: {
                    var last = first
                    while !Task.isCancelled {
                        try await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                        let now = watched.stamp()
                        guard now != last else { continue }
                        let changed = watched.changes(from: last, to: now)
                        last = now
                        await runDetached { rebuild(into: site, reason: changed) }
                    }
                }, onRunning: { port in
                    FileHandle.standardOutput.write(Data("notebook serve: http://127.0.0.1:\(port)/ (Ctrl-C stops)\n".utf8))
                })
                result.update { $0 = .success(()) }
            } catch {
                result.update { $0 = .failure(error) }
            }
            stopped.signal()
        }
        stopped.wait()
        switch result.value {
        case .failure(let error as PreviewServerError): throw NotebookError.usage(error.description)
        case .failure(let error): throw error
        default:
            printError("notebook serve: stopped")
            return 0
        }
    }

    /// One build, published to the live site after it is written to disk. A build that cannot
    /// make pages (a notebook that does not parse, a folder that cannot be written) keeps the
    /// pages as they were and shows its diagnostics in them instead. A new executor each time
    /// reads the kernel's digest again (from the cache unless the library changed).
    private func rebuild(into site: LiveSite, reason: [String]?) {
        if let reason { printError("notebook serve: \(reason.joined(separator: ", ")) changed; rebuilding") }
        var options = build
        options.keepGoing = true
        options.reuseUnchangedSite = false     // the server needs the files in memory
        do {
            let executor = try Workspace.executor(options.runner)
            let outcome = try options.build(with: executor)
            for d in outcome.diagnostics { DiagnosticOutput.print(d) }
            let errors = outcome.diagnostics.filter { $0.severity == .error }.map(\.formatted)
            let problem = errors.isEmpty ? nil : errors.joined(separator: "\n\n")
            let files = (outcome.site ?? [:]).mapValues { Array($0.utf8) }
            let changed = blockingAwait { await site.publish(files, problem: problem) }
            let pages = changed.filter { $0.hasSuffix(".html") }
            let what = reason == nil ? "\(pages.count) pages"
                : pages.isEmpty ? "no page changed" : "reloading \(pages.joined(separator: ", "))"
            printError("notebook serve: built \(options.output)/ (\(BuildAction.summary(outcome))); \(what)")
        } catch let error as NotebookError {
            let text = error.diagnostics.map(\.formatted).joined(separator: "\n")
            for d in error.diagnostics { DiagnosticOutput.print(d) }
            printError("notebook serve: the site was not rebuilt; the pages show why")
            blockingAwait { await site.report(problem: text) }
        } catch {
            printError("notebook serve: the site was not rebuilt: \(error)")
            blockingAwait { await site.report(problem: "\(error)") }
        }
    }
}

/// Runs blocking work (a build) on a thread of its own, so the server's threads stay free.
private func runDetached(_ work: @escaping @Sendable () -> Void) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        Thread.detachNewThread {
            work()
            continuation.resume()
        }
    }
}

/// Waits on this (non-async) thread for `work` to finish.
@discardableResult
private func blockingAwait<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
    let result = Locked<T?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let value = await work()
        result.update { $0 = value }
        done.signal()
    }
    done.wait()
    return result.value!
}

/// The files `serve` watches: every `*.md` in the notebook folders (or the files named), and the
/// kernel library. A stamp is each file's `fileStamp`, so a save that replaces the file (as most
/// editors do) is seen too.
struct Watched: Sendable {
    let paths: [String]
    let kernel: String

    struct Stamp: Equatable, Sendable {
        var files: [String: String]
    }

    func stamp() -> Stamp {
        var files: [String: String] = [:]
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                let base = path.hasSuffix("/") ? String(path.dropLast()) : path
                for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                where name.hasSuffix(".md") && !name.hasPrefix(".") {
                    files["\(base)/\(name)"] = fileStamp("\(base)/\(name)") ?? ""
                }
            } else {
                files[path] = fileStamp(path) ?? ""
            }
        }
        files[kernel] = fileStamp(kernel) ?? ""
        return Stamp(files: files)
    }

    /// The files added, removed or changed between two stamps, sorted.
    func changes(from old: Stamp, to new: Stamp) -> [String] {
        Set(old.files.keys).union(new.files.keys).filter { old.files[$0] != new.files[$0] }.sorted()
    }
}
