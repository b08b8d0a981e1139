import Foundation
import NotebookModel

/// A cache server speaking Bazel's HTTP remote-cache protocol (bazel-remote, nginx with WebDAV,
/// CI caches): `GET`/`PUT /cas/<sha256>` for content-addressed blobs, `/ac/<sha256>` for action
/// results.
///
/// The bytes stored under a key go to the CAS under their own SHA-256; the action cache maps the
/// key's hash to an `ActionResult` naming the key as its one output file and that blob's digest.
/// A read checks both: the action result must decode and name the key, and the blob's SHA-256
/// and size must be the ones it names. A server that refuses, times out, answers 5xx or anything
/// but 200 or 404, or sends bytes that fail those checks is dropped for the rest of the process,
/// with one warning: its reads are misses from then on, its writes are skipped.
public struct RemoteCache: CacheStore {
    /// The server's address; `/ac/` and `/cas/` are appended to its path.
    public let url: URL
    private let client: HTTPClient
    private let dropped = Locked<String?>(nil)
    private let warn: @Sendable (String) -> Void

    /// A client of the server at `url`; `timeout`: seconds a request may wait for a byte;
    /// `warn` is called once, with why, when the server is dropped.
    public init(url: URL, timeout: Double = 5, warn: @escaping @Sendable (String) -> Void) {
        self.url = url
        self.client = HTTPClient(timeout: timeout)
        self.warn = warn
    }

    /// Why the server was dropped, or nil while it is used.
    public var failure: String? { dropped.value }

    /// A problem with `text` as a cache server's address, or nil when it is one: an `http` or
    /// `https` URL with a host, and no query or fragment.
    public static func problem(with text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else { return "it is not a URL" }
        guard scheme == "http" || scheme == "https" else { return "its scheme is '\(scheme)', not http or https" }
        guard let host = url.host, !host.isEmpty else { return "it names no host" }
        guard url.query == nil, url.fragment == nil else { return "it has a query or a fragment" }
        return nil
    }

    /// The action-cache key under which `key`'s result is stored.
    static func actionKey(_ key: String) -> String {
        var hash = SHA256()
        hash.update(field: "notebook-store-v1")
        hash.update(field: key)
        return hash.hexDigest()
    }

    public func data(forKey key: String) -> Data? {
        guard dropped.value == nil else { return nil }
        guard let ac = get("ac", Self.actionKey(key)) else { return nil }
        guard let result = ActionResult(decoding: Array(ac)),
            let file = result.outputFiles.first(where: { $0.path == key })
        else {
            drop("/ac/\(Self.actionKey(key).prefix(12))… is not the action result of '\(key)'")
            return nil
        }
        guard let blob = get("cas", file.hash) else { return nil }
        guard blob.count == file.size, Self.digest(blob) == file.hash else {
            drop("/cas/\(file.hash.prefix(12))… does not hold the bytes its name is the SHA-256 of")
            return nil
        }
        return blob
    }

    public func store(_ data: Data, forKey key: String) {
        guard dropped.value == nil else { return }
        let hash = Self.digest(data)
        guard put("cas", hash, data) else { return }
        let result = ActionResult(outputFiles: [.init(path: key, hash: hash, size: data.count)])
        _ = put("ac", Self.actionKey(key), Data(result.encoded()))
    }

    /// The body of `GET /kind/hash` when it is 200; nil on 404 or when the server failed (then dropped).
    private func get(_ kind: String, _ hash: String) -> Data? {
        switch client.send("GET", address(kind, hash)) {
        case .success(let r) where r.status == 200: return r.body
        case .success(let r) where r.status == 404: return nil
        case .success(let r): drop("GET /\(kind)/\(hash.prefix(12))…: HTTP \(r.status)")
        case .failure(let why): drop("GET /\(kind)/\(hash.prefix(12))…: \(why)")
        }
        return nil
    }

    /// Whether `PUT /kind/hash` was accepted (2xx); the server is dropped when it was not.
    private func put(_ kind: String, _ hash: String, _ body: Data) -> Bool {
        guard dropped.value == nil else { return false }
        switch client.send("PUT", address(kind, hash), body: body) {
        case .success(let r) where (200..<300).contains(r.status): return true
        case .success(let r): drop("PUT /\(kind)/\(hash.prefix(12))…: HTTP \(r.status)")
        case .failure(let why): drop("PUT /\(kind)/\(hash.prefix(12))…: \(why)")
        }
        return false
    }

    private func address(_ kind: String, _ hash: String) -> URL {
        url.appendingPathComponent(kind).appendingPathComponent(hash)
    }

    /// Stops using the server; the first caller warns.
    private func drop(_ why: String) {
        let first = dropped.update { state -> Bool in
            guard state == nil else { return false }
            state = why
            return true
        }
        if first {
            warn("the cache server \(url.absoluteString) failed (\(why)); not using it for the rest of this build")
        }
    }

    private static func digest(_ data: Data) -> String {
        var hash = SHA256()
        hash.update(data)
        return hash.hexDigest()
    }
}
