import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A loopback-only HTTP server for a `LiveSite`: the site's files from memory (the bytes the
/// build wrote to disk, so a request never meets a half-swapped folder), the live-reload script
/// in every HTML page, and the server-sent events stream pages listen to.
public struct PreviewServer: Sendable {
    public let site: LiveSite
    /// The address bound; `127.0.0.1` unless a test says otherwise.
    public let host: String
    /// The port; 0 takes any free one (`onRunning` is told which).
    public let port: Int

    /// Fails now if the port cannot be bound, so that `serve` says so before its first build
    /// rather than after it.
    ///
    /// The socket is closed again at once; the server binds it for good in `run`.
    /// - Throws: `PreviewServerError.cannotListen`, with the system's reason.
    public static func checkPort(host: String = "127.0.0.1", _ port: Int) throws {
        guard port != 0 else { return }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return }  // no socket to try with: `run` reports whatever goes wrong
        defer { close(fd) }
        var reuse: Int32 = 1  // as the server sets it, so a port in TIME_WAIT is not refused here
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if bound != 0 {
            throw PreviewServerError.cannotListen(host: host, port: port, reason: String(cString: strerror(errno)))
        }
    }

    public init(site: LiveSite, host: String = "127.0.0.1", port: Int) {
        self.site = site
        self.host = host
        self.port = port
    }

    /// Serves until SIGINT or SIGTERM, with `background` (the watcher) running beside it.
    ///
    /// Stopping is graceful: the server stops accepting, every event stream ends, open
    /// connections close, `background` is cancelled, and this returns.
    /// - Parameters:
    ///   - background: Work that runs while the server does; cancelled when it stops.
    ///   - onRunning: Called once the socket is bound, with its port.
    /// - Throws: `PreviewServerError.cannotListen` when the address cannot be bound.
    public func run(
        background: @escaping @Sendable () async throws -> Void,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) async throws {
        var logger = Logger(label: "notebook-serve")
        logger.logLevel = .critical
        let watcher = ClosureService {
            do { try await cancelWhenGracefulShutdown { try await background() } } catch is CancellationError {}
        }
        let app = Application(
            responder: SiteResponder(site: site),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "notebook"),
            services: [watcher],
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        do {
            try await app.runService()
        } catch let error as IOError {
            throw PreviewServerError.cannotListen(host: host, port: port, reason: error.description)
        }
        await site.close()
    }
}

/// Why the preview server could not start.
public enum PreviewServerError: Error, CustomStringConvertible {
    case cannotListen(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let host, let port, let reason):
            "cannot listen on \(host):\(port): \(reason)"
                + (reason.contains("in use") ? "; choose another port with --port" : "")
        }
    }
}

/// Answers GET and HEAD from the live site's files; the events path streams the site's state.
struct SiteResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let site: LiveSite

    func respond(to request: Request, context: Context) async throws -> Response {
        guard Self.isLoopback(authority: request.head.authority) else {
            // DNS rebinding: a page of another site whose name resolves to 127.0.0.1 sends its own Host.
            return Response(
                status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(
                    byteBuffer: ByteBuffer(string: "notebook serve answers only 127.0.0.1 and localhost\n")))
        }
        guard request.method == .get || request.method == .head else {
            return Response(status: .methodNotAllowed, headers: [.allow: "GET, HEAD"])
        }
        if request.uri.path == LiveReload.eventsPath { return await events(request) }
        let (files, version) = await site.snapshot()
        var headers: HTTPFields = [.cacheControl: "no-store"]
        let status: HTTPResponse.Status
        var bytes: [UInt8]
        if let path = LiveReload.resolve(request.uri.path, in: files.keys), let content = files[path] {
            status = .ok
            headers[.contentType] = LiveReload.contentType(path)
            bytes = path.hasSuffix(".html") ? LiveReload.inject(into: content, version: version) : content
        } else {
            status = .notFound
            headers[.contentType] = LiveReload.contentType("404.html")
            bytes = LiveReload.notFoundPage(request.uri.path, version: version)
        }
        headers[.contentLength] = String(bytes.count)
        if request.method == .head { bytes = [] }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Whether a request's Host names this machine's loopback (`127.0.0.1`, `localhost`, `[::1]`,
    /// any port); a request without one (HTTP/1.0) is let through.
    static func isLoopback(authority: String?) -> Bool {
        guard let authority, !authority.isEmpty else { return true }
        var host = Substring(authority.lowercased())
        if host.hasPrefix("[") {
            host = host.prefix { $0 != "]" }.dropFirst()
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        return host == "127.0.0.1" || host == "localhost" || host == "::1"
    }

    /// `text/event-stream`: the site's state now and after every change, until the page goes
    /// away or the server stops.
    private func events(_ request: Request) async -> Response {
        let (stream, id) = await site.watch()
        let site = self.site
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-store"]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                try await request.body.consumeWithInboundCloseHandler { _ in
                    try await writer.write(ByteBuffer(string: "retry: 500\n\n"))
                    for await state in stream.cancelOnGracefulShutdown() {
                        try await writer.write(ByteBuffer(string: state.event))
                    }
                } onInboundClosed: {
                    Task { await site.stopWatching(id) }
                }
                await site.stopWatching(id)
                try await writer.finish(nil)
            })
    }
}
