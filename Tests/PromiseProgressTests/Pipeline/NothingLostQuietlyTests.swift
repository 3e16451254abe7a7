import Foundation
import GRDB
import Testing
@testable import PromiseProgress

/// Input that is well-formed but incomplete, missing or of the wrong kind must never publish
/// quietly: the completeness guard, path kinds, bounded messages, one identity per child, seen
/// rejections and restricted identifiers.
@Suite("Nothing lost quietly", .removesTemporaryFiles)
struct NothingLostQuietlyTests {
    /// A copy of the embedded inputs (every stream) that a test may cut or delete from.
    static func copyOfEmbeddedInputs(_ name: String) throws -> URL {
        try Fixture.copy(of: Fixture.repositoryRoot.appendingPathComponent("Data"), name: name)
    }

    /// Runs a build and returns how it failed, as an operator reads it.
    static func failure(of build: Build) -> OperatorError? {
        var failure: OperatorError?
        do { try build.run { failure = $0 } } catch {}
        return failure
    }

    /// Keeps the first `share` of a file's lines, cut at a line break.
    static func cut(_ file: URL, keeping share: Double) throws -> (before: Int, after: Int) {
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let kept = lines.prefix(Int(Double(lines.count) * share))
        try (kept.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        return (lines.count - 1, kept.count - 1)
    }

    /// Rows of `file` (relative to the input folder) that the published release in `output` loaded.
    static func publishedRowsLoaded(_ output: URL, file: String) throws -> Int {
        try DatabaseQueue(path: output.appendingPathComponent("promise.sqlite").path).read { db in
            try Int.fetchOne(db, sql: """
                SELECT rows_loaded FROM run_input WHERE run_id = (SELECT run_id FROM run WHERE status = 'succeeded' ORDER BY started_at DESC LIMIT 1)
                AND source_file LIKE ?
                """, arguments: ["%/" + file]) ?? -1
        }
    }

    @Test("a cut under the limit publishes, a second cut that adds up past it is refused (exit 5) against the larger release, naming both counts; --accept-drop publishes and records it")
    func cutExport() throws {
        let output = try Fixture.copyOfDefaultBuild("cut")
        let original = try Self.publishedRowsLoaded(output, file: "quantitative/placements.csv")
        let firstRelease = try #require(Releases(layout: Fixture.layout(output: output)).current())
        let input = try Self.copyOfEmbeddedInputs("cut-input")
        let file = input.appendingPathComponent("quantitative/placements.csv")
        let layout = Fixture.layout(output: output, input: input)

        // Night 1: 4% fewer lines, under the 5% limit: published, and the first release pruned
        // (--keep-releases 1): its count must live on in the new release's input_high_water.
        _ = try Self.cut(file, keeping: 0.96)
        var night1 = Build(layout: layout, logger: MemoryLogger())
        night1.keepReleases = 1
        #expect(try night1.run().status == .published)
        #expect(Releases(layout: layout).all().contains(firstRelease) == false, "the first release was pruned")
        let highWater = try JSONDecoder().decode(ReleaseManifest.self, from: Data(contentsOf: output.appendingPathComponent("current/release.json"))).inputHighWater
        #expect(highWater?["quantitative/placements.csv"]?.rowsLoaded == original && highWater?["quantitative/placements.csv"]?.release == firstRelease,
                "\(String(describing: highWater?["quantitative/placements.csv"]))")
        let afterFirstCut = try Self.publishedRowsLoaded(output, file: "quantitative/placements.csv")
        #expect(afterFirstCut < original && Double(original - afterFirstCut) <= 0.05 * Double(original))

        // Night 2: another 4% and some more: under 5% against night 1, but not against the pruned release before it.
        _ = try Self.cut(file, keeping: 0.96)
        let good = try OperationsTests.published(output)
        let refused = try #require(Self.failure(of: Build(layout: layout, logger: MemoryLogger())))
        #expect(refused.status == .inputRejected)
        #expect(refused.description.contains("quantitative/placements.csv: ") && refused.description.contains(" rows loaded now, \(Formatting.count(original)) in release \(firstRelease) (down"),
                "compared with the largest kept release: \(refused.description)")
        #expect(refused.description.contains("--max-row-drop") && refused.description.contains("--accept-drop"))
        #expect(try OperationsTests.published(output) == good, "the last release stays as it was")
        #expect(try OperationsTests.runLog(output).last?["exit_code"] as? Int == 5)

        let logger = MemoryLogger()
        var accepted = Build(layout: layout, logger: logger)
        accepted.completeness = CompletenessGuard(accepted: ["quantitative/placements.csv", "no-such-file.csv"])
        let outcome = try accepted.run()
        #expect(outcome.status == .published)
        #expect(logger.lines.contains { $0.contains("--accept-drop no-such-file.csv matched no drop") }, "an --accept-drop that matched nothing is said")
        #expect(outcome.alerts.contains { $0.hasPrefix("completeness guard: accepted with --accept-drop quantitative/placements.csv") },
                "the drop accepted is an alert the nightly job mails: \(outcome.alerts)")
        let manifest = try JSONDecoder().decode(ReleaseManifest.self, from: Data(contentsOf: output.appendingPathComponent("current/release.json")))
        #expect(manifest.acceptedDrops?.count == 1 && manifest.acceptedDrops?.first?.contains("placements.csv") == true, "\(String(describing: manifest.acceptedDrops))")
        #expect(manifest.acceptedInputs == ["quantitative/placements.csv"], "\(String(describing: manifest.acceptedInputs))")
        let line = try #require(try OperationsTests.runLog(output).last)
        #expect((line["accepted_drops"] as? [String])?.first?.contains("accepted with --accept-drop quantitative/placements.csv") == true, "\(line)")
        // From the release that accepted it, earlier releases no longer count for that file.
        var again = Build(layout: layout, logger: MemoryLogger())
        again.force = true
        #expect(try again.run().status == .published)
    }

    @Test("a deleted stream folder, or one published table, is refused naming what the release read from it")
    func missingStream() throws {
        let output = try Fixture.copyOfDefaultBuild("missing")
        let good = try OperationsTests.published(output)
        let input = try Self.copyOfEmbeddedInputs("missing-input")
        try FileManager.default.removeItem(at: input.appendingPathComponent("experiential"))
        let published = try FileManager.default.contentsOfDirectory(atPath: input.appendingPathComponent("quantitative/published").path).sorted()
        try FileManager.default.removeItem(at: input.appendingPathComponent("quantitative/published/\(published[0])"))
        // Documents emptied to stubs: as many documents as before, but most of their text gone.
        let documents = input.appendingPathComponent("qualitative/documents")
        for name in try FileManager.default.contentsOfDirectory(atPath: documents.path) {
            let text = try String(contentsOf: documents.appendingPathComponent(name), encoding: .utf8)
            try String(text.prefix(200)).write(to: documents.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let refused = try #require(Self.failure(of: Build(layout: Fixture.layout(output: output, input: input), logger: MemoryLogger())))
        #expect(refused.status == .inputRejected)
        #expect(refused.description.contains("experiential/responses.csv: not found now") && refused.description.contains("stream experiential"), "\(refused.description)")
        #expect(refused.description.contains("quantitative/published/\(published[0]): not found now"), "\(refused.description)")
        #expect(refused.description.contains("qualitative/documents/: ") && refused.description.contains("bytes of text now"), "\(refused.description)")
        #expect(try OperationsTests.published(output) == good)
        let lastLine = try String(contentsOf: output.appendingPathComponent("run-log.jsonl"), encoding: .utf8).split(separator: "\n").last!
        #expect(lastLine.utf8.count <= 1_000, "a long refusal still makes a short run-log line: \(lastLine.utf8.count) bytes")
        // check says the same before any build, and writes nothing.
        let report = try Check(layout: Fixture.layout(output: output, input: input)).run(logger: MemoryLogger())
        #expect(!report.passed && report.problems.contains { $0.description.contains("completeness guard: ") && $0.description.contains("experiential/responses.csv: not found now") },
                "\(report.problems)")
        #expect(try OperationsTests.published(output) == good)

        // The guard's matching of --accept-drop: a stream id, a folder, a path shown in messages, all.
        let unit = CompletenessGuard.Unit(path: "experiential/responses.csv", isDocumentFolder: false, rowsRead: 10)
        for given in ["experiential", "experiential/", "Data/experiential/responses.csv", "responses.csv", "all"] {
            #expect(CompletenessGuard(accepted: [given]).acceptance(of: unit) == given, "\(given)")
        }
        #expect(CompletenessGuard(accepted: ["quantitative", "comments.csv"]).acceptance(of: unit) == nil)
        // A document named inside its folder accepts the folder, which the guard judges as a whole.
        let folder = CompletenessGuard.Unit(path: "qualitative/documents", isDocumentFolder: true, rowsRead: 6)
        for given in ["qualitative/documents/plan.md", "Data/qualitative/documents/plan.md", "qualitative/documents", "qualitative"] {
            #expect(CompletenessGuard(accepted: [given]).acceptance(of: folder) == given, "\(given)")
        }
        #expect(CompletenessGuard(accepted: ["plan.md", "qualitative/commitments.csv"]).acceptance(of: folder) == nil)
    }

    @Test("a document replaced by another of like size, or cut while another grows, is refused by name; the new one is warned of")
    func documentsComparedOneByOne() throws {
        let output = try Fixture.copyOfDefaultBuild("documents-one-by-one")
        let good = try OperationsTests.published(output)
        let input = try Self.copyOfEmbeddedInputs("documents-one-by-one-input")
        let documents = input.appendingPathComponent("qualitative/documents")
        // The folder keeps its count of documents and (near enough) its bytes.
        let gone = documents.appendingPathComponent("family-support-briefing.md")
        let text = try String(contentsOf: gone, encoding: .utf8)
        try FileManager.default.removeItem(at: gone)
        try text.replacingOccurrences(of: "family", with: "kinship").write(to: documents.appendingPathComponent("kinship-briefing.md"), atomically: true, encoding: .utf8)
        let cut = documents.appendingPathComponent("sibling-guidance-newsletter.txt")
        let cutText = try String(contentsOf: cut, encoding: .utf8)
        try String(cutText.prefix(cutText.count / 2)).write(to: cut, atomically: true, encoding: .utf8)
        // A document emptied to a stub and padded with spaces to its old size: its bytes hold, its statements do not.
        let padded = documents.appendingPathComponent("2024-progress-update.md")
        let original = try Data(contentsOf: padded)
        let progress = String(decoding: original, as: UTF8.self)
        let frontMatterEnd = try #require(progress.range(of: "\n---\n", range: progress.index(after: progress.startIndex)..<progress.endIndex)).upperBound
        var stub = String(progress[..<frontMatterEnd]) + "# Progress update\n\nThis page has moved.\n"
        stub += String(repeating: " ", count: max(0, original.count - stub.utf8.count))
        try stub.write(to: padded, atomically: true, encoding: .utf8)
        // A document replaced by one line of boilerplate repeated to its old size: more "statements", few distinct.
        let furniture = documents.appendingPathComponent("workforce-supervision-report.md")
        let size = try Data(contentsOf: furniture).count
        try Data(String(repeating: "Page 1 of 1. This page is intentionally left blank.\n", count: size / 40 + 1).utf8.prefix(size)).write(to: furniture)
        let grown = documents.appendingPathComponent("voice-and-participation.md")
        try (try String(contentsOf: grown, encoding: .utf8) + "\n" + String(cutText.suffix(cutText.count / 2))).write(to: grown, atomically: true, encoding: .utf8)
        let logger = MemoryLogger()
        let refused = try #require(Self.failure(of: Build(layout: Fixture.layout(output: output, input: input), logger: logger)))
        #expect(refused.status == .inputRejected, "\(refused)")
        #expect(refused.description.contains("qualitative/documents/family-support-briefing.md: document not found now"), "\(refused.description)")
        #expect(refused.description.contains("qualitative/documents/sibling-guidance-newsletter.txt: ") && refused.description.contains("the document was cut or emptied"), "\(refused.description)")
        #expect(refused.description.contains("qualitative/documents/2024-progress-update.md: ") && refused.description.contains("rows read from it now"), "\(refused.description)")
        #expect(refused.description.contains("qualitative/documents/workforce-supervision-report.md: "), "boilerplate repeated to its size: \(refused.description)")
        #expect(!refused.description.contains("voice-and-participation.md"), "a document that grew is not a drop: \(refused.description)")
        #expect(!refused.description.contains("qualitative/documents/: "), "the folder as a whole did not drop: \(refused.description)")
        #expect(logger.lines.contains { $0.contains("qualitative/documents/kinship-briefing.md: document read for the first time") }, "\(logger.lines)")
        #expect(try OperationsTests.published(output) == good)

        // Accepting one document by name accepts that document only: the others are still refused.
        var one = Build(layout: Fixture.layout(output: output, input: input), logger: MemoryLogger())
        one.completeness = CompletenessGuard(accepted: ["Data/qualitative/documents/family-support-briefing.md"])
        let still = try #require(Self.failure(of: one))
        #expect(still.status == .inputRejected && !still.description.contains("family-support-briefing.md")
                && still.description.contains("sibling-guidance-newsletter.txt") && still.description.contains("2024-progress-update.md"), "\(still.description)")
        #expect(CompletenessGuard(accepted: ["qualitative/documents/a.md"]).documentNamed(by: "Data/qualitative/documents/a.md", in: .init(path: "qualitative/documents", isDocumentFolder: true)) == "qualitative/documents/a.md")
        #expect(try OperationsTests.published(output) == good)
    }

    @Test("a published store changed after publishing cannot lower the guard's baseline: a 30% cut is refused against release.json's counts")
    func changedStoreIsNoBaseline() throws {
        let output = try Fixture.copyOfDefaultBuild("changed-store")
        let releases = Releases(layout: Fixture.layout(output: output))
        let release = try #require(releases.current())
        #expect(releases.manifest(of: release)?.inputHighWater?["quantitative/placements.csv"]?.rowsLoaded ?? 0 > 0, "the first release carries its own counts")
        // What a flipped bit in run_input's page did in an outside attack: fewer rows recorded, quick_check still "ok".
        try DatabaseQueue(path: releases.directory.appendingPathComponent("\(release)/promise.sqlite").path).write { db in
            try db.execute(sql: "UPDATE run_input SET rows_loaded = rows_loaded / 2 WHERE source_file LIKE '%/placements.csv'")
        }
        let good = try OperationsTests.published(output)
        let input = try Self.copyOfEmbeddedInputs("changed-store-input")
        let placements = input.appendingPathComponent("quantitative/placements.csv")
        let lines = try String(contentsOf: placements, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        try (lines.prefix(lines.count * 7 / 10).joined(separator: "\n") + "\n").write(to: placements, atomically: true, encoding: .utf8)
        // A document emptied and padded back to its size: release.json carries each document's counts too.
        let progress = input.appendingPathComponent("qualitative/documents/2024-progress-update.md")
        let length = try Data(contentsOf: progress).count
        try ("Draft." + String(repeating: " ", count: length - 6)).write(to: progress, atomically: true, encoding: .utf8)
        let refused = try #require(Self.failure(of: Build(layout: Fixture.layout(output: output, input: input), logger: MemoryLogger())))
        #expect(refused.status == .inputRejected && refused.description.contains("quantitative/placements.csv: "), "\(refused.description)")
        #expect(refused.description.contains("qualitative/documents/2024-progress-update.md: "), "\(refused.description)")
        #expect(try OperationsTests.published(output) == good)
    }

    @Test("with releases kept but out/current gone, pointing nowhere, or its release.json or store missing, a build refuses (exit 1) saying how to fix it, and publishes nothing")
    func publishedStateUnreadable() throws {
        for fault in ["no link", "dangling", "no record", "no store"] {
            let output = try Fixture.copyOfDefaultBuild("state-\(fault.replacingOccurrences(of: " ", with: "-"))")
            let releases = Releases(layout: Fixture.layout(output: output))
            let release = try #require(releases.current())
            let folder = releases.directory.appendingPathComponent(release)
            switch fault {
            case "no link": try FileManager.default.removeItem(at: releases.currentLink)
            case "dangling":
                try FileManager.default.removeItem(at: releases.currentLink)
                try FileManager.default.createSymbolicLink(atPath: releases.currentLink.path, withDestinationPath: "releases/gone")
            case "no record": try FileManager.default.removeItem(at: folder.appendingPathComponent("release.json"))
            default: try FileManager.default.removeItem(at: folder.appendingPathComponent("promise.sqlite"))
            }
            let before = try Fixture.files(under: releases.directory).map(\.path).sorted()
            let failure = try #require(Self.failure(of: Build(layout: Fixture.layout(output: output, input: Fixture.copyOfSmallInputs()), logger: MemoryLogger())), "\(fault)")
            #expect(failure.status == .internalError, "\(fault): \(failure)")
            let expected = ["no link": "current is missing", "dangling": "points at releases/gone, which is not a release",
                            "no record": "release.json of the published release is missing", "no store": "promise.sqlite of the published release is missing"][fault]!
            #expect(failure.description.contains(expected) && failure.description.contains("run again"), "\(fault): \(failure.description)")
            if fault == "no link" || fault == "dangling" {
                #expect(failure.description.contains("ln -sfn releases/\(release)"), "\(fault): names the fix")
            }
            #expect(try Fixture.files(under: releases.directory).map(\.path).sorted() == before, "\(fault): no release was made")
            #expect(try OperationsTests.runLog(output).last?["exit_code"] as? Int == 1, "\(fault)")
            if ["public a real folder", "page edited", "store page overwritten"].contains(fault) {
                // check says what build would refuse, and writes nothing.
                let report = try Check(layout: Fixture.layout(output: output, input: Fixture.copyOfSmallInputs())).run(logger: MemoryLogger())
                #expect(report.problems.contains { $0.description.contains(expected) }, "\(fault): check found \(report.problems)")
            }
        }
        // Only releases are releases: a file or a folder of something else in releases/ is not pruned.
        let tidy = try Fixture.copyOfDefaultBuild("not-a-release")
        let tidyReleases = Releases(layout: Fixture.layout(output: tidy))
        try Data("notes\n".utf8).write(to: tidyReleases.directory.appendingPathComponent("notes.txt"))
        try FileManager.default.createDirectory(at: tidyReleases.directory.appendingPathComponent("zz-scratch"), withIntermediateDirectories: false)
        #expect(tidyReleases.all() == [try #require(tidyReleases.current())])
        #expect(tidyReleases.prune(keep: 1).removed.isEmpty && FileManager.default.fileExists(atPath: tidyReleases.directory.appendingPathComponent("notes.txt").path))
    }

    @Test("releases/ emptied while the run log names a published release, or a store overwritten, is refused (exit 1); a store that lost its record of inputs is refused (exit 5) until --accept-drop all")
    func publishedStateGone() throws {
        // Each fault, and what the refusal must say.
        let faults: [(String, String)] = [
            ("releases emptied", "releases holds no release: the published release is gone"),
            ("store overwritten", "is not an SQLite database"),
            ("releases a file", "releases is not a folder"),
            // current removed and a real folder where the public link was: not adopted as a release.
            ("public a real folder", "public is a real folder, not the link to the published release"),
            // Everything gone but the stable links, which only a published release leaves.
            ("only dangling links left", "promise.sqlite is a link to"),
            // The run log's only lines naming the release are runs that found nothing to do.
            ("log says nothing to do", "as published, but"),
            ("store truncated", "is truncated"),
            ("store page overwritten", "promise.sqlite of the published release is damaged"),
            ("public file truncated", "promise-public.sqlite of the published release is truncated"),
            // A valid SQLite file, empty, in place of the open data; and a page edited.
            ("public file replaced", "public of the published release is not what was published"),
            ("page edited", "public of the published release is not what was published"),
            ("releases a link", "releases is a symbolic link"),
            ("current a real folder", "current is a real folder, not the link to the published release"),
            ("store journal", "promise.sqlite-journal beside it"),
        ]
        for (fault, expected) in faults {
            let output = try Fixture.copyOfDefaultBuild("gone-\(fault.replacingOccurrences(of: " ", with: "-"))")
            let releases = Releases(layout: Fixture.layout(output: output))
            let release = try #require(releases.current())
            let folder = releases.directory.appendingPathComponent(release)
            let runLog = output.appendingPathComponent("run-log.jsonl")
            func emptyReleases() throws {
                try FileManager.default.removeItem(at: releases.directory)
                try FileManager.default.createDirectory(at: releases.directory, withIntermediateDirectories: false)
                try FileManager.default.removeItem(at: releases.currentLink)
            }
            func cutInHalf(_ part: String) throws {
                let url = folder.appendingPathComponent(part)
                let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
                #expect(truncate(url.path, off_t(size / 2)) == 0)
            }
            switch fault {
            case "releases emptied": try emptyReleases()
            case "releases a file":
                try FileManager.default.removeItem(at: releases.directory)
                try Data("not a folder\n".utf8).write(to: releases.directory)
            case "store overwritten": try Data("not a database\n".utf8).write(to: folder.appendingPathComponent("promise.sqlite"))
            case "public a real folder":
                try FileManager.default.removeItem(at: releases.currentLink)
                try FileManager.default.removeItem(at: output.appendingPathComponent("public"))
                try FileManager.default.copyItem(at: folder.appendingPathComponent("public"), to: output.appendingPathComponent("public"))
            case "only dangling links left":
                try emptyReleases()
                try FileManager.default.removeItem(at: runLog)
            case "log says nothing to do":
                try emptyReleases()
                try FileManager.default.removeItem(at: output.appendingPathComponent("public"))
                try FileManager.default.removeItem(at: output.appendingPathComponent("promise.sqlite"))
                let lines = try String(contentsOf: runLog, encoding: .utf8).replacingOccurrences(of: "\"succeeded\"", with: "\"nothing_to_do\"")
                try lines.write(to: runLog, atomically: true, encoding: .utf8)
            case "public file replaced":
                let open = folder.appendingPathComponent("public/data/promise-public.sqlite")
                try FileManager.default.removeItem(at: open)
                try DatabaseQueue(path: open.path).write { try $0.execute(sql: "CREATE TABLE t (x)") }
            case "page edited":
                try "<p>Nothing to see</p>\n".write(to: folder.appendingPathComponent("public/site/index.html"), atomically: true, encoding: .utf8)
            case "releases a link":
                try FileManager.default.moveItem(at: releases.directory, to: output.appendingPathComponent("elsewhere"))
                try FileManager.default.createSymbolicLink(atPath: releases.directory.path, withDestinationPath: "elsewhere")
            case "current a real folder":
                try FileManager.default.removeItem(at: releases.currentLink)
                try FileManager.default.createDirectory(at: releases.currentLink, withIntermediateDirectories: false)
            case "store journal":
                try Data("stray".utf8).write(to: folder.appendingPathComponent("promise.sqlite-journal"))
            case "store truncated": try cutInHalf("promise.sqlite")
            case "public file truncated": try cutInHalf("public/data/promise-public.sqlite")
            default:
                // One page in the middle of the store overwritten with other bytes; the header is intact.
                let handle = try FileHandle(forWritingTo: folder.appendingPathComponent("promise.sqlite"))
                let size = try handle.seekToEnd()
                try handle.seek(toOffset: (size / 2) & ~4095)
                try handle.write(contentsOf: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 13) }))
                try handle.close()
            }
            let failure = try #require(Self.failure(of: Build(layout: Fixture.layout(output: output, input: Fixture.copyOfSmallInputs()), logger: MemoryLogger())), "\(fault)")
            #expect(failure.status == .internalError, "\(fault): \(failure)")
            #expect(failure.description.contains(expected) && failure.description.lowercased().contains("nothing was published"), "\(fault): \(failure.description)")
            let kept = ["releases emptied", "releases a file", "only dangling links left", "log says nothing to do"].contains(fault) ? [] : [release]
            #expect(releases.all() == kept, "\(fault): nothing was published")
            #expect(try OperationsTests.runLog(output).last?["exit_code"] as? Int == 1, "\(fault)")
        }

        // The store keeps its header but lost run_input's rows for one file its release.json lists.
        let output = try Fixture.copyOfDefaultBuild("gone-run-input")
        let releases = Releases(layout: Fixture.layout(output: output))
        let release = try #require(releases.current())
        try DatabaseQueue(path: releases.directory.appendingPathComponent("\(release)/promise.sqlite").path).write { db in
            try db.execute(sql: "DELETE FROM run_input WHERE source_file LIKE '%/placements.csv'")
        }
        // The store is not the file published (its SHA-256 says so): the guard compares with the
        // counts release.json carries instead, so small inputs are still refused, placements.csv included.
        let layout = Fixture.layout(output: output, input: try Fixture.copyOfSmallInputs())
        let logger = MemoryLogger()
        let refused = try #require(Self.failure(of: Build(layout: layout, logger: logger)))
        #expect(refused.status == .inputRejected, "\(refused)")
        #expect(refused.description.contains("placements.csv: ") && refused.description.contains("in release \(release)"), "\(refused.description)")
        #expect(logger.lines.contains { $0.contains("was changed after publishing") && $0.contains("counts release.json carries") }, "\(logger.lines)")
        #expect(releases.current() == release, "nothing was published")
        var afresh = Build(layout: layout, logger: MemoryLogger())
        afresh.completeness = CompletenessGuard(accepted: [CompletenessGuard.acceptAll])
        afresh.force = true
        #expect(try afresh.run().status == .published)
    }

    @Test("a run log or lock in the output folder that is a link or a FIFO is refused at once (exit 1); the link's target is untouched")
    func outputFilesNeverFollowed() throws {
        for (file, kind) in [("run-log.jsonl", "link"), (".lock", "link"), ("run-log.jsonl", "fifo"), (".lock", "fifo"), ("run-log.jsonl", "hard link"), (".lock", "hard link")] {
            let output = Fixture.temporaryDirectory("out-\(kind)\(file)")
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            let victim = output.appendingPathComponent("victim.txt")
            try "keep me\n".write(to: victim, atomically: true, encoding: .utf8)
            try FileOperation.setMode(0o600, victim)
            let path = output.appendingPathComponent(file)
            if kind == "link" {
                try FileManager.default.createSymbolicLink(atPath: path.path, withDestinationPath: "victim.txt")
            } else if kind == "hard link" {
                try FileManager.default.linkItem(at: victim, to: path)
            } else {
                #expect(mkfifo(path.path, 0o600) == 0)
            }
            let started = Date()
            let failure = try #require(Self.failure(of: Build(layout: Fixture.layout(output: output, input: Fixture.copyOfSmallInputs()), logger: MemoryLogger())), "\(file) \(kind)")
            #expect(Date().timeIntervalSince(started) < 5, "\(file) \(kind): refused at once")
            #expect(failure.status == .internalError && failure.description.contains(file), "\(file) \(kind): \(failure)")
            #expect(try String(contentsOf: victim, encoding: .utf8) == "keep me\n", "\(file) \(kind): the target is not written")
            #expect((try FileManager.default.attributesOfItem(atPath: victim.path)[.posixPermissions] as? Int) == 0o600, "\(file) \(kind): nor chmodded")
            #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("current").path), "\(file) \(kind): nothing published")
        }
        // A stage checks the run log as build does, before it runs.
        let output = Fixture.temporaryDirectory("stage-run-log-link")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try "keep me\n".write(to: output.appendingPathComponent("victim.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: output.appendingPathComponent("run-log.jsonl").path, withDestinationPath: "victim.txt")
        let stage = try OperationsTests.run(["stage", "extract", "--output", output.path, "--input", Fixture.copyOfSmallInputs().path])
        #expect(stage.status == ExitStatus.internalError.rawValue && stage.errors.contains("run-log.jsonl"), "\(stage.status) \(stage.errors)")
        #expect(try String(contentsOf: output.appendingPathComponent("victim.txt"), encoding: .utf8) == "keep me\n")

        // A lock left by a killed run, with an enormous run id: the line that records it stays bounded.
        let killed = Fixture.temporaryDirectory("huge-holder")
        try FileManager.default.createDirectory(at: killed, withIntermediateDirectories: true)
        let huge = String(repeating: "r", count: 5_000)
        let holder = ["run_id": huge, "pid": 999_999, "started_at": String(repeating: "t", count: 5_000), "command": "build"] as [String: Any]
        try JSONSerialization.data(withJSONObject: holder).write(to: killed.appendingPathComponent(".lock"))
        let small = try Fixture.copyOfSmallInputs()
        _ = Self.failure(of: Build(layout: Fixture.layout(output: killed, input: small), logger: MemoryLogger()))
        let lines = try String(contentsOf: killed.appendingPathComponent("run-log.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.utf8.count <= 1_000 }, "\(lines.map(\.utf8.count))")
    }

    @Test("a CSV that lost its header names the missing columns and the length of line 1's values, never the values")
    func headerLost() throws {
        let input = try Fixture.copyOfSmallInputs()
        let file = input.appendingPathComponent("quantitative/children.csv")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        let firstRow = String(lines[1])
        try (lines.dropFirst().joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        do {
            try Fixture.loadStages(input: input, name: "header-lost")
            Issue.record("a file without its header was read")
        } catch {
            let message = "\(error)"
            #expect(message.contains("missing column") && message.contains("the header may be missing"), "\(message)")
            for value in firstRow.split(separator: ",") where value.contains(where: \.isNumber) {
                #expect(!message.contains(value), "line 1's value \(value) is not repeated: \(message)")
            }
        }
        #expect(Bounded.message(String(repeating: "1\u{301}", count: 1) + String(repeating: "\u{301}", count: 60_000), limit: 800).utf8.count < 900,
                "one enormous character is cut by bytes")
    }

    @Test("a header lost from a file of children's words, or replaced by repeated letters-only values, quotes no value of line 1")
    func headerLostLettersOnly() throws {
        // Line 1 becomes a comment made only of letters and spaces, a letters-only respondent id and a
        // code: every one a value, none a column name.
        let cases: [(String, String)] = [
            ("experiential/comments.csv", "ylyc_four,Morag Kelly,R-only-letters,q-listened,Nobody asked me before they moved me,yes\n"),
            ("experiential/comments.csv", "Morag Kelly,Morag Kelly,x,y,z,yes\n"),
            ("experiential/comments.csv", "Morag Kelly;Glasgow North;foster carer;yes\n"),
        ]
        for (index, (name, line1)) in cases.enumerated() {
            let input = try Fixture.copyOfSmallInputs()
            let file = input.appendingPathComponent(name)
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            try (line1 + lines.dropFirst().joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
            do {
                try Fixture.loadStages(input: input, name: "header-letters-\(index)")
                Issue.record("case \(index): a file without its header was read")
            } catch {
                let message = "\(error)"
                #expect(message.contains(name), "case \(index): names the file: \(message)")
                for value in ["Morag", "Kelly", "Glasgow", "Nobody asked", "foster carer", "R-only-letters", "ylyc_four", "q-listened"] {
                    #expect(!message.contains(value), "case \(index): line 1's value '\(value)' is not repeated: \(message)")
                }
                if index == 1 { #expect(message.contains("appears twice"), "case \(index): \(message)") }
            }
        }
        #expect(ExtractStage.headerName(" Comment ") == "comment", "a declared column name is quoted")
        #expect(ExtractStage.headerName("Morag Kelly, aged 9.") == "(a value of 20 bytes, not a column name)", "an undeclared one is described by its length alone")
    }

    @Test("a seed cut to its header stops the build naming the file")
    func emptySeed() throws {
        let seeds = try Fixture.copy(of: Fixture.repositoryRoot.appendingPathComponent("seeds"), name: "empty-seed")
        let population = seeds.appendingPathComponent("population.csv")
        let header = try String(contentsOf: population, encoding: .utf8).split(separator: "\n")[0]
        try (header + "\n").write(to: population, atomically: true, encoding: .utf8)
        let queue = try DatabaseQueue()
        try queue.write { db in
            for spec in Schema.reference { try db.execute(sql: spec.createEmptySQL) }
        }
        let problem = try #require(throws: Problem.self) { try queue.write { db in _ = try SeedLoader.load(from: seeds, into: db) } }
        #expect(problem.description.contains("seeds/population.csv") && problem.description.contains("at least one row"), "\(problem)")
    }

    @Test("a link loop, a dangling link, a FIFO and a device fail at once with exit 1 naming the path; the run-log line stays under 1 KB")
    func wrongKinds() throws {
        for kind in ["loop", "dangling", "fifo", "device"] {
            let output = try Fixture.copyOfDefaultBuild("kind-\(kind)")
            let good = try OperationsTests.published(output)
            let input = try Fixture.copyOfSmallInputs()
            let path = input.appendingPathComponent("experiential/invited.csv")
            try FileManager.default.removeItem(at: path)
            switch kind {
            case "loop": try FileManager.default.createSymbolicLink(atPath: path.path, withDestinationPath: "invited.csv")
            case "dangling": try FileManager.default.createSymbolicLink(atPath: path.path, withDestinationPath: "gone.csv")
            case "fifo": #expect(mkfifo(path.path, 0o600) == 0)
            default: try FileManager.default.createSymbolicLink(atPath: path.path, withDestinationPath: "/dev/zero")
            }
            let started = Date()
            let failure = try #require(Self.failure(of: Build(layout: Fixture.layout(output: output, input: input), logger: MemoryLogger())), "\(kind)")
            #expect(Date().timeIntervalSince(started) < 1, "\(kind) failed within a second")
            #expect(failure.status == .internalError, "\(kind): \(failure)")
            #expect(failure.description.contains("experiential/invited.csv: the input is"), "\(kind): \(failure.description)")
            let lines = try String(contentsOf: output.appendingPathComponent("run-log.jsonl"), encoding: .utf8).split(separator: "\n")
            #expect(lines.last!.utf8.count < 1_024, "\(kind): \(lines.last!.utf8.count) bytes")
            #expect(try OperationsTests.published(output) == good, "\(kind)")
        }
        #expect(InputPath.kind(of: URL(fileURLWithPath: "/dev/null")) == .wrongKind("a character device, not a file"))
        #expect(InputPath.kind(of: URL(fileURLWithPath: "/no/such/file")) == .absent)
    }

    @Test("a 20 MB line is rejected as one counted row, and reading goes on with the next line")
    func longLine() throws {
        let input = try Fixture.copyOfSmallInputs()
        let file = input.appendingPathComponent("quantitative/placements.csv")
        var text = try String(contentsOf: file, encoding: .utf8)
        let lines = text.split(separator: "\n").count
        text += String(repeating: "x", count: 20 << 20) + "\n"
        let last = text.split(separator: "\n").dropFirst().first!
        text += last + "\n"   // a repeat of the first row after it: read (and rejected as a duplicate)
        try text.write(to: file, atomically: true, encoding: .utf8)
        let store = try Fixture.loadStages(input: input, name: "long-line")
        try DatabaseQueue(path: store.path).read { db in
            let rejected = try Row.fetchAll(db, sql: "SELECT source_line, rule, reason, length(record) AS n FROM rejected_row WHERE source_file LIKE '%placements.csv' ORDER BY source_line")
            #expect(rejected.count == 2, "\(rejected)")
            #expect(rejected.first?["source_line"] == lines + 1 && rejected.first?["rule"] == "malformed_csv")
            #expect((rejected.first?["reason"] as String?)?.contains("\((20 << 20) + 0) bytes long, over the reader's limit") == true, "\(String(describing: rejected.first))")
            #expect((rejected.first?["n"] as Int?) ?? .max < 1_000, "the record is kept as its first characters")
            #expect(rejected.last?["source_line"] == lines + 2 && rejected.last?["rule"] == "duplicate_id", "the line after it was read")
            let input = try #require(try Row.fetchOne(db, sql: "SELECT lines_read, rows_read, rows_rejected FROM run_input WHERE source_file LIKE '%placements.csv'"))
            #expect(input["lines_read"] == lines + 1 && input["rows_read"] == lines + 1, "every physical line is a row: \(input)")
        }
    }

    @Test("c0000001 against C0000001 is a duplicate naming both lines; across files an id in another case is the same identity, held in upper case; NFD, NFC and full-width ids are not ASCII; documents in NFC and NFD are one")
    func oneIdentity() throws {
        let input = try Fixture.copyOfSmallInputs()
        let file = input.appendingPathComponent("quantitative/children.csv")
        var text = try String(contentsOf: file, encoding: .utf8)
        let lineCount = text.split(separator: "\n").count
        let first = text.split(separator: "\n")[1]
        let id = String(first.split(separator: ",")[0])
        let rest = first.split(separator: ",", omittingEmptySubsequences: false).dropFirst().joined(separator: ",")
        let lower = id.lowercased() == id ? id.uppercased() : id.lowercased()
        for variant in [lower, "Cé001", "Ce\u{301}001", "Ｃ0000001"] { text += "\(variant),\(rest)\n" }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let documents = input.appendingPathComponent("qualitative/documents")
        try "# Un\n\nA first note about the café review.\n".write(to: documents.appendingPathComponent("Caf\u{E9}-review.md"), atomically: true, encoding: .utf8)
        try "# Deux\n\nA second note about the café review.\n".write(to: documents.appendingPathComponent("cafe\u{301}-review.md"), atomically: true, encoding: .utf8)
        // Across files: an episode naming its child in lower case, a commitment updated under its id in lower case.
        let episodes = input.appendingPathComponent("quantitative/episodes.csv")
        var episodeLines = try String(contentsOf: episodes, encoding: .utf8).split(separator: "\n").map(String.init)
        var fields = episodeLines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[1] = fields[1].lowercased()
        episodeLines[1] = fields.joined(separator: ",")
        try (episodeLines.joined(separator: "\n") + "\n").write(to: episodes, atomically: true, encoding: .utf8)
        let commitments = input.appendingPathComponent("qualitative/commitments.csv")
        var commitmentText = try String(contentsOf: commitments, encoding: .utf8)
        var update = commitmentText.split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let commitmentID = update[0]
        update[0] = update[0].lowercased()
        update[update.count - 1] = "2026-01-15"
        commitmentText += update.joined(separator: ",") + "\n"
        try commitmentText.write(to: commitments, atomically: true, encoding: .utf8)

        // One document of eight is rejected: past the rejected-share limit, so no quality gate here.
        let store = try Fixture.loadStages(input: input, name: "identity", qualityGate: false)
        try DatabaseQueue(path: store.path).read { db in
            let rejected = try Row.fetchAll(db, sql: "SELECT source_line, rule, reason FROM rejected_row WHERE source_file LIKE '%children.csv' ORDER BY source_line")
            #expect(rejected.map { $0["source_line"] as Int } == Array(lineCount + 1...lineCount + 4), "\(rejected)")
            #expect(rejected.first?["rule"] == "duplicate_id")
            #expect((rejected.first?["reason"] as String?)?.contains("first given on line 2 as \(id) (the same identity in another letter case)") == true, "\(String(describing: rejected.first))")
            #expect(rejected.dropFirst().allSatisfy { $0["rule"] == "invalid_identifier" }, "\(rejected)")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM child WHERE child_id = ? COLLATE NOCASE", arguments: [id]) == 1)
            // One identity in one spelling in every table: the episode keeps its child, the commitment one id.
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rejected_row WHERE source_file LIKE '%episodes.csv' OR source_file LIKE '%commitments.csv'") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM episode WHERE child_id <> upper(child_id)") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT commitment_id) FROM commitment WHERE commitment_id = ? COLLATE NOCASE", arguments: [commitmentID]) == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM commitment WHERE commitment_id = ? AND updated = '2026-01-15'", arguments: [commitmentID.uppercased()]) == 1)
            let duplicateDocument = try Row.fetchAll(db, sql: "SELECT source_file, rule FROM rejected_row WHERE source_file LIKE '%review.md'")
            #expect(duplicateDocument.count == 1 && duplicateDocument.first?["rule"] == "duplicate_id", "\(duplicateDocument)")
        }
    }

    @Test("report.txt and rejected-rows.csv are 0640 under umask 000 and the report, run log and summary quote no child id; rejections are warned of")
    func identifiersStayRestricted() throws {
        let input = try Fixture.copyOfSmallInputs()
        let file = input.appendingPathComponent("quantitative/children.csv")
        let text = try String(contentsOf: file, encoding: .utf8)
        var rows = text.split(separator: "\n").map(String.init)
        // A fifth of the children repeated: past the rejected-row limit, so the run fails.
        let repeats = rows.dropFirst().prefix(rows.count / 5)
        rows += repeats
        try (rows.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let ids = repeats.map { String($0.split(separator: ",")[0]) }
        let output = Fixture.temporaryDirectory("restricted").appendingPathComponent("out")
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "umask 000; exec \"$0\" build --log-format json --input \"$1\" --output \"$2\"", OperationsTests.executable.path, input.path, output.path]
        shell.currentDirectoryURL = Fixture.repositoryRoot
        let said = Pipe(), logged = Pipe()
        shell.standardOutput = said
        shell.standardError = logged
        try shell.run()
        let errors = logged.fileHandleForReading.readDataToEndOfFile()
        shell.waitUntilExit()
        let summary = String(decoding: said.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(shell.terminationStatus == ExitStatus.inputRejected.rawValue, "\(summary)")
        let report = output.appendingPathComponent("last-failure/report.txt")
        let mode = { (url: URL) in (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? -1 }
        #expect(try mode(report) == 0o640)
        #expect(try mode(output.appendingPathComponent("last-failure/rejected-rows.csv")) == 0o640)
        #expect(try mode(output.appendingPathComponent("run-log.jsonl")) == 0o640)
        #expect(try mode(output.appendingPathComponent("last-failure")) == 0o750)
        let reportText = try String(contentsOf: report, encoding: .utf8)
        #expect(reportText.contains("duplicate_id") && reportText.contains("children.csv"), "\(reportText)")
        let runLog = try String(contentsOf: output.appendingPathComponent("run-log.jsonl"), encoding: .utf8)
        let journal = String(decoding: errors, as: UTF8.self)
        for id in ids.prefix(50) {
            for (name, said) in [("report.txt", reportText), ("run-log.jsonl", runLog), ("summary", summary), ("log", journal)] {
                #expect(!said.contains(id), "\(name) quotes child id \(id)")
            }
        }
        #expect(try String(contentsOf: output.appendingPathComponent("last-failure/rejected-rows.csv"), encoding: .utf8).contains(ids[0]),
                "the ids are kept where they belong, in the restricted rejected-rows.csv")

        // Rejections are said at warning level, per file and rule, without a value.
        let layout = Fixture.layout(output: Fixture.temporaryDirectory("alert"), input: input)
        let context = PipelineContext(layout: layout, logger: MemoryLogger())
        for stage in [ExtractStage(), TransformStage()] as [any PipelineStage] { try Pipeline.run(stage, context: context) }
        let logger = MemoryLogger()
        var build = Build(layout: layout, logger: logger)
        build.alertRejectedShare = 0.5
        #expect(try build.rejectionAlerts(context).isEmpty, "a fifth rejected is under an alert share of a half")
        build.alertRejectedShare = 0.01
        let alerts = try build.rejectionAlerts(context)
        #expect(alerts.count == 1 && alerts[0].contains("children.csv: \(Formatting.count(ids.count)) of") && alerts[0].contains("duplicate_id \(ids.count)"), "\(alerts)")
        #expect(logger.lines.contains { $0.hasPrefix("rejected rows: ") && $0.contains("children.csv") })
        #expect(!alerts[0].contains(ids[0]))
    }

    @Test("the nightly wrapper mails an alert when rows are rejected above the alert share, even though the run published; its log folder is 0750")
    func nightlyAlert() throws {
        let output = try Fixture.copyOfDefaultBuild("nightly-alert")
        let input = try Self.copyOfEmbeddedInputs("nightly-alert-input")
        let comments = input.appendingPathComponent("experiential/comments.csv")
        var text = try String(contentsOf: comments, encoding: .utf8)
        for n in 0..<20 { text += "ylyc_4_7,sw2021,R2021-00001\(n),q47_no_such_question,A comment.,yes\n" }
        try text.write(to: comments, atomically: true, encoding: .utf8)
        let logs = Fixture.temporaryDirectory("nightly-logs").appendingPathComponent("new/nightly.jsonl")
        let nightly = Process()
        nightly.executableURL = Fixture.repositoryRoot.appendingPathComponent("scripts/ops/nightly")
        nightly.arguments = ["--input", input.path, "--output", output.path]
        var environment = ProcessInfo.processInfo.environment
        environment["PROMISE_PROGRESS_BIN"] = OperationsTests.executable.path
        environment["PROMISE_PROGRESS_LOG"] = logs.path
        nightly.environment = environment
        let mail = Pipe()
        nightly.standardOutput = mail
        try nightly.run()
        let mailed = String(decoding: mail.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        nightly.waitUntilExit()
        #expect(nightly.terminationStatus == 0, "\(mailed)")
        #expect(mailed.contains("summary: published release") && mailed.contains("alert: ") && mailed.contains("comments.csv: 20 of"), "\(mailed)")
        #expect(!mailed.contains("R2021-0000"), "no respondent id in the mail")
        let mode = try FileManager.default.attributesOfItem(atPath: logs.deletingLastPathComponent().path)[.posixPermissions] as? Int
        #expect(mode == 0o750)
        let warnings = try String(contentsOf: logs, encoding: .utf8).split(separator: "\n").filter { $0.contains("\"level\":\"warning\"") && $0.contains("rejected rows") }
        #expect(!warnings.isEmpty, "a warning-level event per file with rejections")
    }

    @Test("the nightly wrapper refuses a log that is a link or has other hard links (exit 1), runs nothing and leaves the target as it was")
    func nightlyLogNeverFollowed() throws {
        for kind in ["link", "hard link"] {
            let folder = Fixture.temporaryDirectory("nightly-log-\(kind.replacingOccurrences(of: " ", with: "-"))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let victim = folder.appendingPathComponent("victim.txt")
            try "keep me\n".write(to: victim, atomically: true, encoding: .utf8)
            try FileOperation.setMode(0o600, victim)
            let log = folder.appendingPathComponent("nightly.jsonl")
            if kind == "link" {
                try FileManager.default.createSymbolicLink(atPath: log.path, withDestinationPath: "victim.txt")
            } else {
                try FileManager.default.linkItem(at: victim, to: log)
            }
            let nightly = Process()
            nightly.executableURL = Fixture.repositoryRoot.appendingPathComponent("scripts/ops/nightly")
            nightly.arguments = ["--output", folder.appendingPathComponent("out").path]
            var environment = ProcessInfo.processInfo.environment
            environment["PROMISE_PROGRESS_BIN"] = OperationsTests.executable.path
            environment["PROMISE_PROGRESS_LOG"] = log.path
            nightly.environment = environment
            let errors = Pipe()
            nightly.standardOutput = Pipe()
            nightly.standardError = errors
            try nightly.run()
            let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            nightly.waitUntilExit()
            #expect(nightly.terminationStatus == 1 && said.contains("must be a file of its own"), "\(kind): \(nightly.terminationStatus) \(said)")
            #expect(try String(contentsOf: victim, encoding: .utf8) == "keep me\n", "\(kind): the target is not written")
            #expect((try FileManager.default.attributesOfItem(atPath: victim.path)[.posixPermissions] as? Int) == 0o600, "\(kind): nor chmodded")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path), "\(kind): nothing ran")
        }
    }

    @Test("a command-line error (exit 64) writes its run-log line, and the nightly log stays JSON lines")
    func usageIsLogged() throws {
        let output = Fixture.temporaryDirectory("usage")
        let refused = try OperationsTests.run(["build", "--max-row-drop", "7", "--output", output.path])
        #expect(refused.status == ExitStatus.usage.rawValue)
        let line = try #require(try OperationsTests.runLog(output).last)
        #expect(line["status"] as? String == "usage_error" && line["exit_code"] as? Int == 64 && (line["error"] as? String)?.contains("--max-row-drop") == true, "\(line)")

        // Through the nightly wrapper, the parser's plain-text usage lands in its JSON log as JSON lines.
        let logs = Fixture.temporaryDirectory("usage-logs").appendingPathComponent("nightly.jsonl")
        let nightly = Process()
        nightly.executableURL = Fixture.repositoryRoot.appendingPathComponent("scripts/ops/nightly")
        nightly.arguments = ["--max-row-drop", "7", "--output", output.path]
        var environment = ProcessInfo.processInfo.environment
        environment["PROMISE_PROGRESS_BIN"] = OperationsTests.executable.path
        environment["PROMISE_PROGRESS_LOG"] = logs.path
        nightly.environment = environment
        nightly.standardOutput = Pipe()
        try nightly.run()
        nightly.waitUntilExit()
        #expect(nightly.terminationStatus == 64)
        let logged = try String(contentsOf: logs, encoding: .utf8).split(separator: "\n")
        #expect(logged.contains { $0.contains("--max-row-drop must be between 0 and 1") }, "\(logged)")
        for entry in logged {
            #expect((try? JSONSerialization.jsonObject(with: Data(entry.utf8))) is [String: Any], "not a JSON line: \(entry)")
        }
    }

    @Test("percentages and counts are range-checked on their decimal text, exactly")
    func decimalText() {
        #expect(RecordValidator.compareDecimal("100.00000000000000001", "100") == 1)
        #expect(RecordValidator.compareDecimal("100.000", "100") == 0)
        #expect(RecordValidator.compareDecimal("099.9", "100") == -1)
        #expect(RecordValidator.compareDecimal("-0.0000000000000000001", "0") == -1)
        #expect(RecordValidator.compareDecimal("-0", "0") == 0)
        #expect(RecordValidator.compareDecimal("0.51", "0.5") == 1)
        let rule = DataStream.publishedTables.files[0].rowRules.first { $0.description.contains("range") }!
        let reference = ReferenceData(councilAreas: [:], placementTypes: [], codelists: [:],
                                      measureRanges: ["pct": (valueType: "percentage", maximum: 100), "n": (valueType: "count", maximum: 1e9)])
        func problems(_ measure: String, _ value: String) -> [FieldProblem] {
            rule.check(RowValues(names: ["measure", "value"], values: [measure, value]), reference)
        }
        #expect(problems("pct", "100.00000000000000001").first?.rule == "out_of_range")
        #expect(problems("pct", "100").isEmpty)
        #expect(problems("n", "5.0000000000000000001").first?.rule == "out_of_range")
        #expect(problems("n", "5.000").isEmpty)
    }

    @Test("indicator SQL naming ATTACH, DETACH or PRAGMA is refused by name, outside strings and comments")
    func forbiddenStatements() throws {
        #expect(BoundedQuery.forbiddenKeyword(in: "ATTACH DATABASE 'x.db' AS x") == "ATTACH")
        #expect(BoundedQuery.forbiddenKeyword(in: "select 1; pragma writable_schema = on") == "PRAGMA")
        #expect(BoundedQuery.forbiddenKeyword(in: "SELECT 1 /* */ ; Detach x") == "DETACH")
        #expect(BoundedQuery.forbiddenKeyword(in: "SELECT 'attach' AS pragma_like, \"PRAGMA\" FROM t -- PRAGMA here is a comment") == nil)
        #expect(BoundedQuery.forbiddenKeyword(in: "SELECT name FROM pragma_table_info('child')") == nil)
        let queue = try DatabaseQueue()
        try queue.read { db in
            #expect(throws: BoundedQuery.Refusal.self) { try BoundedQuery.prepare("PRAGMA writable_schema", in: db) }
        }
    }

    @Test("broken front matter is a problem in check")
    func frontMatterInCheck() throws {
        let input = try Fixture.copyOfSmallInputs()
        try "---\ntitle: Never closed\npublished: 2024-01-01\n\nA body sentence about care.\n".write(
            to: input.appendingPathComponent("qualitative/documents/unclosed.md"), atomically: true, encoding: .utf8)
        try "---\ntitle: [unbalanced\n---\n\nA body sentence about care.\n".write(
            to: input.appendingPathComponent("qualitative/documents/bad-yaml.md"), atomically: true, encoding: .utf8)
        let report = try Check(layout: Fixture.layout(output: Fixture.temporaryDirectory("check-front"), input: input)).run(logger: MemoryLogger())
        #expect(report.problems.contains { $0.file.hasSuffix("unclosed.md") && $0.message.contains("never closed") }, "\(report.problems)")
        #expect(report.problems.contains { $0.file.hasSuffix("bad-yaml.md") && $0.message.contains("not valid YAML") }, "\(report.problems)")
        #expect(!report.passed)

        // A build hears of it too, as a warning naming the document; an unclosed '---' is no title.
        let logger = MemoryLogger()
        let store = try Fixture.loadStages(input: input, name: "front-build", logger: logger)
        #expect(logger.lines.contains { $0.contains("unclosed.md: front matter: ") && $0.contains("never closed") }, "\(logger.lines.filter { $0.contains("front matter") })")
        let title = try DatabaseQueue(path: store.path).read { db in try String.fetchOne(db, sql: "SELECT title FROM document WHERE document_id = 'unclosed'") }
        #expect(title != "---" && title?.contains("Never closed") == true, "\(String(describing: title))")
    }

    @Test("the statement splitter is linear: a sentence four times as long takes at most about four times as long")
    func linearSplitter() {
        func seconds(_ length: Int) -> Double {
            let text = "It " + String(repeating: "abcdefghij.", count: length / 11) + " ends here."
            let started = Date()
            let document = DocumentParser().parse(text)
            #expect(!document.statements.isEmpty)
            return Date().timeIntervalSince(started)
        }
        _ = seconds(100_000)   // warm up
        let small = seconds(500_000), large = seconds(2_000_000)
        // Quadratic work would take sixteen times as long; allow for a noisy machine.
        #expect(large < max(small, 0.01) * 9, "500 kB: \(small) s, 2 MB: \(large) s")
    }
}
