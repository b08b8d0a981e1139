import Foundation
import NotebookModel
import Testing

/// A small valid diagram: X on top, Q and K under it, S from both.
let flow = Diagram(
    title: "flow",
    boxes: [
        DiagramBox(name: "X", rows: 3, cols: 4, rank: 0, column: 0.5),
        DiagramBox(name: "Q", rows: 3, cols: 2, note: "X·W_Q", rank: 1, column: 0),
        DiagramBox(name: "K", rows: 3, cols: 2, rank: 1, column: 1),
        DiagramBox(name: "S", rows: 3, cols: 3, rank: 2, column: 0.5),
    ],
    arrows: [
        DiagramArrow(from: "X", to: "Q", label: "·W_Q"), DiagramArrow(from: "X", to: "K"),
        DiagramArrow(from: "Q", to: "S"), DiagramArrow(from: "K", to: "S"),
    ],
    groups: [DiagramGroup(name: "projections", members: ["Q", "K"])])

@Test func aDiagramRoundTripsThroughJSONWithItsKind() throws {
    let outputs: [Output] = [
        .diagram(flow),
        .arcs(
            ArcView(
                title: "t", tokens: ["a", "b"], query: 1, queryLabel: "b", weights: [0.25, 0.75],
                heads: [[[1, 0], [0.25, 0.75]], [[1, 0], [0.5, 0.5]]])),
    ]
    let data = try OutputCoding.encoder().encode(outputs)
    #expect(try OutputCoding.decoder().decode([Output].self, from: data) == outputs)
    #expect(String(decoding: try OutputCoding.encoder().encode(outputs[0]), as: UTF8.self).hasPrefix("{\"arrows\""))
    #expect(outputs.allSatisfy { $0.problem == nil })
    // An arc view recorded before `heads` existed still decodes, with none.
    let old = #"{"kind":"arcs","title":"t","tokens":["a"],"query":0,"queryLabel":"a","weights":[1]}"#
    guard case .arcs(let a) = try OutputCoding.decoder().decode(Output.self, from: Data(old.utf8)) else {
        Issue.record("not arcs")
        return
    }
    #expect(a.heads == nil && a.problem == nil)
}

/// The flow diagram spoilt in the `k`th way, and what its problem must say.
func spoiled(_ k: Int) -> (Diagram, String) {
    var d = flow
    let expected: String
    switch k {
    case 0: (d.boxes[1].name, expected) = ("X", "two boxes are named \"X\"")
    case 1: (d.boxes[1].name, expected) = ("", "a box has no name")
    case 2:
        d.arrows.append(DiagramArrow(from: "Q", to: "Z"))
        expected = "an arrow joins \"Z\", which is no box"
    case 3:
        d.arrows.append(DiagramArrow(from: "S", to: "S"))
        expected = "an arrow from \"S\" to itself"
    case 4: (d.boxes[2].column, expected) = (0, "box \"K\" is at the place of another (rank 1, column 0.0)")
    case 5: (d.boxes[3].rank, expected) = (12, "box \"S\" is at rank 12 (0 to 11)")
    case 6: (d.boxes[3].column, expected) = (.nan, "box \"S\" is at column nan (0 to 5)")
    case 7: (d.boxes[3].column, expected) = (-1, "box \"S\" is at column -1.0 (0 to 5)")
    case 8: (d.boxes[0].cols, expected) = (nil, "box \"X\" has rows or columns but not both")
    case 9: (d.boxes[0].rows, expected) = (-3, "box \"X\" has the shape -3×4")
    case 10:
        d.groups[0].members.append("W")
        expected = "group \"projections\" holds \"W\", which is no box"
    default: (d.groups[0].members, expected) = ([], "group \"projections\" has no boxes")
    }
    return (d, expected)
}

@Test(arguments: 0..<12)
func aBadDiagramSaysWhy(_ k: Int) {
    let (d, expected) = spoiled(k)
    #expect(Output.diagram(d).problem == expected)
}

@Test func arcsWithEveryQueryKeepTheirShapes() {
    let good = ArcView(
        title: "t", tokens: ["a", "b"], query: 0, queryLabel: "a", weights: [1, 0], heads: [[[1, 0], [0.5, 0.5]]])
    #expect(good.problem == nil)
    var bad = good
    bad.heads = [[[1, 0]]]
    #expect(bad.problem == "head 0 has 1 rows for 2 tokens")
    bad.heads = [[[1, 0], [0.5]]]
    #expect(bad.problem == "head 0, row 1 has 1 weights for 2 tokens")
    bad.heads = [[[0.5, 0.5], [0.5, 0.5]]]
    #expect(bad.problem == "the weights are not head 0's row of the query")
    bad.heads = []
    #expect(bad.problem == "0 heads (1 to 6)")
    bad.heads = Array(repeating: [[1, 0], [0.5, 0.5]], count: 7)
    #expect(bad.problem == "7 heads (1 to 6)")
}
