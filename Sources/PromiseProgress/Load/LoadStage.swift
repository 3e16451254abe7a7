import Foundation
import GRDB

/// Load: finishes the clean tables (transform keyed and indexed them), proves every foreign key
/// holds, counts each input file's loaded rows, fills every stream's derived tables from their SQL
/// and runs ANALYZE so indicator queries get good plans.
public struct LoadStage: PipelineStage {
    public let name = "load"
    public init() {}

    public func run(_ context: PipelineContext) throws -> String {
        let store = try context.openWorkStore()
        var loaded: [String] = []
        try store.queue.write { db in
            try Store.require(StreamRegistry.cleanTables.map { "\($0.name)_key" }, before: name, runFirst: "transform", in: db)
            let tables = StreamRegistry.cleanTables
            for spec in tables {
                loaded.append("\(spec.name) \(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(spec.name)") ?? 0)")
            }
            // Every clean table keeps its source file, so each input file's loaded rows can be counted.
            // One pass per table, not one scan per input file.
            try db.execute(sql: """
                WITH loaded AS (\(tables.map { "SELECT source_file, COUNT(*) AS n FROM \($0.name) GROUP BY source_file" }.joined(separator: " UNION ALL ")))
                UPDATE run_input SET rows_loaded = COALESCE((SELECT SUM(n) FROM loaded WHERE loaded.source_file = run_input.source_file), 0)
                WHERE run_id = ?
                """, arguments: [context.runID])
            var started = Date()
            let violations = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            if !violations.isEmpty {
                throw PipelineFailure("load found \(violations.count) rows that break a foreign key (first: \(violations[0])); this is a bug in transform's checks")
            }
            context.logger.log("  foreign keys hold (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
            // Derived tables are filled from the clean tables, so they come after them.
            for spec in StreamRegistry.derivedTables {
                started = Date()
                try store.recreate([spec], in: db)
                for index in spec.indexes { try db.execute(sql: index) }
                loaded.append("\(spec.name) \(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(spec.name)") ?? 0)")
                context.logger.log("  \(loaded.last!) (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
            }
            started = Date()
            try db.execute(sql: "ANALYZE")
            context.logger.log("  ANALYZE (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
        }
        return "loaded " + loaded.joined(separator: ", ")
    }
}
