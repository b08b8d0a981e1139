#if canImport(Glibc)
import Glibc
#endif

/// Linux's child subreaper: a process that adopts its orphaned descendants, so that a grandchild
/// whose parent exited (a double fork, `setsid`, a daemon), even one with a cleared environment,
/// becomes its child instead of init's, where it can be found and killed.
///
/// The runner is one (its programs' leftovers come back to it when they end), and so is every
/// notebook program (its cells' orphans stay its own while it runs, so that two programs run
/// side by side never mix theirs).
public enum Subreaper {
    /// Makes this process a child subreaper (`prctl(PR_SET_CHILD_SUBREAPER)`, kept across
    /// `execve`); whether it is one.
    @discardableResult
    public static func become() -> Bool {
        // prctl is variadic, so Swift does not import it; its four optional arguments are words.
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prctl") else { return false }
        let setChildSubreaper: Int32 = 36  // PR_SET_CHILD_SUBREAPER
        return unsafeBitCast(symbol, to: Prctl.self)(setChildSubreaper, 1, 0, 0, 0) == 0
    }
}
