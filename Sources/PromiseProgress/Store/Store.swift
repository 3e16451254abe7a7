import Foundation
import GRDB
import GRDBSQLite

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
        // The work store loads clean tables before their keys are indexed and before set-based checks
        // remove orphans, so foreign keys are checked once, by load (PRAGMA foreign_key_check).
        config.foreignKeysEnabled = !disposable
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
            throw OperatorError(.usage, "\(stage) needs table '\(table)', which is not in the work store: run 'stage \(previous)' first")
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

// MARK: - Typed insert

/// A prepared INSERT bound through SQLite's C API with each column's type: the fast path extract
/// uses for every input row. Values arrive as validated text (nil for NULL) and are bound as TEXT,
/// INTEGER or REAL according to the clean table's declared type.
final class TypedInsert {
    enum Kind { case text, integer, real }

    private let statement: Statement
    private let kinds: [Kind]
    private let table: String

    init(into table: String, columns: [(name: String, type: String)], in db: Database) throws {
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        statement = try db.makeStatement(sql: "INSERT INTO \(table) (\(columns.map(\.name).joined(separator: ", "))) VALUES (\(placeholders))")
        kinds = columns.map { $0.type == "INTEGER" ? .integer : $0.type == "REAL" ? .real : .text }
        self.table = table
    }

    /// Inserts one row: the input columns' values, then its source file and line.
    func insert(_ values: [String?], _ sourceFile: String, _ sourceLine: Int) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        for (index, value) in values.enumerated() {
            try bind(value, kinds[index], at: Int32(index + 1))
        }
        try bind(sourceFile, .text, at: Int32(values.count + 1))
        sqlite3_bind_int64(handle, Int32(values.count + 2), Int64(sourceLine))
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            throw PipelineFailure("inserting line \(sourceLine) of \(sourceFile) into \(table) failed: \(String(cString: sqlite3_errstr(code)))")
        }
    }

    private func bind(_ value: String?, _ kind: Kind, at index: Int32) throws {
        let handle = statement.sqliteStatement
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        switch kind {
        case .integer:
            guard let number = Int64(value) else { throw PipelineFailure("\(table): '\(value)' is not an integer (a validation rule let it through)") }
            sqlite3_bind_int64(handle, index, number)
        case .real:
            guard let number = Double(value) else { throw PipelineFailure("\(table): '\(value)' is not a number (a validation rule let it through)") }
            sqlite3_bind_double(handle, index, number)
        case .text:
            value.withUTF8 { bytes in
                if let base = bytes.baseAddress, bytes.count > 0 {
                    _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
                } else {
                    _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
                }
            }
        }
    }

    /// SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
