import Foundation
import GRDB

/// Transform: the checks that need more than one row, run set-based in SQL over the clean tables
/// extract filled. For each registered stream's files in order: a second row with the same key is a
/// `duplicate_id` (the first row is kept) and the key gets its unique index; then references to rows
/// that are missing or were rejected (`orphan`), the stream's own checks (`sql/*.sql` beside its
/// declaration) and overlaps (``StreamFile/setChecks(in:)``). Every row a check returns moves to
/// `rejected_row` with its reason.
public struct TransformStage: PipelineStage {
    public let name = "transform"
    public init() {}

    public func run(_ context: PipelineContext) throws -> String {
        let store = try context.openWorkStore()
        var accepted = 0
        var rejectedRows = 0
        try store.queue.write { db in
            try Store.require(StreamRegistry.cleanTables.map(\.name), before: name, runFirst: "extract", in: db)
            db.add(function: Self.csvRecord)
            for stream in StreamRegistry.all {
                // A stream taken unchanged from the release passed these checks there, as it is.
                let reused = context.reuse?.reuses(stream) ?? false
                for file in stream.files {
                    let table = file.table.name
                    if !reused {
                        try apply(file.keyCheck, to: file, context: context, db: db)
                        // One identity in one spelling from here on (ValueRule.identity).
                        for column in file.columns where column.rule == .identity {
                            try db.execute(sql: "UPDATE \(table) SET \(column.name) = upper(\(column.name)) WHERE \(column.name) <> upper(\(column.name))")
                        }
                    }
                    let started = Date()
                    try db.execute(sql: "CREATE UNIQUE INDEX \(file.keyIndex) ON \(table)(\(file.key.joined(separator: ", ")))")
                    for index in file.table.indexes { try db.execute(sql: index) }
                    context.logger.log("  \(table): key and indexes\(reused ? "; checks not run again (inputs unchanged since release \(context.reuse!.release))" : "") (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
                    for check in file.laterChecks(in: stream) where !reused {
                        try apply(check, to: file, context: context, db: db)
                    }
                }
            }
            try db.execute(sql: """
                UPDATE run_input SET rows_rejected = (
                  SELECT COUNT(*) FROM (SELECT DISTINCT source_line FROM rejected_row r WHERE r.source_file = run_input.source_file))
                WHERE run_id = ?
                """, arguments: [context.runID])
            for table in StreamRegistry.cleanTables {
                accepted += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name)") ?? 0
            }
            rejectedRows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT DISTINCT source_file, source_line FROM rejected_row)") ?? 0
            for row in try Row.fetchAll(db, sql: """
                SELECT source_file, COUNT(DISTINCT source_line) AS n FROM rejected_row GROUP BY source_file
                """) {
                context.logger.log("  \(row["source_file"] as String): \(row["n"] as Int) rows rejected in all")
            }
        }
        return "\(accepted) rows passed, \(rejectedRows) rows rejected in all (see rejected_row)"
    }

    /// Runs one check and moves the rows it returns from the clean table to `rejected_row`.
    private func apply(_ check: SetCheck, to file: StreamFile, context: PipelineContext, db: Database) throws {
        let started = Date()
        let table = file.table.name
        try db.execute(sql: "CREATE TEMP TABLE hit AS \(check.sql)")
        let record = "csv_record(\(file.columnNames.map { "x.\($0)" }.joined(separator: ", ")))"
        try db.execute(sql: """
            INSERT INTO rejected_row (stage, source_file, source_line, column_name, value, rule, reason, record)
            SELECT 'transform', x.source_file, x.source_line, hit.column_name, hit.value, ?, hit.reason, \(record)
            FROM hit JOIN \(table) x ON x.rowid = hit.rid ORDER BY x.source_file, x.source_line
            """, arguments: [check.rule])
        try db.execute(sql: "DELETE FROM \(table) WHERE rowid IN (SELECT rid FROM hit)")
        let hits = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM hit") ?? 0
        try db.execute(sql: "DROP TABLE hit")
        context.logger.log("  \(check.rule) in \(table): \(hits) rejected (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
    }

    /// A rejected row as a CSV line of its validated values (codes as stored, NULL as empty), for
    /// `rejected_row.record`.
    static let csvRecord = DatabaseFunction("csv_record", argumentCount: nil, pure: true) { values in
        CSVWriter.line(values.map { value -> String in
            switch value.storage {
            case .null, .blob: ""
            case .int64(let number): String(number)
            case .double(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
            case .string(let text): text
            }
        })
    }
}
