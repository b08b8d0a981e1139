import NotebookModel
import Testing

@testable import NotebookSite

/// Every `attribute="…"` number of `html`.
private func numbers(_ attribute: String, in html: String) -> [Double] {
    html.components(separatedBy: " \(attribute)=\"").dropFirst().compactMap {
        Double(String($0.prefix { $0 != "\"" }))
    }
}

@Test func aSteerableArcViewIsDrawnAgainInColumnsForAPhone() throws {
    let heads: [[[Double]]] = [
        [[0.5, 0.5, 0], [0, 1, 0], [0.2, 0.3, 0.5]],
        [[1, 0, 0], [0.1, 0.1, 0.8], [0, 0, 1]],
    ]
    let view = ArcView(
        title: "t", tokens: ["a", "bb", "c"], query: 1, queryLabel: "bb", weights: heads[0][1], heads: heads)
    let html = renderOutput(.arcs(view))
    #expect(html.hasPrefix("<div class=\"plot-widths\"><figure class=\"plot wide arcs\""))
    let narrow = try #require(html.components(separatedBy: "<figure class=\"plot narrow arcs\"").last)
    #expect(narrow.contains("viewBox=\"0 0 360 "))
    // One group per query, the cell's query shown; in each, a line per non-zero weight of each
    // head and a note per weight, head by head (the order attention.js reads them in).
    let groups = narrow.components(separatedBy: "<g class=\"arcs-of").dropFirst()
    #expect(groups.count == 3)
    #expect(groups.map { $0.hasPrefix("\" data-query") } == [false, true, false])
    for (q, group) in groups.enumerated() {
        let body = group.components(separatedBy: "</g>")[0]
        let lines = heads.map { $0[q].filter { $0 != 0 }.count }.reduce(0, +)
        #expect(body.components(separatedBy: "<line ").count - 1 == lines)
        let notes = body.components(separatedBy: "class=\"note\"").dropFirst().map {
            String($0.split(separator: ">")[1].prefix { $0 != "<" })
        }
        #expect(notes == heads.flatMap { $0[q].map { NumberFormat.fixed($0, digits: 2) } })
    }
    #expect(narrow.components(separatedBy: "<g class=\"arc-token").count - 1 == 3)
    // Everything inside the 360 units.
    #expect(numbers("x", in: narrow).allSatisfy { $0 >= 0 && $0 <= 360 })
    #expect(numbers("x2", in: narrow).allSatisfy { $0 >= 0 && $0 <= 360 })
}

@Test func oneQuerysArcsStayOneFigure() {
    let view = ArcView(title: "t", tokens: ["a", "b"], query: 0, queryLabel: "a", weights: [0.4, 0.6])
    #expect(!renderOutput(.arcs(view)).contains("plot-widths"))
}
