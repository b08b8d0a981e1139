import NotebookModel

/// A box of a `diagram`: a name, the shape of the matrix it stands for, a note, a place.
public typealias DiagramBox = NotebookModel.DiagramBox
/// An arrow of a `diagram`, from one box to another by name.
public typealias DiagramArrow = NotebookModel.DiagramArrow

/// A box that stands for the matrix `m`, drawn with `m`'s shape: `box("Q", Q, rank: 1, column: 0)`
/// draws `Q 8×4` in the second row of the diagram, first column.
///
/// `_` and `^` in a name or note write a sub- or superscript (`W_Q`, `K^T`, `d_{model}`).
public func box(_ name: String, _ m: Matrix, rank: Int, column: Double, note: String? = nil) -> DiagramBox {
    DiagramBox(name: name, rows: m.rows, cols: m.cols, note: note, rank: rank, column: column)
}

/// A box for a step that is not one matrix (a softmax, a layer): `box("FFN", rank: 3, column: 1)`.
public func box(_ name: String, rank: Int, column: Double, note: String? = nil) -> DiagramBox {
    DiagramBox(name: name, note: note, rank: rank, column: column)
}

/// An arrow from box `from` to box `to`, by their names, with a label beside it:
/// `arrow("X", "Q", "·W_Q")`.
public func arrow(_ from: String, _ to: String, _ label: String? = nil) -> DiagramArrow {
    DiagramArrow(from: from, to: to, label: label)
}

/// Draws a data-flow diagram of boxes and arrows, laid out by the page.
///
/// Boxes stand on ranks (rows, 0 at the top) and columns (halves fall between); named frames
/// go around groups of boxes:
/// ```swift
/// diagram("self-attention", [box("X", X, rank: 0, column: 1), box("Q", q, rank: 1, column: 0)],
///         arrows: [arrow("X", "Q", "·W_Q")])
/// ```
/// - Precondition: names unique and not empty, every arrow and group member a box, one box to a
///   place, ranks 0 to 11 and columns 0 to 5.
public func diagram(
    _ title: String, _ boxes: [DiagramBox], arrows: [DiagramArrow], groups: [(String, [String])] = [],
    file: StaticString = #fileID, line: UInt = #line
) {
    let d = Diagram(
        title: title, boxes: boxes, arrows: arrows, groups: groups.map { DiagramGroup(name: $0.0, members: $0.1) })
    if let problem = d.problem { fatalError("diagram: \(problem)", file: file, line: line) }
    Channel.emit(.diagram(d))
}
