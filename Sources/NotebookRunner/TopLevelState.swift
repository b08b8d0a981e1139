import SwiftSyntax

/// What a cell's top-level code declares and refers to, as checkpoints need it: the stored
/// variables (the state a checkpoint saves), the declarations a resuming program keeps as they
/// are (functions, types, extensions, imports, computed variables, closures), and every name
/// the cell mentions.
///
/// A program resuming after cell k declares the variables of cells 1…k that later code needs with
/// their saved values, keeps those cells' declarations, and drops their statements: their effect
/// is in the saved values.
struct TopLevelState: Sendable, Equatable {
    /// A stored top-level variable.
    struct Variable: Sendable, Equatable {
        var name: String
        /// Its line within the cell's code (1-based).
        var line: Int
        /// `let` or `var`, with the declaration's attributes and modifiers before it.
        var introducer: String
        /// The type written in its declaration, if one was.
        var annotation: String?
        /// Whether it is declared with a value (`let x = …`); one without is never saved.
        var hasValue: Bool
        /// The declaration as written, when it is a `let` whose value is a closure without a
        /// capture list: such a value runs nothing when declared, refers to other globals by name
        /// and is never reassigned, so a resuming program declares it again instead of saving it.
        var verbatim: String?
        /// The names the closure mentions (empty for other variables).
        var verbatimReferences: Set<String> = []
    }

    /// One top-level item of the cell, in order.
    enum Item: Sendable, Equatable {
        /// A declaration kept as written: its text, and its first line within the cell (1-based).
        case kept(String, line: Int)
        /// A stored variable.
        case variable(Variable)
    }

    var items: [Item] = []
    /// The names mentioned in the kept declarations.
    var keptReferences: Set<String> = []
    /// Every identifier the cell mentions.
    var references: Set<String> = []
    /// Why a program cannot resume after this cell, if it cannot: a top-level `guard` (its names
    /// are declared by a statement), `#if`, or a type with a `static var` (state outside the
    /// variables).
    var unsupported: String?

    /// The stored variables, in order.
    var variables: [Variable] {
        items.compactMap {
            if case .variable(let v) = $0 { return v }
            return nil
        }
    }

    /// The state of the cell whose parse is `file`.
    init(_ file: SourceFileSyntax) {
        let converter = SourceLocationConverter(fileName: "cell", tree: file)
        references = Self.identifiers(in: Syntax(file))
        for statement in file.statements {
            switch statement.item {
            case .decl(let decl):
                if let variable = decl.as(VariableDeclSyntax.self) {
                    add(variable, converter)
                } else if decl.is(IfConfigDeclSyntax.self) {
                    unsupported = unsupported ?? "'#if' at the top level"
                } else {
                    if Self.hasStaticStoredVariable(decl) {
                        unsupported = unsupported ?? "a type with a 'static var', whose value no checkpoint holds"
                    }
                    items.append(
                        .kept(
                            decl.trimmedDescription,
                            line: converter.location(for: decl.positionAfterSkippingLeadingTrivia).line))
                    keptReferences.formUnion(Self.identifiers(in: Syntax(decl)))
                }
            case .stmt(let stmt):
                if stmt.is(GuardStmtSyntax.self) {
                    unsupported = unsupported ?? "a top-level 'guard', whose names a statement declares"
                }
            case .expr:
                break
            }
        }
    }

    private mutating func add(_ decl: VariableDeclSyntax, _ converter: SourceLocationConverter) {
        let introducer =
            (decl.attributes.map(\.trimmedDescription) + decl.modifiers.map(\.trimmedDescription)
            + [decl.bindingSpecifier.text]).joined(separator: " ")
        for binding in decl.bindings {
            if binding.accessorBlock != nil {
                // A computed variable runs nothing when declared: keep it.
                let text = "\(introducer) \(binding.trimmedDescription)"
                items.append(
                    .kept(text, line: converter.location(for: binding.positionAfterSkippingLeadingTrivia).line))
                keptReferences.formUnion(Self.identifiers(in: Syntax(binding)))
                continue
            }
            let annotation = binding.typeAnnotation?.type.trimmedDescription
            let value = binding.initializer?.value
            let line = converter.location(for: binding.positionAfterSkippingLeadingTrivia).line
            if let name = binding.pattern.as(IdentifierPatternSyntax.self)?.identifier.text {
                var variable = Variable(
                    name: Self.unquoted(name), line: line, introducer: introducer, annotation: annotation,
                    hasValue: value != nil)
                if decl.bindingSpecifier.text == "let", let closure = value?.as(ClosureExprSyntax.self),
                    closure.signature?.capture == nil
                {
                    variable.verbatim = "\(introducer) \(binding.trimmedDescription)"
                    variable.verbatimReferences = Self.identifiers(in: Syntax(binding))
                }
                items.append(.variable(variable))
            } else {
                // A tuple pattern: each name is its own variable, with the type the program gave it.
                for name in Self.names(in: binding.pattern) {
                    items.append(
                        .variable(
                            Variable(
                                name: name, line: line, introducer: introducer, annotation: nil, hasValue: value != nil)
                        ))
                }
            }
        }
    }

    /// The names a pattern binds (`(a, (b, _))` binds a and b).
    private static func names(in pattern: PatternSyntax) -> [String] {
        if let p = pattern.as(IdentifierPatternSyntax.self) { return [unquoted(p.identifier.text)] }
        if let t = pattern.as(TuplePatternSyntax.self) { return t.elements.flatMap { names(in: $0.pattern) } }
        return []
    }

    private static func unquoted(_ name: String) -> String {
        name.hasPrefix("`") && name.hasSuffix("`") && name.count > 1 ? String(name.dropFirst().dropLast()) : name
    }

    /// Every identifier token under `node` (a superset of the names it refers to).
    private static func identifiers(in node: Syntax) -> Set<String> {
        var names: Set<String> = []
        for token in node.tokens(viewMode: .sourceAccurate) {
            if case .identifier(let text) = token.tokenKind { names.insert(unquoted(text)) }
        }
        return names
    }

    /// Whether a type declaration holds a `static var` (or `class var`) that stores a value.
    private static func hasStaticStoredVariable(_ decl: DeclSyntax) -> Bool {
        final class Finder: SyntaxVisitor {
            var found = false
            override func visit(_ node: VariableDeclSyntax) -> SyntaxVisitorContinueKind {
                let isStatic = node.modifiers.contains { ["static", "class"].contains($0.name.text) }
                if isStatic, node.bindingSpecifier.text == "var",
                    node.bindings.contains(where: { $0.accessorBlock == nil })
                {
                    found = true
                }
                return .skipChildren
            }
            override func visit(_ node: CodeBlockSyntax) -> SyntaxVisitorContinueKind { .skipChildren }
        }
        let finder = Finder(viewMode: .sourceAccurate)
        finder.walk(decl)
        return finder.found
    }
}
