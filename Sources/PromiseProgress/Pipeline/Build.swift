import Foundation
import GRDB

/// The whole job: every stage in the work area, then publish only if all succeeded.
/// A failed run leaves the last good `out/promise.sqlite` and `out/public/` untouched.
public struct Build {
    public let layout: PipelineLayout
    public let logger: RunLogger
    /// Refuse to publish when more than this share of any input file's rows is rejected: a file
    /// that broken (a shifted header, a truncated export) would otherwise publish empty dashboards.
    public var maximumRejectedShare: Double
    /// The completeness guard: how far a file may shrink since the published release, and the
    /// files, folders or streams whose drop or absence the operator accepts (`--accept-drop`).
    public var completeness = CompletenessGuard()
    /// Rejections above this share of a file's rows are reported for the nightly mail (`alert:` on
    /// standard output and in the run log), even when the run publishes.
    public var alertRejectedShare = 0.01
    /// Nothing to do exits 3 (``ExitStatus/nothingToDo``) rather than 0; recorded so in the run log.
    public var detailedExitCode = false

    /// Rebuild even when nothing changed since the published release.
    public var force = false
    /// How many published releases to keep in `out/releases/`, the current one included.
    public var keepReleases = 3
    /// The time that names the run and is printed on its pages; by default the time it starts.
    /// Fixed (the command line takes SOURCE_DATE_EPOCH, as reproducible builds do), the same
    /// inputs give byte-identical public outputs.
    public var runTime: Date?

    public init(layout: PipelineLayout, logger: RunLogger, maximumRejectedShare: Double = 0.10) {
        self.layout = layout
        self.logger = logger
        self.maximumRejectedShare = maximumRejectedShare
    }

    public struct Outcome: Sendable {
        public var runID: String
        public var storeURL: URL
        public var publicURL: URL
        /// ``ExitStatus/published`` or ``ExitStatus/nothingToDo``.
        public var status: ExitStatus
        /// One line for the operator: status, duration, rows, rejects, changes.
        public var summary: String
        public var release: String
        /// Files whose rejected rows passed ``alertRejectedShare``, one line each, with counts per rule;
        /// then each drop accepted with --accept-drop, so a nightly job that accepts drops is mailed
        /// every time it does.
        public var alerts: [String] = []
    }

    /// Runs the build. A failure is rethrown as it happened (tests match on it); `onFailure` gets it
    /// as the operator should read it, with its exit status.
    @discardableResult
    public func run(onFailure: ((OperatorError) -> Void)? = nil) throws -> Outcome {
        let started = Date()
        let context = PipelineContext(layout: layout, logger: logger, now: runTime ?? Date())
        let releases = Releases(layout: layout)
        let lock = try acquireLock(context, started: started, onFailure: onFailure)
        defer { withExtendedLifetime(lock) {} }
        var stage: String? = "start"
        var accepted = CompletenessGuard.Finding()
        do {
            try recover(lock: lock, releases: releases)
            try releases.adoptUnversionedOutputs(logger: logger)
            if let problem = releases.publishedStateProblem() { throw OperatorError(.internalError, problem) }
            let fingerprint = try InputFingerprint.compute(layout: layout, settings: settings)
            if !force, let current = releases.current(), let manifest = releases.manifest(of: current), manifest.fingerprint == fingerprint.digest,
               FileManager.default.fileExists(atPath: layout.publishedStoreURL.path), FileManager.default.fileExists(atPath: layout.publishedPublicDirectory.path) {
                let seconds = Date().timeIntervalSince(started)
                let summary = "nothing to do in \(String(format: "%.2f", seconds)) s: inputs, definitions, settings and program are those of the published release \(current) (run \(manifest.runID)); use --force to rebuild"
                try appendRunLog(runID: context.runID, startedAt: context.startedAt, status: "nothing_to_do", started: started, error: nil, release: current,
                                 exitCode: detailedExitCode ? ExitStatus.nothingToDo.rawValue : ExitStatus.published.rawValue)
                // What is published matches the inputs, so an earlier failure's report is out of date.
                try? FileManager.default.removeItem(at: failureReportDirectory)
                lock.release()
                return Outcome(runID: manifest.runID, storeURL: layout.publishedStoreURL, publicURL: layout.publishedPublicDirectory, status: .nothingToDo, summary: summary, release: current)
            }
            lock.hold(as: RunLock.Holder(runID: context.runID, pid: getpid(), startedAt: context.startedAt, command: "build"))
            CrashPoint.reach("build-locked")
            if !force {
                let (reuse, why, warn) = StreamReuse.plan(layout: layout, fingerprint: fingerprint, releases: releases)
                context.reuse = reuse
                if let reuse {
                    let names = StreamRegistry.all.filter(reuse.reuses).map(\.id), redone = StreamRegistry.all.filter { !reuse.reuses($0) }.map(\.id)
                    logger.log("inputs unchanged since release \(reuse.release) for \(names.joined(separator: ", ")): taken from it; reading \(redone.joined(separator: ", ")) again. Compute, disclosure control, render and audit run over every stream, since protection is judged across all published tables together")
                } else {
                    logger.log("reading every stream: \(why)", level: warn ? .warning : .debug)
                }
            }
            let tracker = StageTracker()
            let stopping = Termination.watch { signal in
                let stage = tracker.stage
                // SIGTERM (a timeout, a shutdown) or SIGINT: record the run and leave no work area.
                // Publishing survives being stopped at any point (as it does SIGKILL), so stopping here is safe.
                let published = releases.current().flatMap(releases.manifest(of:))?.runID == context.runID
                try? FileManager.default.removeItem(at: layout.workDirectory)
                try? appendRunLog(runID: context.runID, startedAt: context.startedAt, status: published ? "succeeded" : "stopped", started: started,
                                  error: published ? nil : "stopped by \(signal == SIGTERM ? "SIGTERM" : "SIGINT") during \(stage ?? "start"); the published outputs are unchanged",
                                  release: published ? releases.current() : nil, exitStatus: published ? .published : nil, exitCode: 128 + signal)
                logger.log("stopped by signal \(signal) during \(stage ?? "start"); \(published ? "its release had already been published" : "the published outputs are unchanged")", level: .error)
                return "summary: stopped (signal \(signal), exit \(128 + signal)) during \(stage ?? "start"); \(published ? "published before it was stopped" : "nothing was published")"
            }
            defer { stopping.cancel() }
            for each in Pipeline.standardStages + [AuditStage()] {
                stage = each.name
                tracker.stage = stage
                try Pipeline.run(each, context: context)
                // A file that looks broken or cut stops the run here, not after compute, render and audit.
                if each.name == LoadStage().name {
                    stage = "quality"
                    try qualityGate(context)
                    stage = "completeness"
                    accepted = try completenessGuard(context, releases: releases)
                }
            }
            tracker.stage = "publish"
            return try publishWork(context, lock: lock, releases: releases, fingerprint: fingerprint, started: started, stage: &stage, accepted: accepted)
        } catch {
            let failure = OperatorError.classify(error, stage: stage, store: layout.workStoreURL)
            keepFailureReport(context, failure: failure)
            try? FileManager.default.removeItem(at: layout.workDirectory)
            try? appendRunLog(runID: context.runID, startedAt: context.startedAt, status: "failed", started: started, error: failure.description, exitStatus: failure.status)
            lock.release()
            logger.log(releases.current() != nil ? "build failed; the last published outputs in \(layout.display(layout.outputDirectory)) are unchanged"
                       : releases.all().isEmpty ? "build failed; nothing has been published in \(layout.display(layout.outputDirectory)) yet"
                       : "build failed; the releases in \(layout.display(releases.directory)) are unchanged", level: .error)
            onFailure?(failure)
            throw error
        }
    }

    /// The end of every build: the quality gate, the run record, the release and the switch, the
    /// run log, then pruning. The work area must hold a store and public folder that passed audit.
    func publishWork(_ context: PipelineContext, lock: RunLock, releases: Releases, fingerprint: InputFingerprint, started: Date, stage: inout String?,
                     accepted: CompletenessGuard.Finding) throws -> Outcome {
        let acceptedDrops = accepted.acceptedDrops
        stage = "quality"
        try qualityGate(context)
        let alerts = try rejectionAlerts(context)
        stage = "publish"
        let totals = try finalise(context)
        CrashPoint.reach("finalised")
        let release = releases.name(for: context.runID)
        let manifest = ReleaseManifest(runID: context.runID, startedAt: context.startedAt, finishedAt: PipelineContext.timestamp(Date()),
                                       programVersion: PromiseProgressVersion.current, fingerprint: fingerprint.digest, inputs: fingerprint.files,
                                       rowsRead: totals.read, rowsRejected: totals.rejected, countsWithheld: totals.withheld, changes: changeCount(),
                                       sequence: releases.nextSequence(), storeSHA256: try InputFingerprint.sha256(of: layout.workStoreURL),
                                       acceptedDrops: acceptedDrops.isEmpty ? nil : acceptedDrops,
                                       acceptedInputs: accepted.acceptedInputs.isEmpty ? nil : accepted.acceptedInputs,
                                       inputHighWater: accepted.highWater.isEmpty ? nil : accepted.highWater.mapValues { high in
                                           var named = high
                                           named.release = high.release ?? release
                                           return named
                                       },
                                       publicSHA256: try InputFingerprint.folderDigest(layout.workPublicDirectory))
        try releases.publish(store: layout.workStoreURL, public: layout.workPublicDirectory, manifest: manifest, name: release)
        try appendRunLog(runID: context.runID, startedAt: context.startedAt, status: "succeeded", started: started, error: nil, release: release,
                         extra: ["accepted_drops": acceptedDrops, "rejection_alerts": alerts].filter { !$0.value.isEmpty })
        CrashPoint.reach("logged")
        lock.release()
        let pruned = releases.prune(keep: keepReleases)
        if !pruned.removed.isEmpty { logger.log("removed \(pruned.removed.count) old release(s): \(pruned.removed.joined(separator: ", "))", level: .debug) }
        if !pruned.failed.isEmpty { logger.log("could not remove old release(s) \(pruned.failed.joined(separator: ", ")) from \(layout.display(releases.directory)): remove them by hand", level: .warning) }
        try? FileManager.default.removeItem(at: layout.workDirectory)
        try? FileManager.default.removeItem(at: failureReportDirectory)
        logger.log("published \(layout.display(layout.publishedStoreURL)) and \(layout.display(layout.publishedPublicDirectory)) (run \(context.runID), release \(release))")
        let seconds = Date().timeIntervalSince(started)
        // The first release by its sequence number: pruning to one kept release does not make one.
        let changes = manifest.sequence == 1 ? "the first release" : "\(Formatting.count(manifest.changes)) changes since the last release"
        let summary = "published release \(release) in \(String(format: "%.1f", seconds)) s: \(Formatting.count(totals.read)) rows read, \(Formatting.count(totals.rejected)) rejected; \(Formatting.count(totals.withheld)) counts withheld; \(changes)"
        return Outcome(runID: context.runID, storeURL: layout.publishedStoreURL, publicURL: layout.publishedPublicDirectory, status: .published, summary: summary, release: release,
                       alerts: alerts + acceptedDrops.map { "completeness guard: \($0)" })
    }

    /// `stage publish`: publishes what `stage` runs built in the work area, once every stage up to
    /// the audit has run for it, exactly as the end of `build` does.
    public func publishStaged(onFailure: ((OperatorError) -> Void)? = nil) throws -> Outcome {
        let started = Date()
        let context = PipelineContext(layout: layout, logger: logger)
        let releases = Releases(layout: layout)
        let lock = try acquireLock(context, started: started, onFailure: onFailure)
        defer { withExtendedLifetime(lock) {} }
        var stage: String? = "publish"
        do {
            try context.resumeRun()
            let done = try context.openWorkStore().queue.read { db in
                try Set(String.fetchAll(db, sql: "SELECT stage FROM run_stage WHERE run_id = ?", arguments: [context.runID]))
            }
            let missing = (Pipeline.standardStages + [AuditStage()]).map(\.name).filter { !done.contains($0) }
            guard missing.isEmpty else {
                throw OperatorError(.usage, "the work area's run \(context.runID) has not run \(missing.joined(separator: ", ")): run those stages first (nothing was published)")
            }
            recordInterrupted(lock: lock, releases: releases)
            for removed in releases.removeUnpublished(stoppedRun: lock.previousHolder?.runID) { logger.log("removed \(removed), left by a run that was stopped", level: .debug) }
            try releases.adoptUnversionedOutputs(logger: logger)
            if let problem = releases.publishedStateProblem() { throw OperatorError(.internalError, problem) }
            // Stages can be rerun in any order, and with other inputs or settings than the folders
            // hold now: so the work area is audited again here unless it is exactly as a clean audit
            // left it (its seal: the same public files, earlier release, stage runs and program),
            // and its release is never taken for the inputs' (the next build rebuilds it).
            var fingerprint = try InputFingerprint.compute(layout: layout, settings: settings)
            fingerprint.digest = "staged, not built from one fingerprint: " + context.runID
            lock.hold(as: RunLock.Holder(runID: context.runID, pid: getpid(), startedAt: context.startedAt, command: "stage publish"))
            stage = "completeness"
            let accepted = try completenessGuard(context, releases: releases)
            stage = "audit"
            if AuditSeal.holds(context) {
                logger.log("[audit] the work area is as its clean audit left it (same public files, earlier release, stage runs and program): not audited again")
            } else {
                try Pipeline.run(AuditStage(), context: context)
            }
            return try publishWork(context, lock: lock, releases: releases, fingerprint: fingerprint, started: started, stage: &stage, accepted: accepted)
        } catch {
            let failure = OperatorError.classify(error, stage: stage, store: layout.workStoreURL)
            try? appendRunLog(runID: context.runID, startedAt: context.startedAt, status: "failed", started: started, error: failure.description, exitStatus: failure.status)
            lock.release()
            onFailure?(failure)
            throw error
        }
    }

    /// Takes the run lock. A run that finds it held is refused (and says so in the run log); one
    /// that cannot open it at all fails with the path and what to do.
    func acquireLock(_ context: PipelineContext, started: Date, onFailure: ((OperatorError) -> Void)?) throws -> RunLock {
        do {
            let lock = try RunLock(url: layout.lockURL)
            // The run log is appended to only after publishing: one that cannot be (a link, a pipe)
            // is found now, before anything is built, not after the release is switched.
            try checkRunLog()
            return lock
        } catch {
            let failure = error is OperatorError ? OperatorError.classify(error, stage: nil, store: nil) : OperatorError(.refused, "\(error)")
            try? appendRunLog(runID: context.runID, startedAt: context.startedAt, status: failure.status == .refused ? "refused" : "failed", started: started,
                              error: failure.description, exitStatus: failure.status)
            onFailure?(failure)
            throw error
        }
    }

    /// Refuses a run log the run must not append to: a symbolic link, a pipe or device, or a file
    /// with other hard links (appending would write into whatever else it is). Absent is fine.
    public func checkRunLog() throws {
        var info = stat()
        guard lstat(layout.runLogURL.path, &info) == 0 else { return }
        if let problem = Self.runLogProblem(info) {
            throw OperatorError.fileSystem(what: "check the run log", path: layout.runLogURL.path, reason: "it is \(problem); the run log must be a regular file of its own, so remove it (keep a copy if it matters). Nothing was done")
        }
    }

    static func runLogProblem(_ info: stat) -> String? {
        switch info.st_mode & S_IFMT {
        case S_IFREG: return info.st_nlink > 1 ? "a file with \(info.st_nlink) hard links" : nil
        case S_IFLNK: return "a symbolic link"
        default: return "not a regular file (a pipe or a device?)"
        }
    }

    /// The settings that change what is published (the folders' contents are fingerprinted apart).
    var settings: [String: String] {
        var settings = ["max_rejected_share": String(maximumRejectedShare)]
        // A revision release is never "nothing to do": it publishes what nightly builds held.
        if !layout.revisePeriods.isEmpty { settings["revise"] = layout.revisePeriods.sorted().joined(separator: ",") }
        if layout.allowSmallRevision { settings["allow_small_revision"] = "yes" }
        return settings
    }

    /// Where a failed run leaves its reason and its rejected rows: `out/last-failure/`.
    public var failureReportDirectory: URL { layout.outputDirectory.appendingPathComponent("last-failure") }

    /// Keeps what an operator needs from a failed run (the error, and every rejected row with its
    /// reason) before the work area is removed. Child-level values never leave the restricted area:
    /// this folder is beside the restricted store, not in `public/`.
    func keepFailureReport(_ context: PipelineContext, failure: OperatorError) {
        let folder = failureReportDirectory
        try? FileManager.default.removeItem(at: folder)
        // Rejected rows are child-level records: the folder is for its owner and group only.
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])) != nil else { return }
        try? FileOperation.setMode(0o750, folder)
        // The report names files, lines and rules, never a child's or respondent's id (those are in
        // rejected-rows.csv beside it); both are for the owner and group only, whatever the umask.
        let report = "run \(context.runID) failed: \(failure.status.word) (exit \(failure.status.rawValue))\n\n\(Bounded.message(failure.description, limit: 20_000))\n"
        let reportURL = folder.appendingPathComponent("report.txt")
        FileManager.default.createFile(atPath: reportURL.path, contents: nil, attributes: [.posixPermissions: 0o640])
        try? FileOperation.setMode(0o640, reportURL)
        try? Data(report.utf8).write(to: reportURL)
        guard FileManager.default.fileExists(atPath: layout.workStoreURL.path),
              let queue = try? DatabaseQueue(path: layout.workStoreURL.path, configuration: { var c = Configuration(); c.readonly = true; return c }()),
              let rows = try? queue.read({ db -> [Row] in
                  guard try db.tableExists("rejected_row") else { return [] }
                  return try Row.fetchAll(db, sql: "SELECT source_file, source_line, rule, reason FROM rejected_row ORDER BY source_file, source_line")
              }), !rows.isEmpty else { return }
        var writer = CSVWriter(header: ["source_file", "source_line", "rule", "reason"])
        for row in rows {
            writer.append([row["source_file"] ?? "", (row["source_line"] as Int?).map(String.init) ?? "", row["rule"] ?? "", row["reason"] ?? ""])
        }
        let rejected = folder.appendingPathComponent("rejected-rows.csv")
        FileManager.default.createFile(atPath: rejected.path, contents: nil, attributes: [.posixPermissions: 0o640])
        try? FileOperation.setMode(0o640, rejected)
        try? Data(writer.text.utf8).write(to: rejected)
    }

    /// Records in the run log a run the lock says was stopped before it finished (killed, or the
    /// machine went down), as succeeded if it had switched to its release, else as killed.
    public func recordInterrupted(lock: RunLock, releases: Releases) {
        guard let killed = lock.previousHolder else { return }
        let published = releases.current().flatMap(releases.manifest(of:))?.runID == killed.runID
        // Stages of one run share its run ID, so a line is this holder's when run and process match.
        let logged = ((try? String(contentsOf: layout.runLogURL, encoding: .utf8)) ?? "").split(separator: "\n").contains { line in
            guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return false }
            return entry["run_id"] as? String == killed.runID && (entry["pid"] as? Int).map(Int32.init) == killed.pid
        }
        if !logged {
            try? appendRunLog(runID: killed.runID, startedAt: killed.startedAt, status: published ? "succeeded" : "killed", started: nil,
                              error: published ? nil : "process \(killed.pid) (\(Bounded.message(killed.command, limit: 80))) stopped before it finished; recorded by the next run",
                              release: published ? releases.current() : nil, recordedLater: true, pid: killed.pid)
        }
        // Said once: a run stopped by a signal recorded itself and warned then; one killed outright is
        // recorded (and warned of) here, by the first run after it.
        logger.log("the last run (\(Bounded.message(killed.runID, limit: 80)), \(Bounded.message(killed.command, limit: 80))) was stopped before it finished; \(published ? "it had published, and is recorded so" : "its partial work is removed and the published outputs are as before")",
                   level: logged ? .debug : .warning)
    }

    /// Before a run starts: records a run the lock says was killed, and removes what it left
    /// (its work area, a release it made but never switched to).
    func recover(lock: RunLock, releases: Releases) throws {
        recordInterrupted(lock: lock, releases: releases)
        for removed in releases.removeUnpublished(stoppedRun: lock.previousHolder?.runID) { logger.log("removed \(removed), left by a run that was stopped", level: .debug) }
        try? FileManager.default.removeItem(at: layout.workDirectory)
    }

    /// Rows on the "what changed" page the run wrote.
    func changeCount() -> Int {
        guard let text = try? String(contentsOf: layout.workPublicDirectory.appendingPathComponent("data/pages/changes.csv"), encoding: .utf8) else { return 0 }
        return max(0, text.split(separator: "\n").count - 1)
    }

    /// The completeness guard (``CompletenessGuard``): refuses (exit 5) when a file shrank past the
    /// limit, or a file, folder or stream the published release read is missing; logs what the
    /// operator accepted and, on the first release, the optional inputs that are absent.
    func completenessGuard(_ context: PipelineContext, releases: Releases) throws -> CompletenessGuard.Finding {
        let finding = try completeness.check(context, releases: releases)
        for warning in finding.warnings { logger.log("completeness: \(warning)", level: .warning) }
        for accepted in finding.acceptedDrops { logger.log("completeness: \(accepted)", level: .warning) }
        for given in finding.unmatched {
            logger.log("completeness: --accept-drop \(Bounded.quote(given)) matched no drop or missing input: nothing was accepted by it (a file, folder or stream id as the guard names them, or \(CompletenessGuard.acceptAll))", level: .warning)
        }
        guard finding.refusals.isEmpty else {
            throw OperatorError(.inputRejected, "refusing to publish: the inputs look incomplete against the published release, so its outputs are kept.\n  "
                                + finding.refusals.joined(separator: "\n  ")
                                + "\n  Restore the missing rows or files; if the drop is meant, run again with --accept-drop naming each file, folder or stream (or \(CompletenessGuard.acceptAll)).")
        }
        return finding
    }

    /// Fails the run when more than ``maximumRejectedShare`` of an input file's rows were rejected, or
    /// it loaded nothing. Extract has already proved every physical line belongs to a row.
    func qualityGate(_ context: PipelineContext) throws {
        let store = try context.openWorkStore()
        let layout = context.layout
        let problems = try store.queue.read { db -> [String] in
            // A folder of documents is judged as a whole: one document in it is one row of it.
            let units = try InputUnit.all(db, runID: context.runID, inputFolder: layout.display(layout.inputDirectory))
            return try units.compactMap { unit -> String? in
                let (lines, read, rejected, loaded) = (unit.lines, unit.rowsRead, unit.rowsRejected, unit.rowsLoaded)
                let file = layout.display(layout.inputDirectory.appendingPathComponent(unit.path)) + (unit.isDocumentFolder ? " (documents)" : "")
                if read == 0 {
                    return "\(file): no rows (the file has a header only)."
                }
                // Each stray quote costs its own line (reading resynchronises), so rows rejected stand for lines lost.
                guard loaded == 0 || Double(rejected) > maximumRejectedShare * Double(max(read, 1)) else { return nil }
                // Rules, counts and a line to look at: never the reason's text, which quotes the value
                // (a child's or respondent's id). Values stay in rejected_row and rejected-rows.csv.
                let reasons = try Row.fetchAll(db, sql: """
                    SELECT rule, COUNT(DISTINCT source_file || ':' || source_line) AS n, MIN(source_line) AS line FROM rejected_row
                    WHERE source_file IN (SELECT value FROM json_each(?))
                    GROUP BY rule ORDER BY n DESC LIMIT 3
                    """, arguments: [String(decoding: try JSONEncoder().encode(unit.sourceFiles), as: UTF8.self)]).map { "\($0["rule"] as String) \(Formatting.count($0["n"] as Int)) (first on line \(Formatting.count($0["line"] as Int)))" }
                return "\(file): \(rejected) of \(read) rows rejected (\(lines) lines of data), \(loaded) loaded; the limit is \(Int((maximumRejectedShare * 100).rounded()))%."
                    + (reasons.isEmpty ? "" : " Most common: " + reasons.joined(separator: "; "))
            }
        }
        guard problems.isEmpty else {
            throw PipelineFailure("refusing to publish: an input file looks broken, so yesterday's outputs are kept.\n  "
                                  + problems.joined(separator: "\n  ")
                                  + "\n  Fix the file, or raise --max-rejected-share if these rejections are expected.")
        }
    }

    /// Says, at warning level, which files had rows rejected, with counts per rule (never a value);
    /// returns a line for each file whose rejected share passes ``alertRejectedShare``.
    func rejectionAlerts(_ context: PipelineContext) throws -> [String] {
        let store = try context.openWorkStore()
        let files = try store.queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.source_file AS file, COALESCE(i.rows_read, 0) AS read, COUNT(DISTINCT r.source_line) AS rejected,
                       (SELECT group_concat(rule || ' ' || n, ', ') FROM (SELECT rule, COUNT(DISTINCT source_line) AS n FROM rejected_row
                         WHERE source_file = r.source_file GROUP BY rule ORDER BY n DESC, rule)) AS rules
                FROM rejected_row r LEFT JOIN run_input i ON i.source_file = r.source_file AND i.run_id = ?
                GROUP BY r.source_file ORDER BY r.source_file
                """, arguments: [context.runID])
        }
        var alerts: [String] = []
        for row in files {
            let file: String = row["file"], read: Int = row["read"], rejected: Int = row["rejected"], rules: String = row["rules"] ?? ""
            let share = read > 0 ? Double(rejected) / Double(read) : 1
            let line = "\(file): \(Formatting.count(rejected)) of \(Formatting.count(read)) rows rejected (\(Formatting.decimal(share * 100, places: 1))%): \(rules)"
            logger.log("rejected rows: \(line)", level: .warning)
            if share > alertRejectedShare { alerts.append(line) }
        }
        if !alerts.isEmpty {
            logger.log("rejected rows above the alert share of \(Formatting.decimal(alertRejectedShare * 100, places: 1))% (--alert-rejected-share) in \(alerts.count) file\(alerts.count == 1 ? "" : "s"); see rejected_row in the store", level: .warning)
        }
        return alerts
    }

    /// Records the outcome in the store, carries earlier runs forward and writes the data dictionary.
    func finalise(_ context: PipelineContext) throws -> (read: Int, rejected: Int, withheld: Int) {
        let store = try context.openWorkStore()
        let previous = layout.publishedStoreURL
        // The published store's history, moved forward to this version first (see RunHistory).
        let history = FileManager.default.fileExists(atPath: previous.path) ? try RunHistory.migratedCopy(of: previous, in: layout.workDirectory) : nil
        try RunHistory.stamp(store.queue)
        try store.queue.writeWithoutTransaction { db in
            if let history {
                try RunHistory.carryForward(from: history, into: db, except: context.runID)
                try? FileManager.default.removeItem(at: history)
            }
            try db.inTransaction {
                try db.execute(sql: """
                    UPDATE run SET status = 'succeeded', finished_at = ?,
                      rows_read = (SELECT SUM(rows_read) FROM run_input WHERE run_id = run.run_id),
                      rows_rejected = (SELECT SUM(rows_rejected) FROM run_input WHERE run_id = run.run_id),
                      rows_loaded = (SELECT SUM(rows_loaded) FROM run_input WHERE run_id = run.run_id)
                    WHERE run_id = ?
                    """, arguments: [PipelineContext.timestamp(Date()), context.runID])
                try AnalystViews.install(in: db)
                try Store.writeDataDictionary(Schema.finished, in: db)
                return .commit
            }
            try db.execute(sql: "VACUUM")
        }
        return try store.queue.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT rows_read, rows_rejected, COALESCE(cells_withheld_primary, 0) + COALESCE(cells_withheld_group, 0)
                  + COALESCE(cells_withheld_secondary, 0) + COALESCE(cells_withheld_protection, 0) AS withheld
                FROM run WHERE run_id = ?
                """, arguments: [context.runID])
            return (row?["rows_read"] ?? 0, row?["rows_rejected"] ?? 0, row?["withheld"] ?? 0)
        }
    }

    /// An exit that no run recorded (a command line refused with exit 64, a bad SOURCE_DATE_EPOCH, a
    /// stage that failed or was refused) still leaves its one line in the run log, so the history
    /// has every exit.
    public static func recordRefusedCommandLine(outputDirectory: URL, status: ExitStatus, message: String) {
        let layout = PipelineLayout(inputDirectory: outputDirectory, seedsDirectory: outputDirectory, indicatorsDirectory: outputDirectory,
                                    configDirectory: outputDirectory, outputDirectory: outputDirectory)
        let context = PipelineContext(layout: layout, logger: MemoryLogger())
        try? Build(layout: layout, logger: MemoryLogger()).appendRunLog(runID: context.runID, startedAt: context.startedAt, status: status == .usage ? "usage_error" : status == .refused ? "refused" : "failed",
                                                                        started: Date(), error: message, exitStatus: status)
    }

    /// One JSON line per run in `out/run-log.jsonl`: published, nothing to do, failed, refused, and
    /// (recorded by the next run) killed. Appended with O_APPEND in one write, so lines from
    /// concurrent runs never interleave.
    static let runLogLineLimit = 1_000

    func appendRunLog(runID: String, startedAt: String, status: String, started: Date?, error: String?,
                      release: String? = nil, exitStatus: ExitStatus? = nil, recordedLater: Bool = false, pid: Int32 = getpid(), exitCode: Int32? = nil,
                      extra: [String: [String]] = [:]) throws {
        // The run id and start time may come from a lock file a killed run (or anyone) left: bounded.
        var entry: [String: Any] = ["run_id": Bounded.message(runID, limit: 80), "status": status, "started_at": Bounded.message(startedAt, limit: 40), "pid": Int(pid)]
        if let started {
            entry["finished_at"] = PipelineContext.timestamp(Date())
            entry["seconds"] = (Date().timeIntervalSince(started) * 100).rounded() / 100
        }
        let code = exitStatus ?? ["succeeded": .published, "nothing_to_do": .nothingToDo, "refused": .refused][status]
        if let code = exitCode ?? code?.rawValue, !recordedLater { entry["exit_code"] = Int(code) }
        if recordedLater {
            entry["recorded_at"] = PipelineContext.timestamp(Date())
        }
        if let release { entry["release"] = release }
        // However long the failure or the lists, the whole line stays under ``runLogLineLimit`` bytes
        // (a log shipper's and a mail's limit): the error and the lists are cut shorter until it fits.
        // The full text is in the failure report, the release record and the command's output.
        var data = Data()
        for (errorLimit, itemLimit, items) in [(800, 300, 3), (500, 160, 2), (300, 100, 1), (160, 60, 1), (80, 30, 1)] {
            if let error { entry["error"] = Bounded.message(error, limit: errorLimit) }
            for (key, lines) in extra {
                entry[key] = lines.prefix(items).map { Bounded.message($0, limit: itemLimit) }
                    + (lines.count > items ? ["… and \(lines.count - items) more"] : [])
            }
            data = try JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys, .withoutEscapingSlashes]) + Data("\n".utf8)
            if data.count <= Self.runLogLineLimit { break }
        }
        try FileOperation.makeOutputFolder(layout.outputDirectory)
        // Never through a link or into a pipe: a link planted in the output folder would have the run
        // append to (and chmod) its target, and a FIFO would hold the run for ever.
        let descriptor = open(layout.runLogURL.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o640)
        guard descriptor >= 0 else {
            let reason = errno == ELOOP ? "it is a symbolic link; the run log must be a regular file (remove the link)" : String(cString: strerror(errno))
            throw OperatorError.fileSystem(what: "open the run log", path: layout.runLogURL.path, reason: reason)
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            throw OperatorError.fileSystem(what: "open the run log", path: layout.runLogURL.path, reason: String(cString: strerror(errno)))
        }
        if let problem = Self.runLogProblem(info) {
            close(descriptor)
            throw OperatorError.fileSystem(what: "open the run log", path: layout.runLogURL.path, reason: "it is \(problem); the run log must be a regular file of its own, so remove it")
        }
        // The operator's log (file names, lines, rules; never an id): owner and group, whatever the umask.
        _ = fchmod(descriptor, 0o640)
        defer { close(descriptor) }
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count else {
            throw OperatorError.fileSystem(what: "append to the run log", path: layout.runLogURL.path, reason: String(cString: strerror(errno)))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
