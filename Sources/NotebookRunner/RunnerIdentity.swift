import Foundation

/// What identifies the running `notebook` binary in cache keys: its content, so that two
/// machines with the same build share cached runs through a cache server (its size and
/// modification time would differ between them), and a rebuilt runner, which may read a
/// program's output differently, misses.
///
/// On Linux that is the ELF build ID, a hash of the output the linker writes (read in
/// microseconds; the debug binary is 120 MB); elsewhere, or without one, the SHA-256 of the
/// file's bytes.
enum RunnerIdentity {
    /// The identity of the running binary (`/proc/self/exe`, else the main bundle's executable,
    /// else `CommandLine.arguments[0]`); one of its own for this process when none can be read,
    /// so that nothing is shared with another runner by mistake.
    static func current() -> String {
        let candidates: [String?] = [
            "/proc/self/exe", Bundle.main.executablePath,
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path,
        ]
        guard
            let bytes = candidates.lazy.compactMap({ $0 }).compactMap({
                try? Data(contentsOf: URL(fileURLWithPath: $0), options: .alwaysMapped)
            }).first
        else { return "runner unknown \(UUID().uuidString)" }
        if let id = buildID(bytes) { return "runner build-id " + id }
        return "runner sha256 " + SHA256.hexDigest(of: bytes)
    }

    /// The `NT_GNU_BUILD_ID` note of a 64-bit little-endian ELF file, in hex; nil when there is none.
    static func buildID(_ elf: Data) -> String? {
        guard elf.count >= 64, elf.prefix(4) == Data([0x7f, 0x45, 0x4c, 0x46]), elf[4] == 2, elf[5] == 1 else {
            return nil
        }
        let phoff = Int(read(elf, 0x20, 8)), phentsize = Int(read(elf, 0x36, 2)), phnum = Int(read(elf, 0x38, 2))
        for i in 0..<phnum {
            let header = phoff + i * phentsize
            guard header + 40 <= elf.count, read(elf, header, 4) == 4 else { continue }  // PT_NOTE
            let offset = Int(read(elf, header + 8, 8)), size = Int(read(elf, header + 32, 8))
            guard offset >= 0, size >= 0, offset + size <= elf.count else { return nil }
            var note = offset
            while note + 12 <= offset + size {
                let nameSize = Int(read(elf, note, 4)), descSize = Int(read(elf, note + 4, 4))
                let type = read(elf, note + 8, 4)
                let name = note + 12, desc = name + ((nameSize + 3) & ~3)
                guard desc + descSize <= offset + size else { return nil }
                if type == 3, nameSize == 4,
                    elf[elf.startIndex + name..<elf.startIndex + name + 4] == Data("GNU\0".utf8),
                    descSize > 0
                {
                    return elf[elf.startIndex + desc..<elf.startIndex + desc + descSize].map {
                        String(format: "%02x", $0)
                    }.joined()
                }
                note = desc + ((descSize + 3) & ~3)
            }
        }
        return nil
    }

    /// The little-endian unsigned integer of `width` bytes at `offset`.
    private static func read(_ data: Data, _ offset: Int, _ width: Int) -> UInt64 {
        guard offset >= 0, offset + width <= data.count else { return 0 }
        var value: UInt64 = 0
        for k in (0..<width).reversed() { value = value << 8 | UInt64(data[data.startIndex + offset + k]) }
        return value
    }
}
