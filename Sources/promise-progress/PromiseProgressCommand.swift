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
