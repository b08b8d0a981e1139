import Foundation
import NotebookModel

/// Writes a site folder all at once: into a fresh sibling folder, then swapped into place under
/// a lock, so a reader or a second build never sees a half-written or mixed site.
enum SiteWriter {
    /// Replaces the folder with exactly `files` and the stamp that lists them, then calls
    /// `written` while still holding the lock.
    ///
    /// The new site is written into a staging folder beside it and exchanged with the old one
    /// in one `renameat2(RENAME_EXCHANGE)`, so the folder always holds one whole site, even
    /// when the build is killed; staging folders left by a killed build are swept.
    /// - Throws: `NotebookError` (exit 2) naming the folder that cannot be written, or saying
    ///   why it may not be replaced (`OutputFolder.check`).
    static func write(_ files: [String: String], to folder: OutputFolder, written: () -> Void = {}) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: folder.path)
        let parent = target.deletingLastPathComponent()
        func failure(_ why: String) -> NotebookError {
            NotebookError.usage("cannot write the site to '\(folder.name)': \(why)")
        }
        do { try fm.createDirectory(at: parent, withIntermediateDirectories: true) } catch {
            throw failure("its parent folder cannot be created")
        }
        let lockPath = parent.appendingPathComponent("." + target.lastPathComponent + ".lock").path
        let lock = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard lock >= 0 else {
            throw failure("cannot create the lock file '\(lockPath)': \(String(cString: strerror(errno)))")
        }
        defer { close(lock) }
        flock(lock, LOCK_EX)
        defer { flock(lock, LOCK_UN) }
        try folder.check()
        sweepStaging(beside: target)

        let staging = parent.appendingPathComponent("." + target.lastPathComponent + ".new-\(getpid())")
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
            try writeFile(staging.path + "/" + OutputFolder.stampName, OutputFolder.stamp(listing: files.keys))
        } catch {
            try? fm.removeItem(at: staging)
            throw failure("\(error.localizedDescription)")
        }
        let hadOld = fm.fileExists(atPath: target.path)
        let swapped = hadOld ? exchange(staging.path, target.path) : rename(staging.path, target.path)
        if swapped != 0 {
            let why = String(cString: strerror(errno))
            try? fm.removeItem(at: staging)
            throw failure(why)
        }
        if hadOld { try? fm.removeItem(at: staging) }  // now the old site
        written()
    }

    /// Removes `.NAME.new-*` and `.NAME.old-*` folders beside `target`: with the lock held, no
    /// build is writing one, so each was left by a build that was killed.
    private static func sweepStaging(beside target: URL) {
        let parent = target.deletingLastPathComponent()
        let prefixes = [".new-", ".old-"].map { "." + target.lastPathComponent + $0 }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        where prefixes.contains(where: name.hasPrefix) {
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
        }
    }

    /// Exchanges two paths atomically (Linux `renameat2` with `RENAME_EXCHANGE`, bound at run
    /// time: Glibc's Swift module does not export it).
    ///
    /// Returns 0, or -1 with `errno` set.
    private static func exchange(_ a: String, _ b: String) -> Int32 {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else {
            errno = ENOSYS
            return -1
        }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, 1 << 1)  // RENAME_EXCHANGE
    }

    /// Writes `content` to a new file at `path` (plain system calls: this runs once per page on
    /// every build).
    private static func writeFile(_ path: String, _ content: String) throws {
        func failure(_ what: String) -> Error {
            CocoaError(
                .fileWriteUnknown,
                userInfo: [NSLocalizedDescriptionKey: "cannot \(what) '\(path)': \(String(cString: strerror(errno)))"])
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
