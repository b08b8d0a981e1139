import Foundation
import NotebookModel
import Testing

@testable import NotebookSite

/// A symbol graph as `swift-symbolgraph-extract` writes it (trimmed to the fields read), written
/// by hand: a documented struct with an initializer that takes the caller's file and line, an
/// undocumented function, and a member of an extension of Swift's Array.
let handWrittenGraph = #"""
    {"module": {"name": "TransformerCore"},
     "symbols": [
      {"kind": {"identifier": "swift.struct", "displayName": "Structure"}, "identifier": {"precise": "s:M"},
       "pathComponents": ["Matrix"], "names": {"title": "Matrix"},
       "declarationFragments": [{"kind": "keyword", "spelling": "struct"}, {"kind": "text", "spelling": " "}, {"kind": "identifier", "spelling": "Matrix"}],
       "docComment": {"lines": [{"text": "A dense matrix."}, {"text": ""}, {"text": "- Precondition: rows agree."}]},
       "location": {"uri": "file:///x/Sources/TransformerCore/Matrix.swift", "position": {"line": 3}}},
      {"kind": {"identifier": "swift.init", "displayName": "Initializer"}, "identifier": {"precise": "s:M.init"},
       "pathComponents": ["Matrix", "init(_:file:line:)"], "names": {"title": "init(_:file:line:)"},
       "declarationFragments": [{"kind": "keyword", "spelling": "init"}, {"kind": "text", "spelling": "("},
         {"kind": "externalParam", "spelling": "_"}, {"kind": "text", "spelling": " rows: [["}, {"kind": "typeIdentifier", "spelling": "Double"},
         {"kind": "text", "spelling": "]], "}, {"kind": "externalParam", "spelling": "file"}, {"kind": "text", "spelling": ": "},
         {"kind": "typeIdentifier", "spelling": "StaticString"}, {"kind": "text", "spelling": " = #fileID, "},
         {"kind": "externalParam", "spelling": "line"}, {"kind": "text", "spelling": ": "}, {"kind": "typeIdentifier", "spelling": "UInt"},
         {"kind": "text", "spelling": " = #line)"}],
       "docComment": {"lines": [{"text": "A matrix from its rows."}]}},
      {"kind": {"identifier": "swift.func", "displayName": "Function"}, "identifier": {"precise": "s:relu"},
       "pathComponents": ["relu(_:)"], "names": {"title": "relu(_:)"},
       "declarationFragments": [{"kind": "keyword", "spelling": "func"}, {"kind": "text", "spelling": " "}, {"kind": "identifier", "spelling": "relu"}],
       "location": {"uri": "file:///x/Sources/TransformerCore/Math.swift", "position": {"line": 9}}},
      {"kind": {"identifier": "swift.property", "displayName": "Instance Property"}, "identifier": {"precise": "s:Sa.norm"},
       "pathComponents": ["Array", "globalNorm"], "names": {"title": "globalNorm"},
       "docComment": {"lines": [{"text": "The norm of every parameter."}]},
       "location": {"uri": "file:///x/Sources/TransformerCore/Optimizers.swift", "position": {"line": 40}}},
      {"kind": {"identifier": "swift.func", "displayName": "Function"}, "identifier": {"precise": "s:nb"},
       "pathComponents": ["__nbDisplay(_:)"], "names": {"title": "__nbDisplay(_:)"}},
      {"kind": {"identifier": "swift.property", "displayName": "Instance Property"}, "identifier": {"precise": "s:P.count::SYNTHESIZED::s:M"},
       "pathComponents": ["Matrix", "parameterCount"], "names": {"title": "parameterCount"}}
     ],
     "relationships": [
      {"kind": "memberOf", "source": "s:M.init", "target": "s:M"},
      {"kind": "memberOf", "source": "s:Sa.norm", "target": "s:Sa"},
      {"kind": "memberOf", "source": "s:P.count::SYNTHESIZED::s:M", "target": "s:M"}
     ]}
    """#

@Test func apiReferenceGroupsDocumentsAndHidesTheCallersLocation() throws {
    let graph = try JSONDecoder().decode(SymbolGraph.self, from: Data(handWrittenGraph.utf8))
    let api = APIReference([graph], markdown: { "<p>" + $0.replacing("\n\n- ", with: "</p><ul><li>") + "</li></ul>" })
    // Topics by file, in the reference's order: Matrix.swift and Math.swift are "Matrices", the
    // extension of Array (from Optimizers.swift) is "Training". The kernel's glue and the
    // compiler's synthesized members are left out.
    #expect(api.topics.map(\.title) == ["Matrices", "Training"])
    #expect(api.topics[0].entries.map(\.title) == ["Matrix", "relu(_:)"])
    let matrix = api.topics[0].entries[0]
    #expect(matrix.members.map(\.title) == ["Matrix.init(_:)"] && matrix.members[0].name == "init(_:)")
    #expect(matrix.members[0].declaration.map(\.spelling).joined() == "init(_ rows: [[Double]])")
    #expect(
        matrix.summary == "A dense matrix."
            && matrix.documentation.contains("<li><strong>Precondition:</strong> rows agree."))
    #expect(
        api.topics[1].entries.map(\.title) == ["Array"]
            && api.topics[1].entries[0].members.map(\.name) == ["globalNorm"])
    #expect(api.undocumented == ["relu(_:)"])
    #expect(api.count == 5)  // Matrix, its init, relu, Array, globalNorm
    let html = APIPage(reference: api, lessons: []).html
    #expect(html.contains("<section class=\"symbol\" id=\"api-Matrix.init\">"))
    #expect(
        html.contains(
            "<pre tabindex=\"0\" class=\"declaration\"><code><span class=\"hl-kw\">init</span>(<span class=\"hl-lbl\">_</span> rows: [[<span class=\"hl-ty\">Double</span>]])</code></pre>"
        ))
    #expect(html.contains("<p class=\"undocumented\">No documentation.</p>"))
    #expect(
        api.searchDocuments.map(\.anchor) == [
            "api-Matrix", "api-Matrix.init", "api-relu", "api-Array", "api-Array.globalNorm",
        ])
}

@Test func declarationsKeepWhatFollowsTheCallersLocation() {
    typealias F = SymbolGraph.Symbol.Fragment
    let fragments: [F] = [
        .init(kind: "keyword", spelling: "func"), .init(kind: "text", spelling: " f("),
        .init(kind: "externalParam", spelling: "x"), .init(kind: "text", spelling: ": Int, "),
        .init(kind: "externalParam", spelling: "file"), .init(kind: "text", spelling: ": "),
        .init(kind: "typeIdentifier", spelling: "StaticString"), .init(kind: "text", spelling: " = #fileID, "),
        .init(kind: "externalParam", spelling: "line"), .init(kind: "text", spelling: ": "),
        .init(kind: "typeIdentifier", spelling: "UInt"), .init(kind: "text", spelling: " = #line) -> "),
        .init(kind: "typeIdentifier", spelling: "Matrix"),
    ]
    #expect(APIReference.withoutCallerLocation(fragments).map(\.spelling).joined() == "func f(x: Int) -> Matrix")
}

@Test func longSignaturesTakeOneParameterToALine() {
    typealias F = SymbolGraph.Symbol.Fragment
    let long: [F] = [
        F(kind: "keyword", spelling: "func"), F(kind: "text", spelling: " "),
        F(kind: "identifier", spelling: "callAsFunction"), F(kind: "text", spelling: "("),
        F(kind: "externalParam", spelling: "queries"), F(kind: "text", spelling: " q: "),
        F(kind: "typeIdentifier", spelling: "Matrix"), F(kind: "text", spelling: ", "),
        F(kind: "externalParam", spelling: "validLengths"), F(kind: "text", spelling: ": ["),
        F(kind: "typeIdentifier", spelling: "Int"), F(kind: "text", spelling: "]? = [1, 2]) -> (output: "),
        F(kind: "typeIdentifier", spelling: "Matrix"), F(kind: "text", spelling: ", weights: "),
        F(kind: "typeIdentifier", spelling: "Matrix"), F(kind: "text", spelling: ")"),
    ]
    #expect(
        APIReference.brokenSignature(long).map(\.spelling).joined()
            == "func callAsFunction(\n    queries q: Matrix,\n    validLengths: [Int]? = [1, 2]\n) -> (output: Matrix, weights: Matrix)"
    )
    let short: [F] = [F(kind: "keyword", spelling: "func"), F(kind: "text", spelling: " f(_ x: Int)")]
    #expect(APIReference.brokenSignature(short) == short)
    #expect(breakable("f(a:b:)") == "f(<wbr>a:<wbr>b:<wbr>)")
}
