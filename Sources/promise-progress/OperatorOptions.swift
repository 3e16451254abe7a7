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
