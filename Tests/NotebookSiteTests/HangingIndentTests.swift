import NotebookModel
import Testing

@testable import NotebookSite

/// The text a browser shows for `html` (tags dropped, the five entities read back).
private func shownText(_ html: String) -> String {
    var text = "", inTag = false
    for c in html {
        if c == "<" {
            inTag = true
        } else if c == ">" {
            inTag = false
        } else if !inTag {
            text.append(c)
        }
    }
    return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
        .replacingOccurrences(of: "&amp;", with: "&")
}

@Test(arguments: [("x", 0), ("    x", 4), ("\tx", 8), ("  \tx", 8), ("        ", 8), ("", 0)])
func indentationCountsColumns(line: String, columns: Int) {
    #expect(HangingIndent.indent(of: line) == columns)
}

@Test func printedLinesKeepTheirIndentationAndText() {
    let text = "rows:\n    a < b\n\n  last"
    let html = renderText(text + "\n")
    #expect(
        html == "<pre class=\"output-text\"><span class=\"line\">rows:\n</span>"
            + "<span class=\"line\" style=\"padding-left:6ch;text-indent:-6ch\"><span class=\"indent\">    </span>a &lt; b\n</span>"
            + "<span class=\"line\">\n</span><span class=\"line\" style=\"padding-left:4ch;text-indent:-4ch\"><span class=\"indent\">  </span>last</span></pre>"
    )
    #expect(shownText(html) == text)  // what a reader copies is what was printed
}

@Test func highlightedSpansAcrossLinesAreClosedAtEachLine() throws {
    let code = "let a = 1\n/* two\n   lines */\n    f(a)\n"
    let comment = try #require(code.utf8.firstIndex(of: UInt8(ascii: "/")))
    let start = code.utf8.distance(from: code.utf8.startIndex, to: comment)
    let spans = [
        CodeSpan(start: 0, length: 3, kind: .keyword), CodeSpan(start: start, length: 18, kind: .comment),
    ]
    let html = highlightedCode(Cell(index: 0, code: code, line: 1), spans: spans)
    let lines = html.components(separatedBy: "<span class=\"line\"").dropFirst()
    #expect(lines.count == 4)
    for line in lines {  // each line's spans balanced: the line span and its own runs
        #expect(line.components(separatedBy: "<span").count == line.components(separatedBy: "</span>").count - 1)
    }
    #expect(html.contains("<span class=\"hl-com\">/* two</span>\n</span>"))
    let hanging = { (n: Int) in "<span class=\"line\" style=\"padding-left:\(n + 2)ch;text-indent:-\(n + 2)ch\">" }
    #expect(html.contains(hanging(3) + "<span class=\"hl-com\">   lines */</span>"))
    #expect(html.contains(hanging(4) + "<span class=\"indent\">    </span>f(a)</span>"))
    #expect(shownText(html) == String(code.dropLast()))
}
