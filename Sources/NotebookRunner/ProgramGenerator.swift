import NotebookModel
import SwiftParser
import SwiftSyntax

/// One notebook as one Swift program: the cells in order as top-level code, each preceded by a
/// marker call and `#sourceLocation`, so that the compiler and traps name the notebook's lines.
public struct GeneratedProgram: Sendable, Equatable {
    /// The program's source.
    public var source: String
    /// Text the generator inserted into cell lines (`__nbDisplay(`, `__nbTry(LINE, `, `)`), to map
    /// columns back.
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

    /// Maps a column the compiler reported on a notebook line back to the notebook's own column
    /// (a column inside inserted text maps to where it was inserted).
    public func notebookColumn(line: Int, column: Int) -> Int {
        var shift = 0
        for i in insertions.filter({ $0.line == line }).sorted(by: { $0.column < $1.column }) {
            let start = i.column + shift
            if column < start { break }
            if column < start + i.length { return i.column }
            shift += i.length
        }
        return max(1, column - shift)
    }
}

/// Writes the program of a notebook.
public enum ProgramGenerator {
    /// The call that displays a cell's last expression.
    static let displayOpen = "__nbDisplay("

    /// The program for `cells` of `notebook` (by default every cell that is not `skip`).
    ///
    /// After each cell marked `cache` the program saves the top-level variables declared so far
    /// into a checkpoint (when the runner asks for one). Resuming from a checkpoint, the cells up
    /// to it keep only their declarations: the variables the later code needs are declared with
    /// their saved values, outside the notebook's lines, and their statements are not run.
    public static func generate(_ notebook: Notebook, cells: [Cell]? = nil) -> GeneratedProgram {
        generate(notebook, cells: cells, resuming: nil)
    }

    static func generate(_ notebook: Notebook, cells: [Cell]?, resuming: Resumption?) -> GeneratedProgram {
        let chosen = (cells ?? notebook.cells).filter { !$0.options.skip }
        var source = "import NotebookKernel\n__nbStart()\n"
        var insertions: [GeneratedProgram.Insertion] = []
        var highlights: [Int: [CodeSpan]] = [:]
        var declared: [String] = []
        for cell in chosen {
            let parsed = analysis(cell.code)
            let state = parsed.state
            if let resuming, cell.index <= resuming.cell {
                let (code, names) = restoring(state, from: resuming, cell: cell, path: notebook.path)
                source += code
                declared += names
                continue
            }
            let (code, inserted) = displaying(cell.code, firstLine: cell.line, in: parsed.file)
            highlights[cell.index] = parsed.highlights
            insertions += inserted
            source += "__nbBeginCell(\(cell.index))\n"
            source += "#sourceLocation(file: \"\(escape(notebook.path))\", line: \(cell.line))\n"
            source += code
            if !code.hasSuffix("\n") { source += "\n" }
            source += "#sourceLocation()\n"
            declared += state.variables.filter { $0.hasValue && $0.verbatim == nil }.map(\.name)
            if cell.options.cache {
                source += "__nbCheckpointBegin(\(cell.index))\n"
                for name in declared { source += "__nbSave(\"\(name)\", `\(name)`)\n" }
                source += "__nbCheckpointEnd()\n"
            }
        }
        source += "__nbFinish()\n"
        return GeneratedProgram(source: source, insertions: insertions, highlights: highlights)
    }

    /// A cell before the checkpoint being resumed from, as the resuming program has it.
    ///
    /// Its declarations as written, the variables later code needs declared with their saved
    /// values (or a closure declared again), its statements left out; and the names it declares
    /// with a saved value. The declarations keep their notebook lines, so that a trap inside a
    /// function declared there names the line a run from the top names.
    private static func restoring(_ state: TopLevelState, from resuming: Resumption, cell: Cell, path: String) -> (
        String, [String]
    ) {
        var code = ""
        var names: [String] = []
        for item in state.items {
            switch item {
            case .kept(let text, let line):
                code += "#sourceLocation(file: \"\(escape(path))\", line: \(cell.line + line - 1))\n"
                code += text + "\n#sourceLocation()\n"
            case .variable(let v) where resuming.required.contains(v.name):
                if let verbatim = v.verbatim {
                    code += verbatim + "\n"
                } else if let saved = resuming.saved[v.name], let declaration = restoredDeclaration(v, saved) {
                    code += declaration + "\n"
                    names.append(v.name)
                }
            case .variable:
                break
            }
        }
        return (code, names)
    }

    /// A cell's parse, its top-level state and its highlighting.
    struct CellAnalysis: @unchecked Sendable {
        let file: SourceFileSyntax
        let state: TopLevelState
        let highlights: [CodeSpan]
    }

    /// The analyses made in this process, by code, and the cells' displayed code, by line and code.
    ///
    /// A build computes the program of a notebook several times (its keys, the keys of its
    /// checkpoints, the program that runs), and `serve` computes the unchanged cells' again at
    /// every edit. Emptied when large.
    private static let analyses = Locked<[String: CellAnalysis]>([:])
    private static let displayed = Locked<[String: (String, [GeneratedProgram.Insertion])]>([:])
    private static let remembered = 4096

    /// The analysis of `code`, made once.
    static func analysis(_ code: String) -> CellAnalysis {
        if let known = analyses.value[code] { return known }
        let file = Parser.parse(source: code)
        let made = CellAnalysis(file: file, state: TopLevelState(file), highlights: Highlighter.spans(file))
        analyses.update {
            if $0.count >= remembered { $0.removeAll() }
            $0[code] = made
        }
        return made
    }

    /// `displayingLastExpression(_:firstLine:in:)`, made once per code and line.
    private static func displaying(_ code: String, firstLine: Int, in file: SourceFileSyntax) -> (
        String, [GeneratedProgram.Insertion]
    ) {
        let key = "\(firstLine)\n" + code
        if let known = displayed.value[key] { return known }
        let made = displayingLastExpression(code, firstLine: firstLine, in: file)
        displayed.update {
            if $0.count >= remembered { $0.removeAll() }
            $0[key] = made
        }
        return made
    }

    /// The declaration of variable `v` with the value `saved` in the checkpoint; nil when its
    /// saved structure cannot be rebuilt.
    static func restoredDeclaration(_ v: TopLevelState.Variable, _ saved: CheckpointManifest.Saved) -> String? {
        let name = "`\(v.name)`"
        guard saved.structural == true else {
            return "\(v.introducer) \(name): \(v.annotation ?? saved.type) = __nbRestored(\"\(v.name)\")"
        }
        guard let type = RestoredType(saved.type), let stored = type.stored, let rebuilt = type.rebuilding("s") else {
            return nil
        }
        let spelled = v.annotation ?? type.spelled
        return "\(v.introducer) \(name): \(spelled) = __nbRestored(\"\(v.name)\", as: \(stored).self) "
            + "{ (s: \(stored)) -> \(spelled) in \(rebuilt) }"
    }

    /// The cell's code with its last bare expression wrapped in `__nbDisplay(…)` and each
    /// top-level `try` that nothing catches in `__nbTry(LINE, …)` (which names the line if it
    /// throws: the runtime names none for top-level code), in place (no line moves), and the
    /// insertions made.
    ///
    /// Declarations, statements, assignments and code that does not parse are not displayed.
    static func displayingLastExpression(_ code: String, firstLine: Int) -> (String, [GeneratedProgram.Insertion]) {
        displayingLastExpression(code, firstLine: firstLine, in: Parser.parse(source: code))
    }

    /// As `displayingLastExpression(_:firstLine:)`, with the code's parse given.
    static func displayingLastExpression(
        _ code: String, firstLine: Int,
        in file: SourceFileSyntax
    ) -> (String, [GeneratedProgram.Insertion]) {
        guard !file.hasError else { return (code, []) }
        // (byte offset, order at that offset, text): at one offset an inner `)` closes first.
        var edits: [(offset: Int, order: Int, text: String)] = []
        let converter = SourceLocationConverter(fileName: "cell", tree: file)
        for t in UncaughtTries(viewMode: .sourceAccurate).collect(file) {
            let line = firstLine + converter.location(for: t.tryKeyword.positionAfterSkippingLeadingTrivia).line - 1
            edits.append((t.expression.positionAfterSkippingLeadingTrivia.utf8Offset, 1, "\(tryOpen)\(line), "))
            edits.append((t.expression.endPositionBeforeTrailingTrivia.utf8Offset, 0, ")"))
        }
        if let last = file.statements.last, case .expr(let expr) = last.item, isDisplayable(expr) {
            edits.append((expr.positionAfterSkippingLeadingTrivia.utf8Offset, 0, displayOpen))
            edits.append((expr.endPositionBeforeTrailingTrivia.utf8Offset, 1, ")"))
        }
        guard !edits.isEmpty else { return (code, []) }
        edits.sort { ($0.offset, $0.order) < ($1.offset, $1.order) }
        let bytes = Array(code.utf8)
        var out: [UInt8] = []
        var insertions: [GeneratedProgram.Insertion] = []
        var copied = 0
        for edit in edits {
            out += bytes[copied..<edit.offset]
            copied = edit.offset
            out += Array(edit.text.utf8)
            let location = converter.location(for: AbsolutePosition(utf8Offset: edit.offset))
            insertions.append(
                .init(line: firstLine + location.line - 1, column: location.column, length: edit.text.utf8.count))
        }
        out += bytes[copied...]
        return (String(decoding: out, as: UTF8.self), insertions)
    }

    /// The call that names the line of a top-level `try` that throws.
    static let tryOpen = "__nbTry("

    /// The `try` expressions (not `try?`, `try!` or `try await`) whose error nothing in the cell
    /// catches: not inside a `do`, a function, a closure, an accessor, or another such `try`.
    private final class UncaughtTries: SyntaxAnyVisitor {
        private var found: [TryExprSyntax] = []

        func collect(_ file: SourceFileSyntax) -> [TryExprSyntax] {
            walk(file)
            return found
        }

        override func visit(_ node: TryExprSyntax) -> SyntaxVisitorContinueKind {
            guard node.questionOrExclamationMark == nil, !node.expression.is(AwaitExprSyntax.self) else {
                return .visitChildren
            }
            found.append(node)
            return .skipChildren
        }
        /// What catches, or runs later, or runs elsewhere: a `try` inside is not the cell's own.
        private static let scopes: [SyntaxProtocol.Type] = [
            DoStmtSyntax.self, ClosureExprSyntax.self, FunctionDeclSyntax.self, InitializerDeclSyntax.self,
            DeinitializerDeclSyntax.self, SubscriptDeclSyntax.self, AccessorBlockSyntax.self, DeferStmtSyntax.self,
            StructDeclSyntax.self, ClassDeclSyntax.self, EnumDeclSyntax.self, ExtensionDeclSyntax.self,
            ActorDeclSyntax.self,
        ]

        override func visitAny(_ node: Syntax) -> SyntaxVisitorContinueKind {
            Self.scopes.contains { node.is($0) } ? .skipChildren : .visitChildren
        }
    }

    /// Whether an expression statement is worth displaying: not an assignment, not an `if` or
    /// `switch` used as a statement, not a bare closure or macro.
    static func isDisplayable(_ expr: ExprSyntax) -> Bool {
        if expr.is(IfExprSyntax.self) || expr.is(SwitchExprSyntax.self) || expr.is(ClosureExprSyntax.self)
            || expr.is(MacroExpansionExprSyntax.self) || expr.is(DiscardAssignmentExprSyntax.self)
        {
            return false
        }
        let operators: [ExprSyntax]
        if let infix = expr.as(InfixOperatorExprSyntax.self) {
            operators = [infix.operator]
        } else if let sequence = expr.as(SequenceExprSyntax.self) {
            operators = Array(sequence.elements)
        } else {
            operators = []
        }
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
