import NotebookModel

/// A data-flow diagram: boxes on ranks and columns (a box for a matrix square-cornered with its
/// shape, a step rounded), arrows routed around the boxes between, group frames, and the boxes
/// again as a data table.
///
/// `<figure class="plot diagram"><svg viewBox="0 0 296 310" style="max-width:370px" role="img">…</svg><details class="data">…</details></figure>`
func renderDiagram(_ d: Diagram) -> String {
    let layout = DiagramLayout(d)
    var body = ""
    for (g, frame) in zip(d.groups, layout.groupFrames) {
        body +=
            "<g class=\"group\"><rect x=\"\(coordinate(frame.x))\" y=\"\(coordinate(frame.y))\" width=\"\(coordinate(frame.width))\" height=\"\(coordinate(frame.height))\" rx=\"6\"/>"
            + "<text x=\"\(coordinate(frame.x + 6))\" y=\"\(coordinate(frame.y + 12))\">\(richSVGText(g.name))</text></g>"
    }
    for route in layout.routes { body += route.svg }
    for (b, place) in zip(d.boxes, layout.places) {
        let shaped = b.rows != nil
        body +=
            "<g class=\"box\"><rect class=\"\(shaped ? "matrix" : "step")\" x=\"\(coordinate(place.x))\" y=\"\(coordinate(place.y))\" width=\"\(coordinate(place.width))\" height=\"\(coordinate(place.height))\" rx=\"\(shaped ? 2 : 10)\"/>"
        let line1 = b.note == nil ? place.cy + 4.5 : place.y + 17
        body +=
            "<text x=\"\(coordinate(place.cx))\" y=\"\(coordinate(line1))\" text-anchor=\"middle\"><tspan class=\"name\">\(richSVGText(b.name))</tspan>"
            + (b.shapeText.map { "<tspan class=\"shape\" dx=\"5\">\($0)</tspan>" } ?? "") + "</text>"
        if let note = b.note {
            body +=
                "<text class=\"note\" x=\"\(coordinate(place.cx))\" y=\"\(coordinate(line1 + 16))\" text-anchor=\"middle\">\(richSVGText(note))</text>"
        }
        body += "</g>"
    }
    let cut = fitted(d.title, width: layout.width - 8, size: 14)
    let title = cut == d.title ? richSVGText(d.title) : escapeHTML(cut)
    return
        "<figure class=\"plot diagram\"><svg viewBox=\"0 0 \(coordinate(layout.width)) \(coordinate(layout.height))\""
        + " style=\"max-width:\(coordinate(layout.width * 1.25))px\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"
        + "<title>\(escapeHTML(plainText(d.title)))</title><desc>\(escapeHTML(d.description))</desc>"
        + "<text class=\"plot-title\" x=\"\(coordinate(layout.width / 2))\" y=\"18\" text-anchor=\"middle\">\(title)</text>"
        + body + "</svg>" + dataTable(d) + "</figure>"
}

/// The boxes as a table, for reading and searching: name, shape, note, what flows in.
///
/// `<details class="data"><summary>Boxes</summary><table>…<tr><th scope="row">Q</th><td>8×4</td><td>X·W_Q</td><td>X (·W_Q)</td></tr>…</table></details>`
func dataTable(_ d: Diagram) -> String {
    var html =
        "<details class=\"data\"><summary>Boxes</summary><table><caption>\(escapeHTML(d.title))</caption><thead><tr>"
        + "<th scope=\"col\">box</th><th scope=\"col\">shape</th><th scope=\"col\">note</th><th scope=\"col\">from</th></tr></thead><tbody>"
    for b in d.boxes {
        let inputs = d.arrows.filter { $0.to == b.name }.map { a in
            plainText(a.from) + (a.label.map { " (" + plainText($0) + ")" } ?? "")
        }
        html +=
            "<tr><th scope=\"row\">\(escapeHTML(plainText(b.name)))</th><td>\(b.shapeText ?? "")</td>"
            + "<td>\(escapeHTML(b.note.map(plainText) ?? ""))</td><td>\(escapeHTML(inputs.joined(separator: ", ")))</td></tr>"
    }
    return html + "</tbody></table></details>"
}

extension DiagramBox {
    /// `8×4`, or nil for a step.
    var shapeText: String? { rows.flatMap { r in cols.map { "\(r)×\($0)" } } }
}

extension Diagram {
    /// The diagram in words, for its `<desc>`: each box with its shape and note, then each arrow.
    var description: String {
        "Data flow. Boxes: "
            + boxes.map { b in
                plainText(b.name) + (b.shapeText.map { " \($0)" } ?? "")
                    + (b.note.map { " (" + plainText($0) + ")" } ?? "")
            }.joined(separator: "; ") + ". Arrows: "
            + arrows.map { a in
                plainText(a.from) + " → " + plainText(a.to) + (a.label.map { " (" + plainText($0) + ")" } ?? "")
            }.joined(separator: "; ") + "."
    }
}
