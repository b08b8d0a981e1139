internal import CCmarkGFM

#if canImport(Glibc)
import Glibc
#endif

/// A top-level piece of a Markdown document as cmark-gfm parsed it, with C strings copied out.
struct MarkdownNode {
    /// What the node is.
    enum Kind: Equatable {
        /// A code block with its info string and opening fence (nil when indented).
        case codeBlock(info: String, fence: String?)
        /// A heading of a level, with its plain text.
        case heading(level: Int, text: String)
        /// A block quote (a GitHub alert when it starts with `[!NOTE]` and the like).
        case blockQuote
        /// Anything else (paragraph, list, table, footnote definition, …).
        case other
    }

    var kind: Kind
    /// The node rendered to HTML (safe mode: raw HTML is omitted).
    var html: String
    /// The code of a code block.
    var literal: String
    /// The node's text without markup (words of paragraphs, lists, tables, quotes, code spans), a
    /// space at each line break and block end: what search reads.
    var text: String
    /// 1-based lines in the parsed text.
    var startLine: Int, endLine: Int
}

/// The only code that talks to C: parses Markdown with cmark-gfm and copies out each top-level
/// node.
///
/// The tree lives inside this function; every allocation is freed before it returns.
enum CommonMark {
    /// Registers the GFM extensions once per process.
    private static let registered: Void = { cmark_gfm_core_extensions_ensure_registered() }()

    /// The GFM extensions turned on.
    static let extensionNames = ["table", "strikethrough", "autolink", "tasklist", "tagfilter"]

    /// Parses `text` and returns its top-level nodes in order.
    static func topLevelNodes(_ text: String) -> [MarkdownNode] {
        _ = registered
        let options =
            CMARK_OPT_DEFAULT | CMARK_OPT_SMART | CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8
            | CMARK_OPT_GITHUB_PRE_LANG
        guard let parser = cmark_parser_new(options) else { return [] }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress?.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                cmark_parser_feed(parser, $0, buffer.count)
            }
        }
        guard let document = cmark_parser_finish(parser) else { return [] }
        defer { cmark_node_free(document) }
        let extensions = cmark_parser_get_syntax_extensions(parser)
        var nodes: [MarkdownNode] = []
        var node = cmark_node_first_child(document)
        while let current = node {
            nodes.append(copy(current, options: options, extensions: extensions))
            node = cmark_node_next(current)
        }
        return nodes
    }

    private static func copy(_ node: OpaquePointer, options: Int32, extensions: UnsafeMutablePointer<cmark_llist>?)
        -> MarkdownNode
    {
        let html: String
        if let rendered = cmark_render_html(node, options, extensions) {
            defer { free(rendered) }
            html = String(cString: rendered)
        } else {
            html = ""
        }
        let start = Int(cmark_node_get_start_line(node)), end = Int(cmark_node_get_end_line(node))
        let literal = string(cmark_node_get_literal(node))
        let kind: MarkdownNode.Kind
        switch cmark_node_get_type(node) {
        case CMARK_NODE_CODE_BLOCK:
            // Pointers, not NULLs: cmark_node_get_fenced writes through all three.
            var length: Int32 = 0, offset: Int32 = 0, character: CChar = 0
            let fenced = cmark_node_get_fenced(node, &length, &offset, &character) != 0
            let fence =
                fenced
                ? String(repeating: Character(Unicode.Scalar(UInt8(bitPattern: character))), count: Int(length)) : nil
            kind = .codeBlock(info: string(cmark_node_get_fence_info(node)), fence: fence)
        case CMARK_NODE_HEADING:
            kind = .heading(level: Int(cmark_node_get_heading_level(node)), text: plainText(node))
        case CMARK_NODE_BLOCK_QUOTE:
            kind = .blockQuote
        default:
            kind = .other
        }
        return MarkdownNode(
            kind: kind, html: html, literal: literal, text: plainText(node, spaced: true), startLine: start,
            endLine: end)
    }

    /// The text of a node's text and code descendants, concatenated; `spaced` puts a space at
    /// each line break and at the end of each block (paragraph, item, cell, heading), and takes a
    /// code block's code.
    private static func plainText(_ node: OpaquePointer, spaced: Bool = false) -> String {
        guard let iterator = cmark_iter_new(node) else { return "" }
        defer { cmark_iter_free(iterator) }
        var text = ""
        while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
            guard let current = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(current)
            if cmark_iter_get_event_type(iterator) == CMARK_EVENT_EXIT {
                if spaced,
                    [CMARK_NODE_PARAGRAPH, CMARK_NODE_ITEM, CMARK_NODE_HEADING].contains(type)
                        || string(cmark_node_get_type_string(current)) == "table_cell"
                {
                    text += " "
                }
                continue
            }
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE || (spaced && type == CMARK_NODE_CODE_BLOCK) {
                text += string(cmark_node_get_literal(current))
            } else if spaced, type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
                text += " "
            }
        }
        return spaced ? text + " " : text
    }

    /// A C string copied into Swift; NULL becomes "".
    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }
}

/// Markdown that is not a notebook (a doc comment) as HTML: GitHub-flavoured, raw HTML omitted.
///
/// A fenced block's language is `data-lang` (cmark writes `lang`, which HTML keeps for human languages).
public func markdownHTML(_ text: String) -> String {
    CommonMark.topLevelNodes(text).map(\.html).joined().replacing("<pre lang=\"", with: "<pre data-lang=\"")
}
