import NotebookModel

/// The API reference (`api.html`): every public symbol a cell can call, from the kernel's and the
/// core's symbol graphs, grouped by topic, each with its declaration and its documentation.
public struct APIReference: Sendable, Equatable {
    /// One documented declaration and, for a type, its members.
    public struct Entry: Sendable, Equatable {
        /// The page anchor (`api-Matrix.softmaxRows`).
        public var anchor: String
        /// `Matrix.softmaxRows(_:)`.
        public var title: String
        /// `softmaxRows(_:)`: the title without the type it belongs to.
        public var name: String
        /// The symbol's kind, as in `Structure` or `Instance Method`.
        public var kind: String
        /// The declaration as the compiler prints it, in highlighted runs, without the
        /// `file:`/`line:` parameters that only locate errors at the caller.
        public var declaration: [SymbolGraph.Symbol.Fragment]
        /// The doc comment's first paragraph as plain text (for search); empty when undocumented.
        public var summary: String
        /// The doc comment as HTML.
        public var documentation: String
        /// A type's members, initializers first.
        public var members: [Entry]

        /// This entry and its members, theirs included.
        var count: Int { members.reduce(1) { $0 + $1.count } }
        /// This entry and its members, theirs included, in page order.
        var all: [Entry] { [self] + members.flatMap(\.all) }
    }

    /// A group of entries under one heading.
    public struct Topic: Sendable, Equatable {
        public var title: String
        public var entries: [Entry]
    }

    /// The topics in reading order.
    public var topics: [Topic]
    /// The titles of symbols without a doc comment.
    public var undocumented: [String]

    /// The number of symbols listed, members included.
    public var count: Int { topics.flatMap(\.entries).reduce(0) { $0 + $1.count } }

    /// Topics by source file of the core and the kernel; a file not named here gets a topic of its own name.
    static let topicOfFile: [(topic: String, files: [String])] = [
        (
            "Matrices",
            [
                "Matrix.swift", "Matrix+Arithmetic.swift", "Matrix+Functions.swift", "Matrix+Reductions.swift",
                "Matrix+Slicing.swift", "Math.swift", "SeededGenerator.swift",
            ]
        ),
        ("Softmax and similarity", ["Softmax.swift", "Similarity.swift"]),
        (
            "Attention",
            [
                "Attention.swift", "BatchedAttention.swift", "AdditiveAttention.swift", "Mask.swift",
                "MultiHeadAttention.swift",
            ]
        ),
        (
            "Layers and models",
            [
                "Layer.swift", "Layer+Mode.swift", "Linear.swift", "LayerNorm.swift", "Dropout.swift", "Block.swift",
                "TinyEncoder.swift", "Seq2Seq.swift",
            ]
        ),
        ("Training", ["Tape.swift", "Losses.swift", "Optimizers.swift"]),
        ("Data and tasks", ["Tasks.swift", "Tokenizer.swift"]),
        ("Showing results", ["Show.swift", "Display.swift", "Figure+Matrix.swift", "Kernel.swift"]),
    ]

    /// The reference of `graphs`; `markdown` renders a doc comment to HTML.
    public init(_ graphs: [SymbolGraph], markdown: (String) -> String) {
        var symbols: [String: SymbolGraph.Symbol] = [:]
        var members: [String: [String]] = [:]  // parent id → member ids
        var parentOf: [String: String] = [:]
        for graph in graphs {
            for s in graph.symbols where !s.isSynthesized && !s.pathComponents.contains(where: { $0.hasPrefix("__") }) {
                symbols[s.identifier.precise] = s
            }
            for r in graph.relationships where r.kind == "memberOf" { parentOf[r.source] = r.target }
        }
        // Members of a type of another module (an extension of Array) hang under that type's name.
        var foreign: [String: SymbolGraph.Symbol] = [:]
        for (id, s) in symbols {
            guard let parent = parentOf[id] else { continue }
            if symbols[parent] == nil, s.pathComponents.count > 1 {
                let name = s.pathComponents[0]
                foreign[parent] =
                    foreign[parent]
                    ?? SymbolGraph.Symbol(
                        kind: .init(identifier: "swift.extension", displayName: "Extension"),
                        identifier: .init(precise: parent),
                        pathComponents: [name], names: .init(title: name),
                        declarationFragments: [
                            .init(kind: "keyword", spelling: "extension"), .init(kind: "text", spelling: " "),
                            .init(kind: "typeIdentifier", spelling: name),
                        ],
                        docComment: nil, location: s.location)
            }
            members[parent, default: []].append(id)
        }
        for (id, s) in foreign { symbols[id] = s }
        var anchors = Set<String>()
        func anchor(_ s: SymbolGraph.Symbol) -> String {
            let base = "api-" + s.pathComponents.map { String($0.prefix { $0 != "(" }) }.joined(separator: ".")
            var name = base, k = 2
            while anchors.contains(name) {
                name = base + "-\(k)"
                k += 1
            }
            anchors.insert(name)
            return name
        }
        var undocumented: [String] = []
        func entry(_ id: String) -> Entry {
            let s = symbols[id]!
            let path = s.pathComponents.map { $0.replacing("file:line:)", with: ")") }
            let title = path.joined(separator: ".")
            let doc = String(
                (s.documentation ?? "").drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
            if doc.isEmpty && s.kind.identifier != "swift.extension" { undocumented.append(title) }
            let children = (members[id] ?? []).sorted {
                (Self.rank(symbols[$0]!), symbols[$0]!.names.title, $0) < (
                    Self.rank(symbols[$1]!), symbols[$1]!.names.title, $1
                )
            }
            return Entry(
                anchor: anchor(s), title: title, name: path.last ?? title, kind: s.kind.displayName,
                declaration: Self.withoutCallerLocation(s.declarationFragments ?? []),
                summary: doc.split(separator: "\n\n", maxSplits: 1).first.map {
                    $0.split(separator: "\n").joined(separator: " ")
                } ?? "",
                documentation: doc.isEmpty ? "" : Self.labelledCallouts(markdown(doc)), members: children.map(entry))
        }
        let roots = symbols.filter { parentOf[$0.key].map { symbols[$0] == nil } ?? true }
        var byTopic: [String: [(SymbolGraph.Symbol, String)]] = [:]
        for (id, s) in roots {
            let file = s.location.map { String($0.uri.split(separator: "/").last ?? "") } ?? ""
            let topic =
                Self.topicOfFile.first { $0.files.contains(file) }?.topic
                ?? (file.isEmpty ? "Other" : String(file.prefix { $0 != "." }))
            byTopic[topic, default: []].append((s, id))
        }
        let order = Self.topicOfFile.map(\.topic)
        topics = byTopic.keys.sorted {
            (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1)
        }.map { title in
            Topic(
                title: title,
                entries: byTopic[title]!.sorted {
                    (Self.rank($0.0), $0.0.names.title, $0.1) < (Self.rank($1.0), $1.0.names.title, $1.1)
                }
                .map { entry($0.1) })
        }
        self.undocumented = undocumented.sorted()
    }

    /// Types first, then initializers, properties, methods, type members and operators.
    static func rank(_ s: SymbolGraph.Symbol) -> Int {
        [
            "swift.protocol": 0, "swift.struct": 0, "swift.class": 0, "swift.enum": 0, "swift.extension": 0,
            "swift.typealias": 1,
            "swift.enum.case": 2, "swift.init": 3, "swift.property": 4, "swift.subscript": 5, "swift.method": 6,
            "swift.func": 6,
            "swift.type.property": 7, "swift.type.method": 8, "swift.func.op": 9,
        ][s.kind.identifier] ?? 10
    }

    /// The declaration without `file: StaticString = #fileID` and `line: UInt = #line`.
    static func withoutCallerLocation(_ fragments: [SymbolGraph.Symbol.Fragment]) -> [SymbolGraph.Symbol.Fragment] {
        var out: [SymbolGraph.Symbol.Fragment] = []
        var i = 0
        while i < fragments.count {
            let f = fragments[i]
            if f.kind == "externalParam", ["file", "line"].contains(f.spelling), i + 2 < fragments.count,
                ["StaticString", "UInt"].contains(fragments[i + 2].spelling), let last = out.last, last.kind == "text",
                last.spelling.hasSuffix(", ")
            {
                out[out.count - 1].spelling.removeLast(2)
                if out[out.count - 1].spelling.isEmpty { out.removeLast() }
                // Skip to the text that closes the parameter (`, ` or `)`), keeping what follows the comma.
                i += 1
                while i < fragments.count {
                    let t = fragments[i]
                    if t.kind == "text", let cut = t.spelling.firstIndex(where: { $0 == "," || $0 == ")" }) {
                        out.append(.init(kind: "text", spelling: String(t.spelling[cut...])))
                        break
                    }
                    i += 1
                }
                i += 1
                continue
            }
            out.append(f)
            i += 1
        }
        return out.filter { !$0.spelling.isEmpty }
    }

    /// `<li>Precondition: …` → `<li><strong>Precondition:</strong> …` (Swift's doc callouts).
    static func labelledCallouts(_ html: String) -> String {
        var out = html
        for label in [
            "Parameters", "Parameter", "Returns", "Throws", "Precondition", "Note", "Complexity", "Important",
            "Warning", "Example",
        ] {
            out = out.replacing("<li>\(label):", with: "<li><strong>\(label):</strong>")
                .replacing("<li>\n<p>\(label):", with: "<li>\n<p><strong>\(label):</strong>")
        }
        return out
    }

    /// The declaration as highlighted HTML (the classes the cells' code uses), its parameters one
    /// to a line when it is longer than a phone's column holds (`signatureWidth` characters).
    static func declarationHTML(_ fragments: [SymbolGraph.Symbol.Fragment]) -> String {
        brokenSignature(fragments).map { f in
            let text = escapeHTML(f.spelling)
            switch f.kind {
            case "keyword": return "<span class=\"hl-kw\">\(text)</span>"
            case "typeIdentifier": return "<span class=\"hl-ty\">\(text)</span>"
            case "externalParam": return "<span class=\"hl-lbl\">\(text)</span>"
            case "attribute": return "<span class=\"hl-attr\">\(text)</span>"
            case "number": return "<span class=\"hl-num\">\(text)</span>"
            case "string": return "<span class=\"hl-str\">\(text)</span>"
            case "identifier": return "<strong>\(text)</strong>"
            default: return text
            }
        }.joined()
    }

    /// About the characters of code a 390 px phone's column shows on one line.
    static let signatureWidth = 40

    /// A declaration longer than `signatureWidth` with its first parameter list one to a line.
    ///
    /// As swift-format writes a long one: `func attention(\n    _ q: Matrix,\n    _ k: Matrix\n) -> Matrix`.
    /// Commas inside brackets and nested parentheses (default values, closure types) stay.
    static func brokenSignature(_ fragments: [SymbolGraph.Symbol.Fragment]) -> [SymbolGraph.Symbol.Fragment] {
        guard fragments.reduce(0, { $0 + $1.spelling.count }) > signatureWidth else { return fragments }
        var depth = 0, done = false
        return fragments.map { f in
            guard f.kind == "text", !done else { return f }
            var out = ""
            for c in f.spelling {
                if done {
                    out.append(c)
                    continue
                }
                switch c {
                case "(", "[":
                    depth += 1
                    out.append(c)
                    if depth == 1 && c == "(" { out += "\n    " }
                case ")", "]":
                    if depth == 1 && c == ")" {
                        while out.hasSuffix(" ") { out.removeLast() }
                        out += "\n"
                        done = true
                    }
                    depth -= 1
                    out.append(c)
                case " " where depth == 1 && out.hasSuffix(","): out += "\n    "
                default: out.append(c)
                }
            }
            return SymbolGraph.Symbol.Fragment(kind: f.kind, spelling: out)
        }
    }

    /// The documents the search index holds for the page: one per entry and member.
    var searchDocuments: [SearchIndex.Document] {
        topics.flatMap(\.entries).flatMap { e in
            e.all.map { m in
                SearchIndex.Document(
                    page: APIPage.name, anchor: m.anchor, title: "API › \(m.title)",
                    text: SearchIndex.plainText(m.documentation),
                    code: m.title + " " + m.declaration.map(\.spelling).joined(), api: true)
            }
        }
    }
}

/// The page of the API reference.
struct APIPage {
    static let name = "api.html"
    let reference: APIReference
    let lessons: [Notebook]
    var course = Course()

    var html: String {
        var body = NotebookPage.sidebar(lessons, current: nil, api: true, course: course)
        body += "<main id=\"content\"><article class=\"api\"><header><h1>API reference</h1>"
        body +=
            "<p class=\"description\">Every public symbol a cell can call: the transformer core and the notebook kernel, "
            + "\(reference.count) symbols, from the compiler's own symbol graph. Functions that check shapes also take "
            + "<code>file:</code> and <code>line:</code> (defaults), so a bad call is reported at the caller's line; they are not shown.</p></header>"
        body +=
            "<nav class=\"toc\" aria-label=\"contents\"><p>Contents</p><ul>"
            + reference.topics.map {
                "<li class=\"level2\"><a href=\"#\(topicAnchor($0.title))\">\(escapeHTML($0.title))</a></li>"
            }.joined()
            + "</ul></nav>"
        for topic in reference.topics {
            body += "<h2 id=\"\(topicAnchor(topic.title))\">\(escapeHTML(topic.title))</h2>"
            for entry in topic.entries { body += section(entry, level: 3) }
        }
        body += "</article></main>"
        return SiteRenderer.document(title: "API reference · \(course.title)", body: body, course: course)
    }

    func topicAnchor(_ title: String) -> String {
        "topic-" + title.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }

    func section(_ e: APIReference.Entry, level: Int) -> String {
        var s = "<section class=\"symbol\" id=\"\(escapeHTML(e.anchor))\">"
        s +=
            "<h\(level)><a class=\"self-link\" href=\"#\(escapeHTML(e.anchor))\">\(breakable(level == 3 ? e.title : e.name))</a> <span class=\"kind\">\(escapeHTML(e.kind))</span></h\(level)>"
        if !e.declaration.isEmpty {
            s += "<pre class=\"declaration\"><code>\(APIReference.declarationHTML(e.declaration))</code></pre>"
        }
        s +=
            e.documentation.isEmpty
            ? "<p class=\"undocumented\">No documentation.</p>" : "<div class=\"doc\">\(e.documentation)</div>"
        if !e.members.isEmpty {
            s += "<div class=\"members\">" + e.members.map { section($0, level: min(level + 1, 6)) }.joined() + "</div>"
        }
        return s + "</section>"
    }
}

/// A symbol's name, escaped, with a break allowed after `(` and each `:`, so that
/// `callAsFunction(queries:keys:values:sequences:validLengths:)` wraps on a phone.
func breakable(_ name: String) -> String {
    escapeHTML(name).replacing("(", with: "(<wbr>").replacing(":", with: ":<wbr>")
}
