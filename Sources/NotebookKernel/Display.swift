import NotebookModel

// swift-format-ignore: AlwaysUseLowerCamelCase
// A hook of the generated program, named so that no cell can collide with it.
/// Displays the value of a cell's last bare expression.
///
/// Not for cells: the runner inserts it.
public func __nbDisplay<T>(_ value: T) {
    if let output = autoOutput(value) { Channel.emit(output) }
}

// swift-format-ignore: AlwaysUseLowerCamelCase
// A hook of the generated program, named so that no cell can collide with it.
/// An expression of type `Void` displays nothing.
public func __nbDisplay(_ value: Void) {}

/// The output a value displays as: matrices as heatmaps, attention as its maps, numbers as
/// numbers, anything else as its description.
func autoOutput(_ value: Any) -> Output? {
    switch value {
    case let m as Matrix: return .matrix(figure(m))
    case let a as Attention:
        show(a)
        return nil
    case let r as MultiHeadResult:
        show(r)
        return nil
    case let v as [Double]: return .matrix(figure(Matrix(row: v), scale: ColorScale.none))
    case let rows as [[Double]] where Set(rows.map(\.count)).count <= 1: return .matrix(figure(Matrix(rows)))
    case let s as String: return .text(s + "\n")
    case let strings as [String]: return .text(strings.joined(separator: ", ") + "\n")
    case let matrices as [Matrix] where !matrices.isEmpty:
        grid(matrices, titles: matrices.indices.map { "[\($0)]" })
        return nil
    case let optional as OptionalProtocol: return optional.wrapped.map(autoOutput) ?? .text("nil\n")
    default:
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .tuple { return tuple(mirror) }
        return .text(String(describing: value) + "\n")
    }
}

/// A tuple's members, one per line, labelled when they have labels: matrices as heatmaps,
/// numbers at six significant digits, text as it is, anything else as its description.
private func tuple(_ mirror: Mirror) -> Output? {
    var lines: [String] = []
    func flush() {
        if !lines.isEmpty {
            Channel.emit(.text(lines.joined(separator: "\n") + "\n"))
            lines = []
        }
    }
    for (i, child) in mirror.children.enumerated() {
        let label = child.label.map { $0.hasPrefix(".") ? String(i) : $0 } ?? String(i)
        switch child.value {
        case let m as Matrix:
            flush()
            Channel.emit(.matrix(figure(m, title: label)))
        case let x as Double: lines.append("\(label): \(NumberFormat.significant(x, digits: 6))")
        case let s as String: lines.append("\(label): \(s)")
        case let v as [Double]:
            lines.append("\(label): " + v.map { NumberFormat.significant($0, digits: 6) }.joined(separator: ", "))
        default: lines.append("\(label): \(String(describing: child.value))")
        }
    }
    flush()
    return nil
}

private protocol OptionalProtocol { var wrapped: Any? { get } }
extension Optional: OptionalProtocol {
    fileprivate var wrapped: Any? { self.map { $0 as Any } }
}
