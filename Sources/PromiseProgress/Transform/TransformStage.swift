import Foundation
import GRDB

/// Transform: validates staged rows against the contract and `seeds/`, normalises codes (e.g. a
/// superseded GSS code or a name variant becomes the current code), then runs the checks that
/// need more than one row: duplicate ids, orphans, episodes starting before birth, placements
/// outside their episode, and overlaps. Every rejected row goes to `rejected_row` with its reason.
public struct TransformStage: PipelineStage {
    public let name = "transform"
    public init() {}

    public func run(_ context: PipelineContext) throws -> String {
        let store = try context.openWorkStore()
        let started = Date()
        var accepted = 0
        var rejectedRows = 0
        try store.queue.write { db in
            try Store.require(InputContract.allFiles.map(\.stagingTable), before: name, runFirst: "extract", in: db)
            let validator = RecordValidator(reference: try ReferenceData.load(from: db))
            try store.recreate(Schema.transformed, in: db)
            let rejections = try RejectionRecorder(stage: name, db: db)
            for file in InputContract.allFiles {
                let columns = file.columnNames
                let insert = try BulkInsert(into: "xf_\(file.table)", columns: columns + ["source_file", "source_line", "record"], in: db)
                let rows = try Row.fetchCursor(db, sql: "SELECT source_file, source_line, \(columns.joined(separator: ", ")) FROM \(file.stagingTable) ORDER BY source_line")
                while let row = try rows.next() {
                    // By position: the SELECT fixes the order, and lookups by name are slow per row.
                    let sourceFile: String = row[0]
                    let line: Int = row[1]
                    let values: [String] = (0..<columns.count).map { row[$0 + 2] }
                    let record = CSVWriter.line(values)
                    switch validator.validate(values, file: file) {
                    case .success(let normalised):
                        try insert.insert(normalised + [sourceFile, line, record])
                    case .failure(let failure):
                        for problem in failure.problems {
                            try rejections.record(file: sourceFile, line: line, column: problem.column, value: problem.value, rule: problem.rule, reason: problem.reason, record: record)
                        }
                    }
                }
            }
            for statement in Self.indexes { try db.execute(sql: statement) }
            context.logger.log("  row checks: \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
            for check in Self.crossRowChecks {
                let checkStarted = Date()
                try db.execute(sql: "CREATE TEMP TABLE hit AS \(check.sql)")
                try db.execute(sql: """
                    INSERT INTO rejected_row (stage, source_file, source_line, column_name, value, rule, reason, record)
                    SELECT 'transform', x.source_file, x.source_line, hit.column_name, hit.value, '\(check.rule)', hit.reason, x.record
                    FROM hit JOIN \(check.table) x ON x.rowid = hit.rid ORDER BY x.source_line
                    """)
                try db.execute(sql: "DELETE FROM \(check.table) WHERE rowid IN (SELECT rid FROM hit)")
                let hits = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM hit") ?? 0
                try db.execute(sql: "DROP TABLE hit")
                context.logger.log("  \(check.rule) in \(check.table): \(hits) rejected (\(String(format: "%.2f", Date().timeIntervalSince(checkStarted))) s)")
            }
            try db.execute(sql: """
                UPDATE run_input SET rows_rejected = (
                  SELECT COUNT(*) FROM (SELECT DISTINCT source_line FROM rejected_row r WHERE r.source_file = run_input.source_file))
                WHERE run_id = ?
                """, arguments: [context.runID])
            for file in InputContract.allFiles {
                accepted += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM xf_\(file.table)") ?? 0
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

    static let indexes = [
        "CREATE INDEX xf_child_id ON xf_child(child_id)",
        "CREATE INDEX xf_episode_child ON xf_episode(child_id, start_date)",
        "CREATE INDEX xf_episode_id ON xf_episode(episode_id)",
        "CREATE INDEX xf_placement_episode ON xf_placement(episode_id, start_date)",
        "CREATE INDEX xf_placement_id ON xf_placement(placement_id)",
        "CREATE INDEX xf_published_key ON xf_published_value(measure, period, geography_code, breakdown, vintage)",
    ]

    struct CrossRowCheck {
        let table: String
        /// Stable code recorded in rejected_row.rule.
        let rule: String
        /// Returns rid (rowid of the offending row), column_name, value and reason.
        let sql: String
    }

    static func duplicate(_ table: String, id: String) -> CrossRowCheck {
        CrossRowCheck(table: table, rule: "duplicate_id", sql: """
            SELECT x.rowid AS rid, '\(id)' AS column_name, x.\(id) AS value,
                   'duplicate \(id) ' || x.\(id) || ': first given on line ' || f.first_line || '; the first row is kept' AS reason
            FROM \(table) x JOIN (SELECT \(id), MIN(source_line) AS first_line FROM \(table) GROUP BY \(id) HAVING COUNT(*) > 1) f ON f.\(id) = x.\(id)
            WHERE x.source_line > f.first_line
            """)
    }

    /// Rows of `table` that overlap an earlier-starting row with the same `parent`: the later is rejected.
    static func overlap(_ table: String, id: String, parent: String, noun: String) -> CrossRowCheck {
        CrossRowCheck(table: table, rule: "overlap", sql: """
            SELECT b.rowid AS rid, 'start_date' AS column_name, b.start_date AS value,
                   'overlaps \(noun) ' || a.\(id) || ' of the same \(parent.replacingOccurrences(of: "_id", with: "")) (line ' || MIN(a.source_line) || ', '
                     || a.start_date || ' to ' || COALESCE(a.end_date, 'open') || ')' AS reason
            FROM \(table) b JOIN \(table) a ON a.\(parent) = b.\(parent) AND a.rowid <> b.rowid
                 AND (a.start_date < b.start_date OR (a.start_date = b.start_date AND a.source_line < b.source_line))
                 AND b.start_date < COALESCE(a.end_date, '9999-12-31')
            GROUP BY b.rowid
            """)
    }

    static let crossRowChecks: [CrossRowCheck] = [
        duplicate("xf_child", id: "child_id"),
        duplicate("xf_episode", id: "episode_id"),
        duplicate("xf_placement", id: "placement_id"),
        CrossRowCheck(table: "xf_episode", rule: "orphan", sql: """
            SELECT e.rowid AS rid, 'child_id' AS column_name, e.child_id AS value,
                   'child_id ' || e.child_id || ' is not among the accepted children (missing from children.csv or rejected there)' AS reason
            FROM xf_episode e WHERE NOT EXISTS (SELECT 1 FROM xf_child c WHERE c.child_id = e.child_id)
            """),
        CrossRowCheck(table: "xf_episode", rule: "before_birth", sql: """
            SELECT e.rowid AS rid, 'start_date' AS column_name, e.start_date AS value,
                   'start_date ' || e.start_date || ' is before the child''s date_of_birth ' || c.date_of_birth || ' (' || c.source_file || ' line ' || c.source_line || ')' AS reason
            FROM xf_episode e JOIN xf_child c ON c.child_id = e.child_id WHERE e.start_date < c.date_of_birth
            """),
        overlap("xf_episode", id: "episode_id", parent: "child_id", noun: "episode"),
        CrossRowCheck(table: "xf_placement", rule: "orphan", sql: """
            SELECT p.rowid AS rid, 'episode_id' AS column_name, p.episode_id AS value,
                   'episode_id ' || p.episode_id || ' is not among the accepted episodes (missing from episodes.csv or rejected there)' AS reason
            FROM xf_placement p WHERE NOT EXISTS (SELECT 1 FROM xf_episode e WHERE e.episode_id = p.episode_id)
            """),
        CrossRowCheck(table: "xf_placement", rule: "outside_episode", sql: """
            SELECT p.rowid AS rid, CASE WHEN p.start_date < e.start_date THEN 'start_date' ELSE 'end_date' END AS column_name,
                   CASE WHEN p.start_date < e.start_date THEN p.start_date ELSE COALESCE(p.end_date, '') END AS value,
                   'placement ' || p.start_date || ' to ' || COALESCE(p.end_date, 'open') || ' falls outside its episode ' || e.episode_id
                     || ' (' || e.start_date || ' to ' || COALESCE(e.end_date, 'open') || ')' AS reason
            FROM xf_placement p JOIN xf_episode e ON e.episode_id = p.episode_id
            WHERE p.start_date < e.start_date OR (e.end_date IS NOT NULL AND (p.end_date IS NULL OR p.end_date > e.end_date))
            """),
        overlap("xf_placement", id: "placement_id", parent: "episode_id", noun: "placement"),
        CrossRowCheck(table: "xf_published_value", rule: "duplicate_id", sql: """
            SELECT x.rowid AS rid, 'vintage' AS column_name, x.vintage AS value,
                   'duplicate value for ' || x.measure || ', ' || x.period || ', ' || x.geography_code || ', vintage ' || x.vintage
                     || ': first given in ' || f.source_file || ' line ' || f.source_line || '; the first row is kept' AS reason
            FROM xf_published_value x JOIN xf_published_value f
              ON f.measure = x.measure AND f.period = x.period AND f.geography_code = x.geography_code AND f.breakdown = x.breakdown
             AND f.vintage = x.vintage AND (f.source_file < x.source_file OR (f.source_file = x.source_file AND f.source_line < x.source_line))
            GROUP BY x.rowid
            """),
    ]
}
