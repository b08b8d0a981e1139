import Foundation

/// The project a command works on: the nearest folder, from the working folder upward, that holds
/// a `notebooks/` folder (as git finds `.git`).
///
/// A command started below it moves there first, so its defaults (`notebooks/`, `site/`,
/// `.notebook-cache/`) are the project's, and the paths typed on the command line keep meaning
/// what they meant where they were typed.
enum Project {
    /// The nearest folder at or above `folder` that holds `notebooks/`; nil when there is none.
    static func root(from folder: String) -> String? {
        var url = URL(fileURLWithPath: folder).standardizedFileURL
        while true {
            if holdsNotebooks(url.path) { return url.path }
            let parent = url.deletingLastPathComponent().standardizedFileURL
            if parent.path == url.path { return nil }
            url = parent
        }
    }

    /// Moves to the project above the working folder, when the working folder holds no
    /// `notebooks/` and a folder above it does, and says so on stderr unless `quiet`.
    /// - Returns: what a path typed on the command line must be written as after the move: a
    ///   relative path made absolute from where it was typed (the identity when nothing moved).
    static func enter(quiet: Bool) -> Relocation {
        let here = FileManager.default.currentDirectoryPath
        guard !holdsNotebooks(here), let root = root(from: here), FileManager.default.changeCurrentDirectoryPath(root)
        else {
            return Relocation(from: nil)
        }
        if !quiet { printError("notebook: using the project at \(root)") }
        return Relocation(from: here)
    }

    /// Rewrites typed paths after a move to the project.
    struct Relocation {
        /// The folder the command was started in; nil when it did not move.
        let from: String?

        /// `path` as typed, from the project's folder.
        func callAsFunction(_ path: String) -> String {
            guard let from, !path.hasPrefix("/") else { return path }
            return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: from + "/")).standardizedFileURL.path
        }

        /// `paths` as typed; the default `notebooks` names the project's own.
        func notebooks(_ paths: [String]) -> [String] { paths == ["notebooks"] ? paths : paths.map(callAsFunction) }

        /// `output` as typed; the default `site` names the project's own.
        func output(_ output: String) -> String { output == "site" ? output : self(output) }
    }

    /// Whether `folder` has a `notebooks/` folder in it.
    static func holdsNotebooks(_ folder: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder + "/notebooks", isDirectory: &isDirectory)
            && isDirectory.boolValue
    }
}
