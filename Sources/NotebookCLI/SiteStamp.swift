import Foundation
import NotebookModel
import NotebookRunner
import NotebookSite

/// What the last build wrote to a site folder: a key of everything the pages are made from, and
/// each file's `fileStamp` as written.
///
/// A rebuild with the same key whose folder still holds exactly those files has nothing to
/// render or write.
///
/// The key is sound because every run came from the execution cache: a notebook's cache key
/// already covers its text, the kernel's bytes, the compiler, the runner binary (which is also
/// the renderer) and the options; the introduction and the folder are added here.
struct SiteStamp {
    let cacheDirectory: String
    let output: String

    /// The key of a site made from `notebooks`.
    ///
    /// A build may reuse the folder only when every run came from the cache: a fresh run's
    /// outputs may differ from the cached ones. `sourceKeys`: each notebook's
    /// `Executor.cacheKey(source:)`, in course order.
    static func key(sourceKeys: [String], introduction: String?, course: Course = Course()) -> String {
        var hash = SHA256()
        hash.update(field: "site-v1")
        hash.update(field: Executor.runnerIdentity)
        hash.update(field: introduction ?? "")
        for field in [course.title, course.subtitle ?? "", course.author ?? "", course.language] {
            hash.update(field: field)
        }
        for key in sourceKeys { hash.update(field: key) }
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

    /// The key, then one line per file or folder in the site: its relative path and `fileStamp`.
    private func record(_ key: String) -> String {
        let root = URL(fileURLWithPath: output).standardizedFileURL.path
        let names = (FileManager.default.subpaths(atPath: root) ?? []).sorted()
        return ([key] + names.map { "\($0)\t\(fileStamp(root + "/" + $0) ?? "")" }).joined(separator: "\n") + "\n"
    }
}

/// Pages rendered by earlier builds, under a key of everything a page is made from: the
/// notebook's cache key (its text, and through the cache its run), its place in the course, and
/// every lesson's title and file (the sidebar and the pager).
///
/// Used only for notebooks whose run came from the cache, so a page never shows outputs other
/// than the run's.
struct PageCache {
    /// The execution cache's store (local, and the cache server when there is one); pages are
    /// kept as `pages/<key>.html`.
    let store: any CacheStore

    /// One key per notebook (`sourceKeys` as for `SiteStamp.key`).
    static func keys(_ notebooks: [Notebook], sourceKeys: [String], course settings: Course = Course()) -> [String] {
        var course = SHA256()
        for field in [settings.title, settings.subtitle ?? "", settings.author ?? "", settings.language] {
            course.update(field: field)
        }
        for n in notebooks {
            course.update(field: n.path)
            course.update(field: n.title)
        }
        let courseKey = course.hexDigest()
        return sourceKeys.enumerated().map { index, sourceKey in
            var hash = SHA256()
            hash.update(field: "page-v2")
            hash.update(field: sourceKey)
            hash.update(field: "\(index)")
            hash.update(field: courseKey)
            return hash.hexDigest()
        }
    }

    /// The page stored under `key`; nil when there is none, or when it is not byte for byte the
    /// page that was stored (its SHA-256 is in the header), as the execution cache checks its entries.
    func load(_ key: String) -> String? {
        guard let data = store.data(forKey: name(key)) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        let prefix = "<!-- \(key) "
        guard text.hasPrefix(prefix), let end = text.range(of: " -->\n") else { return nil }
        let digest = text[text.index(text.startIndex, offsetBy: prefix.count)..<end.lowerBound]
        let page = String(text[end.upperBound...])
        return Self.digest(page) == digest ? page : nil
    }

    func store(_ page: String, key: String) {
        store.store(Data("<!-- \(key) \(Self.digest(page)) -->\n\(page)".utf8), forKey: name(key))
    }

    private static func digest(_ page: String) -> String {
        var hash = SHA256()
        hash.update(Array(page.utf8))
        return hash.hexDigest()
    }

    private func name(_ key: String) -> String { "pages/\(key).html" }
}
