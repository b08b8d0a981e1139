import NotebookModel

/// A number for SVG coordinates: at most two decimals, trailing zeros dropped.
func coordinate(_ v: Double) -> String {
    var text = NumberFormat.fixed(v, digits: 2)
    while text.contains("."), text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text == "-0" ? "0" : text
}
