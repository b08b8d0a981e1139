import NotebookModel

extension Notebook {
    /// The labels of the lesson's numbered formulas (`\label{ID}`), in the order they come: the
    /// formula of `equationLabels[k]` is number k + 1.
    var equationLabels: [String] {
        blocks.flatMap { block -> [String] in
            guard case .prose(let prose, _) = block else { return [] }
            return prose.matches(of: #/<span class="math-block numbered" id="eq-([A-Za-z0-9_-]+)"/#).map {
                String($0.1)
            }
        }
    }

    /// `text` (a section's words, for search) with each `@fig:ID`, `@eq:ID` and `@sec:ANCHOR`
    /// said as the page says it: `Figure 5.2`, `(5.1)`, `§ The data`; an unknown one as written.
    func referencesSaid(_ text: String, lesson: Int) -> String {
        guard text.contains("@") else { return text }
        let figures = cells.filter { $0.options.caption != nil }
        let equations = equationLabels
        return text.replacing(#/@(fig|sec|eq):([A-Za-z0-9_-]+)/#) { match in
            let name = String(match.2)
            switch match.1 {
            case "fig":
                return figures.firstIndex { $0.options.id == name }.map { "Figure \(lesson).\($0 + 1)" }
                    ?? String(match.0)
            case "eq":
                return equations.firstIndex(of: name).map { "(\(lesson).\($0 + 1))" } ?? String(match.0)
            default:
                return headings.first { $0.anchor == name }.map { "§ " + $0.text } ?? String(match.0)
            }
        }
    }

    private var headings: [Heading] {
        blocks.flatMap { block -> [Heading] in
            if case .prose(_, let h) = block { h } else { [] }
        }
    }
}
