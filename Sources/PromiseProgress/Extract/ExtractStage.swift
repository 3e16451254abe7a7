import Foundation
import GRDB

/// Extract: starts a fresh work store, loads `seeds/`, then reads every input file of every
/// registered stream (``StreamRegistry``) in one streaming pass: bytes are parsed, each row is
/// checked against its column rules and row rules, and a good row is inserted, typed, straight into
/// its stream's clean table; a bad one goes to `rejected_row` with its file, line and reason in the
/// same pass. Files are read in pieces, so memory does not grow with the file.
public struct ExtractStage: PipelineStage {
    public let name = "extract"
    public init() {}

    public func run(_ context: PipelineContext) throws -> String {
        let layout = context.layout
        try FileManager.default.createDirectory(at: layout.workDirectory, withIntermediateDirectories: true)
        // The work area holds child-level records: its owner and group only.
        try FileManager.default.setAttributes([.posixPermissions: 0o750], ofItemAtPath: layout.workDirectory.path)
        for suffix in ["", "-journal"] {
            try? FileManager.default.removeItem(atPath: layout.workStoreURL.path + suffix)
        }
        let store = try context.openWorkStore()
        var totalRows = 0
        var totalRejected = 0
        let reuse = context.reuse
        try store.queue.write { db in
            try store.recreate(Schema.reference + Schema.indicatorTables + Schema.dictionary + StreamRegistry.cleanTables + StreamRegistry.parsedTables, in: db)
            let seeds = try SeedLoader.load(from: layout.seedsDirectory, into: db)
            context.logger.log("  seeds: \(Schema.reference.map { "\($0.name) \(seeds[$0.name] ?? 0)" }.joined(separator: ", "))")
            try db.execute(
                sql: "INSERT INTO run (run_id, started_at, status, tool_version, input_dir) VALUES (?, ?, 'running', ?, ?)",
                arguments: [context.runID, context.startedAt, PromiseProgressVersion.current, layout.display(layout.inputDirectory)])
            let validator = RecordValidator(reference: try ReferenceData.load(from: db))
            for stream in StreamRegistry.all {
                if let reuse, reuse.reuses(stream) { continue }
                for file in stream.files {
                    var skipped: [(path: String, why: String)] = []
                    let urls = try inputs(of: file, layout: layout, skipped: &skipped)
                    for (path, why) in skipped {
                        context.logger.log("  note: \(path): \(why)")
                        try db.execute(sql: "INSERT INTO run_note (run_id, stage, source_file, message) VALUES (?, 'extract', ?, ?)", arguments: [context.runID, path, why])
                    }
                    for url in urls {
                        let started = Date()
                        let result = try extract(file, url: url, validator: validator, context: context, db: db)
                        totalRows += result.read
                        totalRejected += result.rejected
                        context.logger.log("  \(result.path): \(result.read) rows read, \(result.rejected) rejected (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
                    }
                }
                for input in stream.documents {
                    let result = try extract(input, context: context, db: db)
                    totalRows += result.read
                    totalRejected += result.rejected
                }
            }
        }
        // Streams whose inputs are unchanged since the published release: taken from it, not read.
        if let reuse {
            try reuse.attached(to: store) { db in
                for stream in StreamRegistry.all where reuse.reuses(stream) {
                    let copied = try reuse.copyExtracted(stream, runID: context.runID, layout: layout, db: db)
                    totalRows += copied.read
                    totalRejected += copied.rejected
                    context.logger.log("  \(stream.title): \(copied.files) files unchanged since release \(reuse.release); \(copied.read) rows and \(copied.rejected) rejections taken from it, not read again")
                }
            }
        }
        return "\(totalRows) rows read, \(totalRejected) rejected"
    }

    /// The largest document read: 4 MiB of text.
    static let maximumDocumentBytes = 4 << 20

    /// Reads every document of a folder with its stream's reader: one `run_input` row per document
    /// (hash, bytes, lines), a rejection with its reason for one that is not UTF-8 or repeats an id.
    func extract(_ input: DocumentInput, context: PipelineContext, db: Database) throws -> (read: Int, rejected: Int) {
        let layout = context.layout
        let folder = layout.inputDirectory.appendingPathComponent(input.folder)
        guard let names = try Self.listing(folder, layout: layout, noun: "documents") else { return (0, 0) }
        let wanted = names.filter { name in !name.hasPrefix(".") && input.extensions.contains { name.lowercased().hasSuffix(".\($0)") } }.sorted()
        for name in names.filter({ !wanted.contains($0) }).sorted() {
            let why = name.hasPrefix(".") ? "hidden file, not read" : "not a \(input.extensions.map { ".\($0)" }.joined(separator: " or ")) document, not read"
            try db.execute(sql: "INSERT INTO run_note (run_id, stage, source_file, message) VALUES (?, 'extract', ?, ?)",
                           arguments: [context.runID, layout.display(folder.appendingPathComponent(name)), why])
        }
        let rejections = try RejectionRecorder(stage: name, db: db)
        var seen: [String: String] = [:]
        var rejected = 0
        for name in wanted {
            let url = folder.appendingPathComponent(name)
            let path = layout.display(url)
            let data: Data
            do {
                if case .wrongKind(let what) = InputPath.kind(of: url) { throw InputPath.wrongKind(path, what) }
                data = try InputPath.readRegularFile(url, display: path)
            } catch let wrong as OperatorError {
                throw wrong
            } catch {
                throw Problem(file: path, message: "the document exists but cannot be read (\(Self.plain(error)))", hint: "check its permissions")
            }
            let sha = InputFingerprint.hex(SHA256.hash(data: data))
            let lines = data.isEmpty ? 0 : data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + (data.last == 0x0A ? 0 : 1)
            // A document's id is its file name without the extension, in NFC (a Mac writes names in
            // NFD); ids that differ only in letter case or normal form are one document.
            let id = (name as NSString).deletingPathExtension.precomposedStringWithCanonicalMapping
            let identity = id.lowercased()
            var problem: (rule: String, reason: String)?
            if data.count > Self.maximumDocumentBytes {
                // A runaway export (a log, a dump) would be parsed, indexed and published whole.
                problem = ("document_too_large", "the document is \(Formatting.count(data.count)) bytes, over the limit of \(Formatting.count(Self.maximumDocumentBytes)) for one document (a report of a few hundred pages is well under it); split it or check the export")
            } else if let first = seen[identity] {
                problem = ("duplicate_id", "document id '\(id)' is also the id of \(first) (the file name without its extension; ids are compared in NFC and without regard to letter case); the first is kept")
            } else if data.contains(0) {
                problem = ("control_character", "the document holds a NUL byte: it is not a text file")
            }
            let text = problem == nil ? String(data: data, encoding: .utf8) : nil
            if problem == nil, text == nil {
                problem = ("invalid_encoding", "the document is not valid UTF-8 text; save it as UTF-8")
            } else if problem == nil, text!.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                // A failed export or copy leaves an empty file: say so rather than read a document with nothing in it.
                problem = ("empty_document", "the document is empty (\(data.count) bytes, no text); export it again")
            }
            if let problem {
                try rejections.record(file: path, line: 1, column: nil, value: name, rule: problem.rule, reason: problem.reason, record: name)
                rejected += 1
            } else {
                seen[identity] = name
                for note in try input.read(DocumentFile(path: path, id: id, fileName: name, text: text!, sha256: sha), db) {
                    try db.execute(sql: "INSERT INTO run_note (run_id, stage, source_file, message) VALUES (?, 'extract', ?, ?)", arguments: [context.runID, path, note])
                    // Broken front matter loses the document's title, date or foundations: the operator hears of it.
                    if note.hasPrefix(QualitativeStream.frontMatterNote) { context.logger.log("\(path): \(note)", level: .warning) }
                }
            }
            try db.execute(
                sql: "INSERT INTO run_input (run_id, source_file, sha256, bytes, lines_read, rows_read, rows_rejected, rows_loaded) VALUES (?, ?, ?, ?, ?, 1, ?, 0)",
                arguments: [context.runID, path, sha, data.count, lines, problem == nil ? 0 : 1])
        }
        context.logger.log("  \(layout.display(folder)): \(wanted.count) documents read, \(rejected) rejected")
        return (wanted.count, rejected)
    }

    /// The names in a folder, or nil when there is no folder. Something there that cannot be listed
    /// (a file, no permission) is an error with its path, never "absent".
    static func listing(_ folder: URL, layout: PipelineLayout, noun: String) throws -> [String]? {
        let kind = InputPath.kind(of: folder)
        switch kind {
        case .absent: return nil
        case .wrongKind(let what): throw InputPath.wrongKind(layout.display(folder), what)
        case .file: throw InputPath.wrongKind(layout.display(folder), "a file, not a folder of \(noun)")
        case .folder: break
        }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw Problem(file: layout.display(folder), message: "the \(noun) folder exists but cannot be read as a folder (\(Self.plain(error)))",
                          hint: "check its permissions, or remove it if it has no \(noun == "input" ? "files" : noun)")
        }
    }

    /// The files to read for one declared input: the file itself, or every `.csv` of a folder in name
    /// order. Something that exists but cannot be read is an error with its path, never "absent".
    func inputs(of file: StreamFile, layout: PipelineLayout, skipped: inout [(path: String, why: String)]) throws -> [URL] {
        switch file.location {
        case .file(let path):
            let url = layout.inputDirectory.appendingPathComponent(path)
            if !file.required, InputPath.kind(of: url) == .absent { return [] }
            return [url]
        case .folder(let path):
            let folder = layout.inputDirectory.appendingPathComponent(path)
            guard let names = try Self.listing(folder, layout: layout, noun: "input") else {
                if file.required {
                    throw Problem(file: layout.display(folder), message: "input folder not found; expected \(file.fileName) with columns \(file.columnNames.joined(separator: ","))",
                                  hint: "see docs/input-contract.md")
                }
                return []
            }
            // Any case of .csv counts; hidden files (".", e.g. macOS "._name.csv") and other files are left
            // out, each with a note, never silently.
            let read = names.filter { $0.lowercased().hasSuffix(".csv") && !$0.hasPrefix(".") }.sorted()
            skipped += names.filter { !read.contains($0) }.sorted().map { (layout.display(folder.appendingPathComponent($0)), $0.hasPrefix(".") ? "hidden file, not read" : "not a .csv file, not read") }
            return read.map { folder.appendingPathComponent($0) }
        }
    }

    private func extract(_ file: StreamFile, url: URL, validator: RecordValidator, context: PipelineContext, db: Database) throws -> (path: String, read: Int, rejected: Int) {
        let layout = context.layout
        let path = layout.display(url)
        let kind = InputPath.kind(of: url)
        switch kind {
        case .absent:
            throw Problem(file: path, message: "input file not found; expected \(file.fileName) with columns \(file.columnNames.joined(separator: ","))",
                          hint: "see docs/input-contract.md")
        case .wrongKind(let what):
            throw InputPath.wrongKind(path, what)
        case .file, .folder: break
        }
        if kind == .folder {
            // The environment is wrong, not a row: exit 1, as for any input of the wrong kind.
            throw InputPath.wrongKind(path, "a folder, not a file (expected \(file.fileName) with columns \(file.columnNames.joined(separator: ",")))")
        }
        let rejections = try RejectionRecorder(stage: name, db: db)
        let insert = try TypedInsert(into: file.table.name, columns: file.columnNames.map { ($0, file.storedType(of: $0)) } + [("source_file", "TEXT"), ("source_line", "INTEGER")], in: db)

        var positions: [Int] = []
        var headerCount = 0
        var headerNames: [String] = []
        // Fields of free-text columns, which may hold line breaks and tabs.
        var freeTextFields: Set<Int> = []
        var read = 0
        var rejectedLines = Set<Int>()
        var sawHeader = false
        var lastRow: CSVRow?
        let summary: CSVFileReader.Summary
        do {
            var reader = CSVFileReader(url: url)
            reader.allowsLineBreaksInQuotes = file.allowsLineBreaks
            summary = try reader.forEachRow { row in
                guard sawHeader else {
                    // The first row is the header.
                    guard case .record(let line, let header) = row else {
                        throw Problem(file: path, line: row.line, message: "the header row cannot be read", hint: "the first line must name the columns")
                    }
                    positions = try headerPositions(header, file: file, path: path, line: line, context: context, db: db)
                    headerCount = header.count
                    headerNames = header
                    freeTextFields = Set(zip(file.columns, positions).filter { $0.0.rule == .freeText }.map(\.1))
                    sawHeader = true
                    return
                }
                read += 1
                lastRow = row
                switch row {
                case .malformed(let line, let column, let reason, let raw):
                    try rejections.record(file: path, line: line, column: nil, value: nil, rule: "malformed_csv",
                                          reason: "character \(column) of the line: \(reason)", record: raw)
                    rejectedLines.insert(line)
                case .unterminatedQuote(let line, let column, let raw):
                    try rejections.record(file: path, line: line, column: nil, value: nil, rule: "unterminated_quote",
                                          reason: "character \(column) of the line: a quote opened here runs past the end of the line; the line was rejected and reading went on with the next line", record: raw)
                    rejectedLines.insert(line)
                case .record(let line, let fields) where Self.firstControlField(fields, freeText: freeTextFields) != nil:
                    // NUL, other control characters and line breaks have no place in these files: a NUL would
                    // cut a value short when stored, and an id with a line break is not the same id.
                    let index = Self.firstControlField(fields, freeText: freeTextFields)!
                    let column = index < headerNames.count ? headerNames[index] : "field \(index + 1)"
                    let shown = fields[index].unicodeScalars.map { Self.isControl($0) ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
                    try rejections.record(file: path, line: line, column: column, value: shown, rule: "control_character",
                                          reason: "expected printable text in \(column), found a control character (\(shown))", record: CSVWriter.line(fields.map { $0.replacingOccurrences(of: "\u{0}", with: "\\u{0}") }))
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
                    let values = positions.map { fields[$0] }
                    switch validator.validate(values, file: file) {
                    case .success(let normalised):
                        try insert.insert(normalised, path, line)
                    case .failure(let failure):
                        let record = CSVWriter.line(values)
                        for problem in failure.problems {
                            try rejections.record(file: path, line: line, column: problem.column, value: problem.value, rule: problem.rule, reason: problem.reason, record: record)
                        }
                        rejectedLines.insert(line)
                    }
                }
            }
        } catch let error as CSVFileReader.ReadError {
            if case .wrongKind(let what) = InputPath.kind(of: url) { throw InputPath.wrongKind(path, what) }
            throw Problem(file: path, message: "the input file exists but cannot be read (\(Self.plain(error.underlying)))", hint: "check its permissions")
        }
        if !sawHeader {
            throw Problem(file: path, line: 1, message: "the file is empty; expected a header row naming \(file.columnNames.joined(separator: ","))")
        }
        // A file cut off part-way through its last row (a truncated export) must not publish as if whole.
        if !summary.endsWithLineBreak, let lastRow, rejectedLines.contains(lastRow.line) {
            throw Problem(file: path, line: lastRow.line, message: "the file ends part-way through line \(lastRow.line), which was rejected: it looks truncated",
                          hint: "export the file again; a complete file ends with a line break or a whole row")
        }
        if read == 0 {
            context.logger.log("  note: \(path): no rows (the file has a header only)")
            try db.execute(sql: "INSERT INTO run_note (run_id, stage, source_file, message) VALUES (?, 'extract', ?, 'no rows: the file has a header only')",
                           arguments: [context.runID, path])
        }
        // Physical lines that could hold data: every line but the header and blank ones. Each must
        // belong to a row that was loaded or rejected; a line in neither would be lost silently.
        let dataLines = max(0, summary.lines - 1 - summary.blankLines)
        guard summary.lines == summary.blankLines + summary.linesInRecords else {
            // The reader disagreeing with itself is a fault in this program, not in the file: exit 1.
            throw OperatorError(.internalError, "\(path): the CSV reader counted \(summary.lines) physical lines, but accounted for \(summary.linesInRecords) in rows and \(summary.blankLines) blank; "
                                + "refusing to go on with lines unaccounted for. This is a fault in the program's CSV reader, not in the file: report it with the file. The published outputs are unchanged.")
        }
        try db.execute(
            sql: "INSERT INTO run_input (run_id, source_file, sha256, bytes, lines_read, rows_read, rows_rejected, rows_loaded) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
            arguments: [context.runID, path, summary.sha256, summary.bytes, dataLines, read, rejectedLines.count])
        return (path, read, rejectedLines.count)
    }

    /// C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// True when a field holds a character ``isControl(_:)`` names. ASCII text is settled on its bytes.
    /// The first field holding a control character; fields of free-text columns may hold line feeds,
    /// carriage returns and tabs.
    static func firstControlField(_ fields: [String], freeText: Set<Int>) -> Int? {
        fields.indices.first { hasControlCharacter(fields[$0], allowingLineBreaks: freeText.contains($0)) }
    }

    /// With `allowingLineBreaks`, line feeds, carriage returns and tabs are not counted.
    static func hasControlCharacter(_ field: String, allowingLineBreaks: Bool = false) -> Bool {
        var ascii = true
        for byte in field.utf8 {
            if byte < 0x20, allowingLineBreaks, byte == 0x0A || byte == 0x0D || byte == 0x09 { continue }
            if byte < 0x20 || byte == 0x7F { return true }
            if byte >= 0x80 { ascii = false }
        }
        return !ascii && field.unicodeScalars.contains { isControl($0) && !(allowingLineBreaks && ($0 == "\n" || $0 == "\r" || $0 == "\t")) }
    }

    /// An error's message without the Foundation error-domain dump.
    static func plain(_ error: any Error) -> String {
        if let cocoa = error as? CocoaError, let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        if let cocoa = error as? CocoaError { return "file system error \(cocoa.code.rawValue)" }
        return "\(error)"
    }

    /// A header field as a message may quote it: itself only when it is a column name some input
    /// declares (compared trimmed and without regard to letter case), else only its length. A file
    /// that lost its header puts a record's values where the names should be, and a value made only
    /// of letters (a code, a name, a child's words) is still a value.
    static func headerName(_ field: String) -> String {
        let name = field.trimmingCharacters(in: .whitespaces).lowercased()
        // Not even its shape: a shape keeps a comment's word lengths and punctuation.
        return declaredColumnNames.contains(name) ? name : "(a value of \(field.utf8.count) bytes, not a column name)"
    }

    /// Every column name any stream's files declare.
    static let declaredColumnNames: Set<String> = Set(StreamRegistry.files.flatMap(\.columnNames))

    /// Said when line 1 holds none of the expected columns: the header is probably missing.
    static func headerLostNote(_ names: [String], file: StreamFile) -> String {
        guard !names.contains(where: file.columnNames.contains) else { return "" }
        return ". None of the expected columns is on this line: the header may be missing, with a row of data in its place"
    }

    /// Maps contract columns to header positions; a missing or repeated column is fatal, an extra one is noted.
    private func headerPositions(_ header: [String], file: StreamFile, path: String, line: Int, context: PipelineContext, db: Database) throws -> [Int] {
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if let first = seen[name] {
                throw Problem(file: path, line: line, column: index + 1, field: Self.headerName(name),
                              message: "column '\(Self.headerName(name))' appears twice (columns \(first + 1) and \(index + 1))"
                                + (file.columnNames.contains(name) ? "" : Self.headerLostNote(names, file: file)))
            }
            seen[name] = index
        }
        let missing = file.columnNames.filter { seen[$0] == nil }
        if !missing.isEmpty {
            // One column holding the expected names separated by something else: name the delimiter.
            let delimiter = header.count == 1 ? [(";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")].first { header[0].contains($0.0) }?.1 : nil
            // What was found, as names only where they look like column names: a file that lost its
            // header has a child's record (or a child's words) on line 1, and this message is logged and mailed.
            let found = delimiter != nil
                ? header[0].components(separatedBy: [";", "\t", "|"]).map(Self.headerName).joined(separator: ",")
                : header.map(Self.headerName).joined(separator: ",")
            throw Problem(file: path, line: line,
                          message: "missing column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")); found \(Bounded.quote(found))"
                            + Self.headerLostNote(names, file: file),
                          hint: delimiter.map { "the file looks delimited by \($0); save it with commas between fields. Expected columns: \(file.columnNames.joined(separator: ","))" }
                              ?? "expected columns: \(file.columnNames.joined(separator: ","))")
        }
        for (index, name) in names.enumerated() where !file.columnNames.contains(name) {
            // Every declared column is present, so line 1 is a header and its other names are names.
            let note = "column \(index + 1) '\(Bounded.quote(header[index].trimmingCharacters(in: .whitespaces), limit: 60))' is not part of the input contract and was ignored"
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

    /// Values, reasons and records are bounded (a line of many megabytes is kept as its first
    /// thousands of characters, with its length), so one bad line cannot bloat the store.
    func record(file: String, line: Int, column: String?, value: String?, rule: String, reason: String, record: String) throws {
        try insert.insert([stage, file, line, column, value.map { Bounded.quote($0, limit: 1_000) }, rule, Bounded.message(reason), Bounded.quote(record, limit: 10_000)])
    }
}
