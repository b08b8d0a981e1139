import NotebookModel
import Testing

@testable import NotebookSite

/// How often `needle` occurs in `html`.
private func count(_ needle: String, in html: String) -> Int {
    html.components(separatedBy: needle).count - 1
}

/// A rows × cols matrix of the values 0, 1, 2 … read row by row.
private func counting(rows: Int, cols: Int, masked: [[Bool]]? = nil) -> MatrixFigure {
    MatrixFigure(
        title: "w", rows: rows, cols: cols,
        values: (0..<rows).map { i in (0..<cols).map { Double(i * cols + $0) } }, masked: masked)
}

@Test func tenColumnsStayOneTable() {
    let html = renderMatrix(counting(rows: 3, cols: 10))
    #expect(!html.contains("matrix-widths"))
    #expect(count("<table", in: html) == 1)
}

@Test func aWideMatrixIsAlsoDrawnAsColouredCellsWithItsNumbersFolded() throws {
    let html = renderMatrix(counting(rows: 3, cols: 12))
    #expect(html.hasPrefix("<div class=\"matrix-widths\"><figure class=\"matrix wide\">"))
    let narrow = try #require(html.components(separatedBy: "<figure class=\"matrix narrow\">").last)
    // One coloured rect per entry, the numbers in a folded plain table, one number per entry.
    #expect(count("<rect style=\"--c:", in: narrow) == 36)
    #expect(narrow.contains("<details class=\"data\"><summary>the numbers</summary>"))
    #expect(count("<td>", in: narrow) == 36)
    for v in [0, 17, 35] { #expect(narrow.contains("<td>\(v)</td>") || narrow.contains("<td>\(v).")) }
    // The same caption and legend as the table's.
    #expect(count("<figcaption>w <span class=\"shape\">3×12</span></figcaption>", in: html) == 2)
    #expect(count("<p class=\"legend\">", in: html) == 2)
}

@Test func theCellsFillTheDrawingsWidthSquare() throws {
    let html = renderMatrix(counting(rows: 4, cols: 20))
    let svg = try #require(html.components(separatedBy: "<svg class=\"cells\"").last)
    let widths = svg.components(separatedBy: "<rect style=").dropFirst().compactMap { rect -> Double? in
        guard let after = rect.components(separatedBy: "width=\"").dropFirst().first else { return nil }
        return Double(String(after.prefix(while: { $0 != "\"" })))
    }
    #expect(widths.count == 80)
    // Row labels "0" … "3" are one digit (7.2 units) and 8 units of margin; 4 units on the right.
    let cell = (NarrowHeatmap.width - 4 - (textWidth("0") + 8)) / 20
    #expect(widths.allSatisfy { abs($0 - cell) < 0.01 })
    #expect(svg.contains("height=\"\(coordinate(cell))\""))
}

@Test func maskedAndCutEntriesOnThePhone() throws {
    var masked = Array(repeating: Array(repeating: false, count: 30), count: 30)
    masked[0][1] = true
    let html = renderMatrix(counting(rows: 30, cols: 30, masked: masked))
    let narrow = try #require(html.components(separatedBy: "<figure class=\"matrix narrow\">").last)
    // 30 is cut to 8 + 8 on each axis: 16 × 16 entries, one of them masked, and the gaps marked.
    #expect(count("<rect style=", in: narrow) + count("<rect class=\"masked\"", in: narrow) == 256)
    #expect(count("<rect class=\"masked\"", in: narrow) == 1)
    #expect(narrow.contains(">…</text>") && narrow.contains(">⋮</text>"))
}

@Test(arguments: [1, 2, 3, 4, 5, 9, 10, 12, 30])
func labelStepsNeverOverlap(need: Int) {
    let cell = 7.5
    let step = NarrowHeatmap.labelStep(cell: cell, need: Double(need))
    #expect(Double(step) * cell >= Double(need))
    #expect([1, 2, 5, 10, 20, 25, 50].contains(step))
}
