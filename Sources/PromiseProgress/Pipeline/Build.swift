import CAtomicSwap
import Foundation
import GRDB

/// The whole job: every stage in the work area, then publish only if all succeeded.
/// A failed run leaves the last good `out/promise.sqlite` and `out/public/` untouched.
public struct Build {
    public let layout: PipelineLayout
    public let logger: RunLogger
    /// Refuse to publish when more than this share of any input file's rows is rejected: a file
    /// that broken (a shifted header, a truncated export) would otherwise publish empty dashboards.
    public var maximumRejectedShare: Double

    public init(layout: PipelineLayout, logger: RunLogger, maximumRejectedShare: Double = 0.10) {
        self.layout = layout
        self.logger = logger
        self.maximumRejectedShare = maximumRejectedShare
    }

    public struct Outcome: Sendable {
        public var runID: String
        public var storeURL: URL
        public var publicURL: URL
    }

    @discardableResult
    public func run() throws -> Outcome {
        let lock = try RunLock(url: layout.lockURL)
        defer { withExtendedLifetime(lock) {} }
        let context = PipelineContext(layout: layout, logger: logger)
        let started = Date()
        do {
            try Pipeline(stages: Pipeline.standardStages + [AuditStage()]).run(context)
            try qualityGate(context)
            try finalise(context)
            try publish(context)
            try appendRunLog(context, status: "succeeded", started: started, error: nil)
            logger.log("published \(layout.display(layout.publishedStoreURL)) and \(layout.display(layout.publishedPublicDirectory)) (run \(context.runID))")
            return Outcome(runID: context.runID, storeURL: layout.publishedStoreURL, publicURL: layout.publishedPublicDirectory)
        } catch {
            try? appendRunLog(context, status: "failed", started: started, error: "\(error)")
            logger.log("build failed; the last published outputs in \(layout.display(layout.outputDirectory)) are unchanged")
            throw error
        }
    }

    /// Fails the run when more than ``maximumRejectedShare`` of an input file's rows were rejected, or
    /// it loaded nothing. Extract has already proved every physical line belongs to a row.
    func qualityGate(_ context: PipelineContext) throws {
        let store = try context.openWorkStore()
        // A folder of documents is judged as a whole: one document in it is one row of it.
        let layout = context.layout
        let documentFolders = StreamRegistry.all.flatMap(\.documents).map { layout.display(layout.inputDirectory.appendingPathComponent($0.folder)) + "/" }
        let problems = try store.queue.read { db -> [String] in
            var units: [(file: String, lines: Int, read: Int, rejected: Int, loaded: Int)] = []
            for row in try Row.fetchAll(db, sql: "SELECT source_file, lines_read, rows_read, rows_rejected, rows_loaded FROM run_input WHERE run_id = ? ORDER BY source_file",
                                        arguments: [context.runID]) {
                let file: String = row["source_file"]
                let unit = documentFolders.first { file.hasPrefix($0) }.map { String($0.dropLast()) + " (documents)" } ?? file
                let counts = (lines: row["lines_read"] as Int, read: row["rows_read"] as Int, rejected: row["rows_rejected"] as Int, loaded: row["rows_loaded"] as Int)
                if let index = units.firstIndex(where: { $0.file == unit }) {
                    units[index].lines += counts.lines; units[index].read += counts.read
                    units[index].rejected += counts.rejected; units[index].loaded += counts.loaded
                } else {
                    units.append((unit, counts.lines, counts.read, counts.rejected, counts.loaded))
                }
            }
            return try units.compactMap { unit -> String? in
                let (file, lines, read, rejected, loaded) = unit
                if read == 0 {
                    return "\(file): no rows (the file has a header only)."
                }
                // Each stray quote costs its own line (reading resynchronises), so rows rejected stand for lines lost.
                guard loaded == 0 || Double(rejected) > maximumRejectedShare * Double(max(read, 1)) else { return nil }
                let reasons = try Row.fetchAll(db, sql: """
                    SELECT rule, COUNT(DISTINCT source_line) AS n, MIN(reason) AS example FROM rejected_row WHERE source_file = ?
                    GROUP BY rule ORDER BY n DESC LIMIT 3
                    """, arguments: [file]).map { "\($0["rule"] as String) \($0["n"] as Int) (e.g. \($0["example"] as String))" }
                return "\(file): \(rejected) of \(read) rows rejected (\(lines) lines of data), \(loaded) loaded; the limit is \(Int((maximumRejectedShare * 100).rounded()))%."
                    + (reasons.isEmpty ? "" : " Most common: " + reasons.joined(separator: "; "))
            }
        }
        guard problems.isEmpty else {
            throw PipelineFailure("refusing to publish: an input file looks broken, so yesterday's outputs are kept.\n  "
                                  + problems.joined(separator: "\n  ")
                                  + "\n  Fix the file, or raise --max-rejected-share if these rejections are expected.")
        }
    }

    /// Records the outcome in the store, carries earlier runs forward and writes the data dictionary.
    func finalise(_ context: PipelineContext) throws {
        let store = try context.openWorkStore()
        let previous = layout.publishedStoreURL
        try store.queue.writeWithoutTransaction { db in
            if FileManager.default.fileExists(atPath: previous.path) {
                try db.execute(sql: "ATTACH DATABASE ? AS previous", arguments: [previous.path])
                // History from a store with an older layout keeps the columns both have; a column added
                // since is NULL for older runs.
                for table in ["run", "run_input", "run_stage", "run_note"] {
                    let old = Set(try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?, 'previous')", arguments: [table]))
                    let columns = Schema.indicatorTables.first { $0.name == table }!.columns.map(\.name).filter(old.contains).joined(separator: ", ")
                    guard !columns.isEmpty else { continue }
                    try? db.execute(sql: "INSERT OR IGNORE INTO main.\(table) (\(columns)) SELECT \(columns) FROM previous.\(table) WHERE run_id <> ?",
                                    arguments: [context.runID])
                }
                try db.execute(sql: "DETACH DATABASE previous")
            }
            try db.inTransaction {
                try db.execute(sql: """
                    UPDATE run SET status = 'succeeded', finished_at = ?,
                      rows_read = (SELECT SUM(rows_read) FROM run_input WHERE run_id = run.run_id),
                      rows_rejected = (SELECT SUM(rows_rejected) FROM run_input WHERE run_id = run.run_id),
                      rows_loaded = (SELECT SUM(rows_loaded) FROM run_input WHERE run_id = run.run_id)
                    WHERE run_id = ?
                    """, arguments: [PipelineContext.timestamp(Date()), context.runID])
                try Store.writeDataDictionary(Schema.finished, in: db)
                return .commit
            }
            try db.execute(sql: "VACUUM")
        }
    }

    /// Moves the finished store and public folder into place. Each is a rename within one file
    /// system, so readers see the old or the new outputs, never a half-written file.
    func publish(_ context: PipelineContext) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: layout.outputDirectory, withIntermediateDirectories: true)
        let storeURL = layout.publishedStoreURL
        if rename(layout.workStoreURL.path, storeURL.path) != 0 {
            throw PipelineFailure("could not move the new store into \(storeURL.path): \(String(cString: strerror(errno)))")
        }
        let target = layout.publishedPublicDirectory
        let staged = layout.workPublicDirectory
        if !fileManager.fileExists(atPath: target.path) {
            try fileManager.moveItem(at: staged, to: target)
        } else if promise_atomic_exchange(staged.path, target.path) == 0 {
            // One system call swaps old and new: a reader never finds the folder missing or mixed.
            try fileManager.removeItem(at: staged)
        } else {
            // No atomic exchange here (not Linux, or a file system without it): two renames, with a
            // moment where out/public is absent but never half-written.
            let retired = layout.workDirectory.appendingPathComponent("public-retired")
            try? fileManager.removeItem(at: retired)
            try fileManager.moveItem(at: target, to: retired)
            try fileManager.moveItem(at: staged, to: target)
            try? fileManager.removeItem(at: retired)
        }
    }

    /// One JSON line per run, failed ones included, in `out/run-log.jsonl`.
    func appendRunLog(_ context: PipelineContext, status: String, started: Date, error: String?) throws {
        var entry: [String: Any] = [
            "run_id": context.runID, "status": status, "started_at": context.startedAt,
            "finished_at": PipelineContext.timestamp(Date()), "seconds": (Date().timeIntervalSince(started) * 100).rounded() / 100,
        ]
        if let error { entry["error"] = error }
        let data = try JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys])
        try FileManager.default.createDirectory(at: layout.outputDirectory, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: layout.runLogURL.path) {
            _ = FileManager.default.createFile(atPath: layout.runLogURL.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: layout.runLogURL)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: data + Data("\n".utf8))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
