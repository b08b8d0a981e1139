import Foundation
import NotebookModel
import Testing

@testable import NotebookRunner

/// A store in memory that counts its reads.
final class MemoryStore: CacheStore, @unchecked Sendable {
    let entries = Locked<[String: Data]>([:])
    let reads = Locked(0)
    func data(forKey key: String) -> Data? {
        reads.update { $0 += 1 }
        return entries.value[key]
    }
    func store(_ data: Data, forKey key: String) { entries.update { $0[key] = data } }
}

@Test func layeredStoreReadsNearThenFarAndKeepsACopy() {
    let near = MemoryStore(), far = MemoryStore()
    let layered = LayeredStore(near: near, far: far)
    far.store(Data("remote".utf8), forKey: "a.json")
    #expect(layered.data(forKey: "a.json") == Data("remote".utf8))
    #expect(near.entries.value["a.json"] == Data("remote".utf8))
    #expect(layered.data(forKey: "a.json") == Data("remote".utf8))
    #expect(far.reads.value == 1)  // the second read was local
    #expect(layered.data(forKey: "missing") == nil)
    layered.store(Data("x".utf8), forKey: "pages/b.html")
    #expect(near.entries.value["pages/b.html"] == Data("x".utf8) && far.entries.value["pages/b.html"] == Data("x".utf8))
}

@Test func folderStoreKeepsTheCacheFolderLayout() throws {
    let folder = NSTemporaryDirectory() + "nb-store-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let store = FolderStore(directory: folder)
    store.store(Data("page".utf8), forKey: "pages/k.html")
    #expect(FileManager.default.contents(atPath: folder + "/pages/k.html") == Data("page".utf8))
    #expect(store.data(forKey: "pages/k.html") == Data("page".utf8) && store.data(forKey: "nothing") == nil)
}

@Test func actionResultHasTheRemoteExecutionAPIWireFormat() {
    let hash = String(repeating: "a", count: 64)
    let result = ActionResult(outputFiles: [.init(path: "k", hash: hash, size: 300)])
    // Digest {1: hash, 2: 300 (varint 0xac 0x02)}; OutputFile {1: "k", 2: digest}; ActionResult {2: file}.
    let digest: [UInt8] = [0x0a, 64] + Array(hash.utf8) + [0x10, 0xac, 0x02]
    let file: [UInt8] = [0x0a, 1, UInt8(ascii: "k"), 0x12, UInt8(digest.count)] + digest
    #expect(result.encoded() == [0x12, UInt8(file.count)] + file)
    #expect(ActionResult(decoding: result.encoded()) == result)
    // Fields it does not use (exit_code 4, stdout_raw 5, a fixed64) are skipped.
    let more: [UInt8] = [0x20, 0x01, 0x2a, 0x02, 0x68, 0x69, 0x09] + [UInt8](repeating: 7, count: 8)
    #expect(ActionResult(decoding: more + result.encoded()) == result)
    #expect(ActionResult(decoding: more)?.outputFiles == [])
}

@Test(arguments: [
    Array("{\"key\": \"x\"}".utf8), [0x12, 0x05, 0x0a], [0x12, 0x03, 0x0a, 0x01, 0x6b], [0x0f], [0x12, 0xff],
])
func garbageIsNotAnActionResult(_ bytes: [UInt8]) {
    #expect(ActionResult(decoding: bytes) == nil)
}

@Test func remoteActionKeysAreHexAndNamespaced() {
    let key = RemoteCache.actionKey("abc.json")
    #expect(key.count == 64 && key.allSatisfy(\.isHexDigit) && key != RemoteCache.actionKey("abc.html"))
    #expect(RemoteCache.problem(with: "http://127.0.0.1:9090/cache") == nil)
    #expect(RemoteCache.problem(with: "ftp://h/") == "its scheme is 'ftp', not http or https")
    #expect(RemoteCache.problem(with: "localhost:9090") != nil)
    #expect(RemoteCache.problem(with: "http://h/?a=1") == "it has a query or a fragment")
}

@Test(arguments: [
    ("2/4", Shard(index: 2, count: 4) as Shard?), ("1/1", Shard(index: 1, count: 1)), ("0/4", nil), ("5/4", nil),
    ("x", nil), ("2/", nil), ("1/0", nil), ("-1/3", nil), ("1/2/3", nil),
])
func shardValues(_ text: String, _ expected: Shard?) {
    #expect((try? Shard.parse(text).get()) == expected)
}

@Test func shardsWithNoTimesDealSortedPathsRound() {
    let paths = ["e", "a", "d", "b", "c"]
    #expect(Shard(index: 1, count: 2).select(paths, seconds: [:]) == ["a", "c", "e"])
    #expect(Shard(index: 2, count: 2).select(paths, seconds: [:]) == ["b", "d"])
    #expect(Shard(index: 3, count: 3).select(paths, seconds: [:]) == ["c"])
    #expect(Shard(index: 4, count: 6).select(paths, seconds: [:]) == ["d"])
    #expect(Shard(index: 6, count: 6).select(paths, seconds: [:]) == [])
}

@Test func shardsBalanceRecordedTimesLongestFirst() {
    let seconds = ["a": 10.0, "b": 1, "c": 1, "d": 8]
    // a → 1 (10); d → 2 (8); b → 2 (9); c → 2 (10).
    #expect(Shard(index: 1, count: 2).select(["a", "b", "c", "d"], seconds: seconds) == ["a"])
    #expect(Shard(index: 2, count: 2).select(["a", "b", "c", "d"], seconds: seconds) == ["b", "c", "d"])
    // An unknown notebook ("x") weighs the median of the known ones, 8: a → 1; d, x → 2 (8, 16); b, c → 1 (11, 12).
    #expect(Shard(index: 1, count: 2).select(["a", "b", "c", "d", "x"], seconds: seconds) == ["a", "b", "c"])
}

@Test func everyNotebookIsInExactlyOneShard() {
    let paths = (0..<37).map { "notebooks/\($0).md" }
    let seconds = Dictionary(uniqueKeysWithValues: paths.enumerated().map { ($1, Double(($0 * 7919) % 13)) })
    for count in 1...6 {
        let shares = (1...count).map { Shard(index: $0, count: count).select(paths, seconds: seconds) }
        #expect(shares.flatMap { $0 }.sorted() == paths.sorted())
        let loads = shares.map { $0.reduce(0) { $0 + seconds[$1]! } }
        #expect(loads.max()! - loads.min()! <= 12)  // within the longest single notebook
    }
}

@Test func shardTimesRoundTripThroughAStore() {
    let store = MemoryStore()
    #expect(ShardTimes.load(from: store) == [:])
    ShardTimes.save(["notebooks/a.md": 1.25], to: store)
    #expect(ShardTimes.load(from: store) == ["notebooks/a.md": 1.25])
    store.store(Data("{\"key\": \"other\", \"seconds\": {\"a\": 1}}".utf8), forKey: "shard-times.json")
    #expect(ShardTimes.load(from: store) == [:])
}

/// A 64-bit little-endian ELF header with one PT_NOTE program header holding `notes`.
func elfFile(notes: [UInt8]) -> Data {
    func le(_ v: UInt64, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    var header = [UInt8](repeating: 0, count: 64)
    header.replaceSubrange(0..<6, with: [0x7f, 0x45, 0x4c, 0x46, 2, 1])
    header.replaceSubrange(0x20..<0x28, with: le(64, 8))  // e_phoff
    header.replaceSubrange(0x36..<0x38, with: le(56, 2))  // e_phentsize
    header.replaceSubrange(0x38..<0x3a, with: le(1, 2))  // e_phnum
    var program = [UInt8](repeating: 0, count: 56)
    program.replaceSubrange(0..<4, with: le(4, 4))  // PT_NOTE
    program.replaceSubrange(8..<16, with: le(120, 8))  // p_offset
    program.replaceSubrange(32..<40, with: le(UInt64(notes.count), 8))  // p_filesz
    return Data(header + program + notes)
}

@Test func runnerIdentityIsTheELFBuildID() {
    // An ABI-tag note (type 1) first, then the build ID (type 3, owner "GNU").
    let abi: [UInt8] = [4, 0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0] + Array("GNU\0".utf8) + [UInt8](repeating: 0, count: 16)
    let id: [UInt8] = [4, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0] + Array("GNU\0".utf8) + [0xde, 0xad, 0xbe, 0xef]
    #expect(RunnerIdentity.buildID(elfFile(notes: abi + id)) == "deadbeef")
    #expect(RunnerIdentity.buildID(elfFile(notes: abi)) == nil)
    #expect(RunnerIdentity.buildID(Data("#!/bin/sh\n".utf8)) == nil)
    #expect(RunnerIdentity.buildID(elfFile(notes: Array(id.prefix(14)))) == nil)
}

@Test func theRunningBinaryIsIdentifiedByItsBuildID() throws {
    #if os(Linux)
    let identity = RunnerIdentity.current()
    let id = RunnerIdentity.buildID(try Data(contentsOf: URL(fileURLWithPath: "/proc/self/exe")))
    #expect(id != nil && identity == "runner build-id " + (id ?? ""))
    #expect((id ?? "").count >= 16 && (id ?? "").allSatisfy(\.isHexDigit))
    #endif
}
