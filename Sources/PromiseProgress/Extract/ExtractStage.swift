import Crypto
import Foundation
import GRDB

/// Extract: starts a fresh work store, loads `seeds/`, and reads each child-level input file into
/// its staging table exactly as written, keeping the source file and line of every row. Rows that
/// cannot be read (malformed CSV, wrong number of fields) go to `rejected_row`.
public struct ExtractStage: PipelineStage {
    public let name = "extract"
    public init() {}

    public func run(_ context: PipelineContext) throws -> String {
        let layout = context.layout
        try FileManager.default.createDirectory(at: layout.workDirectory, withIntermediateDirectories: true)
        for suffix in ["", "-journal"] {
            try? FileManager.default.removeItem(atPath: layout.workStoreURL.path + suffix)
        }
        let store = try context.openWorkStore()
        var totalRows = 0
        var totalRejected = 0
        try store.queue.write { db in
            try store.recreate(Schema.reference + Schema.indicatorTables + Schema.dictionary + Schema.staging, in: db)
            let seeds = try SeedLoader.load(from: layout.seedsDirectory, into: db)
            context.logger.log("  seeds: \(Schema.reference.map { "\($0.name) \(seeds[$0.name] ?? 0)" }.joined(separator: ", "))")
            try db.execute(
                sql: "INSERT INTO run (run_id, started_at, status, tool_version, input_dir) VALUES (?, ?, 'running', ?, ?)",
                arguments: [context.runID, context.startedAt, PromiseProgressVersion.current, layout.display(layout.inputDirectory)])
            let quantitative = layout.inputDirectory.appendingPathComponent("quantitative")
            var inputs = InputContract.files.map { ($0, quantitative.appendingPathComponent($0.fileName)) }
            // Published aggregates are optional: every .csv in quantitative/published/, in name order.
            let publishedFolder = quantitative.appendingPathComponent("published")
            if let names = try? FileManager.default.contentsOfDirectory(atPath: publishedFolder.path) {
                inputs += names.filter { $0.hasSuffix(".csv") }.sorted().map { (InputContract.published, publishedFolder.appendingPathComponent($0)) }
            }
            for (file, url) in inputs {
                let result = try extract(file, url: url, context: context, db: db)
                totalRows += result.read
                totalRejected += result.rejected
                context.logger.log("  \(result.path): \(result.read) rows read, \(result.rejected) rejected")
            }
        }
        return "\(totalRows) rows read, \(totalRejected) rejected"
    }

    private func extract(_ file: InputContract.File, url: URL, context: PipelineContext, db: Database) throws -> (path: String, read: Int, rejected: Int) {
        let layout = context.layout
        let path = layout.display(url)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw Problem(file: path, message: "input file not found; expected \(file.fileName) with columns \(file.columnNames.joined(separator: ","))",
                          hint: "see docs/input-contract.md")
        }
        let data = try Data(contentsOf: url)
        let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let reader = CSVReader(bytes: [UInt8](data))
        let rejections = try RejectionRecorder(stage: "extract", db: db)

        var positions: [Int] = []
        var headerCount = 0
        var read = 0
        var rejectedLines = Set<Int>()
        var insert: BulkInsert?
        try reader.forEachRow { row in
            guard let stagingInsert = insert else {
                // The first row is the header.
                guard case .record(let line, let header) = row else {
                    throw Problem(file: path, line: row.line, message: "the header row cannot be read", hint: "the first line must name the columns")
                }
                positions = try headerPositions(header, file: file, path: path, line: line, context: context, db: db)
                headerCount = header.count
                insert = try BulkInsert(into: file.stagingTable, columns: ["source_file", "source_line"] + file.columnNames, in: db)
                return
            }
            read += 1
            switch row {
            case .malformed(let line, let column, let reason, let raw):
                try rejections.record(file: path, line: line, column: nil, value: nil, rule: "malformed_csv",
                                      reason: "column \(column): \(reason)", record: raw)
                rejectedLines.insert(line)
            case .record(let line, let fields):
                guard fields.count == headerCount else {
                    let reason = fields.count < headerCount
                        ? "short line: expected \(headerCount) fields as in the header, found \(fields.count)"
                        : "long line: expected \(headerCount) fields as in the header, found \(fields.count)"
                    try rejections.record(file: path, line: line, column: nil, value: nil, rule: "wrong_field_count", reason: reason, record: CSVWriter.line(fields))
                    rejectedLines.insert(line)
                    return
                }
                try stagingInsert.insert([path, line] + positions.map { fields[$0] })
            }
        }
        if insert == nil {
            throw Problem(file: path, line: 1, message: "the file is empty; expected a header row naming \(file.columnNames.joined(separator: ","))")
        }
        try db.execute(
            sql: "INSERT INTO run_input (run_id, source_file, sha256, bytes, rows_read, rows_rejected, rows_loaded) VALUES (?, ?, ?, ?, ?, ?, 0)",
            arguments: [context.runID, path, sha, data.count, read, rejectedLines.count])
        return (path, read, rejectedLines.count)
    }

    /// Maps contract columns to header positions; a missing or repeated column is fatal, an extra one is noted.
    private func headerPositions(_ header: [String], file: InputContract.File, path: String, line: Int, context: PipelineContext, db: Database) throws -> [Int] {
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if let first = seen[name] {
                throw Problem(file: path, line: line, column: index + 1, field: name,
                              message: "column '\(name)' appears twice (columns \(first + 1) and \(index + 1))")
            }
            seen[name] = index
        }
        let missing = file.columnNames.filter { seen[$0] == nil }
        if !missing.isEmpty {
            throw Problem(file: path, line: line,
                          message: "missing column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")); found \(header.joined(separator: ","))",
                          hint: "expected columns: \(file.columnNames.joined(separator: ","))")
        }
        for (index, name) in names.enumerated() where !file.columnNames.contains(name) {
            let note = "column \(index + 1) '\(header[index])' is not part of the input contract and was ignored"
            context.logger.log("  note: \(path): \(note)")
            try db.execute(sql: "INSERT INTO run_note (run_id, stage, source_file, message) VALUES (?, 'extract', ?, ?)",
                           arguments: [context.runID, path, note])
        }
        return file.columnNames.map { seen[$0]! }
    }
}

// MARK: - RejectionRecorder

/// Writes rows to `rejected_row`.
struct RejectionRecorder {
    let stage: String
    let insert: BulkInsert

    init(stage: String, db: Database) throws {
        self.stage = stage
        insert = try BulkInsert(into: "rejected_row", columns: ["stage", "source_file", "source_line", "column_name", "value", "rule", "reason", "record"], in: db)
    }

    func record(file: String, line: Int, column: String?, value: String?, rule: String, reason: String, record: String) throws {
        try insert.insert([stage, file, line, column, value, rule, reason, record])
    }
}
