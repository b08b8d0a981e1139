import NotebookModel

/// One output as HTML: a small function per case.
///
/// `id` makes the ids inside a figure unique on its page (`c3-2`: cell 3, output 2).
func renderOutput(_ output: Output, expectedError: Bool = false, id: String = "f") -> String {
    if let problem = output.problem {  // the runner turns these into cell errors; a recording may not
        return renderFailure(
            CellFailure(reason: .runtime, message: "this \(output.kind) output cannot be shown: \(problem)"),
            expected: false)
    }
    return switch output {
    case .text(let text): renderText(text)
    case .matrix(let m): m.image == true ? renderImage(m, id: id) : renderMatrix(m)
    case .grid(let g): renderGrid(g)
    case .linePlot(let p): responsive(renderLinePlot(p), renderLinePlot(p, frame: .narrow))
    case .histogram(let h): responsive(renderHistogram(h), renderHistogram(h, frame: .narrow))
    case .bars(let b): responsive(renderBars(b), renderBars(b, frame: .narrow))
    case .vectors(let v): renderVectors(v, id: id)
    case .numberLine(let n): renderNumberLine(n)
    case .arcs(let a): a.heads.map { responsive(renderArcs(a), renderArcColumns(a, heads: $0)) } ?? renderArcs(a)
    case .strip(let s): renderStrip(s)
    case .figures(let g): renderFigures(g, id: id)
    case .diagram(let d): renderDiagram(d)
    case .error(let f): renderFailure(f, expected: expectedError)
    }
}

/// Printed text, each line a ``HangingIndent`` span.
///
/// `<pre class="output-text"><span class="line">hello</span></pre>`
func renderText(_ text: String) -> String {
    "<pre class=\"output-text\">\(HangingIndent.text(text.hasSuffix("\n") ? String(text.dropLast()) : text))</pre>"
}

/// A failure under its cell.
///
/// `<div class="failure runtime" role="alert"><p><strong>runtime error</strong> at line 14</p><pre>Fatal error: …</pre></div>`
func renderFailure(_ f: CellFailure, expected: Bool) -> String {
    let name: String =
        switch f.reason {
        case .compile: "compile error"
        case .runtime: "runtime error"
        case .timeout: "time limit"
        case .notRun: "not run"
        }
    let heading = (expected ? "expected " : "") + name + (f.line.map { " at line \($0)" } ?? "")
    return
        "<div class=\"failure \(f.reason.rawValue)\(expected ? " expected" : "")\"\(expected ? "" : " role=\"alert\"")>"
        + "<p><strong>\(escapeHTML(heading))</strong></p><pre>\(escapeHTML(f.message))</pre></div>"
}
