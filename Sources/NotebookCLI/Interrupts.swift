import Foundation
import NotebookModel
import NotebookRunner

/// SIGINT and SIGTERM: every notebook program, compiler and descendant the runner started is
/// killed and its temporary folder removed.
///
/// `build`, `check` and `run` then exit with 128 + the signal (130, 143), leaving the site as
/// it was; `serve` goes on to its own graceful shutdown.
enum Interrupts {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    /// The first signal received, and whether it was reported.
    private static let received = Locked<(signal: Int32, reported: Bool)?>(nil)

    /// Installs the handlers; with `exit`, the process exits once the children are gone.
    static func install(exit: Bool) {
        for signal in [SIGINT, SIGTERM] {
            Glibc.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                received.update { $0 = $0 ?? (signal, false) }
                ProcessTree.terminateAll()
                if exit { exitIfInterrupted() }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// After a signal: says so once and exits with 128 + the signal.
    ///
    /// The handler and the main thread (whose work the signal cut short) may both get here;
    /// only one prints.
    static func exitIfInterrupted() {
        guard
            let (signal, reported) = received.update({ state -> (Int32, Bool)? in
                defer { state?.reported = true }
                return state.map { ($0.signal, $0.reported) }
            })
        else { return }
        ProcessTree.quiesce()
        if !reported {
            printError(
                "notebook: \(signal == SIGINT ? "interrupted" : "terminated"); stopped every program it had started")
        }
        Glibc.exit(128 + signal)
    }
}
