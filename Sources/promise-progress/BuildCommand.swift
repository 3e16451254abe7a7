import ArgumentParser
import Foundation
import PromiseProgress

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Runs every stage and publishes out/promise.sqlite and out/public/ only if all succeed.",
        discussion: """
        Publishing makes a release in <output>/releases/ and switches <output>/current to it in one \
        step; <output>/promise.sqlite and <output>/public lead through current. When nothing the \
        outputs depend on has changed since the published release, the build does nothing (--force \
        rebuilds). Ends with a one-line summary on standard output.

        Exit status: \(ExitStatus.allCases.map { "\($0.rawValue) \($0.meaning)" }.joined(separator: "; ")).
        """)

    @OptionGroup var layout: LayoutOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var publishing: PublishOptions

    @Option(help: "Refuse to publish when more than this share (0 to 1) of any input file's rows is rejected.")
    var maxRejectedShare: Double = 0.10

    @Option(help: "Report rejected rows for the nightly mail (an 'alert:' line on standard output) when more than this share (0 to 1) of a file's rows is rejected, even when the run publishes.")
    var alertRejectedShare: Double = 0.01

    @Flag(help: "Exit 3 instead of 0 when there is nothing to do, for scripts that want to tell the two apart.")
    var detailedExitCode = false

    @Flag(help: "Rebuild and publish even when nothing changed since the published release.")
    var force = false

    @Option(help: ArgumentHelp("Publish a revision release of these periods (period ids, comma-separated, e.g. 2023-24,sw2025).",
                               discussion: "A nightly build never changes a figure of a period already published: changes are held (table held_revision). A revision release recomputes the periods named, withholds every count revised by 1 to 4 and marks revised figures [r]."),
            transform: { text in text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } })
    var revise: [String] = []

    @Flag(help: "With --revise: publish a revision that moves counts in fewer than 5 council areas (refused by default: anyone holding both releases could tell which records moved).")
    var allowSmallRevision = false

    func validate() throws {
        guard (0...1).contains(maxRejectedShare) else {
            throw ValidationError("--max-rejected-share must be between 0 and 1, found \(maxRejectedShare)")
        }
        guard (0...1).contains(alertRejectedShare) else { throw ValidationError("--alert-rejected-share must be between 0 and 1, found \(alertRejectedShare)") }
        try publishing.validate()
        try layout.validateFolders()
        try layout.validateRevisePeriods(revise)
    }

    func run() throws {
        let logger = output.logger
        var resolved = layout.layout
        resolved.revisePeriods = Set(revise)
        resolved.allowSmallRevision = allowSmallRevision
        var build = Build(layout: resolved, logger: logger, maximumRejectedShare: maxRejectedShare)
        build.force = force
        publishing.apply(to: &build)
        build.alertRejectedShare = alertRejectedShare
        build.detailedExitCode = detailedExitCode
        // Reproducible builds: SOURCE_DATE_EPOCH (seconds since 1970) fixes the run's time.
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"] {
            guard let seconds = Int64(epoch), seconds >= 0 else {
                let failure = OperatorError(.inputRejected, "SOURCE_DATE_EPOCH must be whole seconds since 1970, found '\(Bounded.quote(epoch))'")
                Build.recordRefusedCommandLine(outputDirectory: resolved.outputDirectory, status: failure.status, message: failure.description)
                throw fail(failure, logger: logger)
            }
            build.runTime = Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        var failure: OperatorError?
        do {
            let outcome = try build.run { failure = $0 }
            logger.runID = outcome.runID
            print("summary: \(outcome.summary)")
            // Rejections past the alert share: lines the nightly wrapper mails, even at exit 0.
            for alert in outcome.alerts { print("alert: \(Bounded.message(alert, limit: 500))") }
            if outcome.status == .nothingToDo, !detailedExitCode { return }
            if outcome.status != .published { throw ExitCode(outcome.status.rawValue) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(failure ?? OperatorError.classify(error, stage: nil, store: nil), logger: logger)
        }
    }
}
