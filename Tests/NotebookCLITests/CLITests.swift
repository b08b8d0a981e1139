import Foundation
import Testing

/// End-to-end runs of the built `notebook` binary: exit statuses, messages, and what is left on disk.
struct CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL
    static let binary = root.appendingPathComponent(".build/debug/notebook").path

    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("nb-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("notebooks"), withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Runs the binary in the temporary folder; its exit status and standard error.
    func run(_ arguments: [String], environment: [String: String] = [:], executable: String = CLI.binary) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = executable != CLI.binary ? Array(arguments.dropFirst())
            : arguments + (["build", "check", "run"].contains(arguments.first ?? "") ? ["--no-cache"] : [])
        p.currentDirectoryURL = dir
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let err = Pipe(), out = Pipe()
        p.standardError = err
        p.standardOutput = out
        try p.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }
}

let good = "# ok\n\n```swift\nprint(\"fine\")\n```\n"

@Test func failedBuildLeavesThePreviousSiteByteIdentical() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/a.md", good)
    #expect(try cli.run(["build"]).0 == 0)
    let page = cli.dir.appendingPathComponent("site/a.html")
    let before = try Data(contentsOf: page)
    try cli.write("notebooks/a.md", "# broken\n\n```swift\nlet x: Int = \"no\"\n```\n")
    let (status, _, err) = try cli.run(["build"])
    #expect(status == 1)
    #expect(err.contains("notebooks/a.md:4:14: error:") && err.contains("'site' was left as it was"))
    #expect(try Data(contentsOf: page) == before)
}

@Test func missingToolsAndBadOutputAreUsageErrors() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/a.md", good)
    let noKernel = try cli.run(["build", "--kernel", "/nonexistent"])
    #expect(noKernel.0 == 2 && noKernel.2.contains("the kernel library is not in '/nonexistent'"))
    let noCompiler = try cli.run(["build"], environment: ["SWIFTC": "/nonexistent/swiftc"])
    #expect(noCompiler.0 == 2 && noCompiler.2.contains("$SWIFTC is '/nonexistent/swiftc'"))
    try cli.write("file", "not a folder")
    let badOutput = try cli.run(["build", "--output", "file/site"])
    #expect(badOutput.0 == 2 && badOutput.2.contains("cannot write the site to 'file/site'"))
    #expect(try cli.run(["build", "--jobs", "0"]).0 == 2)
    #expect(try cli.run(["frobnicate"]).0 == 2)
    #expect(try cli.run(["build", "notebooks/missing.md"]).2.contains("notebooks/missing.md: error: no such file or folder"))
}

@Test func badInputIsExitTwoWithItsLocation() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/opt.md", "text\n\n```swift hyde\nlet a = 1\n```\n")
    let (status, _, err) = try cli.run(["build", "notebooks/opt.md"])
    #expect(status == 2 && err.hasPrefix("notebooks/opt.md:3:10: error: 'hyde' is not a cell option"))
    try Data([0x23, 0x20, 0xC3, 0x28]).write(to: cli.dir.appendingPathComponent("notebooks/bytes.md"))
    let bytes = try cli.run(["build", "notebooks/bytes.md"])
    #expect(bytes.0 == 2 && bytes.2.contains("notebooks/bytes.md:1: error: the file is not valid UTF-8 (byte offset 2)"))
}

@Test func floodsAreCutWithANotice() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/flood.md", "```swift\nfor i in 0..<200_000 { print(i) }\n```\n\n```swift\nMatrix.zeros(1000, 1000)\n```\n")
    let (status, out, _) = try cli.run(["run", "notebooks/flood.md"])
    #expect(status == 0)
    #expect(out.contains("more bytes of output were cut]"))
    #expect(out.contains("(1000×1000, summarised)"))
    #expect(out.utf8.count < 200_000)
}

@Test func newLessonIsNumberedAndNeverOverwrites() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/07-masks.md", good)
    let (status, out, _) = try cli.run(["new", "layer-norm"])
    #expect(status == 0 && out == "notebooks/08-layer-norm.md\n")
    let text = try String(contentsOf: cli.dir.appendingPathComponent("notebooks/08-layer-norm.md"), encoding: .utf8)
    #expect(text.contains("order: 8"))
    let again = try cli.run(["new", "layer-norm"])
    #expect(again.0 == 2 && again.2.contains("already exists"))
    #expect(try cli.run(["build", "notebooks/08-layer-norm.md", "--output", "s"]).0 == 0)
}

@Test func parallelAndSerialBuildsAreIdentical() throws {
    let cli = try CLI()
    defer { cli.remove() }
    for i in 1...4 {
        try cli.write("notebooks/0\(i)-n.md", "---\norder: \(5 - i)\n---\n# n\(i)\n\n```swift\nlet m = Matrix.randomNormal(3, 3, seed: \(i))\nm\n```\n")
    }
    #expect(try cli.run(["build", "--jobs", "1", "--output", "serial"]).0 == 0)
    #expect(try cli.run(["build", "--jobs", "4", "--output", "parallel"]).0 == 0)
    let fm = FileManager.default
    let names = try fm.contentsOfDirectory(atPath: cli.dir.appendingPathComponent("serial").path).sorted()
    #expect(names == (try fm.contentsOfDirectory(atPath: cli.dir.appendingPathComponent("parallel").path).sorted()))
    #expect(names.count == 9)   // 4 pages, index, search page, its script and index, style.css
    for name in names {
        #expect(fm.contents(atPath: cli.dir.appendingPathComponent("serial/\(name)").path)
                == fm.contents(atPath: cli.dir.appendingPathComponent("parallel/\(name)").path))
    }
    // order: 5 − i, so lesson 04 comes first on the index.
    let index = try String(contentsOf: cli.dir.appendingPathComponent("serial/index.html"), encoding: .utf8)
    #expect(index.range(of: "04-n.html")!.lowerBound < index.range(of: "01-n.html")!.lowerBound)
}

@Test func concurrentBuildsIntoOneFolderNeverMix() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/a.md", good)
    try cli.write("notebooks/b.md", good)
    for round in 0..<3 {
        let builds = ["notebooks/a.md", "notebooks/b.md"].map { path -> Process in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CLI.binary)
            p.arguments = ["build", path, "--output", "shared", "--quiet"]
            p.currentDirectoryURL = cli.dir
            p.standardError = FileHandle.nullDevice
            return p
        }
        for p in builds { try p.run() }
        for p in builds { p.waitUntilExit(); #expect(p.terminationStatus == 0) }
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: cli.dir.appendingPathComponent("shared").path))
        // Exactly one build's site: its page, never both, never a half-written folder.
        #expect(names == ["a.html", "index.html", "search.html", "search.js", "search-index.js", "style.css"]
                || names == ["b.html", "index.html", "search.html", "search.js", "search-index.js", "style.css"], "round \(round): \(names)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.dir.path).filter { $0.hasPrefix(".shared.new") || $0.hasPrefix(".shared.old") }
        #expect(leftovers.isEmpty)
    }
}

@Test func progressIsPlainLinesInAPipeAndOneLiveLineOnATerminal() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/a.md", good)
    try cli.write("notebooks/b.md", "# bad\n\n```swift\nlet x: Int = \"no\"\n```\n")
    let piped = try cli.run(["build", "--keep-going", "--jobs", "1"]).2
    #expect(!piped.contains("\u{1B}"))
    #expect(piped.contains("[1/2] notebooks/a.md compiled ") && piped.contains("[2/2] notebooks/b.md compiled "))
    #expect(piped.contains("notebooks/b.md compiled ") && piped.contains(" — FAILED\n"))
    #expect(piped.contains("notebook: built site/ (2 notebooks, 0 cached, 1 failed, "))

    // `script` gives the binary a pseudo-terminal as standard error.
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
    let command = "\(CLI.binary) build --keep-going --jobs 1 --no-cache"
    let (status, terminal, _) = try cli.run(["/usr/bin/script", "-qec", command, "/dev/null"], environment: ["TERM": "xterm"], executable: "/usr/bin/script")
    #expect(status == 1)
    // The live line is rewritten in place (carriage return, erase line), a failing notebook keeps
    // its own line, and the live line is erased before the summary.
    #expect(terminal.contains("\r\u{1B}[K[0/2] notebooks/a.md …\r\u{1B}[K[1/2] notebooks/a.md compiled "))
    #expect(terminal.contains("\r\u{1B}[K[1/2] notebooks/b.md …\r\u{1B}[K[2/2] notebooks/b.md compiled "))
    #expect(terminal.contains(" — FAILED\r\nnotebooks/b.md:4:14: error:"))
    #expect(!terminal.contains("\n[1/2]"))
}
