import Foundation
import GRDB

/// One named step of the pipeline over the shared context. It returns a one-line summary.
public protocol PipelineStage: Sendable {
    var name: String { get }
    func run(_ context: PipelineContext) throws -> String
}

/// What every stage shares: the layout, the logger and the identity of the current run.
public final class PipelineContext {
    public let layout: PipelineLayout
    public let logger: RunLogger
    public private(set) var runID: String
    public private(set) var startedAt: String
    /// Streams this run takes from the published release instead of reading again (``StreamReuse``);
    /// nil reads everything.
    public var reuse: StreamReuse?
    private var store: Store?

    public init(layout: PipelineLayout, logger: RunLogger, now: Date = Date()) {
        self.layout = layout
        self.logger = logger
        let stamp = Self.timestamp(now)
        runID = stamp
        startedAt = stamp
    }

    /// The work store, opened once per context.
    public func openWorkStore() throws -> Store {
        if let store { return store }
        let opened = try Store(url: layout.workStoreURL, disposable: true)
        store = opened
        return opened
    }

    /// Picks up the run that an earlier `extract` started, so stages can run one at a time.
    public func resumeRun() throws {
        guard FileManager.default.fileExists(atPath: layout.workStoreURL.path) else {
            throw OperatorError(.usage, "there is no work store at \(layout.display(layout.workStoreURL)): run 'stage extract' first (or 'build')")
        }
        let store = try openWorkStore()
        if let row = try store.queue.read({ db in
            try Row.fetchOne(db, sql: "SELECT run_id, started_at FROM run WHERE status = 'running' ORDER BY started_at DESC LIMIT 1")
        }) {
            runID = row["run_id"]
            startedAt = row["started_at"]
        }
    }

    /// ISO 8601 in UTC with milliseconds.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

/// Runs stages in order, logging each with its duration and recording it in `run_stage`.
public struct Pipeline {
    public let stages: [PipelineStage]

    public init(stages: [PipelineStage]) { self.stages = stages }

    /// The five stages in order.
    public static let standardStages: [PipelineStage] = [
        ExtractStage(), TransformStage(), LoadStage(), ComputeStage(), RenderStage(),
    ]

    /// Runs one stage and records how long it took.
    @discardableResult
    public static func run(_ stage: PipelineStage, context: PipelineContext) throws -> String {
        context.logger.log("[\(stage.name)] starting")
        CrashPoint.reach("begin-\(stage.name)")
        let started = Date()
        let summary = try stage.run(context)
        CrashPoint.reach("ran-\(stage.name)")
        let milliseconds = Int((Date().timeIntervalSince(started) * 1000).rounded())
        let store = try context.openWorkStore()
        try store.queue.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO run_stage (run_id, stage, started_at, duration_ms, summary) VALUES (?, ?, ?, ?, ?)",
                arguments: [context.runID, stage.name, PipelineContext.timestamp(started), milliseconds, summary])
        }
        context.logger.log("[\(stage.name)] \(summary) (\(String(format: "%.2f", Double(milliseconds) / 1000)) s)")
        CrashPoint.reach("after-\(stage.name)")
        return summary
    }

    public func run(_ context: PipelineContext) throws {
        for stage in stages {
            try Self.run(stage, context: context)
        }
    }
}

/// The version written into every run.
public enum PromiseProgressVersion {
    public static let current = "0.1.0"
}
