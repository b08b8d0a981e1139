import Foundation
import Testing

/// A cache server for `--cache-url`: nginx with WebDAV, started by `scripts/cache-server.sh` on a
/// free loopback port, storing into `root`; it stops by itself should the test process die.
final class CacheServer {
    /// nginx is installed (`scripts/install-deps.sh` installs it); under CI the tests run, and
    /// fail, without it.
    static let available =
        ProcessInfo.processInfo.environment["CI"] != nil
        || FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx")

    let root: URL
    let port: Int
    private var state: String?

    init(root: URL) throws {
        self.root = root
        var started: (Int, String)?
        for _ in 0..<5 where started == nil {
            let port = try freePort()
            let (status, out, err) = try shell(
                [
                    "bash", CLI.root.appendingPathComponent("scripts/cache-server.sh").path, "start", "\(port)",
                    root.path,
                    "\(getpid())",
                ])
            if status == 0 {
                started = (port, out.trimmingCharacters(in: .whitespacesAndNewlines))
            } else if !err.contains("Address already in use") {
                throw Failure("cache-server.sh start: \(err)")
            }
        }
        guard let started else { throw Failure("no free port for nginx") }
        (port, state) = (started.0, started.1)
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Stops nginx and waits until it is gone; idempotent.
    func stop() {
        guard let state else { return }
        self.state = nil
        _ = try? shell(["bash", CLI.root.appendingPathComponent("scripts/cache-server.sh").path, "stop", state])
    }

    deinit { stop() }

    /// The stored files under `kind` (`ac` or `cas`): path and bytes.
    func files(_ kind: String) -> [URL] {
        let folder = root.appendingPathComponent(kind)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.map { folder.appendingPathComponent($0) }
    }
}

/// A server that speaks HTTP badly, in Python's standard library.
///
/// `500` answers every request with status 500; `slow` answers none for a minute. It runs detached (started by a shell that
/// exits at once, holding none of the test's descriptors, so that no other process of the test
/// waits for it) and exits when the test process does.
final class FakeServer {
    static let script = """
        import http.server, os, socketserver, sys, threading, time
        os.closerange(3, 65536)
        mode, parent = sys.argv[1], int(sys.argv[2])
        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self):
                if mode == "slow":
                    time.sleep(60)
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()
            do_GET = do_PUT = do_HEAD = answer
            def log_message(self, *args):
                pass
        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
        server = Server(("127.0.0.1", 0), Handler)
        def watch():
            while True:
                try:
                    os.kill(parent, 0)
                except OSError:
                    os._exit(0)
                time.sleep(0.2)
        threading.Thread(target=watch, daemon=True).start()
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """
    let pid: Int32
    let port: Int

    init(mode: String, in folder: URL) throws {
        let file = folder.appendingPathComponent("fake-server.py"), portFile = folder.appendingPathComponent("port")
        try Self.script.write(to: file, atomically: true, encoding: .utf8)
        let (_, out, _) = try shell([
            "bash", "-c", "python3 \"$0\" \"$1\" \"$2\" > \"$3\" 2>&1 < /dev/null & echo $!", file.path, mode,
            "\(getpid())", portFile.path,
        ])
        pid = Int32(out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let deadline = Date().addingTimeInterval(20)
        var port: Int?
        while port == nil && Date() < deadline {
            let text = (try? String(contentsOf: portFile, encoding: .utf8)) ?? ""
            if text.hasSuffix("\n") {
                port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            } else {
                usleep(20_000)
            }
        }
        guard pid > 0, let port else {
            if pid > 0 { kill(pid, SIGKILL) }
            throw Failure(
                "the fake server did not start: \((try? String(contentsOf: portFile, encoding: .utf8)) ?? "")")
        }
        self.port = port
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func stop() { kill(pid, SIGTERM) }

    deinit { stop() }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command; its status, standard output and standard error.
func shell(_ arguments: [String]) throws -> (Int32, String, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = arguments
    let out = Pipe(), err = Pipe()
    (p.standardOutput, p.standardError) = (out, err)
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// A port nothing listens on now (the kernel's choice for port 0).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
        }
    }
    guard bound else { throw Failure("cannot bind a loopback socket") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A course of three small lessons in `folder` of the test's folder: text, a matrix, a plot.
func writeCourse(_ cli: CLI, in folder: String) throws {
    try FileManager.default.createDirectory(
        at: cli.dir.appendingPathComponent("\(folder)/notebooks"), withIntermediateDirectories: true)
    let cells = [
        "let tokens = Tokenizer.characters(\"attention\")\nprint(tokens.count)",
        "let m = Matrix.randomNormal(3, 4, seed: 7)\nm",
        "plot(series(\"loss\", [3.0, 2.0, 1.5, 1.25]), title: \"loss\", x: \"step\", y: \"loss\")",
    ]
    for (i, code) in cells.enumerated() {
        try cli.write(
            "\(folder)/notebooks/0\(i + 1)-l.md",
            "---\ntitle: Lesson \(i + 1)\norder: \(i + 1)\n---\n# Lesson \(i + 1)\n\nText.\n\n```swift\n\(code)\n```\n")
    }
}

/// Every file of a site folder by relative path, with its bytes.
func siteFiles(_ cli: CLI, _ folder: String) -> [String: Data] {
    let root = cli.dir.appendingPathComponent(folder)
    let names = FileManager.default.subpaths(atPath: root.path) ?? []
    return Dictionary(
        uniqueKeysWithValues: names.compactMap { name in
            FileManager.default.contents(atPath: root.appendingPathComponent(name).path).map { (name, $0) }
        })
}

/// `course`: a fresh copy of the course, built with a cold local cache and no server; its site.
func referenceSite(_ cli: CLI) throws -> [String: Data] {
    try writeCourse(cli, in: "reference")
    let (status, _, err) = try cli.run(["build", "--jobs", "1"], cache: true, in: "reference")
    #expect(status == 0, "\(err)")
    return siteFiles(cli, "reference/site")
}

/// How many times `needle` occurs in `text`.
func occurrences(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

@Suite(.enabled(if: CacheServer.available, "nginx is not installed (scripts/install-deps.sh installs nginx-light)"))
struct SharedCacheTests {
    @Test func twoClonesShareRunsThroughACacheServer() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let reference = try referenceSite(cli)
        let server = try CacheServer(root: cli.dir.appendingPathComponent("server"))
        defer { server.stop() }
        for clone in ["a", "b"] { try writeCourse(cli, in: clone) }
        let a = try cli.run(["build", "--cache-url", server.url], cache: true, in: "a")
        #expect(a.0 == 0 && a.2.contains("(3 notebooks, 0 cached, 0 failed"), "\(a.2)")
        let b = try cli.run(["build", "--cache-url", server.url], cache: true, in: "b")
        #expect(b.0 == 0 && b.2.contains("rendered from the cache: 0 notebooks ran (3 notebooks, 3 cached"), "\(b.2)")
        #expect(!b.2.contains("warning"))
        #expect(siteFiles(cli, "b/site") == reference)
        // What the server holds is Bazel's layout: every CAS blob named by its SHA-256.
        let blobs = server.files("cas")
        #expect(!blobs.isEmpty && !server.files("ac").isEmpty)
        let sums = try shell(["sha256sum"] + blobs.map(\.path)).1
        for line in sums.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            #expect(parts.count == 2 && parts[1].hasSuffix("/" + parts[0]), "\(line)")
        }
        // The cache server can also come from the environment; a bad address is a usage error.
        let c = try cli.run(["build"], environment: ["NOTEBOOK_CACHE_URL": server.url], cache: true, in: "b")
        #expect(c.0 == 0)
        let bad = try cli.run(["build", "--cache-url", "localhost:9"], cache: true, in: "b")
        #expect(bad.0 == 2 && bad.2.contains("--cache-url 'localhost:9' is not a cache server's address"), "\(bad.2)")
    }

    @Test func shardBuildsThenARenderEqualAFullLocalBuild() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let reference = try referenceSite(cli)
        let server = try CacheServer(root: cli.dir.appendingPathComponent("server"))
        defer { server.stop() }
        var ran = 0
        for (i, clone) in ["s1", "s2"].enumerated() {
            try writeCourse(cli, in: clone)
            let (status, _, err) = try cli.run(
                ["build", "--shard", "\(i + 1)/2", "--cache-url", server.url], cache: true, in: clone)
            #expect(status == 0 && err.contains("no site written: a build without --shard renders it"), "\(err)")
            #expect(!FileManager.default.fileExists(atPath: cli.dir.appendingPathComponent("\(clone)/site").path))
            let count = err.firstMatch(of: /\((\d+) ran, 0 cached, 0 failed/).map { Int($0.1)! }
            #expect(count != nil, "\(err)")
            ran += count ?? 0
        }
        #expect(ran == 3)  // each notebook ran in one shard
        try writeCourse(cli, in: "render")
        let render = try cli.run(["build", "--cache-url", server.url], cache: true, in: "render")
        #expect(render.0 == 0 && render.2.contains("rendered from the cache: 0 notebooks ran"), "\(render.2)")
        #expect(siteFiles(cli, "render/site") == reference)
        for (value, message) in [
            ("0/2", "--shard '0/2': the shard must be between 1 and 2"), ("2", "--shard '2' is not i/n"),
            ("1/0", "the number of shards must be at least 1"),
        ] {
            let (status, _, err) = try cli.run(["build", "--shard", value], cache: true, in: "render")
            #expect(status == 2 && err.contains(message), "\(err)")
        }
        let noCache = try cli.run(["build", "--shard", "1/2", "--no-cache"], cache: true, in: "render")
        #expect(noCache.0 == 2 && noCache.2.contains("--shard fills the cache"))
    }

    @Test func aServerKilledMidBuildLeavesTheBuildCorrect() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let reference = try referenceSite(cli)
        let server = try CacheServer(root: cli.dir.appendingPathComponent("server"))
        defer { server.stop() }
        try writeCourse(cli, in: "a")
        let build = Process()
        build.executableURL = URL(fileURLWithPath: CLI.binary)
        build.arguments = ["build", "--jobs", "1", "--cache-url", server.url]
        build.currentDirectoryURL = cli.dir.appendingPathComponent("a")
        let err = Pipe()
        (build.standardError, build.standardOutput) = (err, FileHandle.nullDevice)
        try build.run()
        defer { if build.isRunning { build.terminate() } }
        // The first result stored: the server goes down with two notebooks still to run.
        let deadline = Date().addingTimeInterval(60)
        while server.files("ac").isEmpty && build.isRunning && Date() < deadline { usleep(5_000) }
        server.stop()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        build.waitUntilExit()
        #expect(build.terminationStatus == 0, "\(stderr)")
        #expect(occurrences("warning: the cache server", in: stderr) == 1, "\(stderr)")
        #expect(stderr.contains("not using it for the rest of this build"))
        #expect(siteFiles(cli, "a/site") == reference)
    }

    @Test func corruptBlobsAndActionResultsAreCaughtAndRunAgain() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let reference = try referenceSite(cli)
        let server = try CacheServer(root: cli.dir.appendingPathComponent("server"))
        defer { server.stop() }
        for clone in ["a", "b", "c"] { try writeCourse(cli, in: clone) }
        #expect(try cli.run(["build", "--cache-url", server.url], cache: true, in: "a").0 == 0)
        for blob in server.files("cas") {
            var bytes = try Data(contentsOf: blob)
            bytes[bytes.count / 2] ^= 0x20
            try bytes.write(to: blob)
        }
        let b = try cli.run(["build", "--cache-url", server.url], cache: true, in: "b")
        #expect(b.0 == 0 && b.2.contains("(3 notebooks, 0 cached, 0 failed"), "\(b.2)")
        #expect(occurrences("does not hold the bytes its name is the SHA-256 of", in: b.2) == 1, "\(b.2)")
        #expect(siteFiles(cli, "b/site") == reference)
        for entry in server.files("ac") { try Data("{\"not\": \"protobuf\"}".utf8).write(to: entry) }
        let c = try cli.run(["build", "--cache-url", server.url], cache: true, in: "c")
        #expect(c.0 == 0 && occurrences("is not the action result of", in: c.2) == 1, "\(c.2)")
        #expect(siteFiles(cli, "c/site") == reference)
    }

    @Test(arguments: [("500", "HTTP 500"), ("slow", "no answer within 1 s")])
    func aServerThatFailsOrStallsNeverFailsTheBuild(mode: String, message: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        let reference = try referenceSite(cli)
        let fake = try FakeServer(mode: mode, in: cli.dir)
        defer { fake.stop() }
        try writeCourse(cli, in: "a")
        let start = Date()
        let (status, _, err) = try cli.run(
            ["build", "--cache-url", fake.url, "--cache-timeout", "1"], cache: true, in: "a")
        #expect(status == 0 && occurrences("warning: the cache server", in: err) == 1, "\(err)")
        #expect(err.contains(message), "\(err)")
        #expect(Date().timeIntervalSince(start) < 30)  // one time-out, not one per request
        #expect(siteFiles(cli, "a/site") == reference)
    }

    @Test func aCheckpointMadeOnOneCloneServesAnEditOnAnother() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let server = try CacheServer(root: cli.dir.appendingPathComponent("server"))
        defer { server.stop() }
        let lesson = { (last: String) in
            "# A\n\n```swift\nvar g = SeededGenerator(seed: 4)\nlet w = g.normals(6)\n```\n\n"
                + "```swift cache\nw.count\n```\n\n```swift\n\(last)\n```\n"
        }
        for clone in ["a", "b"] {
            try FileManager.default.createDirectory(
                at: cli.dir.appendingPathComponent("\(clone)/notebooks"), withIntermediateDirectories: true)
            try cli.write("\(clone)/notebooks/a.md", lesson("print(w[0])"))
        }
        #expect(try cli.run(["build", "--cache-url", server.url], cache: true, in: "a").0 == 0)
        // Clone b has no checkpoint of its own: an edit of its last cell resumes from a's.
        try cli.write("b/notebooks/a.md", lesson("print(w[1], g.normal())"))
        let b = try cli.run(["build", "--cache-url", server.url], cache: true, in: "b")
        #expect(b.0 == 0 && b.2.contains("from the checkpoint after cell 2") && !b.2.contains("warning"), "\(b.2)")
        // What it printed is what a run from the top prints.
        let top = try cli.run(["run", "notebooks/a.md"], in: "b")
        let resumed = try cli.run(["run", "notebooks/a.md"], cache: true, in: "b")
        #expect(top.0 == 0 && top.1 == resumed.1 && top.1.contains("."), "\(top.1)")
    }
}
