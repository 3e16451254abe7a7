import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Published outputs as whole releases, switched in one step.
///
///     out/releases/<release>/promise.sqlite    the restricted store of that run
///     out/releases/<release>/public/           its dashboards and open data
///     out/releases/<release>/release.json      its run record and input fingerprint
///     out/current -> releases/<release>        the one published release
///     out/promise.sqlite -> current/promise.sqlite
///     out/public -> current/public
///
/// A release is complete before `current` points at it, and `current` changes by renaming a new
/// symbolic link over it, which is atomic: a reader (or a crash) sees the old release or the new
/// one, store, pages and run record together, never a mix. `out/promise.sqlite` and `out/public`
/// are links that never change, so the paths analysts and web servers use stay the same.
public struct Releases {
    public let layout: PipelineLayout

    public init(layout: PipelineLayout) { self.layout = layout }

    public var directory: URL { layout.outputDirectory.appendingPathComponent("releases") }
    public var currentLink: URL { layout.outputDirectory.appendingPathComponent("current") }

    /// The release `current` points at, if it points at one that exists.
    public func current() -> String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: currentLink.path) else { return nil }
        let name = URL(fileURLWithPath: target).lastPathComponent
        return FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) ? name : nil
    }

    /// Why the published release cannot be told or read, when releases exist: `current` missing or
    /// pointing nowhere, or the release it points at without its record, store or public file. Every
    /// comparison with the last release (the completeness guard, the revision hold, the attack that
    /// keeps earlier releases, the count of changes) needs it, so a build refuses rather than
    /// publishing as if it were the first. Nil when the state is whole, or nothing was published yet.
    public func publishedStateProblem() -> String? {
        // releases/ that is not a readable folder would read as "no release yet", and a whole build
        // would run before publishing into it failed.
        // A link would have every write, chmod and prune of a release land wherever it leads.
        var linkInfo = stat()
        if lstat(directory.path, &linkInfo) == 0, linkInfo.st_mode & S_IFMT == S_IFLNK {
            return "\(layout.display(directory)) is a symbolic link: releases are written, and pruned, only in a real folder. Replace the link by the folder it leads to (if it holds the releases) and run again; nothing was published"
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                return "\(layout.display(directory)) is not a folder: it must hold the published releases. Move it aside (restore the folder from a backup if releases were published) and run again; nothing was published"
            }
            do { _ = try FileManager.default.contentsOfDirectory(atPath: directory.path) } catch {
                return "\(layout.display(directory)) cannot be read (\(Bounded.message(error.localizedDescription, limit: 200))): check its permissions and run again; nothing was published"
            }
        }
        let kept = all()
        guard let newest = kept.last else {
            // No release kept: a first run, unless `current` or the run log says one was published.
            let afresh = "Restore \(layout.display(directory)) from a backup; to start this output folder afresh on purpose, remove \(layout.display(currentLink)), \(layout.display(layout.publishedStoreURL)) and \(layout.display(layout.publishedPublicDirectory)) and move \(layout.display(layout.runLogURL)) aside. Nothing was published"
            if let evidence = evidenceOfPublishing() {
                return "\(evidence), but \(layout.display(directory)) holds no release: the published release is gone, and building on as if this were the first would compare with nothing. \(afresh)"
            }
            return nil
        }
        let fix = "Nothing was published. Point it at the release that is published (ln -sfn releases/\(newest) \(layout.display(currentLink)), for the newest) and run again"
        guard let release = current() else {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: currentLink.path) {
                return "\(layout.display(currentLink)) points at \(Bounded.quote(target)), which is not a release, but \(layout.display(directory)) holds \(kept.count) release\(kept.count == 1 ? "" : "s"): the published release cannot be told, so this run cannot be compared with it. \(fix)"
            }
            var info = stat()
            if lstat(currentLink.path, &info) == 0 {
                return "\(layout.display(currentLink)) is a real \(info.st_mode & S_IFMT == S_IFDIR ? "folder" : "file"), not the link to the published release, but \(layout.display(directory)) holds \(kept.count) release\(kept.count == 1 ? "" : "s"): the published release cannot be told. Move it aside first (ln -sfn would make a link inside it), then point it at the release that is published (ln -sfn releases/\(newest) \(layout.display(currentLink)), for the newest) and run again; nothing was published"
            }
            return "\(layout.display(currentLink)) is missing, but \(layout.display(directory)) holds \(kept.count) release\(kept.count == 1 ? "" : "s"): the published release cannot be told, so this run cannot be compared with it. \(fix)"
        }
        let folder = directory.appendingPathComponent(release)
        let restore = "Restore it from a backup, or point \(layout.display(currentLink)) at a whole release, and run again; nothing was published"
        // Outputs from before releases were adopted as a release without a record, holding what there
        // was (adoptUnversionedOutputs): the guard starts after it.
        if release.hasSuffix(Self.unversionedSuffix) { return nil }
        guard let recorded = manifest(of: release) else {
            return "\(layout.display(folder.appendingPathComponent(Self.manifestName))) of the published release is missing or unreadable, so this run cannot be compared with it. \(restore)"
        }
        for part in ["promise.sqlite", "public/data/promise-public.sqlite"] {
            let url = folder.appendingPathComponent(part)
            guard InputPath.kind(of: url) == .file else {
                return "\(layout.display(url)) of the published release is missing or not a file, so this run cannot be compared with it. \(restore)"
            }
            if let damage = Self.databaseDamage(url) {
                return "\(layout.display(url)) of the published release \(damage), so this run cannot be compared with it. \(restore)"
            }
        }
        if let expected = recorded.publicSHA256 {
            let publicFolder = folder.appendingPathComponent("public")
            guard (try? InputFingerprint.folderDigest(publicFolder)) == expected else {
                return "\(layout.display(publicFolder)) of the published release is not what was published (a file added, removed, emptied or edited since; release.json records its SHA-256): readers see it and this run is judged against it. \(restore)"
            }
        }
        return nil
    }

    /// Why a published SQLite file cannot be trusted, or nil: not SQLite at all (its 16-byte header),
    /// shorter than the pages its header counts (truncated), or failing SQLite's own quick check (a
    /// page overwritten). Opened read-only; nothing is written.
    static func databaseDamage(_ url: URL) -> String? {
        // A journal beside it: a write to the published store stopped half-way (an analyst's, since
        // releases are never written after publishing). SQLite would roll it back on the next write.
        for suffix in ["-journal", "-wal"] where FileManager.default.fileExists(atPath: url.path + suffix) {
            return "has \(url.lastPathComponent + suffix) beside it: a write to it after publishing stopped half-way, so it is not the file that was published (remove the journal only if you know the write was never wanted)"
        }
        guard let handle = try? FileHandle(forReadingFrom: url) else { return "cannot be opened for reading" }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 100), head.count == 100, Data("SQLite format 3\0".utf8) == head.prefix(16) else {
            return "is not an SQLite database (empty, truncated or overwritten)"
        }
        let bytes = [UInt8](head)
        func bigEndian(_ at: Int, _ count: Int) -> UInt64 { bytes[at..<(at + count)].reduce(0) { $0 << 8 | UInt64($1) } }
        let pageSize = bigEndian(16, 2) == 1 ? 65_536 : bigEndian(16, 2)
        // The page count in the header holds only while its "valid for" counter equals the change counter.
        let pages = bigEndian(92, 4) == bigEndian(24, 4) ? bigEndian(28, 4) : 0
        let size = (try? handle.seekToEnd()) ?? 0
        if pages > 0, size < pageSize * pages {
            return "is truncated (\(size) bytes, where its header counts \(pages) pages of \(pageSize) bytes)"
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: url.path, configuration: configuration)
            let result = try queue.read { db in try String.fetchOne(db, sql: "PRAGMA quick_check(1)") }
            try queue.close()
            let said = (result ?? "no answer").split(whereSeparator: \.isNewline).joined(separator: "; ")
            return result == "ok" ? nil : "is damaged (SQLite's quick check: \(Bounded.message(said, limit: 200)))"
        } catch {
            return "cannot be read as SQLite (\(Bounded.message("\(error)".split(whereSeparator: \.isNewline).joined(separator: "; "), limit: 200)))"
        }
    }

    /// The last release the run log names, if any: a run that published it ("succeeded") or found
    /// it already published ("nothing_to_do"). Any line naming a release is evidence that one was.
    func lastPublishedInRunLog() -> String? {
        guard InputPath.kind(of: layout.runLogURL) == .file, let data = try? Data(contentsOf: layout.runLogURL) else { return nil }
        var last: String?
        for line in data.split(separator: 0x0A) where line.count < 1 << 20 {
            guard let entry = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let release = entry["release"] as? String, !release.isEmpty else { continue }
            last = release
        }
        return last
    }

    /// What says a release was published here although none is kept: `current`, the stable links
    /// `out/promise.sqlite` and `out/public` (links only releases make), or the run log.
    func evidenceOfPublishing() -> String? {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: currentLink.path) {
            return "\(layout.display(currentLink)) points at \(Bounded.quote(target))"
        }
        for link in [layout.publishedStoreURL, layout.publishedPublicDirectory] {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link.path) {
                return "\(layout.display(link)) is a link to \(Bounded.quote(target)), as only a published release leaves it"
            }
        }
        if let published = lastPublishedInRunLog() {
            return "\(layout.display(layout.runLogURL)) records release \(Bounded.quote(published)) as published"
        }
        return nil
    }

    /// Every complete release, oldest first: in the order they were made (``order(of:)``). A release
    /// is a real folder (not a link) holding a release record, a store or a public folder; anything
    /// else in `releases/` is not one, so pruning never removes it.
    public func all() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(Self.partialSuffix) && isRelease(directory.appendingPathComponent($0)) }
            .map { ($0, order(of: $0)) }.sorted { $0.1 < $1.1 }.map(\.0)
    }

    func isRelease(_ folder: URL) -> Bool {
        var info = stat()
        guard lstat(folder.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return false }
        return [Self.manifestName, "promise.sqlite", "public"].contains { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
    }

    /// Where a release stands in the order releases were made: its manifest's sequence number, then
    /// its name. Names alone would mislead: a fixed SOURCE_DATE_EPOCH can name a new release before
    /// an old one, and "-10" sorts before "-2". Releases from before sequence numbers count as 0.
    public struct Order: Comparable, Sendable {
        var sequence: Int
        var name: String
        public static func < (a: Order, b: Order) -> Bool { (a.sequence, a.name) < (b.sequence, b.name) }
    }

    public func order(of release: String) -> Order {
        Order(sequence: manifest(of: release)?.sequence ?? 0, name: release)
    }

    /// The sequence number for the next release: one more than any release's.
    public func nextSequence() -> Int {
        (((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).compactMap { manifest(of: $0)?.sequence }.max() ?? 0) + 1
    }

    public func manifest(of release: String) -> ReleaseManifest? {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent(release).appendingPathComponent(Self.manifestName)) else { return nil }
        return try? JSONDecoder().decode(ReleaseManifest.self, from: data)
    }

    static let manifestName = "release.json"
    static let partialSuffix = ".partial"
    static let unversionedSuffix = "-unversioned"

    /// A folder name for a run: its start time without characters that trouble URLs or shells,
    /// and a number after it if a release of that name exists (a fixed SOURCE_DATE_EPOCH).
    public func name(for runID: String) -> String {
        let base = runID.replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        var name = base, number = 1
        while FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path)
                || FileManager.default.fileExists(atPath: directory.appendingPathComponent(name + Self.partialSuffix).path) {
            number += 1
            name = "\(base)-\(number)"
        }
        return name
    }

    /// Makes a release of the staged store and public folder and switches `current` to it.
    /// Everything before the final rename can fail or be killed without changing what is published.
    public func publish(store: URL, public publicFolder: URL, manifest: ReleaseManifest, name: String) throws {
        let fileManager = FileManager.default
        try FileOperation.run("create the releases folder", at: directory) {
            try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        // Modes are set here, whatever the umask: the way to the public folder is open to all, the
        // restricted files in a release are for its owner and group.
        try FileOperation.setMode(0o755, directory)
        let partial = directory.appendingPathComponent(name + Self.partialSuffix)
        try? fileManager.removeItem(at: partial)
        try FileOperation.run("create the new release folder", at: partial) {
            try fileManager.createDirectory(at: partial, withIntermediateDirectories: false)
        }
        try FileOperation.setMode(0o755, partial)
        // The restricted store holds child-level records: its owner and group only.
        try FileOperation.run("restrict access to the store", at: store) {
            try fileManager.setAttributes([.posixPermissions: 0o640], ofItemAtPath: store.path)
        }
        try FileOperation.durable(store)
        try FileOperation.rename(store, to: partial.appendingPathComponent("promise.sqlite"))
        CrashPoint.reach("publish-store-moved")
        try FileOperation.rename(publicFolder, to: partial.appendingPathComponent("public"))
        CrashPoint.reach("publish-public-moved")
        try FileOperation.setPublicModes(partial.appendingPathComponent("public"))
        // The restricted list of quotes awaiting review goes with the store (mode 0640, never public).
        let reviewList = store.deletingLastPathComponent().appendingPathComponent(QuoteReviewList.fileName)
        if fileManager.fileExists(atPath: reviewList.path) {
            try FileOperation.rename(reviewList, to: partial.appendingPathComponent(QuoteReviewList.fileName))
            try FileOperation.setMode(0o640, partial.appendingPathComponent(QuoteReviewList.fileName))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let manifestURL = partial.appendingPathComponent(Self.manifestName)
        try FileOperation.run("write the release record", at: manifestURL) {
            try (try encoder.encode(manifest) + Data("\n".utf8)).write(to: manifestURL)
        }
        try FileOperation.setMode(0o640, manifestURL)
        try FileOperation.durable(manifestURL)
        try FileOperation.durable(partial)
        let release = directory.appendingPathComponent(name)
        try FileOperation.rename(partial, to: release)
        try FileOperation.durable(directory)
        CrashPoint.reach("publish-release-complete")

        try ensureStableLinks()
        // The switch: a new link beside `current`, renamed over it.
        try replaceLink(currentLink, to: "releases/\(name)", beside: ".current-", crashPoint: "publish-before-switch")
        try FileOperation.durable(layout.outputDirectory)
        CrashPoint.reach("publish-after-switch")
    }

    /// `out/promise.sqlite` and `out/public` as links through `current`, made once.
    func ensureStableLinks() throws {
        for (link, target) in [(layout.publishedStoreURL, "current/promise.sqlite"), (layout.publishedPublicDirectory, "current/public")] {
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) == target { continue }
            try replaceLink(link, to: target, beside: ".link-")
        }
    }

    /// Points `link` at `target` in one step: a new link made beside it (named `prefix` and the
    /// process id, which ``removeUnpublished(stoppedRun:)`` clears if a run dies here), then renamed over it.
    func replaceLink(_ link: URL, to target: String, beside prefix: String, crashPoint: String? = nil) throws {
        let temporary = layout.outputDirectory.appendingPathComponent("\(prefix)\(getpid())")
        try? FileManager.default.removeItem(at: temporary)
        try FileOperation.run("create the link \(link.lastPathComponent) -> \(target)", at: temporary) {
            try FileManager.default.createSymbolicLink(atPath: temporary.path, withDestinationPath: target)
        }
        if let crashPoint { CrashPoint.reach(crashPoint) }
        try FileOperation.rename(temporary, to: link)
    }

    /// True for a file or folder that is not a symbolic link.
    func isRealItem(_ url: URL) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return false }
        return attributes[.type] as? FileAttributeType != .typeSymbolicLink
    }

    /// Why a real `out/promise.sqlite` or `out/public` cannot be adopted as outputs from before
    /// releases: only those are adopted. Beside a release (other than one a killed adoption left), or
    /// where the run log names one, a real file or folder in their place is something else: adopting
    /// it would make it the release to compare with, and the guards would start afresh from whatever
    /// it holds. Nil when there is nothing to adopt, or it may be.
    public func adoptionProblem() -> String? {
        let store = layout.publishedStoreURL, publicFolder = layout.publishedPublicDirectory
        guard isRealItem(store) || isRealItem(publicFolder) else { return nil }
        let others = all().filter { !$0.hasSuffix(Self.unversionedSuffix) }
        let published = lastPublishedInRunLog()
        guard !others.isEmpty || published != nil else { return nil }
        let which = isRealItem(store) ? store : publicFolder
        let why = others.last.map { "\(layout.display(directory)) holds release \(Bounded.quote($0))" }
            ?? "\(layout.display(layout.runLogURL)) records release \(Bounded.quote(published ?? "")) as published"
        return "\(layout.display(which)) is a real \(which == store ? "file" : "folder"), not the link to the published release, but \(why): it is not from before releases and is not adopted. Move it aside, point \(layout.display(currentLink)) at the published release (ln -sfn releases/\(others.last ?? published ?? "<release>") \(layout.display(currentLink))) and run again; nothing was published"
    }

    /// Outputs from before releases (a real `out/promise.sqlite` and `out/public/`) become the
    /// first release, so the next publish switches from them like any other. Each step can be
    /// repeated, so a run killed half-way through finishes the move next time.
    public func adoptUnversionedOutputs(logger: RunLogger) throws {
        let fileManager = FileManager.default
        let store = layout.publishedStoreURL, publicFolder = layout.publishedPublicDirectory
        guard isRealItem(store) || isRealItem(publicFolder) else { return }
        if let problem = adoptionProblem() { throw OperatorError(.internalError, problem) }
        let release = directory.appendingPathComponent("00000000T000000.000Z" + Self.unversionedSuffix)
        try FileOperation.run("create the releases folder", at: release) {
            try fileManager.createDirectory(at: release, withIntermediateDirectories: true)
        }
        if isRealItem(store) { try FileOperation.rename(store, to: release.appendingPathComponent("promise.sqlite")) }
        if isRealItem(publicFolder) { try FileOperation.rename(publicFolder, to: release.appendingPathComponent("public")) }
        if current() == nil {
            try replaceLink(currentLink, to: "releases/\(release.lastPathComponent)", beside: ".current-")
        }
        try ensureStableLinks()
        logger.log("moved the outputs published before releases into \(layout.display(release))", level: .warning)
    }

    /// Removes what a killed run left: half-made releases, a complete release that run made but never
    /// switched to (`stoppedRun`, from the lock it left), and stray links. A release newer than
    /// `current` that another run made stays: an operator who rolled `current` back keeps the release
    /// rolled back from. Returns what it removed.
    @discardableResult
    public func removeUnpublished(stoppedRun: String?) -> [String] {
        let fileManager = FileManager.default
        var removed: [String] = []
        let current = current().map(order(of:))
        for name in ((try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? []) {
            let unpublished = name.hasSuffix(Self.partialSuffix)
                || !name.hasPrefix(".") && (current.map { order(of: name) > $0 } ?? true) && stoppedRun != nil && manifest(of: name)?.runID == stoppedRun
            if unpublished, (try? fileManager.removeItem(at: directory.appendingPathComponent(name))) != nil { removed.append("releases/\(name)") }
        }
        for name in ((try? fileManager.contentsOfDirectory(atPath: layout.outputDirectory.path)) ?? [])
        where name.hasPrefix(".current-") || name.hasPrefix(".link-") {
            if (try? fileManager.removeItem(at: layout.outputDirectory.appendingPathComponent(name))) != nil { removed.append(name) }
        }
        return removed
    }

    /// Keeps the `keep` newest releases up to and including `current`; removes older ones.
    @discardableResult
    public func prune(keep: Int) -> (removed: [String], failed: [String]) {
        guard let current = current().map(order(of:)) else { return ([], []) }
        let published = all().filter { order(of: $0) <= current }
        var removed: [String] = [], failed: [String] = []
        for name in published.dropLast(max(keep, 1)) {
            do {
                try FileManager.default.removeItem(at: directory.appendingPathComponent(name))
                removed.append(name)
            } catch {
                failed.append(name)
            }
        }
        return (removed, failed)
    }
}

/// What a release was made from and what its run did: `release.json` in the release folder.
public struct ReleaseManifest: Codable, Sendable, Equatable {
    public var runID: String
    public var startedAt: String
    public var finishedAt: String
    public var programVersion: String
    /// SHA-256 of everything the outputs depend on; equal fingerprints mean equal inputs.
    public var fingerprint: String
    /// Each input file (by role and relative path) with its SHA-256.
    public var inputs: [String: String]
    public var rowsRead: Int
    public var rowsRejected: Int
    public var countsWithheld: Int
    public var changes: Int
    /// One more than any earlier release's: the order releases were made in (nil before it was recorded).
    public var sequence: Int?
    /// SHA-256 of the release's restricted store as published: a later build takes unchanged streams
    /// from that store only while it is still exactly this file (nil before it was recorded).
    public var storeSHA256: String?
    /// Drops or missing inputs the operator accepted for this release (`--accept-drop`), as the
    /// completeness guard described them; nil when there were none.
    public var acceptedDrops: [String]?
    /// The inputs (paths relative to the input folder, or `all`) whose drop or absence was accepted:
    /// the completeness guard compares later runs with this release and newer ones only, for these.
    public var acceptedInputs: [String]? = nil
    /// Per input (relative to the input folder), the most loaded since its last accepted drop, and where.
    public var inputHighWater: [String: InputHighWater]? = nil
    /// SHA-256 over the public folder as published (each file's path and SHA-256, in path order): the
    /// pages and open data are what readers see, and the next release is judged against them, so a
    /// changed public folder is refused, not built on (nil before it was recorded).
    public var publicSHA256: String? = nil

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", startedAt = "started_at", finishedAt = "finished_at", programVersion = "program_version"
        case fingerprint, inputs, rowsRead = "rows_read", rowsRejected = "rows_rejected", countsWithheld = "counts_withheld", changes, sequence, storeSHA256 = "store_sha256"
        case acceptedDrops = "accepted_drops", acceptedInputs = "accepted_inputs", inputHighWater = "input_high_water", publicSHA256 = "public_sha256"
    }
}

/// File operations that fail with the path, the reason and what to do, never a framework dump.
public enum FileOperation {
    /// Runs `body`; a failure becomes an ``OperatorError`` naming `what` and `url`.
    public static func run<T>(_ what: String, at url: URL, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as OperatorError {
            throw error
        } catch {
            throw OperatorError.fileSystem(what: what, path: url.path, reason: OperatorError.reason(error))
        }
    }

    /// `rename(2)`: atomic within one file system, replacing a file or a link at `destination`.
    public static func rename(_ source: URL, to destination: URL) throws {
        guard Glibc.rename(source.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw OperatorError.fileSystem(what: "move \(source.lastPathComponent) into place", path: destination.path, reason: reason)
        }
    }

    /// The output folder, made 0755 when this run makes it (the public folder is reached through
    /// it); one that exists keeps the mode its owner gave it.
    public static func makeOutputFolder(_ folder: URL) throws {
        guard InputPath.kind(of: folder) == .absent else { return }
        try run("create the output folder", at: folder) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try setMode(0o755, folder)
    }

    /// `chmod(2)`: the mode given, whatever the umask was when the file was made.
    public static func setMode(_ mode: mode_t, _ url: URL) throws {
        guard chmod(url.path, mode) == 0 else {
            throw OperatorError.fileSystem(what: "set the mode of", path: url.path, reason: String(cString: strerror(errno)))
        }
    }

    /// The public folder is for everyone: folders 0755, files 0644, set on each (links are left alone).
    public static func setPublicModes(_ folder: URL) throws {
        try setMode(0o755, folder)
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return }
        while let relative = walker.nextObject() as? String {
            let url = folder.appendingPathComponent(relative)
            var info = stat()
            guard lstat(url.path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: try setMode(0o755, url)
            case S_IFREG: try setMode(0o644, url)
            default: continue
            }
        }
    }

    /// Flushes a file or folder to disk, so a power cut after publishing cannot lose it.
    public static func durable(_ url: URL) throws {
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else {
            throw OperatorError.fileSystem(what: "open to flush", path: url.path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw OperatorError.fileSystem(what: "flush to disk", path: url.path, reason: String(cString: strerror(errno)))
        }
    }
}

/// Named moments where a test can have the process killed (`PROMISE_PROGRESS_CRASH_AT=<name>`),
/// to prove that a SIGKILL there leaves the published outputs whole. Without the variable, nothing.
public enum CrashPoint {
    static let target = ProcessInfo.processInfo.environment["PROMISE_PROGRESS_CRASH_AT"]

    public static func reach(_ name: String) {
        guard let target, target == name else { return }
        kill(getpid(), SIGKILL)
    }
}
