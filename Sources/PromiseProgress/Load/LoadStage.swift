import Foundation
import GRDB

/// Load: moves transformed rows into the keyed, indexed clean tables (`child`, `episode`,
/// `placement`), creates the analysis views indicator SQL is written against, and drops the
/// staging and transformed tables so the store holds one copy of each row.
public struct LoadStage: PipelineStage {
    public let name = "load"
    public init() {}

    public func run(_ context: PipelineContext) throws -> String {
        let store = try context.openWorkStore()
        var loaded: [String] = []
        try store.queue.write { db in
            try Store.require(Schema.transformed.map(\.name), before: name, runFirst: "transform", in: db)
            let tables = Schema.clean + [Schema.publishedValues]
            try store.recreate(tables, in: db)
            for spec in tables {
                let started = Date()
                let columns = spec.columns.map(\.name).joined(separator: ", ")
                let key = spec.columns[0].name
                try db.execute(sql: "INSERT INTO \(spec.name) (\(columns)) SELECT \(columns) FROM xf_\(spec.name) ORDER BY \(key), source_file, source_line")
                for index in spec.indexes { try db.execute(sql: index) }
                loaded.append("\(spec.name) \(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(spec.name)") ?? 0)")
                context.logger.log("  \(loaded.last!) (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
            }
            // Every clean table keeps its source file, so each input file's loaded rows can be counted.
            // One pass per table, not one scan per input file.
            try db.execute(sql: """
                WITH loaded AS (\(tables.map { "SELECT source_file, COUNT(*) AS n FROM \($0.name) GROUP BY source_file" }.joined(separator: " UNION ALL ")))
                UPDATE run_input SET rows_loaded = COALESCE((SELECT SUM(n) FROM loaded WHERE loaded.source_file = run_input.source_file), 0)
                WHERE run_id = ?
                """, arguments: [context.runID])
            // Derived tables are filled from the clean tables, so they come after them.
            var started = Date()
            try store.recreate(Schema.analysis, in: db)
            context.logger.log("  derived tables (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
            for spec in Schema.analysis {
                for index in spec.indexes { try db.execute(sql: index) }
                loaded.append("\(spec.name) \(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(spec.name)") ?? 0)")
            }
            started = Date()
            let violations = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            if !violations.isEmpty {
                throw PipelineFailure("load left \(violations.count) rows that break a foreign key (first: \(violations[0])); this is a bug in transform's checks")
            }
            for spec in Schema.transformed + Schema.staging {
                try db.execute(sql: "DROP TABLE IF EXISTS \(spec.name)")
            }
            try db.execute(sql: "ANALYZE")
            context.logger.log("  checks, clean-up and ANALYZE (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
        }
        return "loaded " + loaded.joined(separator: ", ")
    }
}
