import NotebookModel

/// Where a diagram's boxes, arrows and frames go: every column as wide as the widest box, every
/// rank as tall as the tallest, so that boxes of one column line up; arrows between adjacent
/// ranks straight, longer ones down a free column then across, several into one box spread
/// along its edge.
struct DiagramLayout {
    /// A rectangle in SVG units.
    struct Rect {
        var x: Double, y: Double, width: Double, height: Double
        var cx: Double { x + width / 2 }
        var cy: Double { y + height / 2 }
        var bottom: Double { y + height }
        var right: Double { x + width }
    }

    /// The view box.
    let width: Double, height: Double
    /// Each box's rectangle, in the diagram's order.
    let places: [Rect]
    /// Each group's frame.
    let groupFrames: [Rect]
    /// Each arrow's path.
    let routes: [Route]

    static let margin = 8.0, columnGap = 18.0, rankGap = 40.0, padding = 10.0
    static let nameSize = 13.0, shapeSize = 12.0, noteSize = 11.0

    init(_ d: Diagram) {
        let widths = d.boxes.map(Self.boxWidth)
        let boxHeight = d.boxes.contains { $0.note != nil } ? 42.0 : 26.0
        let framed = !d.groups.isEmpty
        let pitch = Self.pitch(d.boxes, widths: widths, gap: Self.columnGap + (framed ? 16 : 0))
        let ranks = (d.boxes.map(\.rank).max() ?? 0) + 1
        let lefts = zip(d.boxes, widths).map { $0.column * pitch - $1 / 2 }
        let rights = zip(d.boxes, widths).map { $0.column * pitch + $1 / 2 }
        let low = lefts.min() ?? 0, high = rights.max() ?? 0
        let side = Self.margin + (framed ? 8 : 0)
        width = max(high - low + 2 * side, min(640, textWidth(d.title, size: 14) + 16))
        let shift = (width - (high - low)) / 2 - low
        let top = 30.0 + (framed ? 18 : 0)
        let rankPitch = boxHeight + Self.rankGap
        let places = zip(lefts, zip(d.boxes, widths)).map { left, box in
            Rect(x: left + shift, y: top + Double(box.0.rank) * rankPitch, width: box.1, height: boxHeight)
        }
        let index = Dictionary(d.boxes.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        groupFrames = d.groups.map { g in
            let rects = g.members.compactMap { index[$0] }.map { places[$0] }
            let x0 = rects.map(\.x).min() ?? 0, x1 = rects.map(\.right).max() ?? 0
            let y0 = rects.map(\.y).min() ?? 0, y1 = rects.map(\.bottom).max() ?? 0
            return Rect(x: x0 - 8, y: y0 - 18, width: x1 - x0 + 16, height: y1 - y0 + 26)
        }
        self.places = places
        routes = Route.all(d, places: places, index: index)
        height = top + Double(ranks) * rankPitch - Self.rankGap + (framed ? 16 : 8)
    }

    /// The distance between columns: as small as lets the boxes of each rank stand `gap` apart.
    static func pitch(_ boxes: [DiagramBox], widths: [Double], gap: Double) -> Double {
        var pitch = 40.0
        for rank in Set(boxes.map(\.rank)) {
            let row = boxes.indices.filter { boxes[$0].rank == rank }.sorted { boxes[$0].column < boxes[$1].column }
            for (a, b) in zip(row, row.dropFirst()) {
                pitch = max(pitch, ((widths[a] + widths[b]) / 2 + gap) / (boxes[b].column - boxes[a].column))
            }
        }
        return pitch
    }

    /// A box wide enough for its name and shape on one line and its note on the next.
    static func boxWidth(_ b: DiagramBox) -> Double {
        let line1 =
            richTextWidth(b.name, size: nameSize * 1.05) + (b.shapeText.map { 5 + textWidth($0, size: shapeSize) } ?? 0)
        let line2 = b.note.map { richTextWidth($0, size: noteSize) } ?? 0
        return max(44, max(line1, line2) + 2 * padding)
    }
}

/// One arrow's polyline, its head and its label.
struct Route {
    var points: [(Double, Double)]
    var label: String?

    /// The arrows of `d`: from the bottom of a box to the top of one below (the top to the
    /// bottom of one above), sideways within a rank; ends into one edge spread along it.
    static func all(_ d: Diagram, places: [DiagramLayout.Rect], index: [String: Int]) -> [Route] {
        // Where each arrow meets its target: arrows into one edge, ordered by where they come from.
        var ends: [Int: Double] = [:]
        let byTarget = Dictionary(grouping: d.arrows.indices) { k in
            let a = d.arrows[k], f = places[index[a.from]!], t = places[index[a.to]!]
            return "\(a.to) \(f.y < t.y ? "top" : f.y > t.y ? "bottom" : "side")"
        }
        for (_, arrows) in byTarget {
            let sorted = arrows.sorted { places[index[d.arrows[$0].from]!].cx < places[index[d.arrows[$1].from]!].cx }
            let t = places[index[d.arrows[sorted[0]].to]!]
            let spread = min(16, t.width / Double(sorted.count + 1))
            for (k, arrow) in sorted.enumerated() {
                ends[arrow] = t.cx + (Double(k) - Double(sorted.count - 1) / 2) * spread
            }
        }
        return d.arrows.indices.map { k in
            let a = d.arrows[k]
            return route(from: index[a.from]!, to: index[a.to]!, endX: ends[k]!, places: places, label: a.label)
        }
    }

    static func route(from f: Int, to t: Int, endX: Double, places: [DiagramLayout.Rect], label: String?) -> Route {
        let a = places[f], b = places[t]
        if a.y == b.y {  // the same rank: side to side
            let right = b.cx > a.cx
            return Route(points: [(right ? a.right : a.x, a.cy), (right ? b.x : b.right, b.cy)], label: label)
        }
        let down = b.y > a.y
        let start = (a.cx, down ? a.bottom : a.y), end = (endX, down ? b.y : b.bottom)
        if Swift.abs(end.1 - start.1) <= DiagramLayout.rankGap + 1 { return Route(points: [start, end], label: label) }
        // Longer: down (up) a column free of boxes, across in the gap next to one end, into it.
        let turn = 16.0 * (down ? 1 : -1)
        let others = places.indices.filter { $0 != f && $0 != t }.map { places[$0] }
        func clear(_ x: Double, _ y0: Double, _ y1: Double) -> Bool {
            !others.contains { r in
                x > r.x - 6 && x < r.right + 6 && max(y0, y1) > r.y && min(y0, y1) < r.bottom
            }
        }
        if clear(start.0, start.1, end.1 - turn) {
            return Route(points: [start, (start.0, end.1 - turn), (end.0, end.1 - turn), end], label: label)
        }
        if clear(end.0, start.1 + turn, end.1) {
            return Route(points: [start, (start.0, start.1 + turn), (end.0, start.1 + turn), end], label: label)
        }
        return Route(points: [start, end], label: label)
    }

    /// `<g class="arrow"><polyline points="…"/><path class="head" d="…"/><text class="edge-label">…</text></g>`:
    /// the line stops short of the head, which ends on the box's edge.
    var svg: String {
        guard points.count >= 2, let last = points.last else { return "" }
        let before = points[points.count - 2]
        let dx = last.0 - before.0, dy = last.1 - before.1, length = max(1e-9, (dx * dx + dy * dy).squareRoot())
        let ux = dx / length, uy = dy / length
        let base = (last.0 - 7 * ux, last.1 - 7 * uy)
        let line =
            points.dropLast().map { "\(coordinate($0.0)),\(coordinate($0.1))" } + [
                "\(coordinate(base.0)),\(coordinate(base.1))"
            ]
        let head =
            "M\(coordinate(last.0)) \(coordinate(last.1)) L\(coordinate(base.0 - 3.5 * uy)) \(coordinate(base.1 + 3.5 * ux)) L\(coordinate(base.0 + 3.5 * uy)) \(coordinate(base.1 - 3.5 * ux))Z"
        var s =
            "<g class=\"arrow\"><polyline points=\"\(line.joined(separator: " "))\"/><path class=\"head\" d=\"\(head)\"/>"
        if let label { s += labelSVG(label) }
        return s + "</g>"
    }

    /// The label beside the arrow's longest segment: right of a vertical or rightward one, left
    /// of a leftward one, above a sideways one.
    func labelSVG(_ label: String) -> String {
        let segments = zip(points, points.dropFirst()).map { ($0, $1) }
        let (p, q) = segments.max { l, r in
            Swift.abs(l.1.1 - l.0.1) + Swift.abs(l.1.0 - l.0.0) < Swift.abs(r.1.1 - r.0.1) + Swift.abs(r.1.0 - r.0.0)
        }!
        let mx = (p.0 + q.0) / 2, my = (p.1 + q.1) / 2
        let sideways = p.1 == q.1, leftward = q.0 < p.0 - 0.5
        let place =
            sideways
            ? "x=\"\(coordinate(mx))\" y=\"\(coordinate(my - 5))\" text-anchor=\"middle\""
            : "x=\"\(coordinate(mx + (leftward ? -5 : 5)))\" y=\"\(coordinate(my + 4))\" text-anchor=\"\(leftward ? "end" : "start")\""
        // The same text twice: a halo in the page's colour under it, so that a line behind stays off the letters.
        let text = richSVGText(label)
        return "<text class=\"edge-halo\" \(place)>\(text)</text><text class=\"edge-label\" \(place)>\(text)</text>"
    }
}
