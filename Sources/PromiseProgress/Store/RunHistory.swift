import Foundation
import GRDB

/// Run history across versions: every build copies the history of the published store into the
/// new one. A store written by an older version is first moved forward to this version's layout
/// by GRDB's `DatabaseMigrator`, on a scratch copy of its history tables (the published file is
/// never written), and the copy then fails loudly rather than drop a run.
public enum RunHistory {
    static let tables = ["run", "run_input", "run_stage", "run_note"]

    /// One migration per schema version. Stores from before versioning (user_version 0) had the
    /// same tables with fewer columns, added over time: version 1 adds whatever a store lacks,
    /// empty for its older runs. A later version that renames or splits a column adds a migration
    /// here that moves the values.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1: run history of schema version 1", migrate: addMissingColumns)
        // Version 2 adds run.cells_withheld_revision and run.values_held_for_revision (the revisions policy).
        migrator.registerMigration("2: revisions policy counts in run", migrate: addMissingColumns)
        return migrator
    }

    /// Adds every column this version's history tables have and the store's lack, empty for older runs.
    static func addMissingColumns(_ db: Database) throws {
        for table in tables where try db.tableExists(table) {
            let present = Set(try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]))
            for column in spec(table).columns where !present.contains(column.name) {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(column.name) \(column.type)")
            }
        }
    }

    /// GRDB's record of the history migrations a store has had, described like any other table.
    public static let migrationsTable = TableSpec("grdb_migrations", kind: .run,
        description: "The run-history migrations this store has had (GRDB's DatabaseMigrator): a later version runs only those added since, when it carries this store's history forward.",
        columns: [ColumnSpec("identifier", "TEXT", "NOT NULL PRIMARY KEY", "The migration, named by the schema version it brings the history to.")])

    static func spec(_ table: String) -> TableSpec {
        Schema.indicatorTables.first { $0.name == table }!
    }

    /// The history of `previous` (a published store) moved forward to this version, in a scratch
    /// file in `folder`. Fails when the store is from a newer version than this program.
    static func migratedCopy(of previous: URL, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("history.sqlite")
        try? FileManager.default.removeItem(at: url)
        let queue = try DatabaseQueue(path: url.path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS previous", arguments: [previous.path])
            let version = try Int.fetchOne(db, sql: "PRAGMA previous.user_version") ?? 0
            guard version <= AnalystViews.schemaVersion else {
                throw OperatorError(.internalError, "the published store \(previous.path) has schema version \(version), newer than this program's \(AnalystViews.schemaVersion): run the newer program, or move the store aside to start a new history")
            }
            let present = Set(try String.fetchAll(db, sql: "SELECT name FROM previous.sqlite_master WHERE type = 'table'"))
            for table in tables + ["grdb_migrations"] where present.contains(table) {
                try db.execute(sql: "CREATE TABLE main.\(table) AS SELECT * FROM previous.\(table)")
            }
            try db.execute(sql: "DETACH DATABASE previous")
        }
        try migrator.migrate(queue)
        return url
    }

    /// Copies the migrated history into the new store (`db`), every column, except the current run.
    static func carryForward(from history: URL, into db: Database, except runID: String) throws {
        try db.execute(sql: "ATTACH DATABASE ? AS history", arguments: [history.path])
        defer { try? db.execute(sql: "DETACH DATABASE history") }
        let present = Set(try String.fetchAll(db, sql: "SELECT name FROM history.sqlite_master WHERE type = 'table'"))
        for table in tables where present.contains(table) {
            let columns = spec(table).columns.map(\.name).joined(separator: ", ")
            do {
                try db.execute(sql: "INSERT OR IGNORE INTO main.\(table) (\(columns)) SELECT \(columns) FROM history.\(table) WHERE run_id <> ?", arguments: [runID])
            } catch {
                throw OperatorError(.internalError, "could not carry the run history (table \(table)) into the new store: \(OperatorError.reason(error)). The published outputs are unchanged; add a migration in RunHistory for this change of layout")
            }
        }
    }

    /// Marks a new store as being at this version's history layout, so the next build's copy of it
    /// runs only migrations added after this one.
    static func stamp(_ store: DatabaseQueue) throws {
        try migrator.migrate(store)
    }
}
