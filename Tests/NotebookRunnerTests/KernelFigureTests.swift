import Foundation
import NotebookMarkdown
import NotebookModel
import Testing

@testable import NotebookRunner

@Test func aDiagramsBoxesCarryTheShapesOfTheCellsMatrices() throws {
    let n = try NotebookParser.parse(
        text: """
            ```swift
            let x = Matrix.randomNormal(5, 3, seed: 1)
            let q = x * Matrix.randomNormal(3, 2, seed: 2)
            diagram("flow", [box("X", x, rank: 0, column: 0), box("Q", q, rank: 1, column: 0),
                             box("softmax", rank: 2, column: 0, note: "per row")],
                    arrows: [arrow("X", "Q", "·W_Q"), arrow("Q", "softmax")],
                    groups: [("projection", ["Q"])])
            ```

            ```swift
            diagram("bad", [box("X", rank: 0, column: 0)], arrows: [arrow("X", "Y")])
            ```
            """, path: "notebooks/diagram.md")
    let run = try executor().run(n)
    guard case .diagram(let d)? = run.cells[0].outputs.first else {
        Issue.record("no diagram: \(run.cells[0].outputs)")
        return
    }
    #expect(d.boxes.map { [$0.rows, $0.cols] } == [[5, 3], [5, 2], [nil, nil]])
    #expect(d.arrows == [DiagramArrow(from: "X", to: "Q", label: "·W_Q"), DiagramArrow(from: "Q", to: "softmax")])
    #expect(d.groups == [DiagramGroup(name: "projection", members: ["Q"])])
    let failure = try #require(run.cells[1].failure)
    #expect(
        failure.line == 11 && failure.message.contains("diagram: an arrow joins \"Y\", which is no box"), "\(failure)")
}

@Test func steerableArcsKeepEveryQueryAndStopAtABadShape() throws {
    let n = try NotebookParser.parse(
        text: """
            ```swift
            let tokens = ["a", "b", "c"]
            let x = Matrix.randomNormal(3, 4, seed: 1)
            let a = attention(x, x, x, mask: .causal(3))
            arcs(a.weights, tokens: tokens, query: 2, title: "one head")
            arcs(heads: [a.weights, a.weights.transposed], tokens: tokens, query: 0, title: "two")
            ```

            ```swift
            arcs(heads: [Matrix.zeros(2, 3)], tokens: ["a", "b", "c"], query: 0, title: "bad")
            ```
            """, path: "notebooks/arcs.md")
    let run = try executor().run(n)
    guard run.cells[0].outputs.count == 2, case .arcs(let one) = run.cells[0].outputs[0],
        case .arcs(let two) = run.cells[0].outputs[1]
    else {
        Issue.record("not two arc views: \(run.cells[0].outputs)")
        return
    }
    #expect(one.heads?.count == 1 && one.heads?[0].count == 3 && one.weights == one.heads?[0][2])
    // causal: the last query sees all three keys, its row sums to 1; the first sees only itself
    #expect(abs(one.weights.reduce(0, +) - 1) < 1e-12 && one.heads?[0][0] == [1, 0, 0])
    #expect(two.heads?.count == 2 && two.queryLabel == "a" && two.heads?[1][0] == one.heads?[0].map { $0[0] })
    let failure = try #require(run.cells[1].failure)
    #expect(
        failure.line == 10 && failure.message.contains("arcs: head 0 is 2×3 for 3 tokens (it must be 3×3)"),
        "\(failure)")
}
