import Foundation

/// The compiler and the kernel library a notebook program is built with.
public struct Toolchain: Sendable {
    /// The `swiftc` executable.
    public var swiftc: String
    /// The folder holding `libNotebookKernel.so` and `Modules/NotebookKernel.swiftmodule`.
    public var kernelDirectory: String
    /// `swiftc --version`'s first line (part of the cache key).
    public var compilerVersion: String

    /// The kernel library's file.
    public var kernelLibrary: String { kernelDirectory + "/libNotebookKernel.so" }

    /// Finds `swiftc` (`$SWIFTC`, else on `PATH`) and the kernel (`kernel`, else next to the
    /// running binary).
    /// - Throws: `NotebookRunnerError.missing` with what is missing and how to fix it.
    public static func locate(
        kernel: String? = nil, cacheDirectory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Toolchain {
        let swiftc = try findCompiler(environment)
        let dir =
            kernel
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
        let fm = FileManager.default
        let present = {
            fm.fileExists(atPath: dir + "/libNotebookKernel.so")
                && fm.fileExists(atPath: dir + "/Modules/NotebookKernel.swiftmodule")
        }
        if !present(), kernel == nil { try buildKernel(besides: dir, swiftc: swiftc) }
        guard present() else {
            throw NotebookRunnerError.missing(
                "the kernel library is not in '\(dir)' (libNotebookKernel.so and Modules/NotebookKernel.swiftmodule); "
                    + "build it with 'swift build --product NotebookKernel' or name its folder with --kernel")
        }
        return Toolchain(
            swiftc: swiftc, kernelDirectory: dir,
            compilerVersion: try version(of: swiftc, cacheDirectory: cacheDirectory))
    }

    /// Builds the kernel library when the running `notebook` is a SwiftPM build of this package
    /// without it (a plain `swift build` or `swift run notebook` builds executables only, not
    /// the kernel's dynamic library): `swift build --product NotebookKernel` in the package, with
    /// the configuration of the folder (`-c release` beside a release build); says so first.
    /// - Throws: `NotebookRunnerError.missing` with the command and its last lines when it fails.
    static func buildKernel(besides dir: String, swiftc: String) throws {
        let parts = dir.components(separatedBy: "/.build/")
        guard parts.count == 2, let package = parts.first,
            let manifest = try? String(contentsOfFile: package + "/Package.swift", encoding: .utf8),
            manifest.contains("\"NotebookKernel\"")
        else { return }
        // `swift` beside `swiftc`, as every toolchain has it; else the one on PATH.
        let beside = URL(fileURLWithPath: swiftc).deletingLastPathComponent().appendingPathComponent("swift").path
        let release = dir.hasSuffix("/release")
        let arguments =
            ["build", "--package-path", package, "--product", "NotebookKernel"] + (release ? ["-c", "release"] : [])
        let command = "swift " + arguments.joined(separator: " ")
        FileHandle.standardError.write(
            Data("notebook: the kernel library is not built yet; running '\(command)'\n".utf8))
        let result =
            FileManager.default.isExecutableFile(atPath: beside)
            ? try Subprocess.run(beside, arguments, timeout: 1800)
            : try Subprocess.run("/usr/bin/env", ["swift"] + arguments, timeout: 1800)
        guard result.status == 0 else {
            let output = String(decoding: result.stderr + result.stdout, as: UTF8.self)
            let tail = output.split(separator: "\n").suffix(5).joined(separator: "\n")
            throw NotebookRunnerError.missing("'\(command)' failed (status \(result.status)):\n\(tail)")
        }
    }

    /// `swiftc --version`'s first line, remembered in the cache folder under the compiler's path,
    /// size and modification time (asking the compiler takes about 0.1 s).
    static func version(of swiftc: String, cacheDirectory: String?) throws -> String {
        let resolved = URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().path
        var hash = SHA256()
        hash.update(field: resolved)
        hash.update(field: fileStamp(resolved) ?? "")
        let file = cacheDirectory.map { "\($0)/compiler-\(hash.hexDigest()).txt" }
        if let file, let data = FileManager.default.contents(atPath: file),
            let text = String(data: data, encoding: .utf8), !text.isEmpty
        {
            return text
        }
        let scratch = try TemporaryFolder()  // the driver leaves a TemporaryDirectory.* in $TMPDIR
        defer { scratch.remove() }
        let result = try Subprocess.run(
            swiftc, ["--version"],
            environment: ProcessInfo.processInfo.environment
                .merging(["TMPDIR": scratch.path]) { $1 }, timeout: 30)
        let firstLine =
            String(decoding: result.stdout + result.stderr, as: UTF8.self).split(separator: "\n").first.map(String.init)
            ?? ""
        if let file { replaceFile(file, with: Data(firstLine.utf8)) }
        return firstLine
    }

    private static func findCompiler(_ environment: [String: String]) throws -> String {
        if let explicit = environment["SWIFTC"], !explicit.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: explicit) else {
                throw NotebookRunnerError.missing("$SWIFTC is '\(explicit)', which is not an executable file")
            }
            return explicit
        }
        for dir in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/swiftc"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw NotebookRunnerError.missing("'swiftc' is not on PATH; install the Swift toolchain or set $SWIFTC")
    }

    /// The arguments that compile `source` into `output` against the kernel.
    func compileArguments(source: String, output: String) -> [String] {
        [
            "-module-name", "notebooks", "-Onone", "-gline-tables-only", "-diagnostic-style=llvm",
            "-I", kernelDirectory + "/Modules", "-L", kernelDirectory, "-lNotebookKernel",
            "-Xlinker", "-rpath", "-Xlinker", kernelDirectory, source, "-o", output,
        ]
    }
}
