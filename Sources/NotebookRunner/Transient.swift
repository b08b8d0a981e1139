import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Failures that say nothing about a notebook's code: a process killed from outside (the OOM
/// killer, an overloaded machine, a person), a compiler that could not start a process or get
/// memory, or that failed without a word.
///
/// A run that met one is reported, with the advice to run again, and never cached: the next
/// build tries afresh instead of replaying it.
enum Transient {
    /// The signals a program raises on itself when it fails (a trap, an abort, a bad access).
    ///
    /// They are deterministic outcomes of its code; every other signal came from outside.
    static let ownSignals: Set<Int32> = [SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS]

    /// "`what` was killed from outside by signal 9 (SIGKILL) (not a time-out or the memory
    /// limit); run again".
    static func killedFromOutside(_ what: String, signal: Int32) -> String {
        "\(what) was killed from outside by signal \(signal)\(signalName(signal)) "
            + "(not a time-out or the memory limit); run again"
    }

    /// Why a failed compiler run is transient, or nil when its output is the notebook's
    /// deterministic result (diagnostics of the code).
    static func ofCompiler(_ result: ProcessResult, output: String) -> String? {
        if let signal = result.signal, !ownSignals.contains(signal) {
            return killedFromOutside("the compiler", signal: signal)
        }
        // Only the driver's and the tools' own errors, never a diagnostic of the notebook's code or
        // the source line it quotes (a cell may well print "out of memory").
        let own = output.split(separator: "\n").filter {
            $0.hasPrefix("error: ") || $0.hasPrefix("<unknown>:0: error: ")
        }
        .joined(separator: "\n")
        // The driver's report of a frontend that died: "compile command failed due to signal 9".
        if let range = own.range(of: "failed due to signal "),
            let signal = Int32(own[range.upperBound...].prefix { $0.isNumber }), !ownSignals.contains(signal)
        {
            return killedFromOutside("the compiler (swift-frontend)", signal: signal)
        }
        let shortage = [
            "Resource temporarily unavailable", "Cannot allocate memory", "posix_spawn", "unable to execute command",
            "out of memory", "No space left on device",
        ]
        if let line = own.split(separator: "\n").first(where: { l in shortage.contains { l.contains($0) } }) {
            let text = line.count > 300 ? line.prefix(300) + "…" : line
            return "the compiler could not get a process, memory or disk space it needed (\(text)); run again"
        }
        if result.status != 0, output.allSatisfy(\.isWhitespace) {
            return "the compiler exited with status \(result.status) and printed nothing "
                + "(a compiler that fails silently was usually killed or short of memory or processes); run again"
        }
        return nil
    }

    /// " (SIGKILL)" for 9, and so on; empty for a signal without a common name.
    static func signalName(_ s: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
            SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV",
            SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU", SIGSYS: "SIGSYS",
        ]
        return names[s].map { " (\($0))" } ?? ""
    }
}
