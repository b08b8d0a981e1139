import Foundation

/// Writes `data` to a temporary file beside `path`, then renames it over `path`, so a reader sees
/// the old file or the new one, never a part; creates the folder.
///
/// Failures are ignored (a cache entry that is not written is only a miss later).
public func replaceFile(_ path: String, with data: Data) {
    let folder = (path as NSString).deletingLastPathComponent
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let temporary = path + ".tmp-\(getpid())"
    guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
    if rename(temporary, path) != 0 { unlink(temporary) }
}

/// A file as the file system identifies it: size, device, inode, and modification and change
/// times in nanoseconds.
///
/// Any write to the file, or a file put in its place, changes it (the change time cannot be set
/// back). Nil when there is no such file.
public func fileStamp(_ path: String) -> String? {
    var s = stat()
    guard stat(path, &s) == 0 else { return nil }
    return
        "\(s.st_size) \(s.st_dev) \(s.st_ino) \(s.st_mtim.tv_sec).\(s.st_mtim.tv_nsec) \(s.st_ctim.tv_sec).\(s.st_ctim.tv_nsec)"
}

/// A private folder under the system's temporary folder, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/notebook-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw NotebookRunnerError.missing("cannot create a temporary folder")
        }
        path = String(cString: made)
        try ProcessTree.made(folder: path)
    }

    func remove() { ProcessTree.remove(folder: path) }
}
