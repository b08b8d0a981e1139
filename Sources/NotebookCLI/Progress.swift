import Foundation
import NotebookModel

/// Progress on standard error while notebooks run.
///
/// On a terminal, one live line rewritten in place,
/// `[3/11] notebooks/04-scaling.md compiled 0.31 s, ran 0.02 s`, cleared when the run ends so the
/// closing summary stands alone; a failing notebook keeps its own line. Elsewhere (a pipe, a log,
/// `TERM=dumb`) one plain line per notebook. `--quiet` prints nothing here.
final class Progress: @unchecked Sendable {
    enum Style {
        /// A line rewritten in place, cut to the terminal's width.
        case live(width: Int)
        /// One line per finished notebook.
        case lines
        /// Nothing.
        case quiet
    }

    let style: Style
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private var done = 0
    private var total = 0
    private var showing = false

    /// Progress for `quiet`, on standard error, live when standard error is a terminal.
    convenience init(quiet: Bool) {
        self.init(style: quiet ? .quiet : Progress.terminalWidth().map { .live(width: $0) } ?? .lines) { text in
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    init(style: Style, write: @escaping @Sendable (String) -> Void) {
        self.style = style
        self.write = write
    }

    /// The width of the terminal on standard error, or nil when it is not a terminal one can
    /// rewrite a line on.
    static func terminalWidth() -> Int? {
        guard isatty(STDERR_FILENO) != 0, ProcessInfo.processInfo.environment["TERM"] != "dumb" else { return nil }
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// How many notebooks this run has; call before the first `started`.
    func begin(total: Int) {
        lock.lock()
        defer { lock.unlock() }
        self.total = total
    }

    /// A notebook starts (shown on the live line only).
    func started(_ notebook: Notebook) {
        lock.lock()
        defer { lock.unlock() }
        if case .live = style { show("[\(done)/\(total)] \(notebook.path) …") }
    }

    /// A notebook is done.
    func finished(_ notebook: Notebook, run: NotebookRun) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        let how =
            run.cached
            ? "cached"
            : "compiled \(Self.seconds(run.compileSeconds)), ran \(Self.seconds(run.runSeconds))"
                + (run.resumedAfter.map { " from the checkpoint after cell \($0)" } ?? "")
        let failed = run.failed(in: notebook)
        let line = "[\(done)/\(total)] \(notebook.path) \(how)\(failed ? " — FAILED" : "")"
        switch style {
        case .quiet: break
        case .lines: write(line + "\n")
        case .live:
            if failed {
                clearLine()
                write(line + "\n")
            } else {
                show(line)
            }
        }
    }

    /// The run is over: the live line is cleared.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        clearLine()
    }

    /// `0.31 s`.
    static func seconds(_ s: Double) -> String { NumberFormat.fixed(s, digits: 2) + " s" }

    private func show(_ line: String) {
        guard case .live(let width) = style else { return }
        let cut = line.count < width ? line : String(line.prefix(max(1, width - 2))) + "…"
        write("\r\u{1B}[K" + cut)
        showing = true
    }

    private func clearLine() {
        if showing { write("\r\u{1B}[K") }
        showing = false
    }
}
