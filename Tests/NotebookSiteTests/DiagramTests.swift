import Foundation
import NotebookModel
import Testing

@testable import NotebookSite

/// The rectangles, arrow heads and polylines a rendered diagram draws, read back from its SVG.
struct DrawnDiagram {
    var width = 0.0, height = 0.0
    var boxes: [DiagramLayout.Rect] = []
    var heads: [(Double, Double)] = []
    var lines: [[(Double, Double)]] = []

    init(_ html: String) {
        func number(_ name: String, _ attrs: Substring) -> Double {
            let start = attrs.range(of: " \(name)=\"")!
            return Double(attrs[start.upperBound...].prefix { $0 != "\"" })!
        }
        let v = html.firstMatch(of: #/viewBox="0 0 ([0-9.]+) ([0-9.]+)"/#)!
        (width, height) = (Double(v.1)!, Double(v.2)!)
        for m in html.matches(of: #/<g class="box"><rect([^>]*)/>/#) {
            boxes.append(
                .init(
                    x: number("x", m.1), y: number("y", m.1), width: number("width", m.1), height: number("height", m.1)
                ))
        }
        for m in html.matches(of: #/<path class="head" d="M([0-9.-]+) ([0-9.-]+)/#) {
            heads.append((Double(m.1)!, Double(m.2)!))
        }
        for m in html.matches(of: #/<polyline points="([^"]*)"/#) {
            lines.append(
                m.1.split(separator: " ").map { pair in
                    let xy = pair.split(separator: ",").map { Double($0)! }
                    return (xy[0], xy[1])
                })
        }
    }
}

/// Lesson 05's flow, with its shapes: X → Q, K, V → S → A → O.
let headFlow = Diagram(
    title: "one head on sentence 1",
    boxes: [
        DiagramBox(name: "X", rows: 11, cols: 8, rank: 0, column: 1),
        DiagramBox(name: "Q", rows: 11, cols: 8, rank: 1, column: 0),
        DiagramBox(name: "K", rows: 11, cols: 8, rank: 1, column: 1),
        DiagramBox(name: "V", rows: 11, cols: 8, rank: 1, column: 2),
        DiagramBox(name: "S", rows: 11, cols: 11, note: "QK^T / √d_k", rank: 2, column: 0.5),
        DiagramBox(name: "A", rows: 11, cols: 11, note: "softmax per row", rank: 3, column: 0.5),
        DiagramBox(name: "O", rows: 11, cols: 8, note: "A·V", rank: 4, column: 1.25),
    ],
    arrows: [
        DiagramArrow(from: "X", to: "Q", label: "·W_Q"), DiagramArrow(from: "X", to: "K", label: "·W_K"),
        DiagramArrow(from: "X", to: "V", label: "·W_V"), DiagramArrow(from: "Q", to: "S"),
        DiagramArrow(from: "K", to: "S"), DiagramArrow(from: "S", to: "A"), DiagramArrow(from: "A", to: "O"),
        DiagramArrow(from: "V", to: "O"),
    ])

@Test(arguments: [headFlow, flow2])
func diagramBoxesNeitherOverlapNorLeaveAndArrowsEndOnTheirTargets(_ d: Diagram) {
    let drawn = DrawnDiagram(renderDiagram(d))
    #expect(drawn.boxes.count == d.boxes.count && drawn.heads.count == d.arrows.count)
    for (i, a) in drawn.boxes.enumerated() {
        #expect(a.x >= 0 && a.y >= 0 && a.right <= drawn.width && a.bottom <= drawn.height, "\(d.boxes[i].name) leaves")
        for (j, b) in drawn.boxes.enumerated() where j > i {
            let apart = a.right <= b.x || b.right <= a.x || a.bottom <= b.y || b.bottom <= a.y
            #expect(apart, "\(d.boxes[i].name) and \(d.boxes[j].name) overlap")
        }
    }
    let index = Dictionary(uniqueKeysWithValues: d.boxes.enumerated().map { ($1.name, $0) })
    for (k, arrow) in d.arrows.enumerated() {
        let target = drawn.boxes[index[arrow.to]!], (hx, hy) = drawn.heads[k]
        // the head's tip is on the target's border: its top, bottom or a side
        let onEdge =
            (hx >= target.x - 0.5 && hx <= target.right + 0.5
                && (Swift.abs(hy - target.y) < 0.5 || Swift.abs(hy - target.bottom) < 0.5))
            || (hy >= target.y && hy <= target.bottom
                && (Swift.abs(hx - target.x) < 0.5 || Swift.abs(hx - target.right) < 0.5))
        #expect(onEdge, "\(arrow.from) → \(arrow.to) ends at \(hx), \(hy), not on \(target)")
        // and the line crosses no other box
        let ends = [index[arrow.from]!, index[arrow.to]!]
        for (p, q) in zip(drawn.lines[k], drawn.lines[k].dropFirst()) {
            for s in stride(from: 0.0, through: 1, by: 0.05) {
                let x = p.0 + (q.0 - p.0) * s, y = p.1 + (q.1 - p.1) * s
                let crossed = drawn.boxes.indices.filter { !ends.contains($0) }.first { b in
                    let r = drawn.boxes[b]
                    return x > r.x && x < r.right && y > r.y && y < r.bottom
                }
                #expect(crossed == nil, "\(arrow.from) → \(arrow.to) crosses \(crossed.map { d.boxes[$0].name } ?? "")")
            }
        }
    }
}

/// Two columns in frames, a sideways arrow between them and a long one down a column.
let flow2 = Diagram(
    title: "encoder–decoder",
    boxes: [
        DiagramBox(name: "x", rows: 24, cols: 16, note: "source embed + pos", rank: 0, column: 0),
        DiagramBox(name: "M", rows: 24, cols: 16, note: "LN", rank: 2, column: 0),
        DiagramBox(name: "y", rows: 40, cols: 16, rank: 0, column: 1),
        DiagramBox(name: "cross attn", rows: 40, cols: 16, rank: 2, column: 1),
        DiagramBox(name: "logits", rows: 40, cols: 32, rank: 3, column: 1),
    ],
    arrows: [
        DiagramArrow(from: "x", to: "M"), DiagramArrow(from: "y", to: "cross attn"),
        DiagramArrow(from: "M", to: "cross attn", label: "K, V"), DiagramArrow(from: "cross attn", to: "logits"),
    ],
    groups: [DiagramGroup(name: "encoder", members: ["x", "M"]), DiagramGroup(name: "decoder", members: ["y"])])

@Test func lessonFivesFlowFitsAPhoneAtFullSize() {
    // A 390 px phone leaves the figure about 350 px: the diagram is drawn no wider, so its 13-unit
    // names stay at 13 px or more (the figure may grow to 1.25 times its width, never shrink below).
    let drawn = DrawnDiagram(renderDiagram(headFlow))
    #expect(drawn.width <= 350, "\(drawn.width) units wide")
    // Boxes in one column line up: K under X, O between them and V.
    #expect(Swift.abs(drawn.boxes[0].cx - drawn.boxes[2].cx) < 0.01)
    #expect(drawn.boxes[6].cx > drawn.boxes[2].cx && drawn.boxes[6].cx < drawn.boxes[3].cx)
}

@Test func diagramsShowTheirShapesAndSayThemInWords() {
    let html = renderDiagram(headFlow)
    #expect(html.contains("<tspan class=\"name\">S</tspan><tspan class=\"shape\" dx=\"5\">11×11</tspan>"))
    #expect(html.contains("<desc>Data flow. Boxes: X 11×8; Q 11×8; K 11×8; V 11×8; S 11×11 (QK^T / √d_k);"))
    #expect(html.contains("Arrows: X → Q (·W_Q); X → K (·W_K);"))
    #expect(html.contains("<tr><th scope=\"row\">O</th><td>11×8</td><td>A·V</td><td>A, V</td></tr>"))
    #expect(renderOutput(.diagram(headFlow)) == html)
}

@Test func labelsWriteScriptsAsTspans() {
    #expect(richSVGText("W_Q") == "W<tspan class=\"sub\" baseline-shift=\"sub\" font-size=\"75%\">Q</tspan>")
    #expect(richSVGText("K^T") == "K<tspan class=\"sup\" baseline-shift=\"super\" font-size=\"75%\">T</tspan>")
    #expect(richSVGText("d_{model}/2").hasSuffix(">model</tspan>/2"))
    #expect(richSVGText("a_ b <c>") == "a_ b &lt;c&gt;" && richSVGText("x_") == "x_")
    #expect(plainText("d_{model} + W_Q") == "d_model + W_Q")
    #expect(richTextWidth("W_Q", size: 12) == textWidth("W", size: 12) + textWidth("Q", size: 9))
}
