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
            try store.recreate(Schema.clean, in: db)
            for (file, spec) in zip(InputContract.files, Schema.clean) {
                let columns = spec.columns.map(\.name).joined(separator: ", ")
                let key = spec.columns[0].name
                try db.execute(sql: "INSERT INTO \(spec.name) (\(columns)) SELECT \(columns) FROM xf_\(spec.name) ORDER BY \(key)")
                for index in spec.indexes { try db.execute(sql: index) }
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(spec.name)") ?? 0
                try db.execute(sql: "UPDATE run_input SET rows_loaded = ? WHERE run_id = ? AND source_file LIKE ?",
                               arguments: [count, context.runID, "%/\(file.fileName)"])
                loaded.append("\(spec.name) \(count)")
            }
            // Derived tables are filled from the clean tables, so they come after them.
            try store.recreate(Schema.analysis, in: db)
            for spec in Schema.analysis {
                for index in spec.indexes { try db.execute(sql: index) }
                loaded.append("\(spec.name) \(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(spec.name)") ?? 0)")
            }
            let violations = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            if !violations.isEmpty {
                throw PipelineFailure("load left \(violations.count) rows that break a foreign key (first: \(violations[0])); this is a bug in transform's checks")
            }
            for spec in Schema.transformed + Schema.staging {
                try db.execute(sql: "DROP TABLE IF EXISTS \(spec.name)")
            }
            try db.execute(sql: "ANALYZE")
        }
        return "loaded " + loaded.joined(separator: ", ")
    }
}
