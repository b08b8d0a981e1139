// swift-format-ignore-file: OrderedImports
// Glibc comes first, as @preconcurrency: Foundation imports it too, and the first import decides.
@_exported import TransformerCore
#if canImport(Glibc)
@preconcurrency @_exported import Glibc
#endif
internal import Foundation
import NotebookModel

/// The colour scale of a heatmap: `.sequential` for weights, `.diverging` for signed scores.
public typealias ColorScale = NotebookModel.ColorScale

/// The output channel of a notebook program: records framed on standard output, each flushed
/// as it is written so that a crash keeps every earlier output.
enum Channel {
    nonisolated(unsafe) static var recordsInCell = 0
    /// The index of the cell running now.
    nonisolated(unsafe) static var currentCell = 0
    /// At most this many records per cell; past it, one notice and nothing more.
    static let recordsPerCellLimit = 1000

    /// One encoder for the program's life (notebook programs run their cells on one thread).
    nonisolated(unsafe) static let encoder = OutputCoding.encoder()

    /// `KernelRecord.frame(token:)` of this run, read (and removed from the environment) at start.
    nonisolated(unsafe) static var frame = KernelRecord.sentinel

    static func write(_ record: KernelRecord) {
        guard let data = try? encoder.encode(record) else { return }
        let out = stdout
        fflush(out)
        fputs(frame, out)
        fputs(String(decoding: data, as: UTF8.self), out)
        fputs("\n", out)
        fflush(out)
    }

    /// The outputs of a `subplots { … }` body, gathered instead of written; nil outside one.
    nonisolated(unsafe) static var captured: [Output]?

    static func emit(_ output: Output) {
        if captured != nil {
            captured!.append(output)
            return
        }
        recordsInCell += 1
        if recordsInCell == recordsPerCellLimit + 1 {
            write(
                .emit(
                    .text("[notebook: this cell emitted more than \(recordsPerCellLimit) outputs; the rest are cut]\n"))
            )
        }
        if recordsInCell > recordsPerCellLimit { return }
        write(.emit(output))
    }
}

// swift-format-ignore: AlwaysUseLowerCamelCase
// A hook of the generated program, named so that no cell can collide with it.
/// Called by the generated program before its first cell.
///
/// Not for cells.
public func __nbStart() {
    let out = stdout
    setvbuf(out, nil, _IOLBF, 0)
    Subreaper.become()  // the cells' orphans stay this program's, for the runner to end with it
    if let token = getenv(KernelRecord.tokenVariable) {
        Channel.frame = KernelRecord.frame(token: String(cString: token))
        unsetenv(KernelRecord.tokenVariable)  // so that cells cannot read it by accident
    }
    if let log = getenv(CheckpointManifest.filesVariable) {
        let path = String(cString: log)
        // Each model file read or written, for the runner to key the run on what it read.
        StateDictionaryFiles.observer = { file, written in
            guard let out = fopen(path, "a") else { return }
            let absolute = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
            // The file as it is when read (size, inode, times): the runner knows if it changed after.
            var s = stat()
            let stamp =
                stat(absolute, &s) == 0
                ? "\(s.st_size) \(s.st_dev) \(s.st_ino) \(s.st_mtim.tv_sec).\(s.st_mtim.tv_nsec) \(s.st_ctim.tv_sec).\(s.st_ctim.tv_nsec)"
                : ""
            fputs("\(written ? "wrote" : "read")\t\(Channel.currentCell)\t\(stamp)\t\(absolute)\n", out)
            fclose(out)
        }
    }
}

// swift-format-ignore: AlwaysUseLowerCamelCase
// A hook of the generated program, named so that no cell can collide with it.
/// Called by the generated program before cell `index`.
///
/// Not for cells.
public func __nbBeginCell(_ index: Int) {
    Channel.recordsInCell = 0
    Channel.currentCell = index
    Channel.write(.begin(index))
}

// swift-format-ignore: AlwaysUseLowerCamelCase
// A hook of the generated program, named so that no cell can collide with it.
/// Called by the generated program after its last cell.
///
/// Not for cells.
public func __nbFinish() {
    Channel.write(.finished)
}

// swift-format-ignore: AlwaysUseLowerCamelCase
// A hook of the generated program, named so that no cell can collide with it.
/// Wraps a cell's top-level `try` expression; when it throws, records the line of the `try`
/// before the error ends the program (Swift's runtime names no line for top-level code).
///
/// Not for cells: the runner inserts it.
public func __nbTry<T>(_ line: Int, _ value: @autoclosure () throws -> T) rethrows -> T {
    do { return try value() } catch {
        Channel.write(.thrown(at: line))
        throw error
    }
}
