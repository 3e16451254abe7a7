import ArgumentParser
import Foundation
import PromiseProgress

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Runs every stage and publishes the outputs only if all succeed.")

    @OptionGroup var layout: LayoutOptions

    func run() throws {
        let context = PipelineContext(layout: layout.layout, logger: StandardErrorLogger())
        try Pipeline(stages: Pipeline.standardStages).run(context)
    }
}
