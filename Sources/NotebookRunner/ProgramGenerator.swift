import NotebookModel
import SwiftParser
import SwiftSyntax

/// One notebook as one Swift program: the cells in order as top-level code, each preceded by a
/// marker call and `#sourceLocation`, so that the compiler and traps name the notebook's lines.
public struct GeneratedProgram: Sendable, Equatable {
    /// The program's source.
    public var source: String
    /// The cells in the program (skipped cells are left out), in order.
    public var cellIndices: [Int]
    /// Text the generator inserted into cell lines (`__nbDisplay(` and `)`), to map columns back.
    public var insertions: [Insertion]
    /// Each cell's code classified for highlighting, from the same parse (by cell index).
    public var highlights: [Int: [CodeSpan]] = [:]

    /// Text inserted at a notebook line and column.
    public struct Insertion: Sendable, Equatable {
        /// The notebook line.
        public var line: Int
        /// The 1-based UTF-8 column where the text was inserted.
        public var column: Int
        /// Its length in UTF-8 bytes.
        public var length: Int
    }

    /// Maps a column the compiler reported on a notebook line back to the notebook's own column.
    public func notebookColumn(line: Int, column: Int) -> Int {
        var shift = 0
        for i in insertions where i.line == line && column > i.column + shift { shift += i.length }
        return max(1, column - shift)
    }
}

/// Writes the program of a notebook.
public enum ProgramGenerator {
    /// The call that displays a cell's last expression.
    static let displayOpen = "__nbDisplay("

    /// The program for `cells` of `notebook` (by default every cell that is not `skip`).
    public static func generate(_ notebook: Notebook, cells: [Cell]? = nil) -> GeneratedProgram {
        let chosen = (cells ?? notebook.cells).filter { !$0.options.skip }
        var source = "import NotebookKernel\n__nbStart()\n"
        var insertions: [GeneratedProgram.Insertion] = []
        var highlights: [Int: [CodeSpan]] = [:]
        for cell in chosen {
            let file = Parser.parse(source: cell.code)
            let (code, inserted) = displayingLastExpression(cell.code, firstLine: cell.line, in: file)
            highlights[cell.index] = Highlighter.spans(file)
            insertions += inserted
            source += "__nbBeginCell(\(cell.index))\n"
            source += "#sourceLocation(file: \"\(escape(notebook.path))\", line: \(cell.line))\n"
            source += code
            if !code.hasSuffix("\n") { source += "\n" }
            source += "#sourceLocation()\n"
        }
        source += "__nbFinish()\n"
        return GeneratedProgram(source: source, cellIndices: chosen.map(\.index), insertions: insertions, highlights: highlights)
    }

    /// The cell's code with its last bare expression wrapped in `__nbDisplay(…)`, in place (no
    /// line moves), and the insertions made. Declarations, statements, assignments and code that
    /// does not parse are left as they are.
    static func displayingLastExpression(_ code: String, firstLine: Int) -> (String, [GeneratedProgram.Insertion]) {
        displayingLastExpression(code, firstLine: firstLine, in: Parser.parse(source: code))
    }

    /// As `displayingLastExpression(_:firstLine:)`, with the code's parse given.
    static func displayingLastExpression(_ code: String, firstLine: Int,
                                         in file: SourceFileSyntax) -> (String, [GeneratedProgram.Insertion]) {
        guard !file.hasError, let last = file.statements.last, case .expr(let expr) = last.item,
              isDisplayable(expr) else { return (code, []) }
        let converter = SourceLocationConverter(fileName: "cell", tree: file)
        let start = expr.positionAfterSkippingLeadingTrivia.utf8Offset
        let end = expr.endPositionBeforeTrailingTrivia.utf8Offset
        var bytes = Array(code.utf8)
        bytes.insert(contentsOf: Array(")".utf8), at: end)
        bytes.insert(contentsOf: Array(displayOpen.utf8), at: start)
        let startLocation = converter.location(for: expr.positionAfterSkippingLeadingTrivia)
        let endLocation = converter.location(for: expr.endPositionBeforeTrailingTrivia)
        return (String(decoding: bytes, as: UTF8.self), [
            .init(line: firstLine + startLocation.line - 1, column: startLocation.column, length: displayOpen.utf8.count),
            .init(line: firstLine + endLocation.line - 1, column: endLocation.column + (startLocation.line == endLocation.line ? displayOpen.utf8.count : 0), length: 1),
        ])
    }

    /// Whether an expression statement is worth displaying: not an assignment, not an `if` or
    /// `switch` used as a statement, not a bare closure or macro.
    static func isDisplayable(_ expr: ExprSyntax) -> Bool {
        if expr.is(IfExprSyntax.self) || expr.is(SwitchExprSyntax.self) || expr.is(ClosureExprSyntax.self)
            || expr.is(MacroExpansionExprSyntax.self) || expr.is(DiscardAssignmentExprSyntax.self) { return false }
        let operators: [ExprSyntax]
        if let infix = expr.as(InfixOperatorExprSyntax.self) { operators = [infix.operator] }
        else if let sequence = expr.as(SequenceExprSyntax.self) { operators = Array(sequence.elements) }
        else { operators = [] }
        return !operators.contains { isAssignment($0) }
    }

    /// `=`, and compound assignments such as `+=` (but not `==`, `<=`, …).
    static func isAssignment(_ e: ExprSyntax) -> Bool {
        if e.is(AssignmentExprSyntax.self) { return true }
        guard let op = e.as(BinaryOperatorExprSyntax.self)?.operator.text else { return false }
        return op.hasSuffix("=") && !["==", "!=", "<=", ">=", "===", "!=="].contains(op)
    }

    /// A string literal's content: backslashes and quotes escaped.
    static func escape(_ s: String) -> String {
        s.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
    }
}
