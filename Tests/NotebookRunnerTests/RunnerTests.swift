import Foundation
import NotebookMarkdown
import NotebookModel
import Testing

@testable import NotebookRunner

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
let buildDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "../../.build/debug"
).standardizedFileURL.path

func load(_ name: String) throws -> Notebook {
    let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    return try NotebookParser.parse(text: text, path: "notebooks/\(name)")
}

func executor() throws -> Executor {
    var options = RunOptions()
    options.cacheDirectory = nil
    options.timeout = 30
    return try Executor(toolchain: try Toolchain.locate(kernel: buildDirectory), options: options)
}

@Test func generatedProgramHasSourceLocationsAndDisplay() throws {
    let n = try load("three-cells.md")
    let p = ProgramGenerator.generate(n)
    #expect(p.source.contains("#sourceLocation(file: \"notebooks/three-cells.md\", line: 7)"))
    #expect(
        p.source.contains(
            "#sourceLocation(file: \"notebooks/three-cells.md\", line: 12)\nlet y = x * x.T\n__nbDisplay(y)\n"))
    #expect(p.source.contains("__nbDisplay(total / 2)"))
    #expect(p.notebookColumn(line: 13, column: 13) == 1)
}

@Test(arguments: [
    ("x = 3", false), ("x += 1", false), ("f(x)", true), ("a == b", true), ("if a { b }", false), ("{ 1 }", false),
])
func displayableExpressions(_ code: String, _ displayed: Bool) {
    let (out, _) = ProgramGenerator.displayingLastExpression(code, firstLine: 1)
    #expect(out.contains("__nbDisplay(") == displayed)
}

@Test func threeCellNotebookOutputs() throws {
    let n = try load("three-cells.md")
    let run = try executor().run(n)
    #expect(run.cells.count == 3)
    #expect(run.cells[0].outputs == [.text("trace 5.0\n")])
    // x·xᵀ = [[5, 11], [11, 25]] by hand.
    guard case .matrix(let m) = run.cells[1].outputs.first else {
        Issue.record("no matrix")
        return
    }
    #expect(m.values == [[5, 11], [11, 25]] && m.rows == 2 && m.cols == 2)
    // (5 + 11 + 11 + 25) / 2 = 26.
    #expect(run.cells[2].outputs == [.text("26.0\n")])
    #expect(!run.failed(in: n))
}

@Test func compileErrorAtItsLineWithEarlierOutputsKept() throws {
    let n = try load("compile-error.md")
    let run = try executor().run(n)
    let error = try #require(run.diagnostics.first { $0.severity == .error })
    #expect(error.formatted.hasPrefix("notebooks/compile-error.md:9:13: error: cannot find 'undefinedName' in scope"))
    #expect(error.formatted.contains("let b = a + undefinedName\n            ^"))
    #expect(run.cells[0].outputs == [.text("before\n")])
    #expect(run.cells[1].failure?.reason == .compile)
    #expect(run.cells[2].failure?.reason == .notRun)
}

@Test func trapIsLocatedAtItsCellWithEarlierOutputKept() throws {
    let n = try load("trap.md")
    let run = try executor().run(n)
    #expect(run.cells[0].outputs == [.text("kept\n")])
    let failure = try #require(run.cells[1].failure)
    #expect(failure.reason == .runtime && failure.line == 9 && failure.message.contains("Index out of range"))
    #expect(run.cells[2].failure?.reason == .notRun)
    #expect(
        run.diagnostics.first?.formatted.hasPrefix(
            "notebooks/trap.md:9: error: cell 2: Fatal error: Index out of range") == true)
}

@Test func timeoutKillsAndExitIsReported() throws {
    let n = try NotebookParser.parse(
        text: "```swift\nprint(\"a\")\n```\n\n```swift\nwhile true {}\n```\n", path: "notebooks/loop.md")
    var options = RunOptions()
    options.cacheDirectory = nil
    options.timeout = 2
    let run = try Executor(toolchain: try Toolchain.locate(kernel: buildDirectory), options: options).run(n)
    #expect(run.cells[0].outputs == [.text("a\n")])
    #expect(run.cells[1].failure?.reason == .timeout)
    let exit = try NotebookParser.parse(
        text: "```swift\nexit(0)\n```\n\n```swift\nprint(1)\n```\n", path: "notebooks/exit.md")
    let exitRun = try executor().run(exit)
    #expect(exitRun.cells[0].failure?.message.contains("exited") == true)
    #expect(exitRun.cells[1].failure?.reason == .notRun)
}

@Test func cacheHitsAndMisses() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nb-cache-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var options = RunOptions()
    options.cacheDirectory = dir
    let ex = try Executor(toolchain: try Toolchain.locate(kernel: buildDirectory), options: options)
    let n = try load("three-cells.md")
    #expect(try ex.run(n).cached == false)
    #expect(try ex.run(n).cached == true)
    let text = try String(contentsOf: fixtures.appendingPathComponent("three-cells.md"), encoding: .utf8)
    let proseEdit = try NotebookParser.parse(
        text: text.replacingOccurrences(of: "share state", with: "share their state"), path: n.path)
    #expect(try ex.run(proseEdit).cached == true)  // prose only: the program key hits
    let edited = try NotebookParser.parse(text: text.replacingOccurrences(of: "[3, 4]]", with: "[3, 5]]"), path: n.path)
    #expect(try ex.run(edited).cached == false)
    // A corrupted entry is ignored and replaced.
    for f in try FileManager.default.contentsOfDirectory(atPath: dir) where f.hasSuffix(".json") {
        try Data("{".utf8).write(to: URL(fileURLWithPath: dir + "/" + f))
    }
    let again = try ex.run(n)
    #expect(again.cached == false && again.cells[2].outputs == [.text("26.0\n")])
}

@Test func cacheMissesAfterAnOptionOrAKernelChange() throws {
    let fm = FileManager.default
    let root = fm.temporaryDirectory.appendingPathComponent("nb-kernel-\(getpid())").path
    defer { try? fm.removeItem(atPath: root) }
    // A copy of the kernel the test can change.
    let kernel = root + "/kernel"
    try fm.createDirectory(atPath: kernel, withIntermediateDirectories: true)
    try fm.copyItem(atPath: buildDirectory + "/libNotebookKernel.so", toPath: kernel + "/libNotebookKernel.so")
    try fm.copyItem(atPath: buildDirectory + "/Modules", toPath: kernel + "/Modules")
    var options = RunOptions()
    options.cacheDirectory = root + "/cache"
    func run(_ options: RunOptions) throws -> NotebookRun {
        try Executor(toolchain: try Toolchain.locate(kernel: kernel), options: options).run(try load("three-cells.md"))
    }
    #expect(try run(options).cached == false)
    #expect(try run(options).cached == true)
    var longer = options
    longer.timeout += 1
    #expect(try run(longer).cached == false)  // an option that reaches the program

    // One byte more in the library (past its last section, so it still loads): a miss.
    let library = URL(fileURLWithPath: kernel + "/libNotebookKernel.so")
    var bytes = try Data(contentsOf: library)
    bytes.append(0)
    try bytes.write(to: library)
    let changed = try run(options)
    #expect(changed.cached == false && changed.cells[2].outputs == [.text("26.0\n")])
    #expect(try run(options).cached == true)
    // That byte changed in place, same size, modification time set back: still a miss.
    let mtime = try fm.attributesOfItem(atPath: library.path)[.modificationDate] as! Date
    bytes[bytes.count - 1] = 1
    try bytes.write(to: library)
    try fm.setAttributes([.modificationDate: mtime], ofItemAtPath: library.path)
    #expect(try run(options).cached == false)
}

@Test func sha256KnownVectors() {
    var a = SHA256()
    #expect(a.hexDigest() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    var b = SHA256()
    b.update(Array("abc".utf8))
    #expect(b.hexDigest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    var c = SHA256()
    c.update(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
    #expect(c.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    // The same million bytes in uneven pieces, some not contiguous in memory.
    var d = SHA256()
    let sizes = [1, 63, 65, 64, 127, 1000, 3]
    var left = 1_000_000, i = 0
    while left > 0 {
        let n = min(sizes[i % sizes.count], left)
        if i % sizes.count == 6 {
            d.update((0..<n).lazy.map { _ in UInt8(ascii: "a") })
        } else {
            d.update(Array(repeating: UInt8(ascii: "a"), count: n))
        }
        left -= n
        i += 1
    }
    #expect(d.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
}

@Test func cellsAfterAnExpectedErrorStillRun() throws {
    let text = """
        ```swift
        let a = 2
        ```

        ```swift expect-error="boom"
        fatalError("boom")
        ```

        ```swift expect-error
        let broken: Int = "no"
        ```

        ```swift
        print(a * 21)
        ```
        """
    let n = try NotebookParser.parse(text: text, path: "notebooks/expected.md")
    let run = try executor().run(n)
    #expect(run.cells[1].failure?.reason == .runtime && run.cells[1].failure?.message.contains("boom") == true)
    #expect(run.cells[2].failure?.reason == .compile)
    #expect(run.cells[3].outputs == [.text("42\n")])
    #expect(!run.failed(in: n))
    #expect(run.diagnostics.allSatisfy { $0.severity != .error })
}

@Test func aMismatchedMaskStopsAtTheCallAndForgedRecordsStayText() throws {
    // show(…, mask:) with a 2×2 mask for a 3×3 matrix: the kernel stops at the caller's line.
    let mask = try NotebookParser.parse(
        text: """
            ```swift
            print("before")
            ```

            ```swift
            let m = Matrix([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
            show(m, mask: Mask.causal(2))
            ```
            """, path: "notebooks/mask.md")
    let run = try executor().run(mask)
    #expect(run.cells[0].outputs == [.text("before\n")])
    let failure = try #require(run.cells[1].failure)
    #expect(failure.line == 7 && failure.message.contains("show: the mask is 2×2 but the matrix is 3×3"), "\(failure)")
    // Text that looks like records (a malformed matrix, a fake end of the program) stays text:
    // the real records carry this run's token. The trap after the fake end is still reported.
    let fakeMatrix =
        "\\u{1E}NB1 {\\\"output\\\":{\\\"kind\\\":\\\"matrix\\\",\\\"rows\\\":1,\\\"cols\\\":3,\\\"values\\\":[[1,2]]}}"
    let forged = try NotebookParser.parse(
        text: """
            ```swift
            print("\(fakeMatrix)")
            ```

            ```swift
            print("\\u{1E}NB1 {\\"end\\":true}")
            let a = [1]
            print(a[2])
            ```
            """, path: "notebooks/forged.md")
    let forgedRun = try executor().run(forged)
    #expect(forgedRun.cells[0].failure == nil)
    guard case .text(let printed)? = forgedRun.cells[0].outputs.first else {
        Issue.record("no text")
        return
    }
    #expect(printed.hasPrefix("\u{1E}NB1 {\"output\"") && printed.contains("[[1,2]]"))
    let trap = try #require(forgedRun.cells[1].failure)
    #expect(trap.reason == .runtime && trap.message.contains("Index out of range"), "\(trap)")
    #expect(forgedRun.failed(in: forged))
}

@Test func aFloodOnStandardErrorNeitherDropsTheRecordsNorHidesATrap() throws {
    // 24 MiB on stderr, more than stdout's whole 16 MiB cap: the outputs and the end record stay.
    let flood = try NotebookParser.parse(
        text: """
            ```swift
            import Foundation
            for _ in 0..<24 { FileHandle.standardError.write(Data(repeating: 65, count: 1 << 20)) }
            print("flooded")
            ```

            ```swift
            print("after")
            ```

            ```swift
            for _ in 0..<8 { FileHandle.standardError.write(Data(repeating: 66, count: 1 << 20)) }
            let a = [1]
            print(a[3])
            ```
            """, path: "notebooks/flood.md")
    let run = try executor().run(flood)
    #expect(run.cells[0].outputs == [.text("flooded\n")])
    #expect(run.cells[1].outputs == [.text("after\n")])
    let trap = try #require(run.cells[2].failure)
    #expect(trap.reason == .runtime && trap.message.contains("Index out of range") && trap.line == 14, "\(trap)")
}

@Test func aCellPastTheMemoryLimitFailsSayingSo() throws {
    let n = try NotebookParser.parse(
        text: """
            ---
            memory: 1G
            ---
            ```swift
            print("before")
            ```

            ```swift
            var keep: [[Double]] = []
            for i in 0..<100 { keep.append([Double](repeating: Double(i), count: 20_000_000)) }
            ```
            """, path: "notebooks/oom.md")
    let run = try executor().run(n)
    #expect(run.cells[0].outputs == [.text("before\n")])
    let failure = try #require(run.cells[1].failure)
    #expect(
        failure.message.hasPrefix(
            "the cell ran out of memory: the program may use at most 1 GiB (memory: 1 GiB in the front matter)"),
        "\(failure)")
}

@Test func arraysOfStringsAndMatricesAndTuplesDisplayAsReadersExpect() throws {
    let n = try NotebookParser.parse(
        text: """
            ```swift
            ["0.0900", "0.2447"]
            ```

            ```swift
            [Matrix([[1, 2]]), Matrix([[3, 4]])]
            ```

            ```swift
            (loss: 1.0 / 3, weights: Matrix([[0.5, 0.5]]), step: "done")
            ```
            """, path: "notebooks/display.md")
    let run = try executor().run(n)
    #expect(run.cells[0].outputs == [.text("0.0900, 0.2447\n")])
    guard case .grid(let g)? = run.cells[1].outputs.first else {
        Issue.record("no grid: \(run.cells[1].outputs)")
        return
    }
    #expect(g.panels.map(\.values) == [[[1, 2]], [[3, 4]]] && g.panels.map(\.title) == ["[0]", "[1]"])
    #expect(run.cells[2].outputs.count == 3)
    #expect(run.cells[2].outputs.first == .text("loss: 0.333333\n"))
    guard case .matrix(let m)? = run.cells[2].outputs.dropFirst().first else {
        Issue.record("no matrix")
        return
    }
    #expect(m.title == "weights" && m.values == [[0.5, 0.5]])
    #expect(run.cells[2].outputs.last == .text("step: done\n"))
}

@Test func cellsAreClassifiedForHighlightingFromTheRunnersParse() throws {
    let n = try NotebookParser.parse(
        text: "```swift\nlet m: Matrix = .zeros(2, 3) // shape\nprint(\"<b>\", 1.5)\n```\n", path: "notebooks/h.md")
    let program = ProgramGenerator.generate(n)
    let code = Array(n.cells[0].code.utf8)
    let spans = try #require(program.highlights[0])
    let classified = spans.map { (String(decoding: code[$0.start..<$0.start + $0.length], as: UTF8.self), $0.kind) }
    // By hand: the keyword, the type, the numbers, the comment, the string and the argument label.
    #expect(classified.contains { $0 == ("let", .keyword) } && classified.contains { $0 == ("Matrix", .type) })
    #expect(classified.contains { $0 == ("2", .number) } && classified.contains { $0 == ("1.5", .number) })
    #expect(classified.contains { $0.0 == "// shape" && $0.1 == .comment })
    #expect(classified.contains { $0.0.contains("<b>") && $0.1 == .string })
    #expect(!classified.contains { $0.0 == "m" || $0.0 == "print" })  // identifiers stay plain
}

@Test func scatterAndPlotsOfAnArrayOfSeries() throws {
    let n = try NotebookParser.parse(
        text: """
            ```swift
            scatter(series("points", [1, 2, 3], [3, 1, 2]), title: "s", x: "x", y: "y")
            plot((1...2).map { k in series("k = \\(k)", [0, 1], [0, Double(k)]) }, title: "p", x: "x", y: "y")
            ```
            """, path: "notebooks/scatter.md")
    let run = try executor().run(n)
    guard case .linePlot(let s)? = run.cells[0].outputs.first, case .linePlot(let p)? = run.cells[0].outputs.last else {
        Issue.record("\(run.cells[0].outputs)")
        return
    }
    #expect(s.series.map(\.markers) == [true] && s.series[0].y == [3, 1, 2])
    #expect(
        p.series.map(\.name) == ["k = 1", "k = 2"] && p.series.map(\.markers) == [nil, nil] && p.series[1].y == [0, 2])
}

@Test func topLevelTriesAreWrappedSoTheirLineIsKnownAndColumnsMapBack() {
    let code =
        "let y = try f(3)\ndo { try g() } catch {}\nfunc h() throws { try g() }\nlet z = try? f(1)\ntry f(try f(2))\n"
    let (out, insertions) = ProgramGenerator.displayingLastExpression(code, firstLine: 10)
    // Only the uncaught ones: not inside do, a function, or another try; not try?.
    #expect(
        out
            == "let y = try __nbTry(10, f(3))\ndo { try g() } catch {}\nfunc h() throws { try g() }\nlet z = try? f(1)\n"
            + "__nbDisplay(try __nbTry(14, f(try f(2))))\n")
    let p = GeneratedProgram(source: out, insertions: insertions)
    // Line 10: "let y = try __nbTry(10, f(3))": `f` is at column 25 in the program, 13 in the cell;
    // a column inside the inserted text maps to where it was inserted.
    #expect(p.notebookColumn(line: 10, column: 25) == 13)
    #expect(p.notebookColumn(line: 10, column: 17) == 13)
    #expect(p.notebookColumn(line: 10, column: 9) == 9)
    // Line 14: the display and the try both open before `f`; `try f(2)` (column 7 in the cell).
    #expect(p.notebookColumn(line: 14, column: 7 + "__nbDisplay(".utf8.count + "__nbTry(14, ".utf8.count) == 7)
}

@Test func anUncaughtErrorIsLocatedAtItsTry() throws {
    let n = try NotebookParser.parse(
        text: """
            ```swift
            struct Refused: Error {}
            func check(_ x: Int) throws -> Int { if x > 1 { throw Refused() }; return x }
            print(try check(1))
            let ok = try check(0)
            let bad = try check(5)
            print("never")
            ```
            """, path: "notebooks/t.md")
    let run = try executor().run(n)
    let failure = try #require(run.cells[0].failure)
    #expect(run.cells[0].outputs.first == .text("1\n"))
    #expect(failure.line == 6, "\(failure)")
    #expect(
        failure.message.hasPrefix("uncaught error thrown by the 'try' on line 6: notebooks.Refused()"),
        "\(failure.message)")
}

@Test func aTypoGetsASuggestionAndLaterCellsErrorsAreCut() throws {
    let n = try NotebookParser.parse(
        text: """
            ```swift
            let weights = softmaxRow(Matrix([[1, 2]]))
            ```

            ```swift
            let w = MultiHeadAttention(h: 2, dModel: 4)
            let more = undefinedThing + 1
            ```
            """, path: "notebooks/t.md")
    let run = try executor().run(n)
    let shown = run.diagnostics.map(\.formatted)
    #expect(shown.contains { $0.hasPrefix("notebooks/t.md:2:15: error: cannot find 'softmaxRow' in scope") })
    #expect(shown.contains { $0.hasPrefix("notebooks/t.md:2:15: note: did you mean 'softmaxRows'?") }, "\(shown)")
    // The second cell's errors (at least three) are not shown, only counted.
    #expect(!run.diagnostics.contains { $0.line >= 6 }, "\(shown)")
    #expect(shown.contains { $0.contains("more errors in later cells not shown") })
    #expect(run.cells[0].failure?.message.contains("did you mean 'softmaxRows'?") == true)
    #expect(NameSuggestions.distance("softmaxRow", "softmaxRows") == 1 && NameSuggestions.distance("", "abc") == 3)
    #expect(
        NameSuggestions.closest(to: "atention", in: ["attention", "Attention", "mention"]) == [
            "Attention", "attention",
        ])
}

@Test func everyPublicSymbolOfTheKernelAndTheCoreIsDocumented() throws {
    let graphs = try SymbolGraph.kernel(try Toolchain.locate(kernel: buildDirectory), cacheDirectory: nil)
    #expect(Set(graphs.map(\.module.name)) == ["NotebookKernel", "TransformerCore"])
    let listed = graphs.flatMap(\.symbols).filter {
        !$0.isSynthesized && !$0.pathComponents.contains { $0.hasPrefix("__") }
    }
    // The names the lessons use are there, with their doc comments.
    for name in ["softmaxRows", "show", "MultiHeadAttention", "Adam", "valueWithGradient", "plot"] {
        #expect(listed.contains { $0.baseName == name && $0.documentation != nil }, "\(name)")
    }
    let undocumented = listed.filter { ($0.documentation ?? "").allSatisfy(\.isWhitespace) }.map {
        $0.pathComponents.joined(separator: ".")
    }
    #expect(
        undocumented.isEmpty,
        "public symbols without a doc comment (the API reference shows them as undocumented): \(undocumented)")
}
