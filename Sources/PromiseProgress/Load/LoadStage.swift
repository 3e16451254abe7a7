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
        // Derived tables of streams taken unchanged from the published release are copied from it
        // first (into empty tables made here, so nothing is created while it is attached).
        let copied = StreamRegistry.all.filter { context.reuse?.reuses($0) ?? false }.flatMap(\.derivedTables).filter(StreamReuse.copiable)
        if let reuse = context.reuse, !copied.isEmpty {
            try store.queue.write { db in
                for spec in copied {
                    try db.execute(sql: "DROP TABLE IF EXISTS main.\(spec.name)")
                    try db.execute(sql: spec.createEmptySQL)
                }
            }
            try reuse.attached(to: store) { db in
                for spec in copied { try reuse.copy(spec, db: db) }
            }
        }
        try store.queue.write { db in
            try Store.require(StreamRegistry.files.map(\.keyIndex), before: name, runFirst: "transform", in: db)
            // Each clean table keeps its rows' source file: one grouped pass per table gives both its
            // size and each input file's loaded rows.
            try db.execute(sql: "UPDATE run_input SET rows_loaded = 0 WHERE run_id = ?", arguments: [context.runID])
            for spec in StreamRegistry.cleanTables {
                var rows = 0
                for row in try Row.fetchAll(db, sql: "SELECT source_file, COUNT(*) AS n FROM \(spec.name) GROUP BY source_file") {
                    let n: Int = row["n"]
                    rows += n
                    try db.execute(sql: "UPDATE run_input SET rows_loaded = ? WHERE run_id = ? AND source_file = ?",
                                   arguments: [n, context.runID, row["source_file"] as String])
                }
                loaded.append("\(spec.name) \(rows)")
            }
            var started = Date()
            let violations = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            if !violations.isEmpty {
                throw PipelineFailure("load found \(violations.count) rows that break a foreign key (first: \(violations[0])); this is a bug in transform's checks")
            }
            context.logger.log("  foreign keys hold (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
            // Derived tables are filled from the clean tables, so they come after them; the SQL
            // functions they call are made from the loaded reference tables.
            for stream in StreamRegistry.all {
                for make in stream.sqlFunctions { db.add(function: try make(db)) }
            }
            for spec in StreamRegistry.derivedTables {
                started = Date()
                let taken = copied.contains { $0.name == spec.name }
                if !taken { try store.recreate([spec], in: db) }
                for index in spec.indexes { try db.execute(sql: index) }
                loaded.append("\(spec.name) \(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(spec.name)") ?? 0)")
                context.logger.log("  \(loaded.last!)\(taken ? " taken from release \(context.reuse!.release)" : "") (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
            }
            started = Date()
            try db.execute(sql: "ANALYZE")
            context.logger.log("  ANALYZE (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
        }
        return "loaded " + loaded.joined(separator: ", ")
    }
}
