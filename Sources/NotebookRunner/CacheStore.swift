import Foundation

/// Where cached bytes live: a local folder, a remote cache server, or one in front of the other.
///
/// A key is a relative file name (`<sha256>.json`, `pages/<sha256>.html`); what is stored under
/// it is opaque bytes, checked by whoever reads them (`ExecutionCache` decodes its entry and
/// compares the key it carries). A store never throws: what it cannot read is a miss, what it
/// cannot write is dropped.
public protocol CacheStore: Sendable {
    /// The bytes stored under `key`, or nil.
    func data(forKey key: String) -> Data?
    /// Stores `data` under `key`, replacing what was there.
    func store(_ data: Data, forKey key: String)
}

/// A folder with one file per key (`.notebook-cache/`), each written whole by a rename.
public struct FolderStore: CacheStore {
    /// The folder; created on the first write.
    public let directory: String

    /// A store in `directory`.
    public init(directory: String) { self.directory = directory }

    public func data(forKey key: String) -> Data? { FileManager.default.contents(atPath: path(key)) }

    public func store(_ data: Data, forKey key: String) { replaceFile(path(key), with: data) }

    private func path(_ key: String) -> String { directory + "/" + key }
}

/// A fast store in front of a slow one: reads the first, then the second (copying a hit into
/// the first, so the next read is local); writes both.
public struct LayeredStore: CacheStore {
    /// Read first; holds a copy of everything read or written.
    public let near: any CacheStore
    /// Read on a miss of `near`.
    public let far: any CacheStore

    /// `near` in front of `far`.
    public init(near: any CacheStore, far: any CacheStore) {
        self.near = near
        self.far = far
    }

    public func data(forKey key: String) -> Data? {
        if let data = near.data(forKey: key) { return data }
        guard let data = far.data(forKey: key) else { return nil }
        near.store(data, forKey: key)
        return data
    }

    public func store(_ data: Data, forKey key: String) {
        near.store(data, forKey: key)
        far.store(data, forKey: key)
    }
}
