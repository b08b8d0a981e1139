import Foundation

/// One of `count` parts of a course (`--shard index/count`, 1-based), which builds run on separate
/// machines to fill a shared cache.
///
/// Every shard computes the same assignment from the same inputs, the notebooks' paths and the
/// recorded seconds of each (`ShardTimes`), so that together they run each notebook once.
public struct Shard: Sendable, Equatable {
    /// 1-based.
    public let index: Int
    public let count: Int

    /// `i/n` with 1 ≤ i ≤ n; the message of a usage error otherwise.
    public static func parse(_ text: String) -> Result<Shard, ShardError> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            return .failure(
                ShardError("--shard '\(text)' is not i/n (write e.g. --shard 2/4: the second of four shards)"))
        }
        guard n >= 1 else { return .failure(ShardError("--shard '\(text)': the number of shards must be at least 1")) }
        guard (1...n).contains(i) else {
            return .failure(ShardError("--shard '\(text)': the shard must be between 1 and \(n)"))
        }
        return .success(Shard(index: i, count: n))
    }

    /// The paths of `paths` that this shard runs.
    ///
    /// Longest first (by `seconds`, then by path), each goes to the shard with the least work so
    /// far (the lowest-numbered on a tie): with no times known every notebook weighs the same and
    /// the paths, sorted, are dealt round. A notebook with no recorded time weighs the median of
    /// the known ones (1 s when none is known).
    /// - Complexity: O(m log m + m·n) for m paths and n shards.
    public func select(_ paths: [String], seconds: [String: Double]) -> [String] {
        let known = paths.compactMap { seconds[$0] }.filter { $0.isFinite && $0 >= 0 }.sorted()
        let typical = known.isEmpty ? 1 : known[known.count / 2]
        let weight = { (path: String) -> Double in
            guard let s = seconds[path], s.isFinite, s >= 0 else { return typical }
            return s
        }
        let order = Set(paths).sorted { a, b in weight(a) != weight(b) ? weight(a) > weight(b) : a < b }
        var load = [Double](repeating: 0, count: count)
        var mine: [String] = []
        for path in order {
            let target = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            load[target] += weight(path)
            if target == index - 1 { mine.append(path) }
        }
        return mine.sorted()
    }
}

/// A `--shard` value that is not `i/n` with 1 ≤ i ≤ n.
public struct ShardError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The seconds each notebook's last run took (compile and run), by path, kept in the cache
/// (`shard-times.json`) so that shards balance their work.
///
/// Only builds without `--shard` write it, after every shard of a CI run has read it: the shards
/// of one run read the same record and make the same assignment. Should two shards see different
/// records (a build finished between their starts), a notebook may run twice or be left to the
/// final build; the cache keys make every result the same, only time is lost.
public struct ShardTimes: Sendable {
    static let key = "shard-times.json"
    private static let tag = "notebook-shard-times-v1"

    private struct Record: Codable {
        var key: String
        var seconds: [String: Double]
    }

    /// The recorded seconds by notebook path; empty when nothing is recorded or it does not decode.
    ///
    /// Shards read the shared store alone (a local copy may be older than what the others read).
    public static func load(from store: any CacheStore) -> [String: Double] {
        guard let data = store.data(forKey: key), let record = try? JSONDecoder().decode(Record.self, from: data),
            record.key == tag
        else { return [:] }
        return record.seconds
    }

    /// Records `seconds` in place of what was recorded.
    public static func save(_ seconds: [String: Double], to store: any CacheStore) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(Record(key: tag, seconds: seconds)) else { return }
        store.store(data, forKey: key)
    }
}
