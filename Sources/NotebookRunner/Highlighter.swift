import NotebookModel
internal import SwiftIDEUtils
import SwiftSyntax

/// Classifies a cell's Swift for highlighting with swift-syntax's own classification (what
/// SourceKit-LSP uses), from the parse the program generator makes anyway: a cell costs no
/// second parse, and the spans are cached with the run.
enum Highlighter {
    /// The classified runs of a parsed cell, in order; identifiers, operators and spaces are left plain.
    static func spans(_ tree: SourceFileSyntax) -> [CodeSpan] {
        tree.classifications.compactMap { range in
            guard let kind = kind(range.kind) else { return nil }
            let start = range.range.lowerBound.utf8Offset
            return CodeSpan(start: start, length: range.range.upperBound.utf8Offset - start, kind: kind)
        }
    }

    private static func kind(_ c: SyntaxClassification) -> CodeSpan.Kind? {
        switch c {
        case .keyword: .keyword
        case .type: .type
        case .stringLiteral, .regexLiteral: .string
        case .integerLiteral, .floatLiteral: .number
        case .lineComment, .blockComment, .docLineComment, .docBlockComment: .comment
        case .attribute: .attribute
        case .ifConfigDirective: .directive
        case .argumentLabel: .label
        case .none, .identifier, .dollarIdentifier, .operator, .editorPlaceholder: nil
        @unknown default: nil
        }
    }
}
