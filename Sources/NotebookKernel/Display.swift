import NotebookModel

/// Displays the value of a cell's last bare expression. Not for cells: the runner inserts it.
public func __nbDisplay<T>(_ value: T) {
    if let output = autoOutput(value) { Channel.emit(output) }
}

/// An expression of type `Void` displays nothing.
public func __nbDisplay(_ value: Void) {}

/// The output a value displays as: matrices as heatmaps, attention as its maps, numbers as
/// numbers, anything else as its description.
func autoOutput(_ value: Any) -> Output? {
    switch value {
    case let m as Matrix: return .matrix(figure(m))
    case let a as Attention: show(a); return nil
    case let r as MultiHeadResult: show(r); return nil
    case let v as [Double]: return .matrix(figure(Matrix(row: v), scale: ColorScale.none))
    case let rows as [[Double]] where Set(rows.map(\.count)).count <= 1: return .matrix(figure(Matrix(rows)))
    case let s as String: return .text(s + "\n")
    case let optional as OptionalProtocol: return optional.wrapped.map(autoOutput) ?? .text("nil\n")
    default: return .text(String(describing: value) + "\n")
    }
}

private protocol OptionalProtocol { var wrapped: Any? { get } }
extension Optional: OptionalProtocol {
    fileprivate var wrapped: Any? { self.map { $0 as Any } }
}
