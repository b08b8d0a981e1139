import Foundation
import NotebookModel

/// Results of earlier runs, one JSON file per cache key under a git-ignored folder.
///
/// An entry that cannot be read or whose key does not match is ignored.
struct ExecutionCache {
    let directory: String

    private struct Entry: Codable {
        var key: String
        var run: NotebookRun
    }

    func load(key: String) -> NotebookRun? {
        guard let data = FileManager.default.contents(atPath: path(key)),
            let entry = try? OutputCoding.decoder().decode(Entry.self, from: data), entry.key == key
        else { return nil }
        return entry.run
    }

    func store(_ run: NotebookRun, key: String) {
        guard let data = try? OutputCoding.encoder().encode(Entry(key: key, run: run)) else { return }
        replaceFile(path(key), with: data)
    }

    private func path(_ key: String) -> String { directory + "/" + key + ".json" }
}
