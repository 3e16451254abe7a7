import Foundation
import GRDB

/// Which streams a build can take from the published release instead of reading again: those
/// whose every input file is byte-for-byte the one the release was built from, when nothing that
/// all streams share changed (seeds, definitions, configuration, settings, the program, and the
/// input folder as recorded in the store). Their clean tables, rejected rows, notes, file records
/// and derived tables are copied from the release's restricted store; transform builds their keys
/// and indexes but runs no checks on them (the same program passed the same rows before).
///
/// Compute, disclosure control, render and the audit always run over every stream: protection is
/// judged across every published table together, as an attacker combines them, so a change in one
/// stream can change what must be withheld in another's tables.
public struct StreamReuse: Sendable {
    /// The release's restricted store, the one rows are copied from.
    public var store: URL
    /// The run that built it.
    public var runID: String
    public var release: String
    /// Ids of the streams taken from it.
    public var streams: Set<String>

    /// Whether extract reads the input at `path` (relative to the input folder) as a row source: a
    /// declared file, a `.csv` in a declared folder, or a document of an accepted extension; hidden
    /// files and others in those folders are listed, not read.
    static func isRead(relativePath path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard !name.hasPrefix(".") else { return false }
        for stream in StreamRegistry.all {
            for file in stream.files {
                switch file.location {
                case .file(let declared): if path == declared { return true }
                case .folder(let folder): if path.hasPrefix(folder + "/"), name.lowercased().hasSuffix(".csv") { return true }
                }
            }
            for documents in stream.documents where path.hasPrefix(documents.folder + "/") {
                if documents.extensions.contains(where: { name.lowercased().hasSuffix(".\($0)") }) { return true }
            }
        }
        return false
    }

    /// The input paths (relative to the input folder) that belong to `stream`: its files, every
    /// file in its folders, every document in its document folders.
    static func owns(_ stream: DataStream, relativePath path: String) -> Bool {
        for file in stream.files {
            switch file.location {
            case .file(let declared): if path == declared { return true }
            case .folder(let folder): if path.hasPrefix(folder + "/") { return true }
            }
        }
        return stream.documents.contains { path.hasPrefix($0.folder + "/") }
    }

    /// The plan for a build with `fingerprint`, or nil with the reason nothing can be reused (and
    /// whether that reason is something an operator should hear of: a published store that changed).
    public static func plan(layout: PipelineLayout, fingerprint: InputFingerprint, releases: Releases) -> (reuse: StreamReuse?, why: String, warn: Bool) {
        guard let current = releases.current(), let manifest = releases.manifest(of: current) else { return (nil, "there is no published release", false) }
        guard manifest.fingerprint.count == 64 else { return (nil, "the published release was not built from one set of inputs", false) }
        // Every input file belongs to one stream or to none; a file of none (a README, say) counts as shared.
        func owner(_ key: String) -> String? {
            guard key.hasPrefix("input/") else { return nil }
            let path = String(key.dropFirst("input/".count))
            return StreamRegistry.all.first { owns($0, relativePath: path) }?.id
        }
        let keys = Set(fingerprint.files.keys).union(manifest.inputs.keys)
        let changed = keys.filter { fingerprint.files[$0] != manifest.inputs[$0] }
        if let shared = changed.sorted().first(where: { owner($0) == nil }) {
            return (nil, "\(shared.hasPrefix("input/") ? "input file " + shared.dropFirst(6) : shared) changed, and every stream depends on it", false)
        }
        let changedStreams = Set(changed.compactMap(owner))
        let unchanged = Set(StreamRegistry.all.map(\.id)).subtracting(changedStreams)
        guard !unchanged.isEmpty else { return (nil, "every stream's inputs changed", false) }
        let store = releases.directory.appendingPathComponent(current).appendingPathComponent("promise.sqlite")
        // The store is the analysts' to open: one that changed since it was published (a table added,
        // rows deleted) is not a copy of the inputs any more.
        guard let published = manifest.storeSHA256 else { return (nil, "the published release does not record its store's SHA-256", false) }
        guard (try? InputFingerprint.rememberedSHA256(of: store)) == published else {
            return (nil, "the published store \(store.path) is not the file that was published (it was changed since), so nothing is taken from it", true)
        }
        // Stored paths name the input folder as this run would (they appear in rejected rows and on
        // the data-quality page), so the folder must be named the same way.
        let recorded: String?? = try? DatabaseQueue(path: store.path, configuration: { var c = Configuration(); c.readonly = true; return c }()).read { db in
            try String.fetchOne(db, sql: "SELECT input_dir FROM run WHERE run_id = ? AND status = 'succeeded'", arguments: [manifest.runID])
        }
        guard let recordedFolder = recorded.flatMap({ $0 }) else { return (nil, "the published store does not record its run", false) }
        guard recordedFolder == layout.display(layout.inputDirectory) else {
            return (nil, "the input folder is given as \(layout.display(layout.inputDirectory)), where the release read \(recordedFolder)", false)
        }
        return (StreamReuse(store: store, runID: manifest.runID, release: current, streams: unchanged), "", false)
    }

    public func reuses(_ stream: DataStream) -> Bool { streams.contains(stream.id) }

    /// Runs `body` with the release's store attached read-only as `previous`. SQLite attaches
    /// outside any transaction, so `body` opens its own. While it is attached, `body` must name
    /// every table it writes as `main.` (an unqualified name missing from `main` would resolve to
    /// the release's), and the read-only attachment makes any slip an error, never a change to a
    /// published store.
    func attached(to store: Store, _ body: (Database) throws -> Void) throws {
        try store.queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS previous", arguments: [self.store.standardizedFileURL.absoluteString + "?mode=ro"])
            defer { try? db.execute(sql: "DETACH DATABASE previous") }
            // A library without URI file names would have made a new, empty file instead.
            guard try (Int.fetchOne(db, sql: "SELECT COUNT(*) FROM previous.sqlite_master") ?? 0) > 0 else {
                throw OperatorError(.internalError, "could not open the published store \(self.store.path) read-only to reuse its unchanged streams (SQLite without URI file names?); run with --force")
            }
            try db.inTransaction {
                try body(db)
                return .commit
            }
        }
    }

    /// The source files of `stream` the release's run recorded, as stored.
    func sourceFiles(of stream: DataStream, layout: PipelineLayout, db: Database) throws -> [String] {
        let recorded = try String.fetchAll(db, sql: "SELECT source_file FROM previous.run_input WHERE run_id = ? ORDER BY source_file", arguments: [runID])
        return recorded.filter { Self.belongs($0, to: stream, layout: layout) }
    }

    /// Whether a stored path (as messages show it) is one of `stream`'s inputs.
    static func belongs(_ stored: String, to stream: DataStream, layout: PipelineLayout) -> Bool {
        let folder = layout.display(layout.inputDirectory) + "/"
        return stored.hasPrefix(folder) && owns(stream, relativePath: String(stored.dropFirst(folder.count)))
    }

    /// Extract's part: copies the stream's clean and parsed tables, and its file records, rejected
    /// rows and notes (under this run), from the release. Returns rows read and rejected by extract.
    func copyExtracted(_ stream: DataStream, runID current: String, layout: PipelineLayout, db: Database) throws -> (files: Int, read: Int, rejected: Int) {
        let files = try sourceFiles(of: stream, layout: layout, db: db)
        for table in stream.cleanTables + stream.parsedTables {
            try copy(table, db: db)
        }
        // Notes about the stream's files, and about files in its folders that were not read (hidden,
        // not .csv): those are in no file record, but the data-quality page lists them.
        let notes = try Row.fetchAll(db, sql: "SELECT rowid, source_file FROM previous.run_note WHERE run_id = ? AND source_file IS NOT NULL ORDER BY rowid", arguments: [runID])
            .filter { Self.belongs($0["source_file"], to: stream, layout: layout) }.map { $0["rowid"] as Int64 }
        if !notes.isEmpty {
            try db.execute(sql: """
                INSERT INTO main.run_note (run_id, stage, source_file, message)
                SELECT ?, stage, source_file, message FROM previous.run_note WHERE rowid IN (\(notes.map(String.init).joined(separator: ", "))) ORDER BY rowid
                """, arguments: [current])
        }
        guard !files.isEmpty else { return (0, 0, 0) }
        let list = "(" + Array(repeating: "?", count: files.count).joined(separator: ", ") + ")"
        let paths = StatementArguments(files)
        try db.execute(sql: """
            INSERT INTO main.run_input (run_id, source_file, sha256, bytes, lines_read, rows_read, rows_rejected, rows_loaded)
            SELECT ?, source_file, sha256, bytes, lines_read, rows_read, rows_rejected, rows_loaded
            FROM previous.run_input WHERE run_id = ? AND source_file IN \(list) ORDER BY source_file
            """, arguments: [current, runID] + paths)
        let columns = "stage, source_file, source_line, column_name, value, rule, reason, record"
        try db.execute(sql: "INSERT INTO main.rejected_row (\(columns)) SELECT \(columns) FROM previous.rejected_row WHERE source_file IN \(list) ORDER BY rejected_row_id",
                       arguments: paths)
        let read = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(rows_read), 0) FROM main.run_input WHERE run_id = ? AND source_file IN \(list)", arguments: [current] + paths) ?? 0
        let rejected = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT DISTINCT source_file, source_line FROM main.rejected_row WHERE stage = 'extract' AND source_file IN \(list))",
                                        arguments: paths) ?? 0
        return (files.count, read, rejected)
    }

    /// Copies one table's rows from the release, in the order they were stored.
    func copy(_ table: TableSpec, db: Database) throws {
        let columns = table.columns.map(\.name).joined(separator: ", ")
        try db.execute(sql: "INSERT INTO main.\(table.name) (\(columns)) SELECT \(columns) FROM previous.\(table.name) ORDER BY rowid")
    }

    /// Whether load can copy a derived table rather than derive it: a plain materialised table
    /// (views and full-text indexes are made from the clean tables again).
    static func copiable(_ table: TableSpec) -> Bool {
        table.materialized && table.fullTextTokenizer == nil
    }
}
