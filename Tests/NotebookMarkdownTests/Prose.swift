import NotebookModel
import Testing

/// The HTML and headings of a prose block; a cell, or no block, is a recorded failure.
func prose(_ block: Block?, sourceLocation: SourceLocation = #_sourceLocation) throws -> (
    html: String, headings: [Heading]
) {
    guard case .prose(let html, let headings) = block else {
        Issue.record("expected a prose block, got \(String(describing: block))", sourceLocation: sourceLocation)
        throw NotProse()
    }
    return (html, headings)
}

private struct NotProse: Error {}
