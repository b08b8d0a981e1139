import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What a finished child process left behind.
public struct ProcessResult: Sendable {
    /// The exit status, or 128 + signal when it was killed by a signal.
    public var status: Int32
    /// The signal that ended it, if any.
    public var signal: Int32?
    /// Standard output, up to the cap.
    public var stdout: [UInt8]
    /// Standard error: its last bytes, up to the cap.
    public var stderr: [UInt8]
    /// How many bytes of standard output past its cap were dropped.
    public var droppedBytes: Int
    /// How many bytes at the start of standard error were dropped to keep its cap.
    public var droppedErrorBytes: Int
    /// Whether the time limit ended it.
    public var timedOut: Bool
    /// Wall-clock seconds.
    public var seconds: Double
}

/// Runs a program in its own process group, reading its output with byte caps, and killing its
/// whole tree (`ProcessTree`) at the time limit and when it ends, so that no descendant outlives
/// it or keeps its pipes open.
///
/// The runner's memory stays bounded by the caps.
public enum Subprocess {
    /// Runs `executable` with `arguments` and `environment`; never throws for the child's own
    /// failure.
    ///
    /// Standard output keeps up to `outputCap` bytes, standard error up to `errorCap`.
    /// - Throws: `NotebookRunnerError.spawn` when the program cannot be started.
    /// `memoryLimit` caps the child's address space (`RLIMIT_AS`, set as it starts).
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        timeout: Double, outputCap: Int = 16 << 20, errorCap: Int = 1 << 20,
        memoryLimit: Int? = nil
    ) throws -> ProcessResult {
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw NotebookRunnerError.spawn(executable, "pipe failed")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        let token = try ProcessTree.newToken()
        var environment = environment ?? ProcessInfo.processInfo.environment
        environment[ProcessTree.variable] = token
        let env = environment.map { "\($0.key)=\($0.value)" }.sorted()
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        let start = Date()
        let (rc, pid) = ProcessTree.start(token: token) {
            var pid: pid_t = 0
            return (posix_spawn(&pid, executable, &actions, &attributes, argv, envp), pid)
        }
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw NotebookRunnerError.spawn(executable, String(cString: strerror(rc)))
        }
        if let memoryLimit { limitAddressSpace(of: pid, to: memoryLimit) }
        var collected = Collected(outCap: outputCap, errCap: errorCap)
        let timedOut = collected.drain(
            out: outPipe[0], err: errPipe[0], deadline: start.addingTimeInterval(timeout),
            pid: pid, token: token)
        close(outPipe[0])
        close(errPipe[0])
        collected.finish()
        var status: Int32 = 0
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        // The child is now a zombie, so its group id cannot be reused: end whatever it started.
        ProcessTree.kill(group: pid, token: token)
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        ProcessTree.finished(pid)
        if ProcessTree.interrupted { throw NotebookRunnerError.interrupted }
        let signalled = (status & 0x7f) != 0
        let code = signalled ? 128 + (status & 0x7f) : (status >> 8) & 0xff
        return ProcessResult(
            status: code, signal: signalled ? status & 0x7f : nil, stdout: collected.out,
            stderr: collected.err, droppedBytes: collected.droppedOut, droppedErrorBytes: collected.droppedErr,
            timedOut: timedOut, seconds: Date().timeIntervalSince(start))
    }
}

/// Sets `RLIMIT_AS` of a running process (Linux `prlimit`, bound at run time: Glibc's Swift
/// module does not export it).
///
/// The child has only just been spawned, so nearly all of its allocations happen under the
/// limit.
private func limitAddressSpace(of pid: pid_t, to bytes: Int) {
    typealias Prlimit = @convention(c) (pid_t, Int32, UnsafePointer<rlimit>?, UnsafeMutablePointer<rlimit>?) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prlimit") else { return }
    var limit = rlimit(rlim_cur: rlim_t(bytes), rlim_max: rlim_t(bytes))
    let addressSpace: Int32 = 9  // RLIMIT_AS
    _ = unsafeBitCast(symbol, to: Prlimit.self)(pid, addressSpace, &limit, nil)
}

/// Output read so far, with a cap per stream.
private struct Collected {
    let outCap: Int, errCap: Int
    var out: [UInt8] = [], err: [UInt8] = [], droppedOut = 0, droppedErr = 0

    /// Reads both pipes until they close or the deadline passes (then kills the tree).
    ///
    /// When the child itself has exited, descendants that still hold a pipe are killed, so they
    /// cannot stall the build. Returns whether the time limit was reached. The child is not
    /// reaped.
    mutating func drain(out outFD: Int32, err errFD: Int32, deadline: Date, pid: pid_t, token: String) -> Bool {
        var open: [Int32] = [outFD, errFD]
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var exited = false
        while !open.isEmpty {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 {
                ProcessTree.kill(group: pid, token: token)
                return true
            }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(remaining, 0.2) * 1000) + 1)
            if ready < 0 && errno != EINTR { break }
            for p in fds where p.revents != 0 {
                let n = read(p.fd, &buffer, buffer.count)
                if n <= 0 {
                    open.removeAll { $0 == p.fd }
                    continue
                }
                append(buffer[0..<n], toStdout: p.fd == outFD)
            }
            if ready == 0 && !exited && ProcessTree.isZombie(pid) {
                exited = true
                ProcessTree.kill(group: pid, token: token)  // the pipes' last holders
                ProcessTree.sweep()  // and those it left with a cleared environment, now ours
            }
        }
        return false
    }

    /// Standard output keeps its first `outCap` bytes (the records come in order); standard
    /// error its last `errCap` (a trap's report comes at the end).
    private mutating func append(_ bytes: ArraySlice<UInt8>, toStdout: Bool) {
        if toStdout {
            let kept = bytes.prefix(max(0, outCap - out.count))
            out += kept
            droppedOut += bytes.count - kept.count
        } else {
            err += bytes
            if err.count > 2 * errCap {
                droppedErr += err.count - errCap
                err.removeFirst(err.count - errCap)
            }
        }
    }

    /// Trims standard error to its last `errCap` bytes once reading is done.
    mutating func finish() {
        if err.count > errCap {
            droppedErr += err.count - errCap
            err.removeFirst(err.count - errCap)
        }
    }
}

/// Why the runner could not do its work (as opposed to a cell failing).
public enum NotebookRunnerError: Error, Equatable, CustomStringConvertible {
    /// A program could not be started.
    case spawn(String, String)
    /// A required tool or file is missing.
    case missing(String)
    /// SIGINT or SIGTERM stopped the work.
    case interrupted

    /// A one-line message.
    public var description: String {
        switch self {
        case .spawn(let path, let why): "cannot run '\(path)': \(why)"
        case .missing(let what): what
        case .interrupted: "interrupted"
        }
    }
}
