import Foundation
import Testing

/// Shape errors stop the program with a message naming both shapes at the caller's line: run a
/// tiny program against the core in a child process and read what it printed.
@Test func shapeMismatchNamesBothShapesAndTheCallerLine() throws {
    let source = """
        let q = Matrix.zeros(4, 8), k = Matrix.zeros(5, 6)
        let a = attention(q, k, k)
        """
    guard let (status, text) = try runAgainstTheKernel(source) else { return }
    #expect(status != 0)
    #expect(text.contains("notebooks/x.md:15: Fatal error: attention: Q is 4×8 but K is 5×6"))
}

/// A training pass with dropout on and no seed stops at the caller's line, saying what to pass,
/// instead of drawing one mask for every step; in evaluation mode the same call runs.
@Test func dropoutWithoutASeedIsALocatedError() throws {
    let source = """
        var model = TinyEncoder(vocabulary: 5, dModel: 4, heads: 1, ffn: 8, blocks: 1, dropout: 0.1, seed: 1)
        let logits = model([[1, 2]])
        """
    guard let (status, text) = try runAgainstTheKernel(source) else { return }
    #expect(status != 0)
    #expect(
        text.contains(
            "notebooks/x.md:15: Fatal error: TinyEncoder: dropout is on (training, p = 0.1) but no dropoutSeed "
                + "was given; pass dropoutSeed: UInt64(step), or call eval()"), "\(text)")
    let evaluated = try runAgainstTheKernel(
        source.replacingOccurrences(of: "let logits", with: "model.eval(); let logits"))
    #expect(evaluated?.status == 0, "\(evaluated?.text ?? "")")
}

/// Compiles `source` (its first line at notebooks/x.md:14) against the notebook kernel and runs
/// it: its exit status and what it printed on standard error; nil when the kernel is not built.
func runAgainstTheKernel(_ source: String) throws -> (status: Int32, text: String)? {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardizedFileURL
    let bin = root.appendingPathComponent(".build/debug")
    guard FileManager.default.fileExists(atPath: bin.appendingPathComponent("libNotebookKernel.so").path) else {
        return nil
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shape-\(getpid())-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let program = "import NotebookKernel\n#sourceLocation(file: \"notebooks/x.md\", line: 14)\n" + source + "\n"
    try program.write(to: dir.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
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
    return (run.terminationStatus, text)
}
