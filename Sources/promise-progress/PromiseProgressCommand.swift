import ArgumentParser
import Foundation
import PromiseProgress

@main
struct PromiseProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promise-progress",
        abstract: "Builds the Promise progress-framework indicators: extract, transform, load, compute and render.",
        discussion: """
        'build' runs every stage on the embedded data and publishes out/promise.sqlite (restricted) and \
        out/public/ (disclosure-controlled dashboards and data) only when every stage succeeds. \
        Each stage can also run alone against the work store in out/.work/.
        """,
        version: PromiseProgressVersion.current,
        subcommands: [BuildCommand.self, CheckCommand.self, AuditCommand.self, StageCommand.self, GenerateCommand.self, DictionaryCommand.self, ContractCommand.self],
        defaultSubcommand: BuildCommand.self)

    static func main() {
        // Whatever umask cron or a shell passes on, what a run creates is its owner's and group's;
        // the public folder is opened to all explicitly when it is published.
        umask(0o027)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if !(error is ExitCode), exitCode(for: error) == .validationFailure {
                recordUsageError(message(for: error))
            }
            exit(withError: error)
        }
    }

    /// A command line refused for `build` or `stage` (exit 64) writes its line in the run log of the
    /// output folder it names (or `out`), like every other exit.
    static func recordUsageError(_ message: String) {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let first = arguments.first { !$0.hasPrefix("-") }
        let others = ["check", "audit", "generate", "dictionary", "contract", "help"]
        if let first, others.contains(first) { return }
        var output = "out"
        for (index, argument) in arguments.enumerated() {
            if argument == "--output", index + 1 < arguments.count { output = arguments[index + 1] }
            if argument.hasPrefix("--output=") { output = String(argument.dropFirst("--output=".count)) }
        }
        Build.recordRefusedCommandLine(outputDirectory: URL(fileURLWithPath: output), status: .usage, message: "usage error: " + message)
    }
}

/// Folder options shared by every subcommand that reads or writes pipeline files.
struct LayoutOptions: ParsableArguments {
    @Option(help: "Folder holding quantitative/ with the child-level CSV files.")
    var input: String = "Data"

    @Option(help: "Folder for outputs: promise.sqlite, public/ and the work area .work/.")
    var output: String = "out"

    @Option(help: "Folder of reference CSVs loaded as tables.")
    var seeds: String = "seeds"

    @Option(help: "Folder of indicator definition files (YAML).")
    var indicators: String = "Indicators"

    @Option(help: "Folder of reviewed configuration (disclosure-control.yml).")
    var config: String = "config"

    @Option(help: "Longest one indicator query may run, in seconds; past it the build stops the query and fails, naming the indicator.")
    var queryTimeLimit: Double = 300

    func validate() throws {
        guard queryTimeLimit.isFinite, queryTimeLimit > 0 else {
            throw ValidationError("--query-time-limit must be a number of seconds above 0, found \(queryTimeLimit)")
        }
    }

    /// For commands that read inputs: every folder they read must be a folder, found before any work starts.
    func validateFolders() throws {
        for (option, path, holds) in [("--input", input, "the input files"), ("--seeds", seeds, "the reference CSVs"),
                                      ("--indicators", indicators, "the indicator definitions"), ("--config", config, "disclosure-control.yml")] {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw ValidationError("\(option) \(path): no such folder (it should hold \(holds)); run from the repository's folder or give the path")
            }
            guard isFolder.boolValue else { throw ValidationError("\(option) \(path) is a file; give the folder that holds \(holds)") }
        }
    }

    /// Every period `--revise` names must be a period of the seeds' period table.
    func validateRevisePeriods(_ periods: [String]) throws {
        guard !periods.isEmpty else { return }
        let file = URL(fileURLWithPath: seeds).appendingPathComponent("period.csv")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw ValidationError("--revise: cannot read \(file.path) to check the periods named")
        }
        let known = Set(text.split(whereSeparator: \.isNewline).dropFirst().compactMap { $0.split(separator: ",").first.map(String.init) })
        for period in periods where !known.contains(period) {
            throw ValidationError("--revise: '\(period)' is not a period id in \(file.path) (for example \(known.sorted().prefix(3).joined(separator: ", ")))")
        }
    }

    var layout: PipelineLayout {
        var layout = PipelineLayout(
            inputDirectory: URL(fileURLWithPath: input),
            seedsDirectory: URL(fileURLWithPath: seeds),
            indicatorsDirectory: URL(fileURLWithPath: indicators),
            configDirectory: URL(fileURLWithPath: config),
            outputDirectory: URL(fileURLWithPath: output))
        layout.queryTimeLimit = queryTimeLimit
        return layout
    }
}
