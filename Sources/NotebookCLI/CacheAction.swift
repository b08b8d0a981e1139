import ArgumentParser
import Foundation
import NotebookModel
import NotebookRunner
import NotebookSite

/// `notebook cache`: what the execution cache holds, by kind, and how much of it the current
/// notebooks use; `--prune` deletes the rest.
struct CacheCommand: StatusCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Report the cache's size, or prune the runs, checkpoints and pages the notebooks no longer use.",
        discussion: """
            Checkpoints (the state after a cell marked cache) are larger than runs and pages: every edit
            above one leaves the old one behind. --prune keeps exactly what a build of the notebooks as they
            are now would use (give it the --timeout and --memory the builds use: they are part of the keys).

            Examples:
              notebook cache
              notebook cache --prune
            """)

    @Argument(help: "Notebook files or folders whose entries are kept.")
    var paths: [String] = ["notebooks"]
    @Flag(help: "Delete the entries the notebooks do not use.")
    var prune = false
    @OptionGroup var runner: RunArguments

    mutating func perform() throws -> Int32 {
        let typed = Project.enter(quiet: runner.quiet)
        runner.kernel = runner.kernel.map(typed.callAsFunction)
        runner.noCache = false
        let paths = typed.notebooks(self.paths)
        let files = try Workspace.notebookFiles(paths)
        let notebooks = SiteRenderer.courseOrder(try Workspace.load(files))
        let executor = try Workspace.executor(runner)
        guard let directory = executor.options.cacheDirectory else { return 0 }
        var live = Set<String>()
        for notebook in notebooks {
            let keys = executor.liveKeys(notebook)
            live.formUnion(keys.runs.map { $0 + ".json" })
            live.formUnion(keys.checkpoints.map { "checkpoints/" + $0 })
        }
        var ignored: [Diagnostic] = []
        let build = BuildAction(paths: paths, output: "site", keepGoing: true, runner: runner)
        let (_, course) = try build.courseIntroduction(&ignored)
        let sourceKeys = notebooks.map(executor.cacheKey(source:))
        live.formUnion(PageCache.keys(notebooks, sourceKeys: sourceKeys, course: course).map { "pages/\($0).html" })

        let entries = CacheEntries(directory: directory)
        var kept: [CacheEntries.Kind: (count: Int, bytes: Int)] = [:]
        var dead: [CacheEntries.Entry] = []
        for entry in entries.list() {
            if entry.kind == .other || live.contains(entry.name) {
                kept[entry.kind, default: (0, 0)].count += 1
                kept[entry.kind, default: (0, 0)].bytes += entry.bytes
            } else {
                dead.append(entry)
            }
        }
        let deadBytes = dead.reduce(0) { $0 + $1.bytes }
        print("\(directory):")
        for kind in CacheEntries.Kind.allCases {
            let k = kept[kind] ?? (0, 0)
            let d = dead.filter { $0.kind == kind }
            let unused = kind == .other ? "" : ", \(d.count) unused (\(Self.size(d.reduce(0) { $0 + $1.bytes })))"
            print(
                "  \(kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0))\(k.count) used (\(Self.size(k.bytes)))\(unused)"
            )
        }
        if prune {
            for entry in dead { try? FileManager.default.removeItem(atPath: directory + "/" + entry.name) }
            print("notebook cache: deleted \(dead.count) unused entries (\(Self.size(deadBytes)))")
        } else if !dead.isEmpty {
            print("notebook cache --prune deletes the \(dead.count) unused entries (\(Self.size(deadBytes)))")
        }
        return 0
    }

    static func size(_ bytes: Int) -> String {
        bytes < 1 << 20
            ? NumberFormat.significant(Double(bytes) / 1024, digits: 3) + " KiB"
            : NumberFormat.significant(Double(bytes) / Double(1 << 20), digits: 3) + " MiB"
    }
}

/// The entries of a cache folder the tool wrote, by kind.
///
/// Runs (`<key>.json`), checkpoints
/// (`checkpoints/<key>/`), pages (`pages/<key>.html`), and the rest (remembered digests, symbol
/// graphs, site stamps: small, never pruned). Leftovers of a write that was cut short (staging
/// folders and temporary files over an hour old) count as unused; anything else is not listed.
struct CacheEntries {
    let directory: String

    enum Kind: String, CaseIterable { case runs, checkpoints, pages, other }

    struct Entry {
        var name: String
        var kind: Kind
        var bytes: Int
    }

    func list() -> [Entry] {
        let fm = FileManager.default
        var entries: [Entry] = []
        let hexKey = /[0-9a-f]{64}/
        func isLeftover(_ name: String, in folder: String) -> Bool {
            guard name.hasPrefix(".staging-") || name.contains(".tmp-"),
                let date = (try? fm.attributesOfItem(atPath: folder + "/" + name))?[.modificationDate] as? Date
            else { return false }
            return Date().timeIntervalSince(date) > 3600
        }
        for name in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] {
            let path = directory + "/" + name
            if name.hasSuffix(".json"), name.dropLast(5).wholeMatch(of: hexKey) != nil {
                entries.append(Entry(name: name, kind: .runs, bytes: Self.bytes(path)))
            } else if isLeftover(name, in: directory) {
                entries.append(Entry(name: name, kind: .runs, bytes: Self.bytes(path)))
            } else if name != "checkpoints" && name != "pages" {
                entries.append(Entry(name: name, kind: .other, bytes: Self.bytes(path)))
            }
        }
        for (folder, kind, suffix) in [("checkpoints", Kind.checkpoints, ""), ("pages", .pages, ".html")] {
            for name in (try? fm.contentsOfDirectory(atPath: directory + "/" + folder)) ?? [] {
                let path = directory + "/" + folder + "/" + name
                let isEntry = name.hasSuffix(suffix) && name.dropLast(suffix.count).wholeMatch(of: hexKey) != nil
                if isEntry || isLeftover(name, in: directory + "/" + folder) {
                    entries.append(Entry(name: folder + "/" + name, kind: kind, bytes: Self.bytes(path)))
                }
            }
        }
        return entries.sorted { $0.name < $1.name }
    }

    /// The bytes of a file, or of every file under a folder.
    static func bytes(_ path: String) -> Int {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { return 0 }
        if !isDirectory.boolValue {
            return ((try? fm.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        }
        return ((try? fm.subpathsOfDirectory(atPath: path)) ?? []).reduce(0) { $0 + bytes(path + "/" + $1) }
    }
}
