import Foundation
import NotebookRunner

/// SIGINT and SIGTERM: every notebook program, compiler and descendant the runner started is
/// killed and its temporary folder removed. `build`, `check` and `run` then exit with 128 + the
/// signal (130, 143), leaving the site as it was; `serve` goes on to its own graceful shutdown.
enum Interrupts {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    private static let received = Locked<Int32?>(nil)

    /// Installs the handlers; with `exit`, the process exits once the children are gone.
    static func install(exit: Bool) {
        for signal in [SIGINT, SIGTERM] {
            Glibc.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                received.update { $0 = $0 ?? signal }
                ProcessTree.terminateAll()
                if exit { exitIfInterrupted() }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// After a signal: says so once and exits with 128 + the signal. The handler and the main
    /// thread (whose work the signal cut short) may both get here; only one prints.
    static func exitIfInterrupted() {
        guard let signal = received.value else { return }
        let first = received.update { _ in printedOnce.update { was in defer { was = true }; return !was } }
        ProcessTree.quiesce()
        if first { printError("notebook: \(signal == SIGINT ? "interrupted" : "terminated"); stopped every program it had started") }
        Glibc.exit(128 + signal)
    }

    private static let printedOnce = Locked(false)
}
