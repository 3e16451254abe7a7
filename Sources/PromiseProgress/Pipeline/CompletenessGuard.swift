import Foundation
import GRDB

/// Well-formed but incomplete input (an export cut off at a line break, a stream folder that did
/// not arrive, a published table left out) rejects nothing, so the rejected-share guard never sees
/// it. This guard compares what a run read with what the published release read, before anything
/// is published: a file that shrank by more than ``maximumRowDrop`` of its rows, or a file, folder
/// or stream the release read that is missing now, refuses the run (exit 5), naming each with both
/// counts. An operator who means it names the file, folder or stream in ``accepted``.
public struct CompletenessGuard {
    /// One thing compared: an input file, or a folder of documents taken as a whole (one document
    /// is one row of it). `path` is relative to the input folder.
    public struct Unit: Equatable, Sendable {
        public var path: String
        public var rows: Int
        public var isDocumentFolder: Bool

        /// The stream that reads this unit, by its declaration (a documents folder by a path inside it).
        var stream: DataStream? {
            StreamRegistry.all.first { StreamReuse.owns($0, relativePath: isDocumentFolder ? path + "/x" : path) }
        }
    }

    public var maximumRowDrop: Double
    /// Files (relative to the input folder, or as shown in messages), folders or stream ids whose
    /// drop or absence the operator accepts for this run.
    public var accepted: [String]

    public init(maximumRowDrop: Double = 0.05, accepted: [String] = []) {
        self.maximumRowDrop = maximumRowDrop
        self.accepted = accepted
    }

    /// What the guard found: the refusals, the drops the operator accepted, and (first release
    /// only) the optional inputs that are absent.
    public struct Finding: Sendable {
        public var refusals: [String] = []
        public var acceptedDrops: [String] = []
        public var warnings: [String] = []
    }

    /// Compares the work store's run with the published release's (nil: this is the first release).
    public func check(_ context: PipelineContext, releases: Releases) throws -> Finding {
        let layout = context.layout
        let now = try context.openWorkStore().queue.read { db in
            try Self.units(db, runID: context.runID, inputFolder: layout.display(layout.inputDirectory))
        }
        guard let release = releases.current(), let manifest = releases.manifest(of: release),
              FileManager.default.fileExists(atPath: layout.publishedStoreURL.path) else {
            return Finding(warnings: Self.absentOptionalInputs(layout))
        }
        let before = try Self.publishedUnits(layout.publishedStoreURL, runID: manifest.runID)
        guard !before.isEmpty else {
            // A release made before inputs were recorded per file: nothing to compare with.
            return Finding(warnings: ["the published release \(release) records no input files; the completeness guard starts with this run"])
        }
        var finding = Finding()
        let current = Dictionary(now.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var missingByStream: [String: [Unit]] = [:]
        for unit in before {
            let noun = unit.isDocumentFolder ? "documents" : "rows"
            let drop: String?
            if let found = current[unit.path] {
                guard unit.rows > 0, Double(unit.rows - found.rows) > maximumRowDrop * Double(unit.rows) else { continue }
                let share = Double(unit.rows - found.rows) / Double(unit.rows) * 100
                drop = "\(layout.display(layout.inputDirectory.appendingPathComponent(unit.path))): \(Formatting.count(found.rows)) \(noun) now, \(Formatting.count(unit.rows)) in release \(release) (down \(Formatting.decimal(share, places: 1))%; the limit is \(Formatting.decimal(maximumRowDrop * 100, places: 1))%, --max-row-drop)"
            } else {
                let stream = unit.stream?.id ?? "no stream"
                missingByStream[stream, default: []].append(unit)
                drop = "\(layout.display(layout.inputDirectory.appendingPathComponent(unit.path)))\(unit.isDocumentFolder ? "/" : ""): not found now; release \(release) read \(Formatting.count(unit.rows)) \(noun) from it (stream \(stream))"
            }
            guard let drop else { continue }
            if let accepted = acceptance(of: unit) {
                finding.acceptedDrops.append("\(drop); accepted with --accept-drop \(accepted)")
            } else {
                finding.refusals.append(drop)
            }
        }
        // A whole stream gone says so once, beside its files.
        for (stream, units) in missingByStream.sorted(by: { $0.key < $1.key }) where stream != "no stream" {
            let declared = StreamRegistry.all.first { $0.id == stream }
            let stillRead = now.contains { $0.stream?.id == stream }
            if !stillRead, !units.contains(where: { acceptance(of: $0) != nil }) {
                finding.refusals.append("stream \(stream) (\(declared?.title ?? stream)): none of its inputs was found; release \(release) read \(units.count) from it")
            }
        }
        return finding
    }

    /// The `--accept-drop` value that covers `unit`, if any: its path (relative to the input folder or
    /// as shown), a folder above it, its file name, or its stream's id.
    func acceptance(of unit: Unit) -> String? {
        let stream = unit.stream?.id
        return accepted.first { given in
            var name = given
            while name.hasSuffix("/") { name.removeLast() }
            guard !name.isEmpty else { return false }
            return unit.path == name || unit.path.hasSuffix("/" + name) || unit.path.hasPrefix(name + "/")
                || name.hasSuffix("/" + unit.path) || stream == name
        }
    }

    /// The units a run read: each CSV file, and each documents folder as one unit.
    static func units(_ db: Database, runID: String, inputFolder: String) throws -> [Unit] {
        let documentFolders = StreamRegistry.all.flatMap(\.documents).map(\.folder)
        var units: [Unit] = []
        for row in try Row.fetchAll(db, sql: "SELECT source_file, rows_read FROM run_input WHERE run_id = ? ORDER BY source_file", arguments: [runID]) {
            let stored: String = row["source_file"]
            let path = stored.hasPrefix(inputFolder + "/") ? String(stored.dropFirst(inputFolder.count + 1)) : stored
            if let folder = documentFolders.first(where: { path.hasPrefix($0 + "/") }) {
                if let index = units.firstIndex(where: { $0.path == folder && $0.isDocumentFolder }) {
                    units[index].rows += 1
                } else {
                    units.append(Unit(path: folder, rows: 1, isDocumentFolder: true))
                }
            } else {
                units.append(Unit(path: path, rows: row["rows_read"], isDocumentFolder: false))
            }
        }
        return units
    }

    /// The published release's units, from its store, opened read-only.
    static func publishedUnits(_ store: URL, runID: String) throws -> [Unit] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: store.path, configuration: configuration)
        return try queue.read { db in
            guard try db.tableExists("run_input"), try db.tableExists("run") else { return [] }
            let folder = try String.fetchOne(db, sql: "SELECT input_dir FROM run WHERE run_id = ?", arguments: [runID]) ?? ""
            return try units(db, runID: runID, inputFolder: folder)
        }
    }

    /// Declared inputs that may be absent and are: on the first release a warning, since after it
    /// the guard refuses a run without them.
    static func absentOptionalInputs(_ layout: PipelineLayout) -> [String] {
        var absent: [String] = []
        for stream in StreamRegistry.all {
            for file in stream.files where !file.required {
                let path: String
                switch file.location {
                case .file(let name): path = name
                case .folder(let name): path = name
                }
                if InputPath.kind(of: layout.inputDirectory.appendingPathComponent(path)) == .absent {
                    absent.append("\(layout.display(layout.inputDirectory.appendingPathComponent(path))) (stream \(stream.id)) is absent: this first release publishes without it; once published, a run without it is refused")
                }
            }
            for documents in stream.documents where InputPath.kind(of: layout.inputDirectory.appendingPathComponent(documents.folder)) == .absent {
                absent.append("\(layout.display(layout.inputDirectory.appendingPathComponent(documents.folder)))/ (stream \(stream.id)) is absent: this first release publishes without it; once published, a run without it is refused")
            }
        }
        return absent
    }
}
