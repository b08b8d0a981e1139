import Foundation
import NotebookModel

/// A checkpoint as the cache keeps it: the state after a cell (the variables' files and their
/// manifest), the results of the cells up to it, and the digests that prove the files whole.
struct StoredCheckpoint: Codable, Sendable {
    /// The prefix key it was stored under.
    var key: String
    var manifest: CheckpointManifest
    /// The results of cells 0…`manifest.cell`.
    var cells: [CellResult]
    /// Their diagnostics (warnings), at the lines the cells had.
    var diagnostics: [Diagnostic]
    /// The line each of those cells started at.
    var cellLines: [Int]
    /// SHA-256 of each variable's file, by file name.
    var digests: [String: String]
    /// The files the cells up to it read, with their digests.
    var inputs: [FileInput]?

    /// The file of the entry inside the checkpoint's folder.
    static let fileName = "checkpoint.json"
}

/// Checkpoints in the cache folder, one folder per prefix key (`checkpoints/<key>/`).
///
/// A checkpoint whose entry does not decode, whose key differs, or one of whose files does not
/// match its digest is ignored; one is written into a temporary folder and renamed into place.
struct CheckpointStore {
    let directory: String
    /// A cache server behind the folder (`--cache-url`): a checkpoint missing or broken here is
    /// fetched from it into the folder, and one stored here is sent to it.
    var remote: (any CacheStore)? = nil

    /// The checkpoint stored under `key` and its folder, if it is whole (fetched from the server
    /// when the folder does not have it whole).
    func load(key: String) -> (StoredCheckpoint, folder: String)? {
        if let local = loadLocal(key: key) { return local }
        guard let remote, let entry = remote.data(forKey: remoteKey(key, StoredCheckpoint.fileName)),
            let decoded = try? OutputCoding.decoder().decode(StoredCheckpoint.self, from: entry),
            decoded.key == key
        else { return nil }
        let folder = directory + "/" + key
        for file in decoded.manifest.saved.map(\.file) + [CheckpointManifest.fileName] {
            guard let bytes = remote.data(forKey: remoteKey(key, file)) else { return nil }
            replaceFile(folder + "/" + file, with: bytes)
        }
        replaceFile(folder + "/" + StoredCheckpoint.fileName, with: entry)  // last: the folder is whole
        return loadLocal(key: key)
    }

    /// A file of a checkpoint as the server names it.
    private func remoteKey(_ key: String, _ file: String) -> String { "checkpoints/\(key)/\(file)" }

    /// The checkpoint in the folder, if it is whole.
    private func loadLocal(key: String) -> (StoredCheckpoint, folder: String)? {
        let folder = directory + "/" + key
        guard let data = FileManager.default.contents(atPath: folder + "/" + StoredCheckpoint.fileName),
            let entry = try? OutputCoding.decoder().decode(StoredCheckpoint.self, from: data), entry.key == key,
            Set(entry.digests.keys) == Set(entry.manifest.saved.map(\.file)),
            let manifestData = FileManager.default.contents(atPath: folder + "/" + CheckpointManifest.fileName),
            (try? OutputCoding.decoder().decode(CheckpointManifest.self, from: manifestData)) == entry.manifest
        else { return nil }
        for (file, digest) in entry.digests {
            guard let bytes = FileManager.default.contents(atPath: folder + "/" + file) else { return nil }
            guard SHA256.hexDigest(of: bytes) == digest else { return nil }
        }
        return (entry, folder)
    }

    /// Stores the checkpoint a program wrote into `written` (its manifest and files) under `key`.
    func store(
        written: String, manifest: CheckpointManifest, cells: [CellResult], diagnostics: [Diagnostic],
        cellLines: [Int], inputs: [FileInput]?, key: String
    ) {
        let fm = FileManager.default
        let staging = directory + "/.staging-\(getpid())-\(key)"
        try? fm.removeItem(atPath: staging)
        guard (try? fm.createDirectory(atPath: staging, withIntermediateDirectories: true)) != nil else { return }
        var digests: [String: String] = [:]
        for saved in manifest.saved {
            guard let bytes = fm.contents(atPath: written + "/" + saved.file),
                fm.createFile(atPath: staging + "/" + saved.file, contents: bytes)
            else {
                try? fm.removeItem(atPath: staging)
                return
            }
            digests[saved.file] = SHA256.hexDigest(of: bytes)
        }
        let entry = StoredCheckpoint(
            key: key, manifest: manifest, cells: cells, diagnostics: diagnostics, cellLines: cellLines,
            digests: digests, inputs: inputs)
        // The manifest beside the entry is the one the resuming program reads.
        guard let data = try? OutputCoding.encoder().encode(entry),
            let manifestData = try? OutputCoding.encoder().encode(manifest),
            fm.createFile(atPath: staging + "/" + CheckpointManifest.fileName, contents: manifestData),
            fm.createFile(atPath: staging + "/" + StoredCheckpoint.fileName, contents: data)
        else {
            try? fm.removeItem(atPath: staging)
            return
        }
        if let remote {
            // The entry last, so a server never names files it does not hold.
            for file in manifest.saved.map(\.file) + [CheckpointManifest.fileName, StoredCheckpoint.fileName] {
                if let bytes = fm.contents(atPath: staging + "/" + file) {
                    remote.store(bytes, forKey: remoteKey(key, file))
                }
            }
        }
        let final = directory + "/" + key
        try? fm.removeItem(atPath: final)
        if rename(staging, final) != 0 { try? fm.removeItem(atPath: staging) }
    }
}

/// The checkpoint a program resumes from: the cell after which the state was saved, the saved
/// variables' types, the folder of their files, and the results of the cells up to it.
struct Resumption: Sendable {
    /// The 0-based index of the cell after which the state was saved.
    var cell: Int
    /// The saved variables, by name.
    var saved: [String: CheckpointManifest.Saved]
    /// The names a program resuming here must declare.
    var required: Set<String>
    /// The folder holding the checkpoint's files.
    var folder: String
    /// The results of cells 0…`cell`, and their diagnostics at the notebook's current lines.
    var cells: [CellResult]
    var diagnostics: [Diagnostic]
    /// The files those cells read, with their digests.
    var inputs: [FileInput]
}

/// Which top-level variables of the cells up to a checkpoint the code after it needs.
enum CheckpointNeeds {
    /// Each included cell's top-level state, by index.
    static func states(_ cells: [Cell]) -> [Int: TopLevelState] {
        Dictionary(uniqueKeysWithValues: cells.map { ($0.index, ProgramGenerator.analysis($0.code).state) })
    }

    /// What a program resuming after cell `k` must declare: the variables of cells 0…k that the
    /// later cells, or the declarations kept from cells 0…k, mention (and, for a closure declared
    /// again, what it mentions); and why it cannot resume there, if it cannot.
    static func required(after k: Int, cells: [Cell], states: [Int: TopLevelState]) -> (
        names: Set<String>, variables: [(cell: Int, variable: TopLevelState.Variable)], unsupported: (Int, String)?
    ) {
        var declared: [String: (Int, TopLevelState.Variable)] = [:]
        var mentioned: Set<String> = []
        var unsupported: (Int, String)?
        for cell in cells {
            guard let state = states[cell.index] else { continue }
            if cell.index <= k {
                for v in state.variables { declared[v.name] = (cell.index, v) }
                mentioned.formUnion(state.keptReferences)
                if unsupported == nil, let why = state.unsupported { unsupported = (cell.index, why) }
            } else {
                mentioned.formUnion(state.references)
            }
        }
        var required: Set<String> = []
        var pending = Array(mentioned.filter { declared[$0] != nil })
        while let name = pending.popLast() {
            guard required.insert(name).inserted, let (_, v) = declared[name] else { continue }
            pending += v.verbatimReferences.filter { declared[$0] != nil && !required.contains($0) }
        }
        let variables = required.compactMap { declared[$0] }.sorted { ($0.0, $0.1.name) < ($1.0, $1.1.name) }
        return (required, variables.map { (cell: $0.0, variable: $0.1) }, unsupported)
    }
}

/// The files a run read, from the list its program wrote (`read`/`wrote`, cell, path per line).
enum FileInputs {
    /// The SHA-256 of the file at `path` (relative to the working folder or absolute), or
    /// "missing".
    static func digest(_ path: String) -> String {
        guard let bytes = FileManager.default.contents(atPath: path) else { return "missing" }
        return SHA256.hexDigest(of: bytes)
    }

    /// Whether every file still has the digest it had.
    static func unchanged(_ inputs: [FileInput]?) -> Bool {
        (inputs ?? []).allSatisfy { digest($0.path) == $0.digest }
    }

    /// The files the program read before writing them itself, in the order first read, with
    /// their digests now ("replaced" for a file replaced since it was read, which never matches).
    static func read(log: String) -> [FileInput] {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return [] }
        let here = FileManager.default.currentDirectoryPath + "/"
        var written: Set<String> = []
        var inputs: [FileInput] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4, let cell = Int(parts[1]) else { continue }
            let path = parts[3].hasPrefix(here) ? String(parts[3].dropFirst(here.count)) : parts[3]
            if parts[0] == "wrote" {
                written.insert(path)
            } else if !written.contains(path), !inputs.contains(where: { $0.path == path }) {
                // Replaced since it was read (another lesson saved it meanwhile): what was read is
                // not what is there, and the run is stale at once.
                let now = fileStamp(path) ?? ""
                inputs.append(FileInput(path: path, digest: now == parts[2] ? digest(path) : "replaced", cell: cell))
            }
        }
        return inputs
    }
}
