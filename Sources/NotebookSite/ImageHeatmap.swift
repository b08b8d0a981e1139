import NotebookModel

/// A matrix as an image: one pixel per entry in a colour map, inside an SVG with ticks, axis
/// names and a colour bar.
///
/// For matrices too large to read entry by entry (d2l's 40×50 attention of Nadaraya–Watson regression): no numbers, no row cap. The pixels are a PNG in a
/// `data:` URL, so the page stays one offline file.
///
/// `<figure class="plot image"><svg viewBox="0 0 640 …" role="img"><title>…</title><desc>…</desc><image href="data:image/png;base64,…"/>…</svg></figure>`
func renderImage(_ f: MatrixFigure, id: String = "f") -> String {
    let rows = f.values.count, cols = f.values.first?.count ?? 0
    guard rows > 0, cols > 0, f.summarized == nil else { return renderMatrix(f) }
    let scale = f.scale == .none ? ColorScale.viridis : f.scale
    let range = ColorRange([f], fromLowest: scale == .viridis)
    let left = 64.0, plotWidth = 500.0, top = 34.0
    let cellWidth = plotWidth / Double(cols)
    let plotHeight = min(420, max(160, cellWidth * Double(rows)))
    let cellHeight = plotHeight / Double(rows), bottom = top + plotHeight
    var pixels: [UInt8] = []
    pixels.reserveCapacity(rows * cols * 3)
    for (i, row) in f.values.enumerated() {
        for (j, v) in row.enumerated() {
            let c =
                (f.masked?[i][j] ?? false) || !v.isFinite
                ? Colors.RGB(r: 0.6, g: 0.6, b: 0.6) : (range.color(v, scale: scale) ?? Colors.white)
            pixels += [c.r, c.g, c.b].map { UInt8((min(1, max(0, $0)) * 255).rounded()) }
        }
    }
    let png = PNG.rgb(width: cols, height: rows, pixels: pixels)
    var body =
        "<image x=\"\(coordinate(left))\" y=\"\(coordinate(top))\" width=\"\(coordinate(plotWidth))\" height=\"\(coordinate(plotHeight))\" "
        + "preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,\(Base64.encode(png))\"/>"
    body +=
        "<rect class=\"frame\" x=\"\(coordinate(left))\" y=\"\(coordinate(top))\" width=\"\(coordinate(plotWidth))\" height=\"\(coordinate(plotHeight))\" fill=\"none\"/>"
    // Ticks: as many labels as fit, at a round step.
    func step(_ count: Int, room: Double, need: Double) -> Int {
        let fit = max(1, Int(room / need))
        let raw = max(1, Int((Double(count) / Double(fit)).rounded(.up)))
        return [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000].first { $0 >= raw } ?? raw
    }
    let rowLabel = { (i: Int) in f.rowLabels?[i] ?? "\(i)" }, colLabel = { (j: Int) in f.colLabels?[j] ?? "\(j)" }
    let rowStep = step(rows, room: plotHeight, need: 16)
    for i in stride(from: 0, to: rows, by: rowStep) {
        let y = top + (Double(i) + 0.5) * cellHeight
        body +=
            "<text x=\"\(coordinate(left - 6))\" y=\"\(coordinate(y))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(escapeHTML(rowLabel(i)))</text>"
    }
    let widest = (0..<cols).map { textWidth(colLabel($0)) }.max() ?? 12
    let colStep = step(cols, room: plotWidth, need: widest + 10)
    for j in stride(from: 0, to: cols, by: colStep) {
        let x = left + (Double(j) + 0.5) * cellWidth
        body +=
            "<text x=\"\(coordinate(x))\" y=\"\(coordinate(bottom + 16))\" text-anchor=\"middle\">\(escapeHTML(colLabel(j)))</text>"
    }
    if let x = f.xLabel {
        body +=
            "<text class=\"axis-label\" x=\"\(coordinate(left + plotWidth / 2))\" y=\"\(coordinate(bottom + 36))\" text-anchor=\"middle\">\(escapeHTML(x))</text>"
    }
    if let y = f.yLabel {
        body +=
            "<text class=\"axis-label\" transform=\"translate(14 \(coordinate(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escapeHTML(y))</text>"
    }
    // The colour bar: the map from the top (highest) down, three values beside it.
    let barX = left + plotWidth + 18, gradient = "bar-\(id)"
    body +=
        "<defs><linearGradient id=\"\(gradient)\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        + stride(from: 0.0, through: 1.0, by: 0.125).map { t in
            "<stop offset=\"\(coordinate(t))\" stop-color=\"\((range.color(range.low + t * (range.high - range.low), scale: scale) ?? Colors.white).hex)\"/>"
        }.joined() + "</linearGradient></defs>"
    body +=
        "<rect x=\"\(coordinate(barX))\" y=\"\(coordinate(top))\" width=\"12\" height=\"\(coordinate(plotHeight))\" fill=\"url(#\(gradient))\"/>"
    let decimals = NumberFormat.decimals(for: [range.low, range.high, (range.low + range.high) / 2])
    for (t, v) in [(0.0, range.high), (0.5, (range.low + range.high) / 2), (1.0, range.low)] {
        body +=
            "<text x=\"\(coordinate(barX + 16))\" y=\"\(coordinate(top + t * plotHeight))\" dominant-baseline=\"middle\">\(NumberFormat.fixed(v, digits: decimals))</text>"
    }
    let desc =
        "Image heatmap of \(rows)×\(cols) values from \(NumberFormat.fixed(range.low, digits: decimals)) to \(NumberFormat.fixed(range.high, digits: decimals))"
        + (f.yLabel.map { ", rows: \($0)" } ?? "") + (f.xLabel.map { ", columns: \($0)" } ?? "") + "."
    return svgFrame(
        width: 640, height: Int((bottom + (f.xLabel == nil ? 26 : 46)).rounded(.up)), title: f.title ?? "",
        description: desc,
        body: body, kind: "image")
}

/// The smallest PNG writer: 8-bit RGB, no filter, deflate's stored blocks (no compression; the
/// images are small), CRC-32 and Adler-32 as the format asks.
enum PNG {
    static func rgb(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
        var raw: [UInt8] = []
        raw.reserveCapacity((width * 3 + 1) * height)
        for y in 0..<height {
            raw.append(0)
            raw += pixels[(y * width * 3)..<((y + 1) * width * 3)]
        }
        var zlib: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65535, raw.count - offset), final: UInt8 = offset + n == raw.count ? 1 : 0
            zlib += [final, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            zlib += raw[offset..<(offset + n)]
            offset += n
        } while offset < raw.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        zlib += bigEndian((b << 16) | a)
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 2, 0, 0, 0])
        png += chunk("IDAT", zlib)
        png += chunk("IEND", [])
        return png
    }

    private static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        ~bytes.reduce(UInt32.max) { crcTable[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }
}

/// Base64 (RFC 4648, with padding), for `data:` URLs.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            let b0 = UInt32(bytes[i]), b1 = n > 1 ? UInt32(bytes[i + 1]) : 0, b2 = n > 2 ? UInt32(bytes[i + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(v >> 18)])
            out.append(alphabet[Int((v >> 12) & 63)])
            out.append(n > 1 ? alphabet[Int((v >> 6) & 63)] : UInt8(ascii: "="))
            out.append(n > 2 ? alphabet[Int(v & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
