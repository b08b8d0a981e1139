import ArgumentParser
import Foundation
import NotebookMarkdown
import NotebookModel

struct New: StatusCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a lesson skeleton, numbered after the existing lessons.",
        discussion: """
            Examples:
              notebook new layer-norm            # writes notebooks/12-layer-norm.md
              notebook new intro --create        # no project yet: creates notebooks/01-intro.md
            """)

    @Argument(help: "The lesson's name (letters, digits and dashes).")
    var name: String
    @Option(help: "The notebooks folder.")
    var folder = "notebooks"
    @Flag(help: "Create the notebooks folder when there is none (starts a project here).")
    var create = false

    func validate() throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw ValidationError("'\(name)' is not a lesson name: use letters, digits and dashes")
        }
    }

    mutating func perform() throws -> Int32 {
        let typed = Project.enter(quiet: false)
        folder = folder == "notebooks" ? folder : typed(folder)
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard create else {
                throw NotebookError.usage(
                    "no \(folder)/ folder here or in any folder above, so no project to add a lesson to; "
                        + "'notebook new \(name) --create' starts one in \(FileManager.default.currentDirectoryPath)")
            }
        } else if !isDirectory.boolValue {
            throw NotebookError.usage("'\(folder)' is not a folder; nothing was written")
        }
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let lessons = existing.filter { $0.hasSuffix(".md") && $0 != "index.md" }
        let numbers = lessons.compactMap { Int($0.prefix { $0.isNumber }) }
        let orders = lessons.compactMap { try? NotebookParser.load(path: "\(folder)/\($0)").frontMatter.order }
        let highest = max(numbers.max() ?? 0, orders.max() ?? 0)
        guard highest < 1_000_000 else {
            throw NotebookError.usage(
                "the lessons in \(folder)/ are numbered or ordered up to \(highest); "
                    + "cannot number a new one after that (rename it by hand)")
        }
        let next = highest + 1
        let path = "\(folder)/\(next < 10 ? "0" : "")\(next)-\(name).md"
        if lessons.contains(where: { $0.hasSuffix("-\(name).md") || $0 == "\(name).md" }) {
            throw NotebookError.usage("a lesson named '\(name)' already exists in \(folder)/; nothing was written")
        }
        let text = """
            ---
            title: \(name)
            description: One line that says what this lesson measures.
            order: \(next)
            ---

            Say what the lecture claims, then show it. Every number on the page comes from a cell.

            ```swift
            let x: Matrix = [[1, 2], [3, 4]]
            x * x.T
            ```

            """
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw NotebookError.usage("cannot create '\(folder)': \(error.localizedDescription)")
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw NotebookError.usage("cannot write '\(path)'")
        }
        print(typed.from == nil ? path : FileManager.default.currentDirectoryPath + "/" + path)
        return 0
    }
}
