import Foundation
import NotebookModel

/// The folder a build may replace with its site: named by `--output`, resolved through symbolic
/// links, and refused whenever replacing it could destroy something the tool did not write.
///
/// A built site carries a stamp, `.notebook-site`, listing every file the build wrote. A folder
/// is replaced only when it does not exist, is empty, or holds a stamp and nothing the stamp
/// does not list; a symbolic link is followed and its target replaced, the link left as it is.
struct OutputFolder: Sendable {
    /// The name of the stamp file inside a built site.
    static let stampName = ".notebook-site"
    /// The first line of a stamp.
    static let stampHeader = "notebook site v1: written by `notebook build`, which replaces this folder whole."

    /// The folder as the user named it, for messages.
    let name: String
    /// The absolute path written: the target of a symbolic link, never the link.
    let path: String
    /// Absolute paths of the notebooks of the build, which the folder must neither be nor hold.
    let notebooks: [String]

    /// Resolves `output` and checks that a build may replace it.
    /// - Throws: `NotebookError` (exit 2) saying why the folder is refused.
    init(_ output: String, notebooks: [String]) throws {
        name = output
        self.notebooks = notebooks.map(Self.canonical)
        let absolute = URL(fileURLWithPath: output).standardizedFileURL.path
        var info = stat()
        if lstat(absolute, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
            guard let target = Self.realPath(absolute) else {
                throw Self.refusal(output, "it is a symbolic link to a folder that does not exist")
            }
            path = target
        } else {
            path = Self.canonical(absolute)
        }
        try check()
    }

    /// Checks again (under the site lock, just before the swap) that the folder may be replaced.
    /// - Throws: `NotebookError` (exit 2) saying why not.
    func check() throws {
        let project = Self.canonical(FileManager.default.currentDirectoryPath)
        if Self.path(path, contains: project) {
            throw refusal(path == project ? "it is the project folder" : "it contains the project folder")
        }
        for notebook in notebooks {
            if notebook == path { throw refusal("it is a notebook") }
            let folder = (notebook as NSString).deletingLastPathComponent
            if Self.path(path, contains: folder) {
                throw refusal(
                    path == folder
                        ? "it is the notebook folder '\(Self.relative(folder))'"
                        : "it contains the notebook folder '\(Self.relative(folder))'")
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw refusal("it is a file, not a folder") }
        let present = Self.files(in: path)
        if present.isEmpty { return }
        guard let written = Self.stampedFiles(in: path) else {
            throw refusal(
                "it holds files that notebook did not write (\(Self.list(present))) and no "
                    + "\(Self.stampName) stamp; move them away or name an empty or new folder")
        }
        let foreign = present.filter { !written.contains($0) && $0 != Self.stampName }
        if !foreign.isEmpty {
            throw refusal(
                "it holds files that the last build did not write (\(Self.list(foreign))); "
                    + "move them away, or keep them outside the site folder")
        }
    }

    /// The stamp for a site of `files` (their paths relative to the folder).
    static func stamp(listing files: some Sequence<String>) -> String {
        ([stampHeader, "Files it wrote:"] + files.sorted()).joined(separator: "\n") + "\n"
    }

    // MARK: - Paths

    /// The files the stamp in `folder` lists, or nil when there is no valid stamp.
    private static func stampedFiles(in folder: String) -> Set<String>? {
        guard let data = FileManager.default.contents(atPath: folder + "/" + stampName) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, lines[0] == stampHeader else { return nil }
        return Set(lines.dropFirst(2).filter { !$0.isEmpty }.map(String.init))
    }

    /// Every file (not folder) under `folder`, relative to it, sorted; symbolic links are not
    /// followed and count as files.
    private static func files(in folder: String) -> [String] {
        guard let names = FileManager.default.subpaths(atPath: folder) else { return [] }
        return names.filter { name in
            var info = stat()
            return lstat(folder + "/" + name, &info) == 0 && info.st_mode & S_IFMT != S_IFDIR
        }.sorted()
    }

    /// True when `outer` is `inner` or one of its ancestors.
    private static func path(_ outer: String, contains inner: String) -> Bool {
        inner == outer || outer == "/" || inner.hasPrefix(outer + "/")
    }

    /// The absolute path with every symbolic link in its existing part resolved; the part that
    /// does not exist yet is appended as written.
    static func canonical(_ path: String) -> String {
        var existing = URL(fileURLWithPath: path).standardizedFileURL.path
        var rest: [String] = []
        while existing != "/" {
            if let real = realPath(existing) {
                return rest.isEmpty ? real : (real == "/" ? "" : real) + "/" + rest.reversed().joined(separator: "/")
            }
            rest.append((existing as NSString).lastPathComponent)
            existing = (existing as NSString).deletingLastPathComponent
        }
        return "/" + rest.reversed().joined(separator: "/")
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `path` relative to the working folder when it is inside it.
    private static func relative(_ path: String) -> String {
        let project = canonical(FileManager.default.currentDirectoryPath)
        return path.hasPrefix(project + "/") ? String(path.dropFirst(project.count + 1)) : path
    }

    /// The first few names, then how many more.
    private static func list(_ names: [String]) -> String {
        let shown = names.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
        return names.count > 3 ? shown + " and \(names.count - 3) more" : shown
    }

    private func refusal(_ why: String) -> NotebookError { Self.refusal(name, why) }

    private static func refusal(_ name: String, _ why: String) -> NotebookError {
        NotebookError.usage("refusing to write the site to '\(name)': \(why)")
    }
}
