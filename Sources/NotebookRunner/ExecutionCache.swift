import Foundation
import NotebookModel

/// Results of earlier runs, one JSON entry per cache key (`<key>.json`) in a `CacheStore`: the
/// git-ignored cache folder, in front of a cache server when there is one.
///
/// An entry that cannot be decoded or whose key does not match is ignored.
struct ExecutionCache {
    let backing: any CacheStore

    init(store: any CacheStore) { backing = store }

    init(directory: String) { self.init(store: FolderStore(directory: directory)) }

    private struct Entry: Codable {
        var key: String
        var run: NotebookRun
    }

    func load(key: String) -> NotebookRun? {
        guard let data = backing.data(forKey: key + ".json"),
            let entry = try? OutputCoding.decoder().decode(Entry.self, from: data), entry.key == key
        else { return nil }
        return entry.run
    }

    func store(_ run: NotebookRun, key: String) {
        guard let data = try? OutputCoding.encoder().encode(Entry(key: key, run: run)) else { return }
        backing.store(data, forKey: key + ".json")
    }
}

extension RunOptions {
    /// Where runs (and pages) are kept by key: the cache folder, in front of `remoteCache` when
    /// there is one; nil for no cache (`--no-cache`).
    public var store: (any CacheStore)? {
        guard let cacheDirectory else { return nil }
        let local = FolderStore(directory: cacheDirectory)
        return remoteCache.map { LayeredStore(near: local, far: $0) } ?? local
    }
}
