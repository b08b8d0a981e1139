import Foundation
import NotebookMarkdown
import NotebookModel
import Testing

@testable import NotebookRunner

/// A cache folder, a file the cells count their runs in, and executors with and without the cache.
private struct Scratch {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("nb-checkpoints-\(UUID().uuidString)")
        .path
    var cache: String { root + "/cache" }
    var counter: String { root + "/runs" }

    init() throws { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    func executor(cached: Bool = true) throws -> Executor {
        var options = RunOptions()
        options.cacheDirectory = cached ? cache : nil
        options.timeout = 60
        return try Executor(toolchain: try Toolchain.locate(kernel: buildDirectory), options: options)
    }

    /// How many times the first cell ran.
    var runs: Int {
        ((try? String(contentsOfFile: counter, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    /// The first cell's line that counts its runs.
    var counting: String {
        "let countFile = fopen(\"\(counter)\", \"a\"); fputs(\"ran\\n\", countFile); fclose(countFile)"
    }
}

/// A notebook of swift cells (`cache` marks one), with prose between them.
private func notebook(_ cells: [(code: String, cache: Bool)], path: String = "notebooks/train.md") throws -> Notebook {
    let text = cells.enumerated().map { i, c in
        "Cell \(i + 1).\n\n```swift\(c.cache ? " cache" : "")\n\(c.code)\n```\n"
    }.joined(separator: "\n")
    return try NotebookParser.parse(text: "# Training\n\n" + text, path: path)
}

/// Training with an optimizer's moments, a generator, a tuple array, a `var` mutated in a loop,
/// a closure and a function: the state a checkpoint after cell 2 must carry.
private func training(_ s: Scratch, last: String) -> [(code: String, cache: Bool)] {
    [
        (
            """
            \(s.counting)
            var g = SeededGenerator(seed: 11)
            var model = Linear(inputs: 3, outputs: 2, seed: 5)
            var adam = Adam(learningRate: 0.05)
            let x = Matrix(rows: 4, cols: 3, values: g.normals(12))
            let y = Matrix(rows: 4, cols: 2, values: g.normals(8))
            var losses: [Double] = []
            let scaled = { (v: Double) in v * 100 }
            func step() -> Double {
                let (loss, grads) = valueWithGradient(at: model) { m in mse(m(x), y) }
                adam.update(&model, along: grads)
                return loss
            }
            for _ in 0..<5 { losses.append(step()) }
            print("first losses", losses.map(scaled))
            """, false
        ),
        (
            """
            var pairs: [(name: String, loss: Double)] = []
            for i in 0..<3 { pairs.append((name: "step \\(i)", loss: step())) }
            pairs.count
            """, true
        ),
        (last, false),
    ]
}

@Test func aRunResumedFromACheckpointSkipsTheCellsAboveAndEqualsARunFromTheTop() throws {
    let s = try Scratch()
    defer { s.remove() }
    let last = "print(step(), g.normal(), pairs.map(\\.loss), model.weight.values.map(scaled))"
    let ex = try s.executor()
    let first = try ex.run(try notebook(training(s, last: last)))
    #expect(!first.failed(in: try notebook(training(s, last: last))) && first.resumedAfter == nil)
    #expect(s.runs == 1)

    // The last cell edited: cells 1 and 2 come from the checkpoint after cell 2, not run again.
    let edited = try notebook(training(s, last: "print(\"edited\")\n" + last))
    let resumed = try ex.run(edited)
    #expect(resumed.resumedAfter == 2)
    #expect(s.runs == 1)
    // What a run from the top gives, with no cache at all.
    let top = try s.executor(cached: false).run(edited)
    #expect(s.runs == 2)
    #expect(top.resumedAfter == nil)
    #expect(resumed.cells == top.cells)
    #expect(resumed.diagnostics == top.diagnostics)
}

@Test func aCompileErrorAfterTheCheckpointIsReportedWithoutRunningTheCellsAbove() throws {
    let s = try Scratch()
    defer { s.remove() }
    let ex = try s.executor()
    _ = try ex.run(try notebook(training(s, last: "print(step())")))
    #expect(s.runs == 1)
    let broken = try notebook(training(s, last: "let n: Int = model"))
    let run = try ex.run(broken)
    #expect(s.runs == 1)
    #expect(run.resumedAfter == 2)
    #expect(run.cells[2].failure?.reason == .compile)
    #expect(
        run.cells[0].outputs.first.map { if case .text(let t) = $0 { t.hasPrefix("first losses") } else { false } }
            == true)
    let error = run.diagnostics.first { $0.severity == .error }
    #expect(error?.line == broken.cells[2].line)
    #expect(error?.message.contains("cannot convert value of type 'Linear'") == true)
}

@Test func aValueNoCheckpointCanHoldIsALocatedErrorNamingItsTypeAndTheFix() throws {
    let s = try Scratch()
    defer { s.remove() }
    let n = try notebook([
        ("struct Box { var x: Int }\nlet f = { 2 }\nlet box = Box(x: 1)", false),
        ("print(box.x)", true),
        ("print(box.x + f())", false),
    ])
    let run = try s.executor().run(n)
    let errors = run.diagnostics.filter { $0.severity == .error }
    #expect(errors.count == 1)
    // `let box` is the cell's third line; the closure `f` is declared again, not saved.
    #expect(errors.first?.line == n.cells[0].line + 2)
    #expect(errors.first?.message.contains("'box' (Box) is used after cell 2, which is marked cache") == true)
    #expect(errors.first?.message.contains("declare 'Box: Codable'") == true)
    #expect(run.failed(in: n))
    // Made Codable, the same notebook resumes.
    let fixed = try notebook([
        ("struct Box: Codable { var x: Int }\nlet f = { 2 }\nlet box = Box(x: 1)", false),
        ("print(box.x)", true),
        ("print(box.x + f())", false),
    ])
    #expect(try s.executor().run(fixed).diagnostics.isEmpty)
    let edited = try notebook([
        ("struct Box: Codable { var x: Int }\nlet f = { 2 }\nlet box = Box(x: 1)", false),
        ("print(box.x)", true),
        ("print(box.x + f() * 10)", false),
    ])
    let resumed = try s.executor().run(edited)
    #expect(resumed.resumedAfter == 2)
    #expect(resumed.cells[2].outputs == [.text("21\n")])
}

@Test func aCorruptCheckpointOrAnotherNotebooksIsNeverUsed() throws {
    let s = try Scratch()
    defer { s.remove() }
    let ex = try s.executor()
    _ = try ex.run(try notebook(training(s, last: "print(step())")))
    #expect(s.runs == 1)
    // Another notebook with the same cells has no checkpoint of its own yet: it runs from the top.
    let other = try ex.run(try notebook(training(s, last: "print(step(), 1)"), path: "notebooks/other.md"))
    #expect(other.resumedAfter == nil && s.runs == 2)
    // A value file changed by one byte fails its digest: ignored, the notebook runs from the top.
    let folders = try FileManager.default.contentsOfDirectory(atPath: s.cache + "/checkpoints")
        .filter { !$0.hasPrefix(".") }
    for folder in folders {
        let file = s.cache + "/checkpoints/" + folder + "/0.json"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[bytes.count / 2] ^= 1
        try bytes.write(to: URL(fileURLWithPath: file))
    }
    let edited = try notebook(training(s, last: "print(step(), 2)"))
    let run = try ex.run(edited)
    #expect(run.resumedAfter == nil && s.runs == 3)
    #expect(run.cells == (try s.executor(cached: false).run(edited)).cells)
}

@Test(arguments: [
    (
        "Swift.Dictionary<Swift.String, Swift.Array<(x: Swift.Double, y: Swift.Double)>>",
        "Swift.Dictionary<Swift.String, Swift.Array<__NBTuple2<Swift.Double, Swift.Double>>>"
    ),
    (
        "Swift.Optional<(Swift.Int, TransformerCore.Matrix)>",
        "Swift.Optional<__NBTuple2<Swift.Int, TransformerCore.Matrix>>"
    ),
    ("Swift.Array<Swift.Double>", "Swift.Array<Swift.Double>"),
    ("Swift.Set<(Swift.Int, Swift.Int)>", nil),
    ("(Swift.Int) -> Swift.Int", nil),
])
func savedStructuresAreRebuiltFromTheirReflectedType(_ reflected: String, _ stored: String?) {
    #expect(RestoredType(reflected)?.stored == stored)
}
