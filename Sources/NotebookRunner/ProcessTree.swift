import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Every process the runner started, their descendants, and the temporary folders it made, so
/// that the end of a run, a time limit or an interrupt leaves none of them behind.
///
/// Each child gets its own process group and, in its environment, a token
/// (`NOTEBOOK_PROCESS=<runner pid>-<n>`) that its descendants inherit. A descendant that left the
/// group (`setsid`, a daemon) or outlived its parent is still found by the token in
/// `/proc/PID/environ`, and killed.
public enum ProcessTree {
    /// The environment variable that marks a child's tree.
    static let variable = "NOTEBOOK_PROCESS"

    private struct State {
        var interrupted = false
        var next = 0
        var running: [pid_t: String] = [:]
        var folders: Set<String> = []
    }
    nonisolated(unsafe) private static var state = State()
    private static let lock = NSLock()

    /// A new token for a child about to start.
    /// - Throws: `NotebookRunnerError.interrupted` once `terminateAll` was called: nothing new starts.
    static func newToken() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if state.interrupted { throw NotebookRunnerError.interrupted }
        state.next += 1
        return "\(getpid())-\(state.next)"
    }

    /// Whether `terminateAll` was called: a child that ended since was killed, not finished.
    static var interrupted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return state.interrupted
    }

    /// Remembers a running child (its group is its pid) and its token.
    static func started(_ pid: pid_t, token: String) {
        lock.lock()
        defer { lock.unlock() }
        state.running[pid] = token
    }

    /// Forgets a child that was reaped.
    static func finished(_ pid: pid_t) {
        lock.lock()
        defer { lock.unlock() }
        state.running[pid] = nil
    }

    /// Held while a folder is being removed, so that an exit waits for it (`quiesce`).
    private static let removal = NSLock()

    /// Remembers a temporary folder to remove on interrupt.
    /// - Throws: `interrupted` (after removing it) once `terminateAll` was called.
    static func made(folder: String) throws {
        lock.lock()
        defer { lock.unlock() }
        if state.interrupted {
            try? FileManager.default.removeItem(atPath: folder)
            throw NotebookRunnerError.interrupted
        }
        state.folders.insert(folder)
    }

    /// Removes a temporary folder unless `terminateAll` already took it: one owner deletes a
    /// folder, since two concurrent deletions of one tree can both stop half-way.
    static func remove(folder: String) {
        lock.lock()
        guard state.folders.remove(folder) != nil else {
            lock.unlock()
            return
        }
        removal.lock()
        lock.unlock()
        try? FileManager.default.removeItem(atPath: folder)
        removal.unlock()
    }

    /// Waits until no folder is being removed (call before exiting after `terminateAll`).
    public static func quiesce() {
        removal.lock()
        removal.unlock()
    }

    /// Kills the process group `pid` and every process that carries `token`.
    static func kill(group pid: pid_t, token: String) {
        _ = Glibc.kill(-pid, SIGKILL)
        killTree(token: token)
    }

    /// Kills every process whose environment holds `token`, until none is left (a dying one may
    /// have started another).
    ///
    /// Only processes of this user are readable, which is all a cell can start.
    static func killTree(token: String) {
        let marker = Array("\(variable)=\(token)".utf8) + [0]
        for _ in 0..<5 {
            let found = carriers(of: marker)
            if found.isEmpty { return }
            for pid in found { _ = Glibc.kill(pid, SIGKILL) }
        }
    }

    /// Ends everything: every running child's tree, then the temporary folders; after it no
    /// child starts and a run that was cut short throws `interrupted`, so a build never writes a
    /// site from killed programs.
    ///
    /// Called on SIGINT and SIGTERM, from any thread.
    public static func terminateAll() {
        lock.lock()
        state.interrupted = true
        let running = state.running, folders = state.folders
        state.folders = []
        removal.lock()
        lock.unlock()
        for (pid, token) in running { kill(group: pid, token: token) }
        for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
        removal.unlock()
    }

    /// Whether `pid` has exited and waits to be reaped (state `Z` in `/proc/PID/stat`).
    static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[close...].dropFirst(2).first == "Z"
    }

    /// The pids whose environment contains `marker` (a NUL-terminated `NAME=value`).
    private static func carriers(of marker: [UInt8]) -> [pid_t] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        let me = getpid()
        return names.compactMap { name -> pid_t? in
            guard let pid = pid_t(name), pid != me else { return nil }
            let fd = open("/proc/\(name)/environ", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var bytes = Data([0])  // a leading NUL, so every entry is preceded by one
            var buffer = [UInt8](repeating: 0, count: 16 << 10)
            while true {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                bytes.append(contentsOf: buffer[0..<n])
            }
            bytes.append(0)
            return bytes.range(of: Data([0] + marker)) != nil ? pid : nil
        }
    }
}
