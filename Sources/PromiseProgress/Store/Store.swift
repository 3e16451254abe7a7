import Foundation
import GRDB

/// Owns the connection to one SQLite file and knows how to lay out tables from ``Schema``.
public final class Store {
    public let url: URL
    public let queue: DatabaseQueue

    /// Opens (creating if needed) the SQLite file at `url`. A `disposable` file (the work store, which
    /// is only ever published by an atomic rename and rebuilt from scratch after any failure) skips
    /// durability: nothing is synced to disk, and the page cache gets room to work. The journal and
    /// sorts stay on disk, so memory stays bounded however large the data.
    public init(url: URL, disposable: Bool = false) throws {
        self.url = url
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            // The store is rebuilt by one process at a time; WAL is not needed and would leave
            // side files next to a published file.
            if disposable {
                try db.execute(sql: "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA cache_size = -131072")
            } else {
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
        }
        queue = try DatabaseQueue(path: url.path, configuration: config)
    }

    /// Drops and re-creates the given tables (and their indexes).
    public func recreate(_ specs: [TableSpec], in db: Database) throws {
        for spec in specs.reversed() {
            try db.execute(sql: spec.isView ? "DROP VIEW IF EXISTS \(spec.name)" : "DROP TABLE IF EXISTS \(spec.name)")
        }
        for spec in specs {
            try db.execute(sql: spec.createSQL)
        }
    }

    /// True when the table or view exists.
    public static func exists(_ name: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM sqlite_master WHERE name = ?", arguments: [name]) ?? false
    }

    /// Fails with a message naming the stage to run first when a table a stage needs is missing.
    public static func require(_ tables: [String], before stage: String, runFirst previous: String, in db: Database) throws {
        for table in tables where try !exists(table, in: db) {
            throw PipelineFailure("\(stage) needs table '\(table)', which is not in the work store: run '\(previous)' first")
        }
    }

    /// Rewrites `data_dictionary_table` and `data_dictionary` for the tables and views present.
    public static func writeDataDictionary(_ specs: [TableSpec], in db: Database) throws {
        try db.execute(sql: "DELETE FROM data_dictionary")
        try db.execute(sql: "DELETE FROM data_dictionary_table")
        for spec in specs where try exists(spec.name, in: db) {
            try db.execute(
                sql: "INSERT INTO data_dictionary_table (table_name, table_kind, is_view, child_level, description) VALUES (?, ?, ?, ?, ?)",
                arguments: [spec.name, spec.kind.rawValue, spec.isView, spec.childLevel, spec.description])
            for (index, column) in spec.columns.enumerated() {
                try db.execute(
                    sql: "INSERT INTO data_dictionary (table_name, column_name, position, data_type, description) VALUES (?, ?, ?, ?, ?)",
                    arguments: [spec.name, column.name, index + 1, column.type, column.description])
            }
        }
    }
}

// MARK: - Bulk insert

/// A prepared INSERT reused for many rows: the fast path for loading files.
struct BulkInsert {
    let statement: Statement

    init(into table: String, columns: [String], in db: Database) throws {
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        statement = try db.makeStatement(sql: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))")
    }

    func insert(_ values: [(any DatabaseValueConvertible)?]) throws {
        statement.setUncheckedArguments(StatementArguments(values))
        try statement.execute()
    }
}
