/// What a checkpoint after a cell holds: the top-level variables saved (each in its own file,
/// with the type the program gave it) and those that could not be (with their type and why).
///
/// Written by the notebook program (the kernel) last, after the variables' files; read by the
/// runner, which stores it in the cache, and by a program that resumes from it.
public struct CheckpointManifest: Codable, Sendable, Equatable {
    /// The 0-based index of the cell after which the state was taken.
    public var cell: Int
    /// The variables saved, in the order the program declares them.
    public var saved: [Saved] = []
    /// The variables that could not be saved.
    public var unsaved: [Unsaved] = []

    /// A saved variable: its name, its type as `String(reflecting:)` spells it, and its file.
    public struct Saved: Codable, Sendable, Equatable {
        public var name: String
        public var type: String
        public var file: String
        /// Whether it was encoded through its structure (a tuple, or arrays of them): a program
        /// rebuilds it from `__NBTuple2`… rather than decoding its type.
        public var structural: Bool?

        public init(name: String, type: String, file: String, structural: Bool? = nil) {
            self.name = name
            self.type = type
            self.file = file
            self.structural = structural
        }
    }

    /// A variable left out: its name, its type, and why it could not be saved.
    public struct Unsaved: Codable, Sendable, Equatable {
        public var name: String
        public var type: String
        public var why: String

        public init(name: String, type: String, why: String) {
            self.name = name
            self.type = type
            self.why = why
        }
    }

    public init(cell: Int) { self.cell = cell }

    /// The environment variable naming the folder a program writes its checkpoints to.
    public static let saveVariable = "NOTEBOOK_CHECKPOINTS"
    /// The environment variable naming the checkpoint folder a resuming program reads.
    public static let restoreVariable = "NOTEBOOK_RESTORE"
    /// The environment variable naming the file a program lists the files it reads and writes in.
    public static let filesVariable = "NOTEBOOK_FILES"
    /// The manifest's file name inside a checkpoint's folder.
    public static let fileName = "manifest.json"
    /// How the line a resuming program prints when it cannot read its checkpoint begins.
    public static let restoreFailure = "notebook: cannot restore the checkpoint: "
    /// The exit status of a program that could not read its checkpoint.
    public static let restoreFailureStatus: Int32 = 75
}

/// A file a notebook's run read (a model another lesson saved, with `loaded(from:)`), with the
/// SHA-256 of its bytes when the run ended: a cached run or checkpoint serves only while the
/// file still has that digest.
public struct FileInput: Codable, Sendable, Equatable {
    /// The path, relative to the project when inside it.
    public var path: String
    /// SHA-256 of its bytes, or "missing" when there was no such file.
    public var digest: String
    /// The 0-based index of the cell that first read it.
    public var cell: Int

    public init(path: String, digest: String, cell: Int) {
        self.path = path
        self.digest = digest
        self.cell = cell
    }
}
