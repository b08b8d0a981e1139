import Foundation
import NotebookModel
import Testing

@testable import NotebookSite

@Test func pluralsAreFoldedAsThePageFoldsThem() {
    for (plural, singular) in [
        ("masks", "mask"), ("queries", "query"), ("boxes", "box"), ("classes", "class"), ("matrices", "matrix"),
        ("heads", "head"), ("patches", "patch"),
    ] {
        #expect(SearchIndex.terms(plural) == SearchIndex.terms(singular), "\(plural)")
    }
    // What stays: short words, names with _ or digits, and the endings that are not plurals.
    for word in ["bias", "axis", "loss", "has", "w_qs", "d2ls", "corpus"] {
        #expect(SearchIndex.singular(word) == word)
    }
    // The page's script folds with the same rules.
    #expect(SearchPage.script.contains("matrices: \"matrix\"") && SearchPage.script.contains("(ss|us|is|as)$"))
}

@Test func snippetsQuoteProseAndTheCodeIsSearchedToo() throws {
    var n = Notebook(path: "notebooks/07-m.md", frontMatter: FrontMatter(title: "Masks"), blocks: [])
    n.sections = [
        ProseSection(heading: nil, text: "Where W_Q meets √d_k."),
        ProseSection(
            heading: Heading(level: 2, text: "Causal masks", anchor: "causal-masks"), text: "A mask hides the future.",
            code: "let causalOnly = Mask.causal(4)"),
    ]
    let index = SearchIndex([RenderedNotebook(notebook: n, run: NotebookRun(cells: [], diagnostics: []))])
    let section = try #require(index.documents.first { $0.anchor == "causal-masks" })
    #expect(section.text == "A mask hides the future." && section.code.contains("Mask.causal(4)"))
    // The code is found (its words are terms) but is not in the quoted text.
    let js = index.javascript
    #expect(js.contains("\"causalonly\": [[1, 1]]") && !js.contains("let causalOnly"))
    // Every document says whether it is the API's: the page ranks those last for plain words.
    #expect(js.contains("\"A mask hides the future.\", 0]"))
}
