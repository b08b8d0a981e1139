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
    func save(_ key: String) {
        try? FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(record(key).utf8)) else { return }
        if rename(temporary, path) != 0 { unlink(temporary) }
    }

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
