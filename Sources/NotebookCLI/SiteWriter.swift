import Foundation
import NotebookModel

/// Writes a site folder all at once: into a fresh sibling folder, then swapped into place under
/// a lock, so a reader or a second build never sees a half-written or mixed site.
enum SiteWriter {
    /// Replaces `output` with exactly `files`, then calls `written` while still holding the lock.
    /// - Throws: `NotebookError` (exit 2) naming the folder that cannot be written.
    static func write(_ files: [String: String], to output: String, written: () -> Void = {}) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: output).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        func failure(_ why: String) -> NotebookError { NotebookError.usage("cannot write the site to '\(output)': \(why)") }
        do { try fm.createDirectory(at: parent, withIntermediateDirectories: true) } catch { throw failure("its parent folder cannot be created") }
        let lockPath = parent.appendingPathComponent("." + target.lastPathComponent + ".lock").path
        let lock = open(lockPath, O_CREAT | O_RDWR, 0o644)
        guard lock >= 0 else { throw failure("cannot create the lock file '\(lockPath)'") }
        defer { close(lock) }
        flock(lock, LOCK_EX)
        defer { flock(lock, LOCK_UN) }

        let staging = parent.appendingPathComponent("." + target.lastPathComponent + ".new-\(getpid())")
        let old = parent.appendingPathComponent("." + target.lastPathComponent + ".old-\(getpid())")
        try? fm.removeItem(at: staging)
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            var folders: Set<String> = [""]
            for (name, content) in files.sorted(by: { $0.key < $1.key }) {
                let folder = name.split(separator: "/").dropLast().joined(separator: "/")
                if folders.insert(folder).inserted {
                    try fm.createDirectory(atPath: staging.path + "/" + folder, withIntermediateDirectories: true)
                }
                try writeFile(staging.path + "/" + name, content)
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw failure("\(error.localizedDescription)")
        }
        let hadOld = fm.fileExists(atPath: target.path)
        if hadOld && rename(target.path, old.path) != 0 {
            try? fm.removeItem(at: staging)
            throw failure(String(cString: strerror(errno)))
        }
        if rename(staging.path, target.path) != 0 {
            let why = String(cString: strerror(errno))
            if hadOld { _ = rename(old.path, target.path) }
            try? fm.removeItem(at: staging)
            throw failure(why)
        }
        if hadOld { try? fm.removeItem(at: old) }
        written()
    }

    /// Writes `content` to a new file at `path` (plain system calls: this runs once per page on
    /// every build).
    private static func writeFile(_ path: String, _ content: String) throws {
        func failure(_ what: String) -> Error {
            CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot \(what) '\(path)': \(String(cString: strerror(errno)))"])
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("create") }
        defer { close(fd) }
        var content = content
        try content.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw failure("write") }
                offset += n
            }
        }
    }
}
