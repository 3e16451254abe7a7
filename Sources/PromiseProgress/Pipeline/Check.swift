import Foundation
import GRDB

/// `promise-progress check`: validates the inputs, the indicator definitions and the disclosure
/// settings without touching the outputs. It runs extract, transform and load into a temporary
/// folder (so the SQL of every definition is prepared against the real schema), then deletes it.
public struct Check {
    public let layout: PipelineLayout
    /// Judged against the releases in the layout's output folder, which is only read.
    public var completeness = CompletenessGuard()

    public init(layout: PipelineLayout) { self.layout = layout }

    public struct Report: Sendable {
        /// Problems in definitions, settings or files as a whole.
        public var problems: [Problem]
        /// Input rows the build would reject (file, line, field and reason).
        public var rejectedRows: [Problem]
        public var rowsRead: Int

        public var passed: Bool { problems.isEmpty && rejectedRows.isEmpty }
    }

    public func run(logger: RunLogger) throws -> Report {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("promise-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var scratchLayout = layout
        scratchLayout.outputDirectory = scratch
        let context = PipelineContext(layout: scratchLayout, logger: logger)
        var report = Report(problems: [], rejectedRows: [], rowsRead: 0)
        do {
            for stage in [ExtractStage(), TransformStage(), LoadStage()] as [PipelineStage] {
                try Pipeline.run(stage, context: context)
            }
        } catch let problem as Problem {
            report.problems.append(problem)
            return report
        }
        // What build would refuse before publishing: a published state it cannot read, or inputs that
        // look incomplete against the published release.
        let releases = Releases(layout: layout)
        if let problem = releases.adoptionProblem() ?? releases.publishedStateProblem() {
            report.problems.append(Problem(file: layout.display(layout.outputDirectory), message: problem))
        } else {
            let finding = try completeness.check(context, releases: releases)
            for warning in finding.warnings + finding.acceptedDrops { logger.log("completeness: \(warning)", level: .warning) }
            report.problems += finding.refusals.map {
                Problem(file: "completeness guard", message: $0, hint: "build would refuse to publish (exit 5); if the drop is meant, give --accept-drop naming the file, folder or stream")
            }
        }
        let store = try context.openWorkStore()
        try store.queue.read { db in
            report.rowsRead = try Int.fetchOne(db, sql: "SELECT SUM(rows_read) FROM run_input") ?? 0
            report.rejectedRows = try Row.fetchAll(db, sql: "SELECT source_file, source_line, column_name, reason FROM rejected_row ORDER BY source_file, source_line, rejected_row_id").map {
                Problem(file: $0["source_file"], line: $0["source_line"], field: $0["column_name"], message: $0["reason"])
            }
            // A document's front matter that is broken or names unknown values: the build reads the
            // document without it (a note), but a check must say so.
            report.problems += try Row.fetchAll(db, sql: "SELECT source_file, message FROM run_note WHERE message LIKE ? ORDER BY rowid",
                                                arguments: [QualitativeStream.frontMatterNote + "%"]).map {
                Problem(file: $0["source_file"], line: 1, message: $0["message"])
            }
            let (catalogue, problems) = try IndicatorCatalogue.inspect(directory: layout.indicatorsDirectory, vocabulary: try .load(from: db), display: layout.display)
            report.problems += problems
            report.problems += catalogue.checkSQL(in: db)
            if problems.isEmpty {
                do {
                    _ = try DisclosureRulesFile.load(layout: layout)
                } catch let problem as Problem {
                    report.problems.append(problem)
                }
            }
        }
        return report
    }
}
