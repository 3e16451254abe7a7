import ArgumentParser
import Foundation
import PromiseProgress

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validates inputs, indicator definitions and disclosure settings; writes nothing.",
        discussion: "Exits 0 when everything passes, 1 when anything would be rejected or refused, including inputs the completeness guard would refuse against the release published in <output>.")

    @OptionGroup var layout: LayoutOptions

    @OptionGroup(title: "Completeness (as build would judge it against the published release)") var guarding: GuardOptions

    @Option(help: "Rejected input rows to list (all are counted).")
    var show: Int = 50

    func run() throws {
        try guarding.validate()
        var check = Check(layout: layout.layout)
        check.completeness = guarding.completenessGuard
        let report = try check.run(logger: StandardErrorLogger())
        for problem in report.problems { print("error: \(problem)") }
        for problem in report.rejectedRows.prefix(show) { print("rejected: \(problem)") }
        if report.rejectedRows.count > show { print("... and \(report.rejectedRows.count - show) more rejected rows") }
        print("\(report.rowsRead) input rows read; \(report.rejectedRows.count) rejections; \(report.problems.count) problems in definitions, settings or files")
        if !report.passed { throw ExitCode(1) }
        print("check passed")
    }
}
