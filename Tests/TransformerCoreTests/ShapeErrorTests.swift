import Foundation
import Testing

/// Shape errors stop the program with a message naming both shapes at the caller's line: run a
/// tiny program against the core in a child process and read what it printed.
@Test func shapeMismatchNamesBothShapesAndTheCallerLine() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardizedFileURL
    let bin = root.appendingPathComponent(".build/debug")
    guard FileManager.default.fileExists(atPath: bin.appendingPathComponent("libNotebookKernel.so").path) else {
        return
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shape-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = """
        import NotebookKernel
        #sourceLocation(file: "notebooks/x.md", line: 14)
        let q = Matrix.zeros(4, 8), k = Matrix.zeros(5, 6)
        let a = attention(q, k, k)
        """
    try source.write(to: dir.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
    let compile = Process()
    compile.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    compile.arguments = [
        "swiftc", "-module-name", "notebooks", "-I", bin.path + "/Modules", "-L", bin.path, "-lNotebookKernel",
        "-Xlinker", "-rpath", "-Xlinker", bin.path, dir.appendingPathComponent("main.swift").path,
        "-o", dir.appendingPathComponent("prog").path,
    ]
    try compile.run()
    compile.waitUntilExit()
    #expect(compile.terminationStatus == 0)
    let run = Process()
    run.executableURL = dir.appendingPathComponent("prog")
    run.environment = ["SWIFT_BACKTRACE": "enable=no"]
    let err = Pipe()
    run.standardError = err
    try run.run()
    run.waitUntilExit()
    let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(run.terminationStatus != 0)
    #expect(text.contains("notebooks/x.md:15: Fatal error: attention: Q is 4×8 but K is 5×6"))
}
