/// A classified run of a cell's code, for syntax highlighting.
public struct CodeSpan: Sendable, Equatable, Codable {
    /// What the run is; the page's class is `hl-` + the raw value.
    public enum Kind: String, Sendable, Codable {
        case keyword = "kw"
        case type = "ty"
        case string = "str"
        case number = "num"
        case comment = "com"
        case attribute = "attr"
        case directive = "pp"
        case label = "lbl"
    }

    /// UTF-8 offset and length in the cell's code.
    public var start: Int, length: Int
    /// What the run is, and so its colour.
    public var kind: Kind

    public init(start: Int, length: Int, kind: Kind) {
        (self.start, self.length, self.kind) = (start, length, kind)
    }
}
