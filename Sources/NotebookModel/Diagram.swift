/// A data-flow diagram: labelled boxes placed on ranks (rows, top to bottom) and columns, arrows
/// between them, and named frames around groups of boxes; the renderer lays it out.
///
/// A box that stands for a matrix carries that matrix's shape, taken from the matrix by the
/// kernel, never typed (`Q 8×4`).
public struct Diagram: Sendable, Equatable, Codable {
    /// The caption drawn above the diagram.
    public var title: String
    /// The boxes; their names are unique.
    public var boxes: [DiagramBox]
    /// The arrows, by box name.
    public var arrows: [DiagramArrow]
    /// Frames around sets of boxes (encoder, decoder).
    public var groups: [DiagramGroup]

    /// The most ranks and columns a diagram may have (it has to fit a page).
    public static let maxRanks = 12, maxColumns = 6

    /// A diagram.
    public init(title: String, boxes: [DiagramBox], arrows: [DiagramArrow], groups: [DiagramGroup] = []) {
        (self.title, self.boxes, self.arrows, self.groups) = (title, boxes, arrows, groups)
    }
}

/// A box of a diagram: a name, the shape of the matrix it stands for, a note, a place.
public struct DiagramBox: Sendable, Equatable, Codable {
    /// The name drawn in the box (`Q`, `softmax`), by which arrows refer to it.
    ///
    /// `_x` and `^x` write a sub- or superscript (`W_Q`, `K^T`, `d_{model}`).
    public var name: String
    /// The shape of the matrix the box stands for, or nil for a step that is not one matrix.
    public var rows: Int?, cols: Int?
    /// A second line (`X·W_Q`), or nil.
    public var note: String?
    /// The row of the diagram, 0 at the top.
    public var rank: Int
    /// The place across, 0 at the left; halves and other fractions fall between columns.
    public var column: Double

    /// A box.
    public init(name: String, rows: Int? = nil, cols: Int? = nil, note: String? = nil, rank: Int, column: Double) {
        (self.name, self.rows, self.cols, self.note, self.rank, self.column) = (name, rows, cols, note, rank, column)
    }
}

/// An arrow from one box to another, by name, with an optional label beside it.
public struct DiagramArrow: Sendable, Equatable, Codable {
    /// The names of the boxes it joins.
    public var from: String, to: String
    /// Written beside the arrow (`·W_Q`), or nil.
    public var label: String?

    /// An arrow.
    public init(from: String, to: String, label: String? = nil) {
        (self.from, self.to, self.label) = (from, to, label)
    }
}

/// A named frame drawn around some boxes.
public struct DiagramGroup: Sendable, Equatable, Codable {
    /// The frame's label.
    public var name: String
    /// The names of the boxes inside it.
    public var members: [String]

    /// A group.
    public init(name: String, members: [String]) {
        self.name = name
        self.members = members
    }
}

extension Diagram {
    /// Why this diagram cannot be drawn, or nil: names unique and known, places on the page and
    /// not shared, shapes whole and not negative.
    public var problem: String? {
        var names = Set<String>(), places = Set<String>()
        for b in boxes {
            if b.name.isEmpty { return "a box has no name" }
            if !names.insert(b.name).inserted { return "two boxes are named \"\(b.name)\"" }
            if !(0..<Diagram.maxRanks).contains(b.rank) {
                return "box \"\(b.name)\" is at rank \(b.rank) (0 to \(Diagram.maxRanks - 1))"
            }
            if !b.column.isFinite || b.column < 0 || b.column > Double(Diagram.maxColumns - 1) {
                return "box \"\(b.name)\" is at column \(b.column) (0 to \(Diagram.maxColumns - 1))"
            }
            if !places.insert("\(b.rank) \(b.column)").inserted {
                return "box \"\(b.name)\" is at the place of another (rank \(b.rank), column \(b.column))"
            }
            if (b.rows == nil) != (b.cols == nil) { return "box \"\(b.name)\" has rows or columns but not both" }
            if let r = b.rows, let c = b.cols, r < 0 || c < 0 { return "box \"\(b.name)\" has the shape \(r)×\(c)" }
        }
        for a in arrows {
            for end in [a.from, a.to] where !names.contains(end) { return "an arrow joins \"\(end)\", which is no box" }
            if a.from == a.to { return "an arrow from \"\(a.from)\" to itself" }
        }
        for g in groups {
            if g.members.isEmpty { return "group \"\(g.name)\" has no boxes" }
            if let unknown = g.members.first(where: { !names.contains($0) }) {
                return "group \"\(g.name)\" holds \"\(unknown)\", which is no box"
            }
        }
        return nil
    }
}
