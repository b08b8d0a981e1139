import Foundation
import NotebookModel
import NotebookRunner

/// What the last build wrote to a site folder: a key of everything the pages are made from, and
/// each file's size, modification time and inode as written. A rebuild with the same key whose
/// folder still holds exactly those files has nothing to render or write.
///
/// The key is sound because every run came from the execution cache: a notebook's cache key
/// already covers its text, the kernel's bytes, the compiler, the runner binary (which is also
/// the renderer) and the options; the introduction and the folder are added here.
struct SiteStamp {
    let cacheDirectory: String
    let output: String

    /// The key of a site made from `notebooks`. A build may reuse the folder only when every run
    /// came from the cache: a fresh run's outputs may differ from the cached ones.
    static func key(_ notebooks: [Notebook], executor: Executor, introduction: String?) -> String {
        var hash = SHA256()
        hash.update(field: "site-v1")
        hash.update(field: Executor.runnerIdentity)
        hash.update(field: introduction ?? "")
        for notebook in notebooks { hash.update(field: executor.cacheKey(source: notebook)) }
        return hash.hexDigest()
    }

    /// True when the folder holds exactly what the build with `key` wrote.
    func matches(_ key: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return String(decoding: data, as: UTF8.self) == record(key)
    }

    /// Remembers `key` with the folder's files as they are now.
    func save(_ key: String) { replaceFile(path, with: Data(record(key).utf8)) }

    private var path: String {
        var hash = SHA256()
        hash.update(field: URL(fileURLWithPath: output).standardizedFileURL.path)
        return "\(cacheDirectory)/site-\(hash.hexDigest()).txt"
    }

    /// The key, then one line per file: relative path, size, modification time, inode.
    private func record(_ key: String) -> String {
        var lines = [key]
        let root = URL(fileURLWithPath: output).standardizedFileURL.path
        for name in ((FileManager.default.subpaths(atPath: root)) ?? []).sorted() {
            var s = stat()
            guard lstat(root + "/" + name, &s) == 0 else { continue }
            guard s.st_mode & S_IFMT != S_IFDIR else { continue }
            lines.append("\(name)\t\(s.st_mode)\t\(s.st_size)\t\(s.st_mtim.tv_sec).\(s.st_mtim.tv_nsec)\t\(s.st_ino)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Pages rendered by earlier builds, under a key of everything a page is made from: the
/// notebook's cache key (its text, and through the cache its run), its place in the course, and
/// every lesson's title and file (the sidebar and the pager). Used only for notebooks whose run
/// came from the cache, so a page never shows outputs other than the run's.
struct PageCache {
    let directory: String

    static func key(_ index: Int, of notebooks: [Notebook], executor: Executor) -> String {
        var hash = SHA256()
        hash.update(field: "page-v1")
        hash.update(field: executor.cacheKey(source: notebooks[index]))
        hash.update(field: "\(index)")
        for n in notebooks { hash.update(field: n.path); hash.update(field: n.title) }
        return hash.hexDigest()
    }

    /// The page stored under `key`; nil when there is none or it is not whole.
    func load(_ key: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path(key)) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        let header = "<!-- \(key) -->\n"
        guard text.hasPrefix(header), text.hasSuffix("</html>\n") else { return nil }
        return String(text.dropFirst(header.count))
    }

    func store(_ page: String, key: String) { replaceFile(path(key), with: Data("<!-- \(key) -->\n\(page)".utf8)) }

    private func path(_ key: String) -> String { "\(directory)/\(key).html" }
}
