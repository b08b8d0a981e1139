import Foundation
import NotebookModel

#if canImport(Glibc)
import Glibc
#endif

/// Every process the runner started, their descendants, and the temporary folders it made, so
/// that the end of a run, a time limit or an interrupt leaves none of them behind.
///
/// Each child gets its own process group and, in its environment, a token
/// (`NOTEBOOK_PROCESS=<runner pid>-<n>`) that its descendants inherit, found in
/// `/proc/PID/environ`. A descendant that clears its environment is found by ancestry instead:
/// once `adoptOrphans()` made the runner a child subreaper, and since every notebook program is
/// one too, whatever a program leaves behind comes back to the runner as a child it did not
/// start, which `sweep` kills with all its descendants.
public enum ProcessTree {
    /// The environment variable that marks a child's tree.
    static let variable = "NOTEBOOK_PROCESS"

    private struct State {
        var interrupted = false
        var next = 0
        var running: [pid_t: String] = [:]
        var folders: Set<String> = []
        var subreaper = false
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

    /// Makes this process adopt its orphaned descendants, so that `sweep` can end them; call it
    /// once, in a process whose every child is started by `Subprocess` (a tool, not a test
    /// runner whose other children `sweep` would take for orphans).
    public static func adoptOrphans() {
        lock.lock()
        defer { lock.unlock() }
        state.subreaper = Subreaper.become()
    }

    /// Starts a child with `spawn` and remembers it (its group is its pid) and its token, in one
    /// step under the lock, so that `sweep` never takes a child just started for an orphan.
    static func start(token: String, _ spawn: () -> (Int32, pid_t)) -> (Int32, pid_t) {
        lock.lock()
        defer { lock.unlock() }
        let (rc, pid) = spawn()
        if rc == 0 { state.running[pid] = token }
        return (rc, pid)
    }

    /// Forgets a child that was reaped, and ends whatever it left behind.
    static func finished(_ pid: pid_t) {
        lock.lock()
        defer { lock.unlock() }
        state.running[pid] = nil
        sweepLocked()
    }

    /// Kills and reaps every child of this process that `Subprocess` is not running, with all
    /// their descendants.
    ///
    /// Those are the orphans a finished or killed program left, which a subreaper adopts whatever
    /// they did to their environment, session or group. Nothing without `adoptOrphans()`.
    static func sweep() {
        lock.lock()
        defer { lock.unlock() }
        sweepLocked()
    }

    private static func sweepLocked() {
        guard state.subreaper else { return }
        let me = getpid()
        for _ in 0..<100 {  // a dying orphan's children come back to us in turn
            let parents = parentTable()
            let orphans = parents.filter { $0.value == me && state.running[$0.key] == nil }.map(\.key)
            if orphans.isEmpty { return }
            var doomed = orphans, next = 0
            while next < doomed.count {  // breadth first; a pid can have one parent only
                let p = doomed[next]
                next += 1
                doomed += parents.filter { $0.value == p }.map(\.key)
            }
            for pid in doomed { _ = Glibc.kill(pid, SIGKILL) }
            for pid in orphans { while waitpid(pid, nil, 0) == -1 && errno == EINTR {} }
        }
    }

    /// Every process's parent, from `/proc/PID/stat` (the field after the state, which follows
    /// the command's closing parenthesis).
    private static func parentTable() -> [pid_t: pid_t] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [:] }
        var parents: [pid_t: pid_t] = [:]
        for name in names {
            guard let pid = pid_t(name),
                let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = pid_t(fields[1]) { parents[pid] = parent }
        }
        return parents
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
        sweep()
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
