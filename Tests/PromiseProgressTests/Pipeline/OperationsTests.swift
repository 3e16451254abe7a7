import Foundation
import GRDB
import Testing
@testable import PromiseProgress

/// Nightly operation, tried as cron would: the real program in its own process, killed with
/// SIGKILL at named moments, run twice at once, and pointed at folders it cannot use.
@Suite("Nightly operation", .removesTemporaryFiles)
struct OperationsTests {
    /// The program `swift test` built beside the test bundle.
    static let executable: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("promise-progress")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return Fixture.repositoryRoot.appendingPathComponent(".build/debug/promise-progress")
    }()

    struct Finished {
        var status: Int32
        var killed: Bool
        var output: String
        var errors: String
    }

    static func run(_ arguments: [String], crashAt point: String? = nil) throws -> Finished {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = Fixture.repositoryRoot
        var environment = ProcessInfo.processInfo.environment
        environment["PROMISE_PROGRESS_CRASH_AT"] = point
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read both pipes while the program runs, so a full pipe never blocks it.
        let collected = Collected()
        let readers = DispatchGroup()
        for (pipe, isOutput) in [(output, true), (errors, false)] {
            readers.enter()
            Thread.detachNewThread {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.set(isOutput: isOutput, data)
                readers.leave()
            }
        }
        process.waitUntilExit()
        readers.wait()
        return Finished(status: process.terminationStatus, killed: process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL,
                        output: String(decoding: collected.output, as: UTF8.self), errors: String(decoding: collected.errors, as: UTF8.self))
    }

    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var stored = (output: Data(), errors: Data())
        var output: Data { lock.withLock { stored.output } }
        var errors: Data { lock.withLock { stored.errors } }
        func set(isOutput: Bool, _ data: Data) {
            lock.withLock {
                if isOutput { stored.output = data } else { stored.errors = data }
            }
        }
    }

    /// What a reader of `out/` sees: where `current` leads, and every published file's SHA-256.
    static func published(_ output: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        result["current ->"] = try FileManager.default.destinationOfSymbolicLink(atPath: output.appendingPathComponent("current").path)
        for link in ["promise.sqlite", "public"] {
            result["\(link) ->"] = try FileManager.default.destinationOfSymbolicLink(atPath: output.appendingPathComponent(link).path)
        }
        let release = output.appendingPathComponent("current").resolvingSymlinksInPath()
        for file in Fixture.files(under: release) {
            let path = String(file.resolvingSymlinksInPath().path.dropFirst(release.path.count))
            result[path] = SHA256.hash(data: try Data(contentsOf: file)).map { String(format: "%02x", $0) }.joined()
        }
        return result
    }

    /// The store, pages and release record of the current release all belong to one run.
    static func expectWhole(_ output: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let release = output.appendingPathComponent("current").resolvingSymlinksInPath()
        let manifest = try JSONDecoder().decode(ReleaseManifest.self, from: Data(contentsOf: release.appendingPathComponent("release.json")))
        let storeRun = try DatabaseQueue(path: output.appendingPathComponent("promise.sqlite").path, configuration: { var c = Configuration(); c.readonly = true; return c }())
            .read { try String.fetchOne($0, sql: "SELECT run_id FROM run WHERE status = 'succeeded' ORDER BY started_at DESC LIMIT 1") }
        #expect(storeRun == manifest.runID, "store and release record disagree", sourceLocation: sourceLocation)
        let index = try String(contentsOf: output.appendingPathComponent("public/site/index.html"), encoding: .utf8)
        #expect(index.contains(manifest.runID), "pages and release record disagree", sourceLocation: sourceLocation)
    }

    static func runLog(_ output: URL) throws -> [[String: Any]] {
        try String(contentsOf: output.appendingPathComponent("run-log.jsonl"), encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test("SIGKILL at 21 moments across every stage and the publish step never leaves a mixed or half-written release; each stopped run is recorded, and runs wait for no one and nothing to do is said")
    func crashesConcurrencyAndNothingToDo() throws {
        let output = Fixture.temporaryDirectory("crash")
        let out = ["--output", output.path]

        // A first build, with a second build and a stage started while it holds the lock.
        let first = Process()
        first.executableURL = Self.executable
        first.arguments = ["build", "--log-format", "json"] + out
        first.currentDirectoryURL = Fixture.repositoryRoot
        let firstErrors = Pipe()
        first.standardError = firstErrors
        first.standardOutput = Pipe()
        try first.run()
        let errorsData = Collected()
        let reader = DispatchGroup()
        reader.enter()
        Thread.detachNewThread {
            errorsData.set(isOutput: false, firstErrors.fileHandleForReading.readDataToEndOfFile())
            reader.leave()
        }
        let lockFile = output.appendingPathComponent(".lock")
        for _ in 0..<600 where ((try? Data(contentsOf: lockFile))?.isEmpty ?? true) { Thread.sleep(forTimeInterval: 0.05) }
        let second = try Self.run(["build"] + out)
        #expect(second.status == ExitStatus.refused.rawValue, "a second build while one runs is refused: \(second.errors)")
        #expect(second.output.contains("refused"))
        let stage = try Self.run(["stage", "extract"] + out)
        #expect(stage.status == ExitStatus.refused.rawValue, "a stage while a build runs is refused")
        first.waitUntilExit()
        reader.wait()
        #expect(first.terminationStatus == 0)
        // Not at a terminal: one JSON object per line, each with a time and a level.
        for line in String(decoding: errorsData.errors, as: UTF8.self).split(separator: "\n") {
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            #expect(event["ts"] is String && event["level"] is String && event["message"] is String)
        }
        try Self.expectWhole(output)
        let good = try Self.published(output)

        // Unchanged inputs: nothing to do, said in one line, recorded.
        // It exits 0, as make does; 3 only for a script that asks with --detailed-exit-code.
        let again = try Self.run(["build"] + out)
        #expect(again.status == 0)
        #expect(again.output.hasPrefix("summary: nothing to do"))
        let detailed = try Self.run(["build", "--detailed-exit-code"] + out)
        #expect(detailed.status == ExitStatus.nothingToDo.rawValue && detailed.output.hasPrefix("summary: nothing to do"))
        #expect(try Self.runLog(output).suffix(2).map { $0["exit_code"] as? Int } == [0, 3], "the run log records the exit each gave")
        #expect(try Self.published(output) == good)
        // Every exit has its line: the refused build, the refused stage, the first build, and the two with nothing to do.
        #expect(try Self.runLog(output).map { $0["status"] as? String } == ["refused", "refused", "succeeded", "nothing_to_do", "nothing_to_do"])

        var stopped = 0
        @discardableResult
        func kill(_ arguments: [String], at point: String) throws -> Finished {
            let result = try Self.run(arguments + out, crashAt: point)
            #expect(result.killed, "\(point): the program was not stopped there (status \(result.status)): \(result.errors.suffix(400))")
            stopped += 1
            return result
        }
        // Killed inside a build: the published release is exactly as it was.
        for point in ["build-locked", "begin-extract", "ran-extract", "after-extract", "begin-transform", "after-transform", "begin-load"] {
            try kill(["build", "--force"], at: point)
            #expect(try Self.published(output) == good, "\(point)")
        }
        // Each stage run alone, killed first, then run.
        for name in ["extract", "transform", "load", "compute", "render", "audit"] {
            try kill(["stage", name], at: "begin-\(name)")
            #expect(try Self.run(["stage", name] + out).status == 0, "stage \(name)")
        }
        try kill(["stage", "audit"], at: "ran-audit")
        #expect(try Self.run(["stage", "audit"] + out).status == 0)
        #expect(try Self.published(output) == good)

        // Publishing killed at every step, each time from the same finished work area.
        let work = output.appendingPathComponent(".work"), template = Fixture.temporaryDirectory("crash-work").appendingPathComponent("work")
        try FileManager.default.copyItem(at: work, to: template)
        func restoreWork() throws {
            try? FileManager.default.removeItem(at: work)
            try FileManager.default.copyItem(at: template, to: work)
        }
        for point in ["finalised", "publish-store-moved", "publish-public-moved", "publish-release-complete", "publish-before-switch"] {
            try restoreWork()
            let result = try kill(["stage", "publish"], at: point)
            // The work area is as its clean audit left it, against the same release: not audited twice.
            #expect(result.errors.contains("not audited again"), "\(point): \(result.errors.suffix(400))")
            #expect(try Self.published(output) == good, "\(point)")
        }
        // Past the switch the new release is published whole.
        for point in ["publish-after-switch", "logged"] {
            try restoreWork()
            try kill(["stage", "publish"], at: point)
            #expect(try Self.published(output) != good, "\(point)")
            try Self.expectWhole(output)
        }
        #expect(stopped == 21)

        // The next build records what was stopped, removes what it left, and succeeds.
        let next = try Self.run(["build"] + out)
        #expect([ExitStatus.published.rawValue, ExitStatus.nothingToDo.rawValue].contains(next.status), "\(next.errors.suffix(600))")
        try Self.expectWhole(output)
        let log = try Self.runLog(output)
        #expect(log.filter { $0["status"] as? String == "killed" }.count >= 19, "stopped runs are recorded as killed")
        #expect(log.contains { $0["status"] as? String == "succeeded" && $0["recorded_at"] != nil }, "a run killed after its switch is recorded as published")
        let releases = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("releases").path)
        #expect(releases.allSatisfy { !$0.hasSuffix(".partial") })
        #expect(releases.count <= 3, "old releases are pruned: \(releases)")
        #expect(!FileManager.default.fileExists(atPath: work.path), "no work area is left behind")

        // Work changed after its audit (here a stray file in the pages): publish audits again and refuses.
        try restoreWork()
        let unaudited = try Self.published(output)
        try Data("left by hand\n".utf8).write(to: work.appendingPathComponent("public/site/notes.txt"))
        let tampered = try Self.run(["stage", "publish"] + out)
        #expect(tampered.status == ExitStatus.auditFailed.rawValue, "\(tampered.errors.suffix(400))")
        #expect(try Self.published(output) == unaudited)

        // A release folder that cannot be written: publishing fails with its exit status, and out/ is as it was.
        try restoreWork()
        let before = try Self.published(output)
        let releasesFolder = output.appendingPathComponent("releases")
        try Self.makeUnwritable(releasesFolder)
        defer { Self.makeWritable(releasesFolder) }
        let refused = try Self.run(["stage", "publish"] + out)
        Self.makeWritable(releasesFolder)
        #expect(refused.status == ExitStatus.internalError.rawValue)
        #expect(refused.errors.contains(releasesFolder.path) && !refused.errors.contains("NSCocoaErrorDomain"), "\(refused.errors.suffix(600))")
        #expect(try Self.published(output) == before)
    }

    /// The SHA-256 of every file under a build's public folder, by path below it.
    static func publicDigests(_ output: URL) throws -> [String: String] {
        let root = output.appendingPathComponent("public").resolvingSymlinksInPath()
        var files: [String: String] = [:]
        for file in Fixture.files(under: root) {
            files[String(file.path.dropFirst(root.path.count))] = InputFingerprint.hex(SHA256.hash(data: try Data(contentsOf: file)))
        }
        return files
    }

    @Test("the same inputs at the same run time publish byte-identical files: pages, CSVs, archive and the public SQLite file; the restricted store's indicator values are the same rows")
    func byteIdentical() throws {
        // The shared build ran at Fixture.defaultRunTime; one more build at that run time. (This test
        // also holds what RobustnessTests.deterministic asserted: two builds give identical indicator
        // values, in both the full and the published table.)
        let first = try Fixture.defaultBuild.get()
        let second = Fixture.temporaryDirectory("identical")
        var build = Build(layout: Fixture.layout(output: second), logger: MemoryLogger())
        build.runTime = Fixture.defaultRunTime
        try build.run()
        let digests = [try Self.publicDigests(first), try Self.publicDigests(second)]
        #expect(digests[0].count > 300)
        #expect(digests[0].keys.sorted() == digests[1].keys.sorted())
        let differing = digests[0].keys.filter { digests[0][$0] != digests[1][$0] }.sorted()
        #expect(differing.isEmpty, "files that differ: \(differing.prefix(10))")
        for table in ["indicator_value", "published_indicator_value"] {
            let a = try RobustnessTests.indicatorRows(first.appendingPathComponent("promise.sqlite"), table: table)
            let b = try RobustnessTests.indicatorRows(second.appendingPathComponent("promise.sqlite"), table: table)
            #expect(a.count > 5_000)
            #expect(a == b, "\(table) differs between runs")
        }
    }

    @Test("a build after one stream's inputs changed takes the other streams from the release and publishes exactly what a full rebuild does")
    func incrementalEqualsFull() throws {
        // Every stream, with rejected rows in one that will be taken as it is: a bad date (extract)
        // and a repeated child (transform).
        let input = Fixture.temporaryDirectory("incremental-input")
        for folder in ["quantitative", "experiential", "qualitative"] {
            try FileManager.default.copyItem(at: Fixture.repositoryRoot.appendingPathComponent("Data/\(folder)"), to: input.appendingPathComponent(folder))
        }
        let children = input.appendingPathComponent("quantitative/children.csv")
        try (try String(contentsOf: children, encoding: .utf8) + "C9999998,S12000005,2019-02-30,male,white_scottish,no\nC0000001,S12000005,2003-08-26,male,white_scottish,no\n")
            .write(to: children, atomically: true, encoding: .utf8)
        // A file in a stream's folder that is not read (noted on the data-quality page): its note is
        // carried over with the stream.
        let documents = try #require(try FileManager.default.contentsOfDirectory(at: input.appendingPathComponent("qualitative"), includingPropertiesForKeys: nil)
            .first { $0.hasDirectoryPath })
        try Data("not a document".utf8).write(to: documents.appendingPathComponent("minutes.docx"))
        let output = Fixture.temporaryDirectory("incremental")
        func build(_ output: URL, day: Int, force: Bool = false) throws -> [String] {
            let logger = MemoryLogger()
            var build = Build(layout: Fixture.layout(output: output, input: input), logger: logger)
            build.runTime = Date(timeIntervalSince1970: 1_764_633_600 + Double(day) * 86_400)
            build.force = force
            try build.run()
            return logger.lines
        }
        _ = try build(output, day: 0)
        let rebuilt = Fixture.temporaryDirectory("incremental-full")
        try FileManager.default.removeItem(at: rebuilt)
        try FileManager.default.copyItem(at: output, to: rebuilt)

        // One published table changes: a revised value.
        let table = input.appendingPathComponent("quantitative/published/workforce.csv")
        let text = try String(contentsOf: table, encoding: .utf8)
        try #require(text.contains("supervision_coverage_share,cy2019,S92000003,total,74.0,"))
        try text.replacingOccurrences(of: "supervision_coverage_share,cy2019,S92000003,total,74.0,", with: "supervision_coverage_share,cy2019,S92000003,total,75.5,")
            .write(to: table, atomically: true, encoding: .utf8)
        let incremental = try build(output, day: 1)
        #expect(incremental.contains { $0.contains("for child_level, experiential, qualitative: taken from it; reading published_tables again") }, "\(incremental.prefix(5))")
        // Extract's count is its own rejections (the date); transform's repeat is carried with them.
        #expect(incremental.contains { $0.contains("3 files unchanged since release") && $0.contains("1 rejections taken from it") }, "\(incremental.filter { $0.contains("unchanged") })")
        #expect(incremental.contains { $0.contains("snapshot_placement") && $0.contains("taken from release") })
        let full = try build(rebuilt, day: 1, force: true)
        #expect(!full.contains { $0.contains("taken from") })

        // The public outputs are the same files, byte for byte; the restricted store has the same rows.
        let (a, b) = (try Self.publicDigests(output), try Self.publicDigests(rebuilt))
        #expect(a.count > 300 && a.keys.sorted() == b.keys.sorted())
        #expect(a.keys.filter { a[$0] != b[$0] }.isEmpty, "files that differ: \(a.keys.filter { a[$0] != b[$0] }.sorted().prefix(10))")
        #expect(try String(contentsOf: output.appendingPathComponent("public/markdown/data-quality.md"), encoding: .utf8).contains("minutes.docx"))
        // The data-quality page names the rule of every rejected row (moved here from RobustnessTests.badPlacements).
        let quality = try String(contentsOf: output.appendingPathComponent("public/site/data-quality.html"), encoding: .utf8)
        #expect(quality.contains("invalid_date") && quality.contains("duplicate_id"))
        // A new vintage of a period already published is held for a revision release (the revisions policy).
        let revised = try String(contentsOf: output.appendingPathComponent("public/data/pages/changes.csv"), encoding: .utf8)
        #expect(!revised.contains("workforce-supervision,cy2019,S92000003"))
        let held = try DatabaseQueue(path: output.appendingPathComponent("promise.sqlite").path).read { db in
            try String.fetchAll(db, sql: "SELECT indicator_id || ',' || period_id || ',' || geography_code || ',' || stream FROM held_revision")
        }
        #expect(held.contains("workforce-supervision,cy2019,S92000003,published tables"), "\(held)")
        func rows(_ output: URL, _ sql: String) throws -> [[String]] {
            try DatabaseQueue(path: output.appendingPathComponent("promise.sqlite").path).read { db in
                try Row.fetchAll(db, sql: sql).map { row in row.databaseValues.map(\.description) }
            }
        }
        for sql in ["SELECT * FROM child ORDER BY child_id", "SELECT * FROM snapshot_placement ORDER BY 1, 2, 3, 4",
                    "SELECT stage, source_file, source_line, rule, reason, record FROM rejected_row ORDER BY 2, 3, 4",
                    "SELECT * FROM run_input WHERE run_id = (SELECT MAX(run_id) FROM run) ORDER BY source_file",
                    "SELECT * FROM indicator_value ORDER BY 1, 2, 3, 4, 5", "SELECT * FROM published_indicator_value ORDER BY 1, 2, 3, 4, 5"] {
            let (x, y) = (try rows(output, sql), try rows(rebuilt, sql))
            #expect(!x.isEmpty && x == y, "\(sql): \(x.count) rows against \(y.count)")
        }
        // A published store an analyst changed (a table of their own, rows deleted) is not taken from:
        // the next build reads every stream, and says why.
        try DatabaseQueue(path: output.appendingPathComponent("promise.sqlite").path).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "CREATE TABLE my_notes (note TEXT)")
            try db.execute(sql: "DELETE FROM child WHERE child_id = 'C0000002'")
        }
        try text.replacingOccurrences(of: "supervision_coverage_share,cy2019,S92000003,total,74.0,", with: "supervision_coverage_share,cy2019,S92000003,total,76.0,")
            .write(to: table, atomically: true, encoding: .utf8)
        let afterTampering = try build(output, day: 2)
        #expect(afterTampering.contains { $0.contains("is not the file that was published") } && !afterTampering.contains { $0.contains("unchanged since release") })
        #expect(try rows(output, "SELECT COUNT(*) FROM child WHERE child_id = 'C0000002'") == [["1"]])
        // Both kinds of rejection are carried over: extract's (the date) and transform's (the repeat).
        // The restricted store is its owner's and group's only.
        let mode = try FileManager.default.attributesOfItem(atPath: output.appendingPathComponent("promise.sqlite").resolvingSymlinksInPath().path)[.posixPermissions] as? Int
        #expect(mode == 0o640, "mode \(String(mode ?? 0, radix: 8))")
        #expect(try rows(output, "SELECT stage || ' ' || rule FROM rejected_row ORDER BY rule") == [["\"transform duplicate_id\""], ["\"extract invalid_date\""]])
    }

    @Test("SIGTERM (a timeout, a shutdown) stops a build with exit 143, a summary and a run-log line, and leaves no work area; a stage run out of order is a usage error")
    func terminated() throws {
        let output = Fixture.temporaryDirectory("sigterm")
        let build = Process()
        build.executableURL = Self.executable
        build.arguments = ["build", "--log-format", "json", "--output", output.path]
        build.currentDirectoryURL = Fixture.repositoryRoot
        let summary = Pipe()
        build.standardOutput = summary
        build.standardError = FileHandle.nullDevice
        try build.run()
        let work = output.appendingPathComponent(".work/promise.sqlite")
        for _ in 0..<600 where !FileManager.default.fileExists(atPath: work.path) { Thread.sleep(forTimeInterval: 0.05) }
        Thread.sleep(forTimeInterval: 1)
        build.terminate()
        build.waitUntilExit()
        let said = String(decoding: summary.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(build.terminationReason == .exit && build.terminationStatus == 143, "\(build.terminationReason) \(build.terminationStatus)")
        #expect(said.hasPrefix("summary: stopped (signal 15, exit 143) during ") && said.contains("nothing was published"), "\(said)")
        let log = try String(contentsOf: output.appendingPathComponent("run-log.jsonl"), encoding: .utf8).split(separator: "\n")
        let last = try #require(try JSONSerialization.jsonObject(with: Data(log.last!.utf8)) as? [String: Any])
        #expect(last["status"] as? String == "stopped" && last["exit_code"] as? Int == 143 && (last["error"] as? String)?.contains("SIGTERM") == true, "\(last)")
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent(".work").path))
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("current").path))

        // Stages out of order: exit 64 with what to run, whatever the stage; each exit has its
        // run-log line. The stopped run recorded itself, so no later run warns of it again.
        for name in ["transform", "audit", "publish"] {
            let early = try Self.run(["stage", name, "--output", output.path])
            #expect(early.status == ExitStatus.usage.rawValue && early.output.contains("run 'stage extract' first"), "\(name): \(early.status) \(early.output)")
            #expect(!early.errors.contains("was stopped before it finished"), "the stop is said once: \(early.errors)")
            let line = try #require(try Self.runLog(output).last)
            #expect(line["exit_code"] as? Int == 64 && (line["error"] as? String)?.contains("extract") == true, "\(line)")
        }
    }

    @Test("the fingerprint reads through a linked folder (extract does), so a change there is a change, and a loop of links ends")
    func fingerprintThroughLinks() throws {
        let root = Fixture.temporaryDirectory("fingerprint")
        let elsewhere = root.appendingPathComponent("elsewhere"), input = root.appendingPathComponent("input")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: input.appendingPathComponent("quantitative"), withIntermediateDirectories: true)
        try Data("a,b\n1,2\n".utf8).write(to: elsewhere.appendingPathComponent("scra.csv"))
        try FileManager.default.createSymbolicLink(at: input.appendingPathComponent("quantitative/published"), withDestinationURL: elsewhere)
        try FileManager.default.createSymbolicLink(at: elsewhere.appendingPathComponent("loop"), withDestinationURL: input)
        let before = try InputFingerprint.digests(under: input)
        #expect(before.map(\.0).contains("quantitative/published/scra.csv"), "\(before.map(\.0))")
        try Data("a,b\n1,3\n".utf8).write(to: elsewhere.appendingPathComponent("scra.csv"))
        let after = try InputFingerprint.digests(under: input)
        #expect(before.first { $0.0 == "quantitative/published/scra.csv" }?.1 != after.first { $0.0 == "quantitative/published/scra.csv" }?.1)
    }

    @Test("releases are ordered by when they were made, not by name: a fixed SOURCE_DATE_EPOCH or a '-10' suffix cannot make pruning remove the wrong one")
    func releaseOrder() throws {
        let output = Fixture.temporaryDirectory("release-order")
        let releases = Releases(layout: Fixture.layout(output: output))
        func make(_ name: String, sequence: Int?) throws {
            let folder = releases.directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let manifest = ReleaseManifest(runID: name, startedAt: name, finishedAt: name, programVersion: "test", fingerprint: "", inputs: [:],
                                           rowsRead: 0, rowsRejected: 0, countsWithheld: 0, changes: 0, sequence: sequence)
            try JSONEncoder().encode(manifest).write(to: folder.appendingPathComponent("release.json"))
        }
        try make("20240101T000000.000Z-unversioned", sequence: nil)
        try make("20270101T000000.000Z", sequence: 1)
        try make("20250101T000000.000Z-2", sequence: 2)
        try make("20250101T000000.000Z-10", sequence: 3)
        try FileManager.default.createSymbolicLink(atPath: releases.currentLink.path, withDestinationPath: "releases/20250101T000000.000Z-10")
        #expect(releases.all() == ["20240101T000000.000Z-unversioned", "20270101T000000.000Z", "20250101T000000.000Z-2", "20250101T000000.000Z-10"])
        #expect(releases.nextSequence() == 4)
        // Made after the current one but never switched to (a run killed at the switch): removed, once
        // the lock names that run; one an operator rolled back from (no run was stopped) stays.
        try make("20200101T000000.000Z", sequence: 4)
        #expect(releases.removeUnpublished(stoppedRun: nil).isEmpty)
        #expect(releases.removeUnpublished(stoppedRun: "another run").isEmpty)
        #expect(releases.removeUnpublished(stoppedRun: "20200101T000000.000Z") == ["releases/20200101T000000.000Z"])
        let pruned = releases.prune(keep: 2)
        #expect(pruned.removed == ["20240101T000000.000Z-unversioned", "20270101T000000.000Z"] && pruned.failed.isEmpty)
        #expect(releases.all() == ["20250101T000000.000Z-2", "20250101T000000.000Z-10"])
    }

    /// Unwritable even for root: the immutable attribute when running as root, else permissions.
    static func makeUnwritable(_ url: URL) throws {
        if getuid() == 0 {
            try #require(try chattr("+i", url) == 0, "chattr +i failed")
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: url.path)
        }
    }

    static func makeWritable(_ url: URL) {
        if getuid() == 0 {
            _ = try? chattr("-i", url)
        } else {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
    }

    /// Runs chattr with one flag on one path; returns its exit status.
    static func chattr(_ flag: String, _ url: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        process.arguments = [flag, url.path]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test("file-system faults name the path and what to do, with the documented exit status, and change nothing")
    func fileSystemFaults() throws {
        // An output path that is a file.
        let file = Fixture.temporaryDirectory("fault").appendingPathComponent("out")
        try Data("not a folder".utf8).write(to: file)
        let onFile = try Self.run(["build", "--output", file.path])
        #expect(onFile.status == ExitStatus.internalError.rawValue)
        #expect(onFile.errors.contains(file.path) && onFile.errors.contains("wrong kind"), "\(onFile.errors)")
        #expect(try Data(contentsOf: file) == Data("not a folder".utf8))

        // An output folder that cannot be written.
        let locked = Fixture.temporaryDirectory("fault-locked")
        try Self.makeUnwritable(locked)
        defer { Self.makeWritable(locked) }
        let unwritable = try Self.run(["build", "--output", locked.path])
        Self.makeWritable(locked)
        #expect(unwritable.status == ExitStatus.internalError.rawValue)
        #expect(unwritable.errors.contains(locked.path) && unwritable.errors.contains("access"), "\(unwritable.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: locked.path).isEmpty)

        // An input that cannot be read: a folder where a file should be.
        let input = try Fixture.copyOfInputs()
        let children = input.appendingPathComponent("quantitative/children.csv")
        try FileManager.default.removeItem(at: children)
        try FileManager.default.createDirectory(at: children, withIntermediateDirectories: false)
        let output = Fixture.temporaryDirectory("fault-input")
        let unreadable = try Self.run(["build", "--input", input.path, "--output", output.path])
        #expect(unreadable.status == ExitStatus.internalError.rawValue, "a path of the wrong kind is exit 1: \(unreadable.errors)")
        #expect(unreadable.errors.contains("children.csv") && !unreadable.errors.contains("NSCocoaErrorDomain") && !unreadable.errors.contains("Error Domain"), "\(unreadable.errors)")
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent(".work").path), "the work area is cleaned up after a failure")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("last-failure/report.txt").path))
        #expect(unreadable.output.hasPrefix("summary: failed (error) (exit 1)") && unreadable.output.contains("a folder, not a file"), "\(unreadable.output)")
    }
}
