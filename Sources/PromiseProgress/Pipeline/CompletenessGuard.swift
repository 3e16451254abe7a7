import Foundation
import GRDB

/// What a run read, as the guards judge it: each CSV file, and each folder of documents taken as a
/// whole (one document is one row of it), with its counts from `run_input`. The quality gate and the
/// completeness guard both group files this way.
public struct InputUnit: Equatable, Sendable {
    /// Relative to the input folder the run read.
    public var path: String
    public var isDocumentFolder: Bool
    public var lines = 0
    public var rowsRead = 0
    public var rowsRejected = 0
    public var rowsLoaded = 0
    public var bytes = 0
    /// The stored `source_file` values of the unit's files, as `rejected_row` names them.
    public var sourceFiles: [String] = []
    /// The same files relative to the input folder.
    public var relativeFiles: [String] = []
    /// For a folder of documents, each document (relative to the input folder) with what it loaded:
    /// the guard compares documents one by one, so one replaced by another of like size is seen.
    public var documents: [String: Document] = [:]

    public struct Document: Equatable, Sendable {
        public var rowsLoaded: Int
        public var bytes: Int
        /// What its reader made of it, per table (sections, statements), counting distinct texts where
        /// the table has a `text` column: text padded, or replaced by repeated boilerplate, keeps its
        /// bytes, not these.
        public var parts: [String: Int]
    }

    public init(path: String, isDocumentFolder: Bool, rowsRead: Int = 0, rowsLoaded: Int = 0, bytes: Int = 0) {
        self.path = path
        self.isDocumentFolder = isDocumentFolder
        self.rowsRead = rowsRead
        self.rowsLoaded = rowsLoaded
        self.bytes = bytes
    }

    /// The stream that reads this unit, by its declaration (a documents folder by a path inside it).
    var stream: DataStream? {
        StreamRegistry.all.first { StreamReuse.owns($0, relativePath: isDocumentFolder ? path + "/x" : path) }
    }

    /// For a folder of documents, each document's counts as release.json carries them.
    var documentHighWater: [(String, InputHighWater)] {
        documents.map { ($0.key, InputHighWater(rowsLoaded: $0.value.rowsLoaded, bytes: $0.value.bytes, release: nil, parts: $0.value.parts)) }
    }

    /// "rows", or "documents" for a folder of documents.
    var noun: String { isDocumentFolder ? "documents" : "rows" }

    /// The units of run `runID` in a store, grouped (files of a documents folder add up), in path order.
    /// `inputFolder` is the input folder as the run recorded it, so paths can be made relative to it.
    static func all(_ db: Database, runID: String, inputFolder: String) throws -> [InputUnit] {
        let documentFolders = StreamRegistry.all.flatMap(\.documents).map(\.folder)
        var units: [InputUnit] = []
        var index: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT source_file, lines_read, rows_read, rows_rejected, rows_loaded, bytes FROM run_input WHERE run_id = ? ORDER BY source_file
            """, arguments: [runID]) {
            let stored: String = row["source_file"]
            let relative = stored.hasPrefix(inputFolder + "/") ? String(stored.dropFirst(inputFolder.count + 1)) : stored
            let folder = documentFolders.first { relative.hasPrefix($0 + "/") }
            let key = folder ?? relative
            let position: Int
            if let known = index[key] {
                position = known
            } else {
                position = units.count
                index[key] = position
                units.append(InputUnit(path: key, isDocumentFolder: folder != nil))
            }
            units[position].lines += row["lines_read"] as Int? ?? 0
            units[position].rowsRead += row["rows_read"] as Int? ?? 0
            units[position].rowsRejected += row["rows_rejected"] as Int? ?? 0
            units[position].rowsLoaded += row["rows_loaded"] as Int? ?? 0
            units[position].bytes += row["bytes"] as Int? ?? 0
            units[position].sourceFiles.append(stored)
            units[position].relativeFiles.append(relative)
            if folder != nil {
                units[position].documents[relative] = InputUnit.Document(rowsLoaded: row["rows_loaded"] as Int? ?? 0, bytes: row["bytes"] as Int? ?? 0, parts: [:])
            }
        }
        // What each document's reader made of it: the rows per document of every table it fills.
        var parsed: [String: [String: Int]] = [:]
        for input in StreamRegistry.all.flatMap(\.documents) where try db.tableExists(input.table.name) {
            let id = input.table.columns[0].name
            for table in input.parsedTables where table.columns.contains(where: { $0.name == id }) {
                guard try db.tableExists(table.name) else { continue }
                let counted = table.columns.contains { $0.name == "text" } ? "DISTINCT t.text" : "t.\(id)"
                for row in try Row.fetchAll(db, sql: "SELECT d.source_file, COUNT(\(counted)) FROM \(input.table.name) d LEFT JOIN \(table.name) t ON t.\(id) = d.\(id) GROUP BY d.source_file") {
                    parsed[row[0] as String, default: [:]][table.name] = row[1] as Int
                }
            }
        }
        for index in units.indices where units[index].isDocumentFolder {
            for (stored, relative) in zip(units[index].sourceFiles, units[index].relativeFiles) {
                units[index].documents[relative]?.parts = parsed[stored] ?? [:]
            }
        }
        return units
    }
}

/// Well-formed but incomplete input (an export cut off at a line break, a stream folder that did
/// not arrive, a published table left out, documents emptied to stubs) rejects nothing, so the
/// rejected-share gate never sees it. This guard compares what a run loaded with what the kept
/// releases loaded, before anything is published:
///
/// - a file whose loaded rows fell by more than ``maximumRowDrop`` below the most any kept release
///   loaded from it (so a file cut a little each night is caught once the cuts add up; rows cut and
///   rows rejected count alike), or a folder of documents that lost that share of its documents or
///   of its text;
/// - a file, folder or stream a kept release read that is missing now;
///
/// refuses the run (exit 5), naming each with both counts and the release. An operator who means it
/// names the file, folder or stream in ``accepted`` (`all` for everything); the release records it,
/// and releases before it no longer count for that input.
public struct CompletenessGuard {
    public typealias Unit = InputUnit

    public var maximumRowDrop: Double
    /// Files (relative to the input folder, or as shown in messages), folders or stream ids whose
    /// drop or absence the operator accepts for this run; `all` accepts every one.
    public var accepted: [String]

    public init(maximumRowDrop: Double = 0.05, accepted: [String] = []) {
        self.maximumRowDrop = maximumRowDrop
        self.accepted = accepted
    }

    /// The word that accepts every drop and every missing input (after a deliberate change of exports).
    public static let acceptAll = "all"

    /// What the guard found: the refusals, the drops the operator accepted (with the units they
    /// cover, for the release record), and warnings.
    public struct Finding: Sendable {
        public var refusals: [String] = []
        public var acceptedDrops: [String] = []
        public var acceptedInputs: [String] = []
        public var warnings: [String] = []
        /// `--accept-drop` values that matched nothing: probably a typing error, said as a warning.
        public var unmatched: [String] = []
        /// For the release record: per input, the most loaded since its last accepted drop (release
        /// nil: this run's own count, named when the release is).
        public var highWater: [String: InputHighWater] = [:]
    }

    /// A kept release as the guard compares with it.
    struct Baseline {
        var release: String
        var manifest: ReleaseManifest
        var units: [String: InputUnit]
    }

    /// Compares the work store's run with the kept releases (none: this is the first release).
    /// ``Releases/publishedStateProblem()`` has already refused a published state that cannot be read.
    public func check(_ context: PipelineContext, releases: Releases) throws -> Finding {
        let layout = context.layout
        let now = try context.openWorkStore().queue.read { db in
            try InputUnit.all(db, runID: context.runID, inputFolder: layout.display(layout.inputDirectory))
        }
        var finding = Finding()
        // With nothing to compare with, this run's own counts are the high-water mark its release
        // carries: later runs compare with them even if the store is changed after publishing.
        let ownCounts = Dictionary(now.map { ($0.path, InputHighWater(rowsLoaded: $0.rowsLoaded, bytes: $0.bytes, release: nil)) }, uniquingKeysWith: { a, _ in a })
            .merging(now.flatMap(\.documentHighWater), uniquingKeysWith: { a, _ in a })
        guard let current = releases.current() else {
            finding.warnings = Self.absentOptionalInputs(layout)
            finding.unmatched = accepted
            finding.highWater = ownCounts
            return finding
        }
        let chain = try baselines(releases, current: current, finding: &finding)
        guard let published = chain.first else {
            finding.unmatched = accepted.filter { $0 != Self.acceptAll }
            finding.highWater = ownCounts
            return finding
        }
        let current_ = Dictionary(now.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var used = Set<String>()
        var missingByStream: [String: [InputUnit]] = [:]
        // Every unit any kept release read, compared with the most a release loaded from it since
        // the operator last accepted a drop of it.
        let paths = Set(chain.flatMap(\.units.keys)).sorted()
        for path in paths {
            var most: (unit: InputUnit, release: String)?
            var bytes: (count: Int, release: String)?
            for baseline in chain {
                if let unit = baseline.units[path] {
                    if unit.rowsLoaded > most?.unit.rowsLoaded ?? -1 { most = (unit, baseline.release) }
                    if unit.bytes > bytes?.count ?? -1 { bytes = (unit.bytes, baseline.release) }
                }
                if baseline.manifest.accepts(path) { break }
            }
            // Beyond the kept releases: the most the published release's record carries forward.
            if let high = chain[0].manifest.inputHighWater?[path], var unit = most?.unit {
                if high.rowsLoaded > unit.rowsLoaded { unit.rowsLoaded = high.rowsLoaded; most = (unit, high.release ?? chain[0].release) }
                if high.bytes > bytes?.count ?? -1 { bytes = (high.bytes, high.release ?? chain[0].release) }
            }
            guard var (before, release) = most else { continue }
            let shown = layout.display(layout.inputDirectory.appendingPathComponent(before.path)) + (before.isDocumentFolder ? "/" : "")
            var drops: [String] = []
            // Drops of single documents, each accepted only by naming it (or its folder, stream or all).
            var documentDropsFound: [(document: String, drop: String)] = []
            if let found = current_[path] {
                if let share = drop(from: before.rowsLoaded, to: found.rowsLoaded) {
                    drops.append("\(shown): \(Formatting.count(found.rowsLoaded)) \(before.noun) loaded now, \(Formatting.count(before.rowsLoaded)) in release \(release) (down \(Formatting.decimal(share, places: 1))%; the limit is \(limitText), --max-row-drop)")
                }
                if before.isDocumentFolder, let bytes, let share = drop(from: bytes.count, to: found.bytes) {
                    drops.append("\(shown): \(Formatting.count(found.bytes)) bytes of text now, \(Formatting.count(bytes.count)) in release \(bytes.release) (down \(Formatting.decimal(share, places: 1))%: documents emptied or cut; the limit is \(limitText), --max-row-drop)")
                }
                if before.isDocumentFolder {
                    let compared = documentDrops(path, chain: chain, now: found, layout: layout)
                    documentDropsFound = compared.drops
                    // Each document's most since it was last accepted, carried in release.json beside the
                    // folder's: a store changed after publishing still leaves them to compare with.
                    for (document, part) in found.documents {
                        let acceptedNow = compared.drops.contains { $0.document == document } && acceptance(ofDocument: document, in: before) != nil
                        let earlier = acceptedNow ? nil : compared.most[document]
                        finding.highWater[document] = InputHighWater(rowsLoaded: part.rowsLoaded, bytes: max(part.bytes, earlier?.bytes ?? 0), release: nil,
                                                                     parts: part.parts.merging(earlier?.parts ?? [:], uniquingKeysWith: max))
                    }
                    // Documents read now that no kept release read, one by one (the folder was read before).
                    let known = Set(chain.compactMap { $0.units[path] }.flatMap(\.documents.keys))
                    for document in found.documents.keys.sorted() where !known.contains(document) {
                        finding.warnings.append("\(layout.display(layout.inputDirectory.appendingPathComponent(document))): document read for the first time; release \(published.release) did not read it")
                    }
                }
            } else {
                let stream = before.stream?.id ?? "no stream"
                missingByStream[stream, default: []].append(before)
                drops.append("\(shown): not found now; release \(release) read \(Formatting.count(before.rowsRead)) \(before.noun) from it (stream \(stream))")
            }
            // What this release carries forward: the most seen since the last acceptance, or now if accepted.
            if let found = current_[path] {
                let acceptedNow = !drops.isEmpty && acceptance(of: before) != nil
                before.rowsLoaded = acceptedNow ? found.rowsLoaded : max(found.rowsLoaded, before.rowsLoaded)
                let mostBytes = acceptedNow ? found.bytes : max(found.bytes, bytes?.count ?? 0)
                let seen = acceptedNow || found.rowsLoaded >= before.rowsLoaded ? nil : release
                finding.highWater[path] = InputHighWater(rowsLoaded: before.rowsLoaded, bytes: mostBytes, release: seen)
            }
            for drop in drops {
                if let given = acceptance(of: before) {
                    used.insert(given)
                    finding.acceptedDrops.append("accepted with --accept-drop \(given): \(drop)")
                    // A document named: the folder's totals start afresh from this release, but the
                    // other documents keep their baselines (the record names the document).
                    let recorded = documentNamed(by: given, in: before) ?? path
                    if !finding.acceptedInputs.contains(recorded) { finding.acceptedInputs.append(recorded) }
                } else {
                    finding.refusals.append(drop)
                }
            }
            for (document, drop) in documentDropsFound {
                if let given = acceptance(ofDocument: document, in: before) {
                    used.insert(given)
                    finding.acceptedDrops.append("accepted with --accept-drop \(given): \(drop)")
                    let recorded = documentNamed(by: given, in: before) == document ? document : path
                    if !finding.acceptedInputs.contains(recorded) { finding.acceptedInputs.append(recorded) }
                } else {
                    finding.refusals.append(drop)
                }
            }
        }
        // A whole stream gone says so once, beside its files.
        for (stream, units) in missingByStream.sorted(by: { $0.key < $1.key }) where stream != "no stream" {
            let declared = StreamRegistry.all.first { $0.id == stream }
            let stillRead = now.contains { $0.stream?.id == stream }
            if !stillRead, !units.contains(where: { acceptance(of: $0) != nil }) {
                finding.refusals.append("stream \(stream) (\(declared?.title ?? stream)): none of its inputs was found; release \(published.release) read \(units.count) from it")
            }
        }
        // Files read now that no release read: said, so an export under a new name is noticed.
        for unit in now where !paths.contains(unit.path) {
            finding.highWater[unit.path] = InputHighWater(rowsLoaded: unit.rowsLoaded, bytes: unit.bytes, release: nil)
            for (document, high) in unit.documentHighWater { finding.highWater[document] = high }
        }
        for unit in now where !paths.contains(unit.path) && chain.allSatisfy({ !$0.manifest.accepts(unit.path) }) {
            finding.warnings.append("\(layout.display(layout.inputDirectory.appendingPathComponent(unit.path))): read for the first time (\(Formatting.count(unit.rowsRead)) \(unit.noun)); release \(published.release) did not read it")
        }
        finding.unmatched = accepted.filter { !used.contains($0) && $0 != Self.acceptAll }
        // `all` starts comparing afresh from this release, whatever it covered.
        if accepted.contains(Self.acceptAll) { finding.acceptedInputs = [Self.acceptAll] }
        return finding
    }

    /// Each document of a folder the kept releases read (since the folder's last accepted drop),
    /// compared with the most text any of them read from it: missing now, or cut by more than the
    /// limit. A document replaced by another under a new name leaves the folder's counts as they
    /// were, and is caught here.
    func documentDrops(_ path: String, chain: [Baseline], now: InputUnit, layout: PipelineLayout)
        -> (drops: [(document: String, drop: String)], most: [String: (bytes: Int, parts: [String: Int])]) {
        var most: [String: (bytes: Int, release: String)] = [:]
        var parts: [String: [String: (count: Int, release: String)]] = [:]
        // Documents whose drop a newer release accepted by name: older releases no longer count for them.
        var settled = Set<String>()
        for baseline in chain {
            for (document, part) in baseline.units[path]?.documents ?? [:] where !settled.contains(document) {
                if part.bytes > most[document]?.bytes ?? -1 { most[document] = (part.bytes, baseline.release) }
                for (table, count) in part.parts where count > parts[document]?[table]?.count ?? -1 { parts[document, default: [:]][table] = (count, baseline.release) }
            }
            if baseline.manifest.accepts(path, exactly: true) { break }
            settled.formUnion((baseline.manifest.acceptedInputs ?? []).filter { $0.hasPrefix(path + "/") })
        }
        var drops: [(document: String, drop: String)] = []
        for (document, before) in most.sorted(by: { $0.key < $1.key }) {
            let shown = layout.display(layout.inputDirectory.appendingPathComponent(document))
            if let found = now.documents[document] {
                if let share = drop(from: before.bytes, to: found.bytes) {
                    drops.append((document, "\(shown): \(Formatting.count(found.bytes)) bytes of text now, \(Formatting.count(before.bytes)) in release \(before.release) (down \(Formatting.decimal(share, places: 1))%: the document was cut or emptied; the limit is \(limitText), --max-row-drop)"))
                } else if let (table, was, share) = (parts[document] ?? [:]).sorted(by: { $0.key < $1.key }).lazy
                            .compactMap({ table, was in self.drop(from: was.count, to: found.parts[table] ?? 0).map { (table, was, $0) } }).first {
                    drops.append((document, "\(shown): \(Formatting.count(found.parts[table] ?? 0)) distinct \(table) rows read from it now, \(Formatting.count(was.count)) in release \(was.release) (down \(Formatting.decimal(share, places: 1))%: its text was emptied or replaced; the limit is \(limitText), --max-row-drop)"))
                }
            } else {
                drops.append((document, "\(shown): document not found now; release \(before.release) read it (\(Formatting.count(before.bytes)) bytes)"))
            }
        }
        return (drops, most.mapValues { (bytes: $0.bytes, parts: [:]) }.merging(parts.mapValues { (bytes: 0, parts: $0.mapValues(\.count)) }) { a, b in (a.bytes, b.parts) })
    }

    var limitText: String { "\(Formatting.decimal(maximumRowDrop * 100, places: 1))%" }

    /// The drop from `before` to `now` in percent, when it passes ``maximumRowDrop``.
    func drop(from before: Int, to now: Int) -> Double? {
        guard before > 0, Double(before - now) > maximumRowDrop * Double(before) else { return nil }
        return Double(before - now) / Double(before) * 100
    }

    /// The kept releases from `current` back, newest first, with their units. A release made before
    /// inputs were recorded per file ends the chain; the published release itself must be readable.
    func baselines(_ releases: Releases, current: String, finding: inout Finding) throws -> [Baseline] {
        let order = releases.order(of: current)
        let names = [current] + releases.all().filter { releases.order(of: $0) < order }.reversed()
        var chain: [Baseline] = []
        for name in names {
            guard let manifest = releases.manifest(of: name) else {
                if chain.isEmpty {
                    finding.warnings.append("the published release \(name) has no release record (outputs from before releases): the completeness guard starts with this run")
                }
                break
            }
            let store = releases.directory.appendingPathComponent(name).appendingPathComponent("promise.sqlite")
            let fix = "restore the release's promise.sqlite from a backup, or run with --accept-drop \(Self.acceptAll) to start comparing afresh"
            // A release whose record names the store's SHA-256 was made by a program that records its
            // inputs in the store: a store without them was changed or replaced after publishing.
            let recordsInputs = manifest.storeSHA256 != nil
            if chain.isEmpty, recordsInputs, manifest.publicSHA256 == nil {
                finding.warnings.append("release \(name)'s release.json records no public_sha256 (made before it was recorded, or edited since): its public folder could not be checked against what was published")
            }
            // The published store is the analysts' to open, and may be changed after publishing (a table
            // of their own, rows deleted, a damaged page): its record of what the release read is then
            // not evidence. The counts release.json carries stand instead, and the documents it lists.
            if chain.isEmpty, let published = manifest.storeSHA256, (try? InputFingerprint.rememberedSHA256(of: store)) != published {
                guard let highWater = manifest.inputHighWater, !highWater.isEmpty else {
                    if !accepted.contains(Self.acceptAll) {
                        finding.refusals.append("release \(name): its store was changed after publishing (its SHA-256 is not the one release.json records) and release.json carries no counts of its own, so this run cannot be compared with it; \(fix)")
                    }
                    break
                }
                finding.warnings.append("the published store \(Bounded.quote(store.path)) was changed after publishing (its SHA-256 is not the one release.json records): the completeness guard compares with the counts release.json carries")
                chain.append(Baseline(release: name, manifest: manifest, units: Self.recordedUnits(manifest, highWater: highWater)))
                continue
            }
            guard let units = try? Self.publishedUnits(store, runID: manifest.runID) else {
                if chain.isEmpty {
                    if recordsInputs, !accepted.contains(Self.acceptAll) {
                        finding.refusals.append("release \(name): its store cannot be read or has no run_input table, though the program that made it records one: it was changed or replaced after publishing, so this run cannot be compared with it; \(fix)")
                    } else {
                        finding.warnings.append("the published release \(name) records no input files: the completeness guard starts with this run")
                    }
                }
                break
            }
            // Every input its release.json lists must be in the store's record of what it read.
            let recorded = Set(units.flatMap(\.relativeFiles))
            let listed = manifest.inputs.keys.filter { $0.hasPrefix("input/") }.map { String($0.dropFirst("input/".count)) }
                .filter(StreamReuse.isRead(relativePath:)).sorted()
            let unrecorded = listed.filter { !recorded.contains($0) }
            if units.isEmpty || (recordsInputs && !unrecorded.isEmpty) {
                let what = units.isEmpty ? "records no input files for its run \(manifest.runID)"
                    : "does not record \(unrecorded.count) input file\(unrecorded.count == 1 ? "" : "s") its release.json lists (first: \(Bounded.quote(unrecorded[0])))"
                if chain.isEmpty, !accepted.contains(Self.acceptAll) {
                    finding.refusals.append("release \(name): its store \(what): it was changed after publishing, so this run cannot be compared with it; \(fix)")
                }
                break
            }
            chain.append(Baseline(release: name, manifest: manifest, units: Dictionary(units.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })))
        }
        return chain
    }

    /// The `--accept-drop` value that covers `unit`, if any: its path (relative to the input folder or
    /// as shown), a folder above it, its file name, its stream's id, or `all`.
    func acceptance(of unit: InputUnit) -> String? {
        let stream = unit.stream?.id
        return accepted.first { given in
            var name = given
            while name.hasSuffix("/") { name.removeLast() }
            guard !name.isEmpty else { return false }
            return name == Self.acceptAll || unit.path == name || unit.path.hasSuffix("/" + name) || unit.path.hasPrefix(name + "/")
                || name.hasSuffix("/" + unit.path) || stream == name
                // A document named inside a folder of documents: the guard judges the folder as a whole.
                || (unit.isDocumentFolder && (name.hasPrefix(unit.path + "/") || name.contains("/" + unit.path + "/")))
        }
    }

    /// The `--accept-drop` value that covers one document of a folder: the document itself (its path
    /// relative to the input folder or as shown, or its file name), the folder or one above it, its
    /// stream's id, or `all`. Naming another document of the folder does not cover it.
    func acceptance(ofDocument document: String, in unit: InputUnit) -> String? {
        let stream = unit.stream?.id
        return accepted.first { given in
            var name = given
            while name.hasSuffix("/") { name.removeLast() }
            guard !name.isEmpty else { return false }
            return name == Self.acceptAll || stream == name || document == name || name.hasSuffix("/" + document) || document.hasSuffix("/" + name)
                || unit.path == name || unit.path.hasPrefix(name + "/") || name.hasSuffix("/" + unit.path)
        }
    }

    /// The document (relative to the input folder) a `--accept-drop` value names inside a folder of
    /// documents, or nil when it names the folder, one above it, a stream or `all`.
    func documentNamed(by given: String, in unit: InputUnit) -> String? {
        guard unit.isDocumentFolder, let range = given.range(of: unit.path + "/"), range.lowerBound == given.startIndex || given[given.index(before: range.lowerBound)] == "/" else { return nil }
        let document = String(given[range.lowerBound...])
        return document.count > unit.path.count + 1 ? document : nil
    }

    /// A release's units as its release.json records them: the most loaded per input, and each
    /// document its inputs list (its size not recorded there, so only its presence is compared).
    static func recordedUnits(_ manifest: ReleaseManifest, highWater: [String: InputHighWater]) -> [String: InputUnit] {
        let documentFolders = Set(StreamRegistry.all.flatMap(\.documents).map(\.folder))
        var units: [String: InputUnit] = [:]
        for (path, high) in highWater where !documentFolders.contains(where: { path.hasPrefix($0 + "/") }) {
            units[path] = InputUnit(path: path, isDocumentFolder: documentFolders.contains(path), rowsRead: high.rowsLoaded, rowsLoaded: high.rowsLoaded, bytes: high.bytes)
        }
        for key in manifest.inputs.keys where key.hasPrefix("input/") {
            let relative = String(key.dropFirst("input/".count))
            guard let folder = documentFolders.first(where: { relative.hasPrefix($0 + "/") }), StreamReuse.isRead(relativePath: relative) else { continue }
            // Its size and parts where release.json carries them (releases from this version on).
            let high = highWater[relative]
            units[folder]?.documents[relative] = InputUnit.Document(rowsLoaded: 1, bytes: high?.bytes ?? 0, parts: high?.parts ?? [:])
        }
        return units
    }

    /// A release's units, from its store opened read-only; nil when the store predates `run_input`.
    static func publishedUnits(_ store: URL, runID: String) throws -> [InputUnit]? {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: store.path, configuration: configuration)
        return try queue.read { db in
            guard try db.tableExists("run_input"), try db.tableExists("run") else { return nil }
            let folder = try String.fetchOne(db, sql: "SELECT input_dir FROM run WHERE run_id = ?", arguments: [runID]) ?? ""
            return try InputUnit.all(db, runID: runID, inputFolder: folder)
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

extension ReleaseManifest {
    /// Whether the operator accepted a drop or absence of the input at `path` for this release. A
    /// release from before accepted inputs were recorded one by one, that accepted anything, counts
    /// as accepting everything.
    /// A document of a folder accepted by name counts for the folder's totals, unless `exactly`.
    func accepts(_ path: String, exactly: Bool = false) -> Bool {
        if let inputs = acceptedInputs {
            return inputs.contains(path) || inputs.contains(CompletenessGuard.acceptAll) || (!exactly && inputs.contains { $0.hasPrefix(path + "/") })
        }
        return !(acceptedDrops ?? []).isEmpty
    }
}

/// The most rows (and, for a folder of documents, bytes) loaded from one input since the operator
/// last accepted a drop of it, and the release that loaded them: carried from release to release in
/// `release.json`, so the guard still compares with them once that release is pruned.
public struct InputHighWater: Codable, Sendable, Equatable {
    public var rowsLoaded: Int
    public var bytes: Int
    public var release: String?
    /// For one document: the most distinct rows its reader made of it, per table.
    public var parts: [String: Int]? = nil

    enum CodingKeys: String, CodingKey { case rowsLoaded = "rows_loaded", bytes, release, parts }
}
