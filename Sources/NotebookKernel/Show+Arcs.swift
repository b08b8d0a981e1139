import NotebookModel

/// Draws query `query`'s weights to every token as arcs (line strength = weight).
/// - Precondition: one weight per token.
public func arcs(
    _ weights: [Double], tokens: [String], query: Int, title: String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if weights.count != tokens.count || !tokens.indices.contains(query) {
        fatalError("arcs: \(weights.count) weights for \(tokens.count) tokens, query \(query)", file: file, line: line)
    }
    Channel.emit(
        .arcs(ArcView(title: title, tokens: tokens, query: query, queryLabel: tokens[query], weights: weights)))
}

/// Draws every query's attention weights as arcs, `query`'s on the static page; pointing at or
/// focusing another token there shows where it looks:
/// `arcs(a.weights, tokens: s, query: 0, title: "untrained, sentence 1")`.
/// - Precondition: `weights` is tokens × tokens.
public func arcs(
    _ weights: Matrix, tokens: [String], query: Int, title: String,
    file: StaticString = #fileID, line: UInt = #line
) {
    arcs(heads: [weights], tokens: tokens, query: query, title: title, file: file, line: line)
}

/// Draws several heads' attention weights as arcs, one colour per head, as BertViz's head view does.
///
/// `arcs(heads: r.heads.map(\.weights), tokens: s, query: 0, title: "trained")`: the page shows
/// `query`'s arcs; pointing at or focusing another token shows its arcs in every head.
/// - Precondition: 1 to 6 heads, each tokens × tokens.
public func arcs(
    heads: [Matrix], tokens: [String], query: Int, title: String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if !(1...ArcView.maxHeads).contains(heads.count) {
        fatalError("arcs: \(heads.count) heads (1 to \(ArcView.maxHeads))", file: file, line: line)
    }
    for (h, m) in heads.enumerated() where m.rows != tokens.count || m.cols != tokens.count {
        fatalError(
            "arcs: head \(h) is \(m.shapeDescription) for \(tokens.count) tokens (it must be \(tokens.count)×\(tokens.count))",
            file: file, line: line)
    }
    if !tokens.indices.contains(query) {
        fatalError("arcs: query \(query) is not one of the \(tokens.count) tokens", file: file, line: line)
    }
    let rows = heads.map(\.rowArrays)
    Channel.emit(
        .arcs(
            ArcView(
                title: title, tokens: tokens, query: query, queryLabel: tokens[query], weights: rows[0][query],
                heads: rows)))
}
