internal import Foundation
import NotebookModel

/// Checkpoints of a program's top-level state after a cell marked `cache`, and their restoring.
///
/// The runner names a folder in the environment; after a marked cell the generated program
/// saves each top-level variable of the cells so far into it (one JSON file per variable, then a
/// manifest that lists them, written last, so a program that dies half-way leaves no checkpoint).
/// A program that resumes from a checkpoint declares those variables with the values read back.
/// Values that are not `Codable` (closures, class instances, a type the notebook did not make
/// `Codable`) are listed with their type and not saved; the runner decides whether a later cell
/// needs them.
enum Checkpoints {
    /// The folder being written (`<folder>/<cell index>`), nil when no checkpoint is asked for.
    nonisolated(unsafe) static var writing: String?
    /// The manifest of the checkpoint being written.
    nonisolated(unsafe) static var manifest = CheckpointManifest(cell: 0)
    /// The checkpoint being read and its manifest.
    nonisolated(unsafe) static var reading: (folder: String, manifest: CheckpointManifest)?

    static let encoder = OutputCoding.encoder()
}

// swift-format-ignore: AlwaysUseLowerCamelCase
// A hook of the generated program, named so that no cell can collide with it.
/// Begins the checkpoint after cell `index`, when the runner asked for checkpoints.
///
/// Not for cells: the runner inserts it.
public func __nbCheckpointBegin(_ index: Int) {
    guard let root = ProcessInfo.processInfo.environment[CheckpointManifest.saveVariable] else { return }
    let folder = "\(root)/\(index)"
    guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) != nil
    else { return }
    Checkpoints.writing = folder
    Checkpoints.manifest = CheckpointManifest(cell: index)
}

// swift-format-ignore: AlwaysUseLowerCamelCase
// A hook of the generated program, named so that no cell can collide with it.
/// Saves the top-level variable `name` into the checkpoint being written.
///
/// Not for cells: the runner inserts it.
public func __nbSave<T: Codable>(_ name: String, _ value: T) {
    guard let folder = Checkpoints.writing else { return }
    if T.self is AnyObject.Type {
        Checkpoints.manifest.unsaved.append(
            .init(
                name: name, type: String(reflecting: T.self), why: "a class instance, whose identity a copy would lose")
        )
        return
    }
    do {
        let data = try Checkpoints.encoder.encode(value)
        let file = "\(Checkpoints.manifest.saved.count).json"
        try data.write(to: URL(fileURLWithPath: folder + "/" + file))
        Checkpoints.manifest.saved.append(.init(name: name, type: String(reflecting: T.self), file: file))
    } catch {
        Checkpoints.manifest.unsaved.append(
            .init(name: name, type: String(reflecting: T.self), why: "its encoding failed: \(error)"))
    }
}

// swift-format-ignore: AlwaysUseLowerCamelCase
// A hook of the generated program, named so that no cell can collide with it.
/// Saves a top-level variable whose type is not `Codable` itself but is made of tuples, arrays,
/// optionals and string-keyed dictionaries of `Codable` values (`[(String, Int)]`), each tuple
/// as a JSON array; lists any other as not saved.
///
/// Not for cells: the runner inserts it.
@_disfavoredOverload
public func __nbSave<T>(_ name: String, _ value: T) {
    guard let folder = Checkpoints.writing else { return }
    let type = String(reflecting: T.self)
    do {
        let data = try Checkpoints.encoder.encode(Structural(value: value))
        let file = "\(Checkpoints.manifest.saved.count).json"
        try data.write(to: URL(fileURLWithPath: folder + "/" + file))
        Checkpoints.manifest.saved.append(.init(name: name, type: type, file: file, structural: true))
    } catch {
        Checkpoints.manifest.unsaved.append(.init(name: name, type: type, why: "not Codable"))
    }
}

/// A value encoded through its structure: `Encodable` leaves as they encode themselves, tuples
/// and arrays as JSON arrays, optionals as the value or null, string-keyed dictionaries as objects.
private struct Structural: Encodable {
    let value: Any

    struct NotEncodable: Error {}

    func encode(to encoder: any Encoder) throws {
        if let leaf = value as? any Encodable {
            try leaf.encode(to: encoder)
            return
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .tuple, .collection:
            var c = encoder.unkeyedContainer()
            for child in mirror.children { try c.encode(Structural(value: child.value)) }
        case .optional:
            if let child = mirror.children.first {
                try Structural(value: child.value).encode(to: encoder)
            } else {
                var c = encoder.singleValueContainer()
                try c.encodeNil()
            }
        case .dictionary:
            var c = encoder.container(keyedBy: Key.self)
            for pair in mirror.children {
                let parts = Mirror(reflecting: pair.value).children.map(\.value)
                guard parts.count == 2, let key = parts[0] as? String else { throw NotEncodable() }
                try c.encode(Structural(value: parts[1]), forKey: Key(stringValue: key))
            }
        default:
            throw NotEncodable()
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}

// swift-format-ignore: AlwaysUseLowerCamelCase
/// A tuple of two values as a checkpoint holds it (a JSON array), for a program to rebuild the tuple.
///
/// Not for cells: the runner writes it.
public struct __NBTuple2<A: Decodable, B: Decodable>: Decodable {
    public let _0: A, _1: B
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        (_0, _1) = (try c.decode(A.self), try c.decode(B.self))
    }
}

// swift-format-ignore: AlwaysUseLowerCamelCase
/// A tuple of three values as a checkpoint holds it.
///
/// Not for cells: the runner writes it.
public struct __NBTuple3<A: Decodable, B: Decodable, C: Decodable>: Decodable {
    public let _0: A, _1: B, _2: C
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        (_0, _1, _2) = (try c.decode(A.self), try c.decode(B.self), try c.decode(C.self))
    }
}

// swift-format-ignore: AlwaysUseLowerCamelCase
/// A tuple of four values as a checkpoint holds it.
///
/// Not for cells: the runner writes it.
public struct __NBTuple4<A: Decodable, B: Decodable, C: Decodable, D: Decodable>: Decodable {
    public let _0: A, _1: B, _2: C, _3: D
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        (_0, _1, _2, _3) = (try c.decode(A.self), try c.decode(B.self), try c.decode(C.self), try c.decode(D.self))
    }
}

// swift-format-ignore: AlwaysUseLowerCamelCase
// A hook of the generated program, named so that no cell can collide with it.
/// Ends the checkpoint being written: its manifest, written last, makes it whole.
///
/// Not for cells: the runner inserts it.
public func __nbCheckpointEnd() {
    guard let folder = Checkpoints.writing else { return }
    Checkpoints.writing = nil
    guard let data = try? Checkpoints.encoder.encode(Checkpoints.manifest) else { return }
    try? data.write(to: URL(fileURLWithPath: folder + "/" + CheckpointManifest.fileName))
}

// swift-format-ignore: AlwaysUseLowerCamelCase
// A hook of the generated program, named so that no cell can collide with it.
/// The value of top-level variable `name` in the checkpoint this program resumes from.
///
/// A checkpoint that cannot be read ends the program with a line the runner recognises, and
/// the runner runs the notebook from the top instead.
///
/// Not for cells: the runner inserts it.
public func __nbRestored<T: Decodable>(_ name: String) -> T {
    __nbRestored(name, as: T.self) { $0 }
}

// swift-format-ignore: AlwaysUseLowerCamelCase
// A hook of the generated program, named so that no cell can collide with it.
/// The value of top-level variable `name`, decoded as `Stored` (tuples as `__NBTuple2`…) and
/// rebuilt by `rebuild`.
///
/// Not for cells: the runner inserts it.
public func __nbRestored<Stored: Decodable, T>(_ name: String, as stored: Stored.Type, _ rebuild: (Stored) -> T) -> T {
    do {
        if Checkpoints.reading == nil {
            guard let folder = ProcessInfo.processInfo.environment[CheckpointManifest.restoreVariable] else {
                throw CheckpointError.unreadable("no checkpoint was given")
            }
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + CheckpointManifest.fileName))
            Checkpoints.reading = (folder, try OutputCoding.decoder().decode(CheckpointManifest.self, from: data))
        }
        guard let (folder, manifest) = Checkpoints.reading,
            let entry = manifest.saved.first(where: { $0.name == name })
        else { throw CheckpointError.unreadable("'\(name)' is not in the checkpoint") }
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + entry.file))
        return rebuild(try OutputCoding.decoder().decode(Stored.self, from: data))
    } catch {
        FileHandle.standardError.write(Data("\(CheckpointManifest.restoreFailure)\(name): \(error)\n".utf8))
        exit(CheckpointManifest.restoreFailureStatus)
    }
}

private enum CheckpointError: Error {
    case unreadable(String)
}
