struct CheckAction { var paths: [String]; var update: Bool; var report: String?; var runner: RunnerOptions; func perform() throws -> Int32 { 0 } }
