// A seeded mutation fuzzer for the Markdown → notebook path (cmark-gfm, front matter, cells),
// then for the renderer: COUNT random and adversarial outputs (ArbitraryOutput) drawn on pages.
// Usage: notebook-fuzz COUNT [SEED] [CORPUS_DIR…]. Every input must parse or throw a
// NotebookError, every output must render; a crash is the failure. Deterministic: the same
// seed gives the same inputs.
import Foundation
import NotebookMarkdown
import NotebookModel
import NotebookSite
import TransformerCore

let arguments = CommandLine.arguments
let count = arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000
let seed = arguments.count > 2 ? UInt64(arguments[2]) ?? 1 : 1
var corpus: [[UInt8]] = []
for dir in arguments.dropFirst(3) {
    for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() where name.hasSuffix(".md")
    {
        if let data = FileManager.default.contents(atPath: "\(dir)/\(name)") { corpus.append(Array(data)) }
    }
}
if corpus.isEmpty { corpus = [Array("# t\n\n```swift\nlet x = 1\n```\n".utf8)] }

/// Pieces that exercise the grammar: fences, front matter, tables, footnotes, HTML, options, UTF-8.
let tokens: [[UInt8]] = [
    "```", "```swift", "```swift hide", "```swift expect-error=\"x\"", "~~~", "---\n", "title: ",
    "| a | b |\n|---|---|\n", "[^1]", "[^1]: note\n", "<script>", "</div>", "- [ ] ", "~~x~~", "https://x.y", "\n",
    "    ", "\t", "美女", "\u{0}", "\\", "`", "*", "_", "#", "> ", "1. ", "\r\n", "order: [1\n", "tolerance=abc",
].map { Array($0.utf8) }

var g = SeededGenerator(seed: seed)
var parsed = 0, rejected = 0, cells = 0
let start = Date()
for i in 0..<count {
    var input = corpus[Int(g.next() % UInt64(corpus.count))]
    for _ in 0..<(1 + Int(g.next() % 8)) {
        let at = input.isEmpty ? 0 : Int(g.next() % UInt64(input.count + 1))
        switch g.next() % 5 {
        case 0: input.insert(contentsOf: tokens[Int(g.next() % UInt64(tokens.count))], at: at)
        case 1: if !input.isEmpty { input.remove(at: min(at, input.count - 1)) }
        case 2: if !input.isEmpty { input[min(at, input.count - 1)] = UInt8(truncatingIfNeeded: g.next()) }
        case 3: if at < input.count { input.removeSubrange(at..<min(input.count, at + Int(g.next() % 64))) }
        default:
            if !input.isEmpty {
                let from = Int(g.next() % UInt64(input.count))
                input.insert(contentsOf: input[from..<min(input.count, from + 40)], at: at)
            }
        }
    }
    do {
        let n = try NotebookParser.parse(bytes: input, path: "fuzz/\(i).md")
        parsed += 1
        cells += n.cells.count
    } catch is NotebookError {
        rejected += 1
    }
}
print(
    "\(count) inputs (seed \(seed)): \(parsed) parsed (\(cells) cells), \(rejected) rejected with a located error, 0 crashes, \(String(format: "%.1f", Date().timeIntervalSince(start))) s"
)

// The renderer: pages of 50 outputs each; every output is either drawn or shown as an error.
let renderStart = Date()
let page = try! NotebookParser.parse(text: "# fuzz\n\n```swift\nx\n```\n", path: "fuzz/outputs.md")
var arbitrary = ArbitraryOutput(g: SeededGenerator(seed: seed &+ 1))
var outputs = 0, refused = 0, bytes = 0
for _ in 0..<max(1, count / 50) {
    let batch = (0..<50).map { _ in arbitrary.output() }
    outputs += batch.count
    refused += batch.filter { $0.problem != nil }.count
    let run = NotebookRun(cells: [CellResult(index: 0, outputs: batch)], diagnostics: [], runSeconds: 0)
    bytes += SiteRenderer.render([RenderedNotebook(notebook: page, run: run)]).values.reduce(0) { $0 + $1.utf8.count }
}
print(
    "\(outputs) outputs rendered (\(refused) malformed, shown as errors), \(bytes >> 10) KiB of pages, 0 crashes, \(String(format: "%.1f", Date().timeIntervalSince(renderStart))) s"
)
