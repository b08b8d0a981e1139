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

    /// Serves until stopped; a port that cannot be bound is a usage error (exit 2).
    func perform() async throws -> Int32 {
        do {
            try await serve()
        } catch let error as PreviewServerError {
            throw NotebookError.usage(error.description)
        }
        printError("notebook serve: stopped")
        return 0
    }

    private func serve() async throws {
        _ = try OutputFolder(build.output, notebooks: try Workspace.notebookFiles(build.paths))  // refused: exit 2 now
        try PreviewServer.checkPort(port)  // before a first build that would be wasted
        let kernel = try Workspace.executor(build.runner).toolchain.kernelLibrary
        let site = LiveSite()
        let watched = Watched(paths: build.paths, kernel: kernel)
        let first = watched.stamp()
        await rebuild(into: site, reason: nil)
        Interrupts.exitIfInterrupted()  // Ctrl-C during the first build, before the server listens
        let interval = pollInterval
        try await PreviewServer(site: site, port: port).run(
            background: {
                var last = first
                while !Task.isCancelled {
                    try await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                    let now = watched.stamp()
                    guard now != last else { continue }
                    let changed = watched.changes(from: last, to: now)
                    last = now
                    await rebuild(into: site, reason: changed)
                }
            },
            onRunning: { port in
                FileHandle.standardOutput.write(
                    Data("notebook serve: http://127.0.0.1:\(port)/ (Ctrl-C stops)\n".utf8))
            })
    }

    /// One build, published to the live site after it is written to disk.
    ///
    /// A build that cannot make pages (a notebook that does not parse, a folder that cannot
    /// be written) keeps the pages as they were and shows its diagnostics in them instead. A
    /// new executor each time reads the kernel's digest again (from the cache unless the
    /// library changed). A compile error is shown in the pages as soon as the compiler gives it.
    private func rebuild(into site: LiveSite, reason: [String]?) async {
        if let reason { printError("notebook serve: \(reason.joined(separator: ", ")) changed; rebuilding") }
        var options = build
        options.keepGoing = true
        options.reuseUnchangedSite = false  // the server needs the files in memory
        // A compile error shows in the pages' banner at once, before the cells above it run.
        let early: @Sendable (Notebook, [Diagnostic]) -> Void = { _, errors in
            let shown = DispatchSemaphore(value: 0)
            Task {
                await site.report(problem: errors.map(\.formatted).joined(separator: "\n\n"))
                shown.signal()
            }
            shown.wait()
        }
        let built = await onThreadOfItsOwn { [options] in
            Result { try options.build(with: try Workspace.executor(options.runner, onCompileError: early)) }
        }
        switch built {
        case .success(let outcome):
            for d in outcome.diagnostics { DiagnosticOutput.print(d) }
            let errors = outcome.diagnostics.filter { $0.severity == .error }.map(\.formatted)
            let problem = errors.isEmpty ? nil : errors.joined(separator: "\n\n")
            let files = (outcome.site ?? [:]).mapValues { Array($0.utf8) }
            let pages = await site.publish(files, problem: problem).filter { $0.hasSuffix(".html") }
            let what =
                reason == nil
                ? "\(pages.count) pages"
                : pages.isEmpty ? "no page changed" : "reloading \(pages.joined(separator: ", "))"
            printError("notebook serve: built \(options.output)/ (\(BuildAction.summary(outcome))); \(what)")
        case .failure(let error as NotebookError):
            for d in error.diagnostics { DiagnosticOutput.print(d) }
            printError("notebook serve: the site was not rebuilt; the pages show why")
            await site.report(problem: error.diagnostics.map(\.formatted).joined(separator: "\n"))
        case .failure(let error):
            printError("notebook serve: the site was not rebuilt: \(error)")
            await site.report(problem: "\(error)")
        }
    }
}

/// Runs blocking work (a build, which waits on compilers and notebook programs) on a thread of
/// its own and awaits its result, so that neither the server's threads nor Swift's cooperative
/// pool are held while it runs.
private func onThreadOfItsOwn<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        Thread.detachNewThread { continuation.resume(returning: work()) }
    }
}

/// The files `serve` watches: every `*.md` in the notebook folders (or the files named), and the
/// kernel library.
///
/// A stamp is each file's `fileStamp`, so a save that replaces the file (as most editors do) is
/// seen too.
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
