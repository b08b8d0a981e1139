import NotebookModel

/// The site a preview server shows, and the pages that watch it.
///
/// Each `publish` is a new version; every file remembers the version it last changed in, so a
/// page that connects late (or reconnects) still learns that it is out of date.
public actor LiveSite {
    /// The files served, by path relative to the site's root (`index.html`, `style.css`).
    public private(set) var files: [String: [UInt8]] = [:]
    /// The number of the last publish (0 before the first).
    public private(set) var version = 0
    /// What stops the site from being current (diagnostics of the last build), or nil.
    public private(set) var problem: String?
    private var changedIn: [String: Int] = [:]
    private var listeners: [Int: AsyncStream<SiteState>.Continuation] = [:]
    private var nextListener = 0

    public init() {}

    /// Replaces the site with `newFiles` (already written to disk) and tells every watching page;
    /// returns the paths whose bytes changed, were added or were removed, sorted.
    @discardableResult
    public func publish(_ newFiles: [String: [UInt8]], problem: String? = nil) -> [String] {
        let changed = Set(newFiles.keys).union(files.keys).filter { newFiles[$0] != files[$0] }.sorted()
        version += 1
        for path in changed { changedIn[path] = newFiles[path] == nil ? nil : version }
        files = newFiles
        self.problem = problem
        broadcast()
        return changed
    }

    /// Keeps the pages as they are but tells the watching pages what went wrong (nil: nothing).
    public func report(problem: String?) {
        guard problem != self.problem else { return }
        self.problem = problem
        broadcast()
    }

    /// The state now, then every change, until `stopWatching(id)` or `close()`.
    public func watch() -> (AsyncStream<SiteState>, id: Int) {
        let (stream, continuation) = AsyncStream.makeStream(of: SiteState.self, bufferingPolicy: .bufferingNewest(1))
        let id = nextListener
        nextListener += 1
        listeners[id] = continuation
        continuation.yield(state)
        return (stream, id)
    }

    /// Ends the stream `watch` gave with `id`.
    public func stopWatching(_ id: Int) {
        listeners.removeValue(forKey: id)?.finish()
    }

    /// The files and the version they are, read together.
    public func snapshot() -> (files: [String: [UInt8]], version: Int) { (files, version) }

    /// How many pages are watching.
    public var watcherCount: Int { listeners.count }

    /// Ends every watching stream (the server is stopping).
    public func close() {
        for continuation in listeners.values { continuation.finish() }
        listeners = [:]
    }

    /// The state a page compares itself with.
    public var state: SiteState { SiteState(version: version, changedIn: changedIn, problem: problem) }

    private func broadcast() {
        let state = self.state
        for continuation in listeners.values { continuation.yield(state) }
    }
}

/// What a watching page is told: the site's version, the version each file last changed in, and
/// the build's problem if any.
public struct SiteState: Sendable, Equatable {
    public var version: Int
    public var changedIn: [String: Int]
    public var problem: String?

    /// The server-sent event carrying this state: `event: site` and one line of JSON data.
    public var event: String {
        let pages = changedIn.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\($0.value)" }.joined(
            separator: ",")
        let problemJSON = problem.map { jsonString($0) } ?? "null"
        return "event: site\ndata: {\"version\":\(version),\"changedIn\":{\(pages)},\"problem\":\(problemJSON)}\n\n"
    }
}
