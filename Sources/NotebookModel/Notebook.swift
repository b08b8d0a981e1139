/// A lesson: its front matter and, in order, its prose and its cells.
public struct Notebook: Sendable, Equatable {
    /// The path as the user named it, relative to the working folder (`notebooks/01-one-hot.md`).
    public var path: String
    /// The YAML front matter.
    public var frontMatter: FrontMatter
    /// Prose and cells, in document order.
    public var blocks: [Block]
    /// Warnings found while reading (an unclosed fence, …).
    public var warnings: [Diagnostic]
    /// The file's lines, to quote under diagnostics.
    public var lines: [String]
    /// The title and description as HTML, their `$…$` formulas as MathML (nil: plain text).
    public var titleHTML: String?, descriptionHTML: String?
    /// The title with its formulas as readable text (`Why W_Q and W_K`), for `<title>` and search.
    public var plainTitle: String?
    /// The text read as sections under the `##` and `###` headings, from cmark's tree (prose as
    /// plain text, formulas readable, cells' code), for the search index.
    public var sections: [ProseSection] = []

    /// A notebook from its parts.
    public init(
        path: String, frontMatter: FrontMatter, blocks: [Block], warnings: [Diagnostic] = [], lines: [String] = []
    ) {
        self.path = path
        self.frontMatter = frontMatter
        self.blocks = blocks
        self.warnings = warnings
        self.lines = lines
    }

    /// The title as HTML, escaped, with its formulas.
    public var displayTitle: String { titleHTML ?? escapeHTML(title) }
    /// The description as HTML, when there is one.
    public var displayDescription: String? { descriptionHTML ?? frontMatter.description.map(escapeHTML) }

    /// The text of 1-based line `n`, when it exists.
    public func line(_ n: Int) -> String? { n >= 1 && n <= lines.count ? lines[n - 1] : nil }

    /// The cell whose code holds line `n` (or the last cell starting before it).
    public func cell(atLine n: Int) -> Cell? { cells.last { $0.line <= n } }

    /// The cells, in order.
    public var cells: [Cell] {
        blocks.compactMap { if case .cell(let c) = $0 { c } else { nil } }
    }

    /// The file name without folder and extension (`01-one-hot`), used for page names.
    public var slug: String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.hasSuffix(".md") ? String(name.dropLast(3)) : name
    }

    /// The title from the front matter, or the slug.
    public var title: String { plainTitle ?? frontMatter.title ?? slug }
}

/// A piece of a notebook: rendered prose, or a cell.
public enum Block: Sendable, Equatable {
    /// Prose already rendered to HTML by cmark-gfm (safe mode), with the headings it holds.
    case prose(html: String, headings: [Heading])
    /// A code cell.
    case cell(Cell)
}

/// The text under one heading (nil: before the first), in reading order.
public struct ProseSection: Sendable, Equatable {
    /// The `##` or `###` heading that opens it.
    public var heading: Heading?
    /// Its plain text: prose, with formulas as readable text (`W_Q`), no TeX.
    public var text: String
    /// The code of its cells and other code blocks: searched, never quoted in a snippet.
    public var code: String
    /// A section.
    public init(heading: Heading?, text: String, code: String = "") {
        self.heading = heading
        self.text = text
        self.code = code
    }
}

/// A heading in the prose, for the page's table of contents.
public struct Heading: Sendable, Equatable, Codable {
    /// The heading's level: 1 for `#`, 2 for `##`, and so on.
    public var level: Int
    /// The heading's text.
    public var text: String
    /// The anchor id given to it on the page.
    public var anchor: String

    public init(level: Int, text: String, anchor: String) {
        self.level = level
        self.text = text
        self.anchor = anchor
    }
}

/// The front matter of a notebook.
public struct FrontMatter: Sendable, Equatable, Codable {
    /// The page title.
    public var title: String?
    /// A one-line description for the index.
    public var description: String?
    /// The position in the course (then the file name).
    public var order: Int?
    /// Tolerance overrides for `notebook check` in every cell of the notebook.
    public var tolerance: Tolerance?
    /// The memory the notebook's program may use (`memory: 8G`), instead of `--memory`.
    public var memory: ByteCount?
    /// The seconds the notebook's program may run (`timeout: 300`), instead of `--timeout`.
    public var timeout: Seconds?
    /// A line under the title (the course's, in `notebooks/index.md`).
    public var subtitle: String?
    /// Who wrote it (the course's, in `notebooks/index.md`).
    public var author: String?
    /// The language of the page's text as a BCP 47 tag (`en`, `zh`); in `notebooks/index.md`, the
    /// course's.
    ///
    /// Chinese runs inside other text are marked `lang="zh"` whatever it is.
    public var language: String?

    /// The keys front matter may have.
    public static let keys = [
        "title", "description", "order", "tolerance", "memory", "timeout", "subtitle", "author", "language",
    ]

    /// Front matter from its fields.
    public init(
        title: String? = nil, description: String? = nil, order: Int? = nil, tolerance: Tolerance? = nil,
        memory: ByteCount? = nil
    ) {
        self.title = title
        self.description = description
        self.order = order
        self.tolerance = tolerance
        self.memory = memory
    }
}

/// A time limit in seconds, as front matter writes it (`timeout: 300`): a positive, finite number.
public struct Seconds: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The seconds.
    public var value: Double

    /// A limit of `value` seconds.
    public init(_ value: Double) { self.value = value }

    /// Reads a positive number; anything else is an error naming what is expected.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let value = try? container.decode(Double.self), value > 0, value.isFinite else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a time limit is a positive number of seconds, e.g. 'timeout: 300'")
        }
        self.value = value
    }

    /// Writes the number.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    /// `300 s`.
    public var description: String { NumberFormat.significant(value, digits: 6) + " s" }
}

/// A fenced `swift` block.
public struct Cell: Sendable, Equatable {
    /// 0-based position among the notebook's cells.
    public var index: Int
    /// The code between the fences.
    public var code: String
    /// The 1-based line of the notebook where the code starts (one below the opening fence).
    public var line: Int
    /// The options from the info string.
    public var options: CellOptions

    public init(index: Int, code: String, line: Int, options: CellOptions = CellOptions()) {
        self.index = index
        self.code = code
        self.line = line
        self.options = options
    }

    /// The 1-based number shown to people (`cell 3`).
    public var number: Int { index + 1 }
}
