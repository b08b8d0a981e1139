import Foundation
import Testing

/// End-to-end runs of the built `notebook` binary: exit statuses, messages, and what is left on disk.
struct CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardizedFileURL
    static let binary = root.appendingPathComponent(".build/debug/notebook").path

    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("nb-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("notebooks"), withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Runs the binary in the temporary folder; its exit status, standard output and standard
    /// error.
    ///
    /// `build`, `check` and `run` get `--no-cache` unless `cache` is set.
    func run(
        _ arguments: [String], environment: [String: String] = [:], executable: String = CLI.binary,
        cache: Bool = false, in folder: String? = nil
    ) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments =
            executable != CLI.binary
            ? Array(arguments.dropFirst())
            : arguments + (!cache && ["build", "check", "run"].contains(arguments.first ?? "") ? ["--no-cache"] : [])
        p.currentDirectoryURL = folder.map { dir.appendingPathComponent($0) } ?? dir
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
    #expect(
        try cli.run(["build", "notebooks/missing.md"]).2.contains("notebooks/missing.md: error: no such file or folder")
    )
}

@Test func badInputIsExitTwoWithItsLocation() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/opt.md", "text\n\n```swift hyde\nlet a = 1\n```\n")
    let (status, _, err) = try cli.run(["build", "notebooks/opt.md"])
    #expect(status == 2 && err.hasPrefix("notebooks/opt.md:3:10: error: 'hyde' is not a cell option"))
    try Data([0x23, 0x20, 0xC3, 0x28]).write(to: cli.dir.appendingPathComponent("notebooks/bytes.md"))
    let bytes = try cli.run(["build", "notebooks/bytes.md"])
    #expect(
        bytes.0 == 2 && bytes.2.contains("notebooks/bytes.md:1: error: the file is not valid UTF-8 (byte offset 2)"))
}

@Test func floodsAreCutWithANotice() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write(
        "notebooks/flood.md",
        "```swift\nfor i in 0..<200_000 { print(i) }\n```\n\n```swift\nMatrix.zeros(1000, 1000)\n```\n")
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
        try cli.write(
            "notebooks/0\(i)-n.md",
            "---\norder: \(5 - i)\n---\n# n\(i)\n\n```swift\nlet m = Matrix.randomNormal(3, 3, seed: \(i))\nm\n```\n")
    }
    #expect(try cli.run(["build", "--jobs", "1", "--output", "serial"]).0 == 0)
    #expect(try cli.run(["build", "--jobs", "4", "--output", "parallel"]).0 == 0)
    let fm = FileManager.default
    let names = try fm.contentsOfDirectory(atPath: cli.dir.appendingPathComponent("serial").path).sorted()
    #expect(names == (try fm.contentsOfDirectory(atPath: cli.dir.appendingPathComponent("parallel").path).sorted()))
    // 4 pages, index, search page, its script and index, the API reference, style.css, the stamp,
    // the math font's stylesheet and licence, the copy button's and the attention view's scripts.
    #expect(names.count == 15)
    for name in names {
        #expect(
            fm.contents(atPath: cli.dir.appendingPathComponent("serial/\(name)").path)
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
        for p in builds {
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
        }
        let names = Set(
            try FileManager.default.contentsOfDirectory(atPath: cli.dir.appendingPathComponent("shared").path))
        // Exactly one build's site: its page, never both, never a half-written folder.
        let common: Set = [
            ".notebook-site", "index.html", "search.html", "search.js", "search-index.js", "api.html", "style.css",
            "math-font.css", "GUST-FONT-LICENSE.txt", "copy.js", "attention.js",
        ]
        #expect(names == common.union(["a.html"]) || names == common.union(["b.html"]), "round \(round): \(names)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.dir.path).filter {
            $0.hasPrefix(".shared.new") || $0.hasPrefix(".shared.old")
        }
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
    let (status, terminal, _) = try cli.run(
        ["/usr/bin/script", "-qec", command, "/dev/null"], environment: ["TERM": "xterm"], executable: "/usr/bin/script"
    )
    #expect(status == 1)
    // The live line is rewritten in place (carriage return, erase line), a failing notebook keeps
    // its own line, and the live line is erased before the summary.
    #expect(terminal.contains("\r\u{1B}[K[0/2] notebooks/a.md …\r\u{1B}[K[1/2] notebooks/a.md compiled "))
    #expect(terminal.contains("\r\u{1B}[K[1/2] notebooks/b.md …\r\u{1B}[K[2/2] notebooks/b.md compiled "))
    #expect(terminal.contains(" — FAILED\r\nnotebooks/b.md:4:14: error:"))
    #expect(!terminal.contains("\n[1/2]"))
}

/// A plain HTTP/1.1 client on a loopback TCP socket, so the tests speak to `notebook serve` as
/// a browser would.
final class Loopback {
    let fd: Int32
    private(set) var received = ""
    private(set) var closed = false

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if status != 0 {
            close(fd)
            throw CocoaError(.fileReadNoPermission)
        }
    }

    deinit { close(fd) }

    func send(_ text: String) {
        _ = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
    }

    /// Reads until `done(received)` holds, the peer closes, or `timeout` seconds pass; true when
    /// `done` held.
    @discardableResult
    func read(timeout: Double = 30, until done: (String) -> Bool = { _ in false }) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !done(received) {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, Int32(left * 1000)) > 0 else { return false }
            let n = Glibc.read(fd, &buffer, buffer.count)
            guard n > 0 else {
                closed = true
                return done(received)
            }
            received += String(decoding: buffer[..<n], as: UTF8.self)
        }
        return true
    }

    /// `GET path` on a new connection: status, and the response as text.
    static func get(_ path: String, port: Int, method: String = "GET") throws -> (Int, String) {
        let c = try Loopback(port: port)
        c.send("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
        c.read(timeout: 30)
        return (Int(c.received.split(separator: " ").dropFirst().first ?? "") ?? 0, c.received)
    }
}

/// `notebook serve` started in the temporary folder; stopped with SIGINT.
final class Server {
    let process = Process()
    let output = Pipe()
    let errors = Pipe()
    var port = 0

    init(_ cli: CLI, arguments: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["serve", "--port", "0", "--jobs", "1"] + arguments
        process.currentDirectoryURL = cli.dir
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "http://127.0.0.1:"),
            let p = Int(text[range.upperBound...].prefix { $0.isNumber })
        else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "serve printed: \(text)"])
        }
        port = p
    }

    /// Sends SIGINT and waits (at most `timeout` seconds); the exit status and standard error.
    func stop(timeout: Double = 20) -> (Int32?, String) {
        kill(process.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            return (nil, "")
        }
        return (
            process.terminationStatus,
            String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        )
    }
}

/// The `data:` of the last `event: site` in a stream, as JSON.
func lastSiteEvent(_ stream: String) -> [String: Any]? {
    guard let data = stream.components(separatedBy: "event: site\ndata: ").last?.split(separator: "\n").first else {
        return nil
    }
    return try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any]
}

@Test func serveBuildsServesAndReloadsAPageOnlyAfterItIsOnDisk() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/a.md", "# Alpha\n\n```swift\nprint(\"first\")\n```\n")
    try cli.write("notebooks/b.md", "# Beta\n\n```swift\nprint(\"beta\")\n```\n")
    let server = try Server(cli)
    var stopped = false
    defer { if !stopped { _ = server.stop() } }

    // The site is built before the address is printed, and served with the reload script.
    let (status, index) = try Loopback.get("/", port: server.port)
    #expect(status == 200 && index.contains("Content-Type: text/html; charset=utf-8"))
    #expect(index.contains("<a href=\"a.html\">") && index.contains("<a href=\"b.html\">"))
    #expect(index.contains("new EventSource('/__notebook/events')"))
    #expect(try Loopback.get("/a", port: server.port).1.contains("first"))
    #expect(try Loopback.get("/style.css", port: server.port).1.contains("text/css"))
    #expect(try Loopback.get("/nothing-here.html", port: server.port).0 == 404)
    #expect(try Loopback.get("/", port: server.port, method: "POST").0 == 405)
    let onDisk = try String(contentsOf: cli.dir.appendingPathComponent("site/index.html"), encoding: .utf8)
    #expect(onDisk.contains("<a href=\"a.html\">") && !onDisk.contains("EventSource"))

    // Loopback only: the listening socket's address is 127.0.0.1 (0100007F in /proc/net/tcp).
    if let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) {
        let local = String(format: ":%04X ", server.port)
        let listening = table.split(separator: "\n").filter {
            $0.contains(local) && $0.split(separator: " ")[3] == "0A"
        }
        #expect(listening.count == 1 && listening[0].contains("0100007F" + local.dropLast()))
    }

    let events = try Loopback(port: server.port)
    events.send("GET /__notebook/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
    #expect(events.read { lastSiteEvent($0)?["version"] as? Int == 1 })
    #expect(events.received.contains("Content-Type: text/event-stream"))

    // A cell edit: the event comes after the new page is on disk and in the server.
    try cli.write("notebooks/a.md", "# Alpha\n\n```swift\nprint(\"second\")\n```\n")
    #expect(events.read { lastSiteEvent($0)?["version"] as? Int == 2 })
    let page = try String(contentsOf: cli.dir.appendingPathComponent("site/a.html"), encoding: .utf8)
    #expect(page.contains("second") && !page.contains("first"))
    let changedIn = lastSiteEvent(events.received)?["changedIn"] as? [String: Int]
    #expect(changedIn?["a.html"] == 2 && changedIn?["b.html"] == 1)
    #expect(try Loopback.get("/a.html", port: server.port).1.contains("second"))

    // A cell error shows in its page and in the event; the server goes on.
    try cli.write("notebooks/b.md", "# Beta\n\n```swift\nlet x: Int = \"no\"\n```\n")
    #expect(events.read { lastSiteEvent($0)?["version"] as? Int == 3 })
    #expect((lastSiteEvent(events.received)?["problem"] as? String)?.contains("notebooks/b.md:4:14: error:") == true)
    #expect(
        try String(contentsOf: cli.dir.appendingPathComponent("site/b.html"), encoding: .utf8).contains(
            "cannot convert"))

    // A notebook that cannot be read keeps the pages and reports why.
    try Data([0x23, 0x20, 0xFF, 0x0A]).write(to: cli.dir.appendingPathComponent("notebooks/a.md"))
    #expect(events.read { ($0.components(separatedBy: "event: site").last ?? "").contains("notebooks/a.md:1") })
    #expect(lastSiteEvent(events.received)?["version"] as? Int == 3)
    #expect(try Loopback.get("/a.html", port: server.port).1.contains("second"))

    // Fixed again: a clean build clears the problem.
    try cli.write("notebooks/a.md", "# Alpha\n\n```swift\nprint(\"third\")\n```\n")
    try cli.write("notebooks/b.md", "# Beta\n\n```swift\nprint(\"beta\")\n```\n")
    #expect(
        events.read {
            let e = lastSiteEvent($0)
            return e?["problem"] is NSNull && (e?["version"] as? Int ?? 0) >= 4
        })

    // Ctrl-C: the event stream ends, the process exits 0.
    let (exit, stderr) = server.stop()
    stopped = true
    #expect(exit == 0)
    #expect(stderr.contains("notebook serve: stopped"))
    events.read(timeout: 10)
    #expect(events.closed)
    #expect((try? Loopback(port: server.port)) == nil)
}

@Test func serveOnAPortInUseIsAUsageError() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/a.md", good)
    let first = try Server(cli)
    defer { _ = first.stop() }
    let (status, _, err) = try cli.run(["serve", "--port", String(first.port)])
    #expect(status == 2)
    #expect(err.contains("cannot listen on 127.0.0.1:\(first.port)"))
    // Said before the first build, not after it: no notebook was run or looked up in the cache.
    #expect(!err.contains("notebooks/a.md") && !err.contains("built"))
}

@Test func aNoChangeRebuildLeavesTheSiteAloneUnlessTheFolderOrAnInputChanged() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/a.md", good)
    try cli.write("notebooks/index.md", "Welcome.\n")
    let site = cli.dir.appendingPathComponent("site")
    func inode(_ name: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: site.appendingPathComponent(name).path)[.systemFileNumber]
            as! NSNumber).intValue
    }
    func build() throws -> String {
        let (status, _, err) = try cli.run(["build"], cache: true)
        #expect(status == 0)
        return err
    }
    #expect(try build().contains("notebook: built site/"))
    let first = try inode("a.html")
    #expect(try build().contains("notebook: site/ is up to date (1 notebooks, 1 cached, 0 failed"))
    #expect(try inode("a.html") == first)

    // The folder changed by hand: a page edited, a page removed, a file added. Each is undone.
    let page = site.appendingPathComponent("a.html")
    let original = try Data(contentsOf: page)
    try Data("edited".utf8).write(to: page)
    #expect(try build().contains("notebook: built site/"))
    #expect(try Data(contentsOf: page) == original)
    try FileManager.default.removeItem(at: site.appendingPathComponent("search.js"))
    #expect(try build().contains("notebook: built site/"))
    #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("search.js").path))
    // A file added by hand is not the tool's to delete: the build refuses and keeps it.
    try Data("mine".utf8).write(to: site.appendingPathComponent("stray.html"))
    let refused = try cli.run(["build"], cache: true)
    #expect(refused.0 == 2 && refused.2.contains("did not write ('stray.html')"))
    #expect(try Data(contentsOf: site.appendingPathComponent("stray.html")) == Data("mine".utf8))
    try FileManager.default.removeItem(at: site.appendingPathComponent("stray.html"))
    #expect(try build().contains("is up to date"))

    // An input changed: prose only (no cell runs), and the index's introduction.
    try cli.write("notebooks/a.md", good.replacingOccurrences(of: "# ok", with: "# ok\n\nMore prose."))
    #expect(try build().contains("notebook: built site/"))
    #expect(try String(contentsOf: page, encoding: .utf8).contains("More prose."))
    try cli.write("notebooks/index.md", "Welcome back.\n")
    #expect(try build().contains("notebook: built site/"))
    #expect(
        try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8).contains("Welcome back."))
    // --no-cache runs everything, so the site is written again.
    let (status, _, err) = try cli.run(["build"])
    #expect(status == 0 && err.contains("notebook: built site/"))
}

@Test func pagesFromTheCacheAreTheBytesAFreshRenderGives() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/a.md", "---\ntitle: Alpha\n---\n\n```swift\nprint(\"a\", 1)\n```\n")
    try cli.write("notebooks/b.md", "---\ntitle: Beta\n---\n\n```swift\nshow(Matrix([[1, 2], [3, 4]]))\n```\n")
    func page(_ name: String, _ folder: String) throws -> String {
        try String(contentsOf: cli.dir.appendingPathComponent("\(folder)/\(name)"), encoding: .utf8)
    }
    #expect(try cli.run(["build"], cache: true).0 == 0)
    // A cell of a changes: b's page comes from the page cache, a's is rendered.
    try cli.write("notebooks/a.md", "---\ntitle: Alpha\n---\n\n```swift\nprint(\"a\", 2)\n```\n")
    #expect(try cli.run(["build"], cache: true).0 == 0)
    #expect(try cli.run(["build", "--output", "fresh"]).0 == 0)  // --no-cache: all rendered
    #expect(try page("b.html", "site") == page("b.html", "fresh"))
    #expect(try page("a.html", "site").contains("a 2"))
    // b's title changes: a's sidebar and pager name it, so a's page is rendered again.
    try cli.write("notebooks/b.md", "---\ntitle: Beta, renamed\n---\n\n```swift\nshow(Matrix([[1, 2], [3, 4]]))\n```\n")
    #expect(try cli.run(["build"], cache: true).0 == 0)
    #expect(try page("a.html", "site").contains("Beta, renamed"))
    #expect(try cli.run(["build", "--output", "fresh"]).0 == 0)
    #expect(try page("a.html", "site") == page("a.html", "fresh"))
    #expect(try page("b.html", "site") == page("b.html", "fresh"))
}

@Test func anOutputThatHoldsTheProjectANotebookOrForeignFilesIsRefusedAndKept() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/a.md", good)
    try cli.write("README.md", "mine\n")
    try cli.write("plain", "a file\n")
    try FileManager.default.createDirectory(
        at: cli.dir.appendingPathComponent("mine"), withIntermediateDirectories: true)
    try cli.write("mine/notes.txt", "keep me\n")
    let cases: [(String, String)] = [
        (".", "it is the project folder"), ("..", "it contains the project folder"),
        ("/", "it contains the project folder"),
        ("notebooks", "it is the notebook folder 'notebooks'"), ("notebooks/", "it is the notebook folder 'notebooks'"),
        ("notebooks/a.md", "it is a notebook"), ("plain", "it is a file, not a folder"),
        ("mine", "it holds files that notebook did not write ('notes.txt') and no .notebook-site stamp"),
    ]
    for (output, reason) in cases {
        let (status, _, err) = try cli.run(["build", "--output", output])
        #expect(status == 2, "\(output)")
        #expect(err.contains("refusing to write the site to '\(output)': \(reason)"), "\(output): \(err)")
    }
    let check = try cli.run(["check", "--report", "mine"])
    #expect(check.0 == 2 && check.2.contains("refusing to write the site to 'mine'"))
    #expect(try String(contentsOf: cli.dir.appendingPathComponent("notebooks/a.md"), encoding: .utf8) == good)
    #expect(try String(contentsOf: cli.dir.appendingPathComponent("README.md"), encoding: .utf8) == "mine\n")
    #expect(try String(contentsOf: cli.dir.appendingPathComponent("plain"), encoding: .utf8) == "a file\n")
    #expect(try String(contentsOf: cli.dir.appendingPathComponent("mine/notes.txt"), encoding: .utf8) == "keep me\n")
    #expect(!FileManager.default.fileExists(atPath: "/.lock") && !FileManager.default.fileExists(atPath: "/..lock"))
}

@Test func aBuiltSiteIsStampedAndReplacedOnlyWhileItHoldsNothingElse() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/a.md", good)
    #expect(try cli.run(["build"]).0 == 0)
    let stamp = try String(contentsOf: cli.dir.appendingPathComponent("site/.notebook-site"), encoding: .utf8)
    #expect(stamp.hasPrefix("notebook site v1: written by `notebook build`"))
    #expect(stamp.contains("\na.html\n") && stamp.contains("\nindex.html\n") && !stamp.contains("\n.notebook-site\n"))
    // A second build replaces the stamped site.
    try cli.write("notebooks/a.md", good.replacingOccurrences(of: "fine", with: "finer"))
    #expect(try cli.run(["build"]).0 == 0)
    #expect(try String(contentsOf: cli.dir.appendingPathComponent("site/a.html"), encoding: .utf8).contains("finer"))
    // A file the user added is never wiped: the build is refused and both the file and the site stay.
    try cli.write("site/CNAME", "example.org\n")
    let before = try Data(contentsOf: cli.dir.appendingPathComponent("site/a.html"))
    try cli.write("notebooks/a.md", good)
    let (status, _, err) = try cli.run(["build"])
    #expect(
        status == 2
            && err.contains(
                "refusing to write the site to 'site': it holds files that the last build did not write ('CNAME')")
    )
    #expect(try String(contentsOf: cli.dir.appendingPathComponent("site/CNAME"), encoding: .utf8) == "example.org\n")
    #expect(try Data(contentsOf: cli.dir.appendingPathComponent("site/a.html")) == before)
}

@Test func aSymlinkedOutputIsBuiltThroughAndStaleStagingIsSwept() throws {
    let cli = try CLI()
    defer { cli.remove() }
    let fm = FileManager.default
    try cli.write("notebooks/a.md", good)
    try fm.createDirectory(at: cli.dir.appendingPathComponent("real"), withIntermediateDirectories: true)
    try fm.createSymbolicLink(atPath: cli.dir.appendingPathComponent("link").path, withDestinationPath: "real")
    try fm.createDirectory(at: cli.dir.appendingPathComponent(".real.new-99999/x"), withIntermediateDirectories: true)
    try fm.createDirectory(at: cli.dir.appendingPathComponent(".real.old-99998"), withIntermediateDirectories: true)
    #expect(try cli.run(["build", "--output", "link"]).0 == 0)
    #expect(try cli.run(["build", "--output", "link"]).0 == 0)
    #expect(try fm.destinationOfSymbolicLink(atPath: cli.dir.appendingPathComponent("link").path) == "real")
    #expect(fm.fileExists(atPath: cli.dir.appendingPathComponent("real/a.html").path))
    let left = try fm.contentsOfDirectory(atPath: cli.dir.path).filter { $0.contains(".new-") || $0.contains(".old-") }
    #expect(left.isEmpty, "\(left)")
    try fm.createSymbolicLink(atPath: cli.dir.appendingPathComponent("dangling").path, withDestinationPath: "nowhere")
    let (status, _, err) = try cli.run(["build", "--output", "dangling"])
    #expect(status == 2 && err.contains("it is a symbolic link to a folder that does not exist"))
    #expect(try fm.destinationOfSymbolicLink(atPath: cli.dir.appendingPathComponent("dangling").path) == "nowhere")
}

/// The pids of processes whose command line contains `marker`.
func processes(containing marker: String) -> [Int32] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap { name in
        guard let pid = Int32(name), let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline") else {
            return nil
        }
        let command = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
        return command.contains(marker) && !command.contains("pgrep") ? pid : nil
    }
}

/// A cell that starts `sleep SECONDS` in a new session (escaping the program's process group).
func escapingChild(_ seconds: Int) -> String {
    "```swift\nimport Foundation\nlet p = Process()\np.executableURL = URL(fileURLWithPath: \"/usr/bin/setsid\")\n"
        + "p.arguments = [\"/bin/sleep\", \"\(seconds)\"]\ntry! p.run()\nprint(\"started\")\n```\n"
}

@Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
func anInterruptKillsEveryProgramAndDescendantAndRemovesTheTemporaryFolders(_ signal: Int32, _ status: Int32) throws {
    let cli = try CLI()
    defer { cli.remove() }
    let seconds = 900_000 + Int(signal)  // a marker no other test uses
    try cli.write("notebooks/a.md", good)
    #expect(try cli.run(["build"]).0 == 0)
    let before = try Data(contentsOf: cli.dir.appendingPathComponent("site/a.html"))
    try cli.write("notebooks/a.md", escapingChild(seconds) + "\n```swift\nwhile true {}\n```\n")
    let temporary = cli.dir.appendingPathComponent("tmp")
    try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLI.binary)
    p.arguments = ["build", "--no-cache", "--timeout", "300"]
    p.currentDirectoryURL = cli.dir
    p.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary.path]) { $1 }
    p.standardError = FileHandle.nullDevice
    try p.run()
    let deadline = Date().addingTimeInterval(60)
    while processes(containing: "sleep \(seconds)").isEmpty && Date() < deadline { usleep(50_000) }
    usleep(300_000)  // setsid(1) forks once more; then the program is in its endless loop
    #expect(!processes(containing: "sleep \(seconds)").isEmpty, "the cell's child never started")
    kill(p.processIdentifier, signal)
    p.waitUntilExit()
    #expect(p.terminationStatus == status)
    usleep(200_000)
    #expect(processes(containing: "sleep \(seconds)").isEmpty)
    #expect(processes(containing: temporary.path).isEmpty)
    let left = FileManager.default.subpaths(atPath: temporary.path) ?? []
    #expect(left.isEmpty, "\(left)")
    #expect(try Data(contentsOf: cli.dir.appendingPathComponent("site/a.html")) == before)
}

@Test func aChildThatHoldsTheOutputDoesNotStallTheBuildOrOutliveIt() throws {
    let cli = try CLI()
    defer { cli.remove() }
    let seconds = 900_777
    try cli.write(
        "notebooks/a.md",
        escapingChild(seconds).replacingOccurrences(of: "/usr/bin/setsid", with: "/bin/sleep")
            .replacingOccurrences(of: "[\"/bin/sleep\", \"\(seconds)\"]", with: "[\"\(seconds)\"]"))
    let temporary = cli.dir.appendingPathComponent("tmp")
    try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    let start = Date()
    let (status, _, err) = try cli.run(["build", "--timeout", "120"], environment: ["TMPDIR": temporary.path])
    #expect(status == 0, "\(err)")
    #expect(Date().timeIntervalSince(start) < 60)
    // Nothing left in the temporary folder either: not ours, not the compiler driver's.
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)
    #expect(processes(containing: "sleep \(seconds)").isEmpty && processes(containing: "\(seconds)").isEmpty)
}

@Test func aTamperedPageInThePageCacheIsRenderedAfresh() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/a.md", good)
    #expect(try cli.run(["build"], cache: true).0 == 0)
    let page = cli.dir.appendingPathComponent("site/a.html")
    let original = try String(contentsOf: page, encoding: .utf8)
    let pages = cli.dir.appendingPathComponent(".notebook-cache/pages")
    let cached = try FileManager.default.contentsOfDirectory(atPath: pages.path)
    #expect(!cached.isEmpty)
    for name in cached {  // same length, same header and ending: only the middle differs
        let url = pages.appendingPathComponent(name)
        try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "fine", with: "FAKE").write(
            to: url, atomically: true, encoding: .utf8)
    }
    try FileManager.default.removeItem(at: page)  // the folder changed, so the site is written again
    let (status, _, err) = try cli.run(["build"], cache: true)
    #expect(status == 0 && err.contains("1 cached"), "\(err)")
    #expect(try String(contentsOf: page, encoding: .utf8) == original)
}

@Test func newRefusesToNumberPastAHugeOrderAndAbsolutePathsArePrintedRelative() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/01-a.md", "---\norder: 9223372036854775807\n---\n" + good)
    let (status, _, err) = try cli.run(["new", "next"])
    #expect(status == 2 && err.contains("cannot number a new one after that"), "\(err)")
    // A notebook named by its absolute path is printed relative to the project on the page.
    try cli.write("notebooks/01-a.md", "```swift\nlet a = [1]\nprint(a[3])\n```\n")
    let absolute = cli.dir.appendingPathComponent("notebooks/01-a.md").path
    let (buildStatus, _, buildErr) = try cli.run(["build", absolute, "--keep-going"])
    #expect(
        buildStatus == 1 && buildErr.contains("\nnotebooks/01-a.md:3: error:") && !buildErr.contains(cli.dir.path),
        "\(buildErr)")
    let page = try String(contentsOf: cli.dir.appendingPathComponent("site/01-a.html"), encoding: .utf8)
    #expect(!page.contains(cli.dir.path))
}

@Test func commandsFindTheProjectAboveTheWorkingFolder() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/a.md", good)
    try FileManager.default.createDirectory(
        at: cli.dir.appendingPathComponent("drafts/deep"), withIntermediateDirectories: true)
    let (status, _, err) = try cli.run(["build"], in: "drafts/deep")
    #expect(status == 0 && err.hasPrefix("notebook: using the project at \(cli.dir.path)\n"), "\(err)")
    #expect(FileManager.default.fileExists(atPath: cli.dir.appendingPathComponent("site/a.html").path))
    #expect(!FileManager.default.fileExists(atPath: cli.dir.appendingPathComponent("drafts/deep/site").path))
    // A typed path means what it meant where it was typed: a.md from inside notebooks/, an output
    // folder beside the working folder.
    let (runStatus, out, _) = try cli.run(["run", "a.md"], in: "notebooks")
    #expect(runStatus == 0 && out.contains("fine"), "\(out)")
    #expect(try cli.run(["build", "../notebooks/a.md", "--output", "preview"], in: "drafts").0 == 0)
    #expect(FileManager.default.fileExists(atPath: cli.dir.appendingPathComponent("drafts/preview/a.html").path))
}

@Test func newOutsideAProjectAsksForCreate() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try FileManager.default.removeItem(at: cli.dir.appendingPathComponent("notebooks"))
    let (status, _, err) = try cli.run(["new", "intro"])
    #expect(
        status == 2 && err.contains("no notebooks/ folder here or in any folder above")
            && err.contains("'notebook new intro --create'"), "\(err)")
    #expect(!FileManager.default.fileExists(atPath: cli.dir.appendingPathComponent("notebooks").path))
    let build = try cli.run(["build"])
    #expect(build.0 == 2 && build.2.contains("no notebooks/ folder here or in any folder above"), "\(build.2)")
    let (created, out, _) = try cli.run(["new", "intro", "--create"])
    #expect(created == 0 && out == "notebooks/01-intro.md\n")
}

@Test func diagnosticsAsGitHubAnnotationsAndJSONLines() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/a.md", "# broken\n\n```swift\nlet x: Int = \"no\"\n```\n")
    let (status, _, err) = try cli.run(["build", "--diagnostics", "github"])
    #expect(status == 1)
    #expect(err.contains("notebooks/a.md:4:14: error: cannot convert"))  // the text stays for people
    #expect(
        err.contains("\n::error file=notebooks/a.md,line=4,col=14::cannot convert value of type 'String'"), "\(err)")
    // Under GitHub Actions the annotations need no option.
    #expect(
        try cli.run(["build"], environment: ["GITHUB_ACTIONS": "true"]).2.contains(
            "::error file=notebooks/a.md,line=4,col=14::"))
    let json = try cli.run(["build", "--diagnostics", "json"]).2
    let line = try #require(json.split(separator: "\n").first { $0.hasPrefix("{") })
    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    #expect(
        object["file"] as? String == "notebooks/a.md" && object["line"] as? Int == 4 && object["column"] as? Int == 14)
    #expect(
        object["severity"] as? String == "error" && (object["message"] as? String)?.hasPrefix("cannot convert") == true)
    // A check difference is an annotation at its cell's line too; data escapes newlines as %0A.
    try cli.write("notebooks/a.md", "# ok\n\n```swift\nprint(\"one\")\n```\n")
    #expect(try cli.run(["check", "--update"]).0 == 0)
    try cli.write("notebooks/a.md", "# ok\n\n```swift\nprint(\"two\")\n```\n")
    let check = try cli.run(["check", "--diagnostics", "github"])
    #expect(
        check.0 == 1
            && check.2.contains(
                "::error file=notebooks/a.md,line=4::cell 1, output 1: its code changed since it was recorded (as cell 1); text differs%0A"
            ), "\(check.2)")
}

/// A cell that starts `/bin/sh -c SCRIPT` with an empty environment (so no token reaches it).
func clearedEnvironmentChild(_ script: String) -> String {
    "```swift\nimport Foundation\ndo {\nlet p = Process()\np.executableURL = URL(fileURLWithPath: \"/bin/sh\")\n"
        + "p.arguments = [\"-c\", \"\(script)\"]\np.environment = [:]\ntry! p.run()\nusleep(300_000)\n"
        + "print(\"started\")\n}\n```\n"
}

@Test func noDescendantOutlivesTheBuildWhateverItDoesToEscape() throws {
    let cli = try CLI()
    defer { cli.remove() }
    let base = 900_500
    // A cleared environment, then: a plain background child, a double fork, a new session, and a
    // child that ignores SIGTERM; each shell exits at once, so every sleep is an orphan.
    let scripts = [
        "/bin/sleep \(base + 1) &",
        "(/bin/sleep \(base + 2) &) ; exit 0",
        "/usr/bin/setsid /bin/sleep \(base + 3) &",
        "trap '' TERM HUP; /bin/sleep \(base + 4) &",
    ]
    try cli.write("notebooks/a.md", scripts.map(clearedEnvironmentChild).joined(separator: "\n"))
    // Another notebook, run beside it, whose own background child must live until its cell is done.
    try cli.write(
        "notebooks/b.md",
        clearedEnvironmentChild("/bin/sleep \(base + 5) &")
            + "\n```swift\nimport Foundation\nsleep(3)\n"
            + "let p = Process()\np.executableURL = URL(fileURLWithPath: \"/usr/bin/pgrep\")\n"
            + "p.arguments = [\"-f\", \"sleep \(base + 5)\"]\ntry! p.run()\np.waitUntilExit()\n"
            + "print(p.terminationStatus == 0 ? \"still running\" : \"killed too early\")\n```\n")
    let (status, _, err) = try cli.run(["build", "--jobs", "2"])
    #expect(status == 0, "\(err)")
    let page = try String(contentsOf: cli.dir.appendingPathComponent("site/b.html"), encoding: .utf8)
    #expect(page.contains("still running"))
    usleep(200_000)
    for n in 1...5 {
        let left = processes(containing: "sleep \(base + n)")
        #expect(left.isEmpty, "sleep \(base + n) outlived the build: \(left)")
        for pid in left { kill(pid, SIGKILL) }
    }
}

/// A `swiftc` that passes through to the real one, except while `mode` (a file beside it) says
/// how to fail: killed by SIGKILL, a frontend killed under the driver, silent, or out of processes.
func fakeCompiler(in dir: URL) throws -> (swiftc: String, mode: URL) {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let real = path.split(separator: ":").map { "\($0)/swiftc" }.first {
        FileManager.default.isExecutableFile(atPath: $0)
    }!
    let resolved = URL(fileURLWithPath: real).resolvingSymlinksInPath()
    let bin = dir.appendingPathComponent("fakebin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    let extract = resolved.deletingLastPathComponent().appendingPathComponent("swift-symbolgraph-extract").path
    try? FileManager.default.createSymbolicLink(
        atPath: bin.appendingPathComponent("swift-symbolgraph-extract").path, withDestinationPath: extract)
    let mode = bin.appendingPathComponent("mode")
    let script = """
        #!/bin/sh
        [ "$1" = --version ] && exec \(real) "$@"
        case "$(cat \(mode.path) 2>/dev/null)" in
        kill) kill -9 $$ ;;
        frontend) echo 'error: compile command failed due to signal 9 (use -v to see invocation)' >&2; exit 1 ;;
        silent) exit 1 ;;
        eagain) echo 'error: posix_spawn error: Resource temporarily unavailable (11), `["swift-frontend"]`' >&2; exit 1 ;;
        esac
        exec \(real) "$@"

        """
    let swiftc = bin.appendingPathComponent("swiftc")
    try script.write(to: swiftc, atomically: true, encoding: .utf8)
    chmod(swiftc.path, 0o755)
    return (swiftc.path, mode)
}

@Test func aCompilerThatFailsForAReasonOutsideTheCodeIsReportedAndNeverCached() throws {
    let cli = try CLI()
    defer { cli.remove() }
    let (swiftc, mode) = try fakeCompiler(in: cli.dir)
    try cli.write("notebooks/a.md", good)
    let expected = [
        "kill":
            "the compiler was killed from outside by signal 9 (SIGKILL) (not a time-out or the memory limit); run again",
        "frontend": "the compiler (swift-frontend) was killed from outside by signal 9 (SIGKILL)",
        "silent": "the compiler exited with status 1 and printed nothing",
        "eagain": "could not get a process, memory or disk space it needed",
    ]
    for (name, message) in expected.sorted(by: { $0.key < $1.key }) {
        try name.write(to: mode, atomically: true, encoding: .utf8)
        let failed = try cli.run(["build"], environment: ["SWIFTC": swiftc], cache: true)
        #expect(failed.0 == 1 && failed.2.contains(message) && failed.2.contains("run again"), "\(name): \(failed.2)")
        #expect(!failed.2.contains("error: \n") && !failed.2.hasSuffix("error: "), "\(name): an empty message")
        try FileManager.default.removeItem(at: mode)
        let again = try cli.run(["build"], environment: ["SWIFTC": swiftc], cache: true)
        #expect(again.0 == 0 && again.2.contains("0 cached"), "\(name) was cached: \(again.2)")
        try FileManager.default.removeItem(at: cli.dir.appendingPathComponent(".notebook-cache"))
    }
}

@Test func aProgramKilledFromOutsideOrAtTheMemoryLimitIsNotCachedButATrapIsAndSaysSo() throws {
    let cli = try CLI()
    defer { cli.remove() }
    let flag = cli.dir.appendingPathComponent("flag").path
    try cli.write(
        "notebooks/a.md",
        "---\nmemory: 256M\n---\n```swift\nimport Foundation\nlet flag = try? String(contentsOfFile: \"\(flag)\")\n"
            + "if flag == \"kill\" { kill(getpid(), SIGKILL) }\n"
            + "if flag == \"memory\" { let a = [UInt8](repeating: 1, count: 1 << 31); print(a.count) }\n"
            + "print(\"fine\")\n```\n")
    for (name, message) in [
        (
            "kill",
            "the program was killed from outside by signal 9 (SIGKILL) (not a time-out or the memory limit); run again"
        ),
        ("memory", "the cell ran out of memory"),
    ] {
        try name.write(toFile: flag, atomically: true, encoding: .utf8)
        let failed = try cli.run(["build"], cache: true)
        #expect(failed.0 == 1 && failed.2.contains(message), "\(name): \(failed.2)")
        try FileManager.default.removeItem(atPath: flag)
        let again = try cli.run(["build"], cache: true)
        #expect(again.0 == 0 && again.2.contains("0 cached"), "\(name) was cached: \(again.2)")
        try FileManager.default.removeItem(at: cli.dir.appendingPathComponent(".notebook-cache"))
    }
    // A failure of the code itself is cached, and a replay says it is.
    try cli.write("notebooks/b.md", "```swift\nlet a = [1]\nprint(a[3])\n```\n")
    let first = try cli.run(["build", "notebooks/b.md"], cache: true)
    #expect(first.0 == 1 && !first.2.contains("cached: this is the recorded result"), "\(first.2)")
    let replay = try cli.run(["build", "notebooks/b.md"], cache: true)
    #expect(replay.0 == 1 && replay.2.contains("note: cached: this is the recorded result"), "\(replay.2)")
    #expect(replay.2.contains("Index out of range"))
}

@Test func aNotebooksTimeoutInItsFrontMatterReplacesTheCommandLinesLimit() throws {
    let cli = try CLI()
    defer { cli.remove() }
    let slow = "```swift\nimport Foundation\nusleep(2_500_000)\nprint(\"done\")\n```\n"
    try cli.write("notebooks/a.md", "---\ntimeout: 1\n---\n" + slow)
    let stopped = try cli.run(["build", "--timeout", "120"])
    #expect(
        stopped.0 == 1 && stopped.2.contains("ran past the 1 s limit and was stopped (timeout: in the front matter)"))
    try cli.write("notebooks/a.md", "---\ntimeout: 30\n---\n" + slow)
    let raised = try cli.run(["build", "--timeout", "1"])
    #expect(raised.0 == 0, "\(raised.2)")
    try cli.write("notebooks/a.md", "---\ntimeout: soon\n---\n" + slow)
    let bad = try cli.run(["build"])
    #expect(bad.0 == 2 && bad.2.contains("notebooks/a.md:2:1: error: front matter:"), "\(bad.2)")
    #expect(bad.2.contains("a time limit is a positive number of seconds"), "\(bad.2)")
}

@Test func aConformanceErrorNamesTheMembersTheKernelsProtocolRequires() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try cli.write("notebooks/a.md", "```swift\nstruct Thing: Layer {\n    var w = Matrix.zeros(2, 2)\n}\n```\n")
    let (status, _, err) = try cli.run(["build"])
    #expect(status == 1 && err.contains("notebooks/a.md:2:8: error: type 'Thing' does not conform to protocol 'Layer'"))
    #expect(
        err.contains(
            "notebooks/a.md:2:8: note: 'Layer' requires 'var parameters: [Parameter<Thing>] { get }' (declare each in 'Thing')"
        ), "\(err)")
}

@Test func aNotebookBuiltWithoutItsKernelLibraryBuildsIt() throws {
    // A package laid out as SwiftPM leaves it after a plain `swift build`: the tool in
    // .build/debug, no libNotebookKernel.so beside it.
    let cli = try CLI()
    defer { cli.remove() }
    let package = cli.dir.appendingPathComponent("pkg")
    let built = URL(fileURLWithPath: CLI.binary).resolvingSymlinksInPath().deletingLastPathComponent()
    let triple = built.deletingLastPathComponent().lastPathComponent  // x86_64-unknown-linux-gnu
    let debug = package.appendingPathComponent(".build/\(triple)/debug")
    try FileManager.default.createDirectory(
        at: package.appendingPathComponent("Sources/NotebookKernel"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: debug, withIntermediateDirectories: true)
    try """
    // swift-tools-version:5.9
    import PackageDescription
    let package = Package(
        name: "pkg", products: [.library(name: "NotebookKernel", type: .dynamic, targets: ["NotebookKernel"])],
        targets: [.target(name: "NotebookKernel")])

    """.write(to: package.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
    try "public func kernelMarker() -> Int { 1 }\n".write(
        to: package.appendingPathComponent("Sources/NotebookKernel/Kernel.swift"), atomically: true, encoding: .utf8)
    let tool = debug.appendingPathComponent("notebook").path
    try FileManager.default.copyItem(atPath: CLI.binary, toPath: tool)
    try cli.write("notebooks/a.md", good)
    let (_, _, err) = try cli.run(["notebook", "run", "notebooks/a.md", "--no-cache"], executable: tool)
    #expect(
        err.contains("notebook: the kernel library is not built yet; running 'swift build --package-path "), "\(err)")
    #expect(FileManager.default.fileExists(atPath: debug.appendingPathComponent("libNotebookKernel.so").path), "\(err)")
}

@Test func aProseEditAnywhereRunsNothingAndMovesTheCellsWarningsWithThem() throws {
    let cli = try CLI()
    defer { cli.remove() }
    let count = cli.dir.appendingPathComponent("runs").path
    let cells =
        "```swift\nimport Foundation\nlet log = FileHandle(forWritingAtPath: \"\(count)\")!\nlog.seekToEndOfFile()\n"
        + "log.write(\"ran\\n\".data(using: .utf8)!)\nprint(\"fine\")\n```\n\nBetween.\n\n"
        + "```swift\ndo {\n    var unchanged = 2\n    print(unchanged)\n}\n```\n"
    FileManager.default.createFile(atPath: count, contents: nil)
    try cli.write("notebooks/a.md", "# A\n\n" + cells)
    let first = try cli.run(["build"], cache: true)
    #expect(first.0 == 0 && first.2.contains("notebooks/a.md:15:9: warning: variable 'unchanged' was never mutated"))
    try cli.write(
        "notebooks/a.md",
        "# A\n\nA new paragraph,\nof two lines.\n\n"
            + cells.replacingOccurrences(
                of: "Between.", with: "Between, longer,\nand on two lines."))
    let second = try cli.run(["build"], cache: true)
    #expect(second.0 == 0 && second.2.contains("1 cached"), "\(second.2)")
    #expect(second.2.contains("notebooks/a.md:19:9: warning: variable 'unchanged' was never mutated"), "\(second.2)")
    #expect(try String(contentsOfFile: count, encoding: .utf8) == "ran\n", "a prose edit ran the cells again")
    let page = try String(contentsOf: cli.dir.appendingPathComponent("site/a.html"), encoding: .utf8)
    #expect(page.contains("of two lines.") && page.contains("fine"))
    // A code edit runs them.
    try cli.write("notebooks/a.md", "# A\n\n" + cells.replacingOccurrences(of: "\"fine\"", with: "\"fine!\""))
    #expect(try cli.run(["build"], cache: true).0 == 0)
    #expect(try String(contentsOfFile: count, encoding: .utf8) == "ran\nran\n")
}

@Test func aCompileErrorWhoseLineMentionsAShortageIsStillTheCodesOwnAndCached() throws {
    let cli = try CLI()
    defer { cli.remove() }
    // The compiler quotes the line under its error; the words in it are the cell's, not the machine's.
    try cli.write(
        "notebooks/a.md",
        "```swift\nlet x: Int = \"out of memory; compile command failed due to signal 9\"\n```\n")
    let first = try cli.run(["build"], cache: true)
    #expect(first.0 == 1 && first.2.contains("notebooks/a.md:2:14: error: cannot convert"), "\(first.2)")
    #expect(!first.2.contains("run again"), "\(first.2)")
    let replay = try cli.run(["build"], cache: true)
    #expect(replay.0 == 1 && replay.2.contains("note: cached: this is the recorded result"), "\(replay.2)")
}

@Test func theCacheReportsWhatTheNotebooksUseAndPrunesOnlyTheRest() throws {
    let cli = try CLI()
    defer { cli.remove() }
    let lesson = { (steps: Int, last: String) in
        "# A\n\n```swift\nvar losses: [Double] = []\nfor i in 0..<\(steps) { losses.append(Double(i)) }\n```\n\n"
            + "```swift cache\nlosses.count\n```\n\n```swift\n\(last)\n```\n"
    }
    try cli.write("notebooks/a.md", lesson(3, "print(losses)"))
    #expect(try cli.run(["build"], cache: true).0 == 0)
    // An edit above the checkpoint leaves the old one and the old run behind.
    try cli.write("notebooks/a.md", lesson(4, "print(losses)"))
    #expect(try cli.run(["build"], cache: true).0 == 0)
    try cli.write(".notebook-cache/mine.txt", "not the tool's")
    let report = try cli.run(["cache"])
    #expect(report.0 == 0)
    #expect(report.1.contains("checkpoints 1 used") && report.1.contains("1 unused"), "\(report.1)")
    #expect(report.1.contains("runs        2 used") && report.1.contains("2 unused"), "\(report.1)")
    let pruned = try cli.run(["cache", "--prune"])
    #expect(pruned.0 == 0 && pruned.1.contains("deleted 4 unused entries"), "\(pruned.1)")
    let checkpoints = try FileManager.default.contentsOfDirectory(
        atPath: cli.dir.appendingPathComponent(".notebook-cache/checkpoints").path)
    #expect(checkpoints.count == 1)
    #expect(FileManager.default.fileExists(atPath: cli.dir.appendingPathComponent(".notebook-cache/mine.txt").path))
    // What is left is what the notebook uses: the build runs nothing; a last-cell edit resumes.
    #expect(try cli.run(["build"], cache: true).2.contains("1 cached"))
    try cli.write("notebooks/a.md", lesson(4, "print(losses.reduce(0, +))"))
    let resumed = try cli.run(["build"], cache: true)
    #expect(resumed.0 == 0 && resumed.2.contains("from the checkpoint after cell 2"), "\(resumed.2)")
}

@Test func serveShowsACompileErrorBeforeTheCellsAboveItRun() throws {
    let cli = try CLI()
    defer { cli.remove() }
    // Cell 2 takes 2 s; the checkpoint after cell 1 spares nothing of it. An error in cell 3
    // must reach the pages before cell 2 has run again.
    let lesson = { (last: String) in
        "# A\n\n```swift cache\nvar n = 1\n```\n\n```swift\nusleep(2_000_000)\nn += 1\n```\n\n```swift\n\(last)\n```\n"
    }
    try cli.write("notebooks/a.md", lesson("print(n)"))
    let server = try Server(cli)
    defer { _ = server.stop() }
    let events = try Loopback(port: server.port)
    events.send("GET /__notebook/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
    #expect(events.read { lastSiteEvent($0)?["version"] as? Int == 1 })
    try cli.write("notebooks/a.md", lesson("let s: String = n"))
    // The first event after the save: the error, with the pages still at version 1.
    #expect(events.read { lastSiteEvent($0)?["problem"] is String })
    let first = lastSiteEvent(events.received)
    #expect(first?["version"] as? Int == 1, "the error came only with the rebuilt pages")
    #expect((first?["problem"] as? String)?.contains("notebooks/a.md:13:17: error: cannot convert value") == true)
    // Then the pages, with cell 2's output and cell 3's error.
    #expect(events.read { lastSiteEvent($0)?["version"] as? Int == 2 })
    #expect((lastSiteEvent(events.received)?["problem"] as? String)?.contains("notebooks/a.md:13:17") == true)
}

@Test func aLessonThatLoadsAModelAnotherSavedRunsAgainWhenTheFileChanges() throws {
    let cli = try CLI()
    defer { cli.remove() }
    try FileManager.default.createDirectory(
        at: cli.dir.appendingPathComponent("models"), withIntermediateDirectories: true)
    let train = { (steps: Int) in
        "# Train\n\n```swift\nvar model = Linear(inputs: 2, outputs: 1, seed: 1)\nvar adam = Adam(learningRate: 0.1)\n"
            + "let x = Matrix([[1, 2], [3, 4]]), y = Matrix([[1], [2]])\nfor _ in 0..<\(steps) {\n"
            + "    let (_, g) = valueWithGradient(at: model) { m in mse(m(x), y) }\n    adam.update(&model, along: g)\n}\n"
            + "try model.save(to: \"models/linear.json\")\nprint(model.weight.values)\n```\n"
    }
    try cli.write("notebooks/01-train.md", train(10))
    try cli.write(
        "notebooks/02-use.md",
        "# Use\n\n```swift\nlet model = try Linear(inputs: 2, outputs: 1, seed: 9).loaded(from: \"models/linear.json\")\n"
            + "print(model.weight.values)\n```\n")
    func printed(_ lesson: String) throws -> String {
        let (status, out, _) = try cli.run(["run", "notebooks/\(lesson).md"], cache: true)
        #expect(status == 0)
        return out.split(separator: "\n").last { $0.contains("[") }.map { $0.trimmingCharacters(in: .whitespaces) }
            ?? ""
    }
    for steps in [10, 20] {
        try cli.write("notebooks/01-train.md", train(steps))
        // Both orders happen with two jobs; the lesson that read the old file runs again.
        #expect(try cli.run(["build", "--jobs", "2"], cache: true).0 == 0)
        let saved = try printed("01-train"), loaded = try printed("02-use")
        #expect(saved == loaded && saved.contains("[0."), "\(saved) \(loaded)")
        let page = try String(contentsOf: cli.dir.appendingPathComponent("site/02-use.html"), encoding: .utf8)
        #expect(page.contains(saved))
    }
    #expect(try cli.run(["build"], cache: true).2.contains("2 cached"))
    // The file changed by hand: the lesson that read it runs again and reads it.
    try "{\"weight\": [[1], [2]], \"bias\": [[0]]}".write(
        to: cli.dir.appendingPathComponent("models/linear.json"), atomically: true, encoding: .utf8)
    #expect(try printed("02-use") == "[1.0, 2.0]")
}
