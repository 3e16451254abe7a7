import ArgumentParser
import Foundation
import PromiseProgress

/// How much a run says, and in what form: shared by build and stage.
struct OutputOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Only warnings, errors and the one-line summary.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also debugging detail (recovery, pruning, fingerprints).")
    var verbose = false

    @Option(help: "Log format on standard error: text, json (one event per line) or auto (text at a terminal, json otherwise).")
    var logFormat: String = "auto"

    func validate() throws {
        guard ["auto", "text", "json"].contains(logFormat) else {
            throw ValidationError("--log-format must be auto, text or json, found '\(logFormat)'")
        }
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
    }

    var logger: OperatorLogger {
        let format: OperatorLogger.Format = logFormat == "json" ? .json : logFormat == "text" ? .text : (isatty(STDERR_FILENO) == 1 ? .text : .json)
        return OperatorLogger(format: format, minimum: quiet ? .warning : verbose ? .debug : .info)
    }
}

/// Ends the process the documented way: the message for the operator on standard error (as an
/// error event in JSON logs), then the exit status. No framework error reaches the terminal raw.
func fail(_ failure: OperatorError, logger: OperatorLogger) -> ExitCode {
    // Another run holding the lock is expected now and then (it will publish): not an error.
    // Bounded in bytes, whatever the input held: the log line, the summary and so the mail stay small
    // (the whole report is in out/last-failure/report.txt).
    logger.write(Bounded.message(failure.description, limit: 8_000), level: failure.status == .refused ? .warning : .error)
    // One line, however many the message has.
    let oneLine = failure.description.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    print("summary: \(failure.status.word) (exit \(failure.status.rawValue)): \(Bounded.message(oneLine, limit: 2_000))")
    return ExitCode(failure.status.rawValue)
}

/// The completeness guard's settings: how much an input may shrink, and which drops are meant.
/// Build and `stage publish` apply them; `check` reports what they would refuse.
struct GuardOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Refuse to publish when an input file has lost more than this share (0 to 1) of the rows a kept release loaded from it.",
                               discussion: "The completeness guard: a file, folder, document or stream a kept release read that is missing now is refused too (exit 5), as is a folder of documents or a document that lost this share of its text; each named with both counts."))
    var maxRowDrop: Double = 0.05

    @Option(name: .customLong("accept-drop"), help: ArgumentHelp("Publish although this file, folder or stream id shrank past --max-row-drop or is missing (repeat for each; 'all' for every one). Recorded in the run log and release.json.",
                                                               valueName: "file|folder|stream"))
    var acceptDrop: [String] = []

    var isDefault: Bool { maxRowDrop == 0.05 && acceptDrop.isEmpty }

    func validate() throws {
        guard (0...1).contains(maxRowDrop) else { throw ValidationError("--max-row-drop must be between 0 and 1, found \(maxRowDrop)") }
    }

    var completenessGuard: CompletenessGuard { CompletenessGuard(maximumRowDrop: maxRowDrop, accepted: acceptDrop) }
}

/// How a run publishes: the completeness guard and pruning. Shared by build and `stage publish`, so
/// a release published stage by stage is guarded as a build's is.
struct PublishOptions: ParsableArguments {
    @OptionGroup var guarding: GuardOptions

    @Option(help: "Published releases to keep in <output>/releases/, the current one included.")
    var keepReleases: Int = 3

    /// True when every option is at its default (a stage other than publish takes none).
    var isDefault: Bool { guarding.isDefault && keepReleases == 3 }

    func validate() throws {
        try guarding.validate()
        guard keepReleases >= 1 else { throw ValidationError("--keep-releases must be at least 1, found \(keepReleases)") }
    }

    func apply(to build: inout Build) {
        build.completeness = guarding.completenessGuard
        build.keepReleases = keepReleases
    }
}
