import Foundation

/// Where a run reads from and writes to. Every stage gets the same context.
public struct PipelineLayout: Sendable {
    /// Folder holding `quantitative/` (the embedded default is `Data/`).
    public var inputDirectory: URL
    public var seedsDirectory: URL
    public var indicatorsDirectory: URL
    /// Reviewed configuration such as `disclosure-control.yml`.
    public var configDirectory: URL
    /// Published outputs: `promise.sqlite` and `public/`.
    public var outputDirectory: URL
    /// Longest any one indicator query may run, in seconds, before the build stops it and fails.
    public var queryTimeLimit: Double = 300
    /// Periods a revision release recomputes from the current inputs (`build --revise`); every other
    /// period the last release published stays as it was published (``RevisionPolicy``).
    public var revisePeriods: Set<String> = []
    /// Publish a revision that moves counts in fewer than ``RevisionPolicy/smallestRevision`` council
    /// areas (`--allow-small-revision`): such a revision shows anyone holding both releases which
    /// records moved, so it is refused by default.
    public var allowSmallRevision = false

    public init(inputDirectory: URL, seedsDirectory: URL, indicatorsDirectory: URL, configDirectory: URL, outputDirectory: URL) {
        self.inputDirectory = inputDirectory
        self.seedsDirectory = seedsDirectory
        self.indicatorsDirectory = indicatorsDirectory
        self.configDirectory = configDirectory
        self.outputDirectory = outputDirectory
    }

    /// The repository's own folders, relative to `root`.
    public static func defaults(root: URL, output: URL? = nil) -> PipelineLayout {
        PipelineLayout(
            inputDirectory: root.appendingPathComponent("Data"),
            seedsDirectory: root.appendingPathComponent("seeds"),
            indicatorsDirectory: root.appendingPathComponent("Indicators"),
            configDirectory: root.appendingPathComponent("config"),
            outputDirectory: output ?? root.appendingPathComponent("out"))
    }

    /// Private work area where a run builds everything before publishing.
    public var workDirectory: URL { outputDirectory.appendingPathComponent(".work") }
    public var workStoreURL: URL { workDirectory.appendingPathComponent("promise.sqlite") }
    public var workPublicDirectory: URL { workDirectory.appendingPathComponent("public") }

    public var publishedStoreURL: URL { outputDirectory.appendingPathComponent("promise.sqlite") }
    public var publishedPublicDirectory: URL { outputDirectory.appendingPathComponent("public") }
    public var runLogURL: URL { outputDirectory.appendingPathComponent("run-log.jsonl") }
    public var lockURL: URL { outputDirectory.appendingPathComponent(".lock") }

    /// A path as people should see it in messages: relative to the current folder when inside it.
    public func display(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let path = url.standardizedFileURL.path
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }
}

/// Receives one line per thing a run did. The command line prints them; tests collect them.
public protocol RunLogger: AnyObject {
    func log(_ line: String)
}

/// Prints to standard error, so standard output stays clean for data.
public final class StandardErrorLogger: RunLogger {
    public init() {}
    public func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// Keeps lines in memory.
public final class MemoryLogger: RunLogger {
    public private(set) var lines: [String] = []
    public init() {}
    public func log(_ line: String) { lines.append(line) }
}
